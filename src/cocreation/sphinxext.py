"""Sphinx extension that makes the book build offline-safe and cache-honest.

* Sets ``COCREATION_BOOK_BUILD=1`` before notebooks execute, so
  :mod:`cocreation.charts` renders charts for the page's vendored Vega-Embed.
* **Cache key covers the package:** hashes ``src/cocreation`` and ``data/``; when the
  hash differs from the last build's, it clears the jupyter-cache and the doctrees, so
  every notebook re-executes against the changed code.
* Drops sphinx-thebe's inline script, which names a CDN URL even with Thebe off, and
  the theme's redundant fontawesome.js (its CSS draws the icons from webfonts).
* Removes two theme labels that axe-core reports as serious violations.
* Offers each chapter's executed notebook as ``.ipynb`` in the download menu
  (myst-nb's ``jupyter_execute`` output, with the outputs taken from the jupyter-cache
  when the page came from the cache) and adds a "Run this chapter locally" box, and on
  pages with self-checks a line with the reading time and the number of questions.
  Each downloaded notebook opens with a cell that installs the package from its wheel,
  which the build puts in the site (``_downloads/cocreation-<version>-py3-none-any.whl``,
  rebuilt when the package or the data change), so the notebook runs outside the clone.
* Fills the generated pages (glossary, data catalogue) from ``data/``.
* Loads the vendored Vega, Vega-Lite and Vega-Embed only on pages that hold a chart,
  and only when a chart is drawn; serves each page's stylesheets as one file
  (``cocreation.assets``).
* Renders the ``self-check`` directive (its argument is a question id) from the
  chapter's question bank (``cocreation.selfcheck``) into static HTML, and loads ``selfcheck.js`` and
  ``selfcheck.css`` only on pages that hold a self-check or a "Try this" task.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .assets import VEGA_FILES

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
HASH_FILE = ".cocreation-inputs.sha256"


def inputs_digest(root: Path) -> str:
    """SHA-256 over the package sources and the data tables (paths and bytes)."""
    digest = hashlib.sha256()
    folders = [PACKAGE_DIR, root / "data"]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _guard_cache(app: Sphinx, config: Any) -> None:
    os.environ["COCREATION_BOOK_BUILD"] = "1"
    build_root = Path(app.outdir).parent
    cache = Path(config.nb_execution_cache_path) if config.nb_execution_cache_path else build_root / ".jupyter_cache"
    stamp = build_root / HASH_FILE
    digest = inputs_digest(Path(app.srcdir))
    if stamp.exists() and stamp.read_text() == digest:
        return
    for stale in (cache, Path(app.doctreedir)):
        if stale.exists():
            logger.info(f"[cocreation] package or data changed: clearing {stale}")
            shutil.rmtree(stale)
    build_root.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def _is_thebe(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "THEBE_JS_URL" in body or str(script).split("?")[0].endswith("sphinx-thebe.js")


def _is_mathjax(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "mathjax" in str(script).split("?")[0].lower() or body.startswith("window.MathJax")


def _is_widget_state(script: Any) -> bool:
    return getattr(script, "attributes", {}).get("type") == "application/vnd.jupyter.widget-state+json"


def _page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if 'class="cocreation-chart"' in context.get("body", ""):
        for i, js in enumerate(VEGA_FILES):
            app.add_js_file(js, priority=400 + i)
        app.add_js_file("fullscreen.js", priority=810, defer="defer")  # a full-screen button per chart
    body = context.get("body", "")
    if 'class="self-check"' in body or "try-this" in body:
        app.add_css_file("selfcheck.css")
    if 'class="self-check"' in body:
        app.add_js_file("selfcheck.js")
    # Thebe is off (launch_buttons.thebe: false), yet sphinx-thebe still writes an
    # inline script naming a CDN URL, twice; drop it so no page names a third party.
    # The list is the builder's own (restored after each page), so edit it in place.
    # Saved widget state (hundreds of KB) is useless without the widget manager, which
    # the book does not load: the page shows the kernel note instead.
    scripts = context.get("script_files", [])
    scripts[:] = [s for s in scripts if not _is_thebe(s) and not _is_widget_state(s)]
    # Sphinx loads MathJax on a page whose toctree children have math (the root page).
    if 'class="math' not in context.get("body", ""):
        scripts[:] = [s for s in scripts if not _is_mathjax(s)]


#: Rewrites of the theme's markup in every built page.
PAGE_FIXES = (
    # The theme's CSS already draws every icon from the vendored webfonts; its
    # fontawesome.js (1.5 MB raw, 540 KB gzip) only swaps them for SVGs.
    (re.compile(r'<script defer(?:="defer")? src="[^"]*scripts/fontawesome\.js[^"]*"></script>\s*'), ""),
    # axe-core flags these as label-content-name-mismatch (serious): the accessible
    # name must contain the visible text.
    # The search buttons show "Search Ctrl+K" but are labelled "Search": let the text name them.
    (re.compile(r'(class="btn search-button-field[^"]*" title="Search") aria-label="Search"'), r"\1"),
    # The colour-mode icons carry titles that are not part of the button's label.
    (re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"'), r"\1"),
    # The sidebar's expand/collapse toggles hold only an icon: give them a name.
    (re.compile(r'(<details(?: open="open")?>)<summary><span class="toctree-toggle"'),
     r'\1<summary aria-label="Show or hide the sub-pages"><span class="toctree-toggle"'),
    # myst-nb's hidden-cell toggles say "Show code cell source" but are labelled otherwise.
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # docutils puts bibliography entries (role doc-biblioentry) in a role="list".
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
)


def fix_theme_markup(html: str) -> str:
    """Apply ``PAGE_FIXES`` to one page.

    >>> fix_theme_markup('<button class="btn search-button-field x" title="Search" aria-label="Search">')
    '<button class="btn search-button-field x" title="Search">'
    """
    for pattern, replacement in PAGE_FIXES:
        html = pattern.sub(replacement, html)
    return html


def _fix_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        fixed = fix_theme_markup(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


from .downloads import (  # noqa: F401 - re-exported: the hooks and what tests use
    wheel_name,
    install_cell,
    with_install_cell,
    _install_cell_for,
    is_notebook,
    _notebook_docs,
    _notebook_context,
    downloadable_notebook,
    executed_notebook,
    _write_notebooks,
    build_wheel,
    _build_wheel,
    RUN_LOCALLY,
    WHEEL_FOLDER,
    INSTALL_CELL,
    WHEEL_STAMP,
    WHEEL_INPUTS,
    setup_book_pdf,
)


def _generate(app: Sphinx, docname: str, source: list[str]) -> None:
    from . import pages

    source[0] = pages.expand(docname, source[0])


class SelfCheckDirective(SphinxDirective):
    """The ``self-check`` directive: one question of the chapter's bank as HTML.

    An unknown id is a build warning (``-W`` makes it an error), naming the page.
    """

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        from . import selfcheck

        qid = self.arguments[0].strip()
        try:
            q = selfcheck.question(qid)
        except ValueError as err:
            logger.warning(f"[cocreation] self-check: {err}", location=self.get_location())
            return []
        for name in (f"{q.chapter}_questions", f"{q.chapter}_question_options"):
            for suffix in (".csv", ".schema.yaml"):
                path = Path(self.env.srcdir) / "data" / f"{name}{suffix}"
                if path.exists():
                    self.env.note_dependency(str(path))
        return [nodes.raw("", selfcheck.render_html(q), format="html")]


# --- a page that is ready before its maths, charts and search index: cocreation.assets

from .assets import (  # noqa: F401, E402 - re-exported: the hooks and what tests use
    DEFERRABLE_SCRIPTS,
    SEARCH_TOOLS,
    mathjax_page_config,
    _speed_scripts,
    _lazy_search_index,
    _bundle_stylesheets,
    _first_paint_first,
)


#: Block-level nodes whose text does not describe the page.
_NOT_DESCRIPTION = ("admonition", "topic", "sidebar", "container", "table", "footnote", "citation",
                    "field_list", "literal_block", "figure", "compound", "desc")


def page_description(doctree: Any, limit: int = 160) -> str:
    """The first prose paragraph of a page, cut at a word to ``limit`` characters.

    Paragraphs in boxes, code cells, tables, figures and API entries are skipped.

    >>> from docutils import nodes
    >>> doc = nodes.section("", nodes.paragraph(text="Short."), nodes.paragraph(text="Value " * 40))
    >>> page_description(doc, 30)
    'Value Value Value Value…'
    """
    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        parent, skip = para.parent, False
        while parent is not None:
            if any(cls.__name__ in _NOT_DESCRIPTION for cls in type(parent).__mro__) or \
                    type(parent).__name__.startswith("desc"):
                skip = True
                break
            parent = parent.parent
        text = " ".join(para.astext().split())
        if skip or len(text) < 40:
            continue
        if len(text) > limit:
            text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—-") + "…"
        return text
    return ""


def _meta_description(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """A ``<meta name="description">`` on every page (search engines, link previews)."""
    import html as html_lib

    metatags = context.get("metatags", "") or ""
    if 'name="description"' in metatags:
        return
    text = page_description(doctree)
    if not text:
        title = re.sub(r"<[^>]+>", "", context.get("title", "") or "").strip()
        book = app.config.html_title or app.config.project
        text = f"{title} — {book}" if title and title != book else book
    context["metatags"] = metatags + f'\n<meta name="description" content="{html_lib.escape(text, quote=True)}" />'


# --- citations of sources whose copy names no authors ------------------------------
#
# Two sources reach the book without their authors. They are cited by a short title
# (the BibTeX ``shorttitle`` field, else the title), in italics, as APA does for works
# without an author: "(*Value co-creation in industrial AI*, n.d.)". Authors are never
# invented, and the bibliography lists such an entry under its title.


def _citation_styles(app: Sphinx, config: Any) -> None:
    """Register the book's referencing and bibliography styles with pybtex."""
    import pybtex.plugin
    from sphinxcontrib.bibtex.plugin import register_plugin

    register_plugin("sphinxcontrib.bibtex.style.referencing", "cocreation_author_year", BookReferenceStyle, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "cocreation_plain", BookBibliographyStyle, force=True)


from dataclasses import dataclass as _dataclass, field as _field  # noqa: E402

from pybtex.style.formatting.plain import Style as _PlainStyle  # noqa: E402
from pybtex.style.template import first_of, node, optional, sentence, tag  # noqa: E402
from pybtex.style.template import field as _bib_field  # noqa: E402
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle  # noqa: E402
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle  # noqa: E402
from sphinxcontrib.bibtex.style.template import names as _names  # noqa: E402


@node
def author_or_short_title(children, data, **kwargs):
    """The authors (or editors); without either, the short title in italics."""
    assert not children
    return first_of[
        optional[_names("author", **kwargs)],
        optional[_names("editor", **kwargs)],
        optional[tag("em")[_bib_field("shorttitle")]],
        optional[tag("em")[_bib_field("title")]],
    ].format_data(data)


class ShortTitlePersonStyle(PersonStyle):
    """Names as sphinxcontrib-bibtex formats them; a short title where there are none."""

    def author_or_editor_or_title(self, full: bool) -> Any:
        return author_or_short_title(sep=self.sep, sep2=self.sep2, last_sep=self.last_sep,
                                     other=None if full else self.other)


def _parentheses() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@_dataclass
class BookReferenceStyle(AuthorYearReferenceStyle):
    """Author–year citations in parentheses: "(Li, n.d.)", "Li (n.d.)".

    Works without an author are cited by their short title.
    """

    bracket_textual: BracketStyle = _field(default_factory=_parentheses)
    bracket_parenthetical: BracketStyle = _field(default_factory=_parentheses)
    bracket_author: BracketStyle = _field(default_factory=_parentheses)
    bracket_label: BracketStyle = _field(default_factory=_parentheses)
    bracket_year: BracketStyle = _field(default_factory=_parentheses)
    person: PersonStyle = _field(default_factory=ShortTitlePersonStyle)


class BookBibliographyStyle(_PlainStyle):
    """pybtex's ``plain``, except that an entry may lack its authors.

    ``plain`` requires an article's authors; an entry whose copy names none is then
    listed under its title (nothing is put in their place).
    """

    def format_names(self, role, as_sentence=True):
        formatted = optional[super().format_names(role, as_sentence=False)]
        return sentence[formatted] if as_sentence else formatted


# --- readable tables -----------------------------------------------------------------

_BOOK_TABLE = re.compile(r'(<table class="dataframe cocreation-table">)(.*?)(</table>)', re.S)
_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td([^>]*)>(.*?)</td>", re.S)


def mark_long_columns(html: str, threshold: int = 50) -> str:
    """Give the cells of a table's longest prose column (mean text over ``threshold`` characters) a class.

    The book's CSS keeps such a column readably wide (the table then scrolls in its
    own box on a phone) instead of squeezing definitions into tall narrow strips.

    >>> t = '<table class="dataframe cocreation-table"><tr><td>A</td><td>' + 'x' * 60 + '</td></tr></table>'
    >>> mark_long_columns(t).count('class="cocreation-long"')
    1
    """
    def table(match: re.Match) -> str:
        rows = [_CELL.findall(r) for r in _ROW.findall(match.group(2))]
        lengths: dict[int, list[int]] = {}
        for cells in rows:
            for i, (_, text) in enumerate(cells):
                lengths.setdefault(i, []).append(len(re.sub(r"<[^>]+>", "", text).strip()))
        means = {i: sum(ls) / len(ls) for i, ls in lengths.items() if ls}
        widest = max(means, key=means.get, default=None)
        # only the longest prose column: several 16rem columns would overflow a laptop's column
        long = {widest} if widest is not None and means[widest] > threshold else set()
        if not long:
            return match.group(0)

        def row(rm: re.Match) -> str:
            index = iter(range(10_000))

            def cell(cm: re.Match) -> str:
                i = next(index)
                attrs = cm.group(1)
                if i in long and "class=" not in attrs:
                    attrs += ' class="cocreation-long"'
                return f"<td{attrs}>{cm.group(2)}</td>"

            return rm.group(0).replace(rm.group(1), _CELL.sub(cell, rm.group(1)), 1)

        return match.group(1) + _ROW.sub(row, match.group(2)) + match.group(3)

    return _BOOK_TABLE.sub(table, html)


def _readable_tables(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    body = context.get("body", "")
    if "cocreation-table" in body:
        context["body"] = mark_long_columns(body)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("self-check", SelfCheckDirective)
    app.connect("config-inited", _guard_cache)
    app.connect("config-inited", _citation_styles)
    app.connect("source-read", _generate)
    app.connect("html-page-context", _notebook_context, priority=400)
    app.connect("html-page-context", _page_scripts)
    app.connect("html-page-context", _speed_scripts, priority=900)
    app.connect("html-page-context", _meta_description)
    app.connect("html-page-context", _readable_tables)
    app.connect("build-finished", _fix_pages)
    app.connect("build-finished", _write_notebooks)
    app.connect("build-finished", _build_wheel)
    app.connect("build-finished", _lazy_search_index)
    app.connect("build-finished", _bundle_stylesheets, priority=900)
    app.connect("build-finished", _first_paint_first, priority=900)
    setup_book_pdf(app)  # the whole-book PDF: menu entry, printed last into _downloads/
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
