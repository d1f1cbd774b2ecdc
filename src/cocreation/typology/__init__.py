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

from . import model, figures, explorers, tables
from .model import *  # noqa: F401,F403
from .figures import *  # noqa: F401,F403
from .explorers import *  # noqa: F401,F403
from .tables import *  # noqa: F401,F403

__all__ = [*model.__all__, *figures.__all__, *explorers.__all__, *tables.__all__]
