"""Sentence records for export and display: one dict per sentence, in reading order.

In: the store.  Out: dicts with the sentence, its section, types with their
evidence, concepts and quantities — the shape of ``kb export --format jsonl``.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Iterable, Iterator

from .store import Store

CSV_FIELDS = ["sentence_id", "doc_id", "section", "lang", "text", "refs", "types", "concepts", "quantities"]


def _grouped(store: Store, sql: str, params: list) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in store.query(sql, params):
        out[row["sentence_id"]].append(row)
    return out


def sentence_records(store: Store, doc_id: str | None = None) -> Iterator[dict]:
    """Yield every sentence (of one document, or all) with its annotations."""
    where, params = ("where s.doc_id = ?", [doc_id]) if doc_id else ("", [])
    yield from _records(store, where, params)


def sentence_records_for(store: Store, sentence_ids: list[str], chunk: int = 900) -> Iterator[dict]:
    """Yield the records of the given sentences in the order given (fetched a chunk at a time)."""
    for k in range(0, len(sentence_ids), chunk):
        ids = sentence_ids[k : k + chunk]
        where = f"where s.sentence_id in ({','.join('?' * len(ids))})"
        found = {r["sentence_id"]: r for r in _records(store, where, ids)}
        yield from (found[i] for i in ids if i in found)


def _records(store: Store, where: str, params: list) -> Iterator[dict]:
    """Sentence records for a WHERE clause over sentences ``s`` (reading order)."""
    cond = where.replace("s.", "")
    facts = _grouped(store, f"select sentence_id, type, confidence, evidence from facts {cond} order by id", params)
    mentions = _grouped(store, f"""select m.sentence_id, m.concept_id, m.start, m."end", m.surface, m.form, c.name_zh,
                                   c.name_en, c.category from mentions m join concepts c using (concept_id)
                                   {where.replace('s.', 'm.')} order by m.id""", params)
    quants = _grouped(store, f"select * from quantities {cond} order by id", params)
    rows = store.query(f"""select s.*, sec.title as section, sec.number as section_number from sentences s
                           left join sections sec on sec.section_id = s.section_id {where}
                           order by s.doc_id, s.ord""", params)
    for row in rows:
        yield _record(row, facts, mentions, quants)


def _record(row: dict, facts: dict, mentions: dict, quants: dict) -> dict:
    sid = row["sentence_id"]
    concepts, seen = [], set()
    for m in mentions.get(sid, []):
        if m["concept_id"] not in seen:
            seen.add(m["concept_id"])
            concepts.append({"id": m["concept_id"], "name_zh": m["name_zh"], "name_en": m["name_en"],
                             "category": m["category"]})
    return {
        "sentence_id": sid, "doc_id": row["doc_id"], "ord": row["ord"], "para": row["para"], "section": row["section"],
        "section_number": row["section_number"], "kind": row["kind"], "lang": row["lang"], "text": row["text"],
        "start": row["start"], "end": row["end"], "refs": row["refs"], "tokens": row["tokens"],
        "types": [f["type"] for f in facts.get(sid, [])],
        "evidence": {f["type"]: {**f["evidence"], "confidence": f["confidence"]} for f in facts.get(sid, [])},
        "concepts": concepts,
        "mentions": [{k: m[k] for k in ("concept_id", "start", "end", "surface", "form")} for m in mentions.get(sid, [])],
        "quantities": [{k: q[k] for k in ("kind", "text", "value", "low", "high", "unit", "start", "end")}
                       for q in quants.get(sid, [])],
    }


def to_jsonl(records: Iterable[dict]) -> Iterator[str]:
    for rec in records:
        yield json.dumps(rec, ensure_ascii=False)


def to_csv(records: Iterable[dict]) -> Iterator[str]:
    """CSV lines; list fields are joined with '; ' so the file opens in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_FIELDS)
    for rec in records:
        writer.writerow([
            rec["sentence_id"], rec["doc_id"], rec["section"] or "", rec["lang"], rec["text"],
            "; ".join(map(str, rec["refs"])), "; ".join(rec["types"]),
            "; ".join(c["id"] for c in rec["concepts"]), "; ".join(q["text"] for q in rec["quantities"])])
        yield buf.getvalue().rstrip("\r\n")
        buf.seek(0)
        buf.truncate()
