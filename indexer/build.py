"""build_index / update_index: SQLite KB -> whoosh index in <home>/index.

In: the store (sentence records with stored jieba tokens, concepts, types,
mention offsets).  Out: the index plus ``terms.json`` — the index's Chinese
vocabulary and every concept name — which lets a query be segmented and its
concepts recognised without loading jieba (search starts fast).
A rebuild writes into a fresh folder and swaps it in at the end.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterable

from whoosh import index as windex

from kb.errors import IndexError_

from .analysis import SEP, _CJK
from .paths import TERMS_FILE, TOPICS_FILE, index_exists
from .schema import make_schema
from .tiers import TierPlan, extend_plan, plan_tiers

def _concept_names(store) -> dict[str, list[str]]:
    return {r["concept_id"]: r["zh"] + r["en"] + r["abbr"]
            for r in store.query("select concept_id, zh, en, abbr from concepts")}


def _primary_names(store) -> dict[str, list[str]]:
    """Concept id -> its main English name and its abbreviations (what the names field indexes)."""
    return {r["concept_id"]: r["en"][:1] + r["abbr"] for r in store.query("select concept_id, en, abbr from concepts")}


def concept_ancestors(store) -> dict[str, list[str]]:
    """Concept id -> all its broader concepts, transitively (from the lexicon's thesaurus links)."""
    from kb.lexicon import ancestors

    broader = {r["concept_id"]: r["broader"] or [] for r in store.query("select concept_id, broader from concepts")}
    return {cid: ancestors(broader, cid) for cid in broader}


def _documents(store, names: dict[str, list[str]], doc_ids: Iterable[str] | None, tiers: TierPlan) -> Iterable[dict]:
    """whoosh documents for the sentences of the given documents (all when None), streamed."""
    from kb.export import sentence_records, sentence_records_for

    titles = {r["doc_id"]: r["title"] for r in store.query("select doc_id, title from documents")}
    up = concept_ancestors(store)
    words = {cid: _name_words(n) for cid, n in _primary_names(store).items()}
    # one document (or chunk of sentences) at a time: memory stays flat however large the KB
    if doc_ids is None and tiers.order:
        records = sentence_records_for(store, tiers.order)
    else:
        records = (r for d in (sorted(titles) if doc_ids is None else doc_ids) for r in sentence_records(store, d))
    for rec in records:
        doc_id = rec["doc_id"]
        cids = [c["id"] for c in rec["concepts"]]
        payload = {k: rec[k] for k in ("text", "section", "section_number", "types", "concepts", "refs", "lang")}
        payload["doc_title"] = titles.get(doc_id, "")
        payload["mentions"] = [[m["concept_id"], m["start"], m["end"]] for m in rec["mentions"]]
        yield dict(sentence_id=rec["sentence_id"], doc_id=doc_id, ord=rec["ord"],
                   text=SEP.join(rec["tokens"].split(" ")) + SEP if rec["tokens"] else rec["text"],
                   names=SEP.join(sorted({w for c in cids for w in words.get(c, ())})) + SEP,
                   section=rec["section"] or "", concepts=",".join(m["concept_id"] for m in rec["mentions"]),
                   ancestors=",".join(sorted({a for c in cids for a in up.get(c, [])})),
                   types=",".join(rec["types"]), tier=",".join(tiers.keys.get(rec["sentence_id"], ())),
                   lang=rec["lang"], payload=payload)


def _main_concepts(store, top: int = 12, min_mentions: int = 3) -> dict[str, str]:
    """Document id -> the concepts it is about (its most mentioned ones), comma-joined."""
    rows = store.query("""select doc_id, concept_id, count(*) n from mentions group by doc_id, concept_id
                          having n >= ? order by doc_id, n desc, concept_id""", [min_mentions])
    out: dict[str, list[str]] = {}
    for r in rows:
        if len(out.setdefault(r["doc_id"], [])) < top:
            out[r["doc_id"]].append(r["concept_id"])
    return {d: ",".join(c) for d, c in out.items()}


def _name_words(names: list[str]) -> tuple[str, ...]:
    """The words of a concept's main English name and its abbreviations: what an English query word
    can match in a sentence that names the concept in Chinese (every name, in every language, also
    reaches it through the concept id, which queries resolve with terms.json)."""
    out: set[str] = set()
    for name in names:
        if not _CJK.search(name):
            out.update(name.replace("-", " ").replace("/", " ").split())
    return tuple(sorted(out))


SCORED_FIELDS = ("text", "names", "section", "concepts", "ancestors")


def _average_lengths(ix) -> dict[str, float]:
    """Average length of each scored field, summed from the lengths whoosh stores per sentence (one
    byte each, approximate above 10 tokens). whoosh's own running totals are exact for new writes
    but recomputed from those bytes when segments merge, so a rebuilt and an updated index would
    score differently; ranking with these averages makes them score the same."""
    with ix.searcher() as s:
        reader, n = s.reader(), max(s.doc_count(), 1)
        docs = list(reader.all_doc_ids())
        return {f: sum(reader.doc_field_length(d, f, 0) or 0 for d in docs) / n for f in SCORED_FIELDS}


def _write_terms(ix, index_dir: Path, names: dict[str, list[str]], store, tiers: TierPlan) -> None:
    """Save the Chinese vocabulary of the text field, the concept names and their broader
    concepts beside the index (what queries and highlighting need, without SQLite or jieba)."""
    with ix.searcher() as s:
        vocab = sorted(t.decode("utf-8") if isinstance(t, bytes) else t for t in s.lexicon("text"))
    vocab = [t for t in vocab if _CJK.search(t)]
    up = concept_ancestors(store)
    data = {"vocab": vocab, "concepts": names, "ancestors": {c: a for c, a in up.items() if a},
            "avg_lengths": _average_lengths(ix), "tiers": tiers.floors, "tier_averages": list(tiers.averages)}
    # what each document is about, a line per document (grows with the corpus, so not in the JSON);
    # written first: a searcher reloads both when terms.json changes
    lines = (f"{d}\t{t}\n" for d, t in sorted(_main_concepts(store).items()))
    (index_dir / TOPICS_FILE).write_text("".join(lines), encoding="utf-8")
    (index_dir / TERMS_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def index_documents(store, names: dict[str, list[str]]) -> tuple[TierPlan, Iterable[dict]]:
    """Every sentence as the whoosh document a rebuild writes (field name -> value), streamed,
    with the champion tiers planned first (bench/ indexes the same documents with plain whoosh)."""
    doc_ids = [r["doc_id"] for r in store.query("select doc_id from documents order by doc_id")]
    tiers = plan_tiers(store, concept_ancestors(store), doc_ids)
    return tiers, _documents(store, names, None, tiers)


def build_index(store, index_dir: Path) -> int:
    """Build the index from the KB alone into a fresh folder, then swap it in; returns sentences indexed."""
    index_dir = Path(index_dir)
    tmp = index_dir.with_name(index_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    names = _concept_names(store)
    tiers, documents = index_documents(store, names)
    ix = windex.create_in(str(tmp), make_schema())
    writer = ix.writer(limitmb=256, compound=False)  # separate files open with mmap: fast cold starts
    n = 0
    for doc in documents:
        writer.add_document(**doc)
        n += 1
    writer.commit()
    _write_terms(ix, tmp, names, store, tiers)
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if index_dir.exists():
        index_dir.rename(old)
    tmp.rename(index_dir)
    shutil.rmtree(old, ignore_errors=True)
    return n


def _docs_with_renamed_concepts(store, index_dir: Path, names: dict[str, list[str]]) -> set[str]:
    """Documents that mention a concept whose names changed since the index was written
    (a new document's term pair extended it): their sentences index those names."""
    try:
        old = json.loads((index_dir / TERMS_FILE).read_text(encoding="utf-8"))["concepts"]
    except (OSError, ValueError, KeyError):
        return set()
    renamed = [cid for cid, n in names.items() if cid in old and old[cid] != n]
    if not renamed:
        return set()
    marks = ",".join("?" * len(renamed))
    return {r["doc_id"] for r in store.query(f"select distinct doc_id from mentions where concept_id in ({marks})", renamed)}


def update_index(store, index_dir: Path, changed: list[str], removed: list[str]) -> None:
    """Replace the sentences of changed documents and drop removed ones (merged so scores equal a rebuild)."""
    index_dir = Path(index_dir)
    if not index_exists(index_dir):
        raise IndexError_(f"{index_dir}: no search index to update; run `kb index --rebuild`")
    names = _concept_names(store)
    changed = sorted(set(changed) | _docs_with_renamed_concepts(store, index_dir, names))
    ix = windex.open_dir(str(index_dir))
    if set(ix.schema.names()) != set(make_schema().names()):  # written by an older kb: fields differ
        build_index(store, index_dir)
        return
    writer = ix.writer(limitmb=256, compound=False)  # separate files open with mmap: fast cold starts
    deleted = 0
    for doc_id in sorted(set(changed) | set(removed)):
        deleted += writer.delete_by_term("doc_id", doc_id) or 0
    floors, averages = _stored_tiers(index_dir)
    tiers = extend_plan(store, concept_ancestors(store), changed, floors, averages)
    for doc in _documents(store, names, changed, tiers):
        writer.add_document(**doc)
    # Deleted sentences still count in a segment's statistics until it is rewritten: merge then, so
    # scores match a rebuild (up to whoosh's one-byte storage of each sentence's length).
    writer.commit(optimize=bool(deleted))
    _write_terms(ix, index_dir, names, store, tiers)


def _stored_tiers(index_dir: Path) -> tuple[dict[str, float], tuple[float, float]]:
    """The tier floors and averages recorded with the index (none for an index without tiers)."""
    try:
        data = json.loads((index_dir / TERMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    return data.get("tiers", {}), tuple(data.get("tier_averages", (1.0, 1.0)))
