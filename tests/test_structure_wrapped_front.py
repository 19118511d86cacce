"""Stage 3 on PDF-style front matter and headings: what hard wraps do to a title, keyword lists,
long abstracts and full-width headings, and letter-spaced lines (hand-built inputs, wrapped at
about the corpus's column width of ~23 Chinese characters).
"""
from __future__ import annotations

from kb.clean import classify_line, fix_spacing, join_lines

ABSTRACT = [
    "摘要：难治性抑郁症患者在经过多种抗抑郁药、增效",
    "治疗及电休克治疗后，仍有相当比例持续处于严重抑",
    "郁状态，立体定向毁损手术是其最后的治疗选择之一。",
]
BODY = [
    "抑郁症是全球疾病负担的主要来源之一，世界卫生组",
    "织估计全球患者超过3亿人。",
]


def test_a_title_wrapped_onto_a_second_line_is_whole(structured_doc):
    raw = "\n".join(["难治性抑郁症的神经外科毁损手术：术式、疗效与伦", "理考量", *ABSTRACT, "1 引言", *BODY])
    doc = structured_doc(raw)
    assert doc.title == "难治性抑郁症的神经外科毁损手术：术式、疗效与伦理考量" and not doc.title_derived
    assert doc.authors == []  # the tail is not taken for an author's name
    assert doc.abstract_zh.startswith("难治性抑郁症患者")


def test_a_wrapped_title_before_an_author_line(structured_doc):
    raw = "\n".join(["难治性抑郁症的神经外科毁损手术：术式、疗效与伦", "理考量", "张延霞1，张桂青2", *ABSTRACT, "1 引言", *BODY])
    doc = structured_doc(raw)
    assert doc.title.endswith("伦理考量")
    assert doc.authors == ["张延霞", "张桂青"]


def test_a_short_title_keeps_its_author(structured_doc):
    raw = "\n".join(["难治性抑郁症的发病机制研究现状", "张延霞", *ABSTRACT, "1 引言", *BODY])
    doc = structured_doc(raw)
    assert doc.title == "难治性抑郁症的发病机制研究现状" and doc.authors == ["张延霞"]


def test_wrapped_keyword_lists_and_a_wrapped_english_title(structured_doc):
    raw = "\n".join([
        "难治性抑郁症的神经外科毁损手术研究进展", *ABSTRACT,
        "关键词：难治性抑郁症；精神外科；前扣带回切开",
        "术；内囊前肢毁损术；医学伦理",
        "Ablative Neurosurgery for Treatment-Resistant",
        "Depression: Procedures, Outcomes and Ethical",
        "Considerations",
        "Abstract: Stereotactic ablative surgery is one of",
        "the last-resort options for this group, at 1. 5",
        "years of follow-up.",
        "Key words: treatment-resistant depression;",
        "hypothalamic-pituitary-adrenal axis; randomized",
        "controlled trial",
        "1 引言", *BODY,
    ])
    doc = structured_doc(raw)
    assert doc.keywords_zh == ["难治性抑郁症", "精神外科", "前扣带回切开术", "内囊前肢毁损术", "医学伦理"]
    assert doc.keywords_en == ["treatment-resistant depression", "hypothalamic-pituitary-adrenal axis",
                               "randomized controlled trial"]
    assert doc.abstract_en == ("Stereotactic ablative surgery is one of the last-resort options for this group, "
                               "at 1.5 years of follow-up.")
    assert [(s.number, s.title) for s in doc.sections if s.kind == "heading"] == [("1", "引言")]
    assert doc.sentences[-1].text == "抑郁症是全球疾病负担的主要来源之一，世界卫生组织估计全球患者超过3亿人。"


def test_front_matter_longer_than_twenty_lines(structured_doc):
    # distinct lines (identical short lines on several pages would be running heads)
    long_abstract = [f"第{n}项研究显示该疗法可改善部分患者的抑郁症状与社" for n in range(10, 34)]
    raw = "\n".join([
        "难治性抑郁症的神经外科毁损手术研究进展", "摘要：" + long_abstract[0], *long_abstract[1:],
        "能够改善预后。", "Abstract: Ablative surgery can help some patients.", "1 引言", *BODY,
    ])
    doc = structured_doc(raw)
    assert doc.abstract_en == "Ablative surgery can help some patients."
    assert [s.title for s in doc.sections if s.kind == "heading"] == ["引言"]


def test_a_full_width_heading_does_not_swallow_the_subheading_below(structured_doc):
    raw = "\n".join([
        "1 基于药物基因组学的剂量调整与治疗药物监测", "1.1 CPIC指南推荐", *BODY,
        "2 精神分裂症中PV中间神经元与γ振荡异常的证据", "2.1 尸检研究", *BODY,
    ])
    doc = structured_doc(raw)
    heads = [(s.number, s.title) for s in doc.sections if s.kind == "heading"]
    assert heads == [("1", "基于药物基因组学的剂量调整与治疗药物监测"), ("1.1", "CPIC指南推荐"),
                     ("2", "精神分裂症中PV中间神经元与γ振荡异常的证据"), ("2.1", "尸检研究")]


def test_a_letter_spaced_heading_is_a_heading(structured_doc):
    raw = "\n".join(["1 作用机制与安全性", *BODY, "1 . 1   环 路 机 制", *BODY])
    doc = structured_doc(raw)
    assert [(s.number, s.title) for s in doc.sections if s.kind == "heading"] == [("1", "作用机制与安全性"), ("1.1", "环路机制")]


def test_letter_spaced_lines_are_closed_up_with_their_word_gaps():
    assert fix_spacing("膝 下 前 扣 带 皮 质 （ B r o d m a n n   2 5 区 ）") == "膝下前扣带皮质（Brodmann 25区）"
    assert fix_spacing("常 用 1 0   H z 高 频 刺 激 ， 强 度 1 2 0 %") == "常用10 Hz高频刺激，强度120%"
    # ordinary lines keep their spaces
    assert fix_spacing("vitamin B 12 and folate in a b c tests") == "vitamin B 12 and folate in a b c tests"
    assert fix_spacing("A 2 x 2 design") == "A 2 x 2 design"


def test_greek_letters_and_roman_numerals_join_like_latin():
    assert join_lines("its Cronbach", "α系数") == "its Cronbach α系数"
    assert join_lines("results of phase", "Ⅱ trials") == "results of phase Ⅱ trials"
    assert join_lines("轻度（＜50", "μg/L）") == "轻度（＜50 μg/L）"
    assert join_lines("难治性抑", "郁症") == "难治性抑郁症"


def test_running_heads_with_a_column_label_or_a_citation_form_are_heads():
    assert classify_line("·综述·  中国神经精神疾病杂志  2023年 第49卷 第3期", set()) == "head"
    assert classify_line("临床精神医学杂志  2024，34（2）", set()) == "head"
    assert classify_line("中华精神科杂志 2020, 53(4): 281-286", set()) == "head"
    # a sentence citing an issue stays text
    assert classify_line("见中华精神科杂志 2020，53（4）。", set()) == "text"
    assert classify_line("发表于2020年第3期的研究显示，", set()) == "text"


def test_a_head_met_once_inside_an_english_abstract_is_removed(structured_doc):
    raw = "\n".join([
        "阿戈美拉汀治疗抑郁症的研究进展", *ABSTRACT,
        "Abstract: Elevation of serum aminotransferases above",
        "three times the",
        "· 341 ·",
        "临床精神医学杂志  2024，34（2）",
        "upper limit of normal occurs in 1% of patients.",
        "1 引言", *BODY,
    ])
    doc = structured_doc(raw)
    assert doc.abstract_en == ("Elevation of serum aminotransferases above three times the upper limit of normal "
                               "occurs in 1% of patients.")
    assert doc.journal == "临床精神医学杂志" and doc.year == 2024 and doc.provenance["journal"] == "running head"
