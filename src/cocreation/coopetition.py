"""A Stackelberg game of cooperative advertising between a platform and a participant.

This is the book's own model, built in the cooperative-advertising tradition
(Huang & Li 2001; Xie & Wei 2009; SeyedEsfahani, Biazaran & Gharakhani 2011) to
examine the claims of the abstract of Zhang et al. (2021). It is not that paper's
model: the source copy holds only the abstract.

A dominant platform (the Stackelberg leader) and a participant firm (the follower)
sell through the platform. Demand is ``D = alpha + k_p*sqrt(A) + k_s*sqrt(a)``, where
``A`` and ``a`` are the platform's and the participant's advertising spends. The
platform earns the unit margin ``rho_p`` (its commission), the participant ``rho_s``.

Scenarios
---------
- ``"N"``: no cooperation, each party pays for its own advertising.
- ``"P"``: the platform pays a share ``t`` of the participant's advertising.
- ``"S"``: the participant pays a share ``s`` of the platform's advertising.
- ``"C"``: centralised benchmark, spends maximise the joint profit.
- ``"R"``: profit sharing, cost sharing at the coordinating rates plus a fixed side
  payment that gives the platform the share ``phi`` of the joint profit.

:func:`solve` uses the closed forms (vectorised over numpy arrays in :class:`Params`);
:func:`solve_numeric` solves the same game by nested numerical optimisation with
scipy and never calls the closed forms; :func:`derive` does the backward induction
with sympy.

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

import cmath
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import altair as alt
import numpy as np
import pandas as pd

from . import charts, widgets

__all__ = [
    "SCENARIOS",
    "SCENARIO_LABELS",
    "BENCHMARKS",
    "PARAMS",
    "Params",
    "Equilibrium",
    "closed_forms",
    "solve",
    "solve_numeric",
    "feasible_phi",
    "efficiency_gap",
    "scenario_table",
    "region",
    "derive",
    "Derivation",
    "vega_expressions",
    "profit_chart",
    "share_chart",
    "explorer_chart",
    "live_explorer",
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

#: Slider declarations shared by the static and the live explorer (alpha is fixed at 1).
PARAMS = [
    widgets.Param("rho_p", "Platform margin ρp", 0.1, 2.0, 0.05, 1.0),
    widgets.Param("rho_s", "Participant margin ρs", 0.1, 2.0, 0.05, 0.5),
    widgets.Param("k_p", "Platform ad effect kp", 0.1, 2.0, 0.1, 1.0),
    widgets.Param("k_s", "Participant ad effect ks", 0.1, 2.0, 0.1, 1.0),
    widgets.Param("power", "Platform bargaining power", 0.0, 1.0, 0.05, 0.5),
]


# --- parameters and results ------------------------------------------------------


def _check_positive(name: str, value: Any) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.size == 0:
        raise ValueError(f"{name} must be a non-empty number or array, got {value!r}")
    bad = ~np.isfinite(arr) | (arr <= 0)
    if bad.any():
        first = arr.flat[int(np.argmax(bad.ravel()))]
        raise ValueError(f"{name} must be a finite number > 0, got {first}")
    return arr


def _check_power(power: Any) -> np.ndarray:
    arr = np.asarray(power, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if arr.size == 0 or bad.any():
        first = arr.flat[int(np.argmax(bad.ravel()))] if arr.size else power
        raise ValueError(f"power must be in [0, 1], got {first}")
    return arr


@dataclass(frozen=True)
class Params:
    """The game's parameters; each may be a number or a numpy array (broadcast).

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
    ValueError: rho_s must be a finite number > 0, got -1.0
    >>> Params(rho_p=np.array([1.0, 2.0])).arrays()["rho_p"].tolist()
    [1.0, 2.0]
    """

    alpha: Any = 1.0
    k_p: Any = 1.0
    k_s: Any = 1.0
    rho_p: Any = 1.0
    rho_s: Any = 0.5

    def __post_init__(self) -> None:
        checked = [_check_positive(name, getattr(self, name)) for name in _FIELDS]
        try:
            np.broadcast_shapes(*(a.shape for a in checked))
        except ValueError:
            shapes = ", ".join(f"{n}{a.shape}" for n, a in zip(_FIELDS, checked))
            raise ValueError(f"Params arrays must broadcast together, got shapes {shapes}") from None

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
    """

    scenario: str
    A: Any
    a: Any
    t: Any
    s: Any
    phi: Any
    demand: Any
    profit_platform: Any
    profit_participant: Any
    total: Any
    transfer: Any = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


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
    expressions (for :func:`vega_expressions` and the tests).

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
    if benchmark not in BENCHMARKS:
        raise ValueError(f"benchmark must be one of {BENCHMARKS}, got {benchmark!r}")
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


def _as_output(x: Any, scalar: bool) -> Any:
    arr = np.asarray(x, dtype=float)
    return float(arr) if scalar else arr


def solve(p: Params, scenario: str, power: Any = 0.5, benchmark: str = "best") -> Equilibrium:
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
    ValueError: scenario must be one of ('N', 'P', 'S', 'R', 'C'), got 'X'
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {SCENARIOS}, got {scenario!r}")
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


def feasible_phi(p: Params, benchmark: str = "best") -> tuple[Any, Any]:
    """The interval [phi_min, phi_max] of platform shares that leave both parties at
    least as well off as in ``benchmark``.

    Examples
    --------
    >>> lo, hi = feasible_phi(Params())
    >>> 0 < lo < hi < 1
    True
    """
    cf = closed_forms(p.arrays(), benchmark=benchmark)
    scalar = p.scalar()
    return _as_output(cf["R"]["phi_min"], scalar), _as_output(cf["R"]["phi_max"], scalar)


def efficiency_gap(p: Params, scenario: str, power: Any = 0.5) -> Any:
    """(C - scenario) / C: the share of creatable value a scenario leaves unrealised.

    >>> round(efficiency_gap(Params(), "N"), 4)     # (2.625 - 2.3125) / 2.625
    0.119
    """
    c = solve(p, "C").total
    return (c - solve(p, scenario, power=power).total) / c


def region(rho_p: Any, rho_s: Any) -> dict[str, np.ndarray]:
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


# --- numerical solution (independent of the closed forms) ---------------------------


def _payoffs(v: Mapping[str, float], A: Any, a: Any, t: Any, s: Any) -> tuple[Any, Any]:
    """Both profits from the primitives of the model (works for complex arguments)."""
    demand = v["alpha"] + v["k_p"] * cmath.sqrt(A) + v["k_s"] * cmath.sqrt(a)
    return (v["rho_p"] * demand - (1 - s) * A - t * a,
            v["rho_s"] * demand - (1 - t) * a - s * A)


def _derivative(f: Callable[[complex], complex], x: float) -> float:
    """Complex-step derivative of a real-analytic ``f`` at ``x`` (exact to rounding)."""
    h = 1e-20 * abs(x) if x != 0 else 1e-300
    return f(complex(x, h)).imag / h


def _root_or_corner(g: Callable[[float], float], lo: float, hi: float | None) -> float:
    """Maximiser on [lo, hi] of a unimodal function whose slope is ``g``.

    Returns ``lo`` if the slope is not positive there (a corner), otherwise the root
    of ``g`` found by Brent's method after bracketing it (``hi=None``: unbounded).
    """
    from scipy.optimize import brentq

    if g(lo) <= 0:
        return lo
    left, right = lo, (1.0 if hi is None else hi)
    while g(right) > 0:
        if hi is not None:
            return hi
        left, right = right, right * 4.0
        if right > 1e30:
            raise RuntimeError("first-order condition not bracketed below 1e30")
    return brentq(g, left, right, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def _best_response(profit: Callable[[complex], complex]) -> float:
    """argmax over x >= 0 of a smooth concave ``profit`` with an infinite slope at 0."""
    return _root_or_corner(lambda x: _derivative(profit, x), 1e-300, None)


#: Upper bound on a support rate in the numerical search: near 1 the supported party's
#: spend grows without bound (it pays almost nothing for it).
_MAX_RATE = 0.999


def _stackelberg(
    leader: Callable[[complex, complex, complex], complex],
    follower: Callable[[complex, complex, complex], complex],
) -> tuple[float, float, float]:
    """Leader chooses (x, r) (its spend and a support rate), the follower then y.

    ``leader(x, r, y)`` and ``follower(x, r, y)`` are the two profit functions. The
    follower's best response y*(x, r) is the root of its marginal profit. The leader's
    marginal profit in each of its variables is the direct complex-step derivative
    plus the indirect effect through y*, whose slope comes from the implicit function
    theorem (dy*/dz = -F_yz / F_yy, by central differences of complex-step
    derivatives). The leader's two first-order conditions are solved in turn (a rate
    with negative marginal profit at 0 stays at 0) until neither moves.
    """

    def best_y(x: float, r: float) -> float:
        return _best_response(lambda y: follower(x, r, y))

    def f_y(x: float, r: float, y: float) -> float:
        return _derivative(lambda z: follower(x, r, z), y)

    def slope(which: int, x: float, r: float) -> float:
        y = best_y(x, r)
        direct = _derivative(lambda z: leader(z, r, y) if which == 0 else leader(x, z, y), (x, r)[which])
        via_y = _derivative(lambda z: leader(x, r, z), y)
        hy = 1e-5 * y
        f_yy = (f_y(x, r, y + hy) - f_y(x, r, y - hy)) / (2 * hy)
        z0 = (x, r)[which]
        hz = 1e-5 * z0 if which == 0 else 1e-5  # spends stay positive; rates may dip below 0
        args_up = (x + hz, r) if which == 0 else (x, r + hz)
        args_dn = (x - hz, r) if which == 0 else (x, r - hz)
        f_yz = (f_y(*args_up, y) - f_y(*args_dn, y)) / (2 * hz)
        return direct + via_y * (-f_yz / f_yy)

    x, r = 1.0, 0.0
    for _ in range(50):
        x_new = _root_or_corner(lambda z: slope(0, z, r), 1e-300, None)
        r_new = _root_or_corner(lambda z: slope(1, x_new, z), 0.0, _MAX_RATE)
        done = abs(x_new - x) <= 1e-13 * x_new and abs(r_new - r) <= 1e-13 * max(r_new, 1e-3)
        x, r = x_new, r_new
        if done:
            break
    return x, r, best_y(x, r)


def _nash(v: Mapping[str, float], t: float, s: float) -> tuple[float, float]:
    """Simultaneous choice of both spends under cost shares (t, s): iterate best responses."""
    A, a = 1.0, 1.0
    for _ in range(100):
        A_new = _best_response(lambda x: _payoffs(v, x, a, t, s)[0])
        a_new = _best_response(lambda x: _payoffs(v, A_new, x, t, s)[1])
        done = abs(A_new - A) <= 1e-14 * A_new and abs(a_new - a) <= 1e-14 * a_new
        A, a = A_new, a_new
        if done:
            break
    return A, a


def _stackelberg_p(v: Mapping[str, float]) -> tuple[float, float, float, float]:
    """P: the platform chooses (A, t) anticipating the participant's best response a(A, t)."""
    A, t, a = _stackelberg(lambda A, t, a: _payoffs(v, A, a, t, 0.0)[0],
                           lambda A, t, a: _payoffs(v, A, a, t, 0.0)[1])
    return A, a, t, 0.0


def _stackelberg_s(v: Mapping[str, float]) -> tuple[float, float, float, float]:
    """S: the participant chooses (a, s) anticipating the platform's best response A(a, s)."""
    a, s, A = _stackelberg(lambda a, s, A: _payoffs(v, A, a, 0.0, s)[1],
                           lambda a, s, A: _payoffs(v, A, a, 0.0, s)[0])
    return A, a, 0.0, s


def _centralised(v: Mapping[str, float]) -> tuple[float, float]:
    """C: one decision maker, so coordinate-wise best responses on the joint profit."""

    def joint(A: complex, a: complex) -> complex:
        pp, ps = _payoffs(v, A, a, 0.0, 0.0)
        return pp + ps

    A, a = 1.0, 1.0
    for _ in range(100):
        A_new = _best_response(lambda x: joint(x, a))
        a_new = _best_response(lambda x: joint(A_new, x))
        done = abs(A_new - A) <= 1e-14 * A_new and abs(a_new - a) <= 1e-14 * a_new
        A, a = A_new, a_new
        if done:
            break
    return A, a


def solve_numeric(p: Params, scenario: str, power: float = 0.5, benchmark: str = "best") -> Equilibrium:
    """The equilibrium of ``scenario`` by nested numerical optimisation (scalar params).

    An independent check of :func:`solve`: the follower's best response is the root
    of its marginal profit (complex-step derivative of the profit function, Brent's
    root finder); the leader solves its own first-order conditions in its spend and
    its support rate, anticipating that response (its slope from the implicit
    function theorem; rates searched in [0, 0.999]). N and R are simultaneous-move subgames
    solved by iterating best responses; C maximises the joint profit.

    Examples
    --------
    >>> eq = solve_numeric(Params(rho_p=1.0, rho_s=0.5), "P")
    >>> round(eq.t, 6), round(eq.a, 6)
    (0.6, 0.390625)
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {SCENARIOS}, got {scenario!r}")
    if benchmark not in BENCHMARKS:
        raise ValueError(f"benchmark must be one of {BENCHMARKS}, got {benchmark!r}")
    if not p.scalar():
        raise ValueError("solve_numeric needs scalar Params; use solve for arrays")
    pw = float(_check_power(power))
    v = {k: float(x) for k, x in p.arrays().items()}
    transfer = 0.0
    if scenario == "N":
        A, a = _nash(v, 0.0, 0.0)
        t = s = 0.0
    elif scenario == "P":
        A, a, t, s = _stackelberg_p(v)
    elif scenario == "S":
        A, a, t, s = _stackelberg_s(v)
    elif scenario == "C":
        A, a = _centralised(v)
        t = s = 0.0
    else:  # R: the mechanism fixes the rates; spends are then chosen simultaneously.
        t = v["rho_p"] / (v["rho_p"] + v["rho_s"])
        s = v["rho_s"] / (v["rho_p"] + v["rho_s"])
        A, a = _nash(v, t, s)
        if benchmark == "best":
            outs = [solve_numeric(p, sc) for sc in ("P", "S")]
            bp = max(o.profit_platform for o in outs)
            bs = max(o.profit_participant for o in outs)
        else:
            o = solve_numeric(p, benchmark)
            bp, bs = o.profit_platform, o.profit_participant
        pp, ps = (x.real for x in _payoffs(v, A, a, t, s))
        total = pp + ps
        phi_min, phi_max = bp / total, 1 - bs / total
        if phi_max < phi_min - 1e-12:
            raise ValueError("no feasible phi: the centralised profit is below the benchmark profits")
        phi = phi_min + pw * (phi_max - phi_min)
        transfer = phi * total - pp
    pp, ps = (x.real for x in _payoffs(v, A, a, t, s))
    pp, ps = pp + transfer, ps - transfer
    demand = v["alpha"] + v["k_p"] * math.sqrt(A) + v["k_s"] * math.sqrt(a)
    return Equilibrium(scenario=scenario, A=A, a=a, t=t, s=s, phi=pp / (pp + ps), demand=demand,
                       profit_platform=pp, profit_participant=ps, total=pp + ps, transfer=transfer)


# --- symbolic derivation ----------------------------------------------------------------


@dataclass(frozen=True)
class Derivation:
    """Backward induction done by sympy, step by step.

    Attributes
    ----------
    symbols
        The sympy symbols by name.
    steps
        ``(description, (left-hand side in LaTeX, sympy expression))`` in the order of
        the argument.
    results
        Scenario -> quantity (``A, a, t, s, profit_platform, profit_participant``) ->
        expression, for interior solutions (support active in P and S).
    gains
        ``(scenario, party)`` -> factorised gain over N.
    """

    symbols: dict = field(repr=False)
    steps: list = field(repr=False)
    results: dict = field(repr=False)
    gains: dict = field(repr=False)

    def latex(self) -> list[tuple[str, str]]:
        """The steps as ``(description, LaTeX)`` pairs."""
        import sympy as sp

        return [(d, f"{lhs} = {sp.latex(rhs)}") for d, (lhs, rhs) in self.steps]


def derive() -> Derivation:
    """Solve every scenario by backward induction with sympy, from the primitives only.

    Examples
    --------
    >>> d = derive()
    >>> d.results["P"]["t"]
    (2*rho_p - rho_s)/(2*rho_p + rho_s)
    >>> d.results["R"]["t"]
    rho_p/(rho_p + rho_s)
    """
    import sympy as sp

    alpha, kp, ks, rp, rs = sp.symbols("alpha k_p k_s rho_p rho_s", positive=True)
    A, a = sp.symbols("A a", positive=True)
    t, s = sp.symbols("t s", real=True)
    w = sp.Symbol("w", positive=True)  # w = 1 - rate: the supported party's own share of its cost
    D = alpha + kp * sp.sqrt(A) + ks * sp.sqrt(a)
    pi_p = rp * D - (1 - s) * A - t * a
    pi_s = rs * D - (1 - t) * a - s * A
    steps: list = [("Demand", ("D", D)),
                   ("Platform's profit", (r"\pi_p", pi_p)),
                   ("Participant's profit", (r"\pi_s", pi_s))]

    def argmax(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
        sols = [x for x in sp.solve(sp.diff(expr, var), var) if x.is_real is not False]
        if len(sols) != 1:
            raise RuntimeError(f"expected one stationary point in {var}, got {sols}")
        return sp.simplify(sols[0])

    def outcome(A_: sp.Expr, a_: sp.Expr, t_: sp.Expr, s_: sp.Expr) -> dict:
        sub = {A: A_, a: a_, t: t_, s: s_}
        return {"A": A_, "a": a_, "t": t_, "s": s_,
                "profit_platform": sp.simplify(pi_p.subs(sub)),
                "profit_participant": sp.simplify(pi_s.subs(sub))}

    res: dict = {}
    # N
    A_n = argmax(pi_p.subs({t: 0, s: 0}), A)
    a_n = argmax(pi_s.subs({t: 0, s: 0}), a)
    res["N"] = outcome(A_n, a_n, sp.Integer(0), sp.Integer(0))
    steps += [("N: the platform's own optimum", ("A^N", A_n)),
              ("N: the participant's own optimum", ("a^N", a_n))]
    # P: stage 2, the follower's best response to t
    a_br = argmax(pi_s.subs(s, 0), a)
    lead = pi_p.subs({s: 0, a: a_br}).subs(t, 1 - w)
    A_p = argmax(lead, A)
    t_p = sp.factor(1 - argmax(lead, w))
    res["P"] = outcome(A_p, sp.simplify(a_br.subs(t, t_p)), t_p, sp.Integer(0))
    steps += [("P, stage 2: the participant's best response to the support rate t",
               ("a^*(t)", a_br)),
              ("P, stage 1: the platform's optimal support rate", ("t^*", t_p)),
              ("P: the participant's spend", ("a^P", sp.factor(res["P"]["a"])))]
    # S: the mirror image
    A_br = argmax(pi_p.subs(t, 0), A)
    lead_s = pi_s.subs({t: 0, A: A_br}).subs(s, 1 - w)
    a_s = argmax(lead_s, a)
    s_s = sp.factor(1 - argmax(lead_s, w))
    res["S"] = outcome(sp.simplify(A_br.subs(s, s_s)), a_s, sp.Integer(0), s_s)
    steps += [("S, stage 2: the platform's best response to the support rate s",
               ("A^*(s)", A_br)),
              ("S, stage 1: the participant's optimal support rate", ("s^*", s_s))]
    # C
    joint = sp.expand(pi_p + pi_s)
    A_c, a_c = argmax(joint, A), argmax(joint, a)
    res["C"] = outcome(A_c, a_c, sp.Integer(0), sp.Integer(0))
    steps += [("C: the centralised platform spend", ("A^C", A_c)),
              ("C: the centralised participant spend", ("a^C", a_c))]
    # R: the rates that make each party's own best response the centralised spend
    t_r = sp.solve(sp.Eq(a_br.subs(t, 1 - w), a_c), w)
    s_r = sp.solve(sp.Eq(A_br.subs(s, 1 - w), A_c), w)
    if len(t_r) != 1 or len(s_r) != 1:
        raise RuntimeError(f"coordinating rates not unique: {t_r}, {s_r}")
    t_r, s_r = sp.factor(1 - t_r[0]), sp.factor(1 - s_r[0])
    res["R"] = outcome(sp.simplify(argmax(pi_p.subs({t: t_r, s: s_r}), A)),
                       sp.simplify(argmax(pi_s.subs({t: t_r, s: s_r}), a)), t_r, s_r)
    steps += [("R: the support rate that makes a*(t) equal a^C", ("t^R", t_r)),
              ("R: the support rate that makes A*(s) equal A^C", ("s^R", s_r))]
    gains = {}
    for sc in ("P", "S"):
        for party in ("platform", "participant"):
            key = f"profit_{party}"
            gains[(sc, party)] = sp.factor(sp.simplify(res[sc][key] - res["N"][key]))
    share_p = sp.factor(sp.simplify(gains[("P", "platform")] / (gains[("P", "platform")] + gains[("P", "participant")])))
    share_s = sp.factor(sp.simplify(gains[("S", "platform")] / (gains[("S", "platform")] + gains[("S", "participant")])))
    steps += [("P: the platform's gain over N", (r"\Delta\pi_p^P", gains[("P", "platform")])),
              ("P: the participant's gain over N", (r"\Delta\pi_s^P", gains[("P", "participant")])),
              ("P: the platform's share of the gain", (r"\sigma^P", share_p)),
              ("S: the platform's gain over N", (r"\Delta\pi_p^S", gains[("S", "platform")])),
              ("S: the participant's gain over N", (r"\Delta\pi_s^S", gains[("S", "participant")])),
              ("S: the platform's share of the gain", (r"\sigma^S", share_s))]
    symbols = {str(x): x for x in (alpha, kp, ks, rp, rs, A, a, t, s)}
    return Derivation(symbols=symbols, steps=steps, results=res, gains=gains)


# --- static explorer: Vega expressions from the same closed forms ---------------------


class _SympyOps:
    @staticmethod
    def sqrt(x: Any) -> Any:
        import sympy as sp

        return sp.sqrt(x)

    @staticmethod
    def max(x: Any, y: Any) -> Any:
        import sympy as sp

        return sp.Max(x, y)


#: Variables of the generated expressions (Vega signals of the explorer).
EXPRESSION_VARIABLES = ("alpha", "rho_p", "rho_s", "k_p", "k_s", "power")


@functools.lru_cache(maxsize=None)
def vega_expressions(benchmark: str = "best") -> dict[str, str]:
    """Vega expressions of every scenario's profits, generated from :func:`closed_forms`.

    The closed forms are evaluated on sympy symbols and printed with sympy's
    JavaScript printer, dropping its ``Math.`` prefix (Vega's expression language has
    ``sqrt``, ``pow`` and ``max`` as plain functions).

    Returns
    -------
    dict
        ``"<scenario>__platform"``, ``"<scenario>__participant"`` and
        ``"<scenario>__total"`` for every scenario, in the variables
        ``EXPRESSION_VARIABLES``.

    Examples
    --------
    >>> e = vega_expressions()
    >>> e["N__total"].count("Math.")
    0
    >>> sorted(set(re.findall(r"[A-Za-z_]+", e["P__platform"])) - {"max", "pow", "sqrt"})
    ['alpha', 'k_p', 'k_s', 'rho_p', 'rho_s']
    """
    import sympy as sp
    from sympy.printing.jscode import jscode

    sym = {n: sp.Symbol(n, positive=True) for n in EXPRESSION_VARIABLES}
    cf = closed_forms(sym, power=sym["power"], benchmark=benchmark, ops=_SympyOps)
    out = {}
    for sc in SCENARIOS:
        pp, ps = cf[sc]["profit_platform"], cf[sc]["profit_participant"]
        for key, expr in (("platform", pp), ("participant", ps), ("total", pp + ps)):
            out[f"{sc}__{key}"] = jscode(expr).replace("Math.", "")
    return dict(out)


def _signal_params(alpha: float) -> list[alt.Parameter]:
    return widgets.slider_params(PARAMS) + [alt.param(name="alpha", value=alpha)]


def explorer_chart(alpha: float = 1.0) -> alt.VConcatChart:
    """The static explorer: sliders, scenario profit bars, the split of the gain over N
    and the (rho_p, rho_s) region map.

    Bars and split are computed in the page by Vega expressions generated from the
    closed forms (:func:`vega_expressions`); the region map is a precomputed grid of
    :func:`region` (it depends on the margins only).

    Examples
    --------
    >>> spec = explorer_chart().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['alpha', 'k_p', 'k_s', 'power', 'rho_p', 'rho_s']
    """
    ex = vega_expressions()
    one_row = alt.Data(values=[{"row": 0}])
    order = list(SCENARIOS)
    parties = ["platform", "participant", "joint (centralised)"]
    colour = alt.Scale(domain=parties, range=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[7]])

    keys = [f"{sc}__{party}" for sc in ("N", "P", "S", "R") for party in ("platform", "participant")]
    calc = {k: ex[k] for k in keys}
    calc["C__joint (centralised)"] = ex["C__total"]
    calc["c_total"] = ex["C__total"]
    profit_base = (
        alt.Chart(one_row)
        .transform_calculate(**calc)
        .transform_fold(keys + ["C__joint (centralised)"], as_=["key", "profit"])
        .transform_calculate(scenario="split(datum.key, '__')[0]", party="split(datum.key, '__')[1]")
        .transform_joinaggregate(total="sum(profit)", groupby=["scenario"])
        .transform_calculate(gap="(datum.c_total - datum.total) / datum.c_total")
    )
    x_scen = alt.X("scenario:N", sort=order, title="Scenario", axis=alt.Axis(labelAngle=0))
    bars = profit_base.mark_bar().encode(
        x=x_scen,
        y=alt.Y("profit:Q", title="Profit", stack="zero"),
        color=alt.Color("party:N", scale=colour, legend=alt.Legend(title=None, orient="bottom")),
        order=alt.Order("party:N", sort="descending"),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("party:N"), alt.Tooltip("profit:Q", format=".3f"),
                 alt.Tooltip("total:Q", format=".3f", title="joint profit"),
                 alt.Tooltip("gap:Q", format=".1%", title="efficiency gap")],
    )
    gap_text = (
        profit_base.transform_filter("datum.party != 'participant'")
        .mark_text(dy=-8, fontSize=11)
        .encode(x=x_scen, y=alt.Y("total:Q"), text=alt.Text("gap:Q", format=".1%"))
    )
    profit_panel = alt.layer(bars, gap_text).properties(
        width=240, height=220, title=["Profits", "(label: efficiency gap vs C)"])

    gain_keys = [f"{sc}__{party}" for sc in ("P", "S", "R") for party in ("platform", "participant")]
    gain_calc = {f"g_{k}": f"({ex[k]}) - ({ex['N__' + k.split('__')[1]]})" for k in gain_keys}
    gain_base = (
        alt.Chart(one_row)
        .transform_calculate(**gain_calc)
        .transform_fold([f"g_{k}" for k in gain_keys], as_=["key", "gain"])
        .transform_calculate(scenario="split(datum.key, '__')[0]", party="split(datum.key, '__')[1]")
        .transform_calculate(scenario="replace(datum.scenario, 'g_', '')")
        .transform_joinaggregate(total_gain="sum(gain)", groupby=["scenario"])
        .transform_calculate(share="datum.total_gain > 1e-12 ? datum.gain / datum.total_gain : 0")
    )
    x_gain = alt.X("scenario:N", sort=["P", "S", "R"], title="Scenario", axis=alt.Axis(labelAngle=0))
    gain_bars = gain_base.mark_bar().encode(
        x=x_gain,
        y=alt.Y("gain:Q", title="Gain over N", stack="zero"),
        color=alt.Color("party:N", scale=colour, legend=None),
        order=alt.Order("party:N", sort="descending"),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("party:N"), alt.Tooltip("gain:Q", format=".4f"),
                 alt.Tooltip("share:Q", format=".1%", title="share of the gain")],
    )
    share_text = (
        gain_base.transform_filter("datum.party == 'platform' && datum.total_gain > 1e-12")
        .mark_text(dy=-8, fontSize=11)
        .encode(x=x_gain, y=alt.Y("total_gain:Q"),
                text=alt.Text("share:Q", format=".0%"))
    )
    gain_panel = alt.layer(gain_bars, share_text).properties(
        width=150, height=220, title=["Gain over N", "(label: platform's share)"])

    maps = [_region_panel(sc) for sc in ("P", "S")]
    chart = alt.vconcat(
        alt.hconcat(profit_panel, gain_panel),
        alt.hconcat(*maps).resolve_scale(color="shared"),
        description=(
            "Interactive explorer: sliders for the margins, advertising effects and the "
            "platform's bargaining power update stacked bars of each party's profit in the "
            "scenarios N, P, S, R and C, stacked bars of each party's gain over N, and a "
            "marker on two maps of the margin plane showing where support is active and "
            "who captures more of the gain."
        ),
    ).resolve_scale(color="independent").add_params(*_signal_params(alpha))
    return chart


_REGION_COLOURS = {
    "inactive": "#dddddd",
    "platform": charts.PALETTE[0],
    "participant": charts.PALETTE[1],
}


def region_grid(step: float = 0.05, lo: float = 0.1, hi: float = 2.0) -> pd.DataFrame:
    """The (rho_p, rho_s) grid of :func:`region` for P and S, in long form.

    >>> g = region_grid()
    >>> len(g), sorted(g["scenario"].unique())
    (3042, ['P', 'S'])
    """
    vals = np.round(np.arange(lo, hi + step / 2, step), 4)
    rp, rs = np.meshgrid(vals, vals, indexing="ij")
    reg = region(rp.ravel(), rs.ravel())
    frames = [pd.DataFrame({"rho_p": rp.ravel(), "rho_s": rs.ravel(), "scenario": sc, "region": reg[sc]})
              for sc in ("P", "S")]
    return pd.concat(frames, ignore_index=True)


def _region_panel(scenario: str) -> alt.LayerChart:
    g = region_grid()
    half = 0.025
    labels = {"inactive": "no support (= N)", "platform": "platform captures more",
              "participant": "participant captures more", "equal": "equal split (boundary)"}
    g = g[g["scenario"] == scenario].drop(columns="scenario")
    g["region"] = g["region"].map(labels)
    scale = alt.Scale(domain=list(labels.values()),
                      range=[_REGION_COLOURS["inactive"], _REGION_COLOURS["platform"],
                             _REGION_COLOURS["participant"], "#222222"])
    axis_x = alt.X("x0:Q", title="Platform margin ρp", scale=alt.Scale(domain=[0.075, 2.025], nice=False))
    axis_y = alt.Y("y0:Q", title="Participant margin ρs", scale=alt.Scale(domain=[0.075, 2.025], nice=False))
    cells = (
        alt.Chart(g)
        .transform_calculate(x0=f"datum.rho_p - {half}", x1=f"datum.rho_p + {half}",
                             y0=f"datum.rho_s - {half}", y1=f"datum.rho_s + {half}")
        .mark_rect()
        .encode(x=axis_x, x2="x1:Q", y=axis_y, y2="y1:Q",
                color=alt.Color("region:N", scale=scale,
                                legend=alt.Legend(title=None, orient="bottom", columns=2)),
                tooltip=["rho_p:Q", "rho_s:Q", "region:N"])
    )
    marker = (
        alt.Chart(alt.Data(values=[{"row": 0}]))
        .transform_calculate(x0="rho_p", y0="rho_s")
        .mark_point(shape="cross", size=160, filled=True, color="black")
        .encode(x="x0:Q", y="y0:Q")
    )
    title = {"P": "P: platform supports", "S": "S: participant supports"}[scenario]
    return alt.layer(cells, marker).properties(width=200, height=200, title=title)


def profit_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars of each party's profit by scenario, from :func:`scenario_table`.

    >>> profit_chart(scenario_table()).to_dict()["mark"]["type"]
    'bar'
    """
    long = frame.melt(id_vars=["scenario"], value_vars=["profit_platform", "profit_participant", "total"],
                      var_name="measure", value_name="profit")
    long["measure"] = long["measure"].map({"profit_platform": "platform", "profit_participant": "participant",
                                           "total": "joint"})
    return (
        alt.Chart(long, description="Grouped bars of the platform's, the participant's and the joint "
                                    "profit in each scenario.")
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=list(SCENARIOS), title="Scenario", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=["platform", "participant", "joint"]),
            y=alt.Y("profit:Q", title="Profit"),
            color=alt.Color("measure:N", sort=["platform", "participant", "joint"],
                            scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[7]]),
                            legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["scenario:N", "measure:N", alt.Tooltip("profit:Q", format=".3f")],
        )
        .properties(width=420, height=260)
    )


def share_chart(lo: float = 0.25, hi: float = 4.0, n: int = 121) -> alt.LayerChart:
    """The platform's share of the gain over N in P and S against rho_p / rho_s.

    >>> len(share_chart().to_dict()["layer"])
    2
    """
    ratio = np.geomspace(lo, hi, n)
    p = Params(rho_p=ratio, rho_s=np.ones_like(ratio))
    base = solve(p, "N")
    rows = []
    for sc in ("P", "S"):
        e = solve(p, sc)
        gp, gs = e.profit_platform - base.profit_platform, e.profit_participant - base.profit_participant
        active = gp + gs > 1e-12
        rows.append(pd.DataFrame({"ratio": ratio[active], "share": (gp / np.where(active, gp + gs, 1))[active],
                                  "scenario": SCENARIO_LABELS[sc]}))
    frame = pd.concat(rows, ignore_index=True)
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("ratio:Q", scale=alt.Scale(type="log", domain=[lo, hi]), title="Margin ratio ρp / ρs"),
            y=alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]), title="Platform's share of the gain",
                    axis=alt.Axis(format="%")),
            color=alt.Color("scenario:N", scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[2]]),
                            legend=alt.Legend(title=None, orient="bottom")),
            tooltip=[alt.Tooltip("ratio:Q", format=".2f"), alt.Tooltip("share:Q", format=".1%"), "scenario:N"],
        )
    )
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(y="y:Q")
    return alt.layer(lines, half, description=(
        "Lines of the platform's share of the gain over N against the margin ratio, for P "
        "(where it is active, ratio above 0.5) and S (ratio below 2), with a dashed line at one half."
    )).properties(width=440, height=260)


# --- live explorer -------------------------------------------------------------------------


def numeric_check(rho_p: float = 1.0, rho_s: float = 0.5, k_p: float = 1.0, k_s: float = 1.0,
                  power: float = 0.5, alpha: float = 1.0) -> pd.DataFrame:
    """Closed-form and numerical profits side by side, with the largest relative difference.

    >>> float(numeric_check()["max_rel_diff"].max()) < 1e-6
    True
    """
    p = Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s)
    rows = []
    keys = ("A", "a", "t", "s", "profit_platform", "profit_participant")
    for sc in SCENARIOS:
        e, n = solve(p, sc, power=power), solve_numeric(p, sc, power=power)
        diffs = [abs(getattr(e, k) - getattr(n, k)) / max(abs(getattr(e, k)), 1e-12) for k in keys]
        rows.append({"scenario": sc, "profit_platform": e.profit_platform,
                     "numeric_platform": n.profit_platform, "profit_participant": e.profit_participant,
                     "numeric_participant": n.profit_participant, "t": e.t, "numeric_t": n.t,
                     "s": e.s, "numeric_s": n.s, "max_rel_diff": max(diffs)})
    return pd.DataFrame(rows)


@widgets.kernel_only
def live_explorer(alpha: float = 1.0) -> widgets.LiveExplorer:
    """ipywidgets sliders (same ranges as :func:`explorer_chart`) that update the
    scenario table, plus a button that re-solves every scenario with
    :func:`solve_numeric`.

    The sliders are those of ``PARAMS``:

    >>> [p.name for p in PARAMS]
    ['rho_p', 'rho_s', 'k_p', 'k_s', 'power']
    """
    import ipywidgets as w
    from IPython.display import display

    from . import display as book_display

    sliders = {
        p.name: w.FloatSlider(value=p.default, min=p.lo, max=p.hi, step=p.step, description=p.label,
                              continuous_update=False, style={"description_width": "initial"},
                              layout=w.Layout(width="420px"))
        for p in PARAMS
    }
    button = w.Button(description="Check with solve_numeric", layout=w.Layout(width="260px"))
    out, check = w.Output(), w.Output()

    def values() -> dict[str, float]:
        return {k: s.value for k, s in sliders.items()}

    def redraw(*_: Any) -> None:
        with out:
            out.clear_output(wait=True)
            frame = scenario_table(**values(), alpha=alpha)
            display(profit_chart(frame))
            display(book_display.table(frame[["scenario", "A", "a", "t", "s", "profit_platform",
                                              "profit_participant", "total", "gap"]].round(4)))
        check.clear_output()

    def run_check(*_: Any) -> None:
        with check:
            check.clear_output(wait=True)
            display(book_display.table(numeric_check(**values(), alpha=alpha).round(8)))

    for s in sliders.values():
        s.observe(redraw, names="value")
    button.on_click(run_check)
    redraw()
    return widgets.LiveExplorer(w.VBox([*sliders.values(), out, button, check]))
