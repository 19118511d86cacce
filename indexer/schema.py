"""The whoosh schema (the one place that defines the index's fields).

One document per sentence.  ``text`` holds jieba tokens with ordinal
positions (phrase queries work on Chinese); ``names`` holds every Chinese,
English and abbreviated name of every concept the sentence mentions, so
either language reaches it; ``payload`` stores what a hit displays, so a
search needs no second trip to SQLite.
"""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import bilingual_analyzer

FIELD_BOOSTS = {"text": 1.0, "names": 0.6, "section": 0.3}


def make_schema() -> Schema:
    analyzer = bilingual_analyzer()
    return Schema(
        sentence_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        ord=NUMERIC(stored=True, sortable=True),
        text=TEXT(analyzer=analyzer, phrase=True, field_boost=FIELD_BOOSTS["text"]),
        names=TEXT(analyzer=analyzer, phrase=False, field_boost=FIELD_BOOSTS["names"]),
        section=TEXT(analyzer=analyzer, phrase=True, field_boost=FIELD_BOOSTS["section"]),
        concepts=KEYWORD(stored=True, commas=True, scorable=True),  # one id per mention: tf = mentions
        ancestors=KEYWORD(commas=True),  # broader concepts of those mentioned: "antidepressants" finds fluoxetine
        types=KEYWORD(stored=True, commas=True),
        tier=KEYWORD(commas=True),  # keys of the frequent terms this sentence is a champion for (indexer.tiers)
        lang=ID(stored=True),
        payload=STORED,
    )
