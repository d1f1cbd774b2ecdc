"""Many runs of the buyer-funnel simulator at once, and the live simulator's model.

Pure model code (numpy and pandas), used for the case presets' outcomes and their
sensitivity (:mod:`cocreation.oli.presets`). The runs follow the model of
:func:`cocreation.oli.model.simulate` month by month, with every draw made for all runs
at once from one generator.

Examples
--------
>>> out = simulate_many(0.9, 0.9, n_runs=50, seed=1)
>>> out.columns.tolist()
['views', 'rfqs', 'first', 'repeat', 'value', 'renews']
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from .. import validate
from .model import (
    Disposition,
    Engagement,
    Rates,
    _months,
    _seed,
    _setup,
    _threshold,
    _value,
    expected_funnel,
    renewal_threshold,
    renewal_value,
    renews,
    simulate,
)

__all__ = ["MAX_RUN_MONTHS", "simulate_many", "simulator_run"]

#: Bound on ``n_runs * months`` in :func:`simulate_many`.
MAX_RUN_MONTHS = 2_400_000


def simulate_many(
    disposition: Disposition | float,
    engagement: Engagement | float,
    months: int = 24,
    n_runs: int = 200,
    seed: int = 0,
    *,
    rates: Rates | None = None,
    **overrides: float,
) -> pd.DataFrame:
    """``n_runs`` stochastic runs at once: the totals and the renewal decision of each.

    Parameters are those of :func:`~cocreation.oli.model.simulate`, plus ``n_runs`` (an
    integer >= 1; ``n_runs * months`` is at most 2,400,000, to bound time). The runs
    draw from one generator seeded with ``seed`` (an integer >= 0), so run ``k`` is
    not ``simulate(..., seed=k)``; each run has the same distribution.

    Returns
    -------
    pandas.DataFrame
        One row per run: the totals ``views``, ``rfqs``, ``first`` (first purchases)
        and ``repeat`` (repeat buyers), ``value``
        (:func:`~cocreation.oli.model.renewal_value`) and ``renews``.

    Examples
    --------
    >>> out = simulate_many(0.9, 0.9, n_runs=50, seed=1)
    >>> bool(out["renews"].mean() > 0.9)
    True
    >>> simulate_many(0.5, 0.5, n_runs=10**6)
    Traceback (most recent call last):
    ...
    ValueError: n_runs * months must be at most 2,400,000 (to bound time and memory), got 24,000,000
    """
    n_runs = validate.integer("n_runs", n_runs, lo=1)
    seed = validate.integer("seed", seed, lo=0)
    validate.work("n_runs * months", n_runs * validate.integer("months", months, 1, 120), MAX_RUN_MONTHS)
    disp, eng, months, r, p = _setup(disposition, engagement, months, rates, overrides)
    return pd.DataFrame({k: v[0] for k, v in _many([(disp, p, r)], months, n_runs, seed).items()})


def _share_of_rest(loss: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """P(lost | not taken) = loss / (1 - taken), and 0 when nothing is left to lose."""
    rest = 1 - taken
    return np.where(rest > 0, np.minimum(1.0, loss / np.where(rest > 0, rest, 1.0)), 0.0)


def _many(settings: Sequence[tuple[Disposition, Any, Rates]], months: int, n_runs: int, seed: int) -> dict[str, np.ndarray]:
    """``n_runs`` runs of each (disposition, path, rates) setting, drawn together.

    Inputs are already checked. Returns arrays of shape ``(len(settings), n_runs)``.
    """
    rng = np.random.default_rng(seed)
    shape = (len(settings), n_runs)

    def col(values: Any) -> np.ndarray:
        return np.asarray(values, dtype=float).reshape(-1, 1)

    paths = [p for _, p, _ in settings]
    views, rfq, first, commit = (np.stack([getattr(p, k) for p in paths], axis=1) for k in ("views", "rfq", "first", "commit"))
    lead_loss = col([r.lead_loss for _, _, r in settings])
    buyer_loss = col([r.buyer_loss for _, _, r in settings])
    tot = {k: np.zeros(shape, dtype=np.int64) for k in ("views", "rfqs", "first", "repeat")}
    leads = np.zeros(shape, dtype=np.int64)
    one_time = np.zeros(shape, dtype=np.int64)
    for i in range(months):
        h1, h2 = col(first[i]), col(commit[i])
        # Poisson(V) views thinned to RFQs with probability p are Poisson(V p) RFQs plus
        # independent Poisson(V (1 - p)) other views (Poisson splitting); the other views
        # of all months are drawn at the end, as one Poisson total
        q = rng.poisson(np.broadcast_to(col(views[i] * rfq[i]), shape))
        leads += q
        # a multinomial split (first purchase, cold, still open) as two binomial thinnings
        f = rng.binomial(leads, np.broadcast_to(h1, shape))
        lost = rng.binomial(leads - f, np.broadcast_to(_share_of_rest(lead_loss, h1), shape))
        leads -= f + lost
        one_time += f
        c = rng.binomial(one_time, np.broadcast_to(h2, shape))
        lapsed = rng.binomial(one_time - c, np.broadcast_to(_share_of_rest(buyer_loss, h2), shape))
        one_time -= c + lapsed
        for k, n in zip(("rfqs", "first", "repeat"), (q, f, c)):
            tot[k] += n
    other_views = col((views * (1 - rfq)).sum(axis=0))
    tot["views"] = tot["rfqs"] + rng.poisson(np.broadcast_to(other_views, shape))
    value = np.concatenate([
        _value(tot["first"][j], tot["repeat"][j], tot["rfqs"][j], float(p.structural.mean()), r)[None, :]
        for j, (_, p, r) in enumerate(settings)
    ])
    threshold = col([_threshold(d, r) for d, _, r in settings])
    return {**tot, "value": value, "renews": value >= threshold}


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
    lapse: float = 0.02,
) -> pd.DataFrame:
    """One simulated run and the expectation at every knob: the live simulator's model.

    Returns the rows of :func:`~cocreation.oli.model.simulate` (``series`` "simulated
    run") followed by those of :func:`~cocreation.oli.model.expected_funnel` (``series``
    "expected"), each with the run's renewal decision (``renews``), its
    :func:`~cocreation.oli.model.renewal_value` (``value``) and the firm's
    :func:`~cocreation.oli.model.renewal_threshold` (``threshold``).

    >>> out = simulator_run(0.85, 0.45, 0.8, 0.95, 0.9, 0.5, learning_rate=0.15, months=6)
    >>> out.groupby("series").size().to_dict()
    {'expected': 24, 'simulated run': 24}
    >>> simulator_run(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, months=6.5)
    Traceback (most recent call last):
    ...
    ValueError: months must be an integer in [1, 120], got 6.5
    """
    disp = Disposition(structural, emotional)
    eng = Engagement(reply_speed, marketing, involvement, switch_timing)
    rates = {"learning_rate": learning_rate, "brand_appeal": brand_appeal, "lapse": lapse}
    months, seed = _months(months), _seed(seed)
    run = simulate(disp, eng, months, seed, **rates)
    exp = expected_funnel(disp, eng, months, **rates)
    out = pd.concat([run.assign(series="simulated run"), exp.assign(series="expected")], ignore_index=True)
    return out.assign(
        renews=renews(run, disp, **rates), value=renewal_value(run, **rates), threshold=renewal_threshold(disp, **rates)
    )
