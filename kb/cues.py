"""Cue lists for tagging: phrases and patterns, matched fast.

In: ``[[regex, weight], ...]`` from kb/data/cues.json.  Out: a :class:`CueList`
whose ``found(text)`` gives, for each cue found, the phrases it matched.  A cue
counts once however often it matches; how much it counts is the tagger's business.

Most alternatives of a cue are plain words (治疗|疗法|疗效).  Running dozens of
regexes per sentence costs a Python call each, whatever the sentence holds, so
plain-word alternatives are looked up instead: a sentence's characters and pairs
of adjacent characters select the words that could occur in it, and only those
are searched for.  The other alternatives stay regular expressions, run only on
sentences holding one of the character pairs (or, where a pattern has none, one
of the characters) every match must contain.  A cue is found when any alternative
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


def required_pairs(pattern: str) -> frozenset[str] | None:
    """Lower-cased pairs of adjacent characters of which every match of ``pattern`` holds at
    least one: for each alternative, its first two literal characters in a row that are both
    required (or, for a required group, the same set for the group).  None when some
    alternative has none — a stronger filter than required_chars where there is one."""
    pairs: set[str] = set()
    for alt in split_alternatives(pattern):
        items = list(_items(alt))
        for (kind, text, optional), nxt in zip(items, items[1:] + [None]):
            if optional or kind == "other":
                continue
            if kind == "group":
                found = required_pairs(text)
            elif nxt and nxt[0] == "char" and not nxt[2] and len((text + nxt[1]).lower()) == 2:
                found = {(text + nxt[1]).lower()}
            else:
                found = None
            if found:
                pairs |= found
                break
        else:
            return None
    return frozenset(pairs)


def char_pairs(lower: str) -> set[str]:
    """The pairs of adjacent characters of a (lower-cased) text: what CueList.found filters by."""
    return {lower[i : i + 2] for i in range(len(lower) - 1)}


@dataclass
class Cue:
    words: list[str] = field(default_factory=list)  # plain-word alternatives, lower-cased
    regex: re.Pattern | None = None  # the other alternatives


@dataclass
class CueList:
    cues: list[Cue]
    by_first: dict[str, list[tuple[str, int]]]  # a one-character word -> (word, cue index)
    by_pair: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # first two characters -> (word, cue)
    regex_by_pair: dict[str, set[int]] = field(default_factory=dict)  # required pair -> cues with a regex
    regex_by_char: dict[str, set[int]] = field(default_factory=dict)  # required character -> the others
    regex_always: set[int] = field(default_factory=set)  # regexes with no required character known

    def found(self, text: str, lower: str | None = None, chars: set[str] | None = None,
              pairs: set[str] | None = None) -> dict[int, list[str]]:
        """Index of each cue found in ``text`` -> the phrases it matched (sorted).

        ``lower``, ``chars`` and ``pairs`` (text.lower(), its set of characters and
        char_pairs of it) may be passed in when several lists are matched against the same text."""
        lower = text.lower() if lower is None else lower
        chars = set(lower) if chars is None else chars
        pairs = char_pairs(lower) if pairs is None else pairs
        found: dict[int, set[str]] = defaultdict(set)
        for index, keys in ((self.by_first, chars), (self.by_pair, pairs)):
            for key in keys & index.keys():
                for word, i in index[key]:
                    at = lower.find(word)
                    if at >= 0:
                        found[i].add(text[at : at + len(word)])
        run = set(self.regex_always)
        for index, keys in ((self.regex_by_pair, pairs), (self.regex_by_char, chars)):
            for key in keys & index.keys():
                run |= index[key]
        for i in run:
            found[i].update(m.group(0) for m in self.cues[i].regex.finditer(text))
        return {i: sorted(found[i]) for i in sorted(found) if found[i]}


def compile_cues(pairs: list) -> CueList:
    """``[[regex, weight], ...]`` -> :class:`CueList` (case-insensitive, as the regexes were).
    The weights are not kept: the tagger weighs cues by their regex (kb/tagging.py)."""
    out = CueList(cues=[], by_first={})
    for i, (pattern, _weight) in enumerate(pairs):
        words, rest = [], []
        for alt in split_alternatives(pattern):
            (words if alt and not _META & set(alt) else rest).append(alt)
        cue = Cue(words=[w.lower() for w in words], regex=re.compile("|".join(rest), re.I) if rest else None)
        for word in cue.words:
            (out.by_first if len(word) == 1 else out.by_pair).setdefault(word[:2], []).append((word, i))
        if rest:
            required, index = required_pairs("|".join(rest)), out.regex_by_pair
            if required is None:
                required, index = required_chars("|".join(rest)), out.regex_by_char
            for key in required or ():
                index.setdefault(key, set()).add(i)
            if required is None:
                out.regex_always.add(i)
        out.cues.append(cue)
    return out
