"""Stage 6 — find_mentions: every lexicon concept named in a sentence, with offsets.

Chinese (and mixed) names are found by longest match over characters;
English names and abbreviations over runs of Latin "words" joined by spaces
or hyphens, so a name can never match inside a longer word ("NE" is not in
"NEURON", "DA" not in "DAta").  English is case- and hyphen-insensitive;
abbreviations are case-sensitive.  Overlaps go to the longest match.
"""
from __future__ import annotations

import re

from .lexicon import Lexicon, name_key
from .models import Mention
from .trie import trie_regex

_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024fα-ωΑ-Ω*']+")
_GLUE = re.compile(r"^[\s\-‐‑–/]{0,3}$")
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
MAX_WORDS = 14


class ConceptMatcher:
    """Index of a Lexicon's names, built once, used for every sentence."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.zh: dict[str, str] = {}
        self.abbr: dict[str, str] = {}
        self.en: dict[str, str] = {}
        for c in lexicon.concepts:
            for name in c.zh + [n for n in c.en + c.abbr if _HAS_CJK.search(n)]:
                if len(name) >= 2:
                    self.zh[name] = c.concept_id
            for name in c.abbr:
                if not _HAS_CJK.search(name) and len(name) >= 2:
                    self.abbr[name] = c.concept_id
            for name in c.en:
                if not _HAS_CJK.search(name):
                    self.en[name_key(name)] = c.concept_id
        self.zh_pattern = trie_regex(self.zh)
        self.prefixes = _word_prefixes(list(self.abbr) + [n for c in lexicon.concepts for n in c.en])

    def _zh_candidates(self, text: str) -> list[Mention]:
        if self.zh_pattern is None:
            return []
        return [Mention(self.zh[m.group()], m.start(), m.end(), m.group(), "zh")
                for m in self.zh_pattern.finditer(text) if m.group() in self.zh]

    def _latin_lookup(self, span: str, key: str) -> tuple[str, str] | None:
        if span in self.abbr:
            return self.abbr[span], "abbr"
        if span.endswith("s") and span[:-1] in self.abbr and span[:-1].isupper():
            return self.abbr[span[:-1]], "abbr"
        if key.isdigit():
            return None
        cid = self.en.get(key) or (self.en.get(key[:-1]) if key.endswith("s") and len(key) > 4 else None)
        return (cid, "en") if cid else None

    def _latin_candidates(self, text: str) -> list[Mention]:
        words = list(_WORD.finditer(text))
        keys = [w.group().lower() if w.group().isascii() else name_key(w.group()) for w in words]
        out = []
        for i in range(len(words)):
            key, best = keys[i], None
            for j in range(i, min(len(words), i + MAX_WORDS)):
                if j > i:
                    gap = text[words[j - 1].end() : words[j].start()]
                    if not _GLUE.match(gap):
                        break
                    key += ("/" if "/" in gap else "") + keys[j]
                start, end = words[i].start(), words[j].end()
                hit = self._latin_lookup(text[start:end], key)
                if hit:
                    best = Mention(hit[0], start, end, text[start:end], hit[1])
                if key not in self.prefixes:
                    break
            if best:
                out.append(best)
        return out

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions in ``text``, in reading order."""
        cands = self._zh_candidates(text) + self._latin_candidates(text)
        cands.sort(key=lambda m: (-(m.end - m.start), m.start))
        taken: list[Mention] = []
        for m in cands:
            if all(m.end <= t.start or m.start >= t.end for t in taken):
                taken.append(m)
        return sorted(taken, key=lambda m: m.start)


def _word_prefixes(names: list[str]) -> set[str]:
    """name_key prefixes of every name at word boundaries: where a longer match may still come."""
    out = set()
    for name in names:
        words = [w for w in _WORD.findall(name)]
        key = ""
        for k, w in enumerate(words[:-1]):
            key += name_key(w)
            out.add(key)
            out.add(key + "/")
    return out


def find_mentions(text: str, matcher: ConceptMatcher) -> list[Mention]:
    """Mentions of lexicon concepts in one sentence (offsets into the sentence)."""
    return matcher.find(text)
