"""`kb index` and `kb search` through click's CliRunner, on the indexed corpus copy and tiny homes."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from kb import KnowledgeBase

HIT_KEYS = {"rank", "score", "sentence_id", "doc_id", "section", "text", "types", "concepts", "highlight"}
TYPES = {"definition", "mechanism", "treatment"}


@pytest.fixture(scope="session")
def home(indexed_corpus_home) -> Path:
    return indexed_corpus_home


@pytest.fixture(scope="session")
def api(home):
    kb = KnowledgeBase(home)
    yield kb
    kb.close()


def run(home, *args):
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    assert "Traceback" not in result.output, result.output[-2000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def run_json(home, *args) -> dict:
    result = run(home, "search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- --json
def test_search_json_shape(home, api):
    data = run_json(home, "海马")
    assert {"query", "total", "hits"} <= set(data)
    assert data["query"] == "海马"
    assert isinstance(data["total"], int) and data["total"] >= len(data["hits"]) == 10
    for i, hit in enumerate(data["hits"], start=1):
        assert HIT_KEYS <= set(hit), set(hit)
        assert hit["rank"] == i
        assert isinstance(hit["score"], (int, float)) and hit["score"] > 0
        assert hit["sentence_id"].startswith(hit["doc_id"] + ".")
        assert isinstance(hit["section"], str) and hit["text"]
        assert set(hit["types"]) <= TYPES
        assert all(isinstance(c, dict) and c.get("id") for c in hit["concepts"])
        assert "<mark>" in hit["highlight"]
        assert html.unescape(re.sub(r"</?mark>", "", hit["highlight"])) == hit["text"]
    scores = [h["score"] for h in data["hits"]]
    assert scores == sorted(scores, reverse=True)
    res = api.search("海马")
    assert [h["sentence_id"] for h in data["hits"]] == [h.sentence_id for h in res.hits]
    assert data["total"] == res.total


def test_search_json_is_utf8_not_escaped(home):
    result = run(home, "search", "海马", "--json", "--limit", "1")
    assert "海马" in result.stdout and "\\u" not in result.stdout


def test_search_json_no_hits(home):
    data = run_json(home, "xylophone")
    assert data["total"] == 0 and data["hits"] == []


def test_search_json_fallback_note(home):
    data = run_json(home, "氯胺酮 穹窿")
    assert data["hits"] and any("any" in n for n in data.get("notes", [])), data.get("notes")


# --------------------------------------------------------------------------- options
def test_type_option(home, api):
    data = run_json(home, "海马", "--type", "mechanism", "--limit", "100")
    assert data["hits"] and all("mechanism" in h["types"] for h in data["hits"])
    assert [h["sentence_id"] for h in data["hits"]] == \
        [h.sentence_id for h in api.search("type:mechanism 海马", limit=100).hits]


def test_type_option_rejects_unknown_type(home):
    result = run(home, "search", "海马", "--type", "nonsense")
    assert result.exit_code == 2 and "nonsense" in result.output


def test_doc_option(home):
    data = run_json(home, "海马", "--doc", "dbs-trd-review", "--limit", "100")
    assert data["hits"] and {h["doc_id"] for h in data["hits"]} == {"dbs-trd-review"}


@pytest.mark.parametrize("name", ["hippocampus", "海马"])
def test_concept_option(home, api, name):
    data = run_json(home, "抑郁症", "--concept", name, "--limit", "100")
    assert data["hits"]
    assert [h["sentence_id"] for h in data["hits"]] == \
        [h.sentence_id for h in api.search("抑郁症", limit=100, concept="hippocampus").hits]
    hippo_names = [n for n in api.concept("hippocampus")["concept"]["zh"]]
    assert all(any(n in h["text"] for n in hippo_names) or "hippocampus" in {c["id"] for c in h["concepts"]}
               for h in data["hits"])


def test_concept_option_unknown_concept(home):
    result = run(home, "search", "海马", "--concept", "不存在的概念")
    assert result.exit_code == 1 and "不存在的概念" in result.output


def test_section_option(home):
    data = run_json(home, "氯胺酮", "--section", "治疗", "--limit", "100")
    assert data["hits"] and all("治疗" in h["section"] for h in data["hits"])


@pytest.mark.parametrize("limit", [1, 3, 25])
def test_limit_option(home, limit):
    data = run_json(home, "海马", "--limit", str(limit))
    assert len(data["hits"]) == min(limit, data["total"])
    assert [h["rank"] for h in data["hits"]] == list(range(1, len(data["hits"]) + 1))


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1001"])
def test_bad_limit_is_a_usage_error(home, limit):
    result = run(home, "search", "海马", "--limit", limit)
    assert result.exit_code == 2 and "limit" in result.output.lower()


def test_filter_only_query_via_options(home):
    data = run_json(home, "", "--type", "definition", "--limit", "1000")
    assert data["hits"] and all("definition" in h["types"] for h in data["hits"])
    assert data["total"] == run_json(home, "type:definition", "--limit", "1000")["total"]


# --------------------------------------------------------------------------- plain output
def test_plain_output(home):
    result = run(home, "search", "海马", "--limit", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"3 of \d+ matching sentences", lines[-1]), lines[-1]
    assert re.match(r"\s*1\. \[", lines[0]) and "(" in lines[0]
    assert sum(bool(re.match(r"\s*\d+\. \[", ln)) for ln in lines) == 3
    assert "海马" in result.stdout


def test_plain_output_no_hits(home):
    result = run(home, "search", "xylophone")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1] == "0 of 0 matching sentences"


def test_plain_output_fallback_note_on_stderr(home):
    result = run(home, "search", "氯胺酮 穹窿")
    assert result.exit_code == 0
    assert "note:" in result.stderr and "any" in result.stderr
    assert "note:" not in result.stdout


# --------------------------------------------------------------------------- no index / index command
def test_search_without_index_says_how_to_build_it(tmp_path):
    result = run(tmp_path / "empty-home", "search", "海马")
    assert result.exit_code == 1
    assert "kb index" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_search_json_without_index(tmp_path):
    result = run(tmp_path / "empty-home", "search", "海马", "--json")
    assert result.exit_code == 1 and "kb index" in result.output


@pytest.fixture
def tiny_home(tmp_path, sample_review_file):
    home = tmp_path / "home"
    result = run(home, "ingest", str(sample_review_file))
    assert result.exit_code == 0, result.output
    return home


def test_index_then_index_again_then_rebuild(tiny_home):
    kb = KnowledgeBase(tiny_home)
    n = len(list(kb.sentences()))
    kb.close()
    assert n > 0
    first = run(tiny_home, "index")
    assert first.exit_code == 0
    assert f"indexed {n} sentences" in first.output and str(tiny_home / "index") in first.output
    again = run(tiny_home, "index")
    assert again.exit_code == 0
    assert "index present" in again.output and "--rebuild" in again.output and "indexed" not in again.output
    rebuilt = run(tiny_home, "index", "--rebuild")
    assert rebuilt.exit_code == 0 and f"indexed {n} sentences" in rebuilt.output
    found = run(tiny_home, "search", "氯胺酮", "--json")
    assert json.loads(found.stdout)["hits"]


def test_index_on_empty_home(tmp_path):
    result = run(tmp_path / "new-home", "index")
    assert result.exit_code in (0, 1)
    if result.exit_code == 0:
        assert "indexed 0 sentences" in result.output
        assert json.loads(run(tmp_path / "new-home", "search", "海马", "--json").stdout)["total"] == 0


def test_search_after_cli_ingest_into_indexed_home(tiny_home, tmp_path):
    assert run(tiny_home, "index").exit_code == 0
    extra = tmp_path / "extra" / "hall.txt"
    extra.parent.mkdir()
    extra.write_text("一、背景\n穹窿旁边的缰核参与了奖赏加工过程。\n", encoding="utf-8")
    assert run(tiny_home, "ingest", str(extra)).exit_code == 0
    data = run_json(tiny_home, "缰核")
    assert [h["doc_id"] for h in data["hits"]] == ["hall"]
    assert run(tiny_home, "remove", "hall").exit_code == 0
    assert run_json(tiny_home, "缰核")["total"] == 0


# --------------------------------------------------------------------------- bad queries
BAD = ['"海马', '海马"', "(海马", "海马)", "AND OR NOT", "*", "x" * 10_000, "\x00\x07海马", "foo:bar",
       "type:nonsense", "", "   ", '""', "type:", "concept:不存在的概念", "section:的", "\\", "&&"]


@pytest.mark.parametrize("as_json", [False, True], ids=["plain", "json"])
@pytest.mark.parametrize("query", BAD, ids=lambda q: repr(q[:20]))
def test_bad_query_exits_cleanly(home, query, as_json):
    result = run(home, "search", query, *(["--json"] if as_json else []))
    assert result.exit_code in (0, 1), result.output[:500]
    if result.exit_code == 1:
        out = result.output.strip()
        assert out.startswith("Error: ") and "\n" not in out and len(out) < 300, out[:300]
    elif as_json:
        json.loads(result.stdout)
    else:
        assert "matching sentences" in result.stdout


@pytest.mark.parametrize("query, expect", [
    ("x" * 10_000, "too long"), ("foo:bar", "foo"), ("type:nonsense", "definition"), ("", "empty")])
def test_bad_query_message(home, query, expect):
    result = run(home, "search", query)
    assert result.exit_code == 1 and expect in result.output


@pytest.mark.parametrize("query", ["(海马", '"海马', "\x00\x07海马"])
def test_noisy_query_finds_what_the_word_finds(home, query):
    assert [h["sentence_id"] for h in run_json(home, query)["hits"]] == \
        [h["sentence_id"] for h in run_json(home, "海马")["hits"]]


def test_a_query_copied_from_a_pdf_finds_the_same(home):
    # fonts that share a glyph between a radical and an ideograph give ⻓ (U+2ED3) for 长, ⽣ for 生
    assert run_json(home, "⻓期⽣存") == run_json(home, "长期生存")
    assert run_json(home, "海⻢")["hits"] == run_json(home, "海马")["hits"]
