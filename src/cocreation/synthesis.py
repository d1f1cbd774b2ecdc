"""The synthesis chapter: the frameworks side by side and a map of their shared concepts.

Nothing here retypes what a chapter's table already holds. The comparison table fills
the templates of ``data/synthesis_frameworks.csv`` with facts computed from the chapter
tables (construct names, counts of interviews, cases, propositions), and the concept map
reads every node's name and definition from the chapter table that defines it
(``data/synthesis_node_tables.csv``). Only the cross-chapter links, their rationale and
the attributes no chapter table holds (actors, level of analysis, limitations ...) are
the synthesis's own data.

Examples
--------
>>> table = comparison_table()
>>> list(table.columns)[:2]
['Aspect', 'Foundations']
>>> "Users' reciprocal participation" in table.set_index("Aspect").loc["Key constructs", "Input → Process → Outcome"]
True
>>> spec = concept_map().to_dict()
>>> sorted(p["name"] for p in spec["params"])
['link_theme']
"""

from __future__ import annotations

import posixpath
import re
import string
import textwrap
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from . import charts, data, display, validate
from .charts import split_sides  # the map's two columns (a general layout helper)

__all__ = [
    "PAGE",
    "ASPECTS",
    "THEMES",
    "THEME_LABELS",
    "BASIS_LABELS",
    "NodeTable",
    "node_tables",
    "facts",
    "placeholders",
    "profile",
    "comparison_table",
    "href",
    "section_anchor",
    "nodes",
    "links",
    "evidence",
    "map_frames",
    "concept_map",
    "theme_counts",
]

#: Docname of this chapter's page; hrefs are relative to it.
PAGE = "book/synthesis/frameworks_compared"
ROOT = Path(__file__).resolve().parents[2]

#: Rows of the comparison table: (column of synthesis_frameworks, row label).
ASPECTS: tuple[tuple[str, str], ...] = (
    ("actors", "Actors"),
    ("level_of_analysis", "Level of analysis"),
    ("lenses", "Theoretical lenses"),
    ("method", "Method and data"),
    ("constructs", "Key constructs"),
    ("mechanisms", "Mechanisms"),
    ("outcomes", "Outcomes"),
    ("propositions", "Propositions or claims"),
    ("dark_side", "Dark side and tensions"),
    ("limitations", "Limitations"),
)
THEMES = ("grounding", "bright_side", "dark_side")
THEME_LABELS = {"grounding": "Grounding", "bright_side": "Bright side", "dark_side": "Dark side"}
THEME_COLOURS = {"grounding": charts.PALETTE[0], "bright_side": charts.PALETTE[2], "dark_side": charts.PALETTE[5]}
BASIS_LABELS = {"stated": "stated by a source", "interpretation": "the book's interpretation"}


# --- nodes: which chapter tables supply constructs ----------------------------------


@dataclass(frozen=True)
class NodeTable:
    """A chapter table whose rows can be concept-map nodes.

    >>> node_tables()["ipo_constructs"].label_field
    'label'
    """

    table: str
    chapter: str
    id_field: str
    label_field: str
    definition_field: str
    section: str


def node_tables() -> dict[str, NodeTable]:
    """The declarations of ``data/synthesis_node_tables.csv``, keyed by table name."""
    frame = data.load("synthesis_node_tables")
    return {row["table"]: NodeTable(**row) for row in frame.to_dict(orient="records")}


def _chapters() -> pd.DataFrame:
    return data.load("chapters").set_index("id")


# --- facts: each chapter reports them from its own tables ----------------------------


def facts(chapter: str) -> dict[str, str]:
    """Values for the templates of ``chapter``: its package's ``synthesis_facts()``.

    Each chapter computes them from its own tables, so adding a chapter needs no change here.

    Raises
    ------
    ValueError
        If ``chapter`` is not one of the chapters of ``data/chapters.csv``.

    Examples
    --------
    >>> facts("oli")["n_cases"]
    '5'
    >>> facts("intro")
    Traceback (most recent call last):
    ...
    ValueError: chapter must be one of 'coopetition', 'foundations', 'ipo', 'oli', 'typology', got 'intro'
    """
    from . import registry

    validate.choice("chapter", chapter, sorted(registry.chapter_ids()))
    found = registry.module(chapter).synthesis_facts()
    return {k: v for k, v in found.items() if not k.startswith("_")}


def placeholders(template: str) -> list[str]:
    """The ``{name}`` placeholders of a template.

    >>> placeholders("{n_cases} cases, {n_interviews} interviews")
    ['n_cases', 'n_interviews']
    """
    validate.text("template", template, empty=True)
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name]
    except ValueError as err:  # an unmatched brace
        raise ValueError(f"template must be a format string with {{name}} placeholders, got {template!r}: {err}") from None


def profile(chapter: str) -> dict[str, str]:
    """One chapter's framework, aspect by aspect: its templates filled with its facts.

    Raises
    ------
    ValueError
        If a template names a placeholder that the chapter's facts do not provide.

    Examples
    --------
    >>> profile("typology")["method"].startswith("Single case study")
    True
    """
    rows = data.load("synthesis_frameworks").set_index("chapter")
    validate.choice("chapter", chapter, sorted(rows.index))
    values = facts(chapter)
    out = {}
    for column, _ in ASPECTS:
        template = rows.loc[chapter, column]
        missing = [p for p in placeholders(template) if p not in values]
        if missing:
            raise ValueError(
                f"synthesis_frameworks: row {chapter!r}, column {column!r} names unknown "
                f"placeholders {missing}; known: {sorted(values)}"
            )
        out[column] = template.format(**values)
    return out


def comparison_table(chapters: list[str] | None = None) -> pd.DataFrame:
    """The frameworks side by side: one column per chapter, one row per aspect.

    Parameters
    ----------
    chapters
        Chapter ids in display order; default: every chapter of ``data/chapters.csv``
        that has a row in ``synthesis_frameworks`` (a new chapter joins the comparison
        when its row is written), in book order.

    Returns
    -------
    pandas.DataFrame
        Column ``Aspect`` and one column per chapter, headed by the chapter's title. The
        first row names the source each framework rests on.

    Examples
    --------
    >>> comparison_table(["oli"]).iloc[0].tolist()[0]
    'Source'
    >>> comparison_table(["nope"])
    Traceback (most recent call last):
    ...
    ValueError: chapters must be ids of data/chapters.csv (...), got ['nope']
    """
    meta = _chapters()
    compared = set(data.load("synthesis_frameworks")["chapter"])
    if chapters is not None and (not isinstance(chapters, (list, tuple)) or not all(isinstance(c, str) for c in chapters)):
        raise ValueError(f"chapters must be a list of ids of data/chapters.csv ({', '.join(meta.index)}), got {chapters!r}")
    chosen = list(chapters) if chapters is not None else [c for c in meta.index if c in compared]
    unknown = [c for c in chosen if c not in meta.index]
    if unknown or not chosen:
        raise ValueError(f"chapters must be ids of data/chapters.csv ({', '.join(meta.index)}), got {unknown or chosen}")
    sources = data.load("sources").set_index("id")
    table: dict[str, list[str]] = {"Aspect": ["Source", "Framework"] + [label for _, label in ASPECTS]}
    for chapter in chosen:
        row = meta.loc[chapter]
        src = sources.loc[row["source"]]
        filled = profile(chapter)
        table[row["title"]] = [f"{src['title']} ({src['label']})", row["framework"]] + [
            filled[column] for column, _ in ASPECTS
        ]
    return pd.DataFrame(table)


# --- links to the chapter pages -----------------------------------------------------


def _slug(heading: str) -> str:
    from docutils.nodes import make_id

    return make_id(heading)


def section_anchor(page: str, heading: str, root: Path | None = None) -> str | None:
    """The HTML id of ``heading`` on ``page`` if the page has that heading, else None.

    >>> section_anchor("book/ipo/cosmoplat_ewom", "The constructs")
    'the-constructs'
    >>> section_anchor("book/ipo/cosmoplat_ewom", "No such heading") is None
    True
    """
    validate.text("page", page)
    validate.text("heading", heading)
    if root is not None and not isinstance(root, (str, Path)):
        raise ValueError(f"root must be a folder (a path), got {root!r}")
    path = Path(root or ROOT) / f"{page}.md"
    if not path.exists():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*$", line)
        if match and match.group(1) == heading:
            return _slug(heading)
    return None


def href(chapter: str, section: str | None = None) -> str:
    """Relative URL from this page to ``chapter``'s page (and section, if it exists).

    Examples
    --------
    >>> href("ipo")
    '../ipo/cosmoplat_ewom.html'
    >>> href("ipo", "The constructs")
    '../ipo/cosmoplat_ewom.html#the-constructs'
    """
    meta = _chapters()
    validate.choice("chapter", chapter, list(meta.index))
    if section is not None:
        validate.text("section", section)
    page = meta.loc[chapter, "page"]
    url = posixpath.relpath(page, posixpath.dirname(PAGE)) + ".html"
    anchor = section_anchor(page, section) if section else None
    return f"{url}#{anchor}" if anchor else url


# --- the concept map ----------------------------------------------------------------


def _node_key(table: str, row_id: str) -> str:
    return f"{table}:{row_id}"


def links() -> pd.DataFrame:
    """The cross-chapter links with both ends resolved to chapter, name and source.

    Raises
    ------
    ValueError
        If a link names a table that is not declared in ``synthesis_node_tables`` or an
        id that the chapter table does not hold (for example after a chapter renamed it).

    Examples
    --------
    >>> frame = links()
    >>> set(frame["theme"]) == set(THEMES)
    True
    """
    frame = data.load("synthesis_links")
    tables = node_tables()
    meta = _chapters()
    for end in ("from", "to"):
        chapters, names, keys = [], [], []
        for number, (table, row_id) in enumerate(zip(frame[f"{end}_table"], frame[f"{end}_id"]), start=1):
            if table not in tables:
                raise ValueError(
                    f"synthesis_links: row {number}, column '{end}_table': {table!r} is not declared "
                    f"in synthesis_node_tables ({', '.join(tables)})"
                )
            spec = tables[table]
            rows = data.load(table).set_index(spec.id_field, drop=False)
            if row_id not in rows.index:
                raise ValueError(
                    f"synthesis_links: row {number}, column '{end}_id': {row_id!r} is not an "
                    f"{spec.id_field!r} of table {table!r}"
                )
            chapters.append(spec.chapter)
            names.append(str(rows.loc[row_id, spec.label_field]))
            keys.append(_node_key(table, row_id))
        frame[f"{end}_chapter"] = chapters
        frame[f"{end}_label"] = names
        frame[f"{end}_key"] = keys
        frame[f"{end}_source"] = [meta.loc[c, "source"] for c in chapters]
    same = frame[frame["from_chapter"] == frame["to_chapter"]]
    if len(same):
        raise ValueError(f"synthesis_links: links must join two chapters; {same['id'].tolist()} do not")
    return frame


def nodes() -> pd.DataFrame:
    """Every construct that a link touches, with its name and definition read from its table.

    Columns: ``key``, ``table``, ``id``, ``chapter``, ``chapter_title``, ``label``, ``definition``,
    ``source`` (source id), ``source_label`` (as cited), ``href``, ``themes`` (``;``-joined).

    >>> n = nodes()
    >>> n.set_index("key").loc["oli_dimensions:engagement", "href"]
    '../oli/cbec_new_oli.html#the-data-structure'
    """
    tables = node_tables()
    meta = _chapters()
    order = {c: i for i, c in enumerate(meta.index)}
    table_order = {t: i for i, t in enumerate(tables)}
    frame = links()
    rows: dict[str, dict[str, object]] = {}
    for end in ("from", "to"):
        for link in frame.itertuples():
            table, row_id = getattr(link, f"{end}_table"), getattr(link, f"{end}_id")
            key = _node_key(table, row_id)
            if key not in rows:
                spec = tables[table]
                source_rows = data.load(table).set_index(spec.id_field, drop=False)
                rows[key] = {
                    "key": key,
                    "table": table,
                    "id": row_id,
                    "chapter": spec.chapter,
                    "chapter_title": meta.loc[spec.chapter, "title"],
                    "label": str(source_rows.loc[row_id, spec.label_field]),
                    "definition": str(source_rows.loc[row_id, spec.definition_field]),
                    "source": meta.loc[spec.chapter, "source"],
                    "source_label": data.source_label(meta.loc[spec.chapter, "source"]),
                    "href": href(spec.chapter, spec.section),
                    "themes": set(),
                    "_rank": (order[spec.chapter], table_order[table], row_id),
                }
            rows[key]["themes"].add(link.theme)  # type: ignore[union-attr]
    out = pd.DataFrame(sorted(rows.values(), key=lambda r: r["_rank"]))  # type: ignore[arg-type,return-value]
    out["themes"] = out["themes"].map(lambda s: ";".join(t for t in THEMES if t in s))
    return out.drop(columns="_rank").reset_index(drop=True)


def evidence() -> pd.DataFrame:
    """The verbatim support of each link end, with the link's two construct names.

    >>> evidence()[["link", "end", "source"]].iloc[0].tolist()
    ['sdl_engagement', 'to', '004']
    """
    ev = data.load("synthesis_evidence")
    lk = links().set_index("id")
    ev["construct"] = [lk.loc[r.link, f"{r.end}_label"] for r in ev.itertuples()]
    ev["link_text"] = [f"{lk.loc[l, 'from_label']} {lk.loc[l, 'relation']} {lk.loc[l, 'to_label']}" for l in ev["link"]]
    return ev


def _wrap(label: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def map_frames(gap: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and edge frames of the concept map.

    Chapters sit in two columns (:func:`cocreation.charts.split_sides`), each node on the right or left arc
    of an ellipse, spaced evenly from top to bottom with ``gap`` empty slots between
    chapters. Every edge gets its ends' coordinates.

    >>> n, e = map_frames()
    >>> bool((n["y"].abs() <= 1).all() and (n["x"].abs() >= 0.45).all())
    True
    >>> len(e) == len(links())
    True
    >>> map_frames(gap=float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: gap must be an integer in [0, 20], got nan
    """
    gap = validate.integer("gap", gap, 0, 20)
    n = nodes()
    e0 = links()
    counts = n.groupby("chapter", sort=False).size().to_dict()
    right, left = split_sides(counts, list(zip(e0["from_chapter"], e0["to_chapter"])))
    n["side"] = np.where(n["chapter"].isin(right), "right", "left")
    n["x"], n["y"] = 0.0, 0.0
    for side, sign in (("right", 1.0), ("left", -1.0)):
        rows = n.index[n["side"] == side]
        slots, slot, previous = [], 0, None
        for chapter in n.loc[rows, "chapter"]:
            if previous is not None and chapter != previous:
                slot += gap
            slots.append(slot)
            slot += 1
            previous = chapter
        top = max(slot - 1, 1)
        y = 0.95 - 1.9 * np.array(slots, dtype=float) / top if slot > 1 else np.zeros(len(rows))
        n.loc[rows, "y"] = y
        n.loc[rows, "x"] = sign * (0.45 + 0.55 * np.sqrt(np.clip(1 - y**2, 0, 1)))
    n["lx"] = n["x"] + np.where(n["side"] == "right", 0.06, -0.06)
    n["ly"] = n["y"]
    n["short"] = n["label"].map(_wrap)
    n["themes_key"] = ";" + n["themes"] + ";"
    pos = n.set_index("key")
    e = links()
    for end, (cx, cy) in (("from", ("x", "y")), ("to", ("x2", "y2"))):
        e[cx] = e[f"{end}_key"].map(pos["x"])
        e[cy] = e[f"{end}_key"].map(pos["y"])
    e["theme_label"] = e["theme"].map(THEME_LABELS)
    e["basis_label"] = e["basis"].map(BASIS_LABELS)
    e["link"] = e["from_label"] + " " + e["relation"] + " " + e["to_label"]
    titles = _chapters()["title"]
    e["ends"] = [
        f"{titles[r.from_chapter]} ({display.credit(r.from_source, r.from_locator)}) ↔ "
        f"{titles[r.to_chapter]} ({display.credit(r.to_source, r.to_locator)})"
        for r in e.itertuples()
    ]
    return n, e


def concept_map(width: int = 640, height: int = 640) -> alt.LayerChart:
    """The concept map: constructs of every chapter on a circle, joined across chapters.

    Hovering a node shows its definition (read from its chapter's table); clicking it
    opens the chapter section (Vega's ``href``). Hovering a link shows its rationale and
    the sources of both ends. A dropdown (``link_theme``) fades all but one theme.

    Examples
    --------
    >>> spec = concept_map().to_dict()
    >>> spec["params"][0]["bind"]["options"]
    ['All', 'grounding', 'bright_side', 'dark_side']
    """
    width = charts.size("width", width)
    height = charts.size("height", height)
    n, e = map_frames()
    xs = alt.Scale(domain=[-2.1, 2.1])
    ys = alt.Scale(domain=[-1.06, 1.06])
    x = alt.X("x:Q", scale=xs, axis=None)
    y = alt.Y("y:Q", scale=ys, axis=None)
    theme = alt.param(
        name="link_theme",
        value="All",
        bind=alt.binding_select(
            options=["All", *THEMES], labels=["All", *(THEME_LABELS[t] for t in THEMES)], name="Links "
        ),
    )
    edge_on = "link_theme == 'All' || datum.theme == link_theme"
    node_on = "link_theme == 'All' || indexof(datum.themes_key, ';' + link_theme + ';') >= 0"
    titles = _chapters()["title"].tolist()
    edges = (
        alt.Chart(e[["x", "y", "x2", "y2", "theme", "theme_label", "basis", "basis_label", "link", "rationale", "ends"]])
        .mark_rule(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "theme_label:N", title="Link",
                scale=alt.Scale(domain=[THEME_LABELS[t] for t in THEMES], range=[THEME_COLOURS[t] for t in THEMES]),
                legend=alt.Legend(title="Link", orient="bottom", direction="vertical"),
            ),
            strokeDash=alt.StrokeDash(
                "basis_label:N", title="Basis",
                scale=alt.Scale(domain=list(BASIS_LABELS.values()), range=[[1, 0], [6, 4]]),
                legend=alt.Legend(title="Basis", orient="bottom", direction="vertical"),
            ),
            opacity=alt.condition(edge_on, alt.value(0.9), alt.value(0.08)),
            tooltip=[
                alt.Tooltip("link:N", title="Link"),
                alt.Tooltip("rationale:N", title="Why"),
                alt.Tooltip("basis_label:N", title="Basis"),
                alt.Tooltip("ends:N", title="Chapters and sources"),
            ],
        )
    )
    node_columns = ["x", "y", "label", "chapter_title", "definition", "source_label", "href", "themes_key"]
    node_tooltip = [
        alt.Tooltip("label:N", title="Construct"),
        alt.Tooltip("chapter_title:N", title="Chapter"),
        alt.Tooltip("definition:N", title="Definition"),
        alt.Tooltip("source_label:N", title="Source"),
    ]
    points = (
        alt.Chart(n[node_columns])
        .mark_point(size=200, filled=True, color="#444444", stroke="white", strokeWidth=1.5, cursor="pointer")
        .encode(
            x=x,
            y=y,
            # colour means the link's theme only: a node's chapter is its shape
            shape=alt.Shape("chapter_title:N", title="Chapter", sort=titles,
                            scale=alt.Scale(range=["circle", "square", "diamond", "triangle-up", "triangle-down", "cross"]),
                            legend=alt.Legend(title="Chapter", orient="top", columns=2, labelLimit=280)),
            opacity=alt.condition(node_on, alt.value(1.0), alt.value(0.2)),
            href="href:N",
            tooltip=node_tooltip,
        )
    )
    label_columns = ["lx", "ly", "short", "side", "label", "chapter_title", "definition", "source_label", "href", "themes_key"]
    labels = []
    for side, align in (("right", "left"), ("left", "right")):
        labels.append(
            alt.Chart(n[label_columns])
            .transform_filter(f"datum.side == '{side}'")
            .mark_text(align=align, baseline="middle", fontSize=11, lineBreak="\n", cursor="pointer")
            .encode(
                x=alt.X("lx:Q", scale=xs, axis=None),
                y=alt.Y("ly:Q", scale=ys, axis=None),
                text="short:N",
                opacity=alt.condition(node_on, alt.value(1.0), alt.value(0.25)),
                href="href:N",
                tooltip=node_tooltip,
            )
        )
    description = (
        "Concept map: " + str(len(n)) + " constructs from " + str(n["chapter"].nunique())
        + " chapters joined by " + str(len(e)) + " cross-chapter links. "
        + "; ".join(e["link"])
    )
    return (
        alt.layer(edges, points, *labels)
        .add_params(theme)
        .properties(width=width, height=height, description=description)
        .resolve_scale(color="independent")
    )


def theme_counts() -> pd.DataFrame:
    """Links per theme and basis (a quick check of how much of the map is interpretation).

    >>> int(theme_counts()["links"].sum()) == len(links())
    True
    """
    e = links()
    out = e.groupby(["theme", "basis"]).size().rename("links").reset_index()
    out["theme"] = out["theme"].map(THEME_LABELS)
    out["basis"] = out["basis"].map(BASIS_LABELS)
    return out
