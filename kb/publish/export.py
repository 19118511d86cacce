"""export_site: render every page and the browser search index, write them, swap them in.

In: the store.  Out: a folder of static HTML/CSS/JS that works from file://
and over http, loads nothing from the network, and escapes all text (jinja2
autoescape).  This is the only module that imports jinja2.  Pages stream
from gather_site and are rendered and written one by one, so nothing holds
the whole site in memory.  The export is written into a temporary sibling
folder and renamed into place at the end (a failure leaves the old site as
it was); a non-empty folder that kb did not create is never overwritten.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from .gather import Page, gather_site
from .tally import TYPE_LABELS, TYPES

TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates"
MARKER = ".kb-site"
_DICT_ATTRS = frozenset(dir(dict))
_HAN = re.compile("[\u4e00-\u9fff]")  # the characters the Traditional -> Simplified map covers


@dataclass
class SiteReport:
    out_dir: Path
    pages: int
    files: int
    bytes: int
    search_bytes: int


def _env():
    """The jinja2 environment: autoescape, strict undefined, templates loaded once (they do not change mid-export)."""
    import jinja2

    class Env(jinja2.Environment):
        def getattr(self, obj, attribute):
            """``x.key`` on a plain dict: the item at once, where jinja2 would first fail getattr (same result)."""
            if type(obj) is dict and attribute not in _DICT_ATTRS:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    return Env(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, auto_reload=False,
               undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


class _Folder:
    """The temporary folder the export is written into, counting files and bytes."""

    def __init__(self, path: Path):
        self.path, self.files, self.bytes = path, 0, 0
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)

    def write(self, rel: str, content: str | bytes) -> int:
        """In: a relative path and its text or bytes.  Out: bytes written."""
        path = self.path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)
        return len(data)

    def write_all(self, files: Iterable[tuple[str, str | bytes]]) -> int:
        """In: (relative path, content) pairs.  Out: bytes written."""
        return sum(self.write(rel, content) for rel, content in files)


def _render_pages(pages: Iterable[Page], n_docs: int, folder: _Folder) -> int:
    """Render each page from its own context and write it at once; returns how many pages."""
    env = _env()
    common = {"site": {"n_docs": n_docs, "types": [{"type": t, "label": TYPE_LABELS[t]} for t in TYPES]},
              "page_lang": "zh-CN"}
    n = 0
    for page in pages:
        folder.write(page.path, env.get_template(page.template).render(**common, **page.context,
                                                                       root="../" * page.path.count("/")))
        n += 1
    return n


class _SearchSink:
    """Feeds each sentence record to the browser index and collects the Chinese characters for t2s."""

    def __init__(self, store, doc_ids: list[str], folder: _Folder):
        from indexer.browser import BrowserIndex
        from indexer.build import concept_ancestors

        self.index = BrowserIndex({d: f"doc/{d}.html" for d in doc_ids}, concept_ancestors(store))
        self.folder, self.chars, self.bytes = folder, set(), 0

    def __call__(self, rec: dict, doc_title: str) -> None:
        self.chars.update(_HAN.findall(rec["text"]))
        self.bytes += self.folder.write_all(self.index.add(rec, doc_title))

    def finish(self, concepts: dict[str, list[str]]) -> int:
        """In: concept id -> names.  Out: bytes of the whole search index, written."""
        from ..data_files import load_json

        chars = {**_traditional_map(self.chars), **_stand_in_map(self.chars)}
        files = self.index.finish(concepts, load_json("query_terms.json")["en_zh"], chars)
        self.bytes += self.folder.write_all(files)
        return self.bytes


def _traditional_map(chars: set[str]) -> dict[str, str]:
    """Traditional -> Simplified for every character the corpus uses (OpenCC), so 海馬 finds 海马 in the browser."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    return {t: ch for ch in sorted(chars) for t in [s2t.convert(ch)] if t != ch and len(t) == 1}


def _stand_in_map(chars: set[str]) -> dict[str, str]:
    """Radical stand-ins a PDF font gives (⻢ for 马; kb/data/characters.json) for the characters the corpus
    uses, so a query copied out of a PDF finds them in the browser too (the script applies NFKC, which
    covers the Kangxi radicals, then this map)."""
    from ..data_files import load_json

    return {rad: ch for rad, ch in load_json("characters.json")["radicals"].items() if ch in chars}


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise SiteError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise SiteError(f"{out_dir}: folder is not empty and was not made by kb; choose an empty or new folder")


def _swap(tmp: Path, out_dir: Path) -> None:
    """Mark the finished folder as kb's and rename it into place (the old site goes only then)."""
    old = out_dir.with_name(out_dir.name + ".kb-old")
    (tmp / MARKER).write_text("made by kb site export\n", encoding="utf-8")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(old)
    tmp.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _write_site(store, folder: _Folder) -> tuple[int, int]:
    """Gather, render and write every page, the search index and the assets.  Out: (pages, search bytes)."""
    from ..queries import list_concepts

    site = gather_site(store)
    search = _SearchSink(store, [d["doc_id"] for d in site.docs], folder)
    pages = _render_pages(site.pages(search), site.n_docs, folder)
    search_bytes = search.finish({c["id"]: c["zh"] + c["en"] + c["abbr"] for c in list_concepts(store)})
    folder.write_all((f"assets/{a.name}", a.read_bytes()) for a in (TEMPLATES / "assets").iterdir())
    return pages, search_bytes


def export_site(store, out_dir: str | Path) -> SiteReport:
    """Gather, render and write the whole site into a temporary sibling of ``out_dir``, then swap it in.
    In: the store and the target folder.  Out: a SiteReport (pages, files, bytes, search bytes)."""
    out_dir = Path(out_dir)
    _check_target(out_dir)
    tmp = out_dir.with_name(out_dir.name + ".kb-tmp")
    try:
        folder = _Folder(tmp)
        pages, search_bytes = _write_site(store, folder)
        _swap(tmp, out_dir)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SiteError(f"{out_dir}: cannot write the site ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return SiteReport(out_dir=out_dir, pages=pages, files=folder.files, bytes=folder.bytes, search_bytes=search_bytes)
