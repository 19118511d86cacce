"""export_site: render every page and the browser search index, write them last, swap them in.

In: the store.  Out: a folder of static HTML/CSS/JS that works from file://
and over http, loads nothing from the network, and escapes all text (jinja2
autoescape).  This is the only module that imports jinja2.  The export is
written into a temporary sibling folder and renamed into place at the end;
a non-empty folder that kb did not create is never overwritten.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from .gather import TYPE_LABELS, TYPES, SiteData, gather_site

TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates"
MARKER = ".kb-site"


@dataclass
class SiteReport:
    out_dir: Path
    pages: int
    files: int
    bytes: int
    search_bytes: int


def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _pages(data: SiteData) -> dict[str, tuple[str, dict]]:
    """Relative path -> (template, page context) for every page of the site."""
    pages: dict[str, tuple[str, dict]] = {
        "index.html": ("home.html", {"home": data.home, "chart": data.home["chart"]}),
        "about.html": ("about.html", {"about": data.about}),
        "concepts.html": ("concepts.html", {"index": data.concept_index}),
        "definitions.html": ("definitions.html", {"defs": data.definitions, "show_evidence": False}),
        "evidence.html": ("evidence.html", {"ev": data.evidence}),
        "glossary.html": ("glossary.html", {"gl": data.glossary, "linked": {c["id"] for c in data.concepts}}),
    }
    for page in data.fact_pages:
        pages[f"facts/{page['file']}"] = ("facts.html", {"page": page, "show_evidence": True})
    for doc in data.documents:
        pages[f"doc/{doc['doc']['doc_id']}.html"] = ("document.html", doc)
    for concept in data.concepts:
        pages[f"concept/{concept['id']}.html"] = ("concept.html", {"c": concept, "show_evidence": False})
    return pages


def render_site(data: SiteData) -> dict[str, str]:
    """Every HTML page of the site, rendered (relative path -> HTML)."""
    env = _env()
    common = {"site": {"n_docs": data.home["n_docs"], "types": [{"type": t, "label": TYPE_LABELS[t]} for t in TYPES]},
              "page_lang": "zh-CN"}
    out = {}
    for path, (template, context) in _pages(data).items():
        root = "../" * path.count("/")
        out[path] = env.get_template(template).render(**common, **context, root=root)
    return out


def _search_files(data: SiteData, store) -> dict[str, str]:
    from indexer.browser import build_browser_index
    from indexer.build import concept_ancestors

    from ..data_files import load_json

    concepts = {c["id"]: c["zh"] + c["en"] + c["abbr"] for c in data.concepts}
    files = build_browser_index(data.records, concepts, load_json("query_terms.json")["en_zh"],
                                _traditional_map(data.records), {d["doc"]["doc_id"]: f"doc/{d['doc']['doc_id']}.html"
                                                                  for d in data.documents}, concept_ancestors(store))
    return files


def _traditional_map(records: list[dict]) -> dict[str, str]:
    """Traditional -> Simplified for every character the corpus uses (OpenCC), so 海馬 finds 海马 in the browser."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    chars = {ch for rec in records for ch in rec["text"] if "\u4e00" <= ch <= "\u9fff"}
    return {t: ch for ch in sorted(chars) for t in [s2t.convert(ch)] if t != ch and len(t) == 1}


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise SiteError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise SiteError(f"{out_dir}: folder is not empty and was not made by kb; choose an empty or new folder")


def _write_and_swap(files: dict[str, str | bytes], out_dir: Path) -> int:
    """Write every file into a fresh sibling folder, then rename it into place; returns bytes written."""
    tmp = out_dir.with_name(out_dir.name + ".kb-tmp")
    old = out_dir.with_name(out_dir.name + ".kb-old")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        total = 0
        for rel, content in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            path.write_bytes(data)
            total += len(data)
        (tmp / MARKER).write_text("made by kb site export\n", encoding="utf-8")
        shutil.rmtree(old, ignore_errors=True)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise SiteError(f"{out_dir}: cannot write the site ({exc.strerror or exc})") from None
    return total


def export_site(store, out_dir: str | Path) -> SiteReport:
    """Gather, render and write the whole site into ``out_dir``."""
    out_dir = Path(out_dir)
    _check_target(out_dir)
    data = gather_site(store)
    files: dict[str, str | bytes] = dict(render_site(data))
    pages = len(files)
    search = _search_files(data, store)
    files.update(search)
    for asset in (TEMPLATES / "assets").iterdir():
        files[f"assets/{asset.name}"] = asset.read_bytes()
    total = _write_and_swap(files, out_dir)
    return SiteReport(out_dir=out_dir, pages=pages, files=len(files), bytes=total,
                      search_bytes=sum(len(v.encode("utf-8")) for v in search.values()))
