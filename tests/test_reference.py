"""Back matter: glossary, citations, exercise index and data catalogue stay in sync with the book."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cocreation import data, pages
from conftest import ROOT, toc_pages

PAGES = {p: (ROOT / f"{p}.md").read_text(encoding="utf-8") for p in toc_pages()}
ALL_TEXT = "\n".join(PAGES.values())
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def _term_target(text: str) -> str:
    m = re.match(r"^(.*?)\s*<([^>]+)>$", text.strip(), re.S)
    return (m.group(2) if m else text).strip().lower()


def test_every_cite_key_exists_in_the_bibliography():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = {k.strip() for group in CITE_ROLE.findall(ALL_TEXT) for k in group.split(",")}
    assert cited, "no citations found"
    assert cited <= keys, f"unknown citation keys: {sorted(cited - keys)}"


def test_exercise_index_lists_every_exercise_label():
    labels = set(re.findall(r"^:label:\s*(\w+_ex\d+)\s*$", ALL_TEXT, re.M))
    index = pages.exercise_index("book/reference/exercises")
    listed = set(re.findall(r"^\* - \{ref\}`(\w+_ex\d+)`$", index, re.M))
    assert labels and listed == labels


# level, type, time and chapter of every exercise: tests/test_exercises.py


def test_data_catalogue_documents_every_table_with_a_download():
    text = pages.data_catalogue("book/reference/data")
    for name in data.tables():
        assert f"### `{name}`" in text
        assert re.search(rf"\{{download\}}`{name}\.(csv|yaml) <\.\./\.\./data/{name}\.(csv|yaml)>`", text), name


def test_generated_pages_follow_the_data(tmp_path, monkeypatch):
    import shutil

    for p in (ROOT / "data").glob("sources*"):
        shutil.copy(p, tmp_path / p.name)
    monkeypatch.setenv("COCREATION_DATA", str(tmp_path))
    text = (tmp_path / "sources.schema.yaml").read_text().replace("title: Source documents", "title: Renamed sources")
    (tmp_path / "sources.schema.yaml").write_text(text)
    assert "**Renamed sources.**" in pages.data_catalogue("book/reference/data")


class TestGlossary:
    def test_every_term_is_referenced_and_every_reference_resolves(self):
        terms = {t.lower() for t in pages.glossary_terms()["term"]}
        used = {_term_target(t) for t in TERM_ROLE.findall(ALL_TEXT)}
        assert used <= terms, f"{{term}} roles without a glossary entry: {sorted(used - terms)}"
        assert terms <= used, f"glossary terms never referenced: {sorted(terms - used)}"

    def test_every_term_names_its_chapter_and_source(self):
        chapters = data.load("chapters").set_index("id")
        for row in pages.glossary_terms().itertuples():
            if row.chapter in chapters.index and row.source != "book":
                assert chapters.loc[row.chapter, "source"] == row.source, row.term
            assert row.source in set(data.load("sources")["id"]) or row.source == "book", row.term

    def test_a_term_defined_twice_is_refused(self, tmp_path, monkeypatch):
        import shutil

        for p in (ROOT / "data").glob("*_glossary*"):
            shutil.copy(p, tmp_path / p.name)
        for p in (ROOT / "data").glob("chapters*"):
            shutil.copy(p, tmp_path / p.name)
        (tmp_path / "ipo_glossary.csv").write_text(
            (tmp_path / "ipo_glossary.csv").read_text() + 'Coopetition,"A duplicate.",000\n'
        )
        monkeypatch.setenv("COCREATION_DATA", str(tmp_path))
        with pytest.raises(ValueError, match="defined twice"):
            pages.glossary_terms()
