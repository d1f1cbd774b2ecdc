"""Chart builders of the typology chapter: each returns an Altair chart and never displays it.

Examples
--------
>>> case_diagram().to_dict()["params"][0]["name"]
'case_group'
"""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from cocreation import charts, display

from .model import (
    STAKEHOLDER_LABELS,
    STAKEHOLDERS,
    STATUS_ITEM,
    STATUS_NONE,
    STATUS_THEME,
    Assessment,
    _table,
    items,
    mapping_matrix,
    stated_links,
    stated_matrix,
    themes,
    value_types,
)

__all__ = ["case_diagram", "matrix_chart", "stakeholder_chart", "assessment_chart"]

_VALUE_SHORT = {
    "strategic_coplanning": "Strategic co-planning",
    "functional": "Functional",
    "org_learning": "Org. learning",
    "customer_experience": "Customer experience",
}
_THEME_ABBR = {"system_management": "SM", "commercialisation": "CB", "interpersonal": "IP"}
_GROUP_COLOURS = {"supplier": charts.PALETTE[0], "customer": charts.PALETTE[1], "ai_provider": charts.PALETTE[2]}


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(str(text), width=width) or [""]


def case_diagram() -> alt.LayerChart:
    """The six organisations of the case and their ties, as section 3.1 describes them.

    >>> spec = case_diagram().to_dict()
    >>> spec["params"][0]["bind"]["options"]
    ['All', 'Supplier', 'Customer', 'AI provider']
    """
    orgs = _table("typology_organisations").copy()
    orgs["label"] = orgs["name"].str.replace(" (anonymised)", "", regex=False)
    orgs["groups"] = orgs["group"].map(STAKEHOLDER_LABELS)
    orgs["stakeholder"] = orgs["groups"]
    edges = pd.DataFrame(
        [
            ("huanuo", "hw", "solid", "Huanuo supplies materials that HW buys regularly", "Supplier;Customer"),
            ("huanuo", "px", "solid", "Huanuo invests in the project; PX provides AI solution consulting", "Supplier;AI provider"),
            ("px", "iot", "solid", "PX works with the IoT device supplier", "AI provider"),
            ("px", "cloud", "solid", "PX works with the cloud data warehouse vendor", "AI provider"),
            ("px", "ai_software", "solid", "PX works with the analytics/AI software provider", "AI provider"),
            ("px", "hw", "dashed", "During the trial, AI providers are in close contact with the customer too", "Customer;AI provider"),
        ],
        columns=["source", "target", "style", "relation", "groups"],
    )
    chart = charts.flow_diagram(
        orgs,
        edges,
        node_tooltip=("label", "stakeholder", "role"),
        edge_tooltip=("relation",),
        highlight="case_group",
        highlight_options=[STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS],
        highlight_label="Stakeholder group",
        layer_titles=("Supplier and customer", "AI consultancy", "IT providers"),
        edge_styles={"solid": "business tie", "dashed": "contact during the trial"},
        width=540,
        height=300,
        description=(
            "Diagram of the case: Huanuo supplies HW and invests in the AI project; PX Consulting "
            "provides AI consulting and coordinates an IoT device supplier, a cloud vendor and an "
            "analytics/AI software provider; AI providers are also in contact with HW."
        ),
    )
    # Colour the nodes by stakeholder group (not by column) and keep the edge and node
    # colour scales apart: a shared scale would merge the edge styles into the node legend.
    groups = [STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS]
    chart.layer[1].encoding.color = alt.Color(
        "stakeholder:N", sort=groups, scale=alt.Scale(domain=groups, range=[_GROUP_COLOURS[s] for s in STAKEHOLDERS]),
        legend=alt.Legend(title="Stakeholder group", orient="top"),
    )
    return chart.resolve_scale(color="independent")


def _cells() -> pd.DataFrame:
    """One row per (item, value type) cell of the matrix, with its status and weight."""
    it = items()
    vt = value_types()
    status = stated_matrix()
    weights = mapping_matrix()
    names = {"item": STATUS_ITEM, "theme": STATUS_THEME, "": STATUS_NONE}
    # symbols, not section numbers (which read like scores): filled = this capability, ring = its theme
    marks = {"item": "●", "theme": "○", "": ""}
    rows = []
    for _, i in it.iterrows():
        for _, v in vt.iterrows():
            s = status.loc[i["id"], v["id"]]
            rows.append(
                {
                    "item": i["id"],
                    "theme": i["theme"],
                    "row_label": f"{i['short']} ({_THEME_ABBR[i['theme']]})",
                    "value_type": v["id"],
                    "value_label": v["name"],
                    "value_short": _VALUE_SHORT[v["id"]],
                    "status": names[s],
                    "mark": marks[s],
                    "weight": float(weights.loc[i["id"], v["id"]]),
                }
            )
    return pd.DataFrame(rows)


def _cell_lines(width: int = 42) -> pd.DataFrame:
    """The detail text of each cell, one row per wrapped line."""
    links = stated_links()
    item_name = items().set_index("id")["item"]
    theme_name = themes().set_index("id")["name"]
    rows = []
    for _, c in _cells().iterrows():
        lines = [f"{item_name[c['item']]} → {c['value_label']}", f"Link: {c['status']}"]
        stated = links[
            (links["value_type"] == c["value_type"])
            & (((links["level"] == "item") & (links["item"] == c["item"])) | ((links["level"] == "theme") & (links["theme"] == c["theme"])))
        ].sort_values("level", key=lambda s: s.map({"item": 0, "theme": 1}))
        if stated.empty:
            lines += _wrap(f"The paper states no link between {theme_name[c['theme']].lower()} and this value type.", width)
        for _, link in stated.iterrows():
            lines += _wrap(f"“{link['evidence']}” ({display.credit('001', link['locator'])})", width)
        for n, text in enumerate(lines):
            rows.append({"item": c["item"], "value_type": c["value_type"], "line": n, "text": text})
    return pd.DataFrame(rows)


def _quote_lines(width: int = 42) -> pd.DataFrame:
    """One supporting interview quotation per value type, wrapped, with attribution."""
    quotes = _table("typology_quotes")
    people = _table("typology_interviewees").set_index("id")
    orgs = _table("typology_organisations").set_index("id")["name"]
    rows = []
    for v in value_types()["id"]:
        q = quotes[quotes["value_type"] == v].iloc[0]
        who = people.loc[q["role_code"]]
        lines = _wrap(f"“{q['quote']}”", width)
        lines.append(f"— {q['role_code']} ({who['position']}, {orgs[who['organisation']]}) · {display.credit('001', q['locator'])}")
        rows += [{"value_type": v, "line": n, "text": t} for n, t in enumerate(lines)]
    return pd.DataFrame(rows)


def matrix_chart() -> alt.VConcatChart:
    """The capability x value heatmap of stated links, with click-to-inspect details.

    Clicking a cell selects its capability, theme and value type (three point
    selections); the panels below show the cell's stated evidence, the value type's
    dimensions (Table 3), the theme's items (Table 4) and a supporting interview
    quotation.

    Examples
    --------
    >>> spec = matrix_chart().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['pick_item', 'pick_theme', 'pick_value']
    """
    cells = _cells()
    domain = [STATUS_ITEM, STATUS_THEME, STATUS_NONE]
    # a darker vermillion under white and sky blue under dark text: both marks >= 4.5:1
    colours = ["#B34700", charts.PALETTE[4], "#eeeeee"]
    first = stated_links("item").iloc[0]
    pick_item = alt.selection_point(name="pick_item", fields=["item"], value=[{"item": first["item"]}], clear=False, on="click")
    pick_value = alt.selection_point(
        name="pick_value", fields=["value_type"], value=[{"value_type": first["value_type"]}], clear=False, on="click"
    )
    pick_theme = alt.selection_point(name="pick_theme", fields=["theme"], value=[{"theme": first["theme"]}], clear=False, on="click")
    row_order = cells.drop_duplicates("item")["row_label"].tolist()
    col_order = [_VALUE_SHORT[v] for v in value_types()["id"]]
    selected = {"and": [{"param": "pick_item", "empty": False}, {"param": "pick_value", "empty": False}]}
    base = alt.Chart(cells[["item", "theme", "row_label", "value_type", "value_label", "value_short", "status", "mark"]])
    heat = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        x=alt.X("value_short:N", sort=col_order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=140, orient="top", labelFontSize=11, labelPadding=16,
                                                                           labelExpr="split(datum.label, ' ')")),
        # labels on the right: the detail panels below then start at the card's left edge (phones)
        y=alt.Y("row_label:N", sort=row_order, title=None, axis=alt.Axis(orient="right")),
        color=alt.Color("status:N", scale=alt.Scale(domain=domain, range=colours), legend=alt.Legend(title=None, orient="top", direction="horizontal", labelLimit=320)),
        tooltip=[
            alt.Tooltip("row_label:N", title="Capability"),
            alt.Tooltip("value_label:N", title="Value type"),
            alt.Tooltip("status:N", title="Link"),
        ],
    )
    outline = base.mark_rect(fill=None, stroke="#222222", strokeWidth=2.5).transform_filter(selected).encode(
        x=alt.X("value_short:N", sort=col_order, title=None), y=alt.Y("row_label:N", sort=row_order, title=None)
    )
    text = base.mark_text(fontSize=11).encode(
        x=alt.X("value_short:N", sort=col_order, title=None),
        y=alt.Y("row_label:N", sort=row_order, title=None),
        text="mark:N",
        color=alt.condition("datum.status == '" + STATUS_ITEM + "'", alt.value("white"), alt.value("#222222")),
    )
    grid = alt.layer(heat, outline, text).add_params(pick_item, pick_value, pick_theme).properties(width=480, height=380)

    def panel(frame: pd.DataFrame, title: str, predicate: Any) -> alt.Chart:
        n_lines = int(frame["line"].max()) + 1
        return (
            alt.Chart(frame, title=alt.Title(title, fontSize=13))
            .mark_text(align="left", baseline="top", fontSize=12, limit=340)
            .encode(
                x=alt.value(0),
                y=alt.Y("line:Q", axis=None, scale=alt.Scale(domain=[0, n_lines], reverse=True, nice=False)),
                text="text:N",
            )
            .transform_filter(predicate)
            .properties(width=340, height=17 * n_lines)
        )

    dims = _table("typology_value_dimensions").copy()
    dims["line"] = dims.groupby("value_type").cumcount()
    dims["text"] = "• " + dims["dimension"]
    its = items()
    its["line"] = its.groupby("theme").cumcount()
    its["text"] = "• " + its["item"]
    details = alt.vconcat(
        panel(_cell_lines(), "Selected cell: what the paper states", selected),
        panel(dims[["value_type", "line", "text"]], "Dimensions of the value type (Table 3)", {"param": "pick_value", "empty": False}),
        panel(its[["theme", "line", "text"]], "Capabilities in the theme (Table 4)", {"param": "pick_theme", "empty": False}),
        panel(_quote_lines(), "An interview quotation on the value type", {"param": "pick_value", "empty": False}),
    )
    return alt.vconcat(grid, details, spacing=12).properties(
        description=(
            "Heatmap of 16 capabilities by 4 value types. Colour shows whether the paper states a link for the "
            "capability itself (section 4.2), only for its theme (section 5), or not at all. Clicking a cell shows "
            "the stated evidence, the value type's dimensions, the theme's capabilities and a quotation."
        )
    )


def stakeholder_chart() -> alt.Chart:
    """The 19 interviewees' years of experience, filtered by a stakeholder-group dropdown.

    Examples
    --------
    >>> spec = stakeholder_chart().to_dict()
    >>> spec["params"][0]["name"], spec["params"][0]["bind"]["options"]
    ('stakeholder_group', ['All', 'supplier', 'customer', 'ai_provider'])
    """
    people = _table("typology_interviewees").copy()
    orgs = _table("typology_organisations").set_index("id")["name"].str.replace(" (anonymised)", "", regex=False)
    people["organisation_name"] = people["organisation"].map(orgs)
    people["label"] = np.where(people["id"] == people["position"], people["position"], people["id"] + " · " + people["position"])
    people["group_label"] = people["group"].map(STAKEHOLDER_LABELS)
    people["group_rank"] = people["group"].map({s: n for n, s in enumerate(STAKEHOLDERS)})
    people["org_rank"] = people["organisation"].map({o: n for n, o in enumerate(orgs.index)})
    order = people.sort_values(["group_rank", "org_rank", "years"], ascending=[True, True, False])
    choose = alt.param(
        name="stakeholder_group",
        value="All",
        bind=alt.binding_select(
            options=["All", *STAKEHOLDERS],
            labels=["All", *(STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS)],
            name="Stakeholder group ",
        ),
    )
    org_order = list(orgs.values)
    return (
        alt.Chart(
            people[["label", "organisation_name", "group", "group_label", "position", "expertise", "years"]],
            description="Bar chart of the 19 interviewees' years of experience, coloured by organisation, with a dropdown that keeps one stakeholder group.",
        )
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order["label"].tolist(), title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("years:Q", title="Years of experience", scale=alt.Scale(domain=[0, 30])),
            color=alt.Color("organisation_name:N", title="Organisation", sort=org_order, scale=alt.Scale(domain=org_order, range=charts.PALETTE[:6]), legend=alt.Legend(title="Organisation", orient="bottom", columns=2, labelLimit=260)),
            tooltip=[
                alt.Tooltip("label:N", title="Interviewee"),
                alt.Tooltip("organisation_name:N", title="Organisation"),
                alt.Tooltip("group_label:N", title="Group"),
                alt.Tooltip("expertise:N", title="Expertise"),
                alt.Tooltip("years:Q", title="Years"),
            ],
        )
        .add_params(choose)
        .transform_filter("stakeholder_group == 'All' || datum.group == stakeholder_group")
        .properties(width=320, height=alt.Step(16))
    )


def _value_colour() -> alt.Color:
    vt = value_types()
    return alt.Color("label:N", sort=vt["name"].tolist(), scale=alt.Scale(domain=vt["name"].tolist(), range=charts.PALETTE[:4]), legend=None)


def assessment_chart(result: Assessment) -> alt.Chart:
    """Grouped bars of an :class:`~cocreation.typology.model.Assessment`: each stakeholder's and the combined score.

    >>> from cocreation.typology.model import assess
    >>> chart = assessment_chart(assess({"system_management": 2, "commercialisation": 4, "interpersonal": 5}))
    >>> chart.to_dict()["mark"]["type"]
    'bar'
    """
    if not isinstance(result, Assessment):
        raise ValueError(f"result must be an Assessment (from assess), got {type(result).__name__}")
    labels = value_types().set_index("id")["name"]
    frame = result.scores.copy()
    combined = result.combined.rename("score").reset_index().rename(columns={"index": "value_type"})
    combined["stakeholder"] = "combined"
    if set(frame["stakeholder"]) != {"all"}:
        frame = pd.concat([frame, combined[frame.columns]], ignore_index=True)
    names = {**STAKEHOLDER_LABELS, "all": "All", "combined": f"Combined ({result.combine})"}
    frame["who"] = frame["stakeholder"].map(names)
    frame["label"] = frame["value_type"].map(labels)
    who_order = [names[s] for s in (*STAKEHOLDERS, "all", "combined") if names[s] in set(frame["who"])]
    colours = {**{STAKEHOLDER_LABELS[s]: _GROUP_COLOURS[s] for s in STAKEHOLDERS}, "All": charts.PALETTE[0], names["combined"]: "#555555"}
    return (
        alt.Chart(frame[["who", "label", "score"]], description="Grouped bar chart of illustrative readiness scores per value type and stakeholder.")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=labels.tolist(), title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("who:N", sort=who_order),
            x=alt.X("score:Q", title="Illustrative readiness score (0-100)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("who:N", sort=who_order, scale=alt.Scale(domain=who_order, range=[colours[w] for w in who_order]), legend=alt.Legend(title=None, orient="bottom")),
            tooltip=[alt.Tooltip("who:N", title="Stakeholder"), alt.Tooltip("label:N", title="Value type"), alt.Tooltip("score:Q", format=".1f")],
        )
        .properties(width=420, height=alt.Step(12))
    )

