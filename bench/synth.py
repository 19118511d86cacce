"""Synthetic corpora for benchmarks: the bundled reviews, multiplied into distinct documents.

Each copy shuffles the paragraphs inside every section, varies the numbers and gets a
title of its own, so content hashes differ and nothing is skipped as a duplicate.
Copies keep the PDF-extraction artefacts of the originals (wraps, heads, spaces).
"""
from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# numbers of results (rates, sample sizes, durations), not those inside names (5-HT1A, GSK3, 2.2.1)
_NUMBER = re.compile(r"(?<![\d.\w-])(\d{1,3})(?=\s*(?:%|％|例|名|周|个月|天|岁|h\b|d\b|mg))")


def _blocks(text: str) -> list[list[str]]:
    """Split a raw text into runs of lines that end a sentence (so shuffling never cuts one)."""
    blocks, cur = [], []
    for line in text.split("\n"):
        cur.append(line)
        if line.rstrip().endswith(("。", "！", "？")) or (not line.strip() and len(cur) == 1):
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def vary(text: str, rng: random.Random, n: int) -> str:
    """One distinct copy: shuffled middle blocks, perturbed small numbers, a numbered title line."""
    blocks = _blocks(text)
    head, body, tail = blocks[:3], blocks[3:-2], blocks[-2:]
    for i in range(0, len(body) - 4, 5):  # shuffle within windows so sections keep their text nearby
        window = body[i : i + 5]
        rng.shuffle(window)
        body[i : i + 5] = window
    out = "\n".join("\n".join(b) for b in head + body + tail)
    out = _NUMBER.sub(lambda m: str(max(1, int(m.group(1)) + rng.choice((-1, 0, 0, 1)))), out)
    return f"合成样本 {n}\n\n" + out


def make_corpus(scale: int, out: Path, seed: int = 7) -> list[Path]:
    """Write ``scale`` varied copies of every bundled review into ``out``; returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted((ROOT / "corpus").glob("*.txt"))
    rng = random.Random(seed)
    files = []
    for n in range(scale):
        for src in sources:
            path = out / f"{src.stem}-{n:05d}.txt"
            if not path.exists():
                path.write_text(vary(src.read_text(encoding="utf-8"), rng, n), encoding="utf-8")
            files.append(path)
    return files
