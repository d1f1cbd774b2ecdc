"""Lighthouse scores of the chapter pages (mobile profile), served gzip-compressed on loopback.

Runs the npm ``lighthouse`` CLI (13.x) against Debian's Chromium (``CHROME_PATH``) with
its default mobile emulation and simulated throttling, one run per page by default,
and prints performance / accessibility / best practices / SEO, with the key timings.
Targets (issue 22): performance >= 90 and the other three 100 on every chapter page.
Prints a table; asserts nothing. The reports (JSON) are kept in --out.

Install the CLI once, outside the repository:

    npm install --prefix ~/.cache/cocreation-lighthouse lighthouse@13

Lighthouse's simulated timings scale with the machine's speed: the table gives each
page's median ``benchmarkIndex`` (Lighthouse's CPU benchmark; a quiet laptop scores
about 1500-2500) and the load average before and after, so busy-machine runs read as such.

Usage: python benchmarks/lighthouse.py [--site _build/html] [--runs 1] [--all] [--only oli]
           [--lighthouse ~/.cache/cocreation-lighthouse/node_modules/.bin/lighthouse]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from _site import CHROMIUM, ROOT, pages, serve

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"FCP": "first-contentful-paint", "LCP": "largest-contentful-paint",
           "TBT": "total-blocking-time", "CLS": "cumulative-layout-shift", "SI": "speed-index"}
DEFAULT_CLI = Path.home() / ".cache" / "cocreation-lighthouse" / "node_modules" / ".bin" / "lighthouse"


def find_cli(given: str | None) -> str:
    for candidate in (given, os.environ.get("LIGHTHOUSE"), str(DEFAULT_CLI), shutil.which("lighthouse")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("lighthouse CLI not found: npm install --prefix ~/.cache/cocreation-lighthouse lighthouse@13, "
                     "or pass --lighthouse PATH")


def run(cli: str, url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
    cmd = [cli, url, "--quiet", "--output=json", f"--output-path={out}",
           f"--only-categories={','.join(CATEGORIES)}",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"]
    subprocess.run(cmd, env=env, check=True, timeout=600, stdout=subprocess.DEVNULL)
    report = json.loads(out.read_text(encoding="utf-8"))
    row = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    row["bench"] = report.get("environment", {}).get("benchmarkIndex") or 0
    for short, audit in METRICS.items():
        row[short] = report["audits"][audit]["numericValue"]
    row["failed"] = sorted(
        a for c in CATEGORIES[1:] for ref in report["categories"][c]["auditRefs"]
        if ref["weight"] and (a := ref["id"]) and report["audits"][a]["score"] not in (None, 1)
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "lighthouse")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median of each score)")
    parser.add_argument("--all", action="store_true", help="every page of the book, not only the chapters")
    parser.add_argument("--only", action="append", default=[], help="only pages whose path contains this")
    parser.add_argument("--lighthouse", help="path to the lighthouse CLI")
    args = parser.parse_args()
    cli = find_cli(args.lighthouse)
    args.out.mkdir(parents=True, exist_ok=True)
    chosen = [p for p in pages(args.site) if args.all or p.endswith("intro") or p.count("/") == 2 and
              not p.startswith(("book/instructors/", "book/reference/"))]
    chosen = [p for p in chosen if not args.only or any(o in p for o in args.only)]
    load_before = os.getloadavg()[0]

    rows = []
    with serve(args.site) as url:
        for page in chosen:
            runs = [run(cli, f"{url}/{page}.html", args.out / f"{page.replace('/', '__')}-{i}.json")
                    for i in range(args.runs)]
            merged = {k: statistics.median(r[k] for r in runs) for k in (*CATEGORIES, *METRICS, "bench")}
            merged["failed"] = sorted({a for r in runs for a in r["failed"]})
            rows.append((page, merged))
            print(f"  {page}: done", flush=True)

    print(f"\n{'page':45s} {'perf':>4s} {'a11y':>4s} {'b-p':>4s} {'seo':>4s} {'FCP s':>6s} {'LCP s':>6s} "
          f"{'TBT ms':>7s} {'CLS':>5s} {'SI s':>5s} {'bench':>5s}  not passed (a11y/b-p/seo)")
    for page, m in rows:
        print(f"{page:45s} {m['performance']:>4.0f} {m['accessibility']:>4.0f} {m['best-practices']:>4.0f} "
              f"{m['seo']:>4.0f} {m['FCP'] / 1000:>6.1f} {m['LCP'] / 1000:>6.1f} {m['TBT']:>7.0f} "
              f"{m['CLS']:>5.2f} {m['SI'] / 1000:>5.1f} {m['bench']:>5.0f}  {', '.join(m['failed']) or '-'}")
    print(f"\nLighthouse mobile profile (simulated 4x CPU, slow 4G), median of {args.runs} run(s) a page; "
          "targets: performance >= 90, the others 100.")
    print(f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
