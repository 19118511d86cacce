"""Stage 4 — split_sentences: sentence boundaries, citation markers, offsets, language."""
from __future__ import annotations

import pytest

from kb.citations import parse_refs
from kb.sentences import sentence_lang, sentence_spans


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


# -- Chinese ----------------------------------------------------------------------------------------

def test_chinese_splits_at_full_stop_exclamation_question():
    assert split("氯胺酮起效迅速。它的疗效能维持多久？目前尚无定论！仍需更多研究。") == [
        "氯胺酮起效迅速。", "它的疗效能维持多久？", "目前尚无定论！", "仍需更多研究。"]


def test_chinese_does_not_split_at_semicolon_or_comma():
    text = "首先，TRD的患病率较高［3］；其次，TRD患者通常需要联合多种抗抑郁药治疗；更重要的是，TRD威胁生命［4］。"
    assert split(text) == [text]


def test_repeated_end_marks_stay_together():
    assert split("真的有效吗？！下一句。") == ["真的有效吗？！", "下一句。"]


def test_citation_after_full_stop_stays_with_its_sentence():
    assert split("研究表明氯胺酮有效。［12］随后的研究证实了这一点［13-14］。") == [
        "研究表明氯胺酮有效。［12］", "随后的研究证实了这一点［13-14］。"]


def test_closing_bracket_after_full_stop_stays_with_its_sentence():
    # the paragraph opens inside a bracket (e.g. after a page break): the closer ends that sentence
    assert split("每种药物均要求6～8周。）TRD则要求至少2种药物治疗无效。") == [
        "每种药物均要求6～8周。）", "TRD则要求至少2种药物治疗无效。"]


def test_no_split_inside_brackets():
    text = "该模型把TRD分为0～5期（0期表示还未充分用药。1期指1种药物无效。）［28］，分期越高越难治。"
    assert split(text) == [text]


def test_trailing_text_without_end_mark_is_kept():
    assert split("第一句。没有句号的结尾") == ["第一句。", "没有句号的结尾"]


def test_whitespace_is_trimmed_and_empty_spans_dropped():
    text = "  第一句。   第二句。  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["第一句。", "第二句。"]


def test_closing_quote_after_full_stop_ends_the_sentence():
    assert split("他们将外侧缰核称为“反奖励中枢。”随后的研究证实了这一点。") == [
        "他们将外侧缰核称为“反奖励中枢。”", "随后的研究证实了这一点。"]


# -- English ----------------------------------------------------------------------------------------

def test_english_splits_at_sentence_ends():
    assert split("Depression is common. Is it treatable? Yes! Ketamine works.") == [
        "Depression is common.", "Is it treatable?", "Yes!", "Ketamine works."]


@pytest.mark.parametrize("text", [
    "The dose was 3.5 mg/kg in all patients.",
    "Smith et al. reported a response rate of 40% in this trial.",
    "Ketamine vs. placebo differed significantly in week one.",
    "The difference was significant at P<0.01 in all groups.",
    "The difference was significant (P<0.01) in all groups.",
    "Rates were 30%~50% (e.g. in open-label trials) and lower in RCTs.",
    "J. Smith and M. Lee first described the staging model.",
])
def test_english_no_split_inside_numbers_and_abbreviations(text):
    assert split(text) == [text]


def test_english_split_after_number_and_abbreviation_at_real_ends():
    assert split("Remission was 37.5%. Response was 45% (P<0.01). Smith et al. agreed. The end.") == [
        "Remission was 37.5%.", "Response was 45% (P<0.01).", "Smith et al. agreed.", "The end."]


def test_english_list_number_is_not_a_sentence():
    assert split("1. Thase and Rush staging model is the most used model.") == [
        "1. Thase and Rush staging model is the most used model."]


def test_english_citation_after_full_stop_stays_with_its_sentence():
    assert split("Response rates were 45%.[33] Remission was rare.") == [
        "Response rates were 45%.[33]", "Remission was rare."]


def test_sentence_lang():
    assert sentence_lang("氯胺酮起效迅速。") == "zh"
    assert sentence_lang("DBS治疗有效（P<0.01）。") == "zh"
    assert sentence_lang("Ketamine works.") == "en"


# -- citations ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("marker, refs", [
    ("［1］", [1]),
    ("[3]", [3]),
    ("［3，8，13］", [3, 8, 13]),
    ("［17，19-20］", [17, 19, 20]),
    ("［17， 19-20］", [17, 19, 20]),
    ("[17,18]", [17, 18]),
    ("[17, 18]", [17, 18]),
    ("［2-3］", [2, 3]),
    ("［4–7］", [4, 5, 6, 7]),
    ("［3、5］", [3, 5]),
    ("［MeSH Terms］", []),
    ("［Title/Abstract］", []),
    ("［（18.9±6.6）分，P＜0.001］", []),
])
def test_parse_refs(marker, refs):
    assert parse_refs(f"抑郁症状得到改善{marker}。") == refs


def test_parse_refs_collects_all_markers_sorted_unique():
    assert parse_refs("Lally等［6］和Robinson等［7］研究显示，部分患者［8-10］；另见［6，11］。") == [6, 7, 8, 9, 10, 11]


# -- on a document ----------------------------------------------------------------------------------

RAW = "\n".join([
    "一、背景",
    "统计数据显示，全球抑郁症患者已达 3. 5亿。抑郁症导致了全",
    "球大量的健康损失［1］。约30%的患者对治疗无效［2-3］；",
    "其中部分患者一生中至少有一次自杀企图［3，8，13］。",
    " 英文检索式：（（depressive disorder， treatment resistant［MeSH",
    "Terms］）OR（refractory depression*［Title/Abstract］）），共检",
    "索出1 725篇英文文献。",
    " Deep brain stimulation is effective in some patients [4]. Smith et al.",
    "reported a response rate of 3.5 times the placebo rate (P<0.01). It was safe.",
])


def test_document_sentences_keep_markers_and_parse_refs(structured_doc):
    doc = structured_doc(RAW)
    by_text = {s.text: s for s in doc.sentences}
    first = "统计数据显示，全球抑郁症患者已达3.5亿。"
    assert first in by_text and by_text[first].refs == []
    s2 = by_text["抑郁症导致了全球大量的健康损失［1］。"]
    assert s2.refs == [1]
    s3 = by_text["约30%的患者对治疗无效［2-3］；其中部分患者一生中至少有一次自杀企图［3，8，13］。"]
    assert s3.refs == [2, 3, 8, 13]
    mesh = next(s for s in doc.sentences if "MeSH" in s.text)
    assert "［MeSH Terms］" in mesh.text
    assert mesh.refs == []


def test_document_sentences_languages(structured_doc):
    doc = structured_doc(RAW)
    langs = {s.text: s.lang for s in doc.sentences}
    assert langs["抑郁症导致了全球大量的健康损失［1］。"] == "zh"
    assert langs["Deep brain stimulation is effective in some patients [4]."] == "en"
    assert langs["Smith et al. reported a response rate of 3.5 times the placebo rate (P<0.01)."] == "en"
    assert langs["It was safe."] == "en"


def test_offsets_point_into_the_cleaned_text(structured_doc):
    doc = structured_doc(RAW)
    assert len(doc.sentences) >= 6
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text
    assert [s.ord for s in doc.sentences] == list(range(1, len(doc.sentences) + 1))
    assert len({s.sentence_id for s in doc.sentences}) == len(doc.sentences)
    starts = [s.start for s in doc.sentences]
    assert starts == sorted(starts)


def test_sentence_sections_follow_headings(structured_doc):
    doc = structured_doc(RAW)
    (sec,) = doc.sections
    assert all(s.section_id == sec.section_id for s in doc.sentences)
    assert all(sec.start <= s.start and s.end <= sec.end for s in doc.sentences)
