"""Page content generated from ``data/`` at build time (glossary, data catalogue).

A page holds a marker such as ``<!-- cocreation:glossary -->``; the Sphinx extension
replaces it with the MyST text these functions return, so the page always shows what
the data files say.

Examples
--------
>>> text = data_catalogue("book/reference/data")
>>> "{download}`sources.csv <../../data/sources.csv>`" in text
True
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Callable

from . import data, validate

__all__ = ["MARKERS", "glossary_terms", "glossary", "data_catalogue", "exercises", "exercise_index", "expand"]


def _relative(docname: str, target: str) -> str:
    validate.text("docname", docname)
    return posixpath.relpath(target, posixpath.dirname(docname) or ".")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


#: Pages outside ``data/chapters.csv`` that define glossary terms.
EXTRA_PAGES = {"synthesis": ("Frameworks compared", "book/synthesis/frameworks_compared")}


def glossary_terms() -> "pd.DataFrame":
    """Every chapter's terms: the ``<chapter>_glossary`` tables, with a ``chapter`` column.

    Each chapter keeps its terms next to its other data; this is their union.
    """
    import pandas as pd

    frames = []
    for name in data.tables():
        if name.endswith("_glossary"):
            frames.append(data.load(name).assign(chapter=name[: -len("_glossary")]))
    terms = pd.concat(frames, ignore_index=True)
    dupes = terms[terms["term"].str.lower().duplicated()]
    if len(dupes):
        raise ValueError(f"glossary term defined twice: {dupes['term'].tolist()}")
    return terms.sort_values("term", key=lambda s: s.str.lower()).reset_index(drop=True)


def _chapter_page(chapter: str) -> tuple[str, str]:
    chapters = data.load("chapters").set_index("id")
    if chapter in chapters.index:
        return chapters.loc[chapter, "title"], chapters.loc[chapter, "page"]
    return EXTRA_PAGES[chapter]


def glossary(docname: str) -> str:
    """A MyST ``{glossary}`` block of :func:`glossary_terms`."""
    validate.text("docname", docname)
    lines = ["```{glossary}", ""]
    for row in glossary_terms().itertuples():
        title, page = _chapter_page(row.chapter)
        basis = (
            f"source {{cite:p}}`{data.citation_key(row.source)}`"
            if row.source in set(data.load("sources")["id"])
            else "a construct of this book"
        )
        lines += [
            row.term,
            f"  {row.definition} *Defined in* {{doc}}`{title} <{_relative(docname, page)}>`; {basis}.",
            "",
        ]
    lines.append("```")
    return "\n".join(lines)


def data_catalogue(docname: str) -> str:
    """One section per table of ``data/``: description, source, licence, download, columns."""
    validate.text("docname", docname)
    out = []
    for name in data.tables():
        spec = data.schema(name)
        path = next(p for p in (data.data_dir() / f"{name}.csv", data.data_dir() / f"{name}.yaml") if p.exists())
        link = _relative(docname, f"data/{path.name}")
        source = spec["source"]
        where = f"source file `{source}`" if source != "book" else "compiled for this book"
        if spec.get("locator"):
            where += f", {spec['locator']}"
        out += [
            f"### `{name}`",
            "",
            f"**{spec['title']}.** {spec['description'].strip()}",
            "",
            f"- Source: {where}",
            f"- Licence: {spec['licence']}",
            f"- Rows: {len(data.load(name))}; download {{download}}`{path.name} <{link}>`"
            f" and its schema {{download}}`{name}.schema.yaml <{_relative(docname, f'data/{name}.schema.yaml')}>`",
            "",
            "| column | type | description |",
            "|---|---|---|",
        ]
        for f in spec["fields"]:
            kind = f.get("type", "string") + (", optional" if f.get("required", True) is False else "")
            out.append(f"| `{f['name']}` | {kind} | {_cell(f.get('description', ''))} |")
        out.append("")
    return "\n".join(out)


EXERCISE = re.compile(
    r"(?P<fence>`{3,})\{exercise\}(?P<title>[^\n]*)\n(?P<opts>(?::[^\n]*\n)*)\s*(?P<body>.*?)\n(?P=fence)", re.S
)
LEVELS = ("Easy", "Medium", "Hard")
TYPES = ("recall", "application", "explorer", "maths", "discussion", "design", "coding", "extension")
#: The marker that opens every exercise, e.g. ``(Medium, application, no code, 15 minutes.)``.
MARKER = re.compile(
    rf"\((?P<level>{'|'.join(LEVELS)}), (?P<type>{'|'.join(TYPES)}), (?P<python>Python|no code), "
    r"(?P<minutes>[1-9]\d{0,2}) minutes\.\)"
)
#: Pieces of MyST a task must not be cut inside: maths, roles, inline code, emphasis, then words.
_TOKEN = re.compile(r"(?:\$[^$\n]+\$|\{[\w:-]+\}`[^`]+`|`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|\S)+")
TASK_CHARS = 170
MATH_CHARS = 30


def _task(body: str) -> str:
    """The exercise's first sentences as MyST: maths and references kept, cut at a sentence or word."""
    para = []
    for line in body.splitlines():
        if not line.strip() or line.startswith(("```", "    ", ":")) or re.match(r"\s*(\d+\.|[-*]) ", line):
            if para:
                break
            continue
        para.append(line.strip())
    tokens = _TOKEN.findall(" ".join(para))
    out: list[str] = []
    for tok in tokens:
        # a long formula cannot wrap in a table cell: the task stops before it
        if out and (len(" ".join([*out, tok])) > TASK_CHARS or len(max(re.findall(r"\$[^$]*\$", tok), default="")) > MATH_CHARS):
            ends = [j for j, t in enumerate(out) if re.search(r"[.?!][)\"”]?$", t)]
            if ends and len(" ".join(out[: ends[-1] + 1])) >= TASK_CHARS // 2:
                return " ".join(out[: ends[-1] + 1])
            return " ".join(out).rstrip(",;:(") + " …"
        out.append(tok)
    return " ".join(out)


def exercises(book_dir: Path | None = None) -> list[dict]:
    """Every sphinx-exercise in the book's pages, with what its opening marker declares.

    Each exercise opens with ``(<Level>, <type>, <Python|no code>, <N> minutes.)``; a missing or
    malformed marker raises ``ValueError`` naming the page and the label. Returns, per exercise:
    label, chapter, page, level, type, python (bool), minutes, task (MyST) and body (its full text).
    """
    if book_dir is not None and not isinstance(book_dir, (str, Path)):
        raise ValueError(f"book_dir must be a folder (a path), got {book_dir!r}")
    root = Path(book_dir) if book_dir is not None else data.data_dir().parent / "book"
    if not root.is_dir():
        raise ValueError(f"book_dir must be an existing folder, got {str(root)!r}")
    found = []
    for path in sorted(root.rglob("*.md")):
        if "_build" in path.parts:
            continue
        page = path.relative_to(root).with_suffix("").as_posix()
        for match in EXERCISE.finditer(path.read_text(encoding="utf-8")):
            label = re.search(r":label:\s*(\S+)", match.group("opts"))
            if not label:
                raise ValueError(f"page {page}: an exercise has no :label:")
            body = match.group("body").strip()
            marker = MARKER.match(body)
            if not marker:
                raise ValueError(
                    f"page {page}, exercise {label.group(1)}: it must open with "
                    f"'(<{'|'.join(LEVELS)}>, <{'|'.join(TYPES)}>, <Python|no code>, <N> minutes.)', "
                    f"got {body[:60]!r}"
                )
            title = re.sub(r"\s*\((easy|medium|hard)\)\s*$", "", match.group("title").strip(), flags=re.I)
            task = _task(body[marker.end():])
            found.append({
                "label": label.group(1),
                "chapter": label.group(1).split("_ex")[0],
                "page": page,
                "level": marker.group("level"),
                "type": marker.group("type"),
                "python": marker.group("python") == "Python",
                "minutes": int(marker.group("minutes")),
                "task": f"**{title}.** {task}" if title else task,
                "body": body[marker.end():],
            })
    return found


def exercise_index(docname: str) -> str:
    """A table of every exercise, grouped by chapter in book order, linking to each.

    A list table as wide as the column, so the task text wraps instead of leaving the screen.
    """
    validate.text("docname", docname)
    rows = exercises()
    header = ("exercise", "chapter", "level", "type", "Python needed?", "time", "task")
    out = ["```{list-table}", ":header-rows: 1", ":width: 100%", ":widths: 9 13 8 11 8 7 44",
           ":class: exercise-index", "", *[("* - " if i == 0 else "  - ") + h for i, h in enumerate(header)]]
    for chapter in [*data.load("chapters")["id"], *EXTRA_PAGES]:
        title, page = _chapter_page(chapter)
        for ex in (r for r in rows if r["chapter"] == chapter):
            cells = (
                f"{{ref}}`{ex['label']}`", f"{{doc}}`{title} <{_relative(docname, page)}>`",
                ex["level"], ex["type"], "yes" if ex["python"] else "no", f"{ex['minutes']} min", ex["task"],
            )
            out += [("* - " if i == 0 else "  - ") + c.replace("\n", " ") for i, c in enumerate(cells)]
    out.append("```")
    return "\n".join(out)


def _automodule(name: str, level: str) -> list[str]:
    return [f"{level} `{name}`", "", "```{eval-rst}", f".. automodule:: {name}", "   :members:", "```", ""]


def chapter_api(docname: str) -> str:
    """API sections for every chapter of the registry, in book order.

    A chapter package gets its overview and one section per submodule (model first);
    a single-module chapter gets one section.
    """
    import importlib
    import pkgutil

    validate.text("docname", docname)

    lines: list[str] = []
    for row in data.load("chapters").itertuples():
        name = f"cocreation.{row.id}"
        module = importlib.import_module(name)
        lines += [f"### {row.title}: `{name}`", ""]
        if not hasattr(module, "__path__"):
            lines += ["```{eval-rst}", f".. automodule:: {name}", "   :members:", "```", ""]
            continue
        lines += ["```{eval-rst}", f".. automodule:: {name}", "```", ""]
        subs = sorted((m.name for m in pkgutil.iter_modules(module.__path__)), key=lambda m: (not m.startswith("model"), m))
        for sub in subs:
            lines += _automodule(f"{name}.{sub}", "####")
    return "\n".join(lines)


#: Marker in a page -> function of the docname that returns the MyST to put there.
MARKERS: dict[str, Callable[[str], str]] = {
    "<!-- cocreation:glossary -->": glossary,
    "<!-- cocreation:data-tables -->": data_catalogue,
    "<!-- cocreation:exercises -->": exercise_index,
    "<!-- cocreation:chapter-api -->": chapter_api,
}


def expand(docname: str, text: str) -> str:
    """Replace every marker in ``text`` with its generated content.

    >>> expand("book/intro", "no marker here")
    'no marker here'
    >>> expand("book/intro", None)
    Traceback (most recent call last):
    ...
    ValueError: text must be a string, got None
    """
    validate.text("docname", docname)
    validate.text("text", text, empty=True)
    for marker, build in MARKERS.items():
        if marker in text:
            text = text.replace(marker, build(docname))
    return text
