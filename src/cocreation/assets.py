"""What a built page loads, and when: a page that is ready before its maths, charts and search index.

Used by :mod:`cocreation.sphinxext` (its ``html-page-context`` and ``build-finished`` hooks):

* Theme and extension scripts in ``<head>`` are deferred; MathJax loads lazily
  (``mathjax-lazy.js``) and the search index only on the results page.
* Charts are drawn when they are needed (``charts-lazy.js``, inlined in ``<head>``):
  Vega and its companions load with the first chart, not with the page.
* The page's stylesheets are served as one file per distinct list of stylesheets
  (one request instead of thirteen, and no ``@import`` chain before the first paint),
  with the icon-font rules cut to the icons the site uses.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

VEGA_FILES = ("vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js")

#: Theme and extension scripts in <head> that only act on the parsed page: loaded
#: with ``defer`` (in order, after parsing) instead of blocking the first paint.
DEFERRABLE_SCRIPTS = ("doctools.js", "sphinx_highlight.js", "clipboard.min.js", "copybutton.js",
                      "sphinx-book-theme.js", "togglebutton.js", "design-tabs.js", "selfcheck.js")

#: The chart scheduler's source, in the book's static folder; inlined into <head>.
CHARTS_LAZY = "charts-lazy.js"

SEARCH_TOOLS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)


def _is_mathjax(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "mathjax" in str(script).split("?")[0].lower() or body.startswith("window.MathJax")


def _with_attributes(script: Any, **attributes: str) -> Any:
    """A copy of a Sphinx ``_JavaScript`` asset with more attributes (it is immutable)."""
    return type(script)(script.filename, priority=script.priority, **{**script.attributes, **attributes})


def mathjax_page_config(config: dict | None) -> dict:
    """The page's MathJax 3 configuration: the book's, with the start-up typeset off.

    ``mathjax-lazy.js`` typesets the maths itself, a few expressions at a time, as
    they come near the screen.

    >>> mathjax_page_config({"options": {"processHtmlClass": "math"}})["startup"]
    {'typeset': False}
    """
    page = {k: (dict(v) if isinstance(v, dict) else v) for k, v in (config or {}).items()}
    page.setdefault("startup", {})["typeset"] = False
    return page


def chart_scheduler_js(app: Sphinx, urls: list[str]) -> str:
    """``charts-lazy.js`` without its header comment, with the page's library URLs."""
    for folder in app.config.html_static_path:
        path = Path(app.confdir) / folder / CHARTS_LAZY
        if path.is_file():
            source = path.read_text(encoding="utf-8")
            body = source.split("*/", 1)[1].strip() if source.lstrip().startswith("/*") else source
            return body.replace("__CHART_LIBRARY_URLS__", json.dumps(urls))
    raise FileNotFoundError(f"{CHARTS_LAZY} is in none of html_static_path {app.config.html_static_path}")


def _speed_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Keep <head> free of blocking scripts; MathJax, the charts' libraries and the search index load late."""
    scripts = context.get("script_files", [])
    mathjax_src = None
    vega_urls = []
    out = []
    for script in scripts:
        name = str(getattr(script, "filename", "") or "").split("?")[0]
        attributes = getattr(script, "attributes", {}) or {}
        if any(name.endswith(js) for js in VEGA_FILES):
            vega_urls.append(context["pathto"](name, 1))
            continue  # loaded by charts-lazy.js with the first chart drawn
        if _is_mathjax(script):
            if name:
                mathjax_src = name
            continue  # both the file and its inline ``window.MathJax = ...`` config
        # The results page runs Sphinx's searchtools.js (a plain script in its body),
        # which needs doctools.js loaded before it: leave that page's scripts alone.
        if pagename != "search" and name and name.rsplit("/", 1)[-1] in DEFERRABLE_SCRIPTS \
                and not {"defer", "async"} & set(attributes):
            script = _with_attributes(script, defer="defer")
        out.append(script)
    scripts[:] = out
    if vega_urls:
        app.add_js_file(None, body=chart_scheduler_js(app, vega_urls), priority=399)
    if mathjax_src:
        config = mathjax_page_config(app.config.mathjax3_config)
        app.add_js_file(None, body=f"window.MathJax = {json.dumps(config)}", priority=800)
        src = context["pathto"](mathjax_src, 1)
        app.add_js_file("mathjax-lazy.js", priority=801, defer="defer", **{"data-mathjax": src})
    if pagename == "search":
        app.add_js_file("search-scorer.js", priority=802)  # before the template's searchtools.js
    else:
        app.add_js_file("search-lazy.js", priority=802, defer="defer")


def _lazy_search_index(app: Sphinx, exception: Exception | None) -> None:
    """Drop the search tools and index that the theme puts in every page's <head>.

    With search-as-you-type off, only the results page (search.html) uses them;
    ``search-lazy.js`` prefetches them when the reader opens the search box.
    """
    if exception or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        if path.name == "search.html" and path.parent == Path(app.outdir):
            continue
        text = path.read_text(encoding="utf-8")
        fixed = SEARCH_TOOLS.sub("", text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


# --- one stylesheet per page ----------------------------------------------------------

STYLESHEET_LINK = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*>\n?')
_HREF = re.compile(r'\bhref="([^"]+)"')
_CSS_URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
_CSS_IMPORT = re.compile(r'@import\s+(?:url\()?\s*["\']([^"\']+)["\']\s*\)?\s*;')
#: The icon font's per-icon rules, e.g. ``.fa-sun:before{content:"\f185"}`` (grouped or not).
ICON_RULE = re.compile(r'((?:\.fa-[\w-]+:before,)*\.fa-[\w-]+:before)\{content:"[^"]*"\}')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*\b")
#: Where the bundles go: beside the theme's stylesheet, so its relative URLs hold.
BUNDLE_FOLDER = "_static/styles"


def _local(url: str) -> bool:
    return not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.I)


def inline_css(path: Path, target_dir: Path, seen: frozenset = frozenset()) -> str:
    """The stylesheet at ``path`` with its local ``@import``s inlined and its URLs made
    relative to ``target_dir``. Raises ValueError for an import it cannot inline."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^\ufeff?@charset[^;]*;", "", text.lstrip())

    def imported(m: re.Match) -> str:
        url = m.group(1)
        if not _local(url):
            raise ValueError(f"remote @import {url} in {path}")
        child = (path.parent / url.split("?")[0]).resolve()
        if child in seen:
            return ""
        return inline_css(child, target_dir, seen | {path.resolve()})

    def moved(m: re.Match) -> str:
        quote, url = m.groups()
        if not _local(url):
            return m.group(0)
        plain, _, rest = url.partition("?")
        fragment = ""
        if "#" in plain:
            plain, fragment = plain.split("#", 1)
            fragment = "#" + fragment
        new = os.path.relpath(os.path.normpath(path.parent / plain), target_dir).replace(os.sep, "/")
        return f"url({quote}{new}{'?' + rest if rest else ''}{fragment}{quote})"

    text = _CSS_IMPORT.sub(imported, text)
    return _CSS_URL.sub(moved, text)


def trim_icon_rules(css: str, used: set[str]) -> str:
    """Drop the icon font's per-icon rules for icons no page uses.

    >>> trim_icon_rules('.fa-sun:before{content:"a"}.fa-moon:before,.fa-xmark:before{content:"b"}.fa-bars:before{content:"c"}', {"fa-xmark"})
    '.fa-moon:before,.fa-xmark:before{content:"b"}'
    """
    def keep(m: re.Match) -> str:
        names = re.findall(r"\.(fa-[\w-]+):before", m.group(1))
        return m.group(0) if used & set(names) else ""

    return ICON_RULE.sub(keep, css)


def used_icons(outdir: Path) -> set[str]:
    """Every ``fa-*`` class named in the site's pages and scripts (the theme sets some
    from JavaScript), except the icon font's own script, which names them all."""
    used: set[str] = set()
    for path in outdir.rglob("*"):
        if path.suffix in (".html", ".js") and path.name != "fontawesome.js" and path.is_file():
            used |= set(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return used


def bundle_page(html: str, page: Path, outdir: Path, bundles: dict[tuple, str], icons: set[str],
                tokens: set[str], own: frozenset = frozenset()) -> str:
    """``html`` with its <head>'s stylesheets replaced by one bundle (written once per list).

    The theme's and extensions' rules for classes no page or script names are left out
    (:func:`purge_css`); the stylesheets named in ``own`` are kept whole."""
    head, sep, body = html.partition("</head>")
    links = [m for m in STYLESHEET_LINK.finditer(head) if "media=" not in m.group(0)]
    files = []
    for m in links:
        href = _HREF.search(m.group(0))
        if not href or not _local(href.group(1)):
            return html
        path = (page.parent / href.group(1).split("?")[0]).resolve()
        if not path.is_file():
            return html
        files.append(path)
    if len(files) < 2:
        return html
    key = tuple(files)
    if key not in bundles:
        target = outdir / BUNDLE_FOLDER
        try:
            # The book's own stylesheets are kept whole: its scripts may build class names.
            css = "\n".join(inline_css(f, target) if f.name in own else purge_css(inline_css(f, target), tokens)
                            for f in files)
        except ValueError:
            return html
        css = use_icon_subset(trim_icon_rules(css, icons), outdir / "_static")
        name = f"bundle-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        (target / name).write_text(css, encoding="utf-8")
        bundles[key] = name
    href = os.path.relpath(outdir / BUNDLE_FOLDER / bundles[key], page.parent).replace(os.sep, "/")
    first = links[0].start()
    for m in reversed(links):
        head = head[: m.start()] + head[m.end():]
    head = head[:first] + f'<link rel="stylesheet" href="{href}" />\n' + head[first:]
    return head + sep + body


def _bundle_stylesheets(app: Sphinx, exception: Exception | None) -> None:
    """Serve each page's stylesheets as one file (see :func:`bundle_page`)."""
    if exception or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    (outdir / BUNDLE_FOLDER).mkdir(parents=True, exist_ok=True)
    for old in (outdir / BUNDLE_FOLDER).glob("bundle-*.css"):
        old.unlink()
    icons = used_icons(outdir)
    tokens = site_tokens(outdir)
    own = frozenset(p.name for folder in getattr(app.config, "html_static_path", [])
                    for p in (Path(app.confdir) / folder).glob("*.css"))
    bundles: dict[tuple, str] = {}
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = bundle_page(text, page, outdir, bundles, icons, tokens, own)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


# --- nothing between the page's text and its first paint -------------------------------
#
# (The theme's own two scripts stay ``defer``: loaded after the first paint instead,
# they forced one more full layout of the page, and Lighthouse's blocking time rose.)

_DOC_OPTIONS = re.compile(r'<script src="([^"]*_static/documentation_options\.js)(?:\?[^"]*)?"></script>')
def inline_documentation_options(html: str, page: Path) -> str:
    """Sphinx's ``documentation_options.js`` (a few hundred bytes that later inline
    scripts read) inlined, so no script blocks the first paint."""
    def inlined(m: re.Match) -> str:
        path = page.parent / m.group(1)
        if not path.is_file():
            return m.group(0)
        return "<script>" + path.read_text(encoding="utf-8").replace("</", "<\\/").strip() + "</script>"

    return _DOC_OPTIONS.sub(inlined, html, count=1)


def _first_paint_first(app: Sphinx, exception: Exception | None) -> None:
    if exception or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = inline_documentation_options(text, page)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


# --- the icon fonts, cut to the icons the site shows ----------------------------------------

#: Subsets of the theme's Font Awesome Free webfonts (SIL OFL 1.1), made offline by
#: :func:`subset_icon_fonts` with the code points the built site's CSS names; its
#: ``icons.json`` lists them. A build whose CSS names another icon keeps the full fonts.
ICON_SUBSET = "vendor/fa-subset"
_FA_FONT_URL = re.compile(r"url\(([^)]*?)vendor/fontawesome/webfonts/(fa-[a-z]+-\d+)\.(woff2|ttf)\)")
_CSS_CONTENT = re.compile(r'content:\s*"((?:\\[0-9a-fA-F]{1,6}\s?|[^"\\])*)"')


def icon_codepoints(css: str) -> set[int]:
    """Code points the stylesheet draws from the icon fonts: those of its ``content``
    strings and every private-use character it holds (the theme's icon variables).

    >>> sorted(hex(c) for c in icon_codepoints('.fa-sun:before{content:"\\\\f185"} :root{--x:"\\uf00d"}'))
    ['0xf00d', '0xf185']
    """
    found = set()
    for m in _CSS_CONTENT.finditer(css):
        for e in re.finditer(r"\\([0-9a-fA-F]{1,6})\s?|(.)", m.group(1), re.S):
            found.add(int(e.group(1), 16) if e.group(1) else ord(e.group(2)))
    found |= {ord(ch) for ch in css if 0xE000 <= ord(ch) <= 0xF8FF}
    return {c for c in found if c >= 0xE000}


def use_icon_subset(css: str, static_dir: Path) -> str:
    """Point the stylesheet's Font Awesome ``@font-face`` rules at the subset fonts
    (WOFF2 only; every browser that runs the theme reads it), if they hold every icon it names."""
    manifest = static_dir / ICON_SUBSET / "icons.json"
    if not manifest.is_file():
        return css
    have = set(json.loads(manifest.read_text(encoding="utf-8"))["codepoints"])
    if not icon_codepoints(css) <= have:
        return css

    def subset(m: re.Match) -> str:
        return f"url({m.group(1)}{ICON_SUBSET}/{m.group(2)}.woff2)"

    css = _FA_FONT_URL.sub(subset, css)
    # the .woff2 and .ttf sources now name the same file: keep one
    return re.sub(r'(url\([^)]*fa-subset/[^)]+\)) format\("woff2"\),\1 format\("truetype"\)', r'\1 format("woff2")', css)


def subset_icon_fonts(webfonts: Path, out: Path, codepoints: set[int]) -> None:
    """Offline (needs ``fonttools`` and ``brotli``): write WOFF2 subsets of the theme's
    Font Awesome webfonts holding only ``codepoints``, and ``icons.json``."""
    from fontTools import subset

    out.mkdir(parents=True, exist_ok=True)
    for font in sorted(webfonts.glob("fa-*.woff2")):
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        loaded = subset.load_font(str(font), options)
        sub = subset.Subsetter(options)
        sub.populate(unicodes=sorted(codepoints))
        sub.subset(loaded)
        subset.save_font(loaded, str(out / font.name), options)
    (out / "icons.json").write_text(json.dumps({"codepoints": sorted(codepoints)}, indent=0) + "\n", encoding="utf-8")


# --- only the rules some page can use -------------------------------------------------------

#: Class prefixes that scripts build at run time (Bootstrap's placements and states,
#: Vega-Embed's own classes, MathJax's output): their rules are always kept.
DYNAMIC_CLASSES = ("bs-", "tooltip", "popover", "show", "fade", "collaps", "modal", "dropdown",
                   "offcanvas", "active", "disabled", "vega", "mjx", "MathJax", "toggle", "copy", "pst-", "sd-")
_CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID_IN_SELECTOR = re.compile(r"#(-?[_a-zA-Z][\w-]*)")


def _blocks(css: str):
    """Top-level (prelude, body) pairs of a stylesheet; body None for a statement.

    >>> list(_blocks('a{x:1}@media print{b{y:"}"}}@import "c";'))
    [('a', 'x:1'), ('@media print', 'b{y:"}"}'), ('@import "c"', None)]
    """
    i, n, start = 0, len(css), 0
    while i < n:
        c = css[i]
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
            if css[start:i].strip().startswith("/*"):
                start = i
            continue
        if c == ";" :
            yield css[start:i].strip(), None
            i += 1
            start = i
            continue
        if c == "{":
            depth, j, quote = 1, i + 1, None
            while j < n and depth:
                d = css[j]
                if quote:
                    if d == "\\":
                        j += 1
                    elif d == quote:
                        quote = None
                elif d in "\"'":
                    quote = d
                elif d == "{":
                    depth += 1
                elif d == "}":
                    depth -= 1
                j += 1
            yield css[start:i].strip(), css[i + 1: j - 1]
            i = start = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and css[j] != c:
                j += 2 if css[j] == "\\" else 1
            i = j + 1
            continue
        i += 1


def purge_css(css: str, tokens: set[str]) -> str:
    """Drop the selectors that name a class or id no page or script contains.

    ``tokens`` are the words of the site's HTML and JavaScript; classes with a
    ``DYNAMIC_CLASSES`` prefix always count as used.

    >>> purge_css('.a,.b{x:1}.c .a{y:2}@media print{.b{z:3}}.a:not(.d){w:0}', {"a"})
    '.a{x:1}.a:not(.d){w:0}'
    """
    def used(selector: str) -> bool:
        # what :not(), :is(), :has() and attribute selectors name is not required
        outer, previous = selector, None
        while outer != previous:
            previous, outer = outer, re.sub(r"\([^()]*\)|\[[^\]]*\]", "", outer)
        classes = _CLASS_IN_SELECTOR.findall(outer)
        ids = _ID_IN_SELECTOR.findall(outer)
        return all(c in tokens or c.startswith(DYNAMIC_CLASSES) for c in classes) and all(i in tokens for i in ids)

    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith("@"):
            name = prelude.split(None, 1)[0].lower()
            if name in ("@media", "@supports", "@layer", "@container", "@document"):
                inner = purge_css(body, tokens)
                if inner:
                    out.append(f"{prelude}{{{inner}}}")
            else:
                out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if used(s)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "".join(out)


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in prelude:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def site_tokens(outdir: Path) -> set[str]:
    """Every word (letters, digits, ``-`` and ``_``) of the site's pages and scripts."""
    tokens: set[str] = set()
    for path in outdir.rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file() and path.name != "fontawesome.js":
            tokens |= set(re.findall(r"[\w-]+", path.read_text(encoding="utf-8", errors="replace")))
    return tokens
