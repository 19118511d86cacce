"""Fact tagging: which of definition / mechanism / treatment a sentence states, with evidence.

The sentences are written for these tests in the style of the reviews (not copied from the corpus);
helpers in tests/tagging_helpers.py tag them as the annotator would.  Forms first met in the written
evaluation texts are in test_tagging_written_forms.py; the n-gram wording in test_tag_weights.py.
"""
from __future__ import annotations

import math

import pytest

from kb.data_files import load_json
from kb.models import Fact
from kb.tagging import _mechanism_of_action, _rules
from tagging_helpers import tag, types


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
    # built from treatment history, so treatment may come too (docs/labelling-guide.md); never mechanism
    assert types(text, ["disorder", "staging_model", "outcome", "disorder"]) in (["definition"], ["definition", "treatment"])


def test_definition_section_raises_the_score():
    plain = {f.type: f for f in tag(TRD_DEFINITION, TRD_DEFINITION_CATS, [])}
    in_section = {f.type: f for f in tag(TRD_DEFINITION, TRD_DEFINITION_CATS, ["一、难治性抑郁症的定义"])}
    assert in_section["definition"].evidence["score"] > plain["definition"].evidence["score"]
    assert in_section["definition"].confidence >= plain["definition"].confidence
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
    assert facts["treatment"].evidence["categories"] == ["drug"]


def test_mechanism_of_action_rule_adds_treatment_when_the_treatment_score_falls_short():
    # the rule itself, on a mechanism fact whose sentence had no treatment evidence of its own
    mech = Fact(type="mechanism", confidence=0.8, evidence={"score": 1.4})
    no_treatment = {"cues": {}, "against": {}}
    facts = _mechanism_of_action([mech], ["drug", "receptor"], _rules(), no_treatment)
    assert [f.type for f in facts] == ["mechanism", "treatment"]
    assert facts[1].evidence["rule"] == "mechanism of action" and facts[1].evidence["categories"] == ["drug"]
    assert [f.type for f in _mechanism_of_action([mech], ["receptor"], _rules(), no_treatment)] == ["mechanism"]


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
    """The score is a log-odds: confidence is its logistic, and a type is given only at or above
    the decision probability of kb/data/cue_weights.json."""
    decision = load_json("cue_weights.json")["decision"]
    facts = tag(text, categories)
    assert facts
    for f in facts:
        probability = 1 / (1 + math.exp(-f.evidence["score"]))
        assert probability >= decision[f.type] - 1e-6 or f.evidence.get("rule") == "mechanism of action"
        assert f.confidence == pytest.approx(min(0.99, probability), abs=0.01)


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


# -- staging models: stage and scoring rules are definition, not treatment ---------------------------------


def test_stage_definitions_that_count_failed_treatments_are_definition_only():
    text = "按照该分期模型，1期指1种抗抑郁药足量治疗无效，2期指2种不同类别的抗抑郁药足量治疗无效。"
    assert types(text, ["staging_model", "drug_class", "drug_class", "outcome"], ["二、分期模型"]) == ["definition"]


def test_scoring_rule_with_treatment_words_is_definition_only():
    text = "使用过1种增效药物治疗无效计1分，接受过电休克治疗仍无效再计2分。"
    assert types(text, ["therapy", "outcome"]) == ["definition"]


def test_naming_a_staging_model_is_not_stating_its_rule():
    text = "该分期模型目前主要用于科研，在临床实践中应用较少。"
    assert types(text, ["staging_model"], ["二、分期模型"]) == []


def test_what_a_model_holds_is_definition():
    text = "该模型认为不同类别抗抑郁药的疗效不存在等级差异。"
    assert "definition" in types(text, ["staging_model", "drug_class", "outcome"], ["麻省总院分期模型"])


def test_grade_used_to_predict_treatment_effect_keeps_treatment():
    # tricky: the grade-of-resistance penalty must not remove treatment from a sentence about treatment effect
    text = "难治程度可用于预测患者对后续抗抑郁药物治疗的疗效。"
    assert "treatment" in types(text, ["drug_class", "outcome"], ["二、分期模型"])


# -- criteria ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,categories", [
    ("研究者通常以量表评分判断是否达到临床缓解。", ["scale", "outcome"]),
    ("部分定义要求至少使用过2种不同作用机制的抗抑郁药。", ["drug_class"]),
    ("难治性精神分裂症是一种临床常见的重性精神疾病。", ["disorder"]),
], ids=["how-response-is-judged", "treatment-history-requirement", "genus"])
def test_criteria_and_genus_definitions(text, categories):
    assert "definition" in types(text, categories)


@pytest.mark.parametrize("text,categories", [
    ("入组患者此前均接受过抗抑郁药治疗。", ["drug_class"]),
    ("电休克治疗是一种安全、有效且起效迅速的治疗手段。", ["therapy"]),
    ("治疗2周后MADRS得分较基线明显下降。", ["scale", "outcome"]),
    ("研究者认为，由于精神分裂症是一种高度异质性的疾病，单一生物标志物难以预测疗效。", ["disorder", "outcome"]),
    ("Because schizophrenia is a heterogeneous disorder, no single biomarker predicts response.", ["disorder"]),
], ids=["treatment-history-not-required", "genus-not-a-disorder", "scale-score-as-outcome",
        "genus-clause-inside-an-argument", "genus-clause-as-a-reason"])
def test_not_a_definition(text, categories):
    assert "definition" not in types(text, categories)


# -- mechanism cues ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,categories,section", [
    ("难治性抑郁症患者的神经质评分明显高于健康对照。", ["disorder"], ["三、心理社会因素"]),
    ("发病年龄越早，发展为难治性精神分裂症的风险越高。", ["disorder"], []),
    ("伏隔核在快感缺失的形成中起重要作用。", ["brain_region", "symptom"], ["发病机制"]),
], ids=["patients-vs-controls", "course-risk", "plays-a-role"])
def test_more_mechanism_cues(text, categories, section):
    assert types(text, categories, section) == ["mechanism"]


@pytest.mark.parametrize("text,categories", [
    ("与静脉给药相比，口服氯胺酮的不良反应风险更高。", ["drug", "outcome"]),
    ("共病焦虑障碍或人格障碍会影响疗效的判断。", ["disorder", "disorder", "outcome"]),
    ("经鼻内途径给药后血流动力学参数仅轻度升高，耐受性良好。", []),
], ids=["adverse-effect-risk", "comorbid-disorder-names", "route-and-haemodynamics"])
def test_not_a_mechanism(text, categories):
    assert "mechanism" not in types(text, categories)


def test_mechanism_unknown_alone_is_not_mechanism():
    assert types("炎症因子在难治性抑郁症发病中的具体作用尚不清楚。", ["immune", "disorder"]) == []


def test_finding_with_unknown_mechanism_is_still_mechanism():
    text = "难治性抑郁症患者血清IL-6水平升高、海马体积缩小，但其具体机制尚不明确。"
    assert types(text, ["disorder", "immune", "brain_region"]) == ["mechanism"]


# -- treatment cues ----------------------------------------------------------------------------------------


def test_prediction_of_treatment_effect_is_treatment():
    assert "treatment" in types("基线前扣带回的代谢水平可预测电休克的疗效。", ["brain_region"])


def test_trial_limitation_is_treatment_despite_needs_more_research():
    assert types("由于样本量小且缺乏对照，该疗法的有效性仍有待多中心临床试验证实。", []) == ["treatment"]


# -- outlook, organisation, history, disagreement: none ----------------------------------------------------


@pytest.mark.parametrize("text,categories,section", [
    ("未来研究可围绕刺激参数优化和靶点选择展开，以进一步提高深部脑刺激的疗效。", ["therapy", "outcome"], []),
    ("The optimal treatment strategy for these patients has yet to be identified.", [], []),
    ("下面介绍几种常见的分期模型。", ["staging_model"], ["二、分期模型"]),
    ("“治疗抵抗”一词最早见于20世纪50年代的精神药理学文献。", [], []),
    ("既往研究对难治性精神分裂症的定义不一致，影响了对其病因的深入理解。", ["disorder"], []),
], ids=["outlook", "gap-en", "organisation", "history", "definitions-disagree"])
def test_no_fact_statements(text, categories, section):
    assert types(text, categories, section) == []


def test_list_after_colon_is_content_not_organisation():
    text = "临床常用的深部脑刺激靶点有以下几种：胼胝体下扣带回、伏隔核和内侧前脑束。"
    assert types(text, ["therapy", "brain_region", "brain_region", "brain_region"]) == ["treatment"]


def test_disagreement_clause_does_not_cancel_a_stated_definition():
    text = "尽管定义尚不统一，多数研究将难治性抑郁症定义为至少2种足量、足疗程抗抑郁药治疗无效。"
    assert "definition" in types(text, ["disorder", "drug_class", "outcome"])


@pytest.mark.parametrize("text,categories", [
    ("所谓快感缺失，即对既往感兴趣的活动失去兴趣和愉悦体验。", ["symptom"]),
    ("经2种以上抗精神病药物足量足疗程治疗后仍无明显改善者，可界定为难治性精神分裂症。", ["drug_class", "disorder"]),
    ("持续的言语性幻听是难治性精神分裂症的核心症状之一。", ["symptom", "disorder"]),
    ("Anhedonia is characterized by a reduced ability to experience pleasure.", ["symptom"]),
    ("Treatment-resistant schizophrenia is classified into early-onset and late-onset subtypes.", ["disorder"]),
], ids=["suowei", "jieding", "core-symptom", "characterized", "classified"])
def test_general_definitional_markers(text, categories):
    assert "definition" in types(text, categories)


def test_regarding_a_symptom_as_a_side_effect_is_not_a_definition_of_it():
    """'主要表现' (how an adverse effect shows) is no definitional marker: treatment only."""
    assert types("氯胺酮的不良反应主要表现为短暂的血压升高和分离症状。", ["drug", "symptom"]) == ["treatment"]
