"""The bilingual concept lexicon (kb/data/lexicon.json) and its loader.

Two halves: the shipped data file is consistent (checked on the raw JSON, not
through the loader, so a loader that stopped validating would not hide a bad
file), and ``load_lexicon`` refuses a broken file with a LexiconError that
names what is wrong.
"""
from __future__ import annotations

import copy
import json
import re
from collections import defaultdict

import pytest

import kb.data_files
import kb.lexicon
from kb.data_files import DATA_DIR
from kb.errors import KBError, LexiconError
from kb.lexicon import load_lexicon, name_key


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads((DATA_DIR / "lexicon.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


# -- the shipped data file --------------------------------------------------------------------------------


def test_file_has_categories_and_concepts(raw):
    assert isinstance(raw.get("categories"), dict) and raw["categories"]
    assert isinstance(raw.get("concepts"), list) and len(raw["concepts"]) > 100
    for cat, desc in raw["categories"].items():
        assert re.fullmatch(r"[a-z_]+", cat), cat
        assert isinstance(desc, str) and desc.strip(), f"category {cat!r} has no description"


def test_concept_ids_are_unique_and_well_formed(raw):
    ids = [c.get("id", "") for c in raw["concepts"]]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate concept ids: {dupes}"
    bad = [i for i in ids if not re.fullmatch(r"[a-z0-9_]+", i)]
    assert not bad, f"malformed concept ids: {bad}"


def test_every_concept_category_is_declared(raw):
    declared = set(raw["categories"])
    undeclared = {c["id"]: c.get("category") for c in raw["concepts"] if c.get("category") not in declared}
    assert not undeclared, f"concepts with undeclared categories: {undeclared}"


def test_every_concept_has_a_name(raw):
    nameless = [c["id"] for c in raw["concepts"]
                if not any(n and n.strip() for k in ("zh", "en", "abbr") for n in c.get(k, []))]
    assert not nameless, f"concepts without any name: {nameless}"


def test_name_lists_hold_only_non_blank_strings(raw):
    bad = [(c["id"], k, n) for c in raw["concepts"] for k in ("zh", "en", "abbr") for n in c.get(k, [])
           if not isinstance(n, str) or not n.strip() or n != n.strip()]
    assert not bad, f"blank or padded names: {bad}"


def test_no_chinese_name_is_claimed_by_two_concepts(raw):
    owners = defaultdict(set)
    for c in raw["concepts"]:
        for n in c.get("zh", []):
            owners[n].add(c["id"])
    shared = {n: sorted(ids) for n, ids in owners.items() if len(ids) > 1}
    assert not shared, f"zh names claimed by several concepts: {shared}"


def test_no_name_is_claimed_by_two_concepts_after_normalisation(raw):
    """'Deep-Brain Stimulation' and 'deep brain stimulation' are the same name: only one concept may own it."""
    owners = defaultdict(set)
    for c in raw["concepts"]:
        for k in ("zh", "en", "abbr"):
            for n in c.get(k, []):
                owners[name_key(n)].add(c["id"])
    shared = {n: sorted(ids) for n, ids in owners.items() if len(ids) > 1}
    assert not shared, f"names claimed by several concepts: {shared}"


def test_loader_accepts_the_shipped_file(raw, lexicon):
    assert len(lexicon.concepts) == len(raw["concepts"])
    assert set(lexicon.by_id) == {c["id"] for c in raw["concepts"]}
    assert set(raw["categories"]) <= set(lexicon.categories)


# -- lookup across languages ------------------------------------------------------------------------------

SAME_CONCEPT = [
    ("hippocampus", ["海马", "hippocampus", "Hippocampus", "HIPPOCAMPUS"]),
    ("dbs", ["深部脑刺激", "deep brain stimulation", "Deep Brain Stimulation", "deep-brain stimulation", "DBS"]),
    ("serotonin", ["5-HT", "5-羟色胺", "serotonin", "Serotonin"]),
    ("trd", ["难治性抑郁症", "treatment-resistant depression", "Treatment Resistant Depression", "TRD"]),
    ("ketamine", ["氯胺酮", "ketamine", "Ketamine"]),
]


@pytest.mark.parametrize("concept_id,names", SAME_CONCEPT, ids=[c for c, _ in SAME_CONCEPT])
def test_lookup_finds_one_concept_from_any_language(lexicon, concept_id, names):
    found = {n: (lexicon.lookup(n).concept_id if lexicon.lookup(n) else None) for n in names}
    assert found == {n: concept_id for n in names}


def test_lookup_tolerates_full_width_and_spacing(lexicon):
    # NFKC folds full-width letters; spaces and hyphens are ignored
    assert lexicon.lookup("ＤＢＳ").concept_id == "dbs"
    assert lexicon.lookup("  deep   brain  stimulation ").concept_id == "dbs"


def test_lookup_keeps_related_concepts_apart(lexicon):
    assert lexicon.lookup("5-HT2A").concept_id == "htr2a_receptor"
    assert lexicon.lookup("外侧缰核").concept_id == "lateral_habenula"
    assert lexicon.lookup("缰核").concept_id == "habenula"
    assert lexicon.lookup("难治性抑郁症").concept_id != lexicon.lookup("抑郁症").concept_id


@pytest.mark.parametrize("name", ["not a concept", "虚构脑区", "", "XYZQ"])
def test_lookup_of_unknown_name_is_none(lexicon, name):
    assert lexicon.lookup(name) is None


def test_names_lists_every_language(lexicon):
    names = lexicon.names("dbs")
    assert "深部脑刺激" in names and "deep brain stimulation" in names and "DBS" in names


def test_concept_display_names(lexicon):
    c = lexicon.by_id["hippocampus"]
    assert (c.name_zh, c.name_en, c.category) == ("海马", "hippocampus", "brain_region")


def test_name_key_normalises_case_spaces_hyphens_and_width():
    assert name_key("Treatment-Resistant Depression") == name_key("treatment resistant depression")
    assert name_key("ＴＲＤ") == name_key("trd")
    assert name_key("5-HT") == name_key("5HT")
    assert name_key("海马") == "海马"
    assert name_key("NE") != name_key("NEURON")


# -- a broken lexicon file is refused ----------------------------------------------------------------------


@pytest.fixture
def install_lexicon(tmp_path, monkeypatch):
    """Make load_lexicon read ``data`` as kb/data/lexicon.json (through the real loader, caches cleared)."""

    def _install(data) -> None:
        path = tmp_path / "lexicon.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setattr(kb.data_files, "DATA_DIR", tmp_path)
        monkeypatch.setattr(kb.lexicon, "DATA_DIR", tmp_path)
        kb.data_files.load_json.cache_clear()

    yield _install
    monkeypatch.undo()
    kb.data_files.load_json.cache_clear()  # later tests must see the real file again


def _edited(raw: dict, edit) -> dict:
    data = copy.deepcopy(raw)
    edit(data)
    return data


def _concept(data: dict, cid: str) -> dict:
    return next(c for c in data["concepts"] if c["id"] == cid)


def test_install_fixture_reads_the_substitute_file(raw, install_lexicon):
    """Sanity check of the fixture itself: a valid edited file is loaded, not the shipped one."""
    install_lexicon(_edited(raw, lambda d: d["concepts"].append(
        {"id": "fictional_area", "category": "brain_region", "zh": ["虚构脑区"], "en": ["fictional brain area"],
         "abbr": ["FBA"]})))
    lex = load_lexicon()
    assert lex.lookup("虚构脑区").concept_id == "fictional_area"
    assert lex.lookup("FBA").concept_id == "fictional_area"


def test_real_file_is_back_after_a_substitute(lexicon):
    assert load_lexicon().lookup("虚构脑区") is None


def test_duplicate_concept_id_is_refused(raw, install_lexicon):
    install_lexicon(_edited(raw, lambda d: d["concepts"].append(
        {"id": "dbs", "category": "therapy", "zh": ["虚构疗法"], "en": ["fictional therapy"], "abbr": []})))
    with pytest.raises(LexiconError, match=r"lexicon\.json.*dbs"):
        load_lexicon()


@pytest.mark.parametrize("owner,form,name,rightful", [
    ("amygdala", "zh", "海马", "hippocampus"),                 # exact Chinese name of hippocampus
    ("amygdala", "en", "Hippocampus", "hippocampus"),          # differs from 'hippocampus' only in case
    ("tms", "abbr", "DBS", "dbs"),                             # abbreviation of deep brain stimulation
    ("tms", "en", "deep-brain stimulation", "dbs"),            # differs only by a hyphen
])
def test_name_in_two_concepts_is_refused(raw, install_lexicon, owner, form, name, rightful):
    def edit(d):
        _concept(d, owner)[form].append(name)

    assert any(c["id"] == owner for c in raw["concepts"])
    install_lexicon(_edited(raw, edit))
    with pytest.raises(LexiconError, match="lexicon.json") as exc:
        load_lexicon()
    message = str(exc.value)
    assert f"'{owner}'" in message and f"'{rightful}'" in message  # both claimants are named
    assert any(name_key(n) == name_key(name) for n in re.findall(r"name '([^']+)'", message))


def test_unknown_category_is_refused(raw, install_lexicon):
    install_lexicon(_edited(raw, lambda d: _concept(d, "hippocampus").update(category="brain_regoin")))
    with pytest.raises(LexiconError, match=r"hippocampus.*brain_regoin"):
        load_lexicon()


def test_concept_without_names_is_refused(raw, install_lexicon):
    install_lexicon(_edited(raw, lambda d: d["concepts"].append(
        {"id": "empty_concept", "category": "drug", "zh": [], "en": ["  "], "abbr": []})))
    with pytest.raises(LexiconError, match="empty_concept"):
        load_lexicon()


def test_malformed_id_is_refused(raw, install_lexicon):
    install_lexicon(_edited(raw, lambda d: d["concepts"].append(
        {"id": "Bad Id", "category": "drug", "zh": ["虚构药物"], "en": [], "abbr": []})))
    with pytest.raises(LexiconError, match="Bad Id"):
        load_lexicon()


def test_unparseable_file_is_a_lexicon_error(install_lexicon):
    install_lexicon('{"categories": {"drug": "x"}, "concepts": [')
    with pytest.raises(LexiconError, match="lexicon.json"):
        load_lexicon()


def test_lexicon_error_is_a_kb_error():
    """The CLI turns KBError into one line: a broken lexicon must be one of them."""
    assert issubclass(LexiconError, KBError)
