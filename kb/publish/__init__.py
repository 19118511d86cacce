"""The static reference site: gather page contexts from the KB, then render and write them.

    gather_site(store) -> SiteData        kb/publish/gather.py  (plain data, no I/O but reading the store)
    chart geometry                        kb/publish/charts.py
    export_site(store, out_dir)           kb/publish/export.py  (jinja2 lives here only; writes last, swaps in)
"""
from .export import export_site

__all__ = ["export_site"]
