"""Slide decks for instructors: one offline HTML deck per chapter, built from the book's data.

Nothing here is written per chapter by hand. Each deck is assembled from what the
chapter already uses: its learning objectives and "For managers" takeaways (read from
the chapter page), its row of the synthesis comparison table, tables from its data and
``tables`` module, static SVG images of its charts (its own figure functions at their
default settings, rendered by ``vl-convert`` without a browser, captioned as on the
page), public self-check questions with the answer on the next slide, the discussion
questions of its in-class activity, and its sources, credited as readers cite them.
:mod:`cocreation.slides_html` writes the HTML.

The book build writes the decks into the site (``_downloads/slides/``) through the
``build-finished`` hook of this Sphinx extension; the ``slide-decks`` directive on the
instructor guide links them. The student edition, which has no instructor pages, gets
none. From the command line::

    python -m cocreation.slides --out DIR

Examples
--------
>>> cite_text("as {cite:t}`liu2025cosmoplat` show {cite:p}`zhang2021coopetition`")
'as Liu et al. (2025) show (Zhang et al., 2021)'
>>> deck_chapters()[0], deck_chapters()[-1]
('foundations', 'synthesis')
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from . import data, registry, selfcheck, validate
from .slides_html import Slide, deck_html, esc, legends_at, rewrap, svg_of, table_html, x_window

__all__ = ["deck_chapters", "deck", "deck_slides", "write_decks", "cite_text", "FOLDER", "deck_file",
           "setup"]

#: Where the decks go in the built site.
FOLDER = "_downloads/slides"
ROOT = Path(__file__).resolve().parents[2]
ACTIVITIES = "book/instructors/activities.md"


def deck_file(chapter: str) -> str:
    """The file name of a chapter's deck.

    >>> deck_file("ipo")
    'slides_ipo.html'
    """
    return f"slides_{validate.choice('chapter', chapter, deck_chapters())}.html"


def deck_chapters() -> list[str]:
    """The chapters that get a deck, in book order: the registry's, then the synthesis."""
    return registry.chapter_ids() + ["synthesis"]


def _page(chapter: str) -> str:
    from . import synthesis

    return registry.chapter(chapter)["page"] if chapter in registry.chapter_ids() else synthesis.PAGE


def _title(chapter: str) -> str:
    return selfcheck.chapter_title(chapter) if chapter != "synthesis" else "Synthesis: the frameworks compared"


# --- declarations: what each deck shows -------------------------------------------

@dataclass(frozen=True)
class Figure:
    """A chart: its figure name on a chapter page (``chapter``, default the deck's), a heading, its builder.

    ``build`` takes the chart's ``width`` and ``height`` when ``size`` is given (a
    slide-shaped size instead of the page's). A dense chart can fill two slides: ``part``
    keeps one row of a vertically stacked chart, ``window`` the nodes of a diagram whose
    ``x`` is in that range. ``legend`` moves the legends (e.g. beside a wide diagram);
    ``lines`` rewraps the labels the page wraps onto that many lines, where a slide is wider than the page.
    """

    name: str
    heading: str
    build: Callable[..., Any]
    chapter: str = ""
    size: tuple[int, int] | None = None
    part: int | None = None
    window: tuple[float, float] | None = None
    legend: str = ""
    lines: int = 0

    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec shown on the slide (the page's chart is left as it is)."""
        chart = self.build(width=self.size[0], height=self.size[1]) if self.size else self.build()
        spec = chart.to_dict()
        if self.part is not None:
            rows = spec.get("vconcat", [])
            if not 0 <= self.part < len(rows):
                raise ValueError(f"part must be a row of the stacked chart {self.name!r}, got {self.part!r}")
            spec = {**spec, "vconcat": [rows[self.part]]}
        if self.window:
            spec = x_window(spec, *self.window)
        spec = rewrap(spec, self.lines) if self.lines else spec
        return legends_at(spec, self.legend) if self.legend else spec


@dataclass(frozen=True)
class Table:
    """A table of the chapter, credited to ``source`` at ``locator``."""

    heading: str
    build: Callable[[], pd.DataFrame]
    source: str
    locator: str


def _m(name: str) -> Any:
    import importlib

    return importlib.import_module(f"cocreation.{name}")


def _renamed(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    return frame[list(columns)].rename(columns=columns)


def _scan_facts() -> pd.DataFrame:
    s = _m("foundations").scan_summary()
    rows = [(f"Articles found in {db}", n) for db, n in s.searched.items()]
    rows += [("Articles selected for the review", s.selected), ("Period of the keyword analysis", s.period),
             ("Software of the keyword analysis", s.tool)]
    return pd.DataFrame(rows, columns=["Scan", "As reported"])


def _coop_table() -> pd.DataFrame:
    return _m("coopetition").scenario_table(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0, power=0.5)


COOP_COLUMNS = {"scenario": "Scenario", "A": "A", "a": "a", "t": "t", "s": "s", "profit_platform": "π platform",
                "profit_participant": "π participant", "total": "joint", "phi": "φ"}


def _synthesis_rows(aspects: list[str]) -> pd.DataFrame:
    table = _m("synthesis").comparison_table().set_index("Aspect")
    return table.loc[aspects].T.rename_axis("Chapter").reset_index()


#: A slide-shaped size (width, height) for diagrams whose page size is portrait.
WIDE = (880, 400)
#: The concept map's size on a slide, where its labels fit on one line each.
MAP = (900, 380)

#: The framework's columns up to co-creation, and from it (the diagram's x runs from 0 to 1), and
#: each half's size; the labels go on two lines, as six nodes stack in one column.
HALVES = (((0.0, 0.58), WIDE), ((0.56, 1.0), (880, 440)))


def _framework(first: str, second: str, chapter: str = "") -> tuple[Figure, ...]:
    """The foundations framework on two slides, the co-creation node on both."""
    return tuple(Figure("fig-foundations-framework", heading, lambda **size: _m("foundations").framework_chart(**size),
                        chapter, size=size, window=half, lines=2) for heading, (half, size) in zip((first, second), HALVES))


#: What each deck shows besides what every deck has (a chapter without entries gets a
#: deck of its page, questions and sources only).
FIGURES: dict[str, tuple[Figure, ...]] = {
    "foundations": (
        Figure("fig-foundations-scan", "The review's literature search", lambda: _m("foundations").scan_chart()),
        *_framework("The framework (1 of 2): lenses and drivers to co-creation",
                    "The framework (2 of 2): co-creation to outcomes"),
    ),
    "ipo": (
        Figure("fig-ipo-framework", "Input → Process → Outcome, actor by actor", lambda: _m("ipo").framework_chart()),
        Figure("fig-ipo-evidence", "The evidence behind each path", lambda: _m("ipo").evidence_chart()),
        Figure("fig-ipo-power", "How many respondents would a survey need?", lambda: _m("ipo").power_explorer()),
    ),
    "typology": (
        Figure("fig-typology-case", "The case: six organisations", lambda: _m("typology").case_diagram()),
        Figure("fig-typology-stakeholders", "The nineteen interviewees", lambda: _m("typology").stakeholder_chart()),
        # the matrix without its click-to-inspect panels, which show one preselected cell in a picture
        Figure("fig-typology-matrix", "Capabilities × value types", lambda: _m("typology").matrix_chart(), part=0),
    ),
    "oli": (
        # the sizes without the chosen case's Table 1 row, which the "Cases A–E" slide shows for all five
        Figure("fig-oli-cases", "Five exporters on one platform", lambda: _m("oli").case_chart(), part=0),
        Figure("fig-oli-caseb", "Case B: why it stayed", lambda: _m("oli").case_b_chart(seed=0)),
        Figure("fig-oli-advantages", "How the advantages build up", lambda: _m("oli").advantages_chart()),
    ),
    "coopetition": (
        Figure("fig-coop-share", "Who keeps the gain?", lambda: _m("coopetition").share_chart()),
        Figure("fig-coop-profits", "Profits by scenario", lambda: _m("coopetition").profit_chart(_coop_table())),
        Figure("fig-coop-explorer", "The game at default settings: profits and the gain",
               lambda: _m("coopetition").profit_explorer(), part=0),
        Figure("fig-coop-explorer", "The game at default settings: where support is active",
               lambda: _m("coopetition").profit_explorer(), part=1),
    ),
    "synthesis": (
        Figure("fig-synthesis-map", "A map of shared concepts", lambda **size: _m("synthesis").concept_map(**size),
               size=MAP, lines=1),
        *_framework("The general lens (1 of 2): lenses and drivers to co-creation",
                    "The general lens (2 of 2): co-creation to outcomes", "foundations"),
        Figure("fig-ipo-framework", "A case framework: Input → Process → Outcome", lambda: _m("ipo").framework_chart(), "ipo"),
    ),
}

TABLES: dict[str, tuple[Table, ...]] = {
    "foundations": (
        Table("Goods-dominant and service-dominant logic", lambda: _renamed(data.load("foundations_logics"), {
            "aspect": "Aspect", "goods_dominant": "Goods-dominant logic", "service_dominant": "Service-dominant logic"}),
            "003", "1; 2.1"),
        Table("The literature scan in numbers", _scan_facts, "003", "3.1"),
    ),
    "ipo": (
        Table("COSMOPlat in figures", lambda: _m("ipo").case_facts_table(), "000", "3.1; 1"),
        Table("The components, by layer and actor", lambda: _m("ipo").constructs_table("component")[
            ["Construct", "Layer", "Aimed at"]], "000", "2.2; 2.3; Table 2"),
        Table("Risks of negative e-WOM", lambda: _m("ipo").risks_table()[["Risk", "Path", "Example", "Where"]], "000", "4.2"),
    ),
    "typology": (
        Table("Four value types and their dimensions", lambda: _renamed(_m("typology").value_table(), {
            "name": "Value type", "dimensions": "Dimensions"}), "001", "Table 3"),
        Table("Interviewees and their years of experience", lambda: _renamed(_m("typology").experience_summary(), {
            "group": "Stakeholder group", "interviewees": "Interviewees", "mean_years": "Mean years",
            "min_years": "Fewest years", "max_years": "Most years"}), "001", "Table 2"),
    ),
    "oli": (
        Table("Figures reported in the study", lambda: _renamed(data.load("oli_figures"), {
            "label": "Figure", "value": "Value", "unit": "Unit"}), "004", "1; 3"),
        Table("Cases A–E", lambda: _m("oli").case_table()[
            ["Case", "Employees", "Products", "Already exporting", "Stayed after two years"]], "004", "Table 1"),
    ),
    "coopetition": (
        Table("The three scenarios at illustrative values", lambda: _renamed(_coop_table(), COOP_COLUMNS).round(3),
              "002", "Abstract"),
        Table("The abstract's three claims, and how the model reads them", lambda: _renamed(
            data.load("coopetition_claims"), {"claim": "Claim", "quote": "The abstract", "model_reading": "In the model"}),
            "002", "Abstract"),
    ),
    "synthesis": (
        Table("Five frameworks side by side", lambda: _synthesis_rows(["Framework", "Method and data"]), "book", ""),
        Table("Outcomes and the dark side", lambda: _synthesis_rows(["Outcomes", "Dark side and tensions"]), "book", ""),
        Table("Links on the concept map, by theme and basis", lambda: _renamed(_m("synthesis").theme_counts(), {
            "theme": "Theme", "basis": "Basis", "links": "Links"}), "book", ""),
    ),
}

#: The heading of each chapter's in-class activity on the activities page.
ACTIVITY = {"foundations": "Foundations", "ipo": "COSMOPlat", "typology": "Industrial AI",
            "oli": "Cross-border e-commerce", "coopetition": "Coopetition", "synthesis": "Across chapters"}
GLANCE = ["Actors", "Method and data", "Outcomes", "Dark side and tensions"]
QUESTIONS = 3


# --- reading the chapter page ------------------------------------------------------

def _labels() -> dict[str, str]:
    s = data.load("sources")
    return dict(zip(s["citation_key"], s["label"]))


def _ids() -> dict[str, str]:
    s = data.load("sources")
    return dict(zip(s["citation_key"], s["id"]))


def _paren(label: str) -> str:
    m = re.fullmatch(r"(.+) \((\d{4}[a-z]?)\)", label)
    return f"{m.group(1)}, {m.group(2)}" if m else label


def cite_text(text: str) -> str:
    """``text`` with its citation roles as readers see them: author-year or short title."""
    labels = _labels()

    def one(m: re.Match) -> str:
        keys = [k.strip() for k in m.group(2).split(",")]
        names = [labels.get(k, k) for k in keys]
        return "; ".join(names) if m.group(1) == "t" else "(" + "; ".join(_paren(n) for n in names) + ")"

    return re.sub(r"\{cite:(p|t)\}`([^`]+)`", one, text)


def cited_sources(text: str) -> list[str]:
    """Source ids cited in ``text``, in order of first citation."""
    ids = _ids()
    found: list[str] = []
    for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text):
        for key in group.split(","):
            sid = ids.get(key.strip())
            if sid and sid not in found:
                found.append(sid)
    return found


def _inline(text: str) -> str:
    """Markdown-ish page text as slide HTML: roles to their shown text, bold and italics."""
    text = cite_text(text)
    text = re.sub(r"\{numref\}`[^`]*`", "the figure", text)
    text = re.sub(r"\{ref\}`[a-z]+_ex\d+`", "a chapter exercise", text)
    text = re.sub(r"\{(?:ref|doc)\}`[^`<]*`", "the chapter", text)
    text = re.sub(r"\{\w+\}`([^`<]*?)\s*(?:<[^>]*>)?`", r"\1", text)
    text = esc(re.sub(r"\$([^$]+)\$", r"\1", text).replace("`", ""))
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)\*(?!\w)", r"<em>\1</em>", text)


def _bullets(block: str) -> list[str]:
    items: list[str] = []
    for line in block.splitlines():
        if re.match(r"^(- |\d+\. )", line):
            items.append(re.sub(r"^(- |\d+\. )", "", line).strip())
        elif items and line.startswith("   ") and line.strip() and not line.strip().startswith("```"):
            items[-1] += " " + line.strip()
    return items


def objectives(page: str) -> list[str]:
    """The learning objectives of the page's Overview, citations as readers see them."""
    return selfcheck.objectives_of(cite_text(page))


def takeaways(page: str) -> list[str]:
    """The bullets of the page's "For managers" box (page markup kept)."""
    m = re.search(r"^```\{admonition\} For managers.*?\n:class: for-managers\n(.*?)^```", page, re.M | re.S)
    return _bullets(m.group(1)) if m else []


def figure_caption(page: str, name: str) -> str:
    """A figure's caption on the page, without its file names and its on-screen instructions."""
    m = re.search(r":\s+caption: (.+)\n:\s+name: " + re.escape(name) + r"\s*$", page, re.M)
    if not m:
        raise ValueError(f"name must be a figure on the page, got {name!r}")
    screen = re.compile(r"\b(Hover|Click|Choose|Pick|Point at|Move|Drag|dropdown|menu|slider|in the page)", re.I)
    kept: list[str] = []
    for part in re.split(r"(?<=[.;])\s+", m.group(1).strip().strip("'\"")):
        plain = re.sub(r",? from `[^`]*`", "", part)
        if screen.search(part) or "`" in plain or ("`" in part and " " not in plain):
            if kept and kept[-1].endswith(";"):
                kept[-1] = kept[-1][:-1] + "."
            continue
        kept.append(plain)
    return " ".join(kept)


def discussion(activities: str, chapter: str) -> list[str]:
    """The discussion questions of the chapter's in-class activity (without model answers)."""
    m = chapter in ACTIVITY and re.search(r"^## " + re.escape(ACTIVITY[chapter]) + r".*?$(.*?)(?=^## |\Z)",
                                          activities, re.M | re.S)
    if not m:
        return []
    block = m.group(1).split("### Discussion questions", 1)[-1]
    block = re.sub(r"^\s*```\{dropdown\}.*?^\s*```\s*$", "", block, flags=re.M | re.S)
    return [q for q in _bullets(block) if q]


# --- the slides ---------------------------------------------------------------------

def _list(items: list[str], tag: str = "ul", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"


def _credit(source: str, locator: str = "") -> str:
    from . import display

    if source == "book":
        return "This book's reading of the chapters"
    return display.credit(source, locator) if locator else data.source_label(source)


def pick_questions(chapter: str, n: int = QUESTIONS) -> list[selfcheck.Question]:
    """``n`` public self-check questions: the first of each kind in table order, then the next ones."""
    bank = selfcheck.questions(chapter) if chapter in selfcheck.chapters() else []
    public = [q for q in bank if q.public and q.kind != "short"]
    first = {}
    for q in public:
        first.setdefault(q.kind, q)
    chosen = list(first.values())[:n]
    chosen += [q for q in public if q not in chosen][: n - len(chosen)]
    return sorted(chosen, key=public.index)


def _question_body(q: selfcheck.Question) -> str:
    body = f"<p>{esc(q.prompt)}</p>"
    if q.kind == "choice":
        body += _list([esc(o.text) for o in q.options], "ol", "options")
    elif q.kind == "number":
        body += f"<p><em>Answer with a number{esc(' in ' + q.unit) if q.unit else ''}.</em></p>"
    elif q.kind == "order":
        body += "<p><em>Put these in order:</em></p>" + _list([esc(o.text) for o in q.options])
    elif q.kind == "match":
        body += f"<p><em>Match each item with one of: {esc('; '.join(q.targets))}.</em></p>"
        body += _list([esc(o.text) for o in q.options])
    return body


def answer_key(q: selfcheck.Question) -> list[str]:
    """The key of a question, as lines for its answer slide."""
    if q.kind == "choice":
        k = next(i for i, o in enumerate(q.options) if o.correct)
        return [f"{'ABCDEFGH'[k]}. {q.options[k].text}"]
    if q.kind == "number":
        return [f"{q.answer:g}{' ' + q.unit if q.unit else ''} (accepted within ± {q.tolerance:g})"]
    if q.kind == "order":
        return [" → ".join(o.text for o in sorted(q.options, key=lambda o: o.position or 0))]
    return [f"{o.text} → {o.match}" for o in q.options]


def _answer_body(q: selfcheck.Question) -> str:
    key = answer_key(q)
    body = (f'<div class="answer-key">{esc(key[0])}</div>' if len(key) == 1
            else '<div class="answer-key">' + _list([esc(k) for k in key]) + "</div>")
    body += f"<p>{esc(q.feedback)}</p>"
    if q.source and q.source != "book":
        body += f'<p class="note">Source: {esc(data.source_label(q.source))}</p>'
    return body


def _figure_slide(chapter: str, k: int, fig: Figure, page: str, root: Path) -> Slide:
    if fig.chapter:
        page = (root / f"{_page(fig.chapter)}.md").read_text(encoding="utf-8")
    caption = figure_caption(page, fig.name)
    svg = svg_of(fig.spec(), f"{fig.heading}. {caption}", f"{chapter}-c{k}")
    return Slide("chart", fig.heading, f'<figure><div class="chart">{svg}</div><figcaption>{esc(caption)}</figcaption></figure>')


def _sources_body(ids: list[str]) -> str:
    table = data.load("sources").set_index("id")
    items = []
    for sid in ids:
        row = table.loc[sid]
        venue = "" if str(row["venue_in_copy"]).startswith("not ") else f", {row['venue_in_copy']}"
        items.append(f"<strong>{esc(row['label'])}</strong>: <em>{esc(row['title'])}</em>{esc(venue)}")
    from . import __version__

    return _list(items) + (f'<p class="note">Every table, chart and question on these slides is generated by the '
                           f"book's package (cocreation {esc(__version__)}) from the same data tables as the chapter; "
                           "models marked illustrative are the book's own, not the sources' findings.</p>")


def deck_slides(chapter: str, root: Path | str = ROOT) -> list[Slide]:
    """The slides of ``chapter``'s deck, from its page, data and package (``root``: the book)."""
    validate.choice("chapter", chapter, deck_chapters())
    root = Path(root)
    page = (root / f"{_page(chapter)}.md").read_text(encoding="utf-8")
    sources = cited_sources(page.split("## Prerequisites", 1)[0])
    if chapter in registry.chapter_ids():
        sources = list(dict.fromkeys([str(registry.chapter(chapter)["source"])] + sources))
    title = _title(chapter)
    h1 = re.search(r"^# (.+)$", page, re.M).group(1).strip()
    framework = registry.chapter(chapter)["framework"] if chapter in registry.chapter_ids() else ""
    lead = "; ".join(data.source_label(s) for s in sources)
    slides = [Slide("title", h1, f'<p class="sub">{esc(framework)}</p>' * bool(framework)
                    + f"<p>Slides for the chapter “{esc(title)}”, after {esc(lead)}.</p>"
                    "<p class=\"small\">B2B Value Co-creation: an executable book</p>", label=f"{title}: title")]
    slides.append(Slide("objectives", "Learning objectives",
                        "<p>By the end of this chapter you will be able to:</p>" + _list([_inline(o) for o in objectives(page)])))
    from . import synthesis

    compared = synthesis.comparison_table().set_index("Aspect")
    if title in compared.columns:
        glance = compared.loc[GLANCE, title]
        frame = pd.DataFrame({"Aspect": GLANCE, title: glance.tolist()})
        slides.append(Slide("glance", "The chapter at a glance", table_html(frame)
                            + '<p class="note">From the synthesis chapter’s comparison of the frameworks.</p>'))
    for t in TABLES.get(chapter, ()):
        slides.append(Slide("table", t.heading, table_html(t.build())
                            + f'<p class="note">Source: {esc(_credit(t.source, t.locator))}</p>'))
    for k, fig in enumerate(FIGURES.get(chapter, ()), start=1):
        slides.append(_figure_slide(chapter, k, fig, page, root))
    notes = takeaways(page)
    sources += [s for s in cited_sources("\n".join(notes)) if s not in sources]
    if notes:
        slides.append(Slide("takeaways", "For managers", _list([_inline(t) for t in notes])))
    for n, q in enumerate(pick_questions(chapter), start=1):
        slides.append(Slide("question", f"Self-check {n}", _question_body(q), label=f"Self-check {n}: {q.id}"))
        slides.append(Slide("answer", f"Self-check {n}: answer", _answer_body(q), label=f"Answer to self-check {n}: {q.id}"))
        if q.source and q.source != "book" and q.source not in sources:
            sources.append(q.source)
    asked = discussion((root / ACTIVITIES).read_text(encoding="utf-8"), chapter)
    if asked:
        slides.append(Slide("discussion", "Discuss", _list([_inline(q) for q in asked], "ol")))
    if chapter == "synthesis":
        sources = list(dict.fromkeys(sources + list(registry.chapters()["source"].astype(str))))
    slides.append(Slide("sources", "Sources", _sources_body(sources)))
    return slides


def deck(chapter: str, root: Path | str = ROOT) -> str:
    """``chapter``'s deck as one self-contained HTML page."""
    slides = deck_slides(chapter, root)
    return deck_html(f"{_title(chapter)}: slides", slides)


def write_decks(out: Path | str, root: Path | str = ROOT, chapters: list[str] | None = None) -> dict[str, Path]:
    """Write every chapter's deck (or those of ``chapters``) into ``out``; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for chapter in chapters or deck_chapters():
        path = out / deck_file(chapter)
        path.write_text(deck(chapter, root), encoding="utf-8")
        written[chapter] = path
    return written


# --- the Sphinx extension ---------------------------------------------------------

def _digest(root: Path) -> str:
    from importlib.metadata import version

    from .sphinxext import inputs_digest

    h = hashlib.sha256(inputs_digest(root).encode())
    for ch in deck_chapters():
        h.update((root / f"{_page(ch)}.md").read_bytes())
    h.update((root / ACTIVITIES).read_bytes())
    h.update(version("vl-convert-python").encode())
    return h.hexdigest()


def _write_decks(app: Any, exception: Exception | None) -> None:
    """build-finished: write the decks into the site, unless nothing they use has changed."""
    from sphinx.util import logging

    if exception or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    if not (root / ACTIVITIES).exists():  # the student edition has no instructor pages
        return
    out = Path(app.outdir) / FOLDER
    stamp = Path(app.outdir).parent / ".cocreation-slides.sha256"
    digest = _digest(root)
    if stamp.exists() and stamp.read_text() == digest and all((out / deck_file(c)).exists() for c in deck_chapters()):
        return
    start, cpu = time.perf_counter(), time.process_time()
    written = write_decks(out, root)
    stamp.write_text(digest)
    logging.getLogger(__name__).info(f"[cocreation] {len(written)} slide decks in {out} "
                                     f"({time.perf_counter() - start:.1f} s, {time.process_time() - cpu:.1f} s CPU)")


def _decks_directive() -> Any:
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    class SlideDecks(SphinxDirective):
        """``slide-decks``: one link per chapter deck (relative to the page)."""

        def run(self) -> list[Any]:
            up = "../" * self.env.docname.count("/")
            items = "".join(f'<li><a href="{up}{FOLDER}/{deck_file(c)}">{esc(_title(c))}</a></li>'
                            for c in deck_chapters())
            return [nodes.raw("", f'<ul class="slide-decks">{items}</ul>', format="html")]

    return SlideDecks


def setup(app: Any) -> dict[str, Any]:
    """Sphinx extension: write the decks at build-finished; the ``slide-decks`` directive links them."""
    app.add_directive("slide-decks", _decks_directive())
    app.connect("build-finished", _write_decks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - command line
    parser = argparse.ArgumentParser(description="Write one offline HTML slide deck per chapter.")
    parser.add_argument("--out", required=True, help="folder to write the decks into")
    parser.add_argument("--root", default=str(ROOT), help="the book's root folder (default: this repository)")
    parser.add_argument("--chapter", action="append", choices=deck_chapters(), help="only this chapter (repeatable)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    for chapter, path in write_decks(args.out, args.root, args.chapter).items():
        print(f"{chapter}: {path} ({path.stat().st_size // 1024} KB)")
    print(f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
