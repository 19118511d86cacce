"""The exported static site: links, anchors, escaping, no network, safe export folder."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from kb import KnowledgeBase
from kb.errors import SiteError


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.srcs, self.html_lang, self.scripts = [], set(), [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("script", "img", "link", "iframe") and (a.get("src") or a.get("href")):
            self.srcs.append(a.get("src") or a.get("href"))
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "script":
            self.scripts.append(a)


def _parse(path: Path) -> _Collect:
    c = _Collect()
    c.feed(path.read_text(encoding="utf-8"))
    return c


@pytest.fixture(scope="session")
def site_dir(built_kb, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    built_kb.export_site(out)
    return out


def test_every_internal_link_and_anchor_resolves(site_dir):
    pages = {p: _parse(p) for p in site_dir.rglob("*.html")}
    assert len(pages) > 20
    broken = []
    for page, c in pages.items():
        for href in c.links:
            if urlparse(href).scheme:
                continue
            target, frag = urldefrag(href)
            target = urlparse(target).path  # index.html?q=… is the home page with a query
            dest = (page.parent / target).resolve() if target else page
            if not dest.exists():
                broken.append(f"{page.relative_to(site_dir)} -> {href}")
            elif frag and dest.suffix == ".html" and frag not in pages[dest].ids:
                broken.append(f"{page.relative_to(site_dir)} -> {href} (no anchor)")
    assert broken == []


def test_nothing_loads_from_the_network(site_dir):
    for page in site_dir.rglob("*.html"):
        c = _parse(page)
        assert all(urlparse(s).scheme in ("", "data") and not s.startswith("//") for s in c.srcs), page
    for f in list(site_dir.rglob("*.css")) + list(site_dir.rglob("*.js")):
        assert not re.search(r"https?://|@import|fetch\(", f.read_text(encoding="utf-8")), f


def test_pages_declare_their_language(site_dir):
    for page in site_dir.rglob("*.html"):
        assert _parse(page).html_lang == "zh-CN", page
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in home


def test_every_sentence_is_anchored_in_its_document(built_kb, site_dir):
    doc_id = built_kb.documents()[0]["doc_id"]
    ids = _parse(site_dir / "doc" / f"{doc_id}.html").ids
    n = len(built_kb.document(doc_id)["sentences"])
    assert {f"s{i}" for i in range(1, n + 1)} <= ids


def test_home_has_search_box_and_results_container(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<input type="search" id="q"', html)
    assert 'id="search-results"' in html
    assert (site_dir / "search" / "meta.js").exists()


def test_injected_markup_is_shown_as_text(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    (src / "evil.txt").write_text(
        "一、<script>alert('x')</script>背景\n"
        "难治性抑郁症是指<b>足量</b>治疗无效的抑郁症<script>document.title='pwned'</script>。\n", encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "home")
    kb.ingest([src])
    out = tmp_path / "site"
    kb.export_site(out)
    page = (out / "doc" / "evil.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>足量</b>" not in page
    c = _parse(out / "doc" / "evil.html")
    assert c.scripts == []  # the document page runs no script at all
    for js in (out / "search").glob("*.js"):  # search data: markup escaped, rendered as text by search.js
        assert "<script>" not in js.read_text(encoding="utf-8")
    kb.close()


def test_refuses_a_non_empty_folder_it_did_not_create(built_kb, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(SiteError) as info:
        built_kb.export_site(out)
    assert "not empty" in str(info.value)
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_re_export_replaces_its_own_folder(built_kb, tmp_path):
    out = tmp_path / "site"
    built_kb.export_site(out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    built_kb.export_site(out)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").exists()
    assert not any(p.name.endswith((".kb-tmp", ".kb-old")) for p in tmp_path.iterdir())


def test_pages_are_valid_html5(site_dir):
    """Every page parses as HTML5 without a single parse error (html5lib's strict mode)."""
    html5lib = pytest.importorskip("html5lib")
    pages = sorted(site_dir.glob("*.html")) + sorted(site_dir.glob("*/*.html"))[:40]
    for page in pages:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(page.read_text(encoding="utf-8"))
        assert parser.errors == [], (page.name, parser.errors[:3])


def test_kb_serve_previews_the_site_on_loopback(built_kb, site_dir, tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cli = Path(__file__).resolve().parent.parent / "cli.py"
    proc = subprocess.Popen([sys.executable, str(cli), "--home", str(tmp_path), "serve", "--port", str(port),
                             "--dir", str(site_dir)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = b""
        for _ in range(50):
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        assert 'id="search-results"' in body.decode("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kb_serve_without_a_site_says_so(tmp_path):
    from click.testing import CliRunner

    from cli import main

    result = CliRunner().invoke(main, ["--home", str(tmp_path), "serve"])
    assert result.exit_code == 1 and "kb site" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("failure", [RuntimeError("boom"), OSError(28, "No space left on device")])
def test_a_failed_export_leaves_the_previous_site_untouched(built_kb, tmp_path, monkeypatch, failure):
    """Pages stream into a temporary folder: a failure midway (after document pages were written)
    leaves the old site exactly as it was and no temporary folder behind."""
    import kb.publish.tally

    out = tmp_path / "site"
    built_kb.export_site(out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def fail(self):
        raise failure
    monkeypatch.setattr(kb.publish.tally.Evidence, "context", fail)
    with pytest.raises(SiteError if isinstance(failure, OSError) else RuntimeError):
        built_kb.export_site(out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_fact_pages_are_split_as_they_fill(built_kb, tmp_path, monkeypatch):
    """Fact pages are written as each fills up; every page holds at most FACTS_PER_PAGE facts, none is lost."""
    import kb.publish.tally

    monkeypatch.setattr(kb.publish.tally, "FACTS_PER_PAGE", 7)
    out = tmp_path / "site"
    built_kb.export_site(out)
    pages = sorted((out / "facts").glob("definition*.html"))
    shown = [p.read_text(encoding="utf-8").count('<li class="fact">') for p in pages]
    total = int(re.search(r"<small>(\d+) sentences</small>", pages[0].read_text(encoding="utf-8")).group(1))
    assert len(pages) == -(-total // 7) > 1
    assert max(shown) == 7 and sum(shown) == total
    pager = re.compile(r'<li><(?:a href="definition[-\d]*\.html"|strong aria-current)')
    for page in pages:  # the pager (top and bottom) links every page of the type
        assert len(pager.findall(page.read_text(encoding="utf-8"))) == 2 * len(pages)


def test_the_same_kb_exports_the_same_bytes_whatever_the_hash_seed(built_kb, tmp_path):
    """Two exports in processes with different string-hash seeds are byte-identical (ties and
    shard contents are ordered, not left to set iteration), so a site can be diffed and archived."""
    import os
    import subprocess
    import sys

    cli = Path(__file__).resolve().parent.parent / "cli.py"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, str(cli), "--home", str(built_kb.home), "site", "--out",
                        str(tmp_path / seed)], check=True, capture_output=True, env=env)
    files = sorted(p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "2") for p in (tmp_path / "2").rglob("*") if p.is_file())
    assert all((tmp_path / "1" / f).read_bytes() == (tmp_path / "2" / f).read_bytes() for f in files)


class _Evidence(HTMLParser):
    """The text of each <dd> inside a 'Why tagged' <details class="evidence">."""

    def __init__(self):
        super().__init__()
        self.entries, self._in_details, self._dd = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "details" and "evidence" in (dict(attrs).get("class") or ""):
            self._in_details = True
        elif tag == "dd" and self._in_details:
            self._dd = []

    def handle_endtag(self, tag):
        if tag == "dd" and self._dd is not None:
            self.entries.append("".join(self._dd))
            self._dd = None
        elif tag == "details":
            self._in_details = False

    def handle_data(self, data):
        if self._dd is not None:
            self._dd.append(data)


def test_every_tag_on_a_fact_page_says_why(site_dir):
    for kind in ("definition", "mechanism", "treatment"):
        parser = _Evidence()
        parser.feed((site_dir / "facts" / f"{kind}.html").read_text(encoding="utf-8"))
        assert parser.entries, kind
        for text in parser.entries:
            assert re.search(r"cues: |concept categories: |learned wording|rule: ", text), text
        assert any("learned wording (□ = a concept): " in t for t in parser.entries)
