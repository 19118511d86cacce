"""Benchmark steps, each run in its own process by bench/run.py (so peak RSS is per step).

    python bench/steps.py STEP CORPUS HOME  -> prints one JSON object
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ["海马", "hippocampus", "氯胺酮", "ketamine", "DBS", "deep brain stimulation", "难治性精神分裂症",
           "treatment-resistant schizophrenia", "BDNF 氯胺酮", "ketamine 抑郁症", "缓解率", "adverse effects",
           '"抑郁症患者"', "type:mechanism 海马", "前额叶皮质", "prefrontal cortex", "电休克治疗", "ECT",
           "谷氨酸", "glutamate", "分期模型", "staging model", "HAMD", "炎症因子 IL-6"]


def _files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


def _mb(files: list[Path]) -> float:
    return sum(f.stat().st_size for f in files) / 1e6


def staged_ingest(corpus: Path, home: Path) -> dict:
    """Single-process ingest, timing each stage: read+clean, structure+split, annotate parts, store."""
    from kb import KnowledgeBase
    from kb import annotate as ann_mod
    from kb.clean import clean_text
    from kb.read import read_document
    from kb.sentences import split_sentences
    from kb.structure import structure_document

    times = dict.fromkeys(["read_clean", "structure", "segment", "mentions_tagging", "mining", "store"], 0.0)
    kb = KnowledgeBase(home)
    ann = kb.annotator()
    wrap = {"segment": ("segment", ann_mod), "mining": ("mine_term_pairs", ann_mod)}
    for key, (name, mod) in wrap.items():
        fn = getattr(mod, name)

        def timed(*a, _fn=fn, _key=key, **k):
            t = time.perf_counter()
            try:
                return _fn(*a, **k)
            finally:
                times[_key] += time.perf_counter() - t
        setattr(mod, name, timed)
    files = _files(corpus)
    start = time.perf_counter()
    for f in files:
        t = time.perf_counter()
        doc = clean_text(read_document(f))
        times["read_clean"] += time.perf_counter() - t
        t = time.perf_counter()
        doc = split_sentences(structure_document(doc))
        times["structure"] += time.perf_counter() - t
        t = time.perf_counter()
        doc = ann(doc)
        times["mentions_tagging"] += time.perf_counter() - t
        t = time.perf_counter()
        kb._save(doc)
        times["store"] += time.perf_counter() - t
    total = time.perf_counter() - start
    times["mentions_tagging"] -= times["segment"] + times["mining"]
    mb = _mb(files)
    return {"mb": mb, "docs": len(files), "seconds": total, "mb_s": mb / total,
            "stages": {k: {"seconds": v, "mb_s": mb / v if v else None} for k, v in times.items()},
            "sentences": kb.store.count("sentences")}


def parallel_ingest(corpus: Path, home: Path, jobs: int = 2) -> dict:
    from kb import KnowledgeBase

    files = _files(corpus)
    kb = KnowledgeBase(home)
    kb.annotator()  # jieba and the lexicon load once, as in the single-process run
    t = time.perf_counter()
    rep = kb.ingest([corpus], jobs=jobs)
    dt = time.perf_counter() - t
    return {"mb": _mb(files), "seconds": dt, "mb_s": _mb(files) / dt, "errors": len(rep.errors), "jobs": jobs}


def jieba_floor(corpus: Path, home: Path) -> dict:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    files = _files(corpus)
    texts = [f.read_text(encoding="utf-8") for f in files]
    t = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    dt = time.perf_counter() - t
    return {"mb": _mb(files), "seconds": dt, "mb_s": _mb(files) / dt}


def index_build(corpus: Path, home: Path) -> dict:
    from kb import KnowledgeBase

    kb = KnowledgeBase(home)
    t = time.perf_counter()
    n = kb.build_index()
    dt = time.perf_counter() - t
    size = sum(p.stat().st_size for p in kb.index_dir.rglob("*") if p.is_file())
    return {"seconds": dt, "sentences": n, "bytes": size}


def whoosh_floor(corpus: Path, home: Path) -> dict:
    """Plain whoosh: the very documents the index build writes (same fields, same stored payload),
    analysed beforehand and fed as space-separated terms to a schema with the same field types and
    no analysis beyond splitting.  Only add_document and commit are timed."""
    import tempfile

    from whoosh import index
    from whoosh.analysis import SpaceSeparatedTokenizer
    from whoosh.fields import TEXT

    from indexer.analysis import bilingual_analyzer
    from indexer.build import _concept_names, index_documents
    from indexer.schema import make_schema
    from kb.store import Store

    store = Store(home / "kb.db")
    schema, analyzer = make_schema(), bilingual_analyzer()
    texts = [n for n, f in schema.items() if isinstance(f, TEXT)]
    docs = list(index_documents(store, _concept_names(store))[1])
    for d in docs:
        for name in texts:
            d[name] = " ".join(t.text for t in analyzer(d[name], mode="index"))
    for name in texts:
        schema[name].analyzer = SpaceSeparatedTokenizer()
    with tempfile.TemporaryDirectory() as tmp:
        ix = index.create_in(tmp, schema)
        t = time.perf_counter()
        w = ix.writer(limitmb=256, compound=False)
        for d in docs:
            w.add_document(**d)
        w.commit()
        dt = time.perf_counter() - t
    return {"seconds": dt, "sentences": len(docs)}


def site_export(corpus: Path, home: Path) -> dict:
    from kb import KnowledgeBase

    kb = KnowledgeBase(home)
    t = time.perf_counter()
    rep = kb.export_site()
    dt = time.perf_counter() - t
    return {"seconds": dt, "pages": rep.pages, "files": rep.files, "bytes": rep.bytes,
            "first_query_bytes": first_query_bytes(kb.site_dir)}


def first_query_bytes(site: Path) -> dict:
    """Bytes the browser loads for each benchmark query: meta.js, the term shards, the result shards.

    Mirrors search.js: the query is cut by the same vocabulary, concepts become c:/a: terms, and the
    sentence shards are those of the top 20 sentences that match every term.
    """
    from indexer.browser import shard_of
    from indexer.query import QueryVocabulary, parse_query

    meta_text = (site / "search" / "meta.js").read_text(encoding="utf-8")
    meta = json.loads(meta_text[len("KB_SEARCH.setMeta("):-3])
    vocab = QueryVocabulary(meta["vocab"], meta["concepts"], meta["translations"])
    out = {}
    for q in QUERIES:
        parsed = parse_query(q.replace("type:mechanism ", ""), vocab)
        terms = set()
        for u in parsed.units:
            terms |= {f"c:{u.concept_id}", f"a:{u.concept_id}"} if u.kind == "concept" else set(u.tokens)
            for alt in u.alternatives:
                terms |= set(alt)
        shards = {shard_of(t, meta["termShards"]) for t in terms}
        loaded = len(meta_text.encode("utf-8"))
        hits: set[int] = set()
        for k in shards:
            text = (site / "search" / f"t{k}.js").read_text(encoding="utf-8")
            loaded += len(text.encode("utf-8"))
            data = json.loads(text[text.index(",") + 1 : -3])
            for t in terms & set(data):
                hits |= {p[0] for p in data[t]["p"]}  # the first, best piece of each term's postings
        for k in sorted({i // meta["sentShard"] for i in sorted(hits)[:20]}):
            loaded += (site / "search" / f"s{k}.js").stat().st_size
        out[q] = loaded
    return {"max": max(out.values()), "median": sorted(out.values())[len(out) // 2]}


def warm_queries(corpus: Path, home: Path) -> dict:
    from kb import KnowledgeBase

    kb = KnowledgeBase(home)
    for q in QUERIES:  # warm: index open, vocabulary loaded, caches filled
        kb.search(q)
    times = []
    for _ in range(5):
        for q in QUERIES:
            t = time.perf_counter()
            kb.search(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": times[len(times) // 2], "p95_ms": times[int(len(times) * 0.95) - 1], "n": len(times)}


STEPS = {f.__name__: f for f in (staged_ingest, parallel_ingest, jieba_floor, index_build, whoosh_floor,
                                 site_export, warm_queries)}

if __name__ == "__main__":
    step, corpus, home = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    result = STEPS[step](corpus, home)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))
