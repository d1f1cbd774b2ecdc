"""Tests of the OLI chapter's case presets: their data and grounds, their sensitivity, and
every number the page quotes about the simulator (recomputed here, so text and model
cannot drift).

They mirror :mod:`cocreation.oli.presets` and the preset tables of
:mod:`cocreation.oli.tables`; the model itself is tested in ``test_oli.py``.
"""

from __future__ import annotations

import re

from pathlib import Path

import pandas as pd
import pytest

from cocreation import data, oli

ROOT = Path(__file__).resolve().parents[1]


def _totals(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby("stage")["count"].sum()


# --- presets and page tables ------------------------------------------------------------


def test_presets_come_from_the_data_table():
    table = data.load("oli_presets")
    assert table["case"].tolist() == list(oli.PRESETS) == ["A", "B", "C", "D", "E"]
    # the values the page states (typed here, not read back from the code): A's emotional
    # readiness read like B's over-expectation, B's switch timing at the midpoint, no
    # brand-appeal factor for E, A's extra lapses
    assert oli.PRESETS["A"].disposition == oli.Disposition(0.45, 0.45)
    assert oli.PRESETS["B"].engagement == oli.Engagement(0.8, 0.95, 0.9, 0.5)
    assert oli.PRESETS["D"].engagement == oli.Engagement(0.3, 0.3, 0.2, 0.3)
    assert {c: dict(p.rates) for c, p in oli.PRESETS.items()} == {
        "A": {"learning_rate": 0.1, "lapse": 0.05},
        "B": {"learning_rate": 0.15},
        "C": {"learning_rate": 0.15},
        "D": {"learning_rate": 0.05},
        "E": {"learning_rate": 0.1},
    }
    assert oli.PRESETS["C"].rationale.startswith("Had not budgeted the near full-time employee")
    assert oli.load_presets() == oli.PRESETS


def test_preset_and_renewal_tables():
    t = oli.preset_table()
    assert t.columns.tolist() == ["Case", "Structural", "Emotional", "Reply speed", "Marketing", "Involvement",
                                  "Switch timing", "Learning rate λ", "Lapse rate δ"]
    assert t.set_index("Case").loc["A", "Lapse rate δ"] == 0.05 and t.set_index("Case").loc["B", "Lapse rate δ"] == 0.02
    outcomes = pd.DataFrame({"case": ["A", "A", "B"], "renew_share": [0.615, 0.615, 0.1], "stayed": [True, True, False]})
    r = oli.renewal_table(outcomes)
    assert r.to_dict("list") == {"Case": ["A", "B"], "Runs that renew": ["62%", "10%"], "Table 1": ["stayed", "left"]}



# --- grounds of the presets and their sensitivity -----------------------------------------


def test_every_preset_number_is_read_from_its_own_case_or_labelled_a_free_choice():
    grounds = data.load("oli_preset_grounds")
    quotes = data.load("oli_quotes").set_index("id")
    parts = ["structural", "emotional", "reply_speed", "marketing", "involvement", "switch_timing", "learning_rate"]
    for case, pre in oli.PRESETS.items():
        rows = grounds[grounds["case"] == case]
        # one row for each readiness and engagement part and the learning rate, and one
        # for every other rate the preset sets
        assert sorted(rows["parameter"]) == sorted(parts + [k for k in pre.rates if k != "learning_rate"]), case
    for _, row in grounds.iterrows():
        if isinstance(row["quote"], str):
            # a number is read from a quotation of the same firm, never another's
            assert quotes.loc[row["quote"], "case"] == row["case"], (row["case"], row["parameter"])
            assert not row["basis"].startswith("free choice")
        else:
            assert row["basis"].startswith("free choice:"), (row["case"], row["parameter"])
    # the reviewer's three points: A's emotional readiness now has a quotation behind it,
    # B's switch timing is labelled a free choice, and no brand factor is left for E
    g = oli.grounds().set_index(["case", "parameter"])
    assert g.loc[("A", "emotional"), "quote"] == "q08" and g.loc[("B", "switch_timing"), "free"]
    assert "brand_appeal" not in data.load("oli_presets").columns
    assert "fudge" not in oli.PRESETS["E"].rationale and "no plausible factor" in oli.PRESETS["E"].rationale


def test_parameter_ranges_follow_the_stated_rule():
    # a number read from a quotation moves ±0.15, a free choice ±0.3 (learning rate ±0.05
    # / ±0.1, lapse ±0.02), clipped to [0, 1]; B's RFQ figure is monthly (1) or a total (1/24)
    r = oli.parameter_ranges("B").set_index("parameter")
    assert r.loc["structural", ["lo", "hi"]].tolist() == pytest.approx([0.70, 1.00])
    assert r.loc["switch_timing", ["lo", "hi"]].tolist() == pytest.approx([0.2, 0.8])
    assert r.loc["learning_rate", ["lo", "hi"]].tolist() == pytest.approx([0.10, 0.20])
    assert r.loc["lapse", ["lo", "hi"]].tolist() == pytest.approx([0.0, 0.04])
    assert r.loc["rfq_reading", ["lo", "hi"]].tolist() == pytest.approx([1 / 24, 1.0])
    d = oli.parameter_ranges("D").set_index("parameter")
    assert d.loc["structural", ["lo", "hi"]].tolist() == pytest.approx([0.0, 0.25])
    assert d.loc["learning_rate", ["lo", "hi"]].tolist() == pytest.approx([0.0, 0.15])


def test_one_at_a_time_moves_the_right_number():
    oat = oli.one_at_a_time(n_runs=200)
    assert len(oat) == 5 * 9 and set(oat["case"]) == set(oli.CASES)
    b = oat[oat.case == "B"].set_index("parameter")
    # reading B's RFQs as a two-year total: compare with an independent run at rfq_max / 24
    total = oli.simulate_many(oli.PRESETS["B"].disposition, oli.PRESETS["B"].engagement, n_runs=2000, seed=9,
                              **{**oli.PRESETS["B"].rates, "rfq_max": oli.Rates().rfq_max / 24})
    assert abs(b.loc["rfq_reading", "at_lo"] - total["renews"].mean()) < 0.06
    assert b.loc["rfq_reading", "at_hi"] > 0.8
    # structural readiness is what B's stay leans on most among its own numbers
    swing = (b["at_hi"] - b["at_lo"]).drop("rfq_reading")
    assert swing.idxmax() == "structural"
    spec = oli.sensitivity_chart(oat).to_dict()
    assert spec["facet"]["row"]["field"] == "case"


def test_preset_sensitivity_is_seeded_and_bounded():
    a = oli.preset_sensitivity(n_draws=10, n_runs=10, seed=3)
    assert a.equals(oli.preset_sensitivity(n_draws=10, n_runs=10, seed=3))
    assert ((a["holds"] >= 0) & (a["holds"] <= 1)).all()
    assert oli.sensitivity_table(a)["Model firm"].tolist() == ["leaves", "stays", "leaves", "leaves", "leaves"]


# --- every number the page quotes about the model, recomputed ----------------------------

#: The page as a reader reads it: a symbol linked to the notation page, "[$w$](notation-oli) $= 5$",
#: reads "$w = 5$".
PAGE = re.sub(
    r"\[\$([^$]+)\$\]\(notation-\w+\)(?: \$= ([^$]+)\$)?",
    lambda m: f"${m[1]} = {m[2]}$" if m[2] else f"${m[1]}$",
    " ".join((ROOT / "book" / "oli" / "cbec_new_oli.md").read_text(encoding="utf-8").split()),
)


def _expected(case, **over):
    pre = oli.PRESETS[case]
    return _totals(oli.expected_funnel(pre.disposition, pre.engagement, **{**pre.rates, **over}))


def _share(case, disposition=None, engagement=None, **over):
    pre = oli.PRESETS[case]
    out = oli.simulate_many(disposition or pre.disposition, engagement or pre.engagement, n_runs=2000, seed=0,
                            **{**pre.rates, **over})
    return out


def _pct(x):
    return f"{100 * x:.0f}%"


@pytest.fixture(scope="module")
def page_numbers():
    a, b, e, d = (oli.PRESETS[c] for c in "ABED")
    outcomes = oli.preset_outcomes(n_seeds=200).groupby("case")["renew_share"].first()
    sens = oli.preset_sensitivity(n_draws=60, n_runs=40).set_index("case")["holds"]
    drv = {c: oli.drivers(p.disposition, p.engagement, **p.rates) for c, p in oli.PRESETS.items()}
    b_total = _share("B", rfq_max=oli.Rates().rfq_max / 24)
    b_weak = oli.Disposition(0.4, b.disposition.emotional)
    ex_b = _expected("B")

    def sw(x):
        return oli.Engagement(b.engagement.reply_speed, b.engagement.marketing, b.engagement.involvement, x)

    def a_at(m):
        return _share("A", disposition=oli.Disposition(a.disposition.structural, m))["renews"].mean()

    e_struct = {s: oli.Disposition(s, e.disposition.emotional) for s in (0.15, 0.35, 0.55, 0.75)}
    return {
        # advantages over time
        "(linkage 0.75, open resource 0.74, integration 0.78)": (
            f"(linkage {drv['B']['linkage'].iloc[-1]:.2f}, open resource {drv['B']['open_resource'].iloc[-1]:.2f}, "
            f"integration {drv['B']['integration'].iloc[-1]:.2f})"),
        "structural readiness from 0.85 to 0.91": f"structural readiness from {drv['B']['structural'].iloc[0]:.2f} to {drv['B']['structural'].iloc[-1]:.2f}",
        "(open resource 0.05, the others 0.22)": (
            f"(open resource {drv['D']['open_resource'].iloc[-1]:.2f}, the others "
            f"{drv['D']['linkage'].iloc[-1]:.2f})" if round(drv['D']['linkage'].iloc[-1], 2) == round(drv['D']['integration'].iloc[-1], 2) else "differ"),
        "falls from 0.35 in the first month to 0.18 in the last": (
            f"falls from {drv['A']['engagement'].iloc[0]:.2f} in the first month to {drv['A']['engagement'].iloc[-1]:.2f} in the last"),
        # Case A
        "A expects 0.66 first purchases and 0.06 repeat buyers": (
            f"A expects {_expected('A')['expansion']:.2f} first purchases and {_expected('A')['commitment']:.2f} repeat buyers"),
        "and renews in 4% of runs": f"and renews in {_pct(outcomes['A'])} of runs",
        "A renews in 1% of runs at 0.3, 9% at 0.75": f"A renews in {_pct(a_at(0.3))} of runs at 0.3, {_pct(a_at(0.75))} at 0.75",
        "and 20% at 1.": f"and {_pct(a_at(1.0))} at 1.",
        # Case B
        "B expects about 2.0 million views and 93 RFQs a month, 11 first purchases and 1.5 repeat buyers": (
            f"B expects about {ex_b['awareness'] / 24 / 1e6:.1f} million views and {ex_b['exploration'] / 24:.0f} RFQs a month, "
            f"{ex_b['expansion']:.0f} first purchases and {ex_b['commitment']:.1f} repeat buyers"),
        "and renews in 96% of runs.": f"and renews in {_pct(outcomes['B'])} of runs.",
        "from 0.2 to 0.8 it moves renewal only from 95% to 98%": (
            f"from 0.2 to 0.8 it moves renewal only from {_pct(_share('B', engagement=sw(0.2))['renews'].mean())} "
            f"to {_pct(_share('B', engagement=sw(0.8))['renews'].mean())}"),
        "B expects 0.27 first purchases and renews in 3% of runs": (
            f"B expects {_expected('B', rfq_max=oli.Rates().rfq_max / 24)['expansion']:.2f} first purchases "
            f"and renews in {_pct(b_total['renews'].mean())} of runs"),
        # Case E and stress
        "The model expects 0.16 first purchases and 0.01 repeat buyers over 24 months": (
            f"The model expects {_expected('E')['expansion']:.2f} first purchases and {_expected('E')['commitment']:.2f} "
            "repeat buyers over 24 months"),
        "it still leaves in 99% of runs": f"it still leaves in {_pct(1 - _share('E', stress=0.0)['renews'].mean())} of runs",
        "four times the default brand appeal gives 0.63 expected first purchases": (
            f"four times the default brand appeal gives {_expected('E', brand_appeal=4.0)['expansion']:.2f} expected first purchases"),
        "it still expects 4.0 first purchases": f"it still expects {_share('B', disposition=b_weak)['first'].mean():.1f} first purchases",
        "in 12% of runs, against 66% with the stress term set to 0": (
            f"in {_pct(_share('B', disposition=b_weak)['renews'].mean())} of runs, against "
            f"{_pct(_share('B', disposition=b_weak, stress=0.0)['renews'].mean())} with the stress term set to 0"),
        # sensitivity
        "holds in 100% of the draws for A, C, D and E and in 97% for B": (
            f"holds in {_pct(sens['A'])} of the draws for A, C, D and E and in {_pct(sens['B'])} for B"
            if sens["A"] == sens["C"] == sens["D"] == sens["E"] else "differ"),
        # exercises
        "full engagement gives about 0.3); at 0.8 an engagement of 0.6 suffices": (
            f"full engagement gives about {oli.funnel_totals(0.3, 1.0).set_index('stage').loc['commitment', 'expected']:.1f}); "
            f"at 0.8 an engagement of {_min_engagement(0.8):.1f} suffices"),
        "at most 2 of the 100 runs": "at most {} of the 100 runs".format(max(
            int(oli.simulate_many(disp, e.engagement, n_runs=100, seed=0, **e.rates)["renews"].sum()) for disp in e_struct.values())),
        "grow only from 0.16 at the preset's 0.15 to 1.14 at 0.75": (
            f"grow only from {_totals(oli.expected_funnel(e_struct[0.15], e.engagement, **e.rates))['expansion']:.2f} at the "
            f"preset's 0.15 to {_totals(oli.expected_funnel(e_struct[0.75], e.engagement, **e.rates))['expansion']:.2f} at 0.75"),
        "(it needs 5.0 buyer-equivalents)": f"(it needs {oli.renewal_threshold(e.disposition):.1f} buyer-equivalents)",
    }


def _min_engagement(d):
    for k in range(11):
        if oli.funnel_totals(d, k / 10).set_index("stage").loc["commitment", "expected"] >= 1:
            return k / 10
    return float("nan")


def test_every_number_the_page_quotes_is_what_the_model_computes(page_numbers):
    for quoted, computed in page_numbers.items():
        assert quoted in PAGE, f"the page no longer says: {quoted!r}"
        assert computed == quoted, f"the page says {quoted!r}, the model computes {computed!r}"


def test_page_states_what_the_model_assumes_and_leaves_out():
    assert ":class: model-assumptions" in PAGE
    for phrase in ("What the simulator leaves out", "Disposition is a starting value you set",
                   "cannot test that claim", "adds **no evidence**", "free choice"):
        assert phrase in PAGE, phrase
    # the reviewer's flagged sentences are gone
    for stale in ("overstates what brand appeal achieves", "brand appeal of 4", "weighs six, not five",
                  "threshold of 0, so it renews even with"):
        assert stale not in PAGE, stale


def test_the_rates_and_ranges_the_page_states():
    r = oli.Rates()
    stated = {
        "$w = 5$ times": r.commit_weight == 5,
        "$S = 1$ buyer-equivalent per 100 RFQs": r.stress == 1,
        "with $N = 1$": r.base_need == 1,
        "and $E = 5$": r.expectation == 5,
        "$\\gamma = 0.1$": r.advantage_rate == 0.1,
        "2% a month by default": r.lapse == 0.02,
        "$\\sigma_t = \\bar R_t / (\\bar R_t + 10)$": r.learning_half == 10,
        "raises the RFQs a view brings, up to twice as many": r.linkage_boost == 1,
        "raises the chance that a lead buys, up to twice": r.open_boost == 1,
        "fills up to half of the gap in structural readiness": r.integration_boost == 0.5,
        "0.45 like B's over-expectation": oli.PRESETS["A"].disposition.emotional == oli.PRESETS["B"].disposition.emotional == 0.45,
        "Its switch timing is a free choice (the midpoint)": oli.PRESETS["B"].engagement.switch_timing == 0.5,
        "a number read from a quotation by ±0.15 (the learning rate by ±0.05, the lapse rate by ±0.02), a free choice by ±0.3 (the learning rate by ±0.1)": (
            oli.UNCERTAIN["structural"]["grounded"] == 0.15 and oli.UNCERTAIN["structural"]["free"] == 0.3
            and oli.UNCERTAIN["learning_rate"]["grounded"] == 0.05 and oli.UNCERTAIN["learning_rate"]["free"] == 0.1
            and oli.UNCERTAIN["lapse"]["grounded"] == oli.UNCERTAIN["lapse"]["free"] == 0.02),
        "with 200 seeded runs at each end": "oli.one_at_a_time(n_runs=200)" in PAGE,
        "in 60 seeded random draws of 40 runs each": "oli.preset_sensitivity(n_draws=60, n_runs=40)" in PAGE,
        "(the RFQ rate cut 24-fold)": oli.parameter_ranges("B").set_index("parameter").loc["rfq_reading", "lo"] == pytest.approx(1 / 24),
    }
    for phrase, holds in stated.items():
        assert phrase in PAGE, f"the page no longer says: {phrase!r}"
        assert holds, f"the page says {phrase!r}, the package does not"


def test_the_funnel_try_this_answer_is_what_the_explorer_shows():
    def repeat(disposition, engagement):
        rows = oli.funnel_totals(disposition, engagement, 0.1).set_index("stage")
        return rows.loc["commitment", "expected"]

    for phrase, value in [("engaged but unready firm about {:.2f}", repeat(0.2, 0.8)),
                          ("little-engaged one about {:.2f}", repeat(0.8, 0.2)),
                          ("model expects about {:.2f}\nrepeat buyers", repeat(0.8, 0.8))]:
        text = phrase.format(value)
        assert text.replace("\n", " ") in " ".join(PAGE.split()), f"the Try-this answer no longer says {text!r}"
    assert repeat(0.2, 0.8) > repeat(0.8, 0.2) > 0
