"""The coopetition game: closed forms, numerical solution, the abstract's claims, explorers.

Expected values come from derivations done independently of the package: by hand
(written out below) or by sympy from the model's primitives (``derive``).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import coopetition as co
from cocreation import data, widgets
from cocreation.coopetition import Params, solve, solve_numeric
from cocreation.coopetition import numeric
from conftest import ROOT

FIELDS = ("A", "a", "t", "s", "phi", "demand", "profit_platform", "profit_participant", "total")
positive = st.floats(min_value=0.05, max_value=5.0, allow_nan=False, allow_infinity=False)


def _draws(n: int, seed: int) -> list[dict[str, float]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        out.append(dict(alpha=rng.uniform(0.1, 5), k_p=rng.uniform(0.1, 3), k_s=rng.uniform(0.1, 3),
                        rho_p=rng.uniform(0.1, 3), rho_s=rng.uniform(0.1, 3)))
    return out


def _array_params(n: int = 20000, seed: int = 7) -> Params:
    rng = np.random.default_rng(seed)
    return Params(alpha=rng.uniform(0.1, 5, n), k_p=rng.uniform(0.1, 3, n), k_s=rng.uniform(0.1, 3, n),
                  rho_p=rng.uniform(0.1, 3, n), rho_s=rng.uniform(0.1, 3, n))


# --- hand derivation (independent of the package) ----------------------------------------
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


# --- closed forms = sympy backward induction ------------------------------------------------


@pytest.fixture(scope="module")
def derivation():
    return co.derive()


class _InteriorOps:
    """Closed forms on the interior branch (support active): max(0, x) -> x."""

    sqrt = staticmethod(sp.sqrt)

    @staticmethod
    def max(x, y):
        return y


def test_closed_forms_equal_the_sympy_derivation(derivation):
    sym = derivation.symbols
    values = {k: sym[k] for k in ("alpha", "k_p", "k_s", "rho_p", "rho_s")}
    cf = co.closed_forms(values, power=sp.Rational(1, 2), benchmark="P", ops=_InteriorOps)
    for sc in ("N", "P", "S", "C"):
        for key in ("A", "a", "t", "s", "profit_platform", "profit_participant"):
            diff = sp.simplify(cf[sc][key] - derivation.results[sc][key])
            assert diff == 0, (sc, key, cf[sc][key], derivation.results[sc][key])
    for key in ("A", "a", "t", "s"):
        assert sp.simplify(cf["R"][key] - derivation.results["R"][key]) == 0, key
    total_r = cf["R"]["profit_platform"] + cf["R"]["profit_participant"]
    derived = derivation.results["R"]["profit_platform"] + derivation.results["R"]["profit_participant"]
    assert sp.simplify(total_r - derived) == 0


def test_derivation_matches_the_textbook_results(derivation):
    rp, rs = derivation.symbols["rho_p"], derivation.symbols["rho_s"]
    assert sp.simplify(derivation.results["P"]["t"] - (2 * rp - rs) / (2 * rp + rs)) == 0
    assert sp.simplify(derivation.results["S"]["s"] - (2 * rs - rp) / (2 * rs + rp)) == 0
    assert sp.simplify(derivation.results["R"]["t"] - rp / (rp + rs)) == 0
    # R spends are the centralised spends: the coordinating rates work.
    for key in ("A", "a"):
        assert sp.simplify(derivation.results["R"][key] - derivation.results["C"][key]) == 0


# --- solve = solve_numeric ---------------------------------------------------------------------

NUMERIC_DRAWS = _draws(200, seed=2024)


@pytest.mark.parametrize("scenario", ["N", "P", "S", "C", "R"])
def test_closed_forms_equal_nested_numerical_optimisation(scenario):
    rng = np.random.default_rng(11)
    corners = 0
    for values in NUMERIC_DRAWS:
        p = Params(**values)
        power = float(rng.uniform())
        e, n = solve(p, scenario, power=power), solve_numeric(p, scenario, power=power)
        for key in FIELDS:
            x, y = getattr(e, key), getattr(n, key)
            assert y == pytest.approx(x, rel=1e-6, abs=1e-9), (scenario, key, values)
        assert n.transfer == pytest.approx(e.transfer, abs=1e-6 * e.total)
        corners += (scenario == "P" and e.t == 0) or (scenario == "S" and e.s == 0)
    if scenario in ("P", "S"):
        assert corners > 20, "the draws should include corner solutions"


def test_vectorised_solve_equals_scalar_solve():
    draws = _draws(25, seed=3)
    arr = Params(**{k: np.array([d[k] for d in draws]) for k in draws[0]})
    for sc in co.SCENARIOS:
        vec = solve(arr, sc, power=0.3)
        for i, d in enumerate(draws):
            one = solve(Params(**d), sc, power=0.3)
            for key in FIELDS:
                assert getattr(vec, key)[i] == pytest.approx(getattr(one, key), rel=1e-12)


# --- corners and validation ----------------------------------------------------------------


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
    # the numerical solver finds the same corners
    assert solve_numeric(Params(rho_p=1.0, rho_s=2.5), "P").t == 0.0
    assert solve_numeric(Params(rho_p=2.5, rho_s=1.0), "S").s == 0.0


@pytest.mark.parametrize("name", ["alpha", "k_p", "k_s", "rho_p", "rho_s"])
@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_invalid_parameters_name_the_parameter(name, bad):
    with pytest.raises(ValueError, match=name):
        Params(**{name: bad})
    with pytest.raises(ValueError, match=name):
        Params(**{name: np.array([1.0, bad])})


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
    (lambda: co.Equilibrium("Q", *[0.0] * 9), "scenario"),
    (lambda: co.closed_forms({**_ONE, "k_s": -1.0}), "k_s"),
    (lambda: co.closed_forms({k: v for k, v in _ONE.items() if k != "alpha"}), "alpha"),
    (lambda: co.closed_forms(_ONE, power=2.0), "power"),
    (lambda: co.closed_forms(_ONE, benchmark="R"), "benchmark"),
    (lambda: co.feasible_phi(_P, benchmark="worst"), "benchmark"),
    (lambda: co.feasible_phi(_ONE), "p"),
    (lambda: co.efficiency_gap(_P, "Z"), "scenario"),
    (lambda: co.efficiency_gap(_P, "R", power=-0.5), "power"),
    (lambda: co.region(np.array([1.0, -1.0]), 0.5), "rho_p"),
    (lambda: co.region(1.0, float("inf")), "rho_s"),
    (lambda: co.region_grid(step=0.0), "step"),
    (lambda: co.region_grid(lo=-0.1), "lo"),
    (lambda: co.region_grid(hi=0.05), "hi"),
    (lambda: co.region_grid(step=1e-4), "region grid"),
    (lambda: co.scenario_table(rho_p=0.0), "rho_p"),
    (lambda: co.scenario_table(k_s=float("nan")), "k_s"),
    (lambda: co.scenario_table(alpha=-2.0), "alpha"),
    (lambda: co.scenario_table(power=1.01), "power"),
    (lambda: co.scenario_table(benchmark="C"), "benchmark"),
    (lambda: co.numeric_check(rho_s=-0.5), "rho_s"),
    (lambda: co.numeric_check(power=2.0), "power"),
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
    assert not p.scalar()


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
    # the region map says the same
    reg = co.region(rp, rs)
    clear = (np.abs(rp - 1.5 * rs) > 1e-3) & (np.abs(2 * rp - rs) > 1e-3)
    expected_p = np.where(2 * rp <= rs, "inactive", np.where(rp > 1.5 * rs, "platform", "participant"))
    np.testing.assert_array_equal(reg["P"][clear], expected_p[clear])


def test_claim2_equal_margins_the_supporting_leader_captures_only_a_third():
    row = co.scenario_table(rho_p=1.0, rho_s=1.0).set_index("scenario")
    assert row.loc["P", "platform_share_of_gain"] == pytest.approx(1 / 3)
    assert row.loc["S", "platform_share_of_gain"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("fallback", ["best", "P", "S", "N"])
def test_claim3_profit_sharing_reaches_c_and_a_feasible_split_exists(fallback):
    p = _array_params(seed=8)
    v = {k: x for k, x in p.arrays().items()}
    c_total = solve(p, "C").total
    np.testing.assert_allclose(c_total, _hand_total_c(v), rtol=1e-12)
    if fallback == "best":
        P, S = solve(p, "P"), solve(p, "S")
        bp = np.maximum(P.profit_platform, S.profit_platform)
        bs = np.maximum(P.profit_participant, S.profit_participant)
    else:
        b = solve(p, fallback)
        bp, bs = b.profit_platform, b.profit_participant
    surplus = c_total - bp - bs
    assert (surplus > 0).all(), "C exceeds the benchmark profits for every draw"
    lo, hi = co.feasible_phi(p, benchmark=fallback)
    assert (lo <= hi).all()  # a feasible phi whenever C > the benchmark
    for power in (0.0, 0.37, 1.0):
        r = solve(p, "R", power=power, benchmark=fallback)
        np.testing.assert_allclose(r.total, c_total, rtol=1e-12)
        tol = 1e-10 * c_total
        assert (r.profit_platform >= bp - tol).all() and (r.profit_participant >= bs - tol).all()
        # bargaining power splits the surplus linearly (generalised Nash bargaining)
        np.testing.assert_allclose(r.profit_platform - bp, power * surplus, atol=1e-10 * c_total.max())


@settings(max_examples=200, deadline=None)
@given(alpha=positive, k_p=positive, k_s=positive, rho_p=positive, rho_s=positive)
def test_centralised_total_is_the_largest_and_gaps_are_nonnegative(alpha, k_p, k_s, rho_p, rho_s):
    p = Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s)
    c = solve(p, "C").total
    for sc in ("N", "P", "S"):
        assert solve(p, sc).total < c
        assert 0 < co.efficiency_gap(p, sc) < 1
    assert co.efficiency_gap(p, "R") == pytest.approx(0.0, abs=1e-12)


def test_coordinating_rates_make_each_party_choose_the_centralised_spend():
    # given the rates, no unilateral deviation from the C spend pays (checked on a grid)
    for values in _draws(20, seed=5):
        p = Params(**values)
        r = solve(p, "R")
        for scale in (0.9, 0.99, 1.01, 1.1):
            pp0, ps0 = numeric._payoffs(values, r.A, r.a, r.t, r.s)
            pp1, _ = numeric._payoffs(values, r.A * scale, r.a, r.t, r.s)
            _, ps1 = numeric._payoffs(values, r.A, r.a * scale, r.t, r.s)
            assert pp1.real < pp0.real and ps1.real < ps0.real


# --- the static explorer: generated Vega expressions evaluated in Python ----------------------

_VEGA_FUNCS = {"sqrt": math.sqrt, "pow": math.pow, "max": max, "min": min}


def _eval_vega(expr: str, **values: float) -> float:
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", expr))
    assert names <= set(_VEGA_FUNCS) | set(values), names - set(_VEGA_FUNCS) - set(values)
    assert not re.search(r"\*\*|\?|&&|\|\||Math", expr)  # only syntax shared by JS and Python
    return float(eval(expr, {"__builtins__": {}}, {**_VEGA_FUNCS, **values}))  # noqa: S307


SETTINGS = [
    dict(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0, power=0.5),
    dict(rho_p=0.3, rho_s=1.9, k_p=0.4, k_s=1.7, power=0.0),
    dict(rho_p=1.5, rho_s=1.0, k_p=2.0, k_s=0.1, power=1.0),
    dict(rho_p=0.1, rho_s=0.1, k_p=0.1, k_s=2.0, power=0.25),
    dict(rho_p=2.0, rho_s=0.1, k_p=1.3, k_s=0.6, power=0.8),
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
    power = next(d for d in co.SLIDERS if d.name == "power")
    assert (power.lo, power.hi) == (0.0, 1.0)
    text = str(spec)
    ex = co.vega_expressions()
    for key in ("P__platform", "S__participant", "R__platform", "C__total"):
        assert ex[key] in text
    for name, rows in spec["datasets"].items():
        assert len(rows) < 5000, name


def test_region_grid_equals_region_of_solve():
    grid = co.region_grid()
    assert len(grid) < 5000
    sample = grid.sample(60, random_state=0)
    for _, row in sample.iterrows():
        assert co.region(row.rho_p, row.rho_s)[row.scenario][0] == row.region


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


@pytest.mark.parametrize("setting", SETTINGS)
def test_registered_rows_equal_the_hand_derivation(setting):
    values = dict(alpha=1.0, **{k: v for k, v in setting.items() if k != "power"})
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
    assert len(profits) == 9


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
    assert checks == [dict(rho_p=1.0, rho_s=1.9, k_p=1.0, k_s=1.0, power=0.5, alpha=2.0)]


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
