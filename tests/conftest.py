"""Shared fixtures: the built book, a loopback server for it, and a Chromium browser."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("COCREATION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


def sources_dir() -> Path:
    """Folder of the plain-text sources: $COCREATION_SOURCES, else ../shared/sources."""
    return Path(os.environ.get("COCREATION_SOURCES", ROOT.parent / "shared" / "sources"))


def toc_pages() -> list[str]:
    """Every page of _toc.yml, as paths relative to the root without suffix."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


def notebook_pages() -> list[str]:
    """Pages that are MyST notebooks (they carry a jupytext/kernelspec header)."""
    def header(page: str) -> str:
        text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        return text.split("---", 2)[1] if text.startswith("---") else ""

    return [p for p in toc_pages() if "kernelspec:" in header(p)]


@functools.lru_cache(maxsize=1)
def _build() -> subprocess.CompletedProcess:
    cmd = ["jupyter-book", "build", str(ROOT), "-W", "-n", "--keep-going"]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3000)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Build the book once per session (executing every notebook) and return _build/html.

    Set COCREATION_REUSE_BUILD=1 to test an existing _build/html without rebuilding.
    """
    if os.environ.get("COCREATION_REUSE_BUILD") == "1" and (SITE / "index.html").exists():
        return SITE
    result = _build()
    log = result.stdout + result.stderr
    warnings = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL): ", line)]
    if result.returncode != 0 or warnings:
        pytest.fail(
            "jupyter-book build failed (exit %d) with %d warning/error lines:\n%s\n--- tail ---\n%s"
            % (result.returncode, len(warnings), "\n".join(warnings[:40]), log[-4000:]),
            pytrace=False,
        )
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - silence access logs
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Serve the built book on 127.0.0.1 (a free port) for the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright cannot download browsers here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_report_header(config):
    return f"cocreation: sources at {sources_dir()} (exists: {sources_dir().exists()}); python {sys.version.split()[0]}"
