"""The read-side commands on the bundled corpus: facts, concepts, concept, glossary, export, retag.

Uses the session KB ``built_kb`` (read-only); ``retag`` runs on a copy of its kb.db.
"""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

import cli
from kb import KnowledgeBase

FACT_TYPES = {"definition", "mechanism", "treatment"}


@pytest.fixture(scope="module")
def run(built_kb):
    """run(*args) -> click Result, on the session KB."""
    runner = CliRunner()

    def _run(*args, home=None):
        return runner.invoke(cli.main, ["--home", str(home or built_kb.home), *args])

    return _run


def ok_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def db_ids(built_kb, sql, params=()):
    return {r["sentence_id"] for r in built_kb.store.query(sql, list(params))}


# -- facts --------------------------------------------------------------------------------------------------


def test_facts_by_type_and_concept(run, built_kb):
    rows = ok_json(run("facts", "--type", "mechanism", "--concept", "hippocampus", "--json"))
    assert rows, "the corpus discusses hippocampal mechanisms: expected some facts"
    for rec in rows:
        assert "mechanism" in rec["types"], rec["sentence_id"]
        assert "hippocampus" in {c["id"] for c in rec["concepts"]}, rec["sentence_id"]
        assert "mechanism" in rec["evidence"]
    # complete: exactly the sentences the database holds as mechanism facts mentioning the hippocampus
    expected = db_ids(built_kb, "select sentence_id from facts where type = 'mechanism'") & db_ids(
        built_kb, "select sentence_id from mentions where concept_id = 'hippocampus'")
    listed = [r["sentence_id"] for r in rows]
    assert len(listed) == len(set(listed)), "a sentence listed twice"
    assert set(listed) == expected


@pytest.mark.parametrize("name", ["海马", "Hippocampus", "hippocampal formation", "海马体", "海馬",
                                  "海⻢"])  # the last as copied out of a PDF whose font gives ⻢ for 马
def test_facts_concept_in_any_language(run, name):
    english = [r["sentence_id"] for r in ok_json(run("facts", "--type", "mechanism", "--concept", "hippocampus",
                                                     "--json"))]
    other = [r["sentence_id"] for r in ok_json(run("facts", "--type", "mechanism", "--concept", name, "--json"))]
    assert other == english


def test_facts_text_output(run):
    result = run("facts", "--type", "mechanism", "--concept", "海马")
    assert result.exit_code == 0, result.output
    n = len(ok_json(run("facts", "--type", "mechanism", "--concept", "海马", "--json")))
    lines = result.output.splitlines()
    assert lines[-1] == f"{n} facts"
    assert sum(line.startswith("[") for line in lines) == n
    assert all("mechanism" in line.split("]")[0] for line in lines if line.startswith("["))
    assert sum("海马" in line for line in lines if line.strip().startswith("concepts:")) == n


def test_facts_type_filter_alone(run, built_kb):
    rows = ok_json(run("facts", "--type", "definition", "--json"))
    assert rows and all("definition" in r["types"] for r in rows)
    assert {r["sentence_id"] for r in rows} == db_ids(built_kb, "select sentence_id from facts where type='definition'")


def test_facts_unknown_concept_is_one_line_error(run):
    result = run("facts", "--concept", "nosuchthing")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "nosuchthing" in result.output


# -- concept ------------------------------------------------------------------------------------------------


def test_concept_report(run):
    rep = ok_json(run("concept", "海马", "--json"))
    assert rep["concept"]["concept_id"] == "hippocampus"
    assert rep["concept"]["name_zh"] == "海马" and rep["concept"]["name_en"] == "hippocampus"
    facts = rep["facts"]
    assert facts and set(facts) <= FACT_TYPES
    assert "mechanism" in facts
    for type_, docs in facts.items():
        assert docs, f"empty group {type_}"
        for doc_id, recs in docs.items():
            assert recs
            for rec in recs:
                assert rec["doc_id"] == doc_id
                assert type_ in rec["types"]
                assert "hippocampus" in {c["id"] for c in rec["concepts"]}
    assert rep["cooccurs"], "the hippocampus co-occurs with other concepts"
    counts = [c["count"] for c in rep["cooccurs"]]
    assert all(n > 0 for n in counts) and counts == sorted(counts, reverse=True)
    assert "hippocampus" not in {c["concept_id"] for c in rep["cooccurs"]}
    for c in rep["cooccurs"]:
        assert c["name_zh"] or c["name_en"]


def test_concept_report_mechanism_facts_match_facts_command(run):
    rep = ok_json(run("concept", "海马", "--json"))
    in_report = sorted(r["sentence_id"] for recs in rep["facts"]["mechanism"].values() for r in recs)
    listed = sorted(r["sentence_id"] for r in ok_json(run("facts", "--type", "mechanism", "--concept", "海马",
                                                           "--json")))
    assert in_report == listed


def test_concept_named_with_a_pdf_radical_stand_in(run):
    assert ok_json(run("concept", "海⻢", "--json")) == ok_json(run("concept", "海马", "--json"))


def test_concept_same_report_in_every_language(run):
    assert ok_json(run("concept", "DBS", "--json")) == ok_json(run("concept", "深部脑刺激", "--json")) == ok_json(
        run("concept", "deep brain stimulation", "--json"))


def test_concept_text_output(run):
    result = run("concept", "hippocampus")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("海马 / hippocampus")
    assert "MECHANISM" in result.output
    assert "Co-occurs with:" in result.output


def test_concept_unknown_name_is_one_line_error(run):
    result = run("concept", "nosuchthing")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error:") and "nosuchthing" in lines[0]


# -- concepts -----------------------------------------------------------------------------------------------


def test_concepts_by_category(run, built_kb):
    rows = ok_json(run("concepts", "--category", "drug", "--json"))
    assert rows and all(r["category"] == "drug" for r in rows)
    by_id = {r["id"]: r for r in rows}
    ket = by_id["ketamine"]
    assert ket["mentions"] > 0 and ket["documents"] >= 1
    assert ket["name_zh"] == "氯胺酮" and ket["name_en"] == "ketamine"
    stored = built_kb.store.query("select count(*) n from mentions where concept_id = 'ketamine'")[0]["n"]
    assert ket["mentions"] == stored
    assert "hippocampus" not in by_id
    counts = [r["mentions"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_concepts_text_output(run):
    result = run("concepts", "--category", "drug")
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if line.startswith("ketamine\t"))
    assert "氯胺酮 / ketamine" in line and line.endswith("mentions")


# -- glossary -----------------------------------------------------------------------------------------------


def test_glossary_has_the_dbs_pair(run):
    rows = ok_json(run("glossary", "--json"))
    dbs = [r for r in rows if r["zh"] == "深部脑刺激" and r["en"] == "deep brain stimulation" and r["abbr"] == "DBS"]
    assert len(dbs) == 1, "one merged entry per pair"
    entry = dbs[0]
    assert entry["count"] >= 1
    assert entry["concept_id"] == "dbs" and entry["status"] == "confirms"
    assert "dbs-trd-review" in entry["docs"]
    assert all(r["count"] >= 1 and r["status"] in {"confirms", "extends", "conflict", "new", "partial"} for r in rows)
    keys = [(r["zh"], r["en"], r["abbr"]) for r in rows]
    assert len(keys) == len(set(keys))


# -- export -------------------------------------------------------------------------------------------------


def test_export_jsonl_records(run, built_kb):
    result = run("export", "--format", "jsonl")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    n_sentences = built_kb.store.query("select count(*) n from sentences")[0]["n"]
    assert len(records) == n_sentences
    categories = {r["concept_id"]: r["category"] for r in built_kb.store.query("select concept_id, category from concepts")}
    kinds = set()
    for rec in records:
        for key in ("sentence_id", "doc_id", "text", "types", "concepts", "quantities", "evidence"):
            assert key in rec, key
        assert set(rec["types"]) <= FACT_TYPES
        assert set(rec["evidence"]) == set(rec["types"])
        for ev in rec["evidence"].values():
            assert 0 < ev["confidence"] < 1
        for c in rec["concepts"]:
            assert set(c) >= {"id", "name_zh", "name_en", "category"}
            assert categories[c["id"]] == c["category"]
            assert c["name_zh"] or c["name_en"]
        for q in rec["quantities"]:
            assert set(q) >= {"kind", "text", "value", "low", "high", "unit"}
            assert q["text"] in rec["text"]
            kinds.add(q["kind"])
    assert any(r["types"] for r in records) and any(r["concepts"] for r in records)
    assert {"percent", "sample_size"} <= kinds


def test_export_one_document(run):
    result = run("export", "--format", "jsonl", "--doc", "ketamine-trd-review")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records and {r["doc_id"] for r in records} == {"ketamine-trd-review"}
    assert any(c["id"] == "ketamine" for r in records for c in r["concepts"])


# -- retag on a copy ---------------------------------------------------------------------------------------


@pytest.fixture
def kb_copy(built_kb, tmp_path):
    """A private home holding a consistent copy of the session KB's database (WAL included)."""
    home = tmp_path / "copy-home"
    home.mkdir()
    src = sqlite3.connect(built_kb.db_path)
    dst = sqlite3.connect(home / "kb.db")
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return home


def _fact_rows(home):
    kb = KnowledgeBase(home)
    try:
        return sorted((r["sentence_id"], r["type"]) for r in kb.store.query("select sentence_id, type from facts"))
    finally:
        kb.close()


def test_retag_copy(run, built_kb, kb_copy):
    n_docs = len(built_kb.store.documents())
    before = _fact_rows(kb_copy)
    assert before
    result = run("retag", home=kb_copy)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"re-tagged {n_docs} documents"
    after = _fact_rows(kb_copy)
    assert len(after) == len(before)
    assert after == before  # same rules, same lexicon: the same facts
    # the copy is still fully usable
    rows = ok_json(run("facts", "--type", "mechanism", "--concept", "海马", "--json", home=kb_copy))
    assert len(rows) == len(ok_json(run("facts", "--type", "mechanism", "--concept", "海马", "--json")))
