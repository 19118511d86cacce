"""Cue lists (kb/cues.py): a cue is found exactly when its regex would match; plain-word
alternatives are looked up, the others run as regexes; each cue counts once."""
from __future__ import annotations

import random
import re

import pytest

from kb.cues import compile_cues, required_chars, required_pairs, split_alternatives


def test_split_alternatives_respects_groups_classes_and_escapes():
    assert split_alternatives(r"a|(?:b|c)|[|x]|\|d|e") == ["a", "(?:b|c)", "[|x]", r"\|d", "e"]


@pytest.mark.parametrize("pattern,chars", [
    ("诊断标准|判定标准|符合.{0,12}标准", {"诊", "判", "符"}),
    (r"\btreat(?!ment)|Efficacy", {"t", "e"}),
    ("(?<!血药)浓度", {"浓"}),
    ("(?:分为|归为)[^。]{0,40}", {"分", "归"}),
    ("^[^，]{1,20}是", {"是"}),
    (r"\d\s*mg", {"m"}),
    ("(?:的|这一)?概念", {"概"}),
    ("s?ubtype", {"u"}),
    ("[\u4e00-\u9fff]{1,6}(?:单抗|昔布)", {"单", "昔"}),
    (r"^\d+$|x", None),
])
def test_characters_every_match_holds(pattern, chars):
    assert required_chars(pattern) == (frozenset(chars) if chars is not None else None)


@pytest.mark.parametrize("pattern,pairs", [
    ("诊断标准|判定标准|符合.{0,12}标准", {"诊断", "判定", "符合"}),
    (r"\btreat(?!ment)|Efficacy", {"tr", "ef"}),
    ("(?<!血药)浓度", {"浓度"}),
    ("(?:分为|归为)[^。]{0,40}", {"分为", "归为"}),
    ("^[^，]{1,20}是", None),  # one literal character: no pair to go by
    (r"\d\s*mg", {"mg"}),
    ("(?:的|这一)?概念", {"概念"}),
    ("s?ubtype", {"ub"}),
    ("ab?c|xyz", None),  # 'a' and 'c' are not adjacent in every match
    ("ab+c", {"ab"}),
    ("[\u4e00-\u9fff]{1,6}(?:单抗|昔布)", {"单抗", "昔布"}),
    (r"^\d+$|xy", None),
])
def test_character_pairs_every_match_holds(pattern, pairs):
    assert required_pairs(pattern) == (frozenset(pairs) if pairs is not None else None)


def test_each_cue_counts_once_and_reports_its_phrases():
    cues = compile_cues([["治疗|疗法", 0.5], ["疗效|治疗效果", 0.8], [r"\bdose\b|剂量", 0.3], ["机制", 1.0]])
    found = cues.found("该疗法的治疗效果与剂量有关，治疗3周后起效（dose 50 mg）。")
    assert sorted(found) == [0, 1, 2]
    assert found[0] == ["治疗", "疗法"] and "治疗效果" in found[1] and found[2] == ["dose", "剂量"]
    assert list(cues.found("与机制无关的一句话")) == [3]
    assert cues.found("nothing here") == {}


def test_plain_words_match_case_insensitively_like_the_regex():
    cues = compile_cues([["staging|HAMD", 1.0]])
    assert cues.found("The Staging of TRD") == {0: ["Staging"]}
    assert list(cues.found("hamd-17 总分")) == [0]


def test_same_cues_found_as_by_the_whole_regexes():
    """On random sentences built from the shipped cue words, a cue is found exactly when its
    whole regex finds something."""
    from kb.data_files import load_json

    cfg = load_json("cues.json")
    pairs = [p for t in cfg["types"].values() for p in t["cues"]] + cfg["none"]
    compiled = compile_cues(pairs)
    pieces = [w for p, _ in pairs for w in split_alternatives(p) if not set(w) & set("\\()[]{}?*+|^$.")]
    pieces += ["患者", "研究", "，", "。", "TRD", "the ", "治疗有效者", "50 mg", "可能与", "有关", "1期是指"]
    rng = random.Random(3)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        for i, (pattern, weight) in enumerate(pairs):
            whole = bool(re.search(pattern, text, re.I))
            one = bool(compile_cues([[pattern, weight]]).found(text))
            assert whole == one, (pattern, text)
        expected = sum(w for p, w in pairs if re.search(p, text, re.I))
        assert sum(pairs[i][1] for i in compiled.found(text)) == pytest.approx(expected)
