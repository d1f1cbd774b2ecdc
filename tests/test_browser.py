"""Every page in headless Chromium, network cut off: charts render, sliders work, axe passes."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, notebook_pages, toc_pages

pytestmark = [pytest.mark.build, pytest.mark.browser]

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SHOTS = ROOT / "_build" / "screenshots"


class PageReport:
    def __init__(self) -> None:
        self.external: list[str] = []
        self.failed: list[str] = []
        self.console: list[str] = []


def open_page(browser, url: str, *, width: int = 1280, height: int = 900, dark: bool = False):
    """Open ``url`` with every non-loopback request aborted and recorded."""
    report = PageReport()
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light")

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            report.external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and report.console.append(m.text))
    page.on("pageerror", lambda e: report.console.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: report.failed.append(f"{r.url} {r.failure}"))
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cocreation-chart')].every(e => e.dataset.rendered === 'true')",
        timeout=20_000,
    )
    return context, page, report


PAGES = toc_pages()


@pytest.mark.parametrize("page_path", PAGES)
def test_page_renders_offline_without_errors(browser, site_url, page_path):
    context, page, report = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        charts = page.locator(".cocreation-chart")
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg, canvas").count() >= 1, f"chart {i} on {page_path} is empty"
        assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{page_path.replace('/', '__')}.png"), full_page=True)
    finally:
        context.close()
    assert report.external == [], f"attempted external requests: {report.external}"
    assert report.failed == [], f"failed requests: {report.failed}"
    assert report.console == [], f"console errors: {report.console}"


@pytest.mark.parametrize("page_path", PAGES)
def test_every_slider_redraws_its_chart(browser, site_url, page_path):
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        charts = page.locator(".cocreation-chart")
        for i in range(charts.count()):
            chart = charts.nth(i)
            sliders = chart.locator("input[type=range]")
            for j in range(sliders.count()):
                before = chart.locator("svg").first.inner_html()
                sliders.nth(j).evaluate(
                    """el => { el.value = (+el.value === +el.max) ? el.min : el.max;
                               el.dispatchEvent(new Event('input', {bubbles: true})); }"""
                )
                page.wait_for_timeout(60)
                after = chart.locator("svg").first.inner_html()
                assert after != before, f"slider {j} of chart {i} on {page_path} changed nothing"
    finally:
        context.close()


@pytest.mark.parametrize("page_path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(browser, site_url, page_path):
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], "\n".join(bad)


# --- readers take the notebooks and the data with them ----------------------------

NOTEBOOK_PAGES = notebook_pages()


@pytest.mark.parametrize("page_path", NOTEBOOK_PAGES)
def test_download_menu_gives_the_executed_notebook(browser, site_url, page_path):
    import nbformat

    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        page.click(".dropdown-download-buttons button.dropdown-toggle")
        link = page.locator("a.btn-download-notebook-button")
        link.evaluate("a => a.removeAttribute('target')")  # download in this tab, not a popup
        with page.expect_download() as download:
            link.click()
        nb = nbformat.read(download.value.path(), as_version=4)
    finally:
        context.close()
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and sum(len(c.outputs) for c in code) > 0, "the download has no outputs"


@pytest.mark.parametrize("page_path", NOTEBOOK_PAGES)
def test_downloaded_notebook_runs_in_jupyter(site_url, page_path, tmp_path):
    import urllib.request

    import nbclient
    import nbformat

    with urllib.request.urlopen(f"{site_url}/_sources/{page_path}.ipynb") as response:
        nb = nbformat.reads(response.read().decode("utf-8"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = nbclient.NotebookClient(nb, timeout=60, interrupt_on_timeout=True, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on any failing cell


def test_every_chart_offers_its_data_as_csv(browser, site_url):
    page_path = next(p for p in NOTEBOOK_PAGES if "ipo/" in p)
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html")
    try:
        assert page.locator(".cocreation-chart-data").count() == page.locator(".cocreation-chart").count()
        button = page.locator(".cocreation-chart-data").first
        expected_rows = int(re.search(r"CSV, (\d+) rows", button.inner_text()).group(1))
        with page.expect_download() as download:
            button.click()
        import csv

        rows = list(csv.reader(Path(download.value.path()).read_text(encoding="utf-8").splitlines(keepends=True)))
    finally:
        context.close()
    assert len(rows) == expected_rows + 1 and len(rows[0]) > 1
    assert all(len(r) == len(rows[0]) for r in rows), "ragged CSV"


def test_charts_stay_readable_in_dark_mode(browser, site_url):
    page_path = next(p for p in NOTEBOOK_PAGES if "coopetition/" in p)
    context, page, _ = open_page(browser, f"{site_url}/{page_path}.html", dark=True)
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        colours = page.evaluate(
            """() => { const c = document.querySelector('.cocreation-chart');
                       const text = c.querySelector('svg text');
                       return [getComputedStyle(c).backgroundColor, getComputedStyle(text).fill]; }"""
        )
    finally:
        context.close()
    assert colours[0] == "rgb(255, 255, 255)", "chart card is not white in dark mode"
    assert colours[1] in ("rgb(34, 34, 34)", "#222222", "#222"), f"axis text is not dark: {colours[1]}"

