"""Stage 6 — find_mentions: every lexicon concept named in a sentence, with offsets.

Chinese (and mixed) names are found by longest match over characters;
English names and abbreviations over runs of Latin "words" joined by spaces
or hyphens, so a name can never match inside a longer word ("NE" is not in
"NEURON", "DA" not in "DAta").  English is case- and hyphen-insensitive;
abbreviations are case-sensitive.  Overlaps go to the longest match.
"""
from __future__ import annotations

import re
from collections import defaultdict

from .lexicon import Lexicon, name_key
from .models import Mention

_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024fα-ωΑ-Ω*']+")
_GLUE = re.compile(r"^[\s\-‐‑–/]{0,3}$")
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
MAX_WORDS = 14


class ConceptMatcher:
    """Index of a Lexicon's names, built once, used for every sentence."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.zh: dict[str, str] = {}
        self.zh_first: dict[str, int] = defaultdict(int)  # first char -> longest name starting with it
        self.abbr: dict[str, str] = {}
        self.en: dict[str, str] = {}
        for c in lexicon.concepts:
            for name in c.zh + [n for n in c.en + c.abbr if _HAS_CJK.search(n)]:
                if len(name) >= 2:
                    self.zh[name] = c.concept_id
                    self.zh_first[name[0]] = max(self.zh_first[name[0]], len(name))
            for name in c.abbr:
                if not _HAS_CJK.search(name) and len(name) >= 2:
                    self.abbr[name] = c.concept_id
            for name in c.en:
                if not _HAS_CJK.search(name):
                    self.en[name_key(name)] = c.concept_id

    def _zh_candidates(self, text: str) -> list[Mention]:
        out = []
        for i, ch in enumerate(text):
            longest = self.zh_first.get(ch)
            if not longest:
                continue
            for n in range(min(longest, len(text) - i), 1, -1):
                cid = self.zh.get(text[i : i + n])
                if cid:
                    out.append(Mention(cid, i, i + n, text[i : i + n], "zh"))
                    break
        return out

    def _latin_lookup(self, span: str) -> tuple[str, str] | None:
        if span in self.abbr:
            return self.abbr[span], "abbr"
        if span.endswith("s") and span[:-1] in self.abbr and span[:-1].isupper():
            return self.abbr[span[:-1]], "abbr"
        key = name_key(span)
        if key.isdigit():
            return None
        cid = self.en.get(key) or (self.en.get(key[:-1]) if key.endswith("s") and len(key) > 4 else None)
        return (cid, "en") if cid else None

    def _latin_candidates(self, text: str) -> list[Mention]:
        words = list(_WORD.finditer(text))
        out = []
        for i in range(len(words)):
            last = i
            while last + 1 < len(words) and last + 1 - i < MAX_WORDS and _GLUE.match(text[words[last].end() : words[last + 1].start()]):
                last += 1
            for j in range(last, i - 1, -1):
                start, end = words[i].start(), words[j].end()
                hit = self._latin_lookup(text[start:end])
                if hit:
                    out.append(Mention(hit[0], start, end, text[start:end], hit[1]))
                    break
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


def find_mentions(text: str, matcher: ConceptMatcher) -> list[Mention]:
    """Mentions of lexicon concepts in one sentence (offsets into the sentence)."""
    return matcher.find(text)
