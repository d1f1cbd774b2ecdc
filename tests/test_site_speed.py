"""The built pages, read statically: nothing in <head> blocks the page on MathJax or the
search index, every page describes itself, and citations never print a placeholder.

Timings are measured by benchmarks/pages.py and benchmarks/lighthouse.py, not here.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from cocreation import sphinxext
from conftest import notebook_pages, toc_pages

pytestmark = pytest.mark.build

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def _head(html: str) -> str:
    return html.split("</head>", 1)[0]


def _visible_text(html: str) -> str:
    """The page's text as a reader sees it (no scripts, styles or tag attributes)."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S | re.I)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", body))


def _blocking_scripts(head: str) -> list[str]:
    """External classic scripts in <head> without defer or async."""
    found = []
    for attrs in SCRIPT_TAG.findall(head):
        if "src=" not in attrs or re.search(r"\b(defer|async)\b", attrs) or 'type="module"' in attrs:
            continue
        found.append(re.search(r'src="([^"]+)"', attrs).group(1))
    return found


@pytest.mark.parametrize("page", toc_pages())
def test_mathjax_never_blocks_the_page(built_site, page):
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    head = _head(html)
    assert not [s for s in _blocking_scripts(head) if "mathjax" in s.lower()], "MathJax is a blocking <script>"
    assert "tex-chtml.js" not in "".join(re.findall(r'src="([^"]+)"', head)), "MathJax is loaded by a <script src>"
    if 'class="math' in html:
        lazy = re.search(r'<script [^>]*data-mathjax="([^"]+)"[^>]*src="[^"]*mathjax-lazy\.js', head)
        assert lazy, f"{page} has maths but no lazy MathJax loader"
        assert (built_site / page).parent.joinpath(lazy.group(1)).resolve().is_file(), lazy.group(1)
        assert '"typeset": false' in head, "MathJax would typeset the whole page at start-up"
        assert "output_area" not in head, "MathJax scans notebook outputs"


@pytest.mark.parametrize("page", toc_pages())
def test_head_scripts_do_not_block_rendering(built_site, page):
    """Only Sphinx's tiny documentation_options.js (inline scripts read it) may block."""
    head = _head((built_site / f"{page}.html").read_text(encoding="utf-8"))
    blocking = [s for s in _blocking_scripts(head) if "documentation_options.js" not in s]
    assert blocking == [], f"render-blocking scripts in <head>: {blocking}"


def test_only_the_results_page_loads_the_search_index(built_site):
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if path == built_site / "search.html":
            assert "searchindex.js" in html and "search-scorer.js" in html
            # searchtools.js (a plain script) calls doctools.js's _ready: not deferred here
            assert re.search(r'<script src="_static/doctools\.js', html), "doctools.js is deferred on search.html"
            continue
        assert "searchindex.js" not in html, f"{path.relative_to(built_site)} loads the search index"
        assert "searchtools.js" not in html, f"{path.relative_to(built_site)} loads the search tools"


@pytest.mark.parametrize("page", toc_pages())
def test_every_page_has_a_meta_description(built_site, page):
    head = _head((built_site / f"{page}.html").read_text(encoding="utf-8"))
    found = re.findall(r'<meta name="description" content="([^"]*)"', head)
    assert len(found) == 1, f"{page}: {len(found)} meta descriptions"
    text = html_lib.unescape(found[0])
    assert 40 <= len(text) <= 160, f"{page}: description of {len(text)} characters: {text!r}"


@pytest.mark.parametrize("page", toc_pages())
def test_no_page_cites_a_placeholder_author(built_site, page):
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    text = _visible_text(html)
    assert "Authors not given" not in text
    # nor in the hover text of a citation
    assert "Authors not given" not in html


def test_sources_without_authors_are_cited_by_short_title(built_site):
    pages = {p: _visible_text((built_site / f"{p}.html").read_text(encoding="utf-8")) for p in toc_pages()}
    glossary = next(t for p, t in pages.items() if p.endswith("glossary"))
    synthesis = next(t for p, t in pages.items() if "synthesis/" in p)
    for text in (glossary, synthesis):
        assert re.search(r"\(\s*Value co-creation in industrial AI\s*, n\.d\.\s*\)", text)
        assert re.search(r"\(\s*Leveraging CBEC platforms\s*, 2025\s*\)", text)
    assert re.search(r"\(\s*Li\s*, n\.d\.\s*\)", synthesis), "Li's review reads (Li, n.d.)"


def test_bibliography_lists_a_source_without_authors_under_its_title(built_site):
    text = " ".join(_visible_text((built_site / "book" / "bibliography.html").read_text(encoding="utf-8")).split())
    assert "Value co-creation in industrial AI: the interactive role of B2B supplier" in text
    assert "Leveraging cross-border e-commerce platforms" in text


def test_long_text_columns_of_book_tables_are_marked(built_site):
    html = (built_site / "book" / "ipo" / "cosmoplat_ewom.html").read_text(encoding="utf-8")
    assert 'class="cocreation-long"' in html


def test_mathjax_page_config_turns_startup_typesetting_off():
    config = {"options": {"processHtmlClass": "math"}}
    page = sphinxext.mathjax_page_config(config)
    assert page["startup"] == {"typeset": False} and page["options"] == config["options"]
    assert "startup" not in config, "the book's configuration is not modified"


def test_static_scripts_exist(built_site):
    for name in ("mathjax-lazy.js", "search-lazy.js", "search-scorer.js"):
        assert (built_site / "_static" / name).is_file(), name
    assert not Path(sphinxext.__file__).with_name("mathjax-lazy.js").exists()


@pytest.mark.parametrize("page", notebook_pages())
def test_no_chapter_shows_an_internal_source_id(built_site, page):
    """Readers see sources credited as people cite them, also in chart tooltips and labels."""
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    found = sorted(set(re.findall(r"source 00\d", html, flags=re.I)))
    assert not found, f"{page} shows internal source ids: {found}"
