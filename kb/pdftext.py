"""The text layer of a PDF, in reading order — the one module that imports pdfminer.six.

In: a PDF path.  Out: its text, one line per printed line, pages separated by a
form feed.  pdfminer finds the printed lines; this module orders them the way a
journal page is read, because pdfminer's own box ordering interleaves the two
columns of a review (a heading of the right column lands between two lines of
the left one).  On each page, lines that cross the middle of the page (titles,
abstracts, running heads) are read in place from top to bottom; between two
such lines, the left column is read before the right one.  A line indented
from its column's left edge starts with two spaces, as a paragraph's first line
does in a plain-text extraction, so the structure stage sees where paragraphs
begin.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .errors import ReadError

INDENT = 1.2  # an indent of more than this many character widths opens a paragraph
GUTTER = 0.02  # share of the page width a one-column line may cross the middle by
GUTTER_GAP = 0.8  # a gutter is at least this many character widths wide
SAME_LINE = 2.0  # pieces whose tops differ by less than this (points) are one printed line


@dataclass
class PrintedLine:
    """One printed line: its text and where it sits on the page (PDF points, y upwards)."""

    text: str
    x0: float
    x1: float
    top: float
    char_width: float


def _printed_lines(layout) -> list[PrintedLine]:
    """Every text line pdfminer found on one page, lines that run across the gutter between
    two columns cut in two (see _split_at_gutter)."""
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    lines = []
    for box in layout:
        if not isinstance(box, LTTextContainer):
            continue
        for line in box:
            if not isinstance(line, LTTextLine):
                continue
            glyphs = [(g.get_text(), g.x0, g.x1) if isinstance(g, LTChar) else (g.get_text(), None, None) for g in line]
            for part in _split_at_gutter(glyphs, layout.width):
                text = "".join(t for t, _, _ in part).rstrip("\n")
                xs = [(a, b) for _, a, b in part if a is not None]
                if text.strip() and xs:
                    x0, x1 = xs[0][0], xs[-1][1]
                    lines.append(PrintedLine(text, x0, x1, line.y1, (x1 - x0) / max(1, len(text.strip()))))
    return lines


def _split_at_gutter(glyphs: list[tuple], page_width: float) -> list[list[tuple]]:
    """pdfminer joins the end of a left-column line and the start of a right-column line at the
    same height when the gutter is narrower than its character margin.  Cut a line at a gap
    over the middle of the page that is far wider than the line's other gaps (a column gutter,
    not a word space of a justified full-width line).  Glyphs are (text, x0, x1); spaces
    pdfminer inserted have no position."""
    placed = [i for i, g in enumerate(glyphs) if g[1] is not None]
    gaps = [(glyphs[j][1] - glyphs[i][2], i, j) for i, j in zip(placed, placed[1:])]
    if not gaps:
        return [glyphs]
    mid, slack = page_width / 2, GUTTER * page_width
    typical = sorted(g for g, _, _ in gaps)[len(gaps) // 2]
    char = (glyphs[placed[-1]][2] - glyphs[placed[0]][1]) / len(placed)
    cut = max(((g, i, j) for g, i, j in gaps if glyphs[i][2] <= mid + slack and glyphs[j][1] >= mid - slack),
              default=None)
    if cut is None or cut[0] < max(GUTTER_GAP * char, 3 * typical + 1):
        return [glyphs]
    return [glyphs[:cut[1] + 1], glyphs[cut[2]:]]


def _side(line: PrintedLine, page_width: float) -> str:
    """'left' or 'right' for a line within one column, 'full' for one that crosses the middle."""
    mid, slack = page_width / 2, GUTTER * page_width
    if line.x1 <= mid + slack:
        return "left"
    return "right" if line.x0 >= mid - slack else "full"


def _merge_pieces(lines: list[PrintedLine], page_width: float) -> list[PrintedLine]:
    """One line for each printed line: pdfminer splits a justified line with wide word gaps
    into pieces at (nearly) the same height, which are joined here, left to right."""
    groups: list[list[PrintedLine]] = []
    latest: dict[str, list[PrintedLine]] = {}  # side -> its latest group
    for line in sorted(lines, key=lambda ln: -ln.top):
        side = _side(line, page_width)
        group = latest.get(side)
        if group is not None and abs(group[0].top - line.top) < SAME_LINE:
            group.append(line)
        else:
            latest[side] = [line]
            groups.append(latest[side])
    merged = []
    for group in groups:
        group.sort(key=lambda ln: ln.x0)
        text = " ".join(ln.text.strip() for ln in group)
        merged.append(PrintedLine(text, group[0].x0, max(ln.x1 for ln in group), group[0].top, group[0].char_width))
    return merged


def order_lines(lines: list[PrintedLine], page_width: float) -> list[PrintedLine]:
    """Lines in reading order: full-width lines in place, and between two of them the left
    column top to bottom, then the right column."""
    out: list[PrintedLine] = []
    column: dict[str, list[PrintedLine]] = {"left": [], "right": []}
    for line in sorted(_merge_pieces(lines, page_width), key=lambda ln: (-ln.top, ln.x0)):
        side = _side(line, page_width)
        if side == "full":
            out += column["left"] + column["right"] + [line]
            column = {"left": [], "right": []}
        else:
            column[side].append(line)
    return out + column["left"] + column["right"]


def line_texts(lines: list[PrintedLine], page_width: float) -> list[str]:
    """Line texts, a paragraph's indented first line marked by two leading spaces (indented
    from the leftmost start of the lines on its side of the page)."""
    sides = [_side(line, page_width) for line in lines]
    edge: dict[str, float] = {}
    for line, side in zip(lines, sides):
        edge[side] = min(edge.get(side, line.x0), line.x0)
    return [("  " if line.x0 - edge[side] > INDENT * line.char_width else "") + line.text.strip()
            for line, side in zip(lines, sides)]


def extract_pdf_text(path: Path) -> str:
    """The PDF's text in reading order; ReadError naming the file when pdfminer cannot parse it."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfexceptions import PDFException
    from pdfminer.psexceptions import PSException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor warnings are not the user's concern
    try:
        pages = []
        for layout in extract_pages(str(path), laparams=LAParams()):
            ordered = order_lines(_printed_lines(layout), layout.width)
            pages.append("\n".join(line_texts(ordered, layout.width)))
        return "\n\f".join(pages)
    except (PDFException, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ReadError(f"{path}: unreadable PDF ({exc.__class__.__name__})") from None
