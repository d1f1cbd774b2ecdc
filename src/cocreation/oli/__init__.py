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

from . import model, model_runs, presets, figures, explorers, tables
from .model import *  # noqa: F401,F403
from .model_runs import *  # noqa: F401,F403
from .presets import *  # noqa: F401,F403
from .figures import *  # noqa: F401,F403
from .explorers import *  # noqa: F401,F403
from .tables import *  # noqa: F401,F403

__all__ = [*model.__all__, *model_runs.__all__, *presets.__all__, *figures.__all__, *explorers.__all__, *tables.__all__]
