"""gather_site: read the KB once and build every page's context as plain data.

MkDocs style: everything is gathered first, nothing is written here.  Each
page gets its own context dict; templates only loop and branch over it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..export import sentence_records
from ..queries import glossary, list_concepts
from .charts import facts_chart

TYPES = ("definition", "mechanism", "treatment")
TYPE_LABELS = {"definition": "定义 Definitions", "mechanism": "机制 Mechanisms", "treatment": "治疗 Treatments"}
TREATMENT_CATEGORIES = ("drug", "drug_class", "therapy")
KEY_TERM_CATEGORIES = ("disorder", "staging_model", "outcome", "therapy")
FACTS_PER_PAGE = 400  # a fact-type page; more go to page 2, 3, ...
CONCEPT_FACTS = 60  # per type on a concept page; the rest are a search away
DEFINITION_DOCS = 8  # reviews shown side by side for one term (those defining it most)
EVIDENCE_ROWS = 500
EVIDENCE_KEYS = {"cues": [], "categories": [], "section": "", "rule": "", "against": [], "confidence": 0.0}


@dataclass
class SiteData:
    home: dict = field(default_factory=dict)
    documents: list[dict] = field(default_factory=list)
    fact_pages: list[dict] = field(default_factory=list)
    concepts: list[dict] = field(default_factory=list)
    concept_index: dict = field(default_factory=dict)
    definitions: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    glossary: dict = field(default_factory=dict)
    about: dict = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)  # every sentence, for the browser search index


def _segments(rec: dict, linked: set[str]) -> list[dict]:
    """A sentence cut into plain text and concept links (mentions of concepts that have a page)."""
    out, pos = [], 0
    for m in sorted(rec["mentions"], key=lambda m: m["start"]):
        if m["start"] < pos or m["concept_id"] not in linked:
            continue
        if m["start"] > pos:
            out.append({"text": rec["text"][pos : m["start"]], "concept": None})
        out.append({"text": rec["text"][m["start"] : m["end"]], "concept": m["concept_id"]})
        pos = m["end"]
    if pos < len(rec["text"]):
        out.append({"text": rec["text"][pos:], "concept": None})
    return out


def _sentence(rec: dict, linked: set[str], titles: dict[str, str]) -> dict:
    return {"id": rec["sentence_id"], "anchor": f"s{rec['ord']}", "doc_id": rec["doc_id"],
            "doc_title": titles.get(rec["doc_id"], rec["doc_id"]), "section": rec["section"] or "",
            "types": rec["types"], "text": rec["text"], "lang": rec["lang"], "segments": _segments(rec, linked),
            "evidence": [{**EVIDENCE_KEYS, "type": t, **rec["evidence"][t]} for t in rec["types"]],
            "quantities": rec["quantities"], "concepts": rec["concepts"], "refs": rec["refs"]}


def _document_page(doc: dict, sections: list[dict], sents: list[dict]) -> dict:
    """A document's metadata, outline and body as an ordered list of headings and paragraphs."""
    events = [(s["start"], 0, "heading", s) for s in sections] + [(x["start"], 1, "sentence", x) for x in sents]
    blocks: list[dict] = []
    para = None
    for _, _, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == "heading":
            blocks.append({"kind": "heading", "level": min(item["level"] + 1, 6), "number": item["number"],
                           "title": item["title"], "anchor": f"h{item['ord']}"})
            para = None
        else:
            if para is None or para["para"] != item["para"]:
                para = {"kind": "paragraph", "para": item["para"], "lang": item["lang"], "sentences": []}
                blocks.append(para)
            para["sentences"].append(item["page"])
    doc = {**doc, "topic": doc["extra"].get("topic", ""), "title_note": doc["provenance"].get("title", "")}
    toc = [{"level": s["level"], "number": s["number"], "title": s["title"], "anchor": f"h{s['ord']}"} for s in sections]
    return {"doc": doc, "toc": toc, "blocks": blocks,
            "counts": Counter(t for x in sents for t in x["page"]["types"])}


def gather_site(store) -> SiteData:
    """Everything the site shows, gathered from the store in one pass."""
    data = SiteData()
    docs = store.documents()
    titles = {d["doc_id"]: d["title"] for d in docs}
    concept_rows = list_concepts(store)
    linked = {c["id"] for c in concept_rows}
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for rec in sentence_records(store):
        page = _sentence(rec, linked, titles)
        by_doc[rec["doc_id"]].append({"start": rec["start"], "para": rec["para"], "lang": rec["lang"], "page": page})
        data.records.append({**rec, "doc_title": titles.get(rec["doc_id"], "")})
    for doc in docs:
        data.documents.append(_document_page(doc, store.sections(doc["doc_id"]), by_doc[doc["doc_id"]]))
    pages = [x["page"] for d in docs for x in by_doc[d["doc_id"]]]
    data.fact_pages = [p for t in TYPES for p in _fact_pages(t, pages)]
    data.concepts, data.concept_index = _concept_pages(concept_rows, pages)
    data.definitions = _definitions(pages, concept_rows, docs)
    data.evidence = _evidence(pages)
    data.glossary = {"curated": [c for c in concept_rows if c["source"] == "lexicon"],
                     "mined": glossary(store)}
    counts = Counter(t for p in pages for t in p["types"])
    data.home = {"n_docs": len(docs), "n_sentences": len(pages), "n_concepts": len(concept_rows),
                 "facts": [{"type": t, "label": TYPE_LABELS[t], "count": counts[t]} for t in TYPES],
                 "top_concepts": concept_rows[:24], "documents": docs,
                 "chart": facts_chart([(d["doc_id"], d["title"], Counter(t for x in by_doc[d["doc_id"]]
                                                                         for t in x["page"]["types"])) for d in docs], TYPES)}
    data.about = {"n_docs": len(docs), "n_sentences": len(pages), "n_concepts": len(concept_rows),
                  "n_mined": len(data.glossary["mined"]), "facts": data.home["facts"]}
    return data


def _fact_pages(type_: str, pages: list[dict]) -> list[dict]:
    """One type's facts grouped by review and section, split into pages of FACTS_PER_PAGE."""
    facts = [p for p in pages if type_ in p["types"]]
    chunks = [facts[i : i + FACTS_PER_PAGE] for i in range(0, len(facts), FACTS_PER_PAGE)] or [[]]
    names = [f"{type_}.html" if n == 0 else f"{type_}-{n + 1}.html" for n in range(len(chunks))]
    out = []
    for n, chunk in enumerate(chunks):
        groups: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for p in chunk:
            groups[p["doc_id"]][p["section"]].append(p)
        docs = [{"doc_id": d, "doc_title": secs[next(iter(secs))][0]["doc_title"],
                 "sections": [{"title": t, "sentences": xs} for t, xs in secs.items()]} for d, secs in groups.items()]
        out.append({"type": type_, "label": TYPE_LABELS[type_], "docs": docs, "count": len(facts), "file": names[n],
                    "pager": [{"n": k + 1, "file": f, "current": k == n} for k, f in enumerate(names)] if len(names) > 1 else []})
    return out


def _concept_pages(concept_rows: list[dict], pages: list[dict]) -> tuple[list[dict], dict]:
    facts: dict[str, dict[str, dict[str, list[dict]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    co: dict[str, Counter] = defaultdict(Counter)
    for p in pages:
        ids = {c["id"] for c in p["concepts"]}
        for cid in ids:
            co[cid].update(ids - {cid})
            for t in p["types"]:
                facts[cid][t][p["doc_id"]].append(p)
    names = {c["id"]: c for c in concept_rows}
    out = []
    for c in concept_rows:
        out.append({**c, "facts": [_capped(t, facts[c["id"]][t]) for t in TYPES if facts[c["id"]].get(t)],
                    "cooccurs": [{**names[o], "count": n} for o, n in co[c["id"]].most_common(15) if o in names]})
    index: dict[str, list[dict]] = defaultdict(list)
    for c in sorted(concept_rows, key=lambda c: (c["category"], c["name_en"].lower() or c["name_zh"])):
        index[c["category"]].append(c)
    return out, dict(sorted(index.items()))


def _capped(type_: str, by_doc: dict[str, list[dict]]) -> dict:
    """A concept's facts of one type by review, at most CONCEPT_FACTS of them, saying how many more."""
    docs, shown = [], 0
    for d, xs in by_doc.items():
        if shown >= CONCEPT_FACTS:
            break
        take = xs[: CONCEPT_FACTS - shown]
        docs.append({"doc_id": d, "sentences": take})
        shown += len(take)
    total = sum(len(xs) for xs in by_doc.values())
    return {"type": type_, "label": TYPE_LABELS[type_], "docs": docs, "more": total - shown}


def _definitions(pages: list[dict], concept_rows: list[dict], docs: list[dict]) -> dict:
    """Key terms x documents: how each review defines each term (definition facts that name it)."""
    cat = {c["id"]: c for c in concept_rows}
    table: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for p in pages:
        if "definition" not in p["types"]:
            continue
        for c in p["concepts"]:
            if c["category"] in KEY_TERM_CATEGORIES:
                table[c["id"]][p["doc_id"]].append(p)
    terms = sorted(table, key=lambda cid: (-len(table[cid]), -sum(len(v) for v in table[cid].values()), cid))
    titles = {d["doc_id"]: d["title"] for d in docs}
    out = []
    for cid in terms:
        chosen = sorted(table[cid], key=lambda d: (-len(table[cid][d]), d))[:DEFINITION_DOCS]
        chosen = [d["doc_id"] for d in docs if d["doc_id"] in chosen] if len(docs) <= DEFINITION_DOCS else chosen
        out.append({"concept": cat[cid], "more": len(table[cid]) - len(chosen),
                    "cells": [{"doc_id": d, "title": titles[d], "facts": table[cid].get(d, [])}
                              for d in (chosen if len(docs) > DEFINITION_DOCS else [x["doc_id"] for x in docs])]})
    return {"terms": out}


def _evidence(pages: list[dict]) -> dict:
    rows = []
    for p in pages:
        if "treatment" in p["types"] and p["quantities"]:
            rows.append({"sentence": p, "treatments": [c for c in p["concepts"] if c["category"] in TREATMENT_CATEGORIES],
                         "quantities": p["quantities"]})
    kinds = sorted({q["kind"] for r in rows for q in r["quantities"]})
    return {"rows": rows[:EVIDENCE_ROWS], "more": max(0, len(rows) - EVIDENCE_ROWS), "kinds": kinds}
