"""Champion tiers: for each frequent index term, the sentences that score best for it alone.

Scoring every posting of a term that half the corpus contains costs whoosh seconds at scale.  So
the index keeps, in an unscored keyword field ``tier``, a key per frequent term on its
*champions* — the SIZE sentences that score best for that term alone (most occurrences, then
shortest).  A query whose every unit has such a key runs first over the union of its units'
champions (a few hundred sentences); only when that finds fewer matches than the re-rank pool does
the full query run.  (Champion lists / tiered indexes: Manning, Raghavan & Schütze, Introduction
to Information Retrieval, 7.1.3–7.2.1.)  Terms in fewer than MIN_DF sentences get no key: scoring
all their postings is already cheap, and a small KB ranks exactly as without tiers.

When some term is tiered, a rebuild also writes the sentences shortest first (``TierPlan.order``):
champions are mostly short sentences, so they then sit in the first blocks of every posting list
and checking a candidate against a long list decodes a few blocks, not hundreds.

Keys: ``t:<term>`` for a text term (as the index analyser writes it), ``c:<concept id>`` for a
concept (sentences naming it first, then those naming a narrower concept).
"""
from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from .analysis import normalize_token, subwords

MIN_DF = 1000  # a term in fewer sentences than this is not tiered
SIZE = 300  # champions kept per tiered term


K1, B = 1.2, 0.75  # whoosh's BM25F defaults


@dataclass
class TierPlan:
    """Which tier keys each sentence carries, and the weakest champion's quality per key (an
    updated index adds a new sentence to a key's champions when it scores at least that)."""

    keys: dict[str, list[str]] = field(default_factory=dict)  # sentence id -> keys
    floors: dict[str, float] = field(default_factory=dict)  # key -> quality of its weakest champion
    averages: tuple[float, float] = (1.0, 1.0)  # text terms and concept mentions per sentence
    order: list[str] = field(default_factory=list)  # sentence ids, shortest first (empty: no key tiered)


@lru_cache(maxsize=262144)
def _token_terms(token: str) -> tuple[str, ...]:
    """The index terms of one stored token: its normalised form and that form's sub-words."""
    norm = normalize_token(token) if token.strip() else ""
    return (norm, *subwords(norm)) if norm else ()


def text_terms(tokens: str) -> list[str]:
    """The terms the index analyser writes for a sentence's stored jieba tokens (space-joined):
    normalised tokens, each followed by its Chinese sub-words (see indexer.analysis)."""
    return list(chain.from_iterable(map(_token_terms, tokens.split(" "))))


def _bm25(tf: int, length: int, average: float) -> float:
    """A term's BM25 weight in one field, without idf (the same for every sentence of a key)."""
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / (average or 1)))


def _sentence_terms(store, ancestors: dict[str, list[str]], doc_ids: list[str]):
    """(sentence id, text terms, concept counts, narrower concepts named) in index order."""
    for doc_id in doc_ids:
        mentions: dict[str, Counter] = {}
        for m in store.query("select sentence_id, concept_id from mentions where doc_id = ?", [doc_id]):
            mentions.setdefault(m["sentence_id"], Counter())[m["concept_id"]] += 1
        for row in store.query("select sentence_id, tokens from sentences where doc_id = ? order by ord", [doc_id]):
            concepts = mentions.get(row["sentence_id"], Counter())
            narrower = {a for c in concepts for a in ancestors.get(c, [])} - set(concepts)
            yield row["sentence_id"], text_terms(row["tokens"] or ""), concepts, narrower


def _qualities(terms: list[str], concepts: Counter, narrower: set[str], averages: tuple[float, float],
               keys: tuple[dict, dict] | None = None) -> tuple[dict[str, float], dict[str, float]]:
    """(text term -> quality, concept id -> quality): how well the sentence scores for that term or
    concept alone — its BM25 weight in the key's field; a sentence that only names a narrower concept
    ranks below every one naming the concept.  ``keys``: only these text terms and concepts."""
    length, n_mentions = len(terms), sum(concepts.values())
    text_keys, concept_keys = keys or (None, None)
    text = {t: _bm25(n, length, averages[0]) for t, n in Counter(terms).items()
            if text_keys is None or t in text_keys}
    named = {c: 1.0 + _bm25(n, n_mentions, averages[1]) for c, n in concepts.items()
             if concept_keys is None or c in concept_keys}
    named.update((c, 0.0) for c in narrower if concept_keys is None or c in concept_keys)
    return text, named


def plan_tiers(store, ancestors: dict[str, list[str]], doc_ids: list[str],
               min_df: int | None = None, size: int | None = None) -> TierPlan:
    """Two passes over the KB's stored tokens and mentions: count each key's sentences (and the
    average lengths), then keep the best ``size`` sentences of every key found in at least
    ``min_df`` of them (ties: the sentence earlier in the index, as whoosh keeps it)."""
    min_df, size = min_df or MIN_DF, size or SIZE
    text_df: Counter = Counter()
    concept_df: Counter = Counter()
    n = text_total = mention_total = 0
    lengths: list[tuple[int, int, str]] = []
    for sid, terms, concepts, narrower in _sentence_terms(store, ancestors, doc_ids):
        lengths.append((len(terms), n, sid))
        text_df.update(set(terms))
        concept_df.update(concepts.keys() | narrower)
        n, text_total, mention_total = n + 1, text_total + len(terms), mention_total + sum(concepts.values())
    plan = TierPlan(averages=(text_total / max(n, 1), mention_total / max(n, 1)))
    text_heaps = {t: [] for t, c in text_df.items() if c >= min_df}
    concept_heaps = {t: [] for t, c in concept_df.items() if c >= min_df}
    del text_df, concept_df
    if text_heaps or concept_heaps:  # lay the index out shortest first: champions share the first blocks
        plan.order = [sid for _, _, sid in sorted(lengths)]
    position = {sid: k for k, sid in enumerate(plan.order)}  # where each sentence will stand in the index
    for k, (sid, terms, concepts, narrower) in enumerate(_sentence_terms(store, ancestors, doc_ids)):
        order = position.get(sid, k)
        qualities = _qualities(terms, concepts, narrower, plan.averages, (text_heaps, concept_heaps))
        for heaps, quality in zip((text_heaps, concept_heaps), qualities):
            for name, q in quality.items():
                _offer(heaps[name], (q, -order, sid), size)
    for prefix, heaps in (("t:", text_heaps), ("c:", concept_heaps)):
        for name, heap in heaps.items():
            plan.floors[prefix + name] = heap[0][0]
            for _, _, sid in heap:
                plan.keys.setdefault(sid, []).append(prefix + name)
    return plan


def _offer(heap: list, item: tuple, size: int) -> None:
    """Keep the ``size`` best items (quality, then earlier sentence) in a min-heap."""
    if len(heap) < size:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)


def extend_plan(store, ancestors: dict[str, list[str]], doc_ids: list[str], floors: dict[str, float],
                averages: tuple[float, float]) -> TierPlan:
    """Tier keys for the sentences of newly indexed documents: a sentence joins a key's champions
    when it scores at least as well as the weakest of them (the lists only grow; a rebuild trims)."""
    plan = TierPlan(floors=floors, averages=averages)
    for sid, terms, concepts, narrower in _sentence_terms(store, ancestors, doc_ids):
        text, named = _qualities(terms, concepts, narrower, averages)
        quality = {**{f"t:{t}": q for t, q in text.items()}, **{f"c:{c}": q for c, q in named.items()}}
        keys = sorted(k for k in floors.keys() & quality.keys() if quality[k] >= floors[k])
        if keys:
            plan.keys[sid] = keys
    return plan


def unit_keys(kind: str, concept_id: str | None, tokens: list[str], alternatives: list[list[str]]) -> list[str]:
    """The tier keys a query unit can be answered from: its concept and every word it may match."""
    keys = [f"c:{concept_id}"] if kind == "concept" and concept_id else []
    return keys + [f"t:{t}" for t in tokens] + [f"t:{t}" for alt in alternatives for t in alt]
