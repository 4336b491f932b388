"""Read-only questions the CLI asks after a run: what is in the database now."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from warehouse.stories import RunCounts, run_counts


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
    run_skipped: list[tuple[str, str, str | None, bool | None]]  # source, kind, reason, likely article
    run_articles: RunCounts | None = None  # new / copies / updated / unchanged


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
        run_skipped=con.execute("SELECT source, page_kind, reason, likely_article FROM skipped_pages "
                                "WHERE run_id = ? ORDER BY source",
                                [run_id]).fetchall() if run_id else [],
        run_articles=run_counts(con, run_id) if run_id else None,
    )


SKIPPED_COLUMNS = ["source", "page_kind", "reason", "text_chars", "prose_chars", "likely_article",
                   "title", "run_id", "occurred_at"]


def skipped_pages(con: duckdb.DuckDBPyConnection, *, likely_articles: bool = False,
                  run_id: str | None = None) -> list[tuple]:
    """Skipped pages, newest first (one row per page: its latest verdict); with `likely_articles`
    only those that still hold enough prose to be a real article."""
    conditions = ["true"]
    params: list[object] = []
    if likely_articles:
        conditions.append("coalesce(likely_article, false)")
    if run_id:
        conditions.append("run_id = ?")
        params.append(run_id)
    columns = ", ".join(SKIPPED_COLUMNS)
    return con.execute(f"""
        SELECT {columns} FROM skipped_pages WHERE {' AND '.join(conditions)}
        QUALIFY row_number() OVER (PARTITION BY coalesce(page_id, source) ORDER BY occurred_at DESC) = 1
        ORDER BY occurred_at DESC, source""", params).fetchall()
