"""Line geometry shared by the structuring stages: widths, scripts, paragraph ends."""
from __future__ import annotations

import re
from statistics import median

from .clean import CJK, display_width, ends_sentence
from .models import Line

_CJK_CHAR = re.compile(f"[{CJK}]")
_LATIN = re.compile(r"[A-Za-z]")


def script_of(text: str) -> str:
    """'zh' when a line is mostly Chinese, else 'en' (by CJK share of letters)."""
    cjk = len(_CJK_CHAR.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 4 >= latin else "en"


def typical_widths(lines: list[Line]) -> dict[str, float]:
    """Median laid-out width of full lines, per script: what a 'full' line looks like here."""
    widths: dict[str, list[int]] = {"zh": [], "en": []}
    for line in lines:
        w = display_width(line.raw)
        if w >= 20:
            widths[script_of(line.text)].append(w)
    return {k: (median(v) if v else 60.0) for k, v in widths.items()}


def mark_unwrapped(lines: list[Line], typical: dict[str, float], width: float) -> bool:
    """Mark every line ``whole`` when the text has no hard wraps (typical line >= ``width``
    columns: a paragraph per line, as in a plain-text or word-processor export).  Returns
    whether it did.  PDF text wraps at the column width (40–140 columns)."""
    unwrapped = max(typical.values()) >= width
    for line in lines:
        line.whole = unwrapped
    return unwrapped


def is_short(line: Line, typical: dict[str, float], ratio: float = 0.85) -> bool:
    """A line noticeably shorter than a full line of its script (a paragraph's last line)."""
    return display_width(line.raw) < ratio * typical[script_of(line.text)]


def paragraph_ends(prev: Line, nxt: Line, typical: dict[str, float]) -> bool:
    """Does a paragraph end between these two lines?

    Only after sentence-final punctuation, and only when the line is short
    (the rest of the column left empty) or the next line opens a new block.
    In text without hard wraps every line is a paragraph of its own.
    """
    if nxt.whole:
        return True
    if is_short(prev, typical) and nxt.indented:
        return True  # a short line, then an indented one: a heading or item ended, a paragraph begins
    return ends_sentence(prev.text) and (is_short(prev, typical) or nxt.block_start)
