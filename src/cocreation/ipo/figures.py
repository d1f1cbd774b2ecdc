"""Chart builders of the chapter: the framework diagram, the evidence chart and the
estimate chart. Each returns an Altair chart and displays nothing.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .. import charts, data
from .model import ACTORS
from .tables import evidence_for

__all__ = [
    "ACTOR_COLOURS",
    "framework_frames",
    "framework_chart",
    "evidence_chart",
    "estimate_layers",
    "estimate_chart",
]

#: One Okabe-Ito colour per actor path.
ACTOR_COLOURS = dict(zip(ACTORS, charts.PALETTE[:3]))
#: What readers see for each actor path in the framework's dropdown.
ACTOR_LABELS = {"focal_firm": "Focal firm", "complementors": "Complementors", "users": "Users"}
#: The columns the estimate chart draws.
ESTIMATE_COLUMNS: tuple[str, ...] = ("actor", "truth", "estimate", "ci_low", "ci_high", "covers")


def _items(ev: pd.DataFrame, limit: int = 4) -> str:
    parts = []
    for _, r in ev.head(limit).iterrows():
        fig = f" [{r['figure']}]" if isinstance(r["figure"], str) else ""
        parts.append(f"{r['organisation']}{fig} ({', '.join(r['codes'])})")
    more = len(ev) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _short(text: str, limit: int = 170) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def framework_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the framework diagram, generated from ``data/ipo_*``.

    Returns
    -------
    (nodes, edges)
        Nodes: actors, capabilities, co-creation components, positive and negative
        e-WOM, with ``definition``, ``proposition`` and ``evidence`` for the tooltips
        and ``groups`` (the actor paths a node belongs to). Edges: P1-P3 (actor ↔
        capability), Pxa (capability → co-creation), Pxb (co-creation → positive
        e-WOM) and, dashed, the negative-e-WOM risk of each path.

    Examples
    --------
    >>> nodes, edges = framework_frames()
    >>> len(nodes), len(edges), int((edges["style"] == "dashed").sum())
    (11, 12, 3)
    """
    cons = data.load("ipo_constructs").set_index("id")
    paths = data.load("ipo_paths").set_index("id")
    props = data.load("ipo_propositions").set_index("id")
    risks = data.load("ipo_risks")
    number = {"focal_firm": "4", "complementors": "5", "users": "6"}
    capnum = {"focal_firm": "1", "complementors": "2", "users": "3"}

    def prop(pid: str) -> str:
        return f"P{pid[1:]}: {props.loc[pid, 'statement']}"

    nodes, edges = [], []
    for order, pid in enumerate(ACTORS):
        p = paths.loc[pid]
        cap, coc = p["capability"], p["cocreation"]
        k, c = number[pid], capnum[pid]
        nodes.append({"id": f"actor_{pid}", "label": p["actor"], "layer": 0, "order": order,
                      "construct": p["actor"], "definition": _short(p["actor_definition"]),
                      "proposition": prop(f"P{c}"), "evidence": _items(evidence_for(pid, "capability")),
                      "groups": pid})
        nodes.append({"id": cap, "label": cons.loc[cap, "short_label"].replace("\\n", "\n"), "layer": 1,
                      "order": order, "construct": cons.loc[cap, "label"],
                      "definition": _short(cons.loc[cap, "definition"]), "proposition": prop(f"P{c}"),
                      "evidence": _items(evidence_for(pid, "capability")), "groups": pid})
        nodes.append({"id": coc, "label": cons.loc[coc, "short_label"].replace("\\n", "\n"), "layer": 2,
                      "order": order, "construct": cons.loc[coc, "label"],
                      "definition": _short(cons.loc[coc, "definition"]), "proposition": prop(f"P{k}"),
                      "evidence": _items(evidence_for(pid, "activation")), "groups": pid})
        edges.append({"source": f"actor_{pid}", "target": cap, "style": "solid", "groups": pid,
                      "link": f"P{c}", "proposition": prop(f"P{c}"),
                      "evidence": _items(evidence_for(pid, "capability"))})
        edges.append({"source": cap, "target": coc, "style": "solid", "groups": pid,
                      "link": f"P{k}a", "proposition": prop(f"P{k}a"),
                      "evidence": _items(evidence_for(pid, "activation"))})
        edges.append({"source": coc, "target": "positive_ewom", "style": "solid", "groups": pid,
                      "link": f"P{k}b", "proposition": prop(f"P{k}b"),
                      "evidence": _items(evidence_for(pid, "dissemination"))})
        rk = risks[risks["path"] == pid]
        edges.append({"source": coc, "target": "negative_ewom", "style": "dashed", "groups": pid,
                      "link": "risk of negative e-WOM",
                      "proposition": "No proposition: the paper names this possible risk in the section on this path; drawing it from the co-creation component is the book's placement.",
                      "evidence": "; ".join(f"{r.category}: {r.organisation} ({', '.join(r.codes)})" for r in rk.itertuples())})
    all_paths = ";".join(ACTORS)
    pos_ev = data.load("ipo_evidence")
    pos_ev = pos_ev[pos_ev["stage"] == "dissemination"]
    for order, cid in enumerate(("positive_ewom", "negative_ewom")):
        evidence = (
            f"{len(pos_ev)} dissemination items across the three paths"
            if cid == "positive_ewom"
            else "; ".join(f"{r.category}: {r.organisation}" for r in risks.itertuples())
        )
        nodes.append({"id": cid, "label": cons.loc[cid, "short_label"].replace("\\n", "\n"), "layer": 3,
                      "order": order, "construct": cons.loc[cid, "label"],
                      "definition": _short(cons.loc[cid, "definition"]),
                      "proposition": "P4b, P5b, P6b (the propositions say e-WOM, unsigned)"
                      if cid == "positive_ewom" else "None (risks named in 4.2 and Table 2)",
                      "evidence": evidence, "groups": all_paths})
    node_frame = pd.DataFrame(nodes)
    node_frame["order"] = node_frame["order"].where(node_frame["layer"] != 3, node_frame["order"] * 2)
    return node_frame, pd.DataFrame(edges)


def framework_chart() -> alt.LayerChart:
    """The Input → Process → Outcome diagram with an actor dropdown and tooltips.

    >>> spec = framework_chart().to_dict()
    >>> spec["params"][0]["bind"]["options"]
    ['All', 'focal_firm', 'complementors', 'users']
    """
    nodes, edges = framework_frames()
    return charts.flow_diagram(
        nodes,
        edges,
        node_tooltip=("construct", "definition", "proposition", "evidence"),
        edge_tooltip=("link", "source_label", "target_label", "proposition", "evidence"),
        highlight="ipo_actor",
        highlight_options=list(ACTORS),
        highlight_labels=[ACTOR_LABELS[a] for a in ACTORS],
        highlight_label="Actor path",
        layer_titles=(
            "Actor",
            "Input: capability",
            "Process: co-creation",
            "Outcome: e-WOM",
        ),
        edge_styles={"solid": "proposition (P1–P6)", "dashed": "risk of negative e-WOM (book's placement)"},
        width=560,
        height=380,
        description=(
            "Input-Process-Outcome framework of Liu et al. (2025): three actors, the capability "
            "aimed at each, the co-creation component it activates, and positive e-WOM (solid) "
            "or negative e-WOM risks (dashed)."
        ),
    ).resolve_scale(color="independent")


def evidence_chart() -> alt.Chart:
    """The percentage changes the case reports, by path (signed by direction).

    >>> spec = evidence_chart().to_dict()
    >>> spec["mark"]["type"], spec["encoding"]["x"]["field"]
    ('bar', 'change')
    """
    ev = data.load("ipo_evidence")
    ev = ev[ev["percent"].notna()].copy()
    labels = data.load("ipo_paths").set_index("id")["actor"]
    ev["actor"] = ev["path"].map(labels)
    ev["change"] = np.where(ev["direction"] == "decrease", -ev["percent"], ev["percent"])
    ev["item"] = ev["organisation"] + ": " + ev["metric"]
    ev["evidence"] = ev["codes"].map(", ".join)
    frame = ev[["item", "actor", "change", "figure", "proposition", "evidence", "summary"]]
    return (
        alt.Chart(frame, description="Reported percentage changes in the COSMOPlat case, by actor path.")
        .mark_bar()
        .encode(
            x=alt.X("change", type="quantitative", title="Reported change (%)"),
            y=alt.Y("item:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "actor:N", title="Path", legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=["Focal firm", "Complementors", "Users"], range=list(ACTOR_COLOURS.values())),
            ),
            tooltip=["item", "figure", "proposition", "evidence", "summary"],
        )
        .properties(width=300)
    )


def estimate_layers(base: alt.Chart) -> alt.LayerChart:
    """The marks of the estimate chart on ``base`` (a chart of rows of
    :func:`~cocreation.ipo.model.estimate_vs_truth`): interval, estimate, true value."""
    if not isinstance(base, alt.Chart):
        raise ValueError(f"base must be an Altair Chart (of rows of estimate_vs_truth), got a {type(base).__name__}")
    x = alt.X("estimate:Q", title="Indirect effect a·b", scale=alt.Scale(domain=[-0.15, 0.6], clamp=True))
    y = alt.Y("actor:N", title=None, sort=["Focal firm", "Complementors", "Users"])
    colour = alt.Color(
        "actor:N",
        scale=alt.Scale(domain=["Focal firm", "Complementors", "Users"], range=list(ACTOR_COLOURS.values())),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("actor:N", title="Path"),
        alt.Tooltip("truth:Q", title="True a·b", format=".3f"),
        alt.Tooltip("estimate:Q", title="Estimate", format=".3f"),
        alt.Tooltip("ci_low:Q", title="95% CI low", format=".3f"),
        alt.Tooltip("ci_high:Q", title="95% CI high", format=".3f"),
        alt.Tooltip("covers:N", title="CI covers truth"),
    ]
    interval = base.mark_rule(strokeWidth=3).encode(x=alt.X("ci_low:Q", scale=alt.Scale(domain=[-0.15, 0.6], clamp=True), title="Indirect effect a·b"), x2="ci_high:Q", y=y, color=colour, tooltip=tooltip)
    point = base.mark_point(filled=True, size=120).encode(x=x, y=y, color=colour, tooltip=tooltip)
    truth = base.mark_tick(color="black", thickness=2, size=28).encode(x="truth:Q", y=y, tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(strokeDash=[4, 4], color="#888888").encode(x="zero:Q")
    return alt.layer(zero, interval, point, truth).properties(width=460, height=170)


def estimate_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Estimates with 95% intervals (coloured) against the true a·b (black tick).

    >>> from cocreation.ipo.model import estimate_vs_truth
    >>> spec = estimate_chart(estimate_vs_truth(0.2, 100, n_boot=100)).to_dict()
    >>> len(spec["layer"])
    4
    """
    if not isinstance(frame, pd.DataFrame) or not set(ESTIMATE_COLUMNS) <= set(frame.columns):
        raise ValueError(f"frame must be a DataFrame with the columns {list(ESTIMATE_COLUMNS)} (rows of estimate_vs_truth)")
    return estimate_layers(alt.Chart(frame)).properties(
        description="Estimated indirect effects of the three chains with bootstrap intervals, and the true values."
    )

