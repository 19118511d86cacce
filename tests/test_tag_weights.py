"""Fitted tagging weights (kb/data/cue_weights.json, written by eval/fit_weights.py): what the fit does,
how the tagger falls back on hand weights, and that the shipped file is the one the fit gives today."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb.data_files import load_json
from kb.tagging import CONCEPT_MARK, NO_CUE, TYPES, WORD, _rules, hand_weights, text_ngrams

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))

from fit_weights import fit  # noqa: E402
from tagging_helpers import matcher, tag, types  # noqa: E402


def test_fit_moves_weights_the_labels_support_and_keeps_the_rest_near_the_hand_weight():
    # 'cue' is on in 40 sentences; with 'extra' too they are the type, without it they are not.
    xs = [["cue", "extra"]] * 20 + [["cue"]] * 20 + [["rare"]]
    ys = [1] * 20 + [0] * 20 + [1]
    prior = {"cue": 3.0, "rare": 1.5, "unseen": 2.0}
    bias, w = fit(xs, ys, prior, -3.0, l2=1.0)
    assert w["extra"] > 0.2  # no hand weight, learnt from the labels
    assert w["cue"] < 3.0  # alone it marks negatives as often as positives
    assert 1.0 < w["rare"] < 2.5  # one sentence: stays near its hand weight
    assert "unseen" not in w  # never seen: left to the hand weight


def test_evidence_without_a_fitted_weight_counts_with_its_hand_weight():
    fitted, cfg = load_json("cue_weights.json"), load_json("cues.json")
    unfitted = [(t, k) for t in TYPES for k in hand_weights(cfg, t) if k not in fitted["types"][t]["weights"]]
    assert unfitted, "every feature was fitted: the fallback goes untested"
    for t, k in unfitted:
        assert _rules()["model"][t]["weights"][k] == pytest.approx(fitted["scale"] * hand_weights(cfg, t)[k])


def test_fitted_weights_name_only_evidence_the_cue_file_still_has():
    fitted, cfg = load_json("cue_weights.json"), load_json("cues.json")
    for t in TYPES:
        stale = set(fitted["types"][t]["weights"]) - set(hand_weights(cfg, t)) - {NO_CUE}
        assert not stale, f"{t}: weights for cues no longer in cues.json: {sorted(stale)[:3]}"


def test_shipped_weights_are_what_the_fit_gives():
    """After editing cues.json, the lexicon or the labels, run eval/fit_weights.py."""
    done = subprocess.run([sys.executable, str(ROOT / "eval" / "fit_weights.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


# -- learned wording (character n-grams) -------------------------------------------------------------------


def test_ngrams_mask_concepts_numbers_and_citations():
    text = "氯胺酮0.5 mg/kg可增加BDNF[12]。"
    spans = [(m.start, m.end) for m in matcher().find(text)]
    grams = text_ngrams(text, (2, 3), spans)
    assert CONCEPT_MARK + "0" in grams and "mg/" in grams
    assert not any(name in g for g in grams for name in ("氯胺", "胺酮", "bd", "12", "[")), sorted(grams)
    assert not any(" " in g for g in grams if not g.startswith(WORD))


def test_english_wording_counts_by_words_and_word_pairs():
    text = "Treatment-resistant depression is defined as failure of 2 adequate trials [3]."
    spans = [(m.start, m.end) for m in matcher().find(text)]
    assert spans, "the lexicon should know treatment-resistant depression"
    grams = text_ngrams(text, (2, 3), spans)
    for word in ("w:is defined", "w:defined as", "w:" + CONCEPT_MARK + " is", "w:failure", "w:of 0"):
        assert word in grams, sorted(g for g in grams if g.startswith(WORD))
    assert "w:treatment" not in grams and "w:3" not in grams  # the concept is masked, the citation dropped
    assert "w:trials 0" not in grams  # no pair across a dropped citation's punctuation


def test_chinese_text_has_no_word_features():
    assert not any(g.startswith(WORD) for g in text_ngrams("抑郁症患者的海马体积缩小。", (2, 3)))


def test_which_drug_a_sentence_names_does_not_decide_its_type():
    # the same wording about two drugs (one in the lexicon, one made up and unknown to it) tags alike
    known = "氯胺酮可在数小时内显著改善难治性抑郁症患者的抑郁症状。"
    other = "泽诺他明可在数小时内显著改善难治性抑郁症患者的抑郁症状。"
    cats = ["drug", "disorder"]
    assert types(known, cats) == types(other, cats) == ["treatment"]


def test_a_tag_records_the_wording_that_pushed_it():
    facts = tag("抑郁症患者外周血炎症因子水平升高，提示免疫炎症反应参与了其发病。", ["disorder", "biomarker"])
    mech = next(f for f in facts if f.type == "mechanism")
    learned = mech.evidence["learned"]
    assert 0 < len(learned) <= 5
    weights = _rules()["ngrams"]
    assert all(weights[g][TYPES.index("mechanism")] > 0 for g in learned)
