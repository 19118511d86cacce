"""``KnowledgeBase``: the library API that the CLI (and anyone else) drives.

It owns the KB home folder (kb.db, the search index, the site) and wires the
pipeline stages to the store.  Heavy dependencies (jieba, whoosh) are imported
only by the methods that need them, so opening a KB is cheap.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .errors import KBError
from .read import collect_files, read_manifest, safe_doc_id

DEFAULT_HOME = "kb-home"
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def resolve_home(home: str | Path | None = None) -> Path:
    """The KB home: the argument, else $KB_HOME, else ./kb-home."""
    return Path(home or os.environ.get("KB_HOME") or DEFAULT_HOME)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return self.added + self.updated


class KnowledgeBase:
    """A knowledge base living in one home folder."""

    def __init__(self, home: str | Path | None = None):
        self.home = resolve_home(home)
        self.db_path = self.home / "kb.db"
        self.index_dir = self.home / "index"
        self._store = None
        self._annotator = None

    @property
    def store(self):
        """The SQLite store (kb.store.Store), opened on first use."""
        if self._store is None:
            from .store import Store

            self._store = Store(self.db_path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- ingest --------------------------------------------------------------
    def annotator(self, fresh: bool = False):
        """The annotation stage (jieba + lexicon + concepts mined so far), built once per KnowledgeBase."""
        if self._annotator is None or fresh:
            from .annotate import Annotator

            mined = [] if fresh else self.store.concepts(source="mined")
            self._annotator = Annotator(mined=mined, extensions=[] if fresh else self._extensions())
            self.store.save_concepts(self._annotator.lexicon.concepts)
        return self._annotator

    def _extensions(self) -> list:
        """Term pairs that gave known concepts extra names, as TermPair objects."""
        from .models import TermPair

        keys = ("zh", "en", "abbr", "doc_id", "count", "concept_id", "status")
        return [TermPair(**{k: p[k] for k in keys}) for p in self.store.term_pairs(status="extends")]

    def _save(self, doc) -> None:
        """Store a processed document, with any concepts its annotation mined (here or in a worker)."""
        ann = self.annotator()
        ann.learn(doc.term_pairs)
        if ann.dirty:
            self.store.save_concepts([ann.lexicon.by_id[c] for c in sorted(ann.dirty)])
            ann.dirty.clear()
        self.store.save_document(doc)

    def retag(self) -> int:
        """Re-annotate every stored document with the current lexicon and rules; returns the count."""
        ids = [d["doc_id"] for d in self.store.documents()]
        ann = self.annotator(fresh=True)
        for doc_id in ids:
            self._save(ann(self.store.load_document(doc_id)))
        self.store.drop_orphan_mined_concepts()
        self._after_change(ids, [])
        return len(ids)

    def ingest(self, paths: list[str | Path], progress: Callable[[Path], None] | None = None,
               force: bool = False, jobs: int = 1) -> IngestReport:
        """Ingest files and folders; unchanged files are skipped, changed ones replaced.

        Each bad file adds one line to ``report.errors`` and the others go on;
        a document is stored in one transaction, so a failure loses nothing.
        ``jobs`` > 1 runs the pipeline in that many worker processes; storing
        stays in this process, in file order.
        """
        from .batch import process_all

        report = IngestReport()
        files, report.errors = collect_files(paths)
        tasks = self._plan(files, force, report, progress)
        ann = self.annotator()
        seed = (self.store.concepts(source="mined"), self._extensions())
        for task, result in process_all(tasks, ann, jobs=jobs, seed=seed):
            try:
                if isinstance(result, KBError):
                    raise result
                self._save(result)
                (report.updated if task.old_hash else report.added).append(result.doc_id)
            except KBError as exc:
                report.errors.append(str(exc))
            finally:
                if progress:
                    progress(task.path)
        if report.changed:
            self._after_change(report.changed, [])
        return report

    def _plan(self, files: list[Path], force: bool, report: IngestReport, progress) -> list:
        """The files that need processing (new or changed), each with its manifest entry and id."""
        from .batch import Task

        manifests: dict[Path, dict] = {}
        taken: dict[str, Path] = {}
        tasks = []
        for path in files:
            try:
                entry = self._manifest_entry(path, manifests)
                doc_id = _unique_id(entry, path, taken)
                old_hash = self.store.content_hash(doc_id)
                if not force and old_hash and old_hash == _file_hash(path):
                    report.unchanged.append(doc_id)
                    if progress:
                        progress(path)
                    continue
                tasks.append(Task(path, entry, doc_id, old_hash))
            except KBError as exc:
                report.errors.append(str(exc))
        return tasks

    def _manifest_entry(self, path: Path, cache: dict[Path, dict]) -> dict | None:
        folder = path.parent
        if folder not in cache:
            cache[folder] = read_manifest(folder)
        return cache[folder].get(path.name)

    def _after_change(self, changed: list[str], removed: list[str]) -> None:
        """Keep the search index in step with the store, when there is one."""
        from indexer import index_exists, update_index

        if index_exists(self.index_dir):
            update_index(self.store, self.index_dir, changed, removed)

    # -- search --------------------------------------------------------------
    def build_index(self) -> int:
        """(Re)build the search index from the database alone; returns the sentences indexed."""
        from indexer import build_index

        return build_index(self.store, self.index_dir)

    def has_index(self) -> bool:
        from indexer import index_exists

        return index_exists(self.index_dir)

    def search(self, query: str, limit: int = 10, type_: str | None = None, doc: str | None = None,
               concept: str | None = None, section: str | None = None):
        """Ranked sentences for a bilingual keyword query (``indexer.SearchResult`` of ``SearchHit``s).
        A query copied out of a PDF viewer may hold a font's radical stand-ins (⻢ for 马): put back first."""
        from indexer import search

        from .clean import fix_characters

        query, concept = fix_characters(query), concept and fix_characters(concept)
        return search(self.index_dir, query, limit=limit, type=type_, doc=doc, concept=concept, section=section)

    def remove(self, doc_id: str) -> None:
        self.store.remove_document(doc_id)
        self.store.drop_orphan_mined_concepts()
        self._after_change([], [doc_id])

    # -- reading -------------------------------------------------------------
    def documents(self) -> list[dict]:
        """All documents with their metadata and section outline (reading order)."""
        out = []
        for row in self.store.documents():
            row["sections"] = [{"level": s["level"], "number": s["number"], "title": s["title"]}
                               for s in self.store.sections(row["doc_id"])]
            out.append(row)
        return out

    def document(self, doc_id: str) -> dict:
        row = self.store.document(doc_id)
        row["sections"] = self.store.sections(doc_id)
        row["sentences"] = list(self.sentences(doc_id=doc_id))
        return row

    def sentences(self, doc_id: str | None = None) -> Iterator[dict]:
        """Sentence records in reading order, with section title, types, concepts and quantities."""
        from .export import sentence_records

        yield from sentence_records(self.store, doc_id)

    # -- site ----------------------------------------------------------------
    @property
    def site_dir(self) -> Path:
        return self.home / "site"

    def export_site(self, out_dir: str | Path | None = None):
        """Export the static reference site (default: <home>/site); returns a kb.publish.export.SiteReport."""
        from .publish import export_site

        return export_site(self.store, out_dir or self.site_dir)

    def facts(self, type_: str | None = None, concept: str | None = None, doc: str | None = None) -> list[dict]:
        """Sentences stating facts, filtered by type, concept (any name, any language) and document."""
        from .clean import fix_characters
        from .queries import find_facts

        return find_facts(self.store, type_, concept and fix_characters(concept), doc)

    def concepts(self, category: str | None = None) -> list[dict]:
        from .queries import list_concepts

        return list_concepts(self.store, category)

    def concept(self, name: str) -> dict:
        """One concept by any of its names (radical stand-ins put back): facts by type and document,
        co-occurring concepts."""
        from .clean import fix_characters
        from .queries import concept_report

        return concept_report(self.store, fix_characters(name))

    def glossary(self) -> list[dict]:
        from .queries import glossary

        return glossary(self.store)

    def stats(self) -> dict:
        s = self.store
        return {"documents": s.count("documents"), "sections": s.count("sections"), "sentences": s.count("sentences"),
                "concepts": s.count("concepts"), "mentions": s.count("mentions"), "facts": s.count("facts"),
                "quantities": s.count("quantities"), "term_pairs": s.count("term_pairs"),
                "facts_by_type": {r["type"]: r["n"] for r in s.query("select type, count(*) n from facts group by type")},
                "db_path": str(self.db_path), "db_bytes": self.db_path.stat().st_size if self.db_path.exists() else 0}


def _unique_id(entry: dict | None, path: Path, taken: dict[str, Path]) -> str:
    """The document id for a file: the manifest's, else its name; prefixed by its folder on a clash in one run."""
    doc_id = safe_doc_id(entry["doc_id"]) if entry and entry.get("doc_id") else safe_doc_id(path.name)
    if doc_id in taken and taken[doc_id] != path:
        doc_id = safe_doc_id(f"{path.parent.name}-{path.name}")
        n = 2
        while doc_id in taken:
            doc_id, n = f"{safe_doc_id(path.parent.name + '-' + path.name)}-{n}", n + 1
    taken[doc_id] = path
    return doc_id


def _file_hash(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
