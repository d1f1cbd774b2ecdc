"""Properties of the coopetition model that a wrong formula would break (issue 21, item 4).

Each test checks a condition derived here from the model's primitives, not a value
copied from the package: every spend is its payer's best response to the rates in force
(first-order condition and a direct comparison with nearby spends), each leader's rate
beats every other rate once the follower's response is accounted for, profits are what
demand and costs make them, and R's split moves from one party's outside option to the
other's as the bargaining power goes from 0 to 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import coopetition as co
from cocreation.coopetition import Params, solve

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True)
positive = st.floats(0.05, 5.0)
curvature = st.floats(0.1, 0.85)
# theta = 0.8: spends grow like x**5, so keep the effects and margins moderate
moderate = st.floats(0.1, 2.0)


def _params(alpha, k_p, k_s, rho_p, rho_s, theta) -> Params:
    return Params(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s, theta=theta)


def _profits(p: Params, A: float, a: float, t: float, s: float) -> tuple[float, float]:
    """The primitives: demand alpha + k_p A**theta + k_s a**theta; each party earns its
    margin on demand and pays its own spend less the share the other party covers."""
    demand = p.alpha + p.k_p * A**p.theta + p.k_s * a**p.theta
    return (p.rho_p * demand - (1 - s) * A - t * a,
            p.rho_s * demand - (1 - t) * a - s * A)


def _follower_spend(margin: float, effect: float, own_share: float, theta: float) -> float:
    """argmax_x margin*effect*x**theta - own_share*x: its first-order condition
    margin*effect*theta*x**(theta-1) = own_share, solved for x."""
    return (margin * effect * theta / own_share) ** (1 / (1 - theta))


@SETTINGS
@given(alpha=positive, k_p=moderate, k_s=moderate, rho_p=moderate, rho_s=moderate, theta=curvature)
def test_each_spend_is_its_payers_best_response_to_the_rates(alpha, k_p, k_s, rho_p, rho_s, theta):
    """In N, P, S, B and R each party spends where its own marginal profit is zero (and
    no nearby spend pays more); in C the joint profit's marginal is zero."""
    p = _params(alpha, k_p, k_s, rho_p, rho_s, theta)
    for sc in ("N", "P", "S", "B", "R"):
        e = solve(p, sc)
        assert e.A == pytest.approx(_follower_spend(rho_p, k_p, 1 - e.s, theta), rel=1e-9), sc
        assert e.a == pytest.approx(_follower_spend(rho_s, k_s, 1 - e.t, theta), rel=1e-9), sc
        pp, ps = _profits(p, e.A, e.a, e.t, e.s)
        for factor in (0.9, 1.1):
            assert _profits(p, e.A * factor, e.a, e.t, e.s)[0] < pp, (sc, factor)
            assert _profits(p, e.A, e.a * factor, e.t, e.s)[1] < ps, (sc, factor)
    c = solve(p, "C")
    assert c.A == pytest.approx(_follower_spend(rho_p + rho_s, k_p, 1.0, theta), rel=1e-9)
    assert c.a == pytest.approx(_follower_spend(rho_p + rho_s, k_s, 1.0, theta), rel=1e-9)


@SETTINGS
@given(alpha=positive, k_p=moderate, k_s=moderate, rho_p=moderate, rho_s=moderate, theta=curvature)
def test_profits_demand_and_totals_follow_from_the_primitives(alpha, k_p, k_s, rho_p, rho_s, theta):
    p = _params(alpha, k_p, k_s, rho_p, rho_s, theta)
    for sc in co.SCENARIOS:
        e = solve(p, sc)
        assert e.demand == pytest.approx(alpha + k_p * e.A**theta + k_s * e.a**theta, rel=1e-12), sc
        pp, ps = _profits(p, e.A, e.a, e.t, e.s)
        assert e.profit_platform == pytest.approx(pp + e.transfer, rel=1e-9, abs=1e-12), sc
        assert e.profit_participant == pytest.approx(ps - e.transfer, rel=1e-9, abs=1e-12), sc
        assert e.total == pytest.approx(e.profit_platform + e.profit_participant, rel=1e-12), sc
        assert e.phi == pytest.approx(e.profit_platform / e.total, rel=1e-12), sc
        assert 0 <= e.t < 1 and 0 <= e.s < 1, sc
        if sc != "R":
            assert e.transfer == 0.0, sc
    for sc in ("N", "C"):
        assert solve(p, sc).t == 0.0 and solve(p, sc).s == 0.0
    assert solve(p, "P").s == 0.0 and solve(p, "S").t == 0.0


def _leader_profit_p(p: Params, t: float) -> float:
    """The platform's profit in P when it sets t and the participant responds."""
    a = _follower_spend(p.rho_s, p.k_s, 1 - t, p.theta)
    A = _follower_spend(p.rho_p, p.k_p, 1.0, p.theta)
    return _profits(p, A, a, t, 0.0)[0]


def _leader_profit_s(p: Params, s: float) -> float:
    A = _follower_spend(p.rho_p, p.k_p, 1 - s, p.theta)
    a = _follower_spend(p.rho_s, p.k_s, 1.0, p.theta)
    return _profits(p, A, a, 0.0, s)[1]


@SETTINGS
@given(alpha=positive, k_p=moderate, k_s=moderate, rho_p=moderate, rho_s=moderate, theta=curvature)
def test_each_leaders_rate_beats_every_other_rate(alpha, k_p, k_s, rho_p, rho_s, theta):
    """P's t and S's s (also B's, which pairs them) maximise the leader's profit over a
    grid of rates in [0, 1), the follower responding to each."""
    p = _params(alpha, k_p, k_s, rho_p, rho_s, theta)
    grid = np.linspace(0, 0.98, 99)
    t, s = solve(p, "P").t, solve(p, "S").s
    best_t = _leader_profit_p(p, t)
    best_s = _leader_profit_s(p, s)
    scale = 1e-9 * (1 + abs(best_t) + abs(best_s))
    assert all(_leader_profit_p(p, x) <= best_t + scale for x in grid)
    assert all(_leader_profit_s(p, x) <= best_s + scale for x in grid)
    b = solve(p, "B")
    assert (b.t, b.s) == pytest.approx((t, s), rel=1e-12, abs=1e-15)
    # no support exactly when the interior rate would be negative
    assert (t == 0.0) == (rho_p <= (1 - theta) * rho_s)
    assert (s == 0.0) == (rho_s <= (1 - theta) * rho_p)


@SETTINGS
@given(alpha=positive, k_p=moderate, k_s=moderate, rho_p=moderate, rho_s=moderate, theta=curvature,
       power=st.floats(0, 1), benchmark=st.sampled_from(["B", "P", "S", "N"]))
def test_r_splits_the_centralised_profit_between_the_outside_options(
        alpha, k_p, k_s, rho_p, rho_s, theta, power, benchmark):
    """R reaches C's joint profit; at power 0 the platform gets exactly its outside
    option, at power 1 the participant does, and in between the platform's share grows
    linearly with power (its profit minus the outside option is power times the surplus)."""
    p = _params(alpha, k_p, k_s, rho_p, rho_s, theta)
    c_total = solve(p, "C").total
    out = solve(p, benchmark)
    surplus = c_total - out.total
    r = solve(p, "R", power=power, benchmark=benchmark)
    assert r.total == pytest.approx(c_total, rel=1e-12)
    assert r.profit_platform == pytest.approx(out.profit_platform + power * surplus, rel=1e-9, abs=1e-12)
    assert r.profit_participant == pytest.approx(out.profit_participant + (1 - power) * surplus, rel=1e-9, abs=1e-12)
    lo, hi = co.feasible_phi(p, benchmark=benchmark)
    assert lo == pytest.approx(out.profit_platform / c_total, rel=1e-12)
    assert hi == pytest.approx(1 - out.profit_participant / c_total, rel=1e-12)
    assert lo - 1e-12 <= r.phi <= hi + 1e-12
    # the coordinating rates: each party pays the share of its own spend that its margin is of the total
    assert 1 - r.t == pytest.approx(rho_s / (rho_p + rho_s), rel=1e-12)
    assert 1 - r.s == pytest.approx(rho_p / (rho_p + rho_s), rel=1e-12)


def test_best_benchmark_takes_each_partys_better_of_p_and_s():
    p = Params(rho_p=1.0, rho_s=0.8, k_p=1.3, k_s=0.7)
    ps, ss = solve(p, "P"), solve(p, "S")
    lo, hi = co.feasible_phi(p, benchmark="best")
    c_total = solve(p, "C").total
    assert lo == pytest.approx(max(ps.profit_platform, ss.profit_platform) / c_total, rel=1e-12)
    assert hi == pytest.approx(1 - max(ps.profit_participant, ss.profit_participant) / c_total, rel=1e-12)


def test_scenario_table_at_the_defaults_by_hand():
    """theta = 1/2, alpha = k = rho_p = 1, rho_s = 1/2, worked out by hand:
    N: A = (1/2)**2 = 1/4, a = (1/4)**2 = 1/16, demand 7/4, profits 3/2 and 13/16 (total 37/16);
    C: A = a = (3/4)**2 = 9/16, demand 5/2, total 3/2 * 5/2 - 9/8 = 21/8;
    P: t = (1 - 1/4)/(1 + 1/4) = 3/5, a = (1/4 / (2/5))**2 = 25/64, demand 1 + 1/2 + 5/8 = 17/8,
       platform 17/8 - 1/4 - 3/5 * 25/64 = 105/64, participant 17/16 - 2/5 * 25/64 = 29/32."""
    table = co.scenario_table().set_index("scenario")
    assert table.loc["N", "total"] == pytest.approx(37 / 16)
    assert table.loc["C", "total"] == pytest.approx(21 / 8)
    # the gap is measured against C's total, not the scenario's own
    assert table.loc["N", "gap"] == pytest.approx((21 / 8 - 37 / 16) / (21 / 8))
    assert table.loc["P", "t"] == pytest.approx(3 / 5)
    assert table.loc["P", "a"] == pytest.approx(25 / 64)
    assert table.loc["P", "profit_platform"] == pytest.approx(105 / 64)
    assert table.loc["P", "profit_participant"] == pytest.approx(29 / 32)
    gain_p = table.loc["P", "profit_platform"] - 3 / 2
    gain_s = table.loc["P", "profit_participant"] - 13 / 16
    assert table.loc["P", "gain_platform"] == pytest.approx(gain_p)
    assert table.loc["P", "gain_participant"] == pytest.approx(gain_s)
    assert table.loc["P", "platform_share_of_gain"] == pytest.approx(gain_p / (gain_p + gain_s))
    # S is inactive here (rho_s = 1/2 <= (1 - 1/2) * rho_p): no gain, so no share of it
    assert table.loc["S", "s"] == 0.0 and np.isnan(table.loc["S", "platform_share_of_gain"])
    assert table.loc["R", "gap"] == 0.0 and table.loc["C", "gap"] == 0.0
    assert np.isnan(table.loc["C", "phi"]) and not table.drop(index="C")["phi"].isna().any()


@SETTINGS
@given(alpha=positive, k_p=moderate, k_s=moderate, rho_p=moderate, rho_s=moderate, theta=curvature)
def test_efficiency_gap_is_the_share_of_cs_total_left_unrealised(alpha, k_p, k_s, rho_p, rho_s, theta):
    p = _params(alpha, k_p, k_s, rho_p, rho_s, theta)
    c_total = solve(p, "C").total
    table = co.scenario_table(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s, theta=theta).set_index("scenario")
    for sc in ("N", "P", "S", "B"):
        gap = (c_total - solve(p, sc).total) / c_total
        assert co.efficiency_gap(p, sc) == pytest.approx(gap, rel=1e-9, abs=1e-15)
        assert table.loc[sc, "gap"] == pytest.approx(gap, rel=1e-9, abs=1e-15)
        assert gap >= -1e-12
    assert co.efficiency_gap(p, "R") == pytest.approx(0.0, abs=1e-12)


@SETTINGS
@given(rho_p=moderate, rho_s=moderate, theta=curvature)
def test_region_labels_who_gains_more_from_p_and_s(rho_p, rho_s, theta):
    """region() from the gains recomputed with solve: inactive without support, else the
    party with the larger gain over N (equal within rounding)."""
    p = Params(rho_p=rho_p, rho_s=rho_s, theta=theta)
    n_ = solve(p, "N")
    labels = co.region(rho_p, rho_s, theta)
    for sc, rate in (("P", "t"), ("S", "s")):
        e = solve(p, sc)
        gp, gs = e.profit_platform - n_.profit_platform, e.profit_participant - n_.profit_participant
        if getattr(e, rate) == 0.0:
            expected = "inactive"
        elif abs(gp - gs) <= 1e-9 * n_.total:
            continue  # a tie within rounding: either label would do
        else:
            expected = "platform" if gp > gs else "participant"
        assert labels[sc].tolist() == [expected], (sc, gp, gs)


def test_region_grid_covers_the_square_once_per_scenario():
    g = co.region_grid(step=0.5, lo=0.5, hi=2.0)
    values = [0.5, 1.0, 1.5, 2.0]
    for sc in ("P", "S"):
        part = g[g["scenario"] == sc]
        assert sorted(set(part["rho_p"])) == values and sorted(set(part["rho_s"])) == values
        assert len(part) == len(values) ** 2
        for row in part.itertuples():
            assert row.region == co.region(row.rho_p, row.rho_s)[sc][0]


def test_numeric_check_defaults_are_the_scenario_tables():
    """numeric_check takes scenario_table's parameters, with the same defaults: its
    closed-form columns are the table's profits and rates."""
    check = co.numeric_check().set_index("scenario")
    table = co.scenario_table().set_index("scenario")
    for col in ("profit_platform", "profit_participant", "t", "s"):
        assert check[col].to_numpy() == pytest.approx(table.loc[check.index, col].to_numpy(), rel=1e-12, abs=1e-15), col
    assert (check["max_rel_diff"] < 1e-6).all()


@SETTINGS
@given(alpha=positive, k_p=moderate, k_s=moderate, rho_p=moderate, rho_s=moderate, theta=curvature,
       power=st.floats(0, 1))
def test_r_and_c_realise_all_the_value_the_table_shows_no_gap(alpha, k_p, k_s, rho_p, rho_s, theta, power):
    """R reaches C's joint profit, so both rows show a gap of exactly 0 (not a rounding
    residue such as -1e-16, which the page would print as -0.0%); every gap is >= 0."""
    table = co.scenario_table(alpha=alpha, k_p=k_p, k_s=k_s, rho_p=rho_p, rho_s=rho_s, theta=theta,
                              power=power).set_index("scenario")
    assert table.loc["R", "gap"] == 0.0 and table.loc["C", "gap"] == 0.0
    assert (table["gap"] >= 0).all()
    assert table.index.is_unique and co.region_grid(step=0.5, lo=0.5, hi=1.0).index.is_unique
