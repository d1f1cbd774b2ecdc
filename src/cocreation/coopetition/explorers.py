"""The coopetition chapter's slider explorers and their registry entries.

:data:`SLIDERS` declares the sliders once. :func:`profit_explorer` is the static
explorer (Vega expressions generated from the closed forms, computed in the page);
:func:`profit_live` is the live one (the same sliders re-run the model in Python).
:data:`EXPLORERS` registers the static explorer's two bar panels for the browser tests,
with the rows the package computes at a slider setting.

Examples
--------
>>> [p.name for p in SLIDERS]
['rho_p', 'rho_s', 'k_p', 'k_s', 'theta', 'power']
>>> [e.name for e in EXPLORERS]
['profits', 'gains']
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import charts, validate, widgets
from .figures import profit_chart
from .model import DOMAIN, SCENARIOS, Params, scenario_table, solve
from .numeric import numeric_check
from .symbolic import vega_expressions
from .tables import live_table

__all__ = ["SLIDERS", "profit_explorer", "profit_live", "expected_profits", "expected_gains", "EXPLORERS"]

#: Slider declarations shared by the static and the live explorer (alpha is fixed at 1).
SLIDERS = (
    widgets.Param("rho_p", "Platform margin ρp", 0.1, 2.0, 0.05, 1.0),
    widgets.Param("rho_s", "Participant margin ρs", 0.1, 2.0, 0.05, 0.5),
    widgets.Param("k_p", "Platform ad effect kp", 0.1, 2.0, 0.1, 1.0),
    widgets.Param("k_s", "Participant ad effect ks", 0.1, 2.0, 0.1, 1.0),
    # theta stops at 0.8: spends grow like x**(1/(1 - theta)), and the bars stay readable
    widgets.Param("theta", "Response curvature θ", 0.1, 0.8, 0.05, 0.5),
    widgets.Param("power", "Platform bargaining power", 0.0, 1.0, 0.05, 0.5),
)
_SLIDER_NAMES = tuple(p.name for p in SLIDERS)


# --- static explorer: Vega expressions from the closed forms ------------------------------


def _signal_params(alpha: float) -> list[alt.Parameter]:
    return widgets.slider_params(SLIDERS) + [alt.param(name="alpha", value=alpha)]


def profit_explorer(alpha: float = 1.0) -> alt.VConcatChart:
    """The static explorer: sliders, scenario profit bars, the split of the gain over N
    and the (rho_p, rho_s) region maps.

    Bars, split and the colour of each region cell are computed in the page by Vega
    expressions generated from the closed forms
    (:func:`~cocreation.coopetition.symbolic.vega_expressions`); the maps depend on the
    margins and theta only, so they follow the theta slider.

    Parameters
    ----------
    alpha
        Base demand, in [1e-6, 1e6] as in :class:`~cocreation.coopetition.model.Params` (fixed: it has no slider).

    Examples
    --------
    >>> spec = profit_explorer().to_dict()
    >>> sorted(p["name"] for p in spec["params"] if "bind" in p)
    ['k_p', 'k_s', 'power', 'rho_p', 'rho_s', 'theta']
    """
    alpha = validate.number("alpha", alpha, *DOMAIN)
    ex = vega_expressions()
    one_row = alt.Data(values=[{"row": 0}])
    order = list(SCENARIOS)
    parties = ["platform", "participant", "joint (centralised)"]
    colour = alt.Scale(domain=parties, range=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[7]])

    keys = [f"{sc}__{party}" for sc in ("N", "P", "S", "B", "R") for party in ("platform", "participant")]
    calc = {k: ex[k] for k in keys}
    calc["C__joint (centralised)"] = ex["C__total"]
    calc["c_total"] = ex["C__total"]
    profit_base = (
        alt.Chart(one_row)
        .transform_calculate(**calc)
        .transform_fold(keys + ["C__joint (centralised)"], as_=["key", "profit"])
        .transform_calculate(scenario="split(datum.key, '__')[0]", party="split(datum.key, '__')[1]")
        .transform_joinaggregate(total="sum(profit)", groupby=["scenario"])
        .transform_calculate(gap="(datum.c_total - datum.total) / datum.c_total")
    )
    x_scen = alt.X("scenario:N", sort=order, title="Scenario", axis=alt.Axis(labelAngle=0))
    # A fixed axis: it changes only when the joint profit C crosses a step of 1-1.5-2-3-4-5-6-8-10
    # (x a power of ten), so bars grow and shrink visibly as a slider moves.
    tops = [alt.param(name="joint_top", expr=f"1.12 * ({ex['C__total']})"),
            alt.param(name="gain_top", expr=f"1.12 * (({ex['C__total']}) - ({ex['N__platform']}) - ({ex['N__participant']}))"),
            alt.param(name="profit_axis", expr=_step_up("joint_top")), alt.param(name="gain_axis", expr=_step_up("gain_top"))]
    bars = profit_base.mark_bar().encode(
        x=x_scen,
        y=alt.Y("profit:Q", title="Profit", stack="zero", scale=alt.Scale(domain={"expr": "[0, profit_axis]"}, nice=False)),
        color=alt.Color("party:N", scale=colour, legend=alt.Legend(title=None, orient="bottom")),
        order=alt.Order("party:N", sort="descending"),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("party:N"), alt.Tooltip("profit:Q", format=".3f"),
                 alt.Tooltip("total:Q", format=".3f", title="joint profit"),
                 alt.Tooltip("gap:Q", format=".1%", title="efficiency gap")],
    )
    gap_text = (
        profit_base.transform_filter("datum.party != 'participant'")
        .mark_text(dy=-8, fontSize=11)
        .encode(x=x_scen, y=alt.Y("total:Q", title="Profit"), text=alt.Text("gap:Q", format=".1%"))
    )
    profit_panel = alt.layer(bars, gap_text).properties(
        width=250, height=170, title=alt.Title("Profits", subtitle="label: efficiency gap vs C"))

    gain_keys = [f"{sc}__{party}" for sc in ("P", "S", "B", "R") for party in ("platform", "participant")]
    gain_calc = {f"g_{k}": f"({ex[k]}) - ({ex['N__' + k.split('__')[1]]})" for k in gain_keys}
    gain_base = (
        alt.Chart(one_row)
        .transform_calculate(**gain_calc)
        .transform_fold([f"g_{k}" for k in gain_keys], as_=["key", "gain"])
        .transform_calculate(scenario="split(datum.key, '__')[0]", party="split(datum.key, '__')[1]")
        .transform_calculate(scenario="replace(datum.scenario, 'g_', '')")
        .transform_joinaggregate(total_gain="sum(gain)", groupby=["scenario"])
        .transform_calculate(share="datum.total_gain > 1e-12 ? datum.gain / datum.total_gain : 0")
    )
    x_gain = alt.X("scenario:N", sort=["P", "S", "B", "R"], title="Scenario", axis=alt.Axis(labelAngle=0))
    gain_bars = gain_base.mark_bar().encode(
        x=x_gain,
        y=alt.Y("gain:Q", title="Gain over N", stack="zero", scale=alt.Scale(domain={"expr": "[0, gain_axis]"}, nice=False)),
        color=alt.Color("party:N", scale=colour, legend=None),
        order=alt.Order("party:N", sort="descending"),
        tooltip=[alt.Tooltip("scenario:N"), alt.Tooltip("party:N"), alt.Tooltip("gain:Q", format=".4f"),
                 alt.Tooltip("share:Q", format=".1%", title="share of the gain")],
    )
    share_text = (
        gain_base.transform_filter("datum.party == 'platform' && datum.total_gain > 1e-12")
        .mark_text(dy=-8, fontSize=11)
        .encode(x=x_gain, y=alt.Y("total_gain:Q", title="Gain over N"),
                text=alt.Text("share:Q", format=".0%"))
    )
    no_gain = (  # an empty bar says why it is empty
        gain_base.transform_filter("datum.party == 'platform' && datum.total_gain <= 1e-12")
        .mark_text(dy=-8, fontSize=11, color="#444444")
        .encode(x=x_gain, y=alt.datum(0), text=alt.value("no gain"))
    )
    gain_panel = alt.layer(gain_bars, share_text, no_gain).properties(
        width=170, height=170, title=alt.Title("Gain over N", subtitle="label: platform's share"))

    maps = [_region_panel(sc, ex) for sc in ("P", "S")]
    chart = alt.vconcat(
        alt.hconcat(profit_panel, gain_panel).properties(title=alt.Title(
            "Scenarios", fontSize=13, subtitleFontSize=11, subtitleColor="#222222",
            subtitle=["N no cooperation · P platform supports", "S participant supports · B mutual support",
                      "R profit sharing · C centralised (one firm)"])),
        alt.hconcat(*maps).resolve_scale(color="shared"),
        description=(
            "Interactive explorer: sliders for the margins, advertising effects, the "
            "curvature of demand's response to advertising and the platform's bargaining "
            "power update stacked bars of each party's profit in the scenarios N, P, S, B, "
            "R and C, stacked bars of each party's gain over N, and a marker on two maps of "
            "the margin plane showing where support is active and who captures more of the "
            "gain."
        ),
    ).resolve_scale(color="independent").add_params(*_signal_params(alpha), *tops)
    return chart


def _step_up(value: str) -> str:
    """A Vega expression: ``value`` rounded up to 1, 1.5, 2, 3, 4, 5, 6, 8 or 10 times a power of ten."""
    m = f"pow(10, floor(log(max({value}, 1e-9)) / LN10))"
    d = f"(max({value}, 1e-9) / {m})"
    steps = "".join(f"{d} <= {s} ? {s} : " for s in (1, 1.5, 2, 3, 4, 5, 6, 8)) + "10"
    return f"({m}) * ({steps})"


# The region maps: a grid of margins whose colour the page computes from theta, with a
# cross at the sliders' margins.

_REGION_COLOURS = {
    "inactive": "#dddddd",
    "platform": charts.PALETTE[0],
    "participant": charts.PALETTE[1],
}


def _region_panel(scenario: str, ex: dict[str, str]) -> alt.LayerChart:
    vals = [round(0.1 + 0.05 * i, 2) for i in range(39)]
    cells_data = alt.Data(values=[{"rho_p": x, "rho_s": y} for x in vals for y in vals])
    half = 0.025
    labels = {"inactive": "no support (= N)", "platform": "platform captures more",
              "participant": "participant captures more", "equal": "equal split (boundary)"}
    active, lead = ex[f"region_{scenario}__active"], ex[f"region_{scenario}__lead"]
    # tolerances: a cell exactly on a boundary stays on it despite rounding (as in region())
    region = (f"({active}) <= 1e-9 ? '{labels['inactive']}' : (({lead}) > 1e-9 ? '{labels['platform']}'"
              f" : (({lead}) < -1e-9 ? '{labels['participant']}' : '{labels['equal']}'))")
    scale = alt.Scale(domain=list(labels.values()),
                      range=[_REGION_COLOURS["inactive"], _REGION_COLOURS["platform"],
                             _REGION_COLOURS["participant"], "#222222"])
    axis_x = alt.X("x0:Q", title="Platform margin ρp", scale=alt.Scale(domain=[0.075, 2.025], nice=False))
    axis_y = alt.Y("y0:Q", title="Participant margin ρs", scale=alt.Scale(domain=[0.075, 2.025], nice=False))
    cells = (
        alt.Chart(cells_data)
        .transform_calculate(x0=f"datum.rho_p - {half}", x1=f"datum.rho_p + {half}",
                             y0=f"datum.rho_s - {half}", y1=f"datum.rho_s + {half}", region=region)
        .mark_rect()
        .encode(x=axis_x, x2="x1:Q", y=axis_y, y2="y1:Q",
                color=alt.Color("region:N", scale=scale,
                                legend=alt.Legend(title=None, orient="bottom", columns=2)),
                tooltip=[alt.Tooltip("rho_p:Q", title="Platform margin ρp"),
                         alt.Tooltip("rho_s:Q", title="Participant margin ρs"), alt.Tooltip("region:N", title="Region")])
    )
    marker = (
        alt.Chart(alt.Data(values=[{"row": 0}]))
        .transform_calculate(x0="rho_p", y0="rho_s")
        .mark_point(shape="cross", size=160, filled=True, color="black")
        .encode(x="x0:Q", y="y0:Q")
    )
    title = {"P": "P: platform supports", "S": "S: participant supports"}[scenario]
    return alt.layer(cells, marker).properties(width=150, height=150, title=title)


# --- live explorer -------------------------------------------------------------------------


def _show_live(frame: pd.DataFrame) -> Any:
    """The live explorer's output: the profit chart, then the table (returned)."""
    from IPython.display import display

    from .. import display as book_display

    display(profit_chart(frame))
    return book_display.table(live_table(frame))


@widgets.kernel_only
def profit_live(alpha: float = 1.0) -> widgets.LiveExplorer:
    """ipywidgets sliders (those of :data:`SLIDERS`, as in :func:`profit_explorer`) that
    update the profit chart and the scenario table, plus a button that re-solves every
    scenario with :func:`~cocreation.coopetition.numeric.solve_numeric`.

    Built on :func:`cocreation.widgets.live_explorer` with
    :func:`~cocreation.coopetition.model.scenario_table` as the model.

    Parameters
    ----------
    alpha
        Base demand, in [1e-6, 1e6] as in :class:`~cocreation.coopetition.model.Params` (fixed: it has no slider).
    """
    import ipywidgets as w
    from IPython.display import display

    from .. import display as book_display

    alpha = validate.number("alpha", alpha, *DOMAIN)
    base = widgets.live_explorer(scenario_table, SLIDERS, _show_live, alpha=alpha)
    sliders = base.widget.children[: len(SLIDERS)]
    button = w.Button(description="Check with solve_numeric", layout=w.Layout(width="260px"))
    check = w.Output()

    def values() -> dict[str, float]:
        return {p.name: s.value for p, s in zip(SLIDERS, sliders)}

    def run_check(*_: Any) -> None:
        with check:
            check.clear_output(wait=True)
            display(book_display.table(numeric_check(**values(), alpha=alpha).round(8)))

    for s in sliders:
        s.observe(lambda *_: check.clear_output(), names="value")
    button.on_click(run_check)
    return widgets.LiveExplorer(w.VBox([*base.widget.children, button, check]))


# --- registry: what the static explorer must draw --------------------------------------


def _equilibria(setting: dict[str, float]) -> dict[str, Any]:
    validate.keywords("the coopetition explorer", setting, _SLIDER_NAMES)
    missing = [n for n in _SLIDER_NAMES if n not in setting]
    if missing:
        raise ValueError(f"the coopetition explorer needs every slider; {', '.join(missing)} missing")
    params = Params(**{k: setting[k] for k in ("rho_p", "rho_s", "k_p", "k_s", "theta")})
    return {sc: solve(params, sc, power=setting["power"]) for sc in SCENARIOS}


def expected_profits(**setting: float) -> pd.DataFrame:
    """Closed-form profits of both parties in N, P, S, B, R and the joint profit in C.

    The rows the explorer's profit panel draws at a slider setting (every slider of
    :data:`SLIDERS` as a keyword).

    >>> rows = expected_profits(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0, theta=0.5, power=0.5)
    >>> rows.loc[0, "scenario"], rows.loc[0, "party"], float(rows.loc[0, "profit"])
    ('N', 'platform', 1.5)
    """
    eq = _equilibria(setting)
    rows = [{"scenario": sc, "party": party, "profit": getattr(eq[sc], f"profit_{party}")}
            for sc in "NPSBR" for party in ("platform", "participant")]
    return pd.DataFrame(rows + [{"scenario": "C", "party": "joint (centralised)", "profit": eq["C"].total}])


def expected_gains(**setting: float) -> pd.DataFrame:
    """Each party's gain over the no-support scenario N in P, S, B and R.

    The rows the explorer's gain panel draws at a slider setting.

    >>> rows = expected_gains(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0, theta=0.5, power=0.5)
    >>> rows.loc[0, "scenario"], rows.loc[0, "party"], float(rows.loc[0, "gain"])
    ('P', 'platform', 0.140625)
    """
    eq = _equilibria(setting)
    return pd.DataFrame([
        {"scenario": sc, "party": party,
         "gain": getattr(eq[sc], f"profit_{party}") - getattr(eq["N"], f"profit_{party}")}
        for sc in "PSBR" for party in ("platform", "participant")
    ])


#: The chapter's slider charts, for the book and the browser tests.
EXPLORERS: tuple[widgets.Explorer, ...] = (
    widgets.Explorer("profits", "coopetition", SLIDERS, profit_explorer, expected_profits, "rect",
                     ("scenario", "party"), profit_live),
    widgets.Explorer("gains", "coopetition", SLIDERS, profit_explorer, expected_gains, "rect",
                     ("scenario", "party"), profit_live),
)
