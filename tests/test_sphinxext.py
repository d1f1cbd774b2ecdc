"""The book's Sphinx extension: downloadable notebooks keep their outputs; pages load one stylesheet (cocreation.assets)."""

from __future__ import annotations

import re

import nbformat
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn

from cocreation.sphinxext import executed_notebook


def _notebook(with_output: bool) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("6 * 7")
    if with_output:
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1)]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_outputs_come_from_the_cache_when_myst_nb_wrote_none(tmp_path):
    # myst-nb writes jupyter_execute/<page>.ipynb without outputs on a cache hit
    cache_dir = tmp_path / "cache"
    cache = get_cache(str(cache_dir))
    cache.cache_notebook_bundle(CacheBundleIn(_notebook(True), str(tmp_path / "page.md")), check_validity=False)
    written = tmp_path / "page.ipynb"
    nbformat.write(_notebook(False), written)

    nb = executed_notebook(written, cache_dir)
    assert nb.cells[0].outputs[0]["data"]["text/plain"] == "42"


def test_a_notebook_with_outputs_or_without_a_cache_is_returned_as_written(tmp_path):
    written = tmp_path / "page.ipynb"
    nbformat.write(_notebook(False), written)
    assert executed_notebook(written, tmp_path / "no-cache").cells[0].outputs == []
    nbformat.write(_notebook(True), written)
    assert executed_notebook(written, tmp_path / "no-cache").cells[0].outputs[0]["data"]["text/plain"] == "42"


# --- cocreation.assets: one stylesheet a page ------------------------------------------------

def _site_with_styles(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text(".basic{background:url(file.png)}", encoding="utf-8")
    (static / "file.png").write_bytes(b"png")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";', encoding="utf-8")
    (static / "styles" / "pydata.css").write_text(
        '@font-face{font-family:X;src:url(../vendor/f.woff2)}.used{a:1}.unused{b:2}'
        '.fa-sun:before{content:"\\f185"}.fa-moon:before{content:"\\f186"}', encoding="utf-8")
    (static / "book.css").write_text(".built-by-script{c:3}", encoding="utf-8")
    page = tmp_path / "book" / "p.html"
    page.parent.mkdir()
    links = "".join(f'<link rel="stylesheet" href="../_static/{n}?v=1" />\n'
                    for n in ("styles/theme.css", "styles/pydata.css", "book.css"))
    page.write_text(f'<html><head>{links}<link rel="stylesheet" media="print" href="x.css" /></head>'
                    '<body class="used"><i class="fa-solid fa-sun"></i></body></html>', encoding="utf-8")
    return page


def test_a_page_gets_one_stylesheet_with_imports_inlined_and_urls_moved(tmp_path):
    from cocreation import assets

    page = _site_with_styles(tmp_path)
    html = page.read_text(encoding="utf-8")
    out = assets.bundle_page(html, page, tmp_path, {}, {"fa-sun"}, {"used", "basic", "fa-sun"}, frozenset({"book.css"}))
    links = re.findall(r'<link rel="stylesheet"[^>]*>', out)
    assert len(links) == 2 and 'media="print"' in links[1], "one bundle, and the media-specific sheet untouched"
    href = re.search(r'href="([^"]+)"', links[0]).group(1)
    bundle = (page.parent / href).resolve()
    css = bundle.read_text(encoding="utf-8")
    assert "@import" not in css and ".basic" in css
    for url in re.findall(r"url\(([^)]+)\)", css):  # relative to the bundle, they still resolve
        assert (bundle.parent / url).resolve().relative_to(tmp_path.resolve())
    assert (bundle.parent / "../file.png").resolve().is_file()
    assert ".used" in css and ".unused" not in css, "the theme's rules for unused classes are left out"
    assert ".built-by-script" in css, "the book's own stylesheet is kept whole"
    assert ".fa-sun" in css and ".fa-moon" not in css, "only the icons in use"


def test_a_page_with_a_remote_import_is_left_alone(tmp_path):
    from cocreation import assets

    page = _site_with_styles(tmp_path)
    (tmp_path / "_static" / "styles" / "theme.css").write_text('@import "https://example.org/x.css";')
    html = page.read_text(encoding="utf-8")
    assert assets.bundle_page(html, page, tmp_path, {}, set(), set()) == html


def test_purge_keeps_rules_whose_condition_names_an_unused_class():
    from cocreation import assets

    css = ".a:not(.gone){x:1}.a .gone{y:2}@media (min-width:1px){.a,.gone{z:3}}@keyframes k{0%{o:0}}"
    out = assets.purge_css(css, {"a"})
    assert ".a:not(.gone){x:1}" in out and ".a .gone" not in out
    assert "@media (min-width:1px){.a{z:3}}" in out and "@keyframes k{0%{o:0}}" in out


def test_icon_subset_is_used_only_when_it_holds_every_icon(tmp_path):
    from cocreation import assets

    folder = tmp_path / assets.ICON_SUBSET
    folder.mkdir(parents=True)
    (folder / "icons.json").write_text('{"codepoints": [61829]}')  # 0xf185
    face = ('@font-face{src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) format("woff2"),'
            'url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")}')
    css = face + '.fa-sun:before{content:"\\f185"}'
    assert "fa-subset/fa-solid-900.woff2" in assets.use_icon_subset(css, tmp_path)
    assert ".ttf" not in assets.use_icon_subset(css, tmp_path)
    more = css + '.fa-moon:before{content:"\\f186"}'
    assert assets.use_icon_subset(more, tmp_path) == more, "an icon outside the subset keeps the full fonts"


def test_documentation_options_are_inlined(tmp_path):
    from cocreation import assets

    static = tmp_path / "_static"
    static.mkdir()
    (static / "documentation_options.js").write_text("const DOCUMENTATION_OPTIONS = {VERSION: ''};")
    page = tmp_path / "p.html"
    html = ('<head><script src="_static/documentation_options.js?v=1"></script></head><body>\n'
            '<script defer src="_static/scripts/bootstrap.js?digest=1"></script>\n'
            '<script defer src="_static/scripts/pydata-sphinx-theme.js?digest=1"></script></body>')
    out = assets.inline_documentation_options(html, page)
    assert "<script>const DOCUMENTATION_OPTIONS = {VERSION: ''};</script>" in out
    assert "documentation_options.js" not in out
    assert out.count("<script defer") == 2, "the theme's scripts are left as they are"
