"""Every page in headless Chromium, network cut off: charts render, sliders work, axe passes."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest

from cocreation import data, registry, widgets

from conftest import ROOT, notebook_pages, run_notebook, toc_pages

pytestmark = [pytest.mark.build, pytest.mark.browser]

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SHOTS = ROOT / "_build" / "screenshots"


class PageReport:
    def __init__(self) -> None:
        self.external: list[str] = []
        self.failed: list[str] = []
        self.console: list[str] = []


def open_page(browser, url: str, *, width: int = 1280, height: int = 900, dark: bool = False):
    """Open ``url`` with every non-loopback request aborted and recorded."""
    report = PageReport()
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light")

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            report.external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and report.console.append(m.text))
    page.on("pageerror", lambda e: report.console.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: report.failed.append(f"{r.url} {r.failure}"))
    page.goto(url, wait_until="load")
    page.evaluate("() => window.cocreationCharts && window.cocreationCharts.drawAll()")  # not only those near the screen
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cocreation-chart')].every(e => e.dataset.rendered === 'true')",
        timeout=20_000,
    )
    return context, page, report


PAGES = toc_pages()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline_without_errors(browser, site_url, page_path):
    context, page, report = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        page.wait_for_load_state("networkidle")  # late requests too, such as the favicon
        charts = page.locator(".cocreation-chart")
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg, canvas").count() >= 1, f"chart {i} on {page_path} is empty"
            overflow = charts.nth(i).evaluate("e => e.scrollWidth - e.clientWidth")
            assert overflow <= 2, f"chart {i} on {page_path} is {overflow} px wider than the 1280 px layout's column"
        assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        tall = page.evaluate("document.documentElement.scrollHeight") > 20_000  # e.g. the API page
        page.screenshot(path=str(SHOTS / f"{page_path.replace('/', '__')}.png"), full_page=not tall)
    finally:
        context.close()
    assert report.external == [], f"attempted external requests: {report.external}"
    assert report.failed == [], f"failed requests: {report.failed}"
    assert report.console == [], f"console errors: {report.console}"


# The items of a chart's data marks, read through the Vega view API after the dataflow
# has run: each item's datum and the visual properties its encodings set.
SCENE_ITEMS = """async (el, marktype) => {
    const view = el.vegaView;
    await view.runAsync();
    const props = ['x', 'y', 'x2', 'y2', 'width', 'height', 'fill', 'stroke', 'opacity',
                   'fillOpacity', 'strokeOpacity', 'strokeWidth', 'size', 'text'];
    const items = [];
    const walk = (node) => {
        if (!node) return;
        if (node.items) node.items.forEach(walk);
        if (node.datum && node.mark && node.mark.role === 'mark' && (!marktype || node.mark.marktype === marktype)) {
            const drawn = Object.fromEntries(props.filter(k => node[k] !== undefined).map(k => [k, node[k]]));
            items.push({datum: Object.fromEntries(Object.entries(node.datum)), drawn});
        }
    };
    walk(view.scenegraph().root);
    return items;
}"""


def scene_items(chart, marktype: str | None = None) -> list[dict]:
    """Datum and drawn properties of each data-mark item of ``chart`` (of one mark type, if given)."""
    return chart.evaluate(SCENE_ITEMS, marktype)


MOVE_SLIDER = """(el) => { el.value = (+el.value === +el.max) ? el.min : el.max;
                            el.dispatchEvent(new Event('input', {bubbles: true})); }"""


@pytest.mark.parametrize("page_path", PAGES)
def test_every_control_changes_its_chart(browser, site_url, page_path):
    """Each slider and dropdown of every chart changes the marks the view draws, and the SVG."""
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        charts = page.locator(".cocreation-chart")
        for i in range(charts.count()):
            chart = charts.nth(i)
            sliders = tuple(chart.locator("input[type=range]").evaluate_all("xs => xs.map(x => x.name)"))
            if sliders:
                assert (page_path, sliders) in {(_page_of(e), e.slider_names) for e in EXPLORERS}, (
                    f"slider chart {sliders} on {page_path} is not registered: add it to its chapter's EXPLORERS"
                )
            controls = chart.locator("input[type=range], select")
            for j in range(controls.count()):
                control = controls.nth(j)
                items_before, svg_before = scene_items(chart), chart.locator("svg").first.inner_html()
                if control.evaluate("el => el.tagName") == "SELECT":
                    options = control.locator("option").evaluate_all("os => os.map(o => o.value)")
                    current = control.input_value()
                    control.select_option(next(o for o in options if o != current))
                else:
                    control.evaluate(MOVE_SLIDER)
                items_after = scene_items(chart)
                page.wait_for_timeout(60)
                name = control.get_attribute("name")
                assert items_after != items_before, f"control {name!r} of chart {i} on {page_path} left the view's marks unchanged"
                assert chart.locator("svg").first.inner_html() != svg_before, (
                    f"control {name!r} of chart {i} on {page_path} did not redraw the SVG"
                )
    finally:
        context.close()


# --- the static explorers show what the package computes -------------------------


# The explorers are declared once, in each chapter's package (its EXPLORERS); the
# registry collects them, so a new slider chart is checked as soon as it is declared.
EXPLORERS = registry.explorers()


def _page_of(explorer: widgets.Explorer) -> str:
    return registry.chapter(explorer.chapter)["page"]


def settings(explorer: widgets.Explorer, count: int = 3, seed: int = 2026) -> list[dict[str, float]]:
    """``count`` seeded random slider settings, each away from the all-defaults one."""
    rng = np.random.default_rng(seed)
    defaults = {p.name: float(p.default) for p in explorer.sliders}
    out = []
    while len(out) < count:
        s = {p.name: float(rng.choice(p.values())) for p in explorer.sliders}
        if s != defaults:
            out.append(s)
    return out


SET_SLIDER = """(el, value) => { el.value = value; el.dispatchEvent(new Event('input', {bubbles: true})); }"""


def _key(row, key: tuple[str, ...]) -> tuple:
    return tuple(round(row[k], 9) if isinstance(row[k], float) else row[k] for k in key)


def test_every_chapter_with_sliders_registers_its_explorers():
    assert EXPLORERS, "the registry holds no explorer"
    assert len({e.name for e in EXPLORERS}) == len(EXPLORERS), "explorer names must be unique"


@pytest.mark.parametrize("explorer", EXPLORERS, ids=lambda e: e.name)
def test_static_explorer_draws_what_the_package_computes(browser, site_url, explorer):
    """Move the sliders as a reader does, then read the drawn marks through the Vega view."""
    page_path = _page_of(explorer)
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        charts = page.locator(".cocreation-chart")
        names = [charts.nth(i).locator("input[type=range]").evaluate_all("xs => xs.map(x => x.name)")
                 for i in range(charts.count())]
        wanted = list(explorer.slider_names)
        matches = [i for i, n in enumerate(names) if n == wanted]
        assert matches, f"no chart with sliders {wanted} on {page_path}"
        # several explorers may share one chart (e.g. two panels); read the first such chart
        chart = charts.nth(matches[0])
        for setting in settings(explorer):
            for name, value in setting.items():
                chart.locator(f"input[name={name}]").evaluate(SET_SLIDER, f"{value:g}")
            expected = explorer.expected(**setting)
            drawn = [i["datum"] for i in scene_items(chart, explorer.marktype) if set(expected.columns) <= i["datum"].keys()]
            by_key = {_key(r, explorer.key): r for r in drawn}
            want = {_key(r, explorer.key): r for r in expected.to_dict("records")}
            assert sorted(by_key, key=str) == sorted(want, key=str), f"at {setting}: drawn {sorted(by_key, key=str)}"
            for k, row in want.items():
                for column in expected.columns.difference(explorer.key):
                    got, exp = by_key[k][column], row[column]
                    assert math.isclose(got, exp, rel_tol=1e-6, abs_tol=1e-6), (
                        f"at {setting}, {k} {column}: page draws {got}, package computes {exp}"
                    )
    finally:
        context.close()


# --- dropdowns keep what the data tables say ------------------------------------


def _chart_with(page, control: str):
    return page.locator(".cocreation-chart").filter(has=page.locator(f"select[name={control}]"))


def test_interviewee_dropdown_keeps_each_group_of_table_2(browser, site_url):
    people = data.load("typology_interviewees")
    context, page, _ = open_page(browser, f"{site_url}/{registry.chapter('typology')['page']}.html")
    try:
        chart = _chart_with(page, "stakeholder_group")
        for group, count in [("All", len(people)), *people["group"].value_counts().items()]:
            chart.locator("select[name=stakeholder_group]").select_option(group)
            bars = [i["datum"] for i in scene_items(chart, "rect")]
            assert len(bars) == count, f"{group}: {len(bars)} bars, Table 2 has {count} interviewees"
            if group != "All":
                assert {b["group"] for b in bars} == {group}
    finally:
        context.close()


def test_concept_map_dropdown_shows_each_theme_s_links(browser, site_url):
    links = data.load("synthesis_links")
    page_path = next(p for p in toc_pages() if "/synthesis/" in p)
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        chart = _chart_with(page, "link_theme")
        for theme, count in links["theme"].value_counts().items():
            chart.locator("select[name=link_theme]").select_option(theme)
            shown = [i["datum"] for i in scene_items(chart, "rule") if i["drawn"].get("opacity", 1) > 0.5]
            assert len(shown) == count, f"{theme}: {len(shown)} links shown, the table has {count}"
            assert {d["theme"] for d in shown} == {theme}
    finally:
        context.close()


@pytest.mark.parametrize("page_path", PAGES + [f"{p}#dark" for p in notebook_pages()])
def test_axe_finds_no_serious_or_critical_violation(browser, site_url, page_path):
    """Every page in light mode; the notebook pages (charts, full-screen buttons) in dark mode too."""
    page_path, dark = page_path.removesuffix("#dark"), page_path.endswith("#dark")
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html", dark=dark)
    try:
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], "\n".join(bad)


# --- readers take the notebooks and the data with them ----------------------------

NOTEBOOK_PAGES = notebook_pages()


@pytest.mark.parametrize("page_path", NOTEBOOK_PAGES)
def test_download_menu_gives_the_executed_notebook(browser, site_url, page_path):
    import nbformat

    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        page.click(".dropdown-download-buttons button.dropdown-toggle")
        link = page.locator("a.btn-download-notebook-button")
        link.evaluate("a => a.removeAttribute('target')")  # download in this tab, not a popup
        with page.expect_download() as download:
            link.click()
        nb = nbformat.read(download.value.path(), as_version=4)
    finally:
        context.close()
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and sum(len(c.outputs) for c in code) > 0, "the download has no outputs"


@pytest.mark.parametrize("page_path", NOTEBOOK_PAGES)
def test_downloaded_notebook_runs_in_jupyter_with_its_live_explorers(site_url, page_path, tmp_path):
    import urllib.request

    import nbformat

    with urllib.request.urlopen(f"{site_url}/_sources/{page_path}.ipynb") as response:
        nb = nbformat.reads(response.read().decode("utf-8"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    run_notebook(nb, cwd=tmp_path)
    # A live explorer's output carries both the widget view and the page's kernel note
    # (outputs an explorer displays inside its own Output widget do not count).
    live = sum(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        and "cocreation-kernel-note" in out.get("data", {}).get("text/html", "")
        for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
    )
    with urllib.request.urlopen(f"{site_url}/{page_path}.html") as response:
        notes = response.read().decode("utf-8").count("cocreation-kernel-note")
    assert notes == live, f"{live} live explorers run in Jupyter, but the page shows {notes} kernel notes"


def test_every_chart_offers_its_data_as_csv(browser, site_url):
    page_path = next(p for p in NOTEBOOK_PAGES if "ipo/" in p)
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        assert page.locator(".cocreation-chart-data").count() == page.locator(".cocreation-chart").count()
        button = page.locator(".cocreation-chart-data").first
        expected_rows = int(re.search(r"CSV, (\d+) rows", button.inner_text()).group(1))
        with page.expect_download() as download:
            button.click()
        import csv

        rows = list(csv.reader(Path(download.value.path()).read_text(encoding="utf-8").splitlines(keepends=True)))
    finally:
        context.close()
    assert len(rows) == expected_rows + 1 and len(rows[0]) > 1
    assert all(len(r) == len(rows[0]) for r in rows), "ragged CSV"


def test_charts_stay_readable_in_dark_mode(browser, site_url):
    page_path = next(p for p in NOTEBOOK_PAGES if "coopetition/" in p)
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html", dark=True)
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        colours = page.evaluate(
            """() => { const c = document.querySelector('.cocreation-chart');
                       const text = c.querySelector('svg text');
                       return [getComputedStyle(c).backgroundColor, getComputedStyle(text).fill]; }"""
        )
    finally:
        context.close()
    assert colours[0] == "rgb(255, 255, 255)", "chart card is not white in dark mode"
    assert colours[1] in ("rgb(34, 34, 34)", "#222222", "#222"), f"axis text is not dark: {colours[1]}"


# --- every screen: phones, projectors, full screen ------------------------------

FIT = """() => ({
    page: [document.scrollingElement.scrollWidth, innerWidth],
    charts: [...document.querySelectorAll('.cocreation-chart')].map(e => {
        const svg = e.querySelector('svg').getBoundingClientRect(), box = e.parentElement.getBoundingClientRect();
        return {name: e.dataset.name, svg: [svg.left, svg.right], box: [box.left, box.right]}; }),
})"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("page_path", NOTEBOOK_PAGES)
def test_every_chart_fits_a_phone_column(browser, site_url, page_path, dark):
    """At 390 x 844 each chart's drawing lies inside its column and the page does not scroll sideways."""
    context, page, report = open_page(browser, f"{site_url}/{page_path}.html", width=390, height=844, dark=dark)
    try:
        fit = page.evaluate(FIT)
    finally:
        context.close()
    width, inner = fit["page"]
    assert width <= inner, f"{page_path} scrolls sideways: {width} px wide in a {inner} px screen"
    for c in fit["charts"]:
        assert c["box"][0] - 0.5 <= c["svg"][0] and c["svg"][1] <= c["box"][1] + 0.5, f"{c['name']} overflows its column: {c}"
        assert c["svg"][1] <= inner, f"{c['name']} is wider than the screen: {c}"
    assert report.console == [], f"console errors: {report.console}"


EXPLORER_PAGES = sorted({_page_of(e) for e in EXPLORERS})

BOX = """el => { const box = el.parentElement.getBoundingClientRect(), card = el.getBoundingClientRect();
                 return {top: card.top, bottom: card.bottom, left: card.left, right: card.right, boxBottom: box.bottom}; }"""


@pytest.mark.parametrize("page_path", EXPLORER_PAGES)
def test_explorers_and_their_controls_fit_a_projector(browser, site_url, page_path):
    """At 1024 x 768 every slider chart, sliders included, fits the screen's height."""
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html", width=1024, height=768)
    try:
        charts = page.locator(".cocreation-chart").filter(has=page.locator("input[type=range]"))
        assert charts.count() >= 1
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            size = chart.evaluate(BOX)
            name = chart.get_attribute("data-name")
            assert size["bottom"] - size["top"] <= 768, f"{name} with its sliders is {size['bottom'] - size['top']:.0f} px tall"
            assert size["right"] <= 1024
    finally:
        context.close()


def test_full_screen_button_works_from_the_keyboard(browser, site_url):
    """Tab to a chart's full-screen button, press Enter: the chart and its sliders fill the
    screen and fit it; Esc (here: the button's second press if the headless browser keeps
    Esc to itself) leaves full screen."""
    explorer = next(e for e in EXPLORERS if e.chapter == "coopetition")
    context, page, _ = open_page(browser, f"{site_url}/{_page_of(explorer)}.html", width=1024, height=768)
    try:
        chart = page.locator(".cocreation-chart").filter(has=page.locator("input[type=range]")).first
        box = chart.locator("xpath=..")
        button = box.locator(".cocreation-chart-fullscreen")
        assert button.inner_text() == "Full screen" and button.evaluate("b => b.tagName") == "BUTTON"
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("() => !!document.fullscreenElement", timeout=5_000)
        assert page.evaluate("document.fullscreenElement.contains(document.querySelector('.cocreation-chart-fullscreen:focus'))")
        page.wait_for_timeout(1_500)  # the chart re-fits to the screen
        screen = page.evaluate("[innerWidth, innerHeight]")
        size = chart.evaluate(BOX)
        assert size["bottom"] - size["top"] <= screen[1] and size["right"] <= screen[0], (size, screen)
        assert chart.locator("input[type=range]").count() == len(explorer.sliders)
        values = scene_items(chart, explorer.marktype)
        assert values, "the full-screen chart draws no marks"
        assert button.inner_text() == "Exit full screen"
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
        if page.evaluate("!!document.fullscreenElement"):
            button.focus()
            page.keyboard.press("Enter")
        page.wait_for_function("() => !document.fullscreenElement", timeout=5_000)
        assert button.inner_text() == "Full screen"
    finally:
        context.close()


def test_csv_download_is_named_after_its_chart(browser, site_url):
    page_path = next(p for p in NOTEBOOK_PAGES if "ipo/" in p)
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        button = page.locator(".cocreation-chart-data").first
        with page.expect_download() as download:
            button.click()
        name = download.value.suggested_filename
    finally:
        context.close()
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+\.csv", name) and not name.startswith("vis-"), name
