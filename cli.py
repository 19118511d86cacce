"""The ``kb`` command: a thin click layer over :class:`kb.KnowledgeBase`.

Commands parse options, call the library and format its output; every
:class:`kb.KBError` becomes one clear line and a non-zero exit, never a
traceback.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from kb import KBError, KnowledgeBase, __version__
from kb.api import DEFAULT_CORPUS


def _errors_to_click(func):
    """Turn library errors into click errors (one line, exit 1)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KBError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def _kb(ctx: click.Context) -> KnowledgeBase:
    return ctx.obj["kb"]


def _echo_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kb")
@click.option("--home", type=click.Path(file_okay=False), envvar="KB_HOME",
              help="KB home folder holding kb.db, the index and the site (default: $KB_HOME or ./kb-home).")
@click.pass_context
def main(ctx: click.Context, home: str | None) -> None:
    """Bilingual knowledge base of psychiatric review literature."""
    ctx.obj = {"kb": KnowledgeBase(home)}
    ctx.call_on_close(ctx.obj["kb"].close)


def _run_ingest(kb: KnowledgeBase, paths: tuple[str, ...], force: bool, jobs: int = 1) -> int:
    """Ingest with a progress bar on long work; print errors; return the number of errors."""
    from kb.read import collect_files

    files, _ = collect_files(list(paths))
    if sys.stderr.isatty() and len(files) > 3:
        with click.progressbar(length=len(files), label="Ingesting", file=sys.stderr, show_pos=True) as bar:
            report = kb.ingest(list(paths), progress=lambda _p: bar.update(1), force=force, jobs=jobs)
    else:
        report = kb.ingest(list(paths), force=force, jobs=jobs)
    for line in report.errors:
        click.echo(f"error: {line}", err=True)
    click.echo(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
               f"{len(report.errors)} failed")
    return len(report.errors)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--force", is_flag=True, help="Re-process files even when unchanged.")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes for the pipeline (storing stays in one process).")
@click.pass_context
@_errors_to_click
def ingest(ctx, paths, force, jobs):
    """Ingest review texts (.txt, .pdf; files or folders) into the KB."""
    if _run_ingest(_kb(ctx), paths, force, jobs):
        ctx.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.pass_context
@_errors_to_click
def build(ctx, paths):
    """Ingest a corpus (default: the bundled corpus/) and build everything from it."""
    kb = _kb(ctx)
    failed = _run_ingest(kb, paths or (str(DEFAULT_CORPUS),), force=False)
    stats = kb.stats()
    click.echo(f"KB: {stats['documents']} documents, {stats['sentences']} sentences, {stats['facts']} facts, "
               f"{stats['mentions']} concept mentions")
    click.echo(f"Database: {kb.db_path.resolve()}")
    n = kb.build_index()
    click.echo(f"Search index: {kb.index_dir.resolve()} ({n} sentences)")
    rep = kb.export_site()
    click.echo(f"Site: {(rep.out_dir / 'index.html').resolve()} ({rep.pages} pages, {rep.bytes / 1e6:.1f} MB)")
    if failed:
        ctx.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_errors_to_click
def docs(ctx, as_json):
    """List documents."""
    keys = ["doc_id", "title", "title_derived", "authors", "journal", "year", "abstract_zh", "abstract_en", "source",
            "sections"]
    rows = _kb(ctx).documents()
    if as_json:
        _echo_json([{k: (bool(r[k]) if k == "title_derived" else r[k]) for k in keys} for r in rows])
        return
    for r in rows:
        derived = " (derived)" if r["title_derived"] else ""
        click.echo(f"{r['doc_id']}\t{r['title']}{derived}\t{r['n_sentences']} sentences")


@main.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_errors_to_click
def show(ctx, doc_id, as_json):
    """Show one document: metadata, outline and sentences."""
    doc = _kb(ctx).document(doc_id)
    if as_json:
        doc.pop("text", None)
        _echo_json(doc)
        return
    derived = " [label derived from content]" if doc["title_derived"] else ""
    click.echo(f"{doc['title']}{derived}")
    for key in ("authors", "affiliation", "journal", "year", "volume", "issue", "source"):
        if doc.get(key):
            click.echo(f"  {key}: {', '.join(doc[key]) if isinstance(doc[key], list) else doc[key]}")
    for key in ("abstract_zh", "abstract_en"):
        if doc.get(key):
            click.echo(f"  {key}: {doc[key]}")
    click.echo("Outline:")
    for s in doc["sections"]:
        click.echo(f"  {'  ' * (s['level'] - 1)}{s['number']} {s['title']}".rstrip())
    click.echo(f"{len(doc['sentences'])} sentences")


@main.command()
@click.pass_context
@_errors_to_click
def stats(ctx):
    """Counts of documents, sentences, concepts and facts."""
    for key, value in _kb(ctx).stats().items():
        click.echo(f"{key}: {json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value}")


@main.command()
@click.argument("doc_id")
@click.pass_context
@_errors_to_click
def remove(ctx, doc_id):
    """Remove one document (and everything derived from it)."""
    _kb(ctx).remove(doc_id)
    click.echo(f"removed {doc_id}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="Output format.")
@click.option("--doc", "doc_id", help="Only this document.")
@click.pass_context
@_errors_to_click
def export(ctx, fmt, doc_id):
    """Print every sentence with its annotations (JSON lines or CSV)."""
    from kb.export import to_csv, to_jsonl

    records = _kb(ctx).sentences(doc_id=doc_id)
    for line in (to_jsonl if fmt == "jsonl" else to_csv)(records):
        click.echo(line)


FACT_TYPES = ["definition", "mechanism", "treatment"]


def _echo_fact(rec: dict) -> None:
    types = ",".join(rec["types"])
    concepts = ", ".join(c["name_zh"] or c["name_en"] for c in rec["concepts"][:6])
    click.echo(f"[{types}] {rec['sentence_id']}  §{rec['section'] or '-'}")
    click.echo(f"  {rec['text']}")
    if concepts:
        click.echo(f"  concepts: {concepts}")


@main.command()
@click.option("--type", "type_", type=click.Choice(FACT_TYPES), help="Only facts of this type.")
@click.option("--concept", help="Only facts mentioning this concept (any name, Chinese or English).")
@click.option("--doc", "doc_id", help="Only facts from this document.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_errors_to_click
def facts(ctx, type_, concept, doc_id, as_json):
    """List sentences tagged as definition, mechanism or treatment facts."""
    rows = _kb(ctx).facts(type_, concept, doc_id)
    if as_json:
        _echo_json(rows)
        return
    for rec in rows:
        _echo_fact(rec)
    click.echo(f"{len(rows)} facts")


@main.command()
@click.option("--category", help="Only this category (e.g. drug, brain_region).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_errors_to_click
def concepts(ctx, category, as_json):
    """List concepts the KB mentions, with counts."""
    rows = _kb(ctx).concepts(category)
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        abbr = f" ({', '.join(r['abbr'])})" if r["abbr"] else ""
        click.echo(f"{r['id']}\t{r['category']}\t{r['name_zh']} / {r['name_en']}{abbr}\t{r['mentions']} mentions")


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_errors_to_click
def concept(ctx, name, as_json):
    """Show a concept by any of its names: facts by type and document, co-occurring concepts."""
    rep = _kb(ctx).concept(name)
    if as_json:
        _echo_json(rep)
        return
    c = rep["concept"]
    click.echo(f"{c['name_zh']} / {c['name_en']}  [{c['category']}]  id={c['concept_id']}")
    click.echo(f"  names: {', '.join(c['zh'] + c['en'] + c['abbr'])}")
    for type_, docs in rep["facts"].items():
        click.echo(f"\n{type_.upper()}")
        for doc_id, recs in docs.items():
            click.echo(f"  {doc_id}")
            for rec in recs:
                click.echo(f"    {rec['sentence_id']}: {rec['text']}")
    if rep["cooccurs"]:
        click.echo("\nCo-occurs with: " + ", ".join(f"{r['name_zh'] or r['name_en']} ({r['count']})" for r in rep["cooccurs"]))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_errors_to_click
def glossary(ctx, as_json):
    """Bilingual term pairs mined from the texts, with counts."""
    rows = _kb(ctx).glossary()
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['zh']}\t{r['en']}\t{r['abbr']}\t{r['count']}\t{r['status']}:{r['concept_id']}")


@main.command()
@click.pass_context
@_errors_to_click
def retag(ctx):
    """Re-run segmentation, concept mentions and fact tagging on the whole KB (after a lexicon or rule change)."""
    n = _kb(ctx).retag()
    click.echo(f"re-tagged {n} documents")


@main.command()
@click.option("--rebuild", is_flag=True, help="Rebuild the index from the database even if one exists.")
@click.pass_context
@_errors_to_click
def index(ctx, rebuild):
    """Build the search index from the database (kept in step by ingest and remove)."""
    kb = _kb(ctx)
    if kb.has_index() and not rebuild:
        click.echo(f"index present: {kb.index_dir} (use --rebuild to rebuild it)")
        return
    n = kb.build_index()
    click.echo(f"indexed {n} sentences into {kb.index_dir}")


def _styled(hit) -> str:
    out, pos = [], 0
    for s, e in hit.spans:
        out += [hit.text[pos:s], click.style(hit.text[s:e], bold=True, fg="yellow")]
        pos = e
    return "".join(out + [hit.text[pos:]])


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("query")
@click.option("--type", "type_", type=click.Choice(FACT_TYPES), help="Only sentences stating this fact type.")
@click.option("--doc", "doc_id", help="Only this document.")
@click.option("--concept", help="Only sentences mentioning this concept (any name).")
@click.option("--section", help="Only sentences under sections whose title has these words.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="Number of hits.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_errors_to_click
def search(ctx, query, type_, doc_id, concept, section, limit, as_json):
    """Search sentences by keyword, in Chinese, English, abbreviations or a mix.

    Filters can also be written in the query: type:mechanism doc:ID concept:NAME section:WORDS;
    "quoted words" are phrases.
    """
    res = _kb(ctx).search(query, limit=limit, type_=type_, doc=doc_id, concept=concept, section=section)
    if as_json:
        keys = ["rank", "score", "sentence_id", "doc_id", "section", "text", "types", "concepts", "highlight"]
        _echo_json({"query": res.query, "total": res.total, "notes": res.notes,
                    "hits": [{k: getattr(h, k) for k in keys} for h in res.hits]})
        return
    for note in res.notes:
        click.echo(f"note: {note}", err=True)
    for h in res.hits:
        types = ",".join(h.types) or "-"
        click.echo(f"{h.rank:>3}. [{types}] {h.doc_id} §{h.section or '-'}  ({h.sentence_id}, {h.score:.2f})")
        click.echo(f"     {_styled(h)}")
    click.echo(f"{len(res.hits)} of {res.total} matching sentences")


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Folder to export into (default: <home>/site).")
@click.pass_context
@_errors_to_click
def site(ctx, out_dir):
    """Export the static reference site (works from disk and over http)."""
    rep = _kb(ctx).export_site(out_dir)
    click.echo(f"exported {rep.pages} pages ({rep.files} files, {rep.bytes / 1e6:.1f} MB) to {rep.out_dir}")
    click.echo(f"open {(rep.out_dir / 'index.html').resolve().as_uri()}")


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option("--dir", "site_dir", type=click.Path(file_okay=False), help="Site folder (default: <home>/site).")
@click.pass_context
@_errors_to_click
def serve(ctx, port, site_dir):
    """Preview the exported site on http://127.0.0.1:PORT (Ctrl-C stops)."""
    import functools
    import http.server

    folder = Path(site_dir) if site_dir else _kb(ctx).site_dir
    if not (folder / "index.html").is_file():
        raise click.ClickException(f"{folder}: no exported site here; run `kb site` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port} ({exc.strerror})") from None
    click.echo(f"serving {folder} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
