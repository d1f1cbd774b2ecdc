"""Input → Process → Outcome: platform capabilities, multi-actor co-creation and B2B e-WOM.

The chapter on Liu et al. (2025), a single case study of Haier's COSMOPlat. Two parts:

*The framework* (from ``data/ipo_*``): three digital platform capabilities, each aimed
at one actor (ecological → focal firm, coordination → complementors, innovation →
users), each activating one component of multi-actor value co-creation
(intrapreneurship, complementor support, users' reciprocal participation), which in
turn spreads e-WOM in B2B markets. :func:`framework_chart` draws it from the tables.

*The mediation lab* (illustrative, synthetic): the paper is qualitative, so nothing
here is estimated from its data. :func:`simulate_survey` draws survey data from a
linear path model with the paper's three chains; :func:`estimate_mediation`
estimates each indirect effect a·b with a vectorised percentile bootstrap;
:func:`power_curve` gives the chance of detecting an indirect effect.

The model of the lab (all variables standardised latent scores)::

    X = (X1, X2, X3) ~ N(0, R),  R has 1 on the diagonal and rho elsewhere
    Mk = a_k Xk + sqrt(1 - a_k**2) eps_k                (k = 1, 2, 3)
    Y  = sum_k b_k Mk + sum_k c_k Xk + noise * eps_Y

with X the capabilities (ecological, coordination, innovation), M the co-creation
components and Y e-WOM. The indirect effect of capability k is a_k·b_k.

Examples
--------
>>> df = simulate_survey(400, Effects.uniform(0.4), seed=1)
>>> list(df.columns)[:3]
['ecological_capability', 'coordination_capability', 'innovation_capability']
>>> res = estimate_mediation(df, n_boot=200, seed=1)
>>> res.table["path"].tolist()
['focal_firm', 'complementors', 'users']
>>> bool(res.table["significant"].all())
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from . import charts, data, widgets

__all__ = [
    "ACTORS",
    "CAPABILITIES",
    "COCREATION",
    "OUTCOME",
    "Effects",
    "MediationResult",
    "simulate_survey",
    "estimate_mediation",
    "power_curve",
    "power_normal",
    "power_grid",
    "stored_power_grid",
    "POWER_PARAMS",
    "DEMO_PARAMS",
    "LIVE_PARAMS",
    "estimate_vs_truth",
    "framework_frames",
    "framework_chart",
    "evidence_chart",
    "evidence_for",
    "evidence_attribution",
    "power_chart",
    "estimate_chart",
    "estimate_explorer",
    "mediation_explorer",
    "data_sources_table",
    "constructs_table",
    "evidence_table",
    "risks_table",
    "findings",
    "case_facts_table",
]

#: The three actor paths, in the paper's order.
ACTORS: tuple[str, ...] = ("focal_firm", "complementors", "users")
#: Survey columns: capability (input), co-creation component (process), outcome.
CAPABILITIES: tuple[str, ...] = ("ecological_capability", "coordination_capability", "innovation_capability")
COCREATION: tuple[str, ...] = ("intrapreneurship", "complementor_support", "reciprocal_participation")
OUTCOME = "ewom"
COLUMNS: tuple[str, ...] = CAPABILITIES + COCREATION + (OUTCOME,)
ACTOR_COLOURS = dict(zip(ACTORS, charts.PALETTE[:3]))


# --- the mediation lab: model -------------------------------------------------------


def _finite(name: str, value: float, lo: float, hi: float, *, open_lo: bool = False, open_hi: bool = False) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    low_ok = value > lo if open_lo else value >= lo
    high_ok = value < hi if open_hi else value <= hi
    if not (math.isfinite(value) and low_ok and high_ok):
        left = "(" if open_lo else "["
        right = ")" if open_hi else "]"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right}, got {value}")
    return value


def _triple(name: str, values: Sequence[float], lo: float, hi: float, *, open_: bool = False) -> tuple[float, float, float]:
    if isinstance(values, (int, float)):
        values = (values,) * 3
    values = tuple(values)
    if len(values) != 3:
        raise ValueError(f"{name} must hold 3 values (one per actor path), got {len(values)}")
    return tuple(
        _finite(f"{name}[{i}]", v, lo, hi, open_lo=open_, open_hi=open_) for i, v in enumerate(values)
    )  # type: ignore[return-value]


def _int(name: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    if not lo <= int(value) <= hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}")
    return int(value)


@dataclass(frozen=True)
class Effects:
    """Path coefficients of the illustrative survey model (standardised units).

    Parameters
    ----------
    a
        Capability → co-creation paths (P4a, P5a, P6a), each in (-1, 1).
    b
        Co-creation → e-WOM paths (P4b, P5b, P6b), each in [-2, 2].
    direct
        Direct capability → e-WOM paths, each in [-2, 2] (0: full mediation).
    rho
        Correlation between any two capabilities, in (-0.5, 1) so that the
        correlation matrix is positive definite.
    noise
        Standard deviation of e-WOM's own error, in (0, 10].

    Examples
    --------
    >>> Effects.uniform(0.5).indirect
    (0.25, 0.25, 0.25)
    >>> Effects(a=(0.2, 1.2, 0.2))
    Traceback (most recent call last):
    ...
    ValueError: a[1] must be in (-1.0, 1.0), got 1.2
    """

    a: tuple[float, float, float] = (0.3, 0.3, 0.3)
    b: tuple[float, float, float] = (0.3, 0.3, 0.3)
    direct: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rho: float = 0.3
    noise: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "a", _triple("a", self.a, -1.0, 1.0, open_=True))
        object.__setattr__(self, "b", _triple("b", self.b, -2.0, 2.0))
        object.__setattr__(self, "direct", _triple("direct", self.direct, -2.0, 2.0))
        object.__setattr__(self, "rho", _finite("rho", self.rho, -0.5, 1.0, open_lo=True, open_hi=True))
        object.__setattr__(self, "noise", _finite("noise", self.noise, 0.0, 10.0, open_lo=True))

    @classmethod
    def uniform(cls, path: float, *, direct: float = 0.0, rho: float = 0.3, noise: float = 1.0) -> "Effects":
        """All three chains with a = b = ``path`` (so each indirect effect is ``path**2``)."""
        return cls(a=(path,) * 3, b=(path,) * 3, direct=(direct,) * 3, rho=rho, noise=noise)

    @property
    def indirect(self) -> tuple[float, float, float]:
        """The true indirect effects a_k·b_k."""
        return tuple(round(x * y, 12) for x, y in zip(self.a, self.b))  # type: ignore[return-value]

    def transform(self) -> np.ndarray:
        """The 8×8 matrix T with [1, X, M, Y] = [1, u] @ T for 7 iid standard normals u.

        Every survey variable is linear in the base draws, so one bootstrap of the base
        draws' moments serves every effect size (see :func:`power_curve`).
        """
        t = np.zeros((8, 8))
        t[0, 0] = 1.0
        corr = np.full((3, 3), self.rho) + (1 - self.rho) * np.eye(3)
        chol = np.linalg.cholesky(corr)  # X = u[:3] @ chol.T
        a = np.array(self.a)
        b = np.array(self.b)
        c = np.array(self.direct)
        x_of_u = np.zeros((7, 3))
        x_of_u[:3] = chol.T
        m_of_u = x_of_u * a + np.vstack([np.zeros((3, 3)), np.diag(np.sqrt(1 - a**2)), np.zeros((1, 3))])
        y_of_u = m_of_u @ b + x_of_u @ c
        y_of_u[6] += self.noise
        t[1:, 1:4] = x_of_u
        t[1:, 4:7] = m_of_u
        t[1:, 7] = y_of_u
        return t

    def ewom_sd(self) -> float:
        """Model-implied standard deviation of e-WOM (used to put it on a Likert scale)."""
        t = self.transform()
        return float(np.sqrt(np.sum(t[1:, 7] ** 2)))


def _base_draws(rng: np.random.Generator, n: int) -> np.ndarray:
    """[1, u] with u an n×7 block of iid standard normals."""
    return np.hstack([np.ones((n, 1)), rng.standard_normal((n, 7))])


def simulate_survey(
    n: int,
    effects: Effects | None = None,
    seed: int = 0,
    *,
    scale: str = "standard",
    levels: int = 7,
) -> pd.DataFrame:
    """Draw an illustrative survey from the three-chain path model.

    Parameters
    ----------
    n
        Number of respondents, an integer in [10, 1_000_000].
    effects
        Path coefficients; default :class:`Effects` ().
    seed
        Seed of the random generator (integer >= 0).
    scale
        ``"standard"`` returns the latent scores; ``"likert"`` cuts each variable into
        ``levels`` ordered categories 1..levels (coarse, as a questionnaire item is).
    levels
        Number of Likert categories, an integer in [3, 11].

    Returns
    -------
    pandas.DataFrame
        One column per construct: ``CAPABILITIES``, ``COCREATION``, ``ewom``.

    Examples
    --------
    >>> df = simulate_survey(20, seed=3, scale="likert")
    >>> df.shape, int(df.min().min()) >= 1, int(df.max().max()) <= 7
    ((20, 7), True, True)
    >>> simulate_survey(5)
    Traceback (most recent call last):
    ...
    ValueError: n must be an integer in [10, 1000000], got 5
    """
    n = _int("n", n, 10, 1_000_000)
    seed = _int("seed", seed, 0, 2**63 - 1)
    effects = effects if effects is not None else Effects()
    if not isinstance(effects, Effects):
        raise ValueError(f"effects must be an Effects instance, got {type(effects).__name__}")
    if scale not in ("standard", "likert"):
        raise ValueError(f"scale must be 'standard' or 'likert', got {scale!r}")
    levels = _int("levels", levels, 3, 11)
    z = _base_draws(np.random.default_rng(seed), n) @ effects.transform()
    frame = pd.DataFrame(z[:, 1:], columns=list(COLUMNS))
    if scale == "likert":
        sd = np.ones(7)
        sd[6] = effects.ewom_sd()
        centre, spread = (levels + 1) / 2, (levels - 1) / 4
        frame = (frame / sd * spread + centre).round().clip(1, levels).astype(int)
    return frame


# --- the mediation lab: estimation ----------------------------------------------------


def _solve_paths(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """a, b and direct paths from moment matrices ``s`` (..., 8, 8) of [1, X, M, Y].

    a_k is the OLS slope of Mk on Xk; b_k and c_k come from the OLS regression of Y on
    all X and M (with intercept), solved in closed form for every matrix at once.
    """
    n = s[..., 0, 0]
    mean = s[..., 0, :] / n[..., None]
    cov = s / n[..., None, None] - mean[..., :, None] * mean[..., None, :]
    xs, ms = np.arange(1, 4), np.arange(4, 7)
    a = cov[..., xs, ms] / cov[..., xs, xs]
    block = cov[..., 1:7, 1:7]
    rhs = cov[..., 1:7, 7:8]
    try:
        coef = np.linalg.solve(block, rhs)[..., 0]
    except np.linalg.LinAlgError:
        raise ValueError(
            "the regressors are collinear in the data (or in a bootstrap resample); "
            "use more respondents or more Likert levels"
        ) from None
    return a, coef[..., 3:6], coef[..., 0:3]


def _bootstrap_counts(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """How often each row is drawn in each of ``n_boot`` resamples of size n (n_boot×n)."""
    idx = rng.integers(0, n, size=(n_boot, n))
    flat = idx + n * np.arange(n_boot)[:, None]
    return np.bincount(flat.ravel(), minlength=n * n_boot).reshape(n_boot, n).astype(float)


def _moments(z: np.ndarray, counts: np.ndarray | None = None) -> np.ndarray:
    """Weighted cross-product matrices Z' diag(w) Z for each row of ``counts``.

    With ``counts`` (n_boot × n) this is one matrix product over the distinct pairs
    of columns, which is the whole cost of the bootstrap.
    """
    if counts is None:
        return z.T @ z
    k = z.shape[1]
    i, j = np.triu_indices(k)
    flat = counts @ (z[:, i] * z[:, j])
    out = np.empty((len(counts), k, k))
    out[:, i, j] = flat
    out[:, j, i] = flat
    return out


@dataclass(frozen=True)
class MediationResult:
    """Estimates of the three indirect effects with percentile-bootstrap intervals.

    ``table`` has one row per actor path: ``path``, ``a``, ``b``, ``direct``,
    ``indirect`` (= a·b), ``ci_low``, ``ci_high`` and ``significant`` (the interval
    excludes 0). ``boot`` holds the bootstrap draws of a·b (n_boot × 3).
    """

    table: pd.DataFrame
    boot: np.ndarray = field(repr=False)
    n: int
    n_boot: int
    level: float


def _check_frame(df: pd.DataFrame) -> np.ndarray:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"df lacks the columns {missing}; it needs {list(COLUMNS)}")
    if len(df) < 10:
        raise ValueError(f"df must have at least 10 rows, got {len(df)}")
    values = df[list(COLUMNS)].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError("df must hold finite numbers only (no NaN or inf)")
    return np.hstack([np.ones((len(values), 1)), values])


def _interval(boot: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1 - level) / 2
    low, high = np.quantile(boot, [tail, 1 - tail], axis=-2)
    return low, high


def estimate_mediation(df: pd.DataFrame, n_boot: int = 1000, seed: int = 0, *, level: float = 0.95) -> MediationResult:
    """Estimate each indirect effect a·b with a percentile-bootstrap interval.

    a_k: OLS slope of co-creation component k on capability k. b_k (and the direct
    effect c_k): OLS coefficients of e-WOM on all three capabilities and all three
    components. The bootstrap resamples respondents; every resample's regressions are
    solved at once from weighted moment matrices, so no Python loop runs over
    resamples.

    Parameters
    ----------
    df
        Survey data with the columns of :func:`simulate_survey` (at least 10 rows).
    n_boot
        Number of bootstrap resamples, an integer in [50, 100000].
    seed
        Seed of the resampling (integer >= 0).
    level
        Confidence level of the interval, in (0.5, 1).

    Examples
    --------
    >>> df = simulate_survey(300, Effects.uniform(0.0), seed=2)
    >>> r = estimate_mediation(df, n_boot=300, seed=2)
    >>> bool((r.table["ci_low"] < r.table["ci_high"]).all())
    True
    >>> estimate_mediation(df, n_boot=10)
    Traceback (most recent call last):
    ...
    ValueError: n_boot must be an integer in [50, 100000], got 10
    """
    z = _check_frame(df)
    n_boot = _int("n_boot", n_boot, 50, 100_000)
    seed = _int("seed", seed, 0, 2**63 - 1)
    level = _finite("level", level, 0.5, 1.0, open_lo=True, open_hi=True)
    a, b, c = _solve_paths(_moments(z))
    counts = _bootstrap_counts(np.random.default_rng(seed), len(z), n_boot)
    ba, bb, _ = _solve_paths(_moments(z, counts))
    boot = ba * bb
    low, high = _interval(boot, level)
    table = pd.DataFrame(
        {
            "path": list(ACTORS),
            "a": a,
            "b": b,
            "direct": c,
            "indirect": a * b,
            "ci_low": low,
            "ci_high": high,
        }
    )
    table["significant"] = (table["ci_low"] > 0) | (table["ci_high"] < 0)
    return MediationResult(table=table, boot=boot, n=len(z), n_boot=n_boot, level=level)


# --- the mediation lab: power -----------------------------------------------------------


def _seed_for(seed: int, n: int) -> np.random.Generator:
    """One generator per (seed, n): a grid cell is reproducible on its own."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(n),)))


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
) -> pd.DataFrame:
    """Monte Carlo power of the percentile-bootstrap test of each indirect effect.

    For every sample size ``n`` and path size ``e`` (a = b = e on all three chains,
    so each true indirect effect is e²), draws ``n_sims`` surveys and counts how often
    the interval excludes 0.

    The same base draws and resamples are reused for every effect size at a given
    ``n`` (common random numbers): all survey variables are linear in the base draws,
    so the bootstrap moments of the base draws are computed once and transformed per
    effect size. This makes curves smooth in the effect size and the grid cheap.

    Parameters
    ----------
    ns
        Sample sizes, integers in [10, 100000].
    effects
        Path sizes a = b, each in [0, 0.95].
    n_sims
        Simulated surveys per cell, integer in [10, 100000].
    n_boot
        Bootstrap resamples per survey, integer in [50, 100000].
    seed, rho, noise, level
        As in :func:`simulate_survey` and :func:`estimate_mediation`.

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
    ns = [_int("ns[]", v, 10, 100_000) for v in ns]
    sizes = [_finite("effects[]", e, 0.0, 0.95) for e in effects]
    if not ns or not sizes:
        raise ValueError("ns and effects must each hold at least one value")
    n_sims = _int("n_sims", n_sims, 10, 100_000)
    n_boot = _int("n_boot", n_boot, 50, 100_000)
    seed = _int("seed", seed, 0, 2**63 - 1)
    level = _finite("level", level, 0.5, 1.0, open_lo=True, open_hi=True)
    transforms = [Effects.uniform(e, rho=rho, noise=noise).transform() for e in sizes]
    rows = []
    for n in ns:
        rng = _seed_for(seed, n)
        hits = np.zeros((len(sizes), 3))
        for _ in range(n_sims):
            u = _base_draws(rng, n)
            counts = _bootstrap_counts(rng, n, n_boot)
            base = _moments(u)
            base_boot = _moments(u, counts)
            for j, t in enumerate(transforms):
                a, b, _ = _solve_paths(t.T @ base @ t)
                ba, bb, _ = _solve_paths(t.T @ base_boot @ t)
                low, high = _interval(ba * bb, level)
                hits[j] += (low > 0) | (high < 0)
        for j, e in enumerate(sizes):
            for k, path in enumerate(ACTORS):
                p = hits[j, k] / n_sims
                rows.append(
                    {"n": n, "effect": e, "indirect": round(e * e, 12), "path": path,
                     "power": p, "mcse": math.sqrt(p * (1 - p) / n_sims)}
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

    Examples
    --------
    >>> float(power_normal(100, 0.0, method="sobel")) == 0.05
    True
    >>> bool(power_normal(400, 0.3) > power_normal(100, 0.3))
    True
    """
    from scipy.stats import norm

    n = np.asarray(n, dtype=float)
    a = np.asarray(effect, dtype=float)
    if np.any(n < 10):
        raise ValueError(f"n must be >= 10, got {n}")
    if np.any((a < 0) | (a > 0.95)):
        raise ValueError(f"effect must be in [0, 0.95], got {effect}")
    if method not in ("joint", "sobel"):
        raise ValueError(f"method must be 'joint' or 'sobel', got {method!r}")
    noise = _finite("noise", noise, 0.0, 10.0, open_lo=True)
    level = _finite("level", level, 0.5, 1.0, open_lo=True, open_hi=True)
    crit = norm.ppf(1 - (1 - level) / 2)
    se_a = np.sqrt((1 - a**2) / n)
    se_b = np.sqrt(noise**2 / (n * (1 - a**2)))

    def two_sided(z: np.ndarray) -> np.ndarray:
        return norm.cdf(z - crit) + norm.cdf(-z - crit)

    if method == "joint":
        return two_sided(a / se_a) * two_sided(a / se_b)
    se = np.sqrt(a**2 * se_a**2 + a**2 * se_b**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.where(se > 0, a * a / np.where(se > 0, se, 1.0), 0.0)
    return two_sided(shift)


#: Slider grid of the static power explorer: sample size and path size a = b.
POWER_PARAMS = [
    widgets.Param("n", "Sample size n", 50, 500, 50, 150),
    widgets.Param("effect", "Path size a = b", 0.1, 0.5, 0.1, 0.2),
]
POWER_SIMS = 200
POWER_BOOT = 299
POWER_SEED = 2025


def _pool(curve: pd.DataFrame) -> pd.DataFrame:
    """Average the three chains' power; ``mcse`` is the mean of their standard errors,
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

    One row per (n, effect) of ``POWER_PARAMS`` (or only the sample sizes
    ``ns``): the power pooled over the three identically sized chains, its Monte Carlo
    error bound and the normal-theory values of :func:`power_normal`. Each sample
    size has its own random stream, so a subset reproduces the full grid's rows.

    The book ships the full grid as the table ``ipo_power_grid`` (it takes some
    seconds to compute); ``python -m cocreation.ipo --power-grid`` regenerates it.

    Examples
    --------
    >>> g = power_grid([50], n_sims=10, n_boot=50)
    >>> len(g), list(g.columns)
    (5, ['n', 'effect', 'indirect', 'power', 'mcse', 'power_joint', 'power_sobel'])
    """
    ns = [int(v) for v in POWER_PARAMS[0].values()] if ns is None else list(ns)
    sizes = [float(v) for v in POWER_PARAMS[1].values()]
    grid = _pool(power_curve(ns, sizes, n_sims=n_sims, n_boot=n_boot, seed=seed))
    grid["power_joint"] = power_normal(grid["n"].to_numpy(), grid["effect"].to_numpy(), method="joint")
    grid["power_sobel"] = power_normal(grid["n"].to_numpy(), grid["effect"].to_numpy(), method="sobel")
    for col in ("power", "mcse", "power_joint", "power_sobel"):
        grid[col] = grid[col].round(6)
    return grid


def stored_power_grid() -> pd.DataFrame:
    """The shipped power grid (table ``ipo_power_grid``), as :func:`power_grid` made it."""
    return data.load("ipo_power_grid")


# --- the mediation lab: estimate versus truth ---------------------------------------------

#: Sliders of the static estimate-versus-truth explorer.
DEMO_PARAMS = [
    widgets.Param("effect", "Path size a = b", 0.0, 0.5, 0.1, 0.3),
    widgets.Param("n", "Sample size n", 50, 500, 50, 150),
]
#: Extra sliders of the live explorer (the static page fixes them at their defaults).
LIVE_PARAMS = DEMO_PARAMS + [
    widgets.Param("direct", "Direct effect c", 0.0, 0.5, 0.1, 0.0),
    widgets.Param("rho", "Capability correlation ρ", 0.0, 0.8, 0.1, 0.3),
    widgets.Param("noise", "e-WOM noise σ", 0.5, 2.0, 0.5, 1.0),
]
DEMO_SEED = 7
DEMO_BOOT = 999


def estimate_vs_truth(
    effect: float,
    n: float,
    direct: float = 0.0,
    rho: float = 0.3,
    noise: float = 1.0,
    *,
    seed: int = DEMO_SEED,
    n_boot: int = DEMO_BOOT,
) -> pd.DataFrame:
    """Simulate one survey and compare each estimated indirect effect with the truth.

    The model function of both mediation explorers (static and live). All three
    chains share a = b = ``effect``; ``n`` is rounded to an integer.

    Returns
    -------
    pandas.DataFrame
        One row per path: ``path``, ``actor``, ``truth`` (= effect²), ``estimate``,
        ``ci_low``, ``ci_high``, ``covers`` (the interval holds the truth) and
        ``detected`` (the interval excludes 0).

    Examples
    --------
    >>> t = estimate_vs_truth(0.3, 200, n_boot=200)
    >>> t["truth"].round(2).tolist()
    [0.09, 0.09, 0.09]
    """
    effects = Effects.uniform(_finite("effect", effect, 0.0, 0.95), direct=direct, rho=rho, noise=noise)
    n_int = _int("n", int(round(_finite("n", n, 10, 1_000_000))), 10, 1_000_000)
    df = simulate_survey(n_int, effects, seed=seed)
    table = estimate_mediation(df, n_boot=n_boot, seed=seed).table
    labels = data.load("ipo_paths").set_index("id")["actor"]
    out = pd.DataFrame(
        {
            "path": table["path"],
            "actor": table["path"].map(labels),
            "truth": np.array(effects.indirect),
            "estimate": table["indirect"].round(4),
            "ci_low": table["ci_low"].round(4),
            "ci_high": table["ci_high"].round(4),
        }
    )
    out["covers"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    out["detected"] = table["significant"]
    return out


def _estimate_layers(base: alt.Chart) -> alt.LayerChart:
    x = alt.X("estimate:Q", title="Indirect effect a·b", scale=alt.Scale(domain=[-0.15, 0.6], clamp=True))
    y = alt.Y("actor:N", title=None, sort=["Focal firm", "Complementors", "Users"])
    colour = alt.Color(
        "actor:N",
        scale=alt.Scale(domain=["Focal firm", "Complementors", "Users"], range=list(ACTOR_COLOURS.values())),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("actor:N", title="Path"),
        alt.Tooltip("truth:Q", title="True a·b", format=".3f"),
        alt.Tooltip("estimate:Q", title="Estimate", format=".3f"),
        alt.Tooltip("ci_low:Q", title="95% CI low", format=".3f"),
        alt.Tooltip("ci_high:Q", title="95% CI high", format=".3f"),
        alt.Tooltip("covers:N", title="CI covers truth"),
    ]
    interval = base.mark_rule(strokeWidth=3).encode(x=alt.X("ci_low:Q", scale=alt.Scale(domain=[-0.15, 0.6], clamp=True), title="Indirect effect a·b"), x2="ci_high:Q", y=y, color=colour, tooltip=tooltip)
    point = base.mark_point(filled=True, size=120).encode(x=x, y=y, color=colour, tooltip=tooltip)
    truth = base.mark_tick(color="black", thickness=2, size=28).encode(x="truth:Q", y=y, tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(strokeDash=[4, 4], color="#888888").encode(x="zero:Q")
    return alt.layer(zero, interval, point, truth).properties(width=460, height=170)


def estimate_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Estimates with 95% intervals (coloured) against the true a·b (black tick).

    >>> spec = estimate_chart(estimate_vs_truth(0.2, 100, n_boot=100)).to_dict()
    >>> len(spec["layer"])
    4
    """
    return _estimate_layers(alt.Chart(frame)).properties(
        description="Estimated indirect effects of the three chains with bootstrap intervals, and the true values."
    )


@functools.lru_cache(maxsize=2)
def _demo_grid() -> pd.DataFrame:
    return widgets.grid(estimate_vs_truth, DEMO_PARAMS)


def estimate_explorer() -> alt.LayerChart:
    """Static explorer: sliders for path size and n filter a precomputed grid.

    >>> spec = estimate_explorer().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['effect', 'n']
    """
    grid = _demo_grid()
    chart = widgets.static_explorer(estimate_vs_truth, DEMO_PARAMS, _estimate_layers, grid_frame=grid)
    return chart.properties(
        description=(
            "Illustrative simulation: for the chosen path size and sample size, the estimated "
            "indirect effect of each chain with its 95% bootstrap interval, against the truth."
        )
    )


def mediation_explorer() -> widgets.LiveExplorer:
    """Live explorer (needs a kernel): re-simulates with every slider change."""
    return widgets.live_explorer(estimate_vs_truth, LIVE_PARAMS, estimate_chart)


def power_chart(grid: pd.DataFrame | None = None) -> alt.LayerChart:
    """Static power explorer: power curves with sliders for path size and sample size.

    The selected path size's curve is drawn bold with its normal-theory approximation
    (dashed, joint-significance test); the selected n is circled and its power printed.

    >>> spec = power_chart().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['effect', 'n']
    """
    grid = stored_power_grid() if grid is None else grid
    frame = grid[["n", "effect", "indirect", "power", "mcse", "power_joint"]].copy()
    params = widgets.slider_params(POWER_PARAMS)
    chosen_effect = "abs(datum.effect - effect) < 0.05"
    chosen_cell = chosen_effect + " && abs(datum.n - n) < 25"
    base = alt.Chart(frame)
    x = alt.X("n:Q", title="Sample size n", scale=alt.Scale(domain=[0, 520]))
    y = alt.Y("power:Q", title="Power (share of surveys that detect a·b)", scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color("effect:O", title="a = b", scale=alt.Scale(scheme="viridis"))
    tooltip = [
        alt.Tooltip("n:Q"),
        alt.Tooltip("effect:Q", title="a = b"),
        alt.Tooltip("indirect:Q", title="a·b", format=".2f"),
        alt.Tooltip("power:Q", title="Power (bootstrap)", format=".2f"),
        alt.Tooltip("mcse:Q", title="Monte Carlo s.e. ≤", format=".3f"),
        alt.Tooltip("power_joint:Q", title="Power (normal theory, joint test)", format=".2f"),
    ]
    lines = base.mark_line(point=True).encode(
        x=x, y=y, color=colour,
        opacity=alt.condition(chosen_effect, alt.value(1.0), alt.value(0.25)),
        strokeWidth=alt.condition(chosen_effect, alt.value(3.5), alt.value(1.5)),
        tooltip=tooltip,
    )
    normal = base.transform_filter(chosen_effect).mark_line(strokeDash=[5, 4], color="black").encode(
        x=x, y=alt.Y("power_joint:Q"), tooltip=tooltip
    )
    cell = base.transform_filter(chosen_cell)
    marker = cell.mark_point(size=260, shape="circle", filled=False, color="black", strokeWidth=2).encode(x=x, y=y, tooltip=tooltip)
    label = cell.mark_text(align="left", dx=12, dy=-12, fontWeight="bold").encode(
        x=x, y=y, text=alt.Text("power:Q", format=".2f")
    )
    nominal = alt.Chart(pd.DataFrame({"level": [0.8]})).mark_rule(color="#888888", strokeDash=[2, 2]).encode(y="level:Q")
    return (
        alt.layer(nominal, lines, normal, marker, label)
        .add_params(*params)
        .properties(
            width=500, height=300,
            description=(
                "Illustrative power curves of the bootstrap test of an indirect effect, by sample "
                "size, one line per path size; the selected path size is bold with a dashed "
                "normal-theory curve, and the selected sample size is circled."
            ),
        )
    )


# --- the framework: tables and diagram ------------------------------------------------


def evidence_for(path: str | None = None, stage: str | None = None) -> pd.DataFrame:
    """Evidence rows of ``data/ipo_evidence``, optionally for one path and one stage.

    >>> evidence_for("complementors", "dissemination")["organisation"].unique().tolist()[:2]
    ['Dewei Power', 'COMPAKS']
    """
    ev = data.load("ipo_evidence")
    if path is not None:
        if path not in ACTORS:
            raise ValueError(f"path must be one of {list(ACTORS)}, got {path!r}")
        ev = ev[ev["path"] == path]
    if stage is not None:
        stages = ("capability", "activation", "dissemination")
        if stage not in stages:
            raise ValueError(f"stage must be one of {list(stages)}, got {stage!r}")
        ev = ev[ev["stage"] == stage]
    return ev.reset_index(drop=True)


def evidence_attribution(row: Mapping[str, Any]) -> str:
    """Where a quotation comes from, as the paper codes it: organisation and evidence codes.

    The paper names the informant only with the interview code E1, so the informant is
    shown beside that code, not as the speaker.

    >>> evidence_attribution({"organisation": "Dewei Power", "codes": ["E1", "E4"], "informant": "Directors"})
    'Dewei Power, evidence E1: Directors, E4'
    """
    informant = row.get("informant")
    codes = [f"{c}: {informant}" if c == "E1" and isinstance(informant, str) else c for c in row["codes"]]
    return f"{row['organisation']}, evidence " + ", ".join(codes)


def _items(ev: pd.DataFrame, limit: int = 4) -> str:
    parts = []
    for _, r in ev.head(limit).iterrows():
        fig = f" [{r['figure']}]" if isinstance(r["figure"], str) else ""
        parts.append(f"{r['organisation']}{fig} ({', '.join(r['codes'])})")
    more = len(ev) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _short(text: str, limit: int = 170) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def framework_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the framework diagram, generated from ``data/ipo_*``.

    Returns
    -------
    (nodes, edges)
        Nodes: actors, capabilities, co-creation components, positive and negative
        e-WOM, with ``definition``, ``proposition`` and ``evidence`` for the tooltips
        and ``groups`` (the actor paths a node belongs to). Edges: P1-P3 (actor ↔
        capability), Pxa (capability → co-creation), Pxb (co-creation → positive
        e-WOM) and, dashed, the negative-e-WOM risk of each path.

    Examples
    --------
    >>> nodes, edges = framework_frames()
    >>> len(nodes), len(edges), int((edges["style"] == "dashed").sum())
    (11, 12, 3)
    """
    cons = data.load("ipo_constructs").set_index("id")
    paths = data.load("ipo_paths").set_index("id")
    props = data.load("ipo_propositions").set_index("id")
    risks = data.load("ipo_risks")
    number = {"focal_firm": "4", "complementors": "5", "users": "6"}
    capnum = {"focal_firm": "1", "complementors": "2", "users": "3"}

    def prop(pid: str) -> str:
        return f"P{pid[1:]}: {props.loc[pid, 'statement']}"

    nodes, edges = [], []
    for order, pid in enumerate(ACTORS):
        p = paths.loc[pid]
        cap, coc = p["capability"], p["cocreation"]
        k, c = number[pid], capnum[pid]
        nodes.append({"id": f"actor_{pid}", "label": p["actor"], "layer": 0, "order": order,
                      "construct": p["actor"], "definition": _short(p["actor_definition"]),
                      "proposition": prop(f"P{c}"), "evidence": _items(evidence_for(pid, "capability")),
                      "groups": pid})
        nodes.append({"id": cap, "label": cons.loc[cap, "short_label"].replace("\\n", "\n"), "layer": 1,
                      "order": order, "construct": cons.loc[cap, "label"],
                      "definition": _short(cons.loc[cap, "definition"]), "proposition": prop(f"P{c}"),
                      "evidence": _items(evidence_for(pid, "capability")), "groups": pid})
        nodes.append({"id": coc, "label": cons.loc[coc, "short_label"].replace("\\n", "\n"), "layer": 2,
                      "order": order, "construct": cons.loc[coc, "label"],
                      "definition": _short(cons.loc[coc, "definition"]), "proposition": prop(f"P{k}"),
                      "evidence": _items(evidence_for(pid, "activation")), "groups": pid})
        edges.append({"source": f"actor_{pid}", "target": cap, "style": "solid", "groups": pid,
                      "link": f"P{c}", "proposition": prop(f"P{c}"),
                      "evidence": _items(evidence_for(pid, "capability"))})
        edges.append({"source": cap, "target": coc, "style": "solid", "groups": pid,
                      "link": f"P{k}a", "proposition": prop(f"P{k}a"),
                      "evidence": _items(evidence_for(pid, "activation"))})
        edges.append({"source": coc, "target": "positive_ewom", "style": "solid", "groups": pid,
                      "link": f"P{k}b", "proposition": prop(f"P{k}b"),
                      "evidence": _items(evidence_for(pid, "dissemination"))})
        rk = risks[risks["path"] == pid]
        edges.append({"source": coc, "target": "negative_ewom", "style": "dashed", "groups": pid,
                      "link": "risk of negative e-WOM",
                      "proposition": "No proposition: the paper names the risk in the case evidence.",
                      "evidence": "; ".join(f"{r.category}: {r.organisation} ({', '.join(r.codes)})" for r in rk.itertuples())})
    all_paths = ";".join(ACTORS)
    pos_ev = data.load("ipo_evidence")
    pos_ev = pos_ev[pos_ev["stage"] == "dissemination"]
    for order, cid in enumerate(("positive_ewom", "negative_ewom")):
        evidence = (
            f"{len(pos_ev)} dissemination items across the three paths"
            if cid == "positive_ewom"
            else "; ".join(f"{r.category}: {r.organisation}" for r in risks.itertuples())
        )
        nodes.append({"id": cid, "label": cons.loc[cid, "short_label"].replace("\\n", "\n"), "layer": 3,
                      "order": order, "construct": cons.loc[cid, "label"],
                      "definition": _short(cons.loc[cid, "definition"]),
                      "proposition": "P4b, P5b, P6b (the propositions say e-WOM, unsigned)"
                      if cid == "positive_ewom" else "None (risks named in 4.2 and Table 2)",
                      "evidence": evidence, "groups": all_paths})
    node_frame = pd.DataFrame(nodes)
    node_frame["order"] = node_frame["order"].where(node_frame["layer"] != 3, node_frame["order"] * 2)
    return node_frame, pd.DataFrame(edges)


def framework_chart() -> alt.LayerChart:
    """The Input → Process → Outcome diagram with an actor dropdown and tooltips.

    >>> spec = framework_chart().to_dict()
    >>> spec["params"][0]["bind"]["options"]
    ['All', 'focal_firm', 'complementors', 'users']
    """
    nodes, edges = framework_frames()
    return charts.flow_diagram(
        nodes,
        edges,
        node_tooltip=("construct", "definition", "proposition", "evidence"),
        edge_tooltip=("link", "source_label", "target_label", "proposition", "evidence"),
        highlight="ipo_actor",
        highlight_options=list(ACTORS),
        highlight_label="Actor path",
        layer_titles=(
            "Actor",
            "Input: capability",
            "Process: co-creation",
            "Outcome: e-WOM",
        ),
        width=560,
        height=380,
        description=(
            "Input-Process-Outcome framework of Liu et al. (2025): three actors, the capability "
            "aimed at each, the co-creation component it activates, and positive e-WOM (solid) "
            "or negative e-WOM risks (dashed)."
        ),
    ).resolve_scale(color="independent")


def evidence_chart() -> alt.Chart:
    """The percentage changes the case reports, by path (signed by direction).

    >>> spec = evidence_chart().to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["x"]["field"]
    ('bar', 'change')
    """
    ev = data.load("ipo_evidence")
    ev = ev[ev["percent"].notna()].copy()
    labels = data.load("ipo_paths").set_index("id")["actor"]
    ev["actor"] = ev["path"].map(labels)
    ev["change"] = np.where(ev["direction"] == "decrease", -ev["percent"], ev["percent"])
    ev["item"] = ev["organisation"] + ": " + ev["metric"]
    ev["evidence"] = ev["codes"].map(", ".join)
    frame = ev[["item", "actor", "change", "figure", "proposition", "evidence", "summary"]]
    return (
        alt.Chart(frame, description="Reported percentage changes in the COSMOPlat case, by actor path.")
        .mark_bar()
        .encode(
            x=alt.X("change", type="quantitative", title="Reported change (%)"),
            y=alt.Y("item:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "actor:N", title="Path", legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=["Focal firm", "Complementors", "Users"], range=list(ACTOR_COLOURS.values())),
            ),
            tooltip=["item", "figure", "proposition", "evidence", "summary"],
        )
        .properties(width=300)
    )


# --- tables for the page ---------------------------------------------------------------


def _int_text(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):g}"


def data_sources_table() -> pd.DataFrame:
    """Table 1 of the paper, ready to show (blank where the table gives no number).

    >>> data_sources_table()["Code"].tolist()[:2]
    ['E1 (Appendix B)', 'E1 (Appendix B)']
    """
    src = data.load("ipo_data_sources")
    codes = data.load("ipo_evidence_codes").set_index("code")["appendix"]
    records = src["records"].map(_int_text) + src["period"].map(lambda p: f" ({p})" if isinstance(p, str) else "")
    return pd.DataFrame(
        {
            "Data source": src["data_source"] + " (" + src["kind"] + ")",
            "Contents": src["contents"],
            "Interviewees": src["interviewees"].map(_int_text),
            "Interviews": src["interviews"].map(_int_text),
            "Hours each": src["hours_each"].map(_int_text),
            "Records": records,
            "Code": src["code"] + " (" + src["code"].map(codes) + ")",
        }
    )


def constructs_table(level: str = "component") -> pd.DataFrame:
    """Constructs with layer, actor, definition and the literature the paper builds on."""
    if level not in ("component", "umbrella"):
        raise ValueError(f"level must be 'component' or 'umbrella', got {level!r}")
    cons = data.load("ipo_constructs")
    cons = cons[cons["level"] == level]
    actors = {"focal_firm": "Focal firm", "complementors": "Complementors", "users": "Users", "all": "All actors"}
    return pd.DataFrame(
        {
            "Construct": cons["label"],
            "Layer": cons["layer"].str.capitalize(),
            "Aimed at": cons["actor"].map(actors),
            "Definition (our words)": cons["definition"],
            "Built on": cons["basis"],
            "Section": cons["locator"],
        }
    )


def evidence_table(path: str) -> pd.DataFrame:
    """The evidence of one actor path, step by step, with figures and evidence codes.

    >>> evidence_table("users")["Step"].unique().tolist()
    ['P3: capability', 'P6a: activation', 'P6b: dissemination']
    """
    ev = evidence_for(path)
    return pd.DataFrame(
        {
            "Step": ev["proposition"] + ": " + ev["stage"],
            "Organisation": ev["organisation"],
            "What the case reports (our words)": ev["summary"],
            "Figure": ev["figure"].fillna(""),
            "Evidence": ev["codes"].map(", ".join)
            + ev["informant"].map(lambda r: f" ({r})" if isinstance(r, str) else ""),
            "Where": ev["locator"],
        }
    )


def risks_table() -> pd.DataFrame:
    """The negative e-WOM risks with their path (blank: the paper ties it to none)."""
    risks = data.load("ipo_risks")
    labels = data.load("ipo_paths").set_index("id")["actor"]
    return pd.DataFrame(
        {
            "Risk": risks["category"],
            "Path": risks["path"].map(labels).fillna("(none given)"),
            "Example": risks["organisation"],
            "How it arises (our words)": risks["mechanism"],
            "Evidence": risks["codes"].map(", ".join),
            "Where": risks["locator"],
        }
    )


def findings(kind: str) -> list[str]:
    """The paper's contributions, managerial implications or limitations, in order."""
    kinds = ("contribution", "managerial", "limitation")
    if kind not in kinds:
        raise ValueError(f"kind must be one of {list(kinds)}, got {kind!r}")
    f = data.load("ipo_findings")
    return f[f["kind"] == kind].sort_values("order")["text"].tolist()


def case_facts_table() -> pd.DataFrame:
    """The platform figures of the case-selection section (and the introduction's 91%)."""
    f = data.load("ipo_case_facts")
    return pd.DataFrame({"Figure": f["figure"], "Fact (our words)": f["fact"], "Section": f["locator"]})


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--power-grid"]:
        power_grid().to_csv(data.data_dir() / "ipo_power_grid.csv", index=False)
    else:
        sys.exit("usage: python -m cocreation.ipo --power-grid")
