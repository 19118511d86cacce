"""The bilingual concept lexicon (kb/data/lexicon.json)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .models import Concept


@dataclass
class Lexicon:
    concepts: list[Concept] = field(default_factory=list)


def load_lexicon() -> Lexicon:
    return Lexicon()
