"""The game's maths: parameters, closed-form equilibria, the region map and the scenario table.

Demand is ``D = alpha + k_p*sqrt(A) + k_s*sqrt(a)``; the platform earns the margin
``rho_p``, the participant ``rho_s``. :func:`closed_forms` holds every scenario's
equilibrium once, written with generic arithmetic so that numpy (here) and sympy
(:mod:`cocreation.coopetition.symbolic`) evaluate the same formulas. Plain numpy and
pandas only: no chart or widget code.

Examples
--------
>>> p = Params(alpha=1.0, k_p=1.0, k_s=1.0, rho_p=1.0, rho_s=0.5)
>>> eq = solve(p, "P")
>>> round(float(eq.t), 4)           # (2*1 - 0.5) / (2*1 + 0.5)
0.6
>>> round(float(solve(p, "R", power=0.5).total), 4) == round(float(solve(p, "C").total), 4)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .. import validate

__all__ = [
    "SCENARIOS",
    "SCENARIO_LABELS",
    "BENCHMARKS",
    "Params",
    "Equilibrium",
    "closed_forms",
    "solve",
    "feasible_phi",
    "efficiency_gap",
    "region",
    "region_grid",
    "scenario_table",
]

#: The scenarios, in the order the book shows them.
SCENARIOS = ("N", "P", "S", "R", "C")
SCENARIO_LABELS = {
    "N": "N: no cooperation",
    "P": "P: platform supports",
    "S": "S: participant supports",
    "R": "R: profit sharing",
    "C": "C: centralised",
}
#: Benchmarks against which the profit-sharing split must leave each party no worse off.
BENCHMARKS = ("best", "P", "S", "N")
_FIELDS = ("alpha", "k_p", "k_s", "rho_p", "rho_s")


# --- parameters and results ------------------------------------------------------


def _check_scenario(scenario: Any) -> str:
    """``scenario`` if it is one of :data:`SCENARIOS`.

    >>> _check_scenario("X")
    Traceback (most recent call last):
    ...
    ValueError: scenario must be one of 'N', 'P', 'S', 'R', 'C', got 'X'
    """
    return validate.choice("scenario", scenario, SCENARIOS)


def _check_benchmark(benchmark: Any) -> str:
    """``benchmark`` if it is one of :data:`BENCHMARKS`."""
    return validate.choice("benchmark", benchmark, BENCHMARKS)


def _check_power(power: Any) -> np.ndarray:
    """The bargaining power (a number or an array) in [0, 1], as a float array."""
    return validate.array("power", power, 0, 1)


def _check_params(p: Any) -> "Params":
    """``p`` if it is a :class:`Params`.

    >>> _check_params({"rho_p": 1.0})
    Traceback (most recent call last):
    ...
    ValueError: p must be a Params (the game's parameters), got a dict
    """
    if not isinstance(p, Params):
        raise ValueError(f"p must be a Params (the game's parameters), got a {type(p).__name__}")
    return p


@dataclass(frozen=True)
class Params:
    """The game's parameters; each may be a number or a numpy array (broadcast).

    Numbers are stored as ``float``, arrays (and array-likes) as float arrays.

    Parameters
    ----------
    alpha
        Base demand, > 0.
    k_p, k_s
        Effectiveness of the platform's and the participant's advertising, > 0.
    rho_p, rho_s
        Unit margins of the platform (commission) and the participant, > 0.

    Examples
    --------
    >>> Params(rho_s=-1)
    Traceback (most recent call last):
    ...
    ValueError: rho_s must be a finite number in (0, inf), got -1
    >>> Params(rho_p=np.array([1.0, 2.0])).arrays()["rho_p"].tolist()
    [1.0, 2.0]
    """

    alpha: float | np.ndarray = 1.0
    k_p: float | np.ndarray = 1.0
    k_s: float | np.ndarray = 1.0
    rho_p: float | np.ndarray = 1.0
    rho_s: float | np.ndarray = 0.5

    def __post_init__(self) -> None:
        checked = {name: validate.array(name, getattr(self, name), 0, lo_open=True) for name in _FIELDS}
        try:
            np.broadcast_shapes(*(a.shape for a in checked.values()))
        except ValueError:
            shapes = ", ".join(f"{n}{a.shape}" for n, a in checked.items())
            raise ValueError(f"Params arrays must broadcast together, got shapes {shapes}") from None
        for name, arr in checked.items():
            object.__setattr__(self, name, float(arr) if arr.ndim == 0 else arr)

    def arrays(self) -> dict[str, np.ndarray]:
        """The parameters as float arrays broadcast to one common shape."""
        arrs = np.broadcast_arrays(*(np.asarray(getattr(self, n), dtype=float) for n in _FIELDS))
        return dict(zip(_FIELDS, arrs))

    def scalar(self) -> bool:
        """True if every parameter is a single number."""
        return all(np.ndim(getattr(self, n)) == 0 for n in _FIELDS)


@dataclass(frozen=True)
class Equilibrium:
    """The outcome of one scenario (arrays when :class:`Params` holds arrays).

    Use ``dataclasses.asdict`` for the fields as a dict.

    Attributes
    ----------
    scenario
        ``"N"``, ``"P"``, ``"S"``, ``"C"`` or ``"R"``.
    A, a
        Advertising spends of the platform and the participant.
    t, s
        Shares of the participant's (``t``) and the platform's (``s``) advertising
        cost paid by the other party (0 where there is no cost sharing, and in C).
    phi
        The platform's share of the joint profit (bargained in R, implied elsewhere).
    demand, profit_platform, profit_participant, total
        Demand, each party's profit and the joint profit. In C, the parties' profits
        are what each would earn paying its own (centralised) spend, without transfers.
    transfer
        Fixed side payment from the participant to the platform (R only, else 0).

    Examples
    --------
    >>> from dataclasses import asdict
    >>> asdict(solve(Params(), "N"))["A"]
    0.25
    """

    scenario: str
    A: float | np.ndarray
    a: float | np.ndarray
    t: float | np.ndarray
    s: float | np.ndarray
    phi: float | np.ndarray
    demand: float | np.ndarray
    profit_platform: float | np.ndarray
    profit_participant: float | np.ndarray
    total: float | np.ndarray
    transfer: float | np.ndarray = 0.0

    def __post_init__(self) -> None:
        _check_scenario(self.scenario)


# --- closed forms -------------------------------------------------------------------


class _NumpyOps:
    sqrt = staticmethod(np.sqrt)
    max = staticmethod(np.maximum)


def _profits(v: Mapping[str, Any], uA: Any, ua: Any, t: Any, s: Any) -> tuple[Any, Any, Any]:
    """Demand and both profits from root spends (uA = sqrt(A), ua = sqrt(a)), no transfer."""
    demand = v["alpha"] + v["k_p"] * uA + v["k_s"] * ua
    pp = v["rho_p"] * demand - (1 - s) * uA**2 - t * ua**2
    ps = v["rho_s"] * demand - (1 - t) * ua**2 - s * uA**2
    return demand, pp, ps


def closed_forms(
    values: Mapping[str, Any],
    power: Any = 0.5,
    benchmark: str = "best",
    ops: Any = _NumpyOps,
) -> dict[str, dict[str, Any]]:
    """The equilibrium of every scenario in closed form.

    Written once with generic arithmetic: ``ops`` supplies ``sqrt`` and ``max``, so the
    same formulas evaluate numpy arrays (for :func:`solve`) or build sympy
    expressions (for :func:`~cocreation.coopetition.symbolic.vega_expressions` and the
    tests).

    Parameters
    ----------
    values
        ``alpha, k_p, k_s, rho_p, rho_s`` (numbers, arrays or sympy symbols).
    power
        The platform's bargaining power in R, in [0, 1].
    benchmark
        Outside option of the R split: ``"best"`` (for each party, the better of P
        and S), ``"P"``, ``"S"`` or ``"N"``.
    ops
        Namespace with ``sqrt`` and ``max``; numpy by default.

    Returns
    -------
    dict
        Scenario -> ``{"uA", "ua", "A", "a", "t", "s", "demand", "profit_platform",
        "profit_participant", "transfer"}``; R also has ``phi_min``, ``phi_max``.

    Examples
    --------
    >>> cf = closed_forms({"alpha": 1.0, "k_p": 1.0, "k_s": 1.0, "rho_p": 1.0, "rho_s": 0.5})
    >>> float(cf["N"]["A"]), float(cf["C"]["a"])
    (0.25, 0.5625)
    """
    _check_benchmark(benchmark)
    missing = [n for n in _FIELDS if n not in values]
    if missing:
        raise ValueError(f"values must hold {', '.join(_FIELDS)}; missing {', '.join(missing)}")
    if ops is _NumpyOps:  # numbers: check them (sympy symbols are checked by their assumptions)
        values = {n: validate.array(n, values[n], 0, lo_open=True) for n in _FIELDS}
        power = _check_power(power)
    rp, rs, kp, ks = values["rho_p"], values["rho_s"], values["k_p"], values["k_s"]
    zero = 0 * rp
    out: dict[str, dict[str, Any]] = {}

    def record(name: str, uA: Any, ua: Any, t: Any, s: Any) -> None:
        demand, pp, ps = _profits(values, uA, ua, t, s)
        out[name] = dict(uA=uA, ua=ua, A=uA**2, a=ua**2, t=t, s=s, demand=demand,
                         profit_platform=pp, profit_participant=ps, transfer=zero)

    # N: each party's own first-order condition rho_i * k_i / (2 sqrt(x)) = 1.
    record("N", rp * kp / 2, rs * ks / 2, zero, zero)
    # P: follower's best response sqrt(a) = rho_s k_s / (2 (1 - t)); leader's optimal t.
    t_star = ops.max(zero, (2 * rp - rs) / (2 * rp + rs))
    record("P", rp * kp / 2, rs * ks / (2 * (1 - t_star)), t_star, zero)
    # S: the mirror image, the participant commits to s first.
    s_star = ops.max(zero, (2 * rs - rp) / (2 * rs + rp))
    record("S", rp * kp / (2 * (1 - s_star)), rs * ks / 2, zero, s_star)
    # C: joint margin rho_p + rho_s on both spends.
    record("C", (rp + rs) * kp / 2, (rp + rs) * ks / 2, zero, zero)
    # R: coordinating rates, then each party's own best response is the C spend.
    t_r, s_r = rp / (rp + rs), rs / (rp + rs)
    record("R", rp * kp / (2 * (1 - s_r)), rs * ks / (2 * (1 - t_r)), t_r, s_r)

    total_c = out["C"]["profit_platform"] + out["C"]["profit_participant"]
    if benchmark == "best":
        bp = ops.max(out["P"]["profit_platform"], out["S"]["profit_platform"])
        bs = ops.max(out["P"]["profit_participant"], out["S"]["profit_participant"])
    else:
        bp, bs = out[benchmark]["profit_platform"], out[benchmark]["profit_participant"]
    phi_min = bp / total_c
    phi_max = 1 - bs / total_c
    phi = phi_min + power * (phi_max - phi_min)
    r = out["R"]
    total_r = r["profit_platform"] + r["profit_participant"]
    transfer = phi * total_r - r["profit_platform"]
    r.update(profit_platform=phi * total_r, profit_participant=(1 - phi) * total_r,
             transfer=transfer, phi_min=phi_min, phi_max=phi_max)
    return out


def _as_output(x: Any, scalar: bool) -> float | np.ndarray:
    arr = np.asarray(x, dtype=float)
    return float(arr) if scalar else arr


def solve(p: Params, scenario: str, power: float | np.ndarray = 0.5, benchmark: str = "best") -> Equilibrium:
    """The equilibrium of ``scenario`` from the closed forms (vectorised).

    Parameters
    ----------
    p
        Parameters; arrays are broadcast and every result field is then an array.
    scenario
        ``"N"``, ``"P"``, ``"S"``, ``"C"`` or ``"R"``.
    power
        The platform's bargaining power in R, in [0, 1]: 0 leaves the platform at its
        benchmark profit, 1 is a take-it-or-leave-it offer by the platform.
    benchmark
        R's outside option: ``"best"`` (each party's better of P and S), ``"P"``,
        ``"S"`` or ``"N"``.

    Examples
    --------
    >>> p = Params(rho_p=1.0, rho_s=0.5)
    >>> solve(p, "N").A, solve(p, "N").a
    (0.25, 0.0625)
    >>> solve(Params(rho_p=0.2, rho_s=0.5), "P").t     # 2*rho_p <= rho_s: no support
    0.0
    >>> solve(p, "X")
    Traceback (most recent call last):
    ...
    ValueError: scenario must be one of 'N', 'P', 'S', 'R', 'C', got 'X'
    """
    _check_params(p)
    _check_scenario(scenario)
    pw = _check_power(power)
    values = p.arrays()
    cf = closed_forms(values, power=pw, benchmark=benchmark)
    r = cf[scenario]
    total = r["profit_platform"] + r["profit_participant"]
    if scenario == "R" and np.any(r["phi_max"] < r["phi_min"] - 1e-12):
        raise ValueError("no feasible phi: the centralised profit is below the benchmark profits")
    scalar = p.scalar() and np.ndim(power) == 0
    out = {k: _as_output(r[k], scalar) for k in ("A", "a", "t", "s", "demand",
                                                   "profit_platform", "profit_participant", "transfer")}
    return Equilibrium(
        scenario=scenario,
        phi=_as_output(r["profit_platform"] / total, scalar),
        total=_as_output(total, scalar),
        **out,
    )


def feasible_phi(p: Params, benchmark: str = "best") -> tuple[float | np.ndarray, float | np.ndarray]:
    """The interval [phi_min, phi_max] of platform shares that leave both parties at
    least as well off as in ``benchmark``.

    Examples
    --------
    >>> lo, hi = feasible_phi(Params())
    >>> 0 < lo < hi < 1
    True
    """
    cf = closed_forms(_check_params(p).arrays(), benchmark=benchmark)
    scalar = p.scalar()
    return _as_output(cf["R"]["phi_min"], scalar), _as_output(cf["R"]["phi_max"], scalar)


def efficiency_gap(p: Params, scenario: str, power: float | np.ndarray = 0.5) -> float | np.ndarray:
    """(C - scenario) / C: the share of creatable value a scenario leaves unrealised.

    >>> round(efficiency_gap(Params(), "N"), 4)     # (2.625 - 2.3125) / 2.625
    0.119
    """
    c = solve(p, "C").total
    return (c - solve(p, scenario, power=power).total) / c


def region(rho_p: float | np.ndarray, rho_s: float | np.ndarray) -> dict[str, np.ndarray]:
    """Where P and S are active and who captures more of their gain over N.

    The classification depends on the margins only (the gains scale with k_s**2 in P
    and k_p**2 in S, and alpha cancels).

    Returns
    -------
    dict
        ``"P"`` and ``"S"``: arrays of ``"inactive"``, ``"platform"`` (captures more
        than half of the gain), ``"participant"`` or ``"equal"``.

    Examples
    --------
    >>> region(1.0, 0.5)["P"].tolist(), region(1.0, 0.5)["S"].tolist()
    (['platform'], ['inactive'])
    """
    p = Params(rho_p=np.atleast_1d(rho_p), rho_s=np.atleast_1d(rho_s))
    n_ = solve(p, "N")
    out = {}
    for sc in ("P", "S"):
        e = solve(p, sc)
        gp = e.profit_platform - n_.profit_platform
        gs = e.profit_participant - n_.profit_participant
        scale = np.abs(n_.total) * 1e-12
        active = (gp + gs) > scale
        label = np.where(gp > gs + scale, "platform", np.where(gs > gp + scale, "participant", "equal"))
        out[sc] = np.where(active, label, "inactive")
    return out


def scenario_table(rho_p: float = 1.0, rho_s: float = 0.5, k_p: float = 1.0, k_s: float = 1.0,
                   power: float = 0.5, alpha: float = 1.0, benchmark: str = "best") -> pd.DataFrame:
    """One row per scenario: spends, rates, profits, gains over N and efficiency gap.

    Examples
    --------
    >>> df = scenario_table()
    >>> df["scenario"].tolist()
    ['N', 'P', 'S', 'R', 'C']
    >>> float(df.set_index("scenario").loc["R", "gap"]) == 0.0
    True
    """
    p = Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s)
    base = solve(p, "N")
    c_total = solve(p, "C").total
    rows = []
    for sc in SCENARIOS:
        e = solve(p, sc, power=power, benchmark=benchmark)
        gain_p = e.profit_platform - base.profit_platform
        gain_s = e.profit_participant - base.profit_participant
        rows.append({
            "scenario": sc, "label": SCENARIO_LABELS[sc], "A": e.A, "a": e.a, "t": e.t, "s": e.s,
            "demand": e.demand, "profit_platform": e.profit_platform,
            "profit_participant": e.profit_participant, "total": e.total, "phi": e.phi,
            "gain_platform": gain_p, "gain_participant": gain_s,
            # C has no agreed split (each party's accounting profit only): no share reported
            "platform_share_of_gain": gain_p / (gain_p + gain_s)
            if sc != "C" and gain_p + gain_s > 1e-12 else float("nan"),
            "gap": 0.0 if sc in ("C", "R") and abs(e.total - c_total) <= 1e-12 * c_total
            else (c_total - e.total) / c_total,
        })
    return pd.DataFrame(rows)


def region_grid(step: float = 0.05, lo: float = 0.1, hi: float = 2.0) -> pd.DataFrame:
    """The (rho_p, rho_s) grid of :func:`region` for P and S, in long form.

    >>> g = region_grid()
    >>> len(g), sorted(g["scenario"].unique())
    (3042, ['P', 'S'])
    """
    step = validate.number("step", step, 0, lo_open=True)
    lo = validate.number("lo", lo, 0, lo_open=True)
    hi = validate.number("hi", hi, lo, lo_open=True)
    validate.work("the region grid's cells", 2 * (int((hi - lo) / step) + 1) ** 2, 2_000_000)
    vals = np.round(np.arange(lo, hi + step / 2, step), 4)
    rp, rs = np.meshgrid(vals, vals, indexing="ij")
    reg = region(rp.ravel(), rs.ravel())
    frames = [pd.DataFrame({"rho_p": rp.ravel(), "rho_s": rs.ravel(), "scenario": sc, "region": reg[sc]})
              for sc in ("P", "S")]
    return pd.concat(frames, ignore_index=True)
