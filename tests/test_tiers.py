"""Champion tiers (indexer.tiers): what they hold, and that a tiered search ranks like a full one.

The bundled corpus is too small for the default thresholds to tier anything, so these tests build
an index with small ones (a term in 20+ sentences is tiered, 30 champions each)."""
from __future__ import annotations

import shutil

import pytest

from indexer import searcher, tiers
from indexer.analysis import SEP, bilingual_analyzer
from indexer.build import concept_ancestors

QUERIES = ["海马", "hippocampus", "氯胺酮", "ketamine", "DBS", "难治性精神分裂症", "treatment-resistant depression",
           "抑郁症", "BDNF 氯胺酮", "ketamine 抑郁症", "缓解率", '"抑郁症患者"', "type:mechanism 海马", "电休克治疗",
           "前额叶皮质", "谷氨酸", "分期模型", "治疗"]


@pytest.fixture(scope="module")
def tiered(built_kb, tmp_path_factory):
    """The session KB's index rebuilt with small tiers, in its own folder."""
    mp = pytest.MonkeyPatch()
    mp.setattr(tiers, "MIN_DF", 20)
    mp.setattr(tiers, "SIZE", 30)
    home = tmp_path_factory.mktemp("tiered")
    index_dir = home / "index"
    from indexer.build import build_index

    build_index(built_kb.store, index_dir)
    mp.undo()
    yield built_kb.store, index_dir
    searcher._OPEN.pop(str(index_dir), None)
    shutil.rmtree(home, ignore_errors=True)


def _full(index_dir, query):
    """The same search with the tiers switched off (every posting scored)."""
    _, vocab = searcher._open(index_dir)
    saved, vocab.tiers = vocab.tiers, set()
    try:
        return searcher.search(index_dir, query)
    finally:
        vocab.tiers = saved


def test_text_terms_are_the_terms_the_index_analyser_writes():
    tokens = "难治性抑郁症 患者 的 Hippocampal volumes ， 海马体 BDNF"
    analysed = [t.text for t in bilingual_analyzer()(SEP.join(tokens.split(" ")) + SEP, mode="index")]
    assert tiers.text_terms(tokens) == analysed


def test_only_frequent_terms_are_tiered_and_each_keeps_its_best_sentences(built_kb):
    store = built_kb.store
    docs = [r["doc_id"] for r in store.query("select doc_id from documents order by doc_id")]
    plan = tiers.plan_tiers(store, concept_ancestors(store), docs, min_df=20, size=10)
    assert "c:ketamine" in plan.floors and "t:抑郁症" in plan.floors
    assert "c:hippocampus" not in plan.floors  # named in fewer than 20 sentences
    per_key: dict[str, list[str]] = {}
    for sid, keys in plan.keys.items():
        for k in keys:
            per_key.setdefault(k, []).append(sid)
    assert set(per_key) == set(plan.floors)
    assert all(len(v) == 10 for v in per_key.values())
    champions = set(per_key["c:ketamine"])
    naming = {r["sentence_id"] for r in store.query("select sentence_id from mentions where concept_id='ketamine'")}
    assert champions <= naming  # the best sentences for a concept name it
    best = max(store.query("""select sentence_id, count(*) n from mentions where concept_id='ketamine'
                              group by sentence_id order by n desc, sentence_id limit 1"""), key=lambda r: r["n"])
    assert best["n"] > 1 and best["sentence_id"] in champions  # most mentions: a champion


def test_a_new_sentence_joins_a_key_only_when_it_beats_the_weakest_champion(built_kb):
    store = built_kb.store
    docs = [r["doc_id"] for r in store.query("select doc_id from documents order by doc_id")]
    up = concept_ancestors(store)
    plan = tiers.plan_tiers(store, up, docs, min_df=20, size=10)
    again = tiers.extend_plan(store, up, docs[:1], plan.floors, plan.averages)
    for sid, keys in again.keys.items():  # a document re-added keeps the keys it had
        assert set(plan.keys.get(sid, [])) <= set(keys)
    raised = {k: 99.0 for k in plan.floors}
    assert not tiers.extend_plan(store, up, docs[:1], raised, plan.averages).keys


def test_the_index_records_its_tiers_and_frequent_queries_use_them(tiered):
    _, index_dir = tiered
    _, vocab = searcher._open(index_dir)
    assert "c:ketamine" in vocab.tiers
    parsed = searcher.parse_query("ketamine", vocab)
    assert searcher._tier_query(parsed.units, vocab) is not None
    rare = searcher.parse_query("pulse generator", vocab)
    assert searcher._tier_query(rare.units, vocab) is None  # nothing frequent: the full search is cheap


def _answered_from_tiers(index_dir, query) -> bool:
    s, vocab = searcher._open(index_dir)
    parsed = searcher.parse_query(query, vocab)
    tier = searcher._tier_query(parsed.units, vocab)
    if tier is None:
        return False
    q = searcher.And([searcher._unit_query(u, vocab) for u in parsed.units] + searcher._filter_queries(parsed, vocab))
    return s.search(searcher.Require(q, tier), limit=searcher.POOL, optimize=False).scored_length() >= searcher.POOL


def test_frequent_queries_are_answered_from_the_tiers(tiered):
    _, index_dir = tiered
    answered = {q for q in QUERIES if _answered_from_tiers(index_dir, q)}
    assert {"ketamine", "氯胺酮", "抑郁症", "治疗"} <= answered
    assert not answered & {"海马", "hippocampus"}  # in fewer than 20 sentences: scored in full


@pytest.mark.parametrize("query", QUERIES)
def test_tiered_search_ranks_like_scoring_every_posting(tiered, query):
    _, index_dir = tiered
    got, full = searcher.search(index_dir, query), _full(index_dir, query)
    assert [h.score for h in got.hits] == [h.score for h in full.hits]
    assert [h.sentence_id for h in got.hits] == [h.sentence_id for h in full.hits]
    assert got.total >= len(got.hits)


def test_a_tiered_index_is_laid_out_shortest_first(tiered):
    """Champions are mostly short sentences: written first, they share each posting list's first blocks."""
    _, index_dir = tiered
    s, _ = searcher._open(index_dir)
    reader = s.reader()
    lengths = [reader.doc_field_length(d, "text", 0) for d in reader.all_doc_ids()]
    assert lengths == sorted(lengths) and lengths[0] < lengths[-1]


def test_an_untiered_index_keeps_reading_order(built_kb, tmp_path):
    """Below the thresholds nothing is tiered and sentences stay in document and reading order."""
    from indexer.build import build_index

    build_index(built_kb.store, tmp_path / "index")
    s, vocab = searcher._open(tmp_path / "index")
    assert not vocab.tiers
    stored = [s.stored_fields(d) for d in s.reader().all_doc_ids()]
    keys = [(f["doc_id"], f["ord"]) for f in stored]
    assert keys == sorted(keys)
    searcher._OPEN.pop(str(tmp_path / "index"), None)


def test_when_the_tiers_hold_too_few_matches_the_first_matches_are_ranked(tiered):
    """BDNF and ketamine are both tiered, but their champions barely overlap: the query is then ranked
    over the first matches of the (shortest-first) index, not over every match."""
    _, index_dir = tiered
    assert not _answered_from_tiers(index_dir, "BDNF 氯胺酮")
    s, vocab = searcher._open(index_dir)
    q = searcher._unit_query(searcher.parse_query("抑郁症", vocab).units[0], vocab)
    collector = searcher._FirstMatches(limit=2, cap=5)
    s.search_with_collector(q, collector)
    assert collector.total == 5 and collector.results().scored_length() == 2
    assert len(s.search(q, limit=None)) > 5


def test_an_incrementally_updated_tiered_index_ranks_like_a_rebuild(tmp_path, corpus_dir, monkeypatch):
    """A review ingested into a tiered index joins the champion lists it beats; frequent queries then
    rank as they do after `kb index --rebuild` (the updated lists are a superset of the rebuilt ones)."""
    import shutil as sh

    from kb import KnowledgeBase

    monkeypatch.setattr(tiers, "MIN_DF", 20)
    monkeypatch.setattr(tiers, "SIZE", 30)
    first, last = tmp_path / "first", tmp_path / "last"
    first.mkdir(), last.mkdir()
    texts = sorted(corpus_dir.glob("*.txt"))
    for p in texts[:-1]:
        sh.copy(p, first)
    sh.copy(texts[-1], last)
    kb = KnowledgeBase(tmp_path / "home")
    kb.ingest([first])
    kb.build_index()
    kb.ingest([last])  # updates the index in place
    queries = ["ketamine", "氯胺酮", "抑郁症", "治疗", "难治性精神分裂症", "DBS"]
    updated = {q: [(h.sentence_id, h.score) for h in kb.search(q).hits] for q in queries}
    kb.build_index()
    rebuilt = {q: [(h.sentence_id, h.score) for h in kb.search(q).hits] for q in queries}
    kb.close()
    assert {q: [s for _, s in v] for q, v in updated.items()} == {q: [s for _, s in v] for q, v in rebuilt.items()}
    assert any(sid.startswith(texts[-1].stem) for v in updated.values() for sid, _ in v)
