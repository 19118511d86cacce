"""Stage 5 — annotate: term mining, segmentation, concept mentions, quantities and facts.

In: a structured Document with sentences.  Out: the same Document with
``term_pairs`` and, per sentence, ``tokens``, ``mentions``, ``quantities``
and ``facts``.  One :class:`Annotator` holds the lexicon, its matcher and
jieba's dictionary for a whole run, and grows with the terms it mines.
"""
from __future__ import annotations

from .lexicon import Lexicon, add_mined, load_lexicon
from .mentions import ConceptMatcher
from .mining import concepts_from_pairs, mine_term_pairs
from .models import Concept, Document, Section, TermPair
from .quantities import extract_quantities
from .segment import add_words, load_lexicon_words, segment
from .tagging import tag_sentence


def section_paths(sections: list[Section]) -> dict[str, list[str]]:
    """Section id -> titles from the outermost section down to it."""
    by_id = {s.section_id: s for s in sections}
    paths = {}
    for s in sections:
        path, cur = [], s
        while cur:
            path.insert(0, cur.title)
            cur = by_id.get(cur.parent_id) if cur.parent_id else None
        paths[s.section_id] = path
    return paths


class Annotator:
    """Callable Document -> Document that adds every annotation."""

    def __init__(self, mined: list[Concept] | None = None, extensions: list[TermPair] | None = None):
        self.lexicon: Lexicon = load_lexicon(extra=mined)
        for pair in extensions or []:
            if pair.concept_id in self.lexicon.by_id:
                self.lexicon.extend(pair.concept_id, [pair.zh, pair.en, pair.abbr])
        self.matcher = ConceptMatcher(self.lexicon)
        self.dirty: set[str] = set()  # concepts added or renamed since the store last saw them
        load_lexicon_words(self.lexicon)

    def learn(self, pairs: list[TermPair]) -> None:
        """Grow the lexicon with a document's mined pairs (new concepts, extra names)."""
        changed = False
        for concept in concepts_from_pairs(pairs, self.lexicon):
            before = len(self.lexicon.concepts)
            add_mined(self.lexicon, concept)
            if len(self.lexicon.concepts) > before:
                self.dirty.add(self.lexicon.concepts[-1].concept_id)
                changed = True
        for p in pairs:
            if p.status == "extends" and self.lexicon.extend(p.concept_id, [p.zh, p.en, p.abbr]):
                self.dirty.add(p.concept_id)
                changed = True
        if changed:
            self.matcher = ConceptMatcher(self.lexicon)
            add_words(p.zh for p in pairs if p.zh)

    def __call__(self, doc: Document) -> Document:
        doc = mine_term_pairs(doc, self.lexicon)
        self.learn(doc.term_pairs)
        paths = section_paths(doc.sections)
        for sent in doc.sentences:
            sent.tokens = segment(sent.text)
            sent.mentions = self.matcher.find(sent.text)
            sent.quantities = extract_quantities(sent.text)
            cats = [self.lexicon.by_id[m.concept_id].category for m in sent.mentions]
            spans = [(m.start, m.end) for m in sent.mentions]
            sent.facts = tag_sentence(sent.text, cats, paths.get(sent.section_id, []), spans)
        return doc
