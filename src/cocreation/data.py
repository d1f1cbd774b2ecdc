"""Load the book's data tables and validate them against their declared schemas.

Every table in ``data/`` is a pair of files: ``<name>.csv`` (or ``<name>.yaml``)
holding the rows, and ``<name>.schema.yaml`` declaring its columns, their types and
constraints, where the rows come from and under which licence. :func:`load` builds a
pydantic model from the declaration and validates every row with it, so a malformed
file fails with a :class:`DataError` naming the file, the row and the column.

A table loads exactly as written or not at all. Besides the declared types and
constraints, :func:`load` refuses: an empty or header-only file (a schema may allow
fewer rows with ``min_rows: 0``); a file that is not UTF-8 (cp1252, latin-1, UTF-16);
a header whose columns differ from the schema's fields or come in another order; a row
with more or fewer fields than the header; a blank or whitespace-only required cell;
``inf`` or ``nan`` in a number field; U+FFFD (�) or a ``?`` standing where a
character was lost in an encoding conversion (``firm?s``, ``?value?``); a schema that
is not valid YAML or names an undeclared key, field or primary key. The parsed tables
are cached on the file's path, modification time and size, so an edited file is
re-read.

Examples
--------
>>> from cocreation import data
>>> "sources" in data.tables()
True
>>> data.load("sources")["citation_key"].tolist()[:2]
['liu2025cosmoplat', 'industrialai_cocreation']
"""

from __future__ import annotations

import copy
import csv
import difflib
import functools
import io
import os
import re
from pathlib import Path
from typing import Any, Literal, Optional

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

__all__ = [
    "DataError", "data_dir", "tables", "schema", "load", "validate_file",
    "citation_key", "source_label", "readme", "datapackage",
]

_TYPES: dict[str, type] = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "list": list[str],
}
PROVENANCE_FIELDS = ("source", "locator")
_SCHEMA_KEYS = {
    "title", "description", "source", "locator", "licence", "primary_key", "quote_fields",
    "figure_fields", "foreign_keys", "fields", "min_rows",
}
_FIELD_KEYS = {"name", "type", "description", "required", "enum", "pattern", "minimum", "maximum"}
_FK_KEYS = {"field", "table", "ref"}
_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# A "?" where a character was lost when the file went through a legacy encoding:
# between two letters (firm’s -> firm?s) or opening a word (“value” -> ?value?).
_LOST_CHAR = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])|(?:^|(?<=[\s(\[/-]))\?(?=\w)|\?\?")
_URL = re.compile(r"\S+://\S+")


class DataError(ValueError):
    """A data file that does not match its schema (names file, row and column)."""


def data_dir() -> Path:
    """Return the folder that holds the tables.

    In order: ``COCREATION_DATA`` if set; the repository's ``data/`` when the package
    runs from a clone (``src/cocreation``); otherwise the copy of ``data/`` that an
    installed wheel carries as ``cocreation/_data``, so a notebook downloaded from the
    book runs in any folder once the wheel is installed.
    """
    env = os.environ.get("COCREATION_DATA")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parent
    repository = package.parents[1] / "data"
    if package.parent.name == "src" and repository.is_dir():
        return repository
    shipped = package / "_data"
    return shipped if shipped.is_dir() else repository


def _folder(folder: Any) -> Path:
    """The folder of tables: ``folder`` or :func:`data_dir`, which must exist."""
    if folder is None:
        path = data_dir()
    elif isinstance(folder, (str, os.PathLike)) and str(folder):
        path = Path(folder)
    else:
        raise DataError(f"folder must be a path to a folder of tables, got {folder!r}")
    if not path.is_dir():
        hint = "" if folder is not None else " (set by COCREATION_DATA, the repository's data/ or the installed package)"
        raise DataError(f"folder must be an existing folder of tables, got {str(path)!r}{hint}")
    return path


def _table_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise DataError(f"name must be a table name such as 'sources' (see data.tables()), got {name!r}")
    return name


def tables(folder: Path | None = None) -> list[str]:
    """Names of all declared tables, sorted.

    >>> tables("/no/such/folder")
    Traceback (most recent call last):
    ...
    cocreation.data.DataError: folder must be an existing folder of tables, got '/no/such/folder'
    """
    root = _folder(folder)
    return sorted(p.name[: -len(".schema.yaml")] for p in root.glob("*.schema.yaml"))


def _stamp(path: Path) -> tuple[str, int, int]:
    """Cache key of a file: its path, modification time and size."""
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


def schema(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The parsed schema declaration of table ``name``.

    Raises
    ------
    DataError
        If the table is unknown, the schema is not valid YAML (naming its line and
        column) or the declaration is inconsistent (an undeclared key, field type,
        primary key, provenance or foreign-key column).
    """
    root = _folder(folder)
    path = root / f"{_table_name(name)}.schema.yaml"
    if not path.is_file():
        known = ", ".join(tables(root)) or "none"
        raise DataError(f"unknown table {name!r} in {root}; known tables: {known}")
    return copy.deepcopy(_schema_at(_stamp(path)))


@functools.lru_cache(maxsize=512)
def _schema_at(stamp: tuple[str, int, int]) -> dict[str, Any]:
    path = Path(stamp[0])
    text = _decode(path, path.read_bytes())
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        raise DataError(f"{path}: {where}invalid YAML in the schema: {problem}") from None
    _check_declaration(spec, path)
    return spec


def _unknown(kind: str, value: Any, known: Any, path: Path) -> DataError:
    close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(sorted(map(str, known)))}"
    return DataError(f"{path}: {kind} {value!r} is not declared{hint}")


def _check_declaration(spec: Any, path: Path) -> None:
    if not isinstance(spec, dict):
        raise DataError(f"{path}: a schema must be a YAML mapping of keys (title, fields, ...)")
    for key in spec:
        if key not in _SCHEMA_KEYS:
            raise _unknown("schema key", key, _SCHEMA_KEYS, path)
    for key in ("title", "description", "source", "licence", "fields"):
        if key not in spec:
            raise DataError(f"{path}: schema lacks the key {key!r}")
    fields = spec["fields"]
    if not isinstance(fields, list) or not fields or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        raise DataError(f"{path}: 'fields' must be a non-empty list of mappings, each with a 'name'")
    names = [f["name"] for f in fields]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise DataError(f"{path}: field {dupes[0]!r} is declared twice")
    for f in fields:
        where = f"{path}: field {f['name']!r}"
        for key in f:
            if key not in _FIELD_KEYS:
                raise _unknown(f"field {f['name']!r}: key", key, _FIELD_KEYS, path)
        kind = f.get("type", "string")
        if kind not in _TYPES:
            raise DataError(f"{where} has unknown type {kind!r}; types are {', '.join(_TYPES)}")
        if "enum" in f and (not isinstance(f["enum"], list) or not f["enum"]):
            raise DataError(f"{where}: enum must be a non-empty list")
        if "required" in f and not isinstance(f["required"], bool):
            raise DataError(f"{where}: required must be true or false, got {f['required']!r}")
        for bound in ("minimum", "maximum"):
            if bound in f and (kind not in ("integer", "number") or isinstance(f[bound], bool) or not isinstance(f[bound], (int, float))):
                raise DataError(f"{where}: {bound} needs a numeric field and a number, got {f[bound]!r}")
        if "pattern" in f:
            try:
                re.compile(f["pattern"])
            except (re.error, TypeError) as err:
                raise DataError(f"{where}: pattern {f['pattern']!r} is not a regular expression ({err})") from None
    key = spec.get("primary_key")
    if key is not None and key not in names:
        raise _unknown("primary_key", key, names, path)
    min_rows = spec.get("min_rows", 1)
    if isinstance(min_rows, bool) or not isinstance(min_rows, int) or min_rows < 0:
        raise DataError(f"{path}: min_rows must be a whole number >= 0, got {min_rows!r}")
    if spec.get("quote_fields") or spec.get("figure_fields"):
        missing = [p for p in PROVENANCE_FIELDS if p not in names]
        if missing:
            raise DataError(
                f"{path}: a table with quotations or reported figures needs the "
                f"provenance columns {missing}"
            )
    for group in ("quote_fields", "figure_fields"):
        for col in spec.get(group) or []:
            if col not in names:
                raise _unknown(f"{group} column", col, names, path)
    for fk in spec.get("foreign_keys") or []:
        if not isinstance(fk, dict) or not {"field", "table"} <= set(fk) or not set(fk) <= _FK_KEYS:
            raise DataError(f"{path}: a foreign key must be a mapping {{field, table, ref}}, got {fk!r}")
        if fk["field"] not in names:
            raise _unknown("foreign-key field", fk["field"], names, path)


def _row_model(spec: dict[str, Any]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for f in spec["fields"]:
        kind: Any = _TYPES[f.get("type", "string")]
        if "enum" in f:
            kind = Literal[tuple(f["enum"])]
        constraints = {
            k: v
            for k, v in (
                ("pattern", f.get("pattern")),
                ("ge", f.get("minimum")),
                ("le", f.get("maximum")),
                ("min_length", 1 if f.get("type", "string") in ("string", "list") else None),
                ("allow_inf_nan", False if f.get("type") == "number" else None),
            )
            if v is not None
        }
        if _required(f, spec):
            fields[f["name"]] = (kind, Field(..., **constraints))
        else:
            fields[f["name"]] = (Optional[kind], Field(None, **constraints))
    return create_model(
        "Row", __config__=ConfigDict(extra="forbid", strict=False), **fields
    )


def _required(field: dict[str, Any], spec: dict[str, Any]) -> bool:
    provenance = bool(spec.get("quote_fields") or spec.get("figure_fields"))
    return field.get("required", True) or (provenance and field["name"] in PROVENANCE_FIELDS)


def _decode(path: Path, raw: bytes) -> str:
    """UTF-8 text of a file; any other encoding fails naming the row and column."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise DataError(f"{path}: the file is UTF-16 (or holds NUL bytes), not UTF-8; re-save it as UTF-8")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        start = err.start
        text = raw.decode("latin-1")  # one character per byte, so offsets agree
        line = text.count("\n", 0, start) + 1
        where = f"line {line}"
        if path.suffix == ".csv":
            records = [r for r in csv.reader(io.StringIO(text[: start + 1], newline="")) if r]
            header = next(csv.reader(io.StringIO(text, newline="")), [])
            col = len(records[-1]) - 1 if records else 0
            column = header[col] if col < len(header) else f"field {col + 1}"
            where = ("header" if len(records) <= 1 else f"row {len(records) - 1}") + f", column {column!r}"
        byte = raw[start]
        guess = "cp1252 (Windows)" if 0x80 <= byte < 0xA0 else "latin-1 or cp1252"
        raise DataError(
            f"{path}: {where}: byte 0x{byte:02x} is not valid UTF-8; the file was probably saved "
            f"as {guess}: re-save it as UTF-8"
        ) from None


def _cell(path: Path, where: str, value: Any) -> Any:
    """A cell as loaded: blank means missing; lost characters are refused."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    if "\ufffd" in value:
        raise DataError(
            f"{path}: {where}: holds U+FFFD (\ufffd), the mark of a character lost in an "
            f"encoding conversion; restore it and save the file as UTF-8 (value: {value!r})"
        )
    if _LOST_CHAR.search(_URL.sub("", value)):
        raise DataError(
            f"{path}: {where}: a '?' stands where a letter or quotation mark belongs, as when a "
            f"file is re-saved as latin-1 or ASCII; restore the character and save as UTF-8 (value: {value!r})"
        )
    return value


def _read_csv(path: Path, text: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    if not text.strip():
        raise DataError(f"{path}: the file is empty; a table needs a header row naming its columns and data rows")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        records = [r for r in reader if r]
    except csv.Error as err:
        raise DataError(f"{path}: line {reader.line_num}: malformed CSV ({err}); check the quotes") from None
    header, body = records[0], records[1:]
    declared = [f["name"] for f in spec["fields"]]
    for column in header:
        if header.count(column) > 1:
            raise DataError(f"{path}: header, column {column!r}: the column appears twice")
        if column not in declared:
            raise DataError(f"{path}: header, column {column!r}: column is not declared in the schema")
    for column in declared:
        if column not in header:
            raise DataError(f"{path}: header, column {column!r}: declared column is missing from the header")
    if header != declared:
        at = next(i for i, (h, d) in enumerate(zip(header, declared)) if h != d)
        raise DataError(
            f"{path}: header, column {header[at]!r}: columns are not in the schema's order "
            f"(position {at + 1} declares {declared[at]!r}); were two columns swapped?"
        )
    rows = []
    for number, record in enumerate(body, start=1):
        if len(record) != len(header):
            column = header[-1] if len(record) > len(header) else header[len(record)]
            raise DataError(
                f"{path}: row {number}, column {column!r}: {len(record)} fields where the header has "
                f"{len(header)}; a cell holding a comma needs double quotes"
            )
        rows.append({c: _cell(path, f"row {number}, column {c!r}", v) for c, v in zip(header, record)})
    return rows


def _read_rows(path: Path, spec: dict[str, Any]) -> list[dict[str, Any]]:
    text = _decode(path, path.read_bytes())
    if path.suffix == ".csv":
        return _read_csv(path, text, spec)
    try:
        rows = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise DataError(f"{path}: invalid YAML: {err}") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise DataError(f"{path}: expected a YAML list of mappings, one per row")
    return [{k: _cell(path, f"row {n}, column {k!r}", v) for k, v in r.items()} for n, r in enumerate(rows, 1)]


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
    if not isinstance(path, (str, os.PathLike)) or not Path(path).is_file():
        raise DataError(f"path must be an existing data file, got {path!r}")
    path = Path(path)
    if not isinstance(spec, dict):
        raise DataError(f"spec must be a schema mapping (see data.schema), got {type(spec).__name__}")
    _check_declaration(spec, path)
    rows = _read_rows(path, spec)
    min_rows = spec.get("min_rows", 1)
    if len(rows) < min_rows:
        raise DataError(
            f"{path}: {len(rows)} data rows; the table needs at least {min_rows} "
            "(a schema may set min_rows: 0)"
        )
    _split_lists(rows, spec)
    model = _row_model(spec)
    clean = []
    for number, row in enumerate(rows, start=1):
        for f in spec["fields"]:
            if _required(f, spec) and row.get(f["name"]) is None:
                raise DataError(
                    f"{path}: row {number}, column {f['name']!r}: required value is missing "
                    "(the cell is empty or blank)"
                )
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
        missing = frame[frame[key].isna()]
        if len(missing):
            raise DataError(f"{path}: row {int(missing.index[0]) + 1}, column {key!r}: the primary key is empty")
        dupes = frame[frame[key].duplicated()]
        if len(dupes):
            number = int(dupes.index[0]) + 1
            raise DataError(
                f"{path}: row {number}, column {key!r}: duplicate key {dupes.iloc[0][key]!r}"
            )
    return frame


@functools.lru_cache(maxsize=512)
def _frame_at(data_stamp: tuple[str, int, int], schema_stamp: tuple[str, int, int]) -> pd.DataFrame:
    return validate_file(Path(data_stamp[0]), _schema_at(schema_stamp))


def _check_foreign_keys(name: str, frame: pd.DataFrame, spec: dict[str, Any], root: Path, stack: tuple[str, ...]) -> None:
    for fk in spec.get("foreign_keys") or []:
        ref = fk.get("ref", "id")
        if fk["table"] == name:
            target = frame
        elif fk["table"] in stack:
            raise DataError(f"{root / name}: foreign keys form a cycle: {' -> '.join(stack + (fk['table'],))}")
        else:
            target = _load(fk["table"], root, stack)
        if ref not in target.columns:
            raise DataError(f"{root / name}.schema.yaml: foreign key {fk['field']!r} refers to column {ref!r}, which table {fk['table']!r} does not declare")
        valid = set(target[ref])
        for number, value in enumerate(frame[fk["field"]], start=1):
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v is not None and not pd.isna(v) and v not in valid:
                    raise DataError(
                        f"{root / name}: row {number}, column {fk['field']!r}: "
                        f"{v!r} is not an {ref!r} of table {fk['table']!r}"
                    )


def _load(name: str, root: Path, stack: tuple[str, ...] = ()) -> pd.DataFrame:
    spec_path = root / f"{name}.schema.yaml"
    spec = schema(name, root)
    candidates = [root / f"{name}.csv", root / f"{name}.yaml"]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise DataError(f"table {name!r}: neither {candidates[0]} nor {candidates[1]} exists")
    frame = _frame_at(_stamp(path), _stamp(spec_path))
    _check_foreign_keys(name, frame, spec, root, stack + (name,))
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
        A fresh copy with the declared columns in declared order. Parsed tables are
        cached on each file's path, modification time and size, so an edited file is
        read again.

    Examples
    --------
    >>> load("no_such_table")
    Traceback (most recent call last):
    ...
    cocreation.data.DataError: unknown table 'no_such_table' ...
    """
    root = _folder(folder).resolve()
    return _load(_table_name(name), root).copy()


def _source(source_id: str) -> pd.Series:
    sources = load("sources").set_index("id")
    if not isinstance(source_id, str) or source_id not in sources.index:
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
    """``data/README.md``, generated from the schema declarations (see :mod:`cocreation.catalogue`)."""
    from .catalogue import readme as generate

    return generate(folder)


def datapackage(folder: Path | None = None) -> str:
    """``data/datapackage.json``, a Frictionless data package (see :mod:`cocreation.catalogue`)."""
    from .catalogue import datapackage as generate

    return generate(folder)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--readme"]:
        sys.stdout.write(readme())
    elif sys.argv[1:] == ["--datapackage"]:
        sys.stdout.write(datapackage())
    else:
        for table in tables():
            print(f"{table}: {len(load(table))} rows")
