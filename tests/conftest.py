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
# Kernels and builds started by the tests import the working tree's package, not
# whatever `cocreation` happens to be installed.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
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
    """Folder of the plain-text sources: $COCREATION_SOURCES, else ../shared/sources.

    This is the one place the tests look for the sources.
    """
    return Path(os.environ.get("COCREATION_SOURCES", ROOT.parent / "shared" / "sources"))


def require_sources() -> Path:
    """The sources folder; skip the test without it (fail if COCREATION_REQUIRE_SOURCES=1)."""
    folder = sources_dir()
    if not folder.is_dir():
        if os.environ.get("COCREATION_REQUIRE_SOURCES") == "1":
            pytest.fail(f"source texts not found at {folder} (set COCREATION_SOURCES)", pytrace=False)
        pytest.skip(f"source texts not found at {folder}; set COCREATION_SOURCES to check against them")
    return folder


def source_text(source_id: str) -> str:
    """The plain text of one source, e.g. ``source_text("003")``."""
    folder = require_sources()
    files = sorted(folder.glob(f"{source_id}_*.txt"))
    if not files:
        pytest.fail(f"no file {source_id}_*.txt in {folder}", pytrace=False)
    return files[0].read_text(encoding="utf-8")


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


NOTEBOOK_TIMEOUT = 60  # seconds per cell; every chapter notebook runs in under 10 s


def run_notebook(source, *, cwd: Path, timeout: int = NOTEBOOK_TIMEOUT, widgets: bool = False):
    """Execute a notebook (a MyST ``.md`` path or an nbformat notebook) and return it.

    Every test executes notebooks through this helper. Unless ``widgets`` is set, it
    runs without nbclient's widget registry: nbclient's stand-in for the ipywidgets
    Output widget sends comm messages on the shell channel through jupyter_client's
    blocking shadow of the asyncio socket, which can swallow that socket's readiness
    edge, so the execute reply is then read only when the poll times out (nbclient
    issue #312 and PR #311, jupyter_client PR #1059). The tests need no widget state.
    """
    import jupytext
    import nbclient

    nb = jupytext.read(source) if isinstance(source, (str, Path)) else source
    client = nbclient.NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=True, resources={"metadata": {"path": str(cwd)}}
    )
    if not widgets:
        client.widget_registry = {}
    client.execute()  # raises CellExecutionError on any failing cell
    return nb


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


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    """Without Chromium, say so once: skip the browser tests locally, stop at once in CI."""
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if not browser_tests or Path(CHROMIUM).exists():
        return
    reason = (
        f"no Chromium at {CHROMIUM}: set COCREATION_CHROMIUM to a Chromium binary, "
        'or run python -m pytest -m "not browser"'
    )
    if _in_ci():
        pytest.exit(f"CI needs the browser tests: {reason}", returncode=1)
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (Playwright cannot download browsers here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_report_header(config):
    return f"cocreation: sources at {sources_dir()} (exists: {sources_dir().exists()}); python {sys.version.split()[0]}"
