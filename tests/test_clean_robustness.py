"""Cleaning and structure on PDF-style damage of texts they were not built on (eval/eval_cleaning.py):
a sample of the written evaluation texts, damaged in every way at once (hard wraps, blank lines,
running heads and page numbers, first-page footnotes, letter-spacing, split decimals, full-width citation brackets),
must come back with nearly all sentences and the same title and headings as the undamaged text."""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

import eval_cleaning  # noqa: E402

ALL_DAMAGE = {"wrap", "blank", "heads", "notes", "spaces", "decimals", "brackets"}


def test_damaged_texts_come_back_whole(tmp_path):
    files = sorted(eval_cleaning.TEXTS.glob("*.txt"))[::8]
    total = exact = same = 0
    for i, f in enumerate(files):
        out = tmp_path / f.name
        out.write_text(eval_cleaning.damage(f.read_text(encoding="utf-8"), ALL_DAMAGE, random.Random(i)), encoding="utf-8")
        n, e, _, s = eval_cleaning.compare(eval_cleaning.outline(f), eval_cleaning.outline(out))
        total, exact, same = total + n, exact + e, same + s
    assert len(files) >= 20
    assert exact / total >= 0.97, f"{exact}/{total} sentences unchanged"
    assert same / len(files) >= 0.9, f"{same}/{len(files)} documents with the same title and headings"


def test_damage_really_damages():
    text = (eval_cleaning.TEXTS / "ketamine-mechanisms-trd.txt").read_text(encoding="utf-8")
    damaged = eval_cleaning.damage(text, ALL_DAMAGE, random.Random(0))
    assert len(damaged.splitlines()) > 3 * len(text.splitlines())  # wrapped, with blank lines
    assert "［" in damaged and " ·" in damaged
