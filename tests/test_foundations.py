"""Tests of the Foundations chapter: its tables, the framework diagram and the scan.

Expected values come from the source text (Li's review, source 003), read
independently of the code: the review names two drivers (section 4), three outcomes
(section 5), three dimensions of interactive behaviour (5.2), four dark-side mechanisms
that are sources of value co-destruction (5.3: "factors are instead prone to the
antithesis of value Co-creation, namely value destruction", "tensions caused by role
conflict"), relationship resources as a mediator and contracts and relationship
governance against opportunism (5.1), and three future directions (6.2.1-6.2.3); its
scan found 8 CNKI and 139 Web of Science articles and selected 45 (3.1).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import data, foundations
from conftest import source_text

TABLES = [
    "foundations_concepts",
    "foundations_edges",
    "foundations_scan",
    "foundations_quotes",
    "foundations_logics",
    "foundations_keywords",
    "foundations_directions",
    "foundations_glossary",
]


def _source_text() -> str:
    return source_text("003")


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


# --- schemas and keys -------------------------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_table_loads_with_source_003(name):
    frame = data.load(name)
    assert len(frame) > 0
    assert data.schema(name)["source"] == "003"
    assert frame["source"].eq("003").all()


def test_concepts_first_column_is_id_and_unique():
    c = foundations.concepts()
    assert c.columns[0] == "id"
    assert c["id"].is_unique


def test_concept_groups_and_layers_are_known():
    c = foundations.concepts()
    for gs in c["groups"]:
        assert set(gs) <= set(foundations.GROUPS)
    assert set(c["layer"]) == set(range(len(foundations.LAYER_TITLES)))
    assert not c.duplicated(["layer", "order"]).any(), "two concepts share a diagram slot"


def test_every_edge_links_existing_concepts_left_to_right():
    c = foundations.concepts().set_index("id")
    e = foundations.edges()
    assert set(e["from_id"]) | set(e["to_id"]) <= set(c.index)
    assert not e.duplicated(["from_id", "to_id"]).any()
    for a, b in zip(e["from_id"], e["to_id"]):
        assert c.loc[a, "layer"] <= c.loc[b, "layer"], f"edge {a}->{b} runs right to left"


def test_every_concept_is_on_a_path_through_cocreation_or_into_its_outcomes():
    c = foundations.concepts()
    up = set(foundations.reachable("b2b_value_cocreation", "up"))
    down = set(foundations.reachable("b2b_value_cocreation", "down"))
    assert not up & down, "the framework has a cycle through co-creation"
    outcomes = set(c.loc[c["kind"] == "outcome", "id"])
    into_outcomes = set().union(*(foundations.reachable(o, "up") for o in outcomes))
    # Off the co-creation paths are only the sources section 5 adds beside co-creation:
    # the four dark-side mechanisms (5.3) and contracts and relationship governance (5.1).
    off_path = set(c["id"]) - up - down - {"b2b_value_cocreation"}
    assert off_path == {"role_conflict", "role_ambiguity", "opportunistic_behaviour", "power_games",
                        "relationship_governance"}
    assert off_path <= into_outcomes
    for node in set(c["id"]):
        assert node not in foundations.reachable(node), f"cycle through {node}"


def test_corrupted_foreign_key_is_named(tmp_path):
    for name in ("foundations_concepts", "foundations_edges"):
        for suffix in (".csv", ".schema.yaml"):
            (tmp_path / f"{name}{suffix}").write_text(
                (data.data_dir() / f"{name}{suffix}").read_text(encoding="utf-8"), encoding="utf-8"
            )
    path = tmp_path / "foundations_edges.csv"
    path.write_text(path.read_text().replace(",power_games,", ",power_plays,"), encoding="utf-8")
    with pytest.raises(data.DataError, match=r"row 24, column 'from_id': 'power_plays'"):
        data.load("foundations_edges", tmp_path)


# --- the review's structure, as the source states it -------------------------------


def test_two_drivers_three_outcomes():
    assert foundations.concepts_of_kind("driver") == ["Relationship factor", "Knowledge factor"]
    assert foundations.concepts_of_kind("outcome") == [
        "Innovation performance",
        "Interactive behaviour",
        "Value co-destruction",
    ]


def test_three_dimensions_of_interactive_behaviour():
    assert foundations.reachable("interactive_behaviour") == [
        "two_way_communication",
        "customer_engagement",
        "joint_problem_solving",
    ]


def test_four_dark_side_mechanisms_with_the_source_names():
    c = foundations.concepts().set_index("id")
    e = foundations.edges()
    mechanisms = e.loc[e["to_id"] == "value_codestruction", "from_id"].tolist()[1:]
    assert [c.loc[m, "source_wording"] for m in mechanisms] == [
        "role conflict",
        "role ambiguity",
        "opportunistic behaviour",
        "power games",
    ]
    assert set(c.loc[mechanisms, "kind"]) == {"mechanism"}


def test_dark_side_mechanisms_are_sources_of_codestruction_as_the_review_words_it():
    # Section 5.3 calls them factors "prone to" value destruction and speaks of "tensions
    # caused by role conflict" that "have negative effects": they lead into co-destruction.
    text = _letters(_source_text())
    for phrase in (
        "some factors are instead prone to the antithesis of value Co-creation, namely value destruction",
        "tensions caused by role conflict",
        "all have negative effects",
    ):
        assert _letters(phrase) in text, phrase
    e = foundations.edges()
    links = set(zip(e["from_id"], e["to_id"]))
    for m in ("role_conflict", "role_ambiguity", "opportunistic_behaviour", "power_games"):
        assert (m, "value_codestruction") in links, f"{m} should lead into co-destruction"
        assert ("value_codestruction", m) not in links, f"{m} drawn as a consequence of co-destruction"
    dark = e[e["to_id"] == "value_codestruction"]
    assert set(dark["style"]) == {"dashed"} and set(dark["locator"]) == {"5.3"}
    assert not (e["from_id"] == "value_codestruction").any(), "co-destruction leads nowhere in the review"


def test_section_5_1_links_as_the_review_words_them():
    # "use relationship resources as a mediating variable ... value Co-creation builds good
    # relationships, which leads to improved innovation performance": co-creation ->
    # relationship resources -> innovation performance. "Constraining relationships through
    # contracts and improving relationship governance can effectively address opportunistic
    # behaviour ... so that the better the innovation performance": governance curbs
    # opportunism and raises innovation performance.
    text = _letters(_source_text())
    for phrase in (
        "use relationship resources as a mediating variable",
        "value Co-creation builds good relationships, which leads to improved innovation performance",
        "Constraining relationships through contracts and improving relationship governance "
        "can effectively address opportunistic behaviour",
        "so that the better the innovation performance of the firm will be",
    ):
        assert _letters(phrase) in text, phrase
    e = foundations.edges().set_index(["from_id", "to_id"])
    expected = {
        ("b2b_value_cocreation", "relationship_resources"): "builds",
        ("relationship_resources", "innovation_performance"): "improves",
        ("relationship_governance", "opportunistic_behaviour"): "curbs",
        ("relationship_governance", "innovation_performance"): "raises",
    }
    for key, relation in expected.items():
        row = e.loc[key]
        assert (row["relation"], row["basis"], row["locator"]) == (relation, "stated", "5.1"), key
    # the mediator sits between co-creation and innovation performance, not after it
    assert foundations.reachable("relationship_resources") == ["innovation_performance"]
    assert foundations.reachable("relationship_resources", "up")[0] == "b2b_value_cocreation"


def test_operand_and_operant_resources_and_knowledge_types_are_present():
    ids = set(foundations.concepts()["id"])
    assert {"operand_resources", "operant_resources", "resource_integration"} <= ids
    assert {"explicit_knowledge", "tacit_knowledge"} <= ids
    assert set(foundations.reachable("operant_resources")) >= {"b2b_value_cocreation"}


def test_three_future_directions():
    d = data.load("foundations_directions")
    assert d["locator"].tolist() == ["6.2.1", "6.2.2", "6.2.3"]


# --- the diagram ---------------------------------------------------------------------


def test_diagram_has_one_node_per_concept_and_tooltips():
    spec = foundations.framework_chart().to_dict()
    layers = spec["layer"]
    datasets = spec["datasets"]
    node_layer = next(layer for layer in layers if layer["mark"]["type"] == "circle")
    nodes = datasets[node_layer["data"]["name"]]
    assert sorted(n["id"] for n in nodes) == sorted(foundations.concepts()["id"])
    tips = [t["field"] for t in node_layer["encoding"]["tooltip"]]
    assert tips == list(foundations.NODE_TOOLTIP)
    definitions = dict(zip(foundations.concepts()["id"], foundations.concepts()["definition"]))
    assert all(n["definition"] == definitions[n["id"]] for n in nodes)
    edge_layer = next(layer for layer in layers if layer["mark"]["type"] == "rule")
    assert [t["field"] for t in edge_layer["encoding"]["tooltip"]] == list(foundations.EDGE_TOOLTIP)
    assert len(datasets[edge_layer["data"]["name"]]) == len(foundations.edges())


def test_diagram_nodes_do_not_share_the_edges_colour_scale():
    # Shared, the edge scale's domain ["solid", "dashed"] would leave every node unfilled.
    spec = foundations.framework_chart().to_dict()
    assert spec["resolve"]["scale"]["color"] == "independent"
    node_layer = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
    assert node_layer["encoding"]["color"]["field"] == "layer_title"


def test_diagram_dropdown_and_highlight_groups():
    spec = foundations.framework_chart().to_dict()
    param = spec["params"][0]
    assert param["name"] == "framework_focus"
    assert param["bind"]["options"] == ["All", *foundations.GROUPS]
    nodes, links = foundations.diagram_frames()
    node_groups = dict(zip(nodes["id"], nodes["groups"].str.split(";").map(set)))
    for _, row in links.iterrows():
        for g in filter(None, row["groups"].split(";")):
            assert g in node_groups[row["source"]] and g in node_groups[row["target"]]
    for g in foundations.GROUPS:
        assert (links["groups"].str.split(";").map(lambda gs, g=g: g in gs)).any(), g


def test_reachable_can_skip_curbing_links_and_try_added_ones():
    # Derived from the edges the review states: governance reaches co-destruction only
    # through the link by which it curbs opportunism (5.1).
    up = foundations.reachable("value_codestruction", "up")
    up_no_curbs = foundations.reachable("value_codestruction", "up", exclude=["curbs"])
    assert set(up) - set(up_no_curbs) == {"relationship_governance"}
    # no driver reaches a dark-side mechanism, unless the reader adds a link from co-creation
    mechanisms = {"role_conflict", "role_ambiguity", "opportunistic_behaviour", "power_games"}
    assert not mechanisms & set(foundations.reachable("knowledge"))
    added = foundations.reachable("knowledge", add=[("b2b_value_cocreation", "role_conflict")])
    assert "role_conflict" in added and not {"role_ambiguity", "power_games"} & set(added)


def test_bad_input_raises_naming_the_parameter():
    with pytest.raises(ValueError, match="height"):
        foundations.framework_chart(height=50)
    with pytest.raises(ValueError, match="direction"):
        foundations.reachable("knowledge", "sideways")
    with pytest.raises(ValueError, match="kind"):
        foundations.concepts_of_kind("drivers")
    with pytest.raises(ValueError, match="relation in exclude"):
        foundations.reachable("knowledge", exclude=["lowers"])
    with pytest.raises(ValueError, match="to_id in add"):
        foundations.reachable("knowledge", add=[("knowledge", "nowhere")])
    with pytest.raises(ValueError, match="add"):
        foundations.reachable("knowledge", add="knowledge")
    with pytest.raises(ValueError, match="width"):
        foundations.scan_chart(width=True)


# --- the bibliometric scan ---------------------------------------------------------


def test_scan_counts_agree_with_the_source():
    s = foundations.scan_summary()
    assert s.searched == {"CNKI": 8, "Web of Science": 139}
    assert s.selected == 45
    assert s.selected <= s.total_searched
    assert s.period == "2010-2021"
    assert s.tool.startswith("CiteSpace 5.7")
    assert s.rate == pytest.approx(45 / 147)


def test_scan_chart_shows_the_counts():
    spec = foundations.scan_chart().to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["bar"]: r["count"] for r in rows} == {
        "CNKI (found)": 8,
        "Web of Science (found)": 139,
        "Both databases (selected)": 45,
    }
    assert spec.get("description")


@settings(deadline=None)  # no deadline: the machine may be busy
@given(st.integers(1, 10_000), st.data())
def test_selection_rate_is_a_share(searched, draw):
    selected = draw.draw(st.integers(0, searched))
    rate = foundations.selection_rate(searched, selected)
    assert 0.0 <= rate <= 1.0
    assert rate * searched == pytest.approx(selected)


@settings(deadline=None)
@given(st.integers(1, 1000), st.integers(1, 1000))
def test_selection_rate_rejects_more_selected_than_searched(searched, extra):
    with pytest.raises(ValueError, match="selected"):
        foundations.selection_rate(searched, searched + extra)


# --- provenance against the source text --------------------------------------------


@pytest.mark.parametrize("name", TABLES)
def test_figure_and_quote_tables_have_source_and_locator(name):
    spec = data.schema(name)
    if spec.get("quote_fields") or spec.get("figure_fields"):
        frame = data.load(name)
        assert frame["source"].eq("003").all()
        assert frame["locator"].str.len().gt(0).all()


def test_quotations_and_source_wordings_occur_in_the_source():
    text = _letters(_source_text())
    for name in TABLES:
        spec = data.schema(name)
        for col in spec.get("quote_fields") or []:
            for i, value in enumerate(data.load(name)[col], start=1):
                for piece in re.split(r"\[?…\]?", value):
                    assert _letters(piece) in text, f"{name} row {i} {col}: {piece!r} not in source 003"


def test_keywords_and_headings_occur_in_the_source():
    text = _letters(_source_text())
    for kw in data.load("foundations_keywords")["keyword"]:
        assert _letters(kw) in text, kw
    for heading in data.load("foundations_directions")["source_heading"]:
        assert _letters(heading) in text, heading


def test_reported_figures_occur_close_after_their_section():
    raw = _source_text()
    scan = data.load("foundations_scan")
    for _, row in scan.iterrows():
        start = raw.find(f"\n{row['locator']}. ")
        assert start >= 0, f"section {row['locator']} not found"
        window = raw[start : start + 1200]
        for col in data.schema("foundations_scan")["figure_fields"]:
            for number in re.findall(r"\d+(?:\.\d+)?", str(row[col])):
                assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", window), (
                    f"foundations_scan row {row['id']}: {number} ({col}) not near section {row['locator']}"
                )


# --- facts the synthesis chapter reads, the diagram's credits and colours -----------------


def test_synthesis_facts_state_the_review():
    facts = foundations.synthesis_facts()
    # four lenses (2.1-2.3, 6.1), two drivers and resource integration around co-creation
    assert facts["lenses"].split(", ") == ["Resource dependence theory", "Resource-based view",
                                          "Service-dominant logic", "Knowledge-based view"]
    assert set(facts["constructs"].split(", ")) == {"Relationship factor", "Knowledge factor",
                                                    "Resource integration", "Value co-creation in B2B"}
    # three outcomes (5.1-5.3); the dark side: co-destruction through four mechanisms (5.3)
    assert facts["outcomes"] == "Innovation performance, Interactive behaviour, Value co-destruction"
    outcome, _, mechanisms = facts["dark_side"].partition(" through ")
    assert outcome == "Value co-destruction"
    assert set(mechanisms.split(", ")) == {"role conflict", "role ambiguity", "opportunistic behaviour", "power games"}
    assert (facts["scan_found"], facts["scan_selected"]) == ("8 (CNKI) and 139 (Web of Science)", "45")
    assert facts["n_directions"] == "3"


def test_synthesis_mechanisms_are_every_link_into_or_out_of_cocreation():
    # the drivers drive co-creation, resource integration is its core process (into it);
    # it improves innovation performance, increases interactive behaviour, can turn into
    # co-destruction and builds relationship resources (out of it); nothing else
    mechanisms = foundations.synthesis_facts()["mechanisms"].split("; ")
    into = [m for m in mechanisms if m.endswith("Value co-creation in B2B")]
    out = [m for m in mechanisms if m.startswith("Value co-creation in B2B")]
    assert len(into) == 3 and len(out) == 4 and len(mechanisms) == 7
    assert "Relationship factor drives Value co-creation in B2B" in into
    assert "Value co-creation in B2B can turn into Value co-destruction" in out


def test_each_node_credits_its_section_or_the_abstract():
    nodes, _ = foundations.diagram_frames()
    for row in nodes.itertuples():
        where = "abstract" if row.section == "Abstract" else f"section {row.section}"
        assert row.in_the_source.endswith(f"(Li, {where})"), row.in_the_source
    assert (nodes["section"] == "Abstract").any() and (nodes["section"] != "Abstract").any()


def test_each_column_of_the_diagram_has_its_own_colour_and_none_is_yellow():
    colours = foundations.LAYER_COLOURS
    assert len(colours) == len(foundations.LAYER_TITLES) == len(set(colours))
    assert "#F0E442" not in colours  # Okabe-Ito yellow: hard to see on white


def test_an_edge_is_highlighted_only_with_groups_both_its_ends_belong_to():
    nodes, links = foundations.diagram_frames()
    groups = {row.id: set(filter(None, row.groups.split(";"))) for row in nodes.itertuples()}
    for row in links.itertuples():
        assert set(filter(None, row.groups.split(";"))) == groups[row.source] & groups[row.target]


def test_scan_summary_tolerates_a_database_with_no_hits_and_a_single_article():
    s = foundations.ScanSummary({"CNKI": 0, "Web of Science": 1}, 1, "2010-2021", "CiteSpace")
    assert (s.total_searched, s.rate) == (1, 1.0)
    assert foundations.selection_rate(1, 1) == 1.0 and foundations.selection_rate(1, 0) == 0.0


def test_scan_summary_refuses_a_scan_table_with_two_periods(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", copy)
    path = copy / "foundations_scan.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("2010-2021", "2011-2021")
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("COCREATION_DATA", str(copy))
    with pytest.raises(ValueError, match="share one period and one tool"):
        foundations.scan_summary()


def test_exclude_takes_one_relation_or_several():
    assert foundations.reachable("value_codestruction", "up", exclude="curbs") == foundations.reachable(
        "value_codestruction", "up", exclude=["curbs"])
    assert "relationship_governance" not in foundations.reachable("value_codestruction", "up", exclude="curbs")


def test_the_framework_draws_one_legend_for_its_links_and_smaller_node_labels():
    from cocreation import charts

    spec = foundations.framework_chart().to_dict()
    edge = spec["layer"][0]["encoding"]
    # one legend for the edges: the dash legend, the colour one switched off
    assert edge["stroke"]["legend"] is None and edge["strokeDash"]["legend"]["title"] == "Link"
    # eight columns: labels set smaller than the diagram's default, so neighbours do not touch
    default = charts.flow_diagram(*foundations.diagram_frames()).to_dict()["layer"][2]["mark"]["fontSize"]
    assert spec["layer"][2]["mark"]["fontSize"] < default


@pytest.mark.parametrize("searched", [{}, [("CNKI", 8)], None])
def test_scan_summary_needs_a_non_empty_dict_of_counts(searched):
    with pytest.raises(ValueError, match="searched must be a non-empty dict"):
        foundations.ScanSummary(searched, 0, "2010-2021", "CiteSpace")


def test_the_framework_colours_its_nodes_by_column():
    nodes = foundations.framework_chart().to_dict()["layer"][1]
    scale = nodes["encoding"]["color"]["scale"]
    assert nodes["mark"]["type"] == "circle"
    assert dict(zip(scale["domain"], scale["range"])) == dict(zip(foundations.LAYER_TITLES, foundations.LAYER_COLOURS))


@pytest.mark.parametrize("link", [("knowledge",), ("knowledge", "role_conflict", "power_games")])
def test_an_added_link_has_exactly_two_ends(link):
    with pytest.raises(ValueError, match=r"link in add must be an integer in \[2, 2\]"):
        foundations.reachable("knowledge", add=[link])
