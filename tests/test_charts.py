"""Chart theme, offline renderer and shared builders."""

from __future__ import annotations

import itertools
import json

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
    payload = html.split("var spec = ", 1)[1].split(";\n", 1)[0]
    assert json.loads(payload.replace("<\\/", "</")) == spec


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
