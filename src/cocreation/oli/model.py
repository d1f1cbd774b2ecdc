"""The illustrative buyer-funnel simulator: readiness, engagement and the four stages.

Pure model code (numpy and pandas): no chart or widget import. Every public function
and dataclass checks its inputs through ``cocreation.validate``.

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

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .. import validate

__all__ = [
    "STAGES",
    "STAGE_LABELS",
    "Disposition",
    "Engagement",
    "Rates",
    "simulate",
    "expected_funnel",
    "renewal_threshold",
    "renews",
    "funnel_totals",
    "simulator_run",
]

#: Relationship stages (Dwyer et al., 1987, as the paper operationalizes them).
STAGES = ("awareness", "exploration", "expansion", "commitment")
#: Each stage as the page's charts label it.
STAGE_LABELS = {
    "awareness": "Awareness: views",
    "exploration": "Exploration: RFQs",
    "expansion": "Expansion: first purchases",
    "commitment": "Commitment: repeat buyers",
}


@dataclass(frozen=True)
class Disposition:
    """The exporter's readiness: structural and emotional, each in [0, 1].

    >>> Disposition(0.8, 0.4).index
    0.6
    >>> Disposition(1.2, 0.5)
    Traceback (most recent call last):
    ...
    ValueError: structural must be a finite number in [0, 1], got 1.2
    """

    structural: float
    emotional: float

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, validate.unit(f.name, getattr(self, f.name)))

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
            object.__setattr__(self, f.name, validate.unit(f.name, getattr(self, f.name)))

    @property
    def index(self) -> float:
        """The mean of the four parts."""
        return round(sum(asdict(self).values()) / 4, 12)


# Domain of every rate: (lo, hi, lo_open).
_RATE_DOMAINS: dict[str, tuple[float, float | None, bool]] = {
    "views_max": (0.0, 1e12, True),
    "views_floor": (0.0, 1.0, False),
    "rfq_max": (0.0, 1.0, True),
    "rfq_floor": (0.0, 1.0, False),
    "first_max": (0.0, None, True),
    "lead_loss": (0.0, 1.0, False),
    "commit_max": (0.0, None, True),
    "buyer_loss": (0.0, 1.0, False),
    "learning_rate": (0.0, 1.0, False),
    "readiness_floor": (0.0, 1.0, False),
    "brand_appeal": (0.0, None, True),
    "expectation": (0.0, None, False),
    "stress": (0.0, None, False),
    "commit_weight": (0.0, None, False),
}


@dataclass(frozen=True)
class Rates:
    """The simulator's rates. All are illustrative (the paper measures none of them).

    ``views_max`` and ``rfq_max`` are chosen by hand so that the Case B preset lands
    near the only view and RFQ figures the paper reports for a case (Case B: about 2
    million monthly views, almost 90 RFQs); the others only set plausible relative sizes.
    Every rate is a finite number (numpy scalars are accepted and stored as ``float``).

    >>> Rates(learning_rate=np.float64(0.2)).learning_rate
    0.2
    >>> Rates(views_max=float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: views_max must be a finite number in (0, 1e+12], got inf
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
        for name, (lo, hi, lo_open) in _RATE_DOMAINS.items():
            value = validate.number(name, getattr(self, name), lo, hi, lo_open=lo_open)
            object.__setattr__(self, name, value)
        if self.lead_loss + self.first_max * self.brand_appeal > 1:
            raise ValueError(
                "lead_loss + first_max * brand_appeal must be <= 1 (they are shares of the "
                f"open leads), got {self.lead_loss + self.first_max * self.brand_appeal}"
            )
        if self.buyer_loss + self.commit_max > 1:
            raise ValueError(
                f"buyer_loss + commit_max must be <= 1, got {self.buyer_loss + self.commit_max}"
            )


RATE_NAMES = tuple(f.name for f in fields(Rates))


def _as_disposition(value: Disposition | float) -> Disposition:
    if isinstance(value, Disposition):
        return value
    v = validate.unit("disposition", value)
    return Disposition(v, v)


def _as_engagement(value: Engagement | float) -> Engagement:
    if isinstance(value, Engagement):
        return value
    v = validate.unit("engagement", value)
    return Engagement(v, v, v, v)


def _rates(rates: Rates | None, overrides: Mapping[str, Any]) -> Rates:
    if rates is not None and not isinstance(rates, Rates):
        raise ValueError(f"rates must be a Rates or None, got {rates!r}")
    validate.keywords("rates", overrides, RATE_NAMES)
    return replace(rates or Rates(), **overrides)


def frame_with(name: str, value: Any, columns: tuple[str, ...], origin: str) -> pd.DataFrame:
    """``value`` if it is a DataFrame with ``columns``, else a ``ValueError`` naming ``name``.

    >>> frame_with("run", pd.DataFrame({"a": [1]}), ("a", "b"), "simulate()")
    Traceback (most recent call last):
    ...
    ValueError: run must be a frame from simulate(); it lacks ['b']
    """
    if not isinstance(value, pd.DataFrame):
        raise ValueError(f"{name} must be a frame from {origin}, got {type(value).__name__}")
    missing = set(columns) - set(value.columns)
    if missing:
        raise ValueError(f"{name} must be a frame from {origin}; it lacks {sorted(missing)}")
    return value


def _months(months: Any) -> int:
    return validate.integer("months", months, 1, 120)


def _seed(seed: Any) -> int | None:
    return None if seed is None else validate.integer("seed", seed, lo=0)


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
        Length of the subscription, an integer from 1 to 120 (the paper's firms chose
        two years).
    seed
        Seed (an integer >= 0) of numpy's random generator; the same seed gives the
        same run. ``None`` draws a fresh seed.
    rates
        A :class:`Rates` to start from (default ``Rates()``).
    **overrides
        Any field of :class:`Rates`, e.g. ``learning_rate=0.2``.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per month and stage with ``month``, ``stage``, ``count`` (new
        this month), ``cumulative`` and ``engagement`` (the effective engagement index).

    Raises
    ------
    ValueError
        Naming the parameter and its domain, for an input out of its domain or an
        unknown rate.

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
    ValueError: rates got unknown parameter 'learning'; its parameters are 'views_max', ...
    """
    disp, eng = _as_disposition(disposition), _as_engagement(engagement)
    months = _months(months)
    seed = _seed(seed)
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

    Parameters are those of :func:`simulate` (without the seed).

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
    >>> renews(run[["month"]], 0.9)
    Traceback (most recent call last):
    ...
    ValueError: run must be a frame from simulate(); it lacks ['count', 'stage']
    """
    r = _rates(rates, overrides)
    frame_with("run", run, ("stage", "count"), "simulate()")
    totals = run.groupby("stage")["count"].sum()
    score = totals.get("expansion", 0) + r.commit_weight * totals.get("commitment", 0)
    return bool(score >= renewal_threshold(disposition, rates=r))


def funnel_totals(disposition: float, engagement: float, learning_rate: float = 0.1, months: int = 24) -> pd.DataFrame:
    """Expected totals per stage over the subscription (one row per stage).

    Disposition and engagement are single numbers in [0, 1] here (all their parts
    equal); ``learning_rate`` is in [0, 1] and ``months`` an integer in [1, 120].

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


def simulator_run(
    structural: float,
    emotional: float,
    reply_speed: float,
    marketing: float,
    involvement: float,
    switch_timing: float,
    learning_rate: float = 0.1,
    brand_appeal: float = 1.0,
    months: int = 24,
    seed: int = 0,
) -> pd.DataFrame:
    """One simulated run and the expectation at every knob: the live simulator's model.

    Returns the rows of :func:`simulate` (``series`` "simulated run") followed by those
    of :func:`expected_funnel` (``series`` "expected"), each with the run's renewal
    decision (``renews``) and the firm's :func:`renewal_threshold` (``threshold``).

    >>> out = simulator_run(0.85, 0.45, 0.8, 0.95, 0.9, 0.3, learning_rate=0.15, months=6)
    >>> out.groupby("series").size().to_dict()
    {'expected': 24, 'simulated run': 24}
    >>> simulator_run(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, months=6.5)
    Traceback (most recent call last):
    ...
    ValueError: months must be an integer in [1, 120], got 6.5
    """
    disp = Disposition(structural, emotional)
    eng = Engagement(reply_speed, marketing, involvement, switch_timing)
    rates = {"learning_rate": learning_rate, "brand_appeal": brand_appeal}
    months, seed = _months(months), _seed(seed)
    run = simulate(disp, eng, months, seed, **rates)
    exp = expected_funnel(disp, eng, months, **rates)
    verdict = renews(run, disp, **rates)
    threshold = renewal_threshold(disp, **rates)
    out = pd.concat([run.assign(series="simulated run"), exp.assign(series="expected")], ignore_index=True)
    return out.assign(renews=verdict, threshold=threshold)
