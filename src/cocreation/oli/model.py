"""The illustrative buyer-funnel simulator: readiness, engagement, firm-specific advantages, stages.

Pure model code (numpy and pandas): no chart or widget import. Every public function
and dataclass checks its inputs through ``cocreation.validate``. Every rate is
illustrative: the paper (a qualitative study) measures none of them.

Model (all per month ``t = 1..months``)
---------------------------------------
Disposition has a structural part ``s`` and an emotional part ``m`` (the user sets their
starting values). Engagement has four parts in [0, 1]: reply speed, use of marketing
tools, buyer involvement and the timing of the off-platform switch (1 = well timed).

1. **Firm-specific advantages.** Three stocks in [0, 1] start at 0 and grow with the
   engagement that turns the platform's generic advantage into the firm's own,
   ``A_{t+1} = A_t + γ u_t (1 - A_t)``: *linkage* (proactive quoting in the RFQ market)
   from reply speed; *open resource* (product and pricing innovation) from buyer
   involvement times the learning signal ``σ_t`` below (knowledge needs interactions);
   *integration* (outsourcing to and cooperation with the platform's partners) from
   the use of the platform's tools.
2. **Readiness, updated.** Partners fill structural gaps:
   ``s_t = s + (1 - s) β_I I_t``. The index is ``d_t = (s_t + m) / 2`` and only a share
   ``κ_t = κ0 + (1 - κ0) d_t`` of each engagement part ``x_t`` reaches buyers.
3. **Awareness.** Views ``V_t ~ Poisson(V_max (v0 + (1 - v0) κ marketing_t))``.
4. **Exploration.** RFQs ``R_t ~ Binomial(V_t, q_t)``, ``q_t`` rising with involvement and
   reply speed and multiplied by ``1 + β_L L_t`` (proactive quoting finds more buyers).
5. **Expansion.** Open RFQs form a pool; each month a lead becomes a first purchase with
   probability ``h1_t`` (reply speed, involvement, switch timing, structural capacity,
   brand appeal, times ``1 + β_O O_t``) or goes cold with probability ``lead_loss``.
6. **Commitment.** One-time buyers become repeat buyers with probability ``h2_t``
   (switch timing, involvement) or lapse with probability ``buyer_loss``.
7. **Learning and lapses.** ``x_{t+1} = x_t + λ d_t σ_t x_t (1 - x_t) - δ x_t``: the firm
   learns from the buyers it deals with (``σ_t = R̄_t / (R̄_t + R_half)``, with ``R̄_t``
   the month's expected RFQs), so a firm with few requests learns little, and lapses
   (weeks without attention) wear engagement down at rate ``δ``. Engagement falls when
   the lapses outweigh what the firm learns.
8. **Renewal.** At the end the firm counts each one-time buyer once and each repeat
   buyer ``w`` times (a repeat buyer is no longer also counted as a first purchase). It
   renews if that value, less the stress of answering its requests with unfit routines,
   ``S (1 - s̄) R / 100`` (``s̄`` the mean of ``s_t``, ``R`` all RFQs), reaches
   ``N + E (1 - m)``: a need ``N > 0`` that every firm has (so no firm renews with no
   sales) plus expectations that grow as emotional readiness falls.

The engagement, readiness and advantage paths follow the *expected* RFQs, so they are
deterministic; every draw is a (multinomial) thinning, so expected counts follow the
same recursion with the draws replaced by their means (:func:`expected_funnel`).

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
    "ADVANTAGES",
    "Disposition",
    "Engagement",
    "Rates",
    "simulate",
    "expected_funnel",
    "drivers",
    "renewal_threshold",
    "renewal_value",
    "renews",
    "funnel_totals",
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
#: The three firm-specific new OLI advantages the model tracks, as the page labels them.
ADVANTAGES = {
    "linkage": "Linkage: proactive RFQ quoting",
    "open_resource": "Open resource: product and pricing innovation",
    "integration": "Integration: partners and outsourcing",
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


# Domain of every rate: (lo, hi, lo_open). The renewal weights stop at 1e6 buyer-equivalents so
# that threshold and value stay finite; first_max, commit_max and brand_appeal are bounded
# by the share constraints in Rates.
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
    "learning_half": (0.0, 1e9, False),
    "lapse": (0.0, 1.0, False),
    "readiness_floor": (0.0, 1.0, False),
    "brand_appeal": (0.0, None, True),
    "advantage_rate": (0.0, 1.0, False),
    "linkage_boost": (0.0, 100.0, False),
    "open_boost": (0.0, 100.0, False),
    "integration_boost": (0.0, 1.0, False),
    "base_need": (0.0, 1e6, True),
    "expectation": (0.0, 1e6, False),
    "stress": (0.0, 1e6, False),
    "commit_weight": (1.0, 1e6, False),
}


@dataclass(frozen=True)
class Rates:
    """The simulator's rates. All are illustrative (the paper measures none of them).

    ``views_max`` and ``rfq_max`` are chosen by hand so that the Case B preset lands
    near the only view and RFQ figures the paper reports for a case (Case B: about 2
    million monthly views, almost 90 RFQs, read as monthly); the others only set
    plausible relative sizes. Every rate is a finite number (numpy scalars are accepted
    and stored as ``float``).

    >>> Rates(learning_rate=np.float64(0.2)).learning_rate
    0.2
    >>> Rates(views_max=float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: views_max must be a finite number in (0, 1e+12], got inf
    >>> Rates(base_need=0)
    Traceback (most recent call last):
    ...
    ValueError: base_need must be a finite number in (0, 1e+06], got 0
    """

    views_max: float = 3.0e6  #: monthly views at full effective marketing
    views_floor: float = 0.05  #: share of views_max with no effective marketing
    rfq_max: float = 5.0e-5  #: RFQs per view at full effective involvement and speed, no linkage advantage
    rfq_floor: float = 0.1
    first_max: float = 0.003  #: monthly probability a lead buys, at full engagement, no open-resource advantage
    lead_loss: float = 0.5  #: monthly probability an open lead goes cold
    commit_max: float = 0.05  #: monthly probability a one-time buyer buys again
    buyer_loss: float = 0.15  #: monthly probability a one-time buyer lapses
    learning_rate: float = 0.1  #: λ of the learning loop
    learning_half: float = 10.0  #: R_half, expected monthly RFQs at which learning runs at half speed
    lapse: float = 0.02  #: δ, monthly share of engagement lost to lapses
    readiness_floor: float = 0.25  #: κ0, how much engagement gets through with d = 0
    brand_appeal: float = 1.0  #: multiplies the first-purchase probability
    advantage_rate: float = 0.1  #: γ, growth rate of the firm-specific advantages
    linkage_boost: float = 1.0  #: β_L, extra RFQs at a full linkage advantage (1 = twice as many)
    open_boost: float = 1.0  #: β_O, extra first-purchase probability at a full open-resource advantage
    integration_boost: float = 0.5  #: β_I, share of the structural gap partners fill at a full integration advantage
    base_need: float = 1.0  #: N, buyer-equivalents every firm needs to renew
    expectation: float = 5.0  #: E, extra buyer-equivalents expected at zero emotional readiness
    stress: float = 1.0  #: S, buyer-equivalents of stress per 100 RFQs answered at zero structural readiness
    commit_weight: float = 5.0  #: w, a repeat buyer counts as w one-time buyers

    def __post_init__(self) -> None:
        for name, (lo, hi, lo_open) in _RATE_DOMAINS.items():
            value = validate.number(name, getattr(self, name), lo, hi, lo_open=lo_open)
            object.__setattr__(self, name, value)
        top = self.first_max * self.brand_appeal * (1 + self.open_boost)
        if self.lead_loss + top > 1:
            raise ValueError(
                "lead_loss + first_max * brand_appeal * (1 + open_boost) must be <= 1 (they are shares "
                f"of the open leads), got {self.lead_loss + top}"
            )
        if self.buyer_loss + self.commit_max > 1:
            raise ValueError(
                f"buyer_loss + commit_max must be <= 1, got {self.buyer_loss + self.commit_max}"
            )
        if self.rfq_max * (1 + self.linkage_boost) > 1:
            raise ValueError(f"rfq_max * (1 + linkage_boost) must be <= 1, got {self.rfq_max * (1 + self.linkage_boost)}")


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

    engagement: np.ndarray  # effective engagement index (mean of the four parts after κ)
    structural: np.ndarray  # structural readiness s_t, partners included
    linkage: np.ndarray  # firm-specific advantages at the start of each month
    open_resource: np.ndarray
    integration: np.ndarray
    views: np.ndarray  # expected views
    rfq: np.ndarray  # RFQ probability per view
    first: np.ndarray  # monthly lead -> first purchase probability
    commit: np.ndarray  # monthly one-time -> repeat probability


def _path(disp: Disposition, eng: Engagement, months: int, r: Rates) -> _Path:
    s0, m = disp.structural, disp.emotional
    x = [eng.reply_speed, eng.marketing, eng.involvement, eng.switch_timing]
    link = opn = integ = 0.0
    out: dict[str, list[float]] = {k: [] for k in _Path.__dataclass_fields__}
    g = r.advantage_rate
    for _ in range(months):
        s = s0 + (1 - s0) * r.integration_boost * integ
        d = (s + m) / 2
        kappa = r.readiness_floor + (1 - r.readiness_floor) * d
        reply, mkt, inv, sw = (kappa * v for v in x)
        views = r.views_max * (r.views_floor + (1 - r.views_floor) * mkt)
        rfq = r.rfq_max * (r.rfq_floor + (1 - r.rfq_floor) * (inv + reply) / 2) * (1 + r.linkage_boost * link)
        first = r.first_max * r.brand_appeal * (0.2 + 0.8 * s) * (0.2 + 0.8 * (0.5 * reply + 0.25 * inv + 0.25 * sw))
        first *= 1 + r.open_boost * opn
        commit = r.commit_max * (0.2 + 0.8 * (0.6 * sw + 0.4 * inv))
        row = (("engagement", (reply + mkt + inv + sw) / 4), ("structural", s), ("linkage", link),
               ("open_resource", opn), ("integration", integ), ("views", views), ("rfq", rfq),
               ("first", first), ("commit", commit))
        for k, v in row:
            out[k].append(v)
        expected_rfqs = views * rfq
        signal = expected_rfqs / (expected_rfqs + r.learning_half) if expected_rfqs > 0 else 0.0
        grow = r.learning_rate * d * signal
        x = [min(1.0, max(0.0, v + grow * v * (1 - v) - r.lapse * v)) for v in x]
        link += g * reply * (1 - link)
        opn += g * inv * signal * (1 - opn)
        integ += g * mkt * (1 - integ)
    return _Path(**{k: np.array(v) for k, v in out.items()})


def _frame(months: int, counts: dict[str, np.ndarray], p: _Path) -> pd.DataFrame:
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
                    "engagement": p.engagement,
                    "structural": p.structural,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _setup(disposition: Any, engagement: Any, months: Any, rates: Any, overrides: Mapping[str, Any]):
    disp, eng = _as_disposition(disposition), _as_engagement(engagement)
    months = _months(months)
    r = _rates(rates, overrides)
    return disp, eng, months, r, _path(disp, eng, months, r)


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
        this month), ``cumulative``, ``engagement`` (the effective engagement index) and
        ``structural`` (structural readiness, partners included).

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
    seed = _seed(seed)
    disp, eng, months, r, p = _setup(disposition, engagement, months, rates, overrides)
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
    return _frame(months, counts, p)


def _expected_counts(p: _Path, months: int, r: Rates) -> dict[str, np.ndarray]:
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
    return counts


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
    >>> e = expected_funnel(1.0, 1.0, months=1)
    >>> round(float(e.loc[e.stage == "awareness", "count"].iloc[0]))
    3000000
    """
    disp, eng, months, r, p = _setup(disposition, engagement, months, rates, overrides)
    return _frame(months, _expected_counts(p, months, r), p)


def drivers(
    disposition: Disposition | float,
    engagement: Engagement | float,
    months: int = 24,
    *,
    rates: Rates | None = None,
    **overrides: float,
) -> pd.DataFrame:
    """The deterministic paths behind a run: engagement, readiness and the three advantages.

    One row per month with ``engagement`` (effective index), ``structural`` (partners
    included) and the advantages ``linkage``, ``open_resource`` and ``integration``,
    each at the start of the month.

    With ``d = 0.5``, ``κ = 0.25 + 0.75 · 0.5 = 0.625`` of the reply speed 0.5 gets through,
    so the linkage advantage grows by ``γ · 0.3125 = 0.03125`` in the first month:

    >>> drivers(0.5, 0.5, months=2)["linkage"].round(6).tolist()
    [0.0, 0.03125]
    """
    disp, eng, months, r, p = _setup(disposition, engagement, months, rates, overrides)
    cols = ("engagement", "structural", *ADVANTAGES)
    return pd.DataFrame({"month": np.arange(1, months + 1), **{c: getattr(p, c) for c in cols}})


def renewal_threshold(disposition: Disposition | float, *, rates: Rates | None = None, **overrides: float) -> float:
    """Buyer-equivalents a firm needs to renew, before stress: ``N + E (1 - emotional)``.

    ``N > 0``, so even a fully ready firm needs some sales.

    >>> renewal_threshold(Disposition(1.0, 1.0))
    1.0
    >>> renewal_threshold(Disposition(0.5, 0.0))
    6.0
    """
    return _threshold(_as_disposition(disposition), _rates(rates, overrides))


def _threshold(disp: Disposition, r: Rates) -> float:
    return r.base_need + r.expectation * (1 - disp.emotional)


def _value(first: Any, repeat: Any, rfqs: Any, structural: Any, r: Rates) -> Any:
    """One-time buyers + w · repeat buyers - stress (works on numbers and arrays)."""
    return (first - repeat) + r.commit_weight * repeat - r.stress * (1 - structural) * rfqs / 100


def renewal_value(run: pd.DataFrame, *, rates: Rates | None = None, **overrides: float) -> float:
    """What a run is worth to the firm, in buyer-equivalents, net of stress.

    ``one-time buyers + w · repeat buyers - S (1 - s̄) R / 100``, where one-time buyers
    are the first purchasers who did not buy again, ``R`` is the run's RFQs and ``s̄``
    its mean structural readiness (column ``structural``).

    >>> run = pd.DataFrame({"stage": ["exploration", "expansion", "commitment"],
    ...                     "count": [200, 4, 1], "structural": 0.5})
    >>> renewal_value(run)  # (4 - 1) + 5 * 1 - 1 * (1 - 0.5) * 200 / 100
    7.0
    """
    r = _rates(rates, overrides)
    frame_with("run", run, ("stage", "count", "structural"), "simulate()")
    for stage in run["stage"].unique():
        validate.choice("run['stage']", stage, STAGES)
    validate.array("run['count']", run["count"].to_numpy(), lo=0)
    validate.array("run['structural']", run["structural"].to_numpy(), 0, 1)
    totals = run.groupby("stage")["count"].sum()
    first, repeat, rfqs = (float(totals.get(s, 0)) for s in ("expansion", "commitment", "exploration"))
    return float(_value(first, repeat, rfqs, float(run["structural"].mean()), r))


def renews(
    run: pd.DataFrame, disposition: Disposition | float, *, rates: Rates | None = None, **overrides: float
) -> bool:
    """The renewal decision at the end of the subscription, from one run.

    The firm renews when :func:`renewal_value` reaches :func:`renewal_threshold`.

    >>> run = simulate(Disposition(0.9, 0.9), 0.9, seed=0)
    >>> renews(run, Disposition(0.9, 0.9))
    True
    >>> renews(run[["month"]], 0.9)
    Traceback (most recent call last):
    ...
    ValueError: run must be a frame from simulate(); it lacks ['count', 'stage', 'structural']
    """
    r = _rates(rates, overrides)
    return bool(renewal_value(run, rates=r) >= renewal_threshold(disposition, rates=r))


def funnel_totals(disposition: float, engagement: float, learning_rate: float = 0.1, months: int = 24) -> pd.DataFrame:
    """Expected totals per stage over the subscription (one row per stage).

    Disposition and engagement are single numbers in [0, 1] here (all their parts
    equal); ``learning_rate`` is in [0, 1] and ``months`` an integer in [1, 120].

    >>> funnel_totals(0.5, 0.5)["stage"].tolist()
    ['awareness', 'exploration', 'expansion', 'commitment']
    """
    disp, eng, months, r, p = _setup(disposition, engagement, months, None, {"learning_rate": learning_rate})
    counts = _expected_counts(p, months, r)
    return pd.DataFrame(
        {
            "stage": list(STAGES),
            "stage_label": [STAGE_LABELS[s] for s in STAGES],
            "expected": [float(counts[s].sum()) for s in STAGES],
        }
    )
