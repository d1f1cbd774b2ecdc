"""The student edition: built from the same sources and cache, without solutions or instructor pages."""

from __future__ import annotations

import html as _html
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from cocreation import selfcheck, student

from conftest import ROOT, toc_pages

OUT = ROOT / "_build" / "student"
CHAPTERS = [p for p in toc_pages() if p.split("/")[1] not in ("instructors", "reference") and p.count("/") == 2]


def _solutions(page: str) -> list[str]:
    text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    return [m.group(0) for m in student.SOLUTION.finditer(text)]


def _phrases(solution: str) -> list[str]:
    """Plain-prose runs of eight words from a solution (code, directives and markup dropped)."""
    body = re.sub(r"^(`{3,}).*?^\1\s*$", " ", solution, flags=re.M | re.S)  # fenced blocks
    body = re.sub(r"\{\w+(?::\w+)?\}`([^`<]*?)\s*(?:<[^>]*>)?`", r"\1", body)  # roles
    body = re.sub(r"`[^`]*`|\$[^$]*\$|\[[^\]]*\]\([^)]*\)", " ", body)  # code, maths, links
    body = re.sub(r"[*_>#|]", " ", body)
    out = []
    for para in re.split(r"\n\s*\n", body):
        words = para.split()
        if len(words) >= 8 and all(re.fullmatch(r"[A-Za-z,.;:'’()-]+", w) for w in words[:8]):
            out.append(_norm(" ".join(words[:8])))
    return out


def _plain(path: Path) -> str:
    text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
    return _norm(_html.unescape(text))


def _norm(text: str) -> str:
    """Whitespace collapsed and typographic quotes made plain (the build makes quotes smart)."""
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(a, b)
    return " ".join(text.split())


# --- fast checks on the staging (no build) ---------------------------------------------


def test_every_chapter_has_solutions_and_the_stripper_removes_them_all():
    for page in CHAPTERS:
        text = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        assert _solutions(page), f"{page}: no solution found (did the fence style change?)"
        stripped = student.strip_solutions(text)
        assert "solution-start" not in stripped and "solution-end" not in stripped, page
        assert stripped.count("{exercise}") == text.count("{exercise}"), f"{page}: an exercise was lost"


def test_the_student_toc_drops_every_instructor_page_but_keeps_every_other():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    dumped = yaml.safe_dump(student.student_toc(toc))
    kept = set(re.findall(r"file: (\S+)", dumped))
    full = set(toc_pages()) - {toc["root"]}
    assert kept == {p for p in full if not p.startswith("book/instructors/")} | {student.STUB}


# --- the build ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def student_site(built_site) -> Path:
    """Build the edition after the full book, so it reuses the full build's execution cache."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "cocreation.student"], cwd=ROOT, capture_output=True, text=True, timeout=3000
    )
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    warnings = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL): ", line)]
    if result.returncode != 0 or warnings:
        pytest.fail(
            "student edition build failed (exit %d) with %d warning/error lines:\n%s\n--- tail ---\n%s"
            % (result.returncode, len(warnings), "\n".join(warnings[:40]), log[-3000:]),
            pytrace=False,
        )
    print(f"student edition built in {seconds:.0f} s")
    return OUT / "html"


def _site_files(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".md", ".ipynb", ".txt")
            and "_static" not in p.parts]


@pytest.mark.build
def test_the_edition_builds_into_build_student_html_with_every_student_page(student_site):
    assert student_site == ROOT / "_build" / "student" / "html"
    for page in toc_pages():
        built = (student_site / f"{page}.html").exists()
        assert built != page.startswith("book/instructors/") or page == student.STUB, page
    assert "student edition" in _plain(student_site / "index.html").lower() or "student edition" in _plain(
        student_site / f"{toc_pages()[0]}.html"
    ).lower()


@pytest.mark.build
def test_no_solution_text_appears_in_the_edition_but_does_in_the_full_book(student_site, built_site):
    files = _site_files(student_site)
    text = " ".join(_plain(p) for p in files)
    checked = 0
    for page in CHAPTERS:
        full = _plain(built_site / f"{page}.html")
        rest = _norm(student.strip_solutions((ROOT / f"{page}.md").read_text(encoding="utf-8")))
        for solution in _solutions(page):
            for phrase in _phrases(solution):
                if phrase not in full or phrase in rest:
                    continue  # not a usable probe: markup hides it, or the page says it outside a solution
                checked += 1
                assert phrase not in text, f"solution text of {page} in the student edition: {phrase!r}"
    print(f"{checked} solution phrases checked")
    assert checked >= 2 * len(CHAPTERS), f"only {checked} solution phrases could be checked"
    assert not any('class="solution' in p.read_text(errors="replace") for p in files if p.suffix == ".html")


@pytest.mark.build
def test_no_instructor_material_appears_in_the_edition(student_site, built_site):
    files = _site_files(student_site)
    text = " ".join(_plain(p) for p in files)
    assert "Teaching note" not in text
    assert not (student_site / "book" / "instructors" / "question_bank.html").exists()
    private = [q for q in selfcheck.bank() if not q.public]
    bank_page = _plain(built_site / "book" / "instructors" / "question_bank.html")
    for q in private:
        probe = _norm(q.prompt)
        assert probe in bank_page, f"{q.id}: not on the instructors' page of the full book"
        assert probe not in text, f"{q.id}: an instructor-only item is in the student edition"
