"""Front matter: title, authors, affiliation, abstracts and keywords.

In: the cleaned lines of a document.  Out: the document's metadata fields
filled, plus the abstracts as blocks, and the index of the first body line.
Nothing is invented: a title is taken only when the text marks it as one
(a short first line followed by authors, affiliation or an abstract).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import ends_sentence, fix_spacing, heading_form, join_lines
from .data_files import compile_one, load_json
from .layout import is_short, paragraph_ends, script_of, typical_widths
from .models import Document, Line

STRUCT = "structure.json"
FRONT_WINDOW = 20  # front matter starts in the first lines of a document (then runs while its parts follow)
TITLE_WRAP_MIN = 16  # a title line this long (characters) may have wrapped onto the next line


@dataclass
class Block:
    """A run of lines that is one unit of the document: heading or paragraph."""

    kind: str  # heading, body, abstract_zh, abstract_en
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    style: str = ""
    number: str = ""
    title: str = ""
    level: int = 1


def _marker(key: str, text: str) -> re.Match | None:
    return compile_one(STRUCT, key).match(text)


def is_front_marker(text: str) -> bool:
    """A line that opens an abstract or keyword list."""
    return any(_marker(k, text) for k in ("abstract_zh", "abstract_en", "keywords_zh", "keywords_en"))


def _marker_follows(lines: list[Line], i: int, within: int = 6) -> bool:
    """Lines i.. are short unpunctuated front lines (a label, an English title, a note) up to an
    abstract or keyword marker at most ``within`` lines on: they belong to the front matter."""
    for j in range(i, min(len(lines), i + within + 1)):
        if is_front_marker(lines[j].text) or is_front_marker(lines[j].raw):
            return j > i
        if len(lines[j].text) > 300 or ends_sentence(lines[j].text):
            return False
    return False


def _is_author_line(text: str) -> bool:
    return bool(compile_one(STRUCT, "author_line").match(text)) and not text.endswith(("。", "，"))


def _is_affiliation(text: str) -> bool:
    return bool(compile_one(STRUCT, "affiliation").search(text)) and (
        text[:1] in "（(" or bool(re.search(r"\d{6}", text))
    ) and len(text) <= 200


def _split_keywords(text: str) -> list[str]:
    return [k.strip() for k in re.split(r"[；;，,、]\s*", text.strip().rstrip("。.")) if k.strip()]


def _opens_front(lines: list[Line], i: int) -> bool:
    """Line i is where the front matter after a title starts: authors, affiliation, a marker,
    or short front lines leading to a marker."""
    if i >= len(lines):
        return False
    text = lines[i].text
    return (_is_author_line(lines[i].raw) or _is_affiliation(text) or is_front_marker(text)
            or _marker_follows(lines, i))


def _title_tail(lines: list[Line]) -> bool:
    """Is line 1 the rest of a title that wrapped after line 0?  A long unpunctuated first
    line, then a short line of the same script that is no list of names, no affiliation and
    no marker, with the front matter opening right after it.  A lone name-like tail counts
    as the title's (inventing an author is the worse mistake)."""
    first, tail = lines[0].text, lines[1].text
    return (len(first) >= TITLE_WRAP_MIN and len(first) + len(tail) <= 80 and script_of(first) == script_of(tail)
            and not ends_sentence(tail) and tail[-1] not in "，,;；：:" and tail[0] not in "（(【[·"
            and not re.search(r"[\s,，、]", tail) and not _is_affiliation(tail) and not is_front_marker(tail)
            and _opens_front(lines, 2))


def _take_title(doc: Document, lines: list[Line]) -> int:
    """Take line 0 (with its wrapped tail, if any) as the title when the next lines are
    authors/affiliation/abstract; return the index of the first line after it."""
    if len(lines) < 2:
        return 0
    first = lines[0].text
    if len(first) > 80 or first[-1] in "。，；：,;:.!?！？":
        return 0
    if len(lines) > 2 and _title_tail(lines):
        doc.title = join_lines(first, lines[1].text)
        doc.provenance["title"] = "text"
        return 2
    if _opens_front(lines, 1):
        doc.title = first
        doc.provenance["title"] = "text"
        return 1
    return 0


def looks_like_heading(text: str) -> bool:
    """A numbered or plain section heading (the body begins there)."""
    cfg, text = load_json(STRUCT), heading_form(text)
    return text in cfg["plain_headings"] or any(re.match(h["pattern"], text) for h in cfg["headings"])


def _collect_keywords(lines: list[Line], i: int, first: str, typical: dict) -> tuple[list[str], int]:
    """Keywords from line i on: a keyword list wraps like any line, so the lines after it that
    continue it (same script; the list still open — its line full width or ending in a
    separator; no marker or heading) are part of it."""
    text, prev = first, lines[i]
    i += 1
    while i < len(lines):
        line = lines[i]
        open_list = (text.rstrip().endswith(("；", ";", "，", ",", "、")) or not is_short(prev, typical)
                     or line.text[:1].islower())  # English wraps ragged: a lower-case line goes on
        if (line.whole or not open_list or ends_sentence(prev.text) or is_front_marker(line.text)
                or looks_like_heading(line.text) or script_of(line.text) != script_of(prev.text)):
            break
        text, prev = join_lines(text, line.text), line
        i += 1
    return _split_keywords(text), i


def _collect_abstract(lines: list[Line], i: int, kind: str, first: str, typical: dict) -> tuple[Block, int]:
    """Gather an abstract starting at line i until a marker, a language change or a paragraph end."""
    block = Block(kind=kind, lines=[lines[i]], text=first)
    i += 1
    while i < len(lines):
        line = lines[i]
        if line.whole or is_front_marker(line.text) or (ends_sentence(block.lines[-1].text) and looks_like_heading(line.raw)):
            break
        if kind == "abstract_en" and script_of(line.text) == "zh":
            break
        if kind == "abstract_zh" and paragraph_ends(block.lines[-1], line, typical) and script_of(line.text) == "zh":
            break
        block.text = join_lines(block.text, line.text)
        block.lines.append(line)
        i += 1
    return block, i


def parse_front_matter(doc: Document, typical: dict[str, float] | None = None) -> tuple[list[Block], int]:
    """Fill title/authors/affiliation/keywords/abstracts; return abstract blocks and body start."""
    lines, typical = doc.lines, typical or typical_widths(doc.lines)
    i = _take_title(doc, lines)
    blocks: list[Block] = []
    while i < len(lines) and (i < FRONT_WINDOW or blocks or doc.keywords_zh or doc.keywords_en):
        text = lines[i].text
        if m := _marker("abstract_zh", text):
            block, i = _collect_abstract(lines, i, "abstract_zh", text[m.end():], typical)
            doc.abstract_zh = block.text
            blocks.append(block)
        elif m := _marker("abstract_en", lines[i].raw):
            block, i = _collect_abstract(lines, i, "abstract_en", fix_spacing(lines[i].raw[m.end():]), typical)
            doc.abstract_en = block.text
            blocks.append(block)
        elif m := _marker("keywords_zh", text):
            doc.keywords_zh, i = _collect_keywords(lines, i, text[m.end():], typical)
        elif m := _marker("keywords_en", lines[i].raw):
            doc.keywords_en, i = _collect_keywords(lines, i, fix_spacing(lines[i].raw[m.end():]), typical)
        elif doc.title and not doc.authors and _is_author_line(lines[i].raw):
            marks = compile_one(STRUCT, "author_markers")
            doc.authors = [marks.sub("", a) for a in re.split(r"[\s,，、]+", lines[i].raw) if marks.sub("", a)]
            doc.provenance["authors"] = "text"
            i += 1
        elif doc.title and _is_affiliation(text):
            doc.affiliation = join_lines(doc.affiliation, text)
            i += 1
        elif _marker_follows(lines, i):
            doc.extra.setdefault("front_lines", []).append(text)  # kept, not interpreted
            i += 1
        else:
            break
    return blocks, i


def derive_title(doc: Document, headings: list[Block]) -> None:
    """Label an untitled document from its first top-level headings, marked as derived."""
    if doc.title:
        return
    skip = set(load_json(STRUCT)["plain_headings"])
    titles = [h.title for h in headings if h.level == 1 and h.title not in skip]
    if titles:
        doc.title = "；".join(titles[:2])
        doc.provenance["title"] = "derived from the first section headings"
    else:
        doc.title = doc.source
        doc.provenance["title"] = "derived from the file name"
    doc.title_derived = True
