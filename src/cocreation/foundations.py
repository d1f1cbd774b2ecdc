"""Foundations: the framework of Li's review of B2B value co-creation, as data and charts.

The review (source ``003``) sorts the literature into **drivers** (relationship and
knowledge factors), the **co-creation** process (resource integration of operand and
operant resources) and **outcomes** (innovation performance, interactive behaviour,
value co-destruction). Section 5.1 adds what links co-creation to innovation
performance (relationship resources as a mediator; contracts and relationship governance,
which curb opportunism), and section 5.3 names four dark-side mechanisms as sources of
value co-destruction. Its framework figure is not in the source copy, so the book
rebuilds the framework from the text as two tables, ``foundations_concepts`` and
``foundations_edges``; this module turns them into a diagram, answers reachability
questions on it, and summarises the review's bibliometric scan.

Examples
--------
>>> from cocreation import foundations
>>> len(foundations.concepts_of_kind("outcome"))
3
>>> foundations.scan_summary().selected
45
"""

from __future__ import annotations

import textwrap
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Literal

import altair as alt
import pandas as pd

from . import charts, data, text, validate

__all__ = [
    "GROUPS",
    "LAYER_TITLES",
    "KINDS",
    "NODE_TOOLTIP",
    "EDGE_TOOLTIP",
    "concepts",
    "edges",
    "concepts_of_kind",
    "diagram_frames",
    "framework_chart",
    "reachable",
    "synthesis_facts",
    "ScanSummary",
    "selection_rate",
    "scan_summary",
    "scan_chart",
    "EXPLORERS",
]

#: Slider explorers of the chapter (see ``cocreation.widgets.Explorer``): none, since its
#: figures have dropdowns and hover but no sliders.
EXPLORERS: tuple = ()

#: Highlight groups of the framework diagram's dropdown.
GROUPS: tuple[str, ...] = (
    "Relationship factor",
    "Knowledge factor",
    "Resource integration",
    "Bright side",
    "Dark side",
)
#: Column headings of the framework diagram, one per ``layer`` value 0..7.
LAYER_TITLES: tuple[str, ...] = (
    "Theoretical lenses",
    "Driver components",
    "Drivers",
    "Resource integration",
    "Co-creation",
    "Mediator and sources",
    "Outcomes",
    "Outcome dimensions",
)
#: Node colour per column (Okabe-Ito; no yellow, which is hard to see on white).
LAYER_COLOURS: tuple[str, ...] = (
    charts.PALETTE[7],  # grey: theoretical lenses
    charts.PALETTE[4],  # sky blue: driver components
    charts.PALETTE[0],  # blue: drivers
    charts.PALETTE[3],  # reddish purple: resource integration
    charts.PALETTE[2],  # bluish green: co-creation
    "#000000",  # black (Okabe-Ito): mediator, governance and dark-side sources
    charts.PALETTE[5],  # vermillion: outcomes
    charts.PALETTE[1],  # orange: outcome dimensions
)
KINDS: tuple[str, ...] = (
    "lens",
    "driver_component",
    "driver",
    "resource",
    "process",
    "cocreation",
    "mediator",
    "governance",
    "mechanism",
    "outcome",
    "outcome_component",
)
#: Tooltip fields of the diagram's nodes and edges.
NODE_TOOLTIP: tuple[str, ...] = ("concept", "definition", "in_the_source", "section")
EDGE_TOOLTIP: tuple[str, ...] = ("link", "basis", "section")
TOOLTIP_TITLES = {
    "concept": "Construct",
    "definition": "Definition",
    "in_the_source": "In the source",
    "section": "Section of the source",
    "link": "Link",
    "basis": "Basis",
}

_WRAP = 11


def concepts() -> pd.DataFrame:
    """The framework's constructs (table ``foundations_concepts``).

    >>> concepts().columns[0]
    'id'
    """
    return data.load("foundations_concepts")


def edges() -> pd.DataFrame:
    """The framework's links (table ``foundations_edges``).

    The four dark-side mechanisms are sources of value co-destruction (section 5.3):

    >>> edges().query("to_id == 'value_codestruction'")["from_id"].tolist()
    ['b2b_value_cocreation', 'role_conflict', 'role_ambiguity', 'opportunistic_behaviour', 'power_games']
    """
    return data.load("foundations_edges")


def concepts_of_kind(kind: str) -> list[str]:
    """Names of the constructs of one ``kind``, in diagram order.

    Parameters
    ----------
    kind
        One of ``KINDS``.

    Examples
    --------
    >>> concepts_of_kind("driver")
    ['Relationship factor', 'Knowledge factor']
    >>> concepts_of_kind("driver ")
    Traceback (most recent call last):
    ...
    ValueError: kind must be one of 'lens', ..., got 'driver '
    """
    validate.choice("kind", kind, KINDS)
    frame = concepts()
    return frame[frame["kind"] == kind].sort_values(["layer", "order"])["concept"].tolist()


def _wrap(name: str) -> str:
    return textwrap.fill(name, _WRAP, break_long_words=False, break_on_hyphens=False)


def _section(locator: str) -> str:
    return locator if locator == "Abstract" else f"Section {locator}"


def diagram_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges ready for :func:`cocreation.charts.flow_diagram`.

    Nodes get a wrapped ``label``, the tooltip fields of ``NODE_TOOLTIP`` and a
    ``;``-joined ``groups`` string. An edge belongs to a highlight group when both of
    its ends do, so a highlighted path never shows a link that leaves it.

    Returns
    -------
    (nodes, edges)
        Only the columns the diagram uses, to keep the page small.

    Examples
    --------
    >>> nodes, links = diagram_frames()
    >>> nodes.set_index("id").loc["power_games", "groups"]
    'Dark side'
    >>> links.set_index("source").loc["relational_investment", "groups"]
    'Relationship factor'
    """
    c = concepts()
    nodes = pd.DataFrame(
        {
            "id": c["id"],
            "label": c["concept"].map(_wrap),
            "layer": c["layer"],
            "order": c["order"],
            "concept": c["concept"],
            "definition": c["definition"],
            "in_the_source": [
                f"“{w}” (Li, {_section(loc).lower()})"
                for w, loc in zip(c["source_wording"], c["locator"])
            ],
            "section": c["locator"],
            "groups": c["groups"].map(";".join),
        }
    )
    group_sets = dict(zip(c["id"], c["groups"].map(set)))
    names = dict(zip(c["id"], c["concept"]))
    e = edges()
    links = pd.DataFrame(
        {
            "source": e["from_id"],
            "target": e["to_id"],
            "style": e["style"],
            "link": [
                f"{names[a]} {r} {names[b]}" for a, r, b in zip(e["from_id"], e["relation"], e["to_id"])
            ],
            "basis": e["basis"].map(
                {"stated": "stated in the text", "reconstructed": "the book's reading of the text"}
            ),
            "section": e["locator"],
            "groups": [
                ";".join(g for g in GROUPS if g in group_sets[a] & group_sets[b])
                for a, b in zip(e["from_id"], e["to_id"])
            ],
        }
    )
    return nodes, links


def framework_chart(width: int = 640, height: int = 640) -> alt.LayerChart:
    """The framework diagram: lenses → drivers → co-creation → outcomes.

    Between co-creation and the outcomes stand section 5.1's mediator (relationship
    resources) and governance (contracts and relationship governance), and the four
    dark-side mechanisms that section 5.3 names as sources of value co-destruction.

    Hovering a node shows its definition and the source's own wording; hovering an
    edge shows how to read it and whether the text states it. A dropdown highlights a
    driver path, resource integration, or the bright or dark side.

    Parameters
    ----------
    width, height
        Size in pixels, from 200 to 4000.

    Examples
    --------
    >>> spec = framework_chart().to_dict()
    >>> spec["params"][0]["name"], spec["params"][0]["bind"]["options"][:2]
    ('framework_focus', ['All', 'Relationship factor'])
    >>> framework_chart(width=10)
    Traceback (most recent call last):
    ...
    ValueError: width must be an integer in [200, 4000], got 10
    """
    width = validate.integer("width", width, 200, charts.MAX_SIZE)
    height = validate.integer("height", height, 200, charts.MAX_SIZE)
    nodes, links = diagram_frames()
    chart = charts.flow_diagram(
        nodes,
        links,
        node_tooltip=NODE_TOOLTIP,
        edge_tooltip=EDGE_TOOLTIP,
        highlight="framework_focus",
        highlight_options=list(GROUPS),
        highlight_label="Highlight",
        layer_titles=LAYER_TITLES,
        width=width,
        height=height,
        description=(
            "Framework of B2B value co-creation rebuilt from Li's review: theoretical "
            "lenses and the relationship and knowledge drivers lead, with operand and "
            "operant resources through resource integration, to value co-creation, "
            "whose outcomes are innovation performance, interactive behaviour (three "
            "dimensions) and value co-destruction. Co-creation also builds relationship "
            "resources, which improve innovation performance; contracts and relationship "
            "governance curb opportunistic behaviour and raise innovation performance. "
            "Four dark-side mechanisms (role conflict, role ambiguity, opportunistic "
            "behaviour, power games) lead into value co-destruction."
        ),
    )
    # The edge layer colours by link style and the node layer by column; without
    # independent scales the nodes would get the edges' colour domain and vanish.
    chart = chart.resolve_scale(color="independent", strokeDash="independent")
    link_legend = alt.Legend(
        title="Link",
        orient="bottom",
        labelLimit=320,
        labelExpr="datum.label == 'dashed' ? 'orange, dashed: dark side (into co-destruction)' : 'grey: all other links'",
    )
    # one legend for the edges (the independent scales would otherwise draw two)
    chart.layer[0].encoding.strokeDash.legend = link_legend
    chart.layer[0].encoding.stroke.legend = None
    # eight columns in one text column: slightly smaller labels, so neighbours do not touch
    chart.layer[2].mark.fontSize = 11
    chart.layer[1].encoding.color.scale = alt.Scale(domain=list(LAYER_TITLES), range=list(LAYER_COLOURS))
    chart.layer[1].encoding.color.legend = alt.Legend(title=None, orient="top", columns=4)
    for layer, fields in zip(chart.layer, (EDGE_TOOLTIP, NODE_TOOLTIP, NODE_TOOLTIP)):
        layer.encoding.tooltip = [alt.Tooltip(f"{f}:N", title=TOOLTIP_TITLES[f]) for f in fields]
    return chart


def reachable(
    concept_id: str,
    direction: Literal["down", "up"] = "down",
    *,
    exclude: Iterable[str] = (),
    add: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """Concepts reachable from ``concept_id`` along the framework's edges.

    A link points from cause to effect. The walk ignores what a link does: a link that
    *curbs* its target (contracts and relationship governance curb opportunistic
    behaviour) counts like one that raises it, unless you ``exclude`` its relation.

    Parameters
    ----------
    concept_id
        An ``id`` of ``foundations_concepts``.
    direction
        ``"down"`` follows edges left to right (what a concept leads to); ``"up"``
        follows them backwards (what leads to it).
    exclude
        Relations (the ``relation`` column of ``foundations_edges``, e.g. ``"curbs"``)
        whose links the walk does not follow.
    add
        Extra ``(from_id, to_id)`` links to follow, to try a link the review does not
        state (at most 100).

    Returns
    -------
    list of str
        Concept ids in breadth-first order, without ``concept_id`` itself.

    Examples
    --------
    >>> reachable("interactive_behaviour")
    ['two_way_communication', 'customer_engagement', 'joint_problem_solving']
    >>> reachable("relational_investment", "down")[:2]
    ['relationship', 'b2b_value_cocreation']

    A dark-side mechanism is a source of co-destruction, not a consequence of it:

    >>> reachable("role_conflict")
    ['value_codestruction']
    >>> reachable("opportunistic_behaviour", "up")
    ['relationship_governance']
    >>> reachable("opportunistic_behaviour", "up", exclude=["curbs"])
    []
    >>> reachable("role_conflict", "up", add=[("b2b_value_cocreation", "role_conflict")])[:3]
    ['b2b_value_cocreation', 'relationship', 'knowledge']
    >>> reachable("nonsense")
    Traceback (most recent call last):
    ...
    ValueError: concept_id must be one of 'rdt', ..., got 'nonsense'
    """
    validate.choice("direction", direction, ("down", "up"))
    ids = list(concepts()["id"])
    validate.choice("concept_id", concept_id, ids)
    e = edges()
    relations = sorted(set(e["relation"]))
    if isinstance(exclude, str) or not isinstance(exclude, Iterable):
        exclude = [exclude]
    skip = {validate.choice("a relation in exclude", r, relations) for r in exclude}
    links = add if isinstance(add, Iterable) and not isinstance(add, str) else [add]
    extra = [tuple(link) if isinstance(link, (tuple, list)) else (link,) for link in links]
    validate.work("the number of links in add", len(extra), 100)
    pairs = list(zip(e["from_id"], e["to_id"], e["relation"]))
    for link in extra:
        validate.integer("the length of each (from_id, to_id) link in add", len(link), 2, 2)
        pairs.append(
            (validate.choice("a from_id in add", link[0], ids), validate.choice("a to_id in add", link[1], ids), "added")
        )
    nxt: dict[str, list[str]] = {}
    for u, v, relation in pairs:
        if relation in skip:
            continue
        a, b = (u, v) if direction == "down" else (v, u)
        nxt.setdefault(a, []).append(b)
    seen, order, queue = {concept_id}, [], deque([concept_id])
    while queue:
        for v in nxt.get(queue.popleft(), []):
            if v not in seen:
                seen.add(v)
                order.append(v)
                queue.append(v)
    return order


@dataclass(frozen=True)
class ScanSummary:
    """The review's bibliometric scan (section 3.1), as reported.

    Attributes
    ----------
    searched
        Articles found per database, e.g. ``{"CNKI": 8, ...}``.
    selected
        Articles kept as relevant (both databases together).
    period
        Period of the keyword analysis, as written in the source.
    tool
        Software and version, as written in the source.
    """

    searched: dict[str, int]
    selected: int
    period: str
    tool: str

    def __post_init__(self) -> None:
        if not isinstance(self.searched, dict) or not self.searched:
            raise ValueError(f"searched must be a non-empty dict of database names to article counts, got {self.searched!r}")
        counts = {validate.text("a database name in searched", db): validate.integer(f"searched[{db!r}]", n, 0)
                  for db, n in self.searched.items()}
        object.__setattr__(self, "searched", counts)
        total = validate.integer("the total of searched", sum(counts.values()), 1)
        object.__setattr__(self, "selected", validate.integer("selected", self.selected, 0, total))
        validate.text("period", self.period)
        validate.text("tool", self.tool)

    @property
    def total_searched(self) -> int:
        """Articles found in all databases together (a sum the source does not print)."""
        return sum(self.searched.values())

    @property
    def rate(self) -> float:
        """Share of the articles found that were selected."""
        return selection_rate(self.total_searched, self.selected)


def selection_rate(searched: int, selected: int) -> float:
    """The share of searched articles that a review selects.

    Parameters
    ----------
    searched
        Articles found; an integer >= 1.
    selected
        Articles kept; an integer with 0 <= selected <= searched.

    Examples
    --------
    >>> selection_rate(200, 50)
    0.25
    >>> selection_rate(10, 11)
    Traceback (most recent call last):
    ...
    ValueError: selected must be an integer in [0, 10], got 11
    """
    searched = validate.integer("searched", searched, 1)
    selected = validate.integer("selected", selected, 0, searched)
    return selected / searched


def scan_summary() -> ScanSummary:
    """The scan of table ``foundations_scan`` as a :class:`ScanSummary`.

    >>> s = scan_summary()
    >>> s.searched
    {'CNKI': 8, 'Web of Science': 139}
    >>> round(s.rate, 3)
    0.306
    """
    scan = data.load("foundations_scan")
    found = scan[scan["stage"] == "searched"]
    chosen = scan[scan["stage"] == "selected"]
    if len(chosen) != 1:
        raise ValueError(f"foundations_scan must have exactly one 'selected' row, got {len(chosen)}")
    periods, tools = set(scan["period"]), set(scan["tool"])
    if len(periods) != 1 or len(tools) != 1:
        raise ValueError("foundations_scan rows must share one period and one tool")
    return ScanSummary(
        searched={db: int(n) for db, n in zip(found["database"], found["count"])},
        selected=int(chosen["count"].iloc[0]),
        period=periods.pop(),
        tool=tools.pop(),
    )


def scan_chart(width: int = 400) -> alt.LayerChart:
    """Bar chart of the scan: articles found per database, and articles selected.

    Parameters
    ----------
    width
        Width in pixels, from 200 to 4000.

    Examples
    --------
    >>> spec = scan_chart().to_dict()
    >>> sorted(r["count"] for r in spec["datasets"][spec["data"]["name"]])
    [8, 45, 139]
    >>> spec["layer"][0]["mark"]["type"]
    'bar'
    """
    width = validate.integer("width", width, 200, charts.MAX_SIZE)
    scan = data.load("foundations_scan")
    frame = pd.DataFrame(
        {
            "bar": [
                "Both databases (selected)" if s == "selected" else f"{db} (found)"
                for s, db in zip(scan["stage"], scan["database"])
            ],
            "stage": scan["stage"].map(
                {"searched": "found by the search", "selected": "selected as relevant"}
            ),
            "count": scan["count"].astype(int),
            "section": scan["locator"].map(_section),
        }
    )
    base = alt.Chart(frame)
    y = alt.Y("bar:N", sort=None, title=None, axis=alt.Axis(labelLimit=220))
    bars = base.mark_bar().encode(
        y=y,
        x=alt.X("count:Q", title="Articles"),
        color=alt.Color(
            "stage:N",
            scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[1]]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("bar:N", title="Bar"),
            alt.Tooltip("count:Q", title="Articles"),
            alt.Tooltip("section:N", title="Source"),
        ],
    )
    labels = base.mark_text(align="left", dx=4).encode(y=y, x="count:Q", text="count:Q")
    return alt.layer(bars, labels).properties(
        width=width,
        height=130,
        description=(
            "Articles in the review's bibliometric scan: 8 found in CNKI, 139 found in Web of "
            "Science, 45 selected as relevant from both."
        ),
    )


# --- what the synthesis chapter compares ---------------------------------------


def synthesis_facts() -> dict[str, str]:
    """What the synthesis chapter compares, read from this chapter's tables.

    >>> synthesis_facts()["scan_tool"]
    'CiteSpace 5.7. R5'
    """
    concepts = data.load("foundations_concepts")
    edges = data.load("foundations_edges")
    scan = data.load("foundations_scan")
    directions = data.load("foundations_directions")
    label = concepts.set_index("id")["concept"]
    kind = concepts.set_index("id")["kind"]
    core = concepts[concepts["kind"] == "cocreation"]["id"].tolist()
    around = edges[edges["from_id"].isin(core) | edges["to_id"].isin(core)]
    dark = concepts[concepts["groups"].map(lambda g: "Dark side" in g)]
    return {
        "lenses": text.names(concepts[concepts["kind"] == "lens"], "concept"),
        "constructs": text.names(concepts[concepts["kind"].isin(["driver", "process", "cocreation"])], "concept"),
        "mechanisms": "; ".join(
            f"{label[e.from_id]} {e.relation} {label[e.to_id]}" for e in around.itertuples()
        ),
        "outcomes": text.names(concepts[concepts["kind"] == "outcome"], "concept"),
        "dark_side": "; ".join(
            [text.names(dark[dark["kind"] == "outcome"], "concept") + " through "
             + text.names(dark[dark["kind"] == "mechanism"], "concept").lower()]
        ),
        "scan_found": " and ".join(
            f"{int(r.count)} ({r.database})" for r in scan[scan["stage"] == "searched"].itertuples()
        ),
        "scan_selected": str(int(scan.loc[scan["stage"] == "selected", "count"].sum())),
        "scan_period": ", ".join(scan["period"].unique()),
        "scan_tool": ", ".join(scan["tool"].unique()),
        "n_directions": str(len(directions)),
        "directions": text.names(directions, "direction").lower(),
        "_kinds": ",".join(sorted(set(kind))),
    }
