"""The mediation lab: an illustrative path model and its bootstrap estimator.

The paper is qualitative, so nothing here is estimated from its data. The model (X, M
standardised; e-WOM's error SD is 1, so b and c are in its units), for ``k`` chains::

    X = (X1, ..., Xk) ~ N(0, R),  R has 1 on the diagonal and rho elsewhere
    Mj = a_j Xj + sqrt(1 - a_j**2) eps_j                 (j = 1, ..., k)
    Y  = sum_j b_j Mj + sum_j c_j Xj + noise * eps_Y

with X the capabilities, M the co-creation components and Y e-WOM. The indirect effect
of capability j is a_j·b_j. :class:`Layout` names where each block of variables sits,
so every function here works for any number of chains. The power of the test is in
:mod:`cocreation.ipo.power`.

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

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .. import data, validate

__all__ = [
    "ACTORS",
    "CAPABILITIES",
    "COCREATION",
    "OUTCOME",
    "COLUMNS",
    "MAX_CHAINS", "MAX_BOOT_WORK", "min_rows",
    "Layout",
    "chain_names",
    "survey_columns",
    "Effects",
    "MediationResult",
    "simulate_survey",
    "estimate_mediation",
    "ESTIMATE_SEED",
    "ESTIMATE_BOOT",
    "estimate_vs_truth",
]

#: The three actor paths, in the paper's order.
ACTORS: tuple[str, ...] = ("focal_firm", "complementors", "users")
#: Survey columns: capability (input), co-creation component (process), outcome.
CAPABILITIES: tuple[str, ...] = ("ecological_capability", "coordination_capability", "innovation_capability")
COCREATION: tuple[str, ...] = ("intrapreneurship", "complementor_support", "reciprocal_participation")
OUTCOME = "ewom"
COLUMNS: tuple[str, ...] = CAPABILITIES + COCREATION + (OUTCOME,)

#: Largest number of chains a model may have.
MAX_CHAINS = 50
#: Largest n × n_boot of one bootstrap (each resample weight is 8 bytes, held a few times).
MAX_BOOT_WORK = 20_000_000
_MAX_SURVEY_CELLS = 50_000_000
_MAX_SEED = 2**63 - 1


def min_rows(chains: int = 3) -> int:
    """Fewest respondents an estimate needs: max(30, 4 · (2·chains + 1)). With fewer, some
    bootstrap resamples have fewer distinct rows than the 2·chains + 1 columns of the
    regression of e-WOM, and no estimate (with n = 10 and three chains, most of them).

    >>> min_rows(3), min_rows(10)
    (30, 84)
    """
    chains = validate.integer("chains", chains, 1, MAX_CHAINS)
    return max(30, 4 * (2 * chains + 1))


# --- where the variables sit ---------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Named positions of [1, X, M, Y] for ``chains`` parallel chains.

    The same positions index the base draws [1, u]: ``u[x]`` drives the capabilities,
    ``u[m]`` the components' own errors and ``u[y]`` e-WOM's error. In the regression
    of Y on all X and M, the coefficients of X come first (``x_coef``), then those of
    M (``m_coef``).

    Examples
    --------
    >>> lay = Layout(3)
    >>> lay.size, lay.x, lay.m, lay.y
    (8, slice(1, 4, None), slice(4, 7, None), 7)
    >>> Layout.of_size(6).chains
    2
    """

    chains: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "chains", validate.integer("chains", self.chains, 1, MAX_CHAINS))

    @classmethod
    def of_size(cls, size: int) -> "Layout":
        """The layout whose matrices are ``size`` × ``size`` (size = 2·chains + 2).

        >>> Layout.of_size(7)
        Traceback (most recent call last):
        ...
        ValueError: size must be an even integer in [4, 102] (2 * chains + 2), got 7
        """
        if not validate._is_real(size) or not float(size).is_integer() or not 4 <= size <= 2 * MAX_CHAINS + 2 or int(size) % 2:
            raise ValueError(f"size must be an even integer in [4, {2 * MAX_CHAINS + 2}] (2 * chains + 2), got {size!r}")
        return cls((int(size) - 2) // 2)

    @property
    def size(self) -> int:
        """Rows and columns of [1, X, M, Y]: 2·chains + 2."""
        return 2 * self.chains + 2

    const = 0  #: the constant 1

    @property
    def x(self) -> slice:
        """The capabilities X (inputs)."""
        return slice(1, 1 + self.chains)

    @property
    def m(self) -> slice:
        """The co-creation components M (processes)."""
        return slice(1 + self.chains, 1 + 2 * self.chains)

    @property
    def y(self) -> int:
        """e-WOM Y (the outcome)."""
        return 1 + 2 * self.chains

    @property
    def regressors(self) -> slice:
        """X and M together: the regressors of Y."""
        return slice(1, 1 + 2 * self.chains)

    @property
    def x_coef(self) -> slice:
        """The coefficients of X among those of the regressors."""
        return slice(0, self.chains)

    @property
    def m_coef(self) -> slice:
        """The coefficients of M among those of the regressors."""
        return slice(self.chains, 2 * self.chains)


def chain_names(chains: int = 3) -> tuple[str, ...]:
    """Names of the chains: the paper's three actors, else ``chain_1`` ... ``chain_k``.

    >>> chain_names(), chain_names(2)
    (('focal_firm', 'complementors', 'users'), ('chain_1', 'chain_2'))
    """
    chains = Layout(chains).chains
    return ACTORS if chains == 3 else tuple(f"chain_{j}" for j in range(1, chains + 1))


def survey_columns(chains: int = 3) -> tuple[str, ...]:
    """Survey columns in the order [X, M, Y]: the paper's constructs for three chains.

    >>> survey_columns(2)
    ('capability_1', 'capability_2', 'cocreation_1', 'cocreation_2', 'ewom')
    """
    chains = Layout(chains).chains
    if chains == 3:
        return COLUMNS
    numbers = range(1, chains + 1)
    return tuple(f"capability_{j}" for j in numbers) + tuple(f"cocreation_{j}" for j in numbers) + (OUTCOME,)


# --- the model --------------------------------------------------------------------------


def _paths(name: str, values: float | Sequence[float], chains: int, lo: float, hi: float, *, open_: bool = False) -> tuple[float, ...]:
    """One validated value per chain (a single number stands for every chain)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence | np.ndarray):
        values = (values,) * chains
    values = tuple(values)
    if len(values) != chains:
        raise ValueError(f"{name} must hold {chains} values (one per chain), got {len(values)}")
    return tuple(validate.number(f"{name}[{j}]", v, lo, hi, lo_open=open_, hi_open=open_) for j, v in enumerate(values))


def _count_chains(*values: object) -> int:
    """The length of the first sequence among ``values``; 3 (the paper's) if all are numbers."""
    for v in values:
        if isinstance(v, Sequence | np.ndarray) and not isinstance(v, (str, bytes)):
            return validate.integer("the number of chains", len(v), 1, MAX_CHAINS)
    return 3


@dataclass(frozen=True)
class Effects:
    """Path coefficients of the illustrative survey model (capabilities and components
    standardised; ``b`` and ``c`` in units of e-WOM's error SD).

    ``a``, ``b`` and ``direct`` hold one value per chain; a single number stands for
    every chain. The number of chains is the length of the first of them given as a
    sequence (three, the paper's, if all are numbers).

    Parameters
    ----------
    a
        Capability → co-creation paths (P4a, P5a, P6a), each in (-1, 1).
    b
        Co-creation → e-WOM paths (P4b, P5b, P6b), each in [-2, 2].
    direct
        Direct capability → e-WOM paths, each in [-2, 2] (0: full mediation).
    rho
        Correlation between any two capabilities, in (-1/(k-1), 1) for k chains
        (so that the correlation matrix is positive definite; (-0.5, 1) for three).
    noise
        Standard deviation of e-WOM's own error, in (0, 10].

    Examples
    --------
    >>> Effects.uniform(0.5).indirect
    (0.25, 0.25, 0.25)
    >>> Effects(a=(0.4, 0.2, 0.4, 0.2), b=0.5).indirect
    (0.2, 0.1, 0.2, 0.1)
    >>> Effects(a=(0.2, 1.2, 0.2))
    Traceback (most recent call last):
    ...
    ValueError: a[1] must be a finite number in (-1, 1), got 1.2
    """

    a: float | tuple[float, ...] = 0.3
    b: float | tuple[float, ...] = 0.3
    direct: float | tuple[float, ...] = 0.0
    rho: float = 0.3
    noise: float = 1.0

    def __post_init__(self) -> None:
        k = _count_chains(self.a, self.b, self.direct)
        object.__setattr__(self, "a", _paths("a", self.a, k, -1.0, 1.0, open_=True))
        object.__setattr__(self, "b", _paths("b", self.b, k, -2.0, 2.0))
        object.__setattr__(self, "direct", _paths("direct", self.direct, k, -2.0, 2.0))
        rho_lo = -1.0 / (k - 1) if k > 1 else -1.0
        object.__setattr__(self, "rho", validate.number("rho", self.rho, rho_lo, 1.0, lo_open=True, hi_open=True))
        object.__setattr__(self, "noise", validate.number("noise", self.noise, 0.0, 10.0, lo_open=True))

    @classmethod
    def uniform(
        cls, path: float, *, chains: int = 3, direct: float = 0.0, rho: float = 0.3, noise: float = 1.0
    ) -> "Effects":
        """``chains`` chains with a = b = ``path`` (so each indirect effect is ``path**2``).

        >>> Effects.uniform(0.2, chains=2).a
        (0.2, 0.2)
        """
        k = Layout(chains).chains
        path = validate.number("path", path, -1.0, 1.0, lo_open=True, hi_open=True)
        direct = validate.number("direct", direct, -2.0, 2.0)
        return cls(a=(path,) * k, b=(path,) * k, direct=(direct,) * k, rho=rho, noise=noise)

    @property
    def chains(self) -> int:
        """The number of chains."""
        return len(self.a)  # type: ignore[arg-type]

    @property
    def layout(self) -> Layout:
        """Where each variable sits in :meth:`transform`."""
        return Layout(self.chains)

    @property
    def indirect(self) -> tuple[float, ...]:
        """The true indirect effects a_j·b_j."""
        return tuple(round(x * y, 12) for x, y in zip(self.a, self.b))  # type: ignore[arg-type]

    def transform(self) -> np.ndarray:
        """The matrix T with [1, X, M, Y] = [1, u] @ T for 2·chains + 1 iid standard normals u.

        Rows and columns follow :attr:`layout`: the draws ``u[x]`` make the correlated
        capabilities, ``u[m]`` the components' own errors and ``u[y]`` e-WOM's error.
        Every survey variable is linear in the base draws, so one bootstrap of the base
        draws' moments serves every effect size (see
        :func:`cocreation.ipo.power.power_curve`).

        >>> Effects.uniform(0.5, chains=2).transform().shape
        (6, 6)
        """
        lay = self.layout
        k = self.chains
        a, b, c = np.array(self.a), np.array(self.b), np.array(self.direct)
        corr = np.full((k, k), self.rho) + (1 - self.rho) * np.eye(k)
        t = np.zeros((lay.size, lay.size))
        t[lay.const, lay.const] = 1.0
        t[lay.x, lay.x] = np.linalg.cholesky(corr).T  # X = u[x] @ chol.T
        t[:, lay.m] = t[:, lay.x] * a
        t[lay.m, lay.m] += np.diag(np.sqrt(1 - a**2))
        t[:, lay.y] = t[:, lay.m] @ b + t[:, lay.x] @ c
        t[lay.y, lay.y] += self.noise
        return t

    def ewom_sd(self) -> float:
        """Model-implied standard deviation of e-WOM (used to put it on a Likert scale)."""
        t = self.transform()
        return float(np.sqrt(np.sum(t[1:, self.layout.y] ** 2)))


def _base_draws(rng: np.random.Generator, n: int, chains: int = 3) -> np.ndarray:
    """[1, u] with u an n × (2·chains + 1) block of iid standard normals."""
    return np.hstack([np.ones((n, 1)), rng.standard_normal((n, 2 * chains + 1))])


def _effects(value: Effects | None) -> Effects:
    if value is None:
        return Effects()
    if not isinstance(value, Effects):
        raise ValueError(f"effects must be an Effects instance, got {type(value).__name__}")
    return value


def simulate_survey(
    n: int,
    effects: Effects | None = None,
    seed: int = 0,
    *,
    scale: str = "standard",
    levels: int = 7,
) -> pd.DataFrame:
    """Draw an illustrative survey from the path model.

    Parameters
    ----------
    n
        Number of respondents, an integer in [10, 1_000_000].
    effects
        Path coefficients; default :class:`Effects` () (three chains).
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
        One column per construct, :func:`survey_columns` of the number of chains
        (for three: ``CAPABILITIES``, ``COCREATION``, ``ewom``).

    Examples
    --------
    >>> df = simulate_survey(20, seed=3, scale="likert")
    >>> df.shape, int(df.min().min()) >= 1, int(df.max().max()) <= 7
    ((20, 7), True, True)
    >>> simulate_survey(20, Effects.uniform(0.3, chains=4)).shape
    (20, 9)
    >>> simulate_survey(5)
    Traceback (most recent call last):
    ...
    ValueError: n must be an integer in [10, 1e+06], got 5
    """
    n = validate.integer("n", n, 10, 1_000_000)
    effects = _effects(effects)
    seed = validate.integer("seed", seed, 0, _MAX_SEED)
    validate.choice("scale", scale, ("standard", "likert"))
    levels = validate.integer("levels", levels, 3, 11)
    k = effects.chains
    validate.work("n * (2 * chains + 1)", n * (2 * k + 1), _MAX_SURVEY_CELLS)
    z = _base_draws(np.random.default_rng(seed), n, k) @ effects.transform()
    frame = pd.DataFrame(z[:, 1:], columns=list(survey_columns(k)))
    if scale == "likert":
        sd = np.ones(2 * k + 1)
        sd[-1] = effects.ewom_sd()
        centre, spread = (levels + 1) / 2, (levels - 1) / 4
        frame = (frame / sd * spread + centre).round().clip(1, levels).astype(int)
    return frame


# --- estimation ------------------------------------------------------------------------------


def _solve_paths(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """a, b and direct paths from moment matrices ``s`` (..., size, size) of [1, X, M, Y].

    a_j is the OLS slope of Mj on Xj; b_j and c_j come from the OLS regression of Y on
    all X and M (with intercept), solved in closed form for every matrix at once.
    """
    lay = Layout.of_size(s.shape[-1])
    n = s[..., lay.const, lay.const]
    mean = s[..., lay.const, :] / n[..., None]
    cov = s / n[..., None, None] - mean[..., :, None] * mean[..., None, :]
    a = np.diagonal(cov[..., lay.x, lay.m], axis1=-2, axis2=-1) / np.diagonal(cov[..., lay.x, lay.x], axis1=-2, axis2=-1)
    block = cov[..., lay.regressors, lay.regressors]
    rhs = cov[..., lay.regressors, lay.y, None]
    try:
        coef = np.linalg.solve(block, rhs)[..., 0]
    except np.linalg.LinAlgError:
        raise ValueError("df has collinear regressors (in the data or in a bootstrap resample); "
                         "use more respondents or more Likert levels") from None
    return a, coef[..., lay.m_coef], coef[..., lay.x_coef]


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
    """Estimates of the indirect effects with percentile-bootstrap intervals.

    ``table`` has one row per chain (actor path): ``path``, ``a``, ``b``, ``direct``,
    ``indirect`` (= a·b), ``ci_low``, ``ci_high`` and ``significant`` (the interval
    excludes 0). ``boot`` holds the bootstrap draws of a·b (n_boot × chains).
    """

    table: pd.DataFrame
    boot: np.ndarray = field(repr=False)
    n: int
    n_boot: int
    level: float


def _survey_chains(df: pd.DataFrame) -> int:
    """The paper's three chains if ``df`` has their columns, else its numbered chains."""
    if all(c in df.columns for c in COLUMNS):
        return 3
    k = 0
    while f"capability_{k + 1}" in df.columns and k < MAX_CHAINS:
        k += 1
    return max(k, 1)


def _survey_matrix(df: pd.DataFrame, chains: int | None) -> tuple[np.ndarray, int]:
    """[1, X, M, Y] as a matrix, checked: the columns of ``chains`` chains, >= 10 finite rows."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    k = _survey_chains(df) if chains is None else validate.integer("chains", chains, 1, MAX_CHAINS)
    columns = list(survey_columns(k))
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"df lacks the columns {missing}; it needs {columns}")
    if len(df) < min_rows(k):
        raise ValueError(f"df must have at least {min_rows(k)} rows (min_rows for {k} chains), got {len(df)}")
    values = df[columns].to_numpy(dtype=float)
    validate.array("df", values)  # finite numbers only (no NaN or inf)
    return np.hstack([np.ones((len(values), 1)), values]), k


def _interval(boot: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    tail = (1 - level) / 2
    low, high = np.quantile(boot, [tail, 1 - tail], axis=-2)
    return low, high


def estimate_mediation(
    df: pd.DataFrame, n_boot: int = 1000, seed: int = 0, *, level: float = 0.95, chains: int | None = None
) -> MediationResult:
    """Estimate each indirect effect a·b with a percentile-bootstrap interval.

    a_j: OLS slope of co-creation component j on capability j. b_j (and the direct
    effect c_j): OLS coefficients of e-WOM on all capabilities and all components.
    The bootstrap resamples respondents; every resample's regressions are solved at
    once from weighted moment matrices, so no Python loop runs over resamples.

    Parameters
    ----------
    df
        Survey data with the columns of :func:`simulate_survey`, at least
        :func:`min_rows` rows (30 for three chains).
    n_boot
        Number of bootstrap resamples, an integer in [50, 100000]; the number of rows
        times ``n_boot`` may be at most ``MAX_BOOT_WORK`` (20 million).
    seed
        Seed of the resampling (integer >= 0).
    level
        Confidence level of the interval, in (0.5, 1).
    chains
        Number of chains (an integer in [1, 50]); by default the paper's three if
        ``df`` has their columns, else as many as ``df`` has numbered capabilities.

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
    z, k = _survey_matrix(df, chains)
    n_boot = validate.integer("n_boot", n_boot, 50, 100_000)
    seed = validate.integer("seed", seed, 0, _MAX_SEED)
    level = validate.number("level", level, 0.5, 1.0, lo_open=True, hi_open=True)
    validate.work("n * n_boot", len(z) * n_boot, MAX_BOOT_WORK)
    a, b, c = _solve_paths(_moments(z))
    counts = _bootstrap_counts(np.random.default_rng(seed), len(z), n_boot)
    ba, bb, _ = _solve_paths(_moments(z, counts))
    boot = ba * bb
    low, high = _interval(boot, level)
    table = pd.DataFrame(
        {
            "path": list(chain_names(k)),
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


# --- estimate versus truth ---------------------------------------------------------------

ESTIMATE_SEED = 7
ESTIMATE_BOOT = 999


def estimate_vs_truth(
    effect: float,
    n: float,
    direct: float = 0.0,
    rho: float = 0.3,
    noise: float = 1.0,
    *,
    seed: int = ESTIMATE_SEED,
    n_boot: int = ESTIMATE_BOOT,
) -> pd.DataFrame:
    """Simulate one survey and compare each estimated indirect effect with the truth.

    The model function of both estimate explorers (static and live). All three
    chains share a = b = ``effect`` (in [0, 0.95]); ``n`` (in [30, 1_000_000]) is
    rounded to an integer; ``direct``, ``rho`` and ``noise`` are as in :class:`Effects`;
    ``seed`` and ``n_boot`` as in :func:`estimate_mediation` (so n × n_boot is at most
    ``MAX_BOOT_WORK``: n up to 20,020 with the default 999 resamples).

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
    effects = Effects.uniform(validate.number("effect", effect, 0.0, 0.95), direct=direct, rho=rho, noise=noise)
    n_int = int(round(validate.number("n", n, min_rows(3), 1_000_000)))
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
