"""New OLI advantages on B2B cross-border e-commerce platforms (source 004).

Two kinds of content live here.

* **The paper's data** (Table 1 cases, Table A1 concepts and quotes, and our
  reconstruction of the Figure 1 data structure) and the charts that show it:
  :func:`structure_chart`, :func:`case_chart`.
* **An illustrative simulator** of how buyers move through the relationship stages
  (awareness → exploration → expansion → commitment) on the platform:
  :func:`simulate` (one stochastic run), :func:`expected_funnel` (its exact
  expectation), :func:`funnel_totals` / :func:`funnel_grid` (the precomputed grid the
  static page filters with sliders), the case presets ``PRESETS`` and
  :func:`renews` (the renewal decision at the end of the subscription). The paper
  measures none of the simulator's rates; the only scale anchor is Case B's report of
  about 2 million monthly views and almost 90 requests for quotation.

Model (all per month ``t = 1..months``)
---------------------------------------
Disposition has a structural part ``s`` and an emotional part ``m``; its index is
``d = (s + m) / 2``. Engagement has four parts in [0, 1]: reply speed, use of marketing
tools, buyer involvement and the timing of the off-platform switch (1 = well timed).

1. **Learning loop.** Each engagement part ``x`` improves towards 1 as
   ``x_{t+1} = x_t + λ d x_t (1 - x_t)``, with learning rate ``λ``: a readier firm
   learns faster, and a firm that does not engage at all (``x = 0``) has nothing to
   learn from.
2. **Readiness gates engagement.** What reaches buyers is ``κ x_t`` with
   ``κ = κ0 + (1 - κ0) d``.
3. **Awareness.** Views ``V_t ~ Poisson(V_max (v0 + (1 - v0) κ marketing_t))``.
4. **Exploration.** RFQs ``R_t ~ Binomial(V_t, q_t)``, ``q_t`` rising with involvement and
   reply speed.
5. **Expansion.** Open RFQs form a pool; each month a lead becomes a first purchase with
   probability ``h1_t`` (reply speed, involvement, switch timing, structural capacity,
   brand appeal) or goes cold with probability ``lead_loss``.
6. **Commitment.** One-time buyers become repeat buyers with probability ``h2_t``
   (switch timing, involvement) or lapse with probability ``buyer_loss``.
7. **Renewal.** At the end the firm renews if ``first + w · committed`` reaches
   ``E (1 - m) + S (1 - s)``: low emotional readiness means high expectations, low
   structural readiness means stress.

Because the engagement path is deterministic and every draw is a (multinomial) thinning,
expected counts follow the same recursion with the draws replaced by their means, which
is what :func:`expected_funnel` computes.

Examples
--------
>>> run = simulate(0.6, 0.7, months=12, seed=1)
>>> sorted(run["stage"].unique()) == sorted(STAGES)
True
>>> exp = expected_funnel(0.6, 0.7, months=12)
>>> bool((exp.groupby("stage")["cumulative"].max() > 0).all())
True
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Mapping

import altair as alt
import numpy as np
import pandas as pd

from . import charts, data, widgets

__all__ = [
    "STAGES",
    "STAGE_LABELS",
    "Disposition",
    "Engagement",
    "Rates",
    "CasePreset",
    "PRESETS",
    "GRID_PARAMS",
    "simulate",
    "expected_funnel",
    "funnel_totals",
    "funnel_grid",
    "renews",
    "renewal_threshold",
    "preset_outcomes",
    "reported_anchor",
    "structure_tables",
    "structure_chart",
    "quote_panel_rows",
    "case_table",
    "case_chart",
    "funnel_explorer",
    "case_b_chart",
    "preset_chart",
    "live_simulator",
]

#: Relationship stages (Dwyer et al., 1987, as the paper operationalizes them).
STAGES = ("awareness", "exploration", "expansion", "commitment")
STAGE_LABELS = {
    "awareness": "Awareness: views",
    "exploration": "Exploration: RFQs",
    "expansion": "Expansion: first purchases",
    "commitment": "Commitment: repeat buyers",
}
CASES = ("A", "B", "C", "D", "E")


def _unit(name: str, value: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}") from None
    if not (0.0 <= v <= 1.0) or math.isnan(v):
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    return v


@dataclass(frozen=True)
class Disposition:
    """The exporter's readiness: structural and emotional, each in [0, 1].

    >>> Disposition(0.8, 0.4).index
    0.6
    >>> Disposition(1.2, 0.5)
    Traceback (most recent call last):
    ...
    ValueError: structural must be in [0, 1], got 1.2
    """

    structural: float
    emotional: float

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, _unit(f.name, getattr(self, f.name)))

    @property
    def index(self) -> float:
        """The disposition index ``d``: the mean of both parts."""
        return round((self.structural + self.emotional) / 2, 12)


@dataclass(frozen=True)
class Engagement:
    """The exporter's engagement at the start: four parts, each in [0, 1].

    ``switch_timing`` is 1 when the firm moves buyers off the platform at the right
    time and 0 when it moves far too early (or never).

    >>> Engagement(0.5, 1.0, 0.5, 0.0).index
    0.5
    """

    reply_speed: float
    marketing: float
    involvement: float
    switch_timing: float

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, _unit(f.name, getattr(self, f.name)))

    @property
    def index(self) -> float:
        """The mean of the four parts."""
        return round(sum(asdict(self).values()) / 4, 12)


@dataclass(frozen=True)
class Rates:
    """The simulator's rates. All are illustrative (the paper measures none of them).

    ``views_max`` and ``rfq_max`` are chosen by hand so that the Case B preset lands
    near the only view and RFQ figures the paper reports for a case (Case B: about 2
    million monthly views, almost 90 RFQs); the others only set plausible relative sizes.
    """

    views_max: float = 3.0e6  #: monthly views at full effective marketing
    views_floor: float = 0.05  #: share of views_max with no effective marketing
    rfq_max: float = 7.0e-5  #: RFQs per view at full effective involvement and speed
    rfq_floor: float = 0.1
    first_max: float = 0.006  #: monthly probability a lead buys, at full engagement
    lead_loss: float = 0.5  #: monthly probability an open lead goes cold
    commit_max: float = 0.05  #: monthly probability a one-time buyer buys again
    buyer_loss: float = 0.15  #: monthly probability a one-time buyer lapses
    learning_rate: float = 0.1  #: λ of the learning loop
    readiness_floor: float = 0.25  #: κ0, how much engagement gets through with d = 0
    brand_appeal: float = 1.0  #: multiplies the first-purchase probability
    expectation: float = 5.0  #: E, buyer-equivalents expected at zero emotional readiness
    stress: float = 6.0  #: S, stress at zero structural readiness, in buyer-equivalents
    commit_weight: float = 5.0  #: w, a repeat buyer counts as w one-time buyers

    def __post_init__(self) -> None:
        positive = ("views_max", "rfq_max", "first_max", "commit_max", "brand_appeal")
        unit = ("views_floor", "rfq_floor", "lead_loss", "buyer_loss", "learning_rate", "readiness_floor")
        for name in positive + unit + ("expectation", "stress", "commit_weight"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or math.isnan(v):
                raise ValueError(f"{name} must be a number, got {v!r}")
            if name in positive and not v > 0:
                raise ValueError(f"{name} must be > 0, got {v}")
            if name in unit and not 0 <= v <= 1:
                raise ValueError(f"{name} must be in [0, 1], got {v}")
            if name in ("expectation", "stress", "commit_weight") and v < 0:
                raise ValueError(f"{name} must be >= 0, got {v}")
        if self.rfq_max > 1:
            raise ValueError(f"rfq_max must be in (0, 1], got {self.rfq_max}")
        if self.lead_loss + self.first_max * self.brand_appeal > 1:
            raise ValueError(
                "lead_loss + first_max * brand_appeal must be <= 1 (they are shares of the "
                f"open leads), got {self.lead_loss + self.first_max * self.brand_appeal}"
            )
        if self.buyer_loss + self.commit_max > 1:
            raise ValueError(
                f"buyer_loss + commit_max must be <= 1, got {self.buyer_loss + self.commit_max}"
            )


def _as_disposition(value: Disposition | float) -> Disposition:
    if isinstance(value, Disposition):
        return value
    v = _unit("disposition", value)
    return Disposition(v, v)


def _as_engagement(value: Engagement | float) -> Engagement:
    if isinstance(value, Engagement):
        return value
    v = _unit("engagement", value)
    return Engagement(v, v, v, v)


def _rates(rates: Rates | None, overrides: Mapping[str, Any]) -> Rates:
    base = rates or Rates()
    known = {f.name for f in fields(Rates)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown rate(s) {sorted(unknown)}; valid rates: {sorted(known)}")
    return replace(base, **overrides)


def _months(months: int) -> int:
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or not 1 <= months <= 120:
        raise ValueError(f"months must be an integer in [1, 120], got {months!r}")
    return int(months)


@dataclass(frozen=True)
class _Path:
    """Per-month deterministic drivers of the model."""

    engagement: np.ndarray  # effective engagement index (after κ)
    views: np.ndarray  # expected views
    rfq: np.ndarray  # RFQ probability per view
    first: np.ndarray  # monthly lead -> first purchase probability
    commit: np.ndarray  # monthly one-time -> repeat probability


def _path(disp: Disposition, eng: Engagement, months: int, r: Rates) -> _Path:
    d = disp.index
    kappa = r.readiness_floor + (1 - r.readiness_floor) * d
    rate = r.learning_rate * d

    def part(x0: float) -> np.ndarray:
        x = np.empty(months)
        x[0] = x0
        for i in range(1, months):
            x[i] = x[i - 1] + rate * x[i - 1] * (1 - x[i - 1])
        return kappa * x

    reply, mkt, inv, sw = (part(x) for x in (eng.reply_speed, eng.marketing, eng.involvement, eng.switch_timing))
    views = r.views_max * (r.views_floor + (1 - r.views_floor) * mkt)
    rfq = r.rfq_max * (r.rfq_floor + (1 - r.rfq_floor) * (inv + reply) / 2)
    capacity = 0.2 + 0.8 * disp.structural
    first = r.first_max * r.brand_appeal * capacity * (0.05 + 0.95 * (0.5 * reply + 0.25 * inv + 0.25 * sw))
    commit = r.commit_max * (0.05 + 0.95 * (0.6 * sw + 0.4 * inv))
    return _Path((reply + mkt + inv + sw) / 4, views, rfq, first, commit)


def _frame(months: int, counts: dict[str, np.ndarray], engagement: np.ndarray) -> pd.DataFrame:
    rows = []
    for stage in STAGES:
        c = counts[stage]
        rows.append(
            pd.DataFrame(
                {
                    "month": np.arange(1, months + 1),
                    "stage": stage,
                    "count": c,
                    "cumulative": np.cumsum(c),
                    "engagement": engagement,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def simulate(
    disposition: Disposition | float,
    engagement: Engagement | float,
    months: int = 24,
    seed: int | None = 0,
    *,
    rates: Rates | None = None,
    **overrides: float,
) -> pd.DataFrame:
    """One stochastic run of the illustrative relationship-development model.

    Parameters
    ----------
    disposition
        A :class:`Disposition`, or one number in [0, 1] used for both parts.
    engagement
        An :class:`Engagement`, or one number in [0, 1] used for all four parts.
    months
        Length of the subscription, 1 to 120 (the paper's firms chose two years).
    seed
        Seed of numpy's random generator; the same seed gives the same run.
    rates
        A :class:`Rates` to start from (default ``Rates()``).
    **overrides
        Any field of :class:`Rates`, e.g. ``learning_rate=0.2``.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per month and stage with ``month``, ``stage``, ``count`` (new
        this month), ``cumulative`` and ``engagement`` (the effective engagement index).

    Examples
    --------
    >>> a = simulate(0.5, 0.5, months=6, seed=3)
    >>> a.equals(simulate(0.5, 0.5, months=6, seed=3))
    True
    >>> len(a)
    24
    >>> simulate(0.5, 0.5, learning=0.1)
    Traceback (most recent call last):
    ...
    ValueError: unknown rate(s) ['learning']...
    """
    disp, eng = _as_disposition(disposition), _as_engagement(engagement)
    months = _months(months)
    r = _rates(rates, overrides)
    p = _path(disp, eng, months, r)
    rng = np.random.default_rng(seed)
    counts = {s: np.zeros(months, dtype=np.int64) for s in STAGES}
    leads = one_time = 0
    for i in range(months):
        v = rng.poisson(p.views[i])
        q = rng.binomial(v, p.rfq[i])
        leads += q
        f, lost, _ = rng.multinomial(leads, [p.first[i], r.lead_loss, 1 - p.first[i] - r.lead_loss])
        leads -= f + lost
        one_time += f
        c, lapsed, _ = rng.multinomial(one_time, [p.commit[i], r.buyer_loss, 1 - p.commit[i] - r.buyer_loss])
        one_time -= c + lapsed
        for stage, n in zip(STAGES, (v, q, f, c)):
            counts[stage][i] = n
    return _frame(months, counts, p.engagement)


def expected_funnel(
    disposition: Disposition | float,
    engagement: Engagement | float,
    months: int = 24,
    *,
    rates: Rates | None = None,
    **overrides: float,
) -> pd.DataFrame:
    """The exact expectation of :func:`simulate`, in the same tidy shape (float counts).

    Examples
    --------
    >>> e = expected_funnel(1.0, 1.0, months=1, learning_rate=0.0)
    >>> round(float(e.loc[e.stage == "awareness", "count"].iloc[0]))
    3000000
    """
    disp, eng = _as_disposition(disposition), _as_engagement(engagement)
    months = _months(months)
    r = _rates(rates, overrides)
    p = _path(disp, eng, months, r)
    counts = {s: np.zeros(months) for s in STAGES}
    leads = one_time = 0.0
    for i in range(months):
        v = p.views[i]
        q = v * p.rfq[i]
        leads += q
        f = leads * p.first[i]
        leads -= f + leads * r.lead_loss
        one_time += f
        c = one_time * p.commit[i]
        one_time -= c + one_time * r.buyer_loss
        for stage, n in zip(STAGES, (v, q, f, c)):
            counts[stage][i] = n
    return _frame(months, counts, p.engagement)


def renewal_threshold(disposition: Disposition | float, *, rates: Rates | None = None, **overrides: float) -> float:
    """Buyer-equivalents a firm needs to renew: ``E (1 - emotional) + S (1 - structural)``.

    >>> renewal_threshold(Disposition(1.0, 1.0))
    0.0
    >>> renewal_threshold(Disposition(0.5, 0.0))
    8.0
    """
    disp = _as_disposition(disposition)
    r = _rates(rates, overrides)
    return r.expectation * (1 - disp.emotional) + r.stress * (1 - disp.structural)


def renews(
    run: pd.DataFrame, disposition: Disposition | float, *, rates: Rates | None = None, **overrides: float
) -> bool:
    """The renewal decision at the end of the subscription, from one run.

    The firm renews when ``first purchases + w · repeat buyers`` reaches
    :func:`renewal_threshold`.

    >>> run = simulate(Disposition(0.9, 0.9), 0.9, seed=0)
    >>> renews(run, Disposition(0.9, 0.9))
    True
    """
    r = _rates(rates, overrides)
    missing = {"stage", "count"} - set(run.columns)
    if missing:
        raise ValueError(f"run must be a frame from simulate(); it lacks {sorted(missing)}")
    totals = run.groupby("stage")["count"].sum()
    score = totals.get("expansion", 0) + r.commit_weight * totals.get("commitment", 0)
    return bool(score >= renewal_threshold(disposition, rates=r))


# --- case presets ---------------------------------------------------------------


@dataclass(frozen=True)
class CasePreset:
    """Illustrative settings for one case, read qualitatively from Table 1 and Table A1."""

    case: str
    disposition: Disposition
    engagement: Engagement
    rates: Mapping[str, float]
    rationale: str


PRESETS: dict[str, CasePreset] = {
    "A": CasePreset(
        "A",
        Disposition(structural=0.45, emotional=0.75),
        Engagement(reply_speed=0.4, marketing=0.85, involvement=0.4, switch_timing=0.7),
        {"learning_rate": 0.1},
        "Micro firm (1–9 staff); used all the platform's tools and got high exposure, but "
        "left the account unattended for weeks; expected more yet thought it 'might require "
        "more time'; a physical meeting and tasting turned one contact into a continuing "
        "agreement.",
    ),
    "B": CasePreset(
        "B",
        Disposition(structural=0.85, emotional=0.45),
        Engagement(reply_speed=0.8, marketing=0.95, involvement=0.9, switch_timing=0.3),
        {"learning_rate": 0.15},
        "Outsourced daily platform work to a skilled team almost at once (structural "
        "readiness); keyword and premium sponsored ads, live streams and a virtual tour "
        "(engagement); learned from the analytics; but over-expected ('much easier') and "
        "got mostly one-time sales.",
    ),
    "C": CasePreset(
        "C",
        Disposition(structural=0.35, emotional=0.45),
        Engagement(reply_speed=0.3, marketing=0.5, involvement=0.5, switch_timing=0.7),
        {"learning_rate": 0.15},
        "Had not budgeted the near full-time employee the account needs and was too slow "
        "to set prices; knew buyers must taste the wine to close; learned pricing and "
        "added private labelling; one stable importer; left.",
    ),
    "D": CasePreset(
        "D",
        Disposition(structural=0.1, emotional=0.35),
        Engagement(reply_speed=0.3, marketing=0.3, involvement=0.2, switch_timing=0.3),
        {"learning_rate": 0.05},
        "Not exporting before; too little capacity for large orders and no know-how on "
        "customs, logistics or labelling; no staff time even for the free tools; several "
        "requests, no sales; left.",
    ),
    "E": CasePreset(
        "E",
        Disposition(structural=0.15, emotional=0.2),
        Engagement(reply_speed=0.5, marketing=0.5, involvement=0.4, switch_timing=0.1),
        {"learning_rate": 0.1, "brand_appeal": 4.0},
        "Largest firm (50–249) with well-established brands; discovered the RFQ market; "
        "but hierarchical routines clashed with the platform's pace, foreign sales "
        "offices were not motivated, and buyers were moved to e-mail too early. Table 1 "
        "reports some sales from the beginning and medium-term contracts, which this "
        "model cannot reach with such low readiness unless brand appeal is raised (a "
        "fudge, not a finding); it left because of the stress.",
    ),
}


def _preset(case: str) -> CasePreset:
    if case not in PRESETS:
        raise ValueError(f"case must be one of {list(PRESETS)}, got {case!r}")
    return PRESETS[case]


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

    Returns one row per case and stage: mean total over the subscription
    (``simulated``), the exact expectation (``expected``), the share of runs that renew
    (``renew_share``) and Table 1's ``stayed``.

    >>> out = preset_outcomes(n_seeds=5, months=6)
    >>> sorted(out["case"].unique())
    ['A', 'B', 'C', 'D', 'E']
    """
    if isinstance(n_seeds, bool) or not isinstance(n_seeds, int) or n_seeds < 1:
        raise ValueError(f"n_seeds must be a positive integer, got {n_seeds!r}")
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


# --- static grid ----------------------------------------------------------------

GRID_PARAMS = [
    widgets.Param("disposition", "Disposition (readiness)", 0.0, 1.0, 0.1, 0.5),
    widgets.Param("engagement", "Engagement", 0.0, 1.0, 0.1, 0.5),
    widgets.Param("learning_rate", "Learning rate λ", 0.0, 0.2, 0.05, 0.1),
]


def funnel_totals(disposition: float, engagement: float, learning_rate: float = 0.1, months: int = 24) -> pd.DataFrame:
    """Expected totals per stage over the subscription (one row per stage).

    Disposition and engagement are single numbers here (all their parts equal).

    >>> funnel_totals(0.5, 0.5)["stage"].tolist()
    ['awareness', 'exploration', 'expansion', 'commitment']
    """
    e = expected_funnel(disposition, engagement, months, learning_rate=learning_rate)
    totals = e.groupby("stage", sort=False)["count"].sum()
    return pd.DataFrame(
        {
            "stage": list(STAGES),
            "stage_label": [STAGE_LABELS[s] for s in STAGES],
            "expected": [float(totals[s]) for s in STAGES],
        }
    )


def funnel_grid() -> pd.DataFrame:
    """:func:`funnel_totals` on every slider combination of ``GRID_PARAMS``.

    >>> len(funnel_grid())
    2420
    """
    g = widgets.grid(funnel_totals, GRID_PARAMS)
    g["expected"] = g["expected"].round(6)
    return g


def _fmt_count(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.1f} million"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}"


_LOG_LABELS = "datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + 'M' : format(datum.value, ',~g')"


def funnel_explorer(grid_frame: pd.DataFrame | None = None) -> alt.VConcatChart:
    """Static explorer: expected funnel at the sliders, and a heatmap of repeat buyers.

    >>> spec = funnel_explorer().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['disposition', 'engagement', 'learning_rate']
    """
    g = funnel_grid() if grid_frame is None else grid_frame
    g = g[["disposition", "engagement", "learning_rate", "stage", "stage_label", "expected"]]
    params = widgets.slider_params(GRID_PARAMS)
    base = alt.Chart(g)
    order = [STAGE_LABELS[s] for s in STAGES]
    bars = (
        base.transform_filter(widgets.filter_expression(GRID_PARAMS))
        .transform_calculate(
            shown="datum.expected >= 1e6 ? format(datum.expected / 1e6, '.1f') + ' million' : "
            "(datum.expected >= 100 ? format(datum.expected, ',.0f') : format(datum.expected, '.2f'))",
            base="0.01",
        )
        .encode(
            y=alt.Y("stage_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X(
                "expected:Q",
                scale=alt.Scale(type="log", domain=[0.01, 1e8]),
                title="Expected total over 24 months (log scale)",
                axis=alt.Axis(values=[0.01, 1, 100, 1e4, 1e6, 1e8], labelExpr=_LOG_LABELS),
            ),
            tooltip=[alt.Tooltip("stage_label:N", title="Stage"), alt.Tooltip("shown:N", title="Expected")],
        )
    )
    funnel = alt.layer(
        bars.mark_bar(color=charts.PALETTE[0]).encode(x2="base:Q"),
        bars.mark_text(align="left", dx=4).encode(text="shown:N"),
    ).properties(width=270, height=170, title="Expected funnel at the sliders")
    heat_base = base.transform_filter(f"datum.stage == 'commitment' && abs(datum.learning_rate - learning_rate) < 0.025")
    heat = alt.layer(
        heat_base.mark_rect().encode(
            x=alt.X("disposition:O", title="Disposition", axis=alt.Axis(format=".1f", labelAngle=0)),
            y=alt.Y("engagement:O", title="Engagement", sort="descending", axis=alt.Axis(format=".1f")),
            color=alt.Color("expected:Q", title="Repeat buyers", scale=alt.Scale(scheme=charts.SEQUENTIAL)),
            tooltip=[
                alt.Tooltip("disposition:Q", format=".1f"),
                alt.Tooltip("engagement:Q", format=".1f"),
                alt.Tooltip("expected:Q", title="Expected repeat buyers", format=".2f"),
            ],
        ),
        heat_base.transform_filter("abs(datum.disposition - disposition) < 0.05 && abs(datum.engagement - engagement) < 0.05")
        .mark_rect(fill=None, stroke="white", strokeWidth=3)
        .encode(x="disposition:O", y=alt.Y("engagement:O", sort="descending")),
    ).properties(width=260, height=260, title="Expected repeat buyers (commitment)")
    return alt.vconcat(funnel, heat).add_params(*params).properties(
        description=(
            "Illustrative expected relationship funnel. Left: expected views, RFQs, first "
            "purchases and repeat buyers over a 24-month subscription for the disposition, "
            "engagement and learning rate set by the sliders. Below: expected repeat buyers "
            "for every disposition and engagement at the chosen learning rate, the current "
            "setting outlined."
        )
    )


def case_b_chart(seed: int = 0) -> alt.HConcatChart:
    """Case B preset: one simulated run and the expectation against the reported scale.

    >>> spec = case_b_chart().to_dict()
    >>> len(spec["hconcat"])
    2
    """
    pre = PRESETS["B"]
    run = simulate(pre.disposition, pre.engagement, 24, seed, **pre.rates)
    exp = expected_funnel(pre.disposition, pre.engagement, 24, **pre.rates)
    anchor = reported_anchor()
    keep = ["awareness", "exploration"]
    frames = []
    for name, f in (("one simulated run", run), ("expected", exp)):
        f = f[f.stage.isin(keep)][["month", "stage", "count"]].copy()
        f["series"] = name
        frames.append(f)
    df = pd.concat(frames, ignore_index=True)
    df["panel"] = df["stage"].map({"awareness": "Views per month", "exploration": "RFQs per month"})
    ref = pd.DataFrame(
        {"panel": ["Views per month", "RFQs per month"], "reported": [anchor["views"], anchor["rfqs"]]}
    )
    return _case_b_layers(df, ref)


def _case_b_layers(df: pd.DataFrame, ref: pd.DataFrame) -> alt.HConcatChart:
    panels = []
    for panel in ("Views per month", "RFQs per month"):
        d = df[df.panel == panel]
        r = ref[ref.panel == panel]
        lines = alt.Chart(d).mark_line(point=alt.OverlayMarkDef(size=20)).encode(
            x=alt.X("month:Q", title="Month of the subscription"),
            y=alt.Y("count:Q", title=panel, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N", title=None, legend=alt.Legend(orient="bottom"), scale=alt.Scale(domain=["one simulated run", "expected"], range=[charts.PALETTE[0], charts.PALETTE[1]])
            ),
            tooltip=["month:Q", "series:N", alt.Tooltip("count:Q", format=",.0f")],
        )
        rule = alt.Chart(r).mark_rule(color=charts.PALETTE[5], strokeDash=[6, 3], size=2).encode(
            y="reported:Q", tooltip=[alt.Tooltip("reported:Q", title="Reported by Case B", format=",.0f")]
        )
        panels.append(alt.layer(lines, rule).properties(width=220, height=200))
    return alt.hconcat(*panels).properties(
        description=(
            "Case B preset: one simulated run and the expected monthly views and RFQs over "
            "24 months; the dashed vermillion line marks the paper's report of about 2 "
            "million monthly views and almost 90 RFQs."
        )
    )


def preset_chart(outcomes: pd.DataFrame) -> alt.Chart:
    """Dot plot of each preset's mean totals per stage (from :func:`preset_outcomes`).

    >>> preset_chart(preset_outcomes(n_seeds=2, months=3)).to_dict()["mark"]["type"]
    'point'
    """
    o = outcomes[["case", "stage_label", "simulated", "renew_share", "stayed"]].copy()
    o["plotted"] = o["simulated"].clip(lower=0.01)
    o["Table 1"] = np.where(o["stayed"], "stayed", "left")
    return (
        alt.Chart(o)
        .mark_point(filled=True, size=120)
        .encode(
            x=alt.X(
                "plotted:Q",
                scale=alt.Scale(type="log", domain=[0.01, 1e8]),
                title="Mean total over 24 months (log scale)",
                axis=alt.Axis(values=[0.01, 1, 100, 1e4, 1e6, 1e8], labelExpr=_LOG_LABELS),
            ),
            y=alt.Y("stage_label:N", sort=[STAGE_LABELS[s] for s in STAGES], title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color("case:N", title="Case", scale=alt.Scale(domain=list(CASES), range=charts.PALETTE[:5])),
            shape=alt.Shape("Table 1:N", title="Table 1", scale=alt.Scale(domain=["stayed", "left"], range=["circle", "triangle-down"])),
            yOffset=alt.YOffset("case:N"),
            tooltip=[
                "case:N",
                alt.Tooltip("stage_label:N", title="Stage"),
                alt.Tooltip("simulated:Q", title="Mean total", format=",.2f"),
                alt.Tooltip("renew_share:Q", title="Runs that renew", format=".0%"),
                "Table 1:N",
            ],
        )
        .properties(width=340, height=260, description="Illustrative case presets: mean simulated totals per relationship stage for cases A to E, shaped by whether the firm stayed (Table 1).")
    )


# --- data structure -------------------------------------------------------------


def structure_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the reconstructed data structure (concept → theme → dimension).

    Node ``groups`` lists the cases whose quotes illustrate the node.

    >>> nodes, edges = structure_tables()
    >>> nodes.groupby("layer").size().tolist()
    [16, 9, 4]
    """
    concepts = data.load("oli_concepts")
    themes = data.load("oli_themes")
    dims = data.load("oli_dimensions")
    quotes = data.load("oli_quotes")
    cases_of = quotes.groupby("concept")["case"].apply(lambda s: sorted(set(s)))
    nq = quotes.groupby("concept").size()
    c = pd.DataFrame(
        {
            "id": concepts["id"],
            "label": concepts["short"].map(lambda s: textwrap.fill(s, 26)),
            "layer": 0,
            "order": concepts["order"],
            "level": "First-order concept (Table A1)",
            "definition": concepts["label"],
            "cases": concepts["id"].map(lambda i: ", ".join(cases_of.get(i, []))),
            "n_quotes": concepts["id"].map(nq).fillna(0).astype(int),
            "groups": concepts["id"].map(lambda i: ";".join(cases_of.get(i, []))),
        }
    )
    theme_cases = {t: sorted({x for i in concepts[concepts.theme == t]["id"] for x in cases_of.get(i, [])}) for t in themes["id"]}
    t = pd.DataFrame(
        {
            "id": themes["id"],
            "label": themes["label"].str.replace(" (name reconstructed)", "*", regex=False).map(lambda s: textwrap.fill(s, 24)),
            "layer": 1,
            "order": themes["order"],
            "level": "Second-order theme (reconstructed)",
            "definition": themes["definition"],
            "cases": themes["id"].map(lambda i: ", ".join(theme_cases[i])),
            "n_quotes": themes["id"].map(lambda i: int(nq.reindex(concepts[concepts.theme == i]["id"]).fillna(0).sum())),
            "groups": themes["id"].map(lambda i: ";".join(theme_cases[i])),
        }
    )
    dim_cases = {d: sorted({x for i in themes[themes.dimension == d]["id"] for x in theme_cases[i]}) for d in dims["id"]}
    dm = pd.DataFrame(
        {
            "id": dims["id"],
            "label": dims["label"].map(lambda s: textwrap.fill(s[0].upper() + s[1:], 22)),
            "layer": 2,
            "order": dims["order"],
            "level": "Aggregate dimension",
            "definition": dims["definition"],
            "cases": dims["id"].map(lambda i: ", ".join(dim_cases[i])),
            "n_quotes": dims["id"].map(lambda i: int(t.set_index("id").loc[themes[themes.dimension == i]["id"], "n_quotes"].sum())),
            "groups": dims["id"].map(lambda i: ";".join(dim_cases[i])),
        }
    )
    nodes = pd.concat([c, t, dm], ignore_index=True)
    e1 = pd.DataFrame({"source": concepts["id"], "target": concepts["theme"], "style": "solid"})
    e2 = pd.DataFrame({"source": themes["id"], "target": themes["dimension"], "style": "solid"})
    edges = pd.concat([e1, e2], ignore_index=True)
    edges["groups"] = edges["source"].map(nodes.set_index("id")["groups"])
    return nodes, edges


def quote_panel_rows(width: int = 78) -> pd.DataFrame:
    """Lines of text for the structure explorer's side panel, one row per line.

    Concepts get their Table A1 name and quotes (each with case, role and source);
    themes and dimensions get their definition (and, for themes, the evidence).

    >>> rows = quote_panel_rows()
    >>> bool(rows.groupby("id")["line"].min().eq(0).all())
    True
    """
    concepts = data.load("oli_concepts").set_index("id")
    themes = data.load("oli_themes").set_index("id")
    dims = data.load("oli_dimensions").set_index("id")
    quotes = data.load("oli_quotes")
    out: list[dict[str, Any]] = []

    def add(node: str, text: str, kind: str, case: str = "") -> None:
        for ln in textwrap.wrap(text, width) or [""]:
            out.append({"id": node, "text": ln, "kind": kind, "case": case})

    for cid, row in concepts.iterrows():
        add(cid, "Concept: " + row["label"], "head")
        for _, q in quotes[quotes.concept == cid].iterrows():
            add(cid, "“" + q["quote"] + "”", "quote", q["case"])
            add(cid, f"— Case {q['case']}, {q['role']} (source {q['source']}, {q['locator']})", "attribution", q["case"])
    for tid, row in themes.iterrows():
        add(tid, "Theme: " + row["label"], "head")
        add(tid, row["definition"], "text")
        add(tid, "Reconstruction rests on: " + row["evidence"], "attribution")
    for did, row in dims.iterrows():
        add(did, "Aggregate dimension: " + row["label"], "head")
        add(did, row["definition"], "text")
    df = pd.DataFrame(out)
    df["line"] = df.groupby("id").cumcount()
    df["case_key"] = ";" + df["case"] + ";"
    return df


def structure_chart() -> alt.VConcatChart:
    """The data-structure explorer: generated diagram, case filter and a quote panel.

    Pointing at a node shows its quotes (concepts) or definition (themes, dimensions)
    in the panel below; the case dropdown dims what that case does not illustrate.

    >>> spec = structure_chart().to_dict()
    >>> [p["name"] for p in spec["params"]]
    ['case_focus', 'node_hover']
    """
    nodes, edges = structure_tables()
    diagram = charts.flow_diagram(
        nodes,
        edges,
        node_tooltip=("level", "definition", "cases", "n_quotes"),
        highlight="case_focus",
        highlight_options=list(CASES),
        highlight_label="Case",
        layer_titles=("First-order concepts", "Second-order themes (reconstructed)", "Aggregate dimensions"),
        width=560,
        height=820,
        description=(
            "Data structure of source 004 as reconstructed for this book: 16 first-order "
            "concepts from Table A1 linked to 9 second-order themes and 4 aggregate "
            "dimensions. A case dropdown dims the nodes that case does not illustrate."
        ),
    )
    hover = alt.selection_point(name="node_hover", fields=["id"], on="pointerover", clear=False, empty=False)
    params = list(diagram.params) if diagram.params is not alt.Undefined else []
    diagram.params = alt.Undefined
    diagram.layer[1] = diagram.layer[1].add_params(hover)
    rows = quote_panel_rows()
    max_lines = int(rows["line"].max()) + 1
    panel_base = alt.Chart(rows).transform_filter(hover)
    ys = alt.Y("line:Q", axis=None, scale=alt.Scale(domain=[0, max_lines], reverse=True))
    dim = alt.condition(
        "case_focus == 'All' || datum.case == '' || datum.case == case_focus", alt.value(1.0), alt.value(0.3)
    )
    styles = {"head": {"fontWeight": "bold"}, "text": {}, "quote": {}, "attribution": {"fontStyle": "italic"}}
    panel = alt.layer(
        *[
            panel_base.transform_filter(f"datum.kind == '{kind}'")
            .mark_text(align="left", baseline="top", fontSize=12, limit=560, **style)
            .encode(x=alt.value(4), y=ys, text="text:N", opacity=dim)
            for kind, style in styles.items()
        ]
    ).properties(width=560, height=max_lines * 16, title="Point at a node above to read its quotes or definition")
    out = alt.vconcat(diagram, panel).properties(description=diagram.description)
    hoisted = list(out.params) if out.params is not alt.Undefined else []
    out.params = params + hoisted
    return out


# --- cases ----------------------------------------------------------------------

_CASE_FIELDS = [
    ("employees", "Employees"),
    ("interviewees", "Interviewees (interviews)"),
    ("interviews", "Interview dates"),
    ("products", "Products"),
    ("customers", "Targeted B2B customers"),
    ("subscribed", "Subscribed: when and why"),
    ("already_exporting", "Already exporting"),
    ("result_positive", "Results, positive"),
    ("result_negative", "Results, negative"),
    ("stayed", "Stayed after two years"),
]


def case_table() -> pd.DataFrame:
    """Table 1 as a readable frame, one row per case.

    >>> case_table().shape
    (5, 11)
    """
    c = data.load("oli_cases")
    yes = {True: "Yes", False: "No"}
    out = pd.DataFrame(
        {
            "Case": c["id"],
            "Employees": c["employees"],
            "Interviewees (interviews)": [
                "; ".join(v) + (f" ({o} first interview only)" if isinstance(o, str) and o else "") for v, o in zip(c["interviewees"], c["first_interview_only"])
            ],
            "Interview dates": c["first_interview"] + " and " + c["second_interview"],
            "Products": c["products"],
            "Targeted B2B customers": c["customers"],
            "Subscribed: when and why": c["subscribed_year"].astype(str) + ": " + c["subscribed_why"],
            "Already exporting": c["already_exporting"].map(yes),
            "Results, positive": c["result_positive"],
            "Results, negative": c["result_negative"],
            "Stayed after two years": c["stayed"].map(yes),
        }
    )
    return out


def case_chart() -> alt.VConcatChart:
    """Cases A–E by size band and outcome, with a dropdown that opens one case's Table 1 row.

    >>> spec = case_chart().to_dict()
    >>> spec["params"][0]["bind"]["options"]
    ['A', 'B', 'C', 'D', 'E']
    """
    c = data.load("oli_cases")
    tab = case_table()
    size = pd.DataFrame(
        {
            "case": c["id"],
            "lo": c["employees_min"],
            "hi": c["employees_max"],
            "band": c["employees"],
            "outcome": np.where(c["stayed"], "Stayed", "Left"),
            "result": c["result_positive"] + " / " + c["result_negative"],
        }
    )
    pick = alt.param(name="case_pick", value="B", bind=alt.binding_select(options=list(CASES), name="Case "))
    focus = alt.condition("datum.case == case_pick", alt.value(1.0), alt.value(0.35))
    enc = dict(
        y=alt.Y("case:N", title="Case", sort=list(CASES)),
        color=alt.Color("outcome:N", title="After two years", legend=alt.Legend(orient="top"), scale=alt.Scale(domain=["Stayed", "Left"], range=[charts.PALETTE[2], charts.PALETTE[5]])),
        opacity=focus,
        tooltip=[alt.Tooltip("case:N"), alt.Tooltip("band:N", title="Employees"), "outcome:N", alt.Tooltip("result:N", title="Results")],
    )
    ranges = alt.Chart(size).mark_rule(strokeWidth=8, strokeCap="round").encode(
        x=alt.X("lo:Q", scale=alt.Scale(type="log", domain=[1, 300]), title="Employees (size band, log scale)"),
        x2="hi:Q",
        **enc,
    )
    labels = alt.Chart(size).mark_text(align="left", dx=8).encode(x="hi:Q", text="band:N", y=enc["y"], opacity=focus)
    left = alt.layer(ranges, labels).properties(width=380, height=160, title="Size and outcome")
    long = tab.melt(id_vars="Case", var_name="field", value_name="value")
    order = {name: i for i, (_, name) in enumerate(_CASE_FIELDS)}
    lines = []
    for _, r in long.iterrows():
        for j, part in enumerate(textwrap.wrap(str(r["value"]), 54) or [""]):
            lines.append({"case": r["Case"], "field": r["field"] if j == 0 else "", "text": part, "row": order[r["field"]], "sub": j})
    ld = pd.DataFrame(lines).sort_values(["case", "row", "sub"])
    ld["line"] = ld.groupby("case").cumcount()
    n = int(ld["line"].max()) + 1
    text_base = alt.Chart(ld).transform_filter("datum.case == case_pick")
    ys = alt.Y("line:Q", axis=None, scale=alt.Scale(domain=[0, n], reverse=True))
    right = alt.layer(
        text_base.mark_text(align="right", baseline="top", fontWeight="bold").encode(x=alt.value(170), y=ys, text="field:N"),
        text_base.mark_text(align="left", baseline="top").encode(x=alt.value(180), y=ys, text="text:N"),
    ).properties(width=560, height=n * 16, title="Table 1 row of the chosen case")
    return alt.vconcat(left, right).add_params(pick).properties(
        description=(
            "Cases A to E from Table 1: size band on a log scale, coloured by whether the "
            "firm stayed on the platform; the dropdown shows the chosen case's full row."
        )
    )


# --- live explorer --------------------------------------------------------------


def _live_chart(run: pd.DataFrame, exp: pd.DataFrame) -> alt.Chart:
    a = run.assign(series="simulated run")
    b = exp.assign(series="expected")
    df = pd.concat([a, b], ignore_index=True)[["month", "stage", "cumulative", "series"]]
    df["stage_label"] = df["stage"].map(STAGE_LABELS)
    df["plotted"] = df["cumulative"].clip(lower=0.01)
    return (
        alt.Chart(df)
        .mark_line()
        .encode(
            x=alt.X("month:Q", title="Month"),
            y=alt.Y("plotted:Q", scale=alt.Scale(type="log"), title="Cumulative count (log scale)"),
            color=alt.Color("stage_label:N", title="Stage", sort=[STAGE_LABELS[s] for s in STAGES]),
            strokeDash=alt.StrokeDash("series:N", title=None),
            tooltip=["month:Q", "stage_label:N", "series:N", alt.Tooltip("cumulative:Q", format=",.1f")],
        )
        .properties(width=460, height=260, description="Cumulative counts per stage: one simulated run and the expectation.")
    )


@widgets.kernel_only
def live_simulator() -> widgets.LiveExplorer:
    """ipywidgets simulator with every knob and a case-preset dropdown (needs a kernel).

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     explorer = live_simulator()
    >>> type(explorer).__name__
    'LiveExplorer'
    """
    import ipywidgets as w
    from IPython.display import Markdown, display

    style = {"description_width": "initial"}
    layout = w.Layout(width="420px")

    def slider(desc: str, value: float, lo: float = 0.0, hi: float = 1.0, step: float = 0.05) -> Any:
        return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=desc, continuous_update=False, style=style, layout=layout)

    def preset_values(case: str) -> dict[str, float]:
        pre = PRESETS[case]
        return {**asdict(pre.disposition), **asdict(pre.engagement), "learning_rate": 0.1, "brand_appeal": 1.0, **pre.rates}

    # Sliders start at Case B's values: setting values after creation would send widget
    # updates while the cell runs, which has stalled nbclient in the book build.
    start = preset_values("B")
    preset = w.Dropdown(options=["custom", *CASES], value="B", description="Case preset", style=style)
    knobs = {
        "structural": slider("Structural readiness", start["structural"]),
        "emotional": slider("Emotional readiness", start["emotional"]),
        "reply_speed": slider("Reply speed", start["reply_speed"]),
        "marketing": slider("Use of marketing tools", start["marketing"]),
        "involvement": slider("Buyer involvement", start["involvement"]),
        "switch_timing": slider("Timing of off-platform switch", start["switch_timing"]),
        "learning_rate": slider("Learning rate λ", start["learning_rate"], 0.0, 0.2, 0.01),
        "brand_appeal": slider("Brand appeal", start["brand_appeal"], 0.5, 4.0, 0.1),
    }
    months = w.IntSlider(value=24, min=6, max=60, step=6, description="Months", style=style, layout=layout)
    seed = w.IntText(value=0, description="Seed", style=style)
    out = w.Output()
    busy = {"on": False}

    def redraw(*_: Any) -> None:
        if busy["on"]:
            return
        with out:
            out.clear_output(wait=True)
            disp = Disposition(knobs["structural"].value, knobs["emotional"].value)
            eng = Engagement(knobs["reply_speed"].value, knobs["marketing"].value, knobs["involvement"].value, knobs["switch_timing"].value)
            rates = {"learning_rate": knobs["learning_rate"].value, "brand_appeal": knobs["brand_appeal"].value}
            run = simulate(disp, eng, months.value, seed.value, **rates)
            exp = expected_funnel(disp, eng, months.value, **rates)
            verdict = "renews" if renews(run, disp, **rates) else "does not renew"
            display(_live_chart(run, exp))
            totals = run.groupby("stage")["count"].sum()
            # display(), not print(): a buffered stream message inside an Output widget can
            # arrive after the cell is idle, and nbclient then waits for its full timeout.
            display(Markdown(
                f"This run: {totals['expansion']} first purchases, {totals['commitment']} repeat buyers; "
                f"the firm {verdict} (threshold {renewal_threshold(disp, **rates):.1f} buyer-equivalents)."
            ))

    def load_preset(*_: Any) -> None:
        if preset.value == "custom":
            return
        busy["on"] = True
        values = preset_values(preset.value)
        for k, s in knobs.items():
            s.value = values[k]
        busy["on"] = False
        redraw()

    preset.observe(load_preset, names="value")
    for s in [*knobs.values(), months, seed]:
        s.observe(redraw, names="value")
    redraw()
    return widgets.LiveExplorer(w.VBox([preset, *knobs.values(), months, seed, out]))
