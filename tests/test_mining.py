"""Bilingual term pairs written in the text, e.g. 深部脑刺激（deep brain stimulation，DBS）, and how they link to the lexicon."""
from __future__ import annotations

import pytest

from kb.lexicon import load_lexicon
from kb.mining import concepts_from_pairs, link_pair, mine_term_pairs
from kb.models import Document, TermPair
from kb.pipeline import structure_text
from kb.segment import load_lexicon_words


@pytest.fixture(scope="module")
def lexicon():
    lex = load_lexicon()
    load_lexicon_words(lex)
    return lex


def mine(lexicon, *sentences, doc_id="sample"):
    """Pairs mined from a small review whose body holds ``sentences``."""
    raw = "一、研究进展\n" + "\n".join(sentences) + "\n"
    doc = structure_text(Document(doc_id=doc_id, source=f"{doc_id}.txt", raw_text=raw))
    assert doc.sentences, "structure_text produced no sentences"
    return mine_term_pairs(doc, lexicon).term_pairs


def by_abbr(pairs):
    return {p.abbr or p.en: p for p in pairs}


REVIEW = [
    "深部脑刺激（deep brain stimulation，DBS）是一种可逆的神经调控技术。",
    "对于难治性抑郁症(treatment-resistant depression，TRD)患者，刺激内侧前脑束（MFB）可迅速改善快感缺失。",
    "研究者在大鼠身上刺激虚构脑区（fictional brain area，FBA），观察到焦虑样行为减少。",
]


def test_known_pairs_confirm_the_lexicon(lexicon):
    pairs = by_abbr(mine(lexicon, *REVIEW))
    dbs, trd, mfb = pairs["DBS"], pairs["TRD"], pairs["MFB"]
    assert (dbs.zh, dbs.en, dbs.abbr, dbs.status, dbs.concept_id) == (
        "深部脑刺激", "deep brain stimulation", "DBS", "confirms", "dbs")
    assert (trd.zh, trd.en, trd.abbr, trd.status, trd.concept_id) == (
        "难治性抑郁症", "treatment-resistant depression", "TRD", "confirms", "trd")
    assert (mfb.zh, mfb.en, mfb.abbr, mfb.status, mfb.concept_id) == ("内侧前脑束", "", "MFB", "confirms", "mfb")


def test_unknown_pair_is_new(lexicon):
    fba = by_abbr(mine(lexicon, *REVIEW))["FBA"]
    assert (fba.zh, fba.en, fba.abbr) == ("虚构脑区", "fictional brain area", "FBA")
    assert fba.status == "new"
    assert fba.concept_id == "mined_fba"
    assert fba.doc_id == "sample"


def test_new_pair_becomes_a_mined_concept(lexicon):
    pairs = mine(lexicon, *REVIEW)
    new = concepts_from_pairs(pairs, lexicon)
    assert [(c.concept_id, c.category, c.zh, c.en, c.abbr, c.source) for c in new] == [
        ("mined_fba", "mined", ["虚构脑区"], ["fictional brain area"], ["FBA"], "mined")]
    # and the mined concept is then found in text like any other
    grown = load_lexicon(extra=new)
    assert grown.lookup("FBA").concept_id == grown.lookup("虚构脑区").concept_id == "mined_fba"
    assert lexicon.lookup("FBA") is None  # the shared lexicon is untouched


def test_chinese_term_is_cut_at_the_start_of_the_term(lexicon):
    # the run before the bracket holds more than the term; only the term is kept
    pairs = by_abbr(mine(lexicon, "研究者将电极植入双侧的虚构脑区（fictional brain area，FBA）。"))
    assert pairs["FBA"].zh == "虚构脑区"
    pairs = by_abbr(mine(lexicon, "长期刺激虚构脑区（fictional brain area，FBA）可改善症状。"))
    assert pairs["FBA"].zh == "虚构脑区"
    pairs = by_abbr(mine(lexicon, "该研究以深部脑刺激（deep brain stimulation，DBS）为主要干预。"))
    assert pairs["DBS"].zh == "深部脑刺激"


def test_unknown_term_does_not_swallow_the_verb_phrase_before_it(lexicon):
    pairs = by_abbr(mine(lexicon, "研究者将电极植入双侧虚构脑区（fictional brain area，FBA）。"))
    assert pairs["FBA"].zh == "虚构脑区"


def test_half_width_brackets_and_commas(lexicon):
    pairs = by_abbr(mine(lexicon, "虚构脑区(fictional brain area, FBA)与情绪调节有关。"))
    assert (pairs["FBA"].zh, pairs["FBA"].en, pairs["FBA"].status) == ("虚构脑区", "fictional brain area", "new")


def test_counts_repeated_pairs(lexicon):
    pairs = mine(lexicon, "虚构脑区（fictional brain area，FBA）是一个小核团。",
                 "刺激虚构脑区（fictional brain area，FBA）可改善症状。")
    assert [(p.abbr, p.count) for p in pairs] == [("FBA", 2)]


def test_english_only_bracket_pair(lexicon):
    pairs = mine(lexicon, "虚构评估法（fictional staging approach）是一种新的分期方法。")
    assert [(p.zh, p.en, p.abbr, p.status) for p in pairs] == [("虚构评估法", "fictional staging approach", "", "new")]


@pytest.mark.parametrize("sentence", [
    "研究纳入了30名患者（15名男性）。",
    "抗抑郁药（如氟西汀）可作为一线治疗。",
    "疗效持续时间较短（约1周）。",
    "难治性抑郁症的定义（见表1）尚未统一。",
])
def test_brackets_that_are_not_term_pairs(lexicon, sentence):
    assert mine(lexicon, sentence) == []


# -- partial pairs: the Chinese term continues after the bracket ---------------------------------------------


@pytest.mark.parametrize("sentence,abbr", [
    ("静息态下听觉（AN）网络的功能连接降低。", "AN"),            # AN is a known abbreviation
    ("研究发现虚构核团（FN）区的神经元减少。", "FN"),             # FN is unknown
    ("患者的虚构激素（FHX）轴功能亢进。", "FHX"),
])
def test_term_continuing_after_the_bracket_is_partial(lexicon, sentence, abbr):
    pairs = by_abbr(mine(lexicon, sentence))
    assert pairs[abbr].status == "partial"
    assert pairs[abbr].status not in ("extends", "new")
    assert concepts_from_pairs(list(pairs.values()), lexicon) == []


def test_partial_pair_never_extends_a_known_concept(lexicon):
    before = list(lexicon.by_id["auditory_network"].zh)
    pair = by_abbr(mine(lexicon, "静息态下听觉（AN）网络的功能连接降低。"))["AN"]
    assert pair.concept_id == "auditory_network" and pair.status == "partial"
    assert lexicon.by_id["auditory_network"].zh == before


@pytest.mark.parametrize("tail", ["是一种新靶点。", "的活动增强。", "可调节情绪。", "，随后观察到行为改变。", "。"])
def test_pair_followed_by_ordinary_text_is_whole(lexicon, tail):
    pair = by_abbr(mine(lexicon, "研究者刺激了虚构脑区（fictional brain area，FBA）" + tail))["FBA"]
    assert pair.status == "new"


@pytest.mark.parametrize("tail", ["后症状减轻。", "时出现低频振荡。", "表达升高。", "很小。"])
def test_pair_followed_by_common_words_is_whole(lexicon, tail):
    pair = by_abbr(mine(lexicon, "研究者刺激了虚构脑区（fictional brain area，FBA）" + tail))["FBA"]
    assert pair.status == "new"


# -- link_pair on its own -------------------------------------------------------------------------------------


@pytest.mark.parametrize("pair,status,concept_id", [
    (TermPair("深部脑刺激", "deep brain stimulation", "DBS", "d"), "confirms", "dbs"),
    (TermPair("海马", "hippocampus", "", "d"), "confirms", "hippocampus"),
    (TermPair("深部脑部刺激疗法", "deep brain stimulation", "DBS", "d"), "extends", "dbs"),
    (TermPair("海马", "", "DBS", "d"), "conflict", None),
    (TermPair("虚构脑区", "fictional brain area", "FBA", "d"), "new", "mined_fba"),
    (TermPair("虚构脑区", "", "FBA", "d"), "new", "mined_fba"),
])
def test_link_pair(lexicon, pair, status, concept_id):
    linked = link_pair(pair, lexicon)
    assert linked.status == status
    if concept_id:
        assert linked.concept_id == concept_id
    else:
        assert linked.concept_id in ("hippocampus", "dbs")


@pytest.mark.parametrize("pair", [
    TermPair("虚构脑区", "", "FBA", "d"),
    TermPair("深部脑部刺激疗法", "", "DBS", "d"),
])
def test_link_pair_partial_is_never_extends_or_new(lexicon, pair):
    assert link_pair(pair, lexicon, partial=True).status == "partial"


def test_two_forms_of_one_new_abbreviation_become_one_concept(lexicon):
    """A review often introduces the same new abbreviation twice, once with and once without its English name."""
    pairs = mine(lexicon, "研究者采用虚构评定访谈（FRI）筛查高危个体。",
                 "虚构评定访谈（Fictional Rating Interview，FRI）由某研究组编制。")
    new = concepts_from_pairs(pairs, lexicon)
    assert [(c.concept_id, c.zh, c.en, c.abbr) for c in new] == [
        ("mined_fri", ["虚构评定访谈"], ["Fictional Rating Interview"], ["FRI"])]
    grown = load_lexicon(extra=new)
    assert grown.lookup("FRI").concept_id == grown.lookup("Fictional Rating Interview").concept_id == "mined_fri"
