"""Bilingual sentence search over the KB, behind a small interface so the engine can change.

    build_index(store, index_dir)            rebuild from the SQLite KB alone
    update_index(store, index_dir, changed, removed)
    search(index_dir, query, **filters)      -> SearchResult with SearchHit objects

whoosh (whoosh-reloaded) is used only inside this package; kb/ never imports it.
"""
from __future__ import annotations

from .build import build_index, index_exists, update_index
from .search import SearchResult, search

__all__ = ["build_index", "update_index", "index_exists", "search", "SearchResult"]
