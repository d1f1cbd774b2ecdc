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
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
        expression, for interior solutions (support active in P and S).
    gains
        ``(scenario, party)`` -> factorised gain over N.
    """

    symbols: dict[str, sympy.Symbol] = field(repr=False)
    steps: list[tuple[str, tuple[str, sympy.Expr]]] = field(repr=False)
    results: dict[str, dict[str, sympy.Expr]] = field(repr=False)
    gains: dict[tuple[str, str], sympy.Expr] = field(repr=False)

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
EXPRESSION_VARIABLES = ("alpha", "rho_p", "rho_s", "k_p", "k_s", "power")


@functools.lru_cache(maxsize=None)
def vega_expressions(benchmark: str = "best") -> dict[str, str]:
    """Vega expressions of every scenario's profits, generated from the closed forms.

    The closed forms are evaluated on sympy symbols and printed with sympy's
    JavaScript printer, dropping its ``Math.`` prefix (Vega's expression language has
    ``sqrt``, ``pow`` and ``max`` as plain functions).

    Returns
    -------
    dict
        ``"<scenario>__platform"``, ``"<scenario>__participant"`` and
        ``"<scenario>__total"`` for every scenario, in the variables
        ``EXPRESSION_VARIABLES``.

    The closed forms are those of :func:`~cocreation.coopetition.model.closed_forms`.

    Examples
    --------
    >>> import re
    >>> e = vega_expressions()
    >>> e["N__total"].count("Math.")
    0
    >>> sorted(set(re.findall(r"[A-Za-z_]+", e["P__platform"])) - {"max", "pow", "sqrt"})
    ['alpha', 'k_p', 'k_s', 'rho_p', 'rho_s']
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
    return dict(out)
