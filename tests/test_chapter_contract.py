"""The chapter contract: what every chapter of ``data/chapters.csv`` must bring.

A chapter is added, not woven in: its book folder, its package, its tables and schemas,
its test file, one line in ``_toc.yml``, one row in ``chapters.csv`` and its
bibliography entries. These tests read the registry, so a new chapter is checked as
soon as its row exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cocreation import data, pages, registry, widgets
from conftest import ROOT, toc_pages

CHAPTERS = registry.chapter_ids()
SRC = ROOT / "src" / "cocreation"
MAX_LINES = 600
PLOTTING = ("altair", "ipywidgets", "cocreation.charts", "cocreation.widgets")


def _page_text(chapter: str) -> str:
    return (ROOT / f"{registry.chapter(chapter)['page']}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", CHAPTERS)
class TestChapter:
    def test_page_is_in_the_table_of_contents_and_in_its_folder(self, chapter):
        page = registry.chapter(chapter)["page"]
        assert page in toc_pages(), f"{page} is not in _toc.yml"
        assert page.startswith(f"book/{chapter}/"), f"{page} is not in book/{chapter}/"

    def test_package_exists_and_exports_its_explorers(self, chapter):
        module = registry.module(chapter)
        assert hasattr(module, "EXPLORERS"), f"cocreation.{chapter} exports no EXPLORERS"
        for entry in module.EXPLORERS:
            assert isinstance(entry, widgets.Explorer)
            assert entry.sliders and entry.key and entry.marktype
        assert callable(getattr(module, "synthesis_facts", None)), f"cocreation.{chapter} has no synthesis_facts()"

    def test_owns_tables_with_schemas_that_load(self, chapter):
        owned = registry.tables_of(chapter)
        assert owned, f"no data/{chapter}_*.csv table"
        for name in owned:
            assert len(data.load(name)) > 0, f"{name} is empty"

    def test_has_its_own_test_file(self, chapter):
        assert (ROOT / "tests" / f"test_{chapter}.py").exists()

    def test_exercises_have_labels_and_folded_solutions(self, chapter):
        text = _page_text(chapter)
        labels = re.findall(r"```\{exercise\}[^\n]*\n:label: (\S+)", text)
        assert labels, "the chapter has no exercise"
        for label in labels:
            assert label.startswith(f"{chapter}_ex"), label
            assert re.search(r"```\{solution-start\} " + re.escape(label) + r"\n:class: dropdown", text), (
                f"{label} has no folded solution"
            )

    def test_glossary_links_both_ways(self, chapter):
        terms = pages.glossary_terms()
        own = set(terms.loc[terms["chapter"] == chapter, "term"])
        assert own, f"no terms in data/{chapter}_glossary.csv"
        # {term}`Text` or {term}`shown text <Term>`; Sphinx matches terms case-insensitively
        roles = re.findall(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`", _page_text(chapter))
        used = {(target or text).strip().lower() for text, target in roles}
        assert used & {t.lower() for t in own}, f"the page links none of its glossary terms ({sorted(own)[:3]}, ...)"
        page = registry.chapter(chapter)["page"].removeprefix("book/")
        assert f"<{page}>" in pages.glossary("book/glossary"), "the glossary does not link back to the chapter"

    def test_cites_its_source_which_the_bibliography_holds(self, chapter):
        key = data.citation_key(registry.chapter(chapter)["source"])
        bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
        assert re.search(r"@\w+\{" + re.escape(key) + ",", bib), f"{key} is not in book/references.bib"
        assert re.search(r"\{cite:[pt]\}`[^`]*\b" + re.escape(key) + r"\b", _page_text(chapter)), (
            f"the page never cites {key}"
        )


def _python_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_is_over_600_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (split it by job)"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the package
                package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[: -node.level])
                base = f"{package}.{base}" if base else package
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return found


MODEL_FILES = sorted(SRC.glob("*/model*.py"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_model_code_imports_no_plotting_library(path):
    bad = {name for name in _imports(path) if name.split(".")[0] in PLOTTING or name.startswith(PLOTTING)}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_every_model_chapter_has_a_model_module():
    for chapter in CHAPTERS:
        package = SRC / chapter
        if package.is_dir():
            assert list(package.glob("model*.py")), f"src/cocreation/{chapter}/ has no model module"


def _visible_code_cells(text: str) -> list[int]:
    """Line numbers of code cells outside solutions that a reader would see unfolded."""
    lines, shown, in_solution = text.split("\n"), [], False
    for i, line in enumerate(lines):
        if line.startswith("```{solution-start}"):
            in_solution = True
        elif line.startswith("```{solution-end}"):
            in_solution = False
        elif re.match(r"^`{3,}\{code-cell\}", line) and not in_solution:
            meta = []
            for follow in lines[i + 1:]:
                if not follow.startswith(":"):
                    break
                meta.append(follow)
            if not any(re.search(r"hide-input|remove-input|remove-cell|hide-cell", m) for m in meta):
                shown.append(i + 1)
    return shown


PAGES_WITH_CODE = [registry.chapter(c)["page"] for c in CHAPTERS] + ["book/synthesis/frameworks_compared"]


@pytest.mark.parametrize("page", PAGES_WITH_CODE)
def test_students_see_prose_not_plumbing_code(page):
    """Outside solutions, every code cell of a chapter is folded (one click away) or removed."""
    shown = _visible_code_cells((ROOT / f"{page}.md").read_text(encoding="utf-8"))
    assert not shown, f"{page}.md shows code cells at lines {shown}: tag them hide-input"
