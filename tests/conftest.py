"""Shared fixtures for the whole test suite.

Keep these generic: other test modules rely on them.

* ``corpus_dir``        — Path of the bundled corpus (``corpus/``), found relative to this folder.
* ``built_kb``          — a KnowledgeBase built ONCE per session from the bundled corpus in a tmp home.
                          Read-only: tests that change a KB must build their own.
* ``make_pdf``          — factory: ``make_pdf(lines, name="sample.pdf") -> Path`` of a PDF whose text
                          layer holds the given (Chinese) lines.
* ``make_image_pdf``    — factory: ``make_image_pdf(name="scan.pdf") -> Path`` of a PDF with no text
                          layer (a drawn rectangle only, like a scanned page).
* ``structured_doc``    — factory: ``structured_doc(raw_text, source="sample.txt") -> Document`` run
                          through clean -> structure -> split (``kb.pipeline.structure_text``).
* ``sample_review_text``/``sample_review_file`` — a small, valid Chinese review (text / UTF-8 file).
"""
from __future__ import annotations

from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
PROJECT_DIR = TESTS_DIR.parent

CJK_FONT = "STSong-Light"  # reportlab's built-in Adobe CID font: no font file needed


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled corpus folder (five PDF-extracted Chinese reviews plus manifest.json)."""
    path = PROJECT_DIR / "corpus"
    assert path.is_dir(), f"bundled corpus not found at {path}"
    return path


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory, corpus_dir):
    """A KnowledgeBase holding the bundled corpus, built once per test session."""
    from kb import KnowledgeBase

    home = tmp_path_factory.mktemp("corpus-kb-home")
    kb = KnowledgeBase(home)
    report = kb.ingest([corpus_dir])
    if report.errors:
        kb.close()
        pytest.fail("building the corpus KB failed:\n" + "\n".join(report.errors))
    yield kb
    kb.close()


def _register_cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


@pytest.fixture
def make_pdf(tmp_path):
    """Factory writing a PDF with a CJK text layer: one drawString per line, top to bottom."""

    def _make(lines: list[str], name: str = "sample.pdf") -> Path:
        from reportlab.pdfgen import canvas

        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        font = _register_cjk_font()
        pdf = canvas.Canvas(str(path))
        pdf.setFont(font, 11)
        y = 800
        for line in lines:
            if y < 60:
                pdf.showPage()
                pdf.setFont(font, 11)
                y = 800
            pdf.drawString(50, y, line)
            y -= 18
        pdf.save()
        return path

    return _make


@pytest.fixture
def make_image_pdf(tmp_path):
    """Factory writing a PDF without any text layer (a filled rectangle, like a scanned page)."""

    def _make(name: str = "scan.pdf") -> Path:
        from reportlab.pdfgen import canvas

        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf = canvas.Canvas(str(path))
        pdf.rect(72, 72, 300, 400, stroke=1, fill=1)
        pdf.save()
        return path

    return _make


@pytest.fixture
def structured_doc():
    """Factory: raw text -> Document cleaned, structured and split into sentences."""
    from kb.models import Document
    from kb.pipeline import structure_text
    from kb.read import safe_doc_id

    def _run(raw_text: str, source: str = "sample.txt"):
        return structure_text(Document(doc_id=safe_doc_id(source), source=source, raw_text=raw_text))

    return _run


SAMPLE_REVIEW = """\
一、难治性抑郁症的定义
难治性抑郁症是指经过两种或两种以上抗抑郁药物足量、
足疗程治疗后仍未获得满意疗效的抑郁障碍［1］。约有三成
的抑郁症患者对多种抗抑郁治疗无效［2-3］。
二、治疗进展
氯胺酮可以迅速减轻难治性抑郁症患者的症状［4］。深部
脑刺激对部分患者也有一定疗效，但证据仍然有限。
"""


@pytest.fixture
def sample_review_text() -> str:
    """A small valid review: two numbered sections, five sentences, citation markers."""
    return SAMPLE_REVIEW


@pytest.fixture
def sample_review_file(tmp_path) -> Path:
    """``sample_review_text`` written as UTF-8 to ``<tmp>/src/review.txt`` (doc_id 'review')."""
    path = tmp_path / "src" / "review.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SAMPLE_REVIEW, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def indexed_corpus_home(built_kb, tmp_path_factory) -> Path:
    """A KB home holding a copy of the corpus database plus a search index, built once per session."""
    import sqlite3

    from kb import KnowledgeBase

    home = tmp_path_factory.mktemp("search-corpus-home")
    src, dst = sqlite3.connect(built_kb.db_path), sqlite3.connect(home / "kb.db")
    try:
        src.backup(dst)  # kb.db is in WAL mode: copy it through sqlite, not the file system
    finally:
        src.close()
        dst.close()
    kb = KnowledgeBase(home)
    try:
        assert kb.build_index() > 300
    finally:
        kb.close()
    return home
