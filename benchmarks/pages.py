"""Per-page performance budget, measured in headless Chromium on loopback.

For each page: bytes transferred (gzip, as a static host serves them; total and by
type), DOMContentLoaded and the time to the first chart painted, both on loopback and
with the CPU slowed 4x (Chromium's ``Emulation.setCPUThrottlingRate`` through a CDP
session: a student laptop or phone), and the median latency from a slider change to
the re-rendered view (20 changes). Times are the median of ``--runs`` cold loads.

Targets (issue 22): DOMContentLoaded <= 1.0 s on loopback and <= 2.5 s throttled 4x,
every chart painted <= 1.0 s, heaviest page <= 1.0 MB gzip, slider < 100 ms.
Prints a table; asserts nothing. The machine's load moves these numbers: compare runs
made back to back.

Usage: python benchmarks/pages.py [--site _build/html] [--runs 3] [--repeat 20]
                                  [--only coopetition --only oli] [--throttle 4]
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from pathlib import Path

from _site import CHROMIUM, CHROMIUM_ARGS, ROOT, pages, serve

TARGET_BYTES = 1.0 * 1024 * 1024
TARGET_DCL_MS = 1000
TARGET_DCL_SLOW_MS = 2500
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

TIMES_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const t = [...document.querySelectorAll('.cocreation-chart')].map(e => +e.dataset.renderedAt);
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          first_chart: t.length ? Math.min(...t) : null, last_chart: t.length ? Math.max(...t) : null,
          charts: t.length};
}"""


def kind(url: str, content_type: str) -> str:
    for k in ("javascript", "css", "html", "font", "image", "json"):
        if k in content_type:
            return {"javascript": "js"}.get(k, k)
    return Path(url.split("?")[0]).suffix.lstrip(".") or "other"


def load_once(browser, url: str, *, throttle: float = 1.0, slider_repeat: int = 0) -> dict:
    """One cold load of ``url`` (a fresh context, so nothing is cached)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
    page = context.new_page()
    if throttle != 1:
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    by_type: dict[str, int] = defaultdict(int)

    def finished(request):
        try:
            response = request.response()
            size = request.sizes()["responseBodySize"]
        except Exception:  # the context closed while a late request finished
            return
        by_type[kind(request.url, response.headers.get("content-type", "") if response else "")] += size

    page.on("requestfinished", finished)
    page.goto(url, wait_until="load", timeout=120_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.cocreation-chart')].every(e => e.dataset.rendered === 'true')",
        timeout=60_000,
    )
    page.wait_for_load_state("networkidle")
    out = page.evaluate(TIMES_JS)
    out["bytes"] = dict(by_type)
    if slider_repeat:
        slider = page.evaluate(SLIDER_JS, slider_repeat)
        out["slider_ms"] = statistics.median(slider) if slider else None
    context.close()
    return out


def measure(browser, url: str, runs: int, repeat: int, throttle: float) -> dict:
    fast = [load_once(browser, url, slider_repeat=repeat if i == 0 else 0) for i in range(runs)]
    slow = [load_once(browser, url, throttle=throttle) for _ in range(runs)] if throttle else []

    def med(rows, key):
        vals = [r[key] for r in rows if r.get(key) is not None]
        return statistics.median(vals) if vals else None

    return {
        "bytes": fast[0]["bytes"],
        "dcl": med(fast, "dcl"), "load": med(fast, "load"), "first_chart": med(fast, "first_chart"),
        "last_chart": med(fast, "last_chart"), "charts": fast[0]["charts"],
        "dcl_slow": med(slow, "dcl"), "first_chart_slow": med(slow, "first_chart"),
        "slider_ms": fast[0].get("slider_ms"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=3, help="cold loads per page and mode (median)")
    parser.add_argument("--repeat", type=int, default=20, help="slider changes timed")
    parser.add_argument("--throttle", type=float, default=4.0, help="CPU slow-down for the second mode (0: skip)")
    parser.add_argument("--only", action="append", default=[], help="measure only pages whose path contains this")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(args.site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for page_path in pages(args.site):
            if args.only and not any(o in page_path for o in args.only):
                continue
            rows.append((page_path, measure(browser, f"{url}/{page_path}.html", args.runs, args.repeat, args.throttle)))
        browser.close()

    kb = lambda b: f"{b / 1024:,.0f}"  # noqa: E731
    ms = lambda v: "-" if v is None else f"{v:,.0f}"  # noqa: E731
    slow = f"{args.throttle:g}x"
    print(f"{'page':45s} {'gzip KB':>8s} {'js':>5s} {'css':>4s} {'html':>5s} {'font':>5s} {'other':>5s} "
          f"{'DCL ms':>7s} {'load':>6s} {'chart1':>6s} {'chartN':>6s} {'DCL ' + slow:>8s} {'chart1 ' + slow:>10s} "
          f"{'slider':>6s}  budget")
    for name, m in rows:
        b = m["bytes"]
        total = sum(b.values())
        other = total - sum(b.get(k, 0) for k in ("js", "css", "html", "font"))
        ok = (total <= TARGET_BYTES and m["dcl"] <= TARGET_DCL_MS
              and (m["dcl_slow"] is None or m["dcl_slow"] <= TARGET_DCL_SLOW_MS)
              and (m["last_chart"] is None or m["last_chart"] <= TARGET_FIRST_CHART_MS)
              and (m["slider_ms"] is None or m["slider_ms"] < TARGET_SLIDER_MS))
        sl = m["slider_ms"]
        print(f"{name:45s} {kb(total):>8s} {kb(b.get('js', 0)):>5s} {kb(b.get('css', 0)):>4s} "
              f"{kb(b.get('html', 0)):>5s} {kb(b.get('font', 0)):>5s} {kb(other):>5s} "
              f"{ms(m['dcl']):>7s} {ms(m['load']):>6s} {ms(m['first_chart']):>6s} {ms(m['last_chart']):>6s} "
              f"{ms(m['dcl_slow']):>8s} {ms(m['first_chart_slow']):>10s} "
              f"{'-' if sl is None else f'{sl:,.1f}':>6s}  {'ok' if ok else 'OVER'}")
    print(f"\nmedian of {args.runs} cold loads; chart1/chartN: first/last chart painted (ms after navigation).")
    print(f"targets: <= {TARGET_BYTES / 1024 / 1024:.1f} MB a page (gzip), DOMContentLoaded <= {TARGET_DCL_MS} ms "
          f"(<= {TARGET_DCL_SLOW_MS} ms at {slow} CPU), every chart <= {TARGET_FIRST_CHART_MS} ms, "
          f"slider < {TARGET_SLIDER_MS} ms")


if __name__ == "__main__":
    main()
