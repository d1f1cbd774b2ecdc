"""One model function, two explorers: Altair sliders for the static site, ipywidgets live.

A model function takes keyword parameters and returns a tidy
:class:`pandas.DataFrame`. A list of :class:`Param` declares each parameter's label,
domain, step and default. From those two things:

* :func:`grid` evaluates the model on every combination of slider values;
* :func:`static_explorer` binds Altair sliders to the grid, so the published page
  filters precomputed rows with no kernel;
* :func:`live_explorer` builds ipywidgets sliders with the same ranges that call the
  model again on each change (needs a running kernel).

Examples
--------
>>> import pandas as pd
>>> def model(a, b):
...     return pd.DataFrame({"item": ["sum", "product"], "value": [a + b, a * b]})
>>> params = [Param("a", "a", 0, 2, 1, 1), Param("b", "b", 0, 1, 0.5, 0.5)]
>>> g = grid(model, params)
>>> len(g)
18
>>> lookup(g, params, a=2, b=0.5)["value"].tolist()
[2.5, 1.0]
"""

from __future__ import annotations

import functools
import itertools
import math
import os
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from . import validate

__all__ = [
    "Param",
    "grid",
    "lookup",
    "static_explorer",
    "slider_params",
    "live_explorer",
    "LiveExplorer",
    "KERNEL_NOTE",
    "filter_expression",
    "kernel_only",
    "Explorer",
    "MAX_POINTS",
    "MAX_GRID",
    "grid_size",
]

#: Most grid points one slider may have ((hi - lo) / step + 1).
MAX_POINTS = 10_000
#: Most slider settings one grid may have (the product of the sliders' grid points):
#: every setting is one model call, and its rows are shipped inside the page.
MAX_GRID = 100_000

Model = Callable[..., pd.DataFrame]

KERNEL_NOTE = (
    "This live explorer needs a running Python kernel, which the published page does "
    "not have. Use the sliders of the static explorer above, or run this notebook "
    "locally or through the launch button at the top of the page."
)


@dataclass(frozen=True)
class Param:
    """A model parameter as a slider: name, label, domain [lo, hi], step and default.

    >>> Param("rho_p", "Platform margin ρp", 0.1, 2.0, 0.1, 1.0).values()[:3].tolist()
    [0.1, 0.2, 0.3]
    >>> Param("x", "x", 1, 0, 0.1, 0.5)
    Traceback (most recent call last):
    ...
    ValueError: Param 'x': lo must be below hi, got lo=1, hi=0
    """

    name: str
    label: str
    lo: float
    hi: float
    step: float
    default: float

    def __post_init__(self) -> None:
        name = validate.text("Param name", self.name)
        if not name.isidentifier():
            raise ValueError(f"Param name must be a Python identifier (it names a Vega parameter), got {name!r}")
        validate.text(f"Param {name!r}: label", self.label)
        lo = validate.number(f"Param {name!r}: lo", self.lo)
        hi = validate.number(f"Param {name!r}: hi", self.hi)
        if not lo < hi:
            raise ValueError(f"Param {name!r}: lo must be below hi, got lo={self.lo}, hi={self.hi}")
        step = validate.number(f"Param {name!r}: step", self.step, 0, lo_open=True)
        validate.number(f"Param {name!r}: default", self.default)
        validate.work(f"Param {name!r}: the number of grid points (hi - lo) / step + 1", (hi - lo) / step + 1, MAX_POINTS)
        n = (hi - lo) / step
        if abs(n - round(n)) > 1e-9:
            raise ValueError(f"Param {name!r}: step must divide [{self.lo}, {self.hi}]: {self.step} does not divide it")
        if not lo <= self.default <= hi or not self._on_grid(self.default):
            raise ValueError(
                f"Param {name!r}: default must be a grid point of [{self.lo}, {self.hi}] with step "
                f"{self.step}, got {self.default}"
            )

    @property
    def decimals(self) -> int:
        return max(0, -math.floor(math.log10(self.step)) + 2)

    def values(self) -> np.ndarray:
        """The slider's grid points, rounded so that they compare exactly."""
        n = int(round((self.hi - self.lo) / self.step))
        return np.round(self.lo + self.step * np.arange(n + 1), self.decimals)

    def _on_grid(self, value: float) -> bool:
        k = (value - self.lo) / self.step
        return abs(k - round(k)) < 1e-6

    def snap(self, value: float) -> float:
        """The grid point nearest ``value``; raises if ``value`` is outside the domain.

        >>> Param("a", "a", 0, 1, 0.5, 0.5).snap(0.7)
        0.5
        >>> Param("a", "a", 0, 1, 0.5, 0.5).snap("0.7")
        Traceback (most recent call last):
        ...
        ValueError: a must be a finite number in [0, 1], got '0.7' (a str)
        """
        # a slider may send its end points with a rounding error of 1e-12
        ok = validate._is_real(value) and math.isfinite(float(value)) and self.lo - 1e-12 <= float(value) <= self.hi + 1e-12
        if not ok:
            validate.number(self.name, value, self.lo, self.hi)  # raises, naming the domain
        value = float(value)
        k = round((value - self.lo) / self.step)
        return float(np.round(self.lo + k * self.step, self.decimals))


def _params(params: Any) -> tuple[Param, ...]:
    """``params`` as a tuple of :class:`Param` with distinct names (at least one)."""
    if not isinstance(params, (list, tuple)) or not params or not all(isinstance(p, Param) for p in params):
        raise ValueError(f"params must be a non-empty list or tuple of Param, got {params!r}")
    names = [p.name for p in params]
    if len(set(names)) < len(names):
        raise ValueError(f"params must have distinct names, got {names}")
    return tuple(params)


def grid_size(params: Sequence[Param]) -> int:
    """The number of slider settings of ``params`` (the product of their grid points).

    >>> grid_size([Param("a", "a", 0, 2, 1, 1), Param("b", "b", 0, 1, 0.5, 0.5)])
    9
    """
    return math.prod(len(p.values()) for p in _params(params))


def grid(model: Model, params: Sequence[Param], **fixed: Any) -> pd.DataFrame:
    """Evaluate ``model`` on every combination of the parameters' grid points.

    Returns the model's rows with one column per parameter added in front.
    Keep the product of grid sizes small: every row is shipped inside the page; it may
    be at most ``MAX_GRID`` settings.

    Raises
    ------
    ValueError
        If ``model`` is not callable, ``params`` are not :class:`Param`, a fixed
        keyword is also a slider, the grid has more than ``MAX_GRID`` settings or the
        model does not return a DataFrame.
    """
    validate.function("model", model)
    params = _params(params)
    names = [p.name for p in params]
    clash = [k for k in fixed if k in names]
    if clash:
        raise ValueError(f"fixed must not repeat a slider; {clash[0]!r} is both")
    validate.work("the grid of params (the product of their grid points)", grid_size(params), MAX_GRID)
    frames = []
    for combo in itertools.product(*(p.values() for p in params)):
        kwargs = dict(zip(names, (float(v) for v in combo)))
        rows = model(**kwargs, **fixed)
        if not isinstance(rows, pd.DataFrame):
            raise ValueError(f"model must return a DataFrame, got a {type(rows).__name__}")
        frames.append(rows.assign(**dict(zip(names, combo))))
    result = pd.concat(frames, ignore_index=True)
    return result[names + [c for c in result.columns if c not in names]]


def lookup(grid_frame: pd.DataFrame, params: Sequence[Param], **values: float) -> pd.DataFrame:
    """The grid rows at one slider setting (the static explorer's filter, in Python).

    Each value is snapped to its slider's nearest grid point; a slider not given takes
    its default. A keyword that names no slider is an error (not silently ignored).

    >>> import pandas as pd
    >>> params = [Param("a", "a", 0, 1, 0.5, 0.5)]
    >>> g = pd.DataFrame({"a": [0.0, 0.5, 1.0], "v": [1, 2, 3]})
    >>> lookup(g, params, a=1)["v"].tolist()
    [3]
    >>> lookup(g, params, aa=1)
    Traceback (most recent call last):
    ...
    ValueError: lookup got unknown parameter 'aa'; its parameters are 'a'
    """
    params = _params(params)
    validate.keywords("lookup", values, [p.name for p in params])
    validate.frame("grid_frame", grid_frame, [p.name for p in params])
    mask = np.ones(len(grid_frame), dtype=bool)
    for p in params:
        mask &= np.isclose(grid_frame[p.name].to_numpy(dtype=float), p.snap(values.get(p.name, p.default)))
    return grid_frame[mask].drop(columns=[p.name for p in params]).reset_index(drop=True)


def slider_params(params: Sequence[Param]) -> list[alt.Parameter]:
    """One Altair parameter per :class:`Param`, bound to a range slider."""
    params = _params(params)
    return [
        alt.param(
            name=p.name,
            value=p.default,
            bind=alt.binding_range(min=p.lo, max=p.hi, step=p.step, name=p.label + " "),
        )
        for p in params
    ]


def filter_expression(params: Sequence[Param]) -> str:
    """The Vega expression that keeps the grid rows matching every slider.

    >>> filter_expression([Param("a", "a", 0, 1, 0.5, 0.5)])
    'abs(datum.a - a) < 0.25'
    """
    return " && ".join(f"abs(datum.{p.name} - {p.name}) < {p.step / 2:g}" for p in _params(params))


def static_explorer(
    model: Model,
    params: Sequence[Param],
    draw: Callable[[alt.Chart], alt.TopLevelMixin],
    *,
    grid_frame: pd.DataFrame | None = None,
    **fixed: Any,
) -> alt.TopLevelMixin:
    """A chart with sliders that filters the precomputed :func:`grid` of ``model``.

    Parameters
    ----------
    model, params
        The model function and its slider declarations.
    draw
        Receives ``alt.Chart(grid).transform_filter(<sliders>)`` and adds marks and
        encodings; it must not add its own data.
    grid_frame
        A grid already computed with :func:`grid` (to reuse it for a download).
    """
    validate.function("draw", draw)
    params = _params(params)
    if grid_frame is not None:
        validate.frame("grid_frame", grid_frame, [p.name for p in params], min_rows=1)
    frame = grid_frame if grid_frame is not None else grid(model, params, **fixed)
    base = alt.Chart(frame).transform_filter(filter_expression(params))
    return draw(base).add_params(*slider_params(params))


@dataclass(frozen=True)
class Explorer:
    """A registry entry: one slider chart of a chapter, declared once in its package.

    The book shows ``chart()``; the browser tests move the chart's sliders to seeded
    settings, read the drawn marks of type ``marktype`` through the Vega view API and
    compare them with ``expected(**setting)``, whose ``key`` columns identify a mark and
    whose other columns are the values drawn. ``live`` (optional) builds the ipywidgets
    explorer of the same model.

    >>> import pandas as pd
    >>> e = Explorer("demo", "toy", (Param("a", "a", 0, 1, 0.5, 0.5),), lambda: None,
    ...              lambda a: pd.DataFrame({"k": ["x"], "v": [a]}), "text", ("k",))
    >>> e.slider_names, e.expected(a=1.0)["v"].tolist()
    (('a',), [1.0])
    """

    name: str
    chapter: str
    sliders: tuple[Param, ...]
    chart: Callable[[], Any]
    expected: Callable[..., pd.DataFrame]
    marktype: str
    key: tuple[str, ...]
    live: Callable[[], "LiveExplorer"] | None = None

    def __post_init__(self) -> None:
        validate.text("name", self.name)
        validate.text("chapter", self.chapter)
        if not isinstance(self.sliders, tuple):
            raise ValueError(f"sliders must be a tuple of Param, got {self.sliders!r}")
        _params(self.sliders)
        validate.function("chart", self.chart)
        validate.function("expected", self.expected)
        validate.text("marktype", self.marktype)
        if not isinstance(self.key, tuple):
            raise ValueError(f"key must be a tuple of column names, got {self.key!r}")
        validate.texts("key", self.key, empty=False)
        if self.live is not None:
            validate.function("live", self.live)

    @property
    def slider_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.sliders)


class LiveExplorer:
    """An ipywidgets explorer that also says, on a static page, that it needs a kernel.

    In Jupyter the widget is shown; the book's HTML build drops the widget view and
    shows ``KERNEL_NOTE`` instead.
    """

    def __init__(self, widget: Any, note: str = KERNEL_NOTE) -> None:
        validate.text("note", note)
        self.widget = widget
        self.note = note

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = {} if self.widget is None else self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = (
            '<div class="admonition note cocreation-kernel-note" role="note">'
            '<p class="admonition-title">Live explorer</p>'
            f"<p>{self.note}</p></div>"
        )
        bundle["text/plain"] = self.note
        return bundle


def kernel_only(build: Callable[..., LiveExplorer]) -> Callable[..., LiveExplorer]:
    """Make a live-explorer factory return only the note while the book is built.

    The published page cannot run the widgets, so the build (which sets
    ``COCREATION_BOOK_BUILD=1``) skips creating them and their kernel messages.

    >>> from unittest import mock
    >>> with mock.patch.dict("os.environ", {"COCREATION_BOOK_BUILD": "1"}):
    ...     kernel_only(lambda: 1 / 0)().widget is None
    True
    """

    validate.function("build", build)

    @functools.wraps(build)
    def factory(*args: Any, **kwargs: Any) -> LiveExplorer:
        if os.environ.get("COCREATION_BOOK_BUILD") == "1":
            return LiveExplorer(None)
        return build(*args, **kwargs)

    return factory


@kernel_only
def live_explorer(
    model: Model,
    params: Sequence[Param],
    show: Callable[[pd.DataFrame], Any],
    **fixed: Any,
) -> LiveExplorer:
    """ipywidgets sliders with the same ranges as :func:`static_explorer`.

    Each change calls ``model`` with the slider values and displays ``show(result)``
    (an Altair chart, a DataFrame, ...) in an output area below the sliders.
    """
    import ipywidgets as w
    from IPython.display import display

    validate.function("model", model)
    validate.function("show", show)
    params = _params(params)
    sliders = {
        p.name: w.FloatSlider(
            value=p.default, min=p.lo, max=p.hi, step=p.step, description=p.label,
            continuous_update=False, style={"description_width": "initial"},
            layout=w.Layout(width="420px"),
        )
        for p in params
    }
    out = w.Output()

    def redraw(*_: Any) -> None:
        with out:
            out.clear_output(wait=True)
            display(show(model(**{k: s.value for k, s in sliders.items()}, **fixed)))

    for s in sliders.values():
        s.observe(redraw, names="value")
    redraw()
    return LiveExplorer(w.VBox([*sliders.values(), out]))
