"""Read-only questions the CLI asks after a run: what is in the database now."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb


@dataclass(frozen=True)
class DatabaseReport:
    articles: int
    agencies: int
    programs: int
    first_published: date | None
    last_published: date | None
    top_agencies: list[tuple[str, int]]
    top_programs: list[tuple[str, int]]
    run_failures: list[tuple[str, str, str]]
    run_skipped: list[tuple[str, str]]


def database_report(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> DatabaseReport:
    def one(sql: str) -> tuple:
        return con.execute(sql).fetchall()[0]

    first, last = one("SELECT min(published_at)::DATE, max(published_at)::DATE FROM articles")
    return DatabaseReport(
        articles=one("SELECT count(*) FROM articles")[0],
        agencies=one("SELECT count(*) FROM agencies")[0],
        programs=one("SELECT count(*) FROM programs")[0],
        first_published=first, last_published=last,
        top_agencies=con.execute("SELECT name, articles FROM agencies ORDER BY articles DESC, name LIMIT 5").fetchall(),
        top_programs=con.execute("SELECT name, articles FROM programs ORDER BY articles DESC, name LIMIT 5").fetchall(),
        run_failures=con.execute("SELECT source, stage, error FROM failures WHERE run_id = ? ORDER BY source",
                                 [run_id]).fetchall() if run_id else [],
        run_skipped=con.execute("SELECT source, page_kind FROM skipped_pages WHERE run_id = ? ORDER BY source",
                                [run_id]).fetchall() if run_id else [],
    )
