"""Cue lists for tagging: phrases and patterns, matched fast.

In: ``[[regex, weight], ...]`` from kb/data/cues.json.  Out: a :class:`CueList`
whose ``found(text)`` gives, for each cue found, the phrases it matched.  A cue
counts once however often it matches; how much it counts is the tagger's business.

Most alternatives of a cue are plain words (治疗|疗法|疗效).  Running dozens of
regexes per sentence costs a Python call each, whatever the sentence holds, so
plain-word alternatives are looked up instead: a sentence's characters select
the words that could occur in it, and only those are searched for.  The other
alternatives stay regular expressions, run only on sentences holding one of the
characters every match must contain.  A cue is found when any alternative
matches, exactly as its whole regex would; only the reported phrases may
include overlapping words the single regex would have skipped.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

_META = set("\\()[]{}?*+|^$.")


def _structure(pattern: str, start: int = 0):
    """(index, character, depth after it) for each bracket and bar of ``pattern`` from ``start``,
    skipping escapes and character classes: what the splitters below need to see."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[ch]
            yield i, ch, depth
        i += 1


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ('a|(?:b|c)|d' -> a, (?:b|c), d)."""
    cuts = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1] + cuts, cuts + [len(pattern)])]


def _group_end(pattern: str, start: int) -> int:
    """Index just past the parenthesised group that opens at ``start``."""
    return next((i + 1 for i, ch, depth in _structure(pattern, start) if ch == ")" and depth == 0), len(pattern))


def _items(alt: str):
    """(kind, text, optional) for each item of one alternative: kind is 'char' (a literal
    character), 'group' (a plain group's inside) or 'other' (escape, class, anchor, lookaround)."""
    i = 0
    while i < len(alt):
        ch = alt[i]
        if ch == "\\":
            kind, text, i = "other", alt[i : i + 2], i + 2
        elif ch == "[":
            end = alt.index("]", i + 2) + 1 if "]" in alt[i + 2 :] else len(alt)
            kind, text, i = "other", alt[i:end], end
        elif ch == "(":
            end = _group_end(alt, i)
            look = alt.startswith(("(?=", "(?!", "(?<=", "(?<!"), i)
            inner = alt[i + 3 : end - 1] if alt.startswith("(?:", i) else alt[i + 1 : end - 1]
            kind, text, i = ("other", "", end) if look else ("group", inner, end)
        else:
            kind, text, i = ("other" if ch in _META else "char"), ch, i + 1
        optional = alt[i : i + 1] in ("?", "*") or alt.startswith(("{0,", "{0}"), i)
        while i < len(alt) and alt[i] in "?*+{":
            i = alt.index("}", i) + 1 if alt[i] == "{" and "}" in alt[i:] else i + 1
        yield kind, text, optional


def required_chars(pattern: str) -> frozenset[str] | None:
    """Lower-cased characters of which every match of ``pattern`` holds at least one: for each
    alternative, its first literal character that is not optional (or, for a group, the same
    set for the group).  None when some alternative has none."""
    chars: set[str] = set()
    for alt in split_alternatives(pattern):
        for kind, text, optional in _items(alt):
            if optional or kind == "other":
                continue
            found = {text.lower()} if kind == "char" else required_chars(text)
            if found:
                chars |= found
                break
        else:
            return None
    return frozenset(chars)


@dataclass
class Cue:
    words: list[str] = field(default_factory=list)  # plain-word alternatives, lower-cased
    regex: re.Pattern | None = None  # the other alternatives
    starts: frozenset[str] | None = None  # a regex match holds one of these (None: unknown)


@dataclass
class CueList:
    cues: list[Cue]
    by_first: dict[str, list[tuple[str, int]]]  # first character -> (word, cue index)
    regex_cues: list[tuple[int, Cue]] = field(default_factory=list)

    def found(self, text: str, lower: str | None = None, chars: set[str] | None = None) -> dict[int, list[str]]:
        """Index of each cue found in ``text`` -> the phrases it matched (sorted).

        ``lower`` and ``chars`` (text.lower() and its set of characters) may be passed
        in when several lists are matched against the same text."""
        lower = text.lower() if lower is None else lower
        chars = set(lower) if chars is None else chars
        found: dict[int, set[str]] = defaultdict(set)
        for ch in chars & self.by_first.keys():
            for word, i in self.by_first[ch]:
                at = lower.find(word)
                if at >= 0:
                    found[i].add(text[at : at + len(word)])
        for i, cue in self.regex_cues:
            if cue.starts is None or not cue.starts.isdisjoint(chars):
                found[i].update(m.group(0) for m in cue.regex.finditer(text))
        return {i: sorted(found[i]) for i in sorted(found) if found[i]}


def compile_cues(pairs: list) -> CueList:
    """``[[regex, weight], ...]`` -> :class:`CueList` (case-insensitive, as the regexes were).
    The weights are not kept: the tagger weighs cues by their regex (kb/tagging.py)."""
    cues, by_first = [], defaultdict(list)
    for i, (pattern, _weight) in enumerate(pairs):
        words, rest = [], []
        for alt in split_alternatives(pattern):
            (words if alt and not _META & set(alt) else rest).append(alt)
        cue = Cue(words=[w.lower() for w in words],
                  regex=re.compile("|".join(rest), re.I) if rest else None,
                  starts=required_chars("|".join(rest)) if rest else None)
        for word in cue.words:
            by_first[word[0]].append((word, i))
        cues.append(cue)
    return CueList(cues=cues, by_first=dict(by_first),
                   regex_cues=[(i, c) for i, c in enumerate(cues) if c.regex is not None])
