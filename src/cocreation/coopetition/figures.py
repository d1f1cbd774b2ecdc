"""The coopetition chapter's static charts: profits by scenario and the split of the gain.

Each builder returns an Altair chart and never displays it. The slider explorer is in
:mod:`cocreation.coopetition.explorers`.

Examples
--------
>>> from cocreation.coopetition.model import scenario_table
>>> profit_chart(scenario_table()).to_dict()["encoding"]["x"]["field"]
'scenario'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .. import charts, validate
from .model import SCENARIO_LABELS, SCENARIOS, Params, solve

__all__ = ["profit_chart", "share_chart"]

#: The columns of :func:`~cocreation.coopetition.model.scenario_table` that
#: :func:`profit_chart` draws.
_PROFIT_COLUMNS = ("scenario", "profit_platform", "profit_participant", "total")


def profit_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars of each party's profit by scenario, from
    :func:`~cocreation.coopetition.model.scenario_table`.

    >>> from cocreation.coopetition.model import scenario_table
    >>> profit_chart(scenario_table()).to_dict()["mark"]["type"]
    'bar'
    >>> profit_chart(scenario_table().drop(columns="total"))
    Traceback (most recent call last):
    ...
    ValueError: frame must be a table of scenario_table with the columns ...; missing total
    """
    missing = [c for c in _PROFIT_COLUMNS if not isinstance(frame, pd.DataFrame) or c not in frame.columns]
    if missing:
        raise ValueError(f"frame must be a table of scenario_table with the columns {', '.join(_PROFIT_COLUMNS)}; "
                         f"missing {', '.join(missing)}")
    long = frame.melt(id_vars=["scenario"], value_vars=["profit_platform", "profit_participant", "total"],
                      var_name="measure", value_name="profit")
    long["measure"] = long["measure"].map({"profit_platform": "platform", "profit_participant": "participant",
                                           "total": "joint"})
    return (
        alt.Chart(long, description="Grouped bars of the platform's, the participant's and the joint "
                                    "profit in each scenario.")
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=list(SCENARIOS), title="Scenario", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=["platform", "participant", "joint"]),
            y=alt.Y("profit:Q", title="Profit"),
            color=alt.Color("measure:N", sort=["platform", "participant", "joint"],
                            scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[7]]),
                            legend=alt.Legend(title=None, orient="bottom")),
            tooltip=["scenario:N", "measure:N", alt.Tooltip("profit:Q", format=".3f")],
        )
        .properties(width=420, height=260)
    )


def share_chart(lo: float = 0.25, hi: float = 4.0, n: int = 121, theta: float = 0.5) -> alt.LayerChart:
    """The platform's share of the gain over N in P and S against rho_p / rho_s.

    Parameters
    ----------
    lo, hi
        The range of the margin ratio, 0 < ``lo`` < ``hi`` (within the margins' domain).
    n
        The number of ratios (geometrically spaced), 2 to 100,000.
    theta
        The response curvature, in (0, 1); 0.5 is the square root.

    >>> len(share_chart().to_dict()["layer"])
    2
    """
    lo = validate.number("lo", lo, 0, lo_open=True)
    hi = validate.number("hi", hi, lo, lo_open=True)
    n = validate.integer("n", n, 2, 100_000)
    theta = validate.number("theta", theta, 0, 1, lo_open=True, hi_open=True)
    ratio = np.geomspace(lo, hi, n)
    p = Params(rho_p=ratio, rho_s=np.ones_like(ratio), theta=theta)
    base = solve(p, "N")
    rows = []
    for sc in ("P", "S"):
        e = solve(p, sc)
        gp, gs = e.profit_platform - base.profit_platform, e.profit_participant - base.profit_participant
        active = gp + gs > 1e-12
        rows.append(pd.DataFrame({"ratio": ratio[active], "share": (gp / np.where(active, gp + gs, 1))[active],
                                  "scenario": SCENARIO_LABELS[sc]}))
    frame = pd.concat(rows, ignore_index=True)
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("ratio:Q", scale=alt.Scale(type="log", domain=[lo, hi]), title="Margin ratio ρp / ρs"),
            y=alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]), title="Platform's share of the gain",
                    axis=alt.Axis(format="%")),
            color=alt.Color("scenario:N", scale=alt.Scale(range=[charts.PALETTE[0], charts.PALETTE[2]]),
                            legend=alt.Legend(title=None, orient="bottom")),
            tooltip=[alt.Tooltip("ratio:Q", format=".2f"), alt.Tooltip("share:Q", format=".1%"), "scenario:N"],
        )
    )
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4], color="#555555").encode(y="y:Q")
    return alt.layer(lines, half, description=(
        f"Lines of the platform's share of the gain over N against the margin ratio at response "
        f"curvature {theta:g}, for P (where it is active, ratio above {1 - theta:g}) and S (ratio "
        f"below {1 / (1 - theta):.3g}), with a dashed line at one half."
    )).properties(width=440, height=260)
