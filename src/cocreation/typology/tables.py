"""The tables the typology page shows, and the attribution of its quotations.

Examples
--------
>>> value_table()["name"].tolist()[:2]
['Value of strategic co-planning', 'Functional value']
"""

from __future__ import annotations

import pandas as pd

from cocreation import validate

from .model import STAKEHOLDER_LABELS, STAKEHOLDERS, _table, items, themes, value_types

__all__ = ["value_table", "theme_table", "experience_summary", "speaker", "quotes_for"]


def value_table() -> pd.DataFrame:
    """Table 3 as the page shows it: each value type's name, definition and dimensions.

    The dimensions of a value type (``data/typology_value_dimensions``) are joined
    with ``"; "`` in the table's order.

    >>> value_table().columns.tolist()
    ['name', 'definition', 'dimensions']
    >>> value_table()["dimensions"].str.count("; ").add(1).tolist()
    [4, 3, 3, 3]
    """
    dims = _table("typology_value_dimensions")
    joined = value_types().assign(dimensions=lambda f: f["id"].map(dims.groupby("value_type")["dimension"].agg("; ".join)))
    return joined[["name", "definition", "dimensions"]]


def theme_table() -> pd.DataFrame:
    """Table 4 as the page shows it: each capability theme's name, definition and items.

    >>> theme_table().columns.tolist()
    ['name', 'definition', 'capabilities']
    >>> theme_table()["capabilities"].str.count("; ").add(1).tolist()
    [6, 5, 5]
    """
    it = items()
    joined = themes().assign(capabilities=lambda f: f["id"].map(it.groupby("theme")["item"].agg("; ".join)))
    return joined[["name", "definition", "capabilities"]]


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


def speaker(role_code: str) -> str:
    """The attribution of an interviewee's quotation: code, position and organisation.

    >>> speaker("H-MM")
    'H-MM (Marketing Manager, Huanuo Manufacturing Ltd)'
    >>> speaker("XX")
    Traceback (most recent call last):
    ...
    ValueError: role_code must be one of 'CEO', 'CTO', ..., got 'XX'
    """
    people = _table("typology_interviewees").set_index("id")
    validate.choice("role_code", role_code, people.index)
    orgs = _table("typology_organisations").set_index("id")["name"].str.replace(" (anonymised)", "", regex=False)
    who = people.loc[role_code]
    return f"{role_code} ({who['position']}, {orgs[who['organisation']]})"


def quotes_for(*, value_type: str | None = None, theme: str | None = None) -> pd.DataFrame:
    """The interview quotations that illustrate a value type or a capability theme.

    >>> quotes_for(value_type="org_learning")["role_code"].tolist()
    ['H-ITM', 'H-MM', 'CEO', 'HW-MM']
    >>> quotes_for(theme="hard_skills")
    Traceback (most recent call last):
    ...
    ValueError: theme must be one of 'system_management', 'commercialisation', 'interpersonal', None, got 'hard_skills'
    """
    quotes = _table("typology_quotes")
    mask = pd.Series(True, index=quotes.index)
    for column, value, valid in (("value_type", value_type, value_types()["id"]), ("theme", theme, themes()["id"])):
        validate.choice(column, value, (*valid, None))
        if value is not None:
            mask &= quotes[column] == value
    return quotes[mask].reset_index(drop=True)
