"""Slide decks: shape, accessibility, offline, and facts equal to the data (cocreation.slides)."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from cocreation import slides, slides_html

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CHAPTERS = ["foundations", "ipo", "typology", "oli", "coopetition", "synthesis"]
SECTION = re.compile(r'<section class="slide (\w+)"[^>]*>(.*?)</section>', re.S)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("decks")
    return {ch: p.read_text(encoding="utf-8") for ch, p in slides.write_decks(out, ROOT).items()}


def sections(page: str) -> list[tuple[str, str]]:
    return SECTION.findall(page)


def texts(fragment: str) -> str:
    """The visible text of an HTML fragment, unescaped, with single spaces."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def rows(table: str) -> list[dict[str, str]]:
    with open(DATA / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def slide(page: str, heading: str) -> str:
    found = [body for _, body in sections(page) if re.search(rf"<h[12]>{re.escape(html.escape(heading))}</h[12]>", body)]
    assert len(found) == 1, heading
    return found[0]


def test_every_chapter_of_the_book_has_a_deck(decks):
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    pages = re.findall(r"file: book/(\w+)/\w+", toc.split("For instructors")[0])
    assert sorted(decks) == sorted(pages) == sorted(CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_deck_has_15_to_20_slides_each_with_a_heading(decks, chapter):
    found = sections(decks[chapter])
    assert 15 <= len(found) <= 20
    for kind, body in found:
        m = re.match(r"\s*<(h[12])>([^<]+)</\1>", body)
        assert m and m.group(2).strip(), kind
    assert f"1 / {len(found)}" in decks[chapter]
    kinds = [k for k, _ in found]
    assert kinds[0] == "title" and kinds[-1] == "sources"
    assert {"objectives", "takeaways", "discussion"} <= set(kinds)
    assert 2 <= kinds.count("question") <= 3


def _axis_titles(spec) -> set[str]:
    """Every string axis title a Vega-Lite spec sets (in encodings or axis blocks)."""
    found: set[str] = set()
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            enc = spec.get("encoding", {}).get(channel)
            if isinstance(enc, dict) and not ("axis" in enc and enc["axis"] is None):
                title = enc.get("title", (enc.get("axis") or {}).get("title"))
                if isinstance(title, str) and title:
                    found.add(title)
        for value in spec.values():
            found |= _axis_titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _axis_titles(value)
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chart_slides_hold_a_labelled_svg_with_its_axis_titles(decks, chapter):
    charts = [body for kind, body in sections(decks[chapter]) if kind == "chart"]
    assert len(charts) == len(slides.FIGURES[chapter])
    assert len({fig.name for fig in slides.FIGURES[chapter]}) >= (2 if chapter == "foundations" else 3)
    drawn_by_figure: dict[str, set[str]] = {}
    for body, fig in zip(charts, slides.FIGURES[chapter]):
        svg = re.search(r"<svg\b.*?</svg>", body, re.S).group(0)
        root_tag = svg.split(">", 1)[0]
        assert 'role="img"' in root_tag
        label_id = re.search(r'aria-labelledby="([^"]+)"', root_tag).group(1)
        title = re.search(rf'<title id="{label_id}">([^<]+)</title>', svg).group(1)
        assert fig.heading in html.unescape(title)
        drawn = {html.unescape(t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
        assert drawn - {""}, fig.name
        for axis_title in _axis_titles(fig.spec()):
            assert axis_title in drawn, (fig.name, axis_title)
        drawn_by_figure.setdefault(fig.name, set()).update(drawn)
    for fig in slides.FIGURES[chapter]:
        if sum(f.name == fig.name for f in slides.FIGURES[chapter]) > 1:  # a chart split over slides
            assert _axis_titles(fig.build().to_dict()) <= drawn_by_figure[fig.name], fig.name


def _font_sizes(spec) -> list[float]:
    found: list[float] = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("fontSize", "labelFontSize", "titleFontSize") and isinstance(v, (int, float)):
                found.append(float(v))
            elif k not in ("data", "datasets"):
                found += _font_sizes(v)
    elif isinstance(spec, list):
        for v in spec:
            found += _font_sizes(v)
    return found


def test_slide_overrides_leave_the_page_charts_as_they_are():
    """The slide specs are copies: the page's chart (sliders, menus, sizes, fonts) is unchanged."""
    for chapter, figs in slides.FIGURES.items():
        for fig in figs:
            page = fig.build().to_dict()
            shown = slides_html.static_spec(fig.spec())
            assert fig.build().to_dict() == page, fig.name
            assert '"bind"' not in json.dumps(shown)
    framework = slides.FIGURES["foundations"][1]
    import inspect

    from cocreation import foundations

    page_width = inspect.signature(foundations.framework_chart).parameters["width"].default
    assert framework.build().to_dict()["width"] == page_width and framework.spec()["width"] == slides.WIDE[0]


def test_static_spec_keeps_param_values_and_drops_their_controls():
    from cocreation import coopetition

    page = coopetition.profit_explorer().to_dict()
    static = slides_html.static_spec(page)
    # slider values, and the derived (expression) parameters, carry over
    assert [(p.get("value"), p.get("expr")) for p in static["params"]] == [(p.get("value"), p.get("expr")) for p in page["params"]]
    assert sum("bind" in p for p in page["params"]) >= 6 and not any("bind" in p for p in static["params"])
    assert json.dumps(static["vconcat"]) == json.dumps(page["vconcat"])  # the charts themselves are untouched


def test_scaled_text_scales_every_font_and_no_data():
    from cocreation import foundations

    page = foundations.framework_chart().to_dict()
    big = slides_html.scaled_text(page, 1.5)
    assert sorted(_font_sizes(big)) == pytest.approx(sorted(1.5 * f for f in _font_sizes(page)))
    assert _font_sizes(page) and big["datasets"] == page["datasets"]
    with pytest.raises(ValueError, match="factor"):
        slides_html.scaled_text(page, 0)


def test_rewrap_joins_or_balances_the_page_s_line_breaks():
    spec = {"mark": {"type": "text", "lineBreak": "\n"},
            "datasets": {"d": [{"label": "Contracts\nand\nrelationship\ngovernance"}, {"label": "Value\nco-\ncreation"},
                               {"label": "Role\nconflict"}]}}
    one = slides_html.rewrap(spec, 1)
    assert "lineBreak" not in one["mark"]
    assert [r["label"] for r in one["datasets"]["d"]] == ["Contracts and relationship governance", "Value co-creation",
                                                           "Role conflict"]
    two = slides_html.rewrap(spec, 2)
    assert two["mark"]["lineBreak"] == "\n"
    first, short = two["datasets"]["d"][0]["label"], two["datasets"]["d"][2]["label"]
    assert first.count("\n") == 1 and first.replace("\n", " ") == "Contracts and relationship governance"
    assert max(map(len, first.split("\n"))) < len("relationship governance") + 1 and short == "Role conflict"


def test_x_window_keeps_nodes_and_links_inside_it():
    from cocreation import charts, foundations

    nodes, links = foundations.diagram_frames()
    placed = charts.layout_layers(nodes).set_index("id")
    spec = foundations.framework_chart().to_dict()
    halves = [window for window, _ in slides.HALVES]
    for lo, hi in halves:
        cut = slides_html.x_window(spec, lo, hi)
        tests = [t["filter"] for layer in cut["layer"] for t in layer.get("transform", []) if "filter" in t]
        assert len(tests) == len(spec["layer"]) and all(f">= {lo}" in t and f"<= {hi}" in t for t in tests)
    inside = [set(placed.index[(placed["x"] >= lo) & (placed["x"] <= hi)]) for lo, hi in halves]
    assert set.union(*inside) == set(placed.index)  # every node is on one of the two slides
    for a, b in zip(links["source"], links["target"]):  # and every link, with both its ends
        assert any({a, b} <= half for half in inside), (a, b)
    with pytest.raises(ValueError, match="hi"):
        slides_html.x_window(spec, 0.5, 0.2)


def test_svg_ids_are_unique_within_each_deck(decks):
    for page in decks.values():
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_deck_requests_anything(decks, chapter):
    page = decks[chapter]
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?(?:https?:)?//|@import""", page, re.I)
    assert "default-src 'none'" in page  # the page's CSP forbids any request


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_plumbing_on_the_slides(decks, chapter):
    visible = texts(re.sub(r"<(style|script|title)[^>]*>.*?</\1>", " ", decks[chapter], flags=re.S))
    keys = [r["citation_key"] for r in rows("sources")]
    assert not [k for k in keys if k in visible]
    assert not re.search(r"\{\w+(:\w+)?\}|`|\b\w+_ex\d\b|\.csv\b|\bnan\b|source 00\d", visible)


def _key_lines(q: dict[str, str], options: list[dict[str, str]]) -> list[str]:
    """A question's key, from the CSV rows themselves."""
    if q["kind"] == "choice":
        return [o["text"] for o in options if o["correct"].lower() == "true"]
    if q["kind"] == "number":
        return [f"{float(q['answer']):g}"]
    if q["kind"] == "order":
        return [o["text"] for o in sorted(options, key=lambda o: int(float(o["position"])))]
    return [f"{o['text']} → {o['match']}" for o in options]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_answer_follows_its_question_and_matches_the_bank(decks, chapter):
    found = sections(decks[chapter])
    questions = {texts(q["prompt"]): q for q in rows(f"{chapter}_questions")}
    options = rows(f"{chapter}_question_options")
    for i, (kind, body) in enumerate(found):
        if kind != "question":
            continue
        heading = re.match(r"\s*<h2>([^<]+)</h2>", body).group(1)
        nxt_kind, nxt = found[i + 1]
        assert nxt_kind == "answer" and f"<h2>{heading}: answer</h2>" in nxt
        prompt = next(p for p in questions if p and p in texts(body))
        q = questions[prompt]
        assert q["public"].lower() == "true"
        answer = texts(nxt)
        mine = [o for o in options if o["question"] == q["id"]]
        lines = _key_lines(q, mine)
        assert lines and all(texts(html.escape(line)) in answer for line in lines), q["id"]
        if q["kind"] == "order":
            assert answer.index(lines[0]) < answer.index(lines[-1])


def test_ipo_case_figures_are_the_data_table_s(decks):
    body = texts(slide(decks["ipo"], "COSMOPlat in figures"))
    for r in rows("ipo_case_facts"):
        assert r["figure"] in body and r["fact"] in body


def test_oli_reported_figures_are_the_data_table_s(decks):
    body = slide(decks["oli"], "Figures reported in the study")
    shown = {html.unescape(a): (b, c) for a, b, c in re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", body)}
    for r in rows("oli_figures"):
        value, unit = shown[r["label"]]
        assert float(value) == float(r["value"]) and html.unescape(unit) == r["unit"]
    assert len(shown) == len(rows("oli_figures"))


def test_foundations_scan_numbers_are_the_data_table_s(decks):
    body = slide(decks["foundations"], "The literature scan in numbers")
    cells = dict(re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", body))
    for r in rows("foundations_scan"):
        if r["stage"] == "searched":
            assert cells[f"Articles found in {r['database']}"] == r["count"]
    selected = sum(int(r["count"]) for r in rows("foundations_scan") if r["stage"] == "selected")
    assert int(cells["Articles selected for the review"]) == selected


def test_typology_experience_is_recomputed_from_table_2(decks):
    body = slide(decks["typology"], "Interviewees and their years of experience")
    table = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", body)
    by_group: dict[str, list[int]] = {}
    for r in rows("typology_interviewees"):
        by_group.setdefault(r["group"], []).append(int(r["years"]))
    assert sum(int(t[1]) for t in table) == sum(len(v) for v in by_group.values()) == 19
    for group, n, mean, lo, hi in table:
        years = by_group[{"Supplier": "supplier", "Customer": "customer", "AI provider": "ai_provider"}.get(group, group)]
        assert (int(n), int(lo), int(hi)) == (len(years), min(years), max(years))
        assert float(mean) == pytest.approx(sum(years) / len(years), abs=0.05)


def test_coopetition_profits_match_the_numerical_solver(decks):
    from cocreation import coopetition

    body = slide(decks["coopetition"], "The three scenarios at illustrative values")
    params = coopetition.Params(rho_p=1.0, rho_s=0.5, k_p=1.0, k_s=1.0)
    shown = re.findall(r"<tr><td>([NPSBRC])</td>((?:<td>[^<]*</td>)+)</tr>", body)
    assert [s for s, _ in shown] == list("NPSBRC")
    for scenario, cells in shown:
        values = re.findall(r"<td>([^<]*)</td>", cells)
        eq = coopetition.solve_numeric(params, scenario, power=0.5)
        assert float(values[4]) == pytest.approx(eq.profit_platform, abs=2e-3)
        assert float(values[5]) == pytest.approx(eq.profit_participant, abs=2e-3)
        assert float(values[6]) == pytest.approx(eq.total, abs=2e-3)


def test_objectives_and_takeaways_are_the_page_s(decks):
    page = (ROOT / "book/ipo/cosmoplat_ewom.md").read_text(encoding="utf-8")
    shown = texts(slide(decks["ipo"], "Learning objectives"))
    overview = re.sub(r"\s+", " ", page.split("## Overview", 1)[1].split("## Prerequisites", 1)[0])
    bullets = [b.strip(" -") for b in overview.split(" - ")[1:]]
    assert len(bullets) == shown.count(";") + 1 == 5
    assert all(b.rstrip(".") in shown for b in bullets)
    managers = texts(slide(decks["ipo"], "For managers"))
    assert "Build a different capability for each actor" in managers and "(Liu et al., 2025)" in managers


def test_sources_slide_credits_sources_as_readers_cite_them(decks):
    labels = {r["id"]: r["label"] for r in rows("sources")}
    chapters = {r["id"]: r["source"] for r in rows("chapters")}
    for chapter, page in decks.items():
        body = texts(slide(page, "Sources"))
        wanted = set(chapters.values()) if chapter == "synthesis" else {chapters[chapter]}
        for sid in wanted:
            assert labels[sid] in body


def test_student_edition_gets_no_decks(tmp_path):
    """The build hook writes nothing for a book without the instructor pages."""
    app = SimpleNamespace(srcdir=str(tmp_path / "src"), outdir=str(tmp_path / "html"),
                          builder=SimpleNamespace(format="html"))
    (tmp_path / "src").mkdir()
    slides._write_decks(app, None)
    assert not (tmp_path / "html").exists()


def test_a_chapter_without_declarations_still_gets_a_deck(monkeypatch):
    """A new chapter (CONTRIBUTING's "Add a chapter") must not break the build's decks."""
    for table in (slides.FIGURES, slides.TABLES, slides.ACTIVITY):
        monkeypatch.delitem(table, "ipo")
    kinds = [s.kind for s in slides.deck_slides("ipo")]
    assert kinds[:2] == ["title", "objectives"] and kinds[-1] == "sources"
    assert "chart" not in kinds and "discussion" not in kinds and "question" in kinds


def test_bad_chapter_is_refused():
    with pytest.raises(ValueError, match="chapter"):
        slides.deck_slides("marketing")


@pytest.mark.build
def test_guide_links_every_deck_in_the_built_site(built_site):
    guide = (built_site / "book/instructors/guide.html").read_text(encoding="utf-8")
    links = re.findall(r'<ul class="slide-decks">(.*?)</ul>', guide, re.S)
    assert links
    hrefs = re.findall(r'href="([^"]+)"', links[0])
    assert len(hrefs) == len(CHAPTERS)
    for href in hrefs:
        target = (built_site / "book/instructors" / href).resolve()
        assert target.is_file(), href
        assert 15 <= len(sections(target.read_text(encoding="utf-8"))) <= 20


@pytest.mark.browser
@pytest.mark.build
def test_keys_move_through_a_deck_offline_and_it_prints_one_slide_a_page(built_site, site_url, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site_url}/{slides.FOLDER}/{slides.deck_file('ipo')}")
    counter = page.locator("#counter")
    n = len(page.locator("section.slide").all())
    assert counter.inner_text() == f"1 / {n}"
    page.keyboard.press("ArrowRight")
    assert counter.inner_text() == f"2 / {n}"
    page.keyboard.press("PageDown")
    page.keyboard.press("Space")
    assert counter.inner_text() == f"4 / {n}"
    page.keyboard.press("PageUp")
    assert counter.inner_text() == f"3 / {n}"
    visible = page.locator("section.slide:visible")
    assert visible.count() == 1 and visible.locator("h2").inner_text()
    box = visible.bounding_box()
    assert box["width"] <= 1024 and box["height"] <= 768
    page.keyboard.press("End")
    assert counter.inner_text() == f"{n} / {n}"
    page.screenshot(path=str(tmp_path / "last.png"))
    from io import BytesIO

    from pypdf import PdfReader

    printed = PdfReader(BytesIO(page.pdf(prefer_css_page_size=True))).pages
    assert len(printed) == n  # one slide per page
    assert all(p.mediabox.width > p.mediabox.height for p in printed)  # landscape
    assert not errors
    assert all(u.startswith(site_url) for u in requests)
    page.close()


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_slide_fits_1024x768_and_axe_finds_no_serious_violation(built_site, site_url, browser, chapter):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{site_url}/{slides.FOLDER}/{slides.deck_file(chapter)}")
    n = page.locator("section.slide").count()
    for k in range(n):
        shown = page.locator("section.slide.current")
        assert shown.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1"), k
        assert shown.evaluate("e => getComputedStyle(e.querySelector('h1, h2')).fontSize.replace('px', '') >= 24")
        page.keyboard.press("ArrowRight")
    # every slide shown at once, as without the script, so axe checks them all
    page.evaluate("document.documentElement.classList.remove('js');"
                  "document.querySelectorAll('[aria-hidden]').forEach(e => e.removeAttribute('aria-hidden'))")
    page.add_script_tag(content=(ROOT / "tests" / "vendor" / "axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    page.close()
    bad = [f"{v['id']} ({v['impact']})" for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == []


#: Per chart slide: the smallest visible SVG text in CSS px (font size times the SVG's scale on
#: screen), the text boxes outside the SVG's box, overlapping text boxes, and whether it all fits.
CHART_TEXT = """() => {
 const s = document.querySelector('section.slide.current'), svg = s.querySelector('svg');
 const box = svg.getBoundingClientRect(), slide = s.getBoundingClientRect();
 const shown = t => { for (let e = t; e && e !== svg; e = e.parentElement)
   if (getComputedStyle(e).opacity === '0') return false; return t.textContent.trim() !== ''; };
 const texts = [...svg.querySelectorAll('text')].filter(shown);
 const px = texts.map(t => { const m = t.getScreenCTM();
   return [parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b), t.textContent.trim()]; });
 const rects = texts.map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
 const outside = rects.filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1
   || r.top < box.top - 1 || r.bottom > box.bottom + 1).map(([t]) => t);
 const overlaps = [];
 rects.forEach(([p, r], i) => rects.slice(i + 1).forEach(([q, u]) => {
   if (Math.min(r.right, u.right) - Math.max(r.left, u.left) > 2
       && Math.min(r.bottom, u.bottom) - Math.max(r.top, u.top) > 2) overlaps.push(p + ' / ' + q); }));
 return {heading: s.querySelector('h2').textContent, n: texts.length, smallest: Math.min(...px.map(p => p[0])),
   which: px.reduce((a, b) => (b[0] < a[0] ? b : a))[1], outside, overlaps,
   fits: s.scrollHeight <= s.clientHeight + 1 && s.scrollWidth <= s.clientWidth + 1
     && box.top >= slide.top - 1 && box.bottom <= Math.min(slide.bottom, 768) + 1
     && box.left >= slide.left - 1 && box.right <= Math.min(slide.right, 1024) + 1}; }"""


@pytest.mark.browser
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chart_text_is_legible_when_projected_at_1024x768(decks, browser, tmp_path, chapter):
    """Every chart's smallest text is at least 12 CSS px on screen; the chart fits its slide, no
    text is cut off at the SVG's edge, and no two texts overlap."""
    path = tmp_path / slides.deck_file(chapter)
    path.write_text(decks[chapter], encoding="utf-8")
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(path.as_uri())
    measured = []
    for _ in range(page.locator("section.slide").count()):
        if page.locator("section.slide.current.chart").count():
            measured.append(page.evaluate(CHART_TEXT))
        page.keyboard.press("ArrowRight")
    page.close()
    assert len(measured) == len(slides.FIGURES[chapter])
    for m in measured:
        assert m["n"] >= 5, m["heading"]
        assert m["smallest"] >= 12, (m["heading"], m["which"], round(m["smallest"], 1))
        assert m["fits"], m["heading"]
        assert m["outside"] == [] and m["overlaps"] == [], m
