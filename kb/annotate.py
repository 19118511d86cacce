"""Stage 5 — annotate: segmentation, concept mentions, facts and quantities (see issue #3)."""
from __future__ import annotations

from .models import Document


class Annotator:
    def __init__(self):
        from .lexicon import load_lexicon

        self.lexicon = load_lexicon()

    def __call__(self, doc: Document) -> Document:
        return doc
