"""Check quotations and reported figures in ``data/`` against the source texts.

A quotation matches when, compared on letters and digits only, every piece left
between omission marks (``…``, ``[…]``, ``...``) occurs in the source the row names.
A reported figure matches when every number in it occurs in that source, within
:data:`WINDOW` characters after an occurrence of the row's locator (a section, table
or appendix name such as ``"Table 1"`` or ``"4.2.2"``).

Examples
--------
>>> text = "As one CEO put it, “we learned a lot — really” in 2021; see Table 1: 45 firms."
>>> quote_problems("We learned a lot… really", text)
[]
>>> quote_problems("We learned nothing", text)
['piece not in source: "We learned nothing"']
>>> figure_problems("45 of 139", "Table 1", text)
['number 139 not found in the source']
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from . import data

__all__ = ["normalise", "quote_problems", "figure_problems", "check_table", "source_texts", "WINDOW"]

OMISSION = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: How far after the locator a reported number may occur, in characters.
WINDOW = 20_000


def normalise(text: str) -> str:
    """Lower-case letters and digits only (accents folded), so layout noise is ignored.

    >>> normalise("Co-creation’s “value”\\n(2021)")
    'cocreationsvalue2021'
    """
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded.lower() if ch.isalnum() and ch.isascii())


def quote_problems(quote: str, source_text: str) -> list[str]:
    """Pieces of ``quote`` that do not occur in ``source_text`` (empty list if it matches)."""
    haystack = normalise(source_text)
    pieces = [p.strip() for p in OMISSION.split(quote)]
    problems = [f'piece not in source: "{p}"' for p in pieces if normalise(p) and normalise(p) not in haystack]
    if not any(normalise(p) for p in pieces):
        problems.append("quotation is empty")
    return problems


def _number_positions(number: str, text: str) -> list[int]:
    variants = {number, number.replace(",", ""), number.replace(",", ".")}
    if number.isdigit() and len(number) > 3:
        variants.add(f"{int(number):,}")
    positions = []
    for v in variants:
        positions += [m.start() for m in re.finditer(rf"(?<![\d.,]){re.escape(v)}(?![\d]|[.,]\d)", text)]
    return positions


def figure_problems(figure: str, locator: str, source_text: str) -> list[str]:
    """Numbers in ``figure`` that are missing from the source or far from ``locator``."""
    anchors = []
    for part in (p.strip() for p in locator.split(";")):
        anchors += [m.start() for m in re.finditer(re.escape(part), source_text, re.I)] if part else []
    problems = []
    for number in NUMBER.findall(figure):
        positions = _number_positions(number, source_text)
        if not positions:
            problems.append(f"number {number} not found in the source")
        elif anchors and not any(0 <= p - a <= WINDOW for p in positions for a in anchors):
            problems.append(f"number {number} does not occur within {WINDOW} characters after '{locator}'")
        elif not anchors:
            problems.append(f"locator '{locator}' not found in the source")
    return problems


def source_texts(folder: Path) -> dict[str, str]:
    """Map source id (``"000"``) to the text of ``<folder>/<id>_*.txt``."""
    texts = {}
    for path in sorted(Path(folder).glob("*_*.txt")):
        texts[path.name.split("_", 1)[0]] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def check_table(name: str, texts: dict[str, str], folder: Path | None = None) -> tuple[list[str], dict[str, int]]:
    """Check every quotation and figure of table ``name``.

    Returns
    -------
    problems
        One message per mismatch, naming the file, the row, the text and the source.
    counts
        ``{"quotes": n, "figures": m}`` checked.
    """
    spec = data.schema(name, folder)
    counts = {"quotes": 0, "figures": 0}
    if not (spec.get("quote_fields") or spec.get("figure_fields")):
        return [], counts
    frame: pd.DataFrame = data.load(name, folder)
    path = (Path(folder) if folder else data.data_dir()) / name
    problems: list[str] = []
    for number, row in enumerate(frame.to_dict(orient="records"), start=1):
        source = row["source"]
        if source not in texts:
            problems.append(f"{path}: row {number}: source {source!r} has no text file")
            continue
        for col in spec.get("quote_fields") or []:
            if _present(row[col]):
                counts["quotes"] += 1
                for p in quote_problems(row[col], texts[source]):
                    problems.append(f"{path}: row {number}, column {col!r}: {p} (quotation {row[col]!r}; expected in source {source})")
        for col in spec.get("figure_fields") or []:
            if _present(row[col]):
                counts["figures"] += 1
                # Where the copy prints no section headings, an "anchor" (verbatim text
                # just before the figure) stands in for the locator.
                anchor = row.get("anchor") if _present(row.get("anchor")) else row["locator"]
                for p in figure_problems(_as_text(row[col]), anchor, texts[source]):
                    problems.append(f"{path}: row {number}, column {col!r}: {p} (figure {row[col]!r}; source {source}, {row['locator']})")
    return problems, counts


def _present(value: Any) -> bool:
    return value is not None and not pd.isna(value) if not isinstance(value, (list, str)) else bool(str(value).strip())


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
