"""The built pages, read statically: nothing in <head> blocks the page on MathJax, the
search index or a script, one stylesheet a page with the icon fonts cut to the icons in
use, charts drawn when needed; every page describes itself, and citations never print a
placeholder. One browser test checks the charts' drawing order.

Timings are measured by benchmarks/pages.py and benchmarks/lighthouse.py, not here.
"""

from __future__ import annotations

import html as html_lib
import json
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
    """No external script in <head> blocks the first paint (documentation_options is inlined)."""
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    head = _head(html)
    assert _blocking_scripts(head) == [], f"render-blocking scripts in <head>: {_blocking_scripts(head)}"
    assert "const DOCUMENTATION_OPTIONS" in head, "inline scripts read DOCUMENTATION_OPTIONS"
    # the theme's own scripts (header buttons, sidebars) still load
    for name in ("bootstrap.js", "pydata-sphinx-theme.js"):
        src = re.search(r'<script defer src="([^"]*scripts/' + re.escape(name) + ")", html)
        assert src, f"{name} is not loaded"
        assert (built_site / page).parent.joinpath(src.group(1).split("?")[0]).resolve().is_file(), name


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


# --- one stylesheet a page; icon fonts cut to the icons in use ---------------------------

STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')


def _stylesheets(head: str) -> list[str]:
    return [re.search(r'href="([^"]+)"', tag).group(1) for tag in STYLESHEET.findall(head)
            if "media=" not in tag]


@pytest.mark.parametrize("page", toc_pages())
def test_one_render_blocking_stylesheet_a_page(built_site, page):
    head = _head((built_site / f"{page}.html").read_text(encoding="utf-8"))
    sheets = _stylesheets(head)
    assert len(sheets) == 1, f"{page} blocks its first paint on {len(sheets)} stylesheets: {sheets}"
    bundle = (built_site / page).parent.joinpath(sheets[0].split("?")[0]).resolve()
    css = bundle.read_text(encoding="utf-8")
    assert "@import" not in css, "an @import chains a second request before the first paint"
    # the theme, the extensions and the book's own rules are all in it
    for rule in (".bd-header", ".sd-card", ".cocreation-chart", "@media print"):
        assert rule in css, f"{rule} missing from {bundle.name}"


def _bundles(built_site: Path) -> list[Path]:
    found = sorted((built_site / "_static" / "styles").glob("bundle-*.css"))
    assert found, "no stylesheet bundle"
    return found


def test_every_url_in_the_stylesheets_resolves(built_site):
    for bundle in _bundles(built_site):
        css = bundle.read_text(encoding="utf-8")
        for url in set(re.findall(r'url\(\s*["\']?([^"\')]+)', css)):
            if url.startswith(("data:", "#", "http:", "https:")):
                continue
            target = (bundle.parent / url.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), f"{bundle.name}: url({url}) does not resolve"


def test_icon_fonts_are_subsets_that_hold_every_icon_shown(built_site):
    """Every Font Awesome class in a page or script has its rule, whose glyph is in the subset font."""
    from cocreation import assets

    manifest = json.loads((built_site / "_static" / assets.ICON_SUBSET / "icons.json").read_text())
    used = assets.used_icons(built_site)
    # names that are Font Awesome icons (the theme's full stylesheet draws them), not words such as
    # "fa-subset" that the API page's text happens to contain
    theme_css = (built_site / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    icons = set(re.findall(r"\.(fa-[a-z0-9-]+):+before", theme_css))
    icon_names = {n for n in used if n in icons}
    assert {"fa-magnifying-glass", "fa-github", "fa-download", "fa-sun", "fa-moon"} <= icon_names
    for bundle in _bundles(built_site):
        css = bundle.read_text(encoding="utf-8")
        fonts = re.findall(r'@font-face\{[^}]*Font Awesome[^}]*\}', css)
        assert fonts and all("fa-subset/" in f and ".ttf" not in f for f in fonts), "full icon fonts loaded"
        for face in fonts:
            src = re.search(r"url\(([^)]+)\)", face).group(1)
            assert (bundle.parent / src).stat().st_size < 20_000, f"{src} is not a subset"
        for name in icon_names:
            rule = re.search(r"\." + re.escape(name) + r':before[^{]*\{content:"\\([0-9a-f]+)"', css)
            assert rule, f"{bundle.name} has no rule for {name}"
            assert int(rule.group(1), 16) in manifest["codepoints"], f"{name} is not in the subset font"
    total = sum(p.stat().st_size for p in (built_site / "_static" / assets.ICON_SUBSET).glob("*.woff2"))
    assert total < 30_000, f"icon fonts weigh {total} bytes"


# --- charts drawn when they are needed ------------------------------------------------------

@pytest.mark.parametrize("page", notebook_pages())
def test_charts_hand_their_spec_to_the_scheduler(built_site, page):
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    ids = re.findall(r'<div class="cocreation-chart" id="(vis-[0-9a-f]+)"', html)
    head = _head(html)
    assert not re.search(r'<script[^>]*src="[^"]*vendor/vega', html), "Vega is loaded by a <script src>"
    if not ids:
        assert "cocreationCharts" not in head, "a page without charts carries the chart scheduler"
        return
    assert "window.cocreationCharts" in head, "the chart scheduler is not in <head>"
    urls = json.loads(re.search(r"var urls = (\[[^\]]*vega[^\]]*\]);", head).group(1))
    assert [u.rsplit("/", 1)[-1] for u in urls] == ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"]
    for url in urls:
        assert (built_site / page).parent.joinpath(url).resolve().is_file(), url
    for div_id in ids:
        payload = re.search(rf'<script type="application/json" id="{div_id}-spec">(.*?)</script>', html, re.S)
        assert payload, f"{div_id}: its spec is not a JSON payload"
        spec = json.loads(payload.group(1))
        assert "$schema" in spec and "vega-lite" in spec["$schema"]


@pytest.mark.browser
def test_charts_are_drawn_near_the_screen_and_all_in_the_end(browser, site_url):
    """At the load event no chart below the first screen is drawn and Vega has not run;
    scrolling to a chart draws it; drawAll() draws every chart."""
    page_path = next(p for p in notebook_pages() if "coopetition" in p)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{site_url}/{page_path}.html", wait_until="load")
        state = page.evaluate("""() => ({
          below: [...document.querySelectorAll('.cocreation-chart')].filter(e => e.getBoundingClientRect().top > 3 * innerHeight).length,
          drawn: document.querySelectorAll('.cocreation-chart[data-rendered=true]').length,
          vega: typeof window.vega})""")
        assert state["below"] >= 2 and state["drawn"] == 0 and state["vega"] == "undefined", state
        last = page.locator(".cocreation-chart").last
        last.scroll_into_view_if_needed()
        page.wait_for_function("e => e.dataset.rendered === 'true'", arg=last.element_handle(), timeout=30_000)
        page.evaluate("() => window.cocreationCharts.drawAll()")
        assert page.evaluate("() => [...document.querySelectorAll('.cocreation-chart')].every("
                             "e => e.dataset.rendered === 'true' && e.vegaView && e.querySelector('svg'))")
    finally:
        context.close()
