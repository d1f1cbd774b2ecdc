"""The data loader validates every table against its declared schema."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cocreation import data

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", data.tables())
def test_every_table_loads_and_matches_its_schema(name):
    frame = data.load(name)
    spec = data.schema(name)
    assert list(frame.columns) == [f["name"] for f in spec["fields"]]
    assert len(frame) > 0, f"{name} is empty"
    key = spec.get("primary_key")
    if key:
        assert frame[key].is_unique


@pytest.mark.parametrize("name", data.tables())
def test_tables_with_quotes_or_figures_carry_provenance(name):
    spec = data.schema(name)
    if spec.get("quote_fields") or spec.get("figure_fields"):
        frame = data.load(name)
        assert frame["source"].notna().all() and frame["locator"].notna().all()


def test_every_data_file_has_a_schema():
    files = {p.stem for p in (ROOT / "data").iterdir() if p.suffix in (".csv", ".yaml") and not p.name.endswith(".schema.yaml")}
    assert files <= set(data.tables()), f"data files without a schema: {sorted(files - set(data.tables()))}"


def test_readme_documents_every_table():
    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == data.readme(), (
        "data/README.md is stale: run python -m cocreation.data --readme > data/README.md"
    )


def test_datapackage_is_up_to_date():
    assert (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8") == data.datapackage(), (
        "data/datapackage.json is stale: run python -m cocreation.data --datapackage > data/datapackage.json"
    )


def test_datapackage_validates_with_frictionless():
    try:
        import frictionless
    except ImportError:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            raise
        pytest.skip("frictionless is not installed: pip install -r requirements.txt")
    report = frictionless.validate(str(ROOT / "data" / "datapackage.json"))
    errors = [f"{task.name}: {e.message}" for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    assert report.valid, "\n".join(errors[:20])
    assert report.stats["tasks"] == len(data.tables())


def test_datapackage_maps_types_keys_and_licences():
    package = json.loads(data.datapackage())
    resources = {r["name"]: r for r in package["resources"]}
    assert sorted(resources) == data.tables()
    sources = resources["sources"]["schema"]
    assert sources["primaryKey"] == ["id"]
    assert sources["fields"][0]["constraints"] == {"required": True, "pattern": "^[0-9]{3}$"}
    assert resources["sources"]["licenses"][0]["name"] == "CC0-1.0"
    figures = {f["name"]: f for f in resources["oli_figures"]["schema"]["fields"]}
    assert figures["value"]["type"] == "number" and figures["value"]["constraints"]["minimum"] == 0
    assert "required" not in figures["note"].get("constraints", {})
    # a list column is a string whose description says how to split it; its foreign key is described
    codes = {f["name"]: f for f in resources["ipo_evidence"]["schema"]["fields"]}["codes"]
    assert codes["type"] == "string" and "separated by ';'" in codes["description"] and "ipo_evidence_codes" in codes["description"]
    assert all(fk["fields"] != ["codes"] for fk in resources["ipo_evidence"]["schema"].get("foreignKeys", []))
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}} in resources["chapters"]["schema"]["foreignKeys"]


def test_public_functions_name_the_bad_parameter(tmp_path):
    with pytest.raises(data.DataError, match="folder must be an existing folder"):
        data.tables(tmp_path / "missing")
    for call in (data.load, data.schema):
        with pytest.raises(data.DataError, match="folder must be an existing folder"):
            call("sources", tmp_path / "missing")
        with pytest.raises(data.DataError, match="name must be a table name"):
            call("../sources")
        with pytest.raises(data.DataError, match="name must be a table name"):
            call(3)
    with pytest.raises(data.DataError, match="folder must be an existing folder"):
        data.readme(tmp_path / "missing")
    with pytest.raises(data.DataError, match="folder must be a path"):
        data.datapackage(42)
    with pytest.raises(data.DataError, match="path must be an existing data file"):
        data.validate_file(tmp_path / "missing.csv", data.schema("sources"))
    with pytest.raises(ValueError, match="source_id must be one of"):
        data.citation_key(0)
    assert data.tables(tmp_path) == []


def test_citation_keys_of_sources_exist_in_bibliography():
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    for key in data.load("sources")["citation_key"]:
        assert "{" + key + "," in bib
    for row in data.load("sources").itertuples():
        assert data.citation_key(row.id) == row.citation_key and data.source_label(row.id) == row.label


# --- a corrupted copy fails with the file, the row and the column ------------------


@pytest.fixture
def copy_dir(tmp_path):
    for p in (ROOT / "data").glob("sources*"):
        shutil.copy(p, tmp_path / p.name)
    return tmp_path


def _rewrite(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 1, column] = value
    frame.to_csv(path, index=False)


def test_corrupted_enum_names_file_row_and_column(copy_dir):
    _rewrite(copy_dir / "sources.csv", 3, "authors_in_copy", "astrology")
    with pytest.raises(data.DataError) as err:
        data.load("sources", copy_dir)
    message = str(err.value)
    assert "sources.csv" in message and "row 3" in message and "'authors_in_copy'" in message


def test_corrupted_pattern_and_missing_value(copy_dir):
    _rewrite(copy_dir / "sources.csv", 2, "id", "1")
    with pytest.raises(data.DataError, match=r"row 2, column 'id'"):
        data.load("sources", copy_dir)
    shutil.copy(ROOT / "data" / "sources.csv", copy_dir / "sources.csv")
    _rewrite(copy_dir / "sources.csv", 4, "title", "")
    with pytest.raises(data.DataError, match=r"row 4, column 'title'"):
        data.load("sources", copy_dir)


def test_undeclared_column_and_duplicate_key(copy_dir):
    frame = pd.read_csv(copy_dir / "sources.csv", dtype=str)
    frame.assign(extra="x").to_csv(copy_dir / "sources.csv", index=False)
    with pytest.raises(data.DataError, match=r"sources.csv: header, column 'extra': column is not declared"):
        data.load("sources", copy_dir)
    pd.concat([frame, frame.iloc[[0]]]).to_csv(copy_dir / "sources.csv", index=False)
    with pytest.raises(data.DataError, match=r"row 6, column 'id': duplicate key '000'"):
        data.load("sources", copy_dir)


def test_foreign_keys_and_provenance_are_enforced(tmp_path):
    (tmp_path / "a.schema.yaml").write_text(
        "title: A\ndescription: d\nsource: book\nlicence: CC0\nprimary_key: id\n"
        "fields:\n  - {name: id, type: string}\n"
    )
    (tmp_path / "a.csv").write_text("id\nx\ny\n")
    (tmp_path / "b.schema.yaml").write_text(
        "title: B\ndescription: d\nsource: '000'\nlicence: CC BY\nquote_fields: [quote]\n"
        "foreign_keys: [{field: a, table: a}]\n"
        "fields:\n  - {name: a, type: list}\n  - {name: quote, type: string}\n"
        "  - {name: source, type: string}\n  - {name: locator, type: string}\n"
    )
    (tmp_path / "b.csv").write_text("a,quote,source,locator\nx;y,hello,000,Table 1\nx;z,hi,000,Table 1\n")
    with pytest.raises(data.DataError, match=r"b: row 2, column 'a': 'z' is not an 'id' of table 'a'"):
        data.load("b", tmp_path)
    (tmp_path / "b.csv").write_text("a,quote,source,locator\nx,hello,000,\n")
    with pytest.raises(data.DataError, match=r"row 1, column 'locator'"):
        data.load("b", tmp_path)
    (tmp_path / "c.schema.yaml").write_text(
        "title: C\ndescription: d\nsource: '000'\nlicence: CC BY\nfigure_fields: [n]\n"
        "fields:\n  - {name: n, type: integer}\n"
    )
    (tmp_path / "c.csv").write_text("n\n1\n")
    with pytest.raises(data.DataError, match="provenance columns"):
        data.load("c", tmp_path)


def test_load_returns_a_copy():
    first = data.load("sources")
    first.loc[0, "title"] = "changed"
    assert data.load("sources").loc[0, "title"] != "changed"


# --- a schema declaration that contradicts itself is refused, naming the file ---------

BASE_SCHEMA = (
    "title: T\ndescription: d\nsource: book\nlicence: CC0\n{extra}"
    "fields:\n  - {{name: id, type: string}}\n  - {{name: n, type: integer, minimum: 0, maximum: 10}}\n{fields}"
)


def _declare(folder: Path, extra: str = "", fields: str = "", rows: str = "id,n\na,1\nb,10\n") -> None:
    (folder / "t.schema.yaml").write_text(BASE_SCHEMA.format(extra=extra, fields=fields), encoding="utf-8")
    (folder / "t.csv").write_text(rows, encoding="utf-8")


@pytest.mark.parametrize(
    "extra, fields, message",
    [
        ("", "  - {name: id, type: string}\n", "field 'id' is declared twice"),
        ("", "  - {name: x, type: text}\n", "field 'x' has unknown type 'text'"),
        ("", "  - {name: x, enum: []}\n", "field 'x': enum must be a non-empty list"),
        ("", "  - {name: x, enum: abc}\n", "field 'x': enum must be a non-empty list"),
        ("", "  - {name: x, required: 'yes'}\n", "field 'x': required must be true or false"),
        ("", "  - {name: x, type: string, minimum: 1}\n", "field 'x': minimum needs a numeric field"),
        ("", "  - {name: x, type: number, maximum: ten}\n", "field 'x': maximum needs a numeric field"),
        ("", "  - {name: x, type: integer, maximum: true}\n", "field 'x': maximum needs a numeric field"),
        ("", "  - {name: x, pattern: '[a-'}\n", "field 'x': pattern '\\[a-' is not a regular expression"),
        ("", "  - {type: string}\n", "'fields' must be a non-empty list of mappings, each with a 'name'"),
        ("", "  - just a name\n", "'fields' must be a non-empty list of mappings, each with a 'name'"),
        ("min_rows: -1\n", "", "min_rows must be a whole number >= 0"),
        ("min_rows: 1.5\n", "", "min_rows must be a whole number >= 0"),
        ("min_rows: true\n", "", "min_rows must be a whole number >= 0"),
        ("quote_fields: [quote]\n", "", "needs the provenance columns \\['source', 'locator'\\]"),
        ("figure_fields: [n]\n", "  - {name: source}\n  - {name: locator}\n", ""),
        ("quote_fields: [qoute]\n", "  - {name: source}\n  - {name: locator}\n  - {name: quote}\n",
         "quote_fields column 'qoute' is not declared; did you mean 'quote'"),
        ("foreign_keys: [{field: idd, table: t}]\n", "", "foreign-key field 'idd' is not declared; did you mean 'id'"),
        ("foreign_keys: [{field: id}]\n", "", "a foreign key must be a mapping"),
        ("foreign_keys: [{field: id, table: t, on: x}]\n", "", "a foreign key must be a mapping"),
    ],
)
def test_an_inconsistent_declaration_is_refused_naming_the_schema(tmp_path, extra, fields, message):
    if not message:  # a consistent declaration (the control): it loads
        _declare(tmp_path, extra, fields, rows="id,n,source,locator\na,1,000,Table 1\nb,10,000,Table 1\n")
        assert len(data.load("t", tmp_path)) == 2
        return
    _declare(tmp_path, extra, fields)
    with pytest.raises(data.DataError) as err:
        data.load("t", tmp_path)
    assert str(err.value).startswith(f"{tmp_path.resolve() / 't.schema.yaml'}:"), str(err.value)
    assert re_search(message, str(err.value)), str(err.value)


def re_search(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, text) is not None


@pytest.mark.parametrize("fields", ["[]", "{id: string}", "null"])
def test_fields_must_be_a_non_empty_list(tmp_path, fields):
    (tmp_path / "t.schema.yaml").write_text(f"title: T\ndescription: d\nsource: book\nlicence: CC0\nfields: {fields}\n")
    (tmp_path / "t.csv").write_text("id\na\n")
    with pytest.raises(data.DataError, match="'fields' must be a non-empty list"):
        data.load("t", tmp_path)


@pytest.mark.parametrize("key", ["title", "description", "source", "licence", "fields"])
def test_a_schema_lacking_a_required_key_is_refused(tmp_path, key):
    _declare(tmp_path)
    path = tmp_path / "t.schema.yaml"
    lines = path.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    path.write_text("".join(lines[:start] + lines[end:]))
    with pytest.raises(data.DataError, match=f"schema lacks the key '{key}'"):
        data.load("t", tmp_path)


@pytest.mark.parametrize(
    "value, ok",
    [("0", True), ("10", True), ("-1", False), ("11", False), ("10.5", False), ("5", True)],
)
def test_minimum_and_maximum_are_inclusive_bounds(tmp_path, value, ok):
    # the declared [0, 10] of field n: both ends belong to it, nothing outside does
    _declare(tmp_path, rows=f"id,n\na,{value}\n")
    if ok:
        assert data.load("t", tmp_path)["n"].tolist() == [int(value)]
    else:
        with pytest.raises(data.DataError, match="row 1, column 'n'"):
            data.load("t", tmp_path)


def test_min_rows_zero_allows_an_empty_table_and_two_needs_two(tmp_path):
    _declare(tmp_path, "min_rows: 0\n", rows="id,n\n")
    assert data.load("t", tmp_path).empty
    _declare(tmp_path, "min_rows: 3\n")
    with pytest.raises(data.DataError, match="2 data rows; the table needs at least 3"):
        data.load("t", tmp_path)


def test_provenance_columns_are_required_in_a_table_of_quotations_whatever_the_schema_says(tmp_path):
    fields = "  - {name: quote}\n  - {name: source, required: false}\n  - {name: locator, required: false}\n"
    _declare(tmp_path, "quote_fields: [quote]\n", fields, rows="id,n,quote,source,locator\na,1,hello,,Table 1\n")
    with pytest.raises(data.DataError, match="row 1, column 'source': required value is missing"):
        data.load("t", tmp_path)
    # without quotations or figures, "required: false" holds
    _declare(tmp_path, "", fields, rows="id,n,quote,source,locator\na,1,hello,,\n")
    assert data.load("t", tmp_path)["source"].isna().all()
    _declare(tmp_path, "figure_fields: [n]\n", fields, rows="id,n,quote,source,locator\na,1,hello,000,\n")
    with pytest.raises(data.DataError, match="row 1, column 'locator': required value is missing"):
        data.load("t", tmp_path)


def test_an_optional_cell_left_empty_loads_as_missing(tmp_path):
    _declare(tmp_path, "", "  - {name: note, required: false}\n", rows="id,n,note\na,1,\nb,2,x\n")
    note = data.load("t", tmp_path)["note"]
    assert note.isna().tolist() == [True, False] and note[1] == "x"


def test_list_cells_split_on_semicolons(tmp_path):
    _declare(tmp_path, "", "  - {name: tags, type: list}\n", rows='id,n,tags\na,1,"x; y ;;z"\n')
    assert data.load("t", tmp_path)["tags"].tolist() == [["x", "y", "z"]]


def test_foreign_keys_that_form_a_cycle_are_refused(tmp_path):
    for me, other in (("a", "b"), ("b", "a")):
        (tmp_path / f"{me}.schema.yaml").write_text(
            f"title: {me}\ndescription: d\nsource: book\nlicence: CC0\nprimary_key: id\n"
            f"foreign_keys: [{{field: ref, table: {other}, ref: id}}]\n"
            "fields:\n  - {name: id}\n  - {name: ref}\n"
        )
        (tmp_path / f"{me}.csv").write_text("id,ref\nx,x\n")
    with pytest.raises(data.DataError, match="foreign keys form a cycle: a -> b -> a"):
        data.load("a", tmp_path)


def test_a_foreign_key_to_a_column_the_target_lacks_is_refused(tmp_path):
    _declare(tmp_path)
    (tmp_path / "u.schema.yaml").write_text(
        "title: U\ndescription: d\nsource: book\nlicence: CC0\nforeign_keys: [{field: t, table: t, ref: code}]\n"
        "fields:\n  - {name: t}\n"
    )
    (tmp_path / "u.csv").write_text("t\na\n")
    with pytest.raises(data.DataError, match="refers to column 'code', which table 't' does not declare"):
        data.load("u", tmp_path)


def test_a_yaml_table_loads_as_declared_and_refuses_other_shapes(tmp_path):
    _declare(tmp_path)
    (tmp_path / "t.csv").unlink()
    (tmp_path / "t.yaml").write_text("- {id: a, n: 1}\n- {id: b, n: 10}\n")
    assert data.load("t", tmp_path)["n"].tolist() == [1, 10]
    (tmp_path / "t.yaml").write_text("{id: a, n: 1}\n")
    with pytest.raises(data.DataError, match="t.yaml: expected a YAML list of mappings"):
        data.load("t", tmp_path)
    (tmp_path / "t.yaml").write_text("- {id: a, n: 1}\n- [b, 10]\n")
    with pytest.raises(data.DataError, match="t.yaml: expected a YAML list of mappings"):
        data.load("t", tmp_path)
    (tmp_path / "t.yaml").write_text("- {id: a, n: 1}\n- {id: '  ', n: 2}\n")
    with pytest.raises(data.DataError, match="row 2, column 'id': required value is missing"):
        data.load("t", tmp_path)


def test_an_encoding_error_in_a_yaml_file_names_its_line(tmp_path):
    _declare(tmp_path)
    path = tmp_path / "t.schema.yaml"
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = "description: caf\u00e9 notes\n"
    path.write_bytes(("\n" + "".join(lines)).encode("cp1252"))  # a blank first line counts too
    with pytest.raises(data.DataError, match=r"t.schema.yaml: line 3: byte 0xe9 is not valid UTF-8"):
        data.load("t", tmp_path)


def test_an_encoding_error_at_the_start_of_a_cell_names_that_cell(tmp_path):
    _declare(tmp_path, "", "  - {name: note}\n", rows="id,n,note\na,1,plain\nb,2,\u2019quoted\u2019\n")
    (tmp_path / "t.csv").write_bytes((tmp_path / "t.csv").read_text().encode("cp1252"))
    with pytest.raises(data.DataError, match=r"row 2, column 'note': byte 0x92 .* cp1252 \(Windows\)"):
        data.load("t", tmp_path)


def test_a_cache_of_one_folder_does_not_answer_for_another(tmp_path):
    _declare(tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path)
    _declare(tmp_path / "y" if (tmp_path / "y").mkdir() is None else tmp_path, rows="id,n\nc,3\n")
    assert data.load("t", tmp_path / "x")["id"].tolist() == ["a", "b"]
    assert data.load("t", tmp_path / "y")["id"].tolist() == ["c"]


def test_validate_file_refuses_a_spec_that_is_not_a_mapping(tmp_path):
    _declare(tmp_path)
    with pytest.raises(data.DataError, match="spec must be a schema mapping"):
        data.validate_file(tmp_path / "t.csv", ["fields"])
    frame = data.validate_file(tmp_path / "t.csv", data.schema("t", tmp_path))
    assert frame["n"].dtype == "Int64" and frame["id"].tolist() == ["a", "b"]


def test_a_euro_sign_saved_as_cp1252_is_named_as_cp1252(tmp_path):
    # byte 0x80 is € in cp1252 and an unused control character in latin-1
    _declare(tmp_path, "", "  - {name: note}\n", rows="id,n,note\na,1,\u20ac 5\n")
    (tmp_path / "t.csv").write_bytes((tmp_path / "t.csv").read_text().encode("cp1252"))
    with pytest.raises(data.DataError, match=r"row 1, column 'note': byte 0x80 .* saved as cp1252 \(Windows\)"):
        data.load("t", tmp_path)
