"""A regular expression built from a word trie: fast longest-match dictionary search in C.

In: a set of strings.  Out: a compiled pattern whose ``finditer`` yields, left to
right, the longest dictionary word starting at each match position.
"""
from __future__ import annotations

import re


def _node_pattern(node: dict) -> str:
    alts, terminal = [], "" in node
    for ch in sorted(k for k in node if k):
        alts.append(re.escape(ch) + _node_pattern(node[ch]))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if terminal else body


def trie_regex(words) -> re.Pattern | None:
    """Compile ``words`` into one longest-match pattern (None when there are none)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    return re.compile(_node_pattern(root)) if root else None
