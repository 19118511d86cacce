"""Stage 3 — structure_document: lines -> sections, paragraphs and the cleaned text.

In: a Document with cleaned ``lines``.  Out: ``text`` (headings and paragraphs
separated by blank lines), ``sections`` (a tree via levels and parent ids) and
``paragraphs`` with offsets into ``text``, plus front matter.

Heading levels are inferred, not assumed: numbering styles ("1", "1.1",
"一、", "（一）", inline "1. 名称：") nest in the order a document opens them,
and a candidate only counts as a heading when it follows a finished sentence
and continues its style's numbering.
"""
from __future__ import annotations

import re

from .clean import display_width, ends_sentence, fix_spacing, heading_form, join_lines
from .data_files import compile_one, load_json
from .frontmatter import Block, derive_title, looks_like_heading, parse_front_matter
from .layout import mark_unwrapped, paragraph_ends, script_of, typical_widths
from .models import Document, Line, Paragraph, Section

STRUCT = "structure.json"
CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_number(text: str) -> int:
    """Value of a small Chinese numeral (一 .. 九十九) or Arabic digits."""
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return CN_DIGITS.get(text, 0)
    if text.startswith("十"):
        return 10 + CN_DIGITS.get(text[1:], 0)
    tens = CN_DIGITS.get(text[0], 0) * 10
    return tens + (CN_DIGITS.get(text[2:], 0) if len(text) > 2 else 0)


class HeadingState:
    """Tracks open numbering styles and their last numbers, to accept or reject candidates."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.last: dict[str, tuple[int, ...]] = {}

    def key(self, style: str, number: tuple[int, ...]) -> str:
        return f"{style}{len(number)}" if style == "decimal" else style

    def follows(self, style: str, number: tuple[int, ...]) -> bool:
        """Does ``number`` continue the numbering of its style (one skipped number tolerated)?"""
        if style != "decimal":
            prev = self.last.get(style)
            return (number[0] in (1, 2)) if prev is None else number[0] - prev[0] in (1, 2)
        prev = self.last.get("decimal")
        if prev is None:
            return number[:-1] == (1,) * (len(number) - 1) and number[-1] in (1, 2)
        depth = len(number)
        if depth > len(prev) + 1 or number[:-1] != prev[: depth - 1]:
            return False
        if depth == len(prev) + 1:
            return number[-1] in (1, 2)
        return number[-1] - prev[depth - 1] in (1, 2)

    def open(self, style: str, number: tuple[int, ...]) -> int:
        """Record a heading; return its level (position of its style in the nesting)."""
        key = self.key(style, number)
        if key in self.stack:
            del self.stack[self.stack.index(key) + 1 :]
        else:
            self.stack.append(key)
        for stale in [k for k in self.last if k not in self.stack and k != "decimal" and not k.startswith("decimal")]:
            del self.last[stale]
        self.last["decimal" if style == "decimal" else style] = number
        return len(self.stack)

    def reset(self) -> None:
        """An unnumbered heading (小结): nesting starts again, numbering goes on."""
        self.stack.clear()


def _not_a_title(title: str) -> bool:
    """A 'title' that is really running text: it opens with a unit ('2 h后…') or has a clause comma."""
    depth, comma = 0, False
    for ch in title:
        depth += (ch in "（(") - (ch in "）)")
        comma = comma or (ch in "，," and depth == 0)
    return comma or bool(compile_one(STRUCT, "not_title_start").match(title))


def _parse_number(style: str, raw: str) -> tuple[int, ...]:
    if style == "decimal":
        return tuple(int(p) for p in raw.split("."))
    return (cn_number(raw),)


def match_heading(line: Line, state: HeadingState) -> Block | None:
    """A heading block when the line is a heading in a numbering style that continues, else None."""
    text = fix_spacing(line.text)
    if text in load_json(STRUCT)["plain_headings"]:
        return Block(kind="heading", style="plain", title=text, lines=[line])
    raw = heading_form(line.raw)
    if len(raw) > 60 or raw.endswith(("。", "，", "；", "、", ",", ";", "：", ":")) or re.search(r"[。：:].", raw):
        return None
    for spec in load_json(STRUCT)["headings"]:
        m = re.match(spec["pattern"], raw)
        if not m:
            continue
        number = _parse_number(spec["style"], m.group("number"))
        if not all(number) or not state.follows(spec["style"], number) or _not_a_title(m.group("title")):
            continue
        return Block(kind="heading", style=spec["style"], number=".".join(map(str, number)) if spec["style"] == "decimal" else m.group("number"),
                     title=fix_spacing(m.group("title")), lines=[line])
    return None


def _is_full(line: Line, typical: dict) -> bool:
    """The line fills (nearly) the whole column width."""
    return display_width(line.raw) >= 0.75 * typical[script_of(line.text)]


def _balanced(text: str) -> bool:
    """Brackets in a heading title are all closed."""
    depth = 0
    for ch in text:
        depth += (ch in "（(［[") - (ch in "）)］]")
    return depth == 0


def _opens_item(prev: Line, line: Line) -> bool:
    """After a finished sentence, a line opening with 'N.' starts a new paragraph (a run-in heading)."""
    return ends_sentence(prev.text) and bool(re.match(r"\d{1,2}\s*[.．、]\s*[^\d\s]", line.text))


def _is_wrapped_tail(nxt: Line, typical: dict) -> bool:
    """The next line finishes a heading that wrapped (short, unpunctuated, no colon)."""
    full = typical[script_of(nxt.text)]
    return (display_width(nxt.raw) < 0.6 * full and not ends_sentence(nxt.text)
            and not re.search(r"[，,、；;：:]", nxt.text) and not looks_like_heading(nxt.raw))


def _inline_heading(block: Block, state: HeadingState) -> Block | None:
    """A numbered run-in heading opening a paragraph, e.g. '1. Thase和Rush分期模型（…）［25］：…'."""
    m = compile_one(STRUCT, "inline_heading").match(block.text)
    if not m or not state.follows("inline", (int(m.group("number")),)):
        return None
    title = re.sub(r"[［\[][\d\s,，、\-–~～]+[］\]]$", "", m.group("title").strip()).strip()
    return Block(kind="heading", style="inline", number=m.group("number"), title=title)


def body_blocks(lines: list[Line], typical: dict) -> list[Block]:
    """Group body lines into heading and paragraph blocks."""
    blocks: list[Block] = []
    state, para = HeadingState(), None
    prev_ended, i = True, 0
    while i < len(lines):
        line = lines[i]
        head = match_heading(line, state) if prev_ended or para is None or line.whole else None
        if head and head.style != "plain":
            if _is_full(line, typical) and i + 1 < len(lines) and _is_wrapped_tail(lines[i + 1], typical):
                head.title = join_lines(head.title, lines[i + 1].text)
                head.lines.append(lines[i + 1])
                i += 1
            if not _balanced(head.title):
                head = None  # an open bracket: the line runs on into a paragraph
        if head:
            if head.style == "plain":
                state.reset()
                head.level = 1
            else:
                head.level = state.open(head.style, tuple(int(x) for x in head.number.split(".")) if head.style == "decimal" else (cn_number(head.number),))
            para = None
            blocks.append(head)
            prev_ended, i = True, i + 1
            continue
        if para is not None and (paragraph_ends(para.lines[-1], line, typical) or _opens_item(para.lines[-1], line)):
            para = None
        if para is None:
            para = Block(kind="body", text=line.text, lines=[line])
            blocks.append(para)
        else:
            para.text = join_lines(para.text, line.text)
            para.lines.append(line)
        prev_ended, i = ends_sentence(line.text), i + 1
    return _with_inline_headings(blocks, state)


def _with_inline_headings(blocks: list[Block], state: HeadingState) -> list[Block]:
    """Insert a heading block before paragraphs that open with a run-in numbered heading."""
    out: list[Block] = []
    levels = HeadingState()
    for block in blocks:
        if block.kind == "heading":
            if block.style == "plain":
                levels.reset()
            else:
                levels.open(block.style, _parse_number(block.style, block.number) if block.style == "decimal" else (cn_number(block.number),))
            out.append(block)
            continue
        head = _inline_heading(block, levels)
        if head:
            head.level = levels.open("inline", (int(head.number),))
            out.append(head)
        out.append(block)
    return out


def _assemble(doc: Document, blocks: list[Block]) -> None:
    """Write blocks into doc.text and record sections and paragraphs with offsets."""
    parts: list[str] = []
    pos = 0
    open_sections: list[Section] = []
    for block in blocks:
        if block.kind == "close":
            while open_sections:
                open_sections.pop().end = max(pos - 2, 0)
            continue
        if block.kind == "heading" and block.style == "inline":
            text_start = pos  # run-in heading: its text is the start of the next paragraph
        else:
            text = block.title if block.kind == "heading" else block.text
            if block.kind == "heading" and block.number:
                text = {"cn": f"{block.number}、{block.title}", "cn_paren": f"（{block.number}）{block.title}"}.get(
                    block.style, f"{block.number} {block.title}")
            text_start = pos
            parts.append(text)
            pos += len(text) + 2
        if block.kind == "heading":
            while open_sections and open_sections[-1].level >= block.level:
                open_sections.pop().end = text_start
            kind = block.style if block.style in ("inline", "abstract") else "heading"
            sec = Section(section_id=f"{doc.doc_id}.h{len(doc.sections) + 1}", ord=len(doc.sections) + 1, level=block.level,
                          number=block.number, title=block.title, kind=kind,
                          parent_id=open_sections[-1].section_id if open_sections else None, start=text_start)
            doc.sections.append(sec)
            open_sections.append(sec)
        else:
            doc.paragraphs.append(Paragraph(ord=len(doc.paragraphs) + 1, start=text_start, end=text_start + len(block.text), kind=block.kind))
    doc.text = "\n\n".join(parts)
    for sec in open_sections:
        sec.end = len(doc.text)


def structure_document(doc: Document) -> Document:
    """Find front matter, headings and paragraphs; build doc.text, sections and paragraphs."""
    typical = typical_widths(doc.lines)
    mark_unwrapped(doc.lines, typical, load_json(STRUCT)["unwrapped_width"])
    abstracts, start = parse_front_matter(doc, typical)
    blocks: list[Block] = []
    for ab in abstracts:
        name = "摘要" if ab.kind == "abstract_zh" else "Abstract"
        blocks += [Block(kind="heading", style="abstract", title=name, level=1), ab]
    if abstracts:
        blocks.append(Block(kind="close"))  # the body's opening paragraphs belong to no abstract
    body = body_blocks(doc.lines[start:], typical)
    blocks += body
    _assemble(doc, blocks)
    derive_title(doc, [b for b in body if b.kind == "heading"])
    return doc
