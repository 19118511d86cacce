"""Score bilingual search against the graded query set.

    python eval/eval_search.py [--home DIR] [--show QUERY_ID]

Builds a KB and index from the bundled corpus (in a temporary home unless
--home names an existing one), runs every query of eval/search_queries.json
through KnowledgeBase.search, and prints nDCG@10, Recall@10 and MRR overall
and per query language, plus the gap between English and Chinese queries
that express the same need.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb import KnowledgeBase  # noqa: E402

K = 10


def ndcg(ranked: list[str], rel: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** rel.get(s, 0) - 1) / math.log2(i + 2) for i, s in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], rel: dict[str, int], k: int = K) -> float:
    """Share of the relevant sentences in the top k (capped by k when more are relevant)."""
    hits = sum(1 for s in ranked[:k] if rel.get(s, 0) > 0)
    return hits / min(k, sum(1 for g in rel.values() if g > 0))


def mrr(ranked: list[str], rel: dict[str, int]) -> float:
    return next((1 / (i + 1) for i, s in enumerate(ranked) if rel.get(s, 0) > 0), 0.0)


def run(kb: KnowledgeBase, queries: list[dict]) -> list[dict]:
    rows = []
    for q in queries:
        ranked = [h.sentence_id for h in kb.search(q["query"], limit=K).hits]
        rows.append({**q, "ranked": ranked, "ndcg": ndcg(ranked, q["relevant"]),
                     "recall": recall(ranked, q["relevant"]), "mrr": mrr(ranked, q["relevant"])})
    return rows


def report(rows: list[dict]) -> None:
    groups = defaultdict(list)
    for r in rows:
        groups["all"].append(r)
        groups[r["lang"]].append(r)
    print(f"{'queries':<8}{'n':>4}{'nDCG@10':>10}{'R@10':>8}{'MRR':>8}")
    for name in ["all", "zh", "en", "abbr", "mixed"]:
        g = groups.get(name, [])
        if g:
            avg = lambda key: sum(r[key] for r in g) / len(g)  # noqa: E731
            print(f"{name:<8}{len(g):>4}{avg('ndcg'):>10.3f}{avg('recall'):>8.3f}{avg('mrr'):>8.3f}")
    needs = defaultdict(dict)
    for r in rows:
        if r.get("need"):
            needs[r["need"]][r["lang"]] = r["ndcg"]
    pairs = [(v["zh"], v["en"]) for v in needs.values() if "zh" in v and "en" in v]
    if pairs:
        zh, en = sum(p[0] for p in pairs) / len(pairs), sum(p[1] for p in pairs) / len(pairs)
        print(f"\nsame-need pairs: {len(pairs)}; nDCG@10 zh {zh:.3f}, en {en:.3f}, gap {zh - en:+.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", help="use this KB home (must hold the bundled corpus and an index)")
    ap.add_argument("--show", help="print the ranking of one query id")
    args = ap.parse_args()
    queries = json.loads((ROOT / "eval" / "search_queries.json").read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(args.home or tmp)
        if not args.home:
            kb.ingest([ROOT / "corpus"])
            kb.build_index()
        rows = run(kb, queries)
        report(rows)
        for r in rows:
            if args.show in (r["id"], "all"):
                print(f"\n{r['id']} {r['query']!r} nDCG {r['ndcg']:.3f}")
                for i, s in enumerate(r["ranked"], 1):
                    print(f"  {i:>2} {r['relevant'].get(s, 0)} {s}")
        kb.close()


if __name__ == "__main__":
    main()
