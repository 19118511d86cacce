"""Concept mentions: which lexicon concepts a sentence names, where, and in which form."""
from __future__ import annotations

import pytest

from kb.lexicon import load_lexicon
from kb.mentions import ConceptMatcher, find_mentions


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def matcher(lexicon):
    return ConceptMatcher(lexicon)


def found(matcher, text):
    """[(concept_id, surface, form)] in reading order, after checking every offset."""
    ms = find_mentions(text, matcher)
    for m in ms:
        assert text[m.start:m.end] == m.surface, f"offsets {m.start}:{m.end} do not give {m.surface!r}"
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    for a, b in zip(ms, ms[1:]):
        assert a.end <= b.start, f"overlapping mentions {a} / {b}"
    return [(m.concept_id, m.surface, m.form) for m in ms]


def ids(matcher, text):
    return [cid for cid, _, _ in found(matcher, text)]


# -- Chinese, English, abbreviations ----------------------------------------------------------------------


def test_chinese_names_with_offsets(matcher):
    text = "研究发现，难治性抑郁症患者海马萎缩。"
    ms = find_mentions(text, matcher)
    by_id = {m.concept_id: m for m in ms}
    assert (by_id["trd"].start, by_id["trd"].end, by_id["trd"].form) == (5, 11, "zh")
    assert (by_id["hippocampus"].start, by_id["hippocampus"].end) == (13, 15)
    found(matcher, text)


def test_bilingual_pair_gives_three_mentions_of_one_concept(matcher):
    text = "深部脑刺激（deep brain stimulation，DBS）可用于难治性抑郁症（TRD）。"
    assert found(matcher, text) == [
        ("dbs", "深部脑刺激", "zh"),
        ("dbs", "deep brain stimulation", "en"),
        ("dbs", "DBS", "abbr"),
        ("trd", "难治性抑郁症", "zh"),
        ("trd", "TRD", "abbr"),
    ]


@pytest.mark.parametrize("surface", [
    "Treatment-Resistant Depression",
    "treatment resistant depression",
    "treatment-resistant depression",
    "TREATMENT-RESISTANT DEPRESSION",
    "Treatment - resistant depression",
])
def test_english_names_ignore_case_and_hyphens(matcher, surface):
    text = f"Patients with {surface} were enrolled."
    assert ("trd", surface, "en") in found(matcher, text)


def test_english_name_inside_chinese_text(matcher):
    text = "氯胺酮（ketamine）是NMDA受体拮抗剂。"
    got = found(matcher, text)
    assert ("ketamine", "ketamine", "en") in got
    assert ("ketamine", "氯胺酮", "zh") in got


def test_abbreviations_found_with_offsets(matcher):
    text = "NE与DA水平降低，5-HT功能减退。"
    assert found(matcher, text) == [
        ("norepinephrine", "NE", "abbr"),
        ("dopamine", "DA", "abbr"),
        ("serotonin", "5-HT", "abbr"),
    ]


@pytest.mark.parametrize("text", [
    "The NEURON doctrine was discussed.",
    "NEURONS in the cortex fire.",
    "The DAta were analysed twice.",
    "DATA were analysed.",
    "We used a DAtabase of patients.",
])
def test_abbreviation_never_matches_inside_a_longer_word(matcher, text):
    got = ids(matcher, text)
    assert "norepinephrine" not in got and "dopamine" not in got


@pytest.mark.parametrize("text", ["dbs was applied to the target.", "Dbs was applied.", "trd patients", "the da level"])
def test_abbreviations_are_case_sensitive(matcher, text):
    assert found(matcher, text) == []


def test_upper_case_abbreviation_is_found_where_lower_case_is_not(matcher):
    assert ids(matcher, "DBS was applied to the target.") == ["dbs"]


# -- longest match --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected,not_expected", [
    ("5-HT2A受体的表达上调。", ("htr2a_receptor", "5-HT2A受体"), "serotonin"),
    ("The 5-HT2A density increased.", ("htr2a_receptor", "5-HT2A"), "serotonin"),
    ("外侧缰核的神经元过度放电。", ("lateral_habenula", "外侧缰核"), "habenula"),
    ("难治性抑郁症的定义仍有争议。", ("trd", "难治性抑郁症"), "depression"),
    ("上外侧内侧前脑束是新的靶点。", ("slmfb", "上外侧内侧前脑束"), "mfb"),
    ("Stimulation of the lateral habenula reduced symptoms.", ("lateral_habenula", "lateral habenula"), "habenula"),
])
def test_longest_match_wins(matcher, text, expected, not_expected):
    got = found(matcher, text)
    assert (expected[0], expected[1]) in [(c, s) for c, s, _ in got]
    assert not_expected not in [c for c, _, _ in got]


def test_short_name_still_found_on_its_own(matcher):
    text = "缰核与5-HT均参与调节。"
    assert ids(matcher, text) == ["habenula", "serotonin"]


# -- English abstract ----------------------------------------------------------------------------------


def test_english_abstract_sentence(matcher):
    text = ("Ketamine and deep brain stimulation of the lateral habenula rapidly reduced depressive symptoms "
            "in patients with TRD.")
    got = found(matcher, text)
    got_ids = [c for c, _, _ in got]
    for cid in ("ketamine", "dbs", "lateral_habenula", "trd"):
        assert cid in got_ids, f"{cid} missing from {got}"
    assert ("ketamine", "Ketamine", "en") in got  # sentence-initial capital
    assert ("trd", "TRD", "abbr") in got


def test_plural_english_name(matcher):
    got = found(matcher, "Selective serotonin reuptake inhibitors and SSRIs were compared.")
    assert [c for c, _, _ in got] == ["ssri", "ssri"]


def test_sentence_without_concepts(matcher):
    assert found(matcher, "今天天气很好。") == []
    assert found(matcher, "") == []


def test_matcher_sees_names_added_to_the_lexicon(lexicon):
    from kb.models import Concept

    lex = load_lexicon(extra=[Concept("mined_fba", "mined", zh=["虚构脑区"], en=["fictional brain area"],
                                      abbr=["FBA"], source="mined")])
    m = ConceptMatcher(lex)
    got = found(m, "刺激虚构脑区（fictional brain area，FBA）后症状改善。")
    assert [c for c, _, _ in got] == ["mined_fba"] * 3
    assert found(ConceptMatcher(lexicon), "刺激虚构脑区后症状改善。") == []


# -- names in the lexicon that the matcher can never find ----------------------------------------------------


def test_madrs_full_english_name_is_found(matcher):
    text = "The Montgomery-Åsberg Depression Rating Scale score fell by half."
    assert ("madrs", "Montgomery-Åsberg Depression Rating Scale", "en") in found(matcher, text)


@pytest.mark.parametrize("cid,name", [
    ("dm_trd", "Dutch Measure for quantification of Treatment Resistance in Depression"),
    ("dsm5", "Diagnostic and Statistical Manual of Mental Disorders 5th edition"),
])
def test_long_english_names_are_found(matcher, cid, name):
    assert (cid, name, "en") in found(matcher, f"We applied the {name} to every patient.")


def test_names_with_a_slash_are_found(matcher):
    got = found(matcher, "DBS of the VC/VS target improved mood.")
    assert ("vc_vs", "VC/VS", "abbr") in got
