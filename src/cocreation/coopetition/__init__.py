"""A Stackelberg game of cooperative advertising between a platform and a participant.

This is the book's own model, built in the cooperative-advertising tradition
(Berger 1972; Huang & Li 2001; Xie & Wei 2009; SeyedEsfahani, Biazaran & Gharakhani
2011) to examine the claims of the abstract of Zhang et al. (2021). It is not that
paper's model: the source copy holds only the abstract.

A platform and a participant firm sell through the platform. Who moves first depends
on the scenario: the platform leads in P (it commits to its support rate before the
participant spends), the participant commits first in S, both commit at once in B.
Moving first matters here only as a commitment to a support rate, because the spends
do not interact; bargaining power in R is a separate, exogenous parameter ``power``.
Demand is ``D = alpha + k_p*A**theta + k_s*a**theta``, where ``A`` and ``a`` are the
platform's and the participant's advertising spends and ``theta`` in (0, 1) the
curvature of the response (0.5, the square root, by default). The platform earns the
unit margin ``rho_p`` (its commission), the participant ``rho_s``.

Scenarios
---------
- ``"N"``: no cooperation, each party pays for its own advertising.
- ``"P"``: the platform pays a share ``t`` of the participant's advertising.
- ``"S"``: the participant pays a share ``s`` of the platform's advertising.
- ``"B"``: mutual support, both commit to their rates, then both spend; each party
  gets its N profit plus its gains from P and from S (the payoffs are separable).
- ``"R"``: profit sharing, cost sharing at the coordinating rates (which split the
  joint profit in proportion to the margins) plus a fixed side payment that gives the
  platform the share ``phi`` of the joint profit; by default each party gets at least
  its B profit.
- ``"C"``: centralised benchmark, spends maximise the joint profit.

:func:`~cocreation.coopetition.model.solve` uses the closed forms (vectorised over
numpy arrays in :class:`~cocreation.coopetition.model.Params`);
:func:`~cocreation.coopetition.numeric.solve_numeric` solves the same game by nested
numerical optimisation with scipy and never calls the closed forms;
:func:`~cocreation.coopetition.symbolic.derive` does the backward induction with sympy.

Modules
-------
- :mod:`~cocreation.coopetition.model`: parameters, closed forms, scenario table (numpy).
- :mod:`~cocreation.coopetition.numeric`: the independent numerical solution (scipy).
- :mod:`~cocreation.coopetition.symbolic`: sympy's derivation and the Vega expressions.
- :mod:`~cocreation.coopetition.figures`: the static charts.
- :mod:`~cocreation.coopetition.explorers`: sliders, static and live explorers, registry.
- :mod:`~cocreation.coopetition.tables`: the tables the page shows.

Examples
--------
>>> p = Params(alpha=1.0, k_p=1.0, k_s=1.0, rho_p=1.0, rho_s=0.5)
>>> eq = solve(p, "P")
>>> round(float(eq.t), 4)           # (1 - 0.5*0.5) / (1 + 0.5*0.5) at theta = 0.5
0.6
>>> round(float(solve(p, "R", power=0.5).total), 4) == round(float(solve(p, "C").total), 4)
True
"""

from __future__ import annotations

from . import model, numeric, symbolic, figures, explorers, tables
from .model import *  # noqa: F401,F403
from .numeric import *  # noqa: F401,F403
from .symbolic import *  # noqa: F401,F403
from .figures import *  # noqa: F401,F403
from .explorers import *  # noqa: F401,F403
from .tables import *  # noqa: F401,F403

__all__ = [*model.__all__, *numeric.__all__, *symbolic.__all__, *figures.__all__, *explorers.__all__, *tables.__all__]
