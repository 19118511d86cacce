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
from collections import Counter, defaultdict

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
    for a in {a for c in cids for a in up.get(c, [])}:
        terms["a:" + a] += 1
    return terms


def _english_forms(records: list[dict], translations: dict[str, list[str]]) -> dict[str, str]:
    """Lower-cased English word -> index term, for the words the corpus and the translations use."""
    forms = {}
    words = {w for rec in records for w in re.findall(r"[A-Za-z][A-Za-z\-]*", rec["text"])}
    words |= {w for key in translations for w in re.split(r"[\s\-/]+", key)}
    for w in words:
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


def build_browser_index(records: list[dict], concepts: dict[str, list[str]], translations: dict[str, list[str]],
                        t2s: dict[str, str], doc_pages: dict[str, str],
                        up: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Files (relative path -> JavaScript text) of the browser search index.

    ``up`` maps a concept to all its broader concepts (a: terms let a general query reach them).
    """
    up = up or {}
    postings: dict[str, list[list[int]]] = defaultdict(list)
    sents = []
    for i, rec in enumerate(records):
        terms = _terms(rec, up)
        length = sum(terms.values()) or 1
        for term, tf in terms.items():
            postings[term].append([i, tf, length])
        text = rec["text"] if len(rec["text"]) <= MAX_TEXT else rec["text"][: MAX_TEXT - 1] + "…"
        sents.append([rec["sentence_id"], rec["doc_id"], f"{doc_pages[rec['doc_id']]}#s{rec['ord']}", text,
                      rec["types"], rec["section"] or "", rec.get("doc_title", "")])
    avg_len = sum(sum(p[1] for p in pl) for pl in postings.values()) / max(len(records), 1)
    n_postings = sum(min(len(p), CHUNK) for p in postings.values())
    n_term_shards = max(1, math.ceil(n_postings / POSTINGS_PER_SHARD))
    shards: dict[int, dict] = defaultdict(dict)
    files: dict[str, str] = {}
    for term, plist in postings.items():
        k = shard_of(term, n_term_shards)
        plist.sort(key=lambda p: (-_impact(p[1], p[2], avg_len), p[0]))
        chunks = [plist[i : i + CHUNK] for i in range(0, len(plist), CHUNK)]
        ref = f"{k}_{len(shards[k])}"
        shards[k][term] = {"p": chunks[0], "more": len(chunks) - 1, "ref": ref}
        for j, chunk in enumerate(chunks[1:], start=1):
            files[f"search/m{ref}_{j}.js"] = _js("addMore", f'"{ref}_{j}"', chunk)
    files.update({f"search/t{k}.js": _js("addTerms", k, shards.get(k, {})) for k in range(n_term_shards)})
    for k in range(0, len(sents), SENT_SHARD):
        files[f"search/s{k // SENT_SHARD}.js"] = _js("addSents", k // SENT_SHARD, sents[k : k + SENT_SHARD])
    vocab = sorted({t for t in postings if _CJK.search(t) and t[1:2] != ":"})
    meta = {"n": len(records), "termShards": n_term_shards, "sentShard": SENT_SHARD, "avgLen": round(avg_len, 2),
            "vocab": vocab, "english": _english_forms(records, translations), "concepts": concepts,
            "translations": translations, "t2s": t2s, "stop": sorted(_stop())}
    files["search/meta.js"] = f"KB_SEARCH.setMeta({_json(meta)});\n"
    return files


def _impact(tf: int, length: int, avg_len: float, k1: float = 1.2, b: float = 0.75) -> float:
    """A posting's BM25 term weight without idf (the same formula search.js scores with)."""
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / (avg_len or 1)))


def _stop() -> set[str]:
    from .analysis import stopwords

    return set(stopwords())
