"""CONTRIBUTING's "Add a chapter" steps, followed literally on a copy of the project.

A toy chapter is added by exactly the listed files: its book folder, its package folder,
its tables and schemas, its test file, one line in ``_toc.yml``, one row in
``data/chapters.csv`` (and one in ``data/sources.csv`` for a new source) and its bib
entry. The chapter contract, the toy's own tests and the book build must accept it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.build

IGNORE = shutil.ignore_patterns("_build", ".git", ".pytest_cache", ".hypothesis", "__pycache__", "*.egg-info", ".jupyter_cache")

NOTEBOOK = '''\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# A toy framework

## Overview

A one-slider chapter that shows what a new chapter brings {cite:p}`toy2026`. Its one
term is the {term}`toy slope <Toy slope>`.

By the end of the chapter you will be able to:

- read a line's slope off a chart.

## Prerequisites

None.

```{code-cell} ipython3
:tags: [hide-input]
from cocreation import toy
```

## The line

```{code-cell} ipython3
:tags: [hide-input]
:mystnb:
:  figure:
:    caption: A line whose slope a slider sets.
:    name: fig-toy-line
toy.line_explorer()
```

## Summary

A chapter is added, not woven in.

## Exercises

```{exercise}
:label: toy_ex1

(Easy, recall, no code, 5 minutes.) What is the line's value at x = 1 when the slope is 2?
```

```{solution-start} toy_ex1
:class: dropdown
```

Two.

```{solution-end}
```

## What's next

Back to the {doc}`introduction <../intro>`.
'''

FILES = {
    "book/toy/toy_framework.md": NOTEBOOK,
    "src/cocreation/toy/__init__.py": '''\
        """A toy chapter: one model, one figure, one explorer."""

        from .explorers import EXPLORERS, SLIDERS, line_explorer
        from .model import line
        from .tables import synthesis_facts

        __all__ = ["EXPLORERS", "SLIDERS", "line", "line_explorer", "synthesis_facts"]
        ''',
    "src/cocreation/toy/model.py": '''\
        """The toy model: a straight line through the origin."""

        import numpy as np
        import pandas as pd

        from .. import validate


        def line(slope: float) -> pd.DataFrame:
            """Points of y = slope * x at x = 0, 1, 2.

            >>> line(2.0)["y"].tolist()
            [0.0, 2.0, 4.0]
            """
            slope = validate.number("slope", slope, 0, 3)
            x = np.arange(3.0)
            return pd.DataFrame({"x": x, "y": slope * x})
        ''',
    "src/cocreation/toy/figures.py": '''\
        """The toy chapter's chart."""

        import altair as alt

        from .. import charts  # noqa: F401 - the book's theme and offline renderer


        def line_chart(base: alt.Chart) -> alt.Chart:
            return base.mark_point().encode(x="x:Q", y="y:Q").properties(description="A line", width=300)
        ''',
    "src/cocreation/toy/explorers.py": '''\
        """The toy chapter's explorer, declared once."""

        from ... import widgets
        from .figures import line_chart
        from .model import line

        SLIDERS = [widgets.Param("slope", "Slope", 0, 3, 1, 1)]


        def line_explorer():
            return widgets.static_explorer(line, SLIDERS, line_chart)


        EXPLORERS = (
            widgets.Explorer("toy-line", "toy", tuple(SLIDERS), line_explorer, line, "symbol", ("x",)),
        )
        '''.replace("from ... import", "from .. import"),
    "src/cocreation/toy/tables.py": '''\
        """What the toy chapter gives the synthesis."""


        def synthesis_facts() -> dict[str, str]:
            return {"n_points": "3"}
        ''',
    "data/toy_glossary.csv": "term,definition,source\nToy slope,How steeply the toy line rises.,book\n",
    "data/toy_glossary.schema.yaml": '''\
        title: Glossary candidates of the toy chapter
        description: Terms the toy chapter defines.
        source: book
        licence: "CC BY 4.0 (the book's own table)"
        primary_key: term
        fields:
          - {name: term, type: string, description: "Term"}
          - {name: definition, type: string, description: "One-sentence definition"}
          - {name: source, type: string, description: "Source id or book"}
        ''',
    "tests/test_toy.py": '''\
        from cocreation import toy


        def test_line_rises_by_its_slope():
            assert toy.line(2.0)["y"].diff().dropna().eq(2.0).all()
        ''',
}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def _add_toy_chapter(root: Path) -> None:
    for name, text in FILES.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    anchor = "      - file: book/synthesis/frameworks_compared\n"
    assert anchor in toc
    (root / "_toc.yml").write_text(toc.replace(anchor, "      - file: book/toy/toy_framework\n" + anchor), encoding="utf-8")
    _append(root / "data/chapters.csv", "toy,A toy framework,book/toy/toy_framework,900,A line and its slope\n")
    _append(root / "data/sources.csv", "900,toy2026,Toy (2026),A toy source,no,not in the copy,CC0\n")
    _append(root / "book/references.bib", "@misc{toy2026,\n  title = {A toy source},\n  year = {2026},\n}\n")


@pytest.fixture(scope="module")
def project_with_toy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project") / "book"
    shutil.copytree(ROOT, root, ignore=IGNORE)
    _add_toy_chapter(root)
    return root


def _run(args: list[str], root: Path, timeout: int) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root / "src"), COCREATION_DATA=str(root / "data"),
               COCREATION_BOOK_PDF="0")  # the toy build need not print the whole-book PDF
    env.pop("COCREATION_BOOK_BUILD", None)
    return subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_toy_chapter_meets_the_contract(project_with_toy):
    result = _run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "tests/test_chapter_contract.py",
                   "tests/test_toy.py", "src/cocreation/toy", "-k", "toy or model or 600 or plotting"], project_with_toy, 600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    for check in ("test_page_is_in_the_table_of_contents_and_in_its_folder[toy]", "test_glossary_links_both_ways[toy]",
                  "test_package_exists_and_exports_its_explorers[toy]", "test_toy.py::test_line_rises_by_its_slope"):
        assert f"{check} PASSED" in result.stdout, f"{check} did not pass:\n{result.stdout[-3000:]}"


def test_the_book_builds_with_the_toy_chapter(project_with_toy):
    result = _run(["jupyter-book", "build", ".", "-W", "-n", "--keep-going"], project_with_toy, 1500)
    log = result.stdout + result.stderr
    warnings = [line for line in log.splitlines() if " WARNING: " in line or " ERROR: " in line]
    assert result.returncode == 0 and not warnings, "\n".join(warnings[:20]) + log[-3000:]
    page = (project_with_toy / "_build/html/book/toy/toy_framework.html").read_text(encoding="utf-8")
    assert "cocreation-chart" in page and "toy slope" in page.lower()
