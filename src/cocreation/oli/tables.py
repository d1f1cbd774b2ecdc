"""The tables the OLI page shows: Table 1, the data structure, the presets, renewal, sensitivity.

Each function returns a :class:`pandas.DataFrame` built from the chapter's data tables
(or from :func:`~cocreation.oli.presets.preset_outcomes`), ready for
:func:`cocreation.display.table` or for a chart of :mod:`cocreation.oli.figures`.

Examples
--------
>>> preset_table()["Case"].tolist()
['A', 'B', 'C', 'D', 'E']
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pandas as pd

from .. import data, text, validate
from .model import frame_with
from .presets import PARAMETER_LABELS, PRESETS, _value_of, grounds

__all__ = [
    "case_table",
    "structure_tables",
    "quote_panel_rows",
    "preset_table",
    "grounds_table",
    "renewal_table",
    "sensitivity_table",
    "synthesis_facts",
]

# --- cases ----------------------------------------------------------------------

_CASE_FIELDS = [
    ("employees", "Employees"),
    ("interviewees", "Interviewees (interviews)"),
    ("interviews", "Interview dates"),
    ("products", "Products"),
    ("customers", "Targeted B2B customers"),
    ("subscribed", "Subscribed: when and why"),
    ("already_exporting", "Already exporting"),
    ("result_positive", "Results, positive"),
    ("result_negative", "Results, negative"),
    ("stayed", "Stayed after two years"),
]


def case_table() -> pd.DataFrame:
    """Table 1 as a readable frame, one row per case.

    >>> case_table().shape
    (5, 11)
    """
    c = data.load("oli_cases")
    yes = {True: "Yes", False: "No"}
    out = pd.DataFrame(
        {
            "Case": c["id"],
            "Employees": c["employees"],
            "Interviewees (interviews)": [
                "; ".join(v) + (f" ({o} first interview only)" if isinstance(o, str) and o else "") for v, o in zip(c["interviewees"], c["first_interview_only"])
            ],
            "Interview dates": c["first_interview"] + " and " + c["second_interview"],
            "Products": c["products"],
            "Targeted B2B customers": c["customers"],
            "Subscribed: when and why": c["subscribed_year"].astype(str) + ": " + c["subscribed_why"],
            "Already exporting": c["already_exporting"].map(yes),
            "Results, positive": c["result_positive"],
            "Results, negative": c["result_negative"],
            "Stayed after two years": c["stayed"].map(yes),
        }
    )
    return out


# --- data structure -------------------------------------------------------------


def structure_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the reconstructed data structure (concept → theme → dimension).

    Node ``groups`` lists the cases whose quotes illustrate the node.

    >>> nodes, edges = structure_tables()
    >>> nodes.groupby("layer").size().tolist()
    [16, 9, 4]
    """
    concepts = data.load("oli_concepts")
    themes = data.load("oli_themes")
    dims = data.load("oli_dimensions")
    quotes = data.load("oli_quotes")
    cases_of = quotes.groupby("concept")["case"].apply(lambda s: sorted(set(s)))
    nq = quotes.groupby("concept").size()
    c = pd.DataFrame(
        {
            "id": concepts["id"],
            "label": concepts["short"].map(lambda s: textwrap.fill(s, 26)),
            "layer": 0,
            "order": concepts["order"],
            "level": "First-order concept (Table A1)",
            "definition": concepts["label"],
            "cases": concepts["id"].map(lambda i: ", ".join(cases_of.get(i, []))),
            "n_quotes": concepts["id"].map(nq).fillna(0).astype(int),
            "groups": concepts["id"].map(lambda i: ";".join(cases_of.get(i, []))),
        }
    )
    theme_cases = {t: sorted({x for i in concepts[concepts.theme == t]["id"] for x in cases_of.get(i, [])}) for t in themes["id"]}
    t = pd.DataFrame(
        {
            "id": themes["id"],
            "label": themes["label"].str.replace(" (name reconstructed)", "*", regex=False).map(lambda s: textwrap.fill(s, 24)),
            "layer": 1,
            "order": themes["order"],
            "level": "Second-order theme (reconstructed)",
            "definition": themes["definition"],
            "cases": themes["id"].map(lambda i: ", ".join(theme_cases[i])),
            "n_quotes": themes["id"].map(lambda i: int(nq.reindex(concepts[concepts.theme == i]["id"]).fillna(0).sum())),
            "groups": themes["id"].map(lambda i: ";".join(theme_cases[i])),
        }
    )
    dim_cases = {d: sorted({x for i in themes[themes.dimension == d]["id"] for x in theme_cases[i]}) for d in dims["id"]}
    dm = pd.DataFrame(
        {
            "id": dims["id"],
            "label": dims["label"].map(lambda s: textwrap.fill(s[0].upper() + s[1:], 22)),
            "layer": 2,
            "order": dims["order"],
            "level": "Aggregate dimension",
            "definition": dims["definition"],
            "cases": dims["id"].map(lambda i: ", ".join(dim_cases[i])),
            "n_quotes": dims["id"].map(lambda i: int(t.set_index("id").loc[themes[themes.dimension == i]["id"], "n_quotes"].sum())),
            "groups": dims["id"].map(lambda i: ";".join(dim_cases[i])),
        }
    )
    nodes = pd.concat([c, t, dm], ignore_index=True)
    e1 = pd.DataFrame({"source": concepts["id"], "target": concepts["theme"], "style": "solid"})
    e2 = pd.DataFrame({"source": themes["id"], "target": themes["dimension"], "style": "solid"})
    edges = pd.concat([e1, e2], ignore_index=True)
    edges["groups"] = edges["source"].map(nodes.set_index("id")["groups"])
    return nodes, edges


def quote_panel_rows(width: int = 78) -> pd.DataFrame:
    """Lines of text for the structure explorer's side panel, one row per line.

    Concepts get their Table A1 name and quotes (each with case, role and source);
    themes and dimensions get their definition (and, for themes, the evidence).

    ``width`` is the line length in characters, an integer in [20, 400].

    >>> rows = quote_panel_rows()
    >>> bool(rows.groupby("id")["line"].min().eq(0).all())
    True
    """
    width = validate.integer("width", width, 20, 400)
    concepts = data.load("oli_concepts").set_index("id")
    themes = data.load("oli_themes").set_index("id")
    dims = data.load("oli_dimensions").set_index("id")
    quotes = data.load("oli_quotes")
    out: list[dict[str, Any]] = []

    def add(node: str, text: str, kind: str, case: str = "") -> None:
        for ln in textwrap.wrap(text, width) or [""]:
            out.append({"id": node, "text": ln, "kind": kind, "case": case})

    for cid, row in concepts.iterrows():
        add(cid, "Concept: " + row["label"], "head")
        for _, q in quotes[quotes.concept == cid].iterrows():
            add(cid, "“" + q["quote"] + "”", "quote", q["case"])
            add(cid, f"— Case {q['case']}, {q['role']} ({q['locator']})", "attribution", q["case"])
    for tid, row in themes.iterrows():
        add(tid, "Theme: " + row["label"], "head")
        add(tid, row["definition"], "text")
        add(tid, "Reconstruction rests on: " + row["evidence"], "attribution")
    for did, row in dims.iterrows():
        add(did, "Aggregate dimension: " + row["label"], "head")
        add(did, row["definition"], "text")
    df = pd.DataFrame(out)
    df["line"] = df.groupby("id").cumcount()
    df["case_key"] = ";" + df["case"] + ";"
    return df


# --- presets --------------------------------------------------------------------


def preset_table() -> pd.DataFrame:
    """The case presets as the page shows them: one row per case, one column per setting.

    What each number is read from is in :func:`grounds_table`.

    >>> float(preset_table().set_index("Case").loc["A", "Lapse rate δ"])
    0.05
    """
    return pd.DataFrame(
        [
            {
                "Case": c,
                "Structural": p.disposition.structural,
                "Emotional": p.disposition.emotional,
                "Reply speed": p.engagement.reply_speed,
                "Marketing": p.engagement.marketing,
                "Involvement": p.engagement.involvement,
                "Switch timing": p.engagement.switch_timing,
                "Learning rate λ": _value_of(p, "learning_rate"),
                "Lapse rate δ": _value_of(p, "lapse"),
            }
            for c, p in PRESETS.items()
        ]
    )


def grounds_table() -> pd.DataFrame:
    """Each preset number and what it is read from: a Table A1 quotation or a free choice.

    >>> t = grounds_table()
    >>> t.columns.tolist()
    ['Case', 'Setting', 'Value', 'Read from', 'Our reading']
    >>> t[(t.Case == "B") & (t.Setting == "Timing of off-platform switch")]["Read from"].tolist()
    ['free choice']
    """
    g = grounds()
    quotes = data.load("oli_quotes").set_index("id")
    source = [
        "free choice" if free else f"Table A1, Case {quotes.loc[q, 'case']}, {quotes.loc[q, 'role']}"
        for q, free in zip(g["quote"], g["free"])
    ]
    reading = [b[0].upper() + b[1:] for b in g["basis"].str.replace("free choice: ", "", regex=False)]
    return pd.DataFrame(
        {
            "Case": g["case"],
            "Setting": g["parameter"].map(PARAMETER_LABELS),
            "Value": g["value"],
            "Read from": source,
            "Our reading": reading,
        }
    )


def sensitivity_table(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """Each preset's outcome in the model, how often it holds, and Table 1's outcome.

    ``sensitivity`` is a frame from :func:`~cocreation.oli.presets.preset_sensitivity`.

    >>> from cocreation.oli.presets import preset_sensitivity
    >>> sensitivity_table(preset_sensitivity(n_draws=3, n_runs=4, months=6)).columns.tolist()
    ['Case', 'Runs that renew at the preset', 'Model firm', 'Outcome holds in', 'Table 1']
    """
    columns = ("case", "preset_share", "model_stays", "holds", "stayed")
    frame_with("sensitivity", sensitivity, columns, "preset_sensitivity()")
    pct = lambda x: f"{100 * x:.0f}%"  # noqa: E731
    return pd.DataFrame(
        {
            "Case": sensitivity["case"],
            "Runs that renew at the preset": sensitivity["preset_share"].map(pct),
            "Model firm": sensitivity["model_stays"].map({True: "stays", False: "leaves"}),
            "Outcome holds in": sensitivity["holds"].map(lambda x: pct(x) + " of draws"),
            "Table 1": sensitivity["stayed"].map({True: "stayed", False: "left"}),
        }
    )


def renewal_table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Share of runs that renew per case, next to Table 1's outcome.

    ``outcomes`` is a frame from :func:`~cocreation.oli.presets.preset_outcomes`.

    >>> from cocreation.oli.presets import preset_outcomes
    >>> renewal_table(preset_outcomes(n_seeds=2, months=3)).columns.tolist()
    ['Case', 'Runs that renew', 'Table 1']
    """
    frame_with("outcomes", outcomes, ("case", "renew_share", "stayed"), "preset_outcomes()")
    renewal = outcomes.groupby("case")[["renew_share", "stayed"]].first().reset_index()
    renewal["Runs that renew"] = (100 * renewal["renew_share"]).round().astype(int).astype(str) + "%"
    renewal["Table 1"] = renewal["stayed"].map({True: "stayed", False: "left"})
    return renewal[["case", "Runs that renew", "Table 1"]].rename(columns={"case": "Case"})


def synthesis_facts() -> dict[str, str]:
    """What the synthesis chapter compares, read from this chapter's tables.

    >>> synthesis_facts()["n_cases"]
    '5'
    """
    cases = data.load("oli_cases")
    dims = data.load("oli_dimensions").sort_values("order")
    themes = data.load("oli_themes")
    concepts = data.load("oli_concepts")
    counts = [int(n) for roles in cases["interviewees"] for r in roles for n in re.findall(r"\((\d+)\)", r)]
    ids = sorted(cases["id"])
    last = dims.iloc[-1]
    return {
        "constructs": text.names(dims, "label"),
        "mechanisms": " → ".join(dims["label"]),
        "outcomes": f"{last['label']}: {last['definition']}",
        "n_cases": str(len(cases)),
        "case_ids": text.span(ids),
        "n_interviews": str(sum(counts)),
        "n_concepts": str(len(concepts)),
        "n_themes": str(len(themes)),
        "n_dimensions": str(len(dims)),
        "n_left": str(int((~cases["stayed"].astype(bool)).sum())),
    }
