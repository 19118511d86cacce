"""Helpers shared by the tagging tests: tag a hand-built sentence as the annotator would.

``categories`` are what the lexicon matcher gives for a sentence (one per mention), passed by the test;
the mention spans (masked in the n-grams) come from the real matcher.  Every fact returned is checked
for the invariants a user relies on (one fact per type, canonical order, a confidence, some evidence).
"""
from __future__ import annotations

from functools import lru_cache

from kb.lexicon import load_lexicon
from kb.mentions import ConceptMatcher
from kb.tagging import TYPES, tag_sentence


@lru_cache(maxsize=1)
def matcher():
    return ConceptMatcher(load_lexicon())


def tag(text, categories, section_path=()):
    spans = [(m.start, m.end) for m in matcher().find(text)]
    facts = tag_sentence(text, list(categories), list(section_path), spans)
    check_facts(facts)
    return facts


def types(text, categories, section_path=()):
    return [f.type for f in tag(text, categories, section_path)]


def check_facts(facts):
    got = [f.type for f in facts]
    assert len(got) == len(set(got)), f"a type given twice: {got}"
    assert got == sorted(got, key=TYPES.index), f"types out of canonical order: {got}"
    for f in facts:
        assert f.type in TYPES
        assert 0 < f.confidence < 1, f"confidence {f.confidence} of {f.type}"
        ev = f.evidence
        assert ev.get("cues") or ev.get("categories") or ev.get("learned"), f"{f.type} fact without evidence: {ev}"
        assert isinstance(ev.get("cues"), list) and isinstance(ev.get("categories"), list)
