"""Every quotation and reported figure in data/ is checked against its source text."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from cocreation import data, provenance
from conftest import ROOT, require_sources, sources_dir

PROVENANCE_TABLES = [n for n in data.tables() if data.schema(n).get("quote_fields") or data.schema(n).get("figure_fields")]


@pytest.fixture(scope="module")
def texts():
    folder = require_sources()
    found = provenance.source_texts(folder)
    assert set(found) >= set(data.load("sources")["id"]), f"missing source files in {folder}"
    return found


@pytest.mark.parametrize("name", PROVENANCE_TABLES)
def test_quotations_and_figures_match_the_source(name, texts):
    problems, counts = provenance.check_table(name, texts)
    print(f"{name}: {counts['quotes']} quotations, {counts['figures']} figures checked")
    assert counts["quotes"] + counts["figures"] > 0
    assert problems == [], "\n".join(problems)


ABSTRACT = "Either the platform or the participant supporting advertising in the alliance prompts a Pareto improvement for all players."


def _table(folder, quote, figure="12", locator="Research output"):
    (folder / "claims.schema.yaml").write_text(
        "title: t\ndescription: d\nsource: '002'\nlicence: x\nquote_fields: [quote]\nfigure_fields: [figure]\n"
        "fields:\n  - {name: quote, type: string}\n  - {name: figure, type: string, required: false}\n"
        "  - {name: source, type: string}\n  - {name: locator, type: string}\n"
    )
    (folder / "claims.csv").write_text(f'quote,figure,source,locator\n"{quote}",{figure},002,{locator}\n')


def test_a_corrupted_quotation_fails_naming_file_row_quote_and_source(tmp_path, texts):
    _table(tmp_path, ABSTRACT.replace("Pareto improvement", "Pareto loss"))
    problems, _ = provenance.check_table("claims", texts, tmp_path)
    assert len(problems) == 1
    message = problems[0]
    assert "claims" in message and "row 1" in message and "Pareto loss" in message and "source 002" in message


def test_a_faithful_quotation_with_an_omission_passes(tmp_path, texts):
    _table(tmp_path, "Either the platform or the participant … prompts a Pareto improvement for all players.")
    assert provenance.check_table("claims", texts, tmp_path)[0] == []


def test_a_figure_absent_from_the_source_fails(tmp_path, texts):
    _table(tmp_path, ABSTRACT, figure="9876")
    problems, _ = provenance.check_table("claims", texts, tmp_path)
    assert any("number 9876 not found" in p for p in problems)


def test_missing_sources_skip_on_a_readers_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("COCREATION_SOURCES", str(tmp_path / "nowhere"))
    assert not sources_dir().exists()


POST_PRINT = "This document is the author’s post-print version, incorporating any revisions agreed during the peer-review process."


@pytest.mark.parametrize(
    "quote, problem",
    [
        (POST_PRINT.replace("’", "?"), "lost character: .* has \\? where the source has ’"),
        (POST_PRINT.replace("’", "\ufffd"), "lost character: .* has U\\+FFFD where the source has ’"),
        (POST_PRINT.replace("version, incorporating", "version; incorporating"), "punctuation differs from the source"),
        (POST_PRINT.replace("peer-review", "peer review"), "punctuation differs from the source"),
        (POST_PRINT.replace("author’s", "authors"), "punctuation differs from the source"),
    ],
)
def test_a_quotation_with_lost_characters_or_changed_punctuation_fails(texts, quote, problem):
    # (data.load already refuses the first two in a table: see tests/test_data_corruption.py)
    problems = provenance.quote_problems(quote, texts["002"])
    assert len(problems) == 1 and re.search(problem, problems[0]), problems


@pytest.mark.parametrize(
    "quote",
    [
        POST_PRINT.replace("’", "'"),  # straight apostrophe
        POST_PRINT.replace("peer-review", "peer–review").replace(" ", "  "),  # dash style, spacing
        POST_PRINT.replace("This document", "this document").rstrip("."),  # case, end of sentence
        "“" + POST_PRINT.replace("post-print", "post-\nprint") + "”",  # quotation marks, line break
        "This document is the author’s post-print version […] agreed during the peer-review process.",
    ],
)
def test_typography_and_layout_do_not_count_as_differences(tmp_path, texts, quote):
    _table(tmp_path, quote)
    assert provenance.check_table("claims", texts, tmp_path)[0] == []


def test_a_figure_cell_without_a_number_fails(tmp_path, texts):
    _table(tmp_path, ABSTRACT, figure="many (our note)")
    problems, _ = provenance.check_table("claims", texts, tmp_path)
    assert len(problems) == 1 and "figure holds no number" in problems[0], problems


def test_folding_ignores_typography_but_keeps_punctuation():
    assert provenance.fold("Eﬀective “co‑creation” — the firm’s ﬁrst\u00a0step") == provenance.fold(
        'effective "co-creation" - the firm\'s first step'
    )
    assert provenance.fold("value, not price") != provenance.fold("value; not price")
    assert provenance.fold("Façade") == "facade"


def test_numbers_in_words_are_figures():
    text = "3.1 Method. Nineteen interviews were held in six companies."
    assert provenance.figure_problems("Nineteen", "3.1", text) == []
    assert provenance.figure_problems("six", "3.1", text) == []
    assert provenance.figure_problems("seven", "3.1", text) == ["number seven not found in the source"]
    assert provenance.figure_problems("Nineteen interviews were held (our note)", "3.1", text) == []
    assert provenance.figure_problems("many", "3.1", text) == ['figure holds no number, and its words "many" are not in the source']


def _copy_with(tmp_path, table: str, change) -> tuple[Path, int]:
    """A copy of data/ where ``change`` edited the first quotation it accepts; (folder, row)."""
    import csv
    import io

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    path = folder / f"{table}.csv"
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    column = records[0].index(data.schema(table)["quote_fields"][0])
    for number, record in enumerate(records[1:], start=1):
        new = change(record[column])
        if new is not None:
            record[column] = new
            break
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    path.write_text(out.getvalue(), encoding="utf-8")
    return folder, number


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda q: q.replace(", ", "; ", 1) if ", " in q else None, "punctuation differs from the source"),
        (lambda q: q.replace(" ", "- ", 1) if " " in q else None, "punctuation differs from the source"),
        (lambda q: q.replace("a", "o", 1) if "a" in q else None, "piece not in source"),
    ],
    ids=["comma-to-semicolon", "added-hyphen", "changed-letter"],
)
def test_an_edited_quotation_in_a_table_fails_naming_its_row(tmp_path, texts, change, problem):
    folder, row = _copy_with(tmp_path, "typology_quotes", change)
    problems, _ = provenance.check_table("typology_quotes", texts, folder)
    assert len(problems) == 1 and f"row {row}, column 'quote'" in problems[0] and problem in problems[0], problems


def test_a_lost_character_in_a_table_fails_at_load_and_in_provenance(tmp_path, texts):
    # what a latin-1 re-save leaves of ‘brain’: ?brain?; the loader refuses the opening "?"
    lose = lambda q: q.replace("‘", "?").replace("’", "?") if "‘" in q else None  # noqa: E731
    folder, row = _copy_with(tmp_path, "typology_quotes", lose)
    with pytest.raises(data.DataError, match=f"row {row}, column 'quote'"):
        data.load("typology_quotes", folder)
    # a closing "?" alone may be a question mark to the loader; provenance still catches it
    quote = data.load("typology_quotes")["quote"].iloc[row - 1]
    assert re.search(r"lost character: .* has \? where the source has ’",
                     provenance.quote_problems(quote.replace("’", "?", 1), texts["001"])[0])
    assert "U+FFFD" in provenance.quote_problems(quote.replace("’", "\ufffd", 1), texts["001"])[0]
