"""build_browser_index: the site's offline search index, as <script> files.

The site must search from file:// as well as over http, so the index is
JavaScript that registers data (no fetch), split so a query loads only what
it needs:

    search/meta.js        vocabulary for cutting Chinese queries, English word
                          forms, concept names, translations, shard counts
    search/t<k>.js        postings of the terms that hash to shard k, best first, at most CHUNK
                          per term; a longer list goes on in search/m<ref>_<j>.js, loaded
                          only when the first pieces give fewer results than a page
    search/s<k>.js        display records of sentences k*SENT_SHARD ...

The terms are the whoosh index's terms (same tokens, same normalisation), plus
``c:<concept id>`` per mention, so 海马 and hippocampus reach the same postings.
"""
from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator

from .analysis import normalize_token, subwords

SENT_SHARD = 50
POSTINGS_PER_SHARD = 4000
CHUNK = 1500  # a term's postings, best first, in pieces: a first query loads only the first piece
MAX_TEXT = 240
_CJK = re.compile(r"[\u3400-\u9fff]")


def shard_of(term: str, n: int) -> int:
    """Stable string hash (same in search.js): h = h*31 + code, 32-bit."""
    h = 0
    for ch in term:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h % n


def _terms(rec: dict, up: dict[str, list[str]]) -> Counter:
    """Index terms of one sentence record: normalised tokens, sub-words, concept ids (c:)
    and the broader concepts of those (a:), so a general query reaches specific mentions."""
    terms: Counter = Counter()
    for tok in rec["tokens"].split(" ") if rec["tokens"] else []:
        norm = normalize_token(tok)
        if norm:
            terms[norm] += 1
            for piece in subwords(norm):
                terms[piece] += 1
    cids = {m["concept_id"] for m in rec["mentions"]}
    for m in rec["mentions"]:
        terms["c:" + m["concept_id"]] += 1
    for a in sorted({a for c in cids for a in up.get(c, [])}):  # sorted: the same files whatever the hash seed
        terms["a:" + a] += 1
    return terms


def _english_forms(words: set[str], translations: dict[str, list[str]]) -> dict[str, str]:
    """Lower-cased English word -> index term, for the words the corpus (``words``) and the translations use."""
    forms = {}
    words |= {w for key in translations for w in re.split(r"[\s\-/]+", key)}
    for w in sorted(words):
        low = w.lower()
        norm = normalize_token(low)
        if norm and norm != low:
            forms[low] = norm
    return forms


def _json(payload) -> str:
    """Compact JSON that can never close a script element or open markup ("<" is escaped)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _js(func: str, key: int, payload) -> str:
    """One script file: a call that hands its data to the page's KB_SEARCH object."""
    return f"KB_SEARCH.{func}({key},{_json(payload)});\n"


class BrowserIndex:
    """The browser search index, built one sentence at a time so the records need not all be in memory.

    ``add(rec, doc_title)`` takes a sentence record (sentence_id, doc_id, ord, text, tokens, types, section,
    mentions[].concept_id) and returns the sentence shard files it completed; ``finish(...)`` returns the
    rest.  Files are (relative path, JavaScript text) pairs.  Postings are kept as flat integer arrays
    (sentence number, tf) per term, with one length per sentence; lists are made per term at the end.
    """

    def __init__(self, doc_pages: dict[str, str], up: dict[str, list[str]] | None = None):
        self.doc_pages, self.up = doc_pages, up or {}
        self.postings: dict[str, array] = {}
        self.lengths = array("I")
        self.total_tf = 0
        self.words: set[str] = set()
        self.sents: list[list] = []

    def add(self, rec: dict, doc_title: str = "") -> list[tuple[str, str]]:
        """In: one sentence record, in site order.  Out: the sentence shard file it completed, if any."""
        i = len(self.lengths)
        terms = _terms(rec, self.up)
        self.total_tf += sum(terms.values())
        self.lengths.append(sum(terms.values()) or 1)
        for term, tf in terms.items():
            self.postings.setdefault(term, array("I")).extend((i, tf))
        self.words.update(re.findall(r"[A-Za-z][A-Za-z\-]*", rec["text"]))
        text = rec["text"] if len(rec["text"]) <= MAX_TEXT else rec["text"][: MAX_TEXT - 1] + "…"
        self.sents.append([rec["sentence_id"], rec["doc_id"], f"{self.doc_pages[rec['doc_id']]}#s{rec['ord']}", text,
                           rec["types"], rec["section"] or "", doc_title])
        return self._sent_shard() if len(self.sents) == SENT_SHARD else []

    def _sent_shard(self) -> list[tuple[str, str]]:
        k = (len(self.lengths) - 1) // SENT_SHARD
        files = [(f"search/s{k}.js", _js("addSents", k, self.sents))]
        self.sents = []
        return files

    def finish(self, concepts: dict[str, list[str]], translations: dict[str, list[str]],
               t2s: dict[str, str]) -> Iterator[tuple[str, str]]:
        """In: concept names, query translations, Traditional->Simplified map.  Out: the remaining files
        (last sentence shard, term shards and their continuations, meta.js); the postings are freed as it goes."""
        if self.sents:
            yield from self._sent_shard()
        n = len(self.lengths)
        avg_len = self.total_tf / max(n, 1)
        n_term_shards = max(1, math.ceil(sum(min(len(p) // 2, CHUNK) for p in self.postings.values()) / POSTINGS_PER_SHARD))
        vocab = sorted({t for t in self.postings if _CJK.search(t) and t[1:2] != ":"})
        yield from self._term_shards(n_term_shards, avg_len)
        meta = {"n": n, "termShards": n_term_shards, "sentShard": SENT_SHARD, "avgLen": round(avg_len, 2),
                "vocab": vocab, "english": _english_forms(self.words, translations), "concepts": concepts,
                "translations": translations, "t2s": t2s, "stop": sorted(_stop())}
        yield "search/meta.js", f"KB_SEARCH.setMeta({_json(meta)});\n"

    def _term_shards(self, n_shards: int, avg_len: float) -> Iterator[tuple[str, str]]:
        """Each term shard (postings best first, at most CHUNK a term) and the m-files continuing longer lists."""
        by_shard: dict[int, list[str]] = defaultdict(list)
        for term in self.postings:
            by_shard[shard_of(term, n_shards)].append(term)
        for k in range(n_shards):
            shard = {}
            for term in by_shard.pop(k, []):
                flat = self.postings.pop(term)
                plist = [[flat[j], flat[j + 1], self.lengths[flat[j]]] for j in range(0, len(flat), 2)]
                plist.sort(key=lambda p: (-_impact(p[1], p[2], avg_len), p[0]))
                chunks = [plist[i : i + CHUNK] for i in range(0, len(plist), CHUNK)]
                ref = f"{k}_{len(shard)}"
                shard[term] = {"p": chunks[0], "more": len(chunks) - 1, "ref": ref}
                for j, chunk in enumerate(chunks[1:], start=1):
                    yield f"search/m{ref}_{j}.js", _js("addMore", f'"{ref}_{j}"', chunk)
            yield f"search/t{k}.js", _js("addTerms", k, shard)


def build_browser_index(records: list[dict], concepts: dict[str, list[str]], translations: dict[str, list[str]],
                        t2s: dict[str, str], doc_pages: dict[str, str],
                        up: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Files (relative path -> JavaScript text) of the browser search index, from records in memory
    (each may carry its ``doc_title``).  ``up`` maps a concept to all its broader concepts (a: terms
    let a general query reach them).  The exporter streams through BrowserIndex instead."""
    index = BrowserIndex(doc_pages, up)
    files = dict(f for rec in records for f in index.add(rec, rec.get("doc_title", "")))
    files.update(index.finish(concepts, translations, t2s))
    return files


def _impact(tf: int, length: int, avg_len: float, k1: float = 1.2, b: float = 0.75) -> float:
    """A posting's BM25 term weight without idf (the same formula search.js scores with)."""
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / (avg_len or 1)))


def _stop() -> set[str]:
    from .analysis import stopwords

    return set(stopwords())
