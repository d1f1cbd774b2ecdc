"""Save a PNG of every page at desktop and phone widths, light and dark.

Usage: python benchmarks/screenshots.py [--site _build/html] [--out _build/screenshots] [--dark]
       [--pages coopetition,ipo]  (pages whose path contains one of these words)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _site import CHROMIUM, CHROMIUM_ARGS, ROOT, pages, serve

SIZES = {"desktop": (1280, 900), "laptop": (1280, 800), "projector": (1024, 768), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="also save dark-mode shots")
    parser.add_argument("--pages", default="", help="comma-separated words; only pages whose path holds one")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with serve(args.site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        wanted = [w for w in args.pages.split(",") if w]
        for page_path in [p for p in pages(args.site) if not wanted or any(w in p for w in wanted)]:
            for label, (w, h) in SIZES.items():
                for scheme in (["light", "dark"] if args.dark else ["light"]):
                    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
                    context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
                    page = context.new_page()
                    page.goto(f"{url}/{page_path}.html", wait_until="load")
                    page.evaluate("() => window.cocreationCharts && window.cocreationCharts.drawAll()")
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('.cocreation-chart')].every(e => e.dataset.rendered === 'true')",
                        timeout=30_000)
                    page.wait_for_timeout(800)
                    name = f"{page_path.replace('/', '__')}-{label}-{scheme}.png"
                    page.screenshot(path=str(args.out / name), full_page=True)
                    context.close()
                    print(args.out / name)
        browser.close()


if __name__ == "__main__":
    main()
