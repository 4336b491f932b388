"""The `pressflow` command: ingest, reprocess, export, query, search, crawl, serve.

Local commands (ingest, reprocess, export, query, search) run the same functions as the
Prefect flows directly and need no Prefect server; ingest and reprocess run as Prefect flows
when a server is configured (PREFECT_API_URL in the environment or the active Prefect
profile). crawl and serve are always flows; without a server Prefect starts a temporary one,
given PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS (90 here) to start.

Exit codes: 0 all went well, 1 some inputs or pages failed (the run finished), 2 bad input
(a path, a query, a database), 3 pressflow could not run (the temporary Prefect server did not
start), 130/143 the run was stopped by Ctrl-C/SIGTERM (what it loaded is kept)."""
from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's default (20 s) is missed on a loaded machine; a slow start is better than no run
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Korean regional press → structured, queryable policy data (DuckDB).")
console = Console(stderr=False, soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        from extractors.model import EXTRACTOR_VERSION
        from nlp.model import ANALYSER_VERSION

        console.print(f"pressflow {version('pressflow')} ({EXTRACTOR_VERSION}, {ANALYSER_VERSION})")
        raise typer.Exit(0)


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                                help="the release, and the extractor and analyser versions")
                             ] = False,
          log_level: Annotated[LogLevel | None, typer.Option("--log-level", case_sensitive=False,
                                                             help="pressflow's and Prefect's log lines from this "
                                                                  "level up (default: PRESSFLOW_LOG_LEVEL or INFO)")
                               ] = None,
          quiet: Annotated[bool, typer.Option("--quiet", "-q", help="errors and the final summary only: no "
                                                                    "progress bar, no log lines")] = False) -> None:
    """Korean regional press → structured, queryable policy data (DuckDB)."""
    from pipelines import logs

    logs.choose(log_level.value if log_level else None, quiet)

DEFAULT_DB = Path("data/pressflow.duckdb")
DEFAULT_PARQUET = Path("data/parquet")
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
        errors.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error


def prefect_api_url() -> str | None:
    """The Prefect server runs should be recorded on, if one is configured: PREFECT_API_URL in
    the environment, else in the active profile of PREFECT_HOME/profiles.toml. Read without
    importing Prefect (which alone costs seconds)."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    try:
        profiles = tomllib.loads((home / "profiles.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    url = profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL")
    return str(url) if url else None


def _use_prefect() -> bool:
    return bool(prefect_api_url()) or os.environ.get("PRESSFLOW_USE_PREFECT", "").lower() in {"1", "true", "yes"}


def _local_logging() -> None:
    """Progress and warnings of a local run on stderr (flows log through Prefect instead)."""
    from pipelines import logs, progress

    logger = logging.getLogger("pressflow")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(progress.STDERR)  # through the progress bar's stderr while it shows
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logs.level())
    logger.propagate = False


def _user_dict_or_exit(path: Path | None) -> str | None:
    """The user dictionary checked once, up front: a bad row is one error naming the file and line."""
    from pipelines.user_dict import UserDictionaryError, check_user_dictionary

    try:
        check_user_dictionary(str(path) if path else None)
    except UserDictionaryError as error:
        errors.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
    return str(path) if path else None


def _limits_or_exit():  # type: ignore[no-untyped-def]
    from pipelines.limits import LimitError, Limits

    try:
        return Limits.from_env()
    except LimitError as error:
        errors.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error


def _cancelled(summary_kind: str, stop) -> typer.Exit:  # type: ignore[no-untyped-def]
    errors.print(f"[yellow]{summary_kind} stopped by {stop.signal_name}[/yellow]: the run is closed as cancelled; "
                 "the batches loaded before it are kept")
    return typer.Exit(143 if stop.signal_name == "SIGTERM" else 130)


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
    from pipelines.runs import RunCancelled
    from warehouse.report import database_report
    from warehouse.schema import WarehouseError

    targets = [str(p) for p in paths] if paths else [str(bundled_samples())]
    if user_dict is not None and not user_dict.is_file():
        errors.print(f"[red]error:[/red] --user-dict {escape(str(user_dict))}: no such file")
        raise typer.Exit(2)
    limits = _limits_or_exit()
    dictionary = _user_dict_or_exit(user_dict)
    from pipelines.logs import run_output

    try:
        if _use_prefect():
            from pipelines.flows import ingest_flow

            with run_output():
                summary = ingest_flow(targets, str(db), dictionary)
        else:
            from pipelines.runs import ingest_run

            _local_logging()
            with run_output():
                summary = ingest_run(targets, str(db), dictionary, limits=limits)
    except RunCancelled as stop:
        raise _cancelled("ingest", stop) from None
    except WarehouseError as error:  # the database cannot be opened or written: no run could start
        errors.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
    with read_only(db) as con:
        report = database_report(con, summary.run_id)
    _print_summary(summary, report, db)
    raise typer.Exit(0 if summary.ok else 1)


def _print_summary(summary, report, db: Path) -> None:  # type: ignore[no-untyped-def]
    from warehouse.health import run_counts, skipped_by_reason

    with read_only(db) as con:
        counts, skips = run_counts(con, summary.run_id), skipped_by_reason(con, summary.run_id)
    console.rule("[bold]pressflow ingest")
    console.print(f"run {summary.run_id}: {summary.pages} pages read; articles: [bold]{escape(counts.sentence())}"
                  f"[/bold]; {summary.skipped} pages that are not articles, {len(summary.failures)} failures")
    if report.run_articles and report.run_articles.copies:  # one release printed by several outlets
        console.print(f"stories: {report.run_articles.copies} of these articles reprint a story already loaded "
                      "(the stories view counts each story once)")
    span = (f"{report.first_published} … {report.last_published}" if report.first_published
            else "no publication dates")
    console.print(f"database {escape(str(db.resolve()))} now holds {report.articles} articles ({counts.new} new from "
                  f"this run), {report.agencies} agencies, {report.programs} programmes; published {span}")
    if report.top_agencies:
        console.print("most named agencies: " + ", ".join(f"{escape(n)} ({c})" for n, c in report.top_agencies))
    if report.top_programs:
        console.print("programmes: " + ", ".join(f"{escape(n)} ({c})" for n, c in report.top_programs))
    print_skip_groups(skips, summary.run_id, db)
    for failure in summary.failures:
        console.print(f"[red]failed[/red] {escape(failure.source)}: {failure.stage}: {escape(failure.error)}")
    console.print("try: pressflow query \"SELECT name, level, region, articles FROM agencies "
                  f"ORDER BY articles DESC LIMIT 10\" --db {db}")


def print_skip_groups(skips, run_id: str, db: Path) -> None:  # type: ignore[no-untyped-def]
    """Skipped pages as one line per kind and reason with its count (a folder of listings is one line)."""
    for group in skips:
        flag = (f" [bold red]{group.likely_articles} look like articles: check them[/bold red]"
                if group.likely_articles else "")
        console.print(f"[yellow]not articles[/yellow]: {group.pages} × {group.kind} ({escape(group.reason)}){flag}")
    if skips:
        console.print(f"the pages: pressflow skipped --run {run_id} --db {db}")


class Stage(StrEnum):
    extract = "extract"
    analyse = "analyse"


@app.command()
def reprocess(
    stage: Annotated[Stage, typer.Option("--stage", help="extract: extract and analyse again; analyse: analysis only")
                     ] = Stage.extract,
    where: Annotated[str | None, typer.Option("--where", help="SQL condition on articles, e.g. "
                                                              "\"published_at >= '2025-01-01'\"")] = None,
    db: DbOption = DEFAULT_DB,
    user_dict: Annotated[Path | None, typer.Option("--user-dict", help="your agencies/programmes (TSV)")] = None,
    stale: Annotated[bool, typer.Option("--stale", help="only the rows an older extractor or analyser made: "
                                                        "re-extract those, re-analyse the rest")] = False,
) -> None:
    """Re-run extraction and/or analysis from the stored pages, replacing the derived rows."""
    from warehouse.read import check_where
    from warehouse.schema import WarehouseError

    _user_dict_or_exit(user_dict)
    if stale:
        if where:
            errors.print("[red]error:[/red] --stale chooses the rows itself; give it without --where")
            raise typer.Exit(2)
        _reprocess_stale(db, str(user_dict) if user_dict else None)
        return
    with read_only(db) as con:  # a bad --where is the user's typo: say so before any run starts
        try:
            selected = check_where(con, where)
        except WarehouseError as error:
            errors.print(f"[red]error:[/red] {escape(str(error))}")
            raise typer.Exit(2) from error
    errors.print(f"reprocessing ({stage.value}) {'every stored page' if stage is Stage.extract and not where else ''}"
                 f"{'' if stage is Stage.extract and not where else f'{selected} articles'} from {escape(str(db))}")
    summary = _run_reprocess(db, stage.value, where, str(user_dict) if user_dict else None)
    console.print(f"reprocess ({stage.value}) run {summary.run_id}: {summary.pages} pages, "
                  f"{summary.articles} articles replaced ({escape(_counts(db, summary.run_id))}), "
                  f"{summary.skipped} not articles, {len(summary.failures)} failures")
    for failure in summary.failures:
        console.print(f"[red]failed[/red] {escape(failure.source)}: {failure.stage}: {escape(failure.error)}")
    raise typer.Exit(0 if summary.ok else 1)


def _counts(db: Path, run_id: str) -> str:
    from warehouse.health import run_counts

    with read_only(db) as con:
        return run_counts(con, run_id).sentence()


def _run_reprocess(db: Path, stage: str, where: str | None, dictionary: str | None):  # type: ignore[no-untyped-def]
    """One reprocess run, locally or as a Prefect flow when a server is configured."""
    from pipelines.logs import run_output
    from pipelines.runs import RunCancelled
    from warehouse.schema import WarehouseError

    limits = _limits_or_exit()
    try:
        if _use_prefect():
            from pipelines.flows import reprocess_flow

            with run_output():
                return reprocess_flow(str(db), stage, where, dictionary)
        from pipelines.runs import reprocess_run

        _local_logging()
        with run_output():
            return reprocess_run(str(db), stage, where, dictionary, limits=limits)
    except WarehouseError as error:
        errors.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error
    except RunCancelled as stop:
        raise _cancelled("reprocess", stop) from None


def _reprocess_stale(db: Path, user_dict: str | None) -> None:
    """Rows an older extractor made are extracted again; rows only an older analyser made are
    analysed again. The versions are hashes of the code (extractors/fingerprint.py)."""
    from extractors.model import EXTRACTOR_VERSION
    from nlp.model import ANALYSER_VERSION
    from warehouse.read import check_where

    plan = [("extract", f"extractor_version IS DISTINCT FROM '{EXTRACTOR_VERSION}'"),
            ("analyse", f"analyser_version IS DISTINCT FROM '{ANALYSER_VERSION}'")]
    ok = True
    for stage, where in plan:
        with read_only(db) as con:
            selected = check_where(con, where)
        errors.print(f"{selected} articles with a stale {'extractor' if stage == 'extract' else 'analyser'} "
                     f"version in {db}")
        if not selected:
            continue
        summary = _run_reprocess(db, stage, where, user_dict)
        console.print(f"reprocess ({stage}) run {summary.run_id}: {summary.articles} articles replaced "
                      f"({escape(_counts(db, summary.run_id))}), {summary.skipped} not articles, "
                      f"{len(summary.failures)} failures")
        for failure in summary.failures:
            console.print(f"[red]failed[/red] {failure.source}: {failure.stage}: {failure.error}")
        ok = ok and summary.ok
    raise typer.Exit(0 if ok else 1)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="jsonl (RECORDS.md) or parquet")],
    db: DbOption = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", help="file (jsonl) or folder (parquet); default: stdout "
                                                           f"(jsonl), {DEFAULT_PARQUET}/ (parquet)")] = None,
) -> None:
    """Write the warehouse's records: JSONL one article a line, or Parquet datasets by month
    (articles, agencies, mentions, programme facts, story clusters)."""
    from warehouse.export import ExportError, write_jsonl, write_parquet

    with read_only(db) as con:
        if format is ExportFormat.jsonl:
            if out:
                with out.open("w", encoding="utf-8") as handle:
                    count = write_jsonl(con, handle)
            else:
                count = write_jsonl(con, sys.stdout)
        else:
            out = out or DEFAULT_PARQUET
            try:
                counts = write_parquet(con, out)
            except ExportError as error:
                errors.print(f"[red]error:[/red] {escape(str(error))}")
                raise typer.Exit(2) from error
            errors.print(f"wrote {escape(str(out))}/: " + ", ".join(f"{table} {n} rows" for table, n in counts.items()))
            return
    if out:
        errors.print(f"wrote {count} articles to {escape(str(out))}")


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
            hint = ""
            if isinstance(error, duckdb.PermissionException) or "configuration has been locked" in str(error):
                hint = ("\n(pressflow query reads this database only: reading or writing files, ATTACH and "
                        "changing settings are turned off)")
            errors.print(f"[red]error:[/red] query failed: {escape(str(error))}{escape(hint)}")
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
    from warehouse.search import query_morphemes
    from warehouse.search import search as run_search

    terms = query_morphemes(query)  # what search_bm25 will look for: Kiwi's morphemes of the query
    if not terms:
        errors.print(f"[red]error:[/red] the query {escape(repr(query))} has no words to search for")
        raise typer.Exit(2)
    with read_only(db) as con:
        hits = run_search(con, query, limit)  # the SQL macro search_bm25('…') itself, as analysts call it
    if format is OutputFormat.table:
        errors.print(f"searched for {escape(' '.join(terms))}: {len(hits)} articles")
    print_rows(["article_id", "score", "title", "outlet", "published_at", "snippet"],
               [(h.article_id, h.score, h.title, h.outlet, h.published_at, h.snippet) for h in hits], format)


@app.command()
def show(
    article: Annotated[str, typer.Argument(help="an article's id, URL (or canonical URL) or source file")],
    db: DbOption = DEFAULT_DB,
    html: Annotated[Path | None, typer.Option("--html", help="also write a self-contained HTML page here")] = None,
) -> None:
    """One article with every extracted fact marked: kind, canonical form and the rule that found it."""
    from pipelines.show import render_html, render_terminal
    from warehouse.evidence import ArticleNotFound, find_article, load_evidence

    with read_only(db) as con:
        try:
            evidence = load_evidence(con, find_article(con, article))
        except ArticleNotFound as error:
            errors.print(f"[red]error:[/red] {escape(str(error))} ({escape(str(db))})")
            raise typer.Exit(1) from error
    console.print(render_terminal(evidence))
    if html is not None:
        try:
            html.parent.mkdir(parents=True, exist_ok=True)
            html.write_text(render_html(evidence), encoding="utf-8")
        except OSError as error:
            errors.print(f"[red]error:[/red] --html {escape(str(html))}: {escape(error.strerror or str(error))}")
            raise typer.Exit(2) from error
        errors.print(f"wrote {escape(str(html))}")


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


class Pool(StrEnum):
    all = "all"
    tuning = "tuning"
    sealed = "sealed"


@app.command()
def evaluate(
    folders: Annotated[list[Path] | None, typer.Argument(help="folders of pages with their *.gold.json beside them "
                                                           "(default: the bundled samples)")] = None,
    sealed: Annotated[int, typer.Option("--sealed", min=0, help="the last N gold records of each folder are its "
                                                                "sealed pool")] = 0,
    pool: Annotated[Pool, typer.Option("--pool", help="score every record, the tuning pool or the sealed pool")
                    ] = Pool.all,
    first_look: Annotated[Path | None, typer.Option("--first-look", help="append the rows to this log "
                                                                         "(tests/FIRST_LOOK.md)")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="keep the scored database here (default: a "
                                                         "temporary one)")] = None,
) -> None:
    """Score the pipeline on gold sets: ingest their pages, export the records, and print F1 per
    field (the RECORDS.md metric) for each folder."""
    import tempfile

    from pipelines.evaluate import FIRST_LOOK_HEADER, current_commit, first_look_rows, folder_set, score_table
    from pipelines.runs import ingest_run
    from warehouse.export import iter_records

    if folders:
        try:
            sets = [folder_set(folder, sealed=sealed) for folder in folders]
        except ValueError as error:
            errors.print(f"[red]error:[/red] {error}")
            raise typer.Exit(2) from error
    else:
        from pipelines.evaluate import bundled_sets

        sets = bundled_sets(bundled_samples())
    with tempfile.TemporaryDirectory(prefix="pressflow-eval-") as work:
        target = db or Path(work) / "eval.duckdb"
        _local_logging()
        ingest_run([str(p) for s in sets for p in s.pages], str(target), limits=_limits_or_exit())
        with read_only(target) as con:
            records = list(iter_records(con))
    console.print(score_table(sets, records, pool.value))
    if first_look:
        rows = first_look_rows(sets, records, pool.value, current_commit(Path.cwd()))
        if not first_look.exists():
            first_look.write_text("# First looks\n\n" + FIRST_LOOK_HEADER + "\n", encoding="utf-8")
        with first_look.open("a", encoding="utf-8") as log:
            log.write("\n".join(rows) + "\n")
        errors.print(f"appended {len(rows)} rows to {first_look}")


def _register_crawl_commands() -> None:
    from pipelines.cli_crawl import register  # crawl, serve, sources check
    from pipelines.cli_ops import register as register_ops  # runs, report

    register(app)
    register_ops(app)


_register_crawl_commands()

_SERVER_DID_NOT_START = "ephemeral Prefect API server"


def _temporary_server_dies_with_us() -> None:
    """kill -9 of a crawl left Prefect's temporary server running with nobody to stop it:
    Prefect's own clean-up is an atexit hook, which SIGKILL skips. Started from the main
    thread, the server is now asked to die with this process (PR_SET_PDEATHSIG; the kernel
    sends it when the thread that started it ends, hence main thread only). Only Prefect's
    server module sees the changed Popen."""
    import subprocess
    import threading
    import types

    from prefect.server.api import server as api_server

    from pipelines.extract_worker import die_with_parent

    class Popen(subprocess.Popen):  # type: ignore[type-arg]
        def __init__(self, args, *more, **options):  # type: ignore[no-untyped-def]
            if threading.current_thread() is threading.main_thread() and "preexec_fn" not in options:
                options["preexec_fn"] = die_with_parent
            super().__init__(args, *more, **options)

    module = types.ModuleType("subprocess")
    module.__dict__.update(subprocess.__dict__)
    module.Popen = Popen  # type: ignore[attr-defined]
    api_server.subprocess = module  # type: ignore[attr-defined]


def main() -> None:
    """The console entry point: the app, with one line instead of a traceback when Prefect's
    temporary server does not start."""
    if sys.argv[1:2] in (["crawl"], ["serve"]) and not prefect_api_url() and sys.platform.startswith("linux"):
        _temporary_server_dies_with_us()
    try:
        app()
    except RuntimeError as error:
        if _SERVER_DID_NOT_START not in str(error):
            raise
        limit = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")
        errors.print(f"[red]error:[/red] Prefect's temporary server did not start within {limit} s "
                     "(raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or set PREFECT_API_URL to a "
                     "running server)", soft_wrap=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
