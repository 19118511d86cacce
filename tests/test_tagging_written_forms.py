"""Fact tagging on forms first met in the written evaluation texts (eval/extra_corpus, sessions 3–5).

Each sentence is new, written for the test in the style of the batch it stands for; the batch's own
sentences are in the gold set, not here.
"""
from __future__ import annotations

import pytest

from tagging_helpers import tag, types


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
    ("多数实验室以锂盐血药浓度1.2 mmol/L作为中毒预警的阈值。", ["drug"]),
    ("该术式的具体做法是在双侧扣带束各制造1个直径约1 cm的毁损灶。", []),
    ("治疗8周后，两组的缓解率（MADRS≤10分）分别为35%和21%。", ["scale", "outcome"]),
    ("按照起病年龄，难治性抑郁症可被进一步分为早发型和晚发型。", ["disorder"]),
], ids=["intro-includes", "threshold", "procedure", "criterion-in-brackets", "further-divided"])
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


@pytest.mark.parametrize("text", [
    "Neuroinflammation is a process in which activated microglia release cytokines.",
    "Remission is the state in which symptoms are minimal and function is restored.",
])
def test_english_genus_with_a_relative_clause_is_a_definition(text):
    facts = {f.type: f for f in tag(text, [])}
    assert "definition" in facts
    assert any(" in which" in c for c in facts["definition"].evidence["cues"])


@pytest.mark.parametrize("text", [
    "Psychomotor symptoms refer to changes in the speed and amount of movement and speech.",
    "Treatment resistance is usually operationalized as failure of two adequate antidepressant trials.",
    "The syndrome is defined by at least three of the following five features.",
    "A persistent form of the illness, sometimes termed double depression, adds a major episode to dysthymia.",
    "Pharmacogenetic testing classifies patients as poor, intermediate or extensive metabolizers.",
    "The diagnosis requires at least two weeks of persistent low mood.",
    "The battery comprising seven cognitive domains is the reference instrument in trials.",
], ids=["refer-to", "operationalized", "defined-by", "termed", "classifies-as", "requires-at-least", "comprising"])
def test_english_definitional_forms_of_the_abstract_batch(text):
    # forms the English abstracts of batch 16 used and the cue list lacked (session 6)
    assert "definition" in types(text, [])
