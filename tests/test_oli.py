"""Tests of the new OLI chapter: its data (source 004), the illustrative simulator and the explorers.

They mirror the subpackage ``cocreation.oli``: data and presets, model, tables and
figures, explorers, and the validation of every public function's inputs.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import data, oli, widgets
from cocreation.oli import explorers, model, presets

ROOT = Path(__file__).resolve().parents[1]
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


# --- data -----------------------------------------------------------------------


def test_five_cases_with_table1_fields():
    cases = data.load("oli_cases")
    assert cases["id"].tolist() == ["A", "B", "C", "D", "E"]
    for field in ("employees", "interviewees", "first_interview", "second_interview", "products", "customers",
                  "subscribed_year", "subscribed_why", "already_exporting", "result_positive",
                  "result_negative", "stayed"):
        assert cases[field].notna().all(), field
    # Table 1: A and B stayed, C, D and E did not; only D was not exporting before.
    assert cases.set_index("id")["stayed"].to_dict() == {"A": True, "B": True, "C": False, "D": False, "E": False}
    assert cases.set_index("id")["already_exporting"].to_dict() == {"A": True, "B": True, "C": True, "D": False, "E": True}
    assert (cases["employees_min"] <= cases["employees_max"]).all()
    # Interviews: first round Oct 2020-Nov 2021, second round Oct 2022-Nov 2023, two years apart.
    first = pd.to_datetime(cases["first_interview"], format="%B %Y")
    second = pd.to_datetime(cases["second_interview"], format="%B %Y")
    assert first.min() == pd.Timestamp("2020-10-01") and first.max() == pd.Timestamp("2021-11-01")
    assert ((second.dt.year - first.dt.year) == 2).all() and (second.dt.month == first.dt.month).all()


def test_data_structure_counts_and_mapping():
    concepts, themes, dims = data.load("oli_concepts"), data.load("oli_themes"), data.load("oli_dimensions")
    quotes = data.load("oli_quotes")
    assert len(themes) == 9  # "nine second-order themes"
    assert len(dims) == 4  # "the following four aggregate dimensions"
    assert len(concepts) < 20  # "fewer than 20 concepts emerged"
    # every concept maps to exactly one existing theme, every theme to one dimension
    assert concepts["id"].is_unique and concepts["theme"].isin(themes["id"]).all()
    assert themes["id"].is_unique and themes["dimension"].isin(dims["id"]).all()
    assert set(concepts["theme"]) == set(themes["id"])  # no empty theme
    assert set(themes["dimension"]) == set(dims["id"])  # no empty dimension
    # every quote names a valid case and concept; every concept has a quote (Table A1)
    assert quotes["case"].isin(data.load("oli_cases")["id"]).all()
    assert quotes["concept"].isin(concepts["id"]).all()
    assert set(quotes["concept"]) == set(concepts["id"])
    # nine themes: the text introduces six as second-order themes (three each for
    # engagement and the OLI advantages); the two readiness themes are inferred from what
    # disposition "encompassed", and the ninth is placed under relationships by assumption
    assert themes.groupby("dimension").size().to_dict() == {"disposition": 2, "engagement": 3, "advantages": 3, "relationships": 1}
    named = themes.loc[themes["named_in_text"].astype(bool), "dimension"]
    assert named.value_counts().to_dict() == {"engagement": 3, "advantages": 3}


# Quotations and reported figures are checked against source 004 by the book-wide
# tests/test_provenance.py (cocreation.provenance), like every other table.


def test_case_b_anchor_comes_from_the_figures_table():
    assert oli.reported_anchor() == {"views": 2.0e6, "rfqs": 90.0}


# --- simulator ------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(s=unit, m=unit, e=unit, seed=st.integers(0, 10_000))
def test_stage_counts_never_exceed_previous_stage(s, m, e, seed):
    run = oli.simulate(oli.Disposition(s, m), e, months=24, seed=seed)
    cum = run.pivot(index="month", columns="stage", values="cumulative")
    for upper, lower in zip(oli.STAGES, oli.STAGES[1:]):
        assert (cum[lower] <= cum[upper]).all()
    assert (run["count"] >= 0).all()
    exp = oli.expected_funnel(oli.Disposition(s, m), e).pivot(index="month", columns="stage", values="cumulative")
    for upper, lower in zip(oli.STAGES, oli.STAGES[1:]):
        assert (exp[lower] <= exp[upper] + 1e-9).all()


def _totals(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby("stage")["count"].sum()


@settings(max_examples=40, deadline=None)
@given(d1=unit, d2=unit, e1=unit, e2=unit, lam=st.floats(0, 0.2))
def test_expectation_non_decreasing_in_disposition_and_engagement(d1, d2, e1, e2, lam):
    lo_d, hi_d = sorted((d1, d2))
    lo_e, hi_e = sorted((e1, e2))
    base = _totals(oli.expected_funnel(lo_d, lo_e, learning_rate=lam))
    more_d = _totals(oli.expected_funnel(hi_d, lo_e, learning_rate=lam))
    more_e = _totals(oli.expected_funnel(lo_d, hi_e, learning_rate=lam))
    assert (more_d >= base * (1 - 1e-12)).all()
    assert (more_e >= base * (1 - 1e-12)).all()


@pytest.mark.parametrize("knob", ["disposition", "engagement"])
def test_averaged_seeds_rise_with_disposition_and_engagement(knob):
    def mean_totals(value):
        kw = {"disposition": 0.5, "engagement": 0.5, knob: value}
        runs = [_totals(oli.simulate(months=24, seed=s, **kw)) for s in range(40)]
        return pd.concat(runs, axis=1).mean(axis=1)

    low, high = mean_totals(0.2), mean_totals(0.9)
    assert (high[list(oli.STAGES)] > low[list(oli.STAGES)]).all()


def test_month_one_matches_hand_derivation():
    # Month 1 follows directly from the model's definitions: no advantage yet, no learning yet.
    r = oli.Rates()
    s, m, e = 0.6, 0.4, 0.8
    d = (s + m) / 2
    kappa = r.readiness_floor + (1 - r.readiness_floor) * d
    x = kappa * e
    views = r.views_max * (r.views_floor + (1 - r.views_floor) * x)
    rfqs = views * r.rfq_max * (r.rfq_floor + (1 - r.rfq_floor) * x)
    first = rfqs * r.first_max * (0.2 + 0.8 * s) * (0.2 + 0.8 * x)
    commit = first * r.commit_max * (0.2 + 0.8 * x)
    got = oli.expected_funnel(oli.Disposition(s, m), e, months=1).set_index("stage")["count"]
    assert got.to_dict() == pytest.approx({"awareness": views, "exploration": rfqs, "expansion": first, "commitment": commit})


def test_month_two_matches_hand_derivation_with_learning_lapses_and_advantages():
    # Month 2 by hand: engagement learns from month 1's expected RFQs and lapses; the three
    # advantages grow from their sources; partners lift structural readiness.
    r = oli.Rates(learning_rate=0.2, lapse=0.03)
    s0, m = 0.5, 0.7
    e = {"reply": 0.6, "mkt": 0.8, "inv": 0.4, "sw": 0.5}
    k1 = r.readiness_floor + (1 - r.readiness_floor) * (s0 + m) / 2
    x1 = {k: k1 * v for k, v in e.items()}
    v1 = r.views_max * (r.views_floor + (1 - r.views_floor) * x1["mkt"])
    q1 = r.rfq_max * (r.rfq_floor + (1 - r.rfq_floor) * (x1["inv"] + x1["reply"]) / 2)
    h1 = r.first_max * (0.2 + 0.8 * s0) * (0.2 + 0.8 * (0.5 * x1["reply"] + 0.25 * x1["inv"] + 0.25 * x1["sw"]))
    sigma = v1 * q1 / (v1 * q1 + r.learning_half)
    lam = r.learning_rate * (s0 + m) / 2 * sigma
    raw2 = {k: v + lam * v * (1 - v) - r.lapse * v for k, v in e.items()}
    link = r.advantage_rate * x1["reply"]
    opn = r.advantage_rate * x1["inv"] * sigma
    integ = r.advantage_rate * x1["mkt"]
    s2 = s0 + (1 - s0) * r.integration_boost * integ
    k2 = r.readiness_floor + (1 - r.readiness_floor) * (s2 + m) / 2
    x2 = {k: k2 * v for k, v in raw2.items()}
    v2 = r.views_max * (r.views_floor + (1 - r.views_floor) * x2["mkt"])
    q2 = r.rfq_max * (r.rfq_floor + (1 - r.rfq_floor) * (x2["inv"] + x2["reply"]) / 2) * (1 + r.linkage_boost * link)
    h2 = r.first_max * (0.2 + 0.8 * s2) * (0.2 + 0.8 * (0.5 * x2["reply"] + 0.25 * x2["inv"] + 0.25 * x2["sw"]))
    h2 *= 1 + r.open_boost * opn
    leads = v1 * q1 * (1 - h1 - r.lead_loss) + v2 * q2
    disp, eng = oli.Disposition(s0, m), oli.Engagement(e["reply"], e["mkt"], e["inv"], e["sw"])
    got = oli.expected_funnel(disp, eng, months=2, rates=r)
    month2 = got[got.month == 2].set_index("stage")["count"]
    assert month2["awareness"] == pytest.approx(v2)
    assert month2["exploration"] == pytest.approx(v2 * q2)
    assert month2["expansion"] == pytest.approx(leads * h2)
    drv = oli.drivers(disp, eng, months=2, rates=r).iloc[1]
    assert (drv["linkage"], drv["open_resource"], drv["integration"], drv["structural"]) == pytest.approx((link, opn, integ, s2))
    assert drv["engagement"] == pytest.approx(sum(x2.values()) / 4)


def test_learning_responds_to_outcomes_and_lapses_wear_engagement_down():
    # without learning, a part decays geometrically: x_t = (1 - δ)^(t-1) x_1 (κ held fixed)
    flat = oli.drivers(0.6, 0.5, months=12, learning_rate=0.0, lapse=0.05, integration_boost=0.0)
    kappa = 0.25 + 0.75 * 0.6
    assert flat["engagement"].to_numpy() == pytest.approx(kappa * 0.5 * 0.95 ** np.arange(12))
    # no lapses: engagement only rises, and it rises faster with more requests to learn from
    few = oli.drivers(0.6, 0.5, months=24, lapse=0.0, views_max=1e4)["engagement"].to_numpy()
    many = oli.drivers(0.6, 0.5, months=24, lapse=0.0, views_max=1e7)["engagement"].to_numpy()
    assert np.all(np.diff(many) > 0) and np.all(np.diff(few) >= 0)
    assert many[-1] - many[0] > 3 * (few[-1] - few[0])
    # lapses outweighing learning make engagement fall (Case A's preset)
    a = oli.PRESETS["A"]
    path = oli.drivers(a.disposition, a.engagement, **a.rates)["engagement"].to_numpy()
    assert path[-1] < path[0]
    # no engagement, nothing to learn from; full engagement without lapses stays full
    assert np.allclose(oli.drivers(0.6, 0.0)["engagement"], 0)
    full = oli.drivers(1.0, 1.0, lapse=0.0)["engagement"]
    assert np.allclose(full, 1.0)


def test_advantages_grow_from_their_own_source_and_switch_off_cleanly():
    eng = oli.Engagement(0.0, 0.7, 0.0, 0.5)  # no replies, no involvement
    drv = oli.drivers(0.5, eng)
    assert (drv["linkage"] == 0).all() and (drv["open_resource"] == 0).all()
    assert (np.diff(drv["integration"]) > 0).all()
    drv = oli.drivers(0.5, oli.Engagement(0.7, 0.0, 0.7, 0.5))
    assert (drv["integration"] == 0).all() and (np.diff(drv["linkage"]) > 0).all()
    # every advantage stays in [0, 1]
    big = oli.drivers(1.0, 1.0, months=120, advantage_rate=1.0)
    assert big[list(oli.ADVANTAGES)].le(1).all().all() and big[list(oli.ADVANTAGES)].ge(0).all().all()
    # the layer's effects off: the same funnel as with no advantages at all
    off = dict(linkage_boost=0.0, open_boost=0.0, integration_boost=0.0)
    pd.testing.assert_frame_equal(
        oli.expected_funnel(0.5, 0.6, **off), oli.expected_funnel(0.5, 0.6, advantage_rate=0.0), check_exact=False
    )
    # and switched on, the advantages raise every stage after awareness
    with_layer = _totals(oli.expected_funnel(0.5, 0.6))
    without = _totals(oli.expected_funnel(0.5, 0.6, advantage_rate=0.0))
    assert (with_layer[["exploration", "expansion", "commitment"]] > without[["exploration", "expansion", "commitment"]]).all()


def test_fixed_seed_reproduces_and_seeds_differ():
    a = oli.simulate(0.5, 0.6, seed=42)
    pd.testing.assert_frame_equal(a, oli.simulate(0.5, 0.6, seed=42))
    assert not a.equals(oli.simulate(0.5, 0.6, seed=43))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"disposition": 1.5, "engagement": 0.5}, "disposition"),
        ({"disposition": 0.5, "engagement": -0.1}, "engagement"),
        ({"disposition": float("nan"), "engagement": 0.5}, "disposition"),
        ({"disposition": 0.5, "engagement": 0.5, "months": 0}, "months"),
        ({"disposition": 0.5, "engagement": 0.5, "months": 2.5}, "months"),
        ({"disposition": 0.5, "engagement": 0.5, "learning_rate": 1.5}, "learning_rate"),
        ({"disposition": 0.5, "engagement": 0.5, "views_max": -1}, "views_max"),
        ({"disposition": 0.5, "engagement": 0.5, "speed": 1}, "speed"),
        ({"disposition": 0.5, "engagement": 0.5, "lead_loss": 0.999}, "lead_loss"),
    ],
)
def test_invalid_inputs_raise_clear_errors(kwargs, name):
    with pytest.raises(ValueError, match=name):
        oli.simulate(**kwargs)


def test_invalid_components_name_the_part():
    with pytest.raises(ValueError, match=r"switch_timing must be a finite number in \[0, 1\]"):
        oli.Engagement(0.5, 0.5, 0.5, 2)
    with pytest.raises(ValueError, match="case must be one of"):
        presets._preset("F")


def test_case_b_preset_lands_within_order_of_magnitude_of_report():
    anchor = oli.reported_anchor()
    pre = oli.PRESETS["B"]
    runs = [oli.simulate(pre.disposition, pre.engagement, 24, seed, **pre.rates) for seed in range(10)]
    monthly = pd.concat(runs).groupby("stage")["count"].mean()
    # "about 2 million monthly views and almost 90 requests for quotations": within a factor 3
    assert abs(math.log10(monthly["awareness"] / anchor["views"])) < math.log10(3)
    assert abs(math.log10(monthly["exploration"] / anchor["rfqs"])) < math.log10(3)


def test_presets_match_table1_for_b_to_e_and_miss_a():
    # The page says: four of five outcomes right (B stays; C, D, E leave), A missed.
    out = oli.preset_outcomes(n_seeds=200).groupby("case")[["renew_share", "stayed"]].first()
    model_stays = (out["renew_share"] > 0.5).to_dict()
    assert model_stays == {"A": False, "B": True, "C": False, "D": False, "E": False}
    assert out["stayed"].to_dict() == {"A": True, "B": True, "C": False, "D": False, "E": False}


def test_renewal_rule_needs_sales_even_from_a_fully_ready_firm():
    # issue 17, item 3: with both readiness parts at 1 the threshold is N > 0, so a fully
    # ready firm that does not engage (and so sells nothing) does not renew
    ready = oli.Disposition(1.0, 1.0)
    assert oli.renewal_threshold(ready) == 1.0
    for seed in range(5):
        run = oli.simulate(ready, 0.0, seed=seed)
        assert _totals(run)[["expansion", "commitment"]].sum() == 0
        assert not oli.renews(run, ready)
    # the floors of views and RFQs still bring a rare sale; no run renews without one
    many = oli.simulate_many(ready, 0.0, n_runs=2000)
    assert (many["first"] == 0).any() and not many.loc[many["first"] == 0, "renews"].any()
    assert many["renews"].mean() < 0.05
    with pytest.raises(ValueError, match="base_need"):
        oli.Rates(base_need=0.0)


@settings(max_examples=30, deadline=None)
@given(first=st.integers(0, 50), repeat_share=st.floats(0, 1), rfqs=st.integers(0, 5000), s=unit,
       w=st.floats(1, 10), stress=st.floats(0, 5))
def test_renewal_value_counts_each_buyer_once(first, repeat_share, rfqs, s, w, stress):
    # a repeat buyer counts w, a one-time buyer 1: never first + w * repeat
    repeat = int(first * repeat_share)
    run = pd.DataFrame({"stage": ["exploration", "expansion", "commitment"], "count": [rfqs, first, repeat],
                        "structural": s})
    want = (first - repeat) * 1 + repeat * w - stress * (1 - s) * rfqs / 100
    assert oli.renewal_value(run, commit_weight=w, stress=stress) == pytest.approx(want)
    # one more repeat buyer (from among the first purchasers) adds w - 1, not w
    if repeat < first:
        more = run.assign(count=[rfqs, first, repeat + 1])
        gain = oli.renewal_value(more, commit_weight=w, stress=stress) - oli.renewal_value(run, commit_weight=w, stress=stress)
        assert gain == pytest.approx(w - 1)


def test_renewal_threshold_falls_with_emotional_readiness_and_stress_with_structural():
    assert oli.renewal_threshold(oli.Disposition(0.5, 0.8)) < oli.renewal_threshold(oli.Disposition(0.5, 0.2))
    assert oli.renewal_threshold(oli.Disposition(0.2, 0.5)) == oli.renewal_threshold(oli.Disposition(0.8, 0.5))
    run = pd.DataFrame({"stage": ["exploration", "expansion", "commitment"], "count": [500, 3, 1]})
    assert oli.renewal_value(run.assign(structural=0.8)) > oli.renewal_value(run.assign(structural=0.2))


def test_stress_lets_a_firm_that_sells_still_leave():
    # Case B's preset with structural readiness 0.4: it sells, but stress decides
    b = oli.PRESETS["B"]
    disp = oli.Disposition(0.4, b.disposition.emotional)
    with_stress = oli.simulate_many(disp, b.engagement, n_runs=2000, seed=0, **b.rates)
    no_stress = oli.simulate_many(disp, b.engagement, n_runs=2000, seed=0, **{**b.rates, "stress": 0.0})
    assert with_stress["first"].mean() > 3
    assert with_stress["renews"].mean() < 0.5 < no_stress["renews"].mean()


def test_simulate_many_agrees_with_the_expectation():
    out = oli.simulate_many(0.7, 0.6, n_runs=3000, seed=5)
    exp = _totals(oli.expected_funnel(0.7, 0.6))
    se = out.std() / math.sqrt(len(out))
    for col, stage in (("views", "awareness"), ("rfqs", "exploration"), ("first", "expansion"), ("repeat", "commitment")):
        assert abs(out[col].mean() - exp[stage]) < 4 * se[col] + 1e-9, col
    # and its renewal agrees with renews() on the same totals (value by hand)
    p = oli.drivers(0.7, 0.6)["structural"].mean()
    value = out["first"] - out["repeat"] + 5 * out["repeat"] - (1 - p) * out["rfqs"] / 100
    assert np.allclose(out["value"], value)
    assert (out["renews"] == (value >= oli.renewal_threshold(0.7))).all()
    assert out.equals(oli.simulate_many(0.7, 0.6, n_runs=3000, seed=5))


# --- explorers ------------------------------------------------------------------


@pytest.fixture(scope="module")
def grid():
    return oli.funnel_grid()


def test_grid_is_small_and_sliders_stay_in_domain(grid):
    assert len(grid) < 5000
    spec = oli.funnel_explorer(grid).to_dict()
    binds = {p["name"]: p["bind"] for p in spec["params"]}
    assert binds["disposition"]["min"] == 0 and binds["disposition"]["max"] == 1
    assert binds["engagement"]["min"] == 0 and binds["engagement"]["max"] == 1
    assert 0 <= binds["learning_rate"]["min"] < binds["learning_rate"]["max"] <= 1


@settings(max_examples=25, deadline=None)
@given(d=st.integers(0, 10), e=st.integers(0, 10), lam=st.integers(0, 4))
def test_static_grid_equals_expected_funnel(grid, d, e, lam):
    setting = {"disposition": d / 10, "engagement": e / 10, "learning_rate": lam * 0.05}
    row = widgets.lookup(grid, oli.FUNNEL_SLIDERS, **setting).set_index("stage")["expected"]
    exp = _totals(oli.expected_funnel(setting["disposition"], setting["engagement"], learning_rate=setting["learning_rate"]))
    assert row.to_dict() == pytest.approx(exp.to_dict(), rel=1e-6, abs=1e-6)


def test_static_grid_agrees_with_simulated_means(grid):
    setting = {"disposition": 0.7, "engagement": 0.6, "learning_rate": 0.1}
    row = widgets.lookup(grid, oli.FUNNEL_SLIDERS, **setting).set_index("stage")["expected"]
    runs = [_totals(oli.simulate(0.7, 0.6, 24, seed, learning_rate=0.1)) for seed in range(200)]
    mean = pd.concat(runs, axis=1).mean(axis=1)
    se = pd.concat(runs, axis=1).std(axis=1) / math.sqrt(200)
    for stage in ("awareness", "exploration", "expansion"):
        assert abs(mean[stage] - row[stage]) < 4 * se[stage] + 1e-9, stage


def test_structure_chart_has_case_filter_and_hover_quotes():
    spec = oli.structure_chart().to_dict()
    hover = next(p for p in spec["params"] if p["name"] == "node_hover")
    assert hover["select"]["on"] == "pointerover" and hover["views"] == [spec["vconcat"][0]["layer"][1]["name"]]
    # the quote panel is filtered by the hover selection
    panel = spec["vconcat"][1]["layer"]
    assert all(any(t.get("filter") == {"param": "node_hover", "empty": False} for t in lay["transform"]) for lay in panel)
    case = next(p for p in spec["params"] if p["name"] == "case_focus")
    assert case["bind"]["options"] == ["All", "A", "B", "C", "D", "E"]
    rows = oli.quote_panel_rows()
    quotes = data.load("oli_quotes")
    # each quote's attribution line is in the panel, under its concept
    for _, q in quotes.iterrows():
        line = f"— Case {q['case']}, {q['role']} ({q['locator']})"
        assert ((rows["id"] == q["concept"]) & (rows["text"] == line)).any()
    nodes, edges = oli.structure_tables()
    assert len(nodes) == 16 + 9 + 4 and len(edges) == 16 + 9


def test_case_chart_dropdown_and_table():
    spec = oli.case_chart().to_dict()
    assert spec["params"][0]["name"] == "case_pick"
    t = oli.case_table()
    assert t["Stayed after two years"].tolist() == ["Yes", "Yes", "No", "No", "No"]


def test_simulator_live_builds():
    pytest.importorskip("ipywidgets")
    ex = oli.simulator_live()
    preset = ex.widget.children[0]
    assert list(preset.options) == ["custom", "A", "B", "C", "D", "E"]
    sliders = ex.widget.children[1:9]
    for s in sliders:
        assert s.min <= s.value <= s.max


def test_notebook_executes():
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nb = jupytext.read(ROOT / "book" / "oli" / "cbec_new_oli.md")
    nbclient.NotebookClient(nb, timeout=60, interrupt_on_timeout=True, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "book" / "oli")}}).execute()


def test_simulator_live_preset_menu_moves_the_sliders_and_redraws_once(monkeypatch):
    pytest.importorskip("ipywidgets")
    calls = []

    def counted(**knobs):
        calls.append(knobs)
        return oli.simulator_run(**knobs)

    monkeypatch.setattr(explorers, "simulator_run", counted)
    ex = oli.simulator_live()
    preset, *knobs, months, seed, out = ex.widget.children
    names = [p.name for p in oli.SIMULATOR_SLIDERS]
    assert names[:9] == [k for k in names if k not in ("months", "seed")]
    # the sliders are the Param declarations, starting at Case B's preset
    for slider, p in zip([*knobs, months, seed], oli.SIMULATOR_SLIDERS):
        assert (slider.min, slider.max, slider.step, slider.value) == (p.lo, p.hi, p.step, p.default)
    preset.value = "A"
    a = oli.PRESETS["A"]
    got = dict(zip(names, (k.value for k in knobs)))
    assert got["structural"] == a.disposition.structural and got["switch_timing"] == a.engagement.switch_timing
    assert got["brand_appeal"] == 1.0 and got["learning_rate"] == 0.1 and got["lapse"] == 0.05
    # one run when built, one when the preset is loaded (not one per knob), at A's values
    assert len(calls) == 2
    assert {k: calls[-1][k] for k in ("structural", "emotional", "lapse")} == {
        "structural": 0.45, "emotional": 0.45, "lapse": 0.05}
    preset.value = "custom"
    assert len(calls) == 2


def test_simulator_run_is_one_run_and_its_expectation():
    out = oli.simulator_run(0.3, 0.6, 0.2, 0.4, 0.6, 0.8, learning_rate=0.13, brand_appeal=2.0, months=18, seed=7)
    disp, eng = oli.Disposition(0.3, 0.6), oli.Engagement(0.2, 0.4, 0.6, 0.8)
    rates = {"learning_rate": 0.13, "brand_appeal": 2.0}
    run = oli.simulate(disp, eng, 18, 7, **rates)
    sim = out[out.series == "simulated run"].drop(columns=["series", "renews", "value", "threshold"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(sim, run.astype({"count": float, "cumulative": float}), check_dtype=False)
    assert out["renews"].eq(oli.renews(run, disp, **rates)).all()
    assert out["threshold"].eq(oli.renewal_threshold(disp, **rates)).all()
    assert out["value"].eq(oli.renewal_value(run, **rates)).all()
    # by hand: N + E (1 - emotional) = 1 + 5 * 0.4
    assert out["threshold"].iloc[0] == pytest.approx(3.0)


# --- registry and package layout ---------------------------------------------------------


def test_registry_entry_matches_the_static_grid(grid):
    (entry,) = oli.EXPLORERS
    assert entry.chapter == "oli" and entry.sliders == oli.FUNNEL_SLIDERS and entry.chart is oli.funnel_explorer
    assert entry.slider_names == ("disposition", "engagement", "learning_rate")
    rng = np.random.default_rng(15)
    for _ in range(5):
        setting = {p.name: float(rng.choice(p.values())) for p in entry.sliders}
        want = entry.expected(**setting)
        assert want.columns.tolist() == list(entry.key) + ["expected"]
        got = widgets.lookup(grid, entry.sliders, **setting)[["stage_label", "expected"]]
        pd.testing.assert_frame_equal(got, want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("module", ["model.py", "model_runs.py"])
def test_model_imports_no_plotting_or_widgets(module):
    tree = ast.parse((ROOT / "src" / "cocreation" / "oli" / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {node.module or ""} | {a.name for a in node.names}
    assert not imported & {"altair", "ipywidgets", "charts", "widgets", "IPython"}


def test_every_public_name_is_exported():
    for module in (model, presets, explorers, oli.tables, oli.figures):
        assert set(module.__all__) <= set(oli.__all__), module.__name__
    assert all(hasattr(oli, name) for name in oli.__all__)


# --- validation ------------------------------------------------------------------------


def test_rates_accept_numpy_scalars_and_store_floats():
    r = oli.Rates(views_max=np.float32(2e6), learning_rate=np.float64(0.2), commit_weight=np.int64(3))
    assert (r.views_max, r.learning_rate, r.commit_weight) == (2e6, 0.2, 3.0)
    assert all(type(getattr(r, f)) is float for f in model.RATE_NAMES)
    assert oli.simulate(0.5, np.float64(0.5), np.int64(6), np.int64(1), learning_rate=np.float64(0.1)).equals(
        oli.simulate(0.5, 0.5, 6, 1, learning_rate=0.1)
    )


@pytest.mark.parametrize("name", model.RATE_NAMES)
@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan"), "0.1", True, None])
def test_rates_refuse_non_finite_and_non_numbers(name, bad):
    with pytest.raises(ValueError, match=rf"^{name} must be a finite number in "):
        oli.Rates(**{name: bad})


RUN = oli.simulate(0.5, 0.5, months=3)
OUTCOMES = oli.preset_outcomes(n_seeds=1, months=2)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: oli.Disposition(-0.1, 0.5), "structural"),
        (lambda: oli.Disposition(0.5, "high"), "emotional"),
        (lambda: oli.Engagement(np.nan, 0.5, 0.5, 0.5), "reply_speed"),
        (lambda: oli.Engagement(0.5, 1.1, 0.5, 0.5), "marketing"),
        (lambda: oli.Engagement(0.5, 0.5, None, 0.5), "involvement"),
        (lambda: oli.Rates(rfq_max=1.5), "rfq_max"),
        (lambda: oli.Rates(views_max=0), "views_max"),
        (lambda: oli.Rates(views_max=1e13), "views_max"),
        (lambda: oli.Rates(stress=-1), "stress"),
        (lambda: oli.Rates(buyer_loss=0.99), "buyer_loss"),
        (lambda: oli.simulate(0.5, 0.5, seed=-1), "seed"),
        (lambda: oli.simulate(0.5, 0.5, seed=1.5), "seed"),
        (lambda: oli.simulate(0.5, 0.5, months=121), "months"),
        (lambda: oli.simulate(0.5, 0.5, months=True), "months"),
        (lambda: oli.simulate(0.5, 0.5, rates={"learning_rate": 0.1}), "rates"),
        (lambda: oli.simulate(0.5, 0.5, learning_rate=float("inf")), "learning_rate"),
        (lambda: oli.expected_funnel(2, 0.5), "disposition"),
        (lambda: oli.expected_funnel(0.5, [0.5]), "engagement"),
        (lambda: oli.expected_funnel(0.5, 0.5, months=0), "months"),
        (lambda: oli.expected_funnel(0.5, 0.5, brand_appeal=-1), "brand_appeal"),
        (lambda: oli.renewal_threshold(-1), "disposition"),
        (lambda: oli.renewal_threshold(0.5, expectation=float("nan")), "expectation"),
        (lambda: oli.renews(RUN, 1.5), "disposition"),
        (lambda: oli.renews(RUN[["month"]], 0.5), "run"),
        (lambda: oli.renews("run", 0.5), "run"),
        (lambda: oli.renews(RUN, 0.5, commit_weight=-2), "commit_weight"),
        (lambda: oli.renews(RUN, 0.5, commit_weight=0.5), "commit_weight"),
        (lambda: oli.renews(RUN.drop(columns="structural"), 0.5), "run"),
        (lambda: oli.renewal_value(RUN, base_need=0), "base_need"),
        (lambda: oli.renewal_value(RUN[["stage", "count"]]), "run"),
        (lambda: oli.Rates(lapse=1.5), "lapse"),
        (lambda: oli.Rates(learning_half=-1), "learning_half"),
        (lambda: oli.Rates(integration_boost=2), "integration_boost"),
        (lambda: oli.Rates(first_max=0.3, open_boost=1.5), "open_boost"),
        (lambda: oli.Rates(rfq_max=0.6, linkage_boost=1.0), "linkage_boost"),
        (lambda: oli.drivers(0.5, 0.5, months=0), "months"),
        (lambda: oli.drivers(0.5, 0.5, advantage_rate=2), "advantage_rate"),
        (lambda: oli.simulate_many(0.5, 0.5, n_runs=0), "n_runs"),
        (lambda: oli.simulate_many(0.5, 0.5, n_runs=10**6), "n_runs * months"),
        (lambda: oli.simulate_many(0.5, 0.5, seed=-1), "seed"),
        (lambda: oli.simulate_many(1.5, 0.5), "disposition"),
        (lambda: oli.parameter_ranges("F"), "case"),
        (lambda: oli.one_at_a_time(n_runs=0), "n_runs"),
        (lambda: oli.one_at_a_time(n_runs=5000), "n_runs"),
        (lambda: oli.preset_sensitivity(n_draws=0), "n_draws"),
        (lambda: oli.preset_sensitivity(n_draws=1000, n_runs=100), "n_draws * n_runs"),
        (lambda: oli.preset_sensitivity(seed=-1), "seed"),
        (lambda: oli.sensitivity_table(pd.DataFrame({"case": ["A"]})), "sensitivity"),
        (lambda: oli.sensitivity_chart(pd.DataFrame({"case": ["A"]})), "oat"),
        (lambda: oli.advantages_chart(months=0), "months"),
        (lambda: oli.funnel_totals(0.5, 0.5, learning_rate=2), "learning_rate"),
        (lambda: oli.funnel_totals(0.5, 0.5, months=24.5), "months"),
        (lambda: oli.funnel_totals(-0.5, 0.5), "disposition"),
        (lambda: oli.simulator_run(0.5, 0.5, 0.5, 0.5, 0.5, 1.5), "switch_timing"),
        (lambda: oli.simulator_run(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, seed=-3), "seed"),
        (lambda: oli.simulator_run(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, learning_rate=-0.1), "learning_rate"),
        (lambda: oli.CasePreset("F", oli.Disposition(0.5, 0.5), oli.Engagement(0.5, 0.5, 0.5, 0.5), {}, ""), "case"),
        (lambda: oli.CasePreset("A", 0.5, oli.Engagement(0.5, 0.5, 0.5, 0.5), {}, ""), "disposition"),
        (lambda: oli.CasePreset("A", oli.Disposition(0.5, 0.5), 0.5, {}, ""), "engagement"),
        (lambda: oli.CasePreset("A", oli.Disposition(0.5, 0.5), oli.Engagement(0.5, 0.5, 0.5, 0.5),
                                {"learning_rate": 3}, ""), "learning_rate"),
        (lambda: oli.preset_outcomes(n_seeds=0), "n_seeds"),
        (lambda: oli.preset_outcomes(n_seeds=2.5), "n_seeds"),
        (lambda: oli.preset_outcomes(n_seeds=10**6), "n_seeds * months"),
        (lambda: oli.preset_outcomes(n_seeds=1, months=200), "months"),
        (lambda: oli.preset_outcomes(n_seeds=1, seed=-2), "seed"),
        (lambda: oli.renewal_table(OUTCOMES[["case"]]), "outcomes"),
        (lambda: oli.quote_panel_rows(width=0), "width"),
        (lambda: oli.quote_panel_rows(width="wide"), "width"),
        (lambda: oli.case_b_chart(seed=-1), "seed"),
        (lambda: oli.preset_chart(OUTCOMES.drop(columns="simulated")), "outcomes"),
        (lambda: oli.simulator_chart(RUN), "frame"),
        (lambda: oli.funnel_explorer(pd.DataFrame({"x": [1]})), "grid_frame"),
        (lambda: oli.funnel_expected(disposition=0.5, engagement=0.5, lam=0.1), "lam"),
        (lambda: oli.funnel_expected(disposition=0.5, engagement=1.5, learning_rate=0.1), "engagement"),
        (lambda: oli.simulator_sliders("F"), "case"),
        (lambda: oli.simulator_live("F"), "case"),
    ],
)
def test_out_of_domain_inputs_name_the_parameter(call, name):
    with pytest.raises(ValueError) as err:
        call()
    assert name in str(err.value)


def test_preset_outcomes_bounds_its_work_before_running():
    # refused at once, without running a single simulation
    with pytest.raises(ValueError, match=r"n_seeds \* months must be at most 120,000"):
        oli.preset_outcomes(n_seeds=5001, months=24)
