"""The readiness explorers: slider declarations, the static and the live explorer, the registry.

The three theme sliders (:data:`READINESS_SLIDERS`) drive the static explorer, which
filters a precomputed grid of :func:`~cocreation.typology.model.readiness` in the page.
The live explorer (:func:`readiness_live`, needs a kernel) rates each item separately
for each stakeholder, on sliders declared from the same theme sliders
(:func:`item_sliders`). ``EXPLORERS`` registers the static explorer once: its sliders,
its chart, the bars it draws at a setting and its live counterpart, for the book and the
browser tests.

Examples
--------
>>> [e.name for e in EXPLORERS]
['readiness']
>>> EXPLORERS[0].expected(system_management=5, commercialisation=3, interpersonal=1)["score"].tolist()
[25.0, 100.0, 25.0, 100.0]
"""

from __future__ import annotations

from typing import Any, Literal

import altair as alt
import pandas as pd

from cocreation import validate, widgets

from .figures import _value_colour, assessment_chart
from .model import (
    COMBINE,
    RATING_MAX,
    RATING_MIN,
    STAKEHOLDER_LABELS,
    STAKEHOLDERS,
    assess,
    items,
    readiness,
    themes,
    value_types,
)

__all__ = ["READINESS_SLIDERS", "item_sliders", "readiness_grid", "readiness_explorer", "readiness_live", "EXPLORERS"]

#: The three theme sliders of the static readiness explorer (ratings 1-5, step 1).
READINESS_SLIDERS: tuple[widgets.Param, ...] = (
    widgets.Param("system_management", "System management", 1, 5, 1, 3),
    widgets.Param("commercialisation", "Commercialisation-based", 1, 5, 1, 3),
    widgets.Param("interpersonal", "Interpersonal", 1, 5, 1, 3),
)


def item_sliders(default: int = 3) -> tuple[widgets.Param, ...]:
    """One slider per capability item (Table 4 order), on its theme slider's domain and step.

    Parameters
    ----------
    default
        Starting rating of every item, an integer from 1 to 5.

    Examples
    --------
    >>> sliders = item_sliders(default=2)
    >>> len(sliders), sliders[0].name, (sliders[0].lo, sliders[0].hi, sliders[0].step, sliders[0].default)
    (16, 'sm_integration', (1, 5, 1, 2))
    >>> item_sliders(default=0)
    Traceback (most recent call last):
    ...
    ValueError: default must be an integer in [1, 5], got 0
    """
    default = validate.integer("default", default, RATING_MIN, RATING_MAX)
    theme_slider = {p.name: p for p in READINESS_SLIDERS}
    return tuple(
        widgets.Param(row["id"], row["item"], theme_slider[row["theme"]].lo, theme_slider[row["theme"]].hi,
                      theme_slider[row["theme"]].step, default)
        for _, row in items().iterrows()
    )


def readiness_grid() -> pd.DataFrame:
    """:func:`~cocreation.typology.model.readiness` on every combination of the three theme sliders (500 rows).

    >>> readiness_grid().shape
    (500, 6)
    """
    return widgets.grid(readiness, READINESS_SLIDERS)


def readiness_explorer() -> alt.TopLevelMixin:
    """Static explorer: three theme sliders (1-5) that move the value-type bars.

    Filters :func:`readiness_grid` in the page, so the bars equal
    :func:`~cocreation.typology.model.readiness` (and
    :func:`~cocreation.typology.model.assess`) at every slider setting.

    Examples
    --------
    >>> spec = readiness_explorer().to_dict()
    >>> [(p["name"], p["bind"]["min"], p["bind"]["max"]) for p in spec["params"]]
    [('system_management', 1, 5), ('commercialisation', 1, 5), ('interpersonal', 1, 5)]
    """
    order = value_types()["name"].tolist()

    def draw(base: alt.Chart) -> alt.LayerChart:
        bars = base.mark_bar().encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("score:Q", title="Illustrative readiness score (0-100)", scale=alt.Scale(domain=[0, 100])),
            color=_value_colour(),
            tooltip=[alt.Tooltip("label:N", title="Value type"), alt.Tooltip("score:Q", format=".1f", title="Score")],
        )
        labels = base.mark_text(align="left", dx=4).encode(
            y=alt.Y("label:N", sort=order), x="score:Q", text=alt.Text("score:Q", format=".0f")
        )
        return alt.layer(bars, labels).properties(
            width=300,
            padding={"left": 8, "top": 8, "bottom": 8, "right": 36},
            height=alt.Step(34),
            description="Bar chart of four value-type scores (0-100) that follow three sliders rating the capability themes from 1 to 5.",
        )

    return widgets.static_explorer(readiness, READINESS_SLIDERS, draw, grid_frame=readiness_grid())


def _control(stakeholder: str, item: str) -> str:
    """The keyword under which the live explorer passes one stakeholder's item slider."""
    return f"{stakeholder}__{item}"


def _show_readiness(result: Any, names: pd.Series) -> None:
    """Display an assessment in the live explorer: the chart, then the items to develop next."""
    import ipywidgets as w
    from IPython.display import display

    display(assessment_chart(result))
    best = result.priorities.drop_duplicates("item").set_index("item")
    who = {"all": "all parties", **STAKEHOLDER_LABELS}
    display(w.HTML("Develop next: " + "; ".join(f"{names[i]} ({who[best.loc[i, 'party']]})" for i in result.weakest)))


@widgets.kernel_only
def readiness_live(default: int = 3, combine: Literal["mean", "min"] = "mean") -> widgets.LiveExplorer:
    """Live explorer (needs a kernel): the :func:`item_sliders` of each stakeholder in a tab.

    Built on ``ipywidgets.interactive_output``: each change re-runs
    :func:`~cocreation.typology.model.assess` on all 48 ratings and redraws
    :func:`~cocreation.typology.figures.assessment_chart` with the capabilities to develop
    next, and the party to develop each, listed below it.

    Parameters
    ----------
    default
        Starting rating of every slider, an integer from 1 to 5.
    combine
        Passed to :func:`~cocreation.typology.model.assess`.
    """
    sliders = item_sliders(default)
    validate.choice("combine", combine, COMBINE)
    import ipywidgets as w

    it = items()
    theme_of = it.set_index("id")["theme"]
    theme_name = themes().set_index("id")["name"]
    controls: dict[str, Any] = {}
    pages = []
    for s in STAKEHOLDERS:
        children: list[Any] = []
        for theme in dict.fromkeys(theme_of):
            children.append(w.HTML(f"<b>{theme_name[theme]}</b>"))
            for p in sliders:
                if theme_of[p.name] != theme:
                    continue
                slider = w.IntSlider(
                    value=int(p.default), min=int(p.lo), max=int(p.hi), step=int(p.step), description=p.label,
                    continuous_update=False, style={"description_width": "330px"}, layout=w.Layout(width="560px"),
                )
                controls[_control(s, p.name)] = slider
                children.append(slider)
        pages.append(w.VBox(children))
    tabs = w.Tab(children=pages, titles=[STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS])
    names = it.set_index("id")["item"]

    def show(**values: int) -> None:
        ratings = {s: {p.name: int(values[_control(s, p.name)]) for p in sliders} for s in STAKEHOLDERS}
        _show_readiness(assess(ratings, combine=combine), names)

    return widgets.LiveExplorer(w.VBox([tabs, w.interactive_output(show, controls)]))


def _readiness_expected(**setting: float) -> pd.DataFrame:
    """The bars the static explorer draws at a slider setting: value-type label and score."""
    return readiness(**setting)[["label", "score"]]


# The chapter's slider charts, for the book and the browser tests (no ``#:`` doc comment:
# the API page would print the functions' memory addresses as its value).
EXPLORERS: tuple[widgets.Explorer, ...] = (
    widgets.Explorer(
        name="readiness",
        chapter="typology",
        sliders=READINESS_SLIDERS,
        chart=readiness_explorer,
        expected=_readiness_expected,
        marktype="text",
        key=("label",),
        live=readiness_live,
    ),
)
