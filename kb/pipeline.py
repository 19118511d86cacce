"""The ingest pipeline: one function per stage, each Document -> Document.

    read_document -> clean_text -> structure_document -> split_sentences
      -> annotate (segment, mentions, facts, quantities; see kb.annotate)

``process_file`` runs them for one file; the store is written by the caller.
"""
from __future__ import annotations

from pathlib import Path

from .clean import clean_text
from .errors import CleanError
from .models import Document
from .read import read_document, safe_doc_id
from .sentences import split_sentences
from .structure import structure_document

MANIFEST_FIELDS = ("title", "authors", "journal", "year", "volume", "issue")


def apply_manifest(doc: Document, entry: dict | None) -> Document:
    """Merge what a curator knows (manifest entry) into the document, recording provenance."""
    if not entry:
        return doc
    for key in MANIFEST_FIELDS:
        if entry.get(key):
            setattr(doc, key, entry[key])
            doc.provenance[key] = "manifest"
            if key == "title":
                doc.title_derived = False
    doc.extra.update({k: v for k, v in entry.items() if k not in MANIFEST_FIELDS and k not in ("file", "doc_id")})
    return doc


def structure_text(doc: Document) -> Document:
    """Clean, structure and split a Document that holds raw text."""
    doc = split_sentences(structure_document(clean_text(doc)))
    if not doc.sentences:
        raise CleanError(f"{doc.path or doc.source}: no running text found after cleaning")
    return doc


def process_file(path: Path, entry: dict | None = None, annotator=None, doc_id: str | None = None) -> Document:
    """Read one file and run every stage; ``annotator`` adds tokens, mentions, facts."""
    doc_id = doc_id or (safe_doc_id(entry["doc_id"]) if entry and entry.get("doc_id") else None)
    doc = structure_text(read_document(path, doc_id=doc_id))
    doc = apply_manifest(doc, entry)
    return annotator(doc) if annotator else doc
