"""The whole book as one PDF, printed from the built site by Chromium.

Run it after the book build, from the project root::

    jupyter-book build . -W -n --keep-going
    python -m cocreation.printbook          # writes _build/pdf/b2b-value-cocreation.pdf

How it works. The built site ``_build/html`` is served on 127.0.0.1, and Debian's
Chromium (driven by Playwright) opens every page of ``_toc.yml`` in order, leaving out
the instructor pages. On each page it waits until every chart is drawn and MathJax has
typeset the maths, then takes the article as it stands: charts as the SVG that
Vega-Embed drew at their default settings, maths as MathJax's output. The articles go
into one print document, behind a title page and a table of contents, and Chromium
prints that document with the book's print stylesheet (``book/_static/print.css``).
Because it is one document, page numbers run through the book and every link between
pages becomes a link inside the PDF. The PDF is printed twice: the first print tells on
which page each chapter starts (from the PDF's named destinations), and those numbers go
into the table of contents for the second print. Before printing, any element wider
than the A4 text column is reported, because Chromium would shrink every page to fit it.
Finally pypdf adds the bookmarks and sets fixed metadata (no dates), so the same site gives
the same PDF.

Everything folded on the page stays folded: code cells and exercise solutions are left
out; the live explorers, which need a Python kernel, print as their note.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import io
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["BookPage", "book_pages", "build_pdf", "main"]

PDF_NAME = "b2b-value-cocreation.pdf"
#: Pages left out of the public PDF (the instructor guide; its solutions are not folded).
EXCLUDED = ("book/instructors/",)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
COMBINED_PATH = "/__printbook__.html"


@dataclass(frozen=True)
class BookPage:
    """One page of the table of contents: its source path and the part it belongs to."""

    path: str  # e.g. "book/coopetition/cooperative_advertising_game"
    part: str  # the part caption from _toc.yml ("" for the front page)

    @property
    def slug(self) -> str:
        """An id for the page inside the print document.

        >>> BookPage("book/oli/cbec_new_oli", "Frameworks").slug
        'p-book-oli-cbec_new_oli'
        """
        return "p-" + self.path.replace("/", "-")

    @property
    def url_path(self) -> str:
        """The page's address on the site.

        >>> BookPage("book/intro", "").url_path
        '/book/intro.html'
        """
        return f"/{self.path}.html"


def book_pages(toc: dict, exclude: tuple[str, ...] = EXCLUDED) -> list[BookPage]:
    """Pages of a ``_toc.yml`` mapping in reading order, without the excluded folders.

    >>> toc = {"root": "book/intro", "parts": [{"caption": "A", "chapters": [
    ...     {"file": "book/x/one", "sections": [{"file": "book/x/two"}]},
    ...     {"file": "book/instructors/guide"}]}]}
    >>> [(p.path, p.part) for p in book_pages(toc)]
    [('book/intro', ''), ('book/x/one', 'A'), ('book/x/two', 'A')]
    """
    pages = [BookPage(toc["root"], "")]

    def walk(entries, part):
        for entry in entries or []:
            if "file" in entry:
                pages.append(BookPage(entry["file"], part))
            walk(entry.get("sections"), part)

    for part in toc.get("parts", []):
        walk(part.get("chapters"), part.get("caption", ""))
    walk(toc.get("chapters"), "")
    return [p for p in pages if not p.path.startswith(exclude)]


# --- in the browser ------------------------------------------------------------------

_WAIT_JS = """async () => {
  const charts = [...document.querySelectorAll('.cocreation-chart')];
  const t0 = performance.now();
  while (charts.some(c => c.dataset.rendered !== 'true')) {
    const bad = charts.find(c => c.textContent.startsWith('Chart error'));
    if (bad) throw new Error(bad.textContent);
    if (performance.now() - t0 > 30000) throw new Error('charts not drawn after 30 s');
    await new Promise(r => setTimeout(r, 50));
  }
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
  return charts.length;
}"""

#: Takes the article as drawn. Ids get the page's slug as prefix (Vega's clip-path ids and
#: the pages' own anchors would otherwise clash), references to them follow, links to a
#: printed page point into the document, links to pages not printed lose their address.
_EXTRACT_JS = r"""({slug, pages}) => {
  const root = document.querySelector('article.bd-article').cloneNode(true);
  root.querySelectorAll(
    'script, noscript, .vega-bindings, .vega-actions, .vega-embed > details, .cocreation-chart-data,' +
    ' .cocreation-run-locally, details.hide:not([open]), .admonition.toggle-hidden,' +
    ' button, a.headerlink, .cocreation-book-pdf'
  ).forEach(e => e.remove());
  const ids = new Map();
  root.querySelectorAll('[id]').forEach(e => { const n = slug + '--' + e.id; ids.set(e.id, n); e.id = n; });
  const refAttrs = new Set(['aria-labelledby', 'aria-describedby', 'aria-controls', 'for', 'headers']);
  root.querySelectorAll('*').forEach(e => {
    for (const a of [...e.attributes]) {
      if (a.value.includes('url(')) {
        e.setAttribute(a.name, a.value.replace(/url\((['"]?)#([^)'"]+)\1\)/g,
          (m, q, id) => ids.has(id) ? 'url(#' + ids.get(id) + ')' : m));
      } else if (refAttrs.has(a.name)) {
        e.setAttribute(a.name, a.value.split(/\s+/).map(t => ids.get(t) || t).join(' '));
      }
    }
  });
  root.querySelectorAll('a[href]').forEach(a => {
    let u;
    try { u = new URL(a.getAttribute('href'), location.href); } catch (err) { return; }
    if (u.origin !== location.origin) return;
    const target = pages[u.pathname];
    if (target === undefined) { a.removeAttribute('href'); a.classList.add('printbook-unlinked'); return; }
    const frag = decodeURIComponent(u.hash.slice(1));
    a.setAttribute('href', '#' + (frag ? target + '--' + frag : target));
  });
  root.querySelectorAll('img[src]').forEach(i => i.setAttribute('src', i.src));
  root.querySelectorAll('[srcset]').forEach(e => e.removeAttribute('srcset'));
  const h1 = root.querySelector('h1');
  const text = e => e.textContent.replace(/\s+/g, ' ').trim();
  const sections = [...root.querySelectorAll('section > h2')]
    .filter(h => h.parentElement.id).map(h => ({id: h.parentElement.id, title: text(h)}));
  return {
    html: root.innerHTML,
    title: h1 ? text(h1) : document.title,
    numbered: !!(h1 && h1.querySelector('.section-number')),
    sections: sections,
    css: [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href),
    styles: [...document.querySelectorAll('style')].map(s => s.textContent),
  };
}"""

# Layout of the parts that exist only in the PDF: title page, contents, page breaks.
_BOOK_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
body.printbook { font-size: 10.5pt; }
.printbook .bd-article h1:first-of-type { display: block !important; }
.printbook-page { break-before: page; }
.printbook-page > section > h1, .printbook-page h1 { font-size: 2em; margin: 0 0 1em 0; color: #000; }
.printbook-title { text-align: center; padding-top: 30mm; break-after: page; }
.printbook-title h1 { font-size: 2.6em !important; margin-bottom: 0.6em; }
.printbook-title p { font-size: 1.15em; margin: 0.4em 0; }
.printbook-title .printbook-note { font-size: 0.95em; margin-top: 30mm; color: #333; }
.printbook-toc h1 { font-size: 2em; }
.printbook-toc ol { list-style: none; padding: 0; margin: 0; }
.printbook-toc li.printbook-part { font-weight: 700; margin: 1.2em 0 0.3em; }
.printbook-toc li.printbook-chapter > a { font-weight: 600; margin-top: 0.35em; }
.printbook-toc ol.printbook-sections { margin-left: 1.6em; font-size: 0.92em; }
.printbook-toc li { break-inside: avoid; }
.printbook-toc li a { display: flex; align-items: baseline; text-decoration: none !important; padding: 0.15em 0; }
.printbook-toc .printbook-dots { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4em; }
.printbook-toc .printbook-pn { min-width: 2em; text-align: right; }
a.printbook-unlinked { text-decoration: none; }
/* API signatures: a long default value (a regular expression) wraps instead of widening the page */
.printbook dt.sig span.pre { white-space: pre-wrap; overflow-wrap: anywhere; }
"""

_FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#444;'
    'font-family:sans-serif;">{title} &middot; <span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)


def _toc_link(target: str, title: str, numbers: dict[str, int]) -> str:
    """One line of the contents: linked title, dotted leader, page number."""
    return (
        f'<a href="#{html.escape(target)}"><span>{html.escape(title)}</span>'
        f'<span class="printbook-dots"></span><span class="printbook-pn">{numbers.get(target, "")}</span></a>'
    )


def _combined_html(book: dict, parts: list[tuple[BookPage, dict]], numbers: dict[str, int]) -> str:
    css: list[str] = []
    styles: list[str] = []
    for _, got in parts:
        for href in got["css"]:
            if href not in css:
                css.append(href)
        for text in got["styles"]:
            if text not in styles:
                styles.append(text)
    if not any(h.split("?")[0].endswith("/_static/print.css") for h in css):
        css.append("/_static/print.css")
    head = "\n".join(f'<link rel="stylesheet" href="{html.escape(h)}">' for h in css)
    head += "\n" + "\n".join(f"<style>{s}</style>" for s in styles)
    title = html.escape(book["title"])

    toc, last_part = [], None
    for page, got in parts:
        if page.part and page.part != last_part:
            toc.append(f'<li class="printbook-part">{html.escape(page.part)}</li>')
            last_part = page.part
        toc.append(f'<li class="printbook-chapter">{_toc_link(page.slug, got["title"], numbers)}')
        if got["numbered"]:
            toc.append('<ol class="printbook-sections">')
            toc.extend(f"<li>{_toc_link(sec['id'], sec['title'], numbers)}</li>" for sec in got["sections"])
            toc.append("</ol>")
        toc.append("</li>")
    body = [
        '<section class="printbook-title" id="printbook-title">',
        f"<h1>{title}</h1>",
        f"<p>{html.escape(book['author'])}</p>",
        f"<p>{html.escape(book['edition'])}</p>",
        '<p class="printbook-note">The online book is interactive: every chart there has sliders '
        "and menus. This print shows each chart at its default settings, leaves out the code "
        "cells and the exercise solutions, and leaves out the instructor pages.</p>",
        "</section>",
        '<nav class="printbook-toc" id="printbook-toc" aria-label="Contents"><h1>Contents</h1><ol>',
        *toc,
        "</ol></nav>",
    ]
    for page, got in parts:
        body.append(f'<section class="printbook-page" id="{page.slug}">{got["html"]}</section>')
    return (
        '<!DOCTYPE html>\n<html lang="en" data-theme="light" data-mode="light">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{title}</title>\n{head}\n<style>{_BOOK_CSS}</style>\n</head>\n'
        '<body class="printbook"><main class="bd-main"><div class="bd-content">'
        '<div class="bd-article-container"><article class="bd-article">\n'
        + "\n".join(body)
        + "\n</article></div></div></main></body></html>\n"
    )


class _Handler(http.server.SimpleHTTPRequestHandler):
    combined: bytes = b""

    def log_message(self, *args):  # noqa: D401 - quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path.split("?")[0] == COMBINED_PATH:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.combined)))
            self.end_headers()
            self.wfile.write(self.combined)
        else:
            super().do_GET()


def _start_pages(pdf_bytes: bytes, slugs: list[str]) -> dict[str, int]:
    """Page number (1-based) on which each slug's named destination lies."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    dests = reader.named_destinations
    found = {}
    for slug in slugs:
        for name in (slug, "/" + slug):  # Chromium writes the id as a PDF name
            if name in dests:
                found[slug] = reader.get_destination_page_number(dests[name]) + 1
                break
    return found


def _book_info(root: Path) -> dict:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    from . import __version__ as version  # pyproject.toml reads the version from the package
    return {
        "title": config.get("title", "Book"),
        "author": config.get("author", ""),
        "edition": f"Version {version} \u00b7 \u00a9 {config.get('copyright', '')}".strip(),
        "version": version,
    }


#: Width of the text column on A4 with 15 mm side margins, in CSS pixels (96 per inch).
TEXT_WIDTH_PX = (210 - 2 * 15) / 25.4 * 96


def _too_wide(tab) -> list[str]:
    """Elements wider than the text column in the print layout (at most five).

    One such element makes Chromium scale the whole document down to fit it, so the
    book's text would shrink on every page.
    """
    tab.emulate_media(media="print")
    tab.set_viewport_size({"width": int(TEXT_WIDTH_PX), "height": 1000})
    try:
        return tab.evaluate(
            """(w) => [...document.querySelectorAll('article *')]
              .filter(e => e.getBoundingClientRect().right > w + 1 && e.getClientRects().length)
              .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= w + 1)
              .slice(0, 5)
              .map(e => e.tagName.toLowerCase() + ' in ' + (e.closest('section[id]') || {id: '?'}).id)""",
            TEXT_WIDTH_PX,
        )
    finally:
        tab.emulate_media(media="null")  # "screen" would make page.pdf print the screen layout
        tab.set_viewport_size({"width": 1200, "height": 900})


def _add_outline(writer, parts, numbers: dict[str, int]) -> None:
    """Bookmarks: title page, contents, then each part with its pages and their sections."""
    writer.add_outline_item(title="Title page", page_number=0)
    writer.add_outline_item(title="Contents", page_number=1)
    part_item, last_part = None, None
    for page, got in parts:
        start = numbers[page.slug] - 1
        if page.part != last_part:
            part_item = writer.add_outline_item(title=page.part, page_number=start) if page.part else None
            last_part = page.part
        item = writer.add_outline_item(
            title=got["title"], page_number=start, parent=part_item, is_open=False
        )
        if got["numbered"]:
            for sec in got["sections"]:
                writer.add_outline_item(title=sec["title"], page_number=numbers[sec["id"]] - 1, parent=item)


def build_pdf(
    root: Path | str = ".",
    site: Path | str | None = None,
    out: Path | str | None = None,
    chromium: str | None = None,
    log=print,
) -> Path:
    """Print the built site under ``root`` to one PDF and return its path."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    root = Path(root).resolve()
    site = Path(site) if site else root / "_build" / "html"
    out = Path(out) if out else root / "_build" / "pdf" / PDF_NAME
    chromium = chromium or os.environ.get("COCREATION_CHROMIUM", "/usr/bin/chromium")
    if not (site / "book" / "intro.html").exists():
        raise SystemExit(f"no built site at {site}: run `jupyter-book build .` first")
    pages = book_pages(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    book = _book_info(root)
    slug_of = {p.url_path: p.slug for p in pages}

    handler = type("Handler", (_Handler,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    t0 = time.perf_counter()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            tab = browser.new_page(viewport={"width": 1200, "height": 900})
            parts = []
            for page in pages:
                tab.goto(base + page.url_path, wait_until="load")
                tab.evaluate(_WAIT_JS)
                parts.append((page, tab.evaluate(_EXTRACT_JS, {"slug": page.slug, "pages": slug_of})))
            log(f"read {len(parts)} pages in {time.perf_counter() - t0:.1f} s")

            def render(numbers):
                handler.combined = _combined_html(book, parts, numbers).encode("utf-8")
                tab.goto(base + COMBINED_PATH, wait_until="load")
                tab.evaluate("async () => { await document.fonts.ready; }")
                wide = _too_wide(tab)
                if wide:
                    log(f"warning: wider than the A4 text column, so Chromium shrinks every page: {wide}")
                return tab.pdf(
                    format="A4",
                    margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
                    print_background=True,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=_FOOTER.format(title=html.escape(book["title"])),
                    # Chromium's own outline needs a tagged PDF, which triples the file
                    # size; the outline is added below from the named destinations.
                    tagged=False,
                )

            targets = [p.slug for p in pages]
            for page, got in parts:
                if got["numbered"]:
                    targets += [sec["id"] for sec in got["sections"]]
            numbers = _start_pages(render({}), targets)
            pdf = render(numbers)
            again = _start_pages(pdf, targets)
            if again != numbers or len(numbers) != len(targets):
                raise RuntimeError(f"chapter start pages moved between prints: {numbers} vs {again}")
            browser.close()
    finally:
        server.shutdown()

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.metadata = None  # drop Chromium's creation and modification dates
    writer.add_metadata(
        {
            "/Title": book["title"],
            "/Author": book["author"],
            "/Subject": f"Print edition of the executable book, version {book['version']}",
            "/Creator": "cocreation.printbook (Chromium)",
            "/Producer": "pypdf",
        }
    )
    _add_outline(writer, parts, numbers)
    writer.page_mode = "/UseOutlines"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer.write(fh)
    log(f"wrote {out} ({len(writer.pages)} pages, {out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m cocreation.printbook [--site DIR] [--out FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m cocreation.printbook", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=".", help="project root with _toc.yml and _config.yml (default: .)")
    parser.add_argument("--site", default=None, help="built site (default: ROOT/_build/html)")
    parser.add_argument("--out", default=None, help=f"PDF to write (default: ROOT/_build/pdf/{PDF_NAME})")
    parser.add_argument("--chromium", default=None, help="Chromium binary (default: $COCREATION_CHROMIUM or /usr/bin/chromium)")
    args = parser.parse_args(argv)
    build_pdf(args.root, args.site, args.out, args.chromium)


if __name__ == "__main__":
    main()
