"""Fit the weights of the tagging evidence to the labelled dev sentences.

    python eval/fit_weights.py [--check | --cv]

The cues, categories and section patterns stay the hand-written ones of
kb/data/cues.json; this fits how much each counts.  For each type, a logistic
regression over the evidence kb.tagging.sentence_evidence finds (the type's own
cues, the 'none' and 'against' cues, its concept categories, the section prior)
on the dev part of eval/tagging_gold.jsonl only — never the held-back quarter —
with an L2 penalty that pulls each weight towards its hand weight (times SCALE),
so evidence seen in few labelled sentences keeps about the weight it was given
by hand.  Only sentences with some evidence of the type are fitted: the tagger
gives no type without one.  Writes kb/data/cue_weights.json (deterministic:
fixed order, fixed seed); --check only reports whether the file is current, --cv
cross-validates the settings instead of writing.

The penalty and the decision probability were chosen by 5-fold cross-validation
over dev documents (docs/tagging.md).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from eval_tagging import CORPORA, corpus_of, each_sentence, load_gold  # noqa: E402

from kb.data_files import DATA_DIR, load_json  # noqa: E402
from kb.tagging import TYPES, features, hand_weights, has_evidence, sentence_evidence  # noqa: E402

SCALE = 3.0  # hand weights are on a scale where 1.0 reaches the threshold; log-odds = SCALE * (score - threshold)
L2 = 1.0  # pull towards the hand weights
DECISION = {"definition": 0.5, "mechanism": 0.4, "treatment": 0.5}  # give a type at this probability
EPOCHS, RATE, SEED = 40, 0.2, 0
OUT = DATA_DIR / "cue_weights.json"


def sentence_inputs() -> dict[tuple[str, str, str], tuple[str, list[str], list[str]]]:
    """(corpus, doc_id, text) -> (text, concept categories, section path), from the real pipeline."""
    return {(name, doc_id, s.text): (s.text, cats, path) for name, doc_id, s, cats, path in each_sentence(CORPORA)}


def evidence_rows(t: str, gold: list[dict], inputs: dict) -> list[tuple[str, list[str] | None, int]]:
    """(doc_id, feature keys or None when the sentence has no evidence of type ``t``, 0/1 label)
    for each dev sentence: the tagger gives no type without evidence, so those are not fitted."""
    rows = []
    for g in gold:
        ev = sentence_evidence(*inputs[(corpus_of(g), g["doc_id"], g["text"])])
        keys = features(ev[t]) if ev is not None and has_evidence(ev[t]) else None
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
    types = {}
    for t in TYPES:
        rows = [r for r in evidence_rows(t, gold, inputs) if r[1] is not None]
        bias, weights = fit([r[1] for r in rows], [r[2] for r in rows], scaled_prior(cfg, t), -SCALE * cfg["threshold"])
        types[t] = {"bias": round(bias, 3), "sentences": len(rows), "weights": weights}
    comment = load_json("cue_weights.json")["comment"]
    return {"comment": comment, "scale": SCALE, "decision": DECISION, "l2": L2,
            "fitted_on": f"{len(gold)} dev sentences of eval/tagging_gold.jsonl", "types": types}


def cross_validate(grid_l2: list[float], grid_decision: list[float]) -> None:
    """Print F1 per type for each (L2, decision) over 5 folds of dev documents: each fold's
    sentences are tagged with weights fitted on the other four (what chose L2 and DECISION)."""
    import hashlib

    cfg = load_json("cues.json")
    gold = [g for g in load_gold() if g["split"] == "dev"]
    inputs = sentence_inputs()
    fold = {g["doc_id"]: int(hashlib.sha1(g["doc_id"].encode()).hexdigest(), 16) % 5 for g in gold}
    for t in TYPES:
        prior = scaled_prior(cfg, t)
        rows = [(fold[doc_id], keys, label) for doc_id, keys, label in evidence_rows(t, gold, inputs)]
        cells = []
        for l2 in grid_l2:
            probs = [0.0] * len(rows)
            for f in range(5):
                train = [r for r in rows if r[0] != f and r[1] is not None]
                bias, w = fit([r[1] for r in train], [r[2] for r in train], prior, -SCALE * cfg["threshold"], l2)
                for i, r in enumerate(rows):
                    if r[0] == f and r[1] is not None:
                        probs[i] = 1 / (1 + math.exp(-(bias + sum(w.get(k, prior.get(k, 0.0)) for k in r[1]))))
            for d in grid_decision:
                tp = sum(p >= d and r[2] for p, r in zip(probs, rows))
                fp = sum(p >= d and not r[2] for p, r in zip(probs, rows))
                fn = sum(p < d and r[2] for p, r in zip(probs, rows))
                cells.append(f"l2 {l2} p>={d}: {2 * tp / (2 * tp + fp + fn):.3f}")
        print(t, " | ".join(cells), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="report whether kb/data/cue_weights.json is current")
    ap.add_argument("--cv", action="store_true", help="cross-validate the penalty and decision instead of writing")
    args = ap.parse_args()
    if args.cv:
        cross_validate([0.05, 0.2, 0.5, 1.0, 2.0], [0.3, 0.4, 0.5])
        return
    text = json.dumps(fitted_weights(), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        current = OUT.read_text(encoding="utf-8") == text
        print("cue_weights.json is current" if current else "cue_weights.json is stale: run eval/fit_weights.py")
        sys.exit(0 if current else 1)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: " + ", ".join(f"{t} {v['sentences']} sentences" for t, v in
                                                         json.loads(text)["types"].items()))


if __name__ == "__main__":
    main()
