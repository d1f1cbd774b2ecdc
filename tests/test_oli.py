"""Tests of the new OLI chapter: its data (source 004), the illustrative simulator and the explorers."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import data, oli, widgets

ROOT = Path(__file__).resolve().parents[1]
SOURCES = Path(os.environ.get("COCREATION_SOURCES", ROOT.parent / "shared" / "sources"))
unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def _source_text() -> str:
    files = sorted(SOURCES.glob("004_*.txt"))
    if not files:
        pytest.skip(f"source 004 not found in {SOURCES} (set COCREATION_SOURCES)")
    return files[0].read_text(encoding="utf-8")


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


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
    # With learning off, month 1 follows directly from the model's definitions.
    r = oli.Rates()
    s, m, e = 0.6, 0.4, 0.8
    d = (s + m) / 2
    kappa = r.readiness_floor + (1 - r.readiness_floor) * d
    x = kappa * e
    views = r.views_max * (r.views_floor + (1 - r.views_floor) * x)
    rfqs = views * r.rfq_max * (r.rfq_floor + (1 - r.rfq_floor) * x)
    first = rfqs * r.first_max * (0.2 + 0.8 * s) * (0.05 + 0.95 * x)
    commit = first * r.commit_max * (0.05 + 0.95 * x)
    got = oli.expected_funnel(oli.Disposition(s, m), e, months=1).set_index("stage")["count"]
    assert got.to_dict() == pytest.approx({"awareness": views, "exploration": rfqs, "expansion": first, "commitment": commit})


def test_learning_loop_improves_engagement_over_time():
    exp = oli.expected_funnel(0.6, 0.3, learning_rate=0.1)
    eng = exp[exp.stage == "awareness"]["engagement"].to_numpy()
    assert np.all(np.diff(eng) > 0)
    flat = oli.expected_funnel(0.6, 0.3, learning_rate=0.0)
    assert np.allclose(np.diff(flat[flat.stage == "awareness"]["engagement"]), 0)
    # no engagement, nothing to learn from; engagement 1 cannot improve further
    none = oli.expected_funnel(0.6, 0.0, learning_rate=0.2)
    assert np.allclose(none[none.stage == "awareness"]["engagement"], 0)
    full = oli.expected_funnel(0.6, 1.0, learning_rate=0.2)
    assert np.allclose(np.diff(full[full.stage == "awareness"]["engagement"]), 0)


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
    with pytest.raises(ValueError, match="switch_timing must be in"):
        oli.Engagement(0.5, 0.5, 0.5, 2)
    with pytest.raises(ValueError, match="case must be one of"):
        oli._preset("F")


def test_case_b_preset_lands_within_order_of_magnitude_of_report():
    anchor = oli.reported_anchor()
    pre = oli.PRESETS["B"]
    runs = [oli.simulate(pre.disposition, pre.engagement, 24, seed, **pre.rates) for seed in range(10)]
    monthly = pd.concat(runs).groupby("stage")["count"].mean()
    # "about 2 million monthly views and almost 90 requests for quotations": within a factor 3
    assert abs(math.log10(monthly["awareness"] / anchor["views"])) < math.log10(3)
    assert abs(math.log10(monthly["exploration"] / anchor["rfqs"])) < math.log10(3)


def test_presets_reproduce_table1_stay_or_leave_in_most_runs():
    out = oli.preset_outcomes(n_seeds=60).groupby("case")[["renew_share", "stayed"]].first()
    for case, row in out.iterrows():
        assert (row["renew_share"] > 0.5) == row["stayed"], case


def test_renewal_threshold_falls_with_readiness():
    assert oli.renewal_threshold(oli.Disposition(0.8, 0.5)) < oli.renewal_threshold(oli.Disposition(0.2, 0.5))
    assert oli.renewal_threshold(oli.Disposition(0.5, 0.8)) < oli.renewal_threshold(oli.Disposition(0.5, 0.2))


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
    row = widgets.lookup(grid, oli.GRID_PARAMS, **setting).set_index("stage")["expected"]
    exp = _totals(oli.expected_funnel(setting["disposition"], setting["engagement"], learning_rate=setting["learning_rate"]))
    assert row.to_dict() == pytest.approx(exp.to_dict(), rel=1e-6, abs=1e-6)


def test_static_grid_agrees_with_simulated_means(grid):
    setting = {"disposition": 0.7, "engagement": 0.6, "learning_rate": 0.1}
    row = widgets.lookup(grid, oli.GRID_PARAMS, **setting).set_index("stage")["expected"]
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
        line = f"— Case {q['case']}, {q['role']} (source 004, Table A1)"
        assert ((rows["id"] == q["concept"]) & (rows["text"] == line)).any()
    nodes, edges = oli.structure_tables()
    assert len(nodes) == 16 + 9 + 4 and len(edges) == 16 + 9


def test_case_chart_dropdown_and_table():
    spec = oli.case_chart().to_dict()
    assert spec["params"][0]["name"] == "case_pick"
    t = oli.case_table()
    assert t["Stayed after two years"].tolist() == ["Yes", "Yes", "No", "No", "No"]


def test_live_simulator_builds():
    pytest.importorskip("ipywidgets")
    ex = oli.live_simulator()
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
