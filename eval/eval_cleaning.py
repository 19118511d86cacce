"""How well cleaning and structure undo PDF-extraction damage on texts they were not built on.

    python eval/eval_cleaning.py [--show N]

The written evaluation texts (eval/extra_corpus/, one paragraph per line) are the
reference.  Each is damaged the way the bundled PDF extractions are — hard line
wraps at a two-column width, blank lines between wrapped lines, running heads and
page numbers every page (often inside a sentence), first-page footnotes (funding,
affiliation, correspondence, DOI) inside a paragraph, stray spaces inside Chinese
words, split decimals ("3. 5"), full-width citation brackets — one kind at a time
and all together (seeded, so every run damages the same way).  Both versions go
through read -> clean -> structure -> sentences, and the script prints, per kind
of damage, the share of the reference's sentences found unchanged (citation
markers set aside), the share found when spacing is ignored (what remains is
structure: a sentence split or merged wrongly, a head left inside), and the share
of documents whose title and section headings come out the same.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.citations import CITATION  # noqa: E402
from kb.clean import display_width  # noqa: E402
from kb.pipeline import structure_text  # noqa: E402
from kb.read import read_document  # noqa: E402

TEXTS = ROOT / "eval" / "extra_corpus"
CJK = re.compile(r"[\u4e00-\u9fff]")
NO_LINE_START = "。，、；：？！）」』”’》%,.;:?!)"  # typesetting never starts a line with these
NOTES = ["基金项目：国家自然科学基金（81871234）", "作者单位：100088 北京大学第六医院",
         "通信作者：张三，Email：zhangsan@example.com", "DOI：10.3969/j.issn.1002-0152.2023.03.001"]
HEADS = ["·综述·  中国神经精神疾病杂志  2023年 第49卷 第3期", "国际精神病学杂志  2022年 第49卷 第5期",
         "Chin J Psychiatry, May 2021, Vol. 54, No. 3", "临床精神医学杂志  2024，34（2）"]


def _is_heading(line: str) -> bool:
    return display_width(line) <= 50 and not re.search(r"[。！？.!?]$", line)


def _wrap(line: str, width: int) -> list[str]:
    """Cut a paragraph into lines of about ``width`` columns, Latin words kept whole and no
    line opening with closing punctuation (as typesetting does)."""
    out, cur = [], ""
    for tok in re.findall(r"[A-Za-z0-9.%\-–/]+\s*|\s+|.", line):
        if cur and display_width(cur + tok.rstrip()) > width and tok[0] not in NO_LINE_START:
            out.append(cur.rstrip())
            cur = tok.lstrip()
        else:
            cur += tok
    return out + ([cur.rstrip()] if cur.strip() else [])


def damage(text: str, kinds: set[str], rng: random.Random) -> str:
    """The text as a PDF extraction with the damage ``kinds`` would give it."""
    lines = []
    for para in text.split("\n"):
        if not para.strip():
            continue
        wrapped = [para] if "wrap" not in kinds or _is_heading(para) else _wrap(para, rng.choice((44, 46, 48)))
        lines.extend(wrapped)
    if "decimals" in kinds:
        lines = [re.sub(r"(\d)\.(\d)", r"\1. \2", ln) for ln in lines]
    if "brackets" in kinds:
        lines = [re.sub(r"\[(\d[\d,，\-–～、 ]*)\]", r"［\1］", ln) for ln in lines]
    if "spaces" in kinds:
        lines = [(" ".join(ln) if CJK.search(ln) and rng.random() < 0.04 else
                  re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])", lambda m: " " * (rng.random() < 0.5), ln))
                 for ln in lines]
    if "notes" in kinds:  # the first page's footnotes, printed where the page ends, inside a paragraph
        at = min(len(lines) - 1, 40)
        lines[at:at] = NOTES
    if "heads" in kinds:
        head, out, page = rng.choice(HEADS), [], rng.randint(100, 400)
        for i, ln in enumerate(lines, 1):
            out.append(ln)
            if i % 45 == 0:
                out += [f"· {page} ·" if page % 2 else str(page), head]
                page += 1
        lines = out
    return ("\n\n" if "blank" in kinds else "\n").join(lines) + "\n"


def outline(path: Path) -> tuple[str, list[str], list[str]]:
    """(title, section headings, sentences with citation markers removed) as the pipeline gives them."""
    doc = structure_text(read_document(path))
    heads = [f"{s.number} {s.title}".strip() for s in doc.sections]
    return doc.title or "", heads, [CITATION.sub("", s.text).strip() for s in doc.sentences]


def compare(ref: tuple, got: tuple) -> tuple[int, int, int, bool]:
    """(reference sentences, found exactly, found ignoring spaces, same title and headings)."""
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    have, have_loose = set(got[2]), {squash(s) for s in got[2]}
    exact = sum(s in have for s in ref[2])
    loose = sum(squash(s) in have_loose for s in ref[2])
    return len(ref[2]), exact, loose, (ref[0], ref[1]) == (got[0], got[1])


KINDS = [{"wrap"}, {"wrap", "blank"}, {"heads"}, {"wrap", "heads"}, {"wrap", "notes"}, {"spaces"}, {"decimals"},
         {"brackets"}, {"wrap", "blank", "heads", "notes", "spaces", "decimals", "brackets"}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", type=int, default=0, help="print up to N reference sentences not found (all damage)")
    args = ap.parse_args()
    files = sorted(TEXTS.glob("*.txt"))
    refs = {f: outline(f) for f in files}
    print(f"{len(files)} texts, {sum(len(r[2]) for r in refs.values())} sentences\n")
    print(f"{'damage':<50} {'exact':>7} {'spacing aside':>14} {'title+headings':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        for kinds in KINDS:
            total = exact = loose = same = 0
            missed = []
            for i, f in enumerate(files):
                out = Path(tmp) / f.name
                out.write_text(damage(f.read_text(encoding="utf-8"), kinds, random.Random(i)), encoding="utf-8")
                got = outline(out)
                n, e, lo, s = compare(refs[f], got)
                total, exact, loose, same = total + n, exact + e, loose + lo, same + s
                missed += [(f.name, x) for x in refs[f][2] if x not in set(got[2])]
            print(f"{'+'.join(sorted(kinds)):<50} {exact / total:>7.3f} {loose / total:>14.3f} {same / len(files):>15.3f}")
        for name, sentence in missed[:args.show]:
            print(f"  {name}: {sentence}")


if __name__ == "__main__":
    main()
