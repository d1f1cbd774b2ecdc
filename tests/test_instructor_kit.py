"""The instructor kit: teaching notes, the blind OLI handout, exam questions, worksheets.

These are content contracts on the MyST sources; the build test (``test_site.py``) checks
that the pages render with zero warnings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cocreation import data, provenance
from conftest import ROOT, source_text, toc_pages

INSTRUCTORS = ROOT / "book" / "instructors"

TEACHING_NOTES = {
    # page: source id of the case it teaches
    "teaching_note_cosmoplat": "000",
    "teaching_note_huanuo": "001",
    "teaching_note_exporters": "004",
}
REQUIRED_HEADINGS = [
    "Synopsis",
    "Learning objectives",
    "Assignment questions",
    "80-minute plan",
    "Board plan",
    "Analysis",
    "Epilogue",
]
CITATION = re.compile(r"\{cite:[pt]\}`([^`]+)`")
#: Editorial inserts in square brackets are the page's words, not the source's.
INSERT = re.compile(r"\[[^\]]*\]")


def _page(name: str) -> str:
    return (INSTRUCTORS / f"{name}.md").read_text(encoding="utf-8")


def _headings(text: str) -> list[str]:
    return [m.group(2).strip() for m in re.finditer(r"^(#{1,4}) (.+)$", text, re.M)]


def _bib_keys() -> set[str]:
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))


def _quotations(text: str) -> list[str]:
    """Double-quoted passages outside code and directive options."""
    prose = re.sub(r"```.*?```", lambda m: m.group(0) if "dropdown" in m.group(0) else "", text, flags=re.S)
    pieces = prose.split('"')
    assert len(pieces) % 2 == 1, "unbalanced double quotes"
    quoted = [" ".join(q.split()) for q in pieces[1::2]]
    return [q for q in quoted if len(q) >= 12]


def _quote_problems(quote: str, source: str) -> list[str]:
    return provenance.quote_problems(INSERT.sub("…", quote), source)


# --- teaching notes -----------------------------------------------------------------

@pytest.mark.parametrize("page", sorted(TEACHING_NOTES))
def test_teaching_note_is_in_the_toc_under_the_guide(page):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    instructors = next(p for p in toc["parts"] if p["caption"] == "For instructors")
    guide = next(c for c in instructors["chapters"] if c["file"] == "book/instructors/guide")
    assert f"book/instructors/{page}" in [s["file"] for s in guide["sections"]]


@pytest.mark.parametrize("page", sorted(TEACHING_NOTES))
def test_teaching_note_has_the_case_note_shape(page):
    text = _page(page)
    assert text.startswith("# Teaching note: "), "title must read 'Teaching note: …'"
    headings = _headings(text)
    missing = [h for h in REQUIRED_HEADINGS if not any(h.lower() in x.lower() for x in headings)]
    assert not missing, f"{page} lacks headings {missing}"
    # the plan is a timed table
    plan = text.split("## 80-minute plan", 1)[1].split("## Analysis", 1)[0]
    assert "| minutes |" in plan and "0–10" in plan and "–80" in plan


@pytest.mark.parametrize("page", sorted(TEACHING_NOTES))
def test_teaching_note_cites_only_existing_keys_and_its_case_source(page):
    text = _page(page)
    keys = {k.strip() for group in CITATION.findall(text) for k in group.split(",")}
    assert keys <= _bib_keys(), f"unknown bib keys {keys - _bib_keys()}"
    case_key = {"000": "liu2025cosmoplat", "001": "industrialai_cocreation", "004": "cbec2025oli"}
    assert case_key[TEACHING_NOTES[page]] in keys
    # every analysis paragraph that is not marked as the note's reading cites a source
    body = text.split("## Analysis", 1)[1]
    for para in re.split(r"\n\s*\n", body):
        para = " ".join(para.split())
        if not para or para.startswith(("#", "|", "```")) or "Note's interpretation" in para:
            continue
        if para.startswith("- ") or len(para) > 200:
            assert CITATION.search(para), f"uncited analysis paragraph in {page}: {para[:90]}…"


@pytest.mark.parametrize("page", sorted(TEACHING_NOTES))
def test_teaching_note_quotations_are_in_the_source(page):
    source = source_text(TEACHING_NOTES[page])
    problems = {q: p for q in _quotations(_page(page)) if (p := _quote_problems(q, source))}
    assert not problems, f"quotations not found in source {TEACHING_NOTES[page]}: {problems}"


def test_visible_text_has_no_file_names_or_source_labels():
    pages = [p for p in toc_pages() if p.startswith("book/instructors/")]
    for page in pages:
        text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        prose = re.sub(r"\{[a-z:]+\}`[^`]*`|\([a-z0-9-]+\)=", "", text)
        assert not re.search(r"\bsource 00\d\b|\b\w+\.(?:csv|txt|ya?ml)\b", prose, re.I), page


# --- blind OLI handout ----------------------------------------------------------------

def _outcome_phrases() -> list[str]:
    """What the handout must not say: the results and the stay-or-leave decision.

    Derived from the outcome columns of the case table: its result phrases verbatim, and
    for the ``stayed`` column the ways of saying that a firm stayed, left or renewed.
    """
    cases = data.load("oli_cases")
    phrases = []
    for column in ("result_positive", "result_negative"):
        for cell in cases[column]:
            phrases += [p.strip() for p in str(cell).split(";") if p.strip()]
    assert "stayed" in cases.columns
    phrases += [
        "stayed", "opted to stay", "remained on the platform", "renewed", "did not renew",
        "left the platform", "decided to leave", "leave alibaba", "left alibaba", "quit",
    ]
    return phrases


def test_handout_is_linked_from_the_prediction_activity():
    activities = _page("activities")
    oli = activities.split("(act-oli)=", 1)[1].split("(act-coopetition)=", 1)[0]
    assert "oli_case_handout" in oli
    assert "not to\n   scroll" not in oli and "not to scroll" not in oli


def test_handout_describes_all_five_cases():
    text = _page("oli_case_handout")
    for case in "ABCDE":
        assert f"## Case {case}:" in text


def test_handout_leaks_no_outcome():
    text = " ".join(_page("oli_case_handout").split()).lower()
    leaks = [p for p in _outcome_phrases() if re.search(rf"\b{re.escape(p.lower())}\b", text)]
    assert not leaks, f"the blind handout gives away outcomes: {leaks}"
    # and it does not point students to the chapter's case chart or case table
    assert "fig-oli-cases" not in text


def test_handout_quotations_are_in_the_source():
    source = source_text("004")
    problems = {q: p for q in _quotations(_page("oli_case_handout")) if (p := _quote_problems(q, source))}
    assert not problems, problems


# --- exam questions -------------------------------------------------------------------

def _framework_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    frameworks = next(p for p in toc["parts"] if p["caption"] == "Frameworks")
    return [Path(c["file"]).parts[1] for c in frameworks["chapters"]]


def test_every_chapter_is_covered_including_synthesis():
    assert {"foundations", "ipo", "typology", "oli", "coopetition", "synthesis"} <= set(_framework_chapters())


@pytest.mark.parametrize("chapter", ["foundations", "ipo", "typology", "oli", "coopetition", "synthesis"])
def test_each_chapter_has_two_exam_questions_with_a_marking_guide(chapter):
    text = _page("exam_questions")
    rubric_labels = set(re.findall(r"^\((rubric-[a-z]+)\)=", _page("assessment"), re.M))
    for n in (1, 2):
        label = f"(exam-{chapter}-{n})="
        assert label in text, f"missing {label}"
        block = re.split(r"^\(exam-", text.split(label, 1)[1], flags=re.M)[0]
        assert block.lstrip().startswith("### Question"), block[:60]
        guide = block.split("#### Marking guide", 1)
        assert len(guide) == 2, f"exam-{chapter}-{n} has no marking guide"
        used = set(re.findall(r"\{ref\}`(rubric-[a-z]+)`", guide[1]))
        assert used and used <= rubric_labels, f"exam-{chapter}-{n} must name a rubric of the assessment page"
        points = [int(x) for x in re.findall(r"^\|[^|]+\| (\d+) \|", guide[1], re.M)]
        assert sum(points) == 100, f"exam-{chapter}-{n}: points add up to {sum(points)}"


# --- worksheets and discussion answers -----------------------------------------------

def test_one_worksheet_per_activity():
    activities = set(re.findall(r"^\((act-[a-z]+)\)=", _page("activities"), re.M))
    pages = [p for p in toc_pages() if p.startswith("book/instructors/worksheet_")]
    covered = set()
    for page in pages:
        text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        assert text.startswith("# Worksheet: ")
        assert re.search(r"^\|.*\| +\| +\|$", text, re.M), f"{page} has no empty table cells to fill"
        covered |= set(re.findall(r"\{ref\}`(act-[a-z]+)`", text))
    assert activities and activities == covered


def test_every_discussion_question_has_a_folded_model_answer():
    text = _page("activities")
    sections = re.split(r"^### Discussion questions$|^## Across chapters$", text, flags=re.M)[1:]
    assert len(sections) == 6
    for section in sections:
        section = re.split(r"^\(act-", section, flags=re.M)[0]
        questions = re.findall(r"^\d+\. ", section, re.M)
        answers = re.findall(r"^   ```\{dropdown\} Model answer$", section, re.M)
        assert questions and len(answers) == len(questions)
