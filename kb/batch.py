"""Run the pipeline over many files: in this process, or in N worker processes.

In: tasks (path, manifest entry, document id).  Out: (task, Document or
KBError) pairs in the order of the tasks, so the caller can store them one by
one — documents stream through, nothing accumulates.  Each worker builds its
own Annotator (jieba, lexicon) once; lines and raw text are dropped before a
Document crosses back to the parent.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import KBError
from .models import Concept, Document, TermPair
from .pipeline import process_file

_WORKER_ANNOTATOR = None


@dataclass
class Task:
    path: Path
    entry: dict | None
    doc_id: str
    old_hash: str | None


def _slim(doc: Document) -> Document:
    doc.lines, doc.raw_text = [], ""
    return doc


def _init_worker(mined: list[Concept], extensions: list[TermPair]) -> None:
    global _WORKER_ANNOTATOR
    from .annotate import Annotator

    _WORKER_ANNOTATOR = Annotator(mined=mined, extensions=extensions)


def _work(task: Task) -> Document | KBError:
    try:
        return _slim(process_file(task.path, task.entry, _WORKER_ANNOTATOR, doc_id=task.doc_id))
    except KBError as exc:
        return exc


def process_all(tasks: list[Task], annotator, jobs: int = 1,
                seed: tuple[list[Concept], list[TermPair]] = ([], [])) -> Iterator[tuple[Task, Document | KBError]]:
    """Process every task, yielding results in task order (parallel when jobs > 1)."""
    if jobs <= 1 or len(tasks) < 2:
        for task in tasks:
            try:
                yield task, _slim(process_file(task.path, task.entry, annotator, doc_id=task.doc_id))
            except KBError as exc:
                yield task, exc
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker, initargs=seed) as pool:
        yield from zip(tasks, pool.map(_work, tasks, chunksize=4))
