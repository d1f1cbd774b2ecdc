"""The static and the live explorer are built from one model and one parameter spec."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cocreation import widgets
from cocreation.widgets import Param


def model(a: float, b: float) -> pd.DataFrame:
    return pd.DataFrame({"item": ["sum", "product"], "value": [a + b, a * b]})


PARAMS = [Param("a", "a", 0.0, 2.0, 0.5, 1.0), Param("b", "b", -1.0, 1.0, 0.1, 0.0)]


def test_param_rejects_bad_domains():
    with pytest.raises(ValueError, match="lo must be below hi"):
        Param("x", "x", 1, 1, 0.1, 1)
    with pytest.raises(ValueError, match="step"):
        Param("x", "x", 0, 1, 0, 0)
    with pytest.raises(ValueError, match="does not divide"):
        Param("x", "x", 0, 1, 0.3, 0.3)
    with pytest.raises(ValueError, match="default"):
        Param("x", "x", 0, 1, 0.1, 0.05)
    with pytest.raises(ValueError, match=r"x must be a finite number in \[0, 1\]"):
        Param("x", "x", 0, 1, 0.1, 0.5).snap(1.5)


def test_values_span_the_domain_on_the_step():
    for p in PARAMS:
        v = p.values()
        assert v[0] == p.lo and v[-1] == p.hi
        assert np.allclose(np.diff(v), p.step)


def test_grid_has_every_combination_once():
    g = widgets.grid(model, PARAMS)
    assert len(g) == 5 * 21 * 2
    assert not g.duplicated(["a", "b", "item"]).any()


@settings(max_examples=60, deadline=None)
@given(i=st.integers(0, 4), j=st.integers(0, 20))
def test_lookup_equals_a_direct_model_call(i, j):
    g = widgets.grid(model, PARAMS)
    a, b = PARAMS[0].values()[i], PARAMS[1].values()[j]
    pd.testing.assert_frame_equal(widgets.lookup(g, PARAMS, a=a, b=b), model(a, b), check_dtype=False)


def _vega_filter(row: dict, expr: str, setting: dict) -> bool:
    """Evaluate the generated Vega filter expression in Python for one row."""
    py = expr.replace("&&", "and").replace("datum.", "row_")
    env = {f"row_{k}": v for k, v in row.items()} | setting | {"abs": abs}
    return bool(eval(py, {"__builtins__": {}}, env))  # noqa: S307 - our own expression


@pytest.mark.parametrize("setting", [{"a": 0.0, "b": -1.0}, {"a": 1.5, "b": 0.3}, {"a": 2.0, "b": 1.0}])
def test_static_filter_selects_the_same_rows_as_lookup(setting):
    g = widgets.grid(model, PARAMS)
    expr = widgets.filter_expression(PARAMS)
    kept = g[[_vega_filter(r, expr, setting) for r in g.to_dict(orient="records")]]
    pd.testing.assert_frame_equal(
        kept.drop(columns=["a", "b"]).reset_index(drop=True), model(**setting), check_dtype=False
    )


def test_static_explorer_binds_one_slider_per_param_with_the_same_range():
    chart = widgets.static_explorer(model, PARAMS, lambda base: base.mark_bar().encode(x="item:N", y="value:Q"))
    spec = chart.to_dict()
    binds = {p["name"]: p["bind"] for p in spec["params"]}
    for p in PARAMS:
        assert binds[p.name] == {"input": "range", "min": p.lo, "max": p.hi, "step": p.step, "name": p.label + " "}
        assert next(q for q in spec["params"] if q["name"] == p.name)["value"] == p.default
    assert spec["transform"] == [{"filter": widgets.filter_expression(PARAMS)}]


def test_live_explorer_uses_the_same_ranges_and_model():
    shown = []
    live = widgets.live_explorer(model, PARAMS, lambda df: shown.append(df) or df)
    sliders = live.widget.children[: len(PARAMS)]
    for s, p in zip(sliders, PARAMS):
        assert (s.min, s.max, s.step, s.value) == (p.lo, p.hi, p.step, p.default)
    sliders[0].value = 2.0
    pd.testing.assert_frame_equal(shown[-1], model(2.0, 0.0))


def test_live_explorer_says_it_needs_a_kernel_on_a_static_page():
    live = widgets.live_explorer(model, PARAMS, lambda df: df)
    bundle = live._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "needs a running Python kernel" in bundle["text/html"]
