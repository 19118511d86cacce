"""search: a query string -> ranked SearchHits from the whoosh index.

AND of all query units by default; when that finds fewer sentences than
asked for, a ranked OR of them fills the rest (or all of it when AND finds
nothing), after the AND matches, and the result says so.  Ranking: BM25F over text, concept names and
section, concept matches boosted, sentences that state a typed fact weighed
up; ties broken by document and reading order so results are stable.
Everything a hit shows comes from the index's stored payload.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import collectors, scoring
from whoosh import index as windex
from whoosh.query import And, Or, Phrase, Require, Term

from kb.errors import IndexError_, QueryError
from kb.lexicon import name_key
from kb.models import SearchHit

from .paths import TERMS_FILE, TOPICS_FILE, index_exists
from .query import ParsedQuery, QueryVocabulary, Unit, parse_query, shown
from .tiers import unit_keys

CONCEPT_BOOST = 2.0
NARROWER_BOOST = 1.0  # the sentence names a narrower concept (fluoxetine for antidepressants)
TOPIC_BONUS = 0.5  # added to the score of a sentence whose document is about a queried concept
PHRASE_BONUS = 1.5  # Chinese words typed together that also stand together in the sentence
TYPED_BOOST = 0.15  # per fact type the sentence states
POOL = 30  # at least this many matches are re-ranked (3 x the limit when that is more)
FIRST_MATCHES = 2000  # a tiered index, when the tiers hold too few matches: rank this many per segment
_OPEN: dict[str, tuple[float, object, QueryVocabulary]] = {}


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fallback: bool = False


def _open(index_dir: Path):
    """An open searcher and the query vocabulary, kept per process until the index changes
    (opening the segment files costs more than a typical query)."""
    if not index_exists(index_dir):
        raise IndexError_(f"no search index in {index_dir}; run `kb index --rebuild` (or `kb build`) first")
    terms = index_dir / TERMS_FILE
    stamp = terms.stat().st_mtime if terms.exists() else 0.0
    cached = _OPEN.get(str(index_dir))
    if cached and cached[0] == stamp:
        return cached[1], cached[2]
    from kb.data_files import load_json

    data = json.loads(terms.read_text(encoding="utf-8")) if terms.exists() else {"vocab": [], "concepts": {}}
    vocab = QueryVocabulary(data["vocab"], data["concepts"], load_json("query_terms.json")["en_zh"])
    vocab.ancestors = data.get("ancestors", {})
    vocab.topics = _topics(index_dir / TOPICS_FILE)
    vocab.avg_lengths = data.get("avg_lengths", {})
    vocab.tiers = set(data.get("tiers", {}))
    ix = windex.open_dir(str(index_dir))
    old = _OPEN.get(str(index_dir))
    if old:
        old[1].close()
    searcher = ix.searcher(weighting=_StableBM25F(vocab.avg_lengths))
    _OPEN[str(index_dir)] = (stamp, searcher, vocab)
    return searcher, vocab


def _topics(path: Path) -> dict[str, str]:
    """Document id -> the concepts it is about, comma-joined (indexer.build writes a line per
    document; split only for the documents a query's hits come from)."""
    if not path.exists():
        return {}
    return dict(line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)


class _StableBM25F(scoring.BM25F):
    """BM25F with the index's recorded average field lengths (see indexer.build._average_lengths)."""

    def __init__(self, averages: dict[str, float]):
        super().__init__()
        self.averages = averages

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if fieldname in self.averages and hasattr(scorer, "avgfl"):
            scorer.avgfl = self.averages[fieldname] or 1
        return scorer


def _text_query(tokens: list[str], exact: bool = False):
    """One token; or several: the phrase, or (unquoted) all of them anywhere with the phrase scoring extra."""
    if len(tokens) == 1:
        return Or([Term("text", tokens[0]), Term("names", tokens[0])])
    if exact:
        return Phrase("text", tokens)
    return And([Term("text", t) for t in tokens])  # adjacency scores later, by a cheap look at the text


def _unit_query(unit: Unit, vocab: QueryVocabulary):
    if unit.kind == "concept":  # the concept in any language, and its words as written score extra
        # matches: the concept or a narrower one named in the sentence (or its words as written);
        # only ranks: a related concept named, or a document about the concept
        parts = [Term("concepts", unit.concept_id, boost=CONCEPT_BOOST),
                 Term("ancestors", unit.concept_id, boost=NARROWER_BOOST)]
        return Or(parts + ([_text_query(unit.tokens)] if unit.tokens else []))
    alternatives = [_text_query(alt) for alt in unit.alternatives]
    main = [_text_query(unit.tokens, exact=unit.quoted)] if unit.tokens else []
    return Or(main + alternatives) if len(main + alternatives) > 1 else (main + alternatives)[0]


def _filter_queries(parsed: ParsedQuery, vocab: QueryVocabulary) -> list:
    """Filters as whoosh queries: repeated type: or doc: values are alternatives; repeated
    concept: or section: values must all hold."""
    from .analysis import normalize_token

    out = []
    f = parsed.filters
    if f.get("type"):
        out.append(Or([Term("types", t) for t in f["type"]]))
    if f.get("doc"):
        out.append(Or([Term("doc_id", d) for d in f["doc"]]))
    for name in f.get("concept", []):
        cid = vocab.by_key.get(name_key(name)) or vocab.zh.get(name)
        if not cid:
            raise QueryError(f"query '{shown(parsed.text)}': no concept named '{shown(name)}'")
        out.append(Or([Term("concepts", cid), Term("ancestors", cid)]))
    for value in f.get("section", []):
        words = vocab.cut(value) if re.search(r"[\u3400-\u9fff]", value) else value.split()
        out.extend(Term("section", p) for p in (normalize_token(w) for w in words) if p)
    return out


def _occurrences(word: str, text: str) -> list[tuple[int, int]]:
    """Where a query word stands in a sentence: Chinese as written, English as a word start
    (a stem reaches its inflections) that never runs on into Chinese."""
    if not word:
        return []
    if re.search(r"[\u3400-\u9fff]", word):
        return [(m.start(), m.end()) for m in re.finditer(re.escape(word), text)]
    pattern = r"(?i)(?<![A-Za-z0-9])" + re.escape(word) + r"[A-Za-z]*"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _spans(unit: Unit, payload: dict, ancestors: dict[str, list[str]]) -> list[tuple[int, int]]:
    """Character ranges of a sentence that a query unit matched (for highlighting)."""
    text = payload["text"]
    if unit.kind == "concept":
        spans = [(s, e) for cid, s, e in payload["mentions"]
                 if cid == unit.concept_id or unit.concept_id in ancestors.get(cid, [])]
        return spans + _occurrences(unit.surface, text)
    if unit.quoted:
        return _occurrences(unit.surface, text)
    spans = []
    for word in [unit.surface] + unit.tokens + ["".join(a) for a in unit.alternatives]:
        spans += _occurrences(word, text)
    return spans


def highlight(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """HTML-escaped text with <mark> around the merged spans; returns it and the merged spans."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out), [(s, e) for s, e in merged]


def _hits(results, parsed: ParsedQuery, limit: int, vocab: QueryVocabulary, first_rank: int = 1) -> list[SearchHit]:
    ancestors, queried = vocab.ancestors, {u.concept_id for u in parsed.units if u.kind == "concept"}
    ranked = []
    for r in results:
        payload = r["payload"]
        score = r.score * (1 + TYPED_BOOST * len(payload["types"]))
        score += TOPIC_BONUS * len(queried.intersection(vocab.topics.get(r["doc_id"], "").split(",")))
        score += PHRASE_BONUS * sum(run in payload["text"] for run in parsed.boosts)
        ranked.append((-round(score, 6), r["doc_id"], r["ord"], r, payload, score))
    ranked.sort(key=lambda x: x[:3])
    hits = []
    for rank, (_, doc_id, _ord, r, payload, score) in enumerate(ranked[: max(limit, 0)], start=first_rank):
        spans = [sp for u in parsed.units for sp in _spans(u, payload, ancestors)]
        marked, merged = highlight(payload["text"], spans)
        hits.append(SearchHit(rank=rank, score=round(score, 4), sentence_id=r["sentence_id"], doc_id=doc_id,
                              section=payload["section"] or "", text=payload["text"], types=payload["types"],
                              concepts=payload["concepts"], highlight=marked, doc_title=payload["doc_title"],
                              section_number=payload.get("section_number") or "", spans=merged))
    return hits


def search(index_dir: str | Path, query: str, limit: int = 10, **filters: str | None) -> SearchResult:
    """Run one query (filters: type, doc, concept, section) and return ranked hits."""
    if limit < 1:
        raise QueryError(f"query '{shown(query)}': limit must be at least 1")
    searcher, vocab = _open(Path(index_dir))
    parsed = parse_query(query, vocab) if query.strip() else ParsedQuery(text=query)
    for name, value in filters.items():
        if value:
            parsed.filters.setdefault(name, []).append(value)
    if not parsed.units and not parsed.filters:
        raise QueryError("empty query: give words to search for or a filter")
    units = [_unit_query(u, vocab) for u in parsed.units]
    conditions = _filter_queries(parsed, vocab)
    pool = max(POOL, 3 * limit)
    tier = _tier_query(parsed.units, vocab)
    results, matched_all = _run(searcher, And(units + conditions), tier, pool)
    fallback = False
    if len(results) < limit and len(units) > 1:
        seen = {r["sentence_id"] for r in results}
        any_found, any_total = _run(searcher, And([Or(units)] + conditions) if conditions else Or(units), tier, pool)
        extra = [r for r in any_found if r["sentence_id"] not in seen]
        if extra:
            fallback = True
            parsed.notes.append(
                "no sentence matches all the words; showing sentences that match any of them" if not matched_all else
                f"{matched_all} sentence{'s' if matched_all != 1 else ''} match{'' if matched_all != 1 else 'es'} "
                "all the words; the others below match some of them")
        hits = (_hits(results, parsed, limit, vocab)
                + _hits(extra, parsed, limit - len(results), vocab, first_rank=len(results) + 1))
        total = len(results) + len(extra) if len(extra) + len(seen) < pool else max(any_total, matched_all)
    else:
        hits, total = _hits(results, parsed, limit, vocab), matched_all
    return SearchResult(query=query, total=total, hits=hits, notes=parsed.notes, fallback=fallback)


def _tier_query(units: list[Unit], vocab: QueryVocabulary):
    """Where a query's best matches lie: the champions of its frequent terms (indexer.tiers) and
    every sentence holding one of its rarer ones; None when no term is frequent (scoring all the
    postings is cheap then)."""
    parts, tiered = [], False
    for u in units:
        for key in unit_keys(u.kind, u.concept_id, u.tokens, u.alternatives):
            if key in vocab.tiers:
                parts.append(Term("tier", key))
                tiered = True
            elif key.startswith("c:"):
                parts += [Term("concepts", key[2:]), Term("ancestors", key[2:])]
            else:
                parts.append(Term("text", key[2:]))
    return Or(parts) if tiered else None


def _run(searcher, q, tier, pool: int) -> tuple[list, int]:
    """The best ``pool`` matches of q and how many there are.

    Without tiers: every posting is scored.  With them (a large index, laid out shortest sentence
    first), q is scored over the champions; when they hold fewer than ``pool`` matches (two frequent
    words whose best sentences differ), over the first FIRST_MATCHES matches of each segment —
    the shortest, which BM25 favours.  The count is then whoosh's estimate."""
    if tier is None:
        found = searcher.search(q, limit=pool)
        results = [r for r in found]  # not list(found): its length hint counts every match
        return results, len(results) if len(results) < pool else _count(found)
    found = searcher.search(Require(q, tier), limit=pool, optimize=False)  # whoosh: Require + block skipping fails
    if found.scored_length() < pool:
        collector = _FirstMatches(pool, max(FIRST_MATCHES, pool))
        searcher.search_with_collector(q, collector)
        found = collector.results()
    results = [r for r in found]
    return results, max(q.estimate_size(searcher.reader()), len(results))


class _FirstMatches(collectors.TopCollector):
    """The top ``limit`` of the first ``cap`` matches of each segment."""

    def __init__(self, limit: int, cap: int):
        super().__init__(limit=limit, usequality=False)
        self.cap = cap

    def matches(self):
        for n, docnum in enumerate(super().matches()):
            if n == self.cap:
                return
            yield docnum


def _count(found) -> int:
    """How many sentences matched, when there were more than the pool: exact when whoosh counted
    them while ranking, else its estimate (counting exactly would run the query a second time)."""
    return len(found) if found.has_exact_length() else found.estimated_length()
