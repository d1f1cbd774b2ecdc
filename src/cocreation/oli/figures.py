"""Chart builders of the OLI chapter: each returns an Altair chart and never displays it.

* :func:`structure_chart`: the reconstructed data structure with a case filter and a
  quote panel;
* :func:`case_chart`: cases A–E by size band and outcome, with their Table 1 rows;
* :func:`case_b_chart`: the Case B preset against the paper's one scale anchor;
* :func:`preset_chart`: the presets' mean totals per stage;
* :func:`simulator_chart`: the live simulator's run and expectation;
* :func:`advantages_chart`: the presets' firm-specific advantages over time;
* :func:`sensitivity_chart`: how each preset's renewal moves with its uncertain parameters.

Examples
--------
>>> case_b_chart().to_dict()["hconcat"][0]["layer"][0]["mark"]["type"]
'line'
"""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from .. import charts, data, validate
from .model import ADVANTAGES, STAGE_LABELS, STAGES, drivers, expected_funnel, frame_with, simulate
from .presets import CASES, PRESETS, reported_anchor
from .tables import _CASE_FIELDS, case_table, quote_panel_rows, structure_tables

__all__ = [
    "structure_chart",
    "case_chart",
    "case_b_chart",
    "preset_chart",
    "simulator_chart",
    "sensitivity_chart",
    "advantages_chart",
]

#: Vega label expression of the log axes: "2M" for millions, "1,000" below.
LOG_LABELS = "datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + 'M' : format(datum.value, ',~g')"


def structure_chart() -> alt.VConcatChart:
    """The data-structure explorer: generated diagram, case filter and a quote panel.

    Pointing at a node shows its quotes (concepts) or definition (themes, dimensions)
    in the panel below; the case dropdown dims what that case does not illustrate.

    >>> spec = structure_chart().to_dict()
    >>> [p["name"] for p in spec["params"]]
    ['case_focus', 'node_hover']
    """
    nodes, edges = structure_tables()
    diagram = charts.flow_diagram(
        nodes,
        edges,
        node_tooltip=("level", "definition", "cases", "n_quotes"),
        highlight="case_focus",
        highlight_options=list(CASES),
        highlight_label="Case",
        layer_titles=("First-order concepts", "Second-order themes (reconstructed)", "Aggregate dimensions"),
        width=560,
        height=820,
        description=(
            "Data structure of the exporters study as reconstructed for this book: 16 first-order "
            "concepts from Table A1 linked to 9 second-order themes and 4 aggregate "
            "dimensions. A case dropdown dims the nodes that case does not illustrate."
        ),
    )
    hover = alt.selection_point(name="node_hover", fields=["id"], on="pointerover", clear=False, empty=False)
    params = list(diagram.params) if diagram.params is not alt.Undefined else []
    diagram.params = alt.Undefined
    diagram.layer[1] = diagram.layer[1].add_params(hover)
    rows = quote_panel_rows(width=40)
    max_lines = int(rows["line"].max()) + 1
    panel_base = alt.Chart(rows).transform_filter(hover)
    ys = alt.Y("line:Q", axis=None, scale=alt.Scale(domain=[0, max_lines], reverse=True))
    dim = alt.condition(
        "case_focus == 'All' || datum.case == '' || datum.case == case_focus", alt.value(1.0), alt.value(0.3)
    )
    styles = {"head": {"fontWeight": "bold"}, "text": {}, "quote": {}, "attribution": {"fontStyle": "italic"}}
    panel = alt.layer(
        *[
            panel_base.transform_filter(f"datum.kind == '{kind}'")
            .mark_text(align="left", baseline="top", fontSize=12, limit=340, **style)
            .encode(x=alt.value(4), y=ys, text="text:N", opacity=dim)
            for kind, style in styles.items()
        ]
    ).properties(width=340, height=max_lines * 16, title="Point at a node to read its quotes")
    out = alt.vconcat(diagram, panel).properties(description=diagram.description)
    hoisted = list(out.params) if out.params is not alt.Undefined else []
    out.params = params + hoisted
    return out


def case_chart() -> alt.VConcatChart:
    """Cases A–E by size band and outcome, with a dropdown that opens one case's Table 1 row.

    >>> spec = case_chart().to_dict()
    >>> spec["params"][0]["bind"]["options"]
    ['A', 'B', 'C', 'D', 'E']
    """
    c = data.load("oli_cases")
    tab = case_table()
    size = pd.DataFrame(
        {
            "case": c["id"],
            "lo": c["employees_min"],
            "hi": c["employees_max"],
            "band": c["employees"],
            "outcome": np.where(c["stayed"], "Stayed", "Left"),
            "result": c["result_positive"] + " / " + c["result_negative"],
        }
    )
    pick = alt.param(name="case_pick", value="B", bind=alt.binding_select(options=list(CASES), name="Case "))
    focus = alt.condition("datum.case == case_pick", alt.value(1.0), alt.value(0.35))
    enc = dict(
        y=alt.Y("case:N", title=None, sort=list(CASES)),
        color=alt.Color("outcome:N", title="After two years", legend=alt.Legend(orient="top"), scale=alt.Scale(domain=["Stayed", "Left"], range=[charts.PALETTE[2], charts.PALETTE[5]])),
        opacity=focus,
        tooltip=[alt.Tooltip("case:N"), alt.Tooltip("band:N", title="Employees"), "outcome:N", alt.Tooltip("result:N", title="Results")],
    )
    ranges = alt.Chart(size).mark_rule(strokeWidth=8, strokeCap="round").encode(
        x=alt.X("lo:Q", scale=alt.Scale(type="log", domain=[1, 300]), title="Employees (size band, log scale)"),
        x2="hi:Q",
        **enc,
    )
    labels = alt.Chart(size).mark_text(align="left", dx=8).encode(x="hi:Q", text="band:N", y=enc["y"], opacity=focus)
    left = alt.layer(ranges, labels).properties(width=300, height=160, title="Size and outcome")
    long = tab.melt(id_vars="Case", var_name="field", value_name="value")
    order = {name: i for i, (_, name) in enumerate(_CASE_FIELDS)}
    lines = []
    for _, r in long.iterrows():  # each field's name on its own line, its value wrapped below: fits a phone
        lines.append({"case": r["Case"], "kind": "field", "text": r["field"], "row": order[r["field"]], "sub": -1})
        for j, part in enumerate(textwrap.wrap(str(r["value"]), 40) or [""]):
            lines.append({"case": r["Case"], "kind": "value", "text": part, "row": order[r["field"]], "sub": j})
    ld = pd.DataFrame(lines).sort_values(["case", "row", "sub"])
    ld["line"] = ld.groupby("case").cumcount()
    n = int(ld["line"].max()) + 1
    text_base = alt.Chart(ld).transform_filter("datum.case == case_pick")
    ys = alt.Y("line:Q", axis=None, scale=alt.Scale(domain=[0, n], reverse=True))
    right = alt.layer(
        text_base.transform_filter("datum.kind == 'field'").mark_text(align="left", baseline="top", fontWeight="bold")
        .encode(x=alt.value(0), y=ys, text="text:N"),
        text_base.transform_filter("datum.kind == 'value'").mark_text(align="left", baseline="top")
        .encode(x=alt.value(10), y=ys, text="text:N"),
    ).properties(width=320, height=n * 15, title="Table 1 row of the chosen case")
    return alt.vconcat(left, right).add_params(pick).properties(
        description=(
            "Cases A to E from Table 1: size band on a log scale, coloured by whether the "
            "firm stayed on the platform; the dropdown shows the chosen case's full row."
        )
    )


def case_b_chart(seed: int = 0) -> alt.HConcatChart:
    """Case B preset: one simulated run and the expectation against the reported scale.

    >>> spec = case_b_chart().to_dict()
    >>> len(spec["hconcat"])
    2
    """
    pre = PRESETS["B"]
    run = simulate(pre.disposition, pre.engagement, 24, seed, **pre.rates)
    exp = expected_funnel(pre.disposition, pre.engagement, 24, **pre.rates)
    anchor = reported_anchor()
    keep = ["awareness", "exploration"]
    frames = []
    for name, f in (("one simulated run", run), ("expected", exp)):
        f = f[f.stage.isin(keep)][["month", "stage", "count"]].copy()
        f["series"] = name
        frames.append(f)
    df = pd.concat(frames, ignore_index=True)
    df["panel"] = df["stage"].map({"awareness": "Views per month", "exploration": "RFQs per month"})
    ref = pd.DataFrame(
        {"panel": ["Views per month", "RFQs per month"], "reported": [anchor["views"], anchor["rfqs"]]}
    )
    return _case_b_layers(df, ref)


def _case_b_layers(df: pd.DataFrame, ref: pd.DataFrame) -> alt.HConcatChart:
    panels = []
    for panel in ("Views per month", "RFQs per month"):
        d = df[df.panel == panel]
        r = ref[ref.panel == panel]
        lines = alt.Chart(d).mark_line(point=alt.OverlayMarkDef(size=20)).encode(
            x=alt.X("month:Q", title="Month of the subscription"),
            y=alt.Y("count:Q", title=panel, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N", title=None, legend=alt.Legend(orient="bottom"), scale=alt.Scale(domain=["one simulated run", "expected"], range=[charts.PALETTE[0], charts.PALETTE[1]])
            ),
            tooltip=["month:Q", "series:N", alt.Tooltip("count:Q", format=",.0f")],
        )
        rule = alt.Chart(r).mark_rule(color=charts.PALETTE[5], strokeDash=[6, 3], size=2).encode(
            y="reported:Q", tooltip=[alt.Tooltip("reported:Q", title="Reported by Case B", format=",.0f")]
        )
        panels.append(alt.layer(lines, rule).properties(width=220, height=200))
    return alt.hconcat(*panels).properties(
        description=(
            "Case B preset: one simulated run and the expected monthly views and RFQs over "
            "24 months; the dashed vermillion line marks the paper's report of about 2 "
            "million monthly views and almost 90 RFQs."
        )
    )


def preset_chart(outcomes: pd.DataFrame) -> alt.Chart:
    """Dot plot of each preset's mean totals per stage (from :func:`~cocreation.oli.presets.preset_outcomes`).

    >>> from cocreation.oli.presets import preset_outcomes
    >>> preset_chart(preset_outcomes(n_seeds=2, months=3)).to_dict()["mark"]["type"]
    'point'
    """
    frame_with("outcomes", outcomes, ("case", "stage_label", "simulated", "renew_share", "stayed"), "preset_outcomes()")
    o = outcomes[["case", "stage_label", "simulated", "renew_share", "stayed"]].copy()
    o["plotted"] = o["simulated"].clip(lower=0.01)
    o["Table 1"] = np.where(o["stayed"], "stayed", "left")
    return (
        alt.Chart(o)
        .mark_point(filled=True, size=120)
        .encode(
            x=alt.X(
                "plotted:Q",
                scale=alt.Scale(type="log", domain=[0.01, 1e8]),
                title="Mean total over 24 months (log scale)",
                axis=alt.Axis(values=[0.01, 1, 100, 1e4, 1e6, 1e8], labelExpr=LOG_LABELS),
            ),
            y=alt.Y("stage_label:N", sort=[STAGE_LABELS[s] for s in STAGES], title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.Color("case:N", title="Case", scale=alt.Scale(domain=list(CASES), range=charts.PALETTE[:5])),
            shape=alt.Shape("Table 1:N", title="Table 1", scale=alt.Scale(domain=["stayed", "left"], range=["circle", "triangle-down"])),
            yOffset=alt.YOffset("case:N"),
            tooltip=[
                "case:N",
                alt.Tooltip("stage_label:N", title="Stage"),
                alt.Tooltip("simulated:Q", title="Mean total", format=",.2f"),
                alt.Tooltip("renew_share:Q", title="Runs that renew", format=".0%"),
                "Table 1:N",
            ],
        )
        .properties(width=340, height=260, description="Illustrative case presets: mean simulated totals per relationship stage for cases A to E, shaped by whether the firm stayed (Table 1).")
    )


def simulator_chart(frame: pd.DataFrame) -> alt.Chart:
    """Cumulative counts per stage: one simulated run and the expectation (log scale).

    ``frame`` is a frame from :func:`~cocreation.oli.model_runs.simulator_run`.

    >>> from cocreation.oli.model_runs import simulator_run
    >>> frame = simulator_run(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, months=6)
    >>> simulator_chart(frame).to_dict()["mark"]["type"]
    'line'
    """
    frame_with("frame", frame, ("month", "stage", "cumulative", "series"), "simulator_run()")
    df = frame[["month", "stage", "cumulative", "series"]].reset_index(drop=True)
    df["stage_label"] = df["stage"].map(STAGE_LABELS)
    df["plotted"] = df["cumulative"].clip(lower=0.01)
    return (
        alt.Chart(df)
        .mark_line()
        .encode(
            x=alt.X("month:Q", title="Month"),
            y=alt.Y("plotted:Q", scale=alt.Scale(type="log"), title="Cumulative count (log scale)"),
            color=alt.Color("stage_label:N", title="Stage", sort=[STAGE_LABELS[s] for s in STAGES]),
            strokeDash=alt.StrokeDash("series:N", title=None),
            tooltip=["month:Q", "stage_label:N", "series:N", alt.Tooltip("cumulative:Q", format=",.1f")],
        )
        .properties(width=460, height=260, description="Cumulative counts per stage: one simulated run and the expectation.")
    )


def sensitivity_chart(oat: pd.DataFrame) -> alt.Chart:
    """Share of runs that renew when each uncertain parameter sits at either end of its range.

    ``oat`` is a frame from :func:`~cocreation.oli.presets.one_at_a_time`. One panel per
    case: a line from the low end to the high end of each parameter's range, a tick at
    the preset, and a dashed line at one half (where the model firm's outcome flips).

    >>> from cocreation.oli.presets import one_at_a_time
    >>> spec = sensitivity_chart(one_at_a_time(n_runs=5, months=6)).to_dict()
    >>> spec["facet"]["row"]["field"]
    'case'
    """
    columns = ("case", "label", "free", "lo", "hi", "value", "at_lo", "at_preset", "at_hi")
    frame_with("oat", oat, columns, "one_at_a_time()")
    o = oat[list(columns)].copy()
    o["kind"] = np.where(o["free"], "free choice (moves ±0.3)", "read from a quotation (moves ±0.15)")
    o["half"] = 0.5
    o.loc[o["label"].str.startswith("Case B"), "kind"] = "Case B's RFQ figure: total (low) or monthly (high)"
    kinds = ["read from a quotation (moves ±0.15)", "free choice (moves ±0.3)", "Case B's RFQ figure: total (low) or monthly (high)"]
    colour = alt.Color("kind:N", title="The parameter is", scale=alt.Scale(domain=kinds, range=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[5]]),
                       legend=alt.Legend(orient="top", direction="vertical", labelLimit=400))
    x_title = "Share of runs in which the firm renews"
    x = alt.X("at_lo:Q", title=x_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    y = alt.Y("label:N", title=None, sort=list(dict.fromkeys(o["label"])), axis=alt.Axis(labelLimit=260))
    tip = [alt.Tooltip("label:N", title="Parameter"), alt.Tooltip("lo:Q", title="Low end", format=".3~f"),
           alt.Tooltip("at_lo:Q", title="Renew at low end", format=".0%"), alt.Tooltip("value:Q", title="Preset", format=".3~f"),
           alt.Tooltip("at_preset:Q", title="Renew at preset", format=".0%"), alt.Tooltip("hi:Q", title="High end", format=".3~f"),
           alt.Tooltip("at_hi:Q", title="Renew at high end", format=".0%")]
    base = alt.Chart()
    layers = alt.layer(
        base.mark_rule(strokeWidth=3).encode(x=x, x2="at_hi:Q", y=y, color=colour, tooltip=tip),
        base.mark_point(shape="triangle-left", filled=True, size=70).encode(x=alt.X("at_lo:Q", title=x_title), y=y, color=colour, tooltip=tip),
        base.mark_point(shape="triangle-right", filled=True, size=70).encode(x=alt.X("at_hi:Q", title=x_title), y=y, color=colour, tooltip=tip),
        base.mark_tick(color="black", thickness=2, size=14).encode(x=alt.X("at_preset:Q", title=x_title), y=y, tooltip=tip),
        base.mark_rule(strokeDash=[4, 3], color="grey").encode(
            x="half:Q", tooltip=[alt.Tooltip("half:Q", title="Above this share the model firm stays", format=".0%")]
        ),
        data=o,
    ).properties(width=300)
    return layers.facet(
        row=alt.Row("case:N", title=None, header=alt.Header(labelExpr="'Case ' + datum.value", labelAngle=0, labelAlign="left", labelOrient="top", labelFontWeight="bold")),
    ).resolve_scale(y="shared").properties(
        description=(
            "Sensitivity of each case preset's stay-or-leave outcome: for every uncertain parameter, the share "
            "of simulated runs that renew with the parameter at the low end (left triangle) and the high end "
            "(right triangle) of its range, the preset marked by a black tick; above one half the model firm "
            "stays in most runs."
        )
    )


def advantages_chart(months: int = 24) -> alt.Chart:
    """The firm-specific advantages and effective engagement of each case preset, month by month.

    ``months`` is an integer in [1, 120].

    >>> advantages_chart(months=6).to_dict()["facet"]["field"]
    'case'
    """
    months = validate.integer("months", months, 1, 120)
    frames = []
    for case, pre in PRESETS.items():
        d = drivers(pre.disposition, pre.engagement, months, **pre.rates)
        frames.append(d.assign(case=case))
    df = pd.concat(frames, ignore_index=True)
    names = {**ADVANTAGES, "engagement": "Effective engagement (index)", "structural": "Structural readiness (partners included)"}
    long = df.melt(id_vars=["case", "month"], value_vars=list(names), var_name="series", value_name="level")
    long["series"] = long["series"].map(names)
    order = list(names.values())
    return (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=alt.X("month:Q", title="Month"),
            y=alt.Y("level:Q", title="Level (0 to 1)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("series:N", title=None, sort=order, scale=alt.Scale(domain=order, range=charts.PALETTE[:5]),
                            legend=alt.Legend(orient="top", columns=1, labelLimit=400)),
            strokeDash=alt.StrokeDash("series:N", sort=order, legend=None,
                                      scale=alt.Scale(domain=order, range=[[1, 0], [1, 0], [1, 0], [6, 3], [2, 2]])),
            tooltip=["case:N", "month:Q", "series:N", alt.Tooltip("level:Q", format=".2f")],
        )
        .properties(width=150, height=120)
        .facet(facet=alt.Facet("case:N", title=None, header=alt.Header(labelExpr="'Case ' + datum.value")), columns=3)
        .properties(
            description=(
                "For each case preset, month by month: the three firm-specific advantages (linkage, open resource, "
                "integration), the effective engagement index (dashed) and structural readiness with partners "
                "included (dotted), each from 0 to 1."
            )
        )
    )
