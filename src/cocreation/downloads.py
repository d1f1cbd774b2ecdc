"""What readers take with them: the executed notebooks and the package's wheel.

The book build offers each chapter's executed notebook as ``.ipynb`` in the download
menu, opening with a cell that installs the package from its wheel, which the build puts
in the site. :mod:`cocreation.sphinxext` connects these hooks.
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


# --- notebooks readers take with them -------------------------------------------

RUN_LOCALLY = """
<details class="cocreation-run-locally admonition tip">
<summary>Run this chapter locally</summary>
<p>Everything on this page works in the browser. To run the code yourself, take the
notebook or the whole book.</p>
<p><strong>This chapter only:</strong> save the executed notebook (<strong>.ipynb</strong> in
the download menu) and the book's package, <a class="reference download" href="{wheel_href}"
download><code>{wheel}</code></a>, in one folder, then open the notebook in Jupyter and run
it. Its first cell installs the package from that file, with numpy, pandas, SciPy, SymPy,
Altair and ipywidgets from PyPI (without the file, from the book's repository). If the
package is installed already, the cell does nothing.</p>
<p><strong>The whole book:</strong></p>
<pre><code>git clone {repo}
cd {name}
pip install -r requirements.txt
jupyter lab {source}</code></pre>
<p>JupyterLab opens <code>{source}</code> as a notebook (jupytext is installed).</p>
</details>
"""

#: Where the build puts the package's wheel in the site (see :func:`_build_wheel`).
WHEEL_FOLDER = "_downloads"


def wheel_name(version: str | None = None) -> str:
    """File name of the package's wheel for ``version`` (default: this package's).

    >>> wheel_name("1.2.3")
    'cocreation-1.2.3-py3-none-any.whl'
    """
    if version is None:
        from . import __version__ as version
    return f"cocreation-{version}-py3-none-any.whl"


INSTALL_CELL = """\
# Install the book's package, cocreation {version} (its models, charts and data tables),
# unless it is installed already: from its wheel if you saved that file next to this
# notebook (the chapter page's "Run locally" box links it), else from {fallback_name}.
import importlib.util, pathlib

if importlib.util.find_spec("cocreation") is None:
    wheel = pathlib.Path("{wheel}")
    source = wheel if wheel.exists() else "{fallback}"
    %pip install -q {{source}}"""


def install_cell(repository: str, branch: str = "main", online_wheel: str = "", version: str | None = None) -> Any:
    """The code cell that opens every downloaded notebook: it installs the package.

    It installs the wheel saved next to the notebook; without it, the same wheel from
    the published site (``online_wheel``, when the book's ``html.baseurl`` is set) or
    else the package from ``repository`` at ``branch``. In an environment that already
    imports ``cocreation`` (a clone, Binder, a second run) it does nothing.

    >>> cell = install_cell("https://github.com/me/fork", "main", version="1.2.3")
    >>> print(cell.source.splitlines()[-1])
        %pip install -q {source}
    >>> "git+https://github.com/me/fork@main" in cell.source and cell.metadata["tags"]
    ['install']
    """
    import nbformat

    if version is None:
        from . import __version__ as version
    wheel = wheel_name(version)
    if online_wheel:
        fallback, fallback_name = online_wheel, "the book's site"
    else:
        fallback, fallback_name = f"git+{repository.rstrip('/')}@{branch}", "the book's repository"
    source = INSTALL_CELL.format(version=version, wheel=wheel, fallback=fallback, fallback_name=fallback_name)
    return nbformat.v4.new_code_cell(source, metadata={"tags": ["install"]})


def with_install_cell(nb: Any, cell: Any) -> Any:
    """``nb`` with ``cell`` as its first cell (replacing an earlier install cell)."""
    nb.cells = [cell] + [c for c in nb.cells if "install" not in c.get("metadata", {}).get("tags", [])]
    return nb


def _install_cell_for(app: Sphinx) -> Any:
    options = app.config.html_theme_options
    base = (app.config.html_baseurl or "").rstrip("/")
    online = f"{base}/{WHEEL_FOLDER}/{wheel_name()}" if base else ""
    return install_cell(options.get("repository_url", "") or "", options.get("repository_branch", "") or "main", online)


def is_notebook(path: Path) -> bool:
    """A MyST text notebook: its front matter declares a kernelspec."""
    if path.suffix != ".md" or not path.exists():
        return False
    text = path.read_text(encoding="utf-8")
    return text.startswith("---") and "kernelspec:" in text.split("---", 2)[1]


def _notebook_docs(app: Sphinx) -> list[str]:
    return sorted(d for d in app.env.found_docs if is_notebook(Path(app.env.doc2path(d))))


def _notebook_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Offer the executed .ipynb in the theme's download menu; add the run-locally box."""
    if pagename not in app.env.found_docs or not is_notebook(Path(app.env.doc2path(pagename))):
        return
    context["ipynb_source"] = f"{pagename}.ipynb"
    repo = app.config.html_theme_options.get("repository_url", "") or ""
    wheel = wheel_name()
    box = RUN_LOCALLY.format(repo=repo, name=repo.rstrip("/").rsplit("/", 1)[-1] or "book",
                             source=f"{pagename}.md", wheel=wheel,
                             wheel_href=context["pathto"](f"{WHEEL_FOLDER}/{wheel}", 1))
    source = Path(app.env.doc2path(pagename)).read_text(encoding="utf-8")
    if "```{self-check}" in source:
        from . import selfcheck

        box = f'<p class="cocreation-reading-time">{selfcheck.reading_line(source)}</p>' + box
    body = context.get("body", "")
    context["body"] = body.replace("</h1>", "</h1>" + box, 1) if "</h1>" in body else box + body


def downloadable_notebook(nb: Any) -> Any:
    """The executed notebook as readers get it: page-only HTML outputs removed.

    Charts keep their Vega-Lite bundle (Jupyter draws it); the HTML that only the
    book page can use is dropped. Live explorers keep their note (the build does not
    create their widgets; running the notebook does).
    """
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            bundle = out.get("data", {})
            html = bundle.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            page_only = "cocreation-chart" in html or "cocreation-kernel-note" in html
            if page_only and len(set(bundle) - {"text/html", "text/plain"}) > 0:
                del bundle["text/html"]
    return nb


def executed_notebook(path: Path, cache_path: Path) -> Any:
    """The executed notebook myst-nb wrote to ``jupyter_execute``, with its outputs.

    On a cache hit myst-nb merges the cached outputs into a copy and writes the
    notebook without them, so the outputs are then taken from the jupyter-cache.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    if any(cell.get("outputs") for cell in nb.cells) or not cache_path.exists():
        return nb
    from jupyter_cache import get_cache

    try:
        _, nb = get_cache(str(cache_path)).merge_match_into_notebook(nb)
    except KeyError:
        logger.info(f"[cocreation] {path} has no outputs and no jupyter-cache match")
    return nb


def _write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    import nbformat

    executed = Path(app.outdir).parent / "jupyter_execute"
    cache = Path(app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    for docname in _notebook_docs(app):
        src = executed / f"{docname}.ipynb"
        if not src.exists():
            logger.warning(f"[cocreation] no executed notebook for {docname} at {src}")
            continue
        nb = with_install_cell(downloadable_notebook(executed_notebook(src, cache)), _install_cell_for(app))
        dest = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, dest)


WHEEL_STAMP = ".cocreation-wheel.sha256"
#: What the wheel is built from: the package, the data tables and the packaging files.
WHEEL_INPUTS = ("pyproject.toml", "setup.py", "README.md", "LICENSE")


def build_wheel(root: Path, dest: Path) -> Path:
    """Build the package's wheel from ``root`` into ``dest`` and return its path.

    The sources are copied to a temporary folder first, so the build leaves no
    ``build/`` or ``*.egg-info`` in the working tree. Offline and without build
    isolation (the build environment's setuptools builds it, as it installed the
    book's requirements); ``SOURCE_DATE_EPOCH`` makes the archive reproducible.
    """
    import subprocess
    import sys
    import tempfile

    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    with tempfile.TemporaryDirectory(prefix="cocreation-wheel-") as tmp:
        tree = Path(tmp) / "src-tree"
        tree.mkdir()
        for name in WHEEL_INPUTS:
            if (root / name).exists():
                shutil.copy2(root / name, tree / name)
        shutil.copytree(root / "src" / "cocreation", tree / "src" / "cocreation", ignore=ignore)
        shutil.copytree(root / "data", tree / "data", ignore=ignore)
        out = Path(tmp) / "dist"
        cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
               "--no-index", str(tree), "-w", str(out)]
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800", "PIP_NO_INPUT": "1"}
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
        wheels = sorted(out.glob("cocreation-*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise RuntimeError(f"pip wheel failed (exit {result.returncode}): {result.stderr[-2000:]}")
        dest.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheels[0], dest / wheels[0].name))


def _build_wheel(app: Sphinx, exception: Exception | None) -> None:
    """Put the package's wheel in the site, rebuilt only when its inputs changed."""
    if exception or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    if not (root / "pyproject.toml").exists():  # a staged copy of the pages (student edition)
        root = Path(__file__).resolve().parents[2]
    dest = Path(app.outdir) / WHEEL_FOLDER
    wheel = dest / wheel_name()
    digest = hashlib.sha256(_inputs_digest(root).encode())
    for name in WHEEL_INPUTS:
        if (root / name).exists():
            digest.update((root / name).read_bytes())
    stamp = Path(app.outdir).parent / WHEEL_STAMP
    if wheel.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    for old in dest.glob("cocreation-*.whl"):
        old.unlink()
    import subprocess

    try:
        built = build_wheel(root, dest)
    except (RuntimeError, OSError, subprocess.SubprocessError) as err:
        logger.warning(f"[cocreation] could not build the package's wheel: {err}")
        return
    if built.name != wheel.name:
        logger.warning(f"[cocreation] built {built.name}, but the pages link {wheel.name}")
        return
    stamp.write_text(digest.hexdigest())
    logger.info(f"[cocreation] wheel for the download links: {built} ({built.stat().st_size // 1024} KB)")


def _inputs_digest(root: Path) -> str:
    from .sphinxext import inputs_digest

    return inputs_digest(root)


# --- the whole book as one PDF -----------------------------------------------------

#: The whole-book PDF's place in the site, next to the wheel; the download menu and the
#: front page link it (``cocreation-book-pdf`` marks the front page's paragraph).
BOOK_PDF_LABEL = "download-book-pdf-button"
BOOK_PDF_STAMP = ".cocreation-pdf.sha256"
BOOK_PDF_UNLINKED = ".cocreation-pdf-unlinked"


def book_pdf_href() -> str:
    """The PDF's path in the site.

    >>> book_pdf_href()
    '_downloads/b2b-value-cocreation.pdf'
    """
    from .printbook import PDF_NAME

    return f"{WHEEL_FOLDER}/{PDF_NAME}"


def book_pdf_mode(env: dict | None = None) -> str:
    """Whether the site build prints the PDF: ``off``, ``auto`` or ``required``.

    ``COCREATION_BOOK_PDF=0`` turns it off, ``=1`` requires it; otherwise CI requires it
    and a local build prints it when Chromium and Playwright are there.

    >>> book_pdf_mode({}), book_pdf_mode({"CI": "true"}), book_pdf_mode({"CI": "true", "COCREATION_BOOK_PDF": "0"})
    ('auto', 'required', 'off')
    """
    env = os.environ if env is None else env
    flag = env.get("COCREATION_BOOK_PDF", "")
    if flag == "0":
        return "off"
    if flag == "1" or env.get("CI", "").lower() in ("1", "true", "yes"):
        return "required"
    return "auto"


def _book_pdf_button(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Add "Whole book (PDF)" to the theme's download menu (after its own entries)."""
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({
                "type": "link",
                "url": context["pathto"](book_pdf_href(), 1),
                "text": "Whole book (PDF)",
                "icon": "fas fa-book",
                "tooltip": "Download the whole book as one PDF",
                "label": BOOK_PDF_LABEL,
            })


_PDF_LINKS = (
    re.compile(r"<li>\s*<a [^>]*?\bbtn-" + BOOK_PDF_LABEL + r"\b.*?</a>\s*</li>\s*", re.S),
    re.compile(r'<p class="cocreation-book-pdf">.*?</p>\s*', re.S),
)


def strip_book_pdf_links(html: str) -> str:
    """``html`` without the links to the whole-book PDF (for a site that has none).

    >>> strip_book_pdf_links('<ul><li><a href="x.pdf"\\n class="btn btn-download-book-pdf-button">PDF</a></li></ul>')
    '<ul></ul>'
    >>> strip_book_pdf_links('<p>Read.</p>\\n<p class="cocreation-book-pdf">The <a href="x.pdf">PDF</a>.</p>\\n<p>End.</p>')
    '<p>Read.</p>\\n<p>End.</p>'
    """
    for pattern in _PDF_LINKS:
        html = pattern.sub("", html)
    return html


def _site_digest(root: Path, outdir: Path) -> str:
    """What the PDF is printed from: the printed pages, the site's styles and scripts."""
    import yaml

    from . import printbook

    digest = hashlib.sha256(Path(printbook.__file__).read_bytes())
    digest.update((root / "_config.yml").read_bytes())
    pages = printbook.book_pages(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    files = [outdir / f"{p.path}.html" for p in pages] + sorted(f for f in (outdir / "_static").rglob("*") if f.is_file())
    for path in files:
        digest.update(path.as_posix().encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def _print_pdf(root: Path, site: Path, pdf: Path, chromium: str) -> str:
    """Print the site to ``pdf`` in a child process; return why it failed ("" if it did not)."""
    import subprocess
    import sys
    import time

    part = pdf.with_name(pdf.name + ".part")
    package = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package, os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "cocreation.printbook", "--root", str(root), "--site", str(site),
           "--out", str(part), "--chromium", chromium]
    t0 = time.perf_counter()
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    except (OSError, subprocess.SubprocessError) as err:
        return f"printing failed: {err}"
    if result.returncode != 0 or not part.exists():
        return f"printing failed (exit {result.returncode}): {(result.stdout + result.stderr)[-1500:]}"
    part.replace(pdf)
    for line in result.stdout.splitlines():
        if line.startswith("warning:"):
            logger.warning(f"[cocreation] whole-book PDF: {line.removeprefix('warning:').strip()}")
    logger.info(f"[cocreation] whole-book PDF: {pdf} ({pdf.stat().st_size // 1024} KB) "
                f"printed in {time.perf_counter() - t0:.0f} s")
    return ""


def _chromium() -> str:
    return os.environ.get("COCREATION_CHROMIUM", "/usr/bin/chromium")


def _cannot_print(mode: str, chromium: str) -> str:
    """Why this build cannot print the PDF ("" if it can)."""
    import importlib.util

    if mode == "off":
        return "COCREATION_BOOK_PDF=0"
    if not Path(chromium).exists():
        return f"no Chromium at {chromium}"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed"
    return ""


def _book_pdf(app: Sphinx, exception: Exception | None) -> None:
    """Print the whole-book PDF into the site, or take its links out of the pages.

    Runs last, on the finished HTML, and reprints only when the printed pages or the
    site's styles changed. Without the PDF (turned off, no Chromium, printing failed)
    the links to it are removed from every page, so the site links no missing file; a
    build that requires the PDF (CI) then gets a warning, which ``-W`` makes an error.
    """
    if exception or app.builder.format != "html":
        return
    root, site = Path(app.srcdir), Path(app.outdir)
    pdf, stamp, unlinked = site / book_pdf_href(), site.parent / BOOK_PDF_STAMP, site.parent / BOOK_PDF_UNLINKED
    mode, chromium = book_pdf_mode(), _chromium()
    reason = _cannot_print(mode, chromium)
    if not reason:
        digest = _site_digest(root, site)
        if pdf.exists() and stamp.exists() and stamp.read_text() == digest:
            return
        pdf.parent.mkdir(parents=True, exist_ok=True)
        reason = _print_pdf(root, site, pdf, chromium)
        if not reason:
            stamp.write_text(digest)
            return
    pdf.unlink(missing_ok=True)
    stamp.unlink(missing_ok=True)
    unlinked.touch()
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "cocreation-book-pdf" in text or BOOK_PDF_LABEL in text:
            path.write_text(strip_book_pdf_links(text), encoding="utf-8")
    message = f"[cocreation] no whole-book PDF in this build ({reason}); the pages do not link it"
    (logger.warning if mode == "required" else logger.info)(message)


def _relink_book_pdf(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """After a build whose pages lost the PDF links, rewrite every page (with them)."""
    unlinked = Path(app.outdir).parent / BOOK_PDF_UNLINKED
    if app.builder.format != "html" or not unlinked.exists() or _cannot_print(book_pdf_mode(), _chromium()):
        return []
    unlinked.unlink()
    return sorted(env.found_docs)


def setup_book_pdf(app: Sphinx) -> None:
    """Connect the whole-book PDF: its menu entry, its printing, its links' repair."""
    app.connect("html-page-context", _book_pdf_button, priority=600)  # after the theme's 501
    app.connect("build-finished", _book_pdf, priority=900)  # after every other page fix
    app.connect("env-get-outdated", _relink_book_pdf)
