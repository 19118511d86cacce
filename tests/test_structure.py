"""Stage 3 — structure_document: headings (all numbering styles), abstracts, front matter, paragraphs.

Each test builds a small document from raw text (lines about as wide as the corpus's PDF columns,
all distinct: identical short lines repeated on several "pages" are treated as running heads) and
runs ``kb.pipeline.structure_text`` through the ``structured_doc`` fixture.
"""
from __future__ import annotations

import pytest

# Distinct body lines, ~22 CJK characters like the corpus columns; each group ends a sentence.
BODY = [
    "早期对深部脑刺激的研究表明，电压门控通道的阻\n滞可能有助于短期内抑制异常神经元活动［4］。",
    "神经突触的可塑性改变可能是抑郁症患者在长程\n治疗过程中症状持续改善的原因［8］。",
    "研究者对大鼠丘脑底核神经元施加高频刺激，观\n察到神经突触可塑性改变，如长时程增强。",
    "两组大鼠在术后抑郁表现均得到改善，提示可能\n存在尚未发现的特定基因通路［12］。",
    "内侧前脑束与腹侧被盖区是人类奖赏系统的重要\n皮层下结构，在情感障碍中起到重要作用。",
    "术前局部场电位检测示基线功率均低于正常对照\n组，术后震荡明显增强并出现同步性增强现象。",
    "下丘脑垂体肾上腺轴异常亢进以及炎症因子水平\n升高都在一定程度上导致了抑郁症状［19］。",
    "神经影像学研究显示，抑郁症患者多个脑区均出\n现了体积和功能的异常［20-21］。",
]


def outline(doc, kinds=("heading", "inline")):
    return [(s.level, s.number, s.title) for s in doc.sections if s.kind in kinds]


def section_of(doc, sentence):
    return next(s for s in doc.sections if s.section_id == sentence.section_id)


def test_decimal_headings_levels_and_numbers(structured_doc):
    raw = "\n".join([
        "1 生化因素在难治性抑郁症中的作用", BODY[0],
        "1. 1 资料来源与检索策略", BODY[1],
        "2 遗传因素在难治性抑郁症中的作用", BODY[2],
        "2. 1 纳入文献基本情况", BODY[3],
        "2. 2 作用靶点", BODY[4],
        "2. 2. 1 常用靶点", BODY[5],
        "2. 2. 2 潜在靶点", BODY[6],
        "3 小结与展望", BODY[7],
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [
        (1, "1", "生化因素在难治性抑郁症中的作用"),
        (2, "1.1", "资料来源与检索策略"),
        (1, "2", "遗传因素在难治性抑郁症中的作用"),
        (2, "2.1", "纳入文献基本情况"),
        (2, "2.2", "作用靶点"),
        (3, "2.2.1", "常用靶点"),
        (3, "2.2.2", "潜在靶点"),
        (1, "3", "小结与展望"),
    ]
    by_number = {s.number: s for s in doc.sections}
    assert by_number["2.2.1"].parent_id == by_number["2.2"].section_id
    assert by_number["2.2"].parent_id == by_number["2"].section_id
    assert by_number["2"].parent_id is None
    # every paragraph lands in the heading just above it
    owners = [section_of(doc, s).number for s in doc.sentences]
    assert owners == ["1", "1.1", "2", "2.1", "2.2", "2.2.1", "2.2.2", "3"]
    # heading lines are not sentences
    assert not any(s.text.startswith(("1 生化", "2.2.1", "常用靶点")) for s in doc.sentences)


def test_chinese_numbered_headings_and_inline_items(structured_doc):
    raw = "\n".join([
        "一、TRD 定义的提出", BODY[0],
        "二、TRD 的常用定义", BODY[1],
        "（一）治疗无效法", BODY[2],
        "（二）分期模型法", BODY[3] + "下面是常见的几种分期模型。",
        "1. Thase和Rush分期模型（Thase and Rush Staging ",
        "Model，TRSM）［25］：是目前研究中最常使用的模型［12］，",
        "欧洲药品管理局对 TRD 的定义就采用了该模型［26］。",
        " 2.麻省总院分期模型（Massachusetts General Hospital ",
        "Staging Model，MGH）［15］：该模型在制定时充分借鉴",
        "了 TRSM 的经验，避免了前者的一些局限性［31］。",
        "三、目前 TRD 定义存在的不足", BODY[4],
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [
        (1, "一", "TRD定义的提出"),
        (1, "二", "TRD的常用定义"),
        (2, "一", "治疗无效法"),
        (2, "二", "分期模型法"),
        (3, "1", "Thase和Rush分期模型（Thase and Rush Staging Model，TRSM）"),
        (3, "2", "麻省总院分期模型（Massachusetts General Hospital Staging Model，MGH）"),
        (1, "三", "目前TRD定义存在的不足"),
    ]
    secs = {(s.level, s.number): s for s in doc.sections}
    inline = secs[(3, "1")]
    assert inline.kind == "inline"
    assert inline.parent_id == secs[(2, "二")].section_id
    assert secs[(2, "二")].parent_id == secs[(1, "二")].section_id
    # a run-in heading stays part of its paragraph's first sentence
    first = next(s for s in doc.sentences if s.section_id == inline.section_id)
    assert first.text.startswith("1. Thase和Rush分期模型（Thase and Rush Staging Model，TRSM）［25］：是目前")
    assert first.refs == [12, 25, 26]


def test_headings_in_cleaned_text_show_number_and_title(structured_doc):
    doc = structured_doc("\n".join(["一、背景", BODY[0], "（一）定义", BODY[1], "1 方法", BODY[2]]))
    for sec in doc.sections:
        shown = doc.text[sec.start:].split("\n\n", 1)[0]
        assert sec.title in shown and sec.number in shown
    assert "一、背景" in doc.text and "（一）定义" in doc.text


@pytest.mark.parametrize("zh_marker, en_marker", [
    ("摘要：", "ABSTRACT: "),
    (" 【摘要】 ", " 【Abstract】 "),
    ("摘  要：", "Abstract: "),
])
def test_abstracts(structured_doc, zh_marker, en_marker):
    raw = "\n".join([
        "难治性抑郁症的发病机制研究现状",
        "张延霞 张桂青△",
        f"{zh_marker}抑郁症是一种高患病率、高致残率及高自杀率的严重精神",
        "疾患。现对有关难治性抑郁症的病因学现状进行文献回顾与总结。",
        f"{en_marker}Depression is a highly prevalent and disabling condition",
        "associated with significant morbidity. We have reviewed the literature.",
        " 目前，大量临床资料显示，约30%的重度抑郁症患者对原",
        "来的一系列抗抑郁剂治疗无反应［1］。",
        "1 生化因素在难治性抑郁症中的作用",
        BODY[0],
    ])
    doc = structured_doc(raw)
    assert doc.abstract_zh == "抑郁症是一种高患病率、高致残率及高自杀率的严重精神疾患。现对有关难治性抑郁症的病因学现状进行文献回顾与总结。"
    assert doc.abstract_en == ("Depression is a highly prevalent and disabling condition associated with significant "
                               "morbidity. We have reviewed the literature.")
    abstracts = [s for s in doc.sections if s.kind == "abstract"]
    assert [s.title for s in abstracts] == ["摘要", "Abstract"]
    kinds = {s.text: s.kind for s in doc.sentences}
    assert kinds["抑郁症是一种高患病率、高致残率及高自杀率的严重精神疾患。"] == "abstract"
    assert kinds["We have reviewed the literature."] == "abstract"
    body_first = "目前，大量临床资料显示，约30%的重度抑郁症患者对原来的一系列抗抑郁剂治疗无反应［1］。"
    assert kinds[body_first] == "body"
    # the opening body paragraph belongs to no abstract section
    opening = next(s for s in doc.sentences if s.text == body_first)
    assert opening.section_id is None
    assert outline(doc) == [(1, "1", "生化因素在难治性抑郁症中的作用")]


def test_no_abstract_means_empty_fields(structured_doc):
    doc = structured_doc("\n".join(["一、背景", BODY[0], "二、进展", BODY[1]]))
    assert doc.abstract_zh == "" and doc.abstract_en == ""
    assert not [s for s in doc.sections if s.kind == "abstract"]


@pytest.mark.parametrize("plain", ["小结", "总结与展望", "小结与展望", "结论"])
def test_plain_headings(structured_doc, plain):
    doc = structured_doc("\n".join(["1 作用机制", BODY[0], "1. 1 神经环路", BODY[1], plain, BODY[2]]))
    assert outline(doc) == [(1, "1", "作用机制"), (2, "1.1", "神经环路"), (1, "", plain)]
    last = doc.sentences[-1]
    assert section_of(doc, last).title == plain


def test_wrapped_long_heading_is_joined(structured_doc):
    raw = "\n".join([
        "2 结 果", BODY[0],
        "2. 1 促肾上腺皮质激素、神经生长因子及细胞",
        "因子水平改变",
        BODY[1],
        "2. 2 神经电生理改变", BODY[2],
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [
        (1, "2", "结果"),
        (2, "2.1", "促肾上腺皮质激素、神经生长因子及细胞因子水平改变"),
        (2, "2.2", "神经电生理改变"),
    ]
    assert not any(s.text.startswith("因子水平改变") for s in doc.sentences)


def test_number_with_unit_inside_paragraph_is_not_a_heading(structured_doc):
    raw = "\n".join([
        "一、氯胺酮抗 TRD 疗效",
        "氯胺酮已显示出对 TRD 患者快速的抗抑郁作用［15-16］。",
        "在一项包含 24 例 TRD 患者的临床试验中，",
        "12 d内每周对患者进行3次静脉输注氯胺酮（0.5 mg/kg），",
        "治疗结束时 TRD 的总缓解率为 70.8%［17］。",
        "12 d内每周对患者进行3次静脉输注氯胺酮",
        "后症状明显改善，复发的中位时间为 18 d。",
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [(1, "一", "氯胺酮抗TRD疗效")]
    assert [s.text for s in doc.sentences] == [
        "氯胺酮已显示出对TRD患者快速的抗抑郁作用［15-16］。",
        "在一项包含24例TRD患者的临床试验中，12 d内每周对患者进行3次静脉输注氯胺酮（0.5 mg/kg），"
        "治疗结束时TRD的总缓解率为70.8%［17］。",
        "12 d内每周对患者进行3次静脉输注氯胺酮后症状明显改善，复发的中位时间为18 d。",
    ]


def test_numbered_list_inside_a_sentence_is_not_a_heading(structured_doc):
    raw = "\n".join([
        "2 遗传因素在难治性抑郁症中的作用",
        "相关基因多态性与抑郁症发病的阳性率较低的原因可能",
        "有以下几点: 1.在抑郁症的诊断方面没有准确有效的生物学定",
        "量指标；2.",
        "抑郁症是一种多因素致病的复杂疾病［8］；3.抑郁症具有遗传异质性［9］。",
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [(1, "2", "遗传因素在难治性抑郁症中的作用")]
    assert len(doc.sentences) == 1 and doc.sentences[0].refs == [8, 9]


def test_front_matter_title_authors_affiliation(structured_doc):
    raw = "\n".join([
        " 难治性抑郁症的发病机制研究现状",
        "",
        "张延霞 张桂青△",
        "",
        "（石河子大学医学院护理系，石河子大学医学院第一附属医院康复心理科 新疆石河子 832002）",
        "",
        "摘要：抑郁症是一种高患病率、高致残率及高自杀率的严重精神疾患。",
        " 目前，大量临床资料显示，约30%的重度抑郁症患者对原",
        "来的一系列抗抑郁剂治疗无反应［1］。",
    ])
    doc = structured_doc(raw)
    assert doc.title == "难治性抑郁症的发病机制研究现状"
    assert doc.title_derived is False
    assert doc.authors == ["张延霞", "张桂青"]
    assert "石河子大学医学院护理系" in doc.affiliation
    assert not any("石河子" in s.text or s.text.startswith("张延霞") for s in doc.sentences)
    assert not any(s.title == "难治性抑郁症的发病机制研究现状" for s in doc.sections)


def test_title_followed_by_abstract_marker(structured_doc):
    raw = "\n".join([
        " 深部脑刺激对难治性抑郁症的治疗进展",
        " 【摘要】 近年来诸多研究表明深部脑刺激对难治性抑郁症存在潜在疗效。",
        " 统计数据显示，全球抑郁症患者已达 3. 5亿。",
    ])
    doc = structured_doc(raw)
    assert doc.title == "深部脑刺激对难治性抑郁症的治疗进展" and not doc.title_derived
    assert doc.authors == []
    assert [s.text for s in doc.sentences][-1] == "统计数据显示，全球抑郁症患者已达3.5亿。"


def test_untitled_text_gets_a_derived_label(structured_doc):
    raw = "\n".join([
        " 抑郁症（major depressive disorder，MDD）是一种",
        "常见的精神障碍，其临床表现为持续的情绪低落［1］。",
        "一、TRD 定义的提出", BODY[0],
        "二、TRD 的常用定义", BODY[1],
    ])
    doc = structured_doc(raw, source="untitled-review.txt")
    assert doc.title_derived is True
    assert doc.title.strip()
    assert "TRD定义的提出" in doc.title
    assert doc.provenance["title"].startswith("derived")
    # the opening sentence is body text, not taken for a title
    assert doc.sentences[0].text.startswith("抑郁症（major depressive disorder，MDD）是一种常见的精神障碍")


def test_text_without_headings_is_labelled_from_its_file_name(structured_doc):
    doc = structured_doc(BODY[0] + "\n" + BODY[1], source="notes.txt")
    assert doc.title_derived is True
    assert doc.title == "notes.txt"
    assert doc.sections == []
    assert len(doc.sentences) == 2


def test_paragraphs_split_at_short_lines_and_blocks(structured_doc):
    raw = "\n".join([
        "一、背景",
        "统计数据显示，全球抑郁症患者已达3.5亿，抑郁症",
        "导致了全球大量的健康损失寿命年［1］。",
        " 抑郁障碍导致个体情感受损、认知功能障碍和持续",
        "数周乃至数年的严重心理社会功能损害。",
    ])
    doc = structured_doc(raw)
    assert [p.kind for p in doc.paragraphs] == ["body", "body"]
    assert [s.para for s in doc.sentences] == [1, 2]
    for p in doc.paragraphs:
        assert "\n" not in doc.text[p.start:p.end]


def test_text_with_no_running_text_is_a_clean_error(tmp_path):
    from kb.errors import CleanError
    from kb.pipeline import process_file

    path = tmp_path / "only-heads.txt"
    path.write_text("· 611 ·\n12\n13\n", encoding="utf-8")
    with pytest.raises(CleanError) as info:
        process_file(path)
    assert "only-heads.txt" in str(info.value)


def test_quantity_at_line_start_is_not_a_heading(structured_doc):
    raw = "\n".join([
        "1 氯胺酮的抗抑郁疗效",
        "在一项包含24例患者的临床试验中，每周对患者进",
        "行3次静脉输注氯胺酮，治疗结束时总缓解率为七成。",
        "首次输注后的不良反应在治疗后1 h基本完全消失。",
        "2 h后MADRS得分平均下降幅度较大，复发的中",
        "位时间为18 d，提示氯胺酮具有快速抗抑郁作用。",
        "2 氯胺酮的安全性",
        "目前的临床数据表明，患者对低剂量的氯胺酮表现",
        "出了良好的耐受性，常见不良反应多短暂而轻微。",
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [(1, "1", "氯胺酮的抗抑郁疗效"), (1, "2", "氯胺酮的安全性")]


def test_numbering_continues_after_plain_heading(structured_doc):
    raw = "\n".join([
        "一、定义的提出", BODY[0],
        "二、常用定义", BODY[1],
        "小结", BODY[2],
        "三、存在的不足", BODY[3],
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [(1, "一", "定义的提出"), (1, "二", "常用定义"), (1, "", "小结"), (1, "三", "存在的不足")]


@pytest.mark.parametrize("title", ["年龄与性别因素", "个体化治疗策略", "种族差异", "周围炎症标志物"],
                         ids=["age", "individualised", "ethnicity", "peripheral"])
def test_heading_title_starting_with_a_unit_character(structured_doc, title):
    doc = structured_doc("\n".join(["1 遗传因素", BODY[0], f"2 {title}", BODY[1]]))
    assert outline(doc) == [(1, "1", "遗传因素"), (1, "2", title)]


# Text without hard wraps (a word-processor or plain-text export): one paragraph per line.
UNWRAPPED_PARAS = [
    "抑郁症是一种高患病率、高复发率和高致残率的精神障碍，全球疾病负担研究显示，抑郁障碍是导致伤残损失健康生命年的主要原因之一［1］。"
    "尽管可供选择的抗抑郁药种类众多，仍有约30%的患者在接受至少2种抗抑郁药充分治疗后未获得满意疗效，即难治性抑郁症［2］。",
    "传统的单胺假说难以完全解释难治性抑郁症的发生，这促使研究者探索新的病理机制，其中炎症假说受到越来越多的关注［3］。"
    "有研究发现，难治性抑郁症患者外周血白细胞介素-6和C反应蛋白水平高于治疗有效者，且基线炎症水平可预测抗抑郁药疗效［4］。",
]


def test_unwrapped_text_front_matter_and_sections(structured_doc):
    raw = "\n".join([
        "炎症与难治性抑郁症：机制与抗炎治疗",
        "·综述·",
        "",
        "摘要：越来越多的证据表明，炎症反应参与了难治性抑郁症的发生和发展，约1/4的抑郁症患者存在低度炎症状态。"
        "本文就炎症与难治性抑郁症关系的研究进展进行综述。",
        "关键词：难治性抑郁症；炎症；细胞因子",
        "",
        "Inflammation and treatment-resistant depression",
        "Abstract: Increasing evidence indicates that inflammation is involved in treatment-resistant depression. "
        "This article reviews the research progress.",
        "Key words: Treatment-resistant depression; Inflammation; Cytokine",
        "",
        "一、概述",
        "",
        UNWRAPPED_PARAS[0],
        "",
        "二、炎症与难治性抑郁症的关联",
        "",
        UNWRAPPED_PARAS[1],
    ])
    doc = structured_doc(raw)
    assert doc.title == "炎症与难治性抑郁症：机制与抗炎治疗" and not doc.title_derived
    assert doc.abstract_zh.startswith("越来越多的证据表明") and doc.abstract_zh.endswith("进行综述。")
    assert doc.abstract_en.startswith("Increasing evidence") and doc.abstract_en.endswith("research progress.")
    assert doc.keywords_zh == ["难治性抑郁症", "炎症", "细胞因子"]
    assert doc.keywords_en == ["Treatment-resistant depression", "Inflammation", "Cytokine"]
    assert doc.extra["front_lines"] == ["·综述·", "Inflammation and treatment-resistant depression"]
    assert outline(doc) == [(1, "一", "概述"), (1, "二", "炎症与难治性抑郁症的关联")]
    first = next(s for s in doc.sentences if s.text.startswith("抑郁症是一种"))
    assert section_of(doc, first).title == "概述"
    last = doc.sentences[-1]
    assert section_of(doc, last).title == "炎症与难治性抑郁症的关联" and last.text.startswith("有研究发现")
    assert not any("Key words" in s.text or "关键词" in s.text for s in doc.sentences)


def test_unwrapped_paragraph_without_final_stop_ends_at_its_line(structured_doc):
    """In unwrapped text a line is a whole block even when it does not end a sentence."""
    raw = "\n".join([
        UNWRAPPED_PARAS[0],
        "表1  难治性抑郁症的常用增效药物",
        "一、锂盐增效治疗",
        UNWRAPPED_PARAS[1],
    ])
    doc = structured_doc(raw)
    assert outline(doc) == [(1, "一", "锂盐增效治疗")]
    assert section_of(doc, doc.sentences[-1]).title == "锂盐增效治疗"


def test_wrapped_text_is_not_taken_for_unwrapped(structured_doc):
    doc = structured_doc("\n".join(BODY))
    assert [s.text for s in doc.sentences] == [b.replace("\n", "") for b in BODY]
    assert not any(line.whole for line in doc.lines)
