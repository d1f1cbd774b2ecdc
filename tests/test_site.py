"""The built book: zero warnings, every page present, no CDN, offline assets vendored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cocreation import sphinxext
from conftest import ROOT, notebook_pages, toc_pages

pytestmark = pytest.mark.build

EXTERNAL_ASSET = re.compile(
    r"""<(?:script|link|img|iframe|source|audio|video)\b[^>]*\b(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""",
    re.I,
)
CDN_HOSTS = re.compile(r"cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|googleapis\.com|requirejs\.org|mathjax\.org", re.I)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_toc_page_is_built(built_site):
    for page in toc_pages():
        assert (built_site / f"{page}.html").exists(), f"{page} was not built"


def test_no_page_loads_a_script_style_or_image_from_another_host(built_site):
    offenders = {}
    for path in _pages(built_site):
        html = path.read_text(encoding="utf-8")
        found = EXTERNAL_ASSET.findall(html) + CDN_HOSTS.findall(html)
        if found:
            offenders[str(path.relative_to(built_site))] = sorted(set(found))[:5]
    assert not offenders, f"external assets or CDN references: {offenders}"


def test_no_static_css_or_js_names_a_cdn(built_site):
    for path in (built_site / "_static").rglob("*"):
        if path.suffix in {".js", ".css"} and "vendor" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert not re.search(r"""(?:src|href|import|url)\s*[:=(]\s*["']?https?://(?:cdn\.jsdelivr|unpkg)""", text), path


def test_vega_and_mathjax_are_vendored_and_loaded_locally(built_site):
    vendor = built_site / "_static" / "vendor"
    for name in sphinxext.VEGA_FILES:
        assert (built_site / "_static" / name).stat().st_size > 10_000
    assert (vendor / "mathjax" / "tex-chtml.js").exists()
    assert any((vendor / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))


def test_pages_with_charts_load_vega_and_others_do_not(built_site):
    for page in toc_pages():
        html = (built_site / f"{page}.html").read_text(encoding="utf-8")
        has_chart = 'class="cocreation-chart"' in html
        # a <script src> or, since the page loads them after DOMContentLoaded, a URL in <head>
        loads = all(f'{"../" * page.count("/")}_static/{js}' in html for js in sphinxext.VEGA_FILES)
        assert has_chart == loads, page


def test_every_notebook_was_executed_into_its_page(built_site):
    for page in notebook_pages():
        html = (built_site / f"{page}.html").read_text(encoding="utf-8")
        assert "cell_output" in html, f"{page} shows no executed output"


def test_widget_views_are_replaced_by_the_kernel_note(built_site):
    for path in _pages(built_site):
        html = path.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in html, path


def test_cache_key_covers_package_and_data(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text("a\n1\n")
    before = sphinxext.inputs_digest(tmp_path)
    (tmp_path / "data" / "t.csv").write_text("a\n2\n")
    assert sphinxext.inputs_digest(tmp_path) != before
    assert sphinxext.PACKAGE_DIR == Path(sphinxext.__file__).parent
    assert (ROOT / "src" / "cocreation") == sphinxext.PACKAGE_DIR


# --- readers take the notebooks with them (download, launch, run locally) ---------


def _repo_url() -> str:
    import yaml

    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


@pytest.mark.parametrize("page", notebook_pages())
def test_notebook_page_offers_the_executed_ipynb(built_site, page):
    import nbformat

    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    name = page.rsplit("/", 1)[-1]
    assert f'_sources/{page}.ipynb"' in html.replace(f"{'../' * page.count('/')}", ""), "no .ipynb in the download menu"
    nb = nbformat.read(built_site / "_sources" / f"{page}.ipynb", as_version=4)
    nbformat.validate(nb)
    # the install cell that opens it (tests/test_takeaway.py) is the one cell not run by the build
    code = [c for c in nb.cells if c.cell_type == "code" and "install" not in c.metadata.get("tags", [])]
    assert code and all(c.get("execution_count") for c in code), f"{name}.ipynb is not the executed notebook"
    for cell in code:
        for out in cell.get("outputs", []):
            assert "cocreation-chart" not in str(out.get("data", {}).get("text/html", "")), "page-only HTML left in the .ipynb"


@pytest.mark.parametrize("page", notebook_pages())
def test_notebook_page_has_run_locally_box_and_working_launch_links(built_site, page):
    html = (built_site / f"{page}.html").read_text(encoding="utf-8")
    assert "cocreation-run-locally" in html and f"jupyter lab {page}.md" in html
    repo = _repo_url().removeprefix("https://github.com/")
    binder = re.findall(r'href="(https://mybinder\.org/[^"]+)"', html)
    assert binder, "no Binder launch button"
    for link in binder:
        assert f"/gh/{repo}/main?urlpath=" in link and f"{page}.md" in link, link
    assert "colab.research.google.com" not in html, "Colab cannot open a .md notebook: no button"


def test_ipynb_downloads_keep_charts_for_jupyter():
    import nbformat

    from cocreation.charts import VEGALITE_MIME

    nb = nbformat.v4.new_notebook()
    bundle = {"text/html": '<div class="cocreation-chart"></div>', VEGALITE_MIME: {"mark": "bar"}, "text/plain": "c"}
    nb.cells = [nbformat.v4.new_code_cell("chart", outputs=[nbformat.v4.new_output("display_data", data=bundle)])]
    data = sphinxext.downloadable_notebook(nb).cells[0].outputs[0]["data"]
    assert set(data) == {VEGALITE_MIME, "text/plain"}


def test_every_chart_has_its_own_text_alternative(built_site):
    for page in toc_pages():
        html = (built_site / f"{page}.html").read_text(encoding="utf-8")
        for label in re.findall(r'class="cocreation-chart"[^>]*aria-label="([^"]*)"', html):
            assert label.strip() and label != "Interactive chart", f"a chart on {page} has no description"


def test_pages_skip_the_theme_icon_script(built_site):
    for page in toc_pages():
        assert "scripts/fontawesome.js" not in (built_site / f"{page}.html").read_text(encoding="utf-8")


def test_every_page_links_a_favicon_that_exists(built_site):
    # without one, browsers request /favicon.ico and log a 404 on every page
    for page in toc_pages():
        html = (built_site / f"{page}.html").read_text(encoding="utf-8")
        match = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert match, f"{page} links no favicon"
        assert (built_site / page).parent.joinpath(match.group(1)).resolve().is_file(), match.group(1)
