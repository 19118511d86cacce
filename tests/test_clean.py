"""Stage 2 — clean_text: undo PDF extraction (spacing, wraps, running heads, page numbers, captions)."""
from __future__ import annotations

import pytest

from kb.clean import classify_line, clean_text, ends_sentence, fix_spacing, join_lines
from kb.models import Document

RUNNING_HEAD = ("· 611 ·神经疾病与精神卫生 2021 年 9 月 20 日第 21 卷第 9 期  Journal of Neuroscience and "
                "Mental Health， September 20，2021，Vol.21，No.9")


@pytest.mark.parametrize("raw, clean", [
    ("资 助 的 抑 郁 症", "资助的抑郁症"),
    ("维普 、中 国 生 物 文 献 服 务 系 统", "维普、中国生物文献服务系统"),
    ("全球抑郁症患者已达 3. 5亿", "全球抑郁症患者已达3.5亿"),
    ("全球 7. 64亿的健康损失", "全球7.64亿的健康损失"),
    ("Ab⁃stract", "Abstract"),
    ("refractory depression*［Title/Ab⁃ stract］", "refractory depression*［Title/Abstract］"),
    ("deep brain stimulation", "deep brain stimulation"),
    ("deep   brain \t stimulation", "deep brain stimulation"),
    ("抑郁\u3000症", "抑郁症"),
    ("TRD 患者生活质量更差", "TRD患者生活质量更差"),
    ("  两端空白  ", "两端空白"),
])
def test_fix_spacing(raw, clean):
    assert fix_spacing(raw) == clean


def test_fix_spacing_keeps_dates_and_versions():
    assert fix_spacing("Vol. 21, No. 9") == "Vol. 21, No. 9"
    assert fix_spacing("P<0.01") == "P<0.01"


@pytest.mark.parametrize("left, right, joined", [
    ("抑郁障碍导致个体情", "感受损、认知功能障碍", "抑郁障碍导致个体情感受损、认知功能障碍"),
    ("have demonstrated that deep", "brain stimulation has potential", "have demonstrated that deep brain stimulation has potential"),
    ("subcallosal cin⁃", "gulate，SCC", "subcallosal cingulate，SCC"),
    ("soft hyphen cin\u00ad", "gulate", "soft hyphen cingulate"),
    ("efficacy for treatment-", "resistant depression", "efficacy for treatment-resistant depression"),
    ("利用End⁃", "note进行文献去重", "利用Endnote进行文献去重"),
    ("治疗难治", "DBS", "治疗难治DBS"),
    ("DBS", "治疗难治性抑郁症", "DBS治疗难治性抑郁症"),
    ("outcomes are discussed,", "the limitations", "outcomes are discussed, the limitations"),
    ("", "右边", "右边"),
    ("左边", "", "左边"),
])
def test_join_lines(left, right, joined):
    assert join_lines(left, right) == joined


@pytest.mark.parametrize("text, ends", [
    ("这占到了全球疾病负担的10%［1］。", True),
    ("患者自杀意念会迅速减少［20］，", False),
    ("研究进展进行综述。", True),
    ("China.", True),
    ("（抑郁症状基本消失。）", True),
    ("有效率为3.", False),
    ("目前常用的临床实验刺", False),
])
def test_ends_sentence(text, ends):
    assert ends_sentence(text) is ends


@pytest.mark.parametrize("line, kind", [
    (RUNNING_HEAD, "head"),
    ("中国神经精神疾病杂志 2020年第46卷第3期", "head"),
    ("· 612 ·", "head"),
    ("612", "page"),
    ("— 12 —", "page"),
    ("第 3 页", "page"),
    ("图1 文献筛选流程图", "caption"),
    ("表2 纳入研究的基本特征", "caption"),
    ("Fig. 1 Flow chart of study selection", "caption"),
    ("文献筛选流程见图1。", "text"),
    ("抑郁症导致了全球 7. 64亿的健康损失寿命年，这占", "text"),
])
def test_classify_line(line, kind):
    assert classify_line(line, set()) == kind


def _clean(raw: str) -> Document:
    return clean_text(Document(doc_id="t", source="t.txt", raw_text=raw))


def test_running_head_between_halves_of_a_sentence(structured_doc):
    raw = (
        "亚麻醉剂量的氯胺酮有一些短暂的不良反应，常见\n"
        "如一般性的精神症状、分离症状等，这些不良反应\n"
        "多在治疗期间出现，治疗后1 h基本完全消失；另外\n\n\n\n"
        f"{RUNNING_HEAD}\n\n"
        "一些少见的不良反应如解离、头晕等也会在治疗2 h\n"
        "后消失［24］。在一项随机对照试验中，接受单次静\n"
        "脉内氯胺酮或安慰剂治疗的患者之间差异无统计学\n"
        "意义［25］。\n"
    )
    cleaned = _clean(raw)
    assert all("神经疾病与精神卫生" not in line.text and "Vol.21" not in line.text for line in cleaned.lines)
    assert cleaned.journal == "神经疾病与精神卫生"
    assert cleaned.year == 2021
    assert cleaned.volume == "21"
    assert cleaned.issue == "9"
    assert cleaned.provenance["journal"] == "running head"

    doc = structured_doc(raw)
    texts = [s.text for s in doc.sentences]
    assert texts[0] == ("亚麻醉剂量的氯胺酮有一些短暂的不良反应，常见如一般性的精神症状、分离症状等，这些不良反应"
                        "多在治疗期间出现，治疗后1 h基本完全消失；另外一些少见的不良反应如解离、头晕等也会在治疗2 h"
                        "后消失［24］。")
    assert texts[1] == "在一项随机对照试验中，接受单次静脉内氯胺酮或安慰剂治疗的患者之间差异无统计学意义［25］。"
    assert len(texts) == 2
    assert doc.year == 2021 and doc.journal == "神经疾病与精神卫生"


def test_running_head_metadata_does_not_overwrite_first_value():
    other = "· 612 ·神经疾病与精神卫生 2022 年 1 月 20 日第 22 卷第 1 期"
    doc = _clean(f"{RUNNING_HEAD}\n正文第一句话在这里。\n{other}\n正文第二句话在这里。\n")
    assert (doc.year, doc.volume, doc.issue) == (2021, "21", "9")
    assert [line.text for line in doc.lines] == ["正文第一句话在这里。", "正文第二句话在这里。"]


def test_bare_page_number_lines_removed(structured_doc):
    raw = (
        "抑郁症是一种常见的精神障碍，其临床表现为持续\n"
        " 12 \n"
        "的情绪低落、兴趣丧失和精力缺乏等。\n"
        "\f13\n"
        "2019 年全国流行病学调查显示，我国抑郁症的终生\n"
        "患病率为 3.4%［1］。\n"
    )
    cleaned = _clean(raw)
    assert all(line.text not in ("12", "13") for line in cleaned.lines)
    doc = structured_doc(raw)
    assert [s.text for s in doc.sentences] == [
        "抑郁症是一种常见的精神障碍，其临床表现为持续的情绪低落、兴趣丧失和精力缺乏等。",
        "2019年全国流行病学调查显示，我国抑郁症的终生患病率为3.4%［1］。",
    ]


def test_figure_caption_inside_paragraph_is_not_in_any_sentence(structured_doc):
    raw = (
        "Pohodich等［11］将难治性抑郁症患者死亡后的大\n"
        "脑组织中提取的下调表达基因数据库同小鼠 DBS\n"
        "术后上调表达基因库相对比，此外，他们还比对了\n"
        "小鼠的基因表达数据库和使用氟西汀治疗及体育\n"
        "图1 文献筛选流程图\n"
        " 运动后的基因表达数据库，发现基因表达显著重\n"
        "叠，提示DBS术后激活的基因转录程序有部分相关。\n"
    )
    doc = structured_doc(raw)
    assert all("流程图" not in s.text for s in doc.sentences)
    assert "流程图" not in doc.text
    assert doc.captions == ["图1文献筛选流程图"]
    assert [s.text for s in doc.sentences] == [
        "Pohodich等［11］将难治性抑郁症患者死亡后的大脑组织中提取的下调表达基因数据库同小鼠DBS"
        "术后上调表达基因库相对比，此外，他们还比对了小鼠的基因表达数据库和使用氟西汀治疗及体育"
        "运动后的基因表达数据库，发现基因表达显著重叠，提示DBS术后激活的基因转录程序有部分相关。"
    ]


def test_a_sentence_mentioning_a_figure_is_kept(structured_doc):
    doc = structured_doc("对标题、摘要及全文进行阅读后，筛选出符合标准的文献共34篇。文献筛选流程见图1。\n")
    assert [s.text for s in doc.sentences][-1] == "文献筛选流程见图1。"


def test_clean_lines_are_spacing_fixed_and_mark_blocks():
    doc = _clean("第一行 文 字 在这里\n 缩进开始的第二行\n第三行\n")
    assert [line.text for line in doc.lines] == ["第一行文字在这里", "缩进开始的第二行", "第三行"]
    assert [line.block_start for line in doc.lines] == [False, True, False]


def test_body_line_starting_with_table_reference_is_kept(structured_doc):
    raw = (
        "本研究共纳入十二项随机对照试验，涉及患者八百余\n"
        "例，各研究的基本特征见下文。\n"
        "表1显示，氯胺酮组的缓解率明显高于安慰剂组，且\n"
        "起效时间更短，两组差异有统计学意义［5］。\n"
    )
    doc = structured_doc(raw)
    assert [s.text for s in doc.sentences][-1] == "表1显示，氯胺酮组的缓解率明显高于安慰剂组，且起效时间更短，两组差异有统计学意义［5］。"


def test_body_line_citing_a_journal_issue_is_kept(structured_doc):
    raw = (
        "国内学者对此进行了大量研究，其中一项发表于\n"
        "2019年《中华精神科杂志》第52卷第3期的研究显示，\n"
        "约三成患者对两种以上抗抑郁药物治疗无效［6］。\n"
    )
    doc = structured_doc(raw)
    assert [s.text for s in doc.sentences] == [
        "国内学者对此进行了大量研究，其中一项发表于2019年《中华精神科杂志》第52卷第3期的研究显示，"
        "约三成患者对两种以上抗抑郁药物治疗无效［6］。"
    ]
    assert doc.year is None and doc.volume == ""


def test_body_line_starting_with_table_reference_other_verb_is_kept(structured_doc):
    raw = (
        "本研究共纳入十二项随机对照试验，涉及患者八百余\n"
        "例，各研究的基本特征见下文。\n"
        "表1的数据表明氯胺酮组的缓解率明显高于安慰\n"
        "剂组，且起效时间更短［5］。\n"
    )
    doc = structured_doc(raw)
    assert [s.text for s in doc.sentences][-1] == "表1的数据表明氯胺酮组的缓解率明显高于安慰剂组，且起效时间更短［5］。"


def test_body_line_citing_an_issue_without_book_title_marks_is_kept(structured_doc):
    raw = (
        "抑郁症是一种常见的精神障碍，其临床表现为持续的情绪\n"
        "低落［1］。国内学者对此进行了大量研究，其中\n"
        "一项发表在2020年第46卷第3期上的研究发现抑郁症患者\n"
        "对两种以上抗抑郁药物治疗无效的比例约为三成［6］。\n"
    )
    doc = structured_doc(raw)
    assert [s.text for s in doc.sentences][-1] == (
        "国内学者对此进行了大量研究，其中一项发表在2020年第46卷第3期上的研究发现抑郁症患者"
        "对两种以上抗抑郁药物治疗无效的比例约为三成［6］。")
    assert doc.year is None


def test_stand_in_characters_of_pdf_text_layers_are_put_back(structured_doc):
    # Kangxi radicals and radical-supplement forms fonts give for ideographs, a ligature, a wave dash
    raw = "1 引⾔\n抑郁症患者的⽣活质量⻓期受损，需⻓期⽤药2〜3年，⼀年复发率⾼。\nA speciﬁc diﬀerence was found in one trial."
    doc = structured_doc(raw)
    assert [(s.number, s.title) for s in doc.sections if s.kind == "heading"] == [("1", "引言")]
    assert [s.text for s in doc.sentences] == ["抑郁症患者的生活质量长期受损，需长期用药2～3年，一年复发率高。",
                                               "A specific difference was found in one trial."]


def test_first_page_footnotes_inside_the_text_are_removed_and_the_doi_kept(structured_doc):
    raw = "\n".join([
        "难治性抑郁症的研究进展", "摘要：难治性抑郁症是常见的临床问题。", "1 引言",
        "  难治性抑郁症是指经过两种以上足量足疗程抗抑郁",
        "药治疗仍无效的抑郁症，约占抑郁症患者的30%。氯胺",
        "基金项目：国家自然科学基金（81871234）",
        "通信作者：张三，Email：zhangsan@example.com",
        "DOI：10.3969/j.issn.1002-0152.2023.03.001",
        "酮为NMDA受体拮抗剂，单次静脉输注即可起效［1］。",
    ])
    doc = structured_doc(raw)
    assert [s.text for s in doc.sentences][-1] == "氯胺酮为NMDA受体拮抗剂，单次静脉输注即可起效［1］。"
    assert doc.extra["doi"] == "10.3969/j.issn.1002-0152.2023.03.001"
    assert not any("基金" in s.text or "通信作者" in s.text for s in doc.sentences)
