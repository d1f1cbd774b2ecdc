"""The exercise index: every exercise declares level, type, Python and time, and the index tells the truth.

"Python needed?" is checked against the exercise's own text: a code cell, a code fence, an
indented code block, a call into the package, or words that ask the reader to write or run
code. The no-code variants of the coding exercises are checked the same way.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from cocreation import data, pages
from conftest import ROOT

EXERCISES = pages.exercises()
IDS = [e["label"] for e in EXERCISES]

#: What makes a task need Python: code, a call into the package, or an instruction to code.
CODE = [
    re.compile(r"^\s*`{3,}", re.M),  # a fenced block or a code cell
    re.compile(r"(?:^|\n\n)(?: {4}|\t)\S"),  # an indented code block after a blank line
    re.compile(r"`(?:cocreation|typology|ipo|oli|foundations|synthesis|coopetition|data)\.\w+[^`]*`"),  # the package
    re.compile(r"`[\w.]+\([^`]*\)`"),  # a call
    re.compile(r"\bwrite (?:a|the) (?:function|stub|code)|\bwrite `|\bmodify the code|\bcomplete the (?:function|stub)", re.I),
    re.compile(r"\b(?:run|runs|running) (?:the |it|your |anything|a |an |\d)", re.I),
    re.compile(r"\bRun the\b"),
    re.compile(r"(?<!without )(?<!no )\bPython\b(?! needed)"),
    re.compile(r"\bthe package\b|\bin code\b", re.I),
]


def asks_for_code(body: str) -> bool:
    # a pointer to the no-code variant is not a request for code
    body = re.sub(r"\(?Without Python, do \{ref\}`\w+` instead\.\)?", "", body)
    return any(p.search(body) for p in CODE)


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_python_needed_matches_the_task(ex):
    assert ex["python"] == asks_for_code(ex["body"]), (
        f"{ex['label']} says Python {'needed' if ex['python'] else 'not needed'}, but its task "
        f"{'does not ask' if ex['python'] else 'asks'} for code"
    )


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_type_level_and_time_parse(ex):
    assert ex["level"] in pages.LEVELS
    assert ex["type"] in pages.TYPES
    assert 1 <= ex["minutes"] <= 120
    assert (ex["type"] == "coding") <= ex["python"], f"{ex['label']} is a coding exercise without Python"


def test_labels_are_unique_and_numbered_per_chapter():
    counts = Counter(IDS)
    assert [k for k, n in counts.items() if n > 1] == []
    chapters = set(data.load("chapters")["id"]) | set(pages.EXTRA_PAGES)
    for ex in EXERCISES:
        assert ex["chapter"] in chapters, ex["label"]
        assert re.fullmatch(rf"{ex['chapter']}_ex[1-9]\d*", ex["label"]), ex["label"]
    for chapter in {e["chapter"] for e in EXERCISES}:
        numbers = sorted(int(e["label"].rsplit("_ex", 1)[1]) for e in EXERCISES if e["chapter"] == chapter)
        assert numbers == list(range(1, len(numbers) + 1)), f"{chapter}: exercise numbers {numbers}"


def test_the_index_lists_every_exercise_once_with_its_columns():
    index = pages.exercise_index("book/reference/exercises")
    assert index.startswith("```{list-table}") and ":header-rows: 1" in index
    rows = [[c.strip() for c in item.split("\n  - ")] for item in index.split("\n* - ")[1:]]
    rows[-1][-1] = rows[-1][-1].removesuffix("```").strip()
    assert rows[0] == ["exercise", "chapter", "level", "type", "Python needed?", "time", "task"]
    assert all(len(r) == 7 for r in rows)
    body = rows[1:]
    assert len(body) == len(EXERCISES)
    for ex in EXERCISES:
        (row,) = [r for r in body if r[0] == f"{{ref}}`{ex['label']}`"]  # numbered as in the chapter
        assert row[2:] == [ex["level"], ex["type"], "yes" if ex["python"] else "no", f"{ex['minutes']} min", ex["task"]]


@pytest.mark.parametrize("ex", EXERCISES, ids=IDS)
def test_task_keeps_maths_and_references_and_ends_cleanly(ex):
    task = ex["task"]
    assert task.count("$") % 2 == 0, f"{ex['label']}: maths cut in half: {task}"
    assert task.count("`") % 2 == 0, f"{ex['label']}: a role or code span cut in half: {task}"
    assert len(task) <= pages.TASK_CHARS + 60
    # a formula cannot wrap, so a long one would widen the table past a projector's column
    assert all(len(m) <= pages.MATH_CHARS for m in re.findall(r"\$[^$]*\$", task)), task
    assert re.search(r"([.?!][)\"”]?|…)$", task), f"{ex['label']}: task ends mid-sentence without '…': {task}"
    # a reference stays a role (rendered by Sphinx), never a bare label
    assert not re.search(r"(?<![`<])\bfig-[\w-]+", task), task
    body_roles = re.findall(r"\{(?:numref|ref|term|doc)\}`[^`]+`", ex["body"])
    for role in re.findall(r"\{(?:numref|ref|term|doc)\}`[^`]+`", task):
        assert role in body_roles


def test_every_coding_exercise_has_a_no_code_variant_in_its_chapter():
    by_label = {e["label"]: e for e in EXERCISES}
    for ex in EXERCISES:
        if not ex["python"]:
            continue
        pointer = re.search(r"Without Python, do \{ref\}`(\w+)` instead", ex["body"])
        assert pointer, f"{ex['label']} needs Python and points to no variant without code"
        variant = by_label[pointer.group(1)]
        assert variant["chapter"] == ex["chapter"] and not variant["python"]
        assert f"{{ref}}`{ex['label']}`" in variant["body"], f"{variant['label']} does not name {ex['label']}"


@pytest.mark.parametrize(
    "body, python",
    [
        ("Write `neighbours(chapter)` that returns a table.", True),
        ("Check with `ipo.power_normal(30, 0.7)`.", True),
        ("Complete the stub:\n\n    x = 1\n", True),
        ("```python\nx = 1\n```", True),
        ("Before you run anything, predict the effect.", True),
        ("Read the scores off the figure and compare them.", False),
        ("This is {ref}`ipo_ex2` without code. Move the sliders.", False),
        ("Answer without Python: follow the arrows.", False),
    ],
)
def test_the_code_detector_itself(body, python):
    assert asks_for_code(body) is python


def test_a_missing_or_malformed_marker_names_page_and_label(tmp_path):
    page = tmp_path / "chapter" / "page.md"
    page.parent.mkdir()
    for marker in ["(Easy.)", "(Easy, coding, no code.)", "(Simple, recall, no code, 5 minutes.)", ""]:
        page.write_text(f"```{{exercise}}\n:label: toy_ex1\n\n{marker} What is one plus one?\n```\n")
        with pytest.raises(ValueError, match=r"chapter/page.*toy_ex1"):
            pages.exercises(tmp_path)
    page.write_text("```{exercise}\n:label: toy_ex1\n\n(Easy, recall, no code, 5 minutes.) What is $1 + 1$?\n```\n")
    (ex,) = pages.exercises(tmp_path)
    assert (ex["level"], ex["type"], ex["python"], ex["minutes"], ex["task"]) == ("Easy", "recall", False, 5, "What is $1 + 1$?")


def test_a_long_task_is_cut_at_a_word_outside_maths():
    body = "(Hard, maths, no code, 30 minutes.) " + "Take $\\alpha + \\beta$ and " * 20 + "stop."
    text = f"```{{exercise}}\n:label: toy_ex1\n\n{body}\n```\n"
    task = pages._task(text.split("minutes.) ", 1)[1].rsplit("\n```", 1)[0])
    assert task.endswith(" …") and task.count("$") % 2 == 0
    assert len(task) <= pages.TASK_CHARS + 2


def test_the_four_week_plan_assigns_no_code_unless_it_says_so():
    text = (ROOT / "book" / "instructors" / "sequences.md").read_text(encoding="utf-8")
    plan = text.split("## A 4-week module", 1)[1].split("### Inside a seminar", 1)[0]
    python = {e["label"] for e in EXERCISES if e["python"]}
    for line in plan.splitlines():
        for label in re.findall(r"\{ref\}`(\w+_ex\d+)`", line):
            if label in python:
                assert re.search(rf"\{{ref\}}`{label}`[^|;]*optional, (?:needs|with) Python", line), (
                    f"the 4-week plan assigns {label}, which needs Python, without marking it optional"
                )
