"""Power of the mediation lab's bootstrap test: simulated and normal-theory.

:func:`power_curve` simulates surveys from the model of :mod:`cocreation.ipo.model`
and counts how often the percentile-bootstrap interval excludes zero;
:func:`power_normal` gives the normal-theory value of the same model, an independent
check; :func:`power_grid` makes the grid the page's power explorer shows (shipped as
the table ``ipo_power_grid``, read by :func:`stored_power_grid`).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd

from .. import data, validate
from .model import (
    _MAX_SEED,
    MAX_BOOT_WORK,
    Effects,
    Layout,
    _base_draws,
    _bootstrap_counts,
    _interval,
    _moments,
    _solve_paths,
    chain_names,
    min_rows,
)

__all__ = [
    "MAX_POWER_WORK",
    "power_curve",
    "power_normal",
    "POWER_NS",
    "POWER_EFFECTS",
    "POWER_SIMS",
    "POWER_BOOT",
    "POWER_SEED",
    "power_grid",
    "stored_power_grid",
]

#: Largest n_sims × n_boot × sum(ns) of one power curve (about a minute per 10**9).
MAX_POWER_WORK = 1_000_000_000

def _seed_for(seed: int, n: int) -> np.random.Generator:
    """One generator per (seed, n): a grid cell is reproducible on its own."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(n),)))


def _values(name: str, values: Sequence[float]) -> list:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray) or len(values) == 0:
        raise ValueError(f"{name} must be a non-empty sequence of numbers, got {values!r}")
    return list(values)


def power_curve(
    ns: Sequence[int],
    effects: Sequence[float],
    *,
    n_sims: int = 200,
    n_boot: int = 299,
    seed: int = 0,
    rho: float = 0.3,
    noise: float = 1.0,
    level: float = 0.95,
    chains: int = 3,
) -> pd.DataFrame:
    """Monte Carlo power of the percentile-bootstrap test of each indirect effect.

    For every sample size ``n`` and path size ``e`` (a = b = e on every chain, so
    each true indirect effect is e²), draws ``n_sims`` surveys and counts how often
    the interval excludes 0.

    The same base draws and resamples are reused for every effect size at a given
    ``n`` (common random numbers): all survey variables are linear in the base draws,
    so the bootstrap moments of the base draws are computed once and transformed per
    effect size. This makes curves smooth in the effect size and the grid cheap.

    Parameters
    ----------
    ns
        Sample sizes, integers in [min_rows(chains), 100000] (30 for three chains).
    effects
        Path sizes a = b, each in [0, 0.95].
    n_sims
        Simulated surveys per cell, integer in [10, 100000].
    n_boot
        Bootstrap resamples per survey, integer in [50, 100000]; n_sims × n_boot ×
        sum(ns) may be at most ``MAX_POWER_WORK`` (10**9).
    seed, rho, noise, level
        As in :func:`cocreation.ipo.model.simulate_survey` and
        :func:`cocreation.ipo.model.estimate_mediation`.
    chains
        Number of identically sized chains, an integer in [1, 50].

    Returns
    -------
    pandas.DataFrame
        One row per (n, effect, path): ``n``, ``effect``, ``indirect``, ``path``,
        ``power`` and its Monte Carlo standard error ``mcse``.

    Examples
    --------
    >>> pc = power_curve([60], [0.0, 0.5], n_sims=20, n_boot=100)
    >>> pc.groupby("effect")["power"].mean().round(2).tolist()
    [0.0, 1.0]
    """
    k = Layout(chains).chains
    ns = [validate.integer(f"ns[{i}]", v, min_rows(k), 100_000) for i, v in enumerate(_values("ns", ns))]
    sizes = [validate.number(f"effects[{i}]", e, 0.0, 0.95) for i, e in enumerate(_values("effects", effects))]
    n_sims = validate.integer("n_sims", n_sims, 10, 100_000)
    n_boot = validate.integer("n_boot", n_boot, 50, 100_000)
    seed = validate.integer("seed", seed, 0, _MAX_SEED)
    level = validate.number("level", level, 0.5, 1.0, lo_open=True, hi_open=True)
    validate.work("n * n_boot", max(ns) * n_boot, MAX_BOOT_WORK)
    validate.work("n_sims * n_boot * sum(ns)", n_sims * n_boot * sum(ns), MAX_POWER_WORK)
    transforms = [Effects.uniform(e, chains=k, rho=rho, noise=noise).transform() for e in sizes]
    names = chain_names(k)
    rows = []
    for n in ns:
        rng = _seed_for(seed, n)
        hits = np.zeros((len(sizes), k))
        for _ in range(n_sims):
            u = _base_draws(rng, n, k)
            counts = _bootstrap_counts(rng, n, n_boot)
            base = _moments(u)
            base_boot = _moments(u, counts)
            for j, t in enumerate(transforms):
                ba, bb, _ = _solve_paths(t.T @ base_boot @ t)
                low, high = _interval(ba * bb, level)
                hits[j] += (low > 0) | (high < 0)
        for j, e in enumerate(sizes):
            for p, path in enumerate(names):
                share = hits[j, p] / n_sims
                rows.append(
                    {"n": n, "effect": e, "indirect": round(e * e, 12), "path": path,
                     "power": share, "mcse": math.sqrt(share * (1 - share) / n_sims)}
                )
    return pd.DataFrame(rows)


def power_normal(
    n: int | np.ndarray,
    effect: float | np.ndarray,
    *,
    noise: float = 1.0,
    level: float = 0.95,
    method: str = "joint",
) -> np.ndarray:
    """Normal-theory power of a test of a·b, derived from the model (no simulation).

    Under the model, var(â) ≈ (1 − a²)/n and var(b̂) ≈ noise²/(n(1 − a²)).

    * ``"joint"``: a·b counts as detected when â and b̂ are both significant
      (independent z tests); power = P(â significant) · P(b̂ significant).
    * ``"sobel"``: one z test of â·b̂ with the delta-method standard error
      sqrt(b² var(â) + a² var(b̂)).

    Neither depends on ``rho``. They are independent checks of :func:`power_curve`.
    Power rises with the path size only up to a = b ≈ 0.7: beyond that the
    co-creation component is so close to a copy of its capability that b̂ (estimated
    while controlling for the capability) becomes imprecise, since
    var(b̂) grows like 1/(1 − a²).

    Parameters
    ----------
    n
        Sample sizes (a number or an array), each >= 10.
    effect
        Path sizes a = b (a number or an array broadcasting with ``n``), each in [0, 0.95].
    noise, level
        As in :class:`cocreation.ipo.model.Effects` and
        :func:`cocreation.ipo.model.estimate_mediation`.
    method
        ``"joint"`` or ``"sobel"``.

    Examples
    --------
    >>> float(power_normal(100, 0.0, method="sobel")) == 0.05
    True
    >>> bool(power_normal(400, 0.3) > power_normal(100, 0.3))
    True
    """
    from scipy.stats import norm

    n = validate.array("n", n, lo=10)
    a = validate.array("effect", effect, 0.0, 0.95)
    validate.choice("method", method, ("joint", "sobel"))
    noise = validate.number("noise", noise, 0.0, 10.0, lo_open=True)
    level = validate.number("level", level, 0.5, 1.0, lo_open=True, hi_open=True)
    try:
        np.broadcast_shapes(n.shape, a.shape)
    except ValueError:
        raise ValueError(f"n and effect must broadcast together, got shapes {n.shape} and {a.shape}") from None
    crit = norm.ppf(1 - (1 - level) / 2)
    se_a = np.sqrt((1 - a**2) / n)
    se_b = np.sqrt(noise**2 / (n * (1 - a**2)))

    def two_sided(z: np.ndarray) -> np.ndarray:
        return norm.cdf(z - crit) + norm.cdf(-z - crit)

    def z(shift: np.ndarray, se: np.ndarray) -> np.ndarray:
        # a standard error that underflows to 0 (noise near 0) makes any shift > 0 certain
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.where(se > 0, shift / np.where(se > 0, se, 1.0), np.where(shift > 0, np.inf, 0.0))

    if method == "joint":
        return two_sided(z(a, se_a)) * two_sided(z(a, se_b))
    with np.errstate(under="ignore"):
        se = np.sqrt(a**2 * se_a**2 + a**2 * se_b**2)
    shift = z(a * a, se)
    return two_sided(shift)


#: The grid of the static power explorer (its slider values): sample sizes ...
POWER_NS: tuple[int, ...] = tuple(range(50, 501, 50))
#: ... and path sizes a = b.
POWER_EFFECTS: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5)
POWER_SIMS = 200
POWER_BOOT = 299
POWER_SEED = 2025


def _pool(curve: pd.DataFrame) -> pd.DataFrame:
    """Average the chains' power; ``mcse`` is the mean of their standard errors,
    an upper bound on the standard error of the average."""
    return curve.groupby(["n", "effect", "indirect"], as_index=False)[["power", "mcse"]].mean()


def power_grid(
    ns: Sequence[int] | None = None,
    *,
    n_sims: int = POWER_SIMS,
    n_boot: int = POWER_BOOT,
    seed: int = POWER_SEED,
) -> pd.DataFrame:
    """Compute the grid behind the static power explorer.

    One row per (n, effect) of ``POWER_NS`` × ``POWER_EFFECTS`` (the explorer's slider
    values; or only the sample sizes ``ns``): the power pooled over the three
    identically sized chains, its Monte Carlo error bound and the normal-theory values
    of :func:`power_normal`. Each sample size has its own random stream, so a subset
    reproduces the full grid's rows.

    The book ships the full grid as the table ``ipo_power_grid`` (it takes some
    seconds to compute); ``python -m cocreation.ipo --power-grid`` regenerates it.

    Examples
    --------
    >>> g = power_grid([50], n_sims=10, n_boot=50)
    >>> len(g), list(g.columns)
    (5, ['n', 'effect', 'indirect', 'power', 'mcse', 'power_joint', 'power_sobel'])
    """
    ns = list(POWER_NS) if ns is None else _values("ns", ns)
    grid = _pool(power_curve(ns, list(POWER_EFFECTS), n_sims=n_sims, n_boot=n_boot, seed=seed))
    grid["power_joint"] = power_normal(grid["n"].to_numpy(), grid["effect"].to_numpy(), method="joint")
    grid["power_sobel"] = power_normal(grid["n"].to_numpy(), grid["effect"].to_numpy(), method="sobel")
    for col in ("power", "mcse", "power_joint", "power_sobel"):
        grid[col] = grid[col].round(6)
    return grid


def stored_power_grid() -> pd.DataFrame:
    """The shipped power grid (table ``ipo_power_grid``), as :func:`power_grid` made it."""
    return data.load("ipo_power_grid")
