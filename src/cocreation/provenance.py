"""Check quotations and reported figures in ``data/`` against the source texts.

A quotation matches when every piece left between omission marks (``…``, ``[…]``,
``...``) occurs in the source the row names, compared in a :func:`fold`-ed form that
keeps letters, digits and punctuation but ignores case, accents, whitespace, the style
of quotation marks and dashes, and PDF ligatures. Punctuation at the two ends of a
piece may differ (a quotation may end a sentence the source continues). A ``?`` or
U+FFFD where the source has another character is reported as a lost character, and a
piece whose letters match but whose punctuation does not is reported as such.

A reported figure matches when it holds a number and every number in it occurs in that
source, within :data:`WINDOW` characters after an occurrence of the row's locator (a
section, table or appendix name such as ``"Table 1"`` or ``"4.2.2"``).

Examples
--------
>>> text = "As the CEO’s aide put it, “we learned a lot — really” in 2021; see Table 1: 45 firms."
>>> quote_problems("We learned a lot… really", text)
[]
>>> quote_problems("We learned nothing", text)
['piece not in source: "We learned nothing"']
>>> quote_problems("we learned a lot, really", text)
['punctuation differs from the source: "we learned a lot, really" where the source has "we learned a lot — really"']
>>> quote_problems("the CEO?s aide put it, ?we learned", text)
['lost character: "the CEO?s aide put it, ?we learned" has ? where the source has ’ “']
>>> figure_problems("45 of 139", "Table 1", text)
['number 139 not found in the source']
>>> figure_problems("Forty-five (our spelling)", "Table 1", text)
['number Forty not found in the source', 'number five not found in the source']
>>> figure_problems("many (our note)", "Table 1", text)
['figure holds no number, and its words "many" are not in the source']
>>> figure_problems("(undated)", "Table 1", text)
['figure holds no number']
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from . import data, validate

__all__ = ["normalise", "fold", "quote_problems", "figure_problems", "check_table", "source_texts", "WINDOW"]

OMISSION = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NUMBER_WORD = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand|million|billion|dozen)\b",
    re.I,
)
#: How far after the locator a reported number may occur, in characters.
WINDOW = 20_000
_FOLD = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
_INVISIBLE = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
# Punctuation a quotation may drop or add at the two ends of a piece.
_EDGE = " .,;:'\"()[]-"
_LOST = "?\ufffd"


def normalise(text: str) -> str:
    """Lower-case letters and digits only (accents folded): the loosest comparison.

    >>> normalise("Co-creation’s “value”\\n(2021)")
    'cocreationsvalue2021'
    """
    folded = unicodedata.normalize("NFKD", validate.text("text", text, empty=True))
    return "".join(ch for ch in folded.lower() if ch.isalnum() and ch.isascii())


def fold(text: str) -> str:
    """Text as quotations are compared: punctuation kept, layout and typography folded.

    Lower case; accents removed; whitespace, soft hyphens and zero-width characters
    dropped; curly and straight quotation marks alike; every dash a hyphen; ligatures
    (``ﬁ``) and the ellipsis character spelt out (Unicode compatibility decomposition).

    >>> print(fold("Co‑creation’s  “value” —\\n(2021) ﬁrms"))
    co-creation's"value"-(2021)firms
    """
    return _fold_indexed(validate.text("text", text, empty=True))[0]


def _fold_indexed(text: str) -> tuple[str, list[int]]:
    """:func:`fold` of ``text`` and, for each character, its position in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    for i, original in enumerate(text):
        for ch in unicodedata.normalize("NFKD", original):
            if unicodedata.combining(ch) or ch.isspace() or ch in _INVISIBLE:
                continue
            lowered = _FOLD.get(ch, ch).lower()
            out.append(lowered)
            origin += [i] * len(lowered)
    return "".join(out), origin


@functools.lru_cache(maxsize=16)
def _haystack(source_text: str) -> tuple[str, list[int], str, list[int]]:
    """The folded source, where each of its characters comes from, its letters and
    digits, and where each of those sits in the folded text."""
    folded, origin = _fold_indexed(source_text)
    index = [i for i, ch in enumerate(folded) if ch.isalnum()]
    return folded, origin, "".join(folded[i] for i in index), index


def _loose(folded: str) -> str:
    return "".join(ch for ch in folded if ch.isalnum())


def quote_problems(quote: str, source_text: str) -> list[str]:
    """Pieces of ``quote`` that do not occur in ``source_text`` (empty list if it matches)."""
    validate.text("quote", quote, empty=True)
    validate.text("source_text", source_text, empty=True)
    folded, origin, loose, index = _haystack(source_text)
    pieces = [p.strip() for p in OMISSION.split(quote)]
    if not any(_loose(fold(p)) for p in pieces):
        return ["quotation is empty"]
    problems = []
    for piece in pieces:
        p = fold(piece).strip(_EDGE)
        if not _loose(p) or p in folded:
            continue
        if any(c in _LOST for c in p):
            pattern = "".join("." if c in _LOST else re.escape(c) for c in p)
            found = re.search(pattern, folded)
            if found:
                lost = sorted({c for c in p if c in _LOST})
                has = sorted({source_text[origin[found.start() + i]] for i, c in enumerate(p) if c in _LOST} - set(_LOST))
                names = " and ".join("?" if c == "?" else "U+FFFD" for c in lost)
                problems.append(f'lost character: "{piece}" has {names} where the source has {" ".join(has)}')
                continue
        at = loose.find(_loose(p)) if _loose(p) else -1
        if at >= 0:
            seen = source_text[origin[index[at]]: origin[index[at + len(_loose(p)) - 1]] + 1]
            seen = " ".join(seen.split())
            problems.append(f'punctuation differs from the source: "{piece}" where the source has "{seen}"')
        else:
            problems.append(f'piece not in source: "{piece}"')
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
    """Numbers in ``figure`` that are missing from the source or far from ``locator``.

    Numbers may be written in digits or in words (``"Nineteen"``). A figure with no
    number at all is accepted only as the paper's own words (outside any bracketed
    note of ours) found after the locator, so every figure cell is checked.
    """
    validate.text("figure", figure, empty=True)
    validate.text("locator", locator)
    validate.text("source_text", source_text, empty=True)
    anchors = []
    for part in (p.strip() for p in locator.split(";")):
        anchors += [m.start() for m in re.finditer(re.escape(part), source_text, re.I)] if part else []
    tokens = [(f"number {n}", _number_positions(n, source_text)) for n in NUMBER.findall(figure)]
    tokens += [
        (f"number {w}", [m.start() for m in re.finditer(rf"\b{w}\b", source_text, re.I)])
        for w in NUMBER_WORD.findall(figure)
    ]
    if not tokens:
        words = " ".join(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", figure).split())
        if not _loose(fold(words)):
            return ["figure holds no number"]
        folded, origin, _, _ = _haystack(source_text)
        needle = fold(words)
        positions = [origin[m.start()] for m in re.finditer(re.escape(needle), folded)]
        if not positions:
            return [f'figure holds no number, and its words "{words}" are not in the source']
        tokens = [(f'words "{words}"', positions)]
    problems = []
    for token, positions in tokens:
        if not positions:
            problems.append(f"{token} not found in the source")
        elif anchors and not any(0 <= p - a <= WINDOW for p in positions for a in anchors):
            problems.append(f"{token} does not occur within {WINDOW} characters after '{locator}'")
        elif not anchors:
            problems.append(f"locator '{locator}' not found in the source")
    return problems


def source_texts(folder: Path) -> dict[str, str]:
    """Map source id (``"000"``) to the text of ``<folder>/<id>_*.txt``; the folder must exist."""
    if not isinstance(folder, (str, Path)) or not str(folder) or not Path(folder).is_dir():
        raise ValueError(f"folder must be an existing folder of source texts, got {folder!r}")
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
    if not isinstance(texts, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in texts.items()):
        raise ValueError(f"texts must be a dict of source ids to source texts (see source_texts), got {type(texts).__name__}")
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
