"""The static reference site: gather page contexts from the KB, then render and write them.

    gather_site(store) -> Site            kb/publish/gather.py  (plain data, no I/O but reading the store;
                                          Site.pages() streams the pages, one document at a time)
    corpus-wide tallies                   kb/publish/tally.py   (fact pages, concepts, definitions, evidence)
    chart geometry                        kb/publish/charts.py
    export_site(store, out_dir)           kb/publish/export.py  (jinja2 lives here only; writes each page as it
                                          comes into a temporary folder, swaps it in at the end)
"""
from .export import export_site

__all__ = ["export_site"]
