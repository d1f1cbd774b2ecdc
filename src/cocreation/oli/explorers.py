"""The OLI page's explorers: slider declarations, the static and live explorers, the registry.

* :data:`FUNNEL_SLIDERS` and :func:`funnel_explorer`: the static expected-funnel explorer
  (Altair sliders over the precomputed :func:`funnel_grid`, no kernel needed);
* :data:`SIMULATOR_SLIDERS` and :func:`simulator_live`: the live simulator (ipywidgets
  on :func:`cocreation.widgets.live_explorer`, with a case-preset menu);
* :data:`EXPLORERS`: the registry entries the browser tests loop over.

Examples
--------
>>> [e.name for e in EXPLORERS]
['funnel']
>>> funnel_expected(disposition=0.5, engagement=0.5, learning_rate=0.1)["stage_label"].tolist()[0]
'Awareness: views'
"""

from __future__ import annotations

import functools
from dataclasses import asdict
from typing import Any

import altair as alt
import pandas as pd

from .. import charts, validate, widgets
from .figures import LOG_LABELS, simulator_chart
from .model import STAGE_LABELS, STAGES, frame_with, funnel_totals
from .model_runs import simulator_run
from .presets import CASES, PRESETS

__all__ = [
    "FUNNEL_SLIDERS",
    "funnel_grid",
    "funnel_explorer",
    "funnel_expected",
    "SIMULATOR_SLIDERS",
    "simulator_sliders",
    "simulator_live",
    "EXPLORERS",
]

# --- static explorer: the expected funnel ----------------------------------------

#: Sliders of the static funnel explorer (the model is :func:`~cocreation.oli.model.funnel_totals`).
FUNNEL_SLIDERS: tuple[widgets.Param, ...] = (
    widgets.Param("disposition", "Disposition (readiness)", 0.0, 1.0, 0.1, 0.5),
    widgets.Param("engagement", "Engagement", 0.0, 1.0, 0.1, 0.5),
    widgets.Param("learning_rate", "Learning rate λ", 0.0, 0.2, 0.05, 0.1),
)


def funnel_grid() -> pd.DataFrame:
    """:func:`~cocreation.oli.model.funnel_totals` on every combination of :data:`FUNNEL_SLIDERS`.

    >>> len(funnel_grid())
    2420
    """
    return _funnel_grid().copy()


@functools.lru_cache(maxsize=1)
def _funnel_grid() -> pd.DataFrame:
    g = widgets.grid(funnel_totals, FUNNEL_SLIDERS)
    g["expected"] = g["expected"].round(6)
    return g


def funnel_expected(**setting: float) -> pd.DataFrame:
    """What the funnel explorer draws at a slider setting: expected total per stage.

    The registry's ``expected``: the rows the browser test compares with the bar labels.

    >>> funnel_expected(disposition=0.5, engagement=0.5, learning_rate=0.1).columns.tolist()
    ['stage_label', 'expected']
    >>> funnel_expected(disposition=0.5, engagement=0.5, learning=0.1)
    Traceback (most recent call last):
    ...
    ValueError: funnel_expected got unknown parameter 'learning'; its parameters are ...
    """
    validate.keywords("funnel_expected", setting, [p.name for p in FUNNEL_SLIDERS])
    return funnel_totals(**setting)[["stage_label", "expected"]]


_GRID_COLUMNS = ("disposition", "engagement", "learning_rate", "stage", "stage_label", "expected")


def funnel_explorer(grid_frame: pd.DataFrame | None = None) -> alt.VConcatChart:
    """Static explorer: expected funnel at the sliders, and a heatmap of repeat buyers.

    ``grid_frame`` is a frame from :func:`funnel_grid` (computed when omitted).

    >>> spec = funnel_explorer().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['disposition', 'engagement', 'learning_rate']
    """
    g = funnel_grid() if grid_frame is None else frame_with("grid_frame", grid_frame, _GRID_COLUMNS, "funnel_grid()")
    g = g[list(_GRID_COLUMNS)]
    params = widgets.slider_params(FUNNEL_SLIDERS)
    base = alt.Chart(g)
    order = [STAGE_LABELS[s] for s in STAGES]
    bars = (
        base.transform_filter(widgets.filter_expression(FUNNEL_SLIDERS))
        .transform_calculate(
            shown="datum.expected >= 1e6 ? format(datum.expected / 1e6, '.1f') + ' million' : "
            "(datum.expected >= 100 ? format(datum.expected, ',.0f') : format(datum.expected, '.2f'))",
            base="0.01",
        )
        .encode(
            y=alt.Y("stage_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X(
                "expected:Q",
                scale=alt.Scale(type="log", domain=[0.01, 1e8]),
                title="Expected total over 24 months (log scale)",
                axis=alt.Axis(values=[0.01, 1, 100, 1e4, 1e6, 1e8], labelExpr=LOG_LABELS),
            ),
            tooltip=[alt.Tooltip("stage_label:N", title="Stage"), alt.Tooltip("shown:N", title="Expected")],
        )
    )
    funnel = alt.layer(
        bars.mark_bar(color=charts.PALETTE[0]).encode(x2="base:Q"),
        bars.mark_text(align="left", dx=4).encode(text="shown:N"),
    ).properties(width=270, height=170, title="Expected funnel at the sliders")
    heat_base = base.transform_filter(f"datum.stage == 'commitment' && abs(datum.learning_rate - learning_rate) < 0.025")
    heat = alt.layer(
        heat_base.mark_rect().encode(
            x=alt.X("disposition:O", title="Disposition", axis=alt.Axis(format=".1f", labelAngle=0)),
            y=alt.Y("engagement:O", title="Engagement", sort="descending", axis=alt.Axis(format=".1f")),
            color=alt.Color("expected:Q", title="Repeat buyers", scale=alt.Scale(scheme=charts.SEQUENTIAL)),
            tooltip=[
                alt.Tooltip("disposition:Q", format=".1f"),
                alt.Tooltip("engagement:Q", format=".1f"),
                alt.Tooltip("expected:Q", title="Expected repeat buyers", format=".2f"),
            ],
        ),
        heat_base.transform_filter("abs(datum.disposition - disposition) < 0.05 && abs(datum.engagement - engagement) < 0.05")
        .mark_rect(fill=None, stroke="white", strokeWidth=3)
        .encode(x="disposition:O", y=alt.Y("engagement:O", sort="descending")),
    ).properties(width=260, height=260, title="Expected repeat buyers (commitment)")
    return alt.vconcat(funnel, heat).add_params(*params).properties(
        description=(
            "Illustrative expected relationship funnel. Left: expected views, RFQs, first "
            "purchases and repeat buyers over a 24-month subscription for the disposition, "
            "engagement and learning rate set by the sliders. Below: expected repeat buyers "
            "for every disposition and engagement at the chosen learning rate, the current "
            "setting outlined."
        )
    )



# --- live explorer: the simulator ---------------------------------------------------


def _preset_values(case: str) -> dict[str, float]:
    pre = PRESETS[case]
    return {**asdict(pre.disposition), **asdict(pre.engagement), "learning_rate": 0.1, "brand_appeal": 1.0, "lapse": 0.02, **pre.rates}


def simulator_sliders(case: str = "B") -> tuple[widgets.Param, ...]:
    """Sliders of the live simulator, starting at the values of ``case``'s preset.

    The model is :func:`~cocreation.oli.model_runs.simulator_run`.

    >>> [p.default for p in simulator_sliders("A")][6:]
    [0.1, 1.0, 0.05, 24, 0]
    """
    case = validate.choice("case", case, CASES)
    start = _preset_values(case)

    def unit(name: str, label: str) -> widgets.Param:
        return widgets.Param(name, label, 0.0, 1.0, 0.05, start[name])

    return (
        unit("structural", "Structural readiness"),
        unit("emotional", "Emotional readiness"),
        unit("reply_speed", "Reply speed"),
        unit("marketing", "Use of marketing tools"),
        unit("involvement", "Buyer involvement"),
        unit("switch_timing", "Timing of off-platform switch"),
        widgets.Param("learning_rate", "Learning rate λ", 0.0, 0.2, 0.01, start["learning_rate"]),
        widgets.Param("brand_appeal", "Brand appeal", 0.5, 4.0, 0.1, start["brand_appeal"]),
        widgets.Param("lapse", "Lapse rate δ", 0.0, 0.1, 0.01, start["lapse"]),
        widgets.Param("months", "Months", 6, 60, 6, 24),
        widgets.Param("seed", "Seed", 0, 99, 1, 0),
    )


#: Sliders of the live simulator (starting at Case B's preset).
SIMULATOR_SLIDERS: tuple[widgets.Param, ...] = simulator_sliders("B")


class _RunView:
    """The simulator's chart and its one-line verdict, displayed one after the other."""

    def __init__(self, frame: pd.DataFrame | None) -> None:
        self.chart: alt.Chart | None = None
        self.text = ""
        if frame is None:  # a preset is being loaded: keep the last view until it is done
            return
        run = frame[frame["series"] == "simulated run"]
        totals = run.groupby("stage")["count"].sum()
        verdict = "renews" if bool(run["renews"].iloc[0]) else "does not renew"
        self.chart = simulator_chart(frame)
        self.text = (
            f"This run: {int(totals['expansion'])} first purchases, {int(totals['commitment'])} repeat buyers, "
            f"worth {float(run['value'].iloc[0]):.1f} buyer-equivalents after stress; the firm {verdict} "
            f"(it needs {float(run['threshold'].iloc[0]):.1f})."
        )

    def _ipython_display_(self) -> None:
        from IPython.display import Markdown, display

        if self.chart is None:
            return
        # display(), not print(): a buffered stream message inside an Output widget can
        # arrive after the cell is idle, and nbclient then waits for its full timeout.
        display(self.chart)
        display(Markdown(self.text))


@widgets.kernel_only
def simulator_live(case: str = "B") -> widgets.LiveExplorer:
    """The live simulator: every knob, the subscription length, the seed and a case-preset menu.

    Built on :func:`cocreation.widgets.live_explorer` with :func:`simulator_sliders`;
    each change re-runs :func:`~cocreation.oli.model_runs.simulator_run` and shows one
    simulated run, the expectation and whether the firm renews. Choosing a case in the
    menu moves the knobs to its preset and redraws once. Needs a kernel.

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()):
    ...     explorer = simulator_live()
    >>> type(explorer).__name__
    'LiveExplorer'
    """
    import ipywidgets as w

    case = validate.choice("case", case, CASES)
    sliders = simulator_sliders(case)
    loading = {"on": False}

    def run(**knobs: float) -> pd.DataFrame | None:
        return None if loading["on"] else simulator_run(**knobs)

    live = widgets.live_explorer(run, sliders, _RunView)
    knobs = dict(zip((p.name for p in sliders), live.widget.children))
    preset = w.Dropdown(options=["custom", *CASES], value=case, description="Case preset", style={"description_width": "initial"})

    def load_preset(*_: Any) -> None:
        if preset.value == "custom":
            return
        values = _preset_values(preset.value)
        changed = [name for name, value in values.items() if knobs[name].value != value]
        loading["on"] = True
        try:
            for name in changed[:-1]:
                knobs[name].value = values[name]
        finally:
            loading["on"] = False
        if changed:  # the last change redraws once, with every knob set
            knobs[changed[-1]].value = values[changed[-1]]

    preset.observe(load_preset, names="value")
    return widgets.LiveExplorer(w.VBox([preset, *live.widget.children]))


# --- registry ---------------------------------------------------------------------

#: The chapter's slider charts, for the book and the browser tests.
EXPLORERS: tuple[widgets.Explorer, ...] = (
    widgets.Explorer(
        name="funnel",
        chapter="oli",
        sliders=FUNNEL_SLIDERS,
        chart=funnel_explorer,
        expected=funnel_expected,
        marktype="text",
        key=("stage_label",),
        live=simulator_live,
    ),
)
