"""Stage 5a — mine_term_pairs: bilingual term pairs written in the text itself.

Finds what abbreviation extractors find: 深部脑刺激（deep brain stimulation，DBS）,
难治性抑郁症(treatment-resistant depression，TRD), 内侧前脑束（MFB）,
治疗无效法（medication failure approach）.  The Chinese term is cut from the
run before the bracket: the longest lexicon name that ends there, else jieba
tokens walked back until a function word.  Pairs are then linked to the
lexicon: 'confirms' (all parts name one concept), 'extends' (some part is
new to a known concept), 'conflict' (parts name different concepts) or
'new' (a concept of its own, category 'mined').
"""
from __future__ import annotations

import re
from collections import Counter

from .data_files import load_json
from .lexicon import MINED_CATEGORY, Lexicon, name_key
from .models import Concept, Document, TermPair

_RUN_CHARS = "\u4e00-\u9fffA-Za-z0-9α-ωΑ-Ω\\-－/"
_ZH_RUN = r"(?<![" + _RUN_CHARS + r"])(?P<zh>[\u4e00-\u9fffA-Za-z0-9α-ωΑ-Ω\-－/]*[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9α-ωΑ-Ω\-－/]*)"
_EN = r"(?P<en>[A-Za-zα-ω][A-Za-z0-9α-ω \-'/*&]{2,80}?)"
_ABBR = r"(?P<abbr>[A-Za-z0-9α-ω][A-Za-z0-9α-ω\-*/]{0,15})"
PATTERNS = [
    re.compile(_ZH_RUN + r"\s*[（(]\s*" + _EN + r"\s*[，,]\s*" + _ABBR + r"\s*[）)]"),
    re.compile(_ZH_RUN + r"\s*[（(]\s*" + _ABBR + r"\s*[）)]"),
    re.compile(_ZH_RUN + r"\s*[（(]\s*" + _EN + r"\s*[）)]"),
]


def _is_abbr(text: str) -> bool:
    return sum(ch.isupper() for ch in text) >= 2 or bool(re.fullmatch(r"\d+-[A-Z]{1,4}\w*", text))


def _trim_zh(run: str, lexicon: Lexicon) -> str:
    """The Chinese term at the end of ``run``."""
    cfg = load_json("mining.json")
    for start in range(len(run) - 1):
        tail = run[start:]
        if lexicon.lookup(tail) and len(tail) >= 2:
            return tail
    from .segment import segment

    tokens = segment(run)
    stop, keep = set(cfg["stop_tokens"]), set(cfg["keep_tail_tokens"])
    out: list[str] = []
    for i, tok in enumerate(reversed(tokens)):
        if (tok in stop and not (i == 0 and tok in keep)) or len("".join(out)) + len(tok) > cfg["max_zh"]:
            break
        out.insert(0, tok)
    term = "".join(out)
    return term if len(re.findall(r"[\u4e00-\u9fff]", term)) >= 2 else ""


def _after_bracket(text: str, start: int) -> bool:
    """The run starts right after a bracket that is not a list number: the term began before it."""
    before = text[:start]
    return before.endswith(("）", ")", "］", "]")) and not re.search(r"[（(]\s*\d{1,2}\s*[）)]$", before)


def _continues(text: str, end: int) -> bool:
    """The Chinese term goes on after the bracket (听觉（AN）网络, (HPT)轴): the pair is partial."""
    return text[end:].startswith(tuple(load_json("mining.json")["term_heads"]))


def _candidates(text: str) -> list[tuple[str, str, str, bool, bool]]:
    """(zh run, en, abbr, partial, run follows a bracket) found in one sentence."""
    out = []
    if "（" not in text and "(" not in text:
        return out
    for i, pattern in enumerate(PATTERNS):
        for m in pattern.finditer(text):
            g = m.groupdict()
            en, abbr = (g.get("en") or "").strip(), (g.get("abbr") or "").strip()
            if i == 1 and not _is_abbr(abbr):
                continue
            if i == 2 and (len(en.split()) < 2 or en.lower() in load_json("mining.json")["generic_en"]):
                continue
            if i == 0 and not _is_abbr(abbr):
                continue
            out.append((g["zh"], en, abbr, _continues(text, m.end()), _after_bracket(text, m.start("zh"))))
    return out


def mine_term_pairs(doc: Document, lexicon: Lexicon) -> Document:
    """Find the document's bilingual pairs, count them and link them to the lexicon."""
    counts: Counter = Counter()
    for sent in doc.sentences:
        for run, en, abbr, partial, bracketed in _candidates(sent.text):
            zh = _trim_zh(run, lexicon)
            if zh and not (bracketed and zh == run):  # 选择性5-羟色胺（5-HT）再摄取抑制剂: the term began before
                counts[(zh, en, abbr, partial)] += 1
    doc.term_pairs = [link_pair(TermPair(zh=zh, en=en, abbr=abbr, doc_id=doc.doc_id, count=n), lexicon, partial)
                      for (zh, en, abbr, partial), n in sorted(counts.items())]
    return doc


def link_pair(pair: TermPair, lexicon: Lexicon, partial: bool = False) -> TermPair:
    """Decide whether a pair confirms, extends or conflicts with the lexicon, or is new.

    A partial pair (the term goes on after the bracket) never extends or adds
    a concept: its Chinese side is not the whole term.
    """
    parts = [p for p in (pair.zh, pair.en, pair.abbr) if p]
    owners = {p: (lexicon.lookup(p).concept_id if lexicon.lookup(p) else None) for p in parts}
    known = {cid for cid in owners.values() if cid}
    if len(known) > 1:
        pair.status, pair.concept_id = "conflict", sorted(known)[0]
    elif known:
        pair.concept_id = known.pop()
        pair.status = "confirms" if all(owners.values()) else ("partial" if partial else "extends")
        if pair.status == "extends" and pair.zh and not owners.get(pair.zh) and not _plausible_zh(pair.zh, lexicon.by_id[pair.concept_id].zh):
            pair.status = "mismatch"  # the Chinese side looks cut wrong: keep the pair, do not learn it
    elif partial:
        pair.status = "partial"
    else:
        pair.status = "new"
        pair.concept_id = "mined_" + re.sub(r"[^a-z0-9]+", "_", name_key(pair.abbr or pair.en or "x")).strip("_")[:40]
    return pair


def _plausible_zh(zh: str, names: list[str]) -> bool:
    """A new Chinese name for a known concept: not a fragment of a name it has, and sharing at least
    half its characters with one of them (when it has any)."""
    if not names:
        return True
    if any(zh in n for n in names):
        return False
    return max(len(set(zh) & set(n)) for n in names) * 2 >= len(set(zh))


def concepts_from_pairs(pairs: list[TermPair], lexicon: Lexicon) -> list[Concept]:
    """New concepts for 'new' pairs the lexicon lacks.  Pairs that name the same new concept
    (a Chinese and an English form of one abbreviation, as in a Chinese text and its English
    abstract) become one concept holding all their names."""
    out: dict[str, Concept] = {}
    for p in pairs:
        if p.status != "new" or p.concept_id in lexicon.by_id:
            continue
        concept = out.setdefault(p.concept_id, Concept(concept_id=p.concept_id, category=MINED_CATEGORY,
                                                       source="mined", doc_id=p.doc_id))
        for names, name in ((concept.zh, p.zh), (concept.en, p.en), (concept.abbr, p.abbr)):
            if name and name not in names:
                names.append(name)
    return list(out.values())
