"""The student edition: the book without exercise solutions and without instructor pages.

``python -m cocreation.student`` builds it into ``_build/student/html``. It stages a
copy of the book in ``_build/student/src`` and builds that copy with Jupyter Book's Sphinx
call (zero warnings allowed, as for the full book):

- every ``solution-start`` … ``solution-end`` block is removed from the chapter sources,
  so the solutions are in neither the pages, nor the search index, nor the downloadable
  ``.md`` and ``.ipynb`` files (sphinx-exercise's ``hide_solutions`` is also set);
- the instructor pages (guide, sequences, rubrics, teaching notes, exam questions,
  worksheets, the question bank with its instructor-only items) are left out; the guide's
  address holds a one-paragraph page that says where the instructor materials are, so
  the links to it from the introduction still resolve;
- the introduction opens with a note that this is the student edition.

Notebooks share the full build's execution cache (``_build/.jupyter_cache``): pages
whose code is unchanged by the staging come from it; chapters whose solutions held code
cells are executed once and then cached too.

Examples
--------
>>> text = "Before\\n\\n```{solution-start} x_ex1\\n:class: dropdown\\n```\\nSecret.\\n```{solution-end}\\n```\\nAfter\\n"
>>> strip_solutions(text)
'Before\\n\\nAfter\\n'
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import yaml

__all__ = ["SOLUTION", "strip_solutions", "student_toc", "student_config", "stage", "build"]

#: A gated solution, from its ``solution-start`` fence to the end of its ``solution-end``
#: fence (the fences may be longer than three backticks).
SOLUTION = re.compile(
    r"^(?P<fence>`{3,})\{solution-start\}.*?^(?P<end>`{3,})\{solution-end\}[^\n]*\n(?P=end)[ \t]*\n?",
    re.M | re.S,
)
INSTRUCTORS = "book/instructors"
STUB = f"{INSTRUCTORS}/guide"
STUB_TEXT = """# Instructor guide

This is the **student edition** of the book: it leaves out the solutions of the
exercises and the materials for instructors. The instructor guide, with learning
objectives, teaching sequences, activities, rubrics, case teaching notes, exam questions
and the question bank, is in the full edition of the book.
"""
EDITION_NOTE = """
```{note}
This is the student edition of the book. The exercises have no solutions here; ask your
instructor for them, or use the full edition.
```
"""


def strip_solutions(markdown: str) -> str:
    """``markdown`` without its gated solutions (``solution-start`` … ``solution-end``)."""
    return SOLUTION.sub("", markdown)


def student_toc(toc: dict[str, Any]) -> dict[str, Any]:
    """The table of contents without the instructor pages, plus the stub guide at the end."""
    toc = yaml.safe_load(yaml.safe_dump(toc))

    def keep(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for e in entries or []:
            if str(e.get("file", "")).startswith(INSTRUCTORS):
                continue
            if "sections" in e:
                e["sections"] = keep(e["sections"])
                if not e["sections"]:
                    del e["sections"]
            out.append(e)
        return out

    parts = []
    for part in toc.get("parts", []):
        part["chapters"] = keep(part.get("chapters", []))
        if part["chapters"]:
            parts.append(part)
    parts[-1]["chapters"].append({"file": STUB})
    toc["parts"] = parts
    return toc


def student_config(config: dict[str, Any], cache: Path) -> dict[str, Any]:
    """The book's configuration for the student edition: solutions hidden, shared cache."""
    config = yaml.safe_load(yaml.safe_dump(config))
    config["title"] = f"{config.get('title', 'Book')} (student edition)"
    config.setdefault("execute", {})["cache"] = str(cache)
    config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
    return config


def _write(path: Path, text: str | bytes) -> None:
    """Write only when the content changes, so Sphinx rebuilds only what changed."""
    blob = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == blob:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)


def _sync(src: Path, dst: Path, transform=None, skip: tuple[str, ...] = ()) -> set[Path]:
    written = set()
    for path in sorted(p for p in src.rglob("*") if p.is_file()):
        rel = path.relative_to(src)
        if any(rel.as_posix().startswith(s) for s in skip) or "__pycache__" in rel.parts:
            continue
        blob: str | bytes = path.read_bytes()
        if transform and path.suffix == ".md":
            blob = transform(rel, path.read_text(encoding="utf-8"))
        _write(dst / rel, blob)
        written.add(dst / rel)
    return written


def stage(root: Path, out: Path) -> Path:
    """Write the student edition's sources to ``out / "src"`` and return that folder."""
    src = out / "src"
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    intro = toc["root"] + ".md"

    def transform(rel: Path, text: str) -> str:
        text = strip_solutions(text)
        if f"book/{rel.as_posix()}" == intro:
            text = re.sub(r"^(# .+\n)", lambda m: m.group(1) + EDITION_NOTE, text, count=1, flags=re.M)
        return text

    written = _sync(root / "book", src / "book", transform, skip=("instructors/",))
    written |= _sync(root / "data", src / "data")
    _write(src / f"{STUB}.md", STUB_TEXT)
    written.add(src / f"{STUB}.md")
    for stale in [p for p in (src / "book").rglob("*") if p.is_file() and p not in written]:
        stale.unlink()  # a page removed from the book leaves the edition too
    _write(src / "_toc.yml", yaml.safe_dump(student_toc(toc), sort_keys=False, allow_unicode=True))
    cache = (root / "_build" / ".jupyter_cache").resolve()
    _write(src / "_config.yml", yaml.safe_dump(student_config(config, cache), sort_keys=False, allow_unicode=True))
    return src


def _share_cache_stamp(root: Path, src: Path, out: Path) -> None:
    """Let the edition reuse the full build's cache when that cache matches the inputs.

    The book's Sphinx extension clears the execution cache when the package or data
    digest differs from the stamp in the build folder. The edition's build folder gets
    the full build's stamp only when it equals the digest of the staged inputs.
    """
    from . import sphinxext

    main = root / "_build" / sphinxext.HASH_FILE
    if main.exists() and main.read_text() == sphinxext.inputs_digest(src):
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(main, out / sphinxext.HASH_FILE)


def build(root: Path | str = ".", out: Path | str | None = None, *, strict: bool = True) -> int:
    """Stage and build the student edition into ``out / "html"``; return Sphinx's exit code."""
    from jupyter_book.sphinx import build_sphinx

    root = Path(root).resolve()
    out = Path(out).resolve() if out else root / "_build" / "student"
    src = stage(root, out)
    _share_cache_stamp(root, src, out)
    result = build_sphinx(
        src,
        out / "html",
        noconfig=True,
        path_config=str(src / "_config.yml"),
        confoverrides={"external_toc_path": str(src / "_toc.yml"), "nitpicky": strict,
                       "latex_individualpages": False},
        doctreedir=str(out / ".doctrees"),
        builder="html",
        warningiserror=strict,
        keep_going=strict,
    )
    if isinstance(result, Exception):
        raise result
    return int(result)


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - command line
    parser = argparse.ArgumentParser(description="Build the student edition into _build/student/html.")
    parser.add_argument("--root", default=".", help="the book's root folder (default: .)")
    parser.add_argument("--out", default=None, help="build folder (default: ROOT/_build/student)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    code = build(args.root, args.out)
    out = Path(args.out or Path(args.root) / "_build" / "student") / "html"
    print(f"student edition: {out}/index.html ({time.perf_counter() - start:.0f} s, exit code {code})")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
