"""Stage 2 — clean_text: undo what PDF extraction did, line by line (and stand-in characters first).

In: a Document with ``raw_text``.  Out: the same Document with ``lines`` —
one cleaned :class:`Line` per physical line of running text, with running
heads, page numbers and figure captions removed (heads become journal
metadata).  Joining lines into paragraphs happens in ``structure``, using
:func:`join_lines` from here.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from .data_files import compile_list, compile_one, load_json
from .models import Document, Line

HEADS = "running_heads.json"

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK ideographs plus full-width punctuation and forms (、。，（）：；！？［］＜＞％～ ...).
WIDE = CJK + "\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u00b7"
_SPACE_NEAR_WIDE = re.compile(rf"(?<=[{WIDE}])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?=[{WIDE}])")
_SPLIT_DECIMAL = re.compile(r"(?<![\d.])(\d{1,3})\. (?=\d)")
_HYPHEN_BULLET = re.compile(r"(?<=[A-Za-z])[\u2043\u00ad]\s*(?=[A-Za-z])")
_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")
_SPLIT_NUMBER = re.compile(r"(\d)\.\s+(?=\d)")  # "4. 1" in a heading number
_SINGLE_SPACE = re.compile(r"(?<=\S) (?=\S)")
LETTER_SPACED = 0.6  # a line with single spaces after this share of its characters is letter-spaced
_LATINISH = re.compile("[\x00-\x7f\u00b5\u0370-\u03ff\u2160-\u217f]")  # ASCII, µ, Greek, Roman numerals: spaced like Latin
_CJK_NEAR_END = re.compile(f"[{CJK}]")
TERMINAL = "。！？!?"
CLOSERS = "”’」』》〉）)］]"
_CITATION_TAIL = re.compile(r"[［\[][\d\s,，、\-–~～]+[］\]]$")


def unspace_letters(text: str) -> str:
    """Undo letter-spacing: a justified line extracted with a space after every character
    ("膝 下 扣 带 （ B r o d m a n n   2 5 区 ）") loses its single spaces; a run of spaces,
    which was a real gap between words, stays.  Lines that are not letter-spaced (fewer
    single spaces than LETTER_SPACED of their characters) come back unchanged."""
    spaces = text.count(" ")
    chars = len(text) - spaces
    if chars < 6 or spaces < LETTER_SPACED * chars:  # too few spaces to be letter-spaced: no regex pass
        return text
    singles = len(_SINGLE_SPACE.findall(text))
    return _SINGLE_SPACE.sub("", text) if singles >= LETTER_SPACED * chars else text


@lru_cache(maxsize=1)
def _character_table() -> dict[int, str]:
    """str.translate table from kb/data/characters.json: radicals and other stand-ins -> the characters printed."""
    cfg = load_json("characters.json")
    table = {}
    for lo, hi in cfg["nfkc_ranges"]:
        for code in range(int(lo, 16), int(hi, 16) + 1):
            norm = unicodedata.normalize("NFKC", chr(code))
            if norm != chr(code):
                table[code] = norm
    table.update({ord(k): v for k, v in {**cfg["radicals"], **cfg["replace"]}.items()})
    return table


def fix_characters(text: str) -> str:
    """Put back the characters a PDF text layer replaced: "⽣活" -> "生活", "⻓期" -> "长期", "2〜3" -> "2～3"."""
    return text.translate(_character_table())


def heading_form(raw: str) -> str:
    """A raw line as heading patterns read it: letter-spacing closed up, whitespace runs as one
    space (the gap between a heading's number and title counts), split decimals rejoined."""
    return _SPLIT_NUMBER.sub(r"\1.", re.sub(r"\s+", " ", unspace_letters(raw)).strip())


def fix_spacing(text: str) -> str:
    """Remove spaces inside Chinese, rejoin split decimals and hyphen-bulleted words.

    "资 助 的 抑 郁 症" -> "资助的抑郁症"; "3. 5亿" -> "3.5亿"; "Ab⁃stract" ->
    "Abstract"; a letter-spaced line is closed up (unspace_letters).  Spaces between
    Latin words are kept (runs collapse to one).
    """
    text = _HYPHEN_BULLET.sub("", unspace_letters(text))
    text = _SPACE_NEAR_WIDE.sub("", text)
    text = _SPLIT_DECIMAL.sub(r"\1.", text)
    return _MULTI_SPACE.sub(" ", text).strip()


def join_lines(left: str, right: str) -> str:
    """Join two wrapped lines: a space between Latin words (Greek letters and Roman numerals
    count as Latin: "Cronbach" + "α"), nothing next to Chinese.

    A trailing hyphen bullet (⁃) or soft hyphen is dropped ("cin⁃" + "gulate");
    a real hyphen is kept without a space ("treatment-" + "resistant").
    """
    if not left:
        return right
    if not right:
        return left
    if left[-1] in "\u2043\u00ad":
        return left[:-1] + right
    if right[0] == "[" and _CJK_NEAR_END.search(left[-20:]):
        return left + right  # a citation marker after Chinese text: "约25%" + "[15]。"
    if _LATINISH.match(left[-1]) and _LATINISH.match(right[0]) and (left[-1].isalnum() or left[-1] in ",;:).%]") and (
        right[0].isalnum() or right[0] in "(["
    ):
        return left + " " + right
    return left + right


def ends_sentence(text: str) -> bool:
    """True when a line ends with sentence-final punctuation (closers and citations allowed after it)."""
    t = text.rstrip()
    while True:
        m = _CITATION_TAIL.search(t)
        if m and m.start() > 0:
            t = t[: m.start()].rstrip()
        elif t and t[-1] in CLOSERS:
            t = t[:-1].rstrip()
        else:
            break
    return bool(t) and (t[-1] in TERMINAL or (t[-1] == "." and not re.search(r"\d\.$", t)))


_WIDE_CHAR = re.compile(f"[{WIDE}]")


def display_width(text: str) -> int:
    """Width of a line as laid out: CJK and full-width characters count two."""
    return len(text) + len(_WIDE_CHAR.findall(text))


def _head_metadata(line: str) -> dict[str, str]:
    """Pull journal, year, volume, issue and page from a running-head line."""
    found: dict[str, str] = {}
    for pattern in compile_list(HEADS, "fields"):
        m = pattern.search(line)
        if m:
            for key, value in m.groupdict().items():
                if value and key not in found:
                    found[key] = value.strip()
    return found


def _apply_head_metadata(doc: Document, meta: dict[str, str]) -> None:
    """Fill empty document fields from running-head metadata and record where they came from."""
    mapping = {"journal": "journal", "journal_en": "journal_en", "volume": "volume", "issue": "issue", "year": "year"}
    for key, attr in mapping.items():
        if key in meta and not getattr(doc, attr):
            setattr(doc, attr, int(meta[key]) if attr == "year" else meta[key])
            doc.provenance[attr] = "running head"
    pages = meta.get("pages") or meta.get("page")
    if pages:
        doc.extra.setdefault("pages_seen", [])
        if pages not in doc.extra["pages_seen"]:
            doc.extra["pages_seen"].append(pages)


def classify_line(text: str, repeated: set[str]) -> str:
    """Say what a stripped line is: 'head', 'page', 'note', 'caption' or 'text'."""
    cfg = load_json(HEADS)
    if compile_one(HEADS, "note_lines").match(text):
        return "note"
    prose = bool(re.search(r"[《》。；]|[，,、；]$", text))  # a sentence citing a journal issue is not a head
    if not prose and len(text) <= cfg["max_length"] and any(p.search(text) for p in compile_list(HEADS, "head_lines")):
        return "head"
    if any(p.match(text) for p in compile_list(HEADS, "page_lines")):
        return "page"
    if text in repeated:
        return "head"
    if any(p.match(text) for p in compile_list(HEADS, "caption_lines")) and not ends_sentence(text):
        return "caption"
    return "text"


def _repeated_lines(raw_lines: list[str]) -> set[str]:
    """Short lines that recur on several pages: running heads without a known pattern."""
    limit = load_json(HEADS)["repeated_line_max_length"]
    counts = Counter(s.strip() for s in raw_lines if s.strip())
    return {s for s, n in counts.items() if n >= 2 and 4 <= len(s) <= limit and not ends_sentence(s) and not s.endswith(("，", ","))}


def clean_text(doc: Document) -> Document:
    """Split raw text into cleaned lines (stand-in characters put back first); drop heads,
    page numbers, article notes (DOI kept) and captions."""
    raw = fix_characters(doc.raw_text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", ""))
    raw = raw.replace("\f", "\n\f")
    raw_lines = raw.split("\n")
    repeated = _repeated_lines(raw_lines)
    lines: list[Line] = []
    page_break = False
    for raw_line in raw_lines:
        if raw_line.startswith("\f"):
            page_break, raw_line = True, raw_line[1:]
        stripped = raw_line.strip()
        if not stripped:
            continue
        kind = classify_line(stripped, repeated)
        if kind == "head":
            _apply_head_metadata(doc, _head_metadata(stripped))
            page_break = True
            continue
        if kind == "page":
            page_break = True
            continue
        if kind == "note":  # a footnote inside the running text: the lines around it still join
            if doi := compile_one(HEADS, "doi").search(stripped):
                doc.extra.setdefault("doi", doi.group("doi"))
            continue
        if kind == "caption":
            doc.captions.append(fix_spacing(stripped))
            continue
        indented = raw_line[:1] in (" ", "\t", "\u3000")
        lines.append(Line(text=fix_spacing(stripped), raw=stripped, block_start=page_break or indented, indented=indented))
        page_break = False
    doc.lines = lines
    return doc
