"""Segmentation with jieba (the only module that imports jieba).

jieba is loaded once per process, with every Chinese (and mixed) concept name
of the lexicon as its user dictionary, so 难治性抑郁症, 胼胝体下扣带回 and
5-羟色胺 stay whole.  ``tokenize`` gives (token, start, end) for the search
analyzer; ``segment`` gives the tokens only.
"""
from __future__ import annotations

import logging
import threading

_LOCK = threading.Lock()
_TOKENIZER = None
_LOADED_KEYS: set[str] = set()
_NEW_WORDS: set[str] = set()  # words we taught jieba that its own dictionary did not have
USER_WORD_FREQ = 200000  # high enough that a lexicon term wins over jieba's own splits


def _tokenizer():
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                _TOKENIZER = tok
    return _TOKENIZER


def add_words(words) -> None:
    """Teach jieba domain terms (idempotent; cheap for words it already has)."""
    tok = _tokenizer()
    for word in words:
        word = word.strip()
        if word and word not in _LOADED_KEYS and any("\u4e00" <= ch <= "\u9fff" for ch in word):
            if not tok.FREQ.get(word):
                _NEW_WORDS.add(word)
            tok.add_word(word, freq=USER_WORD_FREQ)
            _LOADED_KEYS.add(word)


def load_lexicon_words(lexicon) -> None:
    """Add every Chinese name of every concept of a Lexicon to jieba's dictionary."""
    add_words(n for c in lexicon.concepts for n in c.zh)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for every non-space token of ``text``, in order."""
    return [(w, s, e) for w, s, e in _tokenizer().tokenize(text, HMM=True) if w.strip()]


def segment(text: str) -> list[str]:
    """The non-space tokens of ``text``."""
    return [w for w in _tokenizer().lcut(text, HMM=True) if w.strip()]


def known_word(word: str) -> bool:
    """Is ``word`` in jieba's own dictionary?  Words taught at run time do not count, so the
    answer (and so the search index) does not depend on what this process ingested before."""
    return bool(_tokenizer().FREQ.get(word)) and word not in _NEW_WORDS
