"""The SQLite knowledge base (the only module that talks to sqlite-utils).

In: fully processed Documents.  Out: rows in kb.db, and plain dicts back for
listing, showing and exporting.  A document is written in one transaction:
its old rows go and its new rows come together, or nothing changes.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlite_utils

from .errors import StoreError
from .models import Concept, Document

SCHEMA_VERSION = 1
JSON_COLUMNS = {"broader", "related", "authors", "keywords_zh", "keywords_en", "captions", "provenance", "extra", "refs", "evidence",
                "zh", "en", "abbr", "tokens_json", "types", "concepts", "quantities"}

TABLES: dict[str, dict] = {
    "documents": dict(columns={"doc_id": str, "source": str, "path": str, "fmt": str, "encoding": str, "content_hash": str,
                               "title": str, "title_derived": int, "authors": str, "affiliation": str, "journal": str,
                               "journal_en": str, "year": int, "volume": str, "issue": str, "keywords_zh": str,
                               "keywords_en": str, "abstract_zh": str, "abstract_en": str, "captions": str,
                               "provenance": str, "extra": str, "text": str, "n_sentences": int, "ingested_at": str},
                      pk="doc_id", fks=[]),
    "sections": dict(columns={"section_id": str, "doc_id": str, "ord": int, "level": int, "number": str, "title": str,
                              "kind": str, "parent_id": str, "start": int, "end": int},
                     pk="section_id", fks=[("doc_id", "documents", "doc_id")]),
    "sentences": dict(columns={"sentence_id": str, "doc_id": str, "ord": int, "para": int, "section_id": str, "kind": str,
                               "lang": str, "start": int, "end": int, "text": str, "refs": str, "tokens": str},
                      pk="sentence_id", fks=[("doc_id", "documents", "doc_id"), ("section_id", "sections", "section_id")]),
    "concepts": dict(columns={"concept_id": str, "category": str, "name_zh": str, "name_en": str, "zh": str, "en": str,
                              "abbr": str, "source": str, "doc_id": str, "broader": str, "related": str},
                     pk="concept_id", fks=[]),
    "mentions": dict(columns={"id": int, "sentence_id": str, "doc_id": str, "concept_id": str, "start": int, "end": int,
                              "surface": str, "form": str},
                     pk="id", fks=[("sentence_id", "sentences", "sentence_id"), ("doc_id", "documents", "doc_id"),
                                   ("concept_id", "concepts", "concept_id")]),
    "facts": dict(columns={"id": int, "sentence_id": str, "doc_id": str, "type": str, "confidence": float, "evidence": str},
                  pk="id", fks=[("sentence_id", "sentences", "sentence_id"), ("doc_id", "documents", "doc_id")]),
    "quantities": dict(columns={"id": int, "sentence_id": str, "doc_id": str, "kind": str, "text": str, "start": int,
                                "end": int, "value": float, "low": float, "high": float, "unit": str},
                       pk="id", fks=[("sentence_id", "sentences", "sentence_id"), ("doc_id", "documents", "doc_id")]),
    "term_pairs": dict(columns={"id": int, "doc_id": str, "zh": str, "en": str, "abbr": str, "count": int,
                                "concept_id": str, "status": str},
                       pk="id", fks=[("doc_id", "documents", "doc_id")]),
}
INDEXES = [("sections", ["doc_id"]), ("sentences", ["doc_id", "ord"]), ("sentences", ["section_id"]),
           ("mentions", ["sentence_id"]), ("mentions", ["concept_id"]), ("mentions", ["doc_id"]),
           ("facts", ["sentence_id"]), ("facts", ["type"]), ("facts", ["doc_id"]), ("quantities", ["sentence_id"]),
           ("quantities", ["doc_id"]), ("term_pairs", ["doc_id"]), ("concepts", ["category"])]
CHILD_TABLES = ["mentions", "facts", "quantities", "term_pairs", "sentences", "sections"]


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def decode_row(row: dict) -> dict:
    """Turn JSON text columns back into Python values (term_pairs' zh/en/abbr are JSON strings too)."""
    return {k: (json.loads(v) if k in JSON_COLUMNS and isinstance(v, str) else v) for k, v in row.items()}


class Store:
    """A kb.db file: create the schema on open, write documents atomically, read rows back."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: safe against crashes, no fsync per commit
            self._create_schema()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the knowledge base ({exc})") from None

    def _create_schema(self) -> None:
        for name, spec in TABLES.items():
            table = self.db[name]
            if not table.exists():
                table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec["fks"] or None, not_null={spec["pk"]})
            else:  # a KB made by an older version: add the columns it lacks
                for col, kind in spec["columns"].items():
                    if col not in table.columns_dict:
                        table.add_column(col, kind)
        for table, cols in INDEXES:
            self.db[table].create_index(cols, if_not_exists=True)

    def close(self) -> None:
        self.db.close()

    # -- writing -------------------------------------------------------------
    def content_hash(self, doc_id: str) -> str | None:
        rows = list(self.db.query("select content_hash from documents where doc_id = ?", [doc_id]))
        return rows[0]["content_hash"] if rows else None

    def save_concepts(self, concepts: list[Concept]) -> None:
        """Upsert lexicon and mined concepts (the tables that mentions point to)."""
        rows = [{"concept_id": c.concept_id, "category": c.category, "name_zh": c.name_zh, "name_en": c.name_en,
                 "zh": _dumps(c.zh), "en": _dumps(c.en), "abbr": _dumps(c.abbr), "source": c.source, "doc_id": c.doc_id,
                 "broader": _dumps(c.broader), "related": _dumps(c.related)}
                for c in concepts]
        with self.db.atomic():
            self.db["concepts"].upsert_all(rows, pk="concept_id")

    def save_document(self, doc: Document) -> None:
        """Replace all rows of ``doc.doc_id`` with this document, in one transaction."""
        try:
            with self.db.atomic():
                self._delete_rows(doc.doc_id)
                self._insert("documents", [self._document_row(doc)])
                self._insert("sections", [{**asdict(s), "doc_id": doc.doc_id} for s in doc.sections])
                self._insert("sentences", self._sentence_rows(doc))
                self._insert("mentions", [
                    {"sentence_id": s.sentence_id, "doc_id": doc.doc_id, "concept_id": m.concept_id, "start": m.start,
                     "end": m.end, "surface": m.surface, "form": m.form} for s in doc.sentences for m in s.mentions])
                self._insert("facts", [
                    {"sentence_id": s.sentence_id, "doc_id": doc.doc_id, "type": f.type, "confidence": f.confidence,
                     "evidence": _dumps(f.evidence)} for s in doc.sentences for f in s.facts])
                self._insert("quantities", [
                    {**asdict(q), "sentence_id": s.sentence_id, "doc_id": doc.doc_id}
                    for s in doc.sentences for q in s.quantities])
                self._insert("term_pairs", [
                    {**asdict(p), "zh": _dumps(p.zh), "en": _dumps(p.en), "abbr": _dumps(p.abbr)} for p in doc.term_pairs])
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{doc.source}: cannot store document {doc.doc_id} ({exc})") from None

    def _insert(self, table: str, rows) -> None:
        """Bulk insert with one prepared statement (the columns come from the schema above)."""
        cols = [c for c in TABLES[table]["columns"] if not (c == "id" and TABLES[table]["pk"] == "id")]
        sql = f"insert into [{table}] ({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' * len(cols))})"
        self.db.conn.executemany(sql, ([row.get(c) for c in cols] for row in rows))

    def _document_row(self, doc: Document) -> dict:
        row = {k: getattr(doc, k) for k in TABLES["documents"]["columns"] if hasattr(doc, k)}
        for key in ("authors", "keywords_zh", "keywords_en", "captions", "provenance", "extra"):
            row[key] = _dumps(row[key])
        row["title_derived"] = int(doc.title_derived)
        row["n_sentences"] = len(doc.sentences)
        row["ingested_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return row

    @staticmethod
    def _sentence_rows(doc: Document) -> Iterator[dict]:
        for s in doc.sentences:
            yield {"sentence_id": s.sentence_id, "doc_id": doc.doc_id, "ord": s.ord, "para": s.para,
                   "section_id": s.section_id, "kind": s.kind, "lang": s.lang, "start": s.start, "end": s.end,
                   "text": s.text, "refs": _dumps(s.refs), "tokens": " ".join(s.tokens)}

    def _delete_rows(self, doc_id: str) -> None:
        for table in CHILD_TABLES:
            self.db.execute(f"delete from {table} where doc_id = ?", [doc_id])
        self.db.execute("delete from documents where doc_id = ?", [doc_id])

    def remove_document(self, doc_id: str) -> None:
        """Delete one document and everything derived from it."""
        if self.content_hash(doc_id) is None:
            raise StoreError(f"{doc_id}: no such document in {self.path}")
        with self.db.atomic():
            self._delete_rows(doc_id)

    # -- reading -------------------------------------------------------------
    def query(self, sql: str, params: list | tuple = ()) -> list[dict]:
        return [decode_row(r) for r in self.db.query(sql, list(params))]

    def documents(self) -> list[dict]:
        return self.query("select * from documents order by doc_id")

    def document(self, doc_id: str) -> dict:
        rows = self.query("select * from documents where doc_id = ?", [doc_id])
        if not rows:
            raise StoreError(f"{doc_id}: no such document in {self.path}")
        return rows[0]

    def sections(self, doc_id: str) -> list[dict]:
        return self.query("select * from sections where doc_id = ? order by ord", [doc_id])

    def count(self, table: str) -> int:
        return self.db[table].count

    def load_document(self, doc_id: str) -> Document:
        """Rebuild a structured Document (sections, sentences) from its rows, for re-annotation."""
        from .models import Section, Sentence

        row = self.document(doc_id)
        doc = Document(**{k: row[k] for k in ("doc_id", "source", "path", "fmt", "encoding", "content_hash", "title",
                                              "authors", "affiliation", "journal", "journal_en", "year", "volume",
                                              "issue", "keywords_zh", "keywords_en", "abstract_zh", "abstract_en",
                                              "captions", "provenance", "extra", "text")})
        doc.title_derived = bool(row["title_derived"])
        doc.sections = [Section(**{k: s[k] for k in ("section_id", "ord", "level", "number", "title", "kind",
                                                     "parent_id", "start", "end")}) for s in self.sections(doc_id)]
        doc.sentences = [Sentence(sentence_id=s["sentence_id"], ord=s["ord"], text=s["text"], start=s["start"],
                                  end=s["end"], lang=s["lang"], para=s["para"], section_id=s["section_id"],
                                  kind=s["kind"], refs=s["refs"])
                         for s in self.query("select * from sentences where doc_id = ? order by ord", [doc_id])]
        return doc

    def concepts(self, source: str | None = None) -> list[Concept]:
        rows = self.query("select * from concepts" + (" where source = ?" if source else ""), [source] if source else [])
        return [Concept(concept_id=r["concept_id"], category=r["category"], zh=r["zh"], en=r["en"], abbr=r["abbr"],
                        source=r["source"], doc_id=r["doc_id"], broader=r["broader"] or [], related=r["related"] or [])
                for r in rows]

    def term_pairs(self, status: str | None = None) -> list[dict]:
        sql = "select * from term_pairs" + (" where status = ?" if status else "") + " order by zh, en, abbr"
        return self.query(sql, [status] if status else [])

    def drop_orphan_mined_concepts(self) -> None:
        """Mined concepts no document names any more go away."""
        with self.db.atomic():
            self.db.execute("""delete from concepts where source = 'mined' and concept_id not in
                               (select concept_id from mentions) and concept_id not in
                               (select concept_id from term_pairs where concept_id is not null)""")
