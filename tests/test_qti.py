"""The LMS export: open the QTI package and the Moodle XML as an importer would."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

import pytest

from cocreation import qti, selfcheck

CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
MD = "{http://www.imsglobal.org/xsd/imsmd_v1p2}"
Q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


@pytest.fixture(scope="module")
def package() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(qti.package_bytes()))


@pytest.fixture(scope="module")
def items(package) -> dict[str, ET.Element]:
    """Every item of every assessment the manifest points to, by ident."""
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    found: dict[str, ET.Element] = {}
    for res in manifest.iter(f"{CP}resource"):
        assert res.get("type") == "imsqti_xmlv1p2"
        for f in res.iter(f"{CP}file"):
            root = ET.fromstring(package.read(f.get("href")))
            assert root.tag == f"{Q}questestinterop"
            for item in root.iter(f"{Q}item"):
                assert item.get("ident") not in found, f"{item.get('ident')} exported twice"
                found[item.get("ident")] = item
    return found


def _field(item: ET.Element, label: str) -> str:
    for f in item.iter(f"{Q}qtimetadatafield"):
        if f.findtext(f"{Q}fieldlabel") == label:
            return f.findtext(f"{Q}fieldentry")
    raise AssertionError(f"{item.get('ident')}: no {label}")


def test_the_package_is_a_zip_with_a_manifest_and_every_file_it_names(package):
    names = set(package.namelist())
    assert "imsmanifest.xml" in names
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    hrefs = {f.get("href") for f in manifest.iter(f"{CP}file")}
    assert hrefs and hrefs <= names
    assert names - hrefs == {"imsmanifest.xml"}, "files in the zip that the manifest does not list"
    for name in names:
        ET.fromstring(package.read(name))  # every file is well-formed XML


def test_the_manifest_lists_every_item_of_the_bank_once(package):
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    listed = [k.findtext(f"{MD}langstring") for k in manifest.iter(f"{MD}keyword")]
    bank = [q.id for q in selfcheck.bank()]
    assert len(listed) == len(set(listed)) == len(bank) >= 72
    assert set(listed) == set(bank)


def test_the_item_count_equals_the_banks_and_each_item_keeps_its_tags(items):
    bank = {q.id: q for q in selfcheck.bank()}
    assert set(items) == set(bank)
    for qid, item in items.items():
        q = bank[qid]
        assert _field(item, "question_type") == qti.QTI_TYPE[q.kind]
        assert _field(item, "cocreation_bloom") == q.bloom
        assert _field(item, "cocreation_difficulty") == q.difficulty
        assert _field(item, "cocreation_objective") == q.objective
        assert _field(item, "cocreation_audience") == ("public" if q.public else "instructor-only")
        assert item.find(f"{Q}presentation/{Q}material/{Q}mattext").text == q.prompt


def test_every_choice_key_is_one_of_its_choices_and_the_banks_correct_option(items):
    for q in selfcheck.bank():
        if q.kind != "choice":
            continue
        item = items[q.id]
        choices = [lab.get("ident") for lab in item.iter(f"{Q}response_label")]
        scored = [c for c in item.iter(f"{Q}respcondition") if c.find(f"{Q}setvar") is not None]
        assert len(scored) == 1, f"{q.id}: one scoring condition"
        key = scored[0].find(f"{Q}conditionvar/{Q}varequal").text
        assert key in choices, f"{q.id}: key {key} is not a choice"
        assert key == next(o.id for o in q.options if o.correct)
        fb = {f.get("ident") for f in item.iter(f"{Q}itemfeedback")}
        assert {f"{c}_fb" for c in choices} <= fb, f"{q.id}: an option lost its feedback"


def test_every_matching_key_is_one_of_its_targets_and_full_marks_add_to_100(items):
    for q in selfcheck.bank():
        if q.kind not in ("order", "match"):
            continue
        item = items[q.id]
        lids = {lid.get("ident"): {lab.get("ident") for lab in lid.iter(f"{Q}response_label")}
                for lid in item.iter(f"{Q}response_lid")}
        assert len(lids) == len(q.options)
        total = 0.0
        for cond in item.iter(f"{Q}respcondition"):
            eq = cond.find(f"{Q}conditionvar/{Q}varequal")
            if eq is None:
                continue
            assert eq.text in lids[eq.get("respident")], f"{q.id}: key is not a target"
            total += float(cond.find(f"{Q}setvar").text)
        assert total == pytest.approx(100, abs=1e-2)


def test_number_items_accept_the_key_within_its_tolerance_only(items):
    for q in selfcheck.bank():
        if q.kind != "number":
            continue
        item = items[q.id]
        lo = float(item.find(f".//{Q}vargte").text)
        hi = float(item.find(f".//{Q}varlte").text)
        assert lo < q.answer < hi
        assert hi - lo == pytest.approx(2 * q.tolerance)


def test_short_items_are_essays_with_the_model_answer_as_feedback(items):
    shorts = [q for q in selfcheck.bank() if q.kind == "short"]
    assert len(shorts) >= 6
    for q in shorts:
        text = " ".join(m.text or "" for m in items[q.id].iter(f"{Q}mattext"))
        assert q.model_answer in text


def test_the_package_is_deterministic():
    assert qti.package_bytes() == qti.package_bytes()


def test_moodle_xml_has_every_item_with_its_key():
    root = ET.fromstring(qti.moodle_xml())
    qs = [q for q in root.iter("question") if q.get("type") != "category"]
    bank = {q.id: q for q in selfcheck.bank()}
    assert sorted(q.findtext("idnumber") for q in qs) == sorted(bank)
    for el in qs:
        q = bank[el.findtext("idnumber")]
        if q.kind == "choice":
            right = [a.findtext("text") for a in el.iter("answer") if a.get("fraction") == "100"]
            assert right == [next(o.text for o in q.options if o.correct)]
        elif q.kind == "number":
            assert float(el.find("answer/tolerance").text) == pytest.approx(q.tolerance)
        elif q.kind == "short":
            assert el.findtext("graderinfo/text") == q.model_answer
        else:
            assert len(el.findall("subquestion")) == len(q.options)


def _skeleton(item: ET.Element) -> set[str]:
    """The element paths of an item, namespace and identifiers dropped."""
    paths: set[str] = set()

    def walk(el: ET.Element, prefix: str) -> None:
        path = f"{prefix}/{el.tag.split('}')[-1]}"
        paths.add(path)
        for child in el:
            walk(child, path)

    walk(item, "")
    return paths


def test_items_have_the_structure_canvas_exports_as_text2qti_writes_it(items):
    """text2qti (PyPI) writes Canvas's QTI dialect; our items must contain its structure."""
    text2qti = pytest.importorskip("text2qti")
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    sample = {
        "choice": next(q for q in selfcheck.bank() if q.kind == "choice"),
        "number": next(q for q in selfcheck.bank() if q.kind == "number"),
        "short": next(q for q in selfcheck.bank() if q.kind == "short"),
    }
    c = sample["choice"]
    lines = ["Quiz title: sample", "", f"1.  {c.prompt}", f"... {c.feedback}"]
    for o in c.options:
        lines += [f"{'*' if o.correct else ''}{o.id}) {o.text}", f"... {o.feedback}"]
    n = sample["number"]
    lines += ["", f"2.  {n.prompt}", f"= {n.answer:g} +- {n.tolerance:g}", "", f"3.  {sample['short'].prompt}", "____", ""]
    blob = QTI(Quiz("\n".join(lines), config=Config())).zip_bytes()
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        xml = next(name for name in z.namelist() if name.endswith(".xml") and "assessment_meta" not in name
                   and name != "imsmanifest.xml")
        theirs = list(ET.fromstring(z.read(xml)).iter(f"{Q}item"))
    assert len(theirs) == 3
    for ref, kind in zip(theirs, ("choice", "number", "short")):
        missing = _skeleton(ref) - _skeleton(items[sample[kind].id])
        assert not missing, f"{kind}: text2qti writes {sorted(missing)}, we do not"


@pytest.mark.browser
def test_the_instructors_page_downloads_the_package_and_the_moodle_file(browser, site_url):
    """Both links of the bank page download, in Chromium, the files the package builds."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{site_url}/book/instructors/question_bank.html")
        for text, expected in (("IMS QTI 1.2 package", qti.package_bytes()), ("Moodle XML", qti.moodle_xml())):
            with page.expect_download() as info:
                page.get_by_role("link", name=text).click()
            path = info.value.path()
            with open(path, "rb") as fh:
                assert fh.read() == expected, f"{text}: the page's file differs from the package's"
    finally:
        context.close()
