"""The whole-book PDF (cocreation.printbook): built from the site, read back with pypdf."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT

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
def book_pdf(built_site: Path, tmp_path_factory) -> Path:
    import subprocess
    import sys

    from cocreation import printbook

    # In its own process: the session's Playwright (the browser fixture) holds this one's loop.
    out = tmp_path_factory.mktemp("pdf") / printbook.PDF_NAME
    cmd = [sys.executable, "-m", "cocreation.printbook", "--root", str(ROOT), "--site", str(built_site),
           "--out", str(out), "--chromium", CHROMIUM]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return out


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
                  "Solution to Exercise", "Chart error"):
        assert _flat(label) not in text, label


CONTROLS = (
    ".vega-bindings, .vega-actions, .cocreation-chart-data, .cocreation-chart-hint:not([hidden]),"
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
