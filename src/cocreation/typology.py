"""Value types and capabilities in industrial AI: supplier, customer and AI provider.

The model behind the *typology* chapter. Its source (file ``001``, cited by title as
``industrialai_cocreation``; the copy names no authors or venue) finds four types of
co-created value (Table 3) and three themes of capabilities (Table 4), and states
which capabilities help to create which value (sections 4.2 and 5). This module

* reads those tables (``data/typology_*``) and turns the **stated links** into a
  capability-by-value matrix (:func:`stated_matrix`);
* derives from it a documented **mapping matrix** of weights (:func:`mapping_matrix`);
* scores an *illustrative* **co-creation readiness assessment** (:func:`assess`):
  1-5 ratings of the 16 capability items, optionally per stakeholder, give a 0-100
  score for each value type and the weakest capabilities to develop next;
* builds the chapter's charts and its static and live explorers.

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

import functools
import math
import textwrap
from dataclasses import dataclass
from numbers import Real
from typing import Any, Literal, Mapping

import altair as alt
import numpy as np
import pandas as pd

from cocreation import charts, data, widgets

__all__ = [
    "STAKEHOLDERS",
    "STAKEHOLDER_LABELS",
    "RATING_MIN",
    "RATING_MAX",
    "READINESS_PARAMS",
    "Assessment",
    "items",
    "themes",
    "value_types",
    "stated_links",
    "stated_matrix",
    "mapping_matrix",
    "assess",
    "readiness",
    "readiness_grid",
    "experience_summary",
    "speaker",
    "quotes_for",
    "case_diagram",
    "matrix_chart",
    "stakeholder_chart",
    "readiness_explorer",
    "assessment_chart",
    "ReadinessExplorer",
    "readiness_live",
]

#: The three stakeholder groups of the case, in the order the chapter uses.
STAKEHOLDERS: tuple[str, ...] = ("supplier", "customer", "ai_provider")
STAKEHOLDER_LABELS = {"supplier": "Supplier", "customer": "Customer", "ai_provider": "AI provider"}
RATING_MIN, RATING_MAX = 1, 5
#: Link status labels of the capability x value matrix.
STATUS_ITEM = "Stated for this capability (4.2)"
STATUS_THEME = "Stated for its theme (5)"
STATUS_NONE = "Not stated"
_VALUE_SHORT = {
    "strategic_coplanning": "Strategic co-planning",
    "functional": "Functional",
    "org_learning": "Org. learning",
    "customer_experience": "Customer experience",
}
_THEME_ABBR = {"system_management": "SM", "commercialisation": "CB", "interpersonal": "IP"}
_GROUP_COLOURS = {"supplier": charts.PALETTE[0], "customer": charts.PALETTE[1], "ai_provider": charts.PALETTE[2]}

#: The three theme sliders of the static readiness explorer (ratings 1-5, step 1).
READINESS_PARAMS = [
    widgets.Param("system_management", "System management", 1, 5, 1, 3),
    widgets.Param("commercialisation", "Commercialisation-based", 1, 5, 1, 3),
    widgets.Param("interpersonal", "Interpersonal", 1, 5, 1, 3),
]


# --- the paper's tables ------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _table(name: str) -> pd.DataFrame:
    return data.load(name)


def items() -> pd.DataFrame:
    """The 16 capability items of Table 4 (``id``, ``theme``, ``item``, ``short``).

    >>> items().groupby("theme", sort=False).size().to_dict()
    {'system_management': 6, 'commercialisation': 5, 'interpersonal': 5}
    """
    return _table("typology_capability_items").copy()


def themes() -> pd.DataFrame:
    """The three capability themes of Table 4.

    >>> themes()["id"].tolist()
    ['system_management', 'commercialisation', 'interpersonal']
    """
    return _table("typology_capability_themes").copy()


def value_types() -> pd.DataFrame:
    """The four value types of Table 3.

    >>> value_types()["id"].tolist()
    ['strategic_coplanning', 'functional', 'org_learning', 'customer_experience']
    """
    return _table("typology_value_types").copy()


def stated_links(level: Literal["theme", "item"] | None = None) -> pd.DataFrame:
    """The capability-to-value links the paper states, one row per link.

    Parameters
    ----------
    level
        ``"theme"`` for the discussion's theme-level links (section 5), ``"item"`` for
        the findings' links of single capabilities (section 4.2), ``None`` for both.

    Examples
    --------
    >>> len(stated_links("theme")), len(stated_links("item"))
    (6, 4)
    >>> stated_links("foo")
    Traceback (most recent call last):
    ...
    ValueError: level must be 'theme', 'item' or None, got 'foo'
    """
    if level not in ("theme", "item", None):
        raise ValueError(f"level must be 'theme', 'item' or None, got {level!r}")
    links = _table("typology_links").copy()
    if level is not None:
        links = links[links["level"] == level].reset_index(drop=True)
    return links


def stated_matrix() -> pd.DataFrame:
    """The capability x value matrix of stated links: item rows, value-type columns.

    A cell holds ``"item"`` when section 4.2 names that capability for that value
    type, ``"theme"`` when only section 5 names the capability's theme, and ``""``
    when the paper states no link.

    Examples
    --------
    >>> m = stated_matrix()
    >>> m.shape
    (16, 4)
    >>> m.loc["sm_standards", "functional"], m.loc["sm_standards", "customer_experience"]
    ('item', 'theme')
    >>> m.loc["ip_trust", "functional"]
    ''
    """
    it = items()
    matrix = pd.DataFrame("", index=pd.Index(it["id"], name="item"), columns=value_types()["id"])
    theme_of = it.set_index("id")["theme"]
    for _, link in stated_links("theme").iterrows():
        matrix.loc[theme_of.index[theme_of == link["theme"]], link["value_type"]] = "theme"
    for _, link in stated_links("item").iterrows():
        matrix.loc[link["item"], link["value_type"]] = "item"
    return matrix


def mapping_matrix(theme_weight: float = 1.0, item_bonus: float = 1.0) -> pd.DataFrame:
    """Weights from capability items (rows) to value types (columns) for :func:`assess`.

    Derived from :func:`stated_matrix` only: every item of a theme that section 5
    links to a value type gets ``theme_weight``; an item that section 4.2 itself names
    for that value type gets ``item_bonus`` on top. Unstated links weigh 0. The
    default weights (1 and 1, so a named item counts double) are *illustrative*.

    Parameters
    ----------
    theme_weight
        Weight of a theme-level link, > 0.
    item_bonus
        Extra weight of an item-level link, >= 0.

    Examples
    --------
    >>> w = mapping_matrix()
    >>> w.loc["sm_reflection"].tolist()
    [0.0, 2.0, 0.0, 1.0]
    >>> mapping_matrix(theme_weight=0)
    Traceback (most recent call last):
    ...
    ValueError: theme_weight must be a finite number > 0, got 0
    """
    if not _finite(theme_weight) or theme_weight <= 0:
        raise ValueError(f"theme_weight must be a finite number > 0, got {theme_weight!r}")
    if not _finite(item_bonus) or item_bonus < 0:
        raise ValueError(f"item_bonus must be a finite number >= 0, got {item_bonus!r}")
    status = stated_matrix()
    weights = np.where(status == "item", theme_weight + item_bonus, np.where(status == "theme", theme_weight, 0.0))
    return pd.DataFrame(weights.astype(float), index=status.index, columns=status.columns)


# --- the readiness assessment ----------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """Result of :func:`assess` (illustrative).

    Attributes
    ----------
    scores
        One row per stakeholder and value type: ``stakeholder``, ``value_type``,
        ``score`` (0-100).
    combined
        Score per value type over all stakeholders (index: value type id).
    item_ratings
        The combined rating of each capability item (index: item id).
    weakest
        The item ids to develop next: lowest combined rating first, ties broken by the
        item's total weight in the mapping matrix (more value types first), then by
        Table 4's order.
    combine
        ``"mean"`` or ``"min"``: how stakeholders' scores were combined.
    """

    scores: pd.DataFrame
    combined: pd.Series
    item_ratings: pd.Series
    weakest: tuple[str, ...]
    combine: str


def _finite(x: Any) -> bool:
    return isinstance(x, Real) and not isinstance(x, bool) and math.isfinite(float(x))


def _expand(ratings: Mapping[str, Any], where: str) -> pd.Series:
    """Item ratings from a mapping of item or theme ids (an item overrides its theme)."""
    if not isinstance(ratings, Mapping) or not ratings:
        raise ValueError(f"ratings{where} must be a non-empty mapping of item or theme ids to 1-5, got {ratings!r}")
    it = items()
    item_ids, theme_ids = list(it["id"]), list(themes()["id"])
    unknown = [k for k in ratings if k not in item_ids and k not in theme_ids]
    if unknown:
        raise ValueError(
            f"ratings{where}: unknown capability name(s) {unknown}; valid names are the item ids "
            f"{item_ids} or the theme ids {theme_ids}"
        )
    for key, value in ratings.items():
        if not _finite(value) or not RATING_MIN <= float(value) <= RATING_MAX:
            raise ValueError(f"ratings{where}[{key!r}] must be a number in [{RATING_MIN}, {RATING_MAX}], got {value!r}")
    out = pd.Series(np.nan, index=pd.Index(item_ids, name="item"), dtype=float)
    for theme in theme_ids:
        if theme in ratings:
            out[it.loc[it["theme"] == theme, "id"].tolist()] = float(ratings[theme])
    for item in item_ids:
        if item in ratings:
            out[item] = float(ratings[item])
    missing = out.index[out.isna()].tolist()
    if missing:
        raise ValueError(f"ratings{where}: no rating for {missing}; rate every item, or its theme")
    return out


def assess(
    ratings: Mapping[str, Any],
    *,
    combine: Literal["mean", "min"] = "mean",
    n_weakest: int = 3,
    matrix: pd.DataFrame | None = None,
) -> Assessment:
    """Score the four value types from 1-5 ratings of the capabilities (illustrative).

    For a stakeholder with item ratings :math:`r_i` the score of value type :math:`v`
    is the weighted mean rating, rescaled from [1, 5] to [0, 100]:

    .. math:: S_v = 25\\left(\\frac{\\sum_i W_{iv} r_i}{\\sum_i W_{iv}} - 1\\right)

    with :math:`W` = :func:`mapping_matrix`. Stakeholders' scores are combined by
    their mean (or minimum). Scores stay in [0, 100] and never fall when a rating
    rises.

    Parameters
    ----------
    ratings
        Either one mapping ``{name: rating}`` or a mapping ``{stakeholder: {name:
        rating}}`` with stakeholders among ``STAKEHOLDERS``. A name is an item id
        (``items()["id"]``) or a theme id, which rates all of its items; an item rating
        overrides its theme's. Every item must end up rated, from 1 to 5.
    combine
        ``"mean"`` or ``"min"`` over stakeholders (for scores and item ratings).
    n_weakest
        How many items to return as the weakest, 0 to 16.
    matrix
        Another item x value-type weight matrix (same shape, weights >= 0, every
        column with a positive weight); defaults to :func:`mapping_matrix`.

    Returns
    -------
    Assessment

    Raises
    ------
    ValueError
        For a rating outside [1, 5], an unknown item, theme or stakeholder name, an
        unrated item, or an invalid ``combine``, ``n_weakest`` or ``matrix``.

    Examples
    --------
    >>> r = assess({"supplier": {"system_management": 4, "commercialisation": 3, "interpersonal": 2},
    ...             "customer": {"system_management": 2, "commercialisation": 3, "interpersonal": 4}})
    >>> r.combined.to_dict()
    {'strategic_coplanning': 50.0, 'functional': 50.0, 'org_learning': 50.0, 'customer_experience': 50.0}
    >>> assess({"system_management": 6, "commercialisation": 3, "interpersonal": 3})
    Traceback (most recent call last):
    ...
    ValueError: ratings['system_management'] must be a number in [1, 5], got 6
    """
    if combine not in ("mean", "min"):
        raise ValueError(f"combine must be 'mean' or 'min', got {combine!r}")
    n_items = len(items())
    if isinstance(n_weakest, bool) or not isinstance(n_weakest, int) or not 0 <= n_weakest <= n_items:
        raise ValueError(f"n_weakest must be an integer in [0, {n_items}], got {n_weakest!r}")
    weights = mapping_matrix() if matrix is None else _check_matrix(matrix)

    if not isinstance(ratings, Mapping) or not ratings:
        raise ValueError(f"ratings must be a non-empty mapping, got {ratings!r}")
    nested = [isinstance(v, Mapping) for v in ratings.values()]
    if all(nested):
        unknown = [k for k in ratings if k not in STAKEHOLDERS]
        if unknown:
            raise ValueError(f"ratings: unknown stakeholder(s) {unknown}; valid stakeholders are {list(STAKEHOLDERS)}")
        per = {s: _expand(ratings[s], f"[{s!r}]") for s in STAKEHOLDERS if s in ratings}
    elif not any(nested):
        per = {"all": _expand(ratings, "")}
    else:
        raise ValueError("ratings must map either names to ratings or stakeholders to such mappings, not both")

    totals = weights.sum(axis=0)
    rows = []
    for who, r in per.items():
        mean_rating = (weights.mul(r, axis=0).sum(axis=0) / totals).clip(RATING_MIN, RATING_MAX)
        for v, m in mean_rating.items():
            rows.append({"stakeholder": who, "value_type": v, "score": 25.0 * (float(m) - RATING_MIN)})
    scores = pd.DataFrame(rows, columns=["stakeholder", "value_type", "score"])
    pivot = scores.pivot(index="value_type", columns="stakeholder", values="score").loc[weights.columns]
    combined = pivot.mean(axis=1) if combine == "mean" else pivot.min(axis=1)
    combined.name = "score"
    rating_frame = pd.DataFrame(per)
    item_ratings = rating_frame.mean(axis=1) if combine == "mean" else rating_frame.min(axis=1)
    item_ratings.name = "rating"
    order = pd.DataFrame(
        {"rating": item_ratings, "leverage": -weights.sum(axis=1), "pos": np.arange(n_items)}
    ).sort_values(["rating", "leverage", "pos"])
    return Assessment(
        scores=scores,
        combined=combined,
        item_ratings=item_ratings,
        weakest=tuple(order.index[:n_weakest]),
        combine=combine,
    )


def _check_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    ref = mapping_matrix()
    if not isinstance(matrix, pd.DataFrame) or set(matrix.index) != set(ref.index) or set(matrix.columns) != set(ref.columns):
        raise ValueError(f"matrix must be a DataFrame with item rows {list(ref.index)} and value-type columns {list(ref.columns)}")
    m = matrix.loc[ref.index, ref.columns].astype(float)
    if not np.isfinite(m.to_numpy()).all() or (m.to_numpy() < 0).any():
        raise ValueError("matrix weights must be finite and >= 0")
    if (m.sum(axis=0) <= 0).any():
        raise ValueError("matrix: every value-type column needs at least one positive weight")
    return m


def readiness(system_management: float, commercialisation: float, interpersonal: float) -> pd.DataFrame:
    """Value-type scores when each theme's items share one rating (the static explorer).

    Examples
    --------
    >>> readiness(5, 3, 1)[["value_type", "score"]].values.tolist()
    [['strategic_coplanning', 25.0], ['functional', 100.0], ['org_learning', 25.0], ['customer_experience', 100.0]]
    """
    result = assess(
        {"system_management": system_management, "commercialisation": commercialisation, "interpersonal": interpersonal}
    )
    labels = value_types().set_index("id")["name"]
    frame = result.combined.reset_index()
    frame.columns = ["value_type", "score"]
    frame.insert(1, "label", frame["value_type"].map(labels))
    return frame


def readiness_grid() -> pd.DataFrame:
    """:func:`readiness` on every combination of the three theme sliders (500 rows).

    >>> readiness_grid().shape
    (500, 6)
    """
    return widgets.grid(readiness, READINESS_PARAMS)


def speaker(role_code: str) -> str:
    """The attribution of an interviewee's quotation: code, position and organisation.

    >>> speaker("H-MM")
    'H-MM (Marketing Manager, Huanuo Manufacturing Ltd)'
    >>> speaker("XX")
    Traceback (most recent call last):
    ...
    ValueError: role_code must be one of the Table 2 codes ['CEO', 'CTO', ...], got 'XX'
    """
    people = _table("typology_interviewees").set_index("id")
    if role_code not in people.index:
        raise ValueError(f"role_code must be one of the Table 2 codes {list(people.index)}, got {role_code!r}")
    orgs = _table("typology_organisations").set_index("id")["name"].str.replace(" (anonymised)", "", regex=False)
    who = people.loc[role_code]
    return f"{role_code} ({who['position']}, {orgs[who['organisation']]})"


def quotes_for(*, value_type: str | None = None, theme: str | None = None) -> pd.DataFrame:
    """The interview quotations that illustrate a value type or a capability theme.

    >>> quotes_for(value_type="org_learning")["role_code"].tolist()
    ['H-ITM', 'H-MM', 'CEO', 'HW-MM']
    """
    quotes = _table("typology_quotes")
    mask = pd.Series(True, index=quotes.index)
    for column, value, valid in (("value_type", value_type, value_types()["id"]), ("theme", theme, themes()["id"])):
        if value is not None:
            if value not in set(valid):
                raise ValueError(f"{column} must be one of {list(valid)}, got {value!r}")
            mask &= quotes[column] == value
    return quotes[mask].reset_index(drop=True)


# --- charts ----------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(str(text), width=width) or [""]


def experience_summary() -> pd.DataFrame:
    """Interviewees and years of experience per stakeholder group (from Table 2).

    >>> experience_summary()["interviewees"].tolist()
    [5, 3, 11]
    """
    people = _table("typology_interviewees")
    summary = (
        people.groupby("group")["years"]
        .agg(interviewees="size", mean_years="mean", min_years="min", max_years="max")
        .reindex(list(STAKEHOLDERS))
        .reset_index()
    )
    summary["mean_years"] = summary["mean_years"].round(1)
    summary["group"] = summary["group"].map(STAKEHOLDER_LABELS)
    return summary


def case_diagram() -> alt.LayerChart:
    """The six organisations of the case and their ties, as section 3.1 describes them.

    >>> spec = case_diagram().to_dict()
    >>> spec["params"][0]["bind"]["options"]
    ['All', 'Supplier', 'Customer', 'AI provider']
    """
    orgs = _table("typology_organisations").copy()
    orgs["label"] = orgs["name"].str.replace(" (anonymised)", "", regex=False)
    orgs["groups"] = orgs["group"].map(STAKEHOLDER_LABELS)
    orgs["stakeholder"] = orgs["groups"]
    edges = pd.DataFrame(
        [
            ("huanuo", "hw", "solid", "Huanuo supplies materials that HW buys regularly", "Supplier;Customer"),
            ("huanuo", "px", "solid", "Huanuo invests in the project; PX provides AI solution consulting", "Supplier;AI provider"),
            ("px", "iot", "solid", "PX works with the IoT device supplier", "AI provider"),
            ("px", "cloud", "solid", "PX works with the cloud data warehouse vendor", "AI provider"),
            ("px", "ai_software", "solid", "PX works with the analytics/AI software provider", "AI provider"),
            ("px", "hw", "dashed", "During the trial, AI providers are in close contact with the customer too", "Customer;AI provider"),
        ],
        columns=["source", "target", "style", "relation", "groups"],
    )
    chart = charts.flow_diagram(
        orgs,
        edges,
        node_tooltip=("label", "stakeholder", "role"),
        edge_tooltip=("relation",),
        highlight="case_group",
        highlight_options=[STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS],
        highlight_label="Stakeholder group",
        layer_titles=("Supplier and customer", "AI consultancy", "IT providers"),
        width=540,
        height=300,
        description=(
            "Diagram of the case: Huanuo supplies HW and invests in the AI project; PX Consulting "
            "provides AI consulting and coordinates an IoT device supplier, a cloud vendor and an "
            "analytics/AI software provider; AI providers are also in contact with HW."
        ),
    )
    # Colour the nodes by stakeholder group (not by column) and keep the edge and node
    # colour scales apart: a shared scale would merge the edge styles into the node legend.
    groups = [STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS]
    chart.layer[1].encoding.color = alt.Color(
        "stakeholder:N", sort=groups, scale=alt.Scale(domain=groups, range=[_GROUP_COLOURS[s] for s in STAKEHOLDERS]),
        legend=alt.Legend(title="Stakeholder group", orient="top"),
    )
    return chart.resolve_scale(color="independent")


def _cells() -> pd.DataFrame:
    """One row per (item, value type) cell of the matrix, with its status and weight."""
    it = items()
    vt = value_types()
    status = stated_matrix()
    weights = mapping_matrix()
    names = {"item": STATUS_ITEM, "theme": STATUS_THEME, "": STATUS_NONE}
    marks = {"item": "4.2", "theme": "5", "": "–"}
    rows = []
    for _, i in it.iterrows():
        for _, v in vt.iterrows():
            s = status.loc[i["id"], v["id"]]
            rows.append(
                {
                    "item": i["id"],
                    "theme": i["theme"],
                    "row_label": f"{i['short']} ({_THEME_ABBR[i['theme']]})",
                    "value_type": v["id"],
                    "value_label": v["name"],
                    "value_short": _VALUE_SHORT[v["id"]],
                    "status": names[s],
                    "mark": marks[s],
                    "weight": float(weights.loc[i["id"], v["id"]]),
                }
            )
    return pd.DataFrame(rows)


def _cell_lines(width: int = 72) -> pd.DataFrame:
    """The detail text of each cell, one row per wrapped line."""
    links = stated_links()
    item_name = items().set_index("id")["item"]
    theme_name = themes().set_index("id")["name"]
    rows = []
    for _, c in _cells().iterrows():
        lines = [f"{item_name[c['item']]} → {c['value_label']}", f"Link: {c['status']}"]
        stated = links[
            (links["value_type"] == c["value_type"])
            & (((links["level"] == "item") & (links["item"] == c["item"])) | ((links["level"] == "theme") & (links["theme"] == c["theme"])))
        ].sort_values("level", key=lambda s: s.map({"item": 0, "theme": 1}))
        if stated.empty:
            lines += _wrap(f"The paper states no link between {theme_name[c['theme']].lower()} and this value type.", width)
        for _, link in stated.iterrows():
            lines += _wrap(f"“{link['evidence']}” (source 001, {link['locator']})", width)
        for n, text in enumerate(lines):
            rows.append({"item": c["item"], "value_type": c["value_type"], "line": n, "text": text})
    return pd.DataFrame(rows)


def _quote_lines(width: int = 72) -> pd.DataFrame:
    """One supporting interview quotation per value type, wrapped, with attribution."""
    quotes = _table("typology_quotes")
    people = _table("typology_interviewees").set_index("id")
    orgs = _table("typology_organisations").set_index("id")["name"]
    rows = []
    for v in value_types()["id"]:
        q = quotes[quotes["value_type"] == v].iloc[0]
        who = people.loc[q["role_code"]]
        lines = _wrap(f"“{q['quote']}”", width)
        lines.append(f"— {q['role_code']} ({who['position']}, {orgs[who['organisation']]}) · source 001, {q['locator']}")
        rows += [{"value_type": v, "line": n, "text": t} for n, t in enumerate(lines)]
    return pd.DataFrame(rows)


def matrix_chart() -> alt.VConcatChart:
    """The capability x value heatmap of stated links, with click-to-inspect details.

    Clicking a cell selects its capability, theme and value type (three point
    selections); the panels below show the cell's stated evidence, the value type's
    dimensions (Table 3), the theme's items (Table 4) and a supporting interview
    quotation.

    Examples
    --------
    >>> spec = matrix_chart().to_dict()
    >>> sorted(p["name"] for p in spec["params"])
    ['pick_item', 'pick_theme', 'pick_value']
    """
    cells = _cells()
    domain = [STATUS_ITEM, STATUS_THEME, STATUS_NONE]
    colours = [charts.PALETTE[5], charts.PALETTE[0], "#eeeeee"]
    first = stated_links("item").iloc[0]
    pick_item = alt.selection_point(name="pick_item", fields=["item"], value=[{"item": first["item"]}], clear=False, on="click")
    pick_value = alt.selection_point(
        name="pick_value", fields=["value_type"], value=[{"value_type": first["value_type"]}], clear=False, on="click"
    )
    pick_theme = alt.selection_point(name="pick_theme", fields=["theme"], value=[{"theme": first["theme"]}], clear=False, on="click")
    row_order = cells.drop_duplicates("item")["row_label"].tolist()
    col_order = [_VALUE_SHORT[v] for v in value_types()["id"]]
    selected = {"and": [{"param": "pick_item", "empty": False}, {"param": "pick_value", "empty": False}]}
    base = alt.Chart(cells[["item", "theme", "row_label", "value_type", "value_label", "value_short", "status", "mark"]])
    heat = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        x=alt.X("value_short:N", sort=col_order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=140, orient="top", labelFontSize=11)),
        y=alt.Y("row_label:N", sort=row_order, title=None),
        color=alt.Color("status:N", scale=alt.Scale(domain=domain, range=colours), legend=alt.Legend(title=None, orient="top", direction="horizontal", labelLimit=320)),
        tooltip=[
            alt.Tooltip("row_label:N", title="Capability"),
            alt.Tooltip("value_label:N", title="Value type"),
            alt.Tooltip("status:N", title="Link"),
        ],
    )
    outline = base.mark_rect(fill=None, stroke="#222222", strokeWidth=2.5).transform_filter(selected).encode(
        x=alt.X("value_short:N", sort=col_order), y=alt.Y("row_label:N", sort=row_order)
    )
    text = base.mark_text(fontSize=11).encode(
        x=alt.X("value_short:N", sort=col_order),
        y=alt.Y("row_label:N", sort=row_order),
        text="mark:N",
        color=alt.condition("datum.status == '" + STATUS_ITEM + "'", alt.value("white"), alt.value("#222222")),
    )
    grid = alt.layer(heat, outline, text).add_params(pick_item, pick_value, pick_theme).properties(width=480, height=380)

    def panel(frame: pd.DataFrame, title: str, predicate: Any) -> alt.Chart:
        n_lines = int(frame["line"].max()) + 1
        return (
            alt.Chart(frame, title=alt.Title(title, fontSize=13))
            .mark_text(align="left", baseline="top", fontSize=12, limit=500)
            .encode(
                x=alt.value(0),
                y=alt.Y("line:Q", axis=None, scale=alt.Scale(domain=[0, n_lines], reverse=True, nice=False)),
                text="text:N",
            )
            .transform_filter(predicate)
            .properties(width=500, height=17 * n_lines)
        )

    dims = _table("typology_value_dimensions").copy()
    dims["line"] = dims.groupby("value_type").cumcount()
    dims["text"] = "• " + dims["dimension"]
    its = items()
    its["line"] = its.groupby("theme").cumcount()
    its["text"] = "• " + its["item"]
    details = alt.vconcat(
        panel(_cell_lines(), "Selected cell: what the paper states", selected),
        panel(dims[["value_type", "line", "text"]], "Dimensions of the value type (Table 3)", {"param": "pick_value", "empty": False}),
        panel(its[["theme", "line", "text"]], "Capabilities in the theme (Table 4)", {"param": "pick_theme", "empty": False}),
        panel(_quote_lines(), "An interview quotation on the value type", {"param": "pick_value", "empty": False}),
    )
    return alt.vconcat(grid, details, spacing=12).properties(
        description=(
            "Heatmap of 16 capabilities by 4 value types. Colour shows whether the paper states a link for the "
            "capability itself (section 4.2), only for its theme (section 5), or not at all. Clicking a cell shows "
            "the stated evidence, the value type's dimensions, the theme's capabilities and a quotation."
        )
    )


def stakeholder_chart() -> alt.Chart:
    """The 19 interviewees' years of experience, filtered by a stakeholder-group dropdown.

    Examples
    --------
    >>> spec = stakeholder_chart().to_dict()
    >>> spec["params"][0]["name"], spec["params"][0]["bind"]["options"]
    ('stakeholder_group', ['All', 'supplier', 'customer', 'ai_provider'])
    """
    people = _table("typology_interviewees").copy()
    orgs = _table("typology_organisations").set_index("id")["name"].str.replace(" (anonymised)", "", regex=False)
    people["organisation_name"] = people["organisation"].map(orgs)
    people["label"] = np.where(people["id"] == people["position"], people["position"], people["id"] + " · " + people["position"])
    people["group_label"] = people["group"].map(STAKEHOLDER_LABELS)
    people["group_rank"] = people["group"].map({s: n for n, s in enumerate(STAKEHOLDERS)})
    people["org_rank"] = people["organisation"].map({o: n for n, o in enumerate(orgs.index)})
    order = people.sort_values(["group_rank", "org_rank", "years"], ascending=[True, True, False])
    choose = alt.param(
        name="stakeholder_group",
        value="All",
        bind=alt.binding_select(
            options=["All", *STAKEHOLDERS],
            labels=["All", *(STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS)],
            name="Stakeholder group ",
        ),
    )
    org_order = list(orgs.values)
    return (
        alt.Chart(
            people[["label", "organisation_name", "group", "group_label", "position", "expertise", "years"]],
            description="Bar chart of the 19 interviewees' years of experience, coloured by organisation, with a dropdown that keeps one stakeholder group.",
        )
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order["label"].tolist(), title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("years:Q", title="Years of experience", scale=alt.Scale(domain=[0, 30])),
            color=alt.Color("organisation_name:N", sort=org_order, scale=alt.Scale(domain=org_order, range=charts.PALETTE[:6]), legend=alt.Legend(title="Organisation", orient="bottom", columns=2, labelLimit=260)),
            tooltip=[
                alt.Tooltip("label:N", title="Interviewee"),
                alt.Tooltip("organisation_name:N", title="Organisation"),
                alt.Tooltip("group_label:N", title="Group"),
                alt.Tooltip("expertise:N", title="Expertise"),
                alt.Tooltip("years:Q", title="Years"),
            ],
        )
        .add_params(choose)
        .transform_filter("stakeholder_group == 'All' || datum.group == stakeholder_group")
        .properties(width=320, height=alt.Step(16))
    )


def _value_colour() -> alt.Color:
    vt = value_types()
    return alt.Color("label:N", sort=vt["name"].tolist(), scale=alt.Scale(domain=vt["name"].tolist(), range=charts.PALETTE[:4]), legend=None)


def readiness_explorer() -> alt.TopLevelMixin:
    """Static explorer: three theme sliders (1-5) that move the value-type bars.

    Filters :func:`readiness_grid` in the page, so the bars equal
    :func:`readiness` (and :func:`assess`) at every slider setting.

    Examples
    --------
    >>> spec = readiness_explorer().to_dict()
    >>> [(p["name"], p["bind"]["min"], p["bind"]["max"]) for p in spec["params"]]
    [('system_management', 1, 5), ('commercialisation', 1, 5), ('interpersonal', 1, 5)]
    """
    order = value_types()["name"].tolist()

    def draw(base: alt.Chart) -> alt.LayerChart:
        bars = base.mark_bar().encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("score:Q", title="Illustrative readiness score (0-100)", scale=alt.Scale(domain=[0, 100])),
            color=_value_colour(),
            tooltip=[alt.Tooltip("label:N", title="Value type"), alt.Tooltip("score:Q", format=".1f", title="Score")],
        )
        labels = base.mark_text(align="left", dx=4).encode(
            y=alt.Y("label:N", sort=order), x="score:Q", text=alt.Text("score:Q", format=".0f")
        )
        return alt.layer(bars, labels).properties(
            width=300,
            padding={"left": 8, "top": 8, "bottom": 8, "right": 36},
            height=alt.Step(34),
            description="Bar chart of four value-type scores (0-100) that follow three sliders rating the capability themes from 1 to 5.",
        )

    return widgets.static_explorer(readiness, READINESS_PARAMS, draw, grid_frame=readiness_grid())


def assessment_chart(result: Assessment) -> alt.Chart:
    """Grouped bars of an :class:`Assessment`: each stakeholder's and the combined score.

    >>> chart = assessment_chart(assess({"system_management": 2, "commercialisation": 4, "interpersonal": 5}))
    >>> chart.to_dict()["mark"]["type"]
    'bar'
    """
    labels = value_types().set_index("id")["name"]
    frame = result.scores.copy()
    combined = result.combined.rename("score").reset_index().rename(columns={"index": "value_type"})
    combined["stakeholder"] = "combined"
    if set(frame["stakeholder"]) != {"all"}:
        frame = pd.concat([frame, combined[frame.columns]], ignore_index=True)
    names = {**STAKEHOLDER_LABELS, "all": "All", "combined": f"Combined ({result.combine})"}
    frame["who"] = frame["stakeholder"].map(names)
    frame["label"] = frame["value_type"].map(labels)
    who_order = [names[s] for s in (*STAKEHOLDERS, "all", "combined") if names[s] in set(frame["who"])]
    colours = {**{STAKEHOLDER_LABELS[s]: _GROUP_COLOURS[s] for s in STAKEHOLDERS}, "All": charts.PALETTE[0], names["combined"]: "#555555"}
    return (
        alt.Chart(frame[["who", "label", "score"]], description="Grouped bar chart of illustrative readiness scores per value type and stakeholder.")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=labels.tolist(), title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("who:N", sort=who_order),
            x=alt.X("score:Q", title="Illustrative readiness score (0-100)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("who:N", sort=who_order, scale=alt.Scale(domain=who_order, range=[colours[w] for w in who_order]), legend=alt.Legend(title=None, orient="bottom")),
            tooltip=[alt.Tooltip("who:N", title="Stakeholder"), alt.Tooltip("label:N", title="Value type"), alt.Tooltip("score:Q", format=".1f")],
        )
        .properties(width=420, height=alt.Step(12))
    )


# --- live explorer ----------------------------------------------------------------------


class ReadinessExplorer(widgets.LiveExplorer):
    """The live readiness explorer: one slider per item in a tab per stakeholder.

    Attributes
    ----------
    sliders
        ``sliders[stakeholder][item_id]`` is the ipywidgets ``IntSlider``.
    assessment
        The :class:`Assessment` of the current slider values.
    """

    def __init__(self, widget: Any, sliders: dict[str, dict[str, Any]], redraw: Any) -> None:
        super().__init__(widget)
        self.sliders = sliders
        self._redraw = redraw
        self.assessment: Assessment | None = None

    def ratings(self) -> dict[str, dict[str, int]]:
        """The current slider values as the ``ratings`` argument of :func:`assess`."""
        return {s: {i: int(w.value) for i, w in row.items()} for s, row in self.sliders.items()}


@widgets.kernel_only
def readiness_live(default: int = 3, combine: Literal["mean", "min"] = "mean") -> ReadinessExplorer:
    """Live explorer (needs a kernel): 16 item sliders per stakeholder in tabs.

    Each change re-runs :func:`assess` on all 48 ratings and redraws
    :func:`assessment_chart` with the weakest capabilities listed below it.

    Parameters
    ----------
    default
        Starting rating of every slider, 1-5.
    combine
        Passed to :func:`assess`.
    """
    if isinstance(default, bool) or not isinstance(default, int) or not RATING_MIN <= default <= RATING_MAX:
        raise ValueError(f"default must be an integer in [{RATING_MIN}, {RATING_MAX}], got {default!r}")
    if combine not in ("mean", "min"):
        raise ValueError(f"combine must be 'mean' or 'min', got {combine!r}")
    import ipywidgets as w
    from IPython.display import display

    it = items()
    theme_name = themes().set_index("id")["name"]
    sliders: dict[str, dict[str, Any]] = {}
    pages = []
    for s in STAKEHOLDERS:
        sliders[s] = {}
        children: list[Any] = []
        for theme, group in it.groupby("theme", sort=False):
            children.append(w.HTML(f"<b>{theme_name[theme]}</b>"))
            for _, row in group.iterrows():
                slider = w.IntSlider(
                    value=default, min=RATING_MIN, max=RATING_MAX, step=1, description=row["item"],
                    continuous_update=False, style={"description_width": "330px"}, layout=w.Layout(width="560px"),
                )
                sliders[s][row["id"]] = slider
                children.append(slider)
        pages.append(w.VBox(children))
    tabs = w.Tab(children=pages, titles=[STAKEHOLDER_LABELS[s] for s in STAKEHOLDERS])
    out = w.Output()
    names = it.set_index("id")["item"]
    explorer: ReadinessExplorer

    def redraw(*_: Any) -> None:
        result = assess(explorer.ratings(), combine=combine)
        explorer.assessment = result
        with out:
            out.clear_output(wait=True)
            display(assessment_chart(result))
            display(w.HTML("Develop next: " + "; ".join(names[i] for i in result.weakest)))

    explorer = ReadinessExplorer(w.VBox([tabs, out]), sliders, redraw)
    for row in sliders.values():
        for slider in row.values():
            slider.observe(redraw, names="value")
    redraw()
    return explorer
