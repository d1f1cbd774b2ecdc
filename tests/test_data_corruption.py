"""A corrupted copy of data/ fails with a DataError naming the file (and the row and the
column where they apply), or loads exactly the same data: never silently different data.

Each corruption below is one that happens to real CSV files: an editor re-saving in
another encoding, a spreadsheet swapping columns, a stray comma, a typo in a schema.
The expected row and column are worked out here from the original file, not from the
loader.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from cocreation import data

ROOT = Path(__file__).resolve().parents[1]
IDENTICAL = None


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(ROOT / "data", dest)
    return dest


def _records(folder: Path, table: str) -> list[list[str]]:
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return [r for r in csv.reader(fh) if r]


def _write_records(folder: Path, table: str, records: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    (folder / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8")


def _text(folder: Path, file: str) -> str:
    return (folder / file).read_text(encoding="utf-8")


def _set_cell(folder: Path, table: str, row: int, column: str, value: str) -> None:
    records = _records(folder, table)
    records[row][records[0].index(column)] = value
    _write_records(folder, table, records)


def _first_cell(folder: Path, table: str, test: Callable[[str], bool]) -> tuple[int, str]:
    """(1-based data row, column) of the first cell, in file order, for which ``test`` holds."""
    records = _records(folder, table)
    for number, record in enumerate(records[1:], start=1):
        for column, value in zip(records[0], record):
            if test(value):
                return number, column
    raise AssertionError(f"no such cell in {table}")


def _reencode(encoding: str) -> Callable[[str], bool]:
    """A cell holding a non-ASCII character that ``encoding`` writes as a non-ASCII byte."""

    def test(value: str) -> bool:
        for ch in value:
            try:
                if ord(ch) > 127 and ch.encode(encoding)[0] > 127:
                    return True
            except UnicodeEncodeError:
                pass
        return False

    return test


# --- the corruptions: each returns (table, file, fragments the message must hold) ----


def empty_file(folder):
    (folder / "sources.csv").write_text("", encoding="utf-8")
    return "sources", "sources.csv", ["the file is empty"]


def blank_lines_only(folder):
    (folder / "sources.csv").write_text("\n  \n\n", encoding="utf-8")
    return "sources", "sources.csv", ["the file is empty"]


def cp1252_resave(folder):
    row, column = _first_cell(folder, "oli_quotes", _reencode("cp1252"))
    text = _text(folder, "oli_quotes.csv")
    (folder / "oli_quotes.csv").write_bytes(text.encode("cp1252", errors="replace"))
    return "oli_quotes", "oli_quotes.csv", [f"row {row}, column '{column}'", "not valid UTF-8", "re-save it as UTF-8"]


def latin1_resave_with_latin1_characters(folder):
    row, column = _first_cell(folder, "oli_quotes", _reencode("latin-1"))
    text = _text(folder, "oli_quotes.csv")
    (folder / "oli_quotes.csv").write_bytes(text.encode("latin-1", errors="replace"))
    return "oli_quotes", "oli_quotes.csv", [f"row {row}, column '{column}'", "re-save it as UTF-8"]


def latin1_resave_turning_quotes_into_question_marks(folder):
    # typology_quotes holds only ‘ and ’ beyond ASCII: latin-1 turns them into '?' and
    # the file is still valid UTF-8.
    text = _text(folder, "typology_quotes.csv")
    assert {c for c in text if ord(c) > 127} == {"‘", "’"}
    row, column = _first_cell(folder, "typology_quotes", lambda v: "‘" in v or "’" in v)
    (folder / "typology_quotes.csv").write_bytes(text.encode("latin-1", errors="replace"))
    return "typology_quotes", "typology_quotes.csv", [f"row {row}, column '{column}'", "a '\\?' stands where"]


def curly_quotes_turned_into_question_marks(folder):
    # a word quoted in “ ” after a latin-1 re-save ("?" for each mark), the rest intact
    row, column = 3, "quote"
    records = _records(folder, "typology_quotes")
    i = records[0].index(column)
    words = records[row][i].split(" ")
    assert "“word”".encode("latin-1", errors="replace") == b"?word?"
    words[1] = f"?{words[1]}?"
    records[row][i] = " ".join(words)
    _write_records(folder, "typology_quotes", records)
    return "typology_quotes", "typology_quotes.csv", [f"row {row}, column '{column}'", "a '\\?' stands where"]


def apostrophe_turned_into_question_mark(folder):
    row, column = _first_cell(folder, "oli_cases", lambda v: "’" in v)
    records = _records(folder, "oli_cases")
    i = records[0].index(column)
    records[row][i] = records[row][i].replace("’", "?")
    _write_records(folder, "oli_cases", records)
    return "oli_cases", "oli_cases.csv", [f"row {row}, column '{column}'", "a '\\?' stands where"]


def replacement_character(folder):
    row, column = _first_cell(folder, "oli_quotes", lambda v: "’" in v)
    (folder / "oli_quotes.csv").write_text(_text(folder, "oli_quotes.csv").replace("’", "\ufffd"), encoding="utf-8")
    return "oli_quotes", "oli_quotes.csv", [f"row {row}, column '{column}'", "U\\+FFFD"]


def utf16(folder):
    (folder / "oli_quotes.csv").write_bytes(_text(folder, "oli_quotes.csv").encode("utf-16"))
    return "oli_quotes", "oli_quotes.csv", ["UTF-16", "re-save it as UTF-8"]


def utf16_without_bom(folder):
    (folder / "sources.csv").write_bytes(_text(folder, "sources.csv").encode("utf-16-le"))
    return "sources", "sources.csv", ["UTF-16", "re-save it as UTF-8"]


def row_with_an_extra_field(folder):
    lines = _text(folder, "sources.csv").splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\r\n") + ",stray\n"
    (folder / "sources.csv").write_text("".join(lines), encoding="utf-8")
    return "sources", "sources.csv", ["row 2, column 'licence'", "8 fields where the header has 7"]


def row_with_a_missing_field(folder):
    records = _records(folder, "sources")
    records[3] = records[3][:-1]
    _write_records(folder, "sources", records)
    return "sources", "sources.csv", ["row 3, column 'licence'", "6 fields where the header has 7"]


def unclosed_yaml_in_schema(folder):
    path = folder / "sources.schema.yaml"
    path.write_text(_text(folder, "sources.schema.yaml").replace("primary_key: id", "primary_key: [id"), encoding="utf-8")
    return "sources", "sources.schema.yaml", [r"line \d+, column \d+: invalid YAML"]


def tab_indented_schema(folder):
    path = folder / "oli_figures.schema.yaml"
    path.write_text(_text(folder, "oli_figures.schema.yaml").replace("  - {name: id", "\t- {name: id"), encoding="utf-8")
    return "oli_figures", "oli_figures.schema.yaml", [r"line \d+, column \d+: invalid YAML"]


def misspelt_primary_key(folder):
    path = folder / "sources.schema.yaml"
    path.write_text(_text(folder, "sources.schema.yaml").replace("primary_key: id", "primary_key: idd"), encoding="utf-8")
    return "sources", "sources.schema.yaml", ["primary_key 'idd' is not declared; did you mean 'id'"]


def misspelt_schema_key(folder):
    path = folder / "sources.schema.yaml"
    path.write_text(_text(folder, "sources.schema.yaml").replace("primary_key: id", "primary_kye: id"), encoding="utf-8")
    return "sources", "sources.schema.yaml", ["schema key 'primary_kye' is not declared; did you mean 'primary_key'"]


def misspelt_field_key(folder):
    path = folder / "oli_figures.schema.yaml"
    path.write_text(_text(folder, "oli_figures.schema.yaml").replace("minimum: 0", "minimun: 0"), encoding="utf-8")
    return "oli_figures", "oli_figures.schema.yaml", ["field 'value': key 'minimun' is not declared; did you mean 'minimum'"]


def _number(value):
    def corrupt(folder):
        _set_cell(folder, "oli_figures", 2, "value", value)
        return "oli_figures", "oli_figures.csv", ["row 2, column 'value'"]

    corrupt.__name__ = f"number_field_holds_{value}"
    return corrupt


def _swap(table, a, b):
    def corrupt(folder):
        records = _records(folder, table)
        header = records[0]
        i, j = header.index(a), header.index(b)
        header[i], header[j] = header[j], header[i]
        _write_records(folder, table, records)
        return table, f"{table}.csv", [f"header, column '{b}'", "not in the schema's order", "swapped"]

    corrupt.__name__ = f"headers_{a}_and_{b}_swapped"
    return corrupt


def _blank(value):
    def corrupt(folder):
        _set_cell(folder, "sources", 2, "title", value)
        return "sources", "sources.csv", ["row 2, column 'title'", "required value is missing"]

    corrupt.__name__ = f"required_cell_holds_{value.encode('unicode_escape').decode()}"
    return corrupt


def header_only(folder):
    (folder / "sources.csv").write_text(_text(folder, "sources.csv").splitlines()[0] + "\n", encoding="utf-8")
    return "sources", "sources.csv", ["0 data rows; the table needs at least 1"]


def declared_column_missing(folder):
    records = _records(folder, "sources")
    i = records[0].index("venue_in_copy")
    _write_records(folder, "sources", [r[:i] + r[i + 1:] for r in records])
    return "sources", "sources.csv", ["header, column 'venue_in_copy': declared column is missing"]


def undeclared_column(folder):
    records = _records(folder, "oli_figures")
    _write_records(folder, "oli_figures", [records[0] + ["comment"]] + [r + ["x"] for r in records[1:]])
    return "oli_figures", "oli_figures.csv", ["header, column 'comment': column is not declared"]


def duplicate_header(folder):
    records = _records(folder, "sources")
    records[0][records[0].index("venue_in_copy")] = "title"
    _write_records(folder, "sources", records)
    return "sources", "sources.csv", ["header, column 'title': the column appears twice"]


def unbalanced_quote(folder):
    lines = _text(folder, "sources.csv").splitlines(keepends=True)
    lines[2] = lines[2].replace(",", ',"x"y', 1)
    (folder / "sources.csv").write_text("".join(lines), encoding="utf-8")
    return "sources", "sources.csv", ["line 3: malformed CSV"]


# --- harmless changes load the same data ------------------------------------------


def utf8_bom(folder):
    (folder / "oli_quotes.csv").write_bytes(b"\xef\xbb\xbf" + (folder / "oli_quotes.csv").read_bytes())
    return "oli_quotes", "oli_quotes.csv", IDENTICAL


def crlf_line_endings(folder):
    (folder / "sources.csv").write_bytes(_text(folder, "sources.csv").replace("\n", "\r\n").encode("utf-8"))
    return "sources", "sources.csv", IDENTICAL


def trailing_blank_lines(folder):
    (folder / "sources.csv").write_text(_text(folder, "sources.csv") + "\n\n", encoding="utf-8")
    return "sources", "sources.csv", IDENTICAL


def whitespace_in_an_optional_cell(folder):
    records = _records(folder, "oli_figures")
    i = records[0].index("note")
    row = next(n for n, r in enumerate(records[1:], start=1) if r[i] == "")
    records[row][i] = "  "
    _write_records(folder, "oli_figures", records)
    return "oli_figures", "oli_figures.csv", IDENTICAL


CORRUPTIONS = [
    empty_file, blank_lines_only, cp1252_resave, latin1_resave_with_latin1_characters,
    latin1_resave_turning_quotes_into_question_marks, curly_quotes_turned_into_question_marks,
    apostrophe_turned_into_question_mark,
    replacement_character, utf16, utf16_without_bom, row_with_an_extra_field,
    row_with_a_missing_field, unclosed_yaml_in_schema, tab_indented_schema, misspelt_primary_key,
    misspelt_schema_key, misspelt_field_key, *[_number(v) for v in ("inf", "Infinity", "-inf", "nan", "NaN", "1e999")],
    _swap("sources", "title", "venue_in_copy"), _swap("oli_quotes", "role", "quote"),
    _swap("oli_figures", "label", "unit"),
    *[_blank(v) for v in (" ", "\t ", "\u00a0")], header_only, declared_column_missing,
    undeclared_column, duplicate_header, unbalanced_quote,
    utf8_bom, crlf_line_endings, trailing_blank_lines, whitespace_in_an_optional_cell,
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__)
def test_a_corruption_fails_naming_file_row_and_column_or_loads_identical_data(folder, corrupt):
    table, file, expected = corrupt(folder)
    if expected is IDENTICAL:
        pd.testing.assert_frame_equal(data.load(table, folder), data.load(table))
        return
    with pytest.raises(data.DataError) as err:
        data.load(table, folder)
    message = str(err.value)
    assert message.startswith(f"{folder.resolve() / file}:"), message
    for fragment in expected:
        assert re.search(fragment, message), f"{fragment!r} not in {message!r}"


def test_a_header_only_table_loads_when_its_schema_allows_no_rows(folder):
    (folder / "sources.csv").write_text(_text(folder, "sources.csv").splitlines()[0] + "\n", encoding="utf-8")
    schema = folder / "sources.schema.yaml"
    schema.write_text(_text(folder, "sources.schema.yaml") + "min_rows: 0\n", encoding="utf-8")
    frame = data.load("sources", folder)
    assert frame.empty and list(frame.columns) == [f["name"] for f in data.schema("sources")["fields"]]


# --- the cache follows the files ---------------------------------------------------


def test_an_edited_table_is_read_again(folder):
    path = folder / "sources.csv"
    before = data.load("sources", folder).loc[0, "title"]
    stat = path.stat()
    # same size, later modification time
    _set_cell(folder, "sources", 1, "title", before[::-1])
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert path.stat().st_size == stat.st_size
    assert data.load("sources", folder).loc[0, "title"] == before[::-1]
    # other size, same modification time
    _set_cell(folder, "sources", 1, "title", before + " (edited)")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert data.load("sources", folder).loc[0, "title"] == before + " (edited)"


def test_an_edited_schema_is_read_again(folder):
    assert data.load("oli_figures", folder) is not None
    schema = folder / "oli_figures.schema.yaml"
    schema.write_text(_text(folder, "oli_figures.schema.yaml").replace("minimum: 0", "minimum: 1000000000"), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"row 1, column 'value'"):
        data.load("oli_figures", folder)


def test_a_foreign_key_is_checked_against_the_edited_target(folder):
    data.load("chapters", folder)
    records = _records(folder, "sources")
    records[1][0] = "999"
    _write_records(folder, "sources", records)
    with pytest.raises(data.DataError, match=r"chapters: row \d+, column 'source': '000' is not an 'id' of table 'sources'"):
        data.load("chapters", folder)
