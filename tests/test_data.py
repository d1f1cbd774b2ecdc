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
