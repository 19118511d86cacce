"""Bilingual sentence search over the KB, behind a small interface so the engine can change.

    build_index(store, index_dir)            rebuild from the SQLite KB alone
    update_index(store, index_dir, changed, removed)
    search(index_dir, query, **filters)      -> SearchResult with SearchHit objects

whoosh (whoosh-reloaded) is used only inside this package; kb/ never imports it.
Each entry point imports its module on first call, so a search never loads the
index-building code (and with it SQLite) and `kb --version` loads none of this.
"""
from __future__ import annotations

from .paths import index_exists


def build_index(store, index_dir):
    from .build import build_index as _build

    return _build(store, index_dir)


def update_index(store, index_dir, changed, removed):
    from .build import update_index as _update

    return _update(store, index_dir, changed, removed)


def search(index_dir, query, limit=10, **filters):
    from .searcher import search as _search

    return _search(index_dir, query, limit=limit, **filters)


__all__ = ["build_index", "update_index", "index_exists", "search"]
