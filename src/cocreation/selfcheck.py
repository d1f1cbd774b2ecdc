"""Self-check questions: each chapter's question bank, and its static HTML.

Questions are data. A chapter keeps two tables, ``<chapter>_questions`` (one row per
question) and ``<chapter>_question_options`` (one row per option, item or step of a
question), loaded through :func:`cocreation.data.load`, which validates their schemas.
The book's Sphinx extension renders a question wherever a page holds a ``self-check``
directive whose argument is the question's id; the page's small vendored script
(``book/_static/selfcheck.js``) checks answers in the browser, with no kernel and no
network. The same tables are the instructors' question bank (``public`` false marks a
question kept off the pages).

Kinds of question:

``choice``
    One option is correct (``correct`` true); every option explains why it is right
    or wrong.
``number``
    A number read off an explorer or computed from the page; ``answer`` within
    ``tolerance``.
``order``
    Put the items in order; each item's ``position`` is its place (1 = first).
``match``
    Pair each item with one of the targets; each item's ``match`` is its target.
``short``
    A short written answer, marked by a teacher against ``model_answer``. Short
    questions are instructor-only (``public`` false): a page cannot mark them.

Examples
--------
>>> q = question("coopetition-q01")
>>> q.kind in KINDS
True
>>> html = render_html(q)
>>> 'class="self-check' in html and 'aria-live="polite"' in html
True
"""

from __future__ import annotations

import html as _html
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from . import data

__all__ = [
    "KINDS",
    "Option",
    "Question",
    "chapters",
    "questions",
    "question",
    "check_bank",
    "render_html",
    "objectives_of",
    "reading_minutes",
    "reading_line",
    "bank_markdown",
    "bank",
    "book_chapters",
    "chapter_title",
    "bank_summary",
    "instructor_bank_markdown",
]

KINDS = ("choice", "number", "order", "match", "short")
ID_PATTERN = re.compile(r"^(?P<chapter>[a-z]+)-q[0-9]{2}$")


@dataclass(frozen=True)
class Option:
    """One option of a choice question, or one item of an order or match question."""

    id: str
    text: str
    feedback: str
    correct: bool = False
    position: int | None = None
    match: str | None = None


@dataclass(frozen=True)
class Question:
    """One self-check question with its options (empty for a number question)."""

    id: str
    chapter: str
    kind: str
    prompt: str
    objective: str
    bloom: str
    difficulty: str
    public: bool
    feedback: str
    hint: str | None = None
    answer: float | None = None
    tolerance: float | None = None
    unit: str | None = None
    section: str | None = None
    source: str | None = None
    locator: str | None = None
    options: tuple[Option, ...] = field(default_factory=tuple)
    model_answer: str | None = None

    @property
    def targets(self) -> list[str]:
        """The targets of a match question, in the order they first appear."""
        seen: list[str] = []
        for o in self.options:
            if o.match and o.match not in seen:
                seen.append(o.match)
        return seen


def chapters() -> list[str]:
    """Chapters that hold a question bank (a ``<chapter>_questions`` table)."""
    return [n[: -len("_questions")] for n in data.tables() if n.endswith("_questions")]


def _none(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA else value


def questions(chapter: str) -> list[Question]:
    """Every question of ``chapter``'s bank, in table order, with its options."""
    rows = data.load(f"{chapter}_questions")
    opts = data.load(f"{chapter}_question_options")
    out = []
    for r in rows.to_dict(orient="records"):
        mine = opts[opts["question"] == r["id"]]
        options = tuple(
            Option(
                id=o["option"],
                text=o["text"],
                feedback=o["feedback"],
                correct=bool(_none(o.get("correct")) or False),
                position=None if _none(o.get("position")) is None else int(o["position"]),
                match=_none(o.get("match")),
            )
            for o in mine.to_dict(orient="records")
        )
        out.append(
            Question(
                id=r["id"], chapter=chapter, kind=r["kind"], prompt=r["prompt"],
                objective=r["objective"], bloom=r["bloom"], difficulty=r["difficulty"],
                public=bool(r["public"]), feedback=r["feedback"], hint=_none(r.get("hint")),
                answer=_none(r.get("answer")), tolerance=_none(r.get("tolerance")),
                unit=_none(r.get("unit")), section=_none(r.get("section")),
                source=_none(r.get("source")), locator=_none(r.get("locator")), options=options,
                model_answer=_none(r.get("model_answer")),
            )
        )
    return out


def question(qid: str) -> Question:
    """The question with id ``qid`` (``<chapter>-qNN``), from its chapter's bank."""
    m = ID_PATTERN.match(qid)
    if not m:
        raise ValueError(f"question id must look like '<chapter>-q01', got {qid!r}")
    chapter = m.group("chapter")
    if chapter not in chapters():
        raise ValueError(f"no question bank for chapter {chapter!r} (question {qid!r})")
    for q in questions(chapter):
        if q.id == qid:
            return q
    raise ValueError(f"unknown question {qid!r} in the {chapter} question bank")


def check_bank(chapter: str) -> list[str]:
    """Problems of one chapter's bank (an empty list when it is sound).

    Rules: ids carry the chapter's name; a choice question has exactly one correct
    option and at least two options; a number question has a finite answer, a
    tolerance > 0 and a hint; an order question numbers its items 1..n; a match
    question has at least two targets; order, match and number questions say what
    went wrong (``hint``); every option explains itself (the schema requires it).
    """
    problems = []
    for q in questions(chapter):
        where = f"{chapter}: {q.id}"
        m = ID_PATTERN.match(q.id)
        if not m or m.group("chapter") != chapter:
            problems.append(f"{where}: id must be '{chapter}-qNN'")
        if q.kind == "choice":
            if len(q.options) < 2:
                problems.append(f"{where}: a choice question needs two options or more")
            if sum(o.correct for o in q.options) != 1:
                problems.append(f"{where}: a choice question needs exactly one correct option")
        elif q.kind == "number":
            if q.options:
                problems.append(f"{where}: a number question has no options")
            if q.answer is None or not math.isfinite(q.answer):
                problems.append(f"{where}: a number question needs a finite answer")
            if q.tolerance is None or not q.tolerance > 0:
                problems.append(f"{where}: a number question needs a tolerance > 0")
        elif q.kind == "order":
            positions = sorted(o.position or 0 for o in q.options)
            if positions != list(range(1, len(q.options) + 1)) or len(q.options) < 3:
                problems.append(f"{where}: an order question numbers three items or more 1..n")
        elif q.kind == "match":
            if any(not o.match for o in q.options) or len(q.targets) < 2:
                problems.append(f"{where}: a match question gives every item a target, two targets or more")
        elif q.kind == "short":
            if q.options:
                problems.append(f"{where}: a short question has no options")
            if not q.model_answer or len(q.model_answer.split()) < 10:
                problems.append(f"{where}: a short question needs a model answer of ten words or more")
            if q.public:
                problems.append(f"{where}: a short question is instructor-only (a page cannot mark it)")
        if q.kind != "short" and q.model_answer:
            problems.append(f"{where}: only a short question has a model answer")
        if q.kind not in ("choice", "short") and not q.hint:
            problems.append(f"{where}: a {q.kind} question needs a hint for a wrong answer")
        if q.kind != "number" and q.answer is not None:
            problems.append(f"{where}: only a number question has an answer")
    return problems


def objectives_of(markdown: str) -> list[str]:
    """The learning objectives of a chapter page: the bullets of its Overview list.

    Markup is dropped (bold, italic and roles such as a glossary term, whose shown
    text is kept) and each bullet is joined onto one line.

    >>> objectives_of("## Overview\\n\\nYou will:\\n\\n- name **two** things;\\n- read a\\n  {term}`map <Map>`.\\n\\n## Next")
    ['name two things;', 'read a map.']
    """
    m = re.search(r"^## Overview\s*$(.*?)^## ", markdown, flags=re.M | re.S)
    if not m:
        return []
    items: list[str] = []
    for line in m.group(1).splitlines():
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
        elif line.startswith("#"):
            break
    return [_plain(i) for i in items]


def _plain(text: str) -> str:
    text = re.sub(r"\{\w+\}`([^`<]*?)\s*(?:<[^>]*>)?`", r"\1", text)
    text = text.replace("**", "").replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


#: Words a reader reads per minute in a technical text (a common planning figure).
WORDS_PER_MINUTE = 200
_FENCE = re.compile(r"^(`{3,}|~{3,})\{(code-cell|self-check)\}.*?^\1\s*$", re.M | re.S)


def reading_minutes(markdown: str) -> int:
    r"""Minutes to read a page's prose, rounded up to 5: code cells and self-checks skipped.

    >>> reading_minutes("word " * 1000)
    5
    >>> reading_minutes("word " * 1001 + "\n```{code-cell} ipython3\n" + "x " * 5000 + "\n```\n")
    10
    """
    text = _FENCE.sub(" ", markdown)
    text = re.sub(r"^---.*?^---", " ", text, count=1, flags=re.M | re.S)
    words = len(re.findall(r"[A-Za-z0-9À-ɏͰ-Ͽ]+", text))
    return max(5, -(-math.ceil(words / WORDS_PER_MINUTE) // 5) * 5)


def reading_line(markdown: str) -> str:
    r"""The line under a chapter's title: reading time and number of self-checks.

    >>> reading_line("word " * 900 + "\n```{self-check} x-q01\n```\n")
    'About 5 minutes of reading, with 1 self-check question.'
    """
    checks = len(re.findall(r"^```\{self-check\}", markdown, flags=re.M))
    line = f"About {reading_minutes(markdown)} minutes of reading"
    if checks:
        line += f", with {checks} self-check question{'s' if checks != 1 else ''}"
    return line + "."


# --- HTML -------------------------------------------------------------------------

def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


KIND_LABEL = {
    "choice": "Choose one answer.",
    "number": "Type a number.",
    "order": "Give each item its place in the order.",
    "match": "Match each item.",
    "short": "Write a short answer.",
}


def render_html(q: Question) -> str:
    """Static HTML of one question; ``selfcheck.js`` checks the answer in the page.

    A ``<fieldset>`` whose ``<legend>`` is the prompt holds labelled radio buttons,
    a labelled number field or labelled drop-down lists; a real ``<button>`` checks;
    the verdict and its explanation appear in an ``aria-live="polite"`` element.
    """
    base = f"sc-{q.id}"
    parts = [
        f'<div class="self-check" id="{_e(base)}" data-kind="{_e(q.kind)}">',
        '<p class="self-check-title">Check your understanding</p>',
        '<fieldset class="self-check-body">',
        f'<legend>{_e(q.prompt)} <span class="self-check-how">{KIND_LABEL[q.kind]}</span></legend>',
    ]
    if q.kind == "choice":
        for i, o in enumerate(q.options):
            oid = f"{base}-o{i}"
            parts.append(
                f'<div class="self-check-option"><input type="radio" name="{_e(base)}" id="{_e(oid)}" '
                f'value="{i}" data-correct="{str(o.correct).lower()}" data-feedback="{_e(o.feedback)}">'
                f' <label for="{_e(oid)}">{_e(o.text)}</label></div>'
            )
    elif q.kind == "number":
        unit = f' <span class="self-check-unit">{_e(q.unit)}</span>' if q.unit else ""
        parts.append(
            f'<div class="self-check-option"><label for="{_e(base)}-n">Your answer</label> '
            f'<input type="text" inputmode="decimal" autocomplete="off" id="{_e(base)}-n" '
            f'data-answer="{q.answer!r}" data-tolerance="{q.tolerance!r}" size="8">{unit}</div>'
        )
    elif q.kind == "short":
        parts.append(
            f'<div class="self-check-option"><label for="{_e(base)}-t">Your answer</label> '
            f'<textarea id="{_e(base)}-t" rows="4" cols="60"></textarea></div>'
        )
    else:
        if q.kind == "order":
            choices = [(str(n), _ordinal(n)) for n in range(1, len(q.options) + 1)]
        else:
            choices = [(t, t) for t in q.targets]
        for i, o in enumerate(q.options):
            sid = f"{base}-s{i}"
            expected = str(o.position) if q.kind == "order" else o.match
            opts = '<option value="">choose…</option>' + "".join(
                f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in choices
            )
            parts.append(
                f'<div class="self-check-option self-check-pair"><label for="{_e(sid)}">{_e(o.text)}</label> '
                f'<select id="{_e(sid)}" data-expected="{_e(expected)}" data-feedback="{_e(o.feedback)}">'
                f"{opts}</select></div>"
            )
    parts += [
        "</fieldset>",
        '<div class="self-check-actions"><button type="button" class="self-check-button">Check</button></div>',
        f'<div class="self-check-feedback" aria-live="polite" data-right="{_e(q.feedback)}" '
        f'data-hint="{_e(q.hint or "")}"></div>',
        "</div>",
    ]
    return "\n".join(parts)


def _key_text(q: Question) -> str:
    if q.kind == "choice":
        return next(o.text for o in q.options if o.correct)
    if q.kind == "number":
        unit = f" {q.unit}" if q.unit else ""
        return f"{q.answer:g}{unit} (accepted within ± {q.tolerance:g})"
    if q.kind == "short":
        return f"(model answer) {q.model_answer}"
    if q.kind == "order":
        return " → ".join(o.text for o in sorted(q.options, key=lambda o: o.position or 0))
    return "; ".join(f"{o.text} → {o.match}" for o in q.options)


def bank_markdown(chapter: str, *, include_private: bool = True) -> str:
    """The chapter's question bank with its answer key, as Markdown for instructors.

    Each question gives its kind, objective, Bloom level, difficulty, where it sits on
    the page (or that it is kept off the page), the key, the explanation, and the
    source passage.

    >>> text = bank_markdown("coopetition")
    >>> text.startswith("# Question bank: coopetition") and "**Key:**" in text
    True
    """
    lines = [f"# Question bank: {chapter}", ""]
    for n, q in enumerate(questions(chapter), start=1):
        if not (q.public or include_private):
            continue
        where = f"on the page after “{q.section}”" if q.public else "kept off the page"
        lines += [
            f"## {n}. {q.prompt}",
            "",
            f"*{q.kind}; objective: {q.objective}; Bloom: {q.bloom}; {q.difficulty}; {where}.*",
            "",
        ]
        if q.kind == "choice":
            lines += [f"- {'✓' if o.correct else '✗'} {o.text}: {o.feedback}" for o in q.options] + [""]
        lines += [f"**Key:** {_key_text(q)}", "", f"**Explanation:** {q.feedback}", ""]
        if q.hint:
            lines += [f"**Hint after a wrong answer:** {q.hint}", ""]
        lines += [f"Source: {_cite(q.source)}, {q.locator}.", ""]
    return "\n".join(lines)


def book_chapters() -> list[str]:
    """Chapters with a bank in the book's order (the chapter registry), then any others.

    >>> book_chapters()[0]
    'foundations'
    """
    order = list(data.load("chapters")["id"])
    have = chapters()
    return [c for c in order if c in have] + sorted(c for c in have if c not in order)


def chapter_title(chapter: str) -> str:
    """A chapter's short title from the chapter registry (its id, capitalised, if absent)."""
    table = data.load("chapters").set_index("id")
    return str(table.loc[chapter, "title"]) if chapter in table.index else chapter.capitalize()


def bank(*, include_private: bool = True) -> list[Question]:
    """Every question of every chapter's bank, chapter by chapter in table order.

    >>> all(q.public for q in bank(include_private=False))
    True
    """
    return [q for ch in book_chapters() for q in questions(ch) if q.public or include_private]


def bank_summary() -> pd.DataFrame:
    """Items per chapter by kind and by audience (public on the page, or instructor-only).

    >>> s = bank_summary()
    >>> int(s.loc["total", "items"]) == len(bank())
    True
    """
    rows = []
    for ch in book_chapters():
        qs = questions(ch)
        row = {"chapter": chapter_title(ch), "items": len(qs), "public": sum(q.public for q in qs),
               "instructor-only": sum(not q.public for q in qs)}
        row.update({k: sum(q.kind == k for q in qs) for k in KINDS})
        rows.append(row)
    table = pd.DataFrame(rows).set_index("chapter")
    table.loc["total"] = table.sum()
    return table.astype(int)


def instructor_bank_markdown(chapter: str) -> str:
    r"""The chapter's whole bank with keys, as Markdown without headings (for a page).

    Each item is a bold numbered prompt, a line of tags, the options with ✓/✗ and
    their feedback, the key (or model answer), the explanation and the source; the
    page around it supplies the headings.

    >>> text = instructor_bank_markdown("ipo")
    >>> text.count("**Key:**") == len(questions("ipo")) and "\n#" not in text
    True
    """
    lines: list[str] = []
    for n, q in enumerate(questions(chapter), start=1):
        where = f"self-check on the page after “{q.section}”" if q.public else "instructor-only"
        lines += [
            f"**{n}. {_md(q.prompt)}**",
            "",
            f"*{KIND_NAME[q.kind]} · {_md(where)} · objective: {_md(q.objective)} · Bloom: {q.bloom} · {q.difficulty}*",
            "",
        ]
        if q.kind == "choice":
            lines += [f"- {'✓' if o.correct else '✗'} {_md(o.text)}: {_md(o.feedback)}" for o in q.options] + [""]
        elif q.kind in ("order", "match"):
            lines += [f"- {_md(o.text)}: {_md(o.feedback)}" for o in q.options] + [""]
        key = f"**Model answer:** {_md(q.model_answer)}" if q.kind == "short" else f"**Key:** {_md(_key_text(q))}"
        if q.kind == "short":
            key = "**Key:** see the model answer.\n\n" + key
        lines += [key, "", f"**Explanation:** {_md(q.feedback)}", ""]
        if q.hint:
            lines += [f"**Hint after a wrong answer:** {_md(q.hint)}", ""]
        lines += [f"Source: {_cite(q.source)}, {_md(q.locator or '')}.", "", "---", ""]
    return "\n".join(lines[:-2])


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>|$#~])")


def _md(text: str) -> str:
    r"""Text with Markdown's (and MyST's) special characters escaped.

    >>> _md("t* = 0.6 [a] $1")
    't\\* = 0.6 \\[a\\] \\$1'
    """
    return _MD_SPECIAL.sub(r"\\\1", text)


KIND_NAME = {"choice": "multiple choice", "number": "numeric", "order": "ordering",
             "match": "matching", "short": "short answer"}


def _cite(source: str | None) -> str:
    """A source as readers cite it: its title in italics, or this book for its own model."""
    if source in (None, "book"):
        return "this book's own model or reading"
    titles = data.load("sources").set_index("id")["title"]
    return f"*{titles[source]}*" if source in titles.index else str(source)


if __name__ == "__main__":  # pragma: no cover - command line
    import sys

    if len(sys.argv) > 1 and sys.argv[1] == "--bank":
        for ch in sys.argv[2:] or chapters():
            print(bank_markdown(ch))
    else:
        for ch in chapters():
            print(ch, len(questions(ch)), check_bank(ch) or "ok")
