"""Properties of the OLI simulator that a wrong formula would break (issue 21, item 4).

The model's loops have closed forms when parts of it are switched off, derived here
from the module docstring's equations (not from the code):

* no learning (``learning_rate = 0``): each engagement part decays geometrically,
  ``x_t = x_1 (1 - δ)**(t - 1)``;
* no lapses and no learning, so the effective engagement ``u = κ x`` is constant: each
  advantage grows as ``A_t = 1 - (1 - γ u)**(t - 1)`` (linkage from reply speed,
  integration from the use of tools), and structural readiness with partners is
  ``s_t = s + (1 - s) β_I I_t``;
* with every probability constant, the expected open leads follow
  ``L_t = (1 - h1 - ℓ) L_{t-1} + R_t`` (first purchases ``h1 L_t``) and the one-time
  buyers ``B_t = (1 - h2 - b) B_{t-1} + F_t`` (repeat purchases ``h2 B_t``).

And the stochastic run's mean over many seeds is the expectation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import oli

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
unit = st.floats(0.0, 1.0)
inner = st.floats(0.05, 0.95)
#: Everything that moves over time switched off: no learning, no lapses, no advantages.
FROZEN = dict(learning_rate=0.0, lapse=0.0, advantage_rate=0.0)


def _kappa(d: float, floor: float = 0.25) -> float:
    """Share of each engagement part that gets through at readiness index d."""
    return floor + (1 - floor) * d


def _by_stage(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    return {s: frame.loc[frame["stage"] == s, "count"].to_numpy(float) for s in oli.STAGES}


@SETTINGS
@given(s=unit, m=unit, x=inner, lapse=st.floats(0.0, 0.5))
def test_without_learning_engagement_decays_geometrically(s, m, x, lapse):
    dr = oli.drivers(oli.Disposition(s, m), x, months=12, learning_rate=0.0, lapse=lapse, advantage_rate=0.0)
    kappa = _kappa((s + m) / 2)
    want = kappa * x * (1 - lapse) ** np.arange(12)
    assert np.allclose(dr["engagement"], want, rtol=1e-12, atol=1e-15)
    assert np.allclose(dr["structural"], s)
    for adv in oli.ADVANTAGES:
        assert (dr[adv] == 0).all()


@SETTINGS
@given(s=unit, m=unit, reply=inner, mkt=inner, gamma=st.floats(0.01, 1.0), beta=st.floats(0.0, 1.0))
def test_advantages_grow_towards_one_at_the_rate_of_the_engagement_behind_them(s, m, reply, mkt, gamma, beta):
    """Linkage from reply speed, integration from marketing tools; integration fills
    the structural gap. Readiness changes with integration, so the closed form holds for
    linkage only while s is fixed: take beta = 0 for linkage, and check integration and
    structural readiness with any beta."""
    eng = oli.Engagement(reply, mkt, 0.5, 0.5)
    months = np.arange(10)
    fixed = oli.drivers(oli.Disposition(s, m), eng, months=10, learning_rate=0.0, lapse=0.0,
                        advantage_rate=gamma, integration_boost=0.0)
    u_reply = _kappa((s + m) / 2) * reply
    assert np.allclose(fixed["linkage"], 1 - (1 - gamma * u_reply) ** months, rtol=1e-10, atol=1e-13)
    moving = oli.drivers(oli.Disposition(s, m), eng, months=10, learning_rate=0.0, lapse=0.0,
                         advantage_rate=gamma, integration_boost=beta)
    assert np.allclose(moving["structural"], s + (1 - s) * beta * moving["integration"], rtol=1e-12, atol=1e-15)
    # integration: A_{t+1} = A_t + gamma * kappa_t * mkt * (1 - A_t), kappa_t from s_t
    integ = moving["integration"].to_numpy()
    kappa_t = _kappa((moving["structural"].to_numpy() + m) / 2)
    assert integ[0] == 0.0
    assert np.allclose(integ[1:], integ[:-1] + gamma * kappa_t[:-1] * mkt * (1 - integ[:-1]), rtol=1e-10, atol=1e-13)
    assert (np.diff(integ) >= 0).all() and (integ <= 1).all()


@SETTINGS
@given(d=unit, e=inner, lead_loss=st.floats(0.0, 0.9), buyer_loss=st.floats(0.0, 0.9))
def test_expected_pools_follow_the_geometric_recursion(d, e, lead_loss, buyer_loss):
    """With every probability constant, month t's first purchases are h1 times the open
    leads (this month's RFQs plus last month's leads that neither bought nor went cold),
    and repeat purchases are h2 times the one-time buyers kept the same way."""
    exp = _by_stage(oli.expected_funnel(d, e, months=12, lead_loss=lead_loss, buyer_loss=buyer_loss, **FROZEN))
    rfqs, first, repeat = exp["exploration"], exp["expansion"], exp["commitment"]
    assert np.allclose(rfqs, rfqs[0])  # nothing moves: the same RFQs every month
    h1 = first[0] / rfqs[0]
    leads = buyers = 0.0
    for t in range(12):
        leads = leads + rfqs[t]
        assert first[t] == pytest.approx(h1 * leads, rel=1e-10)
        leads *= 1 - h1 - lead_loss
        buyers = buyers + first[t]
        if t == 0:
            h2 = repeat[0] / buyers
        assert repeat[t] == pytest.approx(h2 * buyers, rel=1e-10)
        buyers *= 1 - h2 - buyer_loss


@SETTINGS
@given(d=unit, e=unit)
def test_first_purchase_and_repeat_probabilities_scale_with_their_rates(d, e):
    """h1 is proportional to first_max * brand_appeal, h2 to commit_max (the same
    engagement and readiness): doubling one doubles the month-one purchases."""
    base = _by_stage(oli.expected_funnel(d, e, months=1, **FROZEN))
    more_first = _by_stage(oli.expected_funnel(d, e, months=1, first_max=0.006, **FROZEN))
    more_brand = _by_stage(oli.expected_funnel(d, e, months=1, brand_appeal=2.0, **FROZEN))
    more_commit = _by_stage(oli.expected_funnel(d, e, months=1, commit_max=0.1, **FROZEN))
    assert more_first["expansion"][0] == pytest.approx(2 * base["expansion"][0], rel=1e-12)
    assert more_brand["expansion"][0] == pytest.approx(2 * base["expansion"][0], rel=1e-12)
    assert more_commit["commitment"][0] == pytest.approx(2 * base["commitment"][0], rel=1e-12)
    assert more_commit["expansion"][0] == pytest.approx(base["expansion"][0], rel=1e-12)
    # views at d = 1 and full marketing reach views_max; RFQs per view at full involvement and speed reach rfq_max
    top = _by_stage(oli.expected_funnel(1.0, 1.0, months=1, **FROZEN))
    assert top["awareness"][0] == pytest.approx(oli.Rates().views_max)
    assert top["exploration"][0] / top["awareness"][0] == pytest.approx(oli.Rates().rfq_max)


def test_the_mean_of_many_runs_is_the_expectation():
    """simulate's draws (Poisson views, binomial RFQs, multinomial leads and buyers) have
    the expectation's mean: over 300 seeds each stage's total is within 4 standard errors."""
    kw = dict(months=12, lead_loss=0.3, buyer_loss=0.4, first_max=0.02, commit_max=0.3, rfq_max=1e-4)
    disp, eng = oli.Disposition(0.7, 0.5), oli.Engagement(0.8, 0.6, 0.7, 0.4)
    totals = pd.DataFrame([
        oli.simulate(disp, eng, seed=seed, **kw).groupby("stage")["count"].sum() for seed in range(300)
    ])
    exp = oli.expected_funnel(disp, eng, **kw).groupby("stage")["count"].sum()
    se = totals.std() / math.sqrt(len(totals))
    for stage in oli.STAGES:
        assert abs(totals[stage].mean() - exp[stage]) < 4 * se[stage], stage
        assert se[stage] > 0, stage


def test_simulate_many_matches_simulate_in_distribution():
    """simulate_many (vectorised) and simulate draw from the same model: means agree."""
    kw = dict(months=6, lead_loss=0.3, buyer_loss=0.4, first_max=0.02, commit_max=0.3)
    many = oli.simulate_many(0.6, 0.6, n_runs=2000, seed=1, **kw)
    exp = oli.expected_funnel(0.6, 0.6, **kw).groupby("stage")["count"].sum()
    for col, stage in (("views", "awareness"), ("rfqs", "exploration"), ("first", "expansion"), ("repeat", "commitment")):
        se = many[col].std() / math.sqrt(len(many))
        assert abs(many[col].mean() - exp[stage]) < 4 * se + 1e-9, col


@SETTINGS
@given(s=unit, m=unit, base=st.floats(0.1, 10), expectation=st.floats(0, 10))
def test_renewal_threshold_is_the_need_plus_the_unmet_expectation(s, m, base, expectation):
    got = oli.renewal_threshold(oli.Disposition(s, m), base_need=base, expectation=expectation)
    assert got == pytest.approx(base + expectation * (1 - m), rel=1e-12)


def test_renews_exactly_when_the_value_reaches_the_threshold():
    run = pd.DataFrame({"stage": ["exploration", "expansion", "commitment"], "count": [0, 3, 1], "structural": 1.0})
    value = oli.renewal_value(run)  # (3 - 1) + 5 * 1 = 7, no stress at full structural readiness
    assert value == 7.0
    # threshold 1 + 5 (1 - m): 7 at m = -0.2 (impossible), 6 at m = 0; set base_need to hit 7 exactly
    assert oli.renews(run, oli.Disposition(1.0, 1.0), base_need=7.0)
    assert not oli.renews(run, oli.Disposition(1.0, 1.0), base_need=7.0 + 1e-9)
    assert oli.renews(run, oli.Disposition(1.0, 0.0), base_need=2.0)  # 2 + 5 = 7
    assert not oli.renews(run, oli.Disposition(1.0, 0.0), base_need=2.001)


# --- domains at their edges ------------------------------------------------------------


def test_shares_of_the_open_leads_and_of_the_buyers_may_add_up_to_one():
    """Buying, going cold and staying open are shares of the open leads (and repeat,
    lapse, stay of the one-time buyers): together they may take every lead (sum 1, no
    lead stays open), never more. Values chosen so the sums are exact in binary."""
    leads = dict(lead_loss=0.5, first_max=0.25, brand_appeal=1.0, open_boost=1.0)  # 0.5 + 0.25 * 2 = 1
    buyers = dict(buyer_loss=0.75, commit_max=0.25)
    oli.Rates(**leads, **buyers)
    run = oli.simulate(1.0, 1.0, months=6, seed=2, **leads, **buyers)
    assert (run["count"] >= 0).all()
    with pytest.raises(ValueError, match="lead_loss"):
        oli.Rates(**leads | {"lead_loss": 0.5 + 2**-20})
    with pytest.raises(ValueError, match="buyer_loss"):
        oli.Rates(**buyers | {"buyer_loss": 0.75 + 2**-20})


def test_rates_at_zero_where_zero_means_switched_off():
    """No lead goes cold, no buyer lapses, no lapses of attention: allowed (a closed end)."""
    exp = _by_stage(oli.expected_funnel(0.5, 0.5, months=3, lead_loss=0.0, buyer_loss=0.0, lapse=0.0))
    assert (np.diff(np.cumsum(exp["expansion"])) >= 0).all()
    for name in ("base_need", "brand_appeal", "views_max"):  # open at 0: a firm needs sales, views exist
        with pytest.raises(ValueError, match=name):
            oli.Rates(**{name: 0.0})


def test_presets_are_frozen():
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        oli.PRESETS["B"].case = "A"


def test_preset_sensitivity_runs_at_most_the_documented_20000():
    assert "at most 20,000" in " ".join(oli.preset_sensitivity.__doc__.split())
    with pytest.raises(ValueError, match=r"n_draws \* n_runs"):
        oli.preset_sensitivity(n_draws=20_001, n_runs=1)
    with pytest.raises(ValueError, match=r"n_draws \* n_runs"):
        oli.preset_sensitivity(n_draws=101, n_runs=199)


def test_a_number_not_read_from_the_case_gets_the_free_range():
    """Every preset number is read from its own case or labelled a free choice: a
    parameter the grounds table does not list for a case is free, with the wider step."""
    g = oli.grounds()
    for case in oli.CASES:
        listed = set(g.loc[g["case"] == case, "parameter"])
        ranges = oli.parameter_ranges(case).set_index("parameter")
        for name, spec in oli.UNCERTAIN.items():
            if name not in listed:
                assert bool(ranges.loc[name, "free"]), (case, name)
                value = ranges.loc[name, "value"]
                assert ranges.loc[name, "hi"] == pytest.approx(min(spec["hi"], value + spec["free"]), abs=1e-6)


# --- many runs and the live simulator's model ------------------------------------------


def test_the_smallest_requests_are_answered():
    """One run of one month is in the domain of every runner."""
    assert len(oli.simulate_many(0.5, 0.5, months=1, n_runs=1)) == 1
    assert len(oli.simulate(0.5, 0.5, months=1)) == len(oli.STAGES)
    assert len(oli.simulator_run(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, months=1)) == 2 * len(oli.STAGES)


def test_the_live_simulator_without_its_optional_knobs_is_the_models_default():
    """simulator_run's defaults are the model's: Rates() for learning, brand appeal and
    lapses, and simulate's seed; its rows are simulate's and expected_funnel's, once each."""
    knobs = (0.85, 0.45, 0.8, 0.95, 0.9, 0.5)
    r = oli.Rates()
    out = oli.simulator_run(*knobs, months=6)
    same = oli.simulator_run(*knobs, months=6, learning_rate=r.learning_rate, brand_appeal=r.brand_appeal,
                             lapse=r.lapse, seed=0)
    assert out.equals(same)
    disp, eng = oli.Disposition(*knobs[:2]), oli.Engagement(*knobs[2:])
    run = out[out["series"] == "simulated run"].drop(columns=["series", "renews", "value", "threshold"])
    pd.testing.assert_frame_equal(run.reset_index(drop=True), oli.simulate(disp, eng, months=6), check_dtype=False)
    assert out.index.is_unique and list(out.index) == list(range(len(out)))
    assert (out["threshold"] == oli.renewal_threshold(disp)).all()
    assert (out["renews"] == (out["value"] >= out["threshold"])).all()
