"""The tables the typology page shows, and the attribution of its quotations.

Examples
--------
>>> value_table()["name"].tolist()[:2]
['Value of strategic co-planning', 'Functional value']
"""

from __future__ import annotations

import pandas as pd

from cocreation import data, text, validate

from .model import (
    STAKEHOLDER_LABELS,
    STAKEHOLDERS,
    Assessment,
    _table,
    capabilities_for,
    items,
    themes,
    value_types,
)

__all__ = [
    "value_table",
    "theme_table",
    "experience_summary",
    "speaker",
    "quotes_for",
    "holders_table",
    "value_needs",
    "develop_next",
    "synthesis_facts",
]


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


def _party_names(ids: str) -> str:
    labels = {**STAKEHOLDER_LABELS, "all": "All parties"}
    return ", ".join(labels[i] for i in ids.split(";")) if ids else "Not placed by the paper"


def holders_table() -> pd.DataFrame:
    """The placements of section 4.2 as the page shows them, one row per party and scope.

    The sentences themselves are in ``typology_capability_holders`` (``evidence``).

    >>> holders_table()["Party"].tolist()[:3]
    ['AI provider', 'Supplier', 'Customer']
    """
    table = _table("typology_capability_holders")
    names = items().set_index("id")["item"]
    return pd.DataFrame(
        {
            "Capability": table["item"].map(names),
            "Party": table["stakeholder"].map(STAKEHOLDER_LABELS),
            "Where it works": table["scope"],
            "Stated or hedged": table["hedge"],
        }
    )


def value_needs(value_type: str) -> pd.DataFrame:
    """The capabilities that creating one value type calls on, as the page shows them.

    The matrix read backwards (:func:`~cocreation.typology.model.capabilities_for`), with
    readable labels: capability, theme, how the paper states the link, the capability's
    share of the value type's illustrative score, and who the paper places it with.

    >>> print(" | ".join(value_needs("functional").iloc[0]))
    Technology reflection and re-application | System management capabilities | Named for this value type (4.2) | 25% | AI provider
    """
    f = capabilities_for(value_type)
    it = items().set_index("id")["item"]
    theme_names = themes().set_index("id")["name"]
    status = {"item": "Named for this value type (4.2)", "theme": "Through its theme (5)"}
    return pd.DataFrame(
        {
            "Capability": f.index.map(it),
            "Theme": f["theme"].map(theme_names).to_numpy(),
            "Link in the paper": f["status"].map(status).to_numpy(),
            "Share of the score": [f"{s:.0%}" for s in f["share"]],
            "Placed with": [_party_names(h) for h in f["holders"]],
        }
    )


def develop_next(result: Assessment, n: int = 5) -> pd.DataFrame:
    """The first ``n`` candidates of an assessment's ranking, with readable labels.

    >>> from cocreation.typology.model import assess
    >>> row = develop_next(assess({"system_management": 3, "commercialisation": 3, "interpersonal": 3}), 1).iloc[0]
    >>> print(" | ".join(map(str, row)))
    Technology reflection and re-application | All parties | 3.0 | No | 20.8
    """
    if not isinstance(result, Assessment):
        raise ValueError(f"result must be an Assessment (from assess), got {type(result).__name__}")
    n = validate.integer("n", n, 1, len(result.priorities))
    p = result.priorities.iloc[:n]
    it = items().set_index("id")["item"]
    return pd.DataFrame(
        {
            "Capability": p["item"].map(it).to_numpy(),
            "Party": [_party_names(x) for x in p["party"]],
            "Rating": p["rating"].to_numpy(),
            "Placed with this party by the paper": p["placed"].map({True: "Yes", False: "No"}).to_numpy(),
            "Points gained at 5": p["gain"].round(1).to_numpy(),
        }
    )


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


_SYNTHESIS_GROUPS = {"supplier": "Supplier", "customer": "Customer", "ai_provider": "AI providers"}


def synthesis_facts() -> dict[str, str]:
    """What the synthesis chapter compares, read from this chapter's tables.

    >>> synthesis_facts()["n_interviews"]
    '19'
    """
    organisations = data.load("typology_organisations")
    values = data.load("typology_value_types")
    themes = data.load("typology_capability_themes")
    links = data.load("typology_links")
    props = data.load("typology_propositions")
    method = data.load("typology_method").set_index("unit")["value"]
    issues = data.load("typology_inconsistencies")
    value_name = values.set_index("id")["name"]
    theme_name = themes.set_index("id")["name"]
    stated = links[links["level"] == "theme"]
    mechanisms = [
        f"{theme_name[t]} → " + ", ".join(value_name[v] for v in group["value_type"])
        for t, group in stated.groupby("theme", sort=False)
    ]
    actors = [
        f"{_SYNTHESIS_GROUPS.get(g, g)}: " + ", ".join(group["name"])
        for g, group in organisations.groupby("group", sort=False)
    ]
    return {
        "actors": "; ".join(actors),
        "constructs": f"{len(values)} value types ({text.names(values, 'name')}); "
        f"{len(themes)} capability themes ({text.names(themes, 'name')})",
        "mechanisms": "; ".join(mechanisms) + " (links stated at theme level)",
        "outcomes": text.names(values, "name"),
        "propositions": f"{len(props)} propositions ("
        + ", ".join(props["id"].str.upper()) + ") on the dynamic, collective interplay of value and capabilities",
        "n_interviews": str(int(method["interviews"])),
        "n_organisations": str(int(method["organisations"])),
        "n_inconsistencies": str(issues["issue"].nunique()),
    }
