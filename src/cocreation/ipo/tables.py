"""The tables the chapter page shows, from the paper's data (``data/ipo_*``).

The evidence of each actor path, the constructs, the risks of negative e-WOM, the
data sources (the paper's Table 1), the case's platform figures and the paper's
findings, ready to show with :func:`cocreation.display.table`.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from .. import data, text, validate
from .model import ACTORS

__all__ = [
    "STAGES",
    "evidence_for",
    "evidence_attribution",
    "data_sources_table",
    "constructs_table",
    "evidence_table",
    "risks_table",
    "findings",
    "case_facts_table",
    "synthesis_facts",
]

#: The three steps of an actor path, as the evidence table codes them.
STAGES: tuple[str, ...] = ("capability", "activation", "dissemination")


def evidence_for(path: str | None = None, stage: str | None = None) -> pd.DataFrame:
    """Evidence rows of ``data/ipo_evidence``, optionally for one path and one stage.

    >>> evidence_for("complementors", "dissemination")["organisation"].unique().tolist()[:2]
    ['Dewei Power', 'COMPAKS']
    """
    ev = data.load("ipo_evidence")
    if path is not None:
        ev = ev[ev["path"] == validate.choice("path", path, ACTORS)]
    if stage is not None:
        ev = ev[ev["stage"] == validate.choice("stage", stage, STAGES)]
    return ev.reset_index(drop=True)


def evidence_attribution(row: Mapping[str, Any] | pd.Series) -> str:
    """Where a quotation comes from, as the paper codes it: organisation and evidence codes.

    The paper names the informant only with the interview code E1, so the informant is
    shown beside that code, not as the speaker.

    >>> evidence_attribution({"organisation": "Dewei Power", "codes": ["E1", "E4"], "informant": "Directors"})
    'Dewei Power, evidence E1: Directors, E4'
    """
    if not hasattr(row, "get") or any(key not in row for key in ("organisation", "codes")):
        raise ValueError(f"row must be a mapping or table row with 'organisation' and 'codes', got {row!r}")
    informant = row.get("informant")
    codes = [f"{c}: {informant}" if c == "E1" and isinstance(informant, str) else c for c in row["codes"]]
    return f"{row['organisation']}, evidence " + ", ".join(codes)



def _int_text(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):g}"


def data_sources_table() -> pd.DataFrame:
    """Table 1 of the paper, ready to show (blank where the table gives no number).

    >>> data_sources_table()["Code"].tolist()[:2]
    ['E1 (Appendix B)', 'E1 (Appendix B)']
    """
    src = data.load("ipo_data_sources")
    codes = data.load("ipo_evidence_codes").set_index("code")["appendix"]
    records = src["records"].map(_int_text) + src["period"].map(lambda p: f" ({p})" if isinstance(p, str) else "")
    return pd.DataFrame(
        {
            "Data source": src["data_source"] + " (" + src["kind"] + ")",
            "Contents": src["contents"],
            "Interviewees": src["interviewees"].map(_int_text),
            "Interviews": src["interviews"].map(_int_text),
            "Hours each": src["hours_each"].map(_int_text),
            "Records": records,
            "Code": src["code"] + " (" + src["code"].map(codes) + ")",
        }
    )


def constructs_table(level: str = "component") -> pd.DataFrame:
    """Constructs with layer, actor, definition and the literature the paper builds on."""
    validate.choice("level", level, ("component", "umbrella"))
    cons = data.load("ipo_constructs")
    cons = cons[cons["level"] == level]
    actors = {"focal_firm": "Focal firm", "complementors": "Complementors", "users": "Users", "all": "All actors"}
    return pd.DataFrame(
        {
            "Construct": cons["label"],
            "Layer": cons["layer"].str.capitalize(),
            "Aimed at": cons["actor"].map(actors),
            "Definition (our words)": cons["definition"],
            "Built on": cons["basis"],
            "Section": cons["locator"],
        }
    )


def evidence_table(path: str) -> pd.DataFrame:
    """The evidence of one actor path, step by step, with figures and evidence codes.

    >>> evidence_table("users")["Step"].unique().tolist()
    ['P3: capability', 'P6a: activation', 'P6b: dissemination']
    """
    ev = evidence_for(validate.choice("path", path, ACTORS))
    return pd.DataFrame(
        {
            "Step": ev["proposition"] + ": " + ev["stage"],
            "Organisation": ev["organisation"],
            "What the case reports (our words)": ev["summary"],
            "Figure": ev["figure"].fillna(""),
            "Evidence": ev["codes"].map(", ".join)
            + ev["informant"].map(lambda r: f" ({r})" if isinstance(r, str) else ""),
            "Where": ev["locator"],
        }
    )


def risks_table() -> pd.DataFrame:
    """The negative e-WOM risks with their path (blank: the paper ties it to none)."""
    risks = data.load("ipo_risks")
    labels = data.load("ipo_paths").set_index("id")["actor"]
    return pd.DataFrame(
        {
            "Risk": risks["category"],
            "Path": risks["path"].map(labels).fillna("(none given)"),
            "Example": risks["organisation"],
            "How it arises (our words)": risks["mechanism"],
            "Evidence": risks["codes"].map(", ".join),
            "Where": risks["locator"],
        }
    )


def findings(kind: str) -> list[str]:
    """The paper's contributions, managerial implications or limitations, in order."""
    validate.choice("kind", kind, ("contribution", "managerial", "limitation"))
    f = data.load("ipo_findings")
    return f[f["kind"] == kind].sort_values("order")["text"].tolist()


def case_facts_table() -> pd.DataFrame:
    """The platform figures of the case-selection section (and the introduction's 91%)."""
    f = data.load("ipo_case_facts")
    return pd.DataFrame({"Figure": f["figure"], "Fact (our words)": f["fact"], "Section": f["locator"]})


def synthesis_facts() -> dict[str, str]:
    """What the synthesis chapter compares, read from this chapter's tables.

    >>> synthesis_facts()["codes"]
    'E1–E7'
    """
    constructs = data.load("ipo_constructs")
    label = constructs.set_index("id")["label"]
    paths = data.load("ipo_paths")
    props = data.load("ipo_propositions")
    sources = data.load("ipo_data_sources")
    risks = data.load("ipo_risks")
    findings = data.load("ipo_findings")
    by_layer = []
    for layer in ("input", "process", "outcome"):
        part = constructs[constructs["layer"] == layer]
        umbrella = part[part["level"] == "umbrella"]["label"].tolist()
        parts = part[part["level"] == "component"]["label"].tolist()
        by_layer.append(f"{layer.capitalize()}: " + "; ".join(umbrella) + (" (" + ", ".join(parts) + ")" if parts else ""))
    top = props[props["parent"].isna()]
    capability = top[top["kind"] == "capability"]["id"].tolist()
    mediation = top[top["kind"] == "mediation"]["id"].tolist()
    negative = constructs[constructs["id"] == "negative_ewom"]["label"]
    return {
        "actors": ", ".join(paths["actor"]),
        "constructs": "; ".join(by_layer),
        "mechanisms": "; ".join(
            f"{label[p.capability]} → {label[p.cocreation]} → {label[p.outcome]} ({p.actor.lower()})"
            for p in paths.itertuples()
        ),
        "outcomes": text.names(constructs[constructs["layer"] == "outcome"], "label"),
        "propositions": (
            f"{len(top)} propositions: {text.span(capability)} (a capability toward each actor) and "
            f"{text.span(mediation)} (mediation chains), with {len(props) - len(top)} sub-propositions"
        ),
        "dark_side": f"{negative.iloc[0] if len(negative) else 'Negative e-WOM'} through "
        + ", ".join(risks["category"].unique()) + " risks",
        "limitations": " ".join(
            text.first_sentence(t) for t in findings[findings["kind"] == "limitation"].sort_values("order")["text"]
        ),
        "n_interviewees": str(int(sources["interviewees"].sum())),
        "n_interviews": str(int(sources["interviews"].sum())),
        # Table 1 gives no total of the secondary data, so list each kind with its own count
        "secondary": ", ".join(
            r.data_source.lower() + (f" ({int(r.records)})" if pd.notna(r.records) else "")
            for r in sources[sources["kind"] == "secondary"].itertuples()
        ),
        "codes": text.span(sorted(sources["code"].unique())),
    }
