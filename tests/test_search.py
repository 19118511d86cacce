"""Search over the bundled corpus (and a tiny hand-made corpus for exact ties): what a user sees in the results.

One indexed copy of the corpus KB is shared by the whole session (built from a copy of
``built_kb``'s database, so ``built_kb`` itself stays read-only and index-free).
"""
from __future__ import annotations

import html
import re

import pytest

from kb import KnowledgeBase
from kb.errors import KBError

CJK = re.compile(r"[\u3400-\u9fff]")
MARK = re.compile(r"</?mark>")
ALL = 1000  # a limit large enough to see every hit of the corpus


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def skb(indexed_corpus_home):
    """KnowledgeBase over the indexed copy of the bundled corpus (read-only)."""
    kb = KnowledgeBase(indexed_corpus_home)
    assert kb.has_index()
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def corpus_sentences(skb) -> dict[str, dict]:
    return {s["sentence_id"]: s for s in skb.sentences()}


def search(kb, query, limit=ALL, **kw):
    return kb.search(query, limit=limit, **kw)


def ids(result, n=None) -> list[str]:
    return [h.sentence_id for h in result.hits[:n]]


def concept_ids(hit) -> set[str]:
    return {c["id"] for c in hit.concepts}


def concept_family(kb, cid) -> set[str]:
    """The concept and every narrower one (transitively, through the lexicon's 'broader' links)."""
    broader = {r["concept_id"]: set(r["broader"] or []) for r in kb.store.query("select concept_id, broader from concepts")}
    family, grew = {cid}, True
    while grew:
        more = {c for c, up in broader.items() if up & family} - family
        family |= more
        grew = bool(more)
    return family


def concept_names(kb, name) -> set[str]:
    """Every name (any language) of the concept called ``name``; empty when there is none."""
    try:
        c = kb.concept(name)["concept"]
    except KBError:
        return set()
    return {n.lower() for n in c["zh"] + c["en"] + c["abbr"]}


def family_names(kb, name) -> set[str]:
    """Names of the concept called ``name`` and of every narrower concept (a concept query matches those too)."""
    try:
        cid = kb.concept(name)["concept"]["concept_id"]
    except KBError:
        return set()
    fam = concept_family(kb, cid)
    rows = kb.store.query(f"select zh, en, abbr from concepts where concept_id in ({','.join('?' * len(fam))})",
                          sorted(fam))
    return {n.lower() for r in rows for n in (r["zh"] or []) + (r["en"] or []) + (r["abbr"] or [])}


def made_of(span: str, names: set[str]) -> bool:
    """``span`` is one allowed name, or several written edge to edge (touching marks are merged: 海马|CA1)."""
    span = span.lower()
    ok = [True] + [False] * len(span)
    for i in range(len(span)):
        if ok[i]:
            for n in names:
                if n and span.startswith(n, i):
                    ok[i + len(n)] = True
    return ok[-1]


# --------------------------------------------------------------------------- 0. the API itself
def test_two_searches_in_one_process(skb):
    """indexer.search() must stay a function: importing the indexer.search submodule must not replace it."""
    import indexer

    first = skb.search("海马")
    second = skb.search("海马")
    assert first.hits and [h.sentence_id for h in first.hits] == [h.sentence_id for h in second.hits]
    assert callable(indexer.search) and not isinstance(indexer.search, type(indexer))


# --------------------------------------------------------------------------- 1. Chinese phrases
def test_quoted_chinese_phrase_finds_exactly_the_sentences_containing_it(skb, corpus_sentences):
    res = search(skb, '"抑郁症患者"')
    assert res.total > 0 and res.total == len(res.hits)
    assert all("抑郁症患者" in h.text for h in res.hits), [h.sentence_id for h in res.hits if "抑郁症患者" not in h.text]
    expected = {sid for sid, s in corpus_sentences.items() if "抑郁症患者" in s["text"]}
    assert set(ids(res)) == expected


def test_unquoted_chinese_run_first_hit_contains_it(skb):
    res = search(skb, "抑郁症患者")
    assert res.total > 0
    assert "抑郁症患者" in res.hits[0].text


def test_unquoted_chinese_run_top_hits_contain_it(skb, corpus_sentences):
    """Regression: '抑郁症患者' (concept 抑郁症 + word 患者) used to rank trd-pathogenesis-review.s38, where
    抑郁症 and 患者 stand far apart, 6th, above ~35 sentences holding 抑郁症患者 verbatim."""
    assert sum("抑郁症患者" in s["text"] for s in corpus_sentences.values()) >= 10
    # the run as written, or with a synonym of 抑郁症 (抑郁障碍患者) right before 患者
    forms = [n + "患者" for n in concept_names(skb, "抑郁症") if CJK.search(n)]
    res = search(skb, "抑郁症患者", limit=10)
    assert [h.sentence_id for h in res.hits if not any(f in h.text for f in forms)] == []


def test_quoted_phrase_of_words_only_apart_finds_less_than_the_words(skb, corpus_sentences):
    texts = [s["text"] for s in corpus_sentences.values()]
    assert not any("氯胺酮海马" in t for t in texts)
    assert any("氯胺酮" in t and "海马" in t for t in texts)
    words, phrase = search(skb, "氯胺酮 海马"), search(skb, '"氯胺酮 海马"')
    assert words.total > 0
    assert "氯胺酮" in words.hits[0].text and "海马" in words.hits[0].text
    assert phrase.total < words.total
    assert all("氯胺酮海马" in h.text for h in phrase.hits)


def test_quoted_phrase_is_stricter_than_its_words(skb):
    words, phrase = search(skb, "抑郁症 患者"), search(skb, '"抑郁症 患者"')
    assert 0 < phrase.total < words.total
    assert all("抑郁症患者" in h.text for h in phrase.hits)
    # the unquoted words also find sentences where they stand apart
    assert any("抑郁症" in h.text and "患者" in h.text and "抑郁症患者" not in h.text for h in words.hits)


# --------------------------------------------------------------------------- 2. cross-language
def test_english_and_chinese_name_give_the_same_top_sentences(skb):
    en, zh = search(skb, "hippocampus", limit=10), search(skb, "海马", limit=10)
    assert len(en.hits) == 10
    assert set(ids(en)) == set(ids(zh))


@pytest.mark.parametrize("query", ["deep brain stimulation", "DBS", "dbs", "深部脑刺激", "Deep Brain Stimulation"])
def test_every_form_of_dbs_finds_dbs_sentences(skb, query):
    res = search(skb, query, limit=10)
    assert len(res.hits) == 10
    assert all("dbs" in concept_ids(h) for h in res.hits), [h.sentence_id for h in res.hits]
    dbs = concept_names(skb, "DBS")
    assert all(any(n in h.text.lower() for n in dbs) for h in res.hits)


def test_forms_of_dbs_find_the_same_sentences(skb):
    sets = {q: set(ids(search(skb, q))) for q in ["deep brain stimulation", "DBS", "dbs", "深部脑刺激"]}
    assert len({frozenset(s) for s in sets.values()}) == 1, {q: len(s) for q, s in sets.items()}


@pytest.mark.parametrize("query", ["hippocampus", "ketamine", "deep brain stimulation"])
def test_english_query_finds_chinese_only_sentences(skb, query):
    res = search(skb, query, limit=10)
    assert res.hits
    zh_only = [h for h in res.hits if CJK.search(h.text) and query.lower() not in h.text.lower()]
    assert len(zh_only) >= 3, "the English query hardly reaches Chinese sentences without the English word"


def test_english_query_top_hit_is_chinese(skb):
    hit = search(skb, "hippocampus", limit=1).hits[0]
    assert "海马" in hit.text and "hippocamp" not in hit.text.lower()


@pytest.mark.parametrize("trad, simp", [("海馬", "海马"), ("深部腦刺激", "深部脑刺激"), ("氯胺酮 海馬", "氯胺酮 海马")])
def test_traditional_chinese_works_like_simplified(skb, trad, simp):
    t, s = search(skb, trad), search(skb, simp)
    assert s.total > 0
    assert [(h.sentence_id, h.score) for h in t.hits] == [(h.sentence_id, h.score) for h in s.hits]


@pytest.mark.parametrize("query, cid", [("海马", "hippocampus"), ("GSK3", "gsk3"), ("hippocampus", "hippocampus"),
                                        ("氯胺酮", "ketamine")])
def test_concept_query_hits_all_mention_the_concept(skb, query, cid):
    """Related concepts and the document's topic may rank a hit, never make one: every hit names the
    concept (or a narrower one) or contains one of its names."""
    res = search(skb, query)
    assert res.total > 0
    names, family = concept_names(skb, query), concept_family(skb, cid)
    stray = [h.sentence_id for h in res.hits
             if not (family & concept_ids(h)) and not any(n in h.text.lower() for n in names)]
    assert stray == []


# --------------------------------------------------------------------------- 3. filters
def test_type_filter_in_query_restricts_every_hit(skb):
    plain = search(skb, "氯胺酮")
    assert any("mechanism" not in h.types for h in plain.hits)  # so the filter has something to remove
    res = search(skb, "type:mechanism 氯胺酮")
    assert res.hits and all("mechanism" in h.types for h in res.hits)
    assert set(ids(res)) == {h.sentence_id for h in plain.hits if "mechanism" in h.types}


def test_type_argument_equals_type_in_query(skb):
    arg = search(skb, "海马", type_="mechanism")
    assert arg.hits and all("mechanism" in h.types for h in arg.hits)
    assert ids(arg) == ids(search(skb, "type:mechanism 海马"))


@pytest.mark.parametrize("type_", ["definition", "mechanism", "treatment"])
def test_type_filter_only_query_lists_every_sentence_of_that_type(skb, corpus_sentences, type_):
    res = search(skb, f"type:{type_}")
    expected = {sid for sid, s in corpus_sentences.items() if type_ in s["types"]}
    assert expected and set(ids(res)) == expected
    assert res.total == len(expected)


def test_doc_filter(skb):
    plain = search(skb, "海马")
    assert len({h.doc_id for h in plain.hits}) > 1
    res = search(skb, "doc:dbs-trd-review 海马")
    assert res.hits and {h.doc_id for h in res.hits} == {"dbs-trd-review"}
    assert set(ids(res)) == {h.sentence_id for h in plain.hits if h.doc_id == "dbs-trd-review"}
    assert ids(search(skb, "海马", doc="dbs-trd-review")) == ids(res)


def test_doc_filter_unknown_document_finds_nothing(skb):
    res = search(skb, "doc:no-such-doc 海马")
    assert res.total == 0 and res.hits == []


@pytest.mark.parametrize("query", ["concept:海马", "concept:hippocampus", "concept:Hippocampus", "concept:海馬"])
def test_concept_filter_alone(skb, query):
    res = search(skb, query)
    family = concept_family(skb, "hippocampus")
    assert res.hits and all(family & concept_ids(h) for h in res.hits)
    assert sum("hippocampus" in concept_ids(h) for h in res.hits) >= len(res.hits) / 2


def test_concept_filter_names_are_interchangeable(skb):
    assert ids(search(skb, "concept:海马")) == ids(search(skb, "concept:hippocampus")) \
        == ids(search(skb, "", concept="hippocampus"))


def test_concept_filter_with_words(skb):
    res = search(skb, "concept:海马 抑郁症")
    family = concept_family(skb, "hippocampus")
    assert res.hits and all(family & concept_ids(h) for h in res.hits)
    assert ids(search(skb, "抑郁症", concept="海马")) == ids(res)


def test_concept_filter_unknown_concept_is_a_clear_error(skb):
    with pytest.raises(KBError, match="不存在的概念"):
        search(skb, "concept:不存在的概念")


def test_section_filter(skb):
    res = search(skb, "section:治疗")
    assert res.hits and all("治疗" in h.section for h in res.hits), [h.section for h in res.hits]
    arg = search(skb, "氯胺酮", section="治疗")
    assert arg.hits and all("治疗" in h.section for h in arg.hits)
    assert len(arg.hits) < len(search(skb, "氯胺酮").hits)


def test_filters_combine(skb):
    res = search(skb, "section:治疗 type:definition")
    assert res.hits
    assert all("治疗" in h.section and "definition" in h.types for h in res.hits)


# --------------------------------------------------------------------------- 4. fallback
def test_words_never_together_fall_back_to_any_word(skb, corpus_sentences):
    assert not any("氯胺酮" in s["text"] and "穹窿" in s["text"] for s in corpus_sentences.values())
    res = search(skb, "氯胺酮 穹窿")
    assert res.fallback is True
    assert res.total > 0 and res.hits
    assert any("any" in n for n in res.notes), res.notes
    assert any("氯胺酮" in h.text for h in res.hits) and any("穹窿" in h.text for h in res.hits)
    assert "氯胺酮" in res.hits[0].text or "穹窿" in res.hits[0].text


def test_sentences_with_all_the_words_come_first(skb):
    res = search(skb, "氯胺酮 海马", limit=10)
    hippo = concept_names(skb, "海马")
    both = [("氯胺酮" in h.text and any(n in h.text.lower() for n in hippo)) for h in res.hits]
    assert both[0], res.hits[0].text
    assert both == sorted(both, reverse=True), [h.sentence_id for h in res.hits]
    if res.fallback:  # filled up with sentences matching some of the words: the note says so
        assert res.notes and str(sum(both)) in res.notes[0]


def test_words_found_together_do_not_fall_back(skb):
    res = search(skb, "氯胺酮 海马", limit=1)
    assert res.fallback is False and res.notes == []


def test_single_word_query_never_falls_back(skb):
    res = search(skb, "海马")
    assert res.fallback is False and res.notes == []


@pytest.mark.parametrize("query", ["xylophone", "zzzqqq", "hippo*", "xylophone marimba"])
def test_query_matching_nothing_returns_zero(skb, query):
    res = search(skb, query)
    assert res.total == 0 and res.hits == [] and res.fallback is False


# --------------------------------------------------------------------------- 5. highlighting
def _check_markup(hit):
    """highlight == escaped text with <mark> around exactly the spans."""
    assert html.unescape(MARK.sub("", hit.highlight)) == hit.text
    marked = [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", hit.highlight, flags=re.S)]
    assert marked == [hit.text[s:e] for s, e in hit.spans]
    assert "<" not in MARK.sub("", hit.highlight) and ">" not in MARK.sub("", hit.highlight)
    assert all(0 <= s < e <= len(hit.text) for s, e in hit.spans)
    assert all(a[1] <= b[0] for a, b in zip(hit.spans, hit.spans[1:])), "spans overlap or are unsorted"


def test_haima_highlights_names_of_the_hippocampus(skb):
    """Every mark is a name of the hippocampus or of a narrower concept (腹侧海马区, 海马CA1) that the query matches."""
    names = family_names(skb, "海马")
    assert {"海马", "海马体", "腹侧海马"} <= names
    res = search(skb, "海马")
    seen = set()
    for h in res.hits:
        for s, e in h.spans:
            assert made_of(h.text[s:e], names), (h.sentence_id, h.text[s:e])
            seen.add(h.text[s:e])
    assert {"海马", "海马体"} <= seen


def test_hit_containing_the_query_word_has_a_highlight(skb):
    """Regression: dbs-trd-review.s34 ('腹侧海马区', a ventral-hippocampus mention) was found by '海马' unhighlighted."""
    res = search(skb, "海马")
    unmarked = [h.sentence_id for h in res.hits if "海马" in h.text and not h.spans]
    assert unmarked == []


@pytest.mark.parametrize("query", [
    "海马", "氯胺酮", "深部脑刺激", "缓解率", "靶点", "难治性精神分裂症",
    '"抑郁症患者"',  # regression: a lone 患者 and 患者|抑郁症(状) used to be marked
    "5-羟色胺",  # regression: was parsed as '5-' + '羟色胺' and '5-HT能和NE能的改变…' was marked
])
def test_chinese_query_highlights_only_its_words(skb, query):
    word = query.strip('"')
    allowed = {word.lower()} | family_names(skb, word)
    res = search(skb, query)
    assert res.hits
    bad = [(h.sentence_id, h.text[s:e]) for h in res.hits for s, e in h.spans if not made_of(h.text[s:e], allowed)]
    assert bad == []
    assert any(h.spans for h in res.hits)


@pytest.mark.parametrize("query", ["海马", "hippocampus", "HAMD", "MADRS 缓解", '"抑郁症患者"', "氯胺酮 穹窿",
                                   "type:definition", "deep brain stimulation"])
def test_highlight_is_escaped_text_with_marks(skb, query):
    res = search(skb, query)
    assert res.hits
    for h in res.hits:
        _check_markup(h)


def test_highlight_escapes_html_special_characters(skb):
    res = search(skb, "HAMD")
    special = [h for h in res.hits if "<" in h.text or ">" in h.text]
    assert special, "expected HAMD sentences holding '<' or '>' (P<0.01, >75%)"
    for h in special:
        _check_markup(h)
        assert "&lt;" in h.highlight or "&gt;" in h.highlight


@pytest.mark.parametrize("query", ["Beurel", "Maudsley"])
def test_english_word_highlight_stops_at_chinese(skb, query):
    """Regression: 'Beurel' marked 'Beurel等', 'Maudsley' marked 'Maudsley分期模型'."""
    res = search(skb, query)
    assert res.hits
    marked = [h.text[s:e] for h in res.hits for s, e in h.spans]
    assert marked and all(not CJK.search(m) for m in marked), marked


def test_english_word_inside_chinese_text_is_highlighted(skb):
    """Regression: 'Wistar' in '实验对象为Wistar大鼠' (dbs-trd-review.s32) had no mark."""
    res = search(skb, "Wistar")
    assert res.hits
    for h in res.hits:
        if "wistar" in h.text.lower():
            assert any("wistar" in h.text[s:e].lower() for s, e in h.spans), h.sentence_id


# --------------------------------------------------------------------------- 6. ranking
@pytest.mark.parametrize("query", ["海马", "hippocampus", "抑郁症 患者", "type:definition", "氯胺酮 穹窿", "DBS 靶点"])
def test_results_are_stable(skb, query):
    first = [(h.sentence_id, h.score, h.rank) for h in search(skb, query).hits]
    again = [(h.sentence_id, h.score, h.rank) for h in search(skb, query).hits]
    other = KnowledgeBase(skb.home)
    try:
        third = [(h.sentence_id, h.score, h.rank) for h in search(other, query).hits]
    finally:
        other.close()
    assert first and first == again == third


@pytest.mark.parametrize("query", ["海马", "type:definition", "section:治疗", "氯胺酮"])
def test_ranks_follow_scores(skb, query):
    res = search(skb, query)
    assert [h.rank for h in res.hits] == list(range(1, len(res.hits) + 1))
    if not res.fallback:
        scores = [h.score for h in res.hits]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("query", ["type:definition", "section:治疗", "type:treatment"])
def test_corpus_ties_ordered_by_document_then_reading_order(skb, corpus_sentences, query):
    res = search(skb, query)
    keys = [(-h.score, h.doc_id, corpus_sentences[h.sentence_id]["ord"]) for h in res.hits]
    assert len(keys) > len({k[0] for k in keys}), "expected tied scores"
    assert keys == sorted(keys)


def test_limit_caps_hits_not_total(skb):
    res = search(skb, "海马", limit=3)
    assert len(res.hits) == 3 and res.total > 3
    assert ids(res) == ids(search(skb, "海马"), 3)


# -- tiny hand-made corpus: exact ties and the typed-fact boost
UNTYPED = [("价格", "便宜"), ("包装", "精美"), ("颜色", "鲜艳"), ("气味", "特别"), ("外观", "普通"), ("产地", "遥远"),
           ("重量", "合适"), ("形状", "规则"), ("瓶子", "透明"), ("仓库", "宽敞"), ("货架", "整洁"), ("来源", "正规")]


@pytest.fixture(scope="module")
def tiny_kb(tmp_path_factory):
    """'zeta' (12 untyped sentences on tea) indexed first, then 'alpha' ingested into the live index.
    Tea is no concept of the lexicon, so no drug category tips an untyped sentence towards treatment:

    alpha.s1 untyped, alpha.s2 a definition of tea of the same length, alpha.s3 untyped.
    """
    root = tmp_path_factory.mktemp("tiny-rank")
    (root / "z").mkdir()
    (root / "a").mkdir()
    (root / "z" / "zeta.txt").write_text(
        "一、背景\n" + "\n".join(f"茶叶的{n}在本地比较{a}。" for n, a in UNTYPED) + "\n", encoding="utf-8")
    (root / "a" / "alpha.txt").write_text(
        "一、背景\n茶叶的价格在本地比较便宜。\n茶叶被称为一种常见饮品。\n茶叶的包装在本地比较精美。\n", encoding="utf-8")
    kb = KnowledgeBase(root / "home")
    assert kb.ingest([root / "z"]).added == ["zeta"]
    kb.build_index()
    assert kb.ingest([root / "a"]).added == ["alpha"]
    yield kb
    kb.close()


def test_tiny_corpus_is_as_designed(tiny_kb):
    sents = {s["sentence_id"]: s for s in tiny_kb.sentences()}
    assert len(sents) == 15
    assert sents["alpha.s2"]["types"] and not sents["alpha.s1"]["types"] and not sents["alpha.s3"]["types"]
    assert all(not s["types"] for sid, s in sents.items() if sid.startswith("zeta"))


def test_typed_fact_ranks_above_an_equal_untyped_match(tiny_kb):
    res = tiny_kb.search("茶叶", limit=ALL)
    order = ids(res)
    assert res.total == 15
    # alpha.s1 comes first in reading order and is as long as alpha.s2: only the fact can lift alpha.s2
    assert order.index("alpha.s2") < order.index("alpha.s1")
    assert order[0] == "alpha.s2"


def test_ties_ordered_by_document_then_reading_order(tiny_kb):
    sents = {s["sentence_id"]: s for s in tiny_kb.sentences()}
    res = tiny_kb.search("茶叶", limit=ALL)
    keys = [(-h.score, h.doc_id, sents[h.sentence_id]["ord"]) for h in res.hits]
    assert keys == sorted(keys)
    # a tie spanning both documents and ords 9..11 (so doc order and numeric reading order both matter)
    top_untyped = [h for h in res.hits if h.score == res.hits[1].score]
    tied = [(h.doc_id, sents[h.sentence_id]["ord"]) for h in top_untyped]
    assert {d for d, _ in tied} == {"alpha", "zeta"}
    assert any(o >= 10 for _, o in tied) and any(o < 10 for d, o in tied if d == "zeta")
    assert tied[0][0] == "alpha"  # alpha was ingested after zeta, yet sorts first


# --------------------------------------------------------------------------- 8. bad queries (API)
BAD_QUERIES = ['"海马', '海马"', '"(海马', "(海马", "海马)", "[海马", "AND OR NOT", "*", "?", "x" * 10_000,
               "海马" * 5_000, "\x00\x07海马", "foo:bar", "type:nonsense", "", "   ", '"', '""', "((((", "&&", "\\",
               "海马 -DBS", "NOT 海马", "海马~2", "海马^3", "type:", "doc:", "section:的", "concept:不存在的概念",
               "a:b:c", "\ufeff", "\u200b海马", "海马\x1f患者", "\t\n", "的", "the"]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=lambda q: repr(q[:20]))
def test_bad_query_gives_results_or_one_clear_line(skb, query):
    try:
        res = skb.search(query)
    except KBError as exc:
        msg = str(exc)
        assert msg.strip() and "\n" not in msg and len(msg) < 300, msg[:300]
        assert "Traceback" not in msg
    else:
        assert res.total >= len(res.hits)
        for h in res.hits:
            _check_markup(h)


@pytest.mark.parametrize("query", ["(海马", "海马)", '"海马', '海马"', "\x00\x07海马", "\u200b海马", "NOT 海马", "*海马"])
def test_noise_around_a_word_is_ignored(skb, query):
    assert ids(search(skb, query)) == ids(search(skb, "海马"))


@pytest.mark.parametrize("query", ['"海马', '海马"', '"(海马'])
def test_unbalanced_quote_is_noted(skb, query):
    res = search(skb, query)
    assert res.total > 0
    assert any("quote" in n for n in res.notes)


@pytest.mark.parametrize("query, words", [
    ("x" * 10_000, ["too long"]),
    ("foo:bar", ["foo"]),
    ("type:nonsense", ["definition", "mechanism", "treatment"]),
    ("", ["empty"]),
    ("AND OR NOT", ["no words"]),
    ("*", ["no words"]),
])
def test_bad_query_errors_say_what_is_wrong(skb, query, words):
    with pytest.raises(KBError) as exc:
        skb.search(query)
    for w in words:
        assert w in str(exc.value)


def test_limit_below_one_is_a_clear_error(skb):
    with pytest.raises(KBError, match="limit"):
        skb.search("海马", limit=0)


@pytest.mark.parametrize("query", ["\x00\x07foo:bar", "海马\nfoo:bar", "\x1btype:nonsense"])
def test_error_message_is_printable_single_line(skb, query):
    """Regression: the message echoed the raw query, control characters and newlines included."""
    with pytest.raises(KBError) as exc:
        skb.search(query)
    msg = str(exc.value)
    assert not any(ord(c) < 32 or c == "\x7f" for c in msg), repr(msg)


# -- query syntax corner cases --------------------------------------------------------------------------


def test_full_width_colon_is_punctuation_not_a_field(skb):
    res = search(skb, "DBS：靶点")
    assert res.hits and all("DBS" in h.text or "深部脑刺激" in h.text for h in res.hits[:3])


def test_url_is_not_a_field(skb):
    res = search(skb, "http://example.com")  # no error: words that match nothing
    assert res.total == 0


def test_repeated_type_filters_are_alternatives(skb):
    both = search(skb, "type:definition type:mechanism 海马")
    assert both.hits
    assert all({"definition", "mechanism"} & set(h.types) for h in both.hits)
    one = search(skb, "type:mechanism 海马")
    assert {h.sentence_id for h in one.hits} <= {h.sentence_id for h in both.hits}


def test_partial_match_note_counts_correctly(skb):
    res = search(skb, "缰核 苍白球 穹窿")  # no sentence names all three
    assert res.notes and not re.search(r"\b1 sentences\b", " ".join(res.notes))


def test_cli_query_starting_with_a_dash(skb):
    from click.testing import CliRunner

    from cli import main

    result = CliRunner().invoke(main, ["--home", str(skb.home), "search", "-海马", "--json"])
    assert result.exit_code == 0, result.output
    assert '"hits"' in result.output
