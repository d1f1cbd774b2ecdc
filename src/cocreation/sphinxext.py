"""Sphinx extension that makes the book build offline-safe and cache-honest.

* Sets ``COCREATION_BOOK_BUILD=1`` before notebooks execute, so
  :mod:`cocreation.charts` renders charts for the page's vendored Vega-Embed.
* **Cache key covers the package:** hashes ``src/cocreation`` and ``data/``; when the
  hash differs from the last build's, it clears the jupyter-cache and the doctrees, so
  every notebook re-executes against the changed code.
* Drops sphinx-thebe's inline script, which names a CDN URL even with Thebe off.
* Removes two theme labels that axe-core reports as serious violations.
* Loads the vendored Vega, Vega-Lite and Vega-Embed only on pages that hold a chart.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
VEGA_FILES = ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js")
HASH_FILE = ".cocreation-inputs.sha256"


def inputs_digest(root: Path) -> str:
    """SHA-256 over the package sources and the data tables (paths and bytes)."""
    digest = hashlib.sha256()
    folders = [PACKAGE_DIR, root / "data"]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _guard_cache(app: Sphinx, config: Any) -> None:
    os.environ["COCREATION_BOOK_BUILD"] = "1"
    build_root = Path(app.outdir).parent
    cache = Path(config.nb_execution_cache_path) if config.nb_execution_cache_path else build_root / ".jupyter_cache"
    stamp = build_root / HASH_FILE
    digest = inputs_digest(Path(app.srcdir))
    if stamp.exists() and stamp.read_text() == digest:
        return
    for stale in (cache, Path(app.doctreedir)):
        if stale.exists():
            logger.info(f"[cocreation] package or data changed: clearing {stale}")
            shutil.rmtree(stale)
    build_root.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def _is_thebe(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "THEBE_JS_URL" in body or str(script).endswith("sphinx-thebe.js")


def _page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    # Thebe is off (launch_buttons.thebe: false), yet sphinx-thebe still writes an
    # inline script naming a CDN URL, twice; drop it so no page names a third party.
    context["script_files"] = [s for s in context.get("script_files", []) if not _is_thebe(s)]
    body = context.get("body", "")
    if "cocreation-chart" in body:
        for i, js in enumerate(VEGA_FILES):
            app.add_js_file(js, priority=400 + i)


#: Theme markup that axe-core flags as label-content-name-mismatch (serious): the
#: accessible name must contain the visible text.
A11Y_FIXES = (
    # The search buttons show "Search Ctrl+K" but are labelled "Search": let the text name them.
    (re.compile(r'(class="btn search-button-field[^"]*" title="Search") aria-label="Search"'), r"\1"),
    # The colour-mode icons carry titles that are not part of the button's label.
    (re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"'), r"\1"),
    # docutils puts bibliography entries (role doc-biblioentry) in a role="list".
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
)


def fix_theme_markup(html: str) -> str:
    """Apply :data:`A11Y_FIXES` to one page.

    >>> fix_theme_markup('<button class="btn search-button-field x" title="Search" aria-label="Search">')
    '<button class="btn search-button-field x" title="Search">'
    """
    for pattern, replacement in A11Y_FIXES:
        html = pattern.sub(replacement, html)
    return html


def _fix_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        fixed = fix_theme_markup(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _guard_cache)
    app.connect("html-page-context", _page_scripts)
    app.connect("build-finished", _fix_pages)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
