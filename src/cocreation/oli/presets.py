"""The case presets (from ``data/oli_presets``) and the paper's one scale anchor.

The presets translate what Table 1 and Table A1 say about each firm into settings of the
simulator of :mod:`cocreation.oli.model`. They are our qualitative judgements, kept as
a data table with a schema; :data:`PRESETS` holds them as :class:`CasePreset` objects.

Examples
--------
>>> PRESETS["E"].rates
{'learning_rate': 0.1, 'brand_appeal': 4.0}
>>> PRESETS["B"].disposition
Disposition(structural=0.85, emotional=0.45)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

import pandas as pd

from .. import data, validate
from .model import RATE_NAMES, STAGE_LABELS, STAGES, Disposition, Engagement, Rates, expected_funnel, renews, simulate

__all__ = ["CASES", "CasePreset", "PRESETS", "load_presets", "reported_anchor", "preset_outcomes"]

#: Case letters of Table 1.
CASES = ("A", "B", "C", "D", "E")

#: Bound on ``n_seeds * months`` in :func:`preset_outcomes` (5,000 runs of 24 months per case).
MAX_SEED_MONTHS = 120_000


@dataclass(frozen=True)
class CasePreset:
    """Illustrative settings for one case, read qualitatively from Table 1 and Table A1.

    ``rates`` overrides fields of :class:`~cocreation.oli.model.Rates`.

    >>> CasePreset("A", Disposition(0.5, 0.5), Engagement(0.5, 0.5, 0.5, 0.5), {"speed": 1.0}, "")
    Traceback (most recent call last):
    ...
    ValueError: rates got unknown parameter 'speed'; its parameters are ...
    """

    case: str
    disposition: Disposition
    engagement: Engagement
    rates: Mapping[str, float]
    rationale: str

    def __post_init__(self) -> None:
        validate.choice("case", self.case, CASES)
        if not isinstance(self.disposition, Disposition):
            raise ValueError(f"disposition must be a Disposition, got {self.disposition!r}")
        if not isinstance(self.engagement, Engagement):
            raise ValueError(f"engagement must be an Engagement, got {self.engagement!r}")
        validate.keywords("rates", self.rates, RATE_NAMES)
        Rates(**self.rates)  # each rate in its domain


_DISPOSITION = tuple(f.name for f in fields(Disposition))
_ENGAGEMENT = tuple(f.name for f in fields(Engagement))


def load_presets() -> dict[str, CasePreset]:
    """The presets of ``data/oli_presets``, one :class:`CasePreset` per case.

    A rate column's empty cell keeps the simulator's default for that rate.

    >>> list(load_presets())
    ['A', 'B', 'C', 'D', 'E']
    """
    table = data.load("oli_presets")
    rate_columns = [c for c in table.columns if c in RATE_NAMES]
    out: dict[str, CasePreset] = {}
    for row in table.to_dict("records"):
        out[row["case"]] = CasePreset(
            row["case"],
            Disposition(*(row[k] for k in _DISPOSITION)),
            Engagement(*(row[k] for k in _ENGAGEMENT)),
            {k: float(row[k]) for k in rate_columns if not pd.isna(row[k])},
            row["rationale"],
        )
    return out


#: The case presets, A to E (loaded from ``data/oli_presets``).
PRESETS: dict[str, CasePreset] = load_presets()


def _preset(case: str) -> CasePreset:
    return PRESETS[validate.choice("case", case, tuple(PRESETS))]


def reported_anchor() -> dict[str, float]:
    """Case B's reported monthly views and RFQs, read from ``data/oli_figures``.

    >>> reported_anchor()
    {'views': 2000000.0, 'rfqs': 90.0}
    """
    figs = data.load("oli_figures").set_index("id")
    return {
        "views": float(figs.loc["case_b_views", "value"]) * 1e6,
        "rfqs": float(figs.loc["case_b_rfqs", "value"]),
    }


def preset_outcomes(n_seeds: int = 200, months: int = 24) -> pd.DataFrame:
    """Monte Carlo summary of every case preset next to Table 1's outcome.

    Parameters
    ----------
    n_seeds
        Runs per case (seeds ``0 .. n_seeds - 1``), an integer >= 1.
    months
        Length of the subscription, an integer in [1, 120]. ``n_seeds * months`` is
        at most 120,000 (to bound time).

    Returns
    -------
    pandas.DataFrame
        One row per case and stage: mean total over the subscription (``simulated``),
        the exact expectation (``expected``), the share of runs that renew
        (``renew_share``) and Table 1's ``stayed``.

    Examples
    --------
    >>> out = preset_outcomes(n_seeds=5, months=6)
    >>> sorted(out["case"].unique())
    ['A', 'B', 'C', 'D', 'E']
    >>> preset_outcomes(n_seeds=10_000)
    Traceback (most recent call last):
    ...
    ValueError: n_seeds * months must be at most 120,000 (to bound time and memory), got 240,000
    """
    n_seeds = validate.integer("n_seeds", n_seeds, lo=1)
    months = validate.integer("months", months, 1, 120)
    validate.work("n_seeds * months", n_seeds * months, MAX_SEED_MONTHS)
    stayed = data.load("oli_cases").set_index("id")["stayed"]
    rows = []
    for case, pre in PRESETS.items():
        totals = []
        renewed = 0
        for seed in range(n_seeds):
            run = simulate(pre.disposition, pre.engagement, months, seed, **pre.rates)
            totals.append(run.groupby("stage")["count"].sum())
            renewed += renews(run, pre.disposition, **pre.rates)
        mean = pd.concat(totals, axis=1).mean(axis=1)
        exp = expected_funnel(pre.disposition, pre.engagement, months, **pre.rates).groupby("stage")["count"].sum()
        for stage in STAGES:
            rows.append(
                {
                    "case": case,
                    "stage": stage,
                    "stage_label": STAGE_LABELS[stage],
                    "simulated": float(mean[stage]),
                    "expected": float(exp[stage]),
                    "renew_share": renewed / n_seeds,
                    "stayed": bool(stayed[case]),
                }
            )
    return pd.DataFrame(rows)
