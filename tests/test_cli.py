"""The ``kb`` command through click's CliRunner, each test with its own ``--home``."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cli import main

# A review whose English sentence holds an ASCII comma and double quotes (CSV must quote them).
REVIEW = "\n".join([
    "一、背景",
    "难治性抑郁症是一种常见的精神障碍［1］。约三成患者对治疗无效［2-3］。",
    "二、治疗",
    "氯胺酮可以迅速减轻抑郁症患者的症状［4］。",
    ' Ketamine has a "rapid" effect, seen within 2 h [5]. It was well tolerated.',
])


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def home(tmp_path):
    return str(tmp_path / "home")


@pytest.fixture
def review_file(tmp_path):
    path = tmp_path / "src" / "review.txt"
    path.parent.mkdir(parents=True)
    path.write_text(REVIEW, encoding="utf-8")
    return path


@pytest.fixture
def loaded_home(runner, home, review_file):
    result = runner.invoke(main, ["--home", home, "ingest", str(review_file)])
    assert result.exit_code == 0, result.output
    return home


def run(runner, home, *args):
    return runner.invoke(main, ["--home", home, *args])


def test_ingest_good_and_bad_files(runner, home, review_file, tmp_path, make_image_pdf):
    empty = tmp_path / "src" / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "src" / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    corrupt = tmp_path / "src" / "broken.pdf"
    corrupt.write_bytes(b"%PDF-1.4\ngarbage\n%%EOF")
    scan = make_image_pdf("src/scan.pdf")
    missing = tmp_path / "src" / "missing.txt"
    bad = [empty, binary, corrupt, scan, missing]
    result = run(runner, home, "ingest", str(review_file), *map(str, bad))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    error_lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(error_lines) == len(bad)
    for path in bad:
        assert sum(str(path) in line for line in error_lines) == 1
    assert "1 added" in result.output and "5 failed" in result.output
    # the good file is in
    docs = json.loads(run(runner, home, "docs", "--json").output)
    assert [d["doc_id"] for d in docs] == ["review"]


def test_ingest_twice_reports_unchanged(runner, loaded_home, review_file):
    result = run(runner, loaded_home, "ingest", str(review_file))
    assert result.exit_code == 0
    assert "0 added, 0 updated, 1 unchanged, 0 failed" in result.output


def test_ingest_requires_a_path(runner, home):
    result = run(runner, home, "ingest")
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_docs_json(runner, loaded_home):
    result = run(runner, loaded_home, "docs", "--json")
    assert result.exit_code == 0
    docs = json.loads(result.output)
    assert isinstance(docs, list) and len(docs) == 1
    (doc,) = docs
    assert set(doc) >= {"doc_id", "title", "title_derived", "authors", "journal", "year", "abstract_zh",
                        "abstract_en", "source", "sections"}
    assert doc["doc_id"] == "review" and doc["source"] == "review.txt"
    assert doc["title_derived"] is True and doc["title"]
    assert doc["authors"] == []
    assert doc["sections"] == [{"level": 1, "number": "一", "title": "背景"},
                               {"level": 1, "number": "二", "title": "治疗"}]
    for section in doc["sections"]:
        assert set(section) == {"level", "number", "title"}


def test_docs_plain(runner, loaded_home):
    result = run(runner, loaded_home, "docs")
    assert result.exit_code == 0
    assert result.output.startswith("review\t")
    assert "(derived)" in result.output and "5 sentences" in result.output


def test_show_json(runner, loaded_home):
    result = run(runner, loaded_home, "show", "review", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["doc_id"] == "review"
    assert [s["title"] for s in doc["sections"]] == ["背景", "治疗"]
    assert [s["text"] for s in doc["sentences"]][:2] == ["难治性抑郁症是一种常见的精神障碍［1］。", "约三成患者对治疗无效［2-3］。"]
    assert len(doc["sentences"]) == 5


def test_show_plain(runner, loaded_home):
    result = run(runner, loaded_home, "show", "review")
    assert result.exit_code == 0
    assert "Outline:" in result.output
    assert "一 背景" in result.output and "二 治疗" in result.output
    assert "5 sentences" in result.output


def test_show_unknown_document(runner, loaded_home):
    result = run(runner, loaded_home, "show", "nosuch")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "nosuch" in lines[0]
    assert "Traceback" not in result.output


def test_remove(runner, loaded_home):
    result = run(runner, loaded_home, "remove", "review")
    assert result.exit_code == 0
    assert "review" in result.output
    assert json.loads(run(runner, loaded_home, "docs", "--json").output) == []
    again = run(runner, loaded_home, "remove", "review")
    assert again.exit_code == 1
    assert len(again.output.strip().splitlines()) == 1 and "review" in again.output


def test_stats(runner, loaded_home):
    result = run(runner, loaded_home, "stats")
    assert result.exit_code == 0
    values = dict(line.split(": ", 1) for line in result.output.strip().splitlines())
    assert values["documents"] == "1"
    assert values["sections"] == "2"
    assert values["sentences"] == "5"


def test_export_jsonl(runner, loaded_home):
    result = run(runner, loaded_home, "export", "--format", "jsonl")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 5
    for rec in records:
        assert {"sentence_id", "doc_id", "section", "text", "lang", "refs"} <= set(rec)
        assert rec["doc_id"] == "review"
    assert [r["refs"] for r in records] == [[1], [2, 3], [4], [5], []]
    assert [r["lang"] for r in records] == ["zh", "zh", "zh", "en", "en"]
    assert [r["section"] for r in records] == ["背景", "背景", "治疗", "治疗", "治疗"]
    assert len({r["sentence_id"] for r in records}) == 5


def test_export_csv(runner, loaded_home):
    result = run(runner, loaded_home, "export", "--format", "csv")
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert len(table) == 5
    assert {"sentence_id", "doc_id", "section", "lang", "text", "refs"} <= set(table[0])
    texts = [row["text"] for row in table]
    assert 'Ketamine has a "rapid" effect, seen within 2 h [5].' in texts
    assert table[1]["refs"] == "2; 3"


def test_export_one_document(runner, loaded_home, tmp_path):
    other = tmp_path / "src" / "other.txt"
    other.write_text("一、背景\n深部脑刺激对难治性抑郁症存在潜在疗效。\n", encoding="utf-8")
    assert run(runner, loaded_home, "ingest", str(other)).exit_code == 0
    result = run(runner, loaded_home, "export", "--doc", "other")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["doc_id"] for r in records] == ["other"]


def test_export_bad_format(runner, loaded_home):
    result = run(runner, loaded_home, "export", "--format", "xml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_build_on_a_folder(runner, home, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "one.txt").write_text(REVIEW, encoding="utf-8")
    (folder / "two.txt").write_text("一、背景\n深部脑刺激对难治性抑郁症存在潜在疗效。\n", encoding="utf-8")
    (folder / "README.md").write_text("notes about the corpus", encoding="utf-8")
    result = run(runner, home, "build", str(folder))
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output
    assert "KB: 2 documents, 6 sentences" in result.output
    assert "kb.db" in result.output


def test_build_with_a_bad_file_exits_non_zero(runner, home, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "one.txt").write_text(REVIEW, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    result = run(runner, home, "build", str(folder))
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    assert "KB: 1 documents" in result.output


def test_unreadable_kb_is_one_line_error(runner, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "kb.db").write_bytes(b"not a database " * 100)
    result = run(runner, str(home), "stats")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "kb.db" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help(runner, name):
    command = main.commands[name]
    assert (command.help or "").strip(), f"command {name!r} has no help text"
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0
    # click re-wraps help text: compare with whitespace normalised
    assert " ".join(command.help.split()) in " ".join(result.output.split())


def test_group_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in main.commands:
        assert name in result.output
