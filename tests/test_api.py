"""KnowledgeBase: ingest (added / updated / unchanged / errors), remove, reading back."""
from __future__ import annotations

import json
import sqlite3

import pytest

from kb import KnowledgeBase
from kb.errors import StoreError
from kb.store import CHILD_TABLES, Store


@pytest.fixture
def kb(tmp_path):
    k = KnowledgeBase(tmp_path / "home")
    yield k
    k.close()


def snapshot(kb: KnowledgeBase, doc_id: str) -> dict:
    s = kb.store
    return {t: s.query(f"select * from {t} where doc_id = ? order by 1", [doc_id])
            for t in ["documents", "sections", "sentences"]}


def orphan_count(kb: KnowledgeBase) -> int:
    s = kb.store
    n = sum(s.query(f"select count(*) n from {t} where doc_id not in (select doc_id from documents)")[0]["n"]
            for t in CHILD_TABLES)
    n += s.query("select count(*) n from sentences where section_id is not null "
                 "and section_id not in (select section_id from sections)")[0]["n"]
    return n


def test_ingest_a_file(kb, sample_review_file):
    report = kb.ingest([sample_review_file])
    assert report.added == ["review"] and report.errors == []
    doc = kb.document("review")
    assert doc["source"] == "review.txt"
    assert [(s["number"], s["title"]) for s in doc["sections"]] == [("一", "难治性抑郁症的定义"), ("二", "治疗进展")]
    assert [s["text"] for s in doc["sentences"]] == [
        "难治性抑郁症是指经过两种或两种以上抗抑郁药物足量、足疗程治疗后仍未获得满意疗效的抑郁障碍［1］。",
        "约有三成的抑郁症患者对多种抗抑郁治疗无效［2-3］。",
        "氯胺酮可以迅速减轻难治性抑郁症患者的症状［4］。",
        "深部脑刺激对部分患者也有一定疗效，但证据仍然有限。",
    ]
    assert [s["section"] for s in doc["sentences"]] == ["难治性抑郁症的定义"] * 2 + ["治疗进展"] * 2
    assert kb.stats()["documents"] == 1 and kb.stats()["sentences"] == 4


def test_reingest_unchanged_file_changes_nothing(kb, sample_review_file):
    kb.ingest([sample_review_file])
    before = snapshot(kb, "review")
    report = kb.ingest([sample_review_file])
    assert report.unchanged == ["review"]
    assert report.added == [] and report.updated == [] and report.errors == []
    assert snapshot(kb, "review") == before


def test_force_reprocesses_an_unchanged_file(kb, sample_review_file):
    kb.ingest([sample_review_file])
    report = kb.ingest([sample_review_file], force=True)
    assert report.updated == ["review"] and report.unchanged == []
    assert kb.stats()["sentences"] == 4


def test_changed_file_replaces_the_document(kb, sample_review_file, sample_review_text):
    kb.ingest([sample_review_file])
    old_texts = [s["text"] for s in kb.sentences("review")]
    sample_review_file.write_text("一、定义\n难治性抑郁症至今没有统一的定义［9］。\n", encoding="utf-8")
    report = kb.ingest([sample_review_file])
    assert report.updated == ["review"] and report.added == [] and report.errors == []
    new_texts = [s["text"] for s in kb.sentences("review")]
    assert new_texts == ["难治性抑郁症至今没有统一的定义［9］。"]
    assert not set(old_texts) & set(new_texts)
    assert [s["title"] for s in kb.document("review")["sections"]] == ["定义"]
    assert kb.stats()["documents"] == 1 and kb.stats()["sentences"] == 1 and kb.stats()["sections"] == 1
    assert orphan_count(kb) == 0


def test_remove_deletes_the_document_and_its_rows(kb, sample_review_file, tmp_path):
    other = tmp_path / "src" / "other.txt"
    other.write_text("一、背景\n深部脑刺激对难治性抑郁症存在潜在疗效［5］。\n", encoding="utf-8")
    kb.ingest([sample_review_file, other])
    kb.remove("review")
    assert [d["doc_id"] for d in kb.documents()] == ["other"]
    for table in ["documents", *CHILD_TABLES]:
        assert kb.store.query(f"select count(*) n from {table} where doc_id = ?", ["review"])[0]["n"] == 0
    assert list(kb.sentences("review")) == []
    assert len(list(kb.sentences("other"))) == 1
    with pytest.raises(StoreError) as info:
        kb.document("review")
    assert "review" in str(info.value)
    with pytest.raises(StoreError):
        kb.remove("review")
    # and it can come back
    assert kb.ingest([sample_review_file]).added == ["review"]


def test_bad_files_each_get_one_error_line_and_the_good_one_is_stored(kb, sample_review_file, tmp_path):
    missing = tmp_path / "src" / "missing.txt"
    empty = tmp_path / "src" / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "src" / "blob.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    report = kb.ingest([sample_review_file, missing, empty, binary])
    assert report.added == ["review"]
    assert len(report.errors) == 3
    for bad, reason in [(missing, "no such file"), (empty, "empty"), (binary, "binary")]:
        lines = [e for e in report.errors if str(bad) in e]
        assert len(lines) == 1, f"expected one error line naming {bad}: {report.errors}"
        assert reason in lines[0] and "\n" not in lines[0]
    assert [d["doc_id"] for d in kb.documents()] == ["review"]


def test_bad_pdfs_are_reported_not_raised(kb, sample_review_file, make_image_pdf, tmp_path):
    corrupt = tmp_path / "src" / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\ngarbage\n%%EOF")
    scan = make_image_pdf("src/scan.pdf")
    report = kb.ingest([sample_review_file, corrupt, scan])
    assert report.added == ["review"]
    assert len(report.errors) == 2
    assert any("corrupt.pdf" in e for e in report.errors)
    assert any("scan.pdf" in e and "no text layer" in e for e in report.errors)


def test_ingest_a_pdf(kb, make_pdf):
    pdf = make_pdf(["一、背景", "氯胺酮可以迅速减轻抑郁症患者的症状［1］。", "深部脑刺激也有一定疗效。"], name="src/ketamine.pdf")
    report = kb.ingest([pdf])
    assert report.added == ["ketamine"] and report.errors == []
    doc = kb.document("ketamine")
    assert doc["fmt"] == "pdf"
    assert [s["text"] for s in doc["sentences"]] == ["氯胺酮可以迅速减轻抑郁症患者的症状［1］。", "深部脑刺激也有一定疗效。"]


def test_failure_during_save_keeps_the_previous_version(kb, sample_review_file, monkeypatch):
    kb.ingest([sample_review_file])
    before = snapshot(kb, "review")

    def failing_rows(doc):
        yield from ()
        raise sqlite3.IntegrityError("simulated failure while writing sentences")

    sample_review_file.write_text("一、定义\n难治性抑郁症至今没有统一的定义［9］。\n", encoding="utf-8")
    monkeypatch.setattr(Store, "_sentence_rows", staticmethod(failing_rows))
    report = kb.ingest([sample_review_file])
    assert report.updated == [] and report.added == []
    assert len(report.errors) == 1 and "review" in report.errors[0]
    monkeypatch.undo()
    assert snapshot(kb, "review") == before
    # the failed version was not recorded as ingested: the next run picks the change up
    report = kb.ingest([sample_review_file])
    assert report.updated == ["review"]
    assert [s["text"] for s in kb.sentences("review")] == ["难治性抑郁症至今没有统一的定义［9］。"]


def test_manifest_gives_doc_id_and_verified_title(kb, tmp_path, sample_review_text):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "raw-file-01.txt").write_text(sample_review_text, encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"documents": [
        {"file": "raw-file-01.txt", "doc_id": "trd-review", "title": "难治性抑郁症综述", "year": 2020, "topic": "TRD"}
    ]}, ensure_ascii=False), encoding="utf-8")
    (folder / "README.md").write_text("not a review", encoding="utf-8")
    report = kb.ingest([folder])
    assert report.added == ["trd-review"] and report.errors == []
    doc = kb.document("trd-review")
    assert doc["title"] == "难治性抑郁症综述" and doc["title_derived"] == 0
    assert doc["year"] == 2020
    assert doc["provenance"]["title"] == "manifest"
    assert doc["extra"]["topic"] == "TRD"
    assert kb.ingest([folder]).unchanged == ["trd-review"]


def test_documents_lists_outline(kb, sample_review_file):
    kb.ingest([sample_review_file])
    (doc,) = kb.documents()
    assert doc["sections"] == [{"level": 1, "number": "一", "title": "难治性抑郁症的定义"},
                               {"level": 1, "number": "二", "title": "治疗进展"}]
    assert doc["title_derived"] == 1 and doc["title"]


def test_empty_kb(kb):
    assert kb.documents() == []
    assert list(kb.sentences()) == []
    assert kb.stats()["documents"] == 0


def test_same_file_name_in_two_folders(kb, tmp_path):
    for sub, sentence in [("a", "氯胺酮可以迅速减轻抑郁症患者的症状。"), ("b", "深部脑刺激对难治性抑郁症存在潜在疗效。")]:
        (tmp_path / "corpus" / sub).mkdir(parents=True)
        (tmp_path / "corpus" / sub / "review.txt").write_text(f"一、背景\n{sentence}\n", encoding="utf-8")
    report = kb.ingest([tmp_path / "corpus"])
    kept = len(kb.documents())
    assert kept == 2 or any("review" in e for e in report.errors)
