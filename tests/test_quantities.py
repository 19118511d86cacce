"""Quantities in sentences: kind, value or range, unit and offsets."""
from __future__ import annotations

import pytest

from kb.quantities import extract_quantities


def quantities(text):
    qs = extract_quantities(text)
    for q in qs:
        assert text[q.start:q.end].strip() == q.text, f"offsets of {q.text!r} are wrong"
    for a, b in zip(qs, qs[1:]):
        assert a.end <= b.start, "overlapping quantities"
    return qs


def only(text, kind=None):
    qs = quantities(text)
    assert len(qs) == 1, f"expected one quantity in {text!r}, got {qs}"
    if kind:
        assert qs[0].kind == kind
    return qs[0]


def as_tuple(q):
    return (q.kind, q.text, q.value, q.low, q.high, q.unit)


# (sentence, (kind, text, value, low, high, unit))
CASES = [
    # percent ranges, ASCII and full-width
    ("约30%~50%的抑郁症患者对首个抗抑郁药无应答。", ("percent", "30%~50%", None, 30.0, 50.0, "%")),
    ("该疗法的应答率为25%～30%，明显低于预期。", ("percent", "25%～30%", None, 25.0, 30.0, "%")),
    ("既往报道的缓解率在40％～70％之间。", ("percent", "40％～70％", None, 40.0, 70.0, "%")),
    ("约有12.5%的患者出现头痛。", ("percent", "12.5%", 12.5, None, None, "%")),
    # sample sizes
    ("一项开放性研究纳入了22名患者。", ("sample_size", "22名", 22.0, None, None, "名")),
    ("共有24例难治性抑郁症患者完成随访。", ("sample_size", "24例", 24.0, None, None, "例")),
    ("对照组（n=16）接受假刺激。", ("sample_size", "n=16", 16.0, None, None, "")),
    ("The trial enrolled 120 patients with TRD.", ("sample_size", "120 patients", 120.0, None, None, "patients")),
    # doses
    ("静脉输注氯胺酮0.5 mg/kg，持续40 min。", None),  # two quantities, checked below
    ("每日口服50 mg舍曲林。", ("dose", "50 mg", 50.0, None, None, "mg")),
    ("艾司氯胺酮的剂量为56~84 mg。", ("dose", "56~84 mg", None, 56.0, 84.0, "mg")),
    ("刺激频率通常设置为130 Hz。", ("dose", "130 Hz", 130.0, None, None, "Hz")),
    # durations
    ("治疗6周后评估疗效。", ("duration", "6周", 6.0, None, None, "周")),
    ("疗程一般为12～16周。", ("duration", "12～16周", None, 12.0, 16.0, "周")),
    ("在52周的开放标签延长期中疗效得以维持。", ("duration", "52周", 52.0, None, None, "周")),
    ("单次给药后2 h症状即开始减轻。", ("duration", "2 h", 2.0, None, None, "h")),
    ("抗抑郁作用可持续18 d左右。", ("duration", "18 d", 18.0, None, None, "d")),
    ("所有患者均完成了1年的随访。", ("duration", "1年", 1.0, None, None, "年")),
    ("治疗3个月后缓解率提高。", ("duration", "3个月", 3.0, None, None, "个月")),
    # P values
    ("两组差异有统计学意义（P<0.01）。", ("p_value", "P<0.01", 0.01, None, None, "<")),
    ("治疗组评分显著下降（P＜0.001）。", ("p_value", "P＜0.001", 0.001, None, None, "<")),
    ("差异无统计学意义（p = 0.32）。", ("p_value", "p = 0.32", 0.32, None, None, "=")),
    # effect sizes
    ("荟萃分析显示标准化均数差 =-0.75。", ("effect_size", "标准化均数差 =-0.75", -0.75, None, None, "标准化均数差")),
    ("合并效应量SMD=0.62。", ("effect_size", "SMD=0.62", 0.62, None, None, "SMD")),
]


@pytest.mark.parametrize("text,expected", [c for c in CASES if c[1]], ids=[c[1][1] for c in CASES if c[1]])
def test_quantity(text, expected):
    assert as_tuple(only(text)) == expected


def test_dose_and_duration_in_one_sentence():
    qs = quantities("静脉输注氯胺酮0.5 mg/kg，持续40 min。")
    assert [as_tuple(q) for q in qs] == [
        ("dose", "0.5 mg/kg", 0.5, None, None, "mg/kg"),
        ("duration", "40 min", 40.0, None, None, "min"),
    ]


def test_offsets_point_at_the_quantity():
    text = "22名患者接受0.5 mg/kg氯胺酮，6周后应答率为30%~50%（P<0.01）。"
    qs = quantities(text)
    assert [(q.kind, text[q.start:q.end]) for q in qs] == [
        ("sample_size", "22名"), ("dose", "0.5 mg/kg"), ("duration", "6周"),
        ("percent", "30%~50%"), ("p_value", "P<0.01"),
    ]


def test_reading_order_and_no_double_counting():
    # the range is one percent quantity, not two single percents
    qs = quantities("应答率从25%～30%升至45%。")
    assert [(q.kind, q.low, q.high, q.value) for q in qs] == [("percent", 25.0, 30.0, None),
                                                              ("percent", None, None, 45.0)]


def test_mean_and_sd():
    q = only("患者平均年龄（45.2±10.3）岁。", "mean_sd")
    assert (q.value, q.high, q.unit) == (45.2, 10.3, "岁")


@pytest.mark.parametrize("text", [
    "该研究于2019年3月5日开始招募。",
    "2015年，一项多中心研究发表。",
    "2015年发表的一项研究显示。",
    "中国精神障碍分类与诊断标准第3版（CCMD-3）。",
    "DSM-5将抑郁障碍单列为一章。",
    "于12月10日完成随访。",
])
def test_no_duration_in_dates_and_names(text):
    assert [q for q in quantities(text) if q.kind == "duration"] == []


def test_date_and_real_duration_in_one_sentence():
    qs = quantities("2019年3月5日起，患者接受了6周的治疗。")
    assert [as_tuple(q) for q in qs if q.kind == "duration"] == [("duration", "6周", 6.0, None, None, "周")]


@pytest.mark.parametrize("text", [
    "2019年3月，美国FDA批准艾司氯胺酮鼻喷雾剂上市。",
    "纳入2018年1月—2020年12月的住院患者。",
])
def test_calendar_month_is_not_a_duration(text):
    assert [q.text for q in quantities(text) if q.kind == "duration"] == []


@pytest.mark.parametrize("text", ["检索2010-2020年发表的文献。", "该研究于2018～2020年间开展。"])
def test_year_span_is_not_a_duration(text):
    assert [q.text for q in quantities(text) if q.kind == "duration"] == []


def test_nothing_in_plain_text():
    assert quantities("难治性抑郁症的定义尚未统一。") == []
    assert quantities("") == []


def test_citation_numbers_are_not_quantities():
    assert quantities("已有多项研究证实其疗效［12-15］。") == []
