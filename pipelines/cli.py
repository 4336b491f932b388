"""The `pressflow` command: ingest, export, query (and, as they land, crawl, search, reprocess)."""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.table import Table

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Korean regional press → structured, queryable policy data (DuckDB).")
console = Console(stderr=False, soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

DEFAULT_DB = Path("data/pressflow.duckdb")
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file")]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"


@contextmanager
def read_only(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database opened read-only, or a clear error and exit code 2."""
    from warehouse import reading
    from warehouse.schema import WarehouseError

    try:
        with reading(db) as con:
            yield con
    except WarehouseError as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error


def bundled_samples() -> Path:
    """The sample pages shipped with pressflow: the five seed pages and the HTML samples."""
    return Path(str(files("pipelines").joinpath("samples")))


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="files or folders: .txt, .html/.htm, .warc/.warc.gz "
                                                         "(default: the bundled sample pages)")] = None,
    db: DbOption = DEFAULT_DB,
    user_dict: Annotated[Path | None, typer.Option("--user-dict", help="your agencies/programmes (TSV)")] = None,
) -> None:
    """Read page files, extract articles, analyse them and load them into DuckDB."""
    from pipelines.flows import ingest_flow
    from warehouse.report import database_report

    targets = [str(p) for p in paths] if paths else [str(bundled_samples())]
    if user_dict is not None and not user_dict.is_file():
        errors.print(f"[red]error:[/red] --user-dict {user_dict}: no such file")
        raise typer.Exit(2)
    summary = ingest_flow(targets, str(db), str(user_dict) if user_dict else None)
    with read_only(db) as con:
        report = database_report(con, summary.run_id)
    _print_summary(summary, report, db)
    raise typer.Exit(0 if summary.ok else 1)


def _print_summary(summary, report, db: Path) -> None:  # type: ignore[no-untyped-def]
    console.rule("[bold]pressflow ingest")
    console.print(f"run {summary.run_id}: {summary.pages} pages read, [bold]{summary.articles} articles[/bold] "
                  f"loaded, {summary.skipped} pages that are not articles, "
                  f"{len(summary.failures)} failures")
    span = (f"{report.first_published} … {report.last_published}" if report.first_published
            else "no publication dates")
    console.print(f"database {db.resolve()} now holds {report.articles} articles, {report.agencies} agencies, "
                  f"{report.programs} programmes; published {span}")
    if report.top_agencies:
        console.print("most named agencies: " + ", ".join(f"{n} ({c})" for n, c in report.top_agencies))
    if report.top_programs:
        console.print("programmes: " + ", ".join(f"{n} ({c})" for n, c in report.top_programs))
    for source, kind, reason, likely in report.run_skipped:
        flag = " [bold red]looks like an article: check it[/bold red]" if likely else ""
        console.print(f"[yellow]not an article[/yellow] ({kind}: {reason or 'no reason recorded'}): {source}{flag}")
    for failure in summary.failures:
        console.print(f"[red]failed[/red] {failure.source}: {failure.stage}: {failure.error}")
    console.print("try: pressflow query \"SELECT name, level, region, articles FROM agencies "
                  f"ORDER BY articles DESC LIMIT 10\" --db {db}")


class Stage(StrEnum):
    extract = "extract"
    analyse = "analyse"


@app.command()
def reprocess(
    stage: Annotated[Stage, typer.Option("--stage", help="extract: extract and analyse again; analyse: analysis only")
                     ] = Stage.extract,
    where: Annotated[str | None, typer.Option("--where", help="SQL condition on articles, e.g. "
                                                              "\"analyser_version <> 'analyse-0.2.0'\"")] = None,
    db: DbOption = DEFAULT_DB,
    user_dict: Annotated[Path | None, typer.Option("--user-dict", help="your agencies/programmes (TSV)")] = None,
) -> None:
    """Re-run extraction and/or analysis from the stored pages, replacing the derived rows."""
    from pipelines.flows import reprocess_flow
    from warehouse.read import check_where
    from warehouse.schema import WarehouseError

    with read_only(db) as con:  # a bad --where is the user's typo: say so before any run starts
        try:
            selected = check_where(con, where)
        except WarehouseError as error:
            errors.print(f"[red]error:[/red] {error}")
            raise typer.Exit(2) from error
    errors.print(f"reprocessing ({stage.value}) {'every stored page' if stage is Stage.extract and not where else ''}"
                 f"{'' if stage is Stage.extract and not where else f'{selected} articles'} from {db}")
    try:
        summary = reprocess_flow(str(db), stage.value, where, str(user_dict) if user_dict else None)
    except WarehouseError as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    console.print(f"reprocess ({stage.value}) run {summary.run_id}: {summary.pages} pages, "
                  f"{summary.articles} articles replaced, {summary.skipped} not articles, "
                  f"{len(summary.failures)} failures")
    for failure in summary.failures:
        console.print(f"[red]failed[/red] {failure.source}: {failure.stage}: {failure.error}")
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="jsonl (RECORDS.md) or parquet")],
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", help="file (jsonl) or folder (parquet); "
                                                           "jsonl default: stdout")] = None,
) -> None:
    """Write the warehouse's records: JSONL one article a line, or Parquet by month."""
    from warehouse.export import write_jsonl, write_parquet

    with read_only(db) as con:
        if format is ExportFormat.jsonl:
            if out:
                with out.open("w", encoding="utf-8") as handle:
                    count = write_jsonl(con, handle)
            else:
                count = write_jsonl(con, sys.stdout)
        else:
            if out is None:
                errors.print("[red]error:[/red] --format parquet needs --out FOLDER")
                raise typer.Exit(2)
            count = write_parquet(con, out)
    if out:
        errors.print(f"wrote {count} articles to {out}")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="a SQL query (read-only)")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Run a read-only SQL query and print its result."""
    with read_only(db) as con:
        try:
            result = con.execute(sql)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchall()
        except duckdb.Error as error:
            errors.print(f"[red]error:[/red] query failed: {error}")
            raise typer.Exit(2) from error
    print_rows(columns, rows, format)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="words to look for, e.g. \"이동노동자 쉼터\"")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 10,
) -> None:
    """Korean full-text search (BM25 over Kiwi morphemes): the best matching articles."""
    from nlp.kiwi_runtime import query_terms
    from warehouse.search import search as run_search

    terms = query_terms(query)
    if not terms:
        errors.print(f"[red]error:[/red] the query {query!r} has no words to search for")
        raise typer.Exit(2)
    with read_only(db) as con:
        hits = run_search(con, terms, limit)
    if format is OutputFormat.table:
        errors.print(f"searched for {' '.join(terms)}: {len(hits)} articles")
    print_rows(["article_id", "score", "title", "outlet", "published_at", "snippet"],
               [(h.article_id, h.score, h.title, h.outlet, h.published_at, h.snippet) for h in hits], format)


@app.command()
def skipped(
    db: DbOption = DEFAULT_DB,
    likely_articles: Annotated[bool, typer.Option("--likely-articles",
                                                  help="only pages that still hold a paragraph's worth of prose")] = False,
    run: Annotated[str | None, typer.Option("--run", help="only this run's pages")] = None,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Pages recorded as not articles, with the reason and how much text and prose they held."""
    from warehouse.report import SKIPPED_COLUMNS, skipped_pages

    with read_only(db) as con:
        rows = skipped_pages(con, likely_articles=likely_articles, run_id=run)
    columns = SKIPPED_COLUMNS
    if format is OutputFormat.table:
        what = "skipped pages that look like articles" if likely_articles else "skipped pages"
        errors.print(f"{len(rows)} {what}")
        shown = 6  # source, kind, reason, text, prose, likely: the rest (title, run, time) in csv/json
        columns, rows = columns[:shown], [row[:shown] for row in rows]
    print_rows(columns, rows, format)


def print_rows(columns: list[str], rows: list[tuple], format: OutputFormat) -> None:
    if format is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    elif format is OutputFormat.json:
        sys.stdout.write(json.dumps([dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, default=str,
                                    indent=1) + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


def _register_crawl_commands() -> None:
    from pipelines.cli_crawl import register  # crawl, serve, sources check

    register(app)


_register_crawl_commands()


if __name__ == "__main__":
    app()
