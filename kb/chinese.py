"""Traditional -> Simplified Chinese with OpenCC (loaded on first use, once per process)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified Chinese; text without Chinese is returned unchanged."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return _converter().convert(text)
