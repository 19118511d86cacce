"""How well real PDFs of texts the rules were not built on come back through read -> clean -> structure.

    python eval/eval_pdf.py [--every N] [--out DIR]

Every Nth written evaluation text (eval/extra_corpus/) is typeset as a journal page
by headless Chromium (Debian's /usr/bin/chromium through Playwright, a CJK font such
as fonts-noto-cjk installed) in three layouts — A: justified two columns under
full-width front matter, with a running head and page numbers; B: one column;
C: two columns from the top, front matter included — printed to PDF, read back
through kb's PDF path (pdfminer.six) and compared with the text itself, as
eval/eval_cleaning.py does: sentences unchanged, and documents with the same title
and section headings.  Needs the test extras (Playwright); nothing is downloaded.
"""
from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from eval_cleaning import TEXTS, compare, outline  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CSS = """@page{size:A4;margin:22mm 16mm 18mm 16mm}
body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:9.5pt;line-height:1.55}
h1{font-size:17pt;text-align:center;margin:0 0 4mm} .front p{margin:1mm 0;font-size:9pt}
.cols{column-count:2;column-gap:7mm;text-align:justify} .cols p{text-indent:2em;margin:0}
h2{font-size:10.5pt;margin:2mm 0 1mm} h3{font-size:9.5pt;margin:1mm 0}"""
LAYOUTS = {
    "A two columns, justified": lambda page: page,
    "B one column": lambda page: page.replace("column-count:2", "column-count:1"),
    "C two columns from the top": lambda page: page.replace("text-align:justify", "text-align:left").replace(
        '<div class="front">', '<div class="front cols">'),
}
HEAD = '<div style="font-size:7px;width:100%;text-align:center">中国神经精神疾病杂志  2023年 第49卷 第3期</div>'
FOOT = '<div style="font-size:7px;width:100%;text-align:center">· <span class="pageNumber"></span> ·</div>'


def page_html(text: str) -> str:
    """A written text as a journal page: title, front matter, then headings and paragraphs."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    heading = re.compile(r"^(\d+(\.\d+)* |[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
    start = next((i for i, ln in enumerate(lines[1:], 1) if heading.match(ln) and len(ln) <= 50), len(lines))
    front = "".join(f"<p>{html.escape(ln)}</p>" for ln in lines[1:start])
    body = "".join((f"<h2>{html.escape(ln)}</h2>" if heading.match(ln) and len(ln) <= 50 and not ln.endswith("。")
                    else f"<p>{html.escape(ln)}</p>") for ln in lines[start:])
    return (f'<html><head><meta charset="utf-8"><style>{CSS}</style></head><body><h1>{html.escape(lines[0])}</h1>'
            f'<div class="front">{front}</div><div class="cols">{body}</div></body></html>')


def print_pdfs(files: list[Path], out: Path) -> None:
    """Each text in each layout as out/<layout letter>/<name>.pdf."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page()
        for name, layout in LAYOUTS.items():
            (out / name[0]).mkdir(parents=True, exist_ok=True)
            for f in files:
                page.set_content(layout(page_html(f.read_text(encoding="utf-8"))))
                page.pdf(path=str(out / name[0] / f"{f.stem}.pdf"), format="A4", display_header_footer=True,
                         header_template=HEAD, footer_template=FOOT,
                         margin={"top": "22mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=8, help="take every Nth written text (default 8: 22 texts)")
    ap.add_argument("--out", type=Path, help="keep the PDFs in this folder (default: a temporary one)")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists() or not shutil.which("fc-list"):
        sys.exit(f"eval_pdf: needs {CHROMIUM} and fontconfig with a CJK font (apt-get install chromium fonts-noto-cjk)")
    files = sorted(TEXTS.glob("*.txt"))[::args.every]
    refs = {f.stem: outline(f) for f in files}
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        print_pdfs(files, out)
        print(f"{len(files)} texts, {sum(len(r[2]) for r in refs.values())} sentences\n")
        print(f"{'layout':<30} {'exact':>7} {'spacing aside':>14} {'title+headings':>15}")
        for name in LAYOUTS:
            total = exact = loose = same = 0
            for f in files:
                n, e, lo, s = compare(refs[f.stem], outline(out / name[0] / f"{f.stem}.pdf"))
                total, exact, loose, same = total + n, exact + e, loose + lo, same + s
            print(f"{name:<30} {exact / total:>7.3f} {loose / total:>14.3f} {same / len(files):>15.3f}")


if __name__ == "__main__":
    main()
