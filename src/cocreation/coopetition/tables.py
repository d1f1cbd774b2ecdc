"""The tables the coopetition chapter shows, as DataFrames ready for display.

Examples
--------
>>> from cocreation.coopetition.model import scenario_table
>>> live_table(scenario_table()).columns.tolist()[:3]
['scenario', 'A', 'a']
"""

from __future__ import annotations

import pandas as pd

from .. import data, text
from .model import SCENARIO_LABELS, SCENARIOS

__all__ = ["LIVE_COLUMNS", "live_table", "synthesis_facts"]

#: The columns of :func:`~cocreation.coopetition.model.scenario_table` the live explorer shows.
LIVE_COLUMNS = ("scenario", "A", "a", "t", "s", "profit_platform", "profit_participant", "total", "gap")


def live_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The live explorer's table: spends, rates, profits and gap of every scenario, rounded.

    Parameters
    ----------
    frame
        A table of :func:`~cocreation.coopetition.model.scenario_table`.
    """
    missing = [c for c in LIVE_COLUMNS if not isinstance(frame, pd.DataFrame) or c not in frame.columns]
    if missing:
        raise ValueError(f"frame must be a table of scenario_table; missing the columns {', '.join(missing)}")
    return frame[list(LIVE_COLUMNS)].round(4)


def synthesis_facts() -> dict[str, str]:
    """What the synthesis chapter compares, read from this chapter's tables.

    >>> synthesis_facts()["n_claims"]
    '3'
    """
    glossary = data.load("coopetition_glossary")
    claims = data.load("coopetition_claims")
    return {
        "constructs": text.names(glossary[glossary["source"] == "002"], "term"),
        "claims": "; ".join(claims["claim"]),
        "n_claims": str(len(claims)),
        "scenarios": "; ".join(SCENARIO_LABELS[s] for s in SCENARIOS),
    }
