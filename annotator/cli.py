"""The command line. With no command, the window opens."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from annotator import __version__

DB_HELP = "Database file (default: $ANNOTATOR_DB, else annotator.db in your data folder)."
db_option = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help=DB_HELP)


def _db_path(db_path: Path | None) -> Path | None:
    """A command's --db, else the one given before the command (annotator --db X cmd)."""
    if db_path is not None:
        return db_path
    context = click.get_current_context(silent=True)
    return context.find_root().params.get("db_path") if context is not None else None


def _open(db_path: Path | None):
    from annotator.services.workspace import open_workspace
    from annotator.store import StoreError

    try:
        return open_workspace(_db_path(db_path))
    except StoreError as error:
        raise click.ClickException(str(error)) from error


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` for a terminal: control characters (escape sequences, which would
    move the cursor, retitle the window or hide text), bidirectional overrides and
    lone surrogates are shown as escapes; line breaks stay."""
    text = _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@contextlib.contextmanager
def _utf8_stdout() -> Iterator[io.TextIOWrapper]:
    """Standard output as UTF-8 text with exact newlines, whatever the locale.
    The wrapper is detached afterwards so that the real stdout stays open."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield out
    finally:
        out.flush()
        out.detach()


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="annotator")
@db_option
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """Read news articles, tag claims, sources and figures, and export the work."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(gui)


@cli.command()
@db_option
@click.option("--quit-after", type=int, default=None, hidden=True, help="Close after N milliseconds (smoke tests).")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def gui(db_path: Path | None, files: tuple[Path, ...], quit_after: int | None) -> None:
    """Open the window. FILES are imported if new and the last one is shown."""
    from annotator.gui.system_libraries import missing_message

    problem = missing_message()  # before Qt loads: Qt would abort or raise ImportError
    if problem:
        raise click.ClickException(problem)
    from annotator.gui.app import run

    sys.exit(run(db_path=_db_path(db_path), files=list(files), quit_after=quit_after))


@cli.command("import")
@db_option
@click.option("--keep-boilerplate", is_flag=True, help="Keep lines such as \"Advertisement\" or \"Read more:\" in the text.")
@click.option("--dry-run", is_flag=True, help="Only show what would be stored; write nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="jsonl: one JSON record per file (with --dry-run: text, metadata and removed lines).")
@click.option("--title", default="", help="The article's title, instead of the one read from the file (one file).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_(db_path: Path | None, paths: tuple[Path, ...], keep_boilerplate: bool, dry_run: bool, fmt: str,
            title: str) -> None:
    """Import article files (folders are searched recursively).

    Prints one line per file: the new article id, "already present", or the error.
    Exits with status 1 if any file failed.
    """
    if title and (len(paths) != 1 or paths[0].is_dir()):
        raise click.UsageError("--title goes with one file.")
    if dry_run:
        sys.exit(_import_dry_run(list(paths), keep_boilerplate=keep_boilerplate, fmt=fmt))
    from annotator.services.intake import iter_import

    store = _open(db_path)
    failed = False
    with _utf8_stdout() as out:
        for outcome in iter_import(store, list(paths), keep_boilerplate=keep_boilerplate, title=title):
            failed = failed or outcome.status == "error"
            shown, message = printable(outcome.path), printable(outcome.message or "")
            if fmt == "jsonl":
                record = {"path": shown, "status": outcome.status, "article_id": outcome.article_id,
                          "message": message}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif outcome.status == "imported":
                out.write(f"{shown}\timported as article {outcome.article_id}\n")
            elif outcome.status == "duplicate":
                out.write(f"{shown}\talready present as article {outcome.article_id}\n")
            else:
                out.write(f"{shown}\terror: {message}\n")
    if failed:
        sys.exit(1)


def _import_dry_run(paths: list[Path], *, keep_boilerplate: bool, fmt: str) -> int:
    """Print what ``import`` would store (without the outlet-furniture pass, which needs the database)."""
    from annotator.ingest import IngestError
    from annotator.services.intake import preview_paths

    failed = False
    with _utf8_stdout() as out:
        for path, result in preview_paths(paths, keep_boilerplate=keep_boilerplate):
            path = printable(str(path))
            if isinstance(result, IngestError):
                failed = True
                record = {"path": str(path), "status": "error", "message": str(result)}
                line = f"{path}\terror: {result}"
            else:
                record = {
                    "path": str(path), "status": "ok", "title": result.title, "outlet": result.outlet,
                    "author": result.author, "url": result.url, "published": result.published,
                    "source_format": result.source_format, "text": result.text, "removed_lines": result.removed_lines,
                }
                line = f"{path}\twould import {result.title!r} ({len(result.text)} characters, {len(result.removed_lines)} lines removed)"
            out.write((json.dumps(record, ensure_ascii=False) if fmt == "jsonl" else line) + "\n")
    return 1 if failed else 0


ARTICLE_COLUMNS = ("id", "title", "outlet", "author", "url", "published", "status", "annotations", "added")


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
def articles(db_path: Path | None, fmt: str) -> None:
    """List the articles (jsonl includes each article's full text)."""
    from annotator.formats.safety import neutralise

    store = _open(db_path)
    summaries = store.list_articles()
    with _utf8_stdout() as out:
        if fmt == "table":
            out.write(f"{'id':>6}  {'status':<11}  {'annotations':>11}  {'outlet':<24}  title\n")
            for a in summaries:
                out.write(f"{a.id:>6}  {a.status:<11}  {a.annotation_count:>11}  {printable(a.outlet[:24]):<24}"
                          f"  {printable(a.title)}\n")
        elif fmt == "csv":
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(ARTICLE_COLUMNS)
            for a in summaries:
                row = (a.id, a.title, a.outlet, a.author, a.url, a.published, a.status, a.annotation_count, a.added)
                writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
        else:
            counts = {a.id: a.annotation_count for a in summaries}
            for article in store.iter_articles():
                record = {
                    "id": article.id, "title": article.title, "outlet": article.outlet,
                    "author": article.author, "url": article.url, "published": article.published,
                    "status": article.status, "added": article.added, "content_hash": article.content_hash,
                    "annotations": counts.get(article.id, 0), "text": article.text,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


LAYER_HELP = ("Whose annotations: all (every analyst's own; the default), mine, curated (the lead's "
              "curated layer) or an analyst's name.")


def _layer(store, word: str | None):
    """The --layer (or --analyst NAME) of a command, checked against the file."""
    from annotator.services.layers import Layer, check_layer
    from annotator.store import StoreError

    layer = Layer.parse(word)
    try:
        check_layer(store, layer)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    return layer


def _export_formats() -> list[str]:
    from annotator.formats import FORMATS

    return list(FORMATS)


@cli.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(_export_formats()), default="csv", show_default=True)
@click.option("--article", "article_ids", type=int, multiple=True, help="Only this article (repeatable).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file (default: standard output for csv, jsonl, w3c and html). "
                   "brat, and html with one page per article, write a folder, or a zip if PATH ends in .zip.")
@click.option("--bom/--no-bom", default=None,
              help="Start a CSV with a UTF-8 byte-order mark so Excel reads the encoding "
                   "(default: on for files, off for standard output).")
@click.option("--layer", "layer_word", default="all", show_default=True, help=LAYER_HELP)
def export(db_path: Path | None, fmt: str, article_ids: tuple[int, ...], output: Path | None, bom: bool | None,
           layer_word: str) -> None:
    """Export annotations (csv, an Excel workbook, jsonl, W3C Web Annotations, REFI-QDA .qdpx, brat or an HTML report)."""
    from annotator.formats import FORMATS
    from annotator.services.exporting import ExportError, export_annotations, export_to_stream
    from annotator.store import StoreError

    store = _open(db_path)
    for article_id in article_ids:
        if not store.has_article(article_id):
            raise click.ClickException(f"There is no article with id {article_id} in {store.path}.")
    ids = list(article_ids) or None
    layer = _layer(store, layer_word)
    try:
        if output is None:
            spec = FORMATS[fmt]
            if spec.write is None or spec.binary:
                raise click.ClickException(f"--format {fmt} writes a binary file or several files: give -o PATH.")
            with _utf8_stdout() as out:
                export_to_stream(store, fmt, out, article_ids=ids, bom=bool(bom), layer=layer)
        else:
            count = export_annotations(store, fmt, output, article_ids=ids, bom=True if bom is None else bom,
                                       layer=layer)
            click.echo(f"Wrote {count} annotations to {output}", err=True)
    except (StoreError, ExportError) as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror or error}") from error


@cli.command("import-annotations")
@db_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be imported; change nothing.")
@click.option("--skip-errors", is_flag=True,
              help="Import the annotations that are fine even if others have errors (default: import nothing then).")
def import_annotations(db_path: Path | None, files: tuple[Path, ...], dry_run: bool, skip_errors: bool) -> None:
    """Import annotations from jsonl, W3C (.json/.jsonld), brat (.ann, folder or .zip), .qdpx or our csv.

    Prints the plan (what is added, matched, skipped), its conflicts and span errors.
    Exits with status 1 if there are errors.
    """
    from annotator.services.exchange import apply_import, plan_import
    from annotator.store import StoreError

    store = _open(db_path)
    try:
        plan = plan_import(store, list(files))
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    click.echo(printable(plan.summary()))
    for title, lines in (
        ("Conflicts", plan.conflicts), ("Warnings", plan.warnings), ("Orphaned", plan.orphaned), ("Errors", plan.errors),
        ("Memos", [memo.line() for memo in plan.memos]),
    ):
        if lines:
            click.echo(f"\n{title}:")
            for line in lines:
                click.echo(f"  {printable(line)}")
    if dry_run:
        click.echo("\nDry run: nothing was written.")
    elif plan.errors and not skip_errors:
        click.echo("\nNothing was imported because of the errors above (use --skip-errors to import the rest).")
    elif plan.changes_anything:
        try:
            result = apply_import(store, plan)
        except StoreError as error:
            raise click.ClickException(str(error)) from error
        click.echo(
            f"\nImported {result.annotations_added} annotations, {result.articles_created} new articles,"
            f" {result.tags_created} new tags" + (f", memos set: {result.memos_set}." if result.memos_set else ".")
        )
    else:
        click.echo("\nNothing new to import.")
    if plan.errors:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--tags", default="figure,source,claim", show_default=True,
              help="Comma-separated kinds of suggestion: figure, source, claim.")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--store", "keep", is_flag=True,
              help="Also save the suggestions for review in the window (ARTICLE_ID only).")
@click.argument("target", metavar="(ARTICLE_ID | FILE)")
def suggest(db_path: Path | None, tags: str, fmt: str, keep: bool, target: str) -> None:
    """Suggest figures, sources and claims in an article or a UTF-8 text file.

    Prints one JSON object per line: tag, start, end (code points, end exclusive),
    quote, score, value, suggester, version and, for claims, source (the line
    index of the linked source, or null). For a FILE the offsets index its
    decoded text exactly as read, without any cleaning.
    """
    from annotator.suggest import TAGS
    from annotator.suggest import suggest as run_suggesters

    wanted = [t.strip() for t in tags.split(",") if t.strip()]
    unknown = sorted(set(wanted) - set(TAGS))
    if unknown or not wanted:
        raise click.BadParameter(f"use one or more of {', '.join(TAGS)} (got {tags!r})", param_hint="--tags")
    path = Path(target)
    if path.is_file() or not target.isdigit():
        if keep:
            raise click.UsageError("--store needs an ARTICLE_ID; import the file first (annotator import FILE).")
        text = _read_utf8(path)
    else:
        store = _open(db_path)
        article_id = int(target)
        if not store.has_article(article_id):
            raise click.ClickException(f"There is no article with id {article_id} in {store.path}.")
        text = store.get_article(article_id).text
    spans = run_suggesters(text, wanted)
    with _utf8_stdout() as out:
        for s in spans:
            record = {"tag": s.tag, "start": s.start, "end": s.end, "quote": s.quote, "score": s.score,
                      "value": s.value, "suggester": s.suggester, "version": s.version}
            if s.tag == "claim":
                record["source"] = s.source_index
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if keep:
        from annotator.services.suggestions import suggest_article

        pending = suggest_article(store, article_id, wanted)
        click.echo(f"Stored {len(pending)} suggestions for article {article_id} for review.", err=True)


def _corpus_filters(store, tag=None, outlet=None, status=None, date_from=None, date_to=None, analyst=None,
                    layer="all"):
    """The corpus filters of a command: --analyst NAME is --layer NAME."""
    from annotator.store.corpus import Filters, FilterError

    if analyst and layer not in ("all", analyst):
        raise click.UsageError("Give --analyst or --layer, not both.")
    if tag and store.tag_by_name(tag) is None:
        names = ", ".join(t.name for t in store.list_tags()) or "none yet"
        raise click.ClickException(f"No tag “{tag}” in {store.path} (tags: {names}).")
    try:
        base = Filters(tag=tag, outlet=outlet, status=status, date_from=date_from, date_to=date_to)
    except FilterError as error:
        raise click.ClickException(str(error)) from error
    return _layer(store, analyst or layer).filters(store, base)


def corpus_filter_options(fn):
    """--outlet, --status, --from, --to, --analyst, --layer: what every corpus command can narrow by."""
    for option in reversed((
        click.option("--outlet", default=None, help="Only articles of this outlet."),
        click.option("--status", type=click.Choice(["to do", "in progress", "done"]), default=None),
        click.option("--from", "date_from", default=None, help="Only articles published on or after (YYYY-MM-DD)."),
        click.option("--to", "date_to", default=None, help="Only articles published on or before (YYYY-MM-DD)."),
        click.option("--analyst", default=None, help="Only annotations by this analyst (as --layer NAME)."),
        click.option("--layer", default="all", show_default=True, help=LAYER_HELP),
    )):
        fn = option(fn)
    return fn


def _table_cell(text: str, width: int) -> str:
    text = printable(text).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command()
@db_option
@click.argument("query")
@click.option("--tag", default=None, help="Only annotations with this tag (and articles that have them).")
@corpus_filter_options
@click.option("--scope", type=click.Choice(["all", "articles", "annotations"]), default="all", show_default=True,
              help="Search article titles and texts, annotation quotes and notes, or both.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Results of each kind.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many results of each kind (next pages).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def search(db_path, query, tag, outlet, status, date_from, date_to, analyst, layer, scope, limit, offset, fmt) -> None:
    """Full-text search of the corpus: "a phrase", prefix*, AND / OR / NOT, (brackets).

    jsonl: one hit a line with article_id, start and end (code points of the hit in the
    article text; null for a title-only hit) and the snippet, hits between [ and ].
    """
    from annotator.store import corpus

    store = _open(db_path)
    filters = _corpus_filters(store, tag, outlet, status, date_from, date_to, analyst, layer)
    try:
        hits = corpus.search(store, query, filters, scope=scope, limit=limit, offset=offset)
    except corpus.SearchSyntaxError as error:
        raise click.ClickException(str(error)) from error
    with _utf8_stdout() as out:
        for h in hits:
            snippet = h.snippet.replace(corpus.MARK_START, "[").replace(corpus.MARK_END, "]")
            if fmt == "jsonl":
                record = {"article_id": h.article_id, "start": h.start, "end": h.end, "snippet": snippet,
                          "field": h.field, "kind": h.kind, "title": h.title, "outlet": h.outlet,
                          "published": h.published, "annotation_id": h.annotation_id, "tag": h.tag}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                where = f"{h.start}-{h.end}" if h.start is not None else "title"
                kind = h.tag or h.field
                out.write(f"{h.article_id:>6}  {where:<13}  {kind:<8}  {_table_cell(h.title, 30):<30}  "
                          f"{_table_cell(snippet, 100)}\n")
    if not hits:
        click.echo("No results.", err=True)


@cli.command()
@db_option
@corpus_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
def sources(db_path, outlet, status, date_from, date_to, analyst, layer, fmt) -> None:
    """Who is cited: source annotations grouped into the people and organisations they name,
    most cited first (confirmed groups and proposals).

    jsonl: one line per source with name, count, confirmed, outlets, articles, first, last,
    by_month (citations each month, first to last) and mentions: a list of
    {article_id, start, end, quote}.
    """
    from annotator.formats.safety import neutralise
    from annotator.services.sources import source_registry

    store = _open(db_path)
    entries = source_registry(store, _corpus_filters(store, None, outlet, status, date_from, date_to, analyst, layer))
    with _utf8_stdout() as out:
        writer = csv.writer(out, lineterminator="\r\n")
        if fmt == "csv":
            writer.writerow(("name", "count", "confirmed", "articles", "outlets", "first", "last"))
        for e in entries:
            outlets = "; ".join(f"{o} ({n})" for o, n in e.outlets.most_common())
            if fmt == "jsonl":
                record = {
                    "name": e.name, "count": e.count, "confirmed": e.confirmed, "outlets": dict(e.outlets),
                    "articles": e.article_ids, "first": e.first_seen, "last": e.last_seen, "by_month": e.by_month,
                    "mentions": [{"article_id": m.article_id, "start": m.start, "end": m.end, "quote": m.quote}
                                 for m in e.ordered()],
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif fmt == "csv":
                writer.writerow([neutralise(e.name), e.count, int(e.confirmed), len(e.article_ids),
                                 neutralise(outlets), e.first_seen, e.last_seen])
            else:
                out.write(f"{e.count:>6}  {len(e.article_ids):>5} art.  {_table_cell(e.name, 40):<40}  "
                          f"{_table_cell(outlets, 60)}\n")


@cli.command()
@db_option
@corpus_filter_options
@click.option("--min-reports", type=click.IntRange(1), default=1, show_default=True,
              help="Only quantities reported this many times or more.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
def figures(db_path, outlet, status, date_from, date_to, analyst, layer, min_reports, fmt) -> None:
    """Figures side by side: grouped by what they count (noun and unit), with their spread.

    csv: one row per report; jsonl: one line per group with its reports (outliers marked).
    """
    from annotator.formats.safety import neutralise
    from annotator.services.figures import figure_groups, number_text, report_places

    store = _open(db_path)
    groups = figure_groups(store, _corpus_filters(store, None, outlet, status, date_from, date_to, analyst, layer),
                           min_reports=min_reports)
    with _utf8_stdout() as out:
        writer = csv.writer(out, lineterminator="\r\n")
        if fmt == "csv":
            writer.writerow(("noun", "unit", "value", "qualifier", "outlier", "quote", "outlet", "published",
                             "article_id", "start", "end"))
        for g in groups:
            g.reports.sort(key=lambda r: (r.published, r.outlet))
            places = report_places(store, g.reports) if fmt != "table" else {}
            if fmt == "jsonl":
                record = {
                    "noun": g.noun, "unit": g.unit, "count": g.count, "low": g.low, "high": g.high,
                    "median": g.median, "spread": g.spread, "outlets": g.outlets,
                    "reports": [{"article_id": r.article_id, "start": places[r.annotation_id][0],
                                 "end": places[r.annotation_id][1], "quote": places[r.annotation_id][2],
                                 "value": r.value, "qualifier": r.qualifier, "outlet": r.outlet,
                                 "published": r.published, "outlier": r.outlier} for r in g.reports],
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif fmt == "csv":
                for r in g.reports:
                    start, end, quote, _title = places[r.annotation_id]
                    writer.writerow([neutralise(g.noun), g.unit, r.value, r.qualifier, int(r.outlier),
                                     neutralise(quote), neutralise(r.outlet), r.published, r.article_id,
                                     start, end])
            else:
                spread = (f"{number_text(g.low)}–{number_text(g.high)}, median {number_text(g.median)}"
                          if g.low is not None else "")
                outliers = sum(r.outlier for r in g.reports)
                out.write(f"{g.count:>6}  {_table_cell(g.label, 30):<30}  {spread:<36}  "
                          f"{outliers} outlier{'s' if outliers != 1 else ''}  {_table_cell(', '.join(g.outlets), 40)}\n")


SERVER_HELP = ("The team server: a libpq connection string or URL (postgresql://NAME@HOST/DB); "
               "the password comes from PGPASSWORD, ~/.pgpass or a service file, never from here.")


@cli.group()
def team() -> None:
    """Set up the team server (PostgreSQL): schema, policies, analysts."""


@team.command("init")
@click.option("--server", "server_url", required=True, help=SERVER_HELP)
def team_init(server_url: str) -> None:
    """Create or upgrade the team schema, roles and row-level security (as the database owner)."""
    from annotator.services import team as team_services

    try:
        before, after = team_services.init_server(server_url)
    except team_services.TeamError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Team server schema {after}" + (" (already up to date)." if before == after else f" (was {before})."))


@team.command("add-analyst")
@click.option("--server", "server_url", required=True, help=SERVER_HELP)
@click.option("--curator", is_flag=True, help="May change the codebook (tags) and the curated layer.")
@click.argument("name")
def team_add_analyst(server_url: str, curator: bool, name: str) -> None:
    """Create the PostgreSQL login role NAME for an analyst (set its password with psql's \\password)."""
    from annotator.services import team as team_services

    try:
        new = team_services.add_analyst(server_url, name, curator=curator)
    except team_services.TeamError as error:
        raise click.ClickException(str(error)) from error
    role = "curator" if curator else "analyst"
    click.echo(f"{'Added' if new else 'Updated'} {role} {name}.")


@cli.command()
@db_option
@click.option("--server", "server_url", required=True, help=SERVER_HELP)
@click.option("--analyst", default=None, help="Log in as this analyst (default: the user named in the URL).")
def sync(db_path: Path | None, server_url: str, analyst: str | None) -> None:
    """Send this database's changes to the team server and receive everyone else's."""
    from annotator.services import team as team_services

    store = _open(db_path)
    try:
        report = team_services.sync(store, server_url, analyst=analyst)
    except team_services.TeamError as error:
        raise click.ClickException(f"{error}\nOffline: your work is kept here and sent by the next sync.") from error
    finally:
        store.close()
    click.echo(f"Synced as {report.analyst}{' (curator)' if report.curator else ''}.")
    for line in report.lines():
        click.echo(line)


@cli.command()
@db_option
@click.option("--article", "article_ids", type=int, multiple=True, help="Only this article (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--with-curated", is_flag=True,
              help="Compare with the curated layer too, as one more analyst named (curated).")
def agreement(db_path: Path | None, article_ids: tuple[int, ...], fmt: str, with_curated: bool) -> None:
    """Agreement between analysts: Cohen's kappa, Krippendorff's alpha and span F1 (exact,
    overlap), per tag, per article and over the corpus, for each pair and for all;
    then the disagreements. The analysts' own annotations are compared (--layer makes
    no sense here); --with-curated adds the lead's curated layer."""
    import dataclasses

    from annotator.services.agreement import compute_agreement

    store = _open(db_path)
    try:
        report = compute_agreement(store, list(article_ids) or None, with_curated=with_curated)
    finally:
        store.close()
    scores = [dataclasses.asdict(s) for s in report.scores]
    with _utf8_stdout() as out:
        if fmt == "json":
            json.dump({"analysts": report.analysts, "scores": scores,
                       "disagreements": [dataclasses.asdict(d) for d in report.disagreements]},
                      out, ensure_ascii=False, indent=1)
            out.write("\n")
            return
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(list(scores[0]) if scores else ["article_id", "tag", "pair"])
            writer.writerows([["corpus" if v is None and k == "article_id" else ("" if v is None else v)
                               for k, v in s.items()] for s in scores])
            return

        def number(value: float | None) -> str:
            return "   –" if value is None else f"{value:5.2f}"

        out.write(f"{'scope':<10} {'tag':<12} {'analysts':<20} {'kappa':>5} {'alpha':>5} {'F1=':>5} {'F1~':>5} {'words':>7}\n")
        for s in report.scores:
            scope = "corpus" if s.article_id is None else f"article {s.article_id}"
            tag = "all tags" if s.tag == "*" else s.tag
            pair = "all analysts" if s.pair == "*" else s.pair
            out.write(f"{scope:<10} {tag[:12]:<12} {pair[:20]:<20} {number(s.kappa)} {number(s.alpha)} "
                      f"{number(s.f1_exact)} {number(s.f1_overlap)} {s.units:>7}\n")
        if report.disagreements:
            out.write(f"\n{len(report.disagreements)} disagreements:\n")
            for d in report.disagreements:
                out.write(f"  article {d.article_id} {d.start}-{d.end} {d.kind:<8} {d.analyst} {d.tag} "
                          f"(not so for {d.other}): {d.quote[:60]!r}\n")
    if not report.scores:
        click.echo("No article has been annotated by two analysts yet.", err=True)


@cli.command()
@db_option
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what would change; write nothing.")
def merge(db_path: Path | None, other: Path, dry_run: bool) -> None:
    """Bring another analyst's database file OTHER in (no server needed): their articles,
    tags and annotations; yours stay as you have them. One transaction."""
    from annotator.services.merge import merge as merge_into
    from annotator.services.merge import plan_merge
    from annotator.store import StoreError

    store = _open(db_path)
    try:
        plan = plan_merge(store, other)
        for line in plan.lines():
            click.echo(line)
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        done = merge_into(store, plan)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()
    click.echo(f"Merged: {done.articles} articles, {done.annotations} annotations, {done.removed} deletions, "
               f"{done.links} links.")


@cli.command()
@db_option
@click.option("--article", "article_ids", type=int, multiple=True, help="Only this article (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def curation(db_path: Path | None, article_ids: tuple[int, ...], fmt: str) -> None:
    """Where curation stands: per article, the groups of the analysts' spans and how many
    are settled (accepted into the curated layer or rejected); curated = all of them."""
    from annotator.services.curation import curation_overview
    from annotator.store import StoreError

    store = _open(db_path)
    try:
        states = curation_overview(store, list(article_ids) or None)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()
    with _utf8_stdout() as out:
        if fmt == "json":
            json.dump([{"article_id": s.article_id, "title": s.title, "analysts": list(s.analysts),
                        "groups": s.groups, "settled": s.settled, "state": s.state,
                        "statuses": dict(s.statuses)} for s in states],
                      out, ensure_ascii=False, indent=1)
            out.write("\n")
            return
        out.write(f"{'article':>7}  {'state':<17}  {'settled':>9}  {'analysts':<24}  {'their status':<30}  title\n")
        for s in states:
            said = ", ".join(f"{analyst} {status}" for analyst, status in s.statuses)
            out.write(f"{s.article_id:>7}  {s.state:<17}  {f'{s.settled}/{s.groups}':>9}  "
                      f"{_table_cell(', '.join(s.analysts), 24):<24}  {_table_cell(said, 30):<30}  "
                      f"{_table_cell(s.title, 50)}\n")
    done = sum(s.fully_curated and s.groups > 0 for s in states)
    click.echo(f"{done} of {sum(s.groups > 0 for s in states)} annotated articles fully curated.", err=True)


@cli.command()
@db_option
@click.option("--article", "article_id", type=int, required=True, help="The article to curate.")
@click.option("--group", "group_numbers", type=click.IntRange(1), multiple=True,
              help="Only this group, by its number in the listing (repeatable; default: every open group).")
@click.option("--accept", "accept_analyst", default=None, metavar="ANALYST",
              help="Accept this analyst's spans of the groups into the curated layer.")
@click.option("--accept-agreed", is_flag=True, help="Accept the groups on which every analyst agrees.")
@click.option("--reject", is_flag=True, help="Settle the groups without a curated span.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def curate(db_path: Path | None, article_id: int, group_numbers: tuple[int, ...], accept_analyst: str | None,
           accept_agreed: bool, reject: bool, fmt: str) -> None:
    """Curate one article: list the analysts' spans side by side in numbered groups, or
    accept one analyst's spans, the agreed groups, or reject groups (only curators, in a team)."""
    from annotator.services.curation import accept_span, curation_groups, reject_group
    from annotator.store import StoreError

    if sum((accept_analyst is not None, accept_agreed, reject)) > 1:
        raise click.UsageError("Give one of --accept, --accept-agreed and --reject.")
    store = _open(db_path)
    try:
        groups = curation_groups(store, article_id)
        for number in group_numbers:
            if number > len(groups):
                raise click.ClickException(f"Article {article_id} has {len(groups)} groups; there is no group {number}.")
        chosen = [groups[n - 1] for n in group_numbers] or [g for g in groups if not g.settled]
        done = 0
        for group in chosen:
            if accept_analyst is not None:
                for span in group.by_analyst().get(accept_analyst, ()):
                    accept_span(store, annotation_id=span.annotation_id)
                    done += 1
            elif accept_agreed and group.agreed and len(group.analysts) > 1:
                for span in group.by_analyst()[group.analysts[0]]:
                    accept_span(store, annotation_id=span.annotation_id)
                    done += 1
            elif reject:
                reject_group(store, annotation_id=group.spans[0].annotation_id)
                done += 1
        if accept_analyst is not None or accept_agreed or reject:
            click.echo(f"{'Rejected' if reject else 'Accepted'} {done} {'groups' if reject else 'spans'}.", err=True)
            groups = curation_groups(store, article_id)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    finally:
        store.close()
    with _utf8_stdout() as out:
        if fmt == "json":
            json.dump([{"group": n, "start": g.start, "end": g.end, "settled": g.settled, "agreed": g.agreed,
                        "rejected": g.rejected,
                        "spans": [{"annotation_id": s.annotation_id, "analyst": s.analyst, "layer": s.layer,
                                   "tag": s.tag, "start": s.start, "end": s.end, "quote": s.quote}
                                  for s in g.spans]}
                       for n, g in enumerate(groups, 1)], out, ensure_ascii=False, indent=1)
            out.write("\n")
            return
        for n, g in enumerate(groups, 1):
            state = "curated" if g.curated else "rejected" if g.rejected else "open"
            out.write(f"{n:>4}  {g.start}-{g.end}  {state}{' (agreed)' if g.agreed and len(g.analysts) > 1 else ''}\n")
            for s in g.spans:
                who = "curated" if s.layer else s.analyst
                out.write(f"        {_table_cell(who, 14):<14} {s.tag:<10} {s.start}-{s.end}  "
                          f"{_table_cell(repr(s.quote), 70)}\n")


def _read_utf8(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {path}: {error.strerror or error}") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{path} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it, or import it with 'annotator import' and suggest by article id."
        ) from error


def main() -> None:
    try:
        cli(prog_name="annotator")
    except Exception as error:
        # A storage problem met after opening (a damaged page, a read-only or full
        # disk) is a message for the person, not a traceback.
        from annotator.store import StoreError

        if not isinstance(error, StoreError):
            raise
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
