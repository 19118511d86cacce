"""Analysis for the search index: jieba tokens piped through normalising filters.

The schema pickles ``indexer.analysis.bilingual_analyzer``'s pieces by import
path, so this module must stay where it is.

Index side: :class:`JiebaTokenizer` takes either raw text (segmented with
kb.segment — jieba with the domain lexicon, exactly as at ingest) or the
tokens ingest already stored, joined by U+001F, so indexing never segments a
sentence twice.  Positions are token ordinals; character offsets are kept in
stored fields by the index builder, not in postings.  Filters: NFKC + lower
case (:func:`normalize_token`), English stemming, stop words, and — at index
time only — Chinese sub-words at the same position (海马体 also indexes 海马),
so a shorter query word still finds a longer compound.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.lang.porter import stem

SEP = "\x1f"
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORDISH = re.compile(r"\w", re.UNICODE)
_LATIN_WORD = re.compile(r"^[a-z]+$")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from kb.data_files import load_json

    data = load_json("stopwords.json")
    return frozenset(data["en"] + data["zh"])


@lru_cache(maxsize=65536)
def normalize_token(text: str) -> str:
    """The index form of one token: NFKC, lower case, English words stemmed ('' = drop it)."""
    t = unicodedata.normalize("NFKC", text).lower().strip()
    if not t or not _WORDISH.search(t) or t in stopwords():
        return ""
    return stem(t) if _LATIN_WORD.match(t) and len(t) > 3 else t


@lru_cache(maxsize=4096)
def _segmented(value: str) -> tuple[str, ...]:
    """jieba tokens of a short raw value (section titles repeat on every sentence: cut once)."""
    from kb.segment import segment

    return tuple(segment(value))


def split_tokens(value: str) -> list[str] | tuple[str, ...]:
    """Tokens of a field value: pre-segmented (U+001F-joined) or raw text cut by jieba."""
    if SEP in value:
        return [t for t in value.split(SEP) if t.strip()]
    return _segmented(value) if len(value) <= 200 else tuple(_segmented.__wrapped__(value))


@lru_cache(maxsize=65536)
def subwords(word: str) -> tuple[str, ...]:
    """Dictionary words inside a longer Chinese token (jieba's search-mode pieces)."""
    if len(word) <= 2 or not _CJK.search(word):
        return ()
    from kb.segment import known_word

    out = []
    for n in (2, 3):
        for i in range(len(word) - n + 1):
            piece = word[i : i + n]
            if piece != word and known_word(piece):
                out.append(piece)
    return tuple(out)


class JiebaTokenizer(Tokenizer):
    """Tokens with ordinal positions, from jieba segmentation (or ingest's stored tokens)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(split_tokens(value) if tokenize else [value], start=start_pos):
            t.text, t.boost, t.stopped = word, 1.0, False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            yield t


class NormalizeFilter(Filter):
    """NFKC + lower case + English stems; drops punctuation and stop words."""

    def __call__(self, tokens):
        for t in tokens:
            norm = normalize_token(t.text)
            if norm:
                t.text = norm
                yield t


class SubwordFilter(Filter):
    """At index time, add the dictionary sub-words of long Chinese tokens at the same position."""

    def __call__(self, tokens):
        for t in tokens:
            yield t
            if t.mode == "index":
                word, pos = t.text, getattr(t, "pos", None)
                for piece in subwords(word):
                    t.text = piece
                    if pos is not None:
                        t.pos = pos
                    yield t
                t.text = word


def bilingual_analyzer():
    """jieba tokens -> normalise/stem/stop -> Chinese sub-words."""
    return JiebaTokenizer() | NormalizeFilter() | SubwordFilter()
