"""Charts that fit their column: the page script that re-lays a chart out to its width.

A chart is first drawn as its builder made it. When it is wider than its column (a
phone), or when its box goes full screen, the page derives a variant of the spec and
draws that instead:

* side-by-side panels (``hconcat``, faceted ``columns``) are stacked;
* every numeric ``width`` (and a width ``step``) is scaled so the drawing fits, and text
  limits with it; in full screen heights are scaled too, so chart and controls fit;
* legends beside a chart move below it;
* the values of the chart's sliders and menus are carried over.

It measures the drawn SVG (its ``width`` attribute) against the column, which a
``ResizeObserver`` reports without forcing a layout, and repeats at most three times.
``el.dataset.rendered`` becomes ``'true'`` once the chart fits; ``el.vegaView`` is
always the view on screen.

>>> "ResizeObserver" in FIT_JS
True
"""

from __future__ import annotations

__all__ = ["CSV_BUTTON_JS", "FIT_JS", "file_name", "reader_title"]

import re


def file_name(text: str, words: int = 6) -> str:
    """A file name (no suffix) from a chart's title or description: its first words, lower case.

    >>> file_name("Illustrative power curves of the bootstrap test, by n")
    'illustrative-power-curves-of-the-bootstrap'
    """
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words]) or "chart-data"


def reader_title(column: str) -> str:
    """What a reader sees for a column: ``"n_quotes"`` -> ``"Quotes"``, ``"mean_years"`` -> ``"Mean years"``.

    >>> reader_title("source_label"), reader_title("mean_years")
    ('From', 'Mean years')
    """
    named = {"source_label": "From", "target_label": "To", "n_quotes": "Quotes", "label": "Name"}
    return named.get(column, column.replace("_", " ").capitalize())

#: Runs in the Vega-Embed ``then`` of :func:`cocreation.charts.book_html`, where ``el``,
#: ``spec`` and ``r`` (the first embed result) are defined; ``%s`` is the embed options.
FIT_JS = r"""(function (opts, first) {
  var box = el.parentElement, view = first.view, prev = null, fitted = 0, tries = 0, busy = false, want = null;
  var done = function () { el.dataset.rendered = 'true'; };
  if (!box || !window.ResizeObserver) { done(); return; }
  var walk = function (s, f) { if (Array.isArray(s)) { s.forEach(function (x) { walk(x, f); }); return; }
    if (!s || typeof s !== 'object') return; f(s); Object.keys(s).forEach(function (k) { if (k !== 'datasets' && k !== 'data') walk(s[k], f); }); };
  var plot = function (s, k) {  // the plot size of a spec along k, without axes and legends
    if (!s || typeof s !== 'object') return 0;
    var own = typeof s[k] === 'number' ? s[k] : 0, along = k === 'width' ? 'hconcat' : 'vconcat';
    var kids = s.hconcat || s.vconcat || s.concat || s.layer || (s.spec ? [s.spec] : []);
    var sizes = kids.map(function (c) { return plot(c, k); }), big = Math.max.apply(null, [0].concat(sizes));
    var inner = s[along] ? sizes.reduce(function (a, b) { return a + b + 20; }, -20) : big;
    var n = s.columns ? Math.min(s.columns, s.concat ? s.concat.length : 99) : 1;
    if (s.columns && k === 'width') inner = big * n + 20 * (n - 1);
    return Math.max(own, inner); };
  var lines = function (text, n) {  // a long title as lines of at most n characters
    if (text.length <= n) return text;
    var out = [''];
    text.split(' ').forEach(function (word) { var last = out[out.length - 1];
      if (last && (last + ' ' + word).length > n) out.push(word); else out[out.length - 1] = last ? last + ' ' + word : word; });
    return out; };
  var LEGENDS = ['color', 'fill', 'stroke', 'shape', 'size', 'strokeDash', 'opacity'];
  var variant = function (st) {  // st: {fw, fh: scale of widths, heights; narrow: the column width or 0}
    var s = JSON.parse(JSON.stringify(Object.assign({}, spec, {datasets: null}))), w = st.narrow;
    s.datasets = spec.datasets;
    if (w) { s.config = s.config || {}; s.config.legend = Object.assign({}, s.config.legend,
      {layout: {bottom: {direction: 'vertical', anchor: 'start'}, top: {direction: 'vertical', anchor: 'start'}}}); }
    walk(s, function (n) {
      var isView = n.mark || n.layer || n.hconcat || n.vconcat || n.concat || n.facet || n.spec;
      if (w && n.hconcat) { n.vconcat = n.hconcat; delete n.hconcat; }
      if (w && n.columns) n.columns = 1;
      if (w && n.encoding) LEGENDS.forEach(function (c) { var e = n.encoding[c];
        if (e && e.field && e.legend !== null) { e.legend = e.legend || {};
          if (!e.legend.orient || e.legend.orient === 'right' || e.legend.orient === 'left') e.legend.orient = 'bottom';
          e.legend.direction = 'vertical';
          e.legend.columns = 1; e.legend.labelLimit = Math.round(0.65 * w - 40);
          if (typeof e.legend.title === 'string') e.legend.title = lines(e.legend.title, 30); } });
      if (w && n.encoding) Object.keys(n.encoding).forEach(function (c) { var e = n.encoding[c];
        if (e && typeof e.title === 'string') e.title = lines(e.title, 34); });
      if (w && isView && typeof n.title === 'string') n.title = lines(n.title, 32);
      if (w && isView && n.title && typeof n.title.text === 'string') n.title.text = lines(n.title.text, 32);
      if (w && n.encoding) ['x', 'y'].forEach(function (c) { var a = n.encoding[c] && n.encoding[c].axis;
        if (a && typeof a.labelLimit === 'number') a.labelLimit = Math.min(a.labelLimit, Math.round(0.35 * w)); });
      if (w && typeof n.limit === 'number') n.limit = Math.min(n.limit, w - 24);
      if (w && st.fw < 0.75 && n.type === 'circle' && typeof n.size === 'number') n.size = Math.max(120, Math.round(n.size * st.fw * st.fw));
      if (w && st.fw < 0.75 && n.type === 'text' && typeof n.fontSize === 'number') n.fontSize = Math.max(9, n.fontSize - 2);
      if (isView && typeof n.width === 'number') n.width = Math.max(Math.min(n.width, w ? Math.round(0.35 * w) : 40), Math.round(n.width * st.fw));
      if (isView && n.width && n.width.step) n.width.step = Math.max(6, n.width.step * st.fw);
      if (isView && typeof n.height === 'number') n.height = Math.max(40, Math.round(n.height * st.fh));
      if (isView && n.height && n.height.step) n.height.step = Math.max(8, n.height.step * st.fh);
      if (n.params) n.params.forEach(function (p) {  // keep what the reader chose
        if (p.bind && !p.select) { try { p.value = view.signal(p.name); } catch (e) {} } });
    });
    return s; };
  var BASE = {fw: 1, fh: 1, narrow: 0, full: false}, state = BASE;
  var draw = function (next) {
    busy = true; state = next;
    return vegaEmbed(el, variant(next), opts).then(function (r) {
      view = el.vegaView = r.view; busy = false;
      var menu = el.querySelector('details > summary'); if (menu) menu.setAttribute('aria-label', 'Chart actions: save as SVG or PNG');
      check(); }); };
  var check = function () {
    if (busy || want === null) return;
    var full = document.fullscreenElement === box, svg = el.querySelector('svg'), w = want;
    if (full !== state.full && state !== BASE) { tries = 0; return draw(BASE); }
    var size = svg ? [+svg.getAttribute('width'), +svg.getAttribute('height')] : [0, 0];
    var h = 0;
    if (full) {  // the screen's height less the box's padding, its buttons and the chart's controls
      h = box.clientHeight - 32 - (el.getBoundingClientRect().height - size[1]);
      [].forEach.call(box.children, function (c) { if (c !== el && c.tagName !== 'SCRIPT') h -= c.getBoundingClientRect().height + 8; });
    }
    var tooWide = size[0] > w + 1, tooTall = full && size[1] > h + 1, small = full && size[0] < w * 0.8 && size[1] < h * 0.8;
    if ((tooWide || tooTall || small) && tries < 6) {
      tries += 1; fitted = w;
      if (tooWide && !state.narrow) return draw({fw: state.fw, fh: state.fh, narrow: w, full: full});
      var cur = variant(state), pw = plot(cur, 'width'), ph = plot(cur, 'height');
      var slope = prev && prev.narrow === state.narrow && prev.pw !== pw ? (prev.size - size[0]) / (prev.pw - pw) : 1;
      prev = {pw: pw, size: size[0], narrow: state.narrow};  // the drawing grows by slope px per plot px
      var gw = pw > 0 ? (pw + (w - size[0]) / Math.max(slope, 0.3)) / pw : 1, gh = full && ph > 0 ? (h - (size[1] - ph)) / ph : 1;
      var g = Math.max(0.25, Math.min(full ? Math.min(gw, gh) : gw, full ? 2 : 1) * (tries > 1 ? 0.96 : 0.99));
      return draw({fw: state.fw * g, fh: full ? state.fh * g : state.fh, narrow: state.narrow, full: full}); }
    if (!tooWide && !full && state !== BASE && w > fitted + 40 && tries < 6) { tries = 0; fitted = w; return draw(BASE); }
    done(); };
  new ResizeObserver(function (entries) {
    var width = Math.floor(entries[0].contentRect.width) - 10;
    if (want !== null && Math.abs(width - want) < 2 && (document.fullscreenElement === box) === state.full) return;
    want = width; tries = 0; prev = null; check();
  }).observe(box);
})(%s, r);"""


#: Adds a "Download the data" button after a chart: the largest inline dataset of its
#: spec (the precomputed grid of an explorer, or the table it draws) as CSV.
CSV_BUTTON_JS = (
    "var sets = spec.datasets || {}; var rows = Object.keys(sets).map(function (k) { return sets[k]; })"
    ".sort(function (a, b) { return b.length - a.length; })[0];"
    " if (rows && rows.length) {"
    " var cols = Object.keys(rows[0]);"
    " var esc = function (v) { if (v === null || v === undefined) return ''; v = String(v);"
    " return /[\",\\n]/.test(v) ? '\"' + v.replace(/\"/g, '\"\"') + '\"' : v; };"
    " var csv = [cols.join(',')].concat(rows.map(function (r) { return cols.map(function (c) { return esc(r[c]); }).join(','); })).join('\\n');"
    " var b = document.createElement('button'); b.type = 'button'; b.className = 'cocreation-chart-data btn btn-sm';"
    " b.textContent = 'Download the data behind this chart (CSV, ' + rows.length + ' rows)';"
    " b.addEventListener('click', function () { var a = document.createElement('a');"
    " a.href = URL.createObjectURL(new Blob([csv], {type: 'text/csv'})); a.download = (el.dataset.name || el.id) + '.csv';"
    " document.body.appendChild(a); a.click(); a.remove(); });"
    " el.insertAdjacentElement('afterend', b); }"
)
