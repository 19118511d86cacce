"""The bundled corpus end to end (built once per session by the ``built_kb`` fixture).

The expected outlines below were read off the corpus texts themselves (corpus/*.txt): they are what
a reader of each review sees as its headings, with the levels implied by their numbering.
"""
from __future__ import annotations

import re

import pytest

EXPECTED_OUTLINES = {
    "dbs-trd-review": [
        (1, "1", "资料与方法"),
        (2, "1.1", "资料来源与检索策略"),
        (3, "1.1.1", "资料来源"),
        (3, "1.1.2", "检索策略"),
        (2, "1.2", "文献纳入与排除标准"),
        (2, "1.3", "文献筛选与质量评估"),
        (1, "2", "结果"),
        (2, "2.1", "纳入文献基本情况"),
        (2, "2.2", "潜在治疗机制"),
        (3, "2.2.1", "神经元胞体及突触的改变"),
        (3, "2.2.2", "遗传学及表观遗传学改变"),
        (3, "2.2.3", "前额α-氨基羟甲基恶唑丙酸受体（AMPARs）的激活及神经调质的释放"),
        (3, "2.2.4", "皮层下及皮质奖赏通路"),
        (3, "2.2.5", "神经电生理改变"),
        (3, "2.2.6", "促肾上腺皮质激素、神经生长因子及细胞因子水平改变"),
        (2, "2.3", "作用靶点"),
        (3, "2.3.1", "常用靶点"),
        (3, "2.3.2", "潜在靶点"),
        (2, "2.4", "治疗效果评估"),
        (3, "2.4.1", "评估标准"),
        (3, "2.4.2", "临床试验与循证证据"),
        (2, "2.5", "临床研究及应用局限性"),
        (1, "3", "小结与展望"),
    ],
    "ketamine-trd-review": [
        (1, "一", "当前TRD的治疗方案"),
        (1, "二", "氯胺酮抗抑郁机制"),
        (1, "三", "氯胺酮抗TRD疗效"),
        (1, "四", "氯胺酮应用于抑郁症的安全性"),
        (1, "五", "小结与展望"),
    ],
    "trd-definitions-staging-review": [
        (1, "一", "TRD定义的提出"),
        (1, "二", "TRD的常用定义"),
        (2, "一", "治疗无效法"),
        (2, "二", "分期模型法"),
        (3, "1", "Thase和Rush分期模型（Thase and Rush Staging Model，TRSM）"),
        (3, "2", "麻省总院分期模型（Massachusetts General Hospital Staging Model，MGH）"),
        (3, "3", "欧洲分期模型（European Staging Model，ESM）"),
        (3, "4", "Maudsley分期模型（Maudsley Staging Model，MSM）"),
        (1, "三", "目前TRD定义存在的不足"),
        (1, "四", "小结和展望"),
    ],
    "trd-pathogenesis-review": [
        (1, "1", "生化因素在难治性抑郁症中的作用"),
        (1, "2", "遗传因素在难治性抑郁症中的作用"),
        (1, "3", "神经内分泌因素在难治性抑郁症中的作用"),
        (1, "4", "免疫因素在难治性抑郁症中的作用"),
        (1, "5", "心理社会因素在难治性抑郁症中的作用"),
        (1, "6", "解剖结构异常在难治性抑郁症中的作用"),
        (1, "7", "小结"),
    ],
    "trs-treatment-mechanisms-review": [
        (1, "一", "难治性精神分裂症的定义及其治疗现状"),
        (1, "二", "难治性精神分裂症神经病理机制的研究"),
        (2, "1", "神经生化学研究现状"),
        (2, "2", "基因组学研究"),
        (2, "3", "基于影像的神经环路研究现状"),
        (2, "4", "关于难治性精神分裂症患者的分型问题现状"),
        (1, "三", "难治性精神分裂症潜在治疗靶点及增效治疗"),
        (1, "四", "关于难治性精神分裂症疗效预测模型的研究"),
        (1, "五", "总结与展望"),
    ],
}
WITH_ABSTRACTS = {"dbs-trd-review", "trd-pathogenesis-review"}
REAL_TITLES = {
    "dbs-trd-review": "深部脑刺激对难治性抑郁症的治疗进展",
    "trd-pathogenesis-review": "难治性抑郁症的发病机制研究现状",
}
CJK = "\u3400-\u4dbf\u4e00-\u9fff"


@pytest.fixture(scope="module")
def corpus_docs(built_kb):
    return {doc_id: built_kb.document(doc_id) for doc_id in EXPECTED_OUTLINES}


@pytest.fixture(scope="module")
def all_sentences(built_kb):
    return list(built_kb.sentences())


def test_every_corpus_file_became_a_document(built_kb, corpus_dir):
    assert {d["doc_id"] for d in built_kb.documents()} == set(EXPECTED_OUTLINES)
    assert len(list(corpus_dir.glob("*.txt"))) == len(EXPECTED_OUTLINES)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_OUTLINES))
def test_outline(corpus_docs, doc_id):
    sections = [s for s in corpus_docs[doc_id]["sections"] if s["kind"] != "abstract"]
    assert [(s["level"], s["number"], s["title"]) for s in sections] == EXPECTED_OUTLINES[doc_id]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_OUTLINES))
def test_outline_tree_is_consistent(corpus_docs, doc_id):
    sections = corpus_docs[doc_id]["sections"]
    by_id = {s["section_id"]: s for s in sections}
    for s in sections:
        if s["level"] == 1:
            assert s["parent_id"] is None
        else:
            parent = by_id[s["parent_id"]]
            assert parent["level"] == s["level"] - 1
            assert parent["start"] <= s["start"] and s["end"] <= parent["end"]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_OUTLINES))
def test_sentences_sit_in_their_sections(built_kb, corpus_docs, doc_id):
    doc = corpus_docs[doc_id]
    sections = {s["section_id"]: s for s in doc["sections"]}
    rows = built_kb.store.query("select * from sentences where doc_id = ? order by ord", [doc_id])
    assert [r["text"] for r in rows] == [s["text"] for s in doc["sentences"]]
    for s in rows:
        assert doc["text"][s["start"]:s["end"]] == s["text"]
        if s["section_id"] is not None:
            sec = sections[s["section_id"]]
            assert sec["start"] <= s["start"] < sec["end"]


def test_sentence_in_inline_section(built_kb):
    sentences = list(built_kb.sentences("trd-definitions-staging-review"))
    first = next(s for s in sentences if s["section_number"] == "4")
    assert first["section"] == "Maudsley分期模型（Maudsley Staging Model，MSM）"
    assert first["text"].startswith("4. Maudsley分期模型（Maudsley Staging Model，MSM）［34］：")


def test_no_running_heads_or_page_numbers_in_sentences(all_sentences):
    assert all_sentences
    for s in all_sentences:
        text = s["text"]
        assert "神经疾病与精神卫生" not in text
        assert "Journal of Neuroscience" not in text
        assert "Vol.21" not in text and "No.9" not in text
        assert not re.search(r"[·•]\s*\d{1,4}\s*[·•]", text), text
        assert "611" not in text


def test_running_head_became_journal_metadata(corpus_docs):
    doc = corpus_docs["ketamine-trd-review"]
    assert doc["journal"] == "神经疾病与精神卫生"
    assert doc["year"] == 2021
    assert (doc["volume"], doc["issue"]) == ("21", "9")


def test_sentence_spanning_the_running_head_is_whole(all_sentences):
    texts = [s["text"] for s in all_sentences]
    assert ("亚麻醉剂量的氯胺酮有一些短暂的不良反应，常见如一般性的精神症状、分离症状等，这些不良反应多在治疗期间出现，"
            "治疗后1 h基本完全消失；另外一些少见的不良反应如解离、头晕等也会在治疗2 h后消失［24］。") in texts


def test_no_space_between_chinese_characters(all_sentences):
    pattern = re.compile(f"[{CJK}][ \u3000\u00a0\t]+[{CJK}]")
    offenders = [s["text"] for s in all_sentences if pattern.search(s["text"])]
    assert offenders == []


def test_no_sentence_has_line_breaks_or_hyphen_bullets(all_sentences):
    for s in all_sentences:
        assert "\n" not in s["text"]
        assert "\u2043" not in s["text"]
    texts = " ".join(s["text"] for s in all_sentences)
    assert "subcallosal cingulate" in texts
    assert "Endnote" in texts
    assert "［Title/Abstract］" in texts


def test_figure_caption_not_in_sentences(all_sentences, corpus_docs):
    assert not any("文献筛选流程图" in s["text"] for s in all_sentences)
    assert corpus_docs["dbs-trd-review"]["captions"] == ["图1文献筛选流程图"]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED_OUTLINES))
def test_abstracts(corpus_docs, doc_id):
    doc = corpus_docs[doc_id]
    abstract_sections = [s["title"] for s in doc["sections"] if s["kind"] == "abstract"]
    abstract_sentences = [s for s in doc["sentences"] if s["kind"] == "abstract"]
    if doc_id in WITH_ABSTRACTS:
        assert doc["abstract_zh"] and doc["abstract_en"]
        assert re.search(f"[{CJK}]", doc["abstract_zh"])
        assert not re.search(f"[{CJK}]", doc["abstract_en"])
        assert abstract_sections == ["摘要", "Abstract"]
        assert {s["lang"] for s in abstract_sentences} == {"zh", "en"}
    else:
        assert doc["abstract_zh"] == "" and doc["abstract_en"] == ""
        assert abstract_sections == [] and abstract_sentences == []


def test_abstract_boundaries(corpus_docs):
    dbs = corpus_docs["dbs-trd-review"]
    assert dbs["abstract_zh"].startswith("近年来诸多研究表明深部脑刺激（DBS）对难治性抑郁症存在潜在疗效")
    assert dbs["abstract_zh"].endswith("为国内开展相关实验提供参考。")
    assert dbs["abstract_en"].startswith("In recent years，plenty of studies have demonstrated")
    assert dbs["abstract_en"].endswith("relevant experiments in China.")
    path = corpus_docs["trd-pathogenesis-review"]
    assert path["abstract_zh"].startswith("抑郁症是一种高患病率")
    assert path["abstract_zh"].endswith("以提高临床缓解率。")
    assert path["abstract_en"].startswith("Depression is a highly prevalent and disabling condition")
    assert path["abstract_en"].endswith("improve clinical remission rate.")
    # the first body sentence is body, not abstract
    first_body = next(s for s in path["sentences"] if s["kind"] == "body")
    assert first_body["text"].startswith("目前，大量临床资料显示")


def test_titles(corpus_docs):
    real = {d: doc["title"] for d, doc in corpus_docs.items() if not doc["title_derived"]}
    assert real == REAL_TITLES
    derived = {d: doc for d, doc in corpus_docs.items() if doc["title_derived"]}
    assert set(derived) == set(EXPECTED_OUTLINES) - set(REAL_TITLES)
    for doc_id, doc in derived.items():
        assert doc["title"].strip()
        assert doc["provenance"]["title"].startswith("derived")
        # the label is made from the review's own top-level headings
        top = [t for (level, _n, t) in EXPECTED_OUTLINES[doc_id] if level == 1]
        assert top[0] in doc["title"]


def test_front_matter_of_pathogenesis_review(corpus_docs):
    doc = corpus_docs["trd-pathogenesis-review"]
    assert doc["authors"] == ["张延霞", "张桂青"]
    assert "石河子大学医学院" in doc["affiliation"]
    assert not any("石河子" in s["text"] for s in doc["sentences"])


def test_citations_parsed_in_corpus(all_sentences):
    by_text = {s["text"]: s["refs"] for s in all_sentences}
    assert by_text["而最常用的是既往2次足量、足疗程药物治疗失败，这也是指南中使用较为广泛的定义［17，19-20］。"] == [17, 19, 20]
    mesh = next(s for s in all_sentences if "［MeSH Terms］" in s["text"])
    assert mesh["refs"] == []
    with_refs = [s for s in all_sentences if s["refs"]]
    assert len(with_refs) > 100
    for s in with_refs:
        assert re.search(r"[［\[]\s*\d", s["text"])


def test_decimals_rejoined_in_corpus(all_sentences):
    texts = [s["text"] for s in all_sentences]
    assert "统计数据显示，全球抑郁症患者已达3.5亿。" in texts
    assert not any(re.search(r"\d\. \d", t) for t in texts)


def test_stats_match_documents(built_kb, all_sentences):
    stats = built_kb.stats()
    assert stats["documents"] == 5
    assert stats["sentences"] == len(all_sentences)
    assert stats["sections"] == sum(len(d["sections"]) for d in built_kb.documents())
