"""The crawl's memory in DuckDB: the `fetches` log, the `crawl_state` frontier, crawl runs.

The only place the crawler writes SQL. Writes are bulk (a DataFrame, one statement per
table) and short: each call opens the database, writes in one transaction and closes it,
under a process-wide lock, so the crawl's source threads and the loading of pages never
hold the file for long or step on each other.

An article URL is 'pending' from discovery until its page is loaded (`settle` with
loaded pages), so a crawl that dies midway leaves exactly the unfinished URLs for the
next run, and a finished URL is never fetched again unless a sitemap or feed says it
changed after it was fetched."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd

from warehouse.load import PageFailure, close_crashed_runs, finish_run, record_failures, start_run
from warehouse.schema import transaction, writing

MAX_ATTEMPTS = 3                 # failed fetches before a URL is given up ('failed')
STALE_RUN = timedelta(hours=24)  # a crawl 'running' for longer than this was killed

ARTICLE = "article"
DOCUMENT_KINDS = ("feed", "sitemap", "sitemapindex", "listing", "home")


class FetchLike(Protocol):
    """What this module reads from `pipelines.fetch.FetchRecord` (warehouse does not import pipelines)."""

    url: str
    final_url: str | None
    source: str | None
    status: int | None
    error: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    bytes: int
    elapsed_ms: float
    fetched_at: datetime
    page_id: str | None
    warc_path: str | None
    kind: str
    outcome: str
    attempts: int
    warc_record_id: str | None
    error_kind: str | None


@dataclass(frozen=True)
class UrlState:
    url: str
    source: str
    kind: str
    state: str
    lastmod: datetime | None
    etag: str | None
    last_modified: str | None
    attempts: int
    page_id: str | None


@dataclass(frozen=True)
class DiscoveredUrl:
    url: str
    lastmod: datetime | None = None
    fresh: bool = True        # from a feed or a listing page; False: only a sitemap lists it (a backlog)


@dataclass(frozen=True)
class Document:
    """A feed, sitemap or listing page as fetched this run, and whether its content was read."""

    record: FetchLike
    kind: str
    readable: bool = True     # False: malformed or an error; its validators are not kept




def _now() -> datetime:
    return datetime.now(UTC)


def _frame(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns)).astype(object).where(lambda f: f.notna(), None)


# ---------------------------------------------------------------- runs

def start_crawl(db: str | Path, run_id: str, inputs: Sequence[str], extractor_version: str,
                analyser_version: str) -> list[str]:
    """Record the run as 'running'. Runs left 'running' whose process is gone (or, on another machine,
    that ran for a day) were killed: they are marked 'crashed'. Returns their ids."""
    with writing(db) as con:
        dead = close_crashed_runs(con)
        stale = [row[0] for row in con.execute(
            "SELECT run_id FROM runs WHERE kind = 'crawl' AND status = 'running' AND started_at < ?",
            [_now() - STALE_RUN]).fetchall()]
        if stale:
            con.execute("UPDATE runs SET status = 'crashed', finished_at = ? WHERE run_id IN "
                        "(SELECT unnest(?::VARCHAR[]))", [_now(), stale])
        start_run(con, run_id, "crawl", inputs, extractor_version, analyser_version)
    return [*dead, *stale]


def finish_crawl(db: str | Path, run_id: str, pages: int, articles: int, skipped: int, failures: int,
                 failed: bool = False) -> None:
    """Close the run: 'ok', 'failures', or 'failed' when nothing it was asked to do worked."""
    with writing(db) as con:
        finish_run(con, run_id, pages, articles, skipped, failures)
        if failed:
            con.execute("UPDATE runs SET status = 'failed' WHERE run_id = ?", [run_id])


def unrecovered_crawls(db: str | Path) -> list[str]:
    """Crawl runs that died ('crashed') whose archives were not read back yet, oldest first."""
    with writing(db) as con:
        rows = con.execute("SELECT run_id FROM runs WHERE kind = 'crawl' AND status = 'crashed' "
                           "AND recovered_at IS NULL ORDER BY started_at").fetchall()
    return [row[0] for row in rows]


def mark_recovered(db: str | Path, run_id: str) -> None:
    with writing(db) as con:
        con.execute("UPDATE runs SET recovered_at = ? WHERE run_id = ?", [_now(), run_id])


def logged_record_ids(db: str | Path, record_ids: Sequence[str]) -> set[str]:
    """Which of these WARC record ids the fetch log already references."""
    if not record_ids:
        return set()
    with writing(db) as con:
        rows = con.execute("SELECT DISTINCT warc_record_id FROM fetches WHERE warc_record_id IN "
                           "(SELECT unnest(?::VARCHAR[]))", [list(record_ids)]).fetchall()
    return {row[0] for row in rows}


def article_states(db: str | Path, urls: Sequence[str]) -> dict[str, tuple[str, str]]:
    """url → (state, source), for the article URLs of this list the frontier knows."""
    if not urls:
        return {}
    with writing(db) as con:
        rows = con.execute("SELECT url, state, source FROM crawl_state WHERE kind = 'article' AND url IN "
                           "(SELECT unnest(?::VARCHAR[]))", [list(urls)]).fetchall()
    return {url: (state, source) for url, state, source in rows}


def mark_crashed(db: str | Path, run_id: str) -> None:
    with writing(db) as con:
        con.execute("UPDATE runs SET status = 'crashed', finished_at = ? WHERE run_id = ?", [_now(), run_id])


def record_page_failures(db: str | Path, run_id: str, failures: Sequence[PageFailure]) -> None:
    if failures:
        with writing(db) as con:
            record_failures(con, run_id, failures)


# ---------------------------------------------------------------- the fetch log

_FETCH_COLUMNS = ("run_id", "url", "final_url", "source", "status", "error", "etag", "last_modified",
                  "content_type", "bytes", "elapsed_ms", "fetched_at", "page_id", "warc_path", "kind", "outcome",
                  "attempts", "warc_record_id", "error_kind")


def _insert_fetches(con: duckdb.DuckDBPyConnection, run_id: str, records: Sequence[FetchLike]) -> None:
    if not records:
        return
    frame = _frame(({"run_id": run_id, **{c: getattr(r, c) for c in _FETCH_COLUMNS[1:]}} for r in records),
                   _FETCH_COLUMNS)
    con.register("fetch_rows", frame)
    try:
        con.execute(f"""
            INSERT INTO fetches ({", ".join(_FETCH_COLUMNS)})
            SELECT run_id, url, final_url, source, status::INTEGER, error, etag, last_modified, content_type,
                   bytes::BIGINT, elapsed_ms::DOUBLE, fetched_at::TIMESTAMPTZ, page_id, warc_path, kind, outcome,
                   attempts::INTEGER, warc_record_id, error_kind
            FROM fetch_rows""")
    finally:
        con.unregister("fetch_rows")


def record_fetches(db: str | Path, run_id: str, records: Sequence[FetchLike]) -> None:
    """Append fetches to the log, whatever their outcome."""
    if records:
        with writing(db) as con, transaction(con):
            _insert_fetches(con, run_id, records)


# ---------------------------------------------------------------- discovery

def document_states(db: str | Path, source: str) -> dict[str, UrlState]:
    """Feeds, sitemaps and listing pages a source has read before, with their validators."""
    with writing(db) as con:
        rows = con.execute("SELECT url, source, kind, state, lastmod, etag, last_modified, attempts, page_id "
                           "FROM crawl_state WHERE source = ? AND kind <> 'article'", [source]).fetchall()
    return {row[0]: UrlState(*row) for row in rows}


def commit_discovery(db: str | Path, run_id: str, source: str, documents: Sequence[Document],
                     found: Sequence[DiscoveredUrl], failures: Sequence[PageFailure] = (),
                     log_only: Sequence[FetchLike] = ()) -> int:
    """In one transaction: the documents' fetches and validators, the articles they list (new ones
    'pending', changed ones 'pending' again), the failures, and other fetches to log (robots.txt).
    Returns how many URLs are new."""
    now = _now()
    latest: dict[str, datetime | None] = {}
    fresh: dict[str, bool] = {}
    for item in found:  # the same URL from a feed and a listing: keep the latest date either gives
        known = latest.get(item.url)
        latest[item.url] = item.lastmod if known is None else max(known, item.lastmod or known)
        fresh[item.url] = fresh.get(item.url, False) or item.fresh
    with writing(db) as con, transaction(con):
        _insert_fetches(con, run_id, [*log_only, *(document.record for document in documents)])
        _upsert_documents(con, run_id, source, documents, now)
        new = _upsert_articles(con, run_id, source, latest, fresh, now)
        record_failures(con, run_id, failures)
    return new


def _upsert_documents(con: duckdb.DuckDBPyConnection, run_id: str, source: str, documents: Sequence[Document],
                      now: datetime) -> None:
    rows = {}
    for document in documents:
        record = document.record
        keep = document.readable and record.outcome in ("ok", "not_modified")
        rows[record.url] = {
            "url": record.url, "source": source, "kind": document.kind,
            "state": "done" if keep else "failed",
            "etag": record.etag if keep else None, "last_modified": record.last_modified if keep else None,
            "last_status": record.status, "last_error": None if keep else (record.error or "unreadable"),
            "attempts": 0 if keep else 1, "fetched_at": record.fetched_at, "final_url": record.final_url,
            "run_id": run_id, "now": now,
        }
    if not rows:
        return
    frame = _frame(rows.values(), ["url", "source", "kind", "state", "etag", "last_modified", "last_status",
                                   "last_error", "attempts", "fetched_at", "final_url", "run_id", "now"])
    con.register("document_rows", frame)
    try:
        con.execute("""
            INSERT INTO crawl_state (url, source, kind, state, etag, last_modified, last_status, last_error, attempts,
                                     discovered_at, last_fetched_at, final_url, first_run_id, last_run_id)
            SELECT url, source, kind, state, etag, last_modified, last_status::INTEGER, last_error,
                   attempts::INTEGER, now::TIMESTAMPTZ, fetched_at::TIMESTAMPTZ, final_url, run_id, run_id
            FROM document_rows
            ON CONFLICT (url) DO UPDATE SET
                kind = excluded.kind, state = excluded.state, etag = excluded.etag,
                last_modified = excluded.last_modified, last_status = excluded.last_status,
                last_error = excluded.last_error,
                attempts = CASE WHEN excluded.state = 'done' THEN 0 ELSE crawl_state.attempts + 1 END,
                last_fetched_at = excluded.last_fetched_at, final_url = excluded.final_url,
                last_run_id = excluded.last_run_id""")
    finally:
        con.unregister("document_rows")


def _upsert_articles(con: duckdb.DuckDBPyConnection, run_id: str, source: str,
                     latest: dict[str, datetime | None], fresh: dict[str, bool], now: datetime) -> int:
    if not latest:
        return 0
    frame = _frame(({"url": url, "lastmod": lastmod, "found_via": "fresh" if fresh.get(url, True) else "backlog"}
                    for url, lastmod in latest.items()), ["url", "lastmod", "found_via"])
    con.register("found_rows", frame)
    try:
        new = con.execute("SELECT count(*) FROM found_rows f WHERE NOT EXISTS "
                          "(SELECT 1 FROM crawl_state s WHERE s.url = f.url)").fetchall()[0][0]
        # changed: a date later than both the date we knew and the time we last fetched it
        changed = ("crawl_state.kind = 'article' AND crawl_state.state IN ('done', 'gone', 'failed') "
                   "AND excluded.lastmod IS NOT NULL AND excluded.lastmod > "
                   "greatest(crawl_state.lastmod, crawl_state.last_fetched_at)")
        con.execute(f"""
            INSERT INTO crawl_state (url, source, kind, state, lastmod, attempts, discovered_at, first_run_id,
                                     last_run_id, found_via)
            SELECT url, ?, 'article', 'pending', lastmod::TIMESTAMPTZ, 0, ?::TIMESTAMPTZ, ?, ?, found_via
            FROM found_rows
            ON CONFLICT (url) DO UPDATE SET
                found_via = CASE WHEN excluded.found_via = 'fresh' THEN 'fresh'
                                 ELSE coalesce(crawl_state.found_via, excluded.found_via) END,
                state = CASE WHEN {changed} THEN 'pending' ELSE crawl_state.state END,
                attempts = CASE WHEN {changed} THEN 0 ELSE crawl_state.attempts END,
                lastmod = CASE WHEN crawl_state.kind = 'article'
                               THEN greatest(crawl_state.lastmod, excluded.lastmod) ELSE crawl_state.lastmod END
            """, [source, now, run_id, run_id])
    finally:
        con.unregister("found_rows")
    return int(new)


# ---------------------------------------------------------------- the frontier

def pending(db: str | Path, source: str, since: datetime | None = None, limit: int | None = None) -> list[UrlState]:
    """Articles of a source still to fetch: those a feed or listing page gave before a sitemap's backlog,
    newest first within each; with `since`, those dated before it wait."""
    sql = ("SELECT url, source, kind, state, lastmod, etag, last_modified, attempts, page_id FROM crawl_state "
           "WHERE source = ? AND kind = 'article' AND state = 'pending' AND attempts < ?")
    params: list[Any] = [source, MAX_ATTEMPTS]
    if since is not None:
        sql += " AND (lastmod IS NULL OR lastmod >= ?)"
        params.append(since)
    sql += (" ORDER BY coalesce(found_via, 'fresh') = 'backlog', lastmod DESC NULLS LAST, discovered_at DESC, "
            "url")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    with writing(db) as con:
        rows = con.execute(sql, params).fetchall()
    return [UrlState(*row) for row in rows]


def _next_state(record: FetchLike, loaded: bool) -> tuple[str, bool]:
    """(state, success) an article URL moves to after a fetch."""
    if record.outcome == "disallowed":
        return "disallowed", False
    if record.outcome == "not_modified":
        return "done", True
    if record.outcome == "ok":
        return ("done", True) if loaded else ("pending", False)
    if record.status in (404, 410):
        return ("gone", False) if loaded else ("pending", False)
    if record.outcome == "too_large" or getattr(record, "error_kind", None) in ("redirect_refused",
                                                                                "private_address"):
        return "failed", False  # the same answer tomorrow: do not ask again
    return "pending", False  # 5xx, 429, 403, timeouts: again next run, up to MAX_ATTEMPTS


def settle(db: str | Path, run_id: str, records: Sequence[FetchLike], *, loaded: bool,
           failures: Sequence[PageFailure] = (), log: bool = False) -> None:
    """Move fetched article URLs to their next state, in one transaction (with their failures, and
    their fetch-log rows when `log`). `loaded`: their pages (if any) are in the warehouse now."""
    if not records and not failures:
        return
    rows = {}
    for record in records:
        state, success = _next_state(record, loaded)
        rows[record.url] = {
            "url": record.url, "source": record.source, "state": state, "success": success,
            "etag": record.etag if success else None, "last_modified": record.last_modified if success else None,
            "last_status": record.status, "last_error": None if success else record.error,
            "fetched_at": record.fetched_at, "final_url": record.final_url,
            "page_id": record.page_id if success else None, "run_id": run_id,
        }
    with writing(db) as con, transaction(con):
        if log:
            _insert_fetches(con, run_id, records)
        record_failures(con, run_id, failures)
        if not rows:
            return
        frame = _frame(rows.values(), ["url", "source", "state", "success", "etag", "last_modified", "last_status",
                                       "last_error", "fetched_at", "final_url", "page_id", "run_id"])
        con.register("settled_rows", frame)
        try:
            con.execute(f"""
                INSERT INTO crawl_state (url, source, kind, state, etag, last_modified, last_status, last_error,
                                         attempts, discovered_at, last_fetched_at, final_url, page_id,
                                         first_run_id, last_run_id)
                SELECT url, coalesce(source, '?'), 'article', state, etag, last_modified, last_status::INTEGER,
                       last_error, CASE WHEN success THEN 0 ELSE 1 END, fetched_at::TIMESTAMPTZ,
                       fetched_at::TIMESTAMPTZ, final_url, page_id, run_id, run_id
                FROM settled_rows
                ON CONFLICT (url) DO UPDATE SET
                    state = CASE WHEN excluded.state = 'pending' AND crawl_state.attempts + 1 >= {MAX_ATTEMPTS}
                                 THEN 'failed' ELSE excluded.state END,
                    attempts = CASE WHEN excluded.attempts = 0 THEN 0 ELSE crawl_state.attempts + 1 END,
                    etag = coalesce(excluded.etag, crawl_state.etag),
                    last_modified = coalesce(excluded.last_modified, crawl_state.last_modified),
                    last_status = excluded.last_status, last_error = excluded.last_error,
                    last_fetched_at = excluded.last_fetched_at, final_url = excluded.final_url,
                    page_id = coalesce(excluded.page_id, crawl_state.page_id),
                    last_run_id = excluded.last_run_id""")
        finally:
            con.unregister("settled_rows")


# ---------------------------------------------------------------- reading back

def frontier_counts(db: str | Path, source: str | None = None) -> dict[str, int]:
    """Article URLs per state (pending, done, gone, failed, disallowed)."""
    sql = "SELECT state, count(*) FROM crawl_state WHERE kind = 'article'"
    params: list[Any] = []
    if source is not None:
        sql += " AND source = ?"
        params.append(source)
    with writing(db) as con:
        rows = con.execute(sql + " GROUP BY state", params).fetchall()
    return {state: count for state, count in rows}
