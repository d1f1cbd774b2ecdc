"""Slider explorers of the mediation lab, declared once.

Two slider charts, each with its sliders (``*_SLIDERS``), its static explorer (Altair
sliders over a precomputed grid, no kernel needed), the live explorer of the same model
where there is one, and an :class:`cocreation.widgets.Explorer` entry in ``EXPLORERS``
with the rows the chart must draw at a slider setting (checked in the browser tests):

* estimate versus truth: :func:`estimate_explorer` (static) and :func:`estimate_live`
  (live, with extra sliders), both on :func:`cocreation.ipo.model.estimate_vs_truth`;
* power: :func:`power_explorer` on the stored grid of
  :func:`cocreation.ipo.power.power_grid`.
"""

from __future__ import annotations

import functools

import altair as alt
import numpy as np
import pandas as pd

from .. import validate, widgets
from .figures import estimate_chart, estimate_layers
from .model import estimate_vs_truth
from .power import power_normal, stored_power_grid

__all__ = [
    "POWER_SLIDERS",
    "ESTIMATE_SLIDERS",
    "ESTIMATE_LIVE_SLIDERS",
    "estimate_grid",
    "estimate_explorer",
    "estimate_live",
    "estimate_expected",
    "power_explorer",
    "power_expected",
    "EXPLORERS",
]

#: Sliders of the static power explorer: sample size and path size a = b (their values
#: are the grid of :func:`cocreation.ipo.power.power_grid`).
POWER_SLIDERS: tuple[widgets.Param, ...] = (
    widgets.Param("n", "Sample size n", 50, 500, 50, 150),
    widgets.Param("effect", "Path size a = b", 0.1, 0.5, 0.1, 0.2),
)

#: Sliders of the static estimate-versus-truth explorer.
ESTIMATE_SLIDERS: tuple[widgets.Param, ...] = (
    widgets.Param("effect", "Path size a = b", 0.0, 0.5, 0.1, 0.3),
    widgets.Param("n", "Sample size n", 50, 500, 50, 150),
)
#: Sliders of the live explorer: the static ones and three more (the static page fixes
#: them at their defaults).
ESTIMATE_LIVE_SLIDERS: tuple[widgets.Param, ...] = ESTIMATE_SLIDERS + (
    widgets.Param("direct", "Direct effect c", 0.0, 0.5, 0.1, 0.0),
    widgets.Param("rho", "Capability correlation ρ", 0.0, 0.8, 0.1, 0.3),
    widgets.Param("noise", "e-WOM noise σ", 0.5, 2.0, 0.5, 1.0),
)


# --- estimate versus truth ---------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def estimate_grid() -> pd.DataFrame:
    """The rows behind :func:`estimate_explorer`: one simulated survey per slider setting."""
    return widgets.grid(estimate_vs_truth, ESTIMATE_SLIDERS)


def estimate_explorer() -> alt.LayerChart:
    """Static explorer: sliders for path size and n filter a precomputed grid.

    >>> spec = estimate_explorer().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['effect', 'n']
    """
    chart = widgets.static_explorer(estimate_vs_truth, ESTIMATE_SLIDERS, estimate_layers, grid_frame=estimate_grid())
    return chart.properties(
        description=(
            "Illustrative simulation: for the chosen path size and sample size, the estimated "
            "indirect effect of each chain with its 95% bootstrap interval, against the truth."
        )
    )


@widgets.kernel_only
def estimate_live() -> widgets.LiveExplorer:
    """Live explorer (needs a kernel): re-simulates with every slider change.

    The sliders are :data:`ESTIMATE_LIVE_SLIDERS`; the static page shows a note instead.
    """
    return widgets.live_explorer(estimate_vs_truth, ESTIMATE_LIVE_SLIDERS, estimate_chart)


def estimate_expected(effect: float, n: float) -> pd.DataFrame:
    """What :func:`estimate_explorer` draws at a setting: each path's truth, estimate and interval.

    >>> estimate_expected(0.3, 150).columns.tolist()
    ['path', 'truth', 'estimate', 'ci_low', 'ci_high']
    """
    return estimate_vs_truth(effect, n)[["path", "truth", "estimate", "ci_low", "ci_high"]]


# --- power ---------------------------------------------------------------------------------


def power_explorer(grid: pd.DataFrame | None = None) -> alt.LayerChart:
    """Static power explorer: power curves with sliders for path size and sample size.

    The selected path size's curve is drawn bold with its normal-theory approximation
    (dashed, joint-significance test); the selected n is circled and its power printed.
    ``grid`` defaults to the stored grid (:func:`cocreation.ipo.power.stored_power_grid`).

    >>> spec = power_explorer().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['effect', 'n']
    """
    grid = stored_power_grid() if grid is None else grid
    columns = ["n", "effect", "indirect", "power", "mcse", "power_joint"]
    if not isinstance(grid, pd.DataFrame) or not set(columns) <= set(grid.columns):
        raise ValueError(f"grid must be a DataFrame with the columns {columns} (as power_grid makes it)")
    frame = grid[columns].copy()
    params = widgets.slider_params(POWER_SLIDERS)
    chosen_effect = "abs(datum.effect - effect) < 0.05"
    chosen_cell = chosen_effect + " && abs(datum.n - n) < 25"
    base = alt.Chart(frame)
    x = alt.X("n:Q", title="Sample size n", scale=alt.Scale(domain=[0, 520]))
    y = alt.Y("power:Q", title="Power (share of surveys that detect a·b)", scale=alt.Scale(domain=[0, 1]))
    colour = alt.Color("effect:O", title="a = b", scale=alt.Scale(scheme="viridis"))
    tooltip = [
        alt.Tooltip("n:Q"),
        alt.Tooltip("effect:Q", title="a = b"),
        alt.Tooltip("indirect:Q", title="a·b", format=".2f"),
        alt.Tooltip("power:Q", title="Power (bootstrap)", format=".2f"),
        alt.Tooltip("mcse:Q", title="Monte Carlo s.e. ≤", format=".3f"),
        alt.Tooltip("power_joint:Q", title="Power (normal theory, joint test)", format=".2f"),
    ]
    lines = base.mark_line(point=True).encode(
        x=x, y=y, color=colour,
        opacity=alt.condition(chosen_effect, alt.value(1.0), alt.value(0.25)),
        strokeWidth=alt.condition(chosen_effect, alt.value(3.5), alt.value(1.5)),
        tooltip=tooltip,
    )
    normal = base.transform_filter(chosen_effect).mark_line(strokeDash=[5, 4], color="black").encode(
        x=x, y=alt.Y("power_joint:Q", title="Power (share of surveys that detect a·b)"), tooltip=tooltip
    )
    cell = base.transform_filter(chosen_cell)
    marker = cell.mark_point(size=260, shape="circle", filled=False, color="black", strokeWidth=2).encode(x=x, y=y, tooltip=tooltip)
    label = cell.mark_text(align="left", dx=12, dy=-12, fontWeight="bold").encode(
        x=x, y=y, text=alt.Text("power:Q", format=".2f")
    )
    nominal = alt.Chart(pd.DataFrame({"level": [0.8]})).mark_rule(color="#888888", strokeDash=[2, 2]).encode(y="level:Q")
    return (
        alt.layer(nominal, lines, normal, marker, label)
        .add_params(*params)
        .properties(
            width=500, height=300,
            description=(
                "Illustrative power curves of the bootstrap test of an indirect effect, by sample "
                "size, one line per path size; the selected path size is bold with a dashed "
                "normal-theory curve, and the selected sample size is circled."
            ),
        )
    )


def power_expected(n: float, effect: float) -> pd.DataFrame:
    """What :func:`power_explorer` prints at a setting: the circled cell's stored
    simulated power and the closed-form normal-theory power.

    >>> power_expected(150, 0.2).columns.tolist()
    ['n', 'effect', 'power', 'power_joint']
    """
    for name, value in (("n", n), ("effect", effect)):
        slider = next(p for p in POWER_SLIDERS if p.name == name)
        v = validate.number(name, value, slider.lo, slider.hi)
        if not np.isclose(slider.values(), v).any():
            listed = ", ".join(f"{x:g}" for x in slider.values())
            raise ValueError(f"{name} must be one of the slider's values {listed}, got {value!r}")
    grid = stored_power_grid()
    row = grid[np.isclose(grid["n"], n) & np.isclose(grid["effect"], effect)]
    return pd.DataFrame({
        "n": [n], "effect": [effect], "power": row["power"].to_list(),
        "power_joint": [float(power_normal(n, effect))],
    })


#: The chapter's slider charts, for the book and the browser tests.
EXPLORERS: tuple[widgets.Explorer, ...] = (
    widgets.Explorer("estimate_explorer", "ipo", ESTIMATE_SLIDERS, estimate_explorer, estimate_expected,
                     "symbol", ("path",), live=estimate_live),
    widgets.Explorer("power_explorer", "ipo", POWER_SLIDERS, power_explorer, power_expected, "text", ("n", "effect")),
)
