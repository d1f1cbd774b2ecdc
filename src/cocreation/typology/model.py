"""The typology model: the paper's tables, its stated links and the readiness assessment.

Pure pandas and numpy (no chart or widget import). The tables come from
``data/typology_*``; the **stated links** become a capability-by-value matrix
(:func:`stated_matrix`), from which a documented **mapping matrix** of weights
(:func:`mapping_matrix`) scores an *illustrative* **co-creation readiness assessment**
(:func:`assess`). The paper's links run both ways: :func:`capabilities_for` reads the
matrix from a value type back to the capabilities its creation calls on, and
:func:`holders` says which party section 4.2 places a capability with.

Examples
--------
>>> readiness(5, 3, 1)["score"].tolist()
[25.0, 100.0, 25.0, 100.0]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping

import numpy as np
import pandas as pd

from cocreation import data, validate

__all__ = [
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
]

#: The three stakeholder groups of the case, in the order the chapter uses.
STAKEHOLDERS: tuple[str, ...] = ("supplier", "customer", "ai_provider")
STAKEHOLDER_LABELS = {"supplier": "Supplier", "customer": "Customer", "ai_provider": "AI provider"}
RATING_MIN, RATING_MAX = 1, 5
#: Upper bound of a link weight (theme weight, item bonus) and of a matrix cell: weights
#: are relative, and a bound keeps their sums finite.
MAX_WEIGHT, MAX_CELL = 1e6, 1e9
#: How :func:`assess` combines the stakeholders' scores.
COMBINE: tuple[str, ...] = ("mean", "min")
#: Link status labels of the capability x value matrix.
STATUS_ITEM = "Stated for this capability (4.2)"
STATUS_THEME = "Stated for its theme (5)"
STATUS_NONE = "Not stated"


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
    ValueError: level must be one of 'theme', 'item', None, got 'foo'
    """
    validate.choice("level", level, ("theme", "item", None))
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
        Weight of a theme-level link, in (0, 1e6].
    item_bonus
        Extra weight of an item-level link, in [0, 1e6].

    Examples
    --------
    >>> w = mapping_matrix()
    >>> w.loc["sm_reflection"].tolist()
    [0.0, 2.0, 0.0, 1.0]
    >>> mapping_matrix(theme_weight=0)
    Traceback (most recent call last):
    ...
    ValueError: theme_weight must be a finite number in (0, 1e+06], got 0
    """
    theme_weight = validate.number("theme_weight", theme_weight, 0, MAX_WEIGHT, lo_open=True)
    item_bonus = validate.number("item_bonus", item_bonus, 0, MAX_WEIGHT)
    status = stated_matrix()
    weights = np.where(status == "item", theme_weight + item_bonus, np.where(status == "theme", theme_weight, 0.0))
    return pd.DataFrame(weights.astype(float), index=status.index, columns=status.columns)


def holders() -> dict[str, tuple[str, ...]]:
    """The parties section 4.2 places a capability with, per item id (placed items only).

    Reflection and re-use of technological knowledge is asked of PX Consulting and the IT
    providers; R&D is used by Huanuo and HW; negotiation works between all participating
    parties and inside Huanuo; trusted relationships with the IT providers are needed by
    Huanuo's leaders and, "ideally", HW's. The other twelve items are placed with no party.

    >>> holders()
    {'sm_reflection': ('ai_provider',), 'cb_negotiation': ('supplier', 'customer', 'ai_provider'), 'cb_rnd': ('supplier', 'customer'), 'ip_trust': ('supplier', 'customer')}
    """
    table = _table("typology_capability_holders")
    out: dict[str, tuple[str, ...]] = {}
    for item in items()["id"]:
        parties = set(table.loc[table["item"] == item, "stakeholder"])
        if parties:
            out[item] = tuple(s for s in STAKEHOLDERS if s in parties)
    return out


def capabilities_for(value_type: str, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """The capabilities that creating one value type calls on: the matrix read backwards.

    The paper's links run both ways: "the need to collaboratively create a particular
    type of value triggers the application of particular capabilities" (section 5).
    This reads a column of the mapping matrix as that need: every capability with a
    positive weight for ``value_type``, its link status, its weight, its **share** of the
    value type's score (weight / column total, so the shares add up to 1) and the parties
    the paper places it with (``""`` when it places it with none).

    Parameters
    ----------
    value_type
        A value type id (``value_types()["id"]``).
    matrix
        Another weight matrix, as for :func:`assess`; defaults to :func:`mapping_matrix`.

    Examples
    --------
    >>> f = capabilities_for("functional")
    >>> f.loc[["sm_reflection", "sm_integration"], ["status", "weight", "share"]].values.tolist()
    [['item', 2.0, 0.25], ['theme', 1.0, 0.125]]
    >>> f.loc["sm_reflection", "holders"], len(f), float(f["share"].sum())
    ('ai_provider', 6, 1.0)
    >>> capabilities_for("trust")
    Traceback (most recent call last):
    ...
    ValueError: value_type must be one of 'strategic_coplanning', ..., got 'trust'
    """
    validate.choice("value_type", value_type, value_types()["id"])
    weights = mapping_matrix() if matrix is None else _check_matrix(matrix)
    column = weights[value_type]
    placed = holders()
    it = items().set_index("id")
    linked = column[column > 0]
    frame = pd.DataFrame(
        {
            "theme": it.loc[linked.index, "theme"],
            "status": stated_matrix().loc[linked.index, value_type].replace("", "none"),
            "weight": linked,
            "share": linked / column.sum(),
            "holders": [";".join(placed.get(i, ())) for i in linked.index],
            "pos": [list(it.index).index(i) for i in linked.index],
        },
        index=pd.Index(linked.index, name="item"),
    )
    return frame.sort_values(["share", "pos"], ascending=[False, True]).drop(columns="pos")


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
        The item ids to develop next, best first (see :attr:`priorities`): the capability
        whose rise to 5, by a party that holds it, would raise the combined scores of the
        aimed value types most.
    combine
        ``"mean"`` or ``"min"``: how stakeholders' scores were combined.
    priorities
        One row per candidate (item, party), best first: ``item``, ``party`` (the
        stakeholder, or ``"all"`` for ratings given for all parties at once),
        ``rating`` (that party's rating), ``placed`` (whether the paper places the item
        with that party), ``gain`` (the rise in the sum of the aimed value types'
        combined scores if that party's rating rose to 5) and ``own_gain`` (the rise in
        that party's own scores). An item the paper places with some parties is a
        candidate only for those of them that were rated; any other item, for every
        rated party. Rows are sorted by ``gain``, then ``own_gain`` (both descending),
        then Table 4's order.
    aim
        The value types whose scores the ranking counts.
    """

    scores: pd.DataFrame
    combined: pd.Series
    item_ratings: pd.Series
    weakest: tuple[str, ...]
    combine: str
    priorities: pd.DataFrame
    aim: tuple[str, ...]


def _expand(ratings: Mapping[str, Any], where: str) -> pd.Series:
    """Item ratings from a mapping of item or theme ids (an item overrides its theme)."""
    if not isinstance(ratings, Mapping) or not ratings:
        raise ValueError(f"ratings{where} must be a non-empty mapping of item or theme ids to 1-5, got {ratings!r}")
    it = items()
    item_ids, theme_ids = list(it["id"]), list(themes()["id"])
    for key in ratings:
        validate.choice(f"a capability name in ratings{where}", key, (*item_ids, *theme_ids))
    values = {key: validate.number(f"ratings{where}[{key!r}]", value, RATING_MIN, RATING_MAX) for key, value in ratings.items()}
    out = pd.Series(np.nan, index=pd.Index(item_ids, name="item"), dtype=float)
    for theme in theme_ids:
        if theme in values:
            out[it.loc[it["theme"] == theme, "id"].tolist()] = values[theme]
    for item in item_ids:
        if item in values:
            out[item] = values[item]
    missing = out.index[out.isna()].tolist()
    if missing:
        raise ValueError(f"ratings{where}: no rating for {missing}; rate every item, or its theme")
    return out


def _check_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    ref = mapping_matrix()
    if not isinstance(matrix, pd.DataFrame) or set(matrix.index) != set(ref.index) or set(matrix.columns) != set(ref.columns):
        raise ValueError(f"matrix must be a DataFrame with item rows {list(ref.index)} and value-type columns {list(ref.columns)}")
    m = matrix.loc[ref.index, ref.columns]
    cells = m.to_numpy()
    if cells.dtype == object:  # numbers of mixed types: each one checked as a number
        cells = np.array([[validate.number("matrix", v, 0, MAX_CELL) for v in row] for row in cells])
    weights = validate.array("matrix", cells, lo=0, hi=MAX_CELL)
    if (weights.sum(axis=0) <= 0).any():
        raise ValueError("matrix: every value-type column needs at least one positive weight")
    return pd.DataFrame(weights, index=ref.index, columns=ref.columns)


def assess(
    ratings: Mapping[str, Any],
    *,
    combine: Literal["mean", "min"] = "mean",
    n_weakest: int = 3,
    matrix: pd.DataFrame | None = None,
    aim: Iterable[str] | None = None,
) -> Assessment:
    """Score the four value types from 1-5 ratings of the capabilities (illustrative).

    For a stakeholder with item ratings :math:`r_i` the score of value type :math:`v`
    is the weighted mean rating, rescaled from [1, 5] to [0, 100]:

    .. math:: S_v = 25\\left(\\frac{\\sum_i W_{iv} r_i}{\\sum_i W_{iv}} - 1\\right)

    with :math:`W` = :func:`mapping_matrix`. Stakeholders' scores are combined by
    their mean (or minimum). Scores stay in [0, 100] and never fall when a rating
    rises.

    **What to develop next** uses the paper's links and who holds each capability. For a
    party :math:`p` and item :math:`i`, the gain is how much the combined scores of the
    aimed value types would rise, summed, if :math:`p` raised :math:`r_{ip}` to 5; for
    :math:`p`'s own scores that rise is

    .. math:: \\Delta_{ip} = 25\\,(5 - r_{ip}) \\sum_{v \\in \\text{aim}} \\frac{W_{iv}}{\\sum_j W_{jv}},

    divided by the number of parties under ``"mean"``. So a capability ranks high when it
    is rated low, is linked to many aimed value types, and shares them with few other
    capabilities. A capability that section 4.2 places with some parties
    (:func:`holders`) counts only at those parties' ratings. Ties go to the larger rise
    in the party's own scores, then to Table 4's order.

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
        How many items to return as the weakest, 0 to 16 (a Python or numpy integer).
    matrix
        Another item x value-type weight matrix (same shape, weights in [0, 1e9], every
        column with a positive weight); defaults to :func:`mapping_matrix`.
    aim
        The value types the parties need to create (ids of ``value_types()``), for the
        ranking of what to develop next; ``None`` for all four. This is the paper's
        reverse direction: the value needed calls on the capabilities.

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
    >>> r.weakest
    ('sm_reflection', 'sm_standards', 'sm_integration')
    >>> top = r.priorities.iloc[0]
    >>> top["item"], top["party"], float(top["rating"]), bool(top["placed"]), float(top["gain"])
    ('sm_reflection', 'customer', 2.0, False, 15.625)
    >>> assess({"system_management": 6, "commercialisation": 3, "interpersonal": 3})
    Traceback (most recent call last):
    ...
    ValueError: ratings['system_management'] must be a finite number in [1, 5], got 6
    """
    validate.choice("combine", combine, COMBINE)
    all_values = tuple(value_types()["id"])
    if aim is None:
        aims = all_values
    else:
        if isinstance(aim, str) or not isinstance(aim, Iterable):
            aim = [aim]
        aims = tuple(dict.fromkeys(validate.choice("a value type in aim", v, all_values) for v in aim))
        validate.integer("the number of value types in aim", len(aims), 1, len(all_values))
    n_items = len(items())
    n_weakest = validate.integer("n_weakest", n_weakest, 0, n_items)
    weights = mapping_matrix() if matrix is None else _check_matrix(matrix)

    if not isinstance(ratings, Mapping) or not ratings:
        raise ValueError(f"ratings must be a non-empty mapping, got {ratings!r}")
    nested = [isinstance(v, Mapping) for v in ratings.values()]
    if all(nested):
        for who in ratings:
            validate.choice("a stakeholder in ratings", who, STAKEHOLDERS)
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
    priorities = _priorities(rating_frame, pivot, weights.loc[:, list(aims)], totals[list(aims)], combine)
    return Assessment(
        scores=scores,
        combined=combined,
        item_ratings=item_ratings,
        weakest=tuple(dict.fromkeys(priorities["item"]))[:n_weakest],
        combine=combine,
        priorities=priorities,
        aim=aims,
    )


def _priorities(
    ratings: pd.DataFrame, pivot: pd.DataFrame, weights: pd.DataFrame, totals: pd.Series, combine: str
) -> pd.DataFrame:
    """Candidate (item, party) rows for :attr:`Assessment.priorities`, best first."""
    placed = holders()
    parties = list(ratings.columns)
    share = weights.div(totals, axis=1)  # items x aimed value types
    pivot = pivot.loc[weights.columns, parties]  # aimed value types x parties
    rows = []
    for pos, item in enumerate(ratings.index):
        allowed = [p for p in parties if p in placed.get(item, ())] or parties
        for p in allowed:
            rise = 25.0 * (RATING_MAX - float(ratings.loc[item, p])) * share.loc[item]  # p's own scores
            if combine == "mean":
                gain = float(rise.sum()) / len(parties)
            else:
                others = pivot.drop(columns=p).min(axis=1) if len(parties) > 1 else pd.Series(np.inf, index=pivot.index)
                new = np.minimum(pivot[p] + rise, others)
                gain = float((new - np.minimum(pivot[p], others)).sum())
            rows.append(
                {"item": item, "party": p, "rating": float(ratings.loc[item, p]), "placed": p in placed.get(item, ()),
                 "gain": gain, "own_gain": float(rise.sum()), "pos": pos}
            )
    frame = pd.DataFrame(rows)
    frame["_g"], frame["_o"] = frame["gain"].round(9), frame["own_gain"].round(9)
    frame = frame.sort_values(["_g", "_o", "pos"], ascending=[False, False, True], kind="stable")
    return frame.drop(columns=["_g", "_o", "pos"]).reset_index(drop=True)


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
