"""Tests of the synthesis chapter: generated comparison table, concept map, link data."""

from __future__ import annotations

import csv
import posixpath
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import data, provenance, synthesis
from conftest import require_sources

ROOT = Path(__file__).resolve().parents[1]
PAGE_DIR = posixpath.dirname(synthesis.PAGE)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that COCREATION_DATA points at."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    monkeypatch.setenv("COCREATION_DATA", str(folder))
    return folder


def _rewrite(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    for row in rows:
        change(row)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


# --- the comparison table is generated from the chapters' data ------------------------


def test_renaming_a_construct_in_data_renames_it_in_the_table_and_the_map(data_copy):
    # read the old name from the repository's data (data.load caches per folder, so the
    # copy is read only after it has been changed)
    old = data.load("ipo_constructs", ROOT / "data").set_index("id").loc["reciprocal_participation", "label"]
    new = "Renamed participation construct"

    def rename(row):
        if row["id"] == "reciprocal_participation":
            row["label"] = new

    _rewrite(data_copy / "ipo_constructs.csv", rename)
    table = synthesis.comparison_table().set_index("Aspect")
    title = data.load("chapters").set_index("id").loc["ipo", "title"]
    assert new in table.loc["Key constructs", title]
    assert new in table.loc["Mechanisms", title]
    assert old not in table.loc["Key constructs", title]
    labels = set(synthesis.nodes()["label"])
    assert new in labels and old not in labels
    spec = synthesis.concept_map().to_dict()
    assert new in str(spec["datasets"])


def test_renaming_a_chapter_title_renames_its_column(data_copy):
    def rename(row):
        if row["id"] == "oli":
            row["title"] = "Exporters on platforms"

    _rewrite(data_copy / "chapters.csv", rename)
    assert "Exporters on platforms" in synthesis.comparison_table().columns


def test_counts_in_the_table_match_the_chapter_tables_independently():
    table = synthesis.comparison_table().set_index("Aspect")
    titles = data.load("chapters").set_index("id")["title"]
    # typology: the method table's interview count equals the number of interviewees listed.
    interviewees = len(data.load("typology_interviewees"))
    assert f"{interviewees} semi-structured interviews" in table.loc["Method and data", titles["typology"]]
    # ipo: interviewees and interviews summed straight from the CSV of Table 1.
    with (ROOT / "data" / "ipo_data_sources.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    people = sum(int(r["interviewees"]) for r in rows if r["interviewees"])
    talks = sum(int(r["interviews"]) for r in rows if r["interviews"])
    assert f"{people} interviewees in {talks} semi-structured interviews" in table.loc["Method and data", titles["ipo"]]
    # ipo: the propositions P1..Pn without a/b suffix.
    top = [p for p in data.load("ipo_propositions")["id"] if re.fullmatch(r"P\d", p)]
    assert table.loc["Propositions or claims", titles["ipo"]].startswith(f"{len(top)} propositions")
    # oli: one case per letter of Table 1; firms that left are those not staying.
    cases = data.load("oli_cases")
    assert f"{len(cases)} cases" in table.loc["Method and data", titles["oli"]]
    left = int((cases["stayed"] == False).sum())  # noqa: E712
    assert f"{left} of the {len(cases)} firms left" in table.loc["Dark side and tensions", titles["oli"]]
    # coopetition: every claim of the abstract is listed.
    for claim in data.load("coopetition_claims")["claim"]:
        assert claim in table.loc["Propositions or claims", titles["coopetition"]]


def test_templates_type_no_numbers_and_every_placeholder_resolves():
    frame = data.load("synthesis_frameworks")
    for _, row in frame.iterrows():
        for column, _label in synthesis.ASPECTS:
            # digits inside names (B2B, COVID-19) are not reported numbers
            text = row[column].replace("COVID-19", "COVID")
            assert not re.search(r"(?<![A-Za-z])\d|\d(?![A-Za-z])", text), (
                f"synthesis_frameworks {row['chapter']}.{column} types a number; read it from the chapter's table"
            )
        filled = synthesis.profile(row["chapter"])
        for column, text in filled.items():
            assert "{" not in text and "}" not in text, (row["chapter"], column)
            assert text.strip(), (row["chapter"], column)


def test_every_chapter_is_a_column_and_every_aspect_a_row():
    table = synthesis.comparison_table()
    assert list(table.columns[1:]) == data.load("chapters")["title"].tolist()
    assert table["Aspect"].tolist()[2:] == [label for _, label in synthesis.ASPECTS]
    assert table.iloc[:, 1:].map(lambda v: isinstance(v, str) and bool(v.strip())).all().all()


def test_unknown_placeholder_is_a_clear_error(data_copy):
    def corrupt(row):
        if row["chapter"] == "ipo":
            row["actors"] = "{no_such_fact}"

    _rewrite(data_copy / "synthesis_frameworks.csv", corrupt)
    with pytest.raises(ValueError, match="no_such_fact"):
        synthesis.comparison_table()


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError, match="chapters must be"):
        synthesis.comparison_table([])
    with pytest.raises(ValueError, match="chapter must be"):
        synthesis.href("glossary")
    with pytest.raises(ValueError, match="gap must be"):
        synthesis.map_frames(gap=-1)


# --- the concept map ------------------------------------------------------------------


def test_every_href_targets_an_existing_chapter_page_and_section():
    pages = set(data.load("chapters")["page"])
    n = synthesis.nodes()
    assert len(n) > 0
    for url in n["href"]:
        path, _, anchor = url.partition("#")
        assert path.endswith(".html") and not path.startswith(("/", "http"))
        docname = posixpath.normpath(posixpath.join(PAGE_DIR, path[: -len(".html")]))
        assert docname in pages, url
        assert (ROOT / f"{docname}.md").exists(), url
        assert anchor, f"{url}: the section heading was not found, so the link has no anchor"
        headings = [
            synthesis.section_anchor(docname, h)
            for h in re.findall(r"^#{1,6}\s+(.*?)\s*$", (ROOT / f"{docname}.md").read_text(encoding="utf-8"), re.M)
        ]
        assert anchor in headings, url


def test_node_names_and_definitions_come_from_the_chapter_tables():
    tables = synthesis.node_tables()
    for row in synthesis.nodes().itertuples():
        spec = tables[row.table]
        source = data.load(row.table).set_index(spec.id_field, drop=False).loc[row.id]
        assert row.label == source[spec.label_field]
        assert row.definition == source[spec.definition_field]
        assert row.chapter == spec.chapter


def test_links_join_two_chapters_and_every_end_exists():
    lk = synthesis.links()
    assert (lk["from_chapter"] != lk["to_chapter"]).all()
    assert set(lk["theme"]) == set(synthesis.THEMES)
    # the chain the issue names: S-D logic -> actor engagement (OLI) <-> reciprocal participation (IPO)
    keys = set(zip(lk["from_key"], lk["to_key"]))
    assert ("foundations_concepts:sdl", "oli_dimensions:engagement") in keys
    assert ("oli_dimensions:engagement", "ipo_constructs:reciprocal_participation") in keys
    # and the dark-side chain: co-destruction <-> negative e-WOM <-> appropriation
    assert ("foundations_concepts:value_codestruction", "ipo_constructs:negative_ewom") in keys
    assert ("ipo_constructs:negative_ewom", "coopetition_glossary:Value appropriation") in keys


def test_a_link_to_a_missing_construct_fails_with_its_row(data_copy):
    def corrupt(row):
        if row["id"] == "sdl_engagement":
            row["to_id"] = "no_such_dimension"

    _rewrite(data_copy / "synthesis_links.csv", corrupt)
    with pytest.raises(ValueError, match=r"row 1, column 'to_id'.*no_such_dimension"):
        synthesis.links()


def test_every_link_has_evidence_from_the_source_of_the_end_it_supports():
    lk = synthesis.links().set_index("id")
    ev = data.load("synthesis_evidence")
    assert set(ev["link"]) == set(lk.index), "every link needs at least one quotation"
    for row in ev.itertuples():
        assert row.source == lk.loc[row.link, f"{row.end}_source"], row.id
    stated = lk[lk["basis"] == "stated"].index
    assert len(stated) > 0


def test_evidence_quotations_occur_in_the_sources():
    folder = require_sources()
    problems, counts = provenance.check_table("synthesis_evidence", provenance.source_texts(folder))
    assert problems == []
    assert counts["quotes"] == len(data.load("synthesis_evidence"))


def test_concept_map_spec_has_hover_click_and_a_bound_dropdown():
    spec = synthesis.concept_map().to_dict()
    assert [p["name"] for p in spec["params"]] == ["link_theme"]
    assert spec["params"][0]["bind"]["input"] == "select"
    assert spec["description"].startswith("Concept map")
    layers = spec["layer"]
    with_href = [layer for layer in layers if "href" in layer["encoding"]]
    assert len(with_href) >= 2
    for layer in with_href:
        fields = [t["field"] for t in layer["encoding"]["tooltip"]]
        assert "definition" in fields and "label" in fields
    rules = [layer for layer in layers if layer["mark"]["type"] == "rule"]
    assert "rationale" in [t["field"] for t in rules[0]["encoding"]["tooltip"]]
    total_rows = sum(len(rows) for rows in spec["datasets"].values())
    assert total_rows < 500


def test_map_places_every_node_once_on_its_side():
    n, e = synthesis.map_frames()
    assert n["key"].is_unique
    assert (n.loc[n["side"] == "right", "x"] > 0).all() and (n.loc[n["side"] == "left", "x"] < 0).all()
    assert not e[["x", "y", "x2", "y2"]].isna().any().any()
    # chapters stay together: one side per chapter
    assert (n.groupby("chapter")["side"].nunique() == 1).all()


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 12), min_size=1, max_size=6),
    data_=st.data(),
)
def test_split_sides_is_an_ordered_partition(counts, data_):
    names = [f"c{i}" for i in range(len(counts))]
    pairs = data_.draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)), max_size=10))
    right, left = synthesis.split_sides(dict(zip(names, counts)), pairs)
    assert right[0] == names[0]
    assert sorted(right + left) == sorted(names) and not set(right) & set(left)
    assert right == [c for c in names if c in right] and left == [c for c in names if c in left]
    if not pairs:
        imbalance = abs(sum(counts[names.index(c)] for c in right) - sum(counts[names.index(c)] for c in left))
        assert imbalance <= max(counts)


def test_synthesis_tables_load_with_their_schemas():
    for name in ("synthesis_frameworks", "synthesis_links", "synthesis_evidence", "synthesis_node_tables", "synthesis_glossary"):
        frame = data.load(name)
        assert len(frame) > 0
    assert set(data.load("synthesis_frameworks")["chapter"]) == set(data.load("chapters")["id"])
    assert set(data.load("synthesis_node_tables")["table"]) <= set(data.tables())


# --- wrong results a reader would see (issue 21, item 4) ----------------------------------


def test_a_link_within_one_chapter_is_refused(data_copy):
    def corrupt(row):
        if row["id"] == "sdl_engagement":  # foundations_concepts:sdl -> a second foundations concept
            row["to_table"], row["to_id"] = "foundations_concepts", "value_codestruction"

    _rewrite(data_copy / "synthesis_links.csv", corrupt)
    with pytest.raises(ValueError, match=r"links must join two chapters; \['sdl_engagement'\]"):
        synthesis.links()


@pytest.mark.parametrize("gap", [0, 1, 3])
def test_map_layout_spaces_nodes_evenly_with_gap_slots_between_chapters(gap):
    """The documented layout, checked by its properties: on each side the nodes run from
    y = 0.95 down to y = -0.95 in equal steps d, a change of chapter leaves gap empty
    slots ((gap + 1)·d), and each node sits on the arc ((|x| - 0.45)/0.55)² + y² = 1."""
    n, _ = synthesis.map_frames(gap=gap)
    for side, sign in (("right", 1), ("left", -1)):
        part = n[n["side"] == side]
        y = part["y"].to_numpy()
        chapters = part["chapter"].tolist()
        assert y[0] == pytest.approx(0.95) and y[-1] == pytest.approx(-0.95)
        slots = sum(1 + (gap if a != b else 0) for a, b in zip(chapters, chapters[1:]))
        d = 1.9 / slots
        for k in range(1, len(y)):
            step = d * (gap + 1 if chapters[k] != chapters[k - 1] else 1)
            assert y[k - 1] - y[k] == pytest.approx(step), (side, k)
        x = part["x"].to_numpy()
        assert (np.sign(x) == sign).all()
        np.testing.assert_allclose(((np.abs(x) - 0.45) / 0.55) ** 2 + y**2, 1.0, atol=1e-12)
        np.testing.assert_allclose(part["lx"] - x, 0.06 * sign)
        np.testing.assert_allclose(part["ly"], y)


def test_section_anchor_finds_atx_headings_of_levels_one_to_six_only(tmp_path):
    """CommonMark ATX headings: 1 to 6 '#' then a space; seven '#' is a paragraph."""
    (tmp_path / "page.md").write_text(
        "# Top heading\n\n###### Deep heading  \n\n####### Not a heading\n\n#No space\n\nText # Not at start\n",
        encoding="utf-8",
    )
    anchor = lambda h: synthesis.section_anchor("page", h, root=tmp_path)  # noqa: E731
    assert anchor("Top heading") == "top-heading"
    assert anchor("Deep heading") == "deep-heading"
    assert anchor("Not a heading") is None and anchor("No space") is None and anchor("Not at start") is None
    assert synthesis.section_anchor("missing", "Top heading", root=tmp_path) is None


def test_evidence_names_the_construct_of_the_end_it_supports():
    lk = synthesis.links().set_index("id")
    for row in synthesis.evidence().itertuples():
        link = lk.loc[row.link]
        assert row.construct == link[f"{row.end}_label"]
        assert row.link_text == f"{link['from_label']} {link['relation']} {link['to_label']}"
        assert row.construct in row.link_text


def _keep_links(folder: Path, ids: list[str]) -> None:
    path = folder / "synthesis_links.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["id"] in ids)


def test_a_lone_node_on_a_side_sits_in_the_middle_of_the_arc(data_copy):
    """One link: one construct per side; spaced evenly from top to bottom, a single
    node has y = 0 and so |x| = 0.45 + 0.55 = 1."""
    _keep_links(data_copy, ["sdl_engagement"])
    n, _ = synthesis.map_frames()
    assert sorted(n["side"]) == ["left", "right"]
    np.testing.assert_allclose(n["y"], 0.0)
    np.testing.assert_allclose(n["x"].abs(), 1.0)


def test_two_nodes_on_a_side_take_the_top_and_the_bottom(data_copy):
    _keep_links(data_copy, ["sdl_engagement", "operand_platform"])
    n, _ = synthesis.map_frames()
    for side in ("left", "right"):
        assert sorted(n.loc[n["side"] == side, "y"].round(12)) == [-0.95, 0.95]


def test_the_map_splits_the_chapters_in_book_order():
    """split_sides keeps the chapters' order and puts the first on the right: the map
    must hand it the chapters in book order (not sorted by name)."""
    n, _ = synthesis.map_frames()
    order = [c for c in data.load("chapters")["id"] if c in set(n["chapter"])]
    assert n.loc[n["chapter"] == order[0], "side"].eq("right").all()
    counts = {c: int((n["chapter"] == c).sum()) for c in order}
    lk = synthesis.links()
    right, _ = synthesis.split_sides(counts, list(zip(lk["from_chapter"], lk["to_chapter"])))
    assert set(n.loc[n["side"] == "right", "chapter"]) == set(right)


def test_nodes_have_the_documented_columns_only():
    assert list(synthesis.nodes().columns) == [
        "key", "table", "id", "chapter", "chapter_title", "label", "definition", "source", "source_label", "href", "themes",
    ]


def test_an_empty_template_has_no_placeholders():
    assert synthesis.placeholders("") == []
    assert synthesis.placeholders("no fields") == []
    assert synthesis.placeholders("{a} and {b}{a}") == ["a", "b", "a"]


def test_concept_map_opacities_are_valid_vega_lite_values():
    """Vega-Lite opacity is a number in [0, 1] (larger values are clamped, silently)."""
    values = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "opacity":
                    values.extend(v["value"] for v in ([value] + [value.get("condition", {})]) if isinstance(v, dict) and "value" in v)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(synthesis.concept_map().to_dict())
    assert values and all(0 <= v <= 1 for v in values), values


def test_concept_map_scales_hold_every_node_and_label():
    """Each positional scale is a proper interval (lo < hi) holding every node and label."""
    spec = synthesis.concept_map().to_dict()
    n, _ = synthesis.map_frames()
    seen = 0
    for layer in spec["layer"]:
        for channel, columns in (("x", ("x", "lx")), ("y", ("y", "ly"))):
            enc = layer["encoding"][channel]
            lo, hi = enc["scale"]["domain"]
            assert lo < hi, (channel, lo, hi)
            column = enc["field"]
            if column in n:
                assert n[column].between(lo, hi).all(), (channel, column)
                seen += 1
    assert seen >= 6
