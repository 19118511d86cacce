"""The exported site in a real browser: Debian's Chromium driven by Playwright.

Marked `browser` (select with -m browser). Skipped, with the reason, when
/usr/bin/chromium is missing (.ci/run installs it with apt-get).
Screenshots go to test-artifacts/ for a person to look at.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from kb import KnowledgeBase

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed at /usr/bin/chromium")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The bundled corpus plus a document with injected markup, exported as a site."""
    root = tmp_path_factory.mktemp("browser")
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    evil = root / "extra"
    evil.mkdir()
    (evil / "injected.txt").write_text(
        "一、<script>window.__pwned = 1; document.title = 'pwned'</script>背景\n"
        "难治性抑郁症是指足量治疗无效的抑郁症<img src=x onerror=\"window.__pwned=2\">。\n", encoding="utf-8")
    kb = KnowledgeBase(root / "home")
    kb.ingest([corpus, evil])
    kb.build_index()
    out = root / "site"
    kb.export_site(out)
    kb.close()
    return out


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _page(browser, errors: list):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def _search(page, query: str) -> list[str]:
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_function("q => document.querySelector('#search-results .search-status') && "
                           "document.querySelector('#search-results .search-status').textContent.includes(q)", arg=query)
    return [a.get_attribute("data-sentence-id") for a in page.query_selector_all("#search-results li a")]


@pytest.mark.parametrize("where", ["file", "http"])
def test_bilingual_search_finds_the_same_sentences(browser, site, server, where):
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((site / "index.html").as_uri() if where == "file" else server + "index.html")
    zh = _search(page, "海马")
    en = _search(page, "hippocampus")
    assert zh and zh[0] == en[0]
    assert set(zh[:5]) == set(en[:5])
    abbr = _search(page, "DBS")
    full = _search(page, "深部脑刺激")
    assert abbr[0] == full[0]
    page.screenshot(path=str(ARTIFACTS / f"search-{where}.png"), full_page=False)
    assert errors == []


def test_a_query_copied_from_a_pdf_finds_the_same_sentences(browser, site):
    # ⻢ (U+2EE2) and ⽣ (U+2F63) are what some PDF fonts give for 马 and 生
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((site / "index.html").as_uri())
    assert _search(page, "海⻢") == _search(page, "海马") != []
    assert _search(page, "⽣活质量") == _search(page, "生活质量")
    assert errors == []


def test_result_leads_to_its_sentence_in_context(browser, site):
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((site / "index.html").as_uri())
    ids = _search(page, "氯胺酮")
    link = page.query_selector("#search-results li a")
    link.click()
    page.wait_for_load_state()
    doc_id, ordinal = ids[0].rsplit(".s", 1)
    assert page.url.endswith(f"doc/{doc_id}.html#s{ordinal}")
    target = page.query_selector(f"#s{ordinal}")
    assert target is not None and target.is_visible()
    assert page.evaluate("document.querySelector(':target').id") == f"s{ordinal}"
    page.screenshot(path=str(ARTIFACTS / "document.png"))
    assert errors == []


def test_search_from_another_page_lands_on_results(browser, site):
    page = _page(browser, [])
    page.goto((site / "about.html").as_uri())
    page.fill("#site-q", "ketamine")
    page.press("#site-q", "Enter")
    page.wait_for_selector("#search-results li a")
    assert page.input_value("#q") == "ketamine"


def test_home_page_loads_without_errors(browser, site):
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((site / "index.html").as_uri())
    assert page.query_selector("svg") is not None
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    assert errors == []


def test_injected_script_does_not_run(browser, site):
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((site / "doc" / "injected.html").as_uri())
    assert page.evaluate("window.__pwned === undefined")
    assert page.title() != "pwned"
    assert "<script>" in page.inner_text("main")
    page.goto((site / "index.html").as_uri())
    _search(page, "难治性抑郁症")
    assert page.evaluate("window.__pwned === undefined")


def test_search_is_keyboard_usable(browser, site):
    page = _page(browser, [])
    page.goto((site / "index.html").as_uri())
    page.focus("#q")
    page.keyboard.type("clozapine")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li a")
    assert page.query_selector_all("#search-results li a")


@pytest.fixture(autouse=True, scope="module")
def _artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)


def test_long_postings_load_in_pieces_until_a_page_is_full(browser, tmp_path, monkeypatch):
    """With tiny pieces, a frequent concept still fills a page of results: later pieces load on demand."""
    import indexer.browser

    monkeypatch.setattr(indexer.browser, "CHUNK", 3)
    kb = KnowledgeBase(tmp_path / "home")
    kb.ingest([Path(__file__).resolve().parent.parent / "corpus"])
    out = tmp_path / "site"
    kb.export_site(out)
    n_ketamine = sum(1 for s in kb.sentences() if any(c["id"] == "ketamine" for c in s["concepts"]))
    kb.close()
    assert list((out / "search").glob("m*.js")), "long postings were split"
    page = _page(browser, errors := [])
    page.goto((out / "index.html").as_uri())
    ids = _search(page, "氯胺酮")
    assert len(ids) == min(20, n_ketamine)
    assert errors == []
