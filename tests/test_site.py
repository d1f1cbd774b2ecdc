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
        loads = all(f'src="{"../" * page.count("/")}_static/{js}' in html for js in sphinxext.VEGA_FILES)
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
