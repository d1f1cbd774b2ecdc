"""The tables the coopetition chapter shows, as DataFrames ready for display.

Examples
--------
>>> from cocreation.coopetition.model import scenario_table
>>> live_table(scenario_table()).columns.tolist()[:3]
['scenario', 'A', 'a']
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

import numpy as np
import pandas as pd

from .. import data, text, validate
from .model import SCENARIO_LABELS, SCENARIOS, Params, solve

__all__ = ["LIVE_COLUMNS", "live_table", "SCENARIO_COLUMNS", "scenarios_for_readers", "claim2_table",
           "CLAIM2_COLUMNS", "claim2_for_readers", "WORKED_ROWS", "worked_example", "synthesis_facts"]

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


#: The columns of :func:`~cocreation.coopetition.model.scenario_table` the page's table
#: shows, with the names readers see.
SCENARIO_COLUMNS = {
    "scenario": "scenario", "A": "A", "a": "a", "t": "t", "s": "s", "profit_platform": "π platform",
    "profit_participant": "π participant", "total": "joint", "phi": "φ", "gain_platform": "gain platform",
    "gain_participant": "gain participant", "gap": "gap",
}


def _for_readers(frame: pd.DataFrame, columns: dict[str, str], source: str) -> pd.DataFrame:
    missing = [c for c in columns if not isinstance(frame, pd.DataFrame) or c not in frame.columns]
    if missing:
        raise ValueError(f"frame must be a table of {source}; missing the columns {', '.join(missing)}")
    return frame[list(columns)].rename(columns=columns).round(3)


def scenarios_for_readers(frame: pd.DataFrame) -> pd.DataFrame:
    """The scenario table as the page shows it: readers' column names, three decimals.

    Parameters
    ----------
    frame
        A table of :func:`~cocreation.coopetition.model.scenario_table`.

    >>> from cocreation.coopetition.model import scenario_table
    >>> scenarios_for_readers(scenario_table()).columns.tolist()[5:8]
    ['π platform', 'π participant', 'joint']
    """
    return _for_readers(frame, SCENARIO_COLUMNS, "scenario_table")


#: The rows of :func:`worked_example`: the name readers see and the field of the equilibrium.
WORKED_ROWS = {"support rate t": "t", "platform's spend A": "A", "participant's spend a": "a", "demand D": "demand",
               "platform's profit": "profit_platform", "participant's profit": "profit_participant"}


def worked_example(params: Params | None = None) -> pd.DataFrame:
    """Scenario N (no support) beside scenario P (the platform supports) and the change.

    One row per quantity (:data:`WORKED_ROWS`: the support rate, both spends, demand and
    both profits), three decimals, short headers for a phone; the last column, P − N, is
    the change, so its profit rows are each party's gain from the platform's support.

    Parameters
    ----------
    params
        Scalar parameters; the illustrative defaults of :class:`Params` if omitted.

    >>> worked_example().set_index("quantity").loc["platform's profit"].tolist()
    [1.5, 1.641, 0.141]
    """
    p = Params() if params is None else params
    if not isinstance(p, Params) or any(np.ndim(v) for v in dataclasses.astuple(p)):
        raise ValueError(f"params must be a Params of scalars, got {params!r}")
    n_, e = solve(p, "N"), solve(p, "P")
    out = pd.DataFrame({
        "quantity": list(WORKED_ROWS),
        "N": [float(getattr(n_, f)) for f in WORKED_ROWS.values()],
        "P": [float(getattr(e, f)) for f in WORKED_ROWS.values()],
    })
    out["P − N"] = out["P"] - out["N"]
    return out.round(3)


def _platform_share(ratio: float, theta: float, scenario: str) -> float:
    """The platform's share of the scenario's gain over N at rho_p / rho_s = ratio."""
    p = Params(rho_p=ratio, rho_s=1.0, theta=theta)
    n_, e = solve(p, "N"), solve(p, scenario)
    gp, gs = e.profit_platform - n_.profit_platform, e.profit_participant - n_.profit_participant
    return gp / (gp + gs)


def claim2_table(thetas: Sequence[float] = (0.3, 0.5, 0.7)) -> pd.DataFrame:
    """Where claim 2 holds, for each response curvature theta.

    Columns: ``theta``; ``t_equal`` and ``share_p_equal``, the support rate and the
    platform's share of P's gain at equal margins; ``ratio_p``, the margin ratio
    rho_p / rho_s above which the platform captures more than half of P's gain;
    ``ratio_s``, the ratio above which it captures more than half of S's gain; and
    ``s_active_below``, the ratio below which S is offered at all (1 / (1 - theta)).
    The gains' split does not depend on alpha, k_p or k_s.

    >>> row = claim2_table([0.5]).iloc[0]
    >>> round(float(row.ratio_p), 6), round(float(row.ratio_s), 6), round(float(row.share_p_equal), 4)
    (1.5, 0.666667, 0.3333)
    """
    from scipy.optimize import brentq

    thetas = validate.array("thetas", thetas, 0.05, 0.95)
    validate.work("the number of thetas", thetas.size, 1000)
    rows = []
    for th in thetas.ravel():
        th = float(th)
        active_p, active_s = (1 - th) * 1.000001, 0.999999 / (1 - th)  # P offered above, S below
        ratio_p = brentq(lambda r: _platform_share(r, th, "P") - 0.5, active_p, 1e3, xtol=1e-12)
        ratio_s = brentq(lambda r: _platform_share(r, th, "S") - 0.5, 1e-3, active_s, xtol=1e-12)
        rows.append({"theta": th, "t_equal": solve(Params(rho_p=1.0, rho_s=1.0, theta=th), "P").t,
                     "share_p_equal": _platform_share(1.0, th, "P"), "ratio_p": ratio_p, "ratio_s": ratio_s,
                     "s_active_below": 1 / (1 - th)})
    return pd.DataFrame(rows)


#: The columns of :func:`claim2_table` with the names readers see.
CLAIM2_COLUMNS = {
    "theta": "θ", "t_equal": "t* at equal margins",
    "share_p_equal": "platform's share of P's gain at equal margins",
    "ratio_p": "P: platform keeps more than half if ρp/ρs above",
    "ratio_s": "S: platform keeps more than half if ρp/ρs above",
    "s_active_below": "S offered only if ρp/ρs below",
}


def claim2_for_readers(frame: pd.DataFrame) -> pd.DataFrame:
    """The claim-2 table as the page shows it: readers' column names, three decimals.

    Parameters
    ----------
    frame
        A table of :func:`claim2_table`.

    >>> claim2_for_readers(claim2_table([0.5])).columns[0]
    'θ'
    """
    return _for_readers(frame, CLAIM2_COLUMNS, "claim2_table")


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
