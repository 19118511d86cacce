"""Stage 4 — split_sentences: paragraphs -> sentences with offsets, section, language, refs.

Chinese splits at 。！？ (never at ；); English at . ! ? followed by a space,
except after known abbreviations (et al., vs., e.g.) and inside numbers
(3.5, P<0.01).  Closing brackets and citation markers right after the end
mark stay with the sentence.  Nothing splits inside brackets.
"""
from __future__ import annotations

import re

from .citations import CITATION, parse_refs
from .data_files import load_json
from .clean import CJK
from .models import Document, Sentence

CLOSERS = "”’」』》〉）)］]\"'"
OPENERS = "（(［["  # brackets nest; quotes do not (。” ends a sentence)
_ABBR_CACHE: list[str] = []
_CJK = re.compile(f"[{CJK}]")


def _abbreviations() -> list[str]:
    if not _ABBR_CACHE:
        _ABBR_CACHE.extend(load_json("structure.json")["sentence_abbreviations"])
    return _ABBR_CACHE


def _is_english_stop(text: str, i: int) -> bool:
    """Is the '.', '!' or '?' at i the end of an English sentence?"""
    after_end = _end_after(text, i)  # "45%.[33] Next": closers and citations first
    nxt = text[after_end : after_end + 1]
    if nxt and not nxt.isspace():
        return False
    if text[i] != ".":
        return True
    before = text[: i + 1]
    if re.fullmatch(r"\s*[(（]?\d{1,3}\.", before[before.rfind("\n") + 1 :]) or re.search(r"(?:^|[。！？；]\s*)\d{1,3}\.$", before):
        return False  # a list number: "1. Thase and Rush…"
    if any(before.endswith(a) and (len(before) == len(a) or not before[-len(a) - 1].isalpha()) for a in _abbreviations()):
        return False
    if re.search(r"(?:^|[\s(（])[A-Z]\.$", before):  # an initial: "J. Smith"
        return False
    after = text[after_end:].lstrip()
    return not after or not after[0].islower()


def _end_after(text: str, i: int) -> int:
    """Extend a sentence end past closing brackets and a citation marker."""
    j = i + 1
    while True:
        if j < len(text) and text[j] in CLOSERS:
            j += 1
            continue
        m = CITATION.match(text, j)
        if m:
            j = m.end()
            continue
        return j


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Start/end offsets of the sentences of one paragraph (whitespace trimmed)."""
    spans, start, depth, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in OPENERS:
            depth += 1
        elif ch in "）)］]" and depth:
            depth -= 1
        elif depth == 0 and (ch in "。！？" or (ch in ".!?" and _is_english_stop(text, i))):
            while i + 1 < len(text) and text[i + 1] in "。！？!?…":
                i += 1
            end = _end_after(text, i)
            spans.append((start, end))
            start, i = end, end
            continue
        i += 1
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_lang(text: str) -> str:
    """'zh' for a sentence with any run of Chinese in it, else 'en'."""
    return "zh" if len(_CJK.findall(text)) >= 2 else "en"


def _section_at(doc: Document, pos: int) -> str | None:
    """The innermost section whose span contains ``pos``."""
    best = None
    for sec in doc.sections:
        if sec.start <= pos < sec.end and (best is None or sec.level >= best.level):
            best = sec
    return best.section_id if best else None


def split_sentences(doc: Document) -> Document:
    """Cut every paragraph of doc.text into Sentence objects."""
    doc.sentences = []
    for para in doc.paragraphs:
        chunk = doc.text[para.start : para.end]
        for s, e in sentence_spans(chunk):
            text = chunk[s:e]
            if not re.search(r"\w", text):
                continue
            ord_ = len(doc.sentences) + 1
            doc.sentences.append(Sentence(
                sentence_id=f"{doc.doc_id}.s{ord_}", ord=ord_, text=text,
                start=para.start + s, end=para.start + e, lang=sentence_lang(text), para=para.ord,
                section_id=_section_at(doc, para.start + s),
                kind="abstract" if para.kind.startswith("abstract") else "body", refs=parse_refs(text)))
    return doc
