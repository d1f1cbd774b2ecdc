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
DIFFICULTY = re.compile(r"\((?P<level>Easy|Medium|Hard)(?P<rest>[^)]*)\)", re.I)


def exercises(book_dir: Path | None = None) -> list[dict[str, str]]:
    """Every sphinx-exercise in the book's pages: label, chapter, difficulty, kind, prompt.

    The difficulty comes from the marker that opens each exercise, e.g. ``(Medium,
    coding.)``; an exercise without one raises ``ValueError``.
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
        for match in EXERCISE.finditer(path.read_text(encoding="utf-8")):
            label = re.search(r":label:\s*(\S+)", match.group("opts"))
            if not label:
                raise ValueError(f"{path}: an exercise has no :label:")
            title = match.group("title").strip()
            body = match.group("body").strip()
            level = DIFFICULTY.search(title) or DIFFICULTY.search(body[:80])
            if not level:
                raise ValueError(f"{path}: exercise {label.group(1)} does not open with (Easy|Medium|Hard ...)")
            if title:
                prompt = DIFFICULTY.sub("", title).strip()
            else:
                prompt = re.sub(r"\s+", " ", body[level.end():]).strip(" *.")
            prompt = re.sub(r"\{[\w:-]+\}`([^`<]*)(?:<[^`]*>)?`", r"\1", prompt)
            prompt = re.sub(r"[`*$\\{}]", "", prompt)
            found.append({
                "label": label.group(1),
                "chapter": label.group(1).split("_ex")[0],
                "difficulty": level.group("level").capitalize(),
                "kind": "coding" if "coding" in level.group("rest").lower() else (
                    "extension" if "extension" in level.group("rest").lower() else "conceptual"),
                "prompt": prompt[:90] + ("…" if len(prompt) > 90 else ""),
            })
    return found


def exercise_index(docname: str) -> str:
    """A table of every exercise, grouped by chapter in book order, linking to each."""
    validate.text("docname", docname)
    rows = exercises()
    out = ["| exercise | chapter | level | task |", "|---|---|---|---|"]
    for chapter in [*data.load("chapters")["id"], *EXTRA_PAGES]:
        title, page = _chapter_page(chapter)
        for ex in (r for r in rows if r["chapter"] == chapter):
            number = ex["label"].rsplit("_ex", 1)[1]
            out.append(
                f"| {{ref}}`Exercise {number} <{ex['label']}>` | {{doc}}`{title} <{_relative(docname, page)}>` | "
                f"{ex['difficulty']}, {ex['kind']} | {_cell(ex['prompt'])} |"
            )
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
