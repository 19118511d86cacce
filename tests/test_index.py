"""Index lifecycle on tiny hand-made corpora: build, rebuild from the database alone, kept in step by
ingest / re-ingest / remove, and the same results as a full rebuild."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from kb import KnowledgeBase
from kb.errors import KBError

ALPHA = """\
一、背景
氯胺酮可以迅速减轻难治性抑郁症患者的症状［1］。
海马在记忆形成中起关键作用。
难治性抑郁症患者的海马体积明显缩小［2］。
二、治疗
氯胺酮的抗抑郁作用与谷氨酸系统有关。
"""

BETA = """\
一、背景
深部脑刺激（deep brain stimulation，DBS）是一种神经调控技术。
DBS作用于缰核可以改善抑郁症患者的症状［1］。
二、讨论
缰核与海马之间存在功能连接。
氯胺酮和DBS都可用于难治性抑郁症。
"""

GAMMA = """\
一、概述
穹窿是连接海马与下丘脑的纤维束。
穹窿深部脑刺激可以改善记忆功能［1］。
二、展望
氯胺酮鼻内给药的耐受性良好。
"""

QUERIES = ["氯胺酮", "ketamine", "海马", "hippocampus", "DBS", "深部脑刺激", "缰核", "穹窿", "抑郁症 患者",
           '"抑郁症患者"', "type:treatment", "type:mechanism 海马", "氯胺酮 穹窿", "记忆"]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(kb: KnowledgeBase, queries=QUERIES) -> dict:
    """What a user sees for each query: ids in order with scores to 3 places (or the error)."""
    out = {}
    for q in queries:
        try:
            res = kb.search(q, limit=100)
        except KBError as exc:
            out[q] = ("error", str(exc))
        else:
            out[q] = (res.total, [(h.sentence_id, round(h.score, 3)) for h in res.hits])
    return out


def order_only(snap: dict) -> dict:
    return {q: v if v[0] == "error" else (v[0], [sid for sid, _ in v[1]]) for q, v in snap.items()}


def assert_close(a: dict, b: dict, rel: float) -> None:
    """Same ids in the same order, scores within a relative tolerance."""
    assert order_only(a) == order_only(b)
    for q in a:
        if a[q][0] != "error":
            for (sid, x), (_, y) in zip(a[q][1], b[q][1]):
                assert y == pytest.approx(x, rel=rel), (q, sid, x, y)


def cli(home: Path, *args):
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    return result


@pytest.fixture
def kb(tmp_path):
    k = KnowledgeBase(tmp_path / "home")
    yield k
    k.close()


@pytest.fixture
def sources(tmp_path):
    src = tmp_path / "src"
    return {"alpha": write(src / "a", "alpha.txt", ALPHA), "beta": write(src / "b", "beta.txt", BETA),
            "gamma": write(src / "c", "gamma.txt", GAMMA)}


def doc_ids(res) -> set[str]:
    return {h.doc_id for h in res.hits}


# --------------------------------------------------------------------------- build / rebuild
def test_tiny_corpus_ingests(kb, sources):
    report = kb.ingest([sources["alpha"], sources["beta"], sources["gamma"]])
    assert report.errors == [] and sorted(report.added) == ["alpha", "beta", "gamma"]
    assert kb.build_index() == len(list(kb.sentences())) > 10


def test_build_index_returns_sentences_and_finds_them(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    assert not kb.has_index()
    n = kb.build_index()
    assert kb.has_index() and n == len(list(kb.sentences()))
    assert doc_ids(kb.search("缰核")) == {"beta"}
    assert doc_ids(kb.search("氯胺酮")) == {"alpha", "beta"}


def test_cli_index_rebuild_reproduces_the_index_from_the_database_alone(tmp_path, sources):
    home = tmp_path / "home"
    assert cli(home, "ingest", str(sources["alpha"]), str(sources["beta"])).exit_code == 0
    assert "indexed" in cli(home, "index").output
    kb = KnowledgeBase(home)
    try:
        before = snapshot(kb)
        assert before["缰核"][0] > 0
        shutil.rmtree(tmp_path / "src")  # the source files are gone: only kb.db is left
        shutil.rmtree(home / "index")
        assert not kb.has_index()
        with pytest.raises(KBError):
            kb.search("缰核")
        rebuilt = cli(home, "index", "--rebuild")
        assert rebuilt.exit_code == 0 and "indexed" in rebuilt.output
        assert snapshot(kb) == before
        assert cli(home, "index", "--rebuild").exit_code == 0  # rebuilding over an existing index
        assert snapshot(kb) == before
    finally:
        kb.close()


def test_cli_index_without_flag_builds_a_missing_index(tmp_path, sources):
    home = tmp_path / "home"
    cli(home, "ingest", str(sources["alpha"]))
    first = cli(home, "index")
    assert first.exit_code == 0 and "indexed" in first.output
    shutil.rmtree(home / "index")
    again = cli(home, "index")
    assert again.exit_code == 0 and "indexed" in again.output and "present" not in again.output


def test_rebuild_twice_gives_identical_results(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"], sources["gamma"]])
    kb.build_index()
    first = snapshot(kb)
    kb.build_index()
    assert snapshot(kb) == first


def test_rebuild_leaves_no_temporary_folders(kb, sources):
    kb.ingest([sources["alpha"]])
    kb.build_index()
    kb.build_index()
    assert sorted(p.name for p in kb.home.iterdir() if p.name.startswith("index")) == ["index"]


# --------------------------------------------------------------------------- kept in step
def test_ingest_after_index_is_searchable_without_rebuild(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.build_index()
    assert not any("穹窿" in h.text for h in kb.search("穹窿", limit=100).hits)
    kb.ingest([sources["gamma"]])
    res = kb.search("穹窿", limit=100)
    assert [h.sentence_id for h in res.hits if "穹窿" in h.text] == ["gamma.s1", "gamma.s2"] or \
        sorted(h.sentence_id for h in res.hits[:2]) == ["gamma.s1", "gamma.s2"]
    assert {h.sentence_id for h in res.hits[:2]} == {"gamma.s1", "gamma.s2"}
    assert "gamma" in doc_ids(kb.search("ketamine", limit=100))  # cross-language reaches the new document too
    assert "gamma" in doc_ids(kb.search("hippocampus", limit=100))


def test_new_word_of_a_new_document_is_recognised_in_queries(kb, sources):
    kb.ingest([sources["alpha"]])
    kb.build_index()
    kb.ingest([sources["gamma"]])
    res = kb.search("下丘脑")  # a word only gamma has: the query vocabulary must learn it
    assert [h.doc_id for h in res.hits] == ["gamma"] and "下丘脑" in res.hits[0].text


def test_ingest_without_an_index_does_not_create_one(kb, sources):
    kb.ingest([sources["alpha"]])
    assert not kb.has_index()
    with pytest.raises(KBError):
        kb.search("氯胺酮")


def test_remove_makes_its_sentences_disappear(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.build_index()
    assert kb.search("缰核").total > 0
    kb.remove("beta")
    assert not any("缰核" in h.text for h in kb.search("缰核", limit=100).hits)
    assert "beta" not in doc_ids(kb.search("缰核", limit=100))
    for q in ["氯胺酮", "海马", "DBS", "type:treatment"]:
        try:
            res = kb.search(q, limit=100)
        except KBError:
            continue
        assert "beta" not in doc_ids(res), q


def test_reingest_of_a_changed_file_replaces_its_sentences(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.build_index()
    assert kb.search("记忆").total == 1
    sources["alpha"].write_text(ALPHA.replace("海马在记忆形成中起关键作用。", "海马在情绪调节中起关键作用。"),
                                encoding="utf-8")
    assert kb.ingest([sources["alpha"]]).updated == ["alpha"]
    assert kb.search("记忆").total == 0
    res = kb.search("情绪", limit=100)
    assert [h.doc_id for h in res.hits] == ["alpha"]
    hits = kb.search("海马", limit=100).hits
    assert len({h.sentence_id for h in hits}) == len(hits)  # no stale duplicates
    assert {h.sentence_id for h in hits} <= {s["sentence_id"] for s in kb.sentences()}


def _ingest_then_remove(kb, sources) -> dict:
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.build_index()
    kb.ingest([sources["gamma"]])
    kb.remove("beta")
    snap = snapshot(kb)
    assert "gamma.s1" in [sid for sid, _ in snap["穹窿"][1]]
    assert not any(sid.startswith("beta.") for v in snap.values() if v[0] != "error" for sid, _ in v[1])
    return snap


def _reingest(kb, sources) -> dict:
    kb.ingest([sources["alpha"], sources["beta"], sources["gamma"]])
    kb.build_index()
    sources["beta"].write_text(BETA.replace("缰核与海马之间存在功能连接。", "缰核与穹窿之间存在纤维联系。"), encoding="utf-8")
    assert kb.ingest([sources["beta"]]).updated == ["beta"]
    return snapshot(kb)


def test_incremental_ingest_and_remove_equal_a_full_rebuild(kb, sources):
    incremental = _ingest_then_remove(kb, sources)
    kb.build_index()
    assert snapshot(kb) == incremental


def test_incremental_reingest_equals_a_full_rebuild(kb, sources):
    incremental = _reingest(kb, sources)
    kb.build_index()
    assert snapshot(kb) == incremental


def test_incremental_ingest_equals_a_full_rebuild(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.build_index()
    kb.ingest([sources["gamma"]])
    incremental = snapshot(kb)
    kb.build_index()
    assert snapshot(kb) == incremental


def test_incremental_ingest_and_remove_rank_like_a_full_rebuild(kb, sources):
    """Same ids in the same order, scores within 1% (a weaker check than the exact-equality test above)."""
    incremental = _ingest_then_remove(kb, sources)
    kb.build_index()
    assert_close(incremental, snapshot(kb), rel=0.01)


def test_incremental_reingest_ranks_like_a_full_rebuild(kb, sources):
    """Same ids in the same order, scores within 1% (a weaker check than the exact-equality test above)."""
    incremental = _reingest(kb, sources)
    kb.build_index()
    assert_close(incremental, snapshot(kb), rel=0.01)


def test_incremental_equals_rebuild_in_a_fresh_home(tmp_path, sources):
    """Ingest alpha+beta, index, ingest gamma, remove beta  ==  ingest alpha+gamma, index."""
    a = KnowledgeBase(tmp_path / "inc")
    b = KnowledgeBase(tmp_path / "fresh")
    try:
        a_snap = _ingest_then_remove(a, sources)
        b.ingest([sources["alpha"], sources["gamma"]])
        b.build_index()
        assert a_snap == snapshot(b)
    finally:
        a.close()
        b.close()


def test_incremental_equals_rebuild_when_a_new_document_extends_a_concept(kb, tmp_path):
    """A new document's term pair (海马结构（hippocampus，HPC）) adds HPC to hippocampus: the older document's
    hippocampus sentences must be re-indexed with the new name, as a rebuild would (this was a bug:
    'HPC' scored alpha.s1 3.2 incrementally vs 4.4 after a rebuild)."""
    write(tmp_path / "s1", "alpha.txt", ALPHA)
    write(tmp_path / "s2", "delta.txt",
          "一、背景\n海马结构（hippocampus，HPC）是边缘系统的重要结构。\nHPC萎缩与抑郁症复发有关。\n")
    kb.ingest([tmp_path / "s1"])
    kb.build_index()
    kb.ingest([tmp_path / "s2"])
    assert "HPC" in kb.concept("hippocampus")["concept"]["abbr"]  # delta extended the concept
    queries = ["HPC", "海马", "hippocampus", "抑郁症"]
    incremental = snapshot(kb, queries)
    assert "alpha" in {sid.split(".")[0] for sid, _ in incremental["HPC"][1]}
    kb.build_index()
    assert snapshot(kb, queries) == incremental  # stale names moved alpha's 'HPC' scores by ~30%


# --------------------------------------------------------------------------- no index
def test_search_without_index_raises_kberror_saying_how_to_build_it(kb, sources):
    kb.ingest([sources["alpha"]])
    with pytest.raises(KBError) as exc:
        kb.search("氯胺酮")
    assert type(exc.value) is not KBError  # a specific subclass
    assert "kb index" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_search_in_empty_home_raises_kberror(tmp_path):
    kb = KnowledgeBase(tmp_path / "nothing")
    try:
        assert not kb.has_index()
        with pytest.raises(KBError, match="kb index"):
            kb.search("海马")
    finally:
        kb.close()


def test_search_after_index_folder_deleted(kb, sources):
    kb.ingest([sources["alpha"]])
    kb.build_index()
    assert kb.search("氯胺酮").total > 0
    shutil.rmtree(kb.index_dir)
    assert not kb.has_index()
    with pytest.raises(KBError, match="kb index"):
        kb.search("氯胺酮")
    kb.build_index()
    assert kb.search("氯胺酮").total > 0


def test_remove_and_ingest_without_index_then_build(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.remove("beta")
    kb.build_index()
    assert kb.search("缰核").total == 0
    assert doc_ids(kb.search("氯胺酮")) == {"alpha"}


# --------------------------------------------------------------------------- other changes that touch the index
def test_retag_keeps_the_index_in_step(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.build_index()
    before = snapshot(kb)
    assert kb.retag() == 2
    after = snapshot(kb)
    assert after == before  # nothing changed in the texts or the rules
    kb.build_index()
    assert snapshot(kb) == after


def test_removing_every_document_leaves_an_empty_working_index(kb, sources):
    kb.ingest([sources["alpha"], sources["beta"]])
    kb.build_index()
    kb.remove("alpha")
    kb.remove("beta")
    assert kb.has_index()
    for q in ["氯胺酮", "type:definition", "hippocampus", "氯胺酮 穹窿"]:
        res = kb.search(q)
        assert res.total == 0 and res.hits == []
    kb.ingest([sources["gamma"]])
    assert doc_ids(kb.search("穹窿")) == {"gamma"}


def test_the_index_records_what_each_document_is_about(built_kb, tmp_path):
    """topics.tsv: one line per document, its most mentioned concepts first; searches read it back."""
    from indexer import searcher
    from indexer.build import build_index

    build_index(built_kb.store, tmp_path / "index")
    lines = (tmp_path / "index" / "topics.tsv").read_text(encoding="utf-8").splitlines()
    topics = dict(line.split("\t") for line in lines)
    assert set(topics) == {d["doc_id"] for d in built_kb.store.documents()}
    assert topics["ketamine-trd-review"].split(",")[:3].count("ketamine") == 1
    _, vocab = searcher._open(tmp_path / "index")
    assert "ketamine" in vocab.topics["ketamine-trd-review"].split(",")
    searcher._OPEN.pop(str(tmp_path / "index"), None)


def test_an_index_written_with_older_fields_is_rebuilt_on_update(kb, sources, monkeypatch):
    """An index from an earlier kb (no `tier` field) cannot take new documents: ingest rebuilds it."""
    import indexer.build as build

    old = build.make_schema

    def without_tier():
        schema = old()
        schema.remove("tier")
        return schema

    old_documents = build._documents

    def documents_without_tier(*args):
        for doc in old_documents(*args):
            doc.pop("tier")
            yield doc

    monkeypatch.setattr(build, "make_schema", without_tier)
    monkeypatch.setattr(build, "_documents", documents_without_tier)
    kb.ingest([sources["alpha"]])
    kb.build_index()
    monkeypatch.setattr(build, "make_schema", old)
    monkeypatch.setattr(build, "_documents", old_documents)
    kb.ingest([sources["beta"]])
    from whoosh import index as windex

    assert "tier" in windex.open_dir(str(kb.index_dir)).schema.names()
    assert doc_ids(kb.search("缰核")) == {"beta"}
