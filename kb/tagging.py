"""Stage 8 — tag_sentence: which facts a sentence states, and why.

In: a sentence's text, its concept mentions (with categories) and its section
path.  Out: :class:`Fact` objects — definition, mechanism, treatment — each
with its evidence (cue phrases, concept categories, section context) and a
confidence.  Every rule is data (kb/data/cues.json): cue lexicons, category
weights, section-heading patterns — nothing refers to particular sentences.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .cues import compile_cues
from .data_files import load_json
from .models import Fact

TYPES = ("definition", "mechanism", "treatment")
_NO_CUES = compile_cues([])


@lru_cache(maxsize=1)
def _rules() -> dict:
    cfg = load_json("cues.json")
    return {
        "threshold": cfg["threshold"],
        "types": {t: compile_cues(cfg["types"][t]["cues"]) for t in TYPES},
        "none": compile_cues(cfg["none"]),
        "categories": cfg["categories"],
        "sections": {t: (re.compile(p, re.I), w) for t, (p, w) in cfg["sections"].items()},
        "section_none": [re.compile(p, re.I) for p in cfg["section_none"]],
        "against": {t: compile_cues(pairs) for t, pairs in cfg.get("against", {}).items()},
        "moa": cfg.get("mechanism_of_action", {}),
        "mask": {t: re.compile(p, re.I) for t, p in cfg.get("mask", {}).items()},
    }


def tag_sentence(text: str, categories: list[str], section_path: list[str]) -> list[Fact]:
    """Facts stated by one sentence.

    ``categories`` are the concept categories of its mentions (one per
    mention); ``section_path`` the titles of its enclosing sections, outermost
    first.  Scores add cue weights, category weights (once per category) and a
    section prior (once, from the nearest enclosing heading that matches the type's
    pattern: a criteria subsection under "诊断标准" counts); 'none' cues subtract.  A type's mask (drug-class nouns for
    mechanism, responder groups for treatment) is blanked out before its cues
    are matched.  Confidence = score / (score + 1).
    """
    rules = _rules()
    section = " / ".join(section_path)
    if any(p.search(section) for p in rules["section_none"]):
        return []
    lower = text.lower()
    chars = set(lower)
    penalty, none_hits = rules["none"].hits(text, lower, chars)
    cats = Counter(categories)
    facts, cue_only = [], {}
    for t in TYPES:
        seen = rules["mask"][t].sub("\u3000", text) if t in rules["mask"] else text
        same = seen == text  # nothing masked: reuse the sentence's lower-cased text and characters
        score, hits = cue_only[t] = rules["types"][t].hits(seen, lower if same else None, chars if same else None)
        weights = rules["categories"].get(t, {})
        cat_hits = sorted(c for c in cats if c in weights)
        score += sum(weights[c] for c in cat_hits)
        pattern, weight = rules["sections"][t]
        sec_hit = next((title for title in reversed(section_path) if pattern.search(title)), "")
        if sec_hit:
            score += weight
        against, against_hits = rules["against"].get(t, _NO_CUES).hits(text, lower, chars)
        score -= penalty + against
        if score >= rules["threshold"] and (hits or cat_hits):
            evidence = {"cues": hits, "categories": cat_hits, "section": sec_hit,
                        "against": none_hits + against_hits, "score": round(score, 2)}
            facts.append(Fact(type=t, confidence=round(score / (score + 1.0), 2), evidence=evidence))
    treat_score, treat_hits = cue_only["treatment"]
    return _mechanism_of_action(facts, cats, rules["moa"], (treat_score - penalty, treat_hits))


def _mechanism_of_action(facts: list[Fact], cats: Counter, moa: dict, treat_cues: tuple[float, list[str]]) -> list[Fact]:
    """A mechanism sentence that names a drug or therapy, or talks of treating, states how a
    treatment works: treatment too.  ``treat_cues`` is (score net of 'none' cues, cue hits)."""
    types = {f.type for f in facts}
    named = sorted(c for c in cats if c in moa.get("categories", []))
    if "mechanism" in types and moa.get("adds") not in types and (named or treat_cues[0] >= moa.get("cue_score", 99)):
        mech = next(f for f in facts if f.type == "mechanism")
        facts.append(Fact(type=moa["adds"], confidence=mech.confidence,
                          evidence={"cues": treat_cues[1], "categories": named, "section": "", "against": [],
                                    "rule": "mechanism of action", "score": mech.evidence["score"]}))
    return sorted(facts, key=lambda f: TYPES.index(f.type))
