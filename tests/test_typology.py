"""Tests of the typology chapter: data, stated links, the readiness assessment, explorers.

Expected values are typed from the source (file 001) or derived by hand in the comments,
never copied from the code's output.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import sources_dir

from cocreation import data, typology, widgets
from cocreation.typology import explorers

ROOT = Path(__file__).resolve().parents[1]
ITEMS = list(typology.items()["id"])
THEME_OF = typology.items().set_index("id")["theme"].to_dict()
VALUES = ["strategic_coplanning", "functional", "org_learning", "customer_experience"]


# --- data ---------------------------------------------------------------------------------


def test_nineteen_interviewees_in_three_groups_and_six_organisations():
    people = data.load("typology_interviewees")
    assert len(people) == 19  # "Nineteen interviews were undertaken" (3.1)
    # Table 2: Huanuo 5; PX 3 + IoT 2 + cloud 2 + AI 4 = 11; HW 3.
    assert people["group"].value_counts().to_dict() == {"ai_provider": 11, "supplier": 5, "customer": 3}
    assert people.groupby("organisation").size().to_dict() == {
        "huanuo": 5, "px": 3, "iot": 2, "cloud": 2, "ai_software": 4, "hw": 3,
    }
    assert len(data.load("typology_organisations")) == 6  # "six companies" (Abstract)
    # Table 2 prints bracketed codes for all but the CEO and CTO.
    assert set(people.loc[~people["code_in_table"], "id"]) == {"CEO", "CTO"}


def test_value_types_with_their_dimensions():
    dims = data.load("typology_value_dimensions")
    # Table 3: 4 + 3 + 3 + 3 dimensions.
    assert dims.groupby("value_type", sort=False).size().to_dict() == {
        "strategic_coplanning": 4, "functional": 3, "org_learning": 3, "customer_experience": 3,
    }
    assert list(typology.value_types()["id"]) == VALUES


def test_capability_themes_with_their_items():
    # Table 4: 6 + 5 + 5 capabilities under three themes.
    counts = typology.items().groupby("theme", sort=False).size().to_dict()
    assert counts == {"system_management": 6, "commercialisation": 5, "interpersonal": 5}
    assert len(typology.themes()) == 3
    prefix = {"system_management": "sm_", "commercialisation": "cb_", "interpersonal": "ip_"}
    assert all(i.startswith(prefix[t]) for i, t in THEME_OF.items())


def test_page_tables_join_table_3_and_table_4():
    values = typology.value_table()
    assert values.columns.tolist() == ["name", "definition", "dimensions"]
    # Table 3's first value type and its four dimensions, typed from the source table
    assert values.iloc[0]["name"] == "Value of strategic co-planning"
    assert values["dimensions"].str.split("; ").map(len).tolist() == [4, 3, 3, 3]
    dims = data.load("typology_value_dimensions")
    for (_, row), vid in zip(values.iterrows(), VALUES):
        assert row["dimensions"].split("; ") == dims.loc[dims["value_type"] == vid, "dimension"].tolist()
    capabilities = typology.theme_table()
    assert capabilities.columns.tolist() == ["name", "definition", "capabilities"]
    assert capabilities["capabilities"].str.split("; ").map(len).tolist() == [6, 5, 5]
    joined = [c for cell in capabilities["capabilities"] for c in cell.split("; ")]
    assert joined == typology.items()["item"].tolist()  # every item once, in Table 4's order


def test_every_quote_references_an_existing_role_code_and_construct():
    quotes = data.load("typology_quotes")
    codes = set(data.load("typology_interviewees")["id"])
    assert set(quotes["role_code"]) <= codes
    for _, q in quotes.iterrows():
        assert pd.notna(q["value_type"]) or pd.notna(q["theme"]), q["id"]
        if pd.notna(q["value_type"]):
            assert q["value_type"] in VALUES
        if pd.notna(q["item"]):
            assert THEME_OF[q["item"]] == q["theme"], q["id"]
    # every value type and every theme is illustrated by at least one quotation
    assert set(quotes["value_type"].dropna()) == set(VALUES)
    assert set(quotes["theme"].dropna()) == set(typology.themes()["id"])


def test_links_reference_existing_items_of_their_theme():
    links = typology.stated_links()
    for _, link in links.iterrows():
        assert link["value_type"] in VALUES
        if link["level"] == "item":
            assert THEME_OF[link["item"]] == link["theme"]
        else:
            assert pd.isna(link["item"])


def test_method_figures_convert_and_fit_together():
    m = data.load("typology_method").set_index("id")
    words = {"Nineteen": 19, "six": 6}

    def parse(text: str) -> float:
        if text in words:
            return words[text]
        hours = re.search(r"([\d.]+) hours?", text)
        minutes = re.search(r"(\d+) minutes?", text)
        return (float(hours.group(1)) * 60 if hours else 0) + (float(minutes.group(1)) if minutes else 0)

    for key, row in m.iterrows():
        assert parse(row["reported"]) == pytest.approx(row["value"]), key
    n = m.loc["interviews", "value"]
    assert n == len(data.load("typology_interviewees"))
    # a total of n interviews each between the shortest and longest length
    assert n * m.loc["min_length", "value"] <= m.loc["total_length", "value"] <= n * m.loc["max_length", "value"]


def test_glossary_and_all_tables_load():
    for name in data.tables():
        if name.startswith("typology_"):
            assert len(data.load(name)) > 0, name
    assert {"functional value", "co-creation readiness assessment"} <= set(data.load("typology_glossary")["term"])


# --- provenance (also covered book-wide by the provenance test) -------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


@pytest.fixture(scope="module")
def source_text() -> str:
    folder = sources_dir()
    files = sorted(folder.glob("001_*.txt"))
    if not files:
        pytest.skip(f"source 001 not found in {folder} (set COCREATION_SOURCES)")
    return files[0].read_text(encoding="utf-8")


def test_quotations_are_verbatim(source_text):
    text = _norm(source_text)
    checked = 0
    for name in data.tables():
        if not name.startswith("typology_"):
            continue
        spec = data.schema(name)
        frame = data.load(name)
        for column in spec.get("quote_fields") or []:
            for number, value in enumerate(frame[column], start=1):
                for piece in re.split(r"\[…\]|…", value):
                    assert _norm(piece) in text, f"{name} row {number}: {piece!r} not in source 001"
                checked += 1
    assert checked >= 35


def test_reported_figures_occur_after_their_locator(source_text):
    for name in ("typology_interviewees", "typology_method", "typology_timeline"):
        spec = data.schema(name)
        frame = data.load(name)
        for column in spec["figure_fields"]:
            for _, row in frame.iterrows():
                start = source_text.find(row["locator"])
                assert start >= 0, row["locator"]
                for number in re.findall(r"\d+(?:\.\d+)?", str(row[column])):
                    assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", source_text[start:start + 5000]), (name, number)


# --- the stated links and the matrix ----------------------------------------------------------

# Typed from the source. Section 5: "management system capabilities are most useful in
# generating functional value and customer experience value, whereas commercialisation-based
# capabilities and interpersonal capabilities are much needed to facilitate the co-creation of
# strategic co-planning value and organisational learning value".
THEME_LINKS = {
    ("system_management", "functional"), ("system_management", "customer_experience"),
    ("commercialisation", "strategic_coplanning"), ("commercialisation", "org_learning"),
    ("interpersonal", "strategic_coplanning"), ("interpersonal", "org_learning"),
}
# Section 4.2: reflection/re-use -> functional; adhering to standards -> functional;
# expanding market and new business -> strategic co-planning; balancing hard and soft ->
# "the value of strategic planning".
ITEM_LINKS = {
    ("sm_reflection", "functional"), ("sm_standards", "functional"),
    ("cb_new_business", "strategic_coplanning"), ("ip_balancing", "strategic_coplanning"),
}


def test_matrix_reproduces_exactly_the_stated_links():
    assert set(map(tuple, typology.stated_links("theme")[["theme", "value_type"]].values)) == THEME_LINKS
    assert set(map(tuple, typology.stated_links("item")[["item", "value_type"]].values)) == ITEM_LINKS
    m = typology.stated_matrix()
    for item, value in itertools.product(ITEMS, VALUES):
        expected = "item" if (item, value) in ITEM_LINKS else "theme" if (THEME_OF[item], value) in THEME_LINKS else ""
        assert m.loc[item, value] == expected, (item, value)


def test_item_links_fall_inside_theme_links():
    assert {(THEME_OF[i], v) for i, v in ITEM_LINKS} <= THEME_LINKS


def test_mapping_matrix_weights_follow_the_links():
    w = typology.mapping_matrix()
    status = typology.stated_matrix()
    assert ((w == 0) == (status == "")).all().all()
    assert (w.to_numpy()[(status == "theme").to_numpy()] == 1.0).all()
    assert (w.to_numpy()[(status == "item").to_numpy()] == 2.0).all()
    w2 = typology.mapping_matrix(theme_weight=2, item_bonus=0.5)
    assert w2.loc["sm_reflection", "functional"] == 2.5
    for bad in ({"theme_weight": 0}, {"theme_weight": float("nan")}, {"item_bonus": -1}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            typology.mapping_matrix(**bad)


def test_matrix_chart_shows_the_stated_status_and_selections():
    spec = typology.matrix_chart().to_dict()
    assert {p["name"] for p in spec["params"]} == {"pick_item", "pick_value", "pick_theme"}
    assert all(p["select"]["type"] == "point" and p["select"]["on"] == "click" for p in spec["params"])
    datasets = spec["datasets"]
    cells = next(pd.DataFrame(rows) for rows in datasets.values() if rows and "status" in rows[0])
    assert len(cells) == 16 * 4
    stated = cells[cells["status"] != typology.STATUS_NONE]
    # 6 theme links cover 6+6+5+5+5+5 = 32 cells
    assert len(stated) == 32
    assert set(map(tuple, cells.loc[cells["status"] == typology.STATUS_ITEM, ["item", "value_type"]].values)) == ITEM_LINKS


def test_stakeholder_chart_has_all_interviewees_and_a_dropdown():
    spec = typology.stakeholder_chart().to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 19
    assert spec["params"][0]["bind"]["input"] == "select"
    assert "stakeholder_group" in spec["transform"][0]["filter"]


# --- assess -------------------------------------------------------------------------------------

ratings_st = st.fixed_dictionaries({i: st.integers(1, 5) for i in ITEMS})
per_stakeholder_st = st.fixed_dictionaries({s: ratings_st for s in typology.STAKEHOLDERS})


def test_hand_derived_scores():
    # sm_reflection = 5, all else 3. Functional: system management weights are 2 (reflection),
    # 2 (standards) and 1 x 4, total 8, so the mean is (8*3 + 2*2)/8 = 3.5 -> 25*2.5 = 62.5.
    # Customer experience: all six weigh 1, (6*3 + 2)/6 = 10/3 -> 25*(7/3) = 58.33.
    r = {i: 3 for i in ITEMS} | {"sm_reflection": 5}
    c = typology.assess(r).combined
    assert c["functional"] == pytest.approx(62.5)
    assert c["customer_experience"] == pytest.approx(175 / 3)
    assert c["strategic_coplanning"] == pytest.approx(50.0)
    assert typology.assess({i: 1 for i in ITEMS}).combined.tolist() == [0.0] * 4
    assert typology.assess({i: 5 for i in ITEMS}).combined.tolist() == [100.0] * 4


@settings(max_examples=60, deadline=None)
@given(per_stakeholder_st, st.sampled_from(["mean", "min"]))
def test_assess_is_bounded(ratings, combine):
    result = typology.assess(ratings, combine=combine)
    assert result.scores["score"].between(0, 100).all()
    assert result.combined.between(0, 100).all()
    assert len(result.weakest) == 3 and set(result.weakest) <= set(ITEMS)


@settings(max_examples=60, deadline=None)
@given(per_stakeholder_st, st.sampled_from(typology.STAKEHOLDERS), st.sampled_from(ITEMS), st.sampled_from(["mean", "min"]))
def test_assess_is_monotone(ratings, who, item, combine):
    before = typology.assess(ratings, combine=combine)
    raised = {s: dict(r) for s, r in ratings.items()}
    raised[who][item] = min(5, raised[who][item] + 1)
    after = typology.assess(raised, combine=combine)
    assert (after.combined.values >= before.combined.values - 1e-12).all()
    assert (after.scores["score"].values >= before.scores["score"].values - 1e-12).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_theme_ratings_give_the_papers_pairs(sm, cb, ip):
    # With whole themes rated, functional and customer experience value depend on system
    # management only, and the other two on the mean of the soft themes (weights 6 and 6).
    c = typology.assess({"system_management": sm, "commercialisation": cb, "interpersonal": ip}).combined
    assert c["functional"] == pytest.approx(25 * (sm - 1))
    assert c["customer_experience"] == pytest.approx(25 * (sm - 1))
    assert c["strategic_coplanning"] == pytest.approx(25 * ((cb + ip) / 2 - 1))
    assert c["org_learning"] == pytest.approx(25 * ((cb + ip) / 2 - 1))


def test_item_rating_overrides_theme_and_weakest_ordering():
    r = typology.assess({"system_management": 4, "commercialisation": 4, "interpersonal": 4, "ip_trust": 2, "cb_new_business": 2})
    assert r.item_ratings["ip_trust"] == 2 and r.item_ratings["ip_network"] == 4
    # By hand (column totals: strategic co-planning 12, learning 10): raising new business
    # from 2 to 5 adds 25*3*(2/12 + 1/10) = 20 points, trust 25*3*(1/12 + 1/10) = 13.75,
    # a system management item rated 4 at most 25*1*(2/8 + 1/6) = 10.4.
    assert r.weakest[:2] == ("cb_new_business", "ip_trust")
    assert r.priorities["gain"].iloc[:2].tolist() == pytest.approx([20.0, 13.75])
    low = typology.assess({"supplier": {"system_management": 5, "commercialisation": 5, "interpersonal": 5},
                           "customer": {"system_management": 1, "commercialisation": 5, "interpersonal": 5}}, combine="min")
    assert low.combined["functional"] == 0.0 and low.combined["org_learning"] == 100.0


# --- what to develop next: the paper's links and who holds which capability -------------------
# Column totals of the default matrix, by hand from the stated links: functional 6 items + 2
# named = 8; customer experience 6; strategic co-planning 10 items + 2 named = 12; learning 10.


def test_holders_follow_the_sentences_of_section_4_2(source_text):
    text = _norm(source_text)
    table = data.load("typology_capability_holders")
    for row in table.itertuples():
        for piece in row.evidence.split("…"):
            assert _norm(piece) in text, piece
    assert typology.holders() == {
        "sm_reflection": ("ai_provider",),  # "PX Consulting and IT provider need to have the capability to reflect"
        "cb_negotiation": ("supplier", "customer", "ai_provider"),  # "the participating parties"; inside Huanuo
        "cb_rnd": ("supplier", "customer"),  # "both Huanuo and HW ... use R&D capability"
        "ip_trust": ("supplier", "customer"),  # "leaders in Huanuo, and ideally also HW"
    }


def test_develop_next_counts_a_placed_capability_only_at_its_holders():
    # Everyone rates everything 4; the customer rates reflection 1 and the AI provider
    # rates simplifying 2. Mean combined ratings: reflection 3, simplifying 3.33, so
    # "lowest rating first" would pick reflection. But the paper asks reflection of the AI
    # provider (rated 4): 25*1*(2/8 + 1/6)/3 = 3.47 points; simplifying is placed with no
    # one, and the AI provider's 2 gives 25*3*(1/8 + 1/6)/3 = 7.29. Standards (4, any
    # party) ties reflection at 3.47 and follows it in Table 4's order.
    ratings = {p: {"system_management": 4, "commercialisation": 4, "interpersonal": 4} for p in typology.STAKEHOLDERS}
    ratings["customer"]["sm_reflection"] = 1
    ratings["ai_provider"]["sm_simplifying"] = 2
    r = typology.assess(ratings)
    assert r.item_ratings["sm_reflection"] < r.item_ratings["sm_simplifying"]
    assert r.weakest == ("sm_simplifying", "sm_reflection", "sm_standards")
    top = r.priorities.iloc[:3]
    assert top["party"].tolist()[:2] == ["ai_provider", "ai_provider"]
    assert top["gain"].tolist() == pytest.approx([25 * 3 * (1 / 8 + 1 / 6) / 3, 25 * (2 / 8 + 1 / 6) / 3, 25 * (2 / 8 + 1 / 6) / 3])
    assert top["placed"].tolist()[:2] == [False, True]
    assert not ((r.priorities["item"] == "sm_reflection") & (r.priorities["party"] == "customer")).any()


def test_develop_next_weighs_the_links_not_the_rating_alone():
    # Everything 3, marketing 2. Raising a system management item to 5 adds 25*2*(1/8 + 1/6)
    # = 14.58 points (reflection and standards 25*2*(2/8 + 1/6) = 20.83); marketing
    # 25*3*(1/12 + 1/10) = 13.75. All six system management items come before marketing.
    r = typology.assess({"system_management": 3, "commercialisation": 3, "interpersonal": 3, "cb_marketing": 2}, n_weakest=7)
    assert r.weakest == ("sm_reflection", "sm_standards", "sm_integration", "sm_simplifying", "sm_innovative",
                         "sm_demonstration", "cb_marketing")
    assert r.priorities.set_index("item").loc["cb_marketing", "gain"] == pytest.approx(13.75)


def test_develop_next_for_an_aimed_value_type():
    # The reverse direction: the need for strategic co-planning calls on its capabilities only.
    # Everything 3: new business and balancing 25*2*2/12 = 8.33, the other soft items 4.17,
    # system management 0 (no stated link to strategic co-planning).
    r = typology.assess({"system_management": 3, "commercialisation": 3, "interpersonal": 3}, aim=["strategic_coplanning"], n_weakest=16)
    assert r.weakest[:2] == ("cb_new_business", "ip_balancing")
    gains = r.priorities.set_index("item")["gain"]
    assert gains["cb_new_business"] == pytest.approx(25 * 2 * 2 / 12)
    assert gains["cb_lifecycle"] == pytest.approx(25 * 2 / 12)
    assert (gains[[i for i in ITEMS if i.startswith("sm_")]] == 0).all()
    assert r.aim == ("strategic_coplanning",)
    with pytest.raises(ValueError, match="a value type in aim"):
        typology.assess(GOOD, aim=["trust"])
    with pytest.raises(ValueError, match=r"the number of value types in aim must be an integer in \[1, 4\], got 0"):
        typology.assess(GOOD, aim=[])


def test_develop_next_under_min_looks_at_the_weakest_party():
    # Supplier all 5, customer all 2: under "min" only the customer's ratings can lift the
    # combined scores, so every supplier candidate gains 0. The customer's reflection:
    # functional 25*3*2/8 = 18.75, customer experience 25*3/6 = 12.5, total 31.25.
    r = typology.assess({"supplier": {"system_management": 5, "commercialisation": 5, "interpersonal": 5},
                         "customer": {"system_management": 2, "commercialisation": 2, "interpersonal": 2}}, combine="min")
    p = r.priorities
    assert (p.loc[p["party"] == "supplier", "gain"] == 0).all()
    assert p.iloc[0][["item", "party"]].tolist() == ["sm_reflection", "customer"]
    assert p.iloc[0]["gain"] == pytest.approx(31.25)


def test_capabilities_for_reads_the_matrix_backwards():
    for v in VALUES:
        f = typology.capabilities_for(v)
        assert f["share"].sum() == pytest.approx(1.0)
        assert set(f.index) == set(typology.mapping_matrix()[v].loc[lambda c: c > 0].index)
    f = typology.capabilities_for("strategic_coplanning")
    assert f.index[:2].tolist() == ["cb_new_business", "ip_balancing"]  # named in 4.2: weight 2 of 12
    assert f.loc["cb_new_business", "share"] == pytest.approx(2 / 12)
    assert f.loc["cb_rnd", "holders"] == "supplier;customer"
    assert typology.capabilities_for("customer_experience")["share"].tolist() == pytest.approx([1 / 6] * 6)


@pytest.mark.parametrize(
    "ratings, message",
    [
        ({"system_management": 0, "commercialisation": 3, "interpersonal": 3}, r"\[1, 5\], got 0"),
        ({"system_management": 5.5, "commercialisation": 3, "interpersonal": 3}, r"\[1, 5\], got 5.5"),
        ({"system_management": float("nan"), "commercialisation": 3, "interpersonal": 3}, r"\[1, 5\]"),
        ({"system_management": float("inf"), "commercialisation": 3, "interpersonal": 3}, r"\[1, 5\]"),
        ({"system_management": True, "commercialisation": 3, "interpersonal": 3}, r"\[1, 5\]"),
        ({"system_management": "4", "commercialisation": 3, "interpersonal": 3}, r"\[1, 5\]"),
        ({"system_management": 3, "commercialisation": 3, "interpersonal": 3, "ai_magic": 3}, r"a capability name in ratings must be one of 'sm_integration', .*, got 'ai_magic'"),
        ({"system_management": 3, "commercialisation": 3}, r"no rating for \['ip_communication'"),
        ({"regulator": {"system_management": 3, "commercialisation": 3, "interpersonal": 3}}, r"a stakeholder in ratings must be one of 'supplier', 'customer', 'ai_provider', got 'regulator'"),
        ({"supplier": {"system_management": 3}, "interpersonal": 3}, r"not both"),
        ({}, r"non-empty"),
    ],
)
def test_assess_rejects_bad_ratings(ratings, message):
    with pytest.raises(ValueError, match=message):
        typology.assess(ratings)


def test_assess_rejects_bad_options():
    good = {"system_management": 3, "commercialisation": 3, "interpersonal": 3}
    with pytest.raises(ValueError, match="combine must be"):
        typology.assess(good, combine="max")
    with pytest.raises(ValueError, match=r"n_weakest must be an integer in \[0, 16\]"):
        typology.assess(good, n_weakest=17)
    bad = typology.mapping_matrix()
    bad.loc[:, "functional"] = 0.0
    with pytest.raises(ValueError, match="at least one positive weight"):
        typology.assess(good, matrix=bad)


# --- explorers agree with assess --------------------------------------------------------------


def test_static_explorer_agrees_with_assess_everywhere():
    grid = typology.readiness_grid()
    assert len(grid) == 5**3 * 4
    params = typology.READINESS_SLIDERS
    for sm, cb, ip in itertools.product(range(1, 6), repeat=3):
        shown = widgets.lookup(grid, params, system_management=sm, commercialisation=cb, interpersonal=ip)
        direct = typology.assess({"system_management": sm, "commercialisation": cb, "interpersonal": ip}).combined
        assert shown.set_index("value_type")["score"].to_dict() == pytest.approx(direct.to_dict())


def test_static_explorer_ships_the_grid_and_binds_three_sliders():
    spec = typology.readiness_explorer().to_dict()
    assert [p["name"] for p in spec["params"]] == ["system_management", "commercialisation", "interpersonal"]
    assert all(p["bind"]["input"] == "range" and p["bind"]["step"] == 1 for p in spec["params"])
    rows = pd.DataFrame(next(iter(spec["datasets"].values())))
    grid = typology.readiness_grid()
    assert len(rows) == len(grid)
    assert np.allclose(rows["score"].to_numpy(), grid["score"].to_numpy())
    assert widgets.filter_expression(typology.READINESS_SLIDERS) in str(spec)


def _live_sliders(ex) -> dict[str, dict[str, object]]:
    """The live explorer's sliders by stakeholder (its tabs) and item id, read from the widget tree."""
    import ipywidgets as w

    tabs = ex.widget.children[0]
    assert list(tabs.titles) == [typology.STAKEHOLDER_LABELS[s] for s in typology.STAKEHOLDERS]
    item_id = typology.items().set_index("item")["id"]
    return {
        s: {item_id[c.description]: c for c in page.children if isinstance(c, w.IntSlider)}
        for s, page in zip(typology.STAKEHOLDERS, tabs.children)
    }


@pytest.fixture
def live_results(monkeypatch) -> list:
    """Builds live explorers outside the book build and records each assessment they display."""
    shown: list = []
    monkeypatch.delenv("COCREATION_BOOK_BUILD", raising=False)
    monkeypatch.setattr(explorers, "_show_readiness", lambda result, names: shown.append(result))
    return shown


def test_live_explorer_agrees_with_assess_and_static_grid(live_results):
    ex = typology.readiness_live()
    sliders = _live_sliders(ex)
    assert set(sliders) == set(typology.STAKEHOLDERS)
    assert all(list(row) == ITEMS for row in sliders.values())
    # the sliders are the item_sliders declarations: domain and step of their theme's slider
    declared = {p.name: p for p in typology.item_sliders()}
    for row in sliders.values():
        for item, slider in row.items():
            assert (slider.min, slider.max, slider.step, slider.value) == (1, 5, 1, declared[item].default) == (1, 5, 1, 3)
    assert live_results[-1].combined.tolist() == [50.0] * 4  # every rating 3: 25 * (3 - 1)
    sliders["customer"]["ip_trust"].value = 1
    sliders["ai_provider"]["sm_standards"].value = 5
    ratings = {s: {i: slider.value for i, slider in row.items()} for s, row in sliders.items()}
    assert ratings["customer"]["ip_trust"] == 1 and ratings["supplier"]["ip_trust"] == 3
    expected = typology.assess(ratings)
    pd.testing.assert_series_equal(live_results[-1].combined, expected.combined)
    assert live_results[-1].weakest == expected.weakest
    # all items of a theme at one value for every stakeholder = one static-explorer setting
    setting = {"system_management": 2, "commercialisation": 5, "interpersonal": 4}
    for row in sliders.values():
        for item, slider in row.items():
            slider.value = setting[THEME_OF[item]]
    shown = widgets.lookup(typology.readiness_grid(), typology.READINESS_SLIDERS, **setting)
    assert live_results[-1].combined.to_dict() == pytest.approx(shown.set_index("value_type")["score"].to_dict())
    bundle = ex._repr_mimebundle_()
    assert "needs a running Python kernel" in bundle["text/html"]


def test_live_explorer_combines_by_min_and_starts_at_default(live_results):
    ex = typology.readiness_live(default=np.int64(2), combine="min")
    sliders = _live_sliders(ex)
    assert {slider.value for row in sliders.values() for slider in row.values()} == {2}
    sliders["supplier"]["sm_reflection"].value = 5
    # the minimum over stakeholders ignores one stakeholder's higher rating: 25 * (2 - 1)
    assert live_results[-1].combine == "min"
    assert live_results[-1].combined.tolist() == [25.0] * 4


def test_live_explorer_rejects_bad_default():
    with pytest.raises(ValueError, match=r"default must be an integer in \[1, 5\]"):
        typology.readiness_live(default=7)


def test_live_explorer_is_only_a_note_in_the_book_build(monkeypatch):
    monkeypatch.setenv("COCREATION_BOOK_BUILD", "1")
    ex = typology.readiness_live()
    assert ex.widget is None and "needs a running Python kernel" in ex._repr_mimebundle_()["text/html"]


def test_item_sliders_follow_their_theme_slider():
    theme = {p.name: p for p in typology.READINESS_SLIDERS}
    sliders = typology.item_sliders(default=4)
    assert [p.name for p in sliders] == ITEMS
    assert [p.label for p in sliders] == typology.items()["item"].tolist()
    for p in sliders:
        t = theme[THEME_OF[p.name]]
        assert (p.lo, p.hi, p.step, p.default) == (t.lo, t.hi, t.step, 4)


# --- the registry -----------------------------------------------------------------------------


def test_registry_declares_the_readiness_explorer():
    (entry,) = typology.EXPLORERS
    assert isinstance(entry, widgets.Explorer)
    assert (entry.name, entry.chapter, entry.marktype, entry.key) == ("readiness", "typology", "text", ("label",))
    assert entry.sliders == typology.READINESS_SLIDERS
    assert entry.chart is typology.readiness_explorer and entry.live is typology.readiness_live
    spec = entry.chart().to_dict()
    assert [p["name"] for p in spec["params"]] == list(entry.slider_names)
    assert entry.marktype in {layer["mark"]["type"] for layer in spec["layer"]}


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_registry_expected_is_what_the_page_draws(sm, cb, ip):
    # the labels of the text marks are the value-type names; scores derived by hand as in
    # test_theme_ratings_give_the_papers_pairs
    drawn = typology.EXPLORERS[0].expected(system_management=float(sm), commercialisation=float(cb), interpersonal=float(ip))
    assert drawn.columns.tolist() == ["label", "score"]
    names = dict(zip(typology.value_types()["id"], typology.value_types()["name"]))
    soft = 25 * ((cb + ip) / 2 - 1)
    want = {names["strategic_coplanning"]: soft, names["functional"]: 25 * (sm - 1),
            names["org_learning"]: soft, names["customer_experience"]: 25 * (sm - 1)}
    assert drawn.set_index("label")["score"].to_dict() == pytest.approx(want)


# --- validation -------------------------------------------------------------------------------

GOOD = {"system_management": 3, "commercialisation": 3, "interpersonal": 3}


def _matrix_with(value: float) -> pd.DataFrame:
    m = typology.mapping_matrix()
    m.loc["ip_trust", "org_learning"] = value
    return m


BAD_INPUTS = [
    (typology.stated_links, lambda: {"level": "items"}, "level"),
    (typology.mapping_matrix, lambda: {"theme_weight": -1}, "theme_weight"),
    (typology.mapping_matrix, lambda: {"theme_weight": float("inf")}, "theme_weight"),
    (typology.mapping_matrix, lambda: {"theme_weight": "1"}, "theme_weight"),
    (typology.mapping_matrix, lambda: {"item_bonus": -0.5}, "item_bonus"),
    (typology.mapping_matrix, lambda: {"item_bonus": float("nan")}, "item_bonus"),
    (typology.assess, lambda: {"ratings": GOOD, "combine": "median"}, "combine"),
    (typology.assess, lambda: {"ratings": GOOD, "n_weakest": -1}, "n_weakest"),
    (typology.assess, lambda: {"ratings": GOOD, "n_weakest": 2.5}, "n_weakest"),
    (typology.assess, lambda: {"ratings": GOOD, "n_weakest": np.int64(17)}, "n_weakest"),
    (typology.assess, lambda: {"ratings": GOOD, "n_weakest": True}, "n_weakest"),
    (typology.assess, lambda: {"ratings": GOOD, "n_weakest": "3"}, "n_weakest"),
    (typology.assess, lambda: {"ratings": [3, 3, 3]}, "ratings"),
    (typology.assess, lambda: {"ratings": GOOD, "matrix": "weights"}, "matrix"),
    (typology.assess, lambda: {"ratings": GOOD, "matrix": _matrix_with(-1.0)}, "matrix"),
    (typology.assess, lambda: {"ratings": GOOD, "matrix": _matrix_with(float("nan"))}, "matrix"),
    (typology.readiness, lambda: {**GOOD, "system_management": 0}, "system_management"),
    (typology.readiness, lambda: {**GOOD, "interpersonal": 5.5}, "interpersonal"),
    (typology.readiness, lambda: {**GOOD, "commercialisation": float("nan")}, "commercialisation"),
    (typology.speaker, lambda: {"role_code": "XX"}, "role_code"),
    (typology.quotes_for, lambda: {"value_type": "economic"}, "value_type"),
    (typology.quotes_for, lambda: {"theme": "hard_skills"}, "theme"),
    (typology.item_sliders, lambda: {"default": 6}, "default"),
    (typology.item_sliders, lambda: {"default": 2.5}, "default"),
    (typology.readiness_live, lambda: {"default": 0}, "default"),
    (typology.readiness_live, lambda: {"combine": "max"}, "combine"),
]


@pytest.mark.parametrize("function, arguments, parameter", BAD_INPUTS,
                         ids=[f"{f.__name__}-{n}-{i}" for i, (f, _, n) in enumerate(BAD_INPUTS)])
def test_public_functions_refuse_out_of_domain_inputs(monkeypatch, function, arguments, parameter):
    monkeypatch.delenv("COCREATION_BOOK_BUILD", raising=False)
    with pytest.raises(ValueError, match=re.escape(parameter)) as error:
        function(**arguments())
    assert "must" in str(error.value)  # the message states the domain


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 16), st.sampled_from([int, np.int8, np.int32, np.int64, np.uint8]))
def test_n_weakest_accepts_numpy_integers(n, kind):
    result = typology.assess({**GOOD, "ip_trust": 1, "cb_new_business": 2}, n_weakest=kind(n))
    assert len(result.weakest) == n
    assert result.weakest == typology.assess({**GOOD, "ip_trust": 1, "cb_new_business": 2}, n_weakest=16).weakest[:n]
    if n >= 4:
        # By hand: reflection and standards (rated 3) carry 2/8 of functional and 1/6 of
        # customer experience value: 25*2*(2/8 + 1/6) = 20.83 points each; new business
        # (rated 2) 25*3*(2/12 + 1/10) = 20; trust (rated 1) 25*4*(1/12 + 1/10) = 18.33.
        # The lowest ratings do not come first: the links weigh in.
        assert result.weakest[:4] == ("sm_reflection", "sm_standards", "cb_new_business", "ip_trust")


# --- the notebook -----------------------------------------------------------------------------


def test_notebook_executes():
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nb = jupytext.read(ROOT / "book" / "typology" / "industrial_ai_value.md")
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env_path if env_path else "")
    try:
        nbclient.NotebookClient(nb, timeout=60, interrupt_on_timeout=True, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    finally:
        os.environ["PYTHONPATH"] = env_path
        if not env_path:
            del os.environ["PYTHONPATH"]
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    labels = set(re.findall(r":label: (typology_ex\d+)", (ROOT / "book" / "typology" / "industrial_ai_value.md").read_text()))
    assert len(labels) >= 3


# --- what to develop next, from its definition ------------------------------------------------

GOOD3 = {"system_management": 3, "commercialisation": 3, "interpersonal": 3}


def test_item_ratings_combine_like_the_scores():
    # "combine: mean or min over stakeholders (for scores and item ratings)"
    ratings = {"supplier": {**GOOD3, "ip_trust": 1, "cb_rnd": 4}, "customer": {**GOOD3, "ip_trust": 5, "cb_rnd": 2}}
    low, mean = typology.assess(ratings, combine="min"), typology.assess(ratings, combine="mean")
    assert (low.item_ratings["ip_trust"], low.item_ratings["cb_rnd"]) == (1, 2)
    assert (mean.item_ratings["ip_trust"], mean.item_ratings["cb_rnd"]) == (3, 3)
    assert low.item_ratings.drop(["ip_trust", "cb_rnd"]).eq(3).all()
    assert low.combine == "min" and mean.combine == "mean"


def _raised(ratings: dict, party: str, item: str) -> dict:
    """The ratings with ``party``'s rating of ``item`` set to 5 (``"all"``: the flat mapping)."""
    if party == "all":
        return {**ratings, item: 5}
    return {**ratings, party: {**ratings[party], item: 5}}


flat_st = st.fixed_dictionaries({t: st.integers(1, 5) for t in ("system_management", "commercialisation", "interpersonal")},
                                optional={i: st.integers(1, 5) for i in ITEMS})
parties_st = st.lists(st.sampled_from(typology.STAKEHOLDERS), min_size=1, max_size=3, unique=True).flatmap(
    lambda who: st.fixed_dictionaries({s: flat_st for s in who}))


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.one_of(flat_st, parties_st), st.sampled_from(["mean", "min"]),
       st.one_of(st.none(), st.lists(st.sampled_from(VALUES), min_size=1, max_size=4, unique=True)))
def test_gain_is_the_rise_of_the_aimed_scores_when_that_party_rates_the_item_5(ratings, combine, aim):
    """Assessment.priorities as documented: ``gain`` is the rise in the sum of the aimed
    value types' combined scores if that party's rating rose to 5, ``own_gain`` the rise in
    that party's own scores; a placed item is a candidate only at its rated holders, any
    other item at every rated party; rows sorted by gain, own gain, then Table 4's order."""
    result = typology.assess(ratings, combine=combine, aim=aim, n_weakest=16)
    aimed = list(aim or VALUES)
    assert result.aim == tuple(aimed)
    p = result.priorities
    parties = ["all"] if "system_management" in ratings else list(ratings)
    placed = typology.holders()
    expected = {(i, q) for i in ITEMS for q in ([q for q in parties if q in placed.get(i, ())] or parties)}
    assert set(zip(p["item"], p["party"])) == expected and len(p) == len(expected)
    assert all(row.placed == (row.party in placed.get(row.item, ())) for row in p.itertuples())
    scores = result.scores.set_index(["stakeholder", "value_type"])["score"]
    for row in p.iloc[sorted({0, len(p) // 2, len(p) - 1})].itertuples():
        after = typology.assess(_raised(ratings, row.party, row.item), combine=combine)
        assert row.rating == (ratings if row.party == "all" else ratings[row.party]).get(row.item, ratings_theme(ratings, row))
        assert row.gain == pytest.approx(sum(after.combined[v] - result.combined[v] for v in aimed), abs=1e-9)
        mine = after.scores.set_index(["stakeholder", "value_type"])["score"]
        assert row.own_gain == pytest.approx(sum(mine[(row.party, v)] - scores[(row.party, v)] for v in aimed), abs=1e-9)
    order = list(typology.items()["id"])
    for a, b in zip(p.itertuples(), p.iloc[1:].itertuples()):
        key_a, key_b = (-round(a.gain, 9), -round(a.own_gain, 9), order.index(a.item)), (-round(b.gain, 9), -round(b.own_gain, 9), order.index(b.item))
        assert key_a <= key_b, (a, b)
    assert result.weakest == tuple(dict.fromkeys(p["item"]))


def ratings_theme(ratings: dict, row) -> int:
    own = ratings if row.party == "all" else ratings[row.party]
    return own[THEME_OF[row.item]]


def test_ties_go_to_the_larger_own_gain_then_to_table_4():
    # Under "min" the customer (all 1) is the weakest party everywhere, so no supplier
    # rating can lift a combined score: every supplier candidate gains 0, and they are
    # ordered by their own gain, 25*(5 - 3)*sum of shares. Reflection and standards weigh
    # 2/8 + 1/6, the other system management items 1/8 + 1/6, marketing 1/12 + 1/10.
    r = typology.assess({"supplier": GOOD3, "customer": {"system_management": 1, "commercialisation": 1, "interpersonal": 1}},
                        combine="min", n_weakest=16)
    supplier = r.priorities[r.priorities["party"] == "supplier"]
    assert (supplier["gain"] == 0).all()
    assert supplier["own_gain"].is_monotonic_decreasing
    assert supplier["item"].tolist()[:2] == ["sm_reflection", "sm_standards"]  # equal own gain: Table 4's order
    assert supplier["own_gain"].iloc[0] == pytest.approx(50 * (2 / 8 + 1 / 6))
    # with every party rated alike, the ranking among equal gains follows Table 4
    even = typology.assess({i: 3 for i in ITEMS}, n_weakest=16).priorities
    tied = even[even["gain"].round(9) == round(even["gain"].iloc[-1], 9)]["item"].tolist()
    assert tied == sorted(tied, key=ITEMS.index) and len(tied) > 1


def test_links_of_one_level_keep_the_tables_columns_and_a_fresh_index():
    every = typology.stated_links()
    for level in ("theme", "item"):
        part = typology.stated_links(level)
        assert list(part.columns) == list(every.columns) and part.index.tolist() == list(range(len(part)))


def test_scores_do_not_depend_on_the_scale_of_the_matrix():
    # S_v uses W only through W_iv / sum_j W_jv: columns scaled to shares (summing to 1),
    # or every weight multiplied by 1000, give the same scores and the same ranking
    w = typology.mapping_matrix()
    ratings = {"supplier": {**GOOD3, "ip_trust": 1}, "customer": {**GOOD3, "sm_standards": 5}}
    base = typology.assess(ratings, n_weakest=16)
    for other in (w / w.sum(), w * 1000):
        scaled = typology.assess(ratings, matrix=other, n_weakest=16)
        pd.testing.assert_series_equal(scaled.combined, base.combined)
        assert scaled.weakest == base.weakest
