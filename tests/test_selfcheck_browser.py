"""Self-checks and "Try this" tasks as a reader meets them, in headless Chromium.

On every chapter page: a self-check answered wrong, then right, from the keyboard, shows
different feedback in its aria-live element, on a desktop, on a 390 px phone and in dark
mode; every question accepts its key and rejects a wrong answer; every explorer with
inputs has a "Try this" task beside it; axe finds nothing serious in either.
"""

from __future__ import annotations

import pytest

from conftest import ROOT
from test_browser import AXE, SET_SLIDER, open_page, scene_items
from test_selfcheck import CHAPTER_PAGES

pytestmark = [pytest.mark.build, pytest.mark.browser]

MODES = {
    "desktop": dict(width=1280, height=900, dark=False),
    "phone-390px": dict(width=390, height=844, dark=False),
    "dark": dict(width=1280, height=900, dark=True),
}


def feedback(box) -> str:
    return box.locator('[aria-live="polite"]').inner_text().strip()


def answer_choice_from_keyboard(page, box, correct: bool) -> str:
    """Focus an option, select it with Space, Tab to the button and press Enter."""
    radio = box.locator(f'input[type=radio][data-correct="{str(correct).lower()}"]').first
    radio.focus()
    page.keyboard.press("Space")
    assert radio.is_checked()
    page.keyboard.press("Tab")
    assert box.locator("button").evaluate("b => b === document.activeElement"), "Tab does not reach the Check button"
    page.keyboard.press("Enter")
    page.wait_for_function("b => b.querySelector('[aria-live]').textContent.trim() !== ''", arg=box.element_handle())
    return feedback(box)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_a_self_check_answered_wrong_then_right_gives_different_feedback(browser, site_url, chapter, mode):
    context, page, report = open_page(browser, f"{site_url}/{CHAPTER_PAGES[chapter]}.html", **MODES[mode])
    try:
        if MODES[mode]["dark"]:
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        boxes = page.locator(".self-check")
        assert boxes.count() >= 5, f"{chapter}: {boxes.count()} self-checks"
        box = page.locator('.self-check[data-kind="choice"]').first
        box.scroll_into_view_if_needed()
        live = box.locator('[aria-live="polite"]')
        assert live.count() == 1
        wrong = answer_choice_from_keyboard(page, box, correct=False)
        assert wrong.startswith("Not quite."), wrong
        right = answer_choice_from_keyboard(page, box, correct=True)
        assert right.startswith("Correct."), right
        assert wrong != right and len(right.split()) > 3 and len(wrong.split()) > 3
        # Nothing in the box is wider than the column, on a phone too.
        over = boxes.evaluate_all("bs => bs.map(b => b.scrollWidth - b.clientWidth)")
        assert max(over) <= 1, f"{chapter}: a self-check overflows by {max(over)} px at {mode}"
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
        # axe on the self-checks and Try-this tasks, with feedback showing.
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => await axe.run({include: [['.self-check'], ['.try-this']]}, {resultTypes: ['violations']})"
        )
    finally:
        context.close()
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], "\n".join(bad)
    assert report.console == [] and report.external == []


# Give each kind of question its key, or a wrong answer, through the page's own controls.
ANSWER = """(box, right) => {
    const kind = box.dataset.kind;
    if (kind === 'choice') {
        const want = right ? 'true' : 'false';
        box.querySelector(`input[data-correct="${want}"]`).checked = true;
    } else if (kind === 'number') {
        const input = box.querySelector('input');
        const a = parseFloat(input.dataset.answer), t = parseFloat(input.dataset.tolerance);
        input.value = String(right ? a : a + 10 * t + 1);
    } else {
        const selects = [...box.querySelectorAll('select')];
        selects.forEach(s => { s.value = s.dataset.expected; });
        if (!right) {
            const s = selects[0];
            s.value = [...s.options].map(o => o.value).find(v => v && v !== s.dataset.expected);
        }
    }
    box.querySelector('button').click();
    return box.querySelector('[aria-live="polite"]').textContent;
}"""


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_self_check_accepts_its_key_and_rejects_a_wrong_answer(browser, site_url, chapter):
    context, page, _ = open_page(browser, f"{site_url}/{CHAPTER_PAGES[chapter]}.html")
    try:
        boxes = page.locator(".self-check")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            wrong = box.evaluate(ANSWER, False)
            right = box.evaluate(ANSWER, True)
            title = box.locator("legend").inner_text()[:60]
            assert wrong.startswith("Not quite."), f"{chapter} {title!r}: {wrong}"
            assert right.startswith("Correct."), f"{chapter} {title!r}: {right}"
            assert wrong != right
    finally:
        context.close()


NEXT_TO = """(chart) => {
    const cell = chart.closest('.cell') || chart.parentElement;
    let el = cell.nextElementSibling;
    for (let i = 0; i < 2 && el; i++, el = el.nextElementSibling) {
        if (el.matches('.try-this') || el.querySelector('.try-this')) return true;
    }
    return false;
}"""


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_explorer_with_inputs_has_a_try_this_task_beside_it(browser, site_url, chapter):
    context, page, _ = open_page(browser, f"{site_url}/{CHAPTER_PAGES[chapter]}.html")
    try:
        charts = page.locator(".cocreation-chart")
        explorers = 0
        for i in range(charts.count()):
            chart = charts.nth(i)
            if chart.locator("input, select").count() == 0:
                continue
            explorers += 1
            assert chart.evaluate(NEXT_TO), f"{chapter}: explorer {i} has no Try-this task right after its cell"
        tasks = page.locator(".try-this")
        assert tasks.count() >= explorers
        for j in range(tasks.count()):
            text = tasks.nth(j).inner_text()
            for step in ("Predict", "Move", "Explain"):
                assert step in text, f"{chapter}: Try-this task {j} lacks its {step} step"
            assert tasks.nth(j).locator("details").count() >= 1, f"{chapter}: task {j} does not fold its answer"
    finally:
        context.close()


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_chapter_page_states_its_reading_time_and_self_checks(built_site, chapter):
    import re

    from cocreation import selfcheck

    html = (built_site / f"{CHAPTER_PAGES[chapter]}.html").read_text(encoding="utf-8")
    m = re.search(r'class="cocreation-reading-time">About (\d+) minutes of reading, with (\d+) self-check questions\.<', html)
    assert m, f"{chapter}: no reading-time line under the title"
    public = [q for q in selfcheck.questions(chapter) if q.public]
    assert int(m.group(2)) == len(public) == html.count('class="self-check"')


# --- number questions: the explorer shows the key at the setting the prompt states --------
#: Question id -> the figure of its explorer and the slider setting its prompt states.
READINGS = {
    "ipo-q07": ("fig-ipo-power", {"n": 150, "effect": 0.2}),
    "typology-q05": ("fig-typology-readiness", {"system_management": 4, "commercialisation": 2, "interpersonal": 5}),
    "oli-q07": ("fig-oli-funnel", {"disposition": 0.8, "engagement": 0.8, "learning_rate": 0.1}),
    "coopetition-q03": ("fig-coop-explorer", {"rho_p": 1.0, "rho_s": 0.5, "k_p": 1.0, "k_s": 1.0}),
    "coopetition-q06": ("fig-coop-explorer", {"rho_p": 1.0, "rho_s": 0.5, "k_p": 1.0, "k_s": 1.0, "power": 1.0}),
}


def _number(text: str) -> float | None:
    import re

    m = re.fullmatch(r"\s*(-?[\d,]*\.?\d+)\s*%?\s*", str(text))
    return float(m.group(1).replace(",", "")) if m else None


@pytest.mark.parametrize("qid", READINGS)
def test_a_number_question_s_key_is_what_its_explorer_shows(browser, site_url, qid):
    from cocreation import selfcheck

    q = selfcheck.question(qid)
    figure, setting = READINGS[qid]
    context, page, _ = open_page(browser, f"{site_url}/{CHAPTER_PAGES[q.chapter]}.html")
    try:
        chart = page.locator(f"#{figure} .cocreation-chart")
        assert chart.count() == 1, f"{qid}: no explorer in figure {figure}"
        names = set(chart.locator("input[type=range]").evaluate_all("xs => xs.map(x => x.name)"))
        assert set(setting) <= names, f"{qid}: the explorer has sliders {sorted(names)}"
        for name, value in setting.items():
            chart.locator(f"input[name={name}]").evaluate(SET_SLIDER, f"{value:g}")
        shown = [_number(i["drawn"].get("text", "")) for i in scene_items(chart, "text")]
        shown = [v for v in shown if v is not None]
    finally:
        context.close()
    assert any(abs(v - q.answer) <= q.tolerance for v in shown), (
        f"{qid}: key {q.answer} ± {q.tolerance}, but the explorer shows {shown} at {setting}"
    )
