"""`pressflow runs` and `pressflow report`: the operator's morning.

`runs` lists the last runs (kind, start, duration, pages, what they did to the articles, failures,
status); `report` shows each crawled source's health over recent nights and flags a source that went
silent or whose extraction got worse. Both read the views of migration 013 (warehouse/health.py), so
the same answers are one SQL query away: `SELECT * FROM run_history`, `SELECT * FROM source_health(7)`."""
from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

# piped or redirected (cron mail, a file), tables keep their columns instead of folding at 80
console = Console(stderr=False, soft_wrap=True, width=None if sys.stdout.isatty() else 180)
errors = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file")]
DEFAULT_DB = Path("data/pressflow.duckdb")


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Kind(StrEnum):
    ingest = "ingest"
    crawl = "crawl"
    reprocess = "reprocess"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def runs_command(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", min=1, help="how many runs, newest first")] = 10,
    kind: Annotated[Kind | None, typer.Option("--kind", help="only runs of this kind")] = None,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
) -> None:
    """The last runs: kind, start, duration, pages, articles new / updated / unchanged / copies, failures,
    status (the view run_history)."""
    from pipelines.cli import OutputFormat, print_rows, read_only
    from warehouse.health import RUN_COLUMNS, recent_runs

    with read_only(db) as con:
        rows = recent_runs(con, limit, kind.value if kind else None)
    if format is not Format.table:
        print_rows(RUN_COLUMNS, rows, OutputFormat(format.value))
        return
    table = Table("run", "kind", "started (KST)", "took", "pages", "new", "updated", "unchanged", "copies",
                  "not articles", "failures", "status")
    for run_id, run_kind, status, started, seconds, pages, new, updated, unchanged, copies, skipped, failures in rows:
        style = {"ok": "green", "failures": "yellow"}.get(status, "red")
        table.add_row(run_id, run_kind, _when(started), duration(seconds), str(pages or 0), str(new), str(updated),
                      str(unchanged), str(copies), str(skipped or 0), str(failures or 0),
                      f"[{style}]{escape(status)}[/{style}]")
    console.print(table)
    if not rows:
        errors.print(f"no runs in {escape(str(db))} yet")


def report_text(con, nights: int) -> tuple[list[str], list[list[str]], list[str]]:  # type: ignore[no-untyped-def]
    """The report's title lines, table and flag lines (shared by the command and the tests)."""
    from warehouse.health import crawl_nights, health_table, source_health

    covered = crawl_nights(con, nights)
    rows = source_health(con, nights)
    title = [f"source health over the last {nights} nights: {len(covered)} crawl runs"
             + (f", {_when(covered[-1][1])} … {_when(covered[0][1])} (KST)" if covered else "")]
    header, cells = health_table(rows)
    flags = [f"{r.source}: {'; '.join(r.flags)}" for r in rows if r.flags]
    return title, [header, *cells], flags


def report_command(
    db: DbOption = DEFAULT_DB,
    nights: Annotated[int, typer.Option("--nights", min=1, help="how many of each source's latest crawls")] = 7,
    format: Annotated[Format, typer.Option("--format")] = Format.table,
) -> None:
    """Each crawled source's health over recent nights: articles, empty bodies, missing dates, 4xx/5xx,
    robots blocks, duplicates; flags a source that went silent or whose extraction quality dropped
    (the macro source_health(N))."""
    from pipelines.cli import OutputFormat, print_rows, read_only
    from warehouse.health import HEALTH_COLUMNS, source_health

    with read_only(db) as con:
        if format is not Format.table:
            rows = source_health(con, nights)
            print_rows(HEALTH_COLUMNS, [tuple(getattr(r, c) for c in HEALTH_COLUMNS) for r in rows],
                       OutputFormat(format.value))
            return
        title, (header, *cells), flags = report_text(con, nights)
    console.print(title[0])
    if not cells:
        console.print("no crawl has run on this database yet (pressflow crawl)")
        return
    table = Table(*header)
    for row in cells:
        table.add_row(*(escape(c) for c in row[:-1]),
                      "[green]ok[/green]" if row[-1] == "ok" else f"[bold red]{escape(row[-1])}[/bold red]")
    console.print(table)
    for line in flags:
        console.print(f"[bold red]flag[/bold red] {escape(line)}")
    if not flags:
        console.print("no source flagged")


def writer_limit_command(
    db: DbOption = DEFAULT_DB,
    create: Annotated[bool, typer.Option("--create", help="create it (limit 1) on the configured Prefect "
                                                          "server (PREFECT_API_URL)")] = False,
) -> None:
    """The name of this database's one-writer limit on a Prefect server: the crawl, ingest and reprocess
    flows that write the file take its slot, so two never write at once."""
    from pipelines.writer_slot import ensure_writer_limit, writer_limit_name

    if not create:
        console.print(writer_limit_name(db), highlight=False)
        return
    from pipelines.cli import prefect_api_url

    if not prefect_api_url():
        errors.print("[red]error:[/red] no Prefect server configured: set PREFECT_API_URL (or "
                     ".venv/bin/prefect config set PREFECT_API_URL=…) so the limit lives where the flows run")
        raise typer.Exit(2)
    name = ensure_writer_limit(db)
    console.print(f"global concurrency limit {name} (limit 1) for {db.resolve()}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("runs")(runs_command)
    app.command("report")(report_command)
    app.command("writer-limit")(writer_limit_command)
