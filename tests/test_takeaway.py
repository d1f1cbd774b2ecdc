"""Readers take the book away: the package as a wheel that carries its data, downloaded
notebooks that install it and run in an empty folder, and one repository URL for forks.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import site
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import nbformat
import pytest
import yaml

import cocreation
from cocreation import sphinxext
from conftest import ROOT, notebook_pages, run_notebook

PAGE = "book/coopetition/cooperative_advertising_game"
WHEEL = f"cocreation-{cocreation.__version__}-py3-none-any.whl"
#: The reader's whole run (fresh environment, install, every cell) must stay well under this.
BUDGET_SECONDS = 180


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


# --- the package carries its data ----------------------------------------------------


def _python(code: str, *, cwd: Path, pythonpath: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COCREATION_DATA")}
    clean.update(PYTHONPATH=str(pythonpath), **env)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=clean, capture_output=True,
                          text=True, check=True, timeout=120).stdout.strip()


def test_an_installed_package_reads_the_tables_it_carries(tmp_path):
    # lay the package out as an installed wheel does: site-packages/cocreation/_data
    installed = tmp_path / "site-packages"
    shutil.copytree(ROOT / "src" / "cocreation", installed / "cocreation",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", installed / "cocreation" / "_data")
    code = "from cocreation import data; print(data.data_dir()); print(len(data.load('sources')))"
    folder, rows = _python(code, cwd=tmp_path, pythonpath=installed).splitlines()
    assert Path(folder) == installed / "cocreation" / "_data"
    assert int(rows) > 0
    # COCREATION_DATA still comes first
    other = tmp_path / "other"
    other.mkdir()
    assert _python("from cocreation import data; print(data.data_dir())", cwd=tmp_path,
                   pythonpath=installed, COCREATION_DATA=str(other)) == str(other)


def test_a_clone_reads_the_repository_data_folder(monkeypatch):
    from cocreation import data

    monkeypatch.delenv("COCREATION_DATA", raising=False)
    if Path(data.__file__).resolve().parent != ROOT / "src" / "cocreation":
        pytest.skip("cocreation is not imported from this working tree")
    assert data.data_dir() == ROOT / "data"


# --- the install cell ---------------------------------------------------------------


def test_install_cell_uses_the_wheel_then_the_repository_of_the_config():
    repo = _config()["repository"]["url"]
    cell = sphinxext.install_cell(repo, _config()["repository"]["branch"])
    assert cell.cell_type == "code" and cell.metadata["tags"] == ["install"]
    assert f'pathlib.Path("{WHEEL}")' in cell.source
    assert f'"git+{repo}@{_config()["repository"]["branch"]}"' in cell.source
    assert "%pip install -q {source}" in cell.source
    online = sphinxext.install_cell(repo, online_wheel=f"https://example.org/book/_downloads/{WHEEL}")
    assert "git+" not in online.source and f"https://example.org/book/_downloads/{WHEEL}" in online.source


def test_install_cell_does_nothing_where_the_package_is_installed(tmp_path):
    # the test kernel imports the working tree's package (PYTHONPATH): the cell must not
    # call pip (no wheel here, and the repository fallback would need the network)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [sphinxext.install_cell("https://example.invalid/no/such/repo"),
                nbformat.v4.new_code_cell("import cocreation; print(cocreation.__version__)")]
    run_notebook(nb, cwd=tmp_path)
    assert nb.cells[0].outputs == []
    assert nb.cells[1].outputs[0]["text"].strip() == cocreation.__version__


# --- the built site -----------------------------------------------------------------


def _href(html: str, pattern: str) -> str:
    found = re.findall(rf'href="([^"]*{pattern})"', html)
    assert found, f"no link matching {pattern!r}"
    return htmllib.unescape(found[0])


def _site_file(built_site: Path, page: str, href: str) -> Path:
    """The built file a relative link on ``page`` points to."""
    url = urljoin(f"http://site/{page}.html", href)
    return built_site / urlsplit(url).path.lstrip("/")


@pytest.mark.build
def test_the_site_holds_the_versioned_wheel_with_package_and_data(built_site):
    wheel = built_site / sphinxext.WHEEL_FOLDER / WHEEL
    assert wheel.exists(), f"no {WHEEL} in the site"
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"cocreation/{p.relative_to(ROOT / 'src' / 'cocreation').as_posix()}"
               for p in (ROOT / "src" / "cocreation").rglob("*.py")}
    assert not modules - names, f"modules missing from the wheel: {sorted(modules - names)[:5]}"
    tables = {f"cocreation/_data/{p.name}" for p in (ROOT / "data").iterdir()
              if p.name.endswith((".csv", ".schema.yaml"))}
    assert tables and not tables - names, f"tables missing from the wheel: {sorted(tables - names)[:5]}"
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert f"Version: {cocreation.__version__}" in text and "Requires-Dist: altair" in text
    print(f"\n{wheel.relative_to(built_site)}: {wheel.stat().st_size / 1024:.0f} KB, {len(names)} files")


@pytest.mark.build
@pytest.mark.parametrize("page", notebook_pages())
def test_every_downloaded_notebook_begins_with_the_install_cell(built_site, page):
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    nb = nbformat.read(_site_file(built_site, page, _href(html, r"_sources/[^\"]*\.ipynb")), as_version=4)
    nbformat.validate(nb)
    first = nb.cells[0]
    assert first.cell_type == "code" and first.metadata.get("tags") == ["install"], "no install cell first"
    assert [c for c in nb.cells if "install" in c.metadata.get("tags", [])] == [first], "more than one install cell"
    assert WHEEL in first.source and "%pip install" in first.source
    # the page's run-locally box offers that very wheel, by a link that resolves in the site
    box = html[html.index("cocreation-run-locally"):html.index("</details>", html.index("cocreation-run-locally"))]
    assert "first cell installs the package" in box
    wheel = _site_file(built_site, page, _href(box, re.escape(WHEEL)))
    assert wheel.exists(), f"the run-locally box of {page} links a missing wheel"


# --- one repository URL for forks ---------------------------------------------------

#: Hosts of launch, repository, issue and edit links (a fork may use any of the forges).
HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "mybinder.org",
         "colab.research.google.com", "deepnote.com", "lightning.ai")


def _repository_links(page: str) -> list[str]:
    """Every link on ``page`` to a code forge or a notebook launcher."""
    links = (htmllib.unescape(h) for h in re.findall(r'href="([^"]+)"', page))
    return [link for link in links if (urlsplit(link).hostname or "").removeprefix("www.") in HOSTS]


def _derived(link: str, repo: str, branch: str) -> bool:
    """A link the theme or the extension builds from ``repository.url``/``branch``."""
    owner_name = urlsplit(repo).path.strip("/")
    binder = _config()["launch_buttons"]["binderhub_url"].rstrip("/")
    return (
        link == repo
        or link.startswith(repo + "/")  # issues, edit/<branch>/..., blob/<branch>/...
        or link.startswith(f"{binder}/v2/gh/{owner_name}/{branch}?")  # launch
    )


@pytest.mark.build
def test_every_launch_repository_issue_and_edit_link_comes_from_the_config(built_site):
    config = _config()
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    kinds = {"launch": 0, "repository": 0}
    stray = {}
    for path in sorted(built_site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        for link in _repository_links(page):
            if not _derived(link, repo, branch):
                stray.setdefault(str(path.relative_to(built_site)), set()).add(link)
            kinds["launch" if "/v2/gh/" in link else "repository"] += 1
        if "cocreation-run-locally" in page:
            assert f"git clone {repo}\n" in page, f"{path.name}: the clone command is not the repository URL"
    assert not stray, f"links not built from repository.url: {stray}"
    assert kinds["launch"] and kinds["repository"], f"no launch or repository links found: {kinds}"
    for notebook in (built_site / "_sources").rglob("*.ipynb"):
        cell = nbformat.read(notebook, as_version=4).cells[0].source
        assert f'"git+{repo}@{branch}"' in cell, f"{notebook.name}: install fallback is not repository.url"


def test_the_repository_url_is_written_only_where_a_fork_changes_it():
    """Nothing else hard-codes it: the site, the notebooks and the package derive it."""
    repo = _config()["repository"]["url"].rstrip("/")
    owner_name = urlsplit(repo).path.strip("/")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    holders = []
    for name in tracked.stdout.splitlines():
        path = ROOT / name
        if path.suffix in {".js", ".css", ".woff", ".woff2", ".png", ".svg", ".ico"} or not path.is_file():
            continue
        try:
            if owner_name in path.read_text(encoding="utf-8"):
                holders.append(name)
        except UnicodeDecodeError:
            continue
    assert "_config.yml" in holders and set(holders) <= {"_config.yml", "CITATION.cff", "README.md"}, holders
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["repository-code"].rstrip("/") == repo, "CITATION.cff names another repository"


# --- done when: a fresh environment runs the downloaded notebook --------------------


def _shadowed_site_packages(dest: Path) -> Path:
    """This interpreter's site-packages without any ``cocreation``, as one folder of links.

    A fresh venv adds it with ``site.addsitedir`` (so the packages' own ``.pth`` files
    work), which provides the dependencies offline while only the wheel can provide
    ``cocreation``: the editable install's ``.pth`` and dist-info are left out.
    """
    dest.mkdir()
    for folder in site.getsitepackages():
        for entry in Path(folder).iterdir():
            lowered = entry.name.lower()
            if lowered.startswith(("cocreation", "__editable__.cocreation", "__editable___cocreation")):
                continue
            if not (dest / entry.name).exists():
                (dest / entry.name).symlink_to(entry)
    return dest


def _fresh_environment(root: Path, full: bool) -> Path:
    """A new venv under ``root`` and a ``python3`` kernelspec for it in ``root/jupyter``."""
    venv = root / "venv"
    if full:  # a plain venv that installs every dependency from the package index
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "ipykernel"],
                       check=True, timeout=900)
    else:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
        deps = _shadowed_site_packages(root / "dependencies")
        purelib = subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        Path(purelib, "dependencies.pth").write_text(f"import site; site.addsitedir({str(deps)!r})\n")
    kernels = root / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (fresh venv)", "language": "python",
    }))
    return venv


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory):
    """A fresh virtual environment without ``cocreation``; (venv, seconds to make it).

    By default the venv gets its dependencies (numpy, pandas, altair, ipykernel, ...)
    from this interpreter's site-packages with every trace of ``cocreation`` hidden,
    offline and in about a second; installing them from the package index took from
    1 to 2.5 minutes here, varying with the network. ``COCREATION_TAKEAWAY_FULL=1``
    makes a plain venv that installs them from the index, as on a reader's machine.
    """
    start = time.perf_counter()
    root = tmp_path_factory.mktemp("fresh")
    venv = _fresh_environment(root, FULL)
    return venv, time.perf_counter() - start


FULL = os.environ.get("COCREATION_TAKEAWAY_FULL") == "1"
CHECK = "import sys, cocreation.data\nprint(sys.prefix, cocreation.__file__, cocreation.data.data_dir(), sep='\\n')"


def _run_what_the_page_offers(built_site: Path, page: str, reader: Path, venv: Path, monkeypatch) -> tuple[Any, float]:
    """Copy the page's .ipynb and wheel to the empty folder ``reader`` and run the notebook
    there in ``venv``'s kernel; return the executed notebook and the seconds it took."""
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    reader.mkdir()
    notebook = _site_file(built_site, page, _href(html, r"_sources/[^\"]*\.ipynb"))
    wheel = _site_file(built_site, page, _href(html, r"\.whl"))
    shutil.copy2(notebook, reader / notebook.name)
    shutil.copy2(wheel, reader / wheel.name)
    monkeypatch.setenv("JUPYTER_PATH", str(venv.parent / "jupyter"))
    for name in ("PYTHONPATH", "COCREATION_DATA", "COCREATION_BOOK_BUILD"):
        monkeypatch.delenv(name, raising=False)
    nb = nbformat.read(reader / notebook.name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(CHECK))
    start = time.perf_counter()
    run_notebook(nb, cwd=reader, timeout=600 if FULL else 120)  # raises on any failing cell
    seconds = time.perf_counter() - start
    prefix, module, data_dir = nb.cells[-1].outputs[0]["text"].split()
    assert Path(prefix) == venv, "the notebook did not run in the fresh environment"
    assert Path(module).is_relative_to(venv), f"cocreation came from {module}, not from the wheel"
    assert Path(data_dir) == Path(module).parent / "_data", f"the tables came from {data_dir}"
    return nb, seconds


@pytest.mark.build
def test_the_downloaded_notebook_runs_in_an_empty_folder_of_a_fresh_environment(built_site, fresh_env, tmp_path, monkeypatch):
    """Done when (issue 20): a fresh venv, only what the coopetition page offers (its
    notebook and its wheel, in an empty folder), executed with nbclient."""
    venv, setup = fresh_env
    nb, seconds = _run_what_the_page_offers(built_site, PAGE, tmp_path / "reader", venv, monkeypatch)
    assert list(venv.glob("lib/python*/site-packages/cocreation-*.dist-info")), \
        "the install cell did not install the wheel into the fresh environment"
    print(f"\nfresh environment ({'plain venv, index' if FULL else 'venv, shadowed site-packages'}): {setup:.1f} s; "
          f"install cell + {sum(c.cell_type == 'code' for c in nb.cells) - 2} code cells: {seconds:.1f} s; "
          f"total {setup + seconds:.1f} s")
    assert setup + seconds < (900 if FULL else BUDGET_SECONDS)


@pytest.mark.build
@pytest.mark.parametrize("page", [p for p in notebook_pages() if p != PAGE])
def test_every_other_downloaded_notebook_runs_there_too(built_site, fresh_env, tmp_path, page, monkeypatch):
    venv, _ = fresh_env
    _, seconds = _run_what_the_page_offers(built_site, page, tmp_path / "reader", venv, monkeypatch)
    print(f" {page}: {seconds:.1f} s", end="")


# --- the whole-book PDF: linked only where it exists ------------------------------------

PDF_ENTRY = ('<li><a href="../_downloads/b2b-value-cocreation.pdf" target="_blank"\n'
             '   class="btn btn-sm btn-download-book-pdf-button dropdown-item">Whole book (PDF)</a></li>')


def test_download_menu_gets_the_pdf_entry_after_the_theme_s_own():
    from cocreation import downloads

    menu = {"type": "group", "label": "download-buttons", "buttons": [{"type": "link", "label": "download-source-button"}]}
    context = {"header_buttons": [{"type": "link", "label": "fullscreen-button"}, menu],
               "pathto": lambda target, resource: f"../{target}"}
    downloads._book_pdf_button(None, "book/intro", "page.html", context, None)
    assert [b["label"] for b in menu["buttons"]] == ["download-source-button", downloads.BOOK_PDF_LABEL]
    assert menu["buttons"][-1]["url"] == "../_downloads/b2b-value-cocreation.pdf"
    assert menu["buttons"][-1]["text"] == "Whole book (PDF)"
    assert len(context["header_buttons"]) == 2  # nothing added outside the download menu


def test_a_build_without_the_pdf_links_no_pdf(tmp_path, monkeypatch):
    """Printing turned off: a stale PDF is removed and no page links it; the next build re-links."""
    from types import SimpleNamespace

    from cocreation import downloads

    site = tmp_path / "_build" / "html"
    (site / "_downloads").mkdir(parents=True)
    (site / "_downloads" / "b2b-value-cocreation.pdf").write_bytes(b"%PDF-stale")
    page = f'<ul class="dropdown-menu"><li><a href="x.md">.md</a></li>\n{PDF_ENTRY}\n</ul>'
    intro = '<p>Read.</p>\n<p class="cocreation-book-pdf">The <a href="../_downloads/b2b-value-cocreation.pdf">PDF</a>.</p>\n<p>End.</p>'
    (site / "book").mkdir()
    (site / "book" / "chapter.html").write_text(page, encoding="utf-8")
    (site / "book" / "intro.html").write_text(intro, encoding="utf-8")
    app = SimpleNamespace(srcdir=str(tmp_path), outdir=str(site), builder=SimpleNamespace(format="html"))
    monkeypatch.setenv("COCREATION_BOOK_PDF", "0")
    downloads._book_pdf(app, None)
    assert not (site / "_downloads" / "b2b-value-cocreation.pdf").exists()
    chapter = (site / "book" / "chapter.html").read_text(encoding="utf-8")
    assert "b2b-value-cocreation.pdf" not in chapter and '<a href="x.md">.md</a>' in chapter
    assert (site / "book" / "intro.html").read_text(encoding="utf-8") == "<p>Read.</p>\n<p>End.</p>"
    env = SimpleNamespace(found_docs={"book/intro", "book/chapter"})
    assert downloads._relink_book_pdf(app, env, set(), set(), set()) == []  # still off: no rewrite
    monkeypatch.setenv("COCREATION_BOOK_PDF", "1")
    monkeypatch.setenv("COCREATION_CHROMIUM", sys.executable)  # any existing file passes the check
    assert downloads._relink_book_pdf(app, env, set(), set(), set()) == ["book/chapter", "book/intro"]


def test_ci_requires_the_pdf_unless_turned_off():
    from cocreation.downloads import book_pdf_mode

    assert book_pdf_mode({"CI": "true"}) == "required"
    assert book_pdf_mode({"COCREATION_BOOK_PDF": "1"}) == "required"
    assert book_pdf_mode({"CI": "true", "COCREATION_BOOK_PDF": "0"}) == "off"
    assert book_pdf_mode({}) == "auto"
