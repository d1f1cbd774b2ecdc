"""The question bank as an LMS import: an IMS QTI 1.2 package and Moodle XML.

QTI 1.2 inside an IMS content package (a zip with ``imsmanifest.xml``) is the format
Canvas, Blackboard and D2L import most reliably; Moodle imports its own XML format more
reliably than QTI, so :func:`moodle_xml` writes that too. Both are built from the same
bank as the pages (:func:`cocreation.selfcheck.bank`): public self-checks and
instructor-only items alike.

How each kind of question is exported:

========  =============================  ============================
kind      QTI 1.2 (Canvas dialect)       Moodle XML
========  =============================  ============================
choice    ``multiple_choice_question``   ``multichoice`` (single)
number    ``numerical_question``         ``numerical`` with tolerance
order     ``matching_question``          ``matching``
          (each item → its place)        (each item → its place)
match     ``matching_question``          ``matching``
short     ``essay_question``             ``essay`` (model answer as
          (model answer as feedback)     grader information)
========  =============================  ============================

The package has one assessment per chapter (``<chapter>/<chapter>.xml``); the manifest
lists each assessment as a resource and names its items as keywords of the resource's
metadata. Every item keeps its objective, Bloom level, difficulty and audience in its
``qtimetadata``.

Command line::

    python -m cocreation.qti cocreation_question_bank_qti.zip [--moodle bank_moodle.xml]

Examples
--------
>>> import io, zipfile
>>> blob = package_bytes()
>>> names = zipfile.ZipFile(io.BytesIO(blob)).namelist()
>>> "imsmanifest.xml" in names and "ipo/ipo.xml" in names
True
"""

from __future__ import annotations

import argparse
import base64
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from . import selfcheck
from .selfcheck import Question

__all__ = [
    "QTI_TYPE",
    "assessment_xml",
    "manifest_xml",
    "package_bytes",
    "write_package",
    "moodle_xml",
    "download_links_html",
]

#: The Canvas ``question_type`` of each kind of question.
QTI_TYPE = {
    "choice": "multiple_choice_question",
    "number": "numerical_question",
    "order": "matching_question",
    "match": "matching_question",
    "short": "essay_question",
}

_NS_CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"  # as Canvas and text2qti write it
_NS_MD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
_NS_QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrib.items()})
    if text is not None:
        el.text = text
    return el


def _material(parent: ET.Element, text: str) -> ET.Element:
    mat = _sub(parent, "material")
    _sub(mat, "mattext", text, texttype="text/plain")
    return mat


def _feedback(item: ET.Element, ident: str, text: str) -> None:
    fb = _sub(item, "itemfeedback", ident=ident)
    _material(_sub(fb, "flow_mat"), text)


def _general(res: ET.Element) -> None:
    """Show the general feedback whatever the answer (as Canvas exports it)."""
    cond = _sub(res, "respcondition", continue_="Yes")
    _sub(_sub(cond, "conditionvar"), "other")
    _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")


def _pairs(q: Question) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(option id, text, target) of an order or match question, and its targets."""
    if q.kind == "order":
        targets = [_ordinal(n) for n in range(1, len(q.options) + 1)]
        return [(o.id, o.text, _ordinal(o.position or 0)) for o in q.options], targets
    return [(o.id, o.text, o.match or "") for o in q.options], q.targets


def _item(q: Question) -> ET.Element:
    item = ET.Element("item", ident=q.id, title=f"{q.chapter} {q.id[-3:]}")
    meta = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    fields = {
        "question_type": QTI_TYPE[q.kind],
        "points_possible": "1.0",
        "cocreation_kind": q.kind,
        "cocreation_objective": q.objective,
        "cocreation_bloom": q.bloom,
        "cocreation_difficulty": q.difficulty,
        "cocreation_audience": "public" if q.public else "instructor-only",
    }
    for label, entry in fields.items():
        f = _sub(meta, "qtimetadatafield")
        _sub(f, "fieldlabel", label)
        _sub(f, "fieldentry", entry)

    pres = _sub(item, "presentation")
    _material(pres, q.prompt)
    res = _sub(item, "resprocessing")
    out = _sub(res, "outcomes")
    _sub(out, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")

    if q.kind == "choice":
        lid = _sub(pres, "response_lid", ident="response1", rcardinality="Single")
        rc = _sub(lid, "render_choice")
        for o in q.options:
            _material(_sub(rc, "response_label", ident=o.id), o.text)
        _general(res)
        for o in q.options:  # per-option feedback first, then the score
            cond = _sub(res, "respcondition", continue_="Yes")
            _sub(_sub(cond, "conditionvar"), "varequal", o.id, respident="response1")
            _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid=f"{o.id}_fb")
        right = next(o for o in q.options if o.correct)
        cond = _sub(res, "respcondition", continue_="No")
        _sub(_sub(cond, "conditionvar"), "varequal", right.id, respident="response1")
        _sub(cond, "setvar", "100", action="Set", varname="SCORE")
        _feedback(item, "general_fb", q.feedback)
        for o in q.options:
            _feedback(item, f"{o.id}_fb", o.feedback)
    elif q.kind == "number":
        st = _sub(pres, "response_str", ident="response1", rcardinality="Single")
        _sub(_sub(st, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
        cond = _sub(res, "respcondition", continue_="No")
        var = _sub(cond, "conditionvar")
        alt = _sub(var, "or")
        _sub(alt, "varequal", f"{q.answer:g}", respident="response1")
        both = _sub(alt, "and")
        _sub(both, "vargte", f"{q.answer - q.tolerance:g}", respident="response1")
        _sub(both, "varlte", f"{q.answer + q.tolerance:g}", respident="response1")
        _sub(cond, "setvar", "100", action="Set", varname="SCORE")
        _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid="correct_fb")
        wrong = _sub(res, "respcondition", continue_="Yes")
        _sub(_sub(wrong, "conditionvar"), "other")
        _sub(wrong, "displayfeedback", feedbacktype="Response", linkrefid="general_incorrect_fb")
        _feedback(item, "correct_fb", q.feedback)
        _feedback(item, "general_incorrect_fb", q.hint or q.feedback)
    elif q.kind in ("order", "match"):
        pairs, targets = _pairs(q)
        tid = {t: f"t{i}" for i, t in enumerate(targets)}
        share = f"{100 / len(pairs):.4f}"
        for oid, text, target in pairs:
            lid = _sub(pres, "response_lid", ident=f"response_{oid}")
            _material(lid, text)
            rc = _sub(lid, "render_choice")
            for t in targets:
                _material(_sub(rc, "response_label", ident=tid[t]), t)
            cond = _sub(res, "respcondition")
            _sub(_sub(cond, "conditionvar"), "varequal", tid[target], respident=f"response_{oid}")
            _sub(cond, "setvar", share, varname="SCORE", action="Add")
        _general(res)
        _feedback(item, "general_fb", q.feedback + (f" {q.hint}" if q.hint else ""))
    else:  # short
        st = _sub(pres, "response_str", ident="response1", rcardinality="Single")
        _sub(_sub(st, "render_fib"), "response_label", ident="answer1", rshuffle="No")
        _general(res)
        cond = _sub(res, "respcondition", continue_="No")
        _sub(_sub(cond, "conditionvar"), "other")
        _feedback(item, "general_fb", f"Model answer: {q.model_answer} Marking: {q.feedback}")
    return item


def _xml_bytes(root: ET.Element, *, indent: bool = True) -> bytes:
    if indent:
        ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def assessment_xml(chapter: str) -> bytes:
    """One chapter's bank as a QTI 1.2 assessment with one section (UTF-8 XML)."""
    root = ET.Element("questestinterop", xmlns=_NS_QTI)
    title = f"Question bank: {selfcheck.chapter_title(chapter)}"
    assessment = _sub(root, "assessment", ident=f"cocreation-{chapter}", title=title)
    meta = _sub(_sub(assessment, "qtimetadata"), "qtimetadatafield")
    _sub(meta, "fieldlabel", "cc_maxattempts")
    _sub(meta, "fieldentry", "1")
    section = _sub(assessment, "section", ident="root_section")
    for q in selfcheck.questions(chapter):
        section.append(_item(q))
    return _xml_bytes(root)


def manifest_xml() -> bytes:
    """The package's ``imsmanifest.xml``: one resource per chapter, its items as keywords."""
    ET.register_namespace("", _NS_CP)
    ET.register_namespace("imsmd", _NS_MD)
    cp, md = f"{{{_NS_CP}}}", f"{{{_NS_MD}}}"
    root = ET.Element(f"{cp}manifest", identifier="cocreation-question-bank")
    meta = _sub(root, f"{cp}metadata")
    _sub(meta, f"{cp}schema", "IMS Content")
    _sub(meta, f"{cp}schemaversion", "1.1.3")
    _sub(root, f"{cp}organizations")
    resources = _sub(root, f"{cp}resources")
    for chapter in selfcheck.book_chapters():
        href = f"{chapter}/{chapter}.xml"
        res = _sub(resources, f"{cp}resource", identifier=f"cocreation-{chapter}", type="imsqti_xmlv1p2", href=href)
        general = _sub(_sub(_sub(res, f"{cp}metadata"), f"{md}lom"), f"{md}general")
        _sub(_sub(general, f"{md}title"), f"{md}langstring", f"Question bank: {selfcheck.chapter_title(chapter)}")
        for q in selfcheck.questions(chapter):
            _sub(_sub(general, f"{md}keyword"), f"{md}langstring", q.id)
        _sub(res, f"{cp}file", href=href)
    return _xml_bytes(root)


def package_bytes() -> bytes:
    """The whole bank as a QTI 1.2 content package (zip bytes, deterministic)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name: str, blob: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, blob)
        put("imsmanifest.xml", manifest_xml())
        for chapter in selfcheck.book_chapters():
            put(f"{chapter}/{chapter}.xml", assessment_xml(chapter))
    return buf.getvalue()


def write_package(path: str | Path) -> Path:
    """Write :func:`package_bytes` to ``path`` (parents created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(package_bytes())
    return path


# --- Moodle XML ---------------------------------------------------------------------

def _mtext(parent: ET.Element, tag: str, text: str, fmt: str = "plain_text") -> ET.Element:
    el = _sub(parent, tag, format=fmt) if fmt else _sub(parent, tag)
    _sub(el, "text", text)
    return el


def _moodle_question(q: Question) -> ET.Element:
    mtype = {"choice": "multichoice", "number": "numerical", "order": "matching",
             "match": "matching", "short": "essay"}[q.kind]
    el = ET.Element("question", type=mtype)
    _mtext(el, "name", f"{q.id}: {q.prompt[:60]}", fmt="")
    _mtext(el, "questiontext", q.prompt)
    _mtext(el, "generalfeedback", q.feedback)
    _sub(el, "defaultgrade", "1")
    _sub(el, "idnumber", q.id)
    tags = _sub(el, "tags")
    for t in (f"objective: {q.objective}", f"bloom: {q.bloom}", f"difficulty: {q.difficulty}",
              "public" if q.public else "instructor-only"):
        _sub(_sub(tags, "tag"), "text", t)
    if q.kind == "choice":
        _sub(el, "single", "true")
        _sub(el, "shuffleanswers", "true")
        _sub(el, "answernumbering", "abc")
        for o in q.options:
            ans = _mtext(el, "answer", o.text)
            ans.set("fraction", "100" if o.correct else "0")
            _mtext(ans, "feedback", o.feedback)
    elif q.kind == "number":
        ans = _mtext(el, "answer", f"{q.answer:g}", fmt="")
        ans.set("fraction", "100")
        _sub(ans, "tolerance", f"{q.tolerance:g}")
        _mtext(ans, "feedback", q.feedback)
        if q.hint:
            wrong = _mtext(el, "answer", "*", fmt="")
            wrong.set("fraction", "0")
            _mtext(wrong, "feedback", q.hint)
    elif q.kind in ("order", "match"):
        _sub(el, "shuffleanswers", "true")
        pairs, _ = _pairs(q)
        for _, text, target in pairs:
            sub = _mtext(el, "subquestion", text)
            _sub(_sub(sub, "answer"), "text", target)
    else:
        _sub(el, "responseformat", "editor")
        _sub(el, "responsefieldlines", "10")
        _mtext(el, "graderinfo", q.model_answer or "")
    return el


def moodle_xml() -> bytes:
    """The whole bank as Moodle XML, one question category per chapter."""
    root = ET.Element("quiz")
    for chapter in selfcheck.book_chapters():
        cat = _sub(root, "question", type="category")
        _sub(_sub(cat, "category"), "text", f"$course$/top/Co-creation question bank/{selfcheck.chapter_title(chapter)}")
        for q in selfcheck.questions(chapter):
            root.append(_moodle_question(q))
    return _xml_bytes(root, indent=False)  # unindented: it travels inside the page


def download_links_html() -> str:
    """Two download links whose files travel inside the page (data URIs, no server).

    The instructors' page shows this at build time, so the downloads always match the
    bank the book was built from.
    """
    qti = base64.b64encode(package_bytes()).decode("ascii")
    moodle = base64.b64encode(moodle_xml()).decode("ascii")
    n = len(selfcheck.bank())
    return (
        '<ul class="bank-downloads">'
        f'<li><a download="cocreation_question_bank_qti.zip" href="data:application/zip;base64,{qti}">'
        f"IMS QTI 1.2 package</a> ({n} items, {len(qti) * 3 // 4 // 1024} KB zip): Canvas, Blackboard, D2L</li>"
        f'<li><a download="cocreation_question_bank_moodle.xml" href="data:application/xml;base64,{moodle}">'
        f"Moodle XML</a> ({n} items): Moodle's question bank import</li>"
        "</ul>"
    )


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - command line
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="path of the QTI zip to write")
    parser.add_argument("--moodle", help="also write Moodle XML to this path")
    args = parser.parse_args(argv)
    path = write_package(args.out)
    print(f"wrote {path} ({len(selfcheck.bank())} items)")
    if args.moodle:
        Path(args.moodle).parent.mkdir(parents=True, exist_ok=True)
        Path(args.moodle).write_bytes(moodle_xml())
        print(f"wrote {args.moodle}")


if __name__ == "__main__":  # pragma: no cover
    main()
