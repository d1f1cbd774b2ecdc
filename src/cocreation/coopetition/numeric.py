"""The game solved numerically, independently of the closed forms.

:func:`solve_numeric` never calls :func:`~cocreation.coopetition.model.closed_forms`:
it finds each follower's best response as the root of its marginal profit
(complex-step derivatives, Brent's method) and solves the leader's first-order
conditions anticipating that response. :func:`numeric_check` puts both solutions side
by side, as the live explorer's button does.

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

    An independent check of :func:`~cocreation.coopetition.model.solve`: the follower's
    best response is the root of its marginal profit (complex-step derivative of the
    profit function, Brent's root finder); the leader solves its own first-order
    conditions in its spend and its support rate, anticipating that response (its slope
    from the implicit function theorem; rates searched in [0, 0.999]). N and R are
    simultaneous-move subgames solved by iterating best responses; C maximises the joint
    profit.

    Examples
    --------
    >>> eq = solve_numeric(Params(rho_p=1.0, rho_s=0.5), "P")
    >>> round(eq.t, 6), round(eq.a, 6)
    (0.6, 0.390625)
    """
    _check_params(p)
    _check_scenario(scenario)
    _check_benchmark(benchmark)
    if not p.scalar():
        raise ValueError("p must hold scalar parameters for solve_numeric (use solve for arrays)")
    pw = validate.number("power", power, 0, 1)
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


def numeric_check(rho_p: float = 1.0, rho_s: float = 0.5, k_p: float = 1.0, k_s: float = 1.0,
                  power: float = 0.5, alpha: float = 1.0) -> pd.DataFrame:
    """Closed-form and numerical profits side by side, with the largest relative difference.

    The parameters are those of :func:`~cocreation.coopetition.model.scenario_table`.

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
