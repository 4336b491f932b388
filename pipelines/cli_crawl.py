"""`pressflow crawl`, `pressflow serve` and `pressflow sources check`.

`register(app)` adds them to the main Typer app. Exit codes: 0 all went well, 1 something
failed (a page, a feed, a source; the run still finished), 2 bad input (a sources file
that does not check out, an unknown source name, a bad date)."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

console = Console(stderr=False, soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)

DEFAULT_SOURCES = Path("sources.toml")
DEFAULT_DB = Path("data/pressflow.duckdb")
SourcesOption = Annotated[Path, typer.Option("--sources", help="the source registry (TOML)")]
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file")]


def _load_or_exit(sources: Path, name: str | None = None):  # type: ignore[no-untyped-def]
    from pipelines.sources import SourceError, load_sources, select

    try:
        return select(load_sources(sources), name)
    except SourceError as error:
        errors.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error


def crawl_command(
    sources: SourcesOption = DEFAULT_SOURCES,
    source: Annotated[str | None, typer.Option("--source", help="crawl only this source (its name)")] = None,
    since: Annotated[datetime | None, typer.Option("--since", formats=["%Y-%m-%d"],
                                                   help="skip articles and sitemaps dated before this day "
                                                        "(YYYY-MM-DD, KST)")] = None,
    db: DbOption = DEFAULT_DB,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="article pages per source and run; "
                                                                      "the rest wait for the next run")] = 500,
    agent: Annotated[str | None, typer.Option("--user-agent", help="the User-Agent's product token, e.g. "
                                                                   "'pressflow/0.1' (default: sources.toml "
                                                                   "[crawler] user_agent)")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="an e-mail address or URL for site operators "
                                                                  "(default: sources.toml [crawler] contact)")] = None,
) -> None:
    """Crawl the registry's sources: discover, fetch politely, archive (WARC), load into DuckDB.
    Exit 1 when anything failed; when every source failed the Prefect run also ends Failed."""
    chosen = _load_or_exit(sources, source)
    from pipelines.cli import _user_dict_or_exit

    _user_dict_or_exit(None)  # PRESSFLOW_USER_DICT, checked before any fetch
    from pipelines.crawl_flow import CrawlFailed, crawl
    from pipelines.logs import run_output

    try:
        with run_output():
            summary = crawl(sources_file=str(sources), source=source, since=since.date() if since else None,
                            db=str(db), max_pages_per_source=max_pages, agent=agent, contact=contact)
    except CrawlFailed as failed:
        _print_summary(failed.summary, [s.name for s in chosen], db)
        errors.print(f"[red]error:[/red] {failed}")
        raise typer.Exit(1) from failed
    _print_summary(summary, [s.name for s in chosen], db)
    raise typer.Exit(0 if summary.ok else 1)


def _print_summary(summary, names: list[str], db: Path) -> None:  # type: ignore[no-untyped-def]
    from pipelines.cli import print_skip_groups, read_only
    from warehouse.health import run_counts, skipped_by_reason, source_health

    with read_only(db) as con:
        counts, skips = run_counts(con, summary.run_id), skipped_by_reason(con, summary.run_id)
        flagged = [row for row in source_health(con, 7) if row.flags and row.source in names]
    console.rule("[bold]pressflow crawl")
    console.print(f"run {summary.run_id}: {len(names)} sources, {summary.pages} pages fetched; articles: "
                  f"[bold]{counts.sentence()}[/bold]; {summary.skipped} pages that are not articles, "
                  f"{summary.not_modified} not modified, {summary.disallowed} refused by robots.txt, "
                  f"{len(summary.failures)} failures; {summary.pending} URLs still pending")
    table = Table("source", "documents", "listed", "new", "fetched", "not modified", "robots", "articles",
                  "not articles", "failures")
    for s in summary.sources:
        table.add_row(s.source, *(str(v) for v in (s.documents, s.discovered, s.new, s.fetched, s.not_modified,
                                                   s.disallowed, s.articles, s.skipped)),
                      f"{s.failures}" + (" (task failed)" if s.error else ""))
    console.print(table)
    for failure in summary.failures[:50]:
        console.print(f"[red]failed[/red] {failure.source}: {failure.stage}: {failure.error}")
    if len(summary.failures) > 50:
        console.print(f"… and {len(summary.failures) - 50} more: pressflow query \"SELECT * FROM failures "
                      f"WHERE run_id = '{summary.run_id}'\" --db {db}")
    for note in summary.notes[:20]:
        console.print(f"[yellow]note[/yellow] {note}")
    print_skip_groups(skips, summary.run_id, db)
    for row in flagged:
        console.print(f"[bold red]flag[/bold red] {row.source}: {'; '.join(row.flags)} (pressflow report --db {db})")
    console.print(f"database {db.resolve()}; archive: {', '.join(summary.warc_paths) or '(nothing new)'}")


def serve_command(sources: SourcesOption = DEFAULT_SOURCES, db: DbOption = DEFAULT_DB) -> None:
    """Serve the nightly crawl (02:00 Asia/Seoul) as the Prefect deployment `nightly-crawl`; blocks."""
    _load_or_exit(sources)
    from pipelines.crawl_flow import serve
    from pipelines.logs import run_output

    with run_output(bar=False):
        serve(str(sources), str(db), say=lambda line: console.print(line, highlight=False))


def sources_check(sources: SourcesOption = DEFAULT_SOURCES) -> None:
    """Check the source registry: keys, URLs, regexes; list what each source will read."""
    from pipelines.sources import check_notes

    chosen = _load_or_exit(sources)
    table = Table("name", "region", "cms", "feeds", "sitemaps", "listing pages", "delay s", "verified")
    for s in chosen:
        table.add_row(s.name, s.region, s.cms or "", str(len(s.feeds)), str(len(s.sitemaps)),
                      str(sum(len(listing.page_urls()) for listing in s.listings)), f"{s.delay_seconds:g}",
                      "yes" if s.verified else "[yellow]no[/yellow]")
    console.print(table)
    for s in chosen:
        for note in check_notes(s):
            console.print(f"[yellow]note[/yellow] {s.name}: {note}")
    unverified = sum(not s.verified for s in chosen)
    console.print(f"{sources}: {len(chosen)} sources OK ({unverified} with unverified discovery paths)")


def register(app: typer.Typer) -> None:
    """Add `crawl`, `serve` and `sources check` to the pressflow app."""
    app.command("crawl")(crawl_command)
    app.command("serve")(serve_command)
    sources_app = typer.Typer(no_args_is_help=True, help="The source registry (sources.toml).")
    sources_app.command("check")(sources_check)
    app.add_typer(sources_app, name="sources")
