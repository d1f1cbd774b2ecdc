"""The coopetition game: closed forms, numerical solution, the abstract's claims, explorers.

Expected values come from derivations done independently of the package: by hand
(written out below), by sympy from the model's primitives (``derive``), by exact values
recorded at theta = 1/2 before the general response was introduced, or by a brute-force
optimiser written here (nested bounded Brent searches on the profit functions, no
first-order conditions).
"""

from __future__ import annotations

import functools
import math
import re
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq, minimize_scalar

from cocreation import coopetition as co
from cocreation import data, widgets
from cocreation.coopetition import Params, solve, solve_numeric
from conftest import ROOT

FIELDS = ("A", "a", "t", "s", "phi", "demand", "profit_platform", "profit_participant", "total")
positive = st.floats(min_value=0.05, max_value=5.0, allow_nan=False, allow_infinity=False)
PAGE = (ROOT / "book" / "coopetition" / "cooperative_advertising_game.md").read_text(encoding="utf-8")


def _draws(n: int, seed: int, theta: bool = False) -> list[dict[str, float]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        d = dict(alpha=rng.uniform(0.1, 5), k_p=rng.uniform(0.1, 3), k_s=rng.uniform(0.1, 3),
                 rho_p=rng.uniform(0.1, 3), rho_s=rng.uniform(0.1, 3))
        out.append({**d, "theta": rng.uniform(0.1, 0.9)} if theta else d)
    return out


def _array_params(n: int = 20000, seed: int = 7) -> Params:
    rng = np.random.default_rng(seed)
    return Params(alpha=rng.uniform(0.1, 5, n), k_p=rng.uniform(0.1, 3, n), k_s=rng.uniform(0.1, 3, n),
                  rho_p=rng.uniform(0.1, 3, n), rho_s=rng.uniform(0.1, 3, n))


# --- hand derivation at theta = 1/2 (independent of the package) --------------------------
# N: max rho_i k_i sqrt(x) - x  ->  sqrt(x) = rho_i k_i / 2.
# P: follower sqrt(a) = rho_s k_s / (2 (1 - t)); leader max over t of
#    rho_p k_s sqrt(a) - t a  ->  t* = (2 rho_p - rho_s) / (2 rho_p + rho_s) if > 0.
#    Gains over N: platform k_s^2 (2 rho_p - rho_s)^2 / 16, participant rho_s k_s^2 (2 rho_p - rho_s) / 8.
# S: mirror image with p <-> s and k_p <-> k_s.
# C: sqrt(A) = (rho_p + rho_s) k_p / 2, sqrt(a) = (rho_p + rho_s) k_s / 2;
#    total = (rho_p + rho_s) alpha + (rho_p + rho_s)^2 (k_p^2 + k_s^2) / 4.


def _hand_gains(p: dict[str, float]) -> dict[str, tuple[float, float]]:
    rp, rs, kp, ks = p["rho_p"], p["rho_s"], p["k_p"], p["k_s"]
    xp, xs = max(2 * rp - rs, 0.0), max(2 * rs - rp, 0.0)
    return {"P": (ks**2 * xp**2 / 16, rs * ks**2 * xp / 8), "S": (rp * kp**2 * xs / 8, kp**2 * xs**2 / 16)}


def _hand_total_c(p: dict[str, float]) -> float:
    r = p["rho_p"] + p["rho_s"]
    return r * p["alpha"] + r**2 * (p["k_p"] ** 2 + p["k_s"] ** 2) / 4


# --- brute force: the game's definition, solved by nested one-dimensional searches ----------


def _profits(v, A, a, t, s):
    th = v.get("theta", 0.5)
    D = v["alpha"] + v["k_p"] * A**th + v["k_s"] * a**th
    return v["rho_p"] * D - (1 - s) * A - t * a, v["rho_s"] * D - (1 - t) * a - s * A


def _argmax(f, lo, hi):
    """Maximiser of a unimodal f on [lo, hi]: bounded Brent, then polished where the
    central-difference slope changes sign (a search on f alone stops at sqrt(eps))."""
    r = minimize_scalar(lambda x: -f(x), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
    x = max((lo, r.x, hi), key=f)
    h = 1e-6 * (hi - lo)
    left, right = max(lo, x - 1e-3 * (hi - lo)), min(hi, x + 1e-3 * (hi - lo))
    slope = lambda y: (f(y + h) - f(y - h)) / (2 * h)  # noqa: E731
    if lo < left and right < hi and slope(left) > 0 > slope(right):
        x = brentq(slope, left, right, xtol=1e-14)
    return x


def _spend(f):
    """argmax over x > 0 of a profit f(x), searched in log x."""
    return math.exp(_argmax(lambda y: f(math.exp(y)), -60.0, 60.0))


def _rate(f):
    """argmax over a rate in [0, 1) of f(rate), searched in z = -log(1 - rate) on [0, 40]."""
    return -math.expm1(-_argmax(lambda z: f(-math.expm1(-z)), 0.0, 40.0))


def _stage2(v, t, s):
    """Both spends chosen at once: each party's best response, iterated (they do not know
    that the responses are independent)."""
    A = a = 1.0
    for _ in range(3):
        A = _spend(lambda x: _profits(v, x, a, t, s)[0])
        a = _spend(lambda x: _profits(v, A, x, t, s)[1])
    return A, a


def brute(v, scenario):
    """(A, a, t, s, profit_platform, profit_participant) by brute force (memoised)."""
    return _brute(tuple(sorted(v.items())), scenario)


@functools.lru_cache(maxsize=None)
def _brute(items, scenario):
    v = dict(items)
    if scenario in ("N", "C"):
        if scenario == "N":
            A, a = _stage2(v, 0.0, 0.0)
        else:
            A = a = 1.0
            for _ in range(3):
                A = _spend(lambda x: sum(_profits(v, x, a, 0, 0)))
                a = _spend(lambda x: sum(_profits(v, A, x, 0, 0)))
        return (A, a, 0.0, 0.0, *_profits(v, A, a, 0, 0))
    t = s = 0.0
    for _ in range(3 if scenario == "B" else 1):
        if scenario in ("P", "B"):
            t = _rate(lambda r: _profits(v, *_stage2(v, r, s), r, s)[0])
        if scenario in ("S", "B"):
            s = _rate(lambda r: _profits(v, *_stage2(v, t, r), t, r)[1])
    A, a = _stage2(v, t, s)
    return (A, a, t, s, *_profits(v, A, a, t, s))


# --- theta = 1/2 reproduces the numbers of the square-root model ----------------------------
# Exact values computed with sympy rationals from the hand derivation above (and by
# maximising the leader's profit over the rate with sympy), and checked against the code
# as it was before theta existed (commit fceb86d). R uses the "best" benchmark, the
# default then. Case: (alpha, k_p, k_s, rho_p, rho_s, power) -> scenario -> (pi_p, pi_s).
RECORDED = {
    (1, 1, 1, 1, 0.5, 0.5): {"N": (F(3, 2), F(13, 16)), "P": (F(105, 64), F(29, 32)),
                             "S": (F(3, 2), F(13, 16)), "C": (F(31, 16), F(11, 16)),
                             "R": (F(215, 128), F(121, 128))},
    (1, 1, 1, 1, 1, 0.0): {"N": (F(7, 4), F(7, 4)), "P": (F(29, 16), F(15, 8)), "S": (F(15, 8), F(29, 16)),
                           "C": (F(2), F(2)), "R": (F(15, 8), F(17, 8))},
    (2, 1.5, 0.5, 0.3, 1.9, 0.25): {"N": (F(231, 320), F(7467, 1600)), "P": (F(231, 320), F(7467, 1600)),
                                    "S": (F(651, 640), F(40893, 6400)), "C": (F(-519, 400), F(3489, 400)),
                                    "R": (F(26157, 25600), F(163923, 25600))},
}


@pytest.mark.parametrize("case", list(RECORDED), ids=str)
def test_theta_one_half_reproduces_the_recorded_square_root_values(case):
    alpha, kp, ks, rp, rs, power = case
    p = Params(alpha=alpha, k_p=kp, k_s=ks, rho_p=rp, rho_s=rs, theta=0.5)
    assert Params(alpha=alpha, k_p=kp, k_s=ks, rho_p=rp, rho_s=rs) == p  # theta = 1/2 is the default
    for sc, (pp, ps) in RECORDED[case].items():
        e = solve(p, sc, power=power, benchmark="best")
        assert e.profit_platform == pytest.approx(float(pp), rel=1e-12, abs=1e-12), sc
        assert e.profit_participant == pytest.approx(float(ps), rel=1e-12, abs=1e-12), sc
    d = solve(Params(), "R")  # defaults: spends, rates and the side payment
    assert (solve(Params(), "P").t, solve(Params(), "P").a, d.A, d.a) == pytest.approx((0.6, 25 / 64, 9 / 16, 9 / 16),
                                                                                        rel=1e-12)
    assert d.transfer == pytest.approx(-9 / 128, rel=1e-12) and d.phi == pytest.approx(215 / 336, rel=1e-12)


# --- closed forms = sympy backward induction ------------------------------------------------


@pytest.fixture(scope="module")
def derivation():
    return co.derive()


@pytest.fixture(scope="module")
def derivation_half():
    return co.derive(sp.Rational(1, 2))


class _InteriorOps:
    """Closed forms on the interior branch (support active): max(x, y) -> y."""

    @staticmethod
    def max(x, y):
        return y


def test_derived_rate_is_the_reviewers_formula(derivation):
    rp, rs, th = (derivation.symbols[k] for k in ("rho_p", "rho_s", "theta"))
    assert sp.simplify(derivation.results["P"]["t"] - (rp - (1 - th) * rs) / (rp + th * rs)) == 0
    assert sp.simplify(derivation.results["S"]["s"] - (rs - (1 - th) * rp) / (rs + th * rp)) == 0
    assert sp.simplify(derivation.results["R"]["t"] - rp / (rp + rs)) == 0
    # B's rates are P's and S's whatever the other rate is
    assert sp.simplify(derivation.results["B"]["t"] - derivation.results["P"]["t"]) == 0
    assert sp.simplify(derivation.results["B"]["s"] - derivation.results["S"]["s"]) == 0


def test_closed_forms_equal_the_sympy_derivation_for_any_theta(derivation, derivation_half):
    sym = derivation.symbols
    names = ("alpha", "k_p", "k_s", "rho_p", "rho_s", "theta")
    cf = co.closed_forms({k: sym[k] for k in names}, power=sp.Rational(1, 2), benchmark="P", ops=_InteriorOps)
    for sc in ("N", "P", "S", "B", "C", "R"):
        for key in ("t", "s"):
            assert sp.simplify(cf[sc][key] - derivation.results[sc][key]) == 0, (sc, key)
    rng = np.random.default_rng(1)
    for _ in range(6):  # spends and profits at random points of the interior region
        th = rng.uniform(0.1, 0.9)
        at = {sym["alpha"]: rng.uniform(0.5, 2), sym["k_p"]: rng.uniform(0.5, 2), sym["k_s"]: rng.uniform(0.5, 2),
              sym["rho_p"]: 1.0, sym["rho_s"]: rng.uniform(0.8, 1.2), sym["theta"]: th}
        for sc in ("N", "P", "S", "B", "C"):
            for key in ("A", "a", "profit_platform", "profit_participant"):
                x, y = float(cf[sc][key].subs(at)), float(derivation.results[sc][key].subs(at))
                assert x == pytest.approx(y, rel=1e-10), (sc, key, th)
        for key in ("A", "a"):
            assert float(cf["R"][key].subs(at)) == pytest.approx(float(derivation.results["C"][key].subs(at)))
    # at theta = 1/2 the whole derivation simplifies and equals the closed forms exactly
    sym = derivation_half.symbols
    cf = co.closed_forms({**{k: sym[k] for k in names[:5]}, "theta": sp.Rational(1, 2)}, benchmark="P",
                         ops=_InteriorOps)
    for sc in ("N", "P", "S", "B", "C"):
        for key in ("A", "a", "t", "s", "profit_platform", "profit_participant"):
            assert sp.simplify(cf[sc][key] - derivation_half.results[sc][key]) == 0, (sc, key)


# --- solve = solve_numeric = brute force -----------------------------------------------------

NUMERIC_DRAWS = _draws(60, seed=2024) + _draws(60, seed=2025, theta=True)


@pytest.mark.parametrize("scenario", ["N", "P", "S", "B", "C", "R"])
def test_closed_forms_equal_nested_numerical_optimisation(scenario):
    rng = np.random.default_rng(11)
    corners = 0
    for values in NUMERIC_DRAWS[:: 3 if scenario in "BR" else 1]:
        p = Params(**values)
        power = float(rng.uniform())
        e, n = solve(p, scenario, power=power), solve_numeric(p, scenario, power=power)
        for key in FIELDS:
            x, y = getattr(e, key), getattr(n, key)
            assert y == pytest.approx(x, rel=1e-6, abs=1e-9), (scenario, key, values)
        assert n.transfer == pytest.approx(e.transfer, abs=1e-6 * e.total)
        corners += (scenario in "PB" and e.t == 0) or (scenario in "SB" and e.s == 0)
    if scenario in ("P", "S"):
        assert corners > 20, "the draws should include corner solutions"


@pytest.mark.parametrize("values", _draws(4, seed=99, theta=True) + [
    dict(alpha=1, k_p=1, k_s=1, rho_p=1, rho_s=1, theta=0.12),
    dict(alpha=1, k_p=0.7, k_s=1.4, rho_p=0.6, rho_s=1.1, theta=0.88)], ids=lambda v: f"theta={v['theta']:.2f}")
def test_every_scenario_equals_a_brute_force_solution_for_theta_in_the_open_interval(values):
    p = Params(**values)
    for sc in ("N", "P", "S", "B", "C"):
        e, b = solve(p, sc), brute(values, sc)
        got = (e.A, e.a, e.t, e.s, e.profit_platform, e.profit_participant)
        for key, x, y in zip(("A", "a", "t", "s", "pp", "ps"), got, b):
            # nested derivative-free searches: about 1e-5 at best on the spends
            assert x == pytest.approx(y, rel=1e-4, abs=1e-6), (sc, key)


def test_vectorised_solve_equals_scalar_solve():
    draws = _draws(25, seed=3, theta=True)
    arr = Params(**{k: np.array([d[k] for d in draws]) for k in draws[0]})
    for sc in co.SCENARIOS:
        vec = solve(arr, sc, power=0.3)
        for i, d in enumerate(draws):
            one = solve(Params(**d), sc, power=0.3)
            for key in FIELDS:
                assert getattr(vec, key)[i] == pytest.approx(getattr(one, key), rel=1e-12)


# --- extreme margins, the domain, corners and validation -------------------------------------


def test_a_rate_close_to_one_is_found_without_a_cap():
    p = Params(rho_p=1.0, rho_s=1e-4)
    hand_t = (2 - 1e-4) / (2 + 1e-4)                      # theta = 1/2
    hand_pp = 1 + 0.5 + 1e-4 / 2 - 0.25 + (2 - 1e-4) ** 2 / 16
    for eq in (solve(p, "P"), solve_numeric(p, "P")):
        assert eq.t == pytest.approx(hand_t, rel=1e-12) and eq.profit_platform == pytest.approx(hand_pp, rel=1e-10)
    assert round(hand_t, 4) == 0.9999 and round(hand_pp, 6) == 1.500025


@pytest.mark.parametrize("ratio", [1e-6, 1e-3, 1e3, 1e6])
@pytest.mark.parametrize("theta", [0.2, 0.5, 0.8])
def test_extreme_margin_ratios(ratio, theta):
    p = Params(rho_p=1.0, rho_s=ratio, theta=theta)
    wt = ratio / (1 + theta * ratio)  # participant's own share 1 - t*, by hand
    for sc in co.SCENARIOS:
        e, n = solve(p, sc), solve_numeric(p, sc)
        for key in FIELDS:
            assert np.isfinite(getattr(e, key))
            assert getattr(n, key) == pytest.approx(getattr(e, key), rel=1e-6, abs=1e-9), (sc, key)
    assert 1 - solve(p, "P").t == pytest.approx(min(wt, 1.0), rel=1e-9)


@settings(max_examples=300, deadline=None)
@given(**{k: st.floats(-6, 6) for k in ("alpha", "k_p", "k_s", "rho_p", "rho_s")},
       theta=st.floats(0.01, 0.5), power=st.floats(0, 1))
def test_no_nan_or_inf_inside_the_domain(alpha, k_p, k_s, rho_p, rho_s, theta, power):
    p = Params(alpha=10**alpha, k_p=10**k_p, k_s=10**k_s, rho_p=10**rho_p, rho_s=10**rho_s, theta=theta)
    for sc in co.SCENARIOS:
        e = solve(p, sc, power=power)
        assert all(np.isfinite(getattr(e, k)) for k in FIELDS), sc
    table = co.scenario_table(**{k: getattr(p, k) for k in ("alpha", "k_p", "k_s", "rho_p", "rho_s", "theta")})
    assert np.isfinite(table.drop(columns=["scenario", "label", "phi", "platform_share_of_gain"])
                       .to_numpy(float)).all()


def test_spends_that_overflow_raise_instead_of_returning_inf():
    with pytest.raises(ValueError, match="theta"):
        solve(Params(rho_p=1e6, rho_s=1e6, k_p=1e6, k_s=1e6, theta=0.99), "C")
    for bad in (1e200, 1e-200):
        with pytest.raises(ValueError, match="rho_p"):
            co.scenario_table(rho_p=bad)


@settings(max_examples=200, deadline=None)
@given(rho_p=positive, factor=st.floats(min_value=2.0, max_value=10.0), k_s=positive, alpha=positive)
def test_no_support_when_twice_the_platform_margin_is_at_most_the_participants(rho_p, factor, k_s, alpha):
    p = Params(alpha=alpha, k_s=k_s, rho_p=rho_p, rho_s=factor * rho_p)  # 2 rho_p <= rho_s
    e, n_ = solve(p, "P"), solve(p, "N")
    assert e.t == 0.0
    for key in ("A", "a", "profit_platform", "profit_participant"):
        assert getattr(e, key) == pytest.approx(getattr(n_, key), rel=1e-12)


def test_corner_at_the_boundary_and_symmetric_corner_in_s():
    assert solve(Params(rho_p=1.0, rho_s=2.0), "P").t == 0.0
    assert solve(Params(rho_p=2.0, rho_s=1.0), "S").s == 0.0
    assert solve(Params(rho_p=3.0, rho_s=1.0), "S").s == 0.0
    assert 0 < solve(Params(rho_p=1.0, rho_s=1.99), "P").t < 0.01
    assert solve(Params(rho_p=0.3, rho_s=1.0, theta=0.8), "P").t > 0    # corner at rho_p = 0.2 rho_s
    assert solve(Params(rho_p=0.19, rho_s=1.0, theta=0.8), "P").t == 0.0
    # the numerical solver finds the same corners
    assert solve_numeric(Params(rho_p=1.0, rho_s=2.5), "P").t == 0.0
    assert solve_numeric(Params(rho_p=2.5, rho_s=1.0), "S").s == 0.0


@pytest.mark.parametrize("name", ["alpha", "k_p", "k_s", "rho_p", "rho_s", "theta"])
@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_invalid_parameters_name_the_parameter(name, bad):
    with pytest.raises(ValueError, match=name):
        Params(**{name: bad})
    with pytest.raises(ValueError, match=name):
        Params(**{name: np.array([0.5, bad])})


def test_other_invalid_inputs():
    with pytest.raises(ValueError, match="power"):
        solve(Params(), "R", power=1.5)
    with pytest.raises(ValueError, match="power"):
        solve_numeric(Params(), "R", power=-0.1)
    with pytest.raises(ValueError, match="scenario"):
        solve(Params(), "Q")
    with pytest.raises(ValueError, match="scenario"):
        solve_numeric(Params(), "Q")
    with pytest.raises(ValueError, match="benchmark"):
        solve(Params(), "R", benchmark="X")
    with pytest.raises(ValueError, match="scalar"):
        solve_numeric(Params(rho_p=np.array([1.0, 2.0])), "P")
    with pytest.raises(ValueError, match="broadcast"):
        Params(rho_p=np.ones(2), rho_s=np.ones(3))
    with pytest.raises(ValueError, match="theta"):
        co.derive(1.5)


_P = Params()
_ONE = dict(alpha=1.0, k_p=1.0, k_s=1.0, rho_p=1.0, rho_s=0.5)
_OUT_OF_DOMAIN = [
    # (call, the parameter its message must name)
    (lambda: solve({"rho_p": 1.0}, "N"), "p"),
    (lambda: solve(_P, None), "scenario"),
    (lambda: solve(_P, "R", power=np.array([0.5, 1.2])), "power"),
    (lambda: solve(_P, "R", power="0.5"), "power"),
    (lambda: solve(_P, "R", benchmark="C"), "benchmark"),
    (lambda: solve_numeric(_P, "R", power=float("nan")), "power"),
    (lambda: solve_numeric(_P, "R", benchmark="best ", power=0.5), "benchmark"),
    (lambda: solve_numeric(_P, "X"), "scenario"),
    (lambda: solve_numeric(_ONE, "N"), "p"),
    (lambda: Params(rho_p=True), "rho_p"),
    (lambda: Params(k_p="1"), "k_p"),
    (lambda: Params(alpha=[]), "alpha"),
    (lambda: Params(theta="0.5"), "theta"),
    (lambda: Params(theta=1.0), "theta"),
    (lambda: Params(rho_s=1e7), "rho_s"),
    (lambda: co.Equilibrium("Q", *[0.0] * 9), "scenario"),
    (lambda: co.closed_forms({**_ONE, "k_s": -1.0}), "k_s"),
    (lambda: co.closed_forms({**_ONE, "theta": 0.0}), "theta"),
    (lambda: co.closed_forms({k: v for k, v in _ONE.items() if k != "alpha"}), "alpha"),
    (lambda: co.closed_forms(_ONE, power=2.0), "power"),
    (lambda: co.closed_forms(_ONE, benchmark="R"), "benchmark"),
    (lambda: co.feasible_phi(_P, benchmark="worst"), "benchmark"),
    (lambda: co.feasible_phi(_ONE), "p"),
    (lambda: co.efficiency_gap(_P, "Z"), "scenario"),
    (lambda: co.efficiency_gap(_P, "R", power=-0.5), "power"),
    (lambda: co.region(np.array([1.0, -1.0]), 0.5), "rho_p"),
    (lambda: co.region(1.0, float("inf")), "rho_s"),
    (lambda: co.region(1.0, 1.0, theta=1.2), "theta"),
    (lambda: co.region_grid(step=0.0), "step"),
    (lambda: co.region_grid(lo=-0.1), "lo"),
    (lambda: co.region_grid(hi=0.05), "hi"),
    (lambda: co.region_grid(step=1e-4), "region grid"),
    (lambda: co.region_grid(theta=0.0), "theta"),
    (lambda: co.scenario_table(rho_p=0.0), "rho_p"),
    (lambda: co.scenario_table(k_s=float("nan")), "k_s"),
    (lambda: co.scenario_table(alpha=-2.0), "alpha"),
    (lambda: co.scenario_table(power=1.01), "power"),
    (lambda: co.scenario_table(benchmark="C"), "benchmark"),
    (lambda: co.scenario_table(theta=-0.5), "theta"),
    (lambda: co.numeric_check(rho_s=-0.5), "rho_s"),
    (lambda: co.numeric_check(power=2.0), "power"),
    (lambda: co.numeric_check(theta=1.0), "theta"),
    (lambda: co.vega_expressions("C"), "benchmark"),
    (lambda: co.profit_chart(co.scenario_table().drop(columns="profit_platform")), "frame"),
    (lambda: co.profit_chart([1, 2]), "frame"),
    (lambda: co.share_chart(lo=0.0), "lo"),
    (lambda: co.share_chart(hi=0.1), "hi"),
    (lambda: co.share_chart(n=1), "n"),
    (lambda: co.share_chart(n=2.5), "n"),
    (lambda: co.share_chart(n=10**7), "n"),
    (lambda: co.profit_explorer(alpha=0.0), "alpha"),
    (lambda: co.profit_live(alpha=float("nan")), "alpha"),
    (lambda: co.expected_profits(**{**SETTINGS[0], "power": 1.5}), "power"),
    (lambda: co.expected_gains(**{**SETTINGS[0], "rho_p": -1.0}), "rho_p"),
    (lambda: co.expected_gains(**{**SETTINGS[0], "theta": 1.0}), "theta"),
    (lambda: co.live_table(co.scenario_table().drop(columns="gap")), "frame"),
]


@pytest.mark.parametrize("call, name", _OUT_OF_DOMAIN, ids=[f"{i}-{n}" for i, (_, n) in enumerate(_OUT_OF_DOMAIN)])
def test_out_of_domain_inputs_raise_a_value_error_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"(?<![\w.]){re.escape(name)}(?!\w)"):
        call()


def test_params_store_numbers_as_floats_and_arrays_as_float_arrays():
    p = Params(alpha=2, rho_p=np.int64(3), k_p=[1, 2])
    assert type(p.alpha) is float and type(p.rho_p) is float and p.alpha == 2.0 and p.rho_p == 3.0
    assert isinstance(p.k_p, np.ndarray) and p.k_p.dtype == float and p.k_p.tolist() == [1.0, 2.0]
    assert not p.scalar() and p.theta == 0.5


def test_equilibrium_fields_as_a_dict_through_dataclasses_asdict():
    import dataclasses

    e = solve(Params(), "R")
    d = dataclasses.asdict(e)
    assert list(d) == [f.name for f in dataclasses.fields(co.Equilibrium)]
    assert d["total"] == e.total and d["transfer"] == e.transfer and d["scenario"] == "R"
    assert not hasattr(co.Equilibrium, "as_dict")


# --- the abstract's claims, with the conditions derived by hand ------------------------------


@settings(max_examples=300, deadline=None)
@given(alpha=positive, k_p=positive, k_s=positive, rho_p=positive, rho_s=positive)
def test_claim1_support_is_a_pareto_improvement_strict_when_active(alpha, k_p, k_s, rho_p, rho_s):
    values = dict(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s)
    p = Params(**values)
    base = solve(p, "N")
    hand = _hand_gains(values)
    for sc, active in (("P", 2 * rho_p > rho_s), ("S", 2 * rho_s > rho_p)):
        e = solve(p, sc)
        gp, gs = e.profit_platform - base.profit_platform, e.profit_participant - base.profit_participant
        tol = 1e-10 * base.total
        assert gp >= -tol and gs >= -tol
        assert gp == pytest.approx(hand[sc][0], abs=tol) and gs == pytest.approx(hand[sc][1], abs=tol)
        if active and min(hand[sc]) > 10 * tol:
            assert gp > 0 and gs > 0


def test_claim2_platform_share_of_the_gain_and_its_margin_condition():
    p = _array_params()
    v = p.arrays()
    rp, rs = v["rho_p"], v["rho_s"]
    base = solve(p, "N")
    for sc in ("P", "S"):
        e = solve(p, sc)
        gp, gs = e.profit_platform - base.profit_platform, e.profit_participant - base.profit_participant
        active = (2 * rp > rs) if sc == "P" else (2 * rs > rp)
        far = np.abs(rp - 1.5 * rs) > 1e-3 if sc == "P" else np.abs(rs - 1.5 * rp) > 1e-3
        ok = active & far & (gp + gs > 1e-6 * base.total)  # gains well above rounding
        share = gp[ok] / (gp[ok] + gs[ok])
        # hand derivation: share = t* in P, 1 - s* = 2 rho_p / (rho_p + 2 rho_s) in S
        expected = (2 * rp - rs) / (2 * rp + rs) if sc == "P" else 2 * rp / (rp + 2 * rs)
        np.testing.assert_allclose(share, expected[ok], rtol=1e-8, atol=1e-9)
        condition = (rp > 1.5 * rs) if sc == "P" else (rs < 1.5 * rp)
        np.testing.assert_array_equal(share > 0.5, condition[ok])
    reg = co.region(rp, rs)
    clear = (np.abs(rp - 1.5 * rs) > 1e-3) & (np.abs(2 * rp - rs) > 1e-3)
    expected_p = np.where(2 * rp <= rs, "inactive", np.where(rp > 1.5 * rs, "platform", "participant"))
    np.testing.assert_array_equal(reg["P"][clear], expected_p[clear])


def _hand_share_equal_margins(theta: float) -> float:
    """Platform's share of P's gain at rho_p = rho_s = k_s = 1, by hand: with m = 1/(1-theta),
    the gains are theta**(m-1) [(1-theta)(1+theta)**m - 1] and
    theta**(m-1) (1-theta) [(1+theta)**(m-1) - 1]."""
    m = 1 / (1 - theta)
    gp, gs = (1 - theta) * (1 + theta) ** m - 1, (1 - theta) * ((1 + theta) ** (m - 1) - 1)
    return gp / (gp + gs)


@pytest.mark.parametrize("theta, printed", [(0.3, "0.180"), (0.5, "0.333"), (0.7, "0.508")])
def test_claim2_at_equal_margins_depends_on_theta(theta, printed):
    row = co.scenario_table(rho_p=1.0, rho_s=1.0, theta=theta).set_index("scenario")
    share = row.loc["P", "platform_share_of_gain"]
    assert share == pytest.approx(_hand_share_equal_margins(theta), rel=1e-9)
    assert f"{share:.3f}" == printed
    b = brute(dict(alpha=1, k_p=1, k_s=1, rho_p=1, rho_s=1, theta=theta), "P")
    n_ = brute(dict(alpha=1, k_p=1, k_s=1, rho_p=1, rho_s=1, theta=theta), "N")
    gp, gs = b[4] - n_[4], b[5] - n_[5]
    assert gp / (gp + gs) == pytest.approx(share, abs=1e-5)
    if theta != 0.5:  # the share equals t* only at theta = 1/2
        assert abs(share - row.loc["P", "t"]) > 0.05
    else:
        assert share == pytest.approx(row.loc["P", "t"], rel=1e-12) == pytest.approx(1 / 3)


# --- B: mutual support --------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(alpha=positive, k_p=positive, k_s=positive, rho_p=positive, rho_s=positive,
       theta=st.floats(0.1, 0.9))
def test_b_adds_both_gains_and_pareto_dominates_p_and_s(alpha, k_p, k_s, rho_p, rho_s, theta):
    p = Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s, theta=theta)
    N, P, S, B, C = (solve(p, sc) for sc in "NPSBC")
    tol = 1e-10 * C.total
    for party in ("platform", "participant"):
        b, n_, pp, ss = (getattr(x, f"profit_{party}") for x in (B, N, P, S))
        assert b == pytest.approx(n_ + (pp - n_) + (ss - n_), abs=tol)
        assert b >= pp - tol and b >= ss - tol and b >= n_ - tol
        assert pp >= n_ - tol and ss >= n_ - tol  # claim 1 for any theta
    assert B.total <= C.total + tol


def test_b_as_outside_option_restores_individual_rationality():
    p = Params(rho_p=1.0, rho_s=1.0)
    # by hand at theta = 1/2: N 7/4 each, P adds 1/16 to the platform, S adds 1/8
    assert solve(p, "B").profit_platform == pytest.approx(7 / 4 + 1 / 16 + 1 / 8) == pytest.approx(1.9375)
    assert solve(p, "R", power=0.0, benchmark="best").profit_platform == pytest.approx(1.875)  # below B
    for draw in _draws(200, seed=4, theta=True):
        q = Params(**draw)
        b = solve(q, "B")
        for power in (0.0, 0.5, 1.0):
            r = solve(q, "R", power=power)
            assert r.profit_platform >= b.profit_platform - 1e-10 * r.total
            assert r.profit_participant >= b.profit_participant - 1e-10 * r.total


# --- R: proportional sharing, Nash bargaining, the side payment -------------------------------


def test_coordinating_rates_split_the_joint_profit_in_proportion_to_the_margins_for_any_spends():
    rng = np.random.default_rng(12)
    for v in _draws(30, seed=6, theta=True):
        r = solve(Params(**v), "R")
        for A, a in rng.uniform(0.01, 10, (5, 2)):
            pp, ps = _profits(v, A, a, r.t, r.s)
            assert pp / (pp + ps) == pytest.approx(v["rho_p"] / (v["rho_p"] + v["rho_s"]), rel=1e-10)
        # the side payment is positive exactly when phi exceeds that share
        assert (r.transfer > 0) == (r.phi > v["rho_p"] / (v["rho_p"] + v["rho_s"]))


@pytest.mark.parametrize("fallback", ["B", "P", "S", "N", "best"])
def test_r_split_maximises_the_generalised_nash_product(fallback):
    for v in _draws(6, seed=8, theta=True):
        p = Params(**v)
        c_total = sum(brute(v, "C")[4:])
        if fallback == "best":
            bp = max(brute(v, "P")[4], brute(v, "S")[4])
            bs = max(brute(v, "P")[5], brute(v, "S")[5])
        else:
            bp, bs = brute(v, fallback)[4:]
        assert c_total > bp + bs
        for power in (0.2, 0.5, 0.8):
            lo, hi = bp / c_total, 1 - bs / c_total  # where both gains are positive
            phi = _argmax(lambda f: power * math.log(f * c_total - bp) + (1 - power) * math.log((1 - f) * c_total - bs),
                          lo + 1e-12, hi - 1e-12)
            r = solve(p, "R", power=power, benchmark=fallback)
            assert r.phi == pytest.approx(phi, abs=1e-6) and r.total == pytest.approx(c_total, rel=1e-8)


def test_r_at_the_defaults_the_platform_pays_the_participant():
    r = solve(Params(), "R")
    assert round(r.transfer, 3) == -0.070 and round(r.phi, 3) == 0.640 and r.phi < 2 / 3


def test_coordinating_rates_make_each_party_choose_the_centralised_spend():
    for values in _draws(10, seed=5, theta=True):
        r = solve(Params(**values), "R")
        assert _spend(lambda x: _profits(values, x, r.a, r.t, r.s)[0]) == pytest.approx(r.A, rel=1e-5)
        assert _spend(lambda x: _profits(values, r.A, x, r.t, r.s)[1]) == pytest.approx(r.a, rel=1e-5)


@settings(max_examples=200, deadline=None)
@given(alpha=positive, k_p=positive, k_s=positive, rho_p=positive, rho_s=positive)
def test_centralised_total_is_the_largest_and_gaps_are_nonnegative(alpha, k_p, k_s, rho_p, rho_s):
    p = Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s)
    c = solve(p, "C").total
    np.testing.assert_allclose(c, _hand_total_c(dict(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s)))
    for sc in ("N", "P", "S", "B"):
        assert solve(p, sc).total < c
        assert 0 < co.efficiency_gap(p, sc) < 1
    assert co.efficiency_gap(p, "R") == pytest.approx(0.0, abs=1e-12)


# --- what the page says: its formulas and numbers against the package ------------------------

_PAGE_FORMULAS = [  # (LaTeX as typed in the page, the formula in Python, what the package computes)
    (r"\frac{\rho_p - (1-\theta)\rho_s}{\rho_p + \theta\rho_s}\right\}",
     lambda v: max(0.0, (v["rho_p"] - (1 - v["theta"]) * v["rho_s"]) / (v["rho_p"] + v["theta"] * v["rho_s"])),
     lambda p: solve(p, "P").t),
    (r"\frac{\rho_s - (1-\theta)\rho_p}{\rho_s + \theta\rho_p}\right\}",
     lambda v: max(0.0, (v["rho_s"] - (1 - v["theta"]) * v["rho_p"]) / (v["rho_s"] + v["theta"] * v["rho_p"])),
     lambda p: solve(p, "B").s),
    (r"a^P = \big(\theta(\rho_p + \theta\rho_s)k_s\big)^{1/(1-\theta)}",  # where P is offered
     lambda v: (v["theta"] * max(v["rho_s"], v["rho_p"] + v["theta"] * v["rho_s"]) * v["k_s"]) ** (1 / (1 - v["theta"])),
     lambda p: solve(p, "P").a),
    (r"t^R = \frac{\rho_p}{\rho_p + \rho_s}", lambda v: v["rho_p"] / (v["rho_p"] + v["rho_s"]),
     lambda p: solve(p, "R").t),
    (r"s^R = \frac{\rho_s}{\rho_p + \rho_s}", lambda v: v["rho_s"] / (v["rho_p"] + v["rho_s"]),
     lambda p: solve(p, "R").s),
]
_PAGE_HALF = [  # formulas the page types for theta = 1/2
    (r"\Delta\pi_p^P = \frac{k_s^2(2\rho_p-\rho_s)^2}{16}", lambda v: v["k_s"] ** 2 * (2 * v["rho_p"] - v["rho_s"]) ** 2 / 16,
     lambda p: solve(p, "P").profit_platform - solve(p, "N").profit_platform),
    (r"\Delta\pi_s^P = \frac{k_s^2\rho_s(2\rho_p-\rho_s)}{8}", lambda v: v["k_s"] ** 2 * v["rho_s"] * (2 * v["rho_p"] - v["rho_s"]) / 8,
     lambda p: solve(p, "P").profit_participant - solve(p, "N").profit_participant),
    (r"\Delta\pi_p^S = k_p^2\rho_p(2\rho_s-\rho_p)/8", lambda v: v["k_p"] ** 2 * v["rho_p"] * (2 * v["rho_s"] - v["rho_p"]) / 8,
     lambda p: solve(p, "S").profit_platform - solve(p, "N").profit_platform),
    (r"\sigma^S = \frac{2\rho_p}{\rho_p + 2\rho_s}", lambda v: 2 * v["rho_p"] / (v["rho_p"] + 2 * v["rho_s"]),
     lambda p: 1 - solve(p, "S").s),
]


def test_the_formulas_typed_in_the_page_equal_the_package():
    for latex, _, _ in _PAGE_FORMULAS + _PAGE_HALF:
        assert latex in PAGE, latex
    for v in _draws(40, seed=21, theta=True):
        p = Params(**v)
        for latex, formula, package in _PAGE_FORMULAS:
            assert formula(v) == pytest.approx(package(p), rel=1e-10, abs=1e-12), latex
        half = {**v, "theta": 0.5, "rho_s": v["rho_p"] * 0.8}  # both supports active
        for latex, formula, package in _PAGE_HALF:
            assert formula(half) == pytest.approx(package(Params(**half)), rel=1e-9, abs=1e-12), latex
    # R at the coordinating rates: pi_p = rho_p / (rho_p + rho_s) (pi_p + pi_s), as the page writes
    assert r"\pi_p = \frac{\rho_p}{\rho_p+\rho_s}\,(\pi_p + \pi_s)" in PAGE


def test_the_numbers_printed_in_the_page_are_the_packages():
    r, t2 = solve(Params(), "R"), co.claim2_table([0.3, 0.5, 0.7]).set_index("theta")
    printed = {"0.640": r.phi, "-0.070": r.transfer, "0.070": -r.transfer, "0.180": t2.loc[0.3, "share_p_equal"],
               "0.508": t2.loc[0.7, "share_p_equal"], "1.875": solve(Params(rho_s=1.0), "R", power=0, benchmark="best")
               .profit_platform, "1.9375": solve(Params(rho_s=1.0), "B").profit_platform}
    for text, value in printed.items():
        assert text in PAGE and f"{value:.{len(text.split('.')[1])}f}" == text, (text, value)
    assert solve(Params(), "P").t == pytest.approx(0.6) and "$t^* = 0.6$" in PAGE
    # the table's thresholds: 3/2 and 2/3 at theta = 1/2 (hand), a share of exactly 1/2 elsewhere (hand formula)
    assert (t2.loc[0.5, "ratio_p"], t2.loc[0.5, "ratio_s"]) == pytest.approx((1.5, 2 / 3), rel=1e-9)
    for th in (0.3, 0.7):
        r_, m = t2.loc[th, "ratio_p"], 1 / (1 - th)
        gp, gs = (1 - th) * (r_ + th) ** m - r_, (1 - th) * ((r_ + th) ** (m - 1) - 1)
        assert gp / (gp + gs) == pytest.approx(0.5, abs=1e-9)
    # "a commission below the seller's margin": P's share below 1/2 for theta <= 1/2
    assert (co.claim2_table([0.1, 0.2, 0.3, 0.4, 0.5])["ratio_p"] > 1).all() and t2.loc[0.7, "ratio_p"] < 1


# --- the static explorer: generated Vega expressions evaluated in Python ----------------------

_VEGA_FUNCS = {"sqrt": math.sqrt, "pow": math.pow, "max": max, "min": min}


def _eval_vega(expr: str, **values: float) -> float:
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", expr))
    assert names <= set(_VEGA_FUNCS) | set(values), names - set(_VEGA_FUNCS) - set(values)
    assert not re.search(r"\*\*|\?|&&|\|\||Math", expr)  # only syntax shared by JS and Python
    return float(eval(expr, {"__builtins__": {}}, {**_VEGA_FUNCS, **values}))  # noqa: S307


SETTINGS = [
    dict(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0, theta=0.5, power=0.5),
    dict(rho_p=0.3, rho_s=1.9, k_p=0.4, k_s=1.7, theta=0.5, power=0.0),
    dict(rho_p=1.5, rho_s=1.0, k_p=2.0, k_s=0.1, theta=0.5, power=1.0),
    dict(rho_p=0.1, rho_s=0.1, k_p=0.1, k_s=2.0, theta=0.1, power=0.25),
    dict(rho_p=2.0, rho_s=0.1, k_p=1.3, k_s=0.6, theta=0.8, power=0.8),
    dict(rho_p=2.0, rho_s=2.0, k_p=2.0, k_s=2.0, theta=0.8, power=0.5),
]


@pytest.mark.parametrize("setting", SETTINGS)
def test_static_explorer_expressions_equal_solve(setting):
    ex = co.vega_expressions()
    p = Params(alpha=1.0, **{k: v for k, v in setting.items() if k != "power"})
    for sc in co.SCENARIOS:
        e = solve(p, sc, power=setting["power"])
        for key, attr in (("platform", "profit_platform"), ("participant", "profit_participant"),
                          ("total", "total")):
            got = _eval_vega(ex[f"{sc}__{key}"], alpha=1.0, **setting)
            assert got == pytest.approx(getattr(e, attr), rel=1e-12), (sc, key)


def test_static_explorer_uses_those_expressions_and_slider_domains():
    spec = co.profit_explorer().to_dict()
    params = {p["name"]: p for p in spec["params"]}
    for decl in co.SLIDERS:
        bind = params[decl.name]["bind"]
        assert (bind["min"], bind["max"], bind["step"]) == (decl.lo, decl.hi, decl.step)
        assert params[decl.name]["value"] == decl.default
    assert params["alpha"]["value"] == 1.0
    assert min(d.lo for d in co.SLIDERS if d.name != "power") > 0  # sliders stay in the domain
    power, theta = (next(d for d in co.SLIDERS if d.name == n) for n in ("power", "theta"))
    assert (power.lo, power.hi) == (0.0, 1.0) and 0 < theta.lo < theta.default == 0.5 < theta.hi < 1
    text = str(spec)
    ex = co.vega_expressions()
    for key in ("P__platform", "S__participant", "R__platform", "C__total"):
        assert ex[key] in text
    inline = re.findall(r"'values': \[(.*?)\]", text)
    assert inline and max(x.count("{") for x in inline) < 5000  # data shipped in the page


def test_region_maps_follow_theta_and_equal_region_of_solve():
    ex = co.vega_expressions()
    for theta in (0.15, 0.5, 0.75):
        grid = co.region_grid(theta=theta)
        assert len(grid) < 5000 and (theta != 0.5 or (grid.region == "equal").any())
        for row in grid.sample(20, random_state=1).itertuples():
            assert co.region(row.rho_p, row.rho_s, theta)[row.scenario][0] == row.region
        for row in grid.itertuples():  # every cell of the page's map
            cell = {"rho_p": row.rho_p, "rho_s": row.rho_s, "theta": theta}
            active = _eval_vega(ex[f"region_{row.scenario}__active"].replace("datum.", ""), **cell) > 1e-9
            lead = _eval_vega(ex[f"region_{row.scenario}__lead"].replace("datum.", ""), **cell)
            page = "inactive" if not active else "platform" if lead > 1e-9 else "participant" if lead < -1e-9 else "equal"
            assert page == row.region, (row.rho_p, row.rho_s, theta)


# --- the explorer registry ------------------------------------------------------------------------


def test_registry_declares_both_bar_panels_of_the_static_explorer():
    assert [e.name for e in co.EXPLORERS] == ["profits", "gains"]
    params = {p["name"] for p in co.profit_explorer().to_dict()["params"]}
    for e in co.EXPLORERS:
        assert e.chapter == "coopetition" and e.sliders == co.SLIDERS and e.chart is co.profit_explorer
        assert e.live is co.profit_live and (e.marktype, e.key) == ("rect", ("scenario", "party"))
        assert set(e.slider_names) <= params
        rows = e.expected(**{p.name: p.default for p in e.sliders})
        assert not rows.duplicated(list(e.key)).any()


@pytest.mark.parametrize("setting", [x for x in SETTINGS if x["theta"] == 0.5])
def test_registered_rows_equal_the_hand_derivation(setting):
    values = dict(alpha=1.0, **{k: v for k, v in setting.items() if k not in ("power", "theta")})
    gains = co.expected_gains(**setting).set_index(["scenario", "party"])["gain"]
    hand = _hand_gains(values)
    for sc in ("P", "S"):
        assert gains[(sc, "platform")] == pytest.approx(hand[sc][0], abs=1e-12)
        assert gains[(sc, "participant")] == pytest.approx(hand[sc][1], abs=1e-12)
    # R splits C's surplus over N: the two gains add up to C - N
    n_total = (values["rho_p"] + values["rho_s"]) * values["alpha"] + values["rho_p"] ** 2 * values["k_p"] ** 2 / 4 \
        + values["rho_s"] ** 2 * values["k_s"] ** 2 / 4 + values["rho_p"] * values["rho_s"] * (
            values["k_s"] ** 2 + values["k_p"] ** 2) / 2
    assert gains[("R", "platform")] + gains[("R", "participant")] == pytest.approx(_hand_total_c(values) - n_total)
    profits = co.expected_profits(**setting).set_index(["scenario", "party"])["profit"]
    assert profits[("C", "joint (centralised)")] == pytest.approx(_hand_total_c(values))
    assert profits.loc["N"].sum() == pytest.approx(n_total)
    assert len(profits) == 11


def test_registered_rows_need_every_slider_and_only_those():
    setting = dict(SETTINGS[0])
    with pytest.raises(ValueError, match="rho_q"):
        co.expected_profits(**setting, rho_q=1.0)
    del setting["power"]
    with pytest.raises(ValueError, match="power"):
        co.expected_gains(**setting)


# --- live explorer, tables, charts, data ------------------------------------------------------


def test_profit_live_sliders_match_the_static_ones():
    live = co.profit_live()
    assert isinstance(live, widgets.LiveExplorer)
    sliders = [c for c in live.widget.children if hasattr(c, "min") and hasattr(c, "step")]
    assert [(s.min, s.max, s.step, s.value) for s in sliders] == [(d.lo, d.hi, d.step, d.default) for d in co.SLIDERS]
    sliders[0].value = 1.5  # triggers a redraw without error


def test_profit_live_redraws_and_its_button_runs_the_numerical_check(monkeypatch):
    import ipywidgets

    from cocreation.coopetition import explorers

    tables, checks = [], []
    monkeypatch.setattr(explorers, "live_table", lambda frame: tables.append(frame) or frame)
    monkeypatch.setattr(explorers, "numeric_check", lambda **s: checks.append(s) or co.scenario_table())
    live = co.profit_live(alpha=2.0)
    children = live.widget.children
    button = next(c for c in children if isinstance(c, ipywidgets.Button))
    assert button.description == "Check with solve_numeric"
    assert tables and tables[-1]["total"].tolist() == co.scenario_table(alpha=2.0)["total"].tolist()
    children[1].value = 1.9  # rho_s
    assert tables[-1]["total"].tolist() == co.scenario_table(rho_s=1.9, alpha=2.0)["total"].tolist()
    button.click()
    assert checks == [dict(rho_p=1.0, rho_s=1.9, k_p=1.0, k_s=1.0, theta=0.5, power=0.5, alpha=2.0)]


def test_profit_live_shows_the_kernel_note_during_the_book_build(monkeypatch):
    monkeypatch.setenv("COCREATION_BOOK_BUILD", "1")
    assert co.profit_live().widget is None


def test_live_and_static_explorers_agree():
    setting = SETTINGS[1]
    table = co.scenario_table(**setting).set_index("scenario")
    ex = co.vega_expressions()
    for sc in co.SCENARIOS:
        assert table.loc[sc, "total"] == pytest.approx(_eval_vega(ex[f"{sc}__total"], alpha=1.0, **setting))
    check = co.numeric_check(**setting)
    assert (check["max_rel_diff"] < 1e-6).all()


def test_live_table_keeps_the_columns_the_live_explorer_shows():
    table = co.live_table(co.scenario_table())
    assert tuple(table.columns) == co.LIVE_COLUMNS
    assert table["total"].tolist() == co.scenario_table()["total"].round(4).tolist()


def test_scenario_table_and_charts():
    df = co.scenario_table()
    assert list(df["scenario"]) == list(co.SCENARIOS)
    assert df.set_index("scenario").loc["R", "gap"] == 0.0
    spec = co.profit_chart(df).to_dict()
    assert spec["encoding"]["x"]["field"] == "scenario" and spec["description"]
    share = co.share_chart().to_dict()
    assert share["description"] and len(share["layer"]) == 2


def test_claims_table_quotes_the_abstract():
    claims = data.load("coopetition_claims")
    assert list(claims["id"]) == ["claim1", "claim2", "claim3"]
    assert set(claims["source"]) == {"002"} and set(claims["locator"]) == {"Abstract"}
    assert len(data.load("coopetition_glossary")) >= 10


def test_notebook_executes(tmp_path):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nb = jupytext.read(ROOT / "book" / "coopetition" / "cooperative_advertising_game.md")
    client = nbclient.NotebookClient(nb, timeout=60, interrupt_on_timeout=True, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
