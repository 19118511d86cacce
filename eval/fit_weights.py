"""Fit the weights of the tagging evidence to the labelled dev sentences.

    python eval/fit_weights.py [--check | --cv]

The cues, categories and section patterns stay the hand-written ones of
kb/data/cues.json; this fits how much each counts.  For each type, a logistic
regression over the evidence kb.tagging.sentence_evidence finds (the type's own
cues, the 'none' and 'against' cues, its concept categories, the section prior)
on the dev part of eval/tagging_gold.jsonl only — never the held-back quarter —
with an L2 penalty that pulls each weight towards its hand weight (times SCALE),
so evidence seen in few labelled sentences keeps about the weight it was given
by hand.  The sentence's character n-grams (2 and 3 characters) and Latin words
and word pairs, those found in at least MIN_DOCS dev documents, are features of
the same regression, pulled towards 0, as is 'no cue' (no cue or category of the
type).  Writes kb/data/cue_weights.json (deterministic: fixed order, fixed seed);
--check only reports whether the file is current, --cv cross-validates the
settings instead of writing.

The penalty, the n-gram settings and the decision probability were chosen by
5-fold cross-validation over dev documents (docs/tagging.md).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from eval_tagging import CORPORA, corpus_of, each_sentence, load_gold  # noqa: E402

from kb.data_files import DATA_DIR, load_json  # noqa: E402
from kb.sentences import sentence_lang  # noqa: E402
from kb.tagging import NGRAM, TYPES, features, hand_weights, sentence_evidence, text_ngrams  # noqa: E402

SCALE = 3.0  # hand weights are on a scale where 1.0 reaches the threshold; log-odds = SCALE * (score - threshold)
L2 = 0.3  # pull towards the hand weights (n-grams: towards 0)
DECISION = {"definition": 0.3, "mechanism": 0.3, "treatment": 0.45}  # give a type at this probability
NGRAM_SIZES = (2, 3)
MIN_DOCS = 3  # an n-gram is a feature when this many dev documents hold it
KEEP = 0.005  # n-grams whose fitted weights are all smaller than this are not written
EPOCHS, RATE, SEED = 40, 0.2, 0
OUT = DATA_DIR / "cue_weights.json"


def sentence_inputs() -> dict[tuple[str, str, str], tuple[set[str], dict | None]]:
    """(corpus, doc_id, text) -> (all its n-grams, its evidence), from the real pipeline: what
    kb.tagging.text_ngrams and kb.tagging.sentence_evidence give, computed once per sentence
    (the evidence is None in a methods section)."""
    inputs = {}
    for name, doc_id, s, cats, path in each_sentence(CORPORA):
        spans = [(m.start, m.end) for m in s.mentions]
        inputs[(name, doc_id, s.text)] = (text_ngrams(s.text, NGRAM_SIZES, spans),
                                          sentence_evidence(s.text, cats, path, spans))
    return inputs


def ngram_vocabulary(gold: list[dict], inputs: dict) -> set[str]:
    """The n-grams found in at least MIN_DOCS documents of ``gold``: the fit's n-gram features."""
    docs = defaultdict(set)
    for g in gold:
        docs[(corpus_of(g), g["doc_id"])] |= inputs[(corpus_of(g), g["doc_id"], g["text"])][0]
    count = Counter(gram for grams in docs.values() for gram in grams)
    return {gram for gram, n in count.items() if n >= MIN_DOCS}


def evidence_rows(t: str, gold: list[dict], inputs: dict, vocab: set[str]) -> list[tuple[str, list[str] | None, int]]:
    """(doc_id, feature keys of type ``t`` with the n-grams of ``vocab``, 0/1 label) for each dev
    sentence; keys are None in a methods section, where the tagger gives nothing."""
    rows = []
    for g in gold:
        grams, ev = inputs[(corpus_of(g), g["doc_id"], g["text"])]
        keys = None if ev is None else features({**ev[t], "ngrams": sorted(grams & vocab)})
        rows.append((g["doc_id"], keys, int(t in g["types"])))
    return rows


def scaled_prior(cfg: dict, t: str) -> dict[str, float]:
    """The hand weights of type ``t`` on the log-odds scale the fit works in."""
    return {k: SCALE * v for k, v in hand_weights(cfg, t).items()}


def fit(xs: list[list[str]], ys: list[int], prior: dict[str, float], bias: float,
        l2: float = L2) -> tuple[float, dict[str, float]]:
    """Logistic regression by AdaGrad, each weight pulled towards ``prior`` (0 where it has none)."""
    w, b = defaultdict(float, prior), bias
    g2, gb = defaultdict(float), 0.0
    order, rng = list(range(len(xs))), random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            z = b + sum(w[k] for k in xs[i])
            g = 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - ys[i]
            gb += g * g
            b -= RATE * g / math.sqrt(gb + 1e-8)
            for k in xs[i]:
                gk = g + l2 * (w[k] - prior.get(k, 0.0))
                g2[k] += gk * gk
                w[k] -= RATE * gk / math.sqrt(g2[k] + 1e-8)
    seen = {k for x in xs for k in x}
    return b, {k: round(w[k], 3) for k in sorted(seen)}


def fitted_weights() -> dict:
    cfg = load_json("cues.json")
    gold = [g for g in load_gold() if g["split"] == "dev"]
    inputs = sentence_inputs()
    vocab = ngram_vocabulary(gold, inputs)
    types, grams = {}, defaultdict(lambda: [0.0] * len(TYPES))
    for i, t in enumerate(TYPES):
        rows = [r for r in evidence_rows(t, gold, inputs, vocab) if r[1] is not None]
        bias, weights = fit([r[1] for r in rows], [r[2] for r in rows], scaled_prior(cfg, t), -SCALE * cfg["threshold"])
        for key in [k for k in weights if k.startswith(NGRAM)]:
            grams[key[len(NGRAM):]][i] = weights.pop(key)
        types[t] = {"bias": round(bias, 3), "sentences": len(rows), "weights": weights}
    kept = {g: ws for g, ws in sorted(grams.items()) if max(abs(w) for w in ws) >= KEEP}
    comment = load_json("cue_weights.json")["comment"]
    return {"comment": comment, "scale": SCALE, "decision": DECISION, "l2": L2,
            "fitted_on": f"{len(gold)} dev sentences of eval/tagging_gold.jsonl", "types": types,
            "ngrams": {"sizes": list(NGRAM_SIZES), "min_docs": MIN_DOCS, "weights": kept}}


def cross_validate(grid_l2: list[float], grid_decision: list[float]) -> None:
    """Print F1 per type for each (L2, decision) over 5 folds of dev documents: each fold's
    sentences are tagged with weights fitted on the other four (what chose L2 and DECISION)."""
    import hashlib

    cfg = load_json("cues.json")
    gold = [g for g in load_gold() if g["split"] == "dev"]
    inputs = sentence_inputs()
    fold = {g["doc_id"]: int(hashlib.sha1(g["doc_id"].encode()).hexdigest(), 16) % 5 for g in gold}
    vocab = [ngram_vocabulary([g for g in gold if fold[g["doc_id"]] != f], inputs) for f in range(5)]
    english = [sentence_lang(g["text"]) == "en" for g in gold]
    for t in TYPES:
        prior = scaled_prior(cfg, t)
        rows = [[(fold[doc_id], keys, label) for doc_id, keys, label in evidence_rows(t, gold, inputs, vocab[f])]
                for f in range(5)]  # each fold's rows see only the n-grams of the other four folds
        cells = []
        for l2 in grid_l2:
            probs = [0.0] * len(gold)
            for f in range(5):
                train = [r for r in rows[f] if r[0] != f and r[1] is not None]
                bias, w = fit([r[1] for r in train], [r[2] for r in train], prior, -SCALE * cfg["threshold"], l2)
                for i, r in enumerate(rows[f]):
                    if r[0] == f and r[1] is not None:
                        probs[i] = 1 / (1 + math.exp(-(bias + sum(w.get(k, prior.get(k, 0.0)) for k in r[1]))))
            labels = [r[2] for r in rows[0]]
            for d in grid_decision:
                cells.append(f"l2 {l2} p>={d}: {_f1(probs, labels, d):.3f} (English {_f1(probs, labels, d, english):.3f})")
        print(t, " | ".join(cells), flush=True)


def _f1(probs: list[float], labels: list[int], decision: float, only: list[bool] | None = None) -> float:
    """F1 of deciding at ``decision`` (over the rows ``only`` marks, when given)."""
    keep = only or [True] * len(labels)
    tp = sum(p >= decision and y and k for p, y, k in zip(probs, labels, keep))
    fp = sum(p >= decision and not y and k for p, y, k in zip(probs, labels, keep))
    fn = sum(p < decision and y and k for p, y, k in zip(probs, labels, keep))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def render(fitted: dict) -> str:
    """The weights file's text: indented JSON, one n-gram per line."""
    grams = fitted["ngrams"]["weights"]
    text = json.dumps({**fitted, "ngrams": {**fitted["ngrams"], "weights": "@GRAMS@"}}, ensure_ascii=False, indent=1)
    lines = ",\n".join(f"   {json.dumps(g, ensure_ascii=False)}: {json.dumps(ws)}" for g, ws in grams.items())
    return text.replace('"@GRAMS@"', "{\n" + lines + "\n  }" if grams else "{}") + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report whether kb/data/cue_weights.json is current")
    ap.add_argument("--cv", action="store_true", help="cross-validate the penalty and decision instead of writing")
    ap.add_argument("--l2", default="0.3,1.0,3.0", help="penalties to cross-validate (comma-separated)")
    args = ap.parse_args()
    if args.cv:
        cross_validate([float(x) for x in args.l2.split(",")], [0.2, 0.3, 0.4, 0.45, 0.5])
        return
    text = render(fitted_weights())
    if args.check:
        current = OUT.read_text(encoding="utf-8") == text
        print("cue_weights.json is current" if current else "cue_weights.json is stale: run eval/fit_weights.py")
        sys.exit(0 if current else 1)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: " + ", ".join(f"{t} {v['sentences']} sentences" for t, v in
                                                         json.loads(text)["types"].items()))


if __name__ == "__main__":
    main()
