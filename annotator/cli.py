"""The command line. With no command, the window opens."""

from __future__ import annotations

import contextlib
import csv
import io
import json
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
    from annotator.gui.app import run

    sys.exit(run(db_path=_db_path(db_path), files=list(files), quit_after=quit_after))


@cli.command("import")
@db_option
@click.option("--keep-boilerplate", is_flag=True, help="Keep lines such as \"Advertisement\" or \"Read more:\" in the text.")
@click.option("--dry-run", is_flag=True, help="Only show what would be stored; write nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="jsonl: one JSON record per file (with --dry-run: text, metadata and removed lines).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def import_(db_path: Path | None, paths: tuple[Path, ...], keep_boilerplate: bool, dry_run: bool, fmt: str) -> None:
    """Import article files (folders are searched recursively).

    Prints one line per file: the new article id, "already present", or the error.
    Exits with status 1 if any file failed.
    """
    if dry_run:
        sys.exit(_import_dry_run(list(paths), keep_boilerplate=keep_boilerplate, fmt=fmt))
    from annotator.services.intake import iter_import

    store = _open(db_path)
    failed = False
    with _utf8_stdout() as out:
        for outcome in iter_import(store, list(paths), keep_boilerplate=keep_boilerplate):
            failed = failed or outcome.status == "error"
            if fmt == "jsonl":
                record = {"path": outcome.path, "status": outcome.status, "article_id": outcome.article_id,
                          "message": outcome.message}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif outcome.status == "imported":
                out.write(f"{outcome.path}\timported as article {outcome.article_id}\n")
            elif outcome.status == "duplicate":
                out.write(f"{outcome.path}\talready present as article {outcome.article_id}\n")
            else:
                out.write(f"{outcome.path}\terror: {outcome.message}\n")
    if failed:
        sys.exit(1)


def _import_dry_run(paths: list[Path], *, keep_boilerplate: bool, fmt: str) -> int:
    """Print what ``import`` would store (without the outlet-furniture pass, which needs the database)."""
    from annotator.ingest import IngestError
    from annotator.services.intake import preview_paths

    failed = False
    with _utf8_stdout() as out:
        for path, result in preview_paths(paths, keep_boilerplate=keep_boilerplate):
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
def export(db_path: Path | None, fmt: str, article_ids: tuple[int, ...], output: Path | None, bom: bool | None) -> None:
    """Export annotations (csv, an Excel workbook, jsonl, W3C Web Annotations, REFI-QDA .qdpx, brat or an HTML report)."""
    from annotator.formats import FORMATS
    from annotator.services.exporting import ExportError, export_annotations, export_to_stream
    from annotator.store import StoreError

    store = _open(db_path)
    for article_id in article_ids:
        if not store.has_article(article_id):
            raise click.ClickException(f"There is no article with id {article_id} in {store.path}.")
    ids = list(article_ids) or None
    try:
        if output is None:
            spec = FORMATS[fmt]
            if spec.write is None or spec.binary:
                raise click.ClickException(f"--format {fmt} writes a binary file or several files: give -o PATH.")
            with _utf8_stdout() as out:
                export_to_stream(store, fmt, out, article_ids=ids, bom=bool(bom))
        else:
            count = export_annotations(store, fmt, output, article_ids=ids, bom=True if bom is None else bom)
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
    click.echo(plan.summary())
    for title, lines in (("Conflicts", plan.conflicts), ("Errors", plan.errors)):
        if lines:
            click.echo(f"\n{title}:")
            for line in lines:
                click.echo(f"  {line}")
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
            f" {result.tags_created} new tags."
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
