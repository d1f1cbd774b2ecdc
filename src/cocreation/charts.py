"""The book's chart theme, its offline HTML renderer and shared chart builders.

Chart builders return an :class:`altair.Chart` (or a layered/concatenated chart)
and never display it.

Rendering
---------
In a live Jupyter kernel Altair's own renderer is left alone. During the book
build (the Sphinx extension :mod:`cocreation.sphinxext` sets
``COCREATION_BOOK_BUILD=1`` before the notebooks run) charts are emitted as a
``<div>`` plus a call to the global ``vegaEmbed``, which the page loads from the
book's own ``_static/vendor/`` folder. No chart pulls a script from a CDN.

Examples
--------
>>> import altair as alt, pandas as pd
>>> chart = bar_chart(pd.DataFrame({"x": ["a", "b"], "y": [1, 2]}), "x", "y")
>>> chart.to_dict()["mark"]["type"]
'bar'
>>> "vegaEmbed" in book_html(chart.to_dict())
True
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import textwrap
from typing import Any, Iterable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from . import chartfit, validate

__all__ = [
    "PALETTE",
    "SEQUENTIAL",
    "theme",
    "book_html",
    "enable_book_renderer",
    "bar_chart",
    "flow_diagram",
    "layout_layers",
    "MIN_SIZE",
    "MAX_SIZE",
    "size",
    "split_sides",
]

#: Smallest and largest width or height of a chart, in pixels.
MIN_SIZE, MAX_SIZE = 50, 4000


def size(name: str, value: Any) -> int:
    """A chart's width or height: an integer number of pixels in [MIN_SIZE, MAX_SIZE].

    >>> size("width", 640)
    640
    >>> size("width", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: width must be an integer in [50, 4000], got nan
    """
    return validate.integer(name, value, MIN_SIZE, MAX_SIZE)

#: Okabe & Ito's colour-blind-safe palette (black left out; it is the text colour).
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#999999",  # grey
]
#: Sequential scheme for heatmaps: perceptually uniform and colour-blind safe.
SEQUENTIAL = "viridis"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
TEXT = "#222222"


def theme() -> dict[str, Any]:
    """The book's Vega-Lite config.

    Charts sit on a white card, so they stay readable in the dark page theme.

    >>> theme()["config"]["background"]
    'white'
    """
    return {
        "config": {
            "background": "white",
            "padding": 8,
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 480, "continuousHeight": 300},
            "range": {"category": PALETTE, "heatmap": {"scheme": SEQUENTIAL}},
            "axis": {
                "labelColor": TEXT,
                "titleColor": TEXT,
                "labelFontSize": 12,
                "titleFontSize": 13,
                "gridColor": "#e6e6e6",
                "domainColor": "#888888",
                "tickColor": "#888888",
            },
            "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 13},
            "header": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12},
            "title": {"color": TEXT, "fontSize": 15, "anchor": "start"},
            "text": {"color": TEXT, "fontSize": 12},
            "mark": {"color": PALETTE[0]},
        }
    }


@alt.theme.register("cocreation", enable=True)
def _theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(theme())


_EMBED_OPTIONS = {
    "renderer": "svg",
    "actions": {"export": True, "source": False, "compiled": False, "editor": False},
}


def book_html(spec: dict[str, Any]) -> str:
    """HTML that renders ``spec`` with the page's own Vega-Embed.

    The id is derived from the spec, so rebuilding the book gives identical pages.
    The container carries the chart's ``description`` as its accessible name.
    """
    if not isinstance(spec, dict):
        raise ValueError(f"spec must be a Vega-Lite spec (a dict), got a {type(spec).__name__}")
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    div_id = "vis-" + hashlib.sha1(payload.encode()).hexdigest()[:12]
    label = spec.get("description") or _title_text(spec) or "Interactive chart"
    safe_payload = payload.replace("<", "\\u003c")  # "<" only occurs in JSON strings: no "</script>"
    return (
        f'<div class="cocreation-chart" id="{div_id}" data-name="{chartfit.file_name(label)}" role="figure" '
        f'aria-label="{html.escape(label, quote=True)}"></div>\n'
        f'<script type="application/json" id="{div_id}-spec">{safe_payload}</script>\n'
        # the page's scheduler (charts-lazy.js) calls draw when the chart is needed
        "<script>(function () {\n"
        f'  var el = document.getElementById("{div_id}");\n'
        "  var draw = function () {\n"
        "  if (!window.vegaEmbed) {\n"
        '    el.textContent = "This chart is drawn by Vega-Embed, which the book page loads; '
        'run the notebook cell in Jupyter to see it there.";\n'
        "    return;\n  }\n"
        f'  var spec = JSON.parse(document.getElementById("{div_id}-spec").textContent);\n'
        f"  return vegaEmbed(el, spec, {json.dumps(_EMBED_OPTIONS)})\n"
        "    .then(function (r) {\n"
        "      el.vegaView = r.view; el.dataset.renderedAt = performance.now();\n"
        "      var menu = el.querySelector('details > summary'); if (menu) menu.setAttribute('aria-label', 'Chart actions: save as SVG or PNG');\n"
        f"      {chartfit.CSV_BUTTON_JS}\n"
        f"      {chartfit.FIT_JS % json.dumps(_EMBED_OPTIONS)}\n"
        "    })\n"
        "    .catch(function (e) { el.textContent = 'Chart error: ' + e; console.error(e); });\n  };\n"
        "  if (window.cocreationCharts) window.cocreationCharts.add(el, draw); else draw();\n"
        "})();</script>"
    )


def _title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return title or ""


#: Line height of a flow-diagram label (px).
LABEL_LINE = 13

VEGALITE_MIME = "application/vnd.vegalite.v6+json"


def _book_renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    # The page uses the HTML; a downloaded notebook keeps the Vega-Lite bundle for Jupyter.
    return {"text/html": book_html(spec), VEGALITE_MIME: spec, "text/plain": "<Altair chart>"}


alt.renderers.register("cocreation-book", _book_renderer)


def enable_book_renderer() -> None:
    """Render charts as offline HTML for the book (done automatically in the build)."""
    alt.renderers.enable("cocreation-book")
    alt.data_transformers.disable_max_rows()


if os.environ.get("COCREATION_BOOK_BUILD") == "1":
    enable_book_renderer()


# --- shared builders -------------------------------------------------------------


def bar_chart(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    color: str | None = None,
    tooltip: Sequence[str] | None = None,
    description: str = "",
    horizontal: bool = False,
) -> alt.Chart:
    """A plain bar chart with the book's defaults.

    Parameters
    ----------
    frame
        Tidy data.
    x, y
        Category and value columns (Altair shorthand allowed, e.g. ``"count:Q"``).
    color
        Optional column for colour.
    tooltip
        Columns shown on hover; defaults to ``x`` and ``y``.
    description
        The chart's text alternative.
    horizontal
        Put categories on the y axis (for long labels).
    """
    validate.frame("frame", frame)
    validate.text("x", x)
    validate.text("y", y)
    if color is not None:
        validate.text("color", color)
    if tooltip is not None:
        validate.texts("tooltip", tooltip, empty=False)
    validate.text("description", description, empty=True)
    validate.flag("horizontal", horizontal)
    cat, val = (alt.Y(x, sort=None), alt.X(y)) if horizontal else (alt.X(x, sort=None), alt.Y(y))
    enc: dict[str, Any] = {"tooltip": list(tooltip or [x, y])}
    if horizontal:
        enc.update(y=cat, x=val)
    else:
        enc.update(x=cat, y=val)
    if color:
        enc["color"] = color
    return alt.Chart(frame, description=description or alt.Undefined).mark_bar().encode(**enc)


def layout_layers(nodes: pd.DataFrame, layer: str = "layer", order: str = "order") -> pd.DataFrame:
    """Place nodes in columns: x is the layer, y spreads each layer's nodes evenly.

    Returns a copy of ``nodes`` with ``x`` and ``y`` in [0, 1].

    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "layer": [0, 0, 1], "order": [0, 1, 0]})
    >>> layout_layers(df)[["x", "y"]].values.tolist()
    [[0.0, 0.25], [0.0, 0.75], [1.0, 0.5]]
    """
    validate.text("layer", layer)
    validate.text("order", order)
    validate.frame("nodes", nodes, [layer, order])
    if len(nodes):
        validate.array(f"nodes[{layer!r}]", nodes[layer].to_numpy())
        validate.array(f"nodes[{order!r}]", nodes[order].to_numpy())
    out = nodes.copy()
    layers = sorted(out[layer].unique())
    span = max(len(layers) - 1, 1)
    out["x"] = out[layer].map({v: i / span for i, v in enumerate(layers)}).astype(float)
    out["y"] = 0.0
    for value in layers:
        idx = out.index[out[layer] == value]
        ranks = out.loc[idx, order].rank(method="first") - 1
        out.loc[idx, "y"] = (ranks + 0.5) / len(idx)
    return out


def flow_diagram(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    *,
    node_tooltip: Iterable[str] = ("label", "definition"),
    edge_tooltip: Iterable[str] = ("source_label", "target_label"),
    highlight: str | None = None,
    highlight_options: Sequence[str] = (),
    highlight_labels: Sequence[str] | None = None,
    highlight_label: str = "Highlight",
    layer_titles: Sequence[str] = (),
    edge_styles: dict[str, str] | None = None,
    width: int = 640,
    height: int = 360,
    description: str = "",
) -> alt.LayerChart:
    """A generated left-to-right diagram of nodes in layers joined by edges.

    Parameters
    ----------
    nodes
        One row per node: ``id``, ``label``, ``layer`` (column index), ``order``
        (position within the column) and any tooltip columns. A ``groups`` column of
        ``;``-joined names marks what the ``highlight`` dropdown selects.
    edges
        One row per edge: ``source``, ``target``, ``style`` (``"solid"`` or
        ``"dashed"``), optional ``groups`` and tooltip columns.
    highlight
        Name of the dropdown parameter; ``None`` for no dropdown.
    highlight_options
        The dropdown's choices; ``"All"`` is prepended.
    highlight_labels
        What the reader sees for each choice (default: the choices themselves), so
        that ids never show in the dropdown.
    layer_titles
        Column headings, one per layer.
    edge_styles
        What a solid and a dashed edge mean (``{"solid": ..., "dashed": ...}``), for
        the legend; without a dashed edge there is no edge legend.

    Examples
    --------
    >>> n = pd.DataFrame({"id": ["a", "b"], "label": ["A", "B"], "layer": [0, 1],
    ...                   "order": [0, 0], "definition": ["x", "y"], "groups": ["g", "g"]})
    >>> e = pd.DataFrame({"source": ["a"], "target": ["b"], "style": ["solid"], "groups": ["g"]})
    >>> spec = flow_diagram(n, e, highlight="focus", highlight_options=["g"]).to_dict()
    >>> spec["params"][0]["name"], spec["params"][0]["bind"]["options"]
    ('focus', ['All', 'g'])
    """
    validate.frame("nodes", nodes, ["id", "label", "layer", "order"], min_rows=1)
    validate.frame("edges", edges, ["source", "target"])
    if nodes["id"].duplicated().any():
        raise ValueError(f"nodes['id'] must be unique, got repeated {sorted(nodes.loc[nodes['id'].duplicated(), 'id'].astype(str))}")
    node_tooltip = validate.texts("node_tooltip", list(node_tooltip) if not isinstance(node_tooltip, str) else node_tooltip)
    edge_tooltip = validate.texts("edge_tooltip", list(edge_tooltip) if not isinstance(edge_tooltip, str) else edge_tooltip)
    if highlight is not None:
        validate.text("highlight", highlight)
        if not highlight.isidentifier():
            raise ValueError(f"highlight must be a Python identifier (it names a Vega parameter), got {highlight!r}")
    validate.texts("highlight_options", highlight_options)
    if highlight_labels is not None:
        validate.texts("highlight_labels", highlight_labels)
        if len(highlight_labels) != len(highlight_options):
            raise ValueError(f"highlight_labels must hold one label per option ({len(highlight_options)}), got {len(highlight_labels)}")
    validate.text("highlight_label", highlight_label)
    validate.texts("layer_titles", layer_titles)
    width = size("width", width)
    height = size("height", height)
    validate.text("description", description, empty=True)
    placed = layout_layers(nodes)
    placed["label"] = [s if "\n" in s else "\n".join(textwrap.wrap(s, 20)) or s for s in placed["label"].astype(str)]
    pos = placed.set_index("id")[["x", "y", "label"]]
    missing = set(edges["source"]).union(edges["target"]) - set(pos.index)
    if missing:
        raise ValueError(f"edges refer to unknown node ids: {sorted(missing)}")
    e = edges.copy()
    e["x"] = e["source"].map(pos["x"])
    e["y"] = e["source"].map(pos["y"])
    e["x2"] = e["target"].map(pos["x"])
    e["y2"] = e["target"].map(pos["y"])
    e["source_label"] = e["source"].map(pos["label"])
    e["target_label"] = e["target"].map(pos["label"])
    e["aria"] = (e["source_label"] + " to " + e["target_label"]).str.replace("\n", " ")  # screen readers
    if "style" not in e:
        e["style"] = "solid"
    for frame in (placed, e):
        if "groups" not in frame:
            frame["groups"] = ""
        frame["groups_key"] = ";" + frame["groups"].fillna("").astype(str) + ";"

    meaning = {"solid": "solid line", "dashed": "dashed line", **(edge_styles or {})}
    edge_legend = alt.Legend(title="Line", orient="bottom", labelLimit=320, labelExpr=(
        f"datum.label == 'dashed' ? {json.dumps(meaning['dashed'])} : {json.dumps(meaning['solid'])}"))
    if "dashed" not in set(e["style"]):
        edge_legend = None
    xs = alt.Scale(domain=[-0.12, 1.12])
    ys = alt.Scale(domain=[0, 1], reverse=True)
    params = []
    if highlight:
        param = alt.param(
            name=highlight,
            value="All",
            bind=alt.binding_select(
                options=["All", *highlight_options],
                labels=["All", *(highlight_labels if highlight_labels is not None else highlight_options)],
                name=highlight_label + " ",
            ),
        )
        params.append(param)
        on = f"{highlight} == 'All' || indexof(datum.groups_key, ';' + {highlight} + ';') >= 0"
        opacity = alt.condition(on, alt.value(1.0), alt.value(0.15))
    else:
        opacity = alt.value(1.0)

    edge_layer = (
        alt.Chart(e)
        .mark_rule(strokeWidth=2.5)
        .encode(
            x=alt.X("x:Q", scale=xs, axis=None),
            y=alt.Y("y:Q", scale=ys, axis=None),
            x2="x2:Q",
            y2="y2:Q",
            strokeDash=alt.StrokeDash(
                "style:N",
                scale=alt.Scale(domain=["solid", "dashed"], range=[[1, 0], [6, 4]]),
                legend=edge_legend,
            ),
            stroke=alt.Stroke(
                "style:N",
                scale=alt.Scale(domain=["solid", "dashed"], range=["#555555", PALETTE[5]]),
                legend=edge_legend,
            ),
            opacity=opacity,
            description=alt.Description("aria:N"),
            tooltip=[alt.Tooltip(c, title=chartfit.reader_title(c)) for c in edge_tooltip if c in e],
        )
    )
    if layer_titles:
        order_layers = sorted(placed["layer"].unique())
        names = {v: layer_titles[i] for i, v in enumerate(order_layers) if i < len(layer_titles)}
        placed["layer_title"] = placed["layer"].map(names)
        node_color = alt.Color("layer_title:N", title="Column", sort=list(layer_titles), legend=alt.Legend(title=None, orient="top"))
    else:
        node_color = alt.value(PALETTE[0])
    node_layer = (
        alt.Chart(placed)
        .mark_circle(size=900, stroke="white", strokeWidth=2)
        .encode(
            description=alt.Description("label:N"),
            x=alt.X("x:Q", scale=xs, axis=None),
            y=alt.Y("y:Q", scale=ys, axis=None),
            color=node_color,
            opacity=opacity,
            tooltip=[alt.Tooltip(c, title=chartfit.reader_title(c)) for c in node_tooltip if c in placed],
        )
    )
    # a label's further lines run downwards: lift it by them (in the y scale's units) so it ends above its node
    placed["label_y"] = placed["y"] - LABEL_LINE * placed["label"].astype(str).str.count("\n") / height
    label_layer = (
        alt.Chart(placed)
        .mark_text(dy=-20, baseline="bottom", fontSize=12, fontWeight="bold", lineBreak="\n", lineHeight=LABEL_LINE, aria=False)
        .encode(
            x=alt.X("x:Q", scale=xs, axis=None),
            y=alt.Y("label_y:Q", scale=ys, axis=None),
            text=alt.Text("label:N", title="Name"),
            opacity=opacity,
            tooltip=[alt.Tooltip(c, title=chartfit.reader_title(c)) for c in node_tooltip if c in placed],
        )
    )
    chart = alt.layer(edge_layer, node_layer, label_layer).resolve_scale(
        color="independent", strokeDash="independent", stroke="independent"
    ).properties(
        width=width,
        height=height,
        description=description or "Diagram: " + ", ".join(placed["label"].astype(str)),
    )
    if params:
        chart = chart.add_params(*params)
    return chart


# --- two columns of groups (the concept map's sides) -----------------------------------

#: Most chapters and links :func:`split_sides` accepts (it is a layout of one page).
MAX_SIDE_CHAPTERS, MAX_SIDE_PAIRS = 200, 100_000
#: Up to this many chapters every split is tried (2**15 splits, vectorised); above it a
#: local search gives a split that no single move of one chapter improves.
EXACT_SIDE_CHAPTERS = 16


def _side_inputs(node_counts: object, pairs: object) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Chapters, their node counts and the link-count matrix W (W[i, j]: links i → j), checked."""
    if not isinstance(node_counts, dict) or not node_counts:
        raise ValueError(f"node_counts must be a non-empty dict of chapter -> number of nodes, got {node_counts!r}")
    validate.work("the number of chapters in node_counts", len(node_counts), MAX_SIDE_CHAPTERS)
    chapters = list(node_counts)
    counts = np.array(
        [validate.integer(f"node_counts[{c!r}]", node_counts[c], 0, 10**6) for c in chapters], dtype=np.int64
    )
    if not isinstance(pairs, (list, tuple)):
        raise ValueError(f"pairs must be a list of (chapter, chapter) pairs, got {pairs!r}")
    validate.work("the number of pairs", len(pairs), MAX_SIDE_PAIRS)
    where = {c: i for i, c in enumerate(chapters)}
    w = np.zeros((len(chapters), len(chapters)), dtype=np.int64)
    for pair in pairs:
        ok = isinstance(pair, (list, tuple)) and len(pair) == 2
        try:
            ok = ok and all(end in where for end in pair)
        except TypeError:  # an unhashable end
            ok = False
        if not ok:
            raise ValueError(f"pairs must hold (chapter, chapter) pairs of chapters in node_counts, got {pair!r}")
        w[where[pair[0]], where[pair[1]]] += 1
    return chapters, counts, w


def _side_costs(on_right: np.ndarray, counts: np.ndarray, w: np.ndarray) -> np.ndarray:
    """10 × links inside a column + |node imbalance|, for each row of 0/1 ``on_right``.

    A link (i, j) is inside a column when s_i = s_j, i.e. 1 - s_i - s_j + 2 s_i s_j = 1.
    """
    s = on_right.astype(np.int64)
    inside = w.sum() - s @ (w.sum(axis=0) + w.sum(axis=1)) + 2 * np.einsum("mi,ij,mj->m", s, w, s)
    balance = np.abs(2 * (s @ counts) - counts.sum())
    return 10 * inside + balance


def _split_exact(counts: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The cheapest split with the first chapter on the right; ties: the first in mask order."""
    m = len(counts) - 1
    masks = np.arange(2**m, dtype=np.int64)
    bits = (masks[:, None] >> np.arange(m)) & 1
    on_right = np.hstack([np.ones((len(masks), 1), dtype=np.int64), bits])
    return on_right[int(np.argmin(_side_costs(on_right, counts, w)))]


def _split_local(counts: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A greedy split (each chapter in turn joins the side where its links to the chapters
    placed so far and the imbalance so far cost least; ties: right), improved by moving one or two chapters at a time while that lowers the cost.

    Polynomial: the greedy pass costs O(k²) for k chapters; each step prices every move
    of one chapter or of a pair at once in O(k²) (with t = ±1 for right/left, moving
    chapter c changes the links inside a column by -t_c Σ_{j≠c} (W + Wᵀ)_cj t_j and the
    imbalance by -2 t_c n_c) and lowers the integer cost; at most 10·k steps: O(k³).
    """
    k = len(counts)
    sym = w + w.T
    s = np.zeros(k, dtype=np.int64)
    s[0] = 1
    for c in range(1, k):
        placed = np.arange(k) < c
        imbalance = int(2 * counts[placed & (s == 1)].sum() - counts[placed].sum())
        right = 10 * int(sym[c, placed & (s == 1)].sum()) + abs(imbalance + int(counts[c]))
        left = 10 * int(sym[c, placed & (s == 0)].sum()) + abs(imbalance - int(counts[c]))
        s[c] = 1 if right <= left else 0
    diagonal = np.diag(sym)
    for _ in range(10 * k):
        t = 2 * s - 1
        inside = (w.sum() + t @ w @ t) // 2
        balance = 2 * int(s @ counts) - int(counts.sum())
        one = -t * (sym @ t - diagonal * t)  # change of the links inside when one chapter moves
        # two chapters c, d move: both changes, less the link between them counted twice
        two = one[:, None] + one[None, :] + 2 * np.outer(t, t) * (sym - np.diag(diagonal))
        shift = 2 * t * counts
        costs = 10 * (inside + two) + np.abs(balance - shift[:, None] - shift[None, :])
        np.fill_diagonal(costs, 10 * (inside + one) + np.abs(balance - shift))  # c = d: one move
        costs[0, :] = costs[:, 0] = np.iinfo(np.int64).max  # the first chapter stays on the right
        c, d = np.unravel_index(int(np.argmin(costs)), costs.shape)
        if costs[c, d] >= 10 * inside + abs(balance):
            break
        s[c] ^= 1
        if d != c:
            s[d] ^= 1
    return s


def split_sides(node_counts: dict[str, int], pairs: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Split the chapters into a right and a left column of the map.

    Links between the two columns cross the middle of the map and stay readable; links
    inside one column run along its edge. The split minimises the links inside a column
    (ten times) plus the difference in node counts; chapters keep their order, and the
    first chapter is always on the right.

    Up to ``EXACT_SIDE_CHAPTERS`` (16) chapters every split is tried at once (at most
    2**15, vectorised; ties go to the first split in the order of a binary count over
    the chapters after the first); above that a greedy split is improved by moving
    one or two chapters at a time (polynomial, O(k³); a local optimum). At most ``MAX_SIDE_CHAPTERS`` chapters and
    ``MAX_SIDE_PAIRS`` links.

    Parameters
    ----------
    node_counts
        Chapter -> number of its nodes (an integer >= 0), in book order; not empty.
    pairs
        The links as (chapter, chapter) pairs of chapters of ``node_counts``.

    Examples
    --------
    >>> split_sides({"a": 4, "b": 2, "c": 2}, [("a", "b"), ("a", "c")])
    (['a'], ['b', 'c'])
    >>> split_sides({}, [])
    Traceback (most recent call last):
    ...
    ValueError: node_counts must be a non-empty dict of chapter -> number of nodes, got {}
    """
    chapters, counts, w = _side_inputs(node_counts, pairs)
    on_right = _split_exact(counts, w) if len(chapters) <= EXACT_SIDE_CHAPTERS else _split_local(counts, w)
    right = [c for c, r in zip(chapters, on_right) if r]
    left = [c for c, r in zip(chapters, on_right) if not r]
    return right, left
