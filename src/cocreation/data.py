"""Load the book's data tables and validate them against their declared schemas.

Every table in ``data/`` is a pair of files: ``<name>.csv`` (or ``<name>.yaml``)
holding the rows, and ``<name>.schema.yaml`` declaring its columns, their types and
constraints, where the rows come from and under which licence. :func:`load` builds a
pydantic model from the declaration and validates every row with it, so a malformed
file fails with the file, the row and the column.

Examples
--------
>>> from cocreation import data
>>> "sources" in data.tables()
True
>>> data.load("sources")["citation_key"].tolist()[:2]
['liu2025cosmoplat', 'industrialai_cocreation']
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Literal, Optional

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

__all__ = ["DataError", "data_dir", "tables", "schema", "load", "validate_file", "citation_key", "source_label", "readme"]

_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "list": list[str],
}
PROVENANCE_FIELDS = ("source", "locator")


class DataError(ValueError):
    """A data file that does not match its schema (names file, row and column)."""


def data_dir() -> Path:
    """Return the folder that holds the tables.

    ``COCREATION_DATA`` overrides it; otherwise it is the repository's ``data/``.
    """
    env = os.environ.get("COCREATION_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


def tables(folder: Path | None = None) -> list[str]:
    """Names of all declared tables, sorted."""
    folder = Path(folder) if folder else data_dir()
    return sorted(p.name[: -len(".schema.yaml")] for p in folder.glob("*.schema.yaml"))


def schema(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The parsed schema declaration of table ``name``."""
    folder = Path(folder) if folder else data_dir()
    path = folder / f"{name}.schema.yaml"
    if not path.exists():
        known = ", ".join(tables(folder)) or "none"
        raise DataError(f"unknown table {name!r} in {folder}; known tables: {known}")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    _check_declaration(spec, path)
    return spec


def _check_declaration(spec: dict[str, Any], path: Path) -> None:
    for key in ("title", "description", "source", "licence", "fields"):
        if key not in spec:
            raise DataError(f"{path}: schema lacks the key {key!r}")
    names = [f["name"] for f in spec["fields"]]
    for f in spec["fields"]:
        if f.get("type", "string") not in _TYPES:
            raise DataError(f"{path}: field {f['name']!r} has unknown type {f.get('type')!r}")
    if spec.get("quote_fields") or spec.get("figure_fields"):
        missing = [p for p in PROVENANCE_FIELDS if p not in names]
        if missing:
            raise DataError(
                f"{path}: a table with quotations or reported figures needs the "
                f"provenance columns {missing}"
            )
    for col in (spec.get("quote_fields") or []) + (spec.get("figure_fields") or []):
        if col not in names:
            raise DataError(f"{path}: provenance column {col!r} is not a declared field")


def _row_model(spec: dict[str, Any]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    provenance = bool(spec.get("quote_fields") or spec.get("figure_fields"))
    for f in spec["fields"]:
        kind: Any = _TYPES[f.get("type", "string")]
        if "enum" in f:
            kind = Literal[tuple(f["enum"])]
        required = f.get("required", True) or (provenance and f["name"] in PROVENANCE_FIELDS)
        constraints = {
            k: v
            for k, v in (
                ("pattern", f.get("pattern")),
                ("ge", f.get("minimum")),
                ("le", f.get("maximum")),
                ("min_length", 1 if f.get("type", "string") in ("string", "list") else None),
            )
            if v is not None
        }
        if required:
            fields[f["name"]] = (kind, Field(..., **constraints))
        else:
            fields[f["name"]] = (Optional[kind], Field(None, **constraints))
    return create_model(
        "Row", __config__=ConfigDict(extra="forbid", strict=False), **fields
    )


def _read_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return [
            {k: (None if v == "" else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise DataError(f"{path}: expected a YAML list of mappings, one per row")
    return rows


def _split_lists(rows: list[dict[str, Any]], spec: dict[str, Any]) -> None:
    """CSV cells of ``list`` fields hold ``;``-separated items."""
    list_fields = [f["name"] for f in spec["fields"] if f.get("type") == "list"]
    for row in rows:
        for name in list_fields:
            if isinstance(row.get(name), str):
                row[name] = [s.strip() for s in row[name].split(";") if s.strip()]


def validate_file(path: Path, spec: dict[str, Any]) -> pd.DataFrame:
    """Validate the rows of ``path`` against ``spec`` and return them as a DataFrame.

    Raises
    ------
    DataError
        Naming the file, the 1-based data row and the column of the first problem.
    """
    path = Path(path)
    rows = _read_rows(path)
    _split_lists(rows, spec)
    model = _row_model(spec)
    clean = []
    for number, row in enumerate(rows, start=1):
        try:
            clean.append(model.model_validate(row).model_dump())
        except ValidationError as err:
            first = err.errors()[0]
            column = ".".join(str(p) for p in first["loc"]) or "?"
            if first["type"] == "extra_forbidden":
                message = "column is not declared in the schema"
            else:
                message = first["msg"]
            raise DataError(
                f"{path}: row {number}, column {column!r}: {message} "
                f"(value: {row.get(first['loc'][0]) if first['loc'] else None!r})"
            ) from None
    columns = [f["name"] for f in spec["fields"]]
    frame = pd.DataFrame(clean, columns=columns)
    for f in spec["fields"]:
        if f.get("type") == "integer":
            frame[f["name"]] = frame[f["name"]].astype("Int64")
    key = spec.get("primary_key")
    if key:
        dupes = frame[frame[key].duplicated()]
        if len(dupes):
            number = int(dupes.index[0]) + 1
            raise DataError(
                f"{path}: row {number}, column {key!r}: duplicate key {dupes.iloc[0][key]!r}"
            )
    return frame


def _check_foreign_keys(name: str, frame: pd.DataFrame, spec: dict[str, Any], folder: Path) -> None:
    for fk in spec.get("foreign_keys") or []:
        target = load(fk["table"], folder)
        valid = set(target[fk.get("ref", "id")])
        for number, value in enumerate(frame[fk["field"]], start=1):
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v is not None and not pd.isna(v) and v not in valid:
                    raise DataError(
                        f"{folder / name}: row {number}, column {fk['field']!r}: "
                        f"{v!r} is not an {fk.get('ref', 'id')!r} of table {fk['table']!r}"
                    )


@functools.lru_cache(maxsize=None)
def _load_cached(name: str, folder: str) -> pd.DataFrame:
    root = Path(folder)
    spec = schema(name, root)
    candidates = [root / f"{name}.csv", root / f"{name}.yaml"]
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        raise DataError(f"table {name!r}: neither {candidates[0]} nor {candidates[1]} exists")
    frame = validate_file(path, spec)
    _check_foreign_keys(name, frame, spec, root)
    return frame


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Load table ``name`` from ``data/``, validated against its schema.

    Parameters
    ----------
    name
        The table name, e.g. ``"foundations_concepts"`` (see :func:`tables`).
    folder
        Another folder of tables, for tests; defaults to :func:`data_dir`.

    Returns
    -------
    pandas.DataFrame
        A fresh copy with the declared columns in declared order.

    Examples
    --------
    >>> load("no_such_table")
    Traceback (most recent call last):
    ...
    cocreation.data.DataError: unknown table 'no_such_table' ...
    """
    folder = Path(folder) if folder else data_dir()
    return _load_cached(name, str(folder.resolve())).copy()


def _source(source_id: str) -> pd.Series:
    sources = load("sources").set_index("id")
    if source_id not in sources.index:
        raise ValueError(f"source_id must be one of {sorted(sources.index)} (the ids of data/sources.csv), got {source_id!r}")
    return sources.loc[source_id]


def citation_key(source_id: str) -> str:
    """The key in ``book/references.bib`` of a source id such as ``"000"`` (from ``sources.csv``).

    >>> citation_key("003")
    'li_review'
    """
    return str(_source(source_id)["citation_key"])


def source_label(source_id: str) -> str:
    """The short label readers see when a source is credited (author-year, or a short title).

    >>> source_label("000")
    'Liu et al. (2025)'
    """
    return str(_source(source_id)["label"])


def readme(folder: Path | None = None) -> str:
    """``data/README.md``, generated from the schema declarations."""
    folder = Path(folder) if folder else data_dir()
    lines = [
        "# Data tables",
        "",
        "Generated by `python -m cocreation.data --readme > data/README.md` from the",
        "`*.schema.yaml` declarations; a test checks that it is up to date. Load a table",
        'with `cocreation.data.load("<name>")`, which validates it against its schema.',
        "",
        "Source ids refer to the plain-text copies in `../shared/sources/` (see `sources`).",
        "Rows that hold a quotation or a reported figure carry `source` and `locator`",
        "columns, checked against the source text by `tests/test_provenance.py`.",
        "",
    ]
    for name in tables(folder):
        spec = schema(name, folder)
        lines += [
            f"## `{name}`: {spec['title']}",
            "",
            spec["description"].strip(),
            "",
            f"- **Source:** {spec['source']}" + (f", {spec['locator']}" if spec.get("locator") else ""),
            f"- **Licence:** {spec['licence']}",
        ]
        if spec.get("quote_fields"):
            lines.append(f"- **Quotations:** {', '.join(spec['quote_fields'])}")
        if spec.get("figure_fields"):
            lines.append(f"- **Reported figures:** {', '.join(spec['figure_fields'])}")
        lines += ["", "| column | type | description |", "|---|---|---|"]
        for f in spec["fields"]:
            kind = f.get("type", "string")
            if "enum" in f:
                kind += " (" + " / ".join(map(str, f["enum"])) + ")"
            if f.get("required", True) is False:
                kind += ", optional"
            lines.append(f"| `{f['name']}` | {kind} | {f.get('description', '')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--readme"]:
        sys.stdout.write(readme())
    else:
        for table in tables():
            print(f"{table}: {len(load(table))} rows")
