"""Score fact tagging against the hand-labelled gold set.

    python eval/eval_tagging.py [--split dev|heldout|all] [--errors]

Runs the real pipeline (read -> clean -> structure -> split -> annotate) on
the bundled corpus and on eval/extra_corpus (review-style texts written for
evaluation, see its README), matches sentences to eval/tagging_gold.jsonl by
corpus, document and text, and prints per-type precision, recall and F1 for
the dev part and the held-back part (a quarter of the labels, chosen by a
hash of the sentence id, never used to write rules), each also per corpus.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.annotate import Annotator, section_paths  # noqa: E402
from kb.pipeline import process_file  # noqa: E402
from kb.read import collect_files, read_manifest  # noqa: E402
from kb.tagging import TYPES  # noqa: E402

GOLD = ROOT / "eval" / "tagging_gold.jsonl"
CORPORA = {"corpus": ROOT / "corpus", "eval/extra_corpus": ROOT / "eval" / "extra_corpus"}


def load_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_of(row: dict) -> str:
    return row.get("corpus", "corpus")


def each_sentence(corpora: dict[str, Path]):
    """(corpus name, sentence, its concept categories, its section path) for every sentence
    the real pipeline makes of each corpus.  Each corpus gets a fresh Annotator, as a fresh
    KB would."""
    for name, folder in corpora.items():
        annotator, manifest = Annotator(), read_manifest(folder)
        files, _ = collect_files([folder])
        for path in files:
            doc = process_file(path, manifest.get(path.name), annotator)
            paths = section_paths(doc.sections)
            for s in doc.sentences:
                cats = [annotator.lexicon.by_id[m.concept_id].category for m in s.mentions]
                yield name, doc.doc_id, s, cats, paths.get(s.section_id, [])


def predict(corpora: dict[str, Path]) -> dict[tuple[str, str, str], list[str]]:
    """(corpus, doc_id, sentence text) -> predicted types, from the real pipeline."""
    return {(name, doc_id, s.text): [f.type for f in s.facts] for name, doc_id, s, _, _ in each_sentence(corpora)}


def key(row: dict) -> tuple[str, str, str]:
    return corpus_of(row), row["doc_id"], row["text"]


def score(rows: list[dict], pred: dict) -> dict[str, dict[str, float]]:
    table = {}
    for t in TYPES:
        tp = fp = fn = 0
        for r in rows:
            gold, got = t in r["types"], t in pred.get(key(r), [])
            tp += gold and got
            fp += got and not gold
            fn += gold and not got
        p = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * rc / (p + rc) if p + rc else 0.0
        table[t] = {"precision": p, "recall": rc, "f1": f, "support": tp + fn}
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "heldout", "all"], default=None)
    ap.add_argument("--errors", action="store_true", help="list disagreements (dev part only)")
    args = ap.parse_args()
    gold, pred = load_gold(), predict(CORPORA)
    missing = [g for g in gold if key(g) not in pred]
    print(f"{len(gold)} labelled sentences, {len(missing)} not found in the pipeline output")
    for split in ([args.split] if args.split else ["dev", "heldout"]):
        rows = [g for g in gold if split == "all" or g["split"] == split]
        table(f"{split}, all corpora", rows, pred)
        for name in CORPORA:
            table(f"{split}, {name}", [r for r in rows if corpus_of(r) == name], pred)
    if args.errors:
        for g in gold:
            got = sorted(pred.get(key(g), []))
            if g["split"] == "dev" and got != sorted(g["types"]):
                print(f"{g['sentence_id']}\tgold={g['types']}\tgot={got}\t{g['text'][:90]}")


def table(title: str, rows: list[dict], pred: dict) -> None:
    print(f"\n{title} ({len(rows)} sentences)\n{'type':<12}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for t, m in score(rows, pred).items():
        print(f"{t:<12}{m['precision']:7.3f}{m['recall']:7.3f}{m['f1']:7.3f}{m['support']:6d}")


if __name__ == "__main__":
    main()
