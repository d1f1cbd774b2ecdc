"""The whole-book PDF (cocreation.printbook): built from the site, read back with pypdf."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import ROOT, toc_pages

pytestmark = [pytest.mark.build, pytest.mark.browser]


def _axis_titles(spec) -> set[str]:
    """Every x/y axis title in a Vega-Lite spec (dicts and lists walked)."""
    found = set()
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            enc = spec.get("encoding", {}).get(channel)
            if isinstance(enc, dict) and isinstance(enc.get("title"), str):
                found.add(enc["title"])
        for value in spec.values():
            found |= _axis_titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _axis_titles(value)
    return found


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


@pytest.fixture(scope="module")
def book_pdf(built_site: Path) -> Path:
    """The PDF the site build printed into the site: the one readers download."""
    from cocreation import downloads

    pdf = built_site / downloads.book_pdf_href()
    assert pdf.exists(), (
        f"no {pdf}: the book build prints it when Chromium is there (build log: 'whole-book PDF');"
        " COCREATION_BOOK_PDF=0 turns that off"
    )
    return pdf


@pytest.fixture(scope="module")
def reader(book_pdf: Path):
    from pypdf import PdfReader

    return PdfReader(book_pdf)


@pytest.fixture(scope="module")
def text(reader) -> str:
    """Text of the front matter and the chapters (the back matter is left out for speed)."""
    reference = next(item for item in reader.outline if not isinstance(item, list) and item.title == "Reference")
    end = reader.get_destination_page_number(reference)
    assert 20 < end < len(reader.pages)
    return _flat(" ".join(page.extract_text() for page in reader.pages[:end]))


def test_pdf_opens_and_is_a_book(reader):
    assert len(reader.pages) > 20
    assert reader.metadata.title.startswith("B2B")
    assert "/CreationDate" not in reader.metadata  # no timestamp: the same site gives the same PDF


def test_every_chapter_is_in_the_pdf(text):
    with open(ROOT / "data" / "chapters.csv", encoding="utf-8") as fh:
        titles = [row["title"] for row in csv.DictReader(fh)]
    assert titles
    missing = [t for t in titles if _flat(t) not in text]
    assert not missing, f"chapter titles not in the PDF: {missing}"


def _outline_titles(items) -> list[str]:
    titles = []
    for item in items:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_back_matter_is_in_the_pdf(reader):
    titles = _outline_titles(reader.outline)
    for title in ("Glossary", "Exercise index", "Bibliography"):
        assert title in titles, titles


def test_charts_are_printed_as_text_not_pictures(text):
    """The coopetition explorer's axis titles are text in the PDF (the chart stayed SVG)."""
    from cocreation import coopetition

    titles = _axis_titles(coopetition.profit_explorer().to_dict()) | _axis_titles(coopetition.share_chart().to_dict())
    assert "Platform's share of the gain" in titles
    missing = [t for t in sorted(titles) if _flat(t) not in text]
    assert not missing, f"axis titles not in the PDF: {missing}"


def test_outline_and_linked_contents(reader):
    """Bookmarks per part and chapter; the contents page links to the chapters; pages numbered."""
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {"Contents", "Frameworks", "Reference"} <= set(top), top
    contents = reader.pages[1]
    assert "contents" in _flat(contents.extract_text())
    links = [a.get_object() for a in contents.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) >= 6, "the contents page should link to every chapter"
    n = len(reader.pages)
    assert f"5 / {n}" in reader.pages[4].extract_text()


def test_controls_and_folded_parts_are_left_out(text):
    """No code toggles, data buttons, wide-chart hints or folded solutions on paper."""
    for label in ("Show code cell source", "Download the data behind this chart", "scroll it sideways",
                  "Solution to Exercise", "Chart error", "Offline, on paper"):
        assert _flat(label) not in text, label


CONTROLS = (
    ".vega-bindings, .vega-actions, .cocreation-chart-data, .cocreation-chart-fullscreen,"
    " .cocreation-run-locally, details.hide, .solution.toggle-hidden, button, input, select,"
    " .bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-footer, .bd-footer"
)


@pytest.mark.parametrize("page", ["book/coopetition/cooperative_advertising_game", "book/oli/cbec_new_oli"])
def test_print_layout_of_a_page(browser, site_url, page):
    """Printing one page: no control is visible and nothing is wider than the A4 column."""
    from cocreation import printbook

    tab = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        tab.goto(f"{site_url}/{page}.html")
        tab.evaluate(printbook._WAIT_JS)
        assert tab.evaluate("document.querySelectorAll('.vega-bindings').length") or page.endswith("oli")
        tab.emulate_media(media="print")
        visible = tab.evaluate(
            "(sel) => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length)"
            ".map(e => e.tagName + '.' + e.className)",
            CONTROLS,
        )
        assert not visible, f"controls visible in print: {visible[:10]}"
        assert not printbook._too_wide(tab), "wider than the A4 text column"
    finally:
        tab.close()


# --- the site links the PDF -----------------------------------------------------------

MENU_ENTRY = re.compile(r'<a href="([^"]+)"[^>]*?class="[^"]*btn-download-book-pdf-button[^"]*"[^>]*>(.*?)</a>', re.S)


def _resolve(built_site: Path, page: str, href: str) -> Path:
    return built_site / urljoin(f"{page}.html", href).split("#")[0]


def test_every_page_s_download_menu_links_the_pdf(built_site, book_pdf):
    for page in toc_pages():
        text = (built_site / f"{page}.html").read_text(encoding="utf-8")
        entries = MENU_ENTRY.findall(text)
        assert len(entries) == 1, f"{page}: {len(entries)} 'Whole book (PDF)' entries in the download menu"
        href, label = entries[0]
        assert "Whole book (PDF)" in label
        assert _resolve(built_site, page, href) == book_pdf, f"{page} links {href}"


def test_front_page_links_the_pdf(built_site, book_pdf):
    text = (built_site / "book" / "intro.html").read_text(encoding="utf-8")
    paragraph = re.search(r'<p class="cocreation-book-pdf">(.*?)</p>', text, re.S)
    assert paragraph, "no PDF paragraph on the front page"
    hrefs = re.findall(r'<a href="([^"]+)"', paragraph.group(1))
    assert [_resolve(built_site, "book/intro", h) for h in hrefs] == [book_pdf]


@pytest.mark.parametrize("width", [390, 1280])
def test_download_menu_reaches_the_pdf_by_keyboard(browser, site_url, book_pdf, width):
    """Tab to the download button, open it with Enter, arrow down to the PDF: it downloads; axe passes."""
    from test_browser import AXE, SHOTS, open_page

    context, page, _ = open_page(browser, f"{site_url}/book/intro.html", width=width, height=844 if width < 500 else 900)
    try:
        toggle = page.locator(".dropdown-download-buttons button.dropdown-toggle")
        assert toggle.is_visible()
        for _ in range(40):
            page.keyboard.press("Tab")
            if toggle.evaluate("b => b === document.activeElement"):
                break
        else:
            pytest.fail("the download button is not reachable with Tab")
        page.keyboard.press("Enter")
        for _ in range(6):
            page.keyboard.press("ArrowDown")
            if page.evaluate("document.activeElement.textContent.includes('Whole book (PDF)')"):
                break
        else:
            pytest.fail("the 'Whole book (PDF)' entry is not reachable with the arrow keys")
        entry = page.locator("a.btn-download-book-pdf-button")
        assert entry.is_visible() and entry.bounding_box()["x"] >= 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"front-page-pdf-menu-{width}.png"))
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        assert not bad, bad
        response = page.request.get(entry.evaluate("a => a.href"))
        assert response.ok and response.body()[:5] == b"%PDF-"
        assert len(response.body()) == book_pdf.stat().st_size
    finally:
        context.close()
