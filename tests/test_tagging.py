"""Fact tagging: which of definition / mechanism / treatment a sentence states, with evidence.

The sentences are written for these tests in the style of the reviews (not copied from the corpus);
``categories`` are what the lexicon matcher gives for them (one per mention), as the annotator passes them.
"""
from __future__ import annotations

import pytest

from kb.tagging import TYPES, tag_sentence


def tag(text, categories, section_path=()):
    facts = tag_sentence(text, list(categories), list(section_path))
    check_facts(facts)
    return facts


def types(text, categories, section_path=()):
    return [f.type for f in tag(text, categories, section_path)]


def check_facts(facts):
    got = [f.type for f in facts]
    assert len(got) == len(set(got)), f"a type given twice: {got}"
    assert got == sorted(got, key=TYPES.index), f"types out of canonical order: {got}"
    for f in facts:
        assert f.type in TYPES
        assert 0 < f.confidence < 1, f"confidence {f.confidence} of {f.type}"
        ev = f.evidence
        assert ev.get("cues") or ev.get("categories"), f"{f.type} fact without cues or categories: {ev}"
        assert isinstance(ev.get("cues"), list) and isinstance(ev.get("categories"), list)


# -- definitions and staging rules ------------------------------------------------------------------------

TRD_DEFINITION = "难治性抑郁症是指经过2种或以上足量、足疗程抗抑郁药治疗无效的抑郁症"
TRD_DEFINITION_CATS = ["disorder", "staging_model", "drug_class", "outcome", "disorder"]


def test_definition():
    facts = {f.type: f for f in tag(TRD_DEFINITION, TRD_DEFINITION_CATS)}
    assert "definition" in facts
    assert "mechanism" not in facts
    assert "是指" in facts["definition"].evidence["cues"]


def test_definition_with_defined_as():
    text = "慢性难治性抑郁症通常被定义为经过充分治疗后病程超过2年仍未缓解的抑郁发作。"
    assert types(text, ["disorder", "staging_model", "outcome", "disorder"]) == ["definition"]


def test_definition_section_raises_confidence():
    plain = {f.type: f for f in tag(TRD_DEFINITION, TRD_DEFINITION_CATS, [])}
    in_section = {f.type: f for f in tag(TRD_DEFINITION, TRD_DEFINITION_CATS, ["一、难治性抑郁症的定义"])}
    assert in_section["definition"].confidence > plain["definition"].confidence
    assert in_section["definition"].evidence["section"] == "一、难治性抑郁症的定义"
    assert plain["definition"].evidence["section"] == ""


def test_staging_rule():
    text = "Thase-Rush分期模型根据既往治疗失败的情况将难治程度分为5期，分期越高表示难治程度越重。"
    facts = tag(text, ["staging_model", "outcome"], ["二、难治性抑郁症的分期模型"])
    assert [f.type for f in facts] == ["definition"]
    assert "staging_model" in facts[0].evidence["categories"]


def test_staging_scoring_rule():
    text = "在该评估模型中，病程不超过12个月计1分，超过24个月计3分。"
    assert types(text, []) == ["definition"]


def test_english_definition():
    text = "Chronic resistant depression is defined as a depressive episode lasting more than two years."
    assert types(text, ["disorder", "disorder"]) == ["definition"]


# -- mechanisms -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,categories", [
    ("COMT基因Val158Met多态性与难治性抑郁症的易感性有关。", ["gene", "gene", "gene", "disorder"]),
    ("难治性抑郁症患者前额叶皮质5-HT1A受体结合力降低。", ["disorder", "brain_region", "receptor"]),
    ("长期应激导致下丘脑-垂体-肾上腺轴功能亢进，海马神经元萎缩。", ["hormone", "brain_region"]),
    ("难治性精神分裂症患者前扣带回的谷氨酸水平异常升高。", ["disorder", "brain_region", "neurotransmitter"]),
], ids=["gene", "receptor", "region", "neurotransmitter"])
def test_mechanism(text, categories):
    facts = tag(text, categories)
    assert [f.type for f in facts] == ["mechanism"]
    assert facts[0].evidence["cues"], "a mechanism needs a cue, not only a category"


# -- treatments -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,categories", [
    ("单次静脉输注0.5 mg/kg氯胺酮可在24 h内显著改善难治性抑郁症患者的抑郁症状。", ["drug", "disorder", "symptom"]),
    ("氯胺酮常见的不良反应包括分离症状和一过性血压升高。", ["drug", "outcome", "symptom", "symptom"]),
    ("氯氮平是目前唯一被批准用于难治性精神分裂症的药物。", ["drug", "disorder"]),
    ("一项随机对照试验显示，深部脑刺激组6个月时的应答率为40%。", ["method", "therapy", "outcome"]),
], ids=["efficacy-dosing", "adverse-effects", "approval", "trial"])
def test_treatment(text, categories):
    assert types(text, categories) == ["treatment"]


def test_english_abstract_treatment_sentence():
    text = ("Deep brain stimulation of the subcallosal cingulate produced a sustained antidepressant response "
            "in patients with treatment-resistant depression.")
    facts = {f.type: f for f in tag(text, ["therapy", "brain_region", "drug_class", "outcome", "disorder"])}
    assert "treatment" in facts
    assert "therapy" in facts["treatment"].evidence["categories"]


# -- mechanism of action: both ----------------------------------------------------------------------------


def test_mechanism_of_action_is_mechanism_and_treatment():
    text = "氯胺酮通过阻断NMDA受体，增加谷氨酸释放并激活AMPA受体，进而促进BDNF的合成。"
    facts = {f.type: f for f in tag(text, ["drug", "receptor", "neurotransmitter", "receptor", "protein"])}
    assert list(facts) == ["mechanism", "treatment"]
    assert facts["treatment"].evidence.get("rule") == "mechanism of action"
    assert facts["treatment"].evidence["categories"] == ["drug"]


def test_therapy_mechanism_of_action():
    text = "电休克治疗通过增强海马神经可塑性发挥抗抑郁作用。"
    assert types(text, ["therapy", "brain_region", "method"]) == ["mechanism", "treatment"]


def test_english_mechanism_of_action():
    text = "Ketamine blocks NMDA receptors on GABAergic interneurons, which increases glutamate release."
    assert types(text, ["drug", "receptor", "neurotransmitter"]) == ["mechanism", "treatment"]


def test_mechanism_without_drug_or_therapy_is_not_treatment():
    text = "谷氨酸通过激活AMPA受体促进BDNF的合成。"
    assert types(text, ["neurotransmitter", "receptor", "protein"]) == ["mechanism"]


def test_neurogenesis_mechanism_of_action():
    text = "电休克治疗可能通过促进海马神经发生而发挥抗抑郁作用。"
    assert types(text, ["therapy", "brain_region", "method"]) == ["mechanism", "treatment"]


# -- sentences that state no fact --------------------------------------------------------------------------


@pytest.mark.parametrize("text,categories", [
    ("全球约有3亿抑郁症患者", ["disorder"]),
    ("全球约有3亿抑郁症患者。", ["disorder"]),
    ("我国抑郁症的终生患病率为3.4%，疾病负担沉重。", ["disorder", "outcome", "outcome"]),
    ("检索PubMed和中国知网数据库", []),
    ("检索PubMed、Embase和中国知网数据库中有关氯胺酮治疗难治性抑郁症的文献。", ["drug", "disorder"]),
    ("本文综述难治性抑郁症的定义与分期模型。", ["disorder", "staging_model"]),
    ("本文综述氯胺酮治疗难治性抑郁症的机制和疗效。", ["drug", "disorder", "outcome"]),
    ("This review summarizes the mechanisms of ketamine in treatment-resistant depression.", ["drug", "disorder"]),
    ("今天的会议在北京召开。", []),
], ids=["prevalence", "prevalence-stop", "lifetime-prevalence", "search", "search-with-terms", "this-review",
        "this-review-treatment", "this-review-en", "plain"])
def test_no_fact(text, categories):
    assert tag(text, categories) == []


def test_review_aim_clause_cancels_a_treatment_sentence():
    body = "氯胺酮治疗难治性抑郁症的疗效与安全性。"
    assert "treatment" in types("我们比较了" + body, ["drug", "disorder", "outcome", "outcome"])
    assert types("本文综述" + body, ["drug", "disorder", "outcome", "outcome"]) == []


def test_methods_section_states_no_facts():
    assert tag(TRD_DEFINITION, TRD_DEFINITION_CATS, ["资料与方法"]) == []
    assert tag(TRD_DEFINITION, TRD_DEFINITION_CATS, ["1 资料与方法", "1.1 文献检索"]) == []


def test_categories_alone_below_threshold_give_nothing():
    assert tag("氯胺酮与海马。", ["drug", "brain_region"]) == []


@pytest.mark.parametrize("text,categories", [
    ("Treatment-resistant depression is associated with reduced hippocampal volume.", ["disorder"]),
    ("Treatment-resistant schizophrenia is associated with glutamatergic dysfunction in the anterior cingulate "
     "cortex.", ["disorder", "brain_region"]),
])
def test_disorder_name_is_not_a_treatment_cue(text, categories):
    assert "treatment" not in types(text, categories)


# -- evidence and confidence -----------------------------------------------------------------------------


@pytest.mark.parametrize("text,categories", [
    (TRD_DEFINITION, TRD_DEFINITION_CATS),
    ("氯胺酮通过阻断NMDA受体，增加谷氨酸释放并激活AMPA受体，进而促进BDNF的合成。",
     ["drug", "receptor", "neurotransmitter", "receptor", "protein"]),
    ("单次静脉输注0.5 mg/kg氯胺酮可在24 h内显著改善难治性抑郁症患者的抑郁症状。", ["drug", "disorder", "symptom"]),
])
def test_confidence_follows_the_score(text, categories):
    facts = tag(text, categories)
    assert facts
    for f in facts:
        score = f.evidence["score"]
        assert score >= 1.0  # the threshold
        assert f.confidence == pytest.approx(score / (score + 1), abs=0.01)


def test_more_evidence_more_confidence():
    weak = {f.type: f for f in tag("氯胺酮可改善抑郁症状。", ["drug", "symptom"])}
    strong = {f.type: f for f in tag("随机对照试验显示，静脉输注氯胺酮可显著改善抑郁症状，应答率为60%。",
                                     ["method", "drug", "symptom", "outcome"])}
    assert strong["treatment"].confidence > weak["treatment"].confidence


def test_cues_are_text_found_in_the_sentence():
    for text, cats in [(TRD_DEFINITION, TRD_DEFINITION_CATS),
                       ("COMT基因Val158Met多态性与难治性抑郁症的易感性有关。", ["gene", "gene", "gene", "disorder"])]:
        for f in tag(text, cats):
            for cue in f.evidence["cues"]:
                assert cue in text
            assert set(f.evidence["categories"]) <= set(cats)
