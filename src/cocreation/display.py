"""Render data rows for the page: quotations always carry their attribution.

No page formats a quotation by hand: :func:`quotes` is the one place that turns a
table row into a blockquote, and it refuses a row without speaker, source or locator.

Examples
--------
>>> print(quote_html("We co-create.", "Case B, CEO", "004", "Table A1"))
<blockquote class="cocreation-quote"><p>“We co-create.”</p><footer>— Case B, CEO · Leveraging CBEC platforms (2025), Table A1</footer></blockquote>
"""

from __future__ import annotations

import html
from typing import Callable

import pandas as pd

from . import data, validate

__all__ = ["credit", "quote_html", "quotes", "table"]


def credit(source: str, locator: str) -> str:
    """How a reader sees a source credited: its label and where in it (``§`` for sections).

    >>> credit("000", "4.2; Table 2")
    'Liu et al. (2025), §4.2; Table 2'
    """
    validate.choice("source", source, list(data.load("sources")["id"]))
    if not isinstance(locator, str) or not locator.strip():
        raise ValueError(f"locator must be a non-empty string (e.g. '4.2; Table 2'), got {locator!r}")
    where = "; ".join(("§" + part if part[:1].isdigit() else part) for part in (p.strip() for p in str(locator).split(";")))
    return f"{data.source_label(source)}, {where}"


def quote_html(text: str, speaker: str, source: str, locator: str) -> str:
    """One attributed quotation as HTML.

    Raises
    ------
    ValueError
        If any of ``text``, ``speaker``, ``source`` or ``locator`` is empty, or the
        source id is unknown.
    """
    for name, value in (("text", text), ("speaker", speaker), ("source", source), ("locator", locator)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} (of a quotation) must be a non-empty string, got {value!r}")
    return (
        '<blockquote class="cocreation-quote">'
        f"<p>“{html.escape(text.strip())}”</p>"
        f"<footer>— {html.escape(speaker)} · {html.escape(credit(source, locator))}</footer></blockquote>"
    )


def quotes(
    frame: pd.DataFrame,
    speaker: str | Callable[[pd.Series], str],
    text: str = "quote",
):
    """Attributed quotations for every row of ``frame`` (needs ``source``, ``locator``).

    Parameters
    ----------
    frame
        Rows with a quotation column plus ``source`` and ``locator``.
    speaker
        The column holding each speaker's label, or a function that builds it from a
        row, e.g. ``lambda r: f"Case {r.case}, {r.role}"``.
    text
        The quotation column.

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    validate.frame("frame", frame)
    validate.text("text", text)
    if not isinstance(speaker, str) and not callable(speaker):
        raise ValueError(f"speaker must be a column name or a function of a row, got {speaker!r}")
    needed = {text, "source", "locator"} | ({speaker} if isinstance(speaker, str) else set())
    missing = needed - set(frame.columns)
    if missing:
        raise ValueError(f"frame lacks the columns {sorted(missing)} needed to attribute quotations")
    parts = [quote_html(row[text], row[speaker] if isinstance(speaker, str) else speaker(row), row["source"], row["locator"]) for _, row in frame.iterrows()]
    return HTML("\n".join(parts))


def table(frame: pd.DataFrame, caption: str | None = None):
    """A DataFrame as a clean HTML table without the index (wraps long text).

    >>> "<table" in table(pd.DataFrame({"a": [1]})).data
    True
    """
    from IPython.display import HTML

    validate.frame("frame", frame)
    if caption is not None:
        validate.text("caption", caption, empty=True)
    body = frame.to_html(index=False, escape=True, border=0, classes=["cocreation-table"], na_rep="")
    if caption:
        body = body.replace(">\n  <thead>", f">\n  <caption>{html.escape(caption)}</caption>\n  <thead>", 1)
    return HTML(body)
