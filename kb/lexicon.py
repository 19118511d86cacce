"""The bilingual concept lexicon: kb/data/lexicon.json, validated, indexed for lookup.

In: the JSON data file (plus mined concepts).  Out: a :class:`Lexicon` that
maps any name — Chinese, English (case- and hyphen-insensitive) or an exact
abbreviation — to one concept id.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .data_files import DATA_DIR, load_json
from .errors import LexiconError
from .models import Concept

LEXICON_FILE = "lexicon.json"
MINED_CATEGORY = "mined"
_ID = re.compile(r"^[a-z0-9_]+$")


_JOINERS = re.compile(r"[\s\-‐‑–—_·]+")


def name_key(name: str) -> str:
    """Normalise a name for comparison: NFKC, no accents, lower case, no spaces or hyphens."""
    if name.isascii():  # every Unicode normalisation leaves ASCII as it is (the common case, and fast)
        return _JOINERS.sub("", name).lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))  # Åsberg -> Asberg
    return unicodedata.normalize("NFC", _JOINERS.sub("", plain)).lower()


@dataclass
class Lexicon:
    concepts: list[Concept] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, Concept] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)  # name_key -> concept id

    def add(self, concept: Concept) -> None:
        """Add a concept; a name already owned by another concept is a LexiconError."""
        if concept.concept_id in self.by_id:
            raise LexiconError(f"{LEXICON_FILE}: duplicate concept id '{concept.concept_id}'")
        for name in concept.zh + concept.en + concept.abbr:
            key = name_key(name)
            owner = self.by_key.get(key)
            if owner and owner != concept.concept_id:
                raise LexiconError(f"{LEXICON_FILE}: name '{name}' of '{concept.concept_id}' already belongs to '{owner}'")
            self.by_key[key] = concept.concept_id
        self.by_id[concept.concept_id] = concept
        self.concepts.append(concept)

    def extend(self, concept_id: str, names: list[str]) -> list[str]:
        """Give a known concept extra names nobody owns yet (mined aliases); return those added."""
        concept, added = self.by_id[concept_id], []
        for name in names:
            key = name_key(name)
            if not name or key in self.by_key:
                continue
            form = "zh" if re.search(r"[\u4e00-\u9fff]", name) else ("abbr" if sum(ch.isupper() for ch in name) >= 2 and " " not in name else "en")
            getattr(concept, form).append(name)
            self.by_key[key] = concept_id
            added.append(name)
        return added

    def lookup(self, name: str) -> Concept | None:
        """The concept any of whose names normalises like ``name``."""
        cid = self.by_key.get(name_key(name))
        return self.by_id.get(cid) if cid else None

    def names(self, concept_id: str) -> list[str]:
        c = self.by_id[concept_id]
        return c.zh + c.en + c.abbr


def load_lexicon(extra: list[Concept] | None = None) -> Lexicon:
    """Load and validate the lexicon data file; append ``extra`` (mined) concepts."""
    data = load_json(LEXICON_FILE)
    lex = Lexicon(categories=dict(data.get("categories", {})))
    lex.categories.setdefault(MINED_CATEGORY, "Terms mined from the corpus, not yet curated")
    for raw in data.get("concepts", []):
        cid, cat = raw.get("id", ""), raw.get("category", "")
        if not _ID.match(cid):
            raise LexiconError(f"{DATA_DIR / LEXICON_FILE}: bad concept id '{cid}'")
        if cat not in lex.categories:
            raise LexiconError(f"{DATA_DIR / LEXICON_FILE}: concept '{cid}' has unknown category '{cat}'")
        names = {k: [n.strip() for n in raw.get(k, []) if n and n.strip()] for k in ("zh", "en", "abbr")}
        if not any(names.values()):
            raise LexiconError(f"{DATA_DIR / LEXICON_FILE}: concept '{cid}' has no names")
        lex.add(Concept(concept_id=cid, category=cat, broader=list(raw.get("broader", [])),
                        related=list(raw.get("related", [])), **names))
    _check_links(lex)
    for concept in extra or []:
        if concept.concept_id not in lex.by_id:
            add_mined(lex, concept)
    return lex


def _check_links(lex: Lexicon) -> None:
    """Every broader/related id exists and no concept is its own ancestor."""
    for c in lex.concepts:
        for other in c.broader + c.related:
            if other not in lex.by_id:
                raise LexiconError(f"{DATA_DIR / LEXICON_FILE}: concept '{c.concept_id}' links to unknown concept '{other}'")
        if c.concept_id in ancestors({x.concept_id: x.broader for x in lex.concepts}, c.concept_id):
            raise LexiconError(f"{DATA_DIR / LEXICON_FILE}: concept '{c.concept_id}' is its own ancestor (broader cycle)")


def ancestors(broader: dict[str, list[str]], concept_id: str) -> list[str]:
    """All broader concepts of a concept (id -> broader ids map), nearest first, up to the top."""
    out: list[str] = []
    frontier = list(broader.get(concept_id, []))
    while frontier:
        cid = frontier.pop(0)
        if cid not in out:
            out.append(cid)
            frontier.extend(broader.get(cid, []))
    return out


def add_mined(lex: Lexicon, concept: Concept) -> None:
    """Add a mined concept, dropping any name the curated lexicon already owns."""
    keep = {k: [n for n in getattr(concept, k) if name_key(n) not in lex.by_key] for k in ("zh", "en", "abbr")}
    if any(keep.values()):
        lex.add(Concept(concept_id=concept.concept_id, category=concept.category, source="mined",
                        doc_id=concept.doc_id, **keep))
