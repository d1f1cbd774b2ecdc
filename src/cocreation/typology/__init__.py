"""Value types and capabilities in industrial AI: supplier, customer and AI provider.

The model behind the *typology* chapter. Its source (file ``001``, cited by title as
``industrialai_cocreation``; the copy names no authors or venue) finds four types of
co-created value (Table 3) and three themes of capabilities (Table 4), and states
which capabilities help to create which value (sections 4.2 and 5). This package

* reads those tables (``data/typology_*``) and turns the **stated links** into a
  capability-by-value matrix (:func:`~cocreation.typology.model.stated_matrix`);
* derives from it a documented **mapping matrix** of weights
  (:func:`~cocreation.typology.model.mapping_matrix`);
* scores an *illustrative* **co-creation readiness assessment**
  (:func:`~cocreation.typology.model.assess`): 1-5 ratings of the 16 capability items,
  optionally per stakeholder, give a 0-100 score for each value type and the
  capabilities to develop next, chosen by the paper's links and by which party the paper
  places each capability with (:func:`~cocreation.typology.model.holders`);
* reads the links backwards, from a value type to the capabilities its creation calls on
  (:func:`~cocreation.typology.model.capabilities_for`);
* builds the chapter's charts (:mod:`~cocreation.typology.figures`), its static and live
  explorers (:mod:`~cocreation.typology.explorers`) and the tables the page shows
  (:mod:`~cocreation.typology.tables`).

The mapping matrix and the scores are our construction, not measurements of the
paper: the paper states links in words and quantifies none of them.

Examples
--------
>>> from cocreation import typology
>>> result = typology.assess({"system_management": 5, "commercialisation": 1, "interpersonal": 1})
>>> result.combined.round(1).to_dict()
{'strategic_coplanning': 0.0, 'functional': 100.0, 'org_learning': 0.0, 'customer_experience': 100.0}
"""

from __future__ import annotations

from .explorers import EXPLORERS, READINESS_SLIDERS, item_sliders, readiness_explorer, readiness_grid, readiness_live
from .figures import assessment_chart, case_diagram, matrix_chart, stakeholder_chart
from .model import (
    COMBINE,
    RATING_MAX,
    RATING_MIN,
    STAKEHOLDER_LABELS,
    STAKEHOLDERS,
    STATUS_ITEM,
    STATUS_NONE,
    STATUS_THEME,
    Assessment,
    assess,
    capabilities_for,
    holders,
    items,
    mapping_matrix,
    readiness,
    stated_links,
    stated_matrix,
    themes,
    value_types,
)
from .tables import (
    develop_next,
    experience_summary,
    holders_table,
    quotes_for,
    speaker,
    synthesis_facts,
    theme_table,
    value_needs,
    value_table,
)

__all__ = [
    # model
    "STAKEHOLDERS",
    "STAKEHOLDER_LABELS",
    "RATING_MIN",
    "RATING_MAX",
    "COMBINE",
    "STATUS_ITEM",
    "STATUS_THEME",
    "STATUS_NONE",
    "Assessment",
    "items",
    "themes",
    "value_types",
    "stated_links",
    "stated_matrix",
    "mapping_matrix",
    "holders",
    "capabilities_for",
    "assess",
    "readiness",
    # tables
    "value_table",
    "synthesis_facts",
    "theme_table",
    "experience_summary",
    "speaker",
    "quotes_for",
    "holders_table",
    "value_needs",
    "develop_next",
    # figures
    "case_diagram",
    "matrix_chart",
    "stakeholder_chart",
    "assessment_chart",
    # explorers
    "READINESS_SLIDERS",
    "item_sliders",
    "readiness_grid",
    "readiness_explorer",
    "readiness_live",
    "EXPLORERS",
]
