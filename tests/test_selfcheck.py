"""Self-check question banks: schema, answer keys, placement on the pages, objectives covered."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest

from cocreation import data, selfcheck

from conftest import ROOT, toc_pages

#: The six chapter pages, by chapter (the folder name under book/).
CHAPTER_PAGES = {
    c: next(p for p in toc_pages() if p.startswith(f"book/{c}/"))
    for c in ("foundations", "ipo", "typology", "oli", "coopetition", "synthesis")
}
DIRECTIVE = re.compile(r"^```\{self-check\}\s+(\S+)\s*$", re.M)
MIN_PUBLIC = 5


def page_text(chapter: str) -> str:
    return (ROOT / f"{CHAPTER_PAGES[chapter]}.md").read_text(encoding="utf-8")


def placements() -> Counter:
    """(page, question id) of every ``self-check`` directive in the book's pages."""
    found: Counter = Counter()
    for path in (ROOT / "book").rglob("*.md"):
        page = str(path.relative_to(ROOT).with_suffix(""))
        for qid in DIRECTIVE.findall(path.read_text(encoding="utf-8")):
            found[(page, qid)] += 1
    return found


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_chapter_has_a_question_bank_that_loads(chapter):
    for name in (f"{chapter}_questions", f"{chapter}_question_options"):
        assert name in data.tables(), f"no {name} table (schema) in data/"
        assert len(data.load(name)) > 0


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_answer_keys_are_sound(chapter):
    """One correct option per choice question; finite numbers with tolerance > 0; orders 1..n."""
    assert selfcheck.check_bank(chapter) == []


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_option_explains_itself_and_every_question_has_an_explanation(chapter):
    for q in selfcheck.questions(chapter):
        assert len(q.feedback.split()) >= 5, f"{q.id}: feedback too short to explain"
        for o in q.options:
            assert len(o.feedback.split()) >= 2, f"{q.id} option {o.id}: feedback does not explain"
            assert o.feedback != q.feedback
        if q.kind == "choice":
            right = next(o.feedback for o in q.options if o.correct)
            assert all(o.feedback != right for o in q.options if not o.correct), (
                f"{q.id}: a wrong option gives the right option's feedback"
            )
        ids = [o.id for o in q.options]
        assert len(ids) == len(set(ids)), f"{q.id}: option letters repeat"


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_number_answers_are_finite_with_positive_tolerance(chapter):
    for q in selfcheck.questions(chapter):
        if q.kind == "number":
            assert math.isfinite(q.answer) and q.tolerance > 0, q.id
            assert q.tolerance < max(abs(q.answer), 1.0), f"{q.id}: the tolerance accepts almost anything"


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_chapter_page_has_enough_public_questions_of_several_kinds(chapter):
    public = [q for q in selfcheck.questions(chapter) if q.public]
    assert len(public) >= MIN_PUBLIC, f"{chapter}: {len(public)} public questions, want {MIN_PUBLIC}"
    kinds = {q.kind for q in public}
    assert "choice" in kinds and kinds & {"order", "match"}, f"{chapter}: kinds {kinds}"


def test_every_directive_names_an_existing_question():
    known = {q.id for c in selfcheck.chapters() for q in selfcheck.questions(c)}
    unknown = sorted({qid for (_, qid) in placements()} - known)
    assert unknown == [], f"self-check directives name unknown questions: {unknown}"


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_public_question_is_placed_once_on_its_page_and_no_other(chapter):
    where = placements()
    page = CHAPTER_PAGES[chapter]
    for q in selfcheck.questions(chapter):
        on_page = where[(page, q.id)]
        elsewhere = sum(n for (p, qid), n in where.items() if qid == q.id and p != page)
        if q.public:
            assert on_page == 1 and elsewhere == 0, f"{q.id} placed {on_page}x on {page}, {elsewhere}x elsewhere"
        else:
            assert on_page + elsewhere == 0, f"{q.id} is kept for instructors but placed on a page"


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_learning_objective_is_assessed_by_a_public_question(chapter):
    """The Overview's objectives list, parsed from the page, against the objective column."""
    objectives = selfcheck.objectives_of(page_text(chapter))
    assert len(objectives) >= 3, f"{chapter}: found {objectives} in the Overview"
    covered = Counter()
    for q in selfcheck.questions(chapter):
        hits = [o for o in objectives if q.objective.lower() in o.lower()]
        assert len(hits) == 1, f"{q.id}: objective phrase {q.objective!r} matches {len(hits)} objectives"
        if q.public:
            covered[hits[0]] += 1
    missing = [o for o in objectives if covered[o] == 0]
    assert missing == [], f"{chapter}: objectives no public question assesses: {missing}"


def test_objectives_parser_reads_a_real_overview():
    objectives = selfcheck.objectives_of(page_text("foundations"))
    assert objectives[0].startswith("contrast goods-dominant and service-dominant logic")
    assert "{term}" not in " ".join(objectives) and "**" not in " ".join(objectives)


def test_rendered_html_keeps_the_contract_and_shows_no_ids_to_students():
    for chapter in selfcheck.chapters():
        for q in selfcheck.questions(chapter):
            html = selfcheck.render_html(q)
            assert html.startswith('<div class="self-check"')
            assert html.count('aria-live="polite"') == 1
            assert '<button type="button"' in html and "<fieldset" in html and "<legend>" in html
            visible = re.sub(r"<[^>]+>", " ", html)
            assert q.id not in visible and "_questions" not in visible, f"{q.id}: id visible"
            for control in re.findall(r'<(?:input|select)[^>]*id="([^"]+)"', html):
                assert f'for="{control}"' in html, f"{q.id}: control {control} has no label"


def test_an_unknown_question_id_is_rejected_with_its_name():
    with pytest.raises(ValueError, match="foundations-q99"):
        selfcheck.question("foundations-q99")
    with pytest.raises(ValueError, match="chapter"):
        selfcheck.question("Foundations 1")


# --- number answers, recomputed with the package -----------------------------------
# Each number question reads a value off a chart or table at a stated setting; the
# expected value is recomputed here from the package (or its data), not copied from
# the question bank, so a change in a model or a table shows up as a failing key.


def _share(table, scenario):
    row = table.set_index("scenario").loc[scenario]
    return 100 * row["gain_platform"] / (row["gain_platform"] + row["gain_participant"])


def _expected_numbers() -> dict[str, float]:
    from cocreation import coopetition, foundations, ipo, oli, synthesis, typology

    grid = data.load("ipo_power_grid")
    power = grid[(grid["n"] == 150) & (grid["effect"].round(2) == 0.2)]["power"].item()
    strategic = typology.readiness(system_management=4, commercialisation=2, interpersonal=5)
    funnel = oli.funnel_totals(disposition=0.8, engagement=0.8, learning_rate=0.1)
    default = coopetition.scenario_table(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0, power=0.5)
    beta1 = coopetition.scenario_table(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0, power=1.0)
    counts = synthesis.theme_counts()
    # instructor-only items of the bank
    scan = foundations.scan_summary()
    codes = data.load("ipo_evidence_codes")
    power3 = grid[(grid["n"] == 150) & (grid["effect"].round(2) == 0.3)]["power"].item()
    sm5 = typology.readiness(system_management=5, commercialisation=3, interpersonal=1)
    cases = data.load("oli_cases")
    half = oli.funnel_totals(disposition=0.5, engagement=0.5, learning_rate=0.1)
    p_default = default.set_index("scenario")
    return {
        "foundations-q05": foundations.scan_summary().selected,
        "ipo-q07": round(power, 2),  # the chart prints the power with two decimals
        "typology-q05": strategic.set_index("value_type").loc["strategic_coplanning", "score"],
        "oli-q07": funnel[funnel["stage_label"].str.startswith("Commitment")]["expected"].item(),
        "coopetition-q03": _share(default, "P"),
        "coopetition-q06": _share(beta1, "R"),
        "synthesis-q04": counts[counts["basis"] == "stated by a source"]["links"].sum(),
        "foundations-q13": sum(scan.searched.values()),
        "ipo-q09": codes["code"].nunique(),
        "ipo-q12": round(power3, 2),
        "typology-q07": sm5.set_index("value_type").loc["functional", "score"],
        "oli-q08": int(cases["stayed"].sum()),
        "oli-q11": half[half["stage_label"].str.startswith("Expansion")]["expected"].item(),
        "coopetition-q09": p_default.loc["P", "t"],
        "coopetition-q10": 100 * p_default.loc["N", "gap"],
        "synthesis-q08": counts[counts["theme"] == "Dark side"]["links"].sum(),
    }


def test_every_number_answer_is_what_the_package_computes():
    numbers = {q.id: q for c in selfcheck.chapters() for q in selfcheck.questions(c) if q.kind == "number"}
    expected = _expected_numbers()
    assert set(numbers) == set(expected), "a number question has no recomputation here (or one is gone)"
    for qid, value in expected.items():
        q = numbers[qid]
        assert abs(q.answer - float(value)) <= q.tolerance / 2 + 1e-9, f"{qid}: key {q.answer}, package {value}"


def test_the_instructors_bank_lists_every_question_with_its_key_and_no_source_ids():
    for chapter in CHAPTER_PAGES:
        text = selfcheck.bank_markdown(chapter)
        questions = selfcheck.questions(chapter)
        assert text.count("**Key:**") == len(questions)
        assert not re.search(r"Source: 00\d", text)
        public_only = selfcheck.bank_markdown(chapter, include_private=False)
        assert public_only.count("**Key:**") == sum(q.public for q in questions)


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_chapter_has_three_takeaways_for_managers_before_its_exercises(chapter):
    text = page_text(chapter)
    blocks = re.findall(r"^```\{admonition\} For managers[^\n]*\n:class: for-managers\n(.*?)^```", text, re.M | re.S)
    assert len(blocks) == 1, f"{chapter}: {len(blocks)} 'For managers' blocks"
    assert len(re.findall(r"^- ", blocks[0], re.M)) == 3
    assert text.index(":class: for-managers") < text.index("\n## Exercises")


# --- the instructors' bank ---------------------------------------------------------
MIN_BANK = 12


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_every_chapter_bank_has_enough_items_of_the_three_assessment_kinds(chapter):
    qs = selfcheck.questions(chapter)
    assert len(qs) >= MIN_BANK, f"{chapter}: {len(qs)} items, want {MIN_BANK}"
    kinds = Counter(q.kind for q in qs)
    assert kinds["choice"] and kinds["number"] and kinds["short"], f"{chapter}: kinds {dict(kinds)}"
    assert any(not q.public for q in qs), f"{chapter}: no instructor-only item"


def test_short_items_are_instructor_only_with_a_model_answer():
    for q in selfcheck.bank():
        if q.kind == "short":
            assert not q.public and not q.options and len(q.model_answer.split()) >= 10, q.id
        else:
            assert q.model_answer is None, f"{q.id}: a model answer on a {q.kind} item"


def test_bank_summary_counts_every_item_once():
    s = selfcheck.bank_summary()
    assert s.loc["total", "items"] == len(selfcheck.bank()) >= 72
    assert s.loc["total", "public"] == len(selfcheck.bank(include_private=False))
    assert (s[list(selfcheck.KINDS)].sum(axis=1) == s["items"]).all()


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_instructor_bank_markdown_shows_every_key_and_no_heading(chapter):
    text = selfcheck.instructor_bank_markdown(chapter)
    qs = selfcheck.questions(chapter)
    assert text.count("**Key:**") == len(qs)
    assert text.count("**Model answer:**") == sum(q.kind == "short" for q in qs)
    assert not re.search(r"^#", text, re.M), "headings come from the page, not the output"
    assert not re.search(r"Source: 00\d", text)


@pytest.mark.parametrize("chapter", CHAPTER_PAGES)
def test_instructor_bank_renders_every_text_verbatim_as_commonmark(chapter):
    """The page renders the bank as myst-nb renders Markdown output (CommonMark)."""
    import html as _html

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(selfcheck.instructor_bank_markdown(chapter))
    plain = " ".join(_html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
    for q in selfcheck.questions(chapter):
        for text in [q.prompt, q.feedback, q.model_answer or ""] + [o.feedback for o in q.options]:
            assert " ".join(text.split()) in plain, f"{q.id}: {text[:60]!r} is mangled by Markdown"


def test_every_locator_of_a_sourced_item_occurs_in_its_source():
    """As for the data tables: each ';'-separated locator is text of the source (any case).

    The one exception is 'Abstract' for a copy that holds only the abstract (the
    coopetition source: its abstract and keywords, with no heading).
    """
    from conftest import source_text

    for q in selfcheck.bank():
        if q.source in (None, "book"):
            continue
        text = source_text(q.source).lower()
        for part in (p.strip() for p in (q.locator or "").split(";")):
            only_abstract = part == "Abstract" and len(text) < 5000
            assert part and (part.lower() in text or only_abstract), f"{q.id}: locator {part!r} not in source {q.source}"
