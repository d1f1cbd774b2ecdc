"""Per-page performance budget, measured in headless Chromium on loopback.

For each page: bytes transferred (gzip, as a static host serves them; total and by
type), time to the first chart painted, and the median latency from a slider change to
the re-rendered view (20 changes). Targets: < 1.5 MB a page, first chart < 1 s,
slider < 100 ms. Prints a table; asserts nothing.

Usage: python benchmarks/pages.py [--site _build/html] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from pathlib import Path

from _site import CHROMIUM, CHROMIUM_ARGS, ROOT, pages, serve

TARGET_BYTES = 1.5 * 1024 * 1024
TARGET_FIRST_CHART_MS = 1000
TARGET_SLIDER_MS = 100

SLIDER_JS = """async (n) => {
  const chart = [...document.querySelectorAll('.cocreation-chart')].find(c => c.querySelector('input[type=range]'));
  if (!chart) return null;
  const slider = chart.querySelector('input[type=range]');
  const times = [];
  for (let i = 0; i < n; i++) {
    slider.value = (i % 2) ? slider.min : slider.max;
    const t0 = performance.now();
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    await chart.vegaView.runAsync();
    await new Promise(r => requestAnimationFrame(() => r()));
    times.push(performance.now() - t0);
  }
  return times;
}"""


def kind(url: str, content_type: str) -> str:
    for k in ("javascript", "css", "html", "font", "image", "json"):
        if k in content_type:
            return {"javascript": "js"}.get(k, k)
    return Path(url.split("?")[0]).suffix.lstrip(".") or "other"


def measure(browser, url: str, repeat: int) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page = context.new_page()
    by_type: dict[str, int] = defaultdict(int)

    def finished(request):
        response = request.response()
        size = request.sizes()["responseBodySize"]
        by_type[kind(request.url, response.headers.get("content-type", "") if response else "")] += size

    page.on("requestfinished", finished)
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cocreation-chart')].every(e => e.dataset.rendered === 'true')",
        timeout=30_000,
    )
    page.wait_for_load_state("networkidle")
    first = page.evaluate(
        "() => { const t = [...document.querySelectorAll('.cocreation-chart')].map(e => +e.dataset.renderedAt);"
        " return t.length ? Math.min(...t) : null; }"
    )
    slider = page.evaluate(SLIDER_JS, repeat)
    context.close()
    return {"bytes": dict(by_type), "first_chart_ms": first, "slider_ms": statistics.median(slider) if slider else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(args.site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page_path in pages(args.site):
            rows.append((page_path, measure(browser, f"{url}/{page_path}.html", args.repeat)))
        browser.close()

    kb = lambda b: f"{b / 1024:,.0f}"  # noqa: E731
    print(f"{'page':45s} {'total KB':>9s} {'js':>6s} {'css':>5s} {'html':>6s} {'font':>5s} {'other':>6s} "
          f"{'1st chart ms':>12s} {'slider ms':>9s}  budget")
    for name, m in rows:
        b = m["bytes"]
        total = sum(b.values())
        other = total - sum(b.get(k, 0) for k in ("js", "css", "html", "font"))
        fc = m["first_chart_ms"]
        sl = m["slider_ms"]
        ok = total < TARGET_BYTES and (fc is None or fc < TARGET_FIRST_CHART_MS) and (sl is None or sl < TARGET_SLIDER_MS)
        print(f"{name:45s} {kb(total):>9s} {kb(b.get('js', 0)):>6s} {kb(b.get('css', 0)):>5s} "
              f"{kb(b.get('html', 0)):>6s} {kb(b.get('font', 0)):>5s} {kb(other):>6s} "
              f"{'-' if fc is None else f'{fc:,.0f}':>12s} {'-' if sl is None else f'{sl:,.1f}':>9s}  {'ok' if ok else 'OVER'}")
    print(f"\ntargets: < {TARGET_BYTES / 1024 / 1024:.1f} MB a page (gzip), first chart < {TARGET_FIRST_CHART_MS} ms, "
          f"slider < {TARGET_SLIDER_MS} ms")


if __name__ == "__main__":
    main()
