"""jieba segmentation with the lexicon as user dictionary: domain terms stay whole, offsets are exact."""
from __future__ import annotations

import pytest

from kb.lexicon import load_lexicon
from kb.segment import add_words, load_lexicon_words, segment, tokenize


@pytest.fixture(scope="module", autouse=True)
def lexicon_words():
    lex = load_lexicon()
    load_lexicon_words(lex)
    return lex


# (term, a realistic sentence holding it somewhere other than the very start)
TERMS_IN_CONTEXT = [
    ("难治性抑郁症", "约三分之一的患者最终发展为难治性抑郁症，给家庭带来沉重负担。"),
    ("难治性抑郁症", "对于难治性抑郁症患者，临床上常采用增效治疗。"),
    ("胼胝体下扣带回", "Mayberg等首次以胼胝体下扣带回为靶点进行深部脑刺激。"),
    ("胼胝体下扣带回", "抑郁发作时胼胝体下扣带回的代谢活动明显增高。"),
    ("5-羟色胺", "选择性抑制5-羟色胺的再摄取可以提高突触间隙的递质浓度。"),
    ("5-羟色胺", "患者脑脊液中5-羟色胺代谢产物的水平降低。"),
    ("内侧前脑束", "刺激内侧前脑束可在数天内改善快感缺失。"),
    ("内侧前脑束", "研究者将电极植入双侧内侧前脑束的上外侧支。"),
    ("电休克治疗", "对药物治疗无效的患者可考虑电休克治疗。"),
    ("电休克治疗", "与药物相比，电休克治疗起效更快，但可能损害记忆。"),
]


@pytest.mark.parametrize("term,sentence", TERMS_IN_CONTEXT)
def test_domain_term_stays_one_token(term, sentence, lexicon_words):
    assert lexicon_words.lookup(term), f"{term} should be a lexicon name"
    assert term in sentence
    tokens = segment(sentence)
    assert term in tokens, f"{term} split in {tokens}"


@pytest.mark.parametrize("term,sentence", TERMS_IN_CONTEXT)
def test_tokens_reassemble_the_sentence(term, sentence):
    # nothing is lost or invented: without spaces, the tokens are the sentence
    assert "".join(segment(sentence)) == sentence


def test_several_terms_in_one_sentence():
    sentence = "难治性抑郁症患者胼胝体下扣带回的5-羟色胺水平与内侧前脑束的连接有关，电休克治疗可改善症状。"
    tokens = segment(sentence)
    for term in ("难治性抑郁症", "胼胝体下扣带回", "5-羟色胺", "内侧前脑束", "电休克治疗"):
        assert term in tokens, f"{term} split in {tokens}"


def test_segment_drops_spaces():
    tokens = segment("DBS 治疗 难治性抑郁症  有效")
    assert all(t.strip() == t and t for t in tokens)
    assert "难治性抑郁症" in tokens and "DBS" in tokens


@pytest.mark.parametrize("text", [
    "难治性抑郁症是指经过2种或以上足量、足疗程抗抑郁药治疗无效的抑郁症。",
    "深部脑刺激（deep brain stimulation，DBS）以胼胝体下扣带回为靶点。",
    "Ketamine 0.5 mg/kg produced a rapid response (P<0.01) in 22名患者。",
    "  前导空格与  多个空格\t制表符以及5-羟色胺 ",
    "全角符号：（一）５－羟色胺，ＴＲＤ患者［１２］。",
])
def test_tokenize_offsets_point_into_the_text(text):
    toks = tokenize(text)
    assert toks, "no tokens"
    for token, start, end in toks:
        assert text[start:end] == token
        assert token.strip(), "whitespace token returned"
    starts = [s for _, s, _ in toks]
    assert starts == sorted(starts), "tokens out of reading order"
    for (_, _, end), (_, nxt, _) in zip(toks, toks[1:]):
        assert end <= nxt, "overlapping tokens"
    # every non-space character is covered by exactly one token
    covered = sorted(i for _, s, e in toks for i in range(s, e))
    assert covered == [i for i, ch in enumerate(text) if not ch.isspace()]


def test_tokenize_agrees_with_segment():
    text = "刺激内侧前脑束可在数天内改善难治性抑郁症患者的快感缺失。"
    assert [t for t, _, _ in tokenize(text)] == segment(text)


def test_tokenize_gives_term_offsets():
    text = "患者接受电休克治疗后，难治性抑郁症状缓解。"
    spans = {t: (s, e) for t, s, e in tokenize(text)}
    assert spans["电休克治疗"] == (4, 9)


def test_add_words_teaches_a_new_term():
    sentence = "研究者刺激了虚构神经核后观察到行为改变。"
    add_words(["虚构神经核"])
    assert "虚构神经核" in segment(sentence)
    add_words(["虚构神经核"])  # idempotent
    assert "虚构神经核" in segment(sentence)


def test_empty_text():
    assert segment("") == []
    assert tokenize("") == []
