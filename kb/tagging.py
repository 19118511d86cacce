"""Stage 8 — tag_sentence: which facts a sentence states, and why.

In: a sentence's text, its concept mentions (with categories) and its section
path.  Out: :class:`Fact` objects — definition, mechanism, treatment — each
with its evidence (cue phrases, concept categories, section context) and a
confidence.  Every rule is data: the cue lexicons, category weights and
section-heading patterns of kb/data/cues.json, written by hand; nothing refers
to particular sentences.

How much each piece of evidence counts comes from kb/data/cue_weights.json
when it holds a weight for it: weights fitted to the labelled dev sentences by
eval/fit_weights.py, pulled towards the hand-written ones (see docs/tagging.md).
Evidence the fit has no weight for — a cue added by hand since — counts with
its hand weight.  The same fit weighs the sentence's character n-grams (words
and word pieces seen in at least a few labelled documents) and, for English,
its words and word pairs, which catch wordings no cue names; a tag records the
n-grams that pushed it most.  A type's score is a log-odds:
confidence = 1 / (1 + e^-score).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .citations import CITATION
from .cues import CueList, char_pairs, compile_cues
from .data_files import load_json
from .models import Fact

TYPES = ("definition", "mechanism", "treatment")
SECTION = "section"  # feature key of the section prior
NGRAM = "ng:"  # feature-key prefix of a character n-gram
NO_CUE = "no-cue"  # feature key: the sentence has no cue or category of the type
LEARNED_SHOWN = 5  # n-grams recorded as a tag's evidence
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
CONCEPT_MARK = "□"  # stands for a recognised concept in the n-grams: they weigh wording, not topics
WORD = "w:"  # key prefix of a Latin word or word pair among the n-grams
_LATIN = re.compile(r"[a-z]")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|" + CONCEPT_MARK + r"|0")
_JOIN = re.compile(r"[\s\-]+")


@lru_cache(maxsize=1)
def _rules() -> dict:
    cfg, ngrams = load_json("cues.json"), load_json("cue_weights.json")["ngrams"]
    return {
        "types": {t: _keyed(cfg["types"][t]["cues"], f"{t}:") for t in TYPES},
        "none": _keyed(cfg["none"], "none:"),
        "against": {t: _keyed(cfg.get("against", {}).get(t, []), f"against.{t}:") for t in TYPES},
        "categories": cfg["categories"],
        "sections": {t: (re.compile(p, re.I), w) for t, (p, w) in cfg["sections"].items()},
        "section_none": [re.compile(p, re.I) for p in cfg["section_none"]],
        "moa": cfg.get("mechanism_of_action", {}),
        "mask": {t: re.compile(p, re.I) for t, p in cfg.get("mask", {}).items()},
        "model": _model(cfg),
        "ngram_sizes": tuple(ngrams["sizes"]),
        "ngrams": {g: tuple(ws) for g, ws in ngrams["weights"].items()},
        "hand_treatment": hand_weights(cfg, "treatment"),
    }


def _keyed(pairs: list, prefix: str) -> tuple[CueList, list[str]]:
    """A compiled cue list and the feature key of each cue ('<list>:<regex>', stable across edits)."""
    return compile_cues(pairs), [prefix + pattern for pattern, _ in pairs]


def _model(cfg: dict) -> dict:
    """Per type: bias, the weight of every feature key (fitted where cue_weights.json has one,
    else the hand weight times the fit's scale) and the decision log-odds."""
    fitted = load_json("cue_weights.json")
    scale = fitted["scale"]
    model = {}
    for t in TYPES:
        prior = hand_weights(cfg, t)
        weights = {k: scale * w for k, w in prior.items()} | fitted["types"][t]["weights"]
        model[t] = {"bias": fitted["types"][t]["bias"], "weights": weights,
                    "decision": math.log(fitted["decision"][t] / (1 - fitted["decision"][t]))}
    return model


def hand_weights(cfg: dict, t: str) -> dict[str, float]:
    """The hand-written weight of each feature of type ``t``: its own cues, the 'none' and its
    'against' cues (negative), its concept categories and its section prior."""
    weights = {f"{t}:{p}": w for p, w in cfg["types"][t]["cues"]}
    weights |= {f"none:{p}": -w for p, w in cfg["none"]}
    weights |= {f"against.{t}:{p}": -w for p, w in cfg.get("against", {}).get(t, [])}
    weights |= {f"category:{c}": w for c, w in cfg["categories"].get(t, {}).items()}
    weights[SECTION] = cfg["sections"][t][1]
    return weights


def text_ngrams(text: str, sizes: tuple[int, ...], spans=()) -> set[str]:
    """The wording features of ``text``: its character n-grams, and its Latin words and word
    pairs (keyed WORD + "word" / WORD + "word word"), where English wording lives.  Each concept
    mention (``spans``, (start, end) offsets) counts as one CONCEPT_MARK; the text is lower-cased,
    numbers become 0, citation markers go, no n-gram spans a space.  The wording the fitted
    n-gram weights are keyed by — so which drug or region a sentence names counts through its
    category, never through its name."""
    pieces, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            pieces += [text[last:start], CONCEPT_MARK]
            last = end
    norm = _NUMBER.sub("0", CITATION.sub("", "".join(pieces) + text[last:]).lower())
    grams = {chunk[i : i + n] for chunk in norm.split() for n in sizes for i in range(len(chunk) - n + 1)}
    return grams | _words(norm) if _LATIN.search(norm) else grams


def _words(norm: str) -> set[str]:
    """WORD-keyed Latin words (and marks, numbers) of a normalised text, and the pairs of them
    that stand next to each other (only spaces or a hyphen between)."""
    found = list(_WORD.finditer(norm))
    out = {WORD + m.group() for m in found}
    out |= {f"{WORD}{a.group()} {b.group()}" for a, b in zip(found, found[1:])
            if _JOIN.fullmatch(norm, a.end(), b.start())}
    return out


def sentence_evidence(text: str, categories: list[str], section_path: list[str], spans=()) -> dict | None:
    """What a sentence offers each type, before weighing: per type, the cue phrases found (by
    feature key), the categories, the matching section title, and the sentence's n-grams
    (those the model weighs).  None for sentences in a methods section (literature search),
    which state no facts.  Shared by tag_sentence and the weight fit, so both see exactly the
    same evidence."""
    rules = _rules()
    if any(p.search(" / ".join(section_path)) for p in rules["section_none"]):
        return None
    lower = text.lower()
    chars, pairs = set(lower), char_pairs(lower)
    against_all = _found(rules["none"], text, lower, chars, pairs)
    grams = sorted(text_ngrams(text, rules["ngram_sizes"], spans) & rules["ngrams"].keys())
    out = {}
    for t in TYPES:
        seen = rules["mask"][t].sub("\u3000", text) if t in rules["mask"] else text
        same = seen == text  # nothing masked: reuse the sentence's lower-cased text, characters and pairs
        cues = _found(rules["types"][t], seen, *((lower, chars, pairs) if same else (None, None, None)))
        pattern, _ = rules["sections"][t]
        out[t] = {"cues": cues, "against": against_all | _found(rules["against"][t], text, lower, chars, pairs),
                  "categories": sorted({c for c in categories if c in rules["categories"].get(t, {})}),
                  "section": next((title for title in reversed(section_path) if pattern.search(title)), ""),
                  "ngrams": grams}
    return out


def _found(keyed: tuple[CueList, list[str]], text: str, lower: str | None, chars: set | None,
           pairs: set | None) -> dict[str, list[str]]:
    """Feature key -> phrases found, for the cues of one list found in ``text``."""
    cues, keys = keyed
    return {keys[i]: phrases for i, phrases in cues.found(text, lower, chars, pairs).items()}


def has_evidence(evidence: dict) -> bool:
    """Whether one type's evidence holds a cue or a category of it (else NO_CUE is switched on)."""
    return bool(evidence["cues"] or evidence["categories"])


def features(evidence: dict) -> list[str]:
    """The feature keys one type's evidence switches on (what the weights are fitted to)."""
    return _rule_features(evidence) + [NGRAM + g for g in evidence["ngrams"]]


def _rule_features(evidence: dict) -> list[str]:
    """The feature keys of the hand-written evidence (all but the n-grams)."""
    keys = list(evidence["cues"]) + list(evidence["against"])
    keys += [f"category:{c}" for c in evidence["categories"]]
    return keys + ([SECTION] if evidence["section"] else []) + ([] if has_evidence(evidence) else [NO_CUE])


def tag_sentence(text: str, categories: list[str], section_path: list[str], spans=()) -> list[Fact]:
    """Facts stated by one sentence.

    ``categories`` are the concept categories of its mentions (one per mention);
    ``section_path`` the titles of its enclosing sections, outermost first; ``spans`` the
    (start, end) offsets of those mentions, masked in the n-grams.  A type's
    score adds the bias and the weights of its evidence: its cues, the 'none' cues and its
    'against' cues, its categories (once each) and the section prior (from the nearest
    enclosing heading that matches the type's pattern, so a criteria subsection under
    "诊断标准" counts).  A type's mask (drug-class nouns for mechanism, responder groups for
    treatment) is blanked out before its cues are matched.  The weights of the sentence's
    n-grams and Latin words add in too.  The type is given when the score reaches the decision
    log-odds; its evidence lists the n-grams and words that added most ('learned')."""
    evidence = sentence_evidence(text, categories, section_path, spans)
    if evidence is None:
        return []
    rules = _rules()
    facts, table = [], rules["ngrams"]
    grams = evidence[TYPES[0]]["ngrams"]  # the same for every type
    ngram_sums = [sum(col) for col in zip(*map(table.__getitem__, grams))] or [0.0] * len(TYPES)
    for i, t in enumerate(TYPES):
        ev, model = evidence[t], rules["model"][t]
        score = model["bias"] + ngram_sums[i] + sum(model["weights"].get(k, 0.0) for k in _rule_features(ev))
        if score >= model["decision"] - 1e-9:
            learned = sorted((g for g in ev["ngrams"] if table[g][i] > 0), key=lambda g: -table[g][i])
            facts.append(Fact(type=t, confidence=min(0.99, round(1 / (1 + math.exp(-score)), 2)), evidence={
                "cues": _phrases(ev["cues"]), "categories": ev["categories"], "section": ev["section"],
                "against": _phrases(ev["against"]), "learned": [g.removeprefix(WORD) for g in learned[:LEARNED_SHOWN]],
                "score": round(score, 2)}))
    return _mechanism_of_action(facts, categories, rules, evidence["treatment"])


def _phrases(found: dict[str, list[str]]) -> list[str]:
    return [p for phrases in found.values() for p in phrases]


def _mechanism_of_action(facts: list[Fact], categories: list[str], rules: dict, treat: dict) -> list[Fact]:
    """A mechanism sentence that names a drug or therapy, or talks of treating, states how a
    treatment works: treatment too.  ``treat`` is the treatment evidence; its cues count
    with their hand weights, net of the 'none' cues, against the rule's cue_score."""
    moa = rules["moa"]
    types = {f.type for f in facts}
    named = sorted({c for c in categories if c in moa.get("categories", [])})
    hand = rules["hand_treatment"]
    cue_score = sum(hand[k] for k in treat["cues"]) + sum(hand[k] for k in treat["against"] if k.startswith("none:"))
    if "mechanism" in types and moa.get("adds") not in types and (named or cue_score >= moa.get("cue_score", 99)):
        mech = next(f for f in facts if f.type == "mechanism")
        facts.append(Fact(type=moa["adds"], confidence=mech.confidence,
                          evidence={"cues": _phrases(treat["cues"]), "categories": named, "section": "", "against": [],
                                    "rule": "mechanism of action", "score": mech.evidence["score"]}))
    return sorted(facts, key=lambda f: TYPES.index(f.type))
