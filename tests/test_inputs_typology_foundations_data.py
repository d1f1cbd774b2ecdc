"""Bad input to typology, foundations and the data modules is refused by name (issue 21, item 2).

The same machinery as ``tests/test_inputs.py``: ``DOMAINS`` declares, for each public
function of ``cocreation.typology``, ``cocreation.foundations`` and the data modules
(``data``, ``catalogue``, ``registry``, ``provenance``) with a numeric parameter, that
parameter's domain. Hypothesis draws values inside it (Python and numpy scalars) and
outside it (below, above, NaN, ±inf, a numeric string, a bool, None, a non-integral
float for an integer) and checks that an outside value raises a ``ValueError`` naming
the parameter, and that an inside value gives no NaN or infinity. The data modules
take no numeric parameter; their other inputs (misspelt names, wrong types, missing
folders) are checked below with the rest.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from test_inputs import FAST, Real, _finite, check_refused_by_name

from cocreation import catalogue, data, foundations, provenance, registry, typology

THEMES = {"system_management": 3, "commercialisation": 3, "interpersonal": 3}
ASSESSMENT = typology.assess(THEMES)
MISSING = Path("/no/such/folder")
RATING = Real(typology.RATING_MIN, typology.RATING_MAX)
SIZE = Real(200, 4000, integer=True, sample=(200, 1200))


def _matrix(value: Any) -> pd.DataFrame:
    m = typology.mapping_matrix()
    m = m.astype(object)
    m.loc["ip_trust", "org_learning"] = value
    return m


#: (function, parameter, domain, call with the value). The parameter name is what the
#: error message must contain.
DOMAINS: list[tuple[str, str, Any, Callable[[Any], Any]]] = [
    # typology.model
    ("typology.mapping_matrix", "theme_weight", Real(0, 1e6, lo_open=True), lambda v: typology.mapping_matrix(theme_weight=v)),
    ("typology.mapping_matrix", "item_bonus", Real(0, 1e6), lambda v: typology.mapping_matrix(item_bonus=v)),
    ("typology.assess", "n_weakest", Real(0, 16, integer=True), lambda v: typology.assess(THEMES, n_weakest=v)),
    ("typology.assess", "ratings", RATING, lambda v: typology.assess({**THEMES, "ip_trust": v})),
    ("typology.assess", "ratings['customer']", RATING,
     lambda v: typology.assess({"supplier": THEMES, "customer": {**THEMES, "cb_rnd": v}}, combine="min")),
    ("typology.assess", "matrix", Real(0, 1e9), lambda v: typology.assess(THEMES, matrix=_matrix(v))),
    ("typology.capabilities_for", "matrix", Real(0, 1e9), lambda v: typology.capabilities_for("org_learning", _matrix(v))),
    ("typology.readiness", "system_management", RATING, lambda v: typology.readiness(v, 3, 3)),
    ("typology.readiness", "commercialisation", RATING, lambda v: typology.readiness(3, v, 3)),
    ("typology.readiness", "interpersonal", RATING, lambda v: typology.readiness(3, 3, v)),
    # typology.explorers and tables
    ("typology.item_sliders", "default", Real(1, 5, integer=True), lambda v: typology.item_sliders(v)),
    ("typology.readiness_live", "default", Real(1, 5, integer=True), lambda v: typology.readiness_live(v)),
    ("typology.develop_next", "n", Real(1, 16, integer=True), lambda v: typology.develop_next(ASSESSMENT, v)),
    # foundations
    ("foundations.framework_chart", "width", SIZE, lambda v: foundations.framework_chart(width=v)),
    ("foundations.framework_chart", "height", SIZE, lambda v: foundations.framework_chart(height=v)),
    ("foundations.scan_chart", "width", SIZE, lambda v: foundations.scan_chart(width=v)),
    ("foundations.selection_rate", "searched", Real(1, integer=True, sample=(1, 10**9)), lambda v: foundations.selection_rate(v, 0)),
    ("foundations.selection_rate", "selected", Real(0, 100, integer=True), lambda v: foundations.selection_rate(100, v)),
    ("foundations.ScanSummary", "searched", Real(0, integer=True, sample=(0, 10**6)),
     lambda v: foundations.ScanSummary({"CNKI": v, "Web of Science": 1}, 1, "2010-2021", "CiteSpace 5.7. R5")),
    ("foundations.ScanSummary", "selected", Real(0, 147, integer=True),
     lambda v: foundations.ScanSummary({"CNKI": 8, "Web of Science": 139}, v, "2010-2021", "CiteSpace 5.7. R5")),
]
SLOW = {"foundations.framework_chart", "typology.readiness_live", "typology.assess", "typology.capabilities_for"}
IDS = [f"{fn}-{param}" for fn, param, _, _ in DOMAINS]


def _no_nan(result: Any) -> None:
    """``_finite`` of test_inputs, and pandas Series (an Assessment holds some)."""
    if isinstance(result, typology.Assessment):
        _finite(result.scores)
        _finite(result.priorities)
        for series in (result.combined, result.item_ratings):
            assert np.isfinite(series.to_numpy(dtype=float)).all(), series
        return
    if isinstance(result, foundations.ScanSummary):
        assert 0 <= result.rate <= 1
        return
    _finite(result)


@pytest.mark.parametrize("function, parameter, domain, call", DOMAINS, ids=IDS)
def test_out_of_domain_values_are_refused_by_name(function, parameter, domain, call):
    check_refused_by_name(function, parameter, domain, call)


@pytest.mark.parametrize("function, parameter, domain, call", DOMAINS, ids=IDS)
def test_in_domain_values_give_finite_results(function, parameter, domain, call):
    @settings(FAST, max_examples=2 if function in SLOW else 6)
    @given(value=domain.good())
    def check(value):
        _no_nan(call(value))

    check()


def test_every_public_function_with_a_numeric_parameter_is_declared():
    """Every public callable of these modules whose signature has a parameter annotated
    int or float is in DOMAINS, so a new one cannot be left out."""
    declared = {fn for fn, _, _, _ in DOMAINS}
    modules = {"typology": typology, "foundations": foundations, "data": data, "catalogue": catalogue,
               "registry": registry, "provenance": provenance}
    missing = []
    for prefix, module in modules.items():
        for name in module.__all__:
            obj = getattr(module, name)
            if not callable(obj):
                continue
            try:
                sig = inspect.signature(obj)
            except (TypeError, ValueError):
                continue
            numeric = [p for p in sig.parameters.values() if p.name not in ("self", "cls")
                       and any(t in str(p.annotation) for t in ("int", "float"))]
            if numeric and f"{prefix}.{name}" not in declared:
                missing.append(f"{prefix}.{name}")
    assert missing == [], missing
    # assess's numeric inputs are inside mappings (ratings, matrix), so are declared by hand
    assert {"typology.assess", "typology.readiness", "foundations.selection_rate"} <= declared


# --- numpy scalars accepted, numeric strings refused: one rule ---------------------------


def test_numpy_scalars_are_accepted_like_python_numbers():
    assert typology.assess(THEMES, n_weakest=np.int64(2)).weakest == typology.assess(THEMES, n_weakest=2).weakest
    assert foundations.selection_rate(np.int64(200), np.int32(50)) == foundations.selection_rate(200, 50) == 0.25
    pd.testing.assert_frame_equal(typology.readiness(np.float32(2), np.int8(3), np.float64(4)), typology.readiness(2, 3, 4))
    pd.testing.assert_frame_equal(typology.mapping_matrix(np.float64(2), np.int64(0)), typology.mapping_matrix(2, 0))
    assert len(typology.develop_next(ASSESSMENT, np.uint8(4))) == 4
    assert [p.default for p in typology.item_sliders(np.int16(2))] == [2] * 16
    s = foundations.ScanSummary({"CNKI": np.int64(8), "Web of Science": 139}, np.int64(45), "2010-2021", "CiteSpace 5.7. R5")
    assert s == foundations.scan_summary() and type(s.searched["CNKI"]) is int and type(s.selected) is int
    assert foundations.scan_chart(np.int64(500)).to_dict()["width"] == 500


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: typology.assess(THEMES, n_weakest="2"), "n_weakest"),
        (lambda: typology.assess({**THEMES, "ip_trust": "3"}), "ratings"),
        (lambda: typology.readiness("2", 3, 3), "system_management"),
        (lambda: typology.mapping_matrix("1"), "theme_weight"),
        (lambda: typology.develop_next(ASSESSMENT, "3"), "n"),
        (lambda: typology.item_sliders("3"), "default"),
        (lambda: foundations.selection_rate("200", 50), "searched"),
        (lambda: foundations.selection_rate(200, "50"), "selected"),
        (lambda: foundations.scan_chart("400"), "width"),
        (lambda: foundations.ScanSummary({"CNKI": "8"}, 1, "p", "t"), "searched"),
    ],
)
def test_numeric_strings_are_refused_everywhere(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- the other inputs: misspelt choices, wrong types, missing folders ---------------------


def _first_concept() -> str:
    return foundations.concepts()["id"].iloc[0]


@pytest.mark.parametrize(
    "call, name",
    [
        # typology
        (lambda: typology.stated_links("items"), "level"),
        (lambda: typology.capabilities_for("trust"), "value_type"),
        (lambda: typology.capabilities_for("functional", matrix="weights"), "matrix"),
        (lambda: typology.assess(THEMES, combine="median"), "combine"),
        (lambda: typology.assess(THEMES, combine=None), "combine"),
        (lambda: typology.assess(THEMES, aim=["trust"]), "aim"),
        (lambda: typology.assess(THEMES, aim=[]), "aim"),
        (lambda: typology.assess(THEMES, matrix=typology.mapping_matrix().iloc[:5]), "matrix"),
        (lambda: typology.assess(THEMES, matrix=typology.mapping_matrix() * 0), "matrix"),
        (lambda: typology.assess({"suplier": THEMES}), "stakeholder in ratings"),
        (lambda: typology.assess({**THEMES, "ip_trus": 3}), "capability name in ratings"),
        (lambda: typology.assess({"system_management": 3}), "ratings"),
        (lambda: typology.assess([3, 3, 3]), "ratings"),
        (lambda: typology.assess({}), "ratings"),
        (lambda: typology.assess({"supplier": THEMES, "ip_trust": 3}), "ratings"),
        (lambda: typology.assess({"supplier": {}}), "ratings['supplier'] must be a non-empty mapping"),
        (lambda: typology.assess({"supplier": THEMES, "customer": {}}), "ratings['customer'] must be a non-empty mapping"),
        (lambda: typology.develop_next("assessment"), "result"),
        (lambda: typology.assessment_chart(None), "result"),
        (lambda: typology.value_needs("trust"), "value_type"),
        (lambda: typology.speaker(3), "role_code"),
        (lambda: typology.quotes_for(value_type="economic"), "value_type"),
        (lambda: typology.quotes_for(theme="hard_skills"), "theme"),
        (lambda: typology.readiness_live(combine="max"), "combine"),
        # foundations
        (lambda: foundations.concepts_of_kind("drivers"), "kind"),
        (lambda: foundations.reachable("no_such_concept"), "concept_id"),
        (lambda: foundations.reachable(_first_concept(), "sideways"), "direction"),
        (lambda: foundations.reachable(_first_concept(), exclude=["drive"]), "exclude"),
        (lambda: foundations.reachable(_first_concept(), add=[("rdt", "nowhere")]), "to_id in add"),
        (lambda: foundations.reachable(_first_concept(), add=[("rdt",)]), "add"),
        (lambda: foundations.reachable(_first_concept(), add=[("rdt", "sdl")] * 101), "add"),
        (lambda: foundations.ScanSummary({}, 0, "p", "t"), "searched"),
        (lambda: foundations.ScanSummary({"CNKI": 0}, 0, "p", "t"), "total of searched"),
        (lambda: foundations.ScanSummary({3: 8}, 1, "p", "t"), "database name in searched"),
        (lambda: foundations.ScanSummary({"CNKI": 8}, 1, "", "t"), "period"),
        (lambda: foundations.ScanSummary({"CNKI": 8}, 1, "p", None), "tool"),
        # data
        (lambda: data.tables(MISSING), "folder"),
        (lambda: data.tables(str(MISSING)), "folder"),
        (lambda: data.tables(3), "folder"),
        (lambda: data.tables(""), "folder"),
        (lambda: data.schema("no_such_table"), "unknown table 'no_such_table'"),
        (lambda: data.schema(3), "name"),
        (lambda: data.load("sourcse"), "unknown table 'sourcse'"),
        (lambda: data.load("../data/sources"), "name"),
        (lambda: data.load(None), "name"),
        (lambda: data.load("sources", MISSING), "folder"),
        (lambda: data.validate_file(MISSING / "sources.csv", data.schema("sources")), "path"),
        (lambda: data.validate_file(data.data_dir() / "sources.csv", "sources"), "spec"),
        (lambda: data.citation_key("999"), "source_id"),
        (lambda: data.citation_key(3), "source_id"),
        (lambda: data.source_label(None), "source_id"),
        (lambda: data.readme(MISSING), "folder"),
        (lambda: data.datapackage(MISSING), "folder"),
        (lambda: catalogue.readme(MISSING), "folder"),
        (lambda: catalogue.datapackage(3), "folder"),
        # registry
        (lambda: registry.chapter("typologie"), "chapter_id"),
        (lambda: registry.chapter(3), "chapter_id"),
        (lambda: registry.module("nope"), "chapter_id"),
        (lambda: registry.explorers("nope"), "chapter_id"),
        (lambda: registry.tables_of(None), "chapter_id"),
        # provenance
        (lambda: provenance.normalise(3), "text"),
        (lambda: provenance.fold(None), "text"),
        (lambda: provenance.quote_problems(3, "source"), "quote"),
        (lambda: provenance.quote_problems("quote", None), "source_text"),
        (lambda: provenance.figure_problems(45, "Table 1", "source"), "figure"),
        (lambda: provenance.figure_problems("45", "", "source"), "locator"),
        (lambda: provenance.figure_problems("45", "Table 1", b"source"), "source_text"),
        (lambda: provenance.check_table("no_such_table", {}), "no_such_table"),
        (lambda: provenance.check_table("typology_quotes", "texts"), "texts"),
        (lambda: provenance.source_texts(MISSING), "folder"),
        (lambda: provenance.source_texts(3), "folder"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_other_inputs_are_refused_by_name(call, name):
    with pytest.raises(ValueError) as err:
        call()
    assert name in str(err.value), str(err.value)


def test_data_errors_are_value_errors():
    # one rule for callers: every refusal, data or parameter, is a ValueError
    assert issubclass(data.DataError, ValueError)
