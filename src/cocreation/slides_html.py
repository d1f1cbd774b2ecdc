"""The slide decks' HTML: one self-contained, offline file per deck.

A deck is a list of :class:`Slide`; :func:`deck_html` writes it as one HTML page with
inline CSS, inline SVG charts and a small inline script for keyboard navigation. The
page loads nothing: its Content-Security-Policy forbids every request. Without the
script (or in print) every slide is shown, one per landscape page.

Examples
--------
>>> page = deck_html("Demo", [Slide("title", "Demo", "<p>Hello</p>")])
>>> page.count("<section") == 1 and "http" not in page.split("<body", 1)[1]
True
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from . import validate

__all__ = ["Slide", "deck_html", "table_html", "svg_of", "static_spec", "scaled_text", "smallest_text",
           "x_window", "legends_at", "rewrap", "esc"]

#: Slide kinds, for the tests and the stylesheet (``class="slide <kind>"``).
KINDS = ("title", "objectives", "glance", "table", "chart", "takeaways", "question", "answer",
         "discussion", "sources")


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, its heading (plain text) and its body (HTML)."""

    kind: str
    heading: str
    body: str
    label: str = ""

    def __post_init__(self) -> None:
        validate.choice("kind", self.kind, list(KINDS))
        validate.text("heading", self.heading)


def esc(text: Any) -> str:
    """Text escaped for HTML."""
    return html.escape(str(text), quote=True)


def table_html(frame: pd.DataFrame, caption: str = "") -> str:
    """A small table for a slide; its font shrinks with its number of cells."""
    validate.frame("frame", frame)
    cells = sum(len(str(v)) for v in frame.astype(object).to_numpy().ravel())
    size = "s" if cells < 500 else "m" if cells < 1100 else "l"
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
                   for row in frame.astype(object).to_numpy())
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="size-{size}">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _cell(value: Any) -> str:
    """A table cell: blank when missing, a whole float without its ``.0``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return esc(value)


_ID = re.compile(r'\bid="([^"]+)"')
#: The chart area of a slide in a 1024x768 window (CSS px), a little under what the layout gives.
CHART_BOX = (940.0, 500.0)
#: The smallest text a chart may show on a slide at 1024x768, in CSS px (projected, read from the back).
MIN_TEXT = 15.0
#: The charts' font on slides. vl-convert lays text out with the metrics of the font it finds;
#: a wide font that browsers also have keeps the browser's text inside the room measured for it.
FONT = "DejaVu Sans, Verdana, sans-serif"
#: Spec properties that size text, or the room text may take, in a Vega-Lite spec.
_TEXT_KEYS = frozenset({"fontSize", "labelFontSize", "titleFontSize", "labelLimit", "titleLimit", "limit"})
#: Vega-Lite's own limits, enlarged with the fonts when a spec does not set them.
_DEFAULT_LIMITS = {"axis": {"labelLimit": 180}, "legend": {"labelLimit": 160, "titleLimit": 180}}


def static_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` for a static image: its params keep their default values but lose their
    input bindings (sliders, menus), which do nothing in a picture."""
    if isinstance(spec, dict):
        return {k: (v if k in ("data", "datasets") else static_spec(v)) for k, v in spec.items() if k != "bind"}
    if isinstance(spec, list):
        return [static_spec(v) for v in spec]
    return spec


def scaled_text(spec: Any, factor: float) -> Any:
    """``spec`` with every font size (and the room its labels may take) times ``factor``."""
    factor = validate.number("factor", factor, 0.5, 4.0)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (v if k in ("data", "datasets") else
                        v * factor if k in _TEXT_KEYS and isinstance(v, (int, float)) and not isinstance(v, bool) else
                        walk(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    if isinstance(spec, dict):
        config = dict(spec.get("config", {}))
        for part, limits in _DEFAULT_LIMITS.items():
            config[part] = {**limits, **config.get(part, {})}
        spec = {**spec, "config": config}
    return walk(spec)


def x_window(spec: dict[str, Any], lo: float, hi: float, pad: float = 0.1) -> dict[str, Any]:
    """A layered diagram cut to the nodes (and the links between them) whose ``x`` is in [lo, hi].

    Every layer keeps only rows with ``x`` (and ``x2``, for links) in the window; its x
    scale spans the window with ``pad`` on both sides, so half a diagram fills a slide.
    """
    lo, hi = validate.number("lo", lo), validate.number("hi", hi)
    if hi <= lo:
        raise ValueError(f"hi must be greater than lo ({lo}), got {hi}")
    layers = spec.get("layer")
    if not layers:
        raise ValueError("spec must be a layered chart")

    def cut(layer: dict[str, Any]) -> dict[str, Any]:
        enc = layer.get("encoding", {})
        fields = [c for c in ("x", "x2") if isinstance(enc.get(c), dict) and "field" in enc[c]]
        test = " && ".join(f"datum.{enc[c]['field']} >= {lo} && datum.{enc[c]['field']} <= {hi}" for c in fields)
        if "x" in fields and "scale" in enc["x"]:
            enc = {**enc, "x": {**enc["x"], "scale": {**enc["x"]["scale"], "domain": [lo - pad, hi + pad]}}}
        return {**layer, "encoding": enc, "transform": layer.get("transform", []) + [{"filter": test}] * bool(test)}

    return {**spec, "layer": [cut(layer) for layer in layers]}


#: Labels up to this many characters stay on one line when rewrapped onto two.
SHORT = 16


def _balanced(text: str, lines: int) -> str:
    """``text`` (wrapped on the page) on one line, or (when longer than ``SHORT``) on two lines of nearly equal length."""
    words = text.replace("-\n", "-\x00").replace("\n", " ").split(" ")
    joined = " ".join(words).replace("\x00", "")
    if lines == 1 or len(words) < 2 or len(joined) <= SHORT:
        return joined
    k = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    return (" ".join(words[:k]) + "\n" + " ".join(words[k:])).replace("\x00", "")


def rewrap(spec: Any, lines: int) -> Any:
    """``spec`` with the text its data wraps for the page rewrapped onto ``lines`` (1 or 2) lines, for a
    slide wider than the page; with one line the marks' ``lineBreak`` is dropped too."""
    lines = validate.integer("lines", lines, 1, 2)
    if isinstance(spec, str):
        return _balanced(spec, lines) if "\n" in spec else spec
    if isinstance(spec, dict):
        return {k: (v if k == "lineBreak" else rewrap(v, lines)) for k, v in spec.items()
                if not (k == "lineBreak" and lines == 1)}
    if isinstance(spec, list):
        return [rewrap(v, lines) for v in spec]
    return spec


def legends_at(spec: Any, orient: str) -> Any:
    """``spec`` with every legend placed at ``orient`` (one column), e.g. beside a wide diagram."""
    validate.choice("orient", orient, ["left", "right", "top", "bottom"])
    if isinstance(spec, dict):
        return {k: ({kk: vv for kk, vv in v.items() if kk not in ("columns", "direction")} | {"orient": orient}
                    if k == "legend" and isinstance(v, dict) else v if k in ("data", "datasets") else legends_at(v, orient))
                for k, v in spec.items()}
    if isinstance(spec, list):
        return [legends_at(v, orient) for v in spec]
    return spec


_TEXT_TAG = re.compile(r"<text\b[^>]*>")


def smallest_text(svg: str, box: tuple[float, float] = CHART_BOX) -> float:
    """The smallest visible text of ``svg`` in CSS px once the SVG is scaled to fit ``box``."""
    m = re.search(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"', svg)
    if not m:
        raise ValueError("svg must have a viewBox")
    scale = min(box[0] / float(m.group(1)), box[1] / float(m.group(2)))
    sizes = [float(f.group(1)) for tag in _TEXT_TAG.findall(svg) if 'opacity="0"' not in tag
             for f in [re.search(r'font-size="([\d.]+)px"', tag)] if f]
    return min(sizes, default=float("inf")) * scale


def svg_of(spec: dict[str, Any], label: str, prefix: str, min_text: float = MIN_TEXT) -> str:
    """A Vega-Lite spec as inline SVG (``vl-convert``), legible on a slide, labelled and with unique ids.

    The spec is made static (:func:`static_spec`) and, when its smallest text would be
    under ``min_text`` CSS px on a slide at 1024x768, its fonts are enlarged
    (:func:`scaled_text`) and it is drawn again. ``prefix`` makes the SVG's ids (clip
    paths, gradients) unique within the page, so several charts can share one HTML document.
    """
    import vl_convert

    validate.text("label", label)
    min_text = validate.number("min_text", min_text, 6.0, 40.0)
    spec, factor = static_spec(spec), 1.0
    spec["config"] = {**spec.get("config", {}), "font": FONT}
    svg = vl_convert.vegalite_to_svg(spec)
    for _ in range(3):  # larger text makes the chart larger too: a few rounds converge
        shown = smallest_text(svg)
        if shown >= min_text or factor >= 3.0:
            break
        factor = min(3.0, factor * min_text / shown * 1.04)
        svg = vl_convert.vegalite_to_svg(scaled_text(spec, factor))
    return _tidy(svg, label, prefix)


def _tidy(svg: str, label: str, prefix: str) -> str:
    """A rendered SVG as one labelled image with ids unique to ``prefix``."""
    # a static image links nowhere (Vega resolves a chart's href channel against its own base URL)
    svg = re.sub(r"<a\b[^>]*>", "<g>", svg).replace("</a>", "</g>")
    # the SVG is one image (role="img" with a title): its marks' own ARIA is dropped
    svg = re.sub(r'\s(?:aria-label|aria-roledescription|role|aria-hidden)="[^"]*"', "", svg)
    for old in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    svg = re.sub(r'<svg\b([^>]*?)\swidth="([\d.]+)"\s+height="([\d.]+)"',
                 lambda m: f'<svg{m.group(1)} data-width="{m.group(2)}" data-height="{m.group(3)}"', svg, count=1)
    svg = svg.replace("<svg", f'<svg role="img" aria-labelledby="{prefix}-title"', 1)
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + f'<title id="{prefix}-title">{esc(label)}</title>', svg, count=1)


CSS = """
*{box-sizing:border-box}
html{font-size:min(2.45vw,3.3vh);color:#111;background:#fff;
 font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.3}
body{margin:0}
.slide{display:flex;flex-direction:column;min-height:100vh;padding:1rem 1.6rem 2.9rem;
 border-bottom:3px solid #0b3d91}
.js .slide{display:none;height:100vh;overflow:hidden;border:0}
.js .slide.current{display:flex}
h1,h2{color:#0b3d91;margin:0 0 .6rem;line-height:1.15}
h1{font-size:2.1em}h2{font-size:1.45em}.chart h2{font-size:1.25em;margin-bottom:.3rem}
.kicker{font-size:.8em;text-transform:uppercase;letter-spacing:.08em;color:#333;margin:0 0 .3rem}
.title{justify-content:center}.title .sub{font-size:1.1em}
ul,ol{margin:.2rem 0;padding-left:1.3rem}li{margin:.28rem 0}
p{margin:.35rem 0}
.small{font-size:.75em}
table{border-collapse:collapse;width:100%;font-size:.8em}
table.size-m{font-size:.68em}table.size-l{font-size:.58em}
caption{text-align:left;font-size:.9em;color:#333;padding-bottom:.2rem}
th,td{border:1px solid #555;padding:.18rem .35rem;text-align:left;vertical-align:top}
th{background:#e8eef8}
figure{flex:1;min-height:0;margin:0;display:flex;flex-direction:column}
figure .chart{flex:1;min-height:0}
figure svg{width:100%;height:100%;display:block}
figcaption{font-size:.62em;color:#222;margin-top:.3rem}
.options li{list-style:upper-alpha}
.answer-key{font-size:1.1em;font-weight:600;border-left:.35rem solid #0b7a3b;padding-left:.6rem}
.note{font-size:.65em;color:#333;margin-top:auto}
.controls{position:fixed;right:.6rem;bottom:.4rem;display:none;gap:.4rem;align-items:center;font-size:.7rem}
.js .controls{display:flex}
.controls button{font-size:.8rem;min-width:2.4rem;min-height:2rem;border:2px solid #0b3d91;background:#fff;color:#0b3d91;border-radius:.3rem;cursor:pointer}
.controls button:focus-visible,.slide:focus-visible{outline:3px solid #d55e00;outline-offset:2px}
#counter{background:#fff;padding:.1rem .35rem}
@media (max-width:600px){html{font-size:15px}.js .slide{overflow:auto}}
@media print{
 @page{size:landscape;margin:0}
 html{font-size:16pt}
 .js .slide,.slide{display:flex;height:100vh;min-height:0;overflow:hidden;border:0;break-after:page;page-break-after:always}
 .controls,.js .controls{display:none}
}
"""

JS = """
(function(){
var d=document,s=[].slice.call(d.querySelectorAll('section.slide')),n=s.length,i=0,
 c=d.getElementById('counter');
d.documentElement.className+=' js';
function fit(e){var f=100;e.style.fontSize='';
 while(e.scrollHeight>e.clientHeight+1&&f>55){f-=5;e.style.fontSize=f+'%';}}
function fitAll(){s.forEach(function(e){var on=e.classList.contains('current');e.classList.add('current');
 fit(e);if(!on)e.classList.remove('current');});}
function show(k,focus){i=Math.max(0,Math.min(n-1,k));
 s.forEach(function(e,j){e.classList.toggle('current',j===i);e.setAttribute('aria-hidden',j===i?'false':'true');});
 c.textContent=(i+1)+' / '+n;
 if(history.replaceState)history.replaceState(null,'','#'+s[i].id);
 if(focus)s[i].focus({preventScroll:true});}
d.addEventListener('keydown',function(e){
 if(e.altKey||e.ctrlKey||e.metaKey)return;
 var t=e.target.tagName;if(t==='BUTTON'&&(e.key===' '||e.key==='Enter'))return;
 var k=e.key;
 if(k==='ArrowRight'||k==='ArrowDown'||k==='PageDown'||(k===' '&&!e.shiftKey)){show(i+1,true);e.preventDefault();}
 else if(k==='ArrowLeft'||k==='ArrowUp'||k==='PageUp'||(k===' '&&e.shiftKey)){show(i-1,true);e.preventDefault();}
 else if(k==='Home'){show(0,true);e.preventDefault();}
 else if(k==='End'){show(n-1,true);e.preventDefault();}});
d.getElementById('prev').onclick=function(){show(i-1,false);};
d.getElementById('next').onclick=function(){show(i+1,false);};
var h=location.hash.slice(1),at=s.map(function(e){return e.id;}).indexOf(h);
fitAll();show(at<0?0:at,false);
window.addEventListener('resize',fitAll);
window.addEventListener('beforeprint',function(){s.forEach(function(e){e.setAttribute('aria-hidden','false');});});
})();
"""

#: Nothing may load: no script, style, image, font or connection from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def deck_html(title: str, slides: list[Slide], lang: str = "en") -> str:
    """One deck as a self-contained HTML page: each slide a ``<section>`` with a heading."""
    validate.text("title", title)
    if not slides:
        raise ValueError("slides must be a non-empty list of Slide")
    parts = []
    n = len(slides)
    for k, s in enumerate(slides, start=1):
        tag = "h1" if s.kind == "title" else "h2"
        parts.append(
            f'<section class="slide {s.kind}" id="slide-{k}" tabindex="-1" aria-roledescription="slide" '
            f'aria-label="{k} of {n}: {esc(s.label or s.heading)}"><{tag}>{esc(s.heading)}</{tag}>{s.body}</section>'
        )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>\n"
        f'<body><main aria-roledescription="slide deck" aria-label="{esc(title)}">\n' + "\n".join(parts) + "\n</main>"
        '<nav class="controls" aria-label="Slide navigation"><button type="button" id="prev" aria-label="Previous slide">&#8592;</button>'
        f'<span id="counter" aria-live="polite">1 / {n}</span>'
        '<button type="button" id="next" aria-label="Next slide">&#8594;</button></nav>'
        f"<script>{JS}</script></body></html>\n"
    )
