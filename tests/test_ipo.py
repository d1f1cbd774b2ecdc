"""Tests of the Input → Process → Outcome chapter: data, framework, mediation lab."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import data, ipo, widgets

ROOT = Path(__file__).resolve().parents[1]


# --- data: the paper's framework -------------------------------------------------------


def test_each_capability_is_aimed_at_one_actor_as_in_the_paper():
    paths = data.load("ipo_paths").set_index("id")
    # Section 2.2 / Table 2: ecological -> focal firm, coordination -> complementors,
    # innovation -> users; Section 2.3: the matching co-creation components.
    assert paths.loc["focal_firm", ["capability", "cocreation"]].tolist() == ["ecological_capability", "intrapreneurship"]
    assert paths.loc["complementors", ["capability", "cocreation"]].tolist() == ["coordination_capability", "complementor_support"]
    assert paths.loc["users", ["capability", "cocreation"]].tolist() == ["innovation_capability", "reciprocal_participation"]
    cons = data.load("ipo_constructs").set_index("id")
    for pid, row in paths.iterrows():
        assert cons.loc[row["capability"], "layer"] == "input" and cons.loc[row["capability"], "actor"] == pid
        assert cons.loc[row["cocreation"], "layer"] == "process" and cons.loc[row["cocreation"], "actor"] == pid
        assert cons.loc[row["outcome"], "layer"] == "outcome"


def test_propositions_link_existing_constructs_and_chain_correctly():
    props = data.load("ipo_propositions").set_index("id")
    cons = set(data.load("ipo_constructs")["id"])
    paths = data.load("ipo_paths").set_index("id")
    expected = {"P1", "P2", "P3", "P4", "P4a", "P4b", "P5", "P5a", "P5b", "P6", "P6a", "P6b"}
    assert set(props.index) == expected
    for pid, row in props.iterrows():
        assert set(row["constructs"]) <= cons, pid
        path = paths.loc[row["path"]]
        if row["kind"] == "capability":
            assert row["constructs"] == [path["capability"]]
        elif row["kind"] == "mediation":
            assert row["constructs"] == [path["capability"], path["cocreation"], path["outcome"]]
        elif row["kind"] == "activation":
            assert row["constructs"] == [path["capability"], path["cocreation"]]
            assert row["parent"] == pid[:2]
        else:
            assert row["constructs"] == [path["cocreation"], path["outcome"]]
            assert row["parent"] == pid[:2]
    # a mediation chain is exactly its two links joined at the co-creation component
    for chain in ("P4", "P5", "P6"):
        a, b = props.loc[chain + "a", "constructs"], props.loc[chain + "b", "constructs"]
        assert a[-1] == b[0] and a + b[1:] == props.loc[chain, "constructs"]


def test_evidence_rows_reference_valid_paths_propositions_and_codes():
    ev = data.load("ipo_evidence")
    props = data.load("ipo_propositions").set_index("id")
    codes = set(data.load("ipo_evidence_codes")["code"])
    assert set(ev["path"]) == set(ipo.ACTORS)
    stage_kind = {"capability": "capability", "activation": "activation", "dissemination": "dissemination"}
    for _, row in ev.iterrows():
        assert row["path"] in ipo.ACTORS
        assert props.loc[row["proposition"], "path"] == row["path"], row["id"]
        assert props.loc[row["proposition"], "kind"] == stage_kind[row["stage"]], row["id"]
        assert set(row["codes"]) <= codes and row["codes"], row["id"]
        if isinstance(row["informant"], str):
            assert "E1" in row["codes"], f"{row['id']}: an informant is named only for interviews (E1)"
        if not pd.isna(row["percent"]):
            assert row["direction"] in ("increase", "decrease")
            assert str(row["percent"]).rstrip("0").rstrip(".") in row["figure"]
    # every path has evidence for each of its three steps
    assert ev.groupby("path")["stage"].nunique().eq(3).all()


def test_risks_reference_valid_paths_and_codes():
    risks = data.load("ipo_risks")
    codes = set(data.load("ipo_evidence_codes")["code"])
    for _, row in risks.iterrows():
        assert pd.isna(row["path"]) or row["path"] in ipo.ACTORS
        assert set(row["codes"]) <= codes
    # one named risk per path (Sections 4.2.1-4.2.3)
    assert sorted(risks["path"].dropna()) == sorted(ipo.ACTORS)


def test_table1_counts_as_reported():
    src = data.load("ipo_data_sources").set_index("id")
    # Table 1: 1 + 2 + 2 + 3 interviewees; 2 + 2 + 2 + 3 interviews, all coded E1
    assert src.loc[src["kind"] == "primary", "interviewees"].sum() == 8
    assert src.loc[src["kind"] == "primary", "interviews"].sum() == 9
    assert set(src.loc[src["kind"] == "primary", "code"]) == {"E1"}
    # 25 annual reports from 1999 to 2023 is one per year
    assert src.loc["annual_reports", "records"] == 2023 - 1999 + 1
    assert sorted(src["code"].unique()) == [f"E{i}" for i in range(1, 8)]


def test_glossary_covers_the_chapter_constructs():
    gloss = data.load("ipo_glossary")
    labels = set(data.load("ipo_constructs")["label"].str.lower())
    assert labels <= set(gloss["term"].str.lower())


# --- framework explorer --------------------------------------------------------------


def test_framework_diagram_is_generated_from_the_data():
    nodes, edges = ipo.framework_frames()
    cons = set(data.load("ipo_constructs")["id"])
    assert set(nodes["id"]) - {f"actor_{a}" for a in ipo.ACTORS} <= cons
    # every solid edge carries a proposition of the data; dashed edges are the risks
    props = set(data.load("ipo_propositions")["id"])
    solid = edges[edges["style"] == "solid"]
    assert set(solid["link"]) == props - {"P4", "P5", "P6"}
    dashed = edges[edges["style"] == "dashed"]
    assert (dashed["target"] == "negative_ewom").all() and len(dashed) == 3
    # choosing an actor highlights exactly that actor's path: four nodes plus the outcomes
    for actor in ipo.ACTORS:
        mine = nodes[nodes["groups"].str.split(";").map(lambda g: actor in g)]
        assert len(mine) == 5
        assert set(edges[edges["groups"] == actor]["link"]) >= {f"P{'456'[ipo.ACTORS.index(actor)]}a"}


def test_framework_chart_has_dropdown_tooltips_and_dashed_risks():
    spec = ipo.framework_chart().to_dict()
    param = spec["params"][0]
    assert param["name"] == "ipo_actor" and param["bind"]["input"] == "select"
    assert param["bind"]["options"] == ["All", *ipo.ACTORS]
    edge, node = spec["layer"][0], spec["layer"][1]
    assert {t["field"] for t in node["encoding"]["tooltip"]} == {"construct", "definition", "proposition", "evidence"}
    assert "proposition" in {t["field"] for t in edge["encoding"]["tooltip"]}
    assert edge["encoding"]["strokeDash"]["scale"]["domain"] == ["solid", "dashed"]
    assert "ipo_actor" in str(node["encoding"]["opacity"])


def test_evidence_chart_signs_follow_direction():
    spec = ipo.evidence_chart().to_dict()
    rows = list(spec["datasets"].values())[0]
    by_item = {r["item"]: r["change"] for r in rows}
    assert by_item["COSMOPlat: service complaints"] == -85
    assert by_item["Haier Smart Home: trade-in transactions on JD"] == 362


# --- mediation lab: validation -------------------------------------------------------------


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: ipo.simulate_survey(3), "n"),
        (lambda: ipo.simulate_survey(100, seed=-1), "seed"),
        (lambda: ipo.simulate_survey(100, scale="ordinal"), "scale"),
        (lambda: ipo.simulate_survey(100, scale="likert", levels=2), "levels"),
        (lambda: ipo.Effects(a=(0.5, 1.0, 0.5)), "a[1]"),
        (lambda: ipo.Effects(a=(0.1, 0.1, 0.1), b=(0.1, 0.1)), "b"),
        (lambda: ipo.Effects(rho=-0.6), "rho"),
        (lambda: ipo.Effects(noise=0), "noise"),
        (lambda: ipo.Effects(direct=(float("nan"), 0, 0)), "direct[0]"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(50), n_boot=5), "n_boot"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(50), level=1.2), "level"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(50).drop(columns="ewom")), "df"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(50).head(5)), "df"),
        (lambda: ipo.power_curve([100], [1.2]), "effects"),
        (lambda: ipo.power_curve([5], [0.2]), "ns"),
        (lambda: ipo.power_curve([100], [0.2], n_sims=1), "n_sims"),
        (lambda: ipo.power_normal(100, 0.2, method="exact"), "method"),
        (lambda: ipo.estimate_vs_truth(1.5, 100), "effect"),
        # every public function of the subpackage, through the one validator
        (lambda: ipo.simulate_survey(100, effects={"a": 0.3}), "effects"),
        (lambda: ipo.simulate_survey(True), "n"),
        (lambda: ipo.simulate_survey(100, seed=1.5), "seed"),
        (lambda: ipo.Effects(a="0.3"), "a[0]"),
        (lambda: ipo.Effects(a=(0.2,) * 4, rho=-0.4), "rho"),  # 4 chains: rho > -1/3
        (lambda: ipo.Effects(a=(0.2,) * 51), "the number of chains"),
        (lambda: ipo.Effects.uniform(0.3, chains=0), "chains"),
        (lambda: ipo.Effects.uniform(1.0), "path"),
        (lambda: ipo.Layout(0), "chains"),
        (lambda: ipo.chain_names(2.5), "chains"),
        (lambda: ipo.survey_columns(-1), "chains"),
        (lambda: ipo.estimate_mediation([[1.0] * 7] * 20), "df"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(50), seed=-3), "seed"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(50), chains=4), "df"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(50), chains=0), "chains"),
        (lambda: ipo.estimate_mediation(ipo.simulate_survey(20_001), n_boot=1000), "n * n_boot"),
        (lambda: ipo.power_curve([], [0.2]), "ns"),
        (lambda: ipo.power_curve([100], "0.2"), "effects"),
        (lambda: ipo.power_curve([100], [0.2], n_boot=10), "n_boot"),
        (lambda: ipo.power_curve([100], [0.2], seed=-1), "seed"),
        (lambda: ipo.power_curve([100], [0.2], level=0.4), "level"),
        (lambda: ipo.power_curve([100], [0.2], rho=1.0), "rho"),
        (lambda: ipo.power_curve([100], [0.2], noise=-1.0), "noise"),
        (lambda: ipo.power_curve([100], [0.2], chains=0), "chains"),
        (lambda: ipo.power_curve([100_000], [0.2], n_boot=1000), "n * n_boot"),
        (lambda: ipo.power_curve([100_000], [0.2], n_sims=1000, n_boot=50), "n_sims * n_boot * sum(ns)"),
        (lambda: ipo.power_normal(5, 0.2), "n"),
        (lambda: ipo.power_normal([100, float("nan")], 0.2), "n"),
        (lambda: ipo.power_normal(100, [0.2, 0.99]), "effect"),
        (lambda: ipo.power_normal(100, 0.2, noise=0), "noise"),
        (lambda: ipo.power_normal(100, 0.2, level=1.0), "level"),
        (lambda: ipo.power_normal([100, 200], [0.1, 0.2, 0.3]), "n and effect"),
        (lambda: ipo.power_grid([5]), "ns[0]"),
        (lambda: ipo.power_grid(50), "ns"),
        (lambda: ipo.estimate_vs_truth(0.3, 5), "n"),
        (lambda: ipo.estimate_vs_truth(0.3, 100, rho=1.2), "rho"),
        (lambda: ipo.estimate_vs_truth(0.3, 100, n_boot=10), "n_boot"),
        (lambda: ipo.estimate_expected(-0.1, 100), "effect"),
        (lambda: ipo.power_expected(100, 1.2), "effect"),
        (lambda: ipo.estimate_chart(pd.DataFrame({"x": [1]})), "frame"),
        (lambda: ipo.power_explorer(pd.DataFrame({"n": [1]})), "grid"),
        (lambda: ipo.evidence_for("suppliers"), "path"),
        (lambda: ipo.evidence_for("users", "outcome"), "stage"),
        (lambda: ipo.evidence_table(None), "path"),
        (lambda: ipo.evidence_attribution({"codes": ["E1"]}), "row"),
        (lambda: ipo.constructs_table("layer"), "level"),
        (lambda: ipo.findings("summary"), "kind"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_out_of_domain_input_names_the_parameter(call, name):
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value).startswith(name)


def test_nan_in_survey_is_rejected():
    df = ipo.simulate_survey(50)
    df.iloc[3, 2] = np.nan
    with pytest.raises(ValueError, match="finite"):
        ipo.estimate_mediation(df)


def test_slider_ranges_stay_inside_the_domains():
    for p in ipo.ESTIMATE_SLIDERS + ipo.ESTIMATE_LIVE_SLIDERS + ipo.POWER_SLIDERS:
        for v in (p.lo, p.hi):
            if p.name == "effect":
                ipo.Effects.uniform(v)
            elif p.name == "rho":
                ipo.Effects(rho=v)
            elif p.name == "noise":
                ipo.Effects(noise=v)
            elif p.name == "n":
                assert v >= 10


# --- mediation lab: model and estimator -------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    a=st.tuples(*[st.floats(-0.9, 0.9)] * 3),
    b=st.tuples(*[st.floats(-1.5, 1.5)] * 3),
    c=st.tuples(*[st.floats(-1, 1)] * 3),
    rho=st.floats(-0.4, 0.9),
)
def test_population_regressions_recover_the_paths_exactly(a, b, c, rho):
    """With the model's exact covariance (T'T), the estimator returns the true paths."""
    eff = ipo.Effects(a=a, b=b, direct=c, rho=rho)
    t = eff.transform()
    a_hat, b_hat, c_hat = ipo.model._solve_paths(t.T @ t)
    np.testing.assert_allclose(a_hat, a, atol=1e-9)
    np.testing.assert_allclose(b_hat, b, atol=1e-9)
    np.testing.assert_allclose(c_hat, c, atol=1e-9)


def test_simulated_moments_match_the_model():
    eff = ipo.Effects(a=(0.5, 0.3, 0.2), b=(0.4, 0.2, 0.6), rho=0.4)
    df = ipo.simulate_survey(200_000, eff, seed=11)
    cov = df.cov().to_numpy()
    # capabilities: unit variance, correlation rho; components: unit variance
    np.testing.assert_allclose(np.diag(cov)[:6], 1.0, atol=0.02)
    assert abs(cov[0, 1] - 0.4) < 0.02
    # cov(Xk, Mk) = a_k
    np.testing.assert_allclose([cov[0, 3], cov[1, 4], cov[2, 5]], eff.a, atol=0.02)
    assert abs(df["ewom"].std() - eff.ewom_sd()) < 0.02


def test_bootstrap_matches_a_naive_resampling_loop():
    df = ipo.simulate_survey(60, ipo.Effects.uniform(0.3), seed=5)
    res = ipo.estimate_mediation(df, n_boot=50, seed=9)
    rng = np.random.default_rng(9)
    idx = rng.integers(0, 60, size=(50, 60))
    z = df[list(ipo.COLUMNS)].to_numpy()
    for r in (0, 17, 49):
        s = z[idx[r]]
        x, m, y = s[:, :3], s[:, 3:6], s[:, 6]
        design = np.column_stack([np.ones(60), x, m])
        coef = np.linalg.lstsq(design, y, rcond=None)[0]
        for k in range(3):
            a_k = np.polyfit(x[:, k], m[:, k], 1)[0]
            assert math.isclose(res.boot[r, k], a_k * coef[4 + k], rel_tol=1e-8, abs_tol=1e-12)


def test_bootstrap_interval_covers_the_true_indirect_effect_about_95_percent():
    eff = ipo.Effects.uniform(0.4)
    truth = np.array(eff.indirect)
    hits = []
    for seed in range(200):
        t = ipo.estimate_mediation(ipo.simulate_survey(300, eff, seed=seed), n_boot=299, seed=seed).table
        hits.append((t["ci_low"] <= truth) & (truth <= t["ci_high"]))
    coverage = np.mean(hits)
    # 600 intervals; binomial s.d. at 0.95 is 0.009; allow about 3.5 s.d.
    assert 0.918 <= coverage <= 0.982, coverage


def test_false_positive_rate_is_about_five_percent_when_a_is_zero():
    eff = ipo.Effects(a=(0.0, 0.0, 0.0), b=(0.4, 0.4, 0.4))
    hits = []
    for seed in range(200):
        t = ipo.estimate_mediation(ipo.simulate_survey(300, eff, seed=50_000 + seed), n_boot=299, seed=seed).table
        hits.append(t["significant"])
    rate = np.mean(hits)
    assert 0.019 <= rate <= 0.081, rate


def test_false_positive_rate_is_far_below_five_percent_when_a_and_b_are_zero():
    """With both paths zero the product test is conservative (the page says so)."""
    eff = ipo.Effects(a=(0.0, 0.0, 0.0), b=(0.0, 0.0, 0.0))
    hits = [
        ipo.estimate_mediation(ipo.simulate_survey(200, eff, seed=70_000 + s), n_boot=199, seed=s).table["significant"]
        for s in range(100)
    ]
    assert np.mean(hits) <= 0.025, np.mean(hits)


def test_likert_scale_attenuates_but_keeps_the_sign():
    eff = ipo.Effects.uniform(0.4)
    t = ipo.estimate_mediation(ipo.simulate_survey(5000, eff, seed=1, scale="likert"), n_boot=100, seed=1).table
    assert (t["indirect"] > 0).all()


# --- mediation lab: any number of chains (issue 15, item 4) -----------------------------


@pytest.mark.parametrize("chains", [1, 2, 3, 4, 7])
def test_layout_names_disjoint_blocks_that_cover_the_matrix(chains):
    lay = ipo.Layout(chains)
    positions = [lay.const, *range(lay.size)[lay.x], *range(lay.size)[lay.m], lay.y]
    assert sorted(positions) == list(range(lay.size)) == list(range(2 * chains + 2))
    assert list(range(lay.size)[lay.regressors]) == list(range(lay.size)[lay.x]) + list(range(lay.size)[lay.m])
    assert ipo.Layout.of_size(lay.size) == lay
    assert len(ipo.survey_columns(chains)) == 2 * chains + 1 and len(ipo.chain_names(chains)) == chains


def test_three_chains_keep_the_paper_names():
    assert ipo.survey_columns(3) == ipo.COLUMNS and ipo.chain_names(3) == ipo.ACTORS
    assert ipo.Effects().chains == 3 and ipo.Effects().a == (0.3, 0.3, 0.3)


@pytest.mark.parametrize("chains", [2, 4])
def test_effects_of_any_number_of_chains_give_the_model_covariance(chains):
    """T'T is the model's covariance, derived here by hand from the model equations."""
    rng = np.random.default_rng(chains)
    a, b, c = rng.uniform(-0.8, 0.8, chains), rng.uniform(-1.5, 1.5, chains), rng.uniform(-1, 1, chains)
    rho, noise = 0.25, 1.3
    eff = ipo.Effects(a=tuple(a), b=tuple(b), direct=tuple(c), rho=rho, noise=noise)
    assert eff.chains == chains and eff.transform().shape == (2 * chains + 2,) * 2
    cov = (eff.transform().T @ eff.transform())[1:, 1:]
    r = np.full((chains, chains), rho) + (1 - rho) * np.eye(chains)  # cov(X)
    xm = r * a  # cov(X_i, M_j) = a_j cov(X_i, X_j)
    mm = np.outer(a, a) * r + np.diag(1 - a**2)  # cov(M_i, M_j)
    xy = xm @ b + r @ c
    my = mm @ b + xm.T @ c
    yy = b @ mm @ b + 2 * b @ xm.T @ c + c @ r @ c + noise**2
    want = np.block([[r, xm, xy[:, None]], [xm.T, mm, my[:, None]], [xy[None, :], my[None, :], np.array([[yy]])]])
    np.testing.assert_allclose(cov, want, atol=1e-12)
    assert math.isclose(eff.ewom_sd(), math.sqrt(yy), rel_tol=1e-12)
    # and the estimator recovers the paths from it exactly
    a_hat, b_hat, c_hat = ipo.model._solve_paths(eff.transform().T @ eff.transform())
    np.testing.assert_allclose(a_hat, a, atol=1e-9)
    np.testing.assert_allclose(b_hat, b, atol=1e-9)
    np.testing.assert_allclose(c_hat, c, atol=1e-9)


@pytest.mark.parametrize("chains", [2, 4])
def test_survey_and_estimate_with_any_number_of_chains(chains):
    eff = ipo.Effects.uniform(0.4, chains=chains)
    df = ipo.simulate_survey(400, eff, seed=chains)
    assert list(df.columns) == list(ipo.survey_columns(chains))
    res = ipo.estimate_mediation(df, n_boot=200, seed=1)
    assert res.table["path"].tolist() == [f"chain_{j}" for j in range(1, chains + 1)]
    assert res.boot.shape == (200, chains)
    assert res.table["significant"].all()
    # the point estimates are the per-chain OLS fits, computed here independently
    x = df[[f"capability_{j}" for j in range(1, chains + 1)]].to_numpy()
    m = df[[f"cocreation_{j}" for j in range(1, chains + 1)]].to_numpy()
    coef = np.linalg.lstsq(np.column_stack([np.ones(len(df)), x, m]), df["ewom"].to_numpy(), rcond=None)[0]
    a_hat = [np.polyfit(x[:, j], m[:, j], 1)[0] for j in range(chains)]
    np.testing.assert_allclose(res.table["a"], a_hat, rtol=1e-9)
    np.testing.assert_allclose(res.table["b"], coef[1 + chains:], rtol=1e-9)
    np.testing.assert_allclose(res.table["direct"], coef[1:1 + chains], atol=1e-12)
    # Likert data of any number of chains, and an explicit number of chains
    likert = ipo.simulate_survey(300, eff, seed=1, scale="likert", levels=5)
    assert likert.shape == (300, 2 * chains + 1) and likert.max().max() <= 5
    assert len(ipo.estimate_mediation(likert, n_boot=50, chains=chains).table) == chains


@pytest.mark.parametrize("chains", [2, 4])
def test_power_curve_with_any_number_of_chains(chains):
    pc = ipo.power_curve([80], [0.0, 0.5], n_sims=40, n_boot=99, chains=chains)
    assert sorted(pc["path"].unique()) == [f"chain_{j}" for j in range(1, chains + 1)]
    pooled = pc.groupby("effect")["power"].mean()
    # no false alarms at a = b = 0; near the normal-theory power (0.97) at a = b = 0.5
    assert pooled[0.0] <= 0.1
    assert abs(pooled[0.5] - float(ipo.power_normal(80, 0.5))) < 0.12


# --- mediation lab: power --------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(n=st.integers(10, 2000), dn=st.integers(0, 500), e=st.floats(0.0, 0.65), de=st.floats(0.0, 0.05),
       method=st.sampled_from(["joint", "sobel"]))
def test_normal_power_is_non_decreasing_in_n_and_effect(n, dn, e, de, method):
    """Up to a = b = 1/sqrt(2): a·sqrt(1 - a²), the signal-to-noise of b, peaks there."""
    p = float(ipo.power_normal(n, e, method=method))
    assert float(ipo.power_normal(n + dn, e, method=method)) >= p - 1e-12
    assert float(ipo.power_normal(n, min(e + de, 0.7), method=method)) >= p - 1e-12


def test_normal_power_falls_again_for_very_large_paths():
    """Collinearity of M with X: the joint test loses power as a = b goes past 0.71."""
    assert ipo.power_normal(30, 0.9) < ipo.power_normal(30, 0.7)


def test_simulated_power_is_non_decreasing_in_n_and_effect():
    pc = ipo.power_curve([40, 80, 160], [0.1, 0.2, 0.3, 0.4], n_sims=60, n_boot=99, seed=3)
    pooled = pc.groupby(["n", "effect"])["power"].mean().unstack()
    tol = 0.05  # Monte Carlo slack (3 x 60 tests per cell)
    assert (pooled.diff(axis=0).iloc[1:] >= -tol).all().all()
    assert (pooled.diff(axis=1).iloc[:, 1:] >= -tol).all().all()
    assert pooled.iloc[-1, -1] > pooled.iloc[0, 0] + 0.5


def test_stored_power_grid_is_monotone_and_agrees_with_normal_theory():
    g = ipo.stored_power_grid()
    table = g.pivot(index="n", columns="effect", values="power")
    assert (table.diff(axis=0).iloc[1:] >= -3 * g["mcse"].max()).all().all()
    assert (table.diff(axis=1).iloc[:, 1:] >= -3 * g["mcse"].max()).all().all()
    # the bootstrap test behaves like the joint-significance test once n >= 100
    big = g[g["n"] >= 100]
    assert (big["power"] - big["power_joint"]).abs().max() < 0.08


@pytest.mark.parametrize("n", [50, 100])
def test_static_power_explorer_agrees_with_the_package(n):
    stored = ipo.stored_power_grid()
    fresh = ipo.power_grid([n])
    mine = stored[stored["n"] == n].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, fresh, check_dtype=False, atol=1e-9)
    spec = ipo.power_explorer().to_dict()
    rows = pd.DataFrame(max(spec["datasets"].values(), key=len))
    assert len(rows) == len(stored)
    assert {p["name"] for p in spec["params"]} == {"n", "effect"}


def test_static_and_live_estimate_explorers_agree():
    grid = ipo.estimate_grid()
    assert len(grid) < 5000
    for setting in ({"effect": 0.3, "n": 150}, {"effect": 0.0, "n": 500}, {"effect": 0.5, "n": 50}):
        static = widgets.lookup(grid, ipo.ESTIMATE_SLIDERS, **setting)
        live = ipo.estimate_vs_truth(**setting)  # the live explorer's model at its defaults
        pd.testing.assert_frame_equal(static, live, check_dtype=False)
    spec = ipo.estimate_explorer().to_dict()
    assert {p["name"] for p in spec["params"]} == {"effect", "n"}
    for p in ipo.ESTIMATE_SLIDERS:
        assert next(q for q in ipo.ESTIMATE_LIVE_SLIDERS if q.name == p.name) == p


def test_live_explorer_shows_the_kernel_note_on_static_pages():
    bundle = ipo.estimate_live()._repr_mimebundle_()
    assert "kernel" in bundle["text/html"]


# --- the explorer registry -----------------------------------------------------------------


def test_power_sliders_are_the_stored_grid():
    n, effect = ipo.POWER_SLIDERS
    assert n.values().tolist() == list(ipo.POWER_NS)
    assert effect.values().tolist() == list(ipo.POWER_EFFECTS)
    grid = ipo.stored_power_grid()
    assert sorted(grid["n"].unique()) == list(ipo.POWER_NS)
    assert np.allclose(sorted(grid["effect"].unique()), ipo.POWER_EFFECTS)


def test_every_slider_chart_is_registered_with_its_sliders():
    assert [e.name for e in ipo.EXPLORERS] == ["estimate_explorer", "power_explorer"]
    for e in ipo.EXPLORERS:
        assert e.chapter == "ipo"
        spec = e.chart().to_dict()
        assert sorted(p["name"] for p in spec["params"] if "bind" in p) == sorted(e.slider_names)
        defaults = {p.name: p.default for p in e.sliders}
        expected = e.expected(**defaults)
        assert set(e.key) <= set(expected.columns) and len(expected) > 0
    estimate, power = ipo.EXPLORERS
    assert estimate.sliders == ipo.ESTIMATE_SLIDERS and power.sliders == ipo.POWER_SLIDERS
    assert estimate.live is ipo.estimate_live and power.live is None


def test_registry_expectations_match_the_package():
    """The rows the browser test compares with the page: as the hand list computed them."""
    grid = ipo.stored_power_grid()
    row = grid[(grid["n"] == 300) & np.isclose(grid["effect"], 0.4)]
    got = ipo.power_expected(n=300.0, effect=0.4)
    assert got.to_dict("records") == [{"n": 300.0, "effect": 0.4, "power": float(row["power"].iloc[0]),
                                       "power_joint": float(ipo.power_normal(300, 0.4))}]
    est = ipo.estimate_expected(effect=0.2, n=250.0)
    want = widgets.lookup(ipo.estimate_grid(), ipo.ESTIMATE_SLIDERS, effect=0.2, n=250)
    pd.testing.assert_frame_equal(est, want[["path", "truth", "estimate", "ci_low", "ci_high"]], check_dtype=False)


def test_power_grid_command_prints_usage_without_its_flag():
    from cocreation.ipo.__main__ import main

    with pytest.raises(SystemExit, match="usage"):
        main([])


# --- the notebook ---------------------------------------------------------------------------


def test_chapter_notebook_executes(tmp_path):
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nb = jupytext.read(ROOT / "book" / "ipo" / "cosmoplat_ewom.md")
    client = nbclient.NotebookClient(nb, timeout=60, interrupt_on_timeout=True, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


# --- wrong results a reader would see (issue 21, item 4) ----------------------------------


def test_a_negative_indirect_effect_is_significant_below_zero():
    """a·b = -0.25 on two chains; by the delta method its s.e. at n = 1000 is about
    sqrt(b²(1 - a²)/n + a²/(n(1 - a²))) ≈ 0.023, so the interval lies far below 0."""
    eff = ipo.Effects(a=(-0.5, 0.5, 0.4), b=(0.5, -0.5, 0.4))
    t = ipo.estimate_mediation(ipo.simulate_survey(1000, eff, seed=4), n_boot=400, seed=4).table
    assert t["significant"].tolist() == [True, True, True]
    assert (t["ci_high"].iloc[:2] < 0).all() and t["ci_low"].iloc[2] > 0
    np.testing.assert_allclose(t["indirect"], [-0.25, -0.25, 0.16], atol=0.08)


def test_significant_means_the_interval_excludes_zero_on_either_side():
    flags, sides = [], set()
    for seed in range(12):
        eff = ipo.Effects(a=(-0.3, 0.0, 0.3), b=(0.3, 0.3, 0.3))
        t = ipo.estimate_mediation(ipo.simulate_survey(200, eff, seed=seed), n_boot=100, seed=seed).table
        for row in t.itertuples():
            below, above = row.ci_high < 0, row.ci_low > 0
            sides.update({"below"} if below else set(), {"above"} if above else set())
            flags.append(row.significant == (below or above))
    assert all(flags) and sides == {"below", "above"}


def test_covers_means_the_truth_lies_between_both_ends():
    """Over seeds, some intervals miss the truth from above and some from below; the flag
    must be false for both (by definition: ci_low <= truth <= ci_high)."""
    missed = {"above": 0, "below": 0}
    for seed in range(40):
        t = ipo.estimate_vs_truth(0.4, 60, seed=seed, n_boot=100)
        for row in t.itertuples():
            if row.truth > row.ci_high:
                missed["above"] += 1
                assert not row.covers
            elif row.truth < row.ci_low:
                missed["below"] += 1
                assert not row.covers
            else:
                assert row.covers
    assert missed["above"] > 0 and missed["below"] > 0, missed


@pytest.mark.parametrize("levels", [5, 7])
def test_likert_answers_follow_the_normal_cut_points(levels):
    """Each latent score is standard normal (e-WOM after dividing by its model s.d.);
    answer k is the score's band [(k - 0.5 - c)/s, (k + 0.5 - c)/s) with centre
    c = (levels + 1)/2 and s = (levels - 1)/4 (the scale spans ±2 s.d.), the end bands open."""
    n = 200_000
    df = ipo.simulate_survey(n, ipo.Effects.uniform(0.4), seed=8, scale="likert", levels=levels)
    centre, spread = (levels + 1) / 2, (levels - 1) / 4

    def phi(z: float) -> float:
        return 0.5 * (1 + math.erf(z / math.sqrt(2)))

    cuts = [-math.inf] + [(k + 0.5 - centre) / spread for k in range(1, levels)] + [math.inf]
    expected = np.array([phi(hi) - phi(lo) for lo, hi in zip(cuts[:-1], cuts[1:])])
    for column in ("ecological_capability", "reciprocal_participation", "ewom"):
        shares = df[column].value_counts(normalize=True).reindex(range(1, levels + 1), fill_value=0).to_numpy()
        np.testing.assert_allclose(shares, expected, atol=0.006, err_msg=column)


def test_normal_power_matches_the_documented_formulas_worked_by_hand():
    """n = 100, a = b = 0.3, noise = 1, 95%: var(â) = (1 - a²)/n = 0.0091, var(b̂) =
    1/(n(1 - a²)) = 0.010989; joint = P(â sig.)·P(b̂ sig.), Sobel: z = a²/sqrt(a²var(â) + a²var(b̂))."""
    from statistics import NormalDist

    phi, crit = NormalDist().cdf, NormalDist().inv_cdf(0.975)
    var_a, var_b = 0.91 / 100, 1 / (100 * 0.91)

    def two_sided(z):
        return phi(z - crit) + phi(-z - crit)

    joint = two_sided(0.3 / math.sqrt(var_a)) * two_sided(0.3 / math.sqrt(var_b))
    sobel = two_sided(0.09 / math.sqrt(0.09 * var_a + 0.09 * var_b))
    assert float(ipo.power_normal(100, 0.3)) == pytest.approx(joint, rel=1e-9)
    assert float(ipo.power_normal(100, 0.3, method="sobel")) == pytest.approx(sobel, rel=1e-9)
    # noise enters var(b̂) only: noise 2 quadruples it
    joint2 = two_sided(0.3 / math.sqrt(var_a)) * two_sided(0.3 / math.sqrt(4 * var_b))
    assert float(ipo.power_normal(100, 0.3, noise=2.0)) == pytest.approx(joint2, rel=1e-9)
    # a 90% test: the critical value is the 95th percentile
    crit90 = NormalDist().inv_cdf(0.95)
    z = 0.09 / math.sqrt(0.09 * var_a + 0.09 * var_b)
    assert float(ipo.power_normal(100, 0.3, method="sobel", level=0.9)) == pytest.approx(
        phi(z - crit90) + phi(-z - crit90), rel=1e-9
    )


def test_power_curve_reports_the_binomial_monte_carlo_error():
    pc = ipo.power_curve([40], [0.0, 0.3, 0.6], n_sims=20, n_boot=60, seed=3)
    assert set(pc["indirect"].round(12)) == {0.0, 0.09, 0.36}
    for row in pc.itertuples():
        assert row.indirect == pytest.approx(row.effect**2)
        # the share of 20 surveys, and its standard error sqrt(p(1 - p)/20)
        assert (row.power * 20) == pytest.approx(round(row.power * 20))
        assert row.mcse == pytest.approx(math.sqrt(row.power * (1 - row.power) / 20))
    assert pc[pc["effect"] == 0.6]["power"].mean() > pc[pc["effect"] == 0.0]["power"].mean()


def test_power_grid_pools_the_chains_by_their_mean():
    curve = ipo.power_curve([50], list(ipo.POWER_EFFECTS), n_sims=10, n_boot=50, seed=5)
    grid = ipo.power_grid([50], n_sims=10, n_boot=50, seed=5)
    for row in grid.itertuples():
        part = curve[np.isclose(curve["effect"], row.effect)]
        assert row.power == pytest.approx(part["power"].sum() / 3, abs=1e-6)
        assert row.mcse == pytest.approx(part["mcse"].sum() / 3, abs=1e-6)
        assert row.power_joint == pytest.approx(float(ipo.power_normal(50, row.effect)), abs=1e-6)


@pytest.mark.parametrize("chains, fewest", [(1, 30), (3, 30), (4, 36), (10, 84)])
def test_estimates_need_min_rows_respondents(chains, fewest):
    """max(30, 4·(2k + 1)) rows: 30 up to three chains, then four per regression column."""
    assert ipo.min_rows(chains) == fewest
    eff = ipo.Effects.uniform(0.3, chains=chains)
    df = ipo.simulate_survey(fewest, eff, seed=1)
    assert len(ipo.estimate_mediation(df, n_boot=50).table) == chains
    with pytest.raises(ValueError, match=f"df must have at least {fewest} rows"):
        ipo.estimate_mediation(df.head(fewest - 1), n_boot=50)
    with pytest.raises(ValueError, match="ns"):
        ipo.power_curve([fewest - 1], [0.2], chains=chains)


def test_seeds_take_the_whole_documented_range_and_no_more():
    """Seeds are integers in [0, 2**63 - 1] (a signed 64-bit integer)."""
    assert len(ipo.simulate_survey(20, seed=2**63 - 1)) == 20
    with pytest.raises(ValueError, match="seed"):
        ipo.simulate_survey(20, seed=2**63)


def test_a_survey_too_large_is_refused_before_drawing():
    """n × (2·chains + 1) normal draws: 10**6 × 51 = 5.1·10**7 > 5·10**7 for 25 chains, while
    10**6 × 49 (24 chains) is within the bound (the draws are not made here: 2·chains
    + 1 columns of one row check the arithmetic at n = 10)."""
    with pytest.raises(ValueError, match=r"n \* \(2 \* chains \+ 1\) must be at most 50,000,000.*got 51,000,000"):
        ipo.simulate_survey(1_000_000, ipo.Effects.uniform(0.3, chains=25))
    assert ipo.simulate_survey(10, ipo.Effects.uniform(0.3, chains=24)).shape == (10, 49)


def test_a_power_curve_above_its_work_bound_is_refused_at_once():
    """n_sims × n_boot × sum(ns) = 77 × 247 × 52579 = 1,000,000,001, one above 10**9."""
    with pytest.raises(ValueError, match=r"must be at most 1,000,000,000 .*got 1,000,000,001"):
        ipo.power_curve([52579], [0.2], n_sims=77, n_boot=247)


def test_the_stored_power_grid_is_what_power_grid_computes():
    """Each sample size has its own random stream, so one row block of the shipped table
    (n = 50) is recomputed here with the documented defaults (sims, resamples, seed)."""
    stored = ipo.stored_power_grid()
    stored = stored[stored["n"] == 50].reset_index(drop=True)
    pd.testing.assert_frame_equal(ipo.power_grid([50]), stored, check_dtype=False, atol=1e-9)


def test_the_page_states_e_wom_s_scale_as_the_model_has_it():
    """e-WOM is not standardised: the SDs the page quotes are the model's."""
    page = (ROOT / "book" / "ipo" / "cosmoplat_ewom.md").read_text(encoding="utf-8")
    low, high = ipo.Effects.uniform(0.3).ewom_sd(), ipo.Effects.uniform(0.5).ewom_sd()
    # by hand: Var(Y) = 1 + b'Cov(M)b with Cov(M)_jk = a^2 rho (j != k), 1 on the diagonal
    rho = 0.3
    for v, sd in ((0.3, low), (0.5, high)):
        var_m = 3 * 1 + 6 * v * v * rho
        assert sd == pytest.approx((1 + v * v * var_m) ** 0.5)
    assert f"about {low:.2f} at *a* = *b* = 0.3 and\n{high:.2f} at 0.5" in page
