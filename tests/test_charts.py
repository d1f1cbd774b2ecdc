"""Chart theme, offline renderer and shared builders."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pandas as pd
import pytest

from cocreation import charts

# Machado, Oliveira & Fernandes (2009) full-severity simulation matrices (linear RGB).
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


@pytest.mark.parametrize("kind", sorted(CVD))
def test_first_six_palette_colours_stay_distinct_under_colour_blindness(kind):
    sim = [np.clip(np.array(CVD[kind]) @ _linear(c), 0, 1) for c in charts.PALETTE[:6]]
    closest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(sim, 2))
    assert closest > 0.05, f"two palette colours nearly merge under {kind}"


def test_theme_is_readable_on_dark_pages():
    config = charts.theme()["config"]
    assert config["background"] == "white"
    assert config["axis"]["labelColor"] == config["title"]["color"] == charts.TEXT


def test_book_html_is_deterministic_offline_and_escaped():
    spec = {"description": 'Bars "quoted"', "data": {"values": [{"t": "</script><script>alert(1)"}]}, "mark": "bar"}
    html = charts.book_html(spec)
    assert html == charts.book_html(spec)
    assert "http" not in html
    assert "</script><script>" not in html.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert 'aria-label="Bars &quot;quoted&quot;"' in html
    payload = re.search(r'<script type="application/json" id="vis-[0-9a-f]+-spec">(.*?)</script>', html, re.S).group(1)
    assert "</" not in payload and json.loads(payload) == spec


def test_layout_places_layers_left_to_right_and_spreads_rows():
    nodes = pd.DataFrame({"id": list("abcd"), "layer": [2, 0, 0, 1], "order": [0, 1, 0, 0]})
    placed = charts.layout_layers(nodes).set_index("id")
    assert placed.loc["b", "x"] == 0 and placed.loc["d", "x"] == 0.5 and placed.loc["a", "x"] == 1
    assert placed.loc["c", "y"] < placed.loc["b", "y"]


def test_flow_diagram_rejects_unknown_nodes_and_marks_dashed_edges():
    nodes = pd.DataFrame({"id": ["a", "b"], "label": ["A", "B"], "layer": [0, 1], "order": [0, 0]})
    with pytest.raises(ValueError, match="unknown node ids: \\['z'\\]"):
        charts.flow_diagram(nodes, pd.DataFrame({"source": ["a"], "target": ["z"]}))
    edges = pd.DataFrame({"source": ["a"], "target": ["b"], "style": ["dashed"]})
    spec = charts.flow_diagram(nodes, edges, description="d").to_dict()
    assert spec["description"] == "d"
    dash = spec["layer"][0]["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == ["solid", "dashed"] and dash["scale"]["range"][1] != [1, 0]


# --- readers never see a raw column name --------------------------------------------

#: Every chart a chapter page shows, built as the notebooks build it (small runs where a
#: figure simulates).
def _chapter_charts():
    from cocreation import coopetition, foundations, ipo, oli, synthesis, typology

    return {
        "foundations.scan_chart": foundations.scan_chart,
        "foundations.framework_chart": foundations.framework_chart,
        "ipo.framework_chart": ipo.framework_chart,
        "ipo.evidence_chart": ipo.evidence_chart,
        "ipo.estimate_explorer": ipo.estimate_explorer,
        "ipo.power_explorer": ipo.power_explorer,
        "typology.case_diagram": typology.case_diagram,
        "typology.stakeholder_chart": typology.stakeholder_chart,
        "typology.matrix_chart": typology.matrix_chart,
        "typology.readiness_explorer": typology.readiness_explorer,
        "oli.case_chart": oli.case_chart,
        "oli.structure_chart": oli.structure_chart,
        "oli.case_b_chart": oli.case_b_chart,
        "oli.funnel_explorer": oli.funnel_explorer,
        "oli.advantages_chart": oli.advantages_chart,
        "oli.preset_chart": lambda: oli.preset_chart(oli.preset_outcomes(n_seeds=2, months=3)),
        "oli.sensitivity_chart": lambda: oli.sensitivity_chart(oli.one_at_a_time(n_runs=3, months=3)),
        "coopetition.share_chart": coopetition.share_chart,
        "coopetition.profit_chart": lambda: coopetition.profit_chart(coopetition.scenario_table()),
        "coopetition.profit_explorer": coopetition.profit_explorer,
        "synthesis.concept_map": synthesis.concept_map,
    }


#: Channels whose title a reader meets: on an axis or legend, in a tooltip, or in the
#: label Vega gives each mark for screen readers ("title: value; ...").
_SHOWN = ("x", "y", "color", "fill", "stroke", "shape", "size", "opacity", "strokeDash", "text", "tooltip", "theta")
SNAKE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")


def _shown_titles(spec, where="spec"):
    """(where, title) for every encoding a reader meets, the field's name standing in for a missing title."""
    if isinstance(spec, list):
        for i, s in enumerate(spec):
            yield from _shown_titles(s, f"{where}[{i}]")
        return
    if not isinstance(spec, dict):
        return
    mark = spec.get("mark")
    silent = isinstance(mark, dict) and mark.get("aria") is False
    for channel, enc in (spec.get("encoding") or {}).items():
        if channel not in _SHOWN or silent:
            continue
        for e in enc if isinstance(enc, list) else [enc]:
            if isinstance(e, dict) and "field" in e:
                field = e["field"]["repeat"] if isinstance(e["field"], dict) else e["field"]
                title = e.get("title", field)
                hidden = e.get("legend", "") is None and channel not in ("x", "y", "tooltip") and "description" in spec.get("encoding", {})
                if title is not None and not hidden:
                    yield f"{where}.encoding.{channel}", title
    for key, value in spec.items():
        if key not in ("encoding", "datasets", "data"):
            yield from _shown_titles(value, f"{where}.{key}")


@pytest.mark.parametrize("name", sorted(_chapter_charts()))
def test_no_chart_shows_a_raw_column_name(name):
    spec = _chapter_charts()[name]().to_dict()
    raw = [(where, title) for where, title in _shown_titles(spec)
           if isinstance(title, str) and SNAKE.fullmatch(title)]
    assert raw == [], f"{name} shows raw column names: {raw}"


def test_the_title_check_catches_a_raw_name():
    import altair as alt

    chart = alt.Chart(pd.DataFrame({"mean_years": [1.0], "n": [1]})).mark_bar().encode(x="mean_years:Q", tooltip=["n:Q"])
    assert sorted(t for _, t in _shown_titles(chart.to_dict())) == ["mean_years", "n"]
