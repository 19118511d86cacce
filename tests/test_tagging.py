"""Fact tagging: which of definition / mechanism / treatment a sentence states, with evidence.

The sentences are written for these tests in the style of the reviews (not copied from the corpus);
``categories`` are what the lexicon matcher gives for them (one per mention), as the annotator passes them;
the mention spans (masked in the n-grams) come from the real matcher.
"""
from __future__ import annotations

import math
from functools import lru_cache

import pytest

from kb.data_files import load_json
from kb.lexicon import load_lexicon
from kb.mentions import ConceptMatcher
from kb.models import Fact
from kb.tagging import CONCEPT_MARK, TYPES, _mechanism_of_action, _rules, tag_sentence, text_ngrams


@lru_cache(maxsize=1)
def matcher():
    return ConceptMatcher(load_lexicon())


def tag(text, categories, section_path=()):
    spans = [(m.start, m.end) for m in matcher().find(text)]
    facts = tag_sentence(text, list(categories), list(section_path), spans)
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
        assert ev.get("cues") or ev.get("categories") or ev.get("learned"), f"{f.type} fact without evidence: {ev}"
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
], ids=["treatment-history-not-required", "genus-not-a-disorder", "scale-score-as-outcome",
        "genus-clause-inside-an-argument"])
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


# -- session 3: wording from reviews the rules were not written on (eval/extra_corpus) ---------------------
# Each sentence below is new, written for the test; each fails under the session-2 rules.

@pytest.mark.parametrize("text,categories", [
    ("精神分裂症是一种以阳性症状、阴性症状和认知损害反复出现为特征的慢性重性精神疾病，终生患病率约为1%。", ["disorder"]),
    ("经颅直流电刺激是一种利用弱电流调节皮质兴奋性的非侵入性神经调控技术。", ["therapy"]),
    ("Transcranial direct current stimulation is a non-invasive neuromodulation technique.", ["therapy"]),
    ("相当比例的患者对氯氮平反应不佳，即超难治性精神分裂症（ultra-treatment-resistant schizophrenia，UTRS）。", ["drug", "disorder"]),
    ("快感缺乏可进一步分为预期性快感缺乏和完成性快感缺乏2个亚型。", ["symptom"]),
    ("Negative symptoms can be divided into two factors, namely diminished expression and amotivation.", ["symptom"]),
    ("多数研究以HAMD-17减分率≥50%为有效，以HAMD-17总分≤7分为缓解。", ["scale", "scale"]),
    ("在判定治疗抵抗之前，应确认患者已接受足够的剂量和治疗时间并排除假性抵抗。", []),
    ("行为激活是认知行为治疗的核心成分之一。", ["therapy", "therapy"]),
    ("艾司西酞普兰是选择性5-羟色胺再摄取抑制剂类药物。", ["drug", "drug_class"]),
])
def test_definitions_in_unseen_wording(text, categories):
    assert "definition" in types(text, categories)


@pytest.mark.parametrize("text,categories", [
    ("越来越多的研究提示，肠道菌群失调可能参与了难治性抑郁症的发生和发展。", ["disorder"]),
    ("Accumulating evidence suggests that oxidative stress is involved in the pathogenesis of schizophrenia.", ["disorder"]),
    ("治疗无效者的血清白细胞介素-1β水平显著高于治疗有效者。", ["immune"]),
    ("童年期创伤与成年后抑郁发作的慢性化及治疗抵抗密切相关。", []),
    ("氯胺酮的快速抗抑郁作用可能与其增加前额叶皮质树突棘密度有关。", ["drug", "brain_region"]),
    ("谷氨酸假说认为NMDA受体功能低下是精神分裂症阴性症状的基础。", ["neurotransmitter", "receptor", "disorder", "symptom"]),
])
def test_mechanisms_in_unseen_wording(text, categories):
    assert "mechanism" in types(text, categories)


@pytest.mark.parametrize("text,categories", [
    ("常见不良反应包括口干、便秘、嗜睡和体重增加。", []),
    ("有癫痫发作史或颅内占位病变的患者不宜接受该治疗。", []),
    ("托珠单抗治疗12周后，基线炎症水平较高的患者抑郁症状改善更明显。", []),
    ("每日150 mg组与安慰剂组的缓解率差异无统计学意义。", []),
])
def test_treatments_in_unseen_wording(text, categories):
    assert "treatment" in types(text, categories)


@pytest.mark.parametrize("text,categories", [
    # drug-class names hold mechanism words (拮抗剂, 受体) without stating a mechanism
    ("多巴胺受体部分激动剂卡利拉嗪在一项随机对照试验中对阴性症状的改善优于利培酮。", ["drug", "drug"]),
    # adverse effects and pharmacokinetics are treatment facts, not mechanisms
    ("长期服用锂盐可引起甲状腺功能减退和肾功能损害，需定期监测血药浓度。", ["drug"]),
])
def test_drug_names_and_adverse_effects_are_not_mechanisms(text, categories):
    got = types(text, categories)
    assert "treatment" in got and "mechanism" not in got


@pytest.mark.parametrize("text,categories", [
    ("This article reviews the definition, risk factors, mechanisms and treatment of resistant bipolar depression.", ["disorder"]),
    ("未来需要更多大样本、长期随访的随机对照试验来评估这些药物的疗效和安全性。", []),
    ("Treatment-resistant depression accounts for about one third of patients with major depressive disorder.", ["disorder", "disorder"]),
    ("1938年电休克治疗首次报道用于精神分裂症患者。", ["therapy", "disorder"]),
])
def test_review_outlook_prevalence_and_history_are_none(text, categories):
    assert types(text, categories) == []


def test_evaluative_genus_is_not_a_definition():
    assert "definition" not in types("5-HT1A受体是一种重要的治疗靶点。", ["receptor"])
    assert "definition" not in types("Esketamine is a promising treatment for suicidal depression.", ["drug"])


@pytest.mark.parametrize("text", [
    "超难治性精神分裂症通常指对氯氮平足量足疗程治疗仍反应不佳的患者。",
    "快速循环指1年内出现4次或以上的心境发作。",
    "快感缺乏即体验愉快感的能力减退。",
    "阴性症状包括情感迟钝、言语贫乏、意志减退、快感缺乏和社交退缩等。",
    "缺陷型精神分裂症的特点是原发性、持续性的阴性症状。",
    "根据DSM-5，重性抑郁发作要求至少持续2周并存在5项或以上症状。",
    "假性难治主要包括诊断错误、剂量不足、疗程不足和依从性差等情况。",
    "正念认知治疗是将正念冥想与认知治疗相结合的团体心理治疗。",
])
def test_more_definitional_forms(text):
    assert "definition" in types(text, [])


@pytest.mark.parametrize("text", [
    "本研究共纳入120例患者，随机分为观察组和对照组各60例。",
    "电休克治疗是难治性抑郁症最有效的治疗手段之一。",
    "氯氮平是目前唯一被批准用于难治性精神分裂症的药物。",
    "患者主要表现为睡眠改善和食欲增加。",
    "HPA轴功能亢进主要表现为ACTH分泌增强。",
])
def test_not_definitions(text):
    assert "definition" not in types(text, [])


def test_english_findings_in_patients_are_mechanisms():
    assert "mechanism" in types("Patients with TRD showed reduced gray matter volume in the prefrontal cortex.", [])


def test_english_risk_factor_is_a_mechanism():
    assert types("Childhood adversity increases the risk of treatment resistance.", []) == ["mechanism"]


@pytest.mark.parametrize("text,expected", [
    ("抑郁症患者粪便中双歧杆菌属的丰度低于健康对照。", "mechanism"),
    ("童年期虐待是预测成年后抑郁复发的独立危险因素。", "mechanism"),
    ("迷走神经刺激通过孤束核调节蓝斑的去甲肾上腺素能活动。", "mechanism"),
    ("Vagus nerve stimulation modulates noradrenergic and serotonergic transmission.", "mechanism"),
    ("研究者依据病程将其分为早发型和迟发型。", "definition"),
    ("“失乐症”一词最早用以描述体验愉快的能力丧失。", "definition"),
    ("一项II期试验显示，该药可改善精神分裂症患者的认知功能。", "treatment"),
])
def test_forms_from_the_second_batch_of_written_reviews(text, expected):
    assert expected in types(text, [])


def test_pharmacogenetic_drug_levels_are_treatment_not_mechanism():
    got = types("CYP2C19慢代谢型患者服用艾司西酞普兰后血药浓度明显升高，应考虑减少剂量。", ["gene", "drug"])
    assert "treatment" in got and "mechanism" not in got


def test_difference_from_responders_is_a_finding_not_a_treatment_fact():
    got = types("难治性患者前扣带回谷氨酸水平高于治疗有效者。", ["brain_region", "neurotransmitter"])
    assert got == ["mechanism"]


def test_a_call_for_more_trials_is_none():
    assert types("今后还需开展大样本随机对照试验，以明确益生菌的疗效。", []) == []


@pytest.mark.parametrize("text,expected", [
    ("阿戈美拉汀为褪黑素受体激动剂。", "definition"),
    ("丙戊酸盐是一种组蛋白去乙酰化酶抑制剂。", "definition"),
    ("中央执行网络以背外侧前额叶皮质和后顶叶皮质为核心节点。", "definition"),
    ("根据起效时间，抗抑郁药的疗效反应大致可分为早期改善和延迟起效两类。", "definition"),
    ("该标准要求症状持续时间不少于12周。", "definition"),
    ("伴有残留症状的患者复发风险明显高于完全缓解者。", "mechanism"),
    ("既往自杀未遂史是预测自杀死亡最强的单一因素。", "mechanism"),
])
def test_forms_from_the_third_batch_of_written_reviews(text, expected):
    assert expected in types(text, [])


@pytest.mark.parametrize("text", [
    "氯胺酮作为一种NMDA受体拮抗剂，可以快速改善抑郁症状。",
    "具有较为明显的焦虑特质的个体易发生抑郁障碍。",
    "研究者将患者随机分为两组。",
])
def test_not_definitions_either(text):
    assert "definition" not in types(text, [])


@pytest.mark.parametrize("text", [
    "幻听是精神分裂症的核心临床特征之一。",
    "组蛋白乙酰化是常见的表观遗传修饰，指在组蛋白乙酰转移酶作用下添加乙酰基的过程。",
    "中文版量表常用的界值为9分。",
    "左旋多巴是多巴胺的前体。",
    "Beam F3法是依据脑电10-20系统确定刺激点的方法。",
    "睡眠剥夺、光照和睡眠时相前移合称“三联时间疗法”。",
])
def test_forms_from_the_fourth_batch_of_written_reviews(text):
    assert "definition" in types(text, [])


def test_an_evaluative_method_sentence_is_not_a_definition():
    assert "definition" not in types("神经导航法是目前最精确的定位方法。", [])


# -- session 4: a term introduced with its English name or abbreviation, then predicated -------------------

@pytest.mark.parametrize("text,categories", [
    ("脑源性神经营养因子（brain-derived neurotrophic factor，BDNF）是神经营养因子家族中含量最丰富的成员，分布于海马和皮质。",
     ["protein", "brain_region"]),
    ("突显网络（salience network，SN）主要由前岛叶和背侧前扣带回构成，负责探测与个体相关的刺激。", ["brain_network", "brain_region"]),
    ("此外，行为激活疗法（behavioral activation，BA）系一种以增加正性强化活动为核心的结构化心理治疗。", ["therapy"]),
    ("Kynurenine pathway（KP）为色氨酸在体内分解的主要途径，约95%的色氨酸经此代谢。", []),
], ids=["protein", "network", "therapy-xi", "pathway"])
def test_term_introduced_with_english_name_then_predicated_is_definition(text, categories):
    assert "definition" in types(text, categories)


@pytest.mark.parametrize("text,categories", [
    ("电休克治疗（electroconvulsive therapy，ECT）是目前治疗难治性抑郁症最有效的方法之一。", ["therapy", "disorder"]),
    ("世界卫生组织（World Health Organization，WHO）指出，抑郁症已成为全球致残的首要原因。", ["disorder"]),
    ("以背外侧前额叶（dorsolateral prefrontal cortex，DLPFC）为刺激靶点的治疗已被广泛应用。", ["brain_region"]),
    ("难治性抑郁症（treatment-resistant depression，TRD）是精神科临床面临的重大挑战。", ["disorder"]),
], ids=["evaluative", "zhinan-zhichu", "yi-wei-target", "challenge"])
def test_introduced_term_with_evaluation_or_report_is_not_definition(text, categories):
    assert "definition" not in types(text, categories)


def test_criteria_subsection_inherits_the_criteria_heading_above_it():
    """A criterion in a subsection ("病程要求") of a criteria section counts the section prior."""
    text = "上述症状须持续不少于8周。"
    elsewhere = {f.type: f for f in tag(text, [], ["三、疗效评价", "（二）病程要求"])}
    facts = {f.type: f for f in tag(text, [], ["三、难治性精神分裂症的诊断标准", "（二）病程要求"])}
    assert "definition" in facts
    assert facts["definition"].evidence["section"] == "三、难治性精神分裂症的诊断标准"
    assert "definition" not in elsewhere or (
        not elsewhere["definition"].evidence["section"]
        and elsewhere["definition"].evidence["score"] < facts["definition"].evidence["score"])


@pytest.mark.parametrize("text,categories", [
    ("炎症小体（inflammasome）包括NLRP3、NLRP1和AIM2等多种类型。", []),
    pytest.param("P300波幅反映的是受试者对刺激分配注意资源的程度。", [], marks=pytest.mark.xfail(
        strict=True, reason="known miss since batch 13 was fitted: confidence 0.29 against the 0.3 decision; "
        "most labelled 'X反映的是Y' sentences are no definitions")),
    ("多数实验室以锂盐血药浓度1.2 mmol/L作为中毒预警的阈值。", ["drug"]),
    ("该术式的具体做法是在双侧扣带束各制造1个直径约1 cm的毁损灶。", []),
    ("治疗8周后，两组的缓解率（MADRS≤10分）分别为35%和21%。", ["scale", "outcome"]),
    ("按照起病年龄，难治性抑郁症可被进一步分为早发型和晚发型。", ["disorder"]),
], ids=["intro-includes", "reflects", "threshold", "procedure", "criterion-in-brackets", "further-divided"])
def test_definitional_forms_of_the_fifth_batch(text, categories):
    assert "definition" in types(text, categories)


@pytest.mark.parametrize("text,categories", [
    ("满足以下4项中任意2项即可诊断为该综合征。", []),
    ("亚洲人群腰围的切点通常低于欧美人群。", []),
    ("多数研究把血清铁蛋白<15 μg/L归为缺乏。", []),
    ("进入该期的标志是症状持续存在超过6个月。", []),
], ids=["n-of-m", "cut-point", "classed-as-deficient", "marker-of-stage"])
def test_criteria_forms_of_the_sixth_batch(text, categories):
    assert "definition" in types(text, categories)


@pytest.mark.parametrize("text,categories,expected", [
    ("该量表共20个条目，每个条目按0～3分计分。", ["scale"], "definition"),
    ("总分0～9分为正常，10～19分为轻度，20分以上为重度。", [], "definition"),
    ("该综合征的典型表现为发热、肌强直和意识改变。", ["symptom"], "definition"),
    ("戒断反应与成瘾并非同一概念。", [], "definition"),
    ("停药应在4周以上逐渐减量，以降低撤药反应的风险。", [], "treatment"),
    ("与假刺激组相比，真刺激组的应答率更高。", [], "treatment"),
], ids=["items", "score-bands", "typical-picture", "not-the-same-concept", "tapering", "sham"])
def test_forms_of_the_seventh_batch(text, categories, expected):
    assert expected in types(text, categories)


# -- learned wording (character n-grams) -------------------------------------------------------------------


def test_ngrams_mask_concepts_numbers_and_citations():
    text = "氯胺酮0.5 mg/kg可增加BDNF[12]。"
    spans = [(m.start, m.end) for m in matcher().find(text)]
    grams = text_ngrams(text, (2, 3), spans)
    assert CONCEPT_MARK + "0" in grams and "mg/" in grams
    assert not any(name in g for g in grams for name in ("氯胺", "胺酮", "bd", "12", "[")), sorted(grams)
    assert not any(" " in g for g in grams)


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


@pytest.mark.parametrize("text", [
    "Neuroinflammation is a process in which activated microglia release cytokines.",
    "Remission is the state in which symptoms are minimal and function is restored.",
])
def test_english_genus_with_a_relative_clause_is_a_definition(text):
    facts = {f.type: f for f in tag(text, [])}
    assert "definition" in facts
    assert any(" in which" in c for c in facts["definition"].evidence["cues"])
