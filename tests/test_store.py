"""The SQLite store: one transaction per document, replace without orphans, clean errors."""
from __future__ import annotations

import sqlite3

import pytest

from kb.errors import StoreError
from kb.models import Document
from kb.pipeline import structure_text
from kb.store import CHILD_TABLES, Store

V1 = "\n".join([
    "一、背景",
    "难治性抑郁症是一种常见的精神障碍［1］。约三成患者对治疗无效［2-3］。",
    "二、治疗",
    "氯胺酮可以迅速减轻抑郁症患者的症状［4］。",
])
V2 = "\n".join([
    "一、背景",
    "难治性抑郁症是一种常见的精神障碍［1］。",
])
OTHER = "\n".join([
    "一、定义",
    "深部脑刺激对难治性抑郁症存在潜在疗效［5］。",
])


def make_doc(raw: str, doc_id: str = "review", content_hash: str = "h1") -> Document:
    doc = Document(doc_id=doc_id, source=f"{doc_id}.txt", raw_text=raw, content_hash=content_hash)
    return structure_text(doc)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "home" / "kb.db")
    yield s
    s.close()


def rows(store: Store, table: str, doc_id: str) -> list[dict]:
    return store.query(f"select * from {table} where doc_id = ? order by 1", [doc_id])


def orphans(store: Store) -> int:
    n = 0
    for table in CHILD_TABLES:
        n += store.query(f"select count(*) n from {table} where doc_id not in (select doc_id from documents)")[0]["n"]
    n += store.query("select count(*) n from sentences where section_id is not null "
                     "and section_id not in (select section_id from sections)")[0]["n"]
    return n


def test_save_and_read_back(store):
    doc = make_doc(V1)
    store.save_document(doc)
    row = store.document("review")
    assert row["title_derived"] == 1
    assert row["n_sentences"] == 3 == len(rows(store, "sentences", "review"))
    assert row["authors"] == [] and isinstance(row["provenance"], dict)
    assert [s["title"] for s in store.sections("review")] == ["背景", "治疗"]
    texts = [r["text"] for r in store.query("select text, refs from sentences where doc_id = ? order by ord", ["review"])]
    assert texts == [s.text for s in doc.sentences]
    refs = [r["refs"] for r in store.query("select refs from sentences where doc_id = ? order by ord", ["review"])]
    assert refs == [[1], [2, 3], [4]]
    assert store.content_hash("review") == "h1"
    assert store.content_hash("nosuch") is None


def test_saving_again_replaces_without_orphans(store):
    store.save_document(make_doc(V1))
    store.save_document(make_doc(OTHER, doc_id="other"))
    store.save_document(make_doc(V2, content_hash="h2"))
    assert [r["text"] for r in rows(store, "sentences", "review")] == ["难治性抑郁症是一种常见的精神障碍［1］。"]
    assert [s["title"] for s in store.sections("review")] == ["背景"]
    assert store.content_hash("review") == "h2"
    assert store.count("documents") == 2
    assert orphans(store) == 0
    assert len(rows(store, "sentences", "other")) == 1  # the other document is untouched


def test_remove_document_deletes_all_its_rows(store):
    store.save_document(make_doc(V1))
    store.save_document(make_doc(OTHER, doc_id="other"))
    store.remove_document("review")
    for table in ["documents", *CHILD_TABLES]:
        assert rows(store, table, "review") == []
    assert store.count("documents") == 1
    assert len(rows(store, "sentences", "other")) == 1
    assert orphans(store) == 0


def test_unknown_document_is_a_store_error(store):
    with pytest.raises(StoreError) as info:
        store.remove_document("nosuch")
    assert "nosuch" in str(info.value)
    with pytest.raises(StoreError) as info:
        store.document("nosuch")
    assert "nosuch" in str(info.value)


def test_failed_save_keeps_the_previous_version(store, monkeypatch):
    store.save_document(make_doc(V1))
    before = {t: rows(store, t, "review") for t in ["documents", "sections", "sentences"]}

    def failing_rows(doc):
        yield from ()
        raise sqlite3.IntegrityError("simulated failure while writing sentences")

    monkeypatch.setattr(Store, "_sentence_rows", staticmethod(failing_rows))
    with pytest.raises(StoreError) as info:
        store.save_document(make_doc(V2, content_hash="h2"))
    assert "review" in str(info.value)
    monkeypatch.undo()
    after = {t: rows(store, t, "review") for t in ["documents", "sections", "sentences"]}
    assert after == before
    assert store.content_hash("review") == "h1"
    assert orphans(store) == 0


def test_reopening_keeps_data(tmp_path):
    path = tmp_path / "kb.db"
    s = Store(path)
    s.save_document(make_doc(V1))
    s.close()
    s = Store(path)
    assert s.count("sentences") == 3
    s.close()


def test_not_a_database_is_a_store_error(tmp_path):
    path = tmp_path / "kb.db"
    path.write_bytes(b"this is not an SQLite file " * 100)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert str(path) in str(info.value)


def test_home_that_is_a_file_is_a_store_error(tmp_path):
    blocker = tmp_path / "home"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError) as info:
        Store(blocker / "kb.db")
    assert "kb.db" in str(info.value)
