"""gather_site: read the KB one document at a time and build every page's context as plain data.

MkDocs style: contexts are gathered here, nothing is rendered or written.
Each page gets its own context dict; templates only loop and branch over it.
Pages come out as a stream, each as soon as its context is complete: a
document's page right after its sentences are read, a fact page when it is
full, and the pages that span the corpus (home, concepts, definitions, ...)
at the end, from running tallies (kb/publish/tally.py).  So memory stays flat
however many documents the KB holds.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..export import sentence_records
from ..queries import glossary, list_concepts
from .charts import facts_chart
from .tally import TYPE_LABELS, TYPES, ConceptFacts, Definitions, Evidence, FactPages

EVIDENCE_KEYS = {"cues": [], "categories": [], "section": "", "rule": "", "against": [], "learned": [],
                 "confidence": 0.0}


@dataclass
class Page:
    """One page to render: where it goes, its template and its own context."""
    path: str
    template: str
    context: dict


@dataclass
class Site:
    """What the exporter needs: the documents (so site-wide facts are known first), and the pages."""
    store: object
    docs: list[dict]

    @property
    def n_docs(self) -> int:
        return len(self.docs)

    def pages(self, on_record: Callable[[dict, str], None] | None = None) -> Iterator[Page]:
        """In: optionally a callback fed every sentence record with its document's title (the browser
        search index).  Out: every page of the site, each as soon as its context is complete (one pass)."""
        return _pages(self.store, self.docs, on_record)


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


def gather_site(store) -> Site:
    """In: the store.  Out: a Site; iterate ``Site.pages()`` once to gather every page's context."""
    return Site(store, store.documents())


def _fact_totals(store) -> Counter:
    """Sentences per fact type (fixes the fact pages' pager before the facts stream by)."""
    return Counter({r["type"]: r["n"] for r in store.query(
        """select f.type, count(distinct f.sentence_id) n from facts f
           join sentences s on s.sentence_id = f.sentence_id join documents d on d.doc_id = s.doc_id group by f.type""")})


def _pages(store, docs: list[dict], on_record) -> Iterator[Page]:
    """Document pages and full fact pages while the documents stream by, then the corpus-wide pages."""
    concept_rows = list_concepts(store)
    linked = {c["id"] for c in concept_rows}
    totals = _fact_totals(store)
    facts = {t: FactPages(t, totals[t]) for t in TYPES}
    concepts, definitions, evidence = ConceptFacts(), Definitions(), Evidence()
    counts, chart_rows = Counter(), []  # facts per type and "_sentences"; per document for the chart
    for doc in docs:
        sents = _document_sentences(store, doc, linked, on_record)
        yield Page(f"doc/{doc['doc_id']}.html", "document.html", _document_page(doc, store.sections(doc["doc_id"]), sents))
        pages = [x["page"] for x in sents]
        for t in TYPES:
            yield from (Page(f"facts/{p['file']}", "facts.html", {"page": p, "show_evidence": True})
                        for p in facts[t].add(pages))
        concepts.add(pages)
        definitions.add(doc["doc_id"], pages)
        evidence.add(pages)
        doc_counts = Counter(t for p in pages for t in p["types"])
        counts.update(doc_counts)
        chart_rows.append((doc["doc_id"], doc["title"], doc_counts))
        counts["_sentences"] += len(pages)
    for page in (facts[t].finish() for t in TYPES):
        yield Page(f"facts/{page['file']}", "facts.html", {"page": page, "show_evidence": True})
    names = {c["id"]: c for c in concept_rows}
    for c in concept_rows:
        yield Page(f"concept/{c['id']}.html", "concept.html", {"c": concepts.page(c, names), "show_evidence": False})
    yield Page("definitions.html", "definitions.html",
               {"defs": definitions.context(concept_rows, docs), "show_evidence": False})
    yield Page("evidence.html", "evidence.html", {"ev": evidence.context()})
    yield from _summary_pages(store, docs, concept_rows, counts, chart_rows)


def _document_sentences(store, doc: dict, linked: set[str], on_record) -> list[dict]:
    """One document's sentences as page contexts (with what the document page needs to place them);
    each raw record goes to ``on_record`` and is then dropped."""
    titles = {doc["doc_id"]: doc["title"]}
    sents = []
    for rec in sentence_records(store, doc["doc_id"]):
        if on_record:
            on_record(rec, titles.get(rec["doc_id"], ""))
        sents.append({"start": rec["start"], "para": rec["para"], "lang": rec["lang"],
                      "page": _sentence(rec, linked, titles)})
    return sents


def _summary_pages(store, docs: list[dict], concept_rows: list[dict], counts: Counter,
                   chart_rows: list[tuple]) -> Iterator[Page]:
    """Home, about, concept index and glossary, from the tallies (``counts``: facts per type, "_sentences")."""
    gl = {"curated": [c for c in concept_rows if c["source"] == "lexicon"], "mined": glossary(store)}
    facts = [{"type": t, "label": TYPE_LABELS[t], "count": counts[t]} for t in TYPES]
    n = {"n_docs": len(docs), "n_sentences": counts["_sentences"], "n_concepts": len(concept_rows)}
    home = {**n, "facts": facts, "top_concepts": concept_rows[:24], "documents": docs,
            "chart": facts_chart(chart_rows, TYPES)}
    yield Page("index.html", "home.html", {"home": home, "chart": home["chart"]})
    yield Page("about.html", "about.html", {"about": {**n, "n_mined": len(gl["mined"]), "facts": facts}})
    index: dict[str, list[dict]] = {}
    for c in sorted(concept_rows, key=lambda c: (c["category"], c["name_en"].lower() or c["name_zh"])):
        index.setdefault(c["category"], []).append(c)
    yield Page("concepts.html", "concepts.html", {"index": dict(sorted(index.items()))})
    yield Page("glossary.html", "glossary.html", {"gl": gl, "linked": {c["id"] for c in concept_rows}})
