"""Every page in headless Chromium, network cut off: charts render, sliders work, axe passes."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, toc_pages

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
