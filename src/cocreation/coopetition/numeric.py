"""The game solved numerically, independently of the closed forms.

:func:`solve_numeric` never calls :func:`~cocreation.coopetition.model.closed_forms`:
it finds each follower's best response as the root of its marginal profit
(complex-step derivatives, Brent's method) and solves the leader's first-order
conditions anticipating that response. Support rates are searched in the variable
``z = -log(1 - rate)`` on [0, inf), so a rate as close to 1 as a float allows is
reachable (no cap). R's coordinating rates are found as the rates that make each
party's own best response the numerically centralised spend, and R's split by
maximising the generalised Nash product numerically. :func:`numeric_check` puts both
solutions side by side, as the live explorer's button does.

Examples
--------
>>> eq = solve_numeric(Params(rho_p=1.0, rho_s=0.5), "N")
>>> round(eq.A, 6), round(eq.a, 6)
(0.25, 0.0625)
"""

from __future__ import annotations

import cmath
import math
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from .. import validate
from .model import (
    SCENARIOS,
    Equilibrium,
    Params,
    _check_benchmark,
    _check_params,
    _check_scenario,
    solve,
)

__all__ = ["solve_numeric", "numeric_check"]


def _payoffs(v: Mapping[str, float], A: Any, a: Any, wt: Any, ws: Any) -> tuple[Any, Any]:
    """Both profits from the primitives of the model (works for complex arguments).

    ``wt = 1 - t`` and ``ws = 1 - s`` are the shares each party pays of its own spend.
    """
    th = v.get("theta", 0.5)
    demand = v["alpha"] + v["k_p"] * cmath.exp(th * cmath.log(A)) + v["k_s"] * cmath.exp(th * cmath.log(a))
    return (v["rho_p"] * demand - ws * A - (1 - wt) * a,
            v["rho_s"] * demand - wt * a - (1 - ws) * A)


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
        if right > 1e300:
            raise RuntimeError("first-order condition not bracketed below 1e300")
    return brentq(g, left, right, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)


def _best_response(profit: Callable[[complex], complex]) -> float:
    """argmax over x >= 0 of a smooth concave ``profit`` with an infinite slope at 0."""
    return _root_or_corner(lambda x: _derivative(profit, x), 1e-300, None)


def _share(z: Any) -> Any:
    """The supported party's own share of its cost, ``1 - rate``, for ``z = -log(1 - rate)``."""
    return cmath.exp(-z) if isinstance(z, complex) else math.exp(-z)


def _stackelberg(
    leader: Callable[[complex, complex, complex], complex],
    follower: Callable[[complex, complex, complex], complex],
) -> tuple[float, float, float]:
    """Leader chooses (x, z) (its spend and a support rate 1 - exp(-z)), the follower then y.

    ``leader(x, z, y)`` and ``follower(x, z, y)`` are the two profit functions. The
    follower's best response y*(x, z) is the root of its marginal profit. The leader's
    marginal profit in each of its variables is the direct complex-step derivative
    plus the indirect effect through y*, whose slope comes from the implicit function
    theorem (dy*/dq = -F_yq / F_yy, by central differences of complex-step
    derivatives). The leader's two first-order conditions are solved in turn (a rate
    with negative marginal profit at 0 stays at 0) until neither moves.
    """

    def best_y(x: float, z: float) -> float:
        return _best_response(lambda y: follower(x, z, y))

    def f_y(x: float, z: float, y: float) -> float:
        return _derivative(lambda q: follower(x, z, q), y)

    def slope(which: int, x: float, z: float) -> float:
        y = best_y(x, z)
        direct = _derivative(lambda q: leader(q, z, y) if which == 0 else leader(x, q, y), (x, z)[which])
        via_y = _derivative(lambda q: leader(x, z, q), y)
        hy = 1e-5 * y
        f_yy = (f_y(x, z, y + hy) - f_y(x, z, y - hy)) / (2 * hy)
        hq = 1e-5 * x if which == 0 else 1e-5  # spends stay positive; z may dip below 0
        args_up = (x + hq, z) if which == 0 else (x, z + hq)
        args_dn = (x - hq, z) if which == 0 else (x, z - hq)
        f_yq = (f_y(*args_up, y) - f_y(*args_dn, y)) / (2 * hq)
        return direct + via_y * (-f_yq / f_yy)

    x, z = 1.0, 0.0
    for _ in range(50):
        x_new = _root_or_corner(lambda q: slope(0, q, z), 1e-300, None)
        z_new = _root_or_corner(lambda q: slope(1, x_new, q), 0.0, None)
        done = abs(x_new - x) <= 1e-13 * x_new and abs(z_new - z) <= 1e-13 * max(z_new, 1e-3)
        x, z = x_new, z_new
        if done:
            break
    return x, z, best_y(x, z)


def _nash(v: Mapping[str, float], wt: float, ws: float) -> tuple[float, float]:
    """Simultaneous choice of both spends under own cost shares (wt, ws): iterate best responses."""
    A, a = 1.0, 1.0
    for _ in range(100):
        A_new = _best_response(lambda x: _payoffs(v, x, a, wt, ws)[0])
        a_new = _best_response(lambda x: _payoffs(v, A_new, x, wt, ws)[1])
        done = abs(A_new - A) <= 1e-14 * A_new and abs(a_new - a) <= 1e-14 * a_new
        A, a = A_new, a_new
        if done:
            break
    return A, a


def _stackelberg_p(v: Mapping[str, float]) -> tuple[float, float, float, float]:
    """P: the platform chooses (A, t) anticipating the participant's best response a(A, t)."""
    A, z, a = _stackelberg(lambda A, z, a: _payoffs(v, A, a, _share(z), 1.0)[0],
                           lambda A, z, a: _payoffs(v, A, a, _share(z), 1.0)[1])
    return A, a, z, math.inf


def _stackelberg_s(v: Mapping[str, float]) -> tuple[float, float, float, float]:
    """S: the participant chooses (a, s) anticipating the platform's best response A(a, s)."""
    a, z, A = _stackelberg(lambda a, z, A: _payoffs(v, A, a, 1.0, _share(z))[1],
                           lambda a, z, A: _payoffs(v, A, a, 1.0, _share(z))[0])
    return A, a, math.inf, z


def _mutual(v: Mapping[str, float]) -> tuple[float, float, float, float]:
    """B: both commit to a rate at once (each anticipating the spends), then both spend.

    Each party's rate is its best reply to the other's rate, found as in P (or S) with the
    other's rate held fixed; the two replies are iterated to a fixed point, so nothing
    assumes that the rates do not interact. The committing party's own spend is solved
    with its rate; that equals choosing it at the spending stage because the solver's
    implicit-function slope of the other's spend in it is zero in this game.
    """
    zt = zs = 0.0
    for _ in range(30):
        ws = math.exp(-zs)
        _, zt_new, _ = _stackelberg(lambda A, z, a: _payoffs(v, A, a, _share(z), ws)[0],
                                    lambda A, z, a: _payoffs(v, A, a, _share(z), ws)[1])
        wt = math.exp(-zt_new)
        _, zs_new, _ = _stackelberg(lambda a, z, A: _payoffs(v, A, a, wt, _share(z))[1],
                                    lambda a, z, A: _payoffs(v, A, a, wt, _share(z))[0])
        done = abs(zt_new - zt) <= 1e-12 * max(zt_new, 1e-3) and abs(zs_new - zs) <= 1e-12 * max(zs_new, 1e-3)
        zt, zs = zt_new, zs_new
        if done:
            break
    A, a = _nash(v, math.exp(-zt), math.exp(-zs))
    return A, a, (zt if zt > 0 else math.inf), (zs if zs > 0 else math.inf)


def _centralised(v: Mapping[str, float]) -> tuple[float, float]:
    """C: one decision maker, so coordinate-wise best responses on the joint profit."""

    def joint(A: complex, a: complex) -> complex:
        pp, ps = _payoffs(v, A, a, 1.0, 1.0)
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


def _lower_end(gap: Callable[[float], float]) -> float:
    """A log-share y <= -1 where ``gap`` (falling in y) is no longer negative: halving
    the share step by step keeps the trial spends finite (a fixed end such as
    e**-60 overflows them when theta is close to 1)."""
    y = -1.0
    while gap(y) < 0:
        y *= 2
        if y < -1e4:
            raise RuntimeError("coordinating rate not bracketed")
    return y


def _coordinating(v: Mapping[str, float]) -> tuple[float, float, float, float]:
    """R's rates: the own cost shares under which each party's own best response is the
    (numerically) centralised spend, found by Brent's method on log(share)."""
    from scipy.optimize import brentq

    A_c, a_c = _centralised(v)

    def gap_t(y: float) -> float:  # participant's best response under wt = exp(y), minus a^C
        return math.log(_best_response(lambda x: _payoffs(v, 1.0, x, math.exp(y), 1.0)[1])) - math.log(a_c)

    def gap_s(y: float) -> float:
        return math.log(_best_response(lambda x: _payoffs(v, x, 1.0, 1.0, math.exp(y))[0])) - math.log(A_c)

    wt = math.exp(brentq(gap_t, _lower_end(gap_t), 0.0, xtol=1e-15))
    ws = math.exp(brentq(gap_s, _lower_end(gap_s), 0.0, xtol=1e-15))
    A, a = _nash(v, wt, ws)
    return A, a, wt, ws


def _nash_bargaining(pp: float, ps: float, bp: float, bs: float, power: float) -> float:
    """The side payment T to the platform that maximises (pp + T - bp)**power *
    (ps - T - bs)**(1 - power), found numerically (log form, bounded Brent); at
    power 0 or 1 the limit, the end of the feasible interval."""
    from scipy.optimize import minimize_scalar

    lo, hi = bp - pp, ps - bs
    if hi < lo - 1e-12 * (abs(pp) + abs(ps)):
        raise ValueError("no feasible phi: the centralised profit is below the benchmark profits")
    if power in (0.0, 1.0) or hi <= lo:
        return lo if power == 0.0 else hi
    width = hi - lo

    def neg(x: float) -> float:  # x in (0, 1): position in the feasible interval
        return -(power * math.log(x * width) + (1 - power) * math.log((1 - x) * width))

    res = minimize_scalar(neg, bounds=(1e-15, 1 - 1e-15), method="bounded", options={"xatol": 1e-13})
    return lo + res.x * width


def solve_numeric(p: Params, scenario: str, power: float = 0.5, benchmark: str = "B") -> Equilibrium:
    """The equilibrium of ``scenario`` by nested numerical optimisation (scalar params).

    An independent check of :func:`~cocreation.coopetition.model.solve`, for any
    ``theta``: the follower's best response is the root of its marginal profit
    (complex-step derivative of the profit function, Brent's root finder); the leader
    solves its own first-order conditions in its spend and its support rate,
    anticipating that response (its slope from the implicit function theorem; rates
    searched as ``z = -log(1 - rate)`` on [0, inf), no cap). B iterates the two parties'
    rate choices, each anticipating the simultaneous spends. N is a simultaneous-move
    game solved by iterating best responses; C maximises the joint profit; R finds the
    rates that make the own best responses the centralised spends, then the split that
    maximises the generalised Nash product over the benchmark.

    Parameters are those of :func:`~cocreation.coopetition.model.solve`. Near
    ``theta = 1`` with very unequal margins (e.g. theta = 0.95 and a margin ratio of
    1e12) a trial spend of the search overflows: a ``ValueError`` naming theta then
    says so (:func:`~cocreation.coopetition.model.solve` still answers there).

    Examples
    --------
    >>> eq = solve_numeric(Params(rho_p=1.0, rho_s=0.5), "P")
    >>> round(eq.t, 6), round(eq.a, 6)
    (0.6, 0.390625)
    >>> eq = solve_numeric(Params(rho_p=1.0, rho_s=1e-4), "P")   # a rate close to 1
    >>> round(eq.t, 6), round(eq.profit_platform, 6)
    (0.9999, 1.500025)
    """
    _check_params(p)
    _check_scenario(scenario)
    _check_benchmark(benchmark)
    if not p.scalar():
        raise ValueError("p must hold scalar parameters for solve_numeric (use solve for arrays)")
    pw = validate.number("power", power, 0, 1)
    try:
        return _solve(p, scenario, pw, benchmark)
    except RuntimeError as err:  # a search left the float range: the spends overflow near theta = 1
        raise ValueError(f"theta = {p.theta:g} is too close to 1 for solve_numeric at these margins and "
                         f"effects (a search leaves the float range); use solve, or a smaller theta") from err


def _solve(p: Params, scenario: str, pw: float, benchmark: str) -> Equilibrium:
    v = {k: float(x) for k, x in p.arrays().items()}
    transfer = 0.0
    t = s = 0.0
    if scenario in ("N", "C"):
        A, a = _nash(v, 1.0, 1.0) if scenario == "N" else _centralised(v)
        wt = ws = 1.0
    elif scenario in ("P", "S", "B"):
        A, a, zt, zs = {"P": _stackelberg_p, "S": _stackelberg_s, "B": _mutual}[scenario](v)
        # a party that offers no support has z = inf: own share 1, rate 0
        wt, t = (1.0, 0.0) if zt == math.inf else (math.exp(-zt), -math.expm1(-zt))
        ws, s = (1.0, 0.0) if zs == math.inf else (math.exp(-zs), -math.expm1(-zs))
    else:  # R: rates that coordinate, spends chosen simultaneously, split by Nash bargaining.
        A, a, wt, ws = _coordinating(v)
        t, s = 1 - wt, 1 - ws
        if benchmark == "best":
            outs = [_solve(p, sc, 0.5, "B") for sc in ("P", "S")]
            bp = max(o.profit_platform for o in outs)
            bs = max(o.profit_participant for o in outs)
        else:
            o = _solve(p, benchmark, 0.5, "B")
            bp, bs = o.profit_platform, o.profit_participant
        pp, ps = (x.real for x in _payoffs(v, A, a, wt, ws))
        transfer = _nash_bargaining(pp, ps, bp, bs, pw)
    pp, ps = (x.real for x in _payoffs(v, A, a, wt, ws))
    pp, ps = pp + transfer, ps - transfer
    th = v["theta"]
    demand = v["alpha"] + v["k_p"] * A**th + v["k_s"] * a**th
    return Equilibrium(scenario=scenario, A=A, a=a, t=t, s=s, phi=pp / (pp + ps), demand=demand,
                       profit_platform=pp, profit_participant=ps, total=pp + ps, transfer=transfer)


def numeric_check(rho_p: float = 1.0, rho_s: float = 0.5, k_p: float = 1.0, k_s: float = 1.0,
                  power: float = 0.5, alpha: float = 1.0, theta: float = 0.5) -> pd.DataFrame:
    """Closed-form and numerical profits side by side, with the largest difference.

    ``max_rel_diff`` is the largest relative difference of the spends and profits and
    the absolute difference of the rates (a rate of 0 has no relative scale). The
    parameters are those of :func:`~cocreation.coopetition.model.scenario_table`.

    >>> float(numeric_check()["max_rel_diff"].max()) < 1e-6
    True
    """
    p = Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s, theta=theta)
    rows = []
    keys = ("A", "a", "profit_platform", "profit_participant")
    for sc in SCENARIOS:
        e, n = solve(p, sc, power=power), solve_numeric(p, sc, power=power)
        diffs = [abs(getattr(e, k) - getattr(n, k)) / max(abs(getattr(e, k)), 1e-300) for k in keys]
        diffs += [abs(getattr(e, k) - getattr(n, k)) for k in ("t", "s")]
        rows.append({"scenario": sc, "profit_platform": e.profit_platform,
                     "numeric_platform": n.profit_platform, "profit_participant": e.profit_participant,
                     "numeric_participant": n.profit_participant, "t": e.t, "numeric_t": n.t,
                     "s": e.s, "numeric_s": n.s, "max_rel_diff": max(diffs)})
    return pd.DataFrame(rows)
