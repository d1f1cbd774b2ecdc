"""The case presets (from ``data/oli_presets``) and the paper's one scale anchor.

The presets translate what Table 1 and Table A1 say about each firm into settings of the
simulator of :mod:`cocreation.oli.model`. They are our qualitative judgements, kept as
a data table with a schema; :data:`PRESETS` holds them as :class:`CasePreset` objects,
and :func:`grounds` says which quotation each number is read from, or that it is a free
choice. :func:`preset_outcomes` runs the presets; :func:`one_at_a_time` and
:func:`preset_sensitivity` show how their stay-or-leave outcome moves with the uncertain
parameters.

Examples
--------
>>> PRESETS["A"].rates
{'learning_rate': 0.1, 'lapse': 0.05}
>>> PRESETS["B"].disposition
Disposition(structural=0.85, emotional=0.45)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import Mapping

import pandas as pd

import numpy as np

from .. import data, validate
from .model import RATE_NAMES, STAGE_LABELS, STAGES, Disposition, Engagement, Rates, _path, expected_funnel
from .model_runs import _many

__all__ = [
    "CASES",
    "CasePreset",
    "PRESETS",
    "load_presets",
    "grounds",
    "reported_anchor",
    "preset_outcomes",
    "UNCERTAIN",
    "PARAMETER_LABELS",
    "parameter_ranges",
    "one_at_a_time",
    "preset_sensitivity",
]

#: Case letters of Table 1.
CASES = ("A", "B", "C", "D", "E")

#: Bound on ``n_seeds * months`` in :func:`preset_outcomes` (5,000 runs of 24 months per case).
MAX_SEED_MONTHS = 120_000
#: Bound on the runs of :func:`preset_sensitivity` (``n_draws * n_runs`` per case).
MAX_SENSITIVITY_RUNS = 20_000


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


_DEFAULT = Rates()
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


def grounds() -> pd.DataFrame:
    """What each preset number is read from: one row per case and parameter.

    Columns ``case``, ``parameter``, ``value``, ``quote`` (a Table A1 quote id, or
    empty), ``basis`` (our reading) and ``free`` (True when nothing in the paper bears
    on the number).

    >>> g = grounds().set_index(["case", "parameter"])
    >>> row = g.loc[("B", "switch_timing")]
    >>> float(row["value"]), bool(row["free"])
    (0.5, True)
    """
    return _grounds().copy()


@functools.lru_cache(maxsize=1)
def _grounds() -> pd.DataFrame:
    g = data.load("oli_preset_grounds").copy()
    values = []
    for case, name in zip(g["case"], g["parameter"]):
        values.append(_value_of(PRESETS[case], name))
    g["value"] = values
    g["quote"] = g["quote"].fillna("")
    g["free"] = g["quote"] == ""
    return g[["case", "parameter", "value", "quote", "basis", "free"]]


def _value_of(pre: CasePreset, name: str) -> float:
    if name in _DISPOSITION:
        return float(getattr(pre.disposition, name))
    if name in _ENGAGEMENT:
        return float(getattr(pre.engagement, name))
    return float(pre.rates.get(name, getattr(_DEFAULT, name)))


def _run(pre: CasePreset, setting: Mapping[str, float], months: int, n_runs: int, seed: int) -> dict[str, np.ndarray]:
    """Runs of ``pre`` with some of its values replaced by ``setting`` (inputs checked by the caller)."""
    return {k: v[0] for k, v in _runs(pre, [setting], months, n_runs, seed).items()}


def _runs(pre: CasePreset, settings: list[Mapping[str, float]], months: int, n_runs: int, seed: int) -> dict[str, np.ndarray]:
    """``n_runs`` runs of each setting, drawn together: arrays of shape ``(len(settings), n_runs)``."""
    return _many([_setting(pre, s, months) for s in settings], months, n_runs, seed)


def _setting(pre: CasePreset, setting: Mapping[str, float], months: int) -> tuple[Disposition, object, Rates]:
    disp = Disposition(*(setting.get(k, getattr(pre.disposition, k)) for k in _DISPOSITION))
    eng = Engagement(*(setting.get(k, getattr(pre.engagement, k)) for k in _ENGAGEMENT))
    overrides = {**pre.rates, **{k: v for k, v in setting.items() if k in RATE_NAMES}}
    if "rfq_reading" in setting:
        overrides["rfq_max"] = _DEFAULT.rfq_max * setting["rfq_reading"]
    r = Rates(**overrides)
    return disp, _path(disp, eng, months, r), r


def preset_outcomes(n_seeds: int = 200, months: int = 24, seed: int = 0) -> pd.DataFrame:
    """Monte Carlo summary of every case preset next to Table 1's outcome.

    Parameters
    ----------
    n_seeds
        Runs per case, an integer >= 1 (drawn with
        :func:`~cocreation.oli.model_runs.simulate_many` from one generator seeded
        with ``seed``, an integer >= 0).
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
    seed = validate.integer("seed", seed, lo=0)
    validate.work("n_seeds * months", n_seeds * months, MAX_SEED_MONTHS)
    stayed = data.load("oli_cases").set_index("id")["stayed"]
    columns = {"awareness": "views", "exploration": "rfqs", "expansion": "first", "commitment": "repeat"}
    rows = []
    for case, pre in PRESETS.items():
        runs = _run(pre, {}, months, n_seeds, seed)
        exp = expected_funnel(pre.disposition, pre.engagement, months, **pre.rates).groupby("stage")["count"].sum()
        for stage in STAGES:
            rows.append(
                {
                    "case": case,
                    "stage": stage,
                    "stage_label": STAGE_LABELS[stage],
                    "simulated": float(runs[columns[stage]].mean()),
                    "expected": float(exp[stage]),
                    "renew_share": float(runs["renews"].mean()),
                    "stayed": bool(stayed[case]),
                }
            )
    return pd.DataFrame(rows)


# --- sensitivity --------------------------------------------------------------------

#: The uncertain parameters and how far each moves: a number read from a quotation moves
#: ``grounded`` either side of the preset, a free choice ``free`` either side (both
#: clipped to the domain ``lo, hi``). ``rfq_reading`` scales the RFQ rate: 1 reads Case
#: B's 90 RFQs as monthly (the model's calibration), 1/24 as a two-year total.
UNCERTAIN: dict[str, dict[str, float]] = {
    **{k: {"grounded": 0.15, "free": 0.3, "lo": 0.0, "hi": 1.0} for k in (*_DISPOSITION, *_ENGAGEMENT)},
    "learning_rate": {"grounded": 0.05, "free": 0.1, "lo": 0.0, "hi": 1.0},
    "lapse": {"grounded": 0.02, "free": 0.02, "lo": 0.0, "hi": 1.0},
}
#: Labels of the uncertain parameters, as the page shows them.
PARAMETER_LABELS = {
    "structural": "Structural readiness",
    "emotional": "Emotional readiness",
    "reply_speed": "Reply speed",
    "marketing": "Use of marketing tools",
    "involvement": "Buyer involvement",
    "switch_timing": "Timing of off-platform switch",
    "learning_rate": "Learning rate λ",
    "lapse": "Lapse rate δ",
    "rfq_reading": "Case B's RFQs: total or monthly",
}


def parameter_ranges(case: str) -> pd.DataFrame:
    """The range each uncertain parameter of ``case``'s preset moves in.

    One row per parameter: ``value`` (the preset), ``free``, ``lo`` and ``hi``.

    >>> parameter_ranges("B").set_index("parameter").loc["switch_timing", ["lo", "hi"]].tolist()
    [0.2, 0.8]
    """
    pre = _preset(case)
    g = grounds()
    g = g[g["case"] == pre.case].set_index("parameter")
    rows = []
    for name, spec in UNCERTAIN.items():
        value = _value_of(pre, name)
        free = bool(g.loc[name, "free"]) if name in g.index else True
        step = spec["free"] if free else spec["grounded"]
        rows.append({"parameter": name, "value": value, "free": free,
                     "lo": round(max(spec["lo"], value - step), 6), "hi": round(min(spec["hi"], value + step), 6)})
    rows.append({"parameter": "rfq_reading", "value": 1.0, "free": True, "lo": 1 / 24, "hi": 1.0})
    return pd.DataFrame(rows)


def one_at_a_time(n_runs: int = 200, months: int = 24, seed: int = 0) -> pd.DataFrame:
    """Share of runs that renew when one uncertain parameter sits at either end of its range.

    Every other parameter keeps its preset value. One row per case and parameter, with
    ``label``, ``free``, ``lo``, ``hi``, ``value`` and the renewal shares ``at_lo``,
    ``at_preset`` and ``at_hi`` (``n_runs`` runs each, an integer in [1, 2,000]).

    >>> t = one_at_a_time(n_runs=20, months=6)
    >>> t.columns.tolist()[:3]
    ['case', 'parameter', 'label']
    """
    n_runs = validate.integer("n_runs", n_runs, 1, 2000)
    months = validate.integer("months", months, 1, 120)
    seed = validate.integer("seed", seed, lo=0)
    rows = []
    for case, pre in PRESETS.items():
        ranges = list(parameter_ranges(case).itertuples())
        settings = [{}] + [{r.parameter: getattr(r, end)} for r in ranges for end in ("lo", "hi")]
        share = _runs(pre, settings, months, n_runs, seed)["renews"].mean(axis=1)
        for j, r in enumerate(ranges):
            rows.append({"case": case, "parameter": r.parameter, "label": PARAMETER_LABELS[r.parameter],
                         "free": r.free, "lo": r.lo, "hi": r.hi, "value": r.value,
                         "at_lo": float(share[1 + 2 * j]), "at_preset": float(share[0]), "at_hi": float(share[2 + 2 * j])})
    return pd.DataFrame(rows)


def preset_sensitivity(n_draws: int = 100, n_runs: int = 40, months: int = 24, seed: int = 0) -> pd.DataFrame:
    """How often each preset's stay-or-leave outcome holds when all its uncertain parameters move.

    For each case, ``n_draws`` settings are drawn (seeded), each uncertain parameter of
    :func:`parameter_ranges` uniformly in its range and independently (Case B's RFQs
    stay read as monthly); each setting gets ``n_runs`` runs, and the model firm's
    outcome there is what most runs do. ``n_draws * n_runs`` is at most 20,000.

    Returns one row per case: ``preset_share`` (runs that renew at the preset),
    ``model_stays`` (the preset's majority outcome), ``holds`` (share of draws with the
    same majority outcome), ``mean_share`` (runs that renew over all draws) and Table
    1's ``stayed``.

    >>> preset_sensitivity(n_draws=4, n_runs=5, months=6)["case"].tolist()
    ['A', 'B', 'C', 'D', 'E']
    """
    n_draws = validate.integer("n_draws", n_draws, lo=1)
    n_runs = validate.integer("n_runs", n_runs, lo=1)
    months = validate.integer("months", months, 1, 120)
    seed = validate.integer("seed", seed, lo=0)
    validate.work("n_draws * n_runs", n_draws * n_runs, MAX_SENSITIVITY_RUNS)
    stayed = data.load("oli_cases").set_index("id")["stayed"]
    rng = np.random.default_rng(seed)
    rows = []
    for case, pre in PRESETS.items():
        ranges = parameter_ranges(case)
        ranges = ranges[ranges["parameter"] != "rfq_reading"]
        base = float(_run(pre, {}, months, n_runs * 5, seed)["renews"].mean())
        draws = rng.uniform(ranges["lo"].to_numpy(), ranges["hi"].to_numpy(), size=(n_draws, len(ranges)))
        settings = [dict(zip(ranges["parameter"], map(float, row))) for row in draws]
        shares = _runs(pre, settings, months, n_runs, seed + 1)["renews"].mean(axis=1)
        stays = base > 0.5
        rows.append({"case": case, "preset_share": base, "model_stays": stays,
                     "holds": float(np.mean((shares > 0.5) == stays)), "mean_share": float(shares.mean()),
                     "stayed": bool(stayed[case])})
    return pd.DataFrame(rows)
