"""Running tallies for the site pages that span documents, fed one document at a time.

gather_site streams the sentences document by document; these classes keep
only what their pages show (a bounded slice of sentence contexts) plus counts,
so memory stays flat as the corpus grows:

    FactPages     facts of one type, FACTS_PER_PAGE at a time (a full page is handed back at once)
    ConceptFacts  per concept: the first CONCEPT_FACTS facts of each type, totals, co-occurring concepts
    Definitions   per key term: the DEFINITION_DOCS reviews defining it most, and counts
    Evidence      the first EVIDENCE_ROWS treatment facts with numbers, the count, the quantity kinds

Every page context they build is the same plain data a one-pass gather would build.
"""
from __future__ import annotations

from collections import Counter, defaultdict

TYPES = ("definition", "mechanism", "treatment")
TYPE_LABELS = {"definition": "定义 Definitions", "mechanism": "机制 Mechanisms", "treatment": "治疗 Treatments"}
TREATMENT_CATEGORIES = ("drug", "drug_class", "therapy")
KEY_TERM_CATEGORIES = ("disorder", "staging_model", "outcome", "therapy")
FACTS_PER_PAGE = 400  # a fact-type page; more go to page 2, 3, ...
CONCEPT_FACTS = 60  # per type on a concept page; the rest are a search away
DEFINITION_DOCS = 8  # reviews shown side by side for one term (those defining it most)
EVIDENCE_ROWS = 500


class FactPages:
    """One type's fact pages, grouped by review and section; ``total`` (known up front) fixes the pager."""

    def __init__(self, type_: str, total: int):
        self.type, self.total, self.seen, self.chunk, self.n = type_, total, 0, [], 0
        n_pages = -(-total // FACTS_PER_PAGE) or 1
        self.names = [f"{type_}.html" if n == 0 else f"{type_}-{n + 1}.html" for n in range(n_pages)]

    def add(self, pages: list[dict]) -> list[dict]:
        """In: sentence contexts in site order.  Out: the page contexts this completed (usually none)."""
        out = []
        for p in pages:
            if self.type in p["types"]:
                self.chunk.append(p)
                self.seen += 1
                if len(self.chunk) == FACTS_PER_PAGE and self.seen < self.total:
                    out.append(self._page())
        return out

    def finish(self) -> dict:
        """The last page (also the only, empty page of a type without facts)."""
        if self.seen != self.total:
            from ..errors import SiteError

            raise SiteError(f"{self.type} facts changed while the site was exported; export again")
        return self._page()

    def _page(self) -> dict:
        groups: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for p in self.chunk:
            groups[p["doc_id"]][p["section"]].append(p)
        docs = [{"doc_id": d, "doc_title": secs[next(iter(secs))][0]["doc_title"],
                 "sections": [{"title": t, "sentences": xs} for t, xs in secs.items()]} for d, secs in groups.items()]
        n, names = self.n, self.names
        self.chunk, self.n = [], self.n + 1
        return {"type": self.type, "label": TYPE_LABELS[self.type], "docs": docs, "count": self.total,
                "file": names[n],
                "pager": [{"n": k + 1, "file": f, "current": k == n} for k, f in enumerate(names)] if len(names) > 1 else []}


class ConceptFacts:
    """Per concept: facts by type (the first CONCEPT_FACTS kept, all counted) and co-occurrence counts."""

    def __init__(self):
        self.kept: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        self.total: dict[str, Counter] = defaultdict(Counter)
        self.co: dict[str, Counter] = defaultdict(Counter)

    def add(self, pages: list[dict]) -> None:
        """In: sentence contexts in site order.  Out: nothing; the tallies grow."""
        for p in pages:
            ids = {c["id"] for c in p["concepts"]}
            for cid in ids:
                self.co[cid].update(sorted(ids - {cid}))  # sorted: ties rank the same whatever the hash seed
                for t in p["types"]:
                    self.total[cid][t] += 1
                    if len(self.kept[cid][t]) < CONCEPT_FACTS:
                        self.kept[cid][t].append(p)

    def page(self, c: dict, names: dict[str, dict]) -> dict:
        """In: a concept row and all rows by id.  Out: its page context (facts by type and review, co-occurring)."""
        return {**c, "facts": [self._capped(c["id"], t) for t in TYPES if self.total[c["id"]][t]],
                "cooccurs": [{**names[o], "count": n} for o, n in self.co[c["id"]].most_common(15) if o in names]}

    def _capped(self, cid: str, type_: str) -> dict:
        docs: list[dict] = []
        for p in self.kept[cid][type_]:
            if not docs or docs[-1]["doc_id"] != p["doc_id"]:
                docs.append({"doc_id": p["doc_id"], "sentences": []})
            docs[-1]["sentences"].append(p)
        shown = len(self.kept[cid][type_])
        return {"type": type_, "label": TYPE_LABELS[type_], "docs": docs, "more": self.total[cid][type_] - shown}


class Definitions:
    """Key terms x documents: how each review defines each term (definition facts that name it)."""

    def __init__(self):
        self.top: dict[str, list[tuple[str, list[dict]]]] = defaultdict(list)  # best DEFINITION_DOCS (doc, facts)
        self.n_docs: Counter = Counter()
        self.n_facts: Counter = Counter()

    def add(self, doc_id: str, pages: list[dict]) -> None:
        """In: one document's sentence contexts.  Out: nothing; each term keeps its best reviews."""
        table: dict[str, list[dict]] = defaultdict(list)
        for p in pages:
            if "definition" in p["types"]:
                for c in p["concepts"]:
                    if c["category"] in KEY_TERM_CATEGORIES:
                        table[c["id"]].append(p)
        for cid, facts in table.items():
            self.n_docs[cid] += 1
            self.n_facts[cid] += len(facts)
            top = self.top[cid]
            top.append((doc_id, facts))
            top.sort(key=lambda e: (-len(e[1]), e[0]))
            del top[DEFINITION_DOCS:]

    def context(self, concept_rows: list[dict], docs: list[dict]) -> dict:
        """In: concept rows and documents.  Out: the definitions page context."""
        cat = {c["id"]: c for c in concept_rows}
        titles = {d["doc_id"]: d["title"] for d in docs}
        few = len(docs) <= DEFINITION_DOCS
        out = []
        for cid in sorted(self.top, key=lambda cid: (-self.n_docs[cid], -self.n_facts[cid], cid)):
            facts = dict(self.top[cid])
            chosen = [d["doc_id"] for d in docs if d["doc_id"] in facts] if few else list(facts)
            out.append({"concept": cat[cid], "more": self.n_docs[cid] - len(chosen),
                        "cells": [{"doc_id": d, "title": titles[d], "facts": facts.get(d, [])}
                                  for d in ([x["doc_id"] for x in docs] if few else chosen)]})
        return {"terms": out}


class Evidence:
    """Treatment facts that report numbers: the first EVIDENCE_ROWS, how many more, the kinds of numbers."""

    def __init__(self):
        self.rows: list[dict] = []
        self.n = 0
        self.kinds: set[str] = set()

    def add(self, pages: list[dict]) -> None:
        """In: sentence contexts in site order.  Out: nothing; rows are kept up to EVIDENCE_ROWS."""
        for p in pages:
            if "treatment" in p["types"] and p["quantities"]:
                self.n += 1
                self.kinds.update(q["kind"] for q in p["quantities"])
                if len(self.rows) < EVIDENCE_ROWS:
                    self.rows.append({"sentence": p, "treatments": [c for c in p["concepts"] if c["category"] in TREATMENT_CATEGORIES],
                                      "quantities": p["quantities"]})

    def context(self) -> dict:
        """Out: the evidence page context."""
        return {"rows": self.rows, "more": max(0, self.n - EVIDENCE_ROWS), "kinds": sorted(self.kinds)}
