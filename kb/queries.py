"""Read-side questions about the KB: facts, concepts, co-occurrence, glossary.

In: the store.  Out: plain dicts and lists for the CLI, the site and tests.
Concept names are resolved in any language or abbreviation, Traditional
Chinese included (OpenCC).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .errors import QueryError
from .export import sentence_records
from .lexicon import name_key
from .chinese import to_simplified
from .store import Store


def concept_index(store: Store) -> dict[str, dict]:
    """name_key of every name of every stored concept -> concept row."""
    index = {}
    for row in store.query("select * from concepts"):
        for name in row["zh"] + row["en"] + row["abbr"] + [row["concept_id"]]:
            index.setdefault(name_key(name), row)
    return index


def resolve_concept(store: Store, name: str) -> dict:
    """The stored concept called ``name`` in any language; QueryError if none."""
    index = concept_index(store)
    row = index.get(name_key(name)) or index.get(name_key(to_simplified(name)))
    if not row:
        raise QueryError(f"'{name}': no concept of that name (try `kb concepts`)")
    return row


def find_facts(store: Store, type_: str | None = None, concept: str | None = None, doc: str | None = None) -> list[dict]:
    """Sentence records that state a fact, filtered by type, concept and document."""
    if doc:
        store.document(doc)
    cid = resolve_concept(store, concept)["concept_id"] if concept else None
    out = []
    for rec in sentence_records(store, doc):
        if not rec["types"] or (type_ and type_ not in rec["types"]):
            continue
        if cid and cid not in {c["id"] for c in rec["concepts"]}:
            continue
        out.append(rec)
    return out


def list_concepts(store: Store, category: str | None = None) -> list[dict]:
    """Concepts with their mention and document counts (only those the KB mentions, plus all of a category)."""
    counts = {r["concept_id"]: r for r in store.query(
        "select concept_id, count(*) mentions, count(distinct doc_id) docs from mentions group by concept_id")}
    rows = store.query("select * from concepts" + (" where category = ?" if category else ""), [category] if category else [])
    out = []
    for r in rows:
        c = counts.get(r["concept_id"])
        if c or category:
            out.append({"id": r["concept_id"], "category": r["category"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                        "zh": r["zh"], "en": r["en"], "abbr": r["abbr"], "source": r["source"],
                        "mentions": c["mentions"] if c else 0, "documents": c["docs"] if c else 0})
    return sorted(out, key=lambda r: (-r["mentions"], r["id"]))


def concept_report(store: Store, name: str) -> dict:
    """One concept: its names, its facts grouped by type and document, and co-occurring concepts."""
    row = resolve_concept(store, name)
    cid = row["concept_id"]
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    co: Counter = Counter()
    for rec in find_facts(store, concept=cid):
        for t in rec["types"]:
            grouped[t][rec["doc_id"]].append(rec)
        co.update({c["id"] for c in rec["concepts"]} - {cid})
    names = {r["concept_id"]: r for r in store.query("select concept_id, name_zh, name_en, category from concepts")}
    return {"concept": {k: row[k] for k in ("concept_id", "category", "name_zh", "name_en", "zh", "en", "abbr", "source")},
            "facts": {t: dict(docs) for t, docs in sorted(grouped.items())},
            "cooccurs": [{**names[c], "count": n} for c, n in co.most_common(20) if c in names]}


def glossary(store: Store) -> list[dict]:
    """Mined bilingual pairs merged across documents, with counts and the documents they came from."""
    merged: dict[tuple, dict] = {}
    for p in store.term_pairs():
        key = (p["zh"], p["en"], p["abbr"])
        entry = merged.setdefault(key, {"zh": p["zh"], "en": p["en"], "abbr": p["abbr"], "count": 0, "docs": [],
                                        "concept_id": p["concept_id"], "status": p["status"]})
        entry["count"] += p["count"]
        entry["docs"].append(p["doc_id"])
    return sorted(merged.values(), key=lambda e: (-e["count"], e["zh"]))
