"""Measure the book build: cold full build, warm no-change rebuild, size of each page.

Usage: python benchmarks/build.py [--runs N]

Builds into a temporary copy of the repository, so the working tree's _build is left
alone. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSET = re.compile(r"""(?:src|href)="([^"#?]+\.(?:js|css))""")


def build(root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["jupyter-book", "build", str(root), "-W", "-n", "--keep-going", "-q"], check=True,
                   cwd=root, capture_output=True)
    return time.perf_counter() - start


def page_sizes(site: Path) -> list[tuple[str, int, int]]:
    """(page, HTML bytes, HTML + local JS/CSS it references, each counted once)."""
    rows = []
    for page in sorted(site.rglob("*.html")):
        if page.name in ("search.html", "genindex.html"):
            continue
        html = page.read_text(encoding="utf-8")
        assets = {(page.parent / a).resolve() for a in ASSET.findall(html) if not a.startswith("http")}
        total = page.stat().st_size + sum(a.stat().st_size for a in assets if a.exists())
        rows.append((str(page.relative_to(site)), page.stat().st_size, total))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1, help="cold builds to time (median)")
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "book"
            shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("_build", ".git", "__pycache__", "*.egg-info"))
            cold.append(build(copy))
            warm.append(build(copy))
            sizes = page_sizes(copy / "_build" / "html")
    print(f"cold full build     : {statistics.median(cold):7.1f} s (median of {len(cold)})")
    print(f"warm no-change build: {statistics.median(warm):7.1f} s")
    print()
    print(f"{'page':55s} {'HTML KB':>9s} {'+ JS/CSS KB':>12s}")
    for name, html, total in sizes:
        print(f"{name:55s} {html / 1024:9.0f} {total / 1024:12.0f}")


if __name__ == "__main__":
    main()
