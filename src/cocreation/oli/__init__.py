"""New OLI advantages on B2B cross-border e-commerce platforms (source 004).

Two kinds of content live here.

* **The paper's data** (Table 1 cases, Table A1 concepts and quotes, and our
  reconstruction of the Figure 1 data structure) and the charts that show it:
  :func:`~cocreation.oli.figures.structure_chart`,
  :func:`~cocreation.oli.figures.case_chart`.
* **An illustrative simulator** of how buyers move through the relationship stages
  (awareness → exploration → expansion → commitment) on the platform:
  :func:`~cocreation.oli.model.simulate` (one stochastic run),
  :func:`~cocreation.oli.model.expected_funnel` (its exact expectation),
  :func:`~cocreation.oli.model.funnel_totals` /
  :func:`~cocreation.oli.explorers.funnel_grid` (the precomputed grid the static page
  filters with sliders), the case presets :data:`~cocreation.oli.presets.PRESETS` (the
  table ``oli_presets``, with what each number is read from in
  :func:`~cocreation.oli.presets.grounds`), :func:`~cocreation.oli.model.renews` (the
  renewal decision at the end of the subscription), the firm-specific advantages of
  :func:`~cocreation.oli.model.drivers`, and the presets' sensitivity
  (:func:`~cocreation.oli.presets.one_at_a_time`,
  :func:`~cocreation.oli.presets.preset_sensitivity`). The paper measures none of the simulator's rates;
  the only scale anchor is Case B's report of about 2 million monthly views and almost
  90 requests for quotation.

The package is split by job: :mod:`~cocreation.oli.model` (the maths, no plotting),
:mod:`~cocreation.oli.model_runs` (many runs at once),
:mod:`~cocreation.oli.presets` (the case presets, the scale anchor and sensitivity),
:mod:`~cocreation.oli.tables` (the tables the page shows),
:mod:`~cocreation.oli.figures` (chart builders) and :mod:`~cocreation.oli.explorers`
(sliders, static and live explorers, and the registry
:data:`~cocreation.oli.explorers.EXPLORERS`). Every public name is re-exported here, so
``from cocreation import oli; oli.simulate(...)`` works.

Examples
--------
>>> run = simulate(0.6, 0.7, months=12, seed=1)
>>> sorted(run["stage"].unique()) == sorted(STAGES)
True
>>> exp = expected_funnel(0.6, 0.7, months=12)
>>> bool((exp.groupby("stage")["cumulative"].max() > 0).all())
True
"""

from __future__ import annotations

from .explorers import (
    EXPLORERS,
    FUNNEL_SLIDERS,
    SIMULATOR_SLIDERS,
    funnel_expected,
    funnel_explorer,
    funnel_grid,
    simulator_live,
    simulator_sliders,
)
from .figures import (
    advantages_chart,
    case_b_chart,
    case_chart,
    preset_chart,
    sensitivity_chart,
    simulator_chart,
    structure_chart,
)
from .model import (
    ADVANTAGES,
    STAGE_LABELS,
    STAGES,
    Disposition,
    Engagement,
    Rates,
    drivers,
    expected_funnel,
    funnel_totals,
    renewal_threshold,
    renewal_value,
    renews,
    simulate,
)
from .model_runs import MAX_RUN_MONTHS, simulate_many, simulator_run
from .presets import (
    CASES,
    PARAMETER_LABELS,
    PRESETS,
    UNCERTAIN,
    CasePreset,
    grounds,
    load_presets,
    one_at_a_time,
    parameter_ranges,
    preset_outcomes,
    preset_sensitivity,
    reported_anchor,
)
from .tables import (
    case_table,
    grounds_table,
    preset_table,
    quote_panel_rows,
    renewal_table,
    sensitivity_table,
    structure_tables,
    synthesis_facts,
)

__all__ = [
    # model
    "STAGES",
    "STAGE_LABELS",
    "ADVANTAGES",
    "Disposition",
    "Engagement",
    "Rates",
    "simulate",
    "expected_funnel",
    "drivers",
    "renewal_threshold",
    "renewal_value",
    "renews",
    "funnel_totals",
    "simulator_run",
    # many runs
    "MAX_RUN_MONTHS",
    "simulate_many",
    # presets
    "CASES",
    "CasePreset",
    "PRESETS",
    "load_presets",
    "grounds",
    "reported_anchor",
    "preset_outcomes",
    "UNCERTAIN",
    "PARAMETER_LABELS",
    "parameter_ranges",
    "one_at_a_time",
    "preset_sensitivity",
    # tables
    "case_table",
    "structure_tables",
    "quote_panel_rows",
    "preset_table",
    "grounds_table",
    "renewal_table",
    "sensitivity_table",
    "synthesis_facts",
    # figures
    "structure_chart",
    "case_chart",
    "case_b_chart",
    "preset_chart",
    "simulator_chart",
    "sensitivity_chart",
    "advantages_chart",
    # explorers
    "FUNNEL_SLIDERS",
    "funnel_grid",
    "funnel_explorer",
    "funnel_expected",
    "SIMULATOR_SLIDERS",
    "simulator_sliders",
    "simulator_live",
    "EXPLORERS",
]
