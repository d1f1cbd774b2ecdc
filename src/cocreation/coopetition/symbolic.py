"""The game in symbols: sympy's backward induction and the explorer's Vega expressions.

:func:`derive` solves every scenario from the primitives (demand and profits) alone,
independently of :func:`~cocreation.coopetition.model.closed_forms`; the tests check
that both agree. :func:`vega_expressions` evaluates the closed forms on sympy symbols and
prints them in Vega's expression language, so the static explorer computes in the page
what :func:`~cocreation.coopetition.model.solve` computes in Python. sympy only: the
strings are built here, the chart that uses them lives in
:mod:`cocreation.coopetition.explorers`.

Examples
--------
>>> derive().results["R"]["s"]
rho_s/(rho_p + rho_s)
>>> derive().results["P"]["t"]           # the interior rate; the corner t* = 0 is in closed_forms
(rho_p + rho_s*theta - rho_s)/(rho_p + rho_s*theta)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import validate
from .model import SCENARIOS, _check_benchmark, closed_forms

if TYPE_CHECKING:
    import sympy

__all__ = ["Derivation", "derive", "EXPRESSION_VARIABLES", "vega_expressions"]

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
        expression. These are the **interior** solutions (support active in P, S and
        B); the corners ``t* = 0`` when ``rho_p <= (1 - theta)*rho_s`` and ``s* = 0``
        when ``rho_s <= (1 - theta)*rho_p`` are added by
        :func:`~cocreation.coopetition.model.closed_forms`.
    gains
        ``(scenario, party)`` -> factorised gain over N in P and S (only when ``theta``
        is a number; with a symbolic ``theta`` they do not simplify usefully).
    """

    symbols: dict[str, sympy.Symbol] = field(repr=False)
    steps: list[tuple[str, tuple[str, sympy.Expr]]] = field(repr=False)
    results: dict[str, dict[str, sympy.Expr]] = field(repr=False)
    gains: dict[tuple[str, str], sympy.Expr] = field(repr=False)

    def latex(self) -> list[tuple[str, str]]:
        """The steps as ``(description, LaTeX)`` pairs."""
        import sympy as sp

        return [(d, f"{lhs} = {sp.latex(rhs)}") for d, (lhs, rhs) in self.steps]


def _powers(expr: Any) -> Any:
    """Simplify every exponent (sympy leaves ``theta/(theta - 1) - 1/(theta - 1)`` alone)."""
    import sympy as sp

    return expr.replace(lambda x: x.is_Pow, lambda x: sp.Pow(sp.factor(x.base), sp.simplify(x.exp)))


def derive(theta: Any = None) -> Derivation:
    """Solve every scenario by backward induction with sympy, from the primitives only.

    Each first-order condition is solved in ``y = x**(theta - 1)`` (the marginal
    response of the spend ``x``), in which it is linear. A leader that sets a support
    rate chooses, through it, the spend its follower makes: the follower's first-order
    condition gives the rate that buys each spend, so the leader maximises over that
    spend (the two are in one-to-one relation). Only interior solutions are derived;
    see :class:`Derivation` for the corners.

    Parameters
    ----------
    theta
        The response curvature: ``None`` (default) for a positive symbol ``theta``
        (0 < theta < 1 is assumed for the second-order conditions), or a number such
        as ``sympy.Rational(1, 2)``, for which profits and gains simplify fully. A number
        must be a fraction in (0, 1) with a denominator of at most 20 (0.3, 0.75,
        ``Rational(1, 3)``): sympy's solve stalls for minutes on exponents such as
        1/(1 - 0.123456789), so other numbers are refused (substitute into ``derive()``).

    Examples
    --------
    >>> d = derive()
    >>> d.results["P"]["t"]
    (rho_p + rho_s*theta - rho_s)/(rho_p + rho_s*theta)
    >>> d.results["R"]["t"]
    rho_p/(rho_p + rho_s)
    >>> import sympy
    >>> derive(sympy.Rational(1, 2)).results["P"]["t"]
    (2*rho_p - rho_s)/(2*rho_p + rho_s)
    """
    import sympy as sp

    alpha, kp, ks, rp, rs = sp.symbols("alpha k_p k_s rho_p rho_s", positive=True)
    if theta is not None:  # a number (sympy numbers are checked through their float value)
        validate.number("theta", float(theta) if isinstance(theta, sp.Basic) and theta.is_number else theta,
                        0, 1, lo_open=True, hi_open=True)
    th = sp.Symbol("theta", positive=True) if theta is None else sp.nsimplify(theta)
    if theta is not None and not (th.is_Rational and 0 < th < 1 and th.q <= 20):
        raise ValueError(f"theta must be None or a fraction in (0, 1) with a denominator of at most 20 "
                         f"(e.g. 0.3 or 3/4), got {theta!r}; for other values substitute into derive()")
    A, a, y = sp.symbols("A a y", positive=True)
    t, s = sp.symbols("t s", real=True)
    D = alpha + kp * A**th + ks * a**th
    pi_p = rp * D - (1 - s) * A - t * a
    pi_s = rs * D - (1 - t) * a - s * A
    steps: list = [("Demand", ("D", D)),
                   ("Platform's profit", (r"\pi_p", pi_p)),
                   ("Participant's profit", (r"\pi_s", pi_s))]

    def in_y(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
        """``expr`` with the spend ``var`` written as ``y**(1/(theta - 1))``."""
        e = sp.powdenest(expr.subs(var, y ** (1 / (th - 1))), force=True)
        return _powers(sp.powsimp(sp.expand(e), force=True))

    def solve_y(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
        sols = [x for x in sp.solve(in_y(sp.diff(expr, var), var), y) if x.is_real is not False]
        if len(sols) != 1:
            raise RuntimeError(f"expected one stationary point in {var}, got {sols}")
        return sp.factor(sols[0])

    def stationary(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
        """The spend at which d expr / d var = 0."""
        return _powers(solve_y(expr, var) ** (1 / (th - 1)))

    def rate_buying(expr: sp.Expr, var: sp.Symbol, rate: sp.Symbol, target: sp.Expr) -> sp.Expr:
        """The rate under which the first-order condition of ``expr`` in ``var`` holds where
        ``var**(theta - 1)`` equals ``target``."""
        sol = sp.solve(sp.diff(expr, var), rate)
        return sp.factor(in_y(sol[0], var).subs(y, target))

    def outcome(A_: sp.Expr, a_: sp.Expr, t_: sp.Expr, s_: sp.Expr) -> dict:
        sub = {A: A_, a: a_, t: t_, s: s_}
        simplify = (lambda e: sp.factor(sp.simplify(_powers(sp.powdenest(e, force=True))))
                    ) if theta is not None else (lambda e: e)
        return {"A": A_, "a": a_, "t": t_, "s": s_,
                "profit_platform": simplify(pi_p.subs(sub)),
                "profit_participant": simplify(pi_s.subs(sub))}

    def bought(leader: sp.Expr, var: sp.Symbol, follower: sp.Expr, rate: sp.Symbol) -> tuple:
        """(spend, rate): the leader maximises over the follower's spend ``var``, bought
        with the rate that the follower's first-order condition ties to it."""
        rate_of = sp.solve(sp.diff(follower, var), rate)[0]
        y_star = solve_y(leader.subs(rate, rate_of), var)
        return _powers(y_star ** (1 / (th - 1))), rate_buying(follower, var, rate, y_star)

    res: dict = {}
    zero = sp.Integer(0)
    # N
    A_n, a_n = stationary(pi_p.subs({t: 0, s: 0}), A), stationary(pi_s.subs({t: 0, s: 0}), a)
    res["N"] = outcome(A_n, a_n, zero, zero)
    steps += [("N: the platform's own optimum", ("A^N", A_n)),
              ("N: the participant's own optimum", ("a^N", a_n))]
    # Stage 2 of P, S and B: each party's best response to the rate it receives.
    steps += [("Stage 2: the participant's best response to the support rate t", ("a^*(t)", stationary(pi_s, a))),
              ("Stage 2: the platform's best response to the support rate s", ("A^*(s)", stationary(pi_p, A)))]
    # P: the platform chooses A, and a through t.
    a_p, t_p = bought(pi_p.subs(s, 0), a, pi_s.subs(s, 0), t)
    res["P"] = outcome(A_n, a_p, t_p, zero)
    steps += [("P, stage 1: the spend the platform buys", ("a^P", a_p)),
              ("P, stage 1: the platform's optimal support rate", ("t^*", t_p))]
    # S: the mirror image.
    A_s, s_s = bought(pi_s.subs(t, 0), A, pi_p.subs(t, 0), s)
    res["S"] = outcome(A_s, a_n, zero, s_s)
    steps += [("S, stage 1: the spend the participant buys", ("A^S", A_s)),
              ("S, stage 1: the participant's optimal support rate", ("s^*", s_s))]
    # B: both commit to a rate at once, each given the other's rate, then both spend.
    a_b, t_b = bought(pi_p, a, pi_s, t)
    A_b, s_b = bought(pi_s, A, pi_p, s)
    res["B"] = outcome(A_b, a_b, t_b, s_b)
    steps += [("B: the platform's rate, whatever s is", ("t^B", t_b)),
              ("B: the participant's rate, whatever t is", ("s^B", s_b))]
    # C
    joint = pi_p + pi_s
    A_c, a_c = stationary(joint, A), stationary(joint, a)
    res["C"] = outcome(A_c, a_c, zero, zero)
    steps += [("C: the centralised platform spend", ("A^C", A_c)),
              ("C: the centralised participant spend", ("a^C", a_c))]
    # R: the rates under which each party's own best response is the centralised spend
    t_r = rate_buying(pi_s, a, t, solve_y(joint, a))
    s_r = rate_buying(pi_p, A, s, solve_y(joint, A))
    res["R"] = outcome(stationary(pi_p.subs({t: t_r, s: s_r}), A),
                       stationary(pi_s.subs({t: t_r, s: s_r}), a), t_r, s_r)
    steps += [("R: the support rate that makes a*(t) equal a^C", ("t^R", t_r)),
              ("R: the support rate that makes A*(s) equal A^C", ("s^R", s_r))]
    gains = {}
    if theta is not None:
        for sc in ("P", "S"):
            for party in ("platform", "participant"):
                key = f"profit_{party}"
                gains[(sc, party)] = sp.factor(sp.simplify(res[sc][key] - res["N"][key]))
        for sc in ("P", "S"):
            gp, gs = gains[(sc, "platform")], gains[(sc, "participant")]
            steps += [(f"{sc}: the platform's gain over N", (rf"\Delta\pi_p^{sc}", gp)),
                      (f"{sc}: the participant's gain over N", (rf"\Delta\pi_s^{sc}", gs)),
                      (f"{sc}: the platform's share of the gain", (rf"\sigma^{sc}", sp.factor(sp.simplify(gp / (gp + gs)))))]
    symbols = {str(x): x for x in (alpha, kp, ks, rp, rs, A, a, t, s)}
    if theta is None:
        symbols["theta"] = th
    return Derivation(symbols=symbols, steps=steps, results=res, gains=gains)


# --- the static explorer's Vega expressions, from the same closed forms ----------------


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
EXPRESSION_VARIABLES = ("alpha", "rho_p", "rho_s", "k_p", "k_s", "theta", "power")


class _InteriorSympyOps:
    """The interior branch of the closed forms: ``max(x, y) -> y`` (support active)."""

    @staticmethod
    def max(x: Any, y: Any) -> Any:
        return y


@functools.lru_cache(maxsize=None)
def vega_expressions(benchmark: str = "B") -> dict[str, str]:
    """Vega expressions of every scenario's profits, generated from the closed forms.

    The closed forms are evaluated on sympy symbols and printed with sympy's
    JavaScript printer, dropping its ``Math.`` prefix (Vega's expression language has
    ``sqrt``, ``pow`` and ``max`` as plain functions).

    Returns
    -------
    dict
        ``"<scenario>__platform"``, ``"<scenario>__participant"`` and
        ``"<scenario>__total"`` for every scenario, in the variables
        ``EXPRESSION_VARIABLES``; and for the region maps ``"region_<P|S>__active"``
        (the support is offered) and ``"region_<P|S>__lead"`` (the platform's gain over N
        minus the participant's, where the support is offered, at k_p = k_s = alpha = 1,
        which do not change its sign), in ``datum.rho_p``, ``datum.rho_s`` and ``theta``.

    The closed forms are those of :func:`~cocreation.coopetition.model.closed_forms`.

    Examples
    --------
    >>> import re
    >>> e = vega_expressions()
    >>> e["N__total"].count("Math.")
    0
    >>> sorted(set(re.findall(r"[A-Za-z_]+", e["P__platform"])) - {"max", "pow", "sqrt"})
    ['alpha', 'k_p', 'k_s', 'rho_p', 'rho_s', 'theta']
    """
    _check_benchmark(benchmark)
    import sympy as sp
    from sympy.printing.jscode import jscode

    sym = {n: sp.Symbol(n, positive=True) for n in EXPRESSION_VARIABLES}
    cf = closed_forms(sym, power=sym["power"], benchmark=benchmark, ops=_SympyOps)
    out = {}
    for sc in SCENARIOS:
        pp, ps = cf[sc]["profit_platform"], cf[sc]["profit_participant"]
        for key, expr in (("platform", pp), ("participant", ps), ("total", pp + ps)):
            out[f"{sc}__{key}"] = jscode(expr).replace("Math.", "")
    cell = {"alpha": 1, "k_p": 1, "k_s": 1, "rho_p": sp.Symbol("datum.rho_p", positive=True),
            "rho_s": sp.Symbol("datum.rho_s", positive=True), "theta": sym["theta"]}
    inner = closed_forms(cell, ops=_InteriorSympyOps)
    rp, rs, th = cell["rho_p"], cell["rho_s"], cell["theta"]
    for sc, active in (("P", rp - (1 - th) * rs), ("S", rs - (1 - th) * rp)):
        gp = inner[sc]["profit_platform"] - inner["N"]["profit_platform"]
        gs = inner[sc]["profit_participant"] - inner["N"]["profit_participant"]
        out[f"region_{sc}__active"] = jscode(active).replace("Math.", "")
        out[f"region_{sc}__lead"] = jscode(gp - gs).replace("Math.", "")
    return dict(out)
