"""Input → Process → Outcome: platform capabilities, multi-actor co-creation and B2B e-WOM.

The chapter on Liu et al. (2025), a single case study of Haier's COSMOPlat. Two parts:

*The framework* (from ``data/ipo_*``): three digital platform capabilities, each aimed
at one actor (ecological → focal firm, coordination → complementors, innovation →
users), each activating one component of multi-actor value co-creation
(intrapreneurship, complementor support, users' reciprocal participation), which in
turn spreads e-WOM in B2B markets.
:func:`~cocreation.ipo.figures.framework_chart` draws it from the tables.

*The mediation lab* (illustrative, synthetic): the paper is qualitative, so nothing
here is estimated from its data. :func:`~cocreation.ipo.model.simulate_survey` draws
survey data from a linear path model with the paper's three chains (or any number of
chains); :func:`~cocreation.ipo.model.estimate_mediation` estimates each indirect
effect a·b with a vectorised percentile bootstrap;
:func:`~cocreation.ipo.power.power_curve` gives the chance of detecting an indirect
effect.

The model of the lab (all variables standardised latent scores)::

    X = (X1, X2, X3) ~ N(0, R),  R has 1 on the diagonal and rho elsewhere
    Mk = a_k Xk + sqrt(1 - a_k**2) eps_k                (k = 1, 2, 3)
    Y  = sum_k b_k Mk + sum_k c_k Xk + noise * eps_Y

with X the capabilities (ecological, coordination, innovation), M the co-creation
components and Y e-WOM. The indirect effect of capability k is a_k·b_k.

The chapter is split by job: :mod:`~cocreation.ipo.model` (the maths, no plotting)
and :mod:`~cocreation.ipo.power` (the power of its test), :mod:`~cocreation.ipo.figures` (chart builders), :mod:`~cocreation.ipo.explorers`
(sliders, static and live explorers, the registry ``EXPLORERS``) and
:mod:`~cocreation.ipo.tables` (the page's tables). Every public name is importable
from ``cocreation.ipo``.

Examples
--------
>>> df = simulate_survey(400, Effects.uniform(0.4), seed=1)
>>> res = estimate_mediation(df, n_boot=200, seed=1)
>>> res.table["path"].tolist()
['focal_firm', 'complementors', 'users']
"""

from __future__ import annotations

from . import explorers, figures, model, power, tables
from .explorers import *  # noqa: F401,F403
from .figures import *  # noqa: F401,F403
from .model import *  # noqa: F401,F403
from .power import *  # noqa: F401,F403
from .tables import *  # noqa: F401,F403

__all__ = [*model.__all__, *power.__all__, *figures.__all__, *explorers.__all__, *tables.__all__]
