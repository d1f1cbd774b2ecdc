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
from typing import Any, Iterable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from . import validate

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
    safe_payload = payload.replace("</", "<\\/")
    return (
        f'<div class="cocreation-chart" id="{div_id}" role="figure" '
        f'aria-label="{html.escape(label, quote=True)}"></div>\n'
        "<script>(function () {\n"
        f'  var el = document.getElementById("{div_id}");\n'
        f"  var spec = {safe_payload};\n"
        "  if (!window.vegaEmbed) {\n"
        '    el.textContent = "This chart is drawn by Vega-Embed, which the book page loads; '
        'run the notebook cell in Jupyter to see it there.";\n'
        "    return;\n"
        "  }\n"
        f"  vegaEmbed(el, spec, {json.dumps(_EMBED_OPTIONS)})\n"
        "    .then(function (r) {\n"
        "      el.vegaView = r.view; el.dataset.renderedAt = performance.now(); el.dataset.rendered = 'true';\n"
        "      var menu = el.querySelector('details > summary'); if (menu) menu.setAttribute('aria-label', 'Chart actions: save as SVG or PNG');\n"
        f"      {_CSV_BUTTON_JS}\n"
        f"      {_WIDE_HINT_JS}\n"
        "    })\n"
        "    .catch(function (e) { el.textContent = 'Chart error: ' + e; console.error(e); });\n"
        "})();</script>"
    )


#: Adds a "Download the data" button after a chart: the largest inline dataset of its
#: spec (the precomputed grid of an explorer, or the table it draws) as CSV.
_CSV_BUTTON_JS = (
    "var sets = spec.datasets || {}; var rows = Object.keys(sets).map(function (k) { return sets[k]; })"
    ".sort(function (a, b) { return b.length - a.length; })[0];"
    " if (rows && rows.length) {"
    " var cols = Object.keys(rows[0]);"
    " var esc = function (v) { if (v === null || v === undefined) return ''; v = String(v);"
    " return /[\",\\n]/.test(v) ? '\"' + v.replace(/\"/g, '\"\"') + '\"' : v; };"
    " var csv = [cols.join(',')].concat(rows.map(function (r) { return cols.map(function (c) { return esc(r[c]); }).join(','); })).join('\\n');"
    " var b = document.createElement('button'); b.type = 'button'; b.className = 'cocreation-chart-data btn btn-sm';"
    " b.textContent = 'Download the data behind this chart (CSV, ' + rows.length + ' rows)';"
    " b.addEventListener('click', function () { var a = document.createElement('a');"
    " a.href = URL.createObjectURL(new Blob([csv], {type: 'text/csv'})); a.download = el.id + '.csv';"
    " document.body.appendChild(a); a.click(); a.remove(); });"
    " el.insertAdjacentElement('afterend', b); }"
)


#: On a narrow screen a chart scrolls sideways inside its card; a line above it says so
#: whenever the chart is wider than the card (checked again on every resize).
_WIDE_HINT_JS = (
    "var hint = document.createElement('p'); hint.className = 'cocreation-chart-hint';"
    " hint.textContent = 'This chart is wider than the screen: scroll it sideways.';"
    " el.insertAdjacentElement('beforebegin', hint);"
    " var fit = function () { hint.hidden = el.scrollWidth <= el.clientWidth + 2; };"
    " fit(); window.addEventListener('resize', fit);"
)


def _title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return title or ""


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
    highlight_label: str = "Highlight",
    layer_titles: Sequence[str] = (),
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
    layer_titles
        Column headings, one per layer.

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
    validate.text("highlight_label", highlight_label)
    validate.texts("layer_titles", layer_titles)
    width = size("width", width)
    height = size("height", height)
    validate.text("description", description, empty=True)
    placed = layout_layers(nodes)
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
    if "style" not in e:
        e["style"] = "solid"
    for frame in (placed, e):
        if "groups" not in frame:
            frame["groups"] = ""
        frame["groups_key"] = ";" + frame["groups"].fillna("").astype(str) + ";"

    xs = alt.Scale(domain=[-0.12, 1.12])
    ys = alt.Scale(domain=[0, 1], reverse=True)
    params = []
    if highlight:
        param = alt.param(
            name=highlight,
            value="All",
            bind=alt.binding_select(options=["All", *highlight_options], name=highlight_label + " "),
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
                legend=alt.Legend(title="Edge", orient="bottom"),
            ),
            stroke=alt.Stroke(
                "style:N",
                scale=alt.Scale(domain=["solid", "dashed"], range=["#555555", PALETTE[5]]),
                legend=alt.Legend(title="Edge", orient="bottom"),
            ),
            opacity=opacity,
            tooltip=[c for c in edge_tooltip if c in e],
        )
    )
    if layer_titles:
        order_layers = sorted(placed["layer"].unique())
        names = {v: layer_titles[i] for i, v in enumerate(order_layers) if i < len(layer_titles)}
        placed["layer_title"] = placed["layer"].map(names)
        node_color = alt.Color("layer_title:N", sort=list(layer_titles), legend=alt.Legend(title=None, orient="top"))
    else:
        node_color = alt.value(PALETTE[0])
    node_layer = (
        alt.Chart(placed)
        .mark_circle(size=900, stroke="white", strokeWidth=2)
        .encode(
            x=alt.X("x:Q", scale=xs, axis=None),
            y=alt.Y("y:Q", scale=ys, axis=None),
            color=node_color,
            opacity=opacity,
            tooltip=[c for c in node_tooltip if c in placed],
        )
    )
    label_layer = (
        alt.Chart(placed)
        .mark_text(dy=-20, baseline="bottom", fontSize=12, fontWeight="bold", lineBreak="\n")
        .encode(
            x=alt.X("x:Q", scale=xs, axis=None),
            y=alt.Y("y:Q", scale=ys, axis=None),
            text="label:N",
            opacity=opacity,
            tooltip=[c for c in node_tooltip if c in placed],
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
