"""Idempotent loading: one transaction per batch, keyed by stable ids, bulk inserts from
DataFrames. Re-loading an article replaces its derived rows; nothing is ever duplicated."""
from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import duckdb
import pandas as pd

from extractors.model import Article, RawPage
from nlp.model import Analysis
from warehouse import regions, stories
from warehouse.schema import transaction


@dataclass(frozen=True)
class PageFailure:
    source: str
    stage: str
    error: str
    page_id: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """What processing a batch of pages produced, ready to load."""

    pages: tuple[RawPage, ...]
    articles: tuple[tuple[RawPage, Article, Analysis], ...]
    skipped: tuple[tuple[RawPage, Article], ...]
    failures: tuple[PageFailure, ...]


def _now() -> datetime:
    return datetime.now(UTC)


def storable(text: str) -> str:
    """Text DuckDB can store: a file name that is not UTF-8 reaches Python with lone surrogates
    (bytes ff fe become \\udcff \\udcfe), which no database accepts; they are kept as \\xff \\xfe."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _process_alive(pid: int) -> bool:
    """Whether a process of this machine still lives (a zombie, killed and not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True  # no /proc: trust os.kill


def close_crashed_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Runs left 'running' by a process of this host that no longer lives were killed (kill -9,
    OOM, a power cut): close them as 'crashed' so no run stays 'running' forever. Runs of live
    processes, or of other hosts, stay. Returns their ids."""
    rows = con.execute("SELECT run_id, pid FROM runs WHERE status = 'running' AND pid IS NOT NULL AND host = ?",
                       [socket.gethostname()]).fetchall()
    dead = [run_id for run_id, pid in rows if pid != os.getpid() and not _process_alive(int(pid))]
    if dead:
        con.execute("UPDATE runs SET status = 'crashed', finished_at = ?, "
                    "note = 'its process ended without closing the run (killed?); closed by the next run' "
                    "WHERE list_contains(?, run_id)", [_now(), dead])
    return dead


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, kind: str, inputs: Sequence[str],
              extractor_version: str, analyser_version: str) -> list[str]:
    """Record the run as 'running' (with this process's id); returns the crashed runs it closed."""
    crashed = close_crashed_runs(con)
    con.execute("INSERT OR REPLACE INTO runs (run_id, kind, started_at, status, inputs, extractor_version, "
                "analyser_version, pid, host) VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)",
                [run_id, kind, _now(), [storable(i) for i in inputs], extractor_version, analyser_version,
                 os.getpid(), socket.gethostname()])
    return crashed


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, pages: int, articles: int, skipped: int,
               failures: int, status: str | None = None, note: str | None = None) -> None:
    """Close the run: 'ok', 'failures', or the status given ('cancelled', 'crashed')."""
    status = status or ("failures" if failures else "ok")
    con.execute("UPDATE runs SET finished_at = ?, status = ?, pages = ?, articles = ?, skipped = ?, failures = ?, "
                "note = ? WHERE run_id = ?", [_now(), status, pages, articles, skipped, failures, note, run_id])


def record_failures(con: duckdb.DuckDBPyConnection, run_id: str, failures: Sequence[PageFailure]) -> None:
    if not failures:
        return
    frame = pd.DataFrame([{"run_id": run_id, "source": storable(f.source), "stage": f.stage,
                           "error": storable(f.error),
                           "page_id": f.page_id, "occurred_at": _now()} for f in failures])
    con.register("failure_rows", frame)
    con.execute("INSERT INTO failures SELECT run_id, source, stage, error, page_id, occurred_at FROM failure_rows")
    con.unregister("failure_rows")


def load_batch(con: duckdb.DuckDBPyConnection, run_id: str, batch: BatchResult) -> None:
    """Load one batch atomically: raw pages, articles and every derived row, or nothing."""
    with transaction(con):
        _upsert_raw_pages(con, run_id, batch.pages)
        _replace_articles(con, run_id, batch.articles)
        _record_skipped(con, run_id, batch.skipped)
        record_failures(con, run_id, batch.failures)


def _upsert_raw_pages(con: duckdb.DuckDBPyConnection, run_id: str, pages: Sequence[RawPage]) -> None:
    if not pages:
        return
    unique = {page.page_id: page for page in pages}
    frame = pd.DataFrame([{
        "page_id": pid, "url": p.url, "final_url": p.final_url,
        "source_path": storable(p.source_path) if p.source_path else None,
        "status": p.status, "headers": json.dumps(dict(p.headers), ensure_ascii=False),
        "fetched_at": p.fetched_at, "warc_path": None, "warc_record_id": p.warc_record_id,
        "body": p.body, "run_id": run_id,
    } for pid, p in unique.items()])
    con.register("page_rows", frame)
    con.execute("""
        INSERT INTO raw_pages (page_id, url, final_url, source_path, status, headers, fetched_at, warc_path,
                               warc_record_id, body, first_run_id, last_run_id)
        SELECT page_id, url, final_url, source_path, status, headers::JSON, fetched_at, warc_path,
               warc_record_id, body, run_id, run_id FROM page_rows
        ON CONFLICT (page_id) DO UPDATE SET last_run_id = excluded.last_run_id,
                                            source_path = coalesce(excluded.source_path, raw_pages.source_path)
    """)
    con.unregister("page_rows")


def _replace_articles(con: duckdb.DuckDBPyConnection, run_id: str,
                      items: Sequence[tuple[RawPage, Article, Analysis]]) -> None:
    if not items:
        return
    items = distinct_identities(con, items)
    # the last page wins when a batch holds the same article twice (same URL, new bytes)
    latest = {article.article_id: (raw, article, analysis) for raw, article, analysis in items}
    # an article re-extracted from the same page may get a new id (a canonical URL found): the
    # page's old article goes with its derived rows
    pages = pd.DataFrame({"page_id": [raw.page_id for raw, _, _ in latest.values()]})
    con.register("batch_pages", pages)
    on_pages = con.execute(
        "SELECT article_id, page_id FROM articles WHERE page_id IN (SELECT page_id FROM batch_pages)").fetchall()
    con.unregister("batch_pages")
    stale = [article_id for article_id, _ in on_pages]
    loads = load_outcomes(con, run_id, items, {page for article_id, page in on_pages if article_id not in latest})
    ids = pd.DataFrame({"article_id": sorted(set(latest) | set(stale))})
    con.register("batch_ids", ids)
    for table in ("mentions", "article_agencies", "program_facts", "search_terms", "search_docs", "articles"):
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM batch_ids)")
    con.unregister("batch_ids")
    loaded_at = _now()
    _insert(con, "articles", [_article_row(raw, a, an, run_id, loaded_at) for raw, a, an in latest.values()])
    placed = {article_id: regions.place_agencies(an.agencies) for article_id, (_, _, an) in latest.items()}
    _insert(con, "article_agencies", [
        {"article_id": a.article_id, "name": agency.name, "mentions": list(agency.mentions),
         "level": agency.level, "region": agency.region, "analyser_version": an.analyser_version,
         **regions.columns(placed[a.article_id][agency.name])}
        for _, a, an in latest.values() for agency in an.agencies])
    _insert(con, "mentions", [
        {"article_id": a.article_id, "mention_no": number, "kind": m.kind, "text": m.text,
         "start_offset": m.start, "end_offset": m.end, "sentence_index": m.sentence_index,
         "sentence": m.sentence, "canonical": m.canonical, "date_start": m.date_start, "date_end": m.date_end,
         "quantity": m.quantity, "unit": m.unit, "object": m.object, "role": m.role,
         "rule": m.rule, "analyser_version": an.analyser_version}
        for _, a, an in latest.values() for number, m in enumerate(an.mentions)])
    _insert(con, "program_facts", [
        {"article_id": a.article_id, "program": f.program, "sentence_index": f.sentence_index,
         "agencies": list(f.agencies), "region": f.region,
         "date_start": min(f.date_starts) if f.date_starts else None,
         "date_end": max(f.date_ends) if f.date_ends else None,
         "target_groups": list(f.target_groups), "goals": list(f.goals), "analyser_version": an.analyser_version,
         **regions.columns(regions.fact_region(f.agencies, placed[a.article_id]))}
        for _, a, an in latest.values() for f in an.facts])
    _insert(con, "search_terms", [
        {"article_id": a.article_id, "term": term, "tf": count}
        for _, a, an in latest.values() for term, count in an.index_terms])
    _insert(con, "search_docs", [
        {"article_id": a.article_id, "length": sum(count for _, count in an.index_terms)}
        for _, a, an in latest.values()])
    stories.forget(con, sorted(set(stale) - set(latest)))
    stories.assign(con, run_id, [(a.article_id, a.body, a.published_at) for _, a, _ in latest.values()])
    _insert(con, "article_loads", [{**row, "loaded_at": loaded_at} for row in loads])
    refresh_canonical(con)


def load_outcomes(con: duckdb.DuckDBPyConnection, run_id: str, items: Sequence[tuple[RawPage, Article, Analysis]],
                  replaced_pages: Set[str] = frozenset()) -> list[dict]:
    """What loading each page does to the articles, decided before the old rows go: 'new' (the database
    gains it), 'updated' (its row changes, or its page's old article is replaced), 'unchanged' (the same
    article loaded again) or 'copy' (an article this run already loaded: two addresses, one story)."""
    ids = sorted({article.article_id for _, article, _ in items})
    before = {row[0]: row[1:] for row in con.execute(
        "SELECT article_id, run_id, title, body, published_at, extractor_version, analyser_version FROM articles "
        "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()} if ids else {}
    seen: set[str] = set()
    rows = []
    for raw, article, analysis in items:
        old = before.get(article.article_id)
        if article.article_id in seen or (old is not None and old[0] == run_id):
            outcome = "copy"
        elif old is None:
            outcome = "updated" if raw.page_id in replaced_pages else "new"
        elif old[1:] == (article.title, article.body, article.published_at, article.extractor_version,
                         analysis.analyser_version):
            outcome = "unchanged"
        else:
            outcome = "updated"
        seen.add(article.article_id)
        rows.append({"run_id": run_id, "page_id": raw.page_id, "article_id": article.article_id, "outcome": outcome,
                     "body_chars": len(article.body), "has_published": article.published_at is not None})
    return rows


def _origin(article: Article) -> str | None:
    """Where a page came from: its address as fetched, or its file."""
    return article.url or article.source_path


def distinct_identities(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[RawPage, Article, Analysis]]
                        ) -> list[tuple[RawPage, Article, Analysis]]:
    """Two pages from different places with different bodies never share an id, even when both
    name one address as canonical (a site root no rule caught). The same page fetched again, or
    the same body, keeps the id and replaces the article."""
    ids = sorted({article.article_id for _, article, _ in items if article.canonical_url})
    holders: dict[str, tuple[str | None, str]] = {}
    if ids:
        for article_id, origin, body in con.execute(
                "SELECT article_id, coalesce(url, source_path), body FROM articles WHERE list_contains(?, article_id)",
                [ids]).fetchall():
            holders[article_id] = (origin, hashlib.sha256((body or "").encode("utf-8")).hexdigest()[:16])
    resolved = []
    for raw, article, analysis in items:
        holder = holders.get(article.article_id) if article.canonical_url else None
        if holder is not None and holder[0] != _origin(article) and holder[1] != article.body_hash:
            article = replace(article, identity_salt=article.body_hash)
        holders.setdefault(article.article_id, (_origin(article), article.body_hash))
        resolved.append((raw, article, analysis))
    return resolved


def _article_row(raw: RawPage, article: Article, analysis: Analysis, run_id: str, loaded_at: datetime) -> dict:
    return {
        "article_id": article.article_id, "page_id": raw.page_id, "url": article.url,
        "canonical_url": article.canonical_url, "source_path": article.source_path, "outlet": article.outlet,
        "title": article.title, "published_at": article.published_at, "updated_at": article.updated_at,
        "reporter": article.reporter, "reporter_email": article.reporter_email, "section": article.section,
        "body": article.body,
        "images": json.dumps([{"url": i.url, "caption": i.caption} for i in article.images], ensure_ascii=False),
        "encoding": article.encoding, "programs": list(analysis.programs),
        "target_groups": list(analysis.target_groups), "extractor_version": article.extractor_version,
        "profile": article.profile,
        "analyser_version": analysis.analyser_version, "run_id": run_id, "loaded_at": loaded_at,
    }


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows)
    if table == "articles":
        frame["images"] = frame["images"].astype(str)
    con.register("incoming_rows", frame)
    columns = ", ".join(frame.columns)
    casts = ", ".join(f"{c}::JSON" if c == "images" else c for c in frame.columns)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {casts} FROM incoming_rows")
    con.unregister("incoming_rows")


def _record_skipped(con: duckdb.DuckDBPyConnection, run_id: str, skipped: Sequence[tuple[RawPage, Article]]) -> None:
    if not skipped:
        return
    frame = pd.DataFrame([{"run_id": run_id, "source": raw.source, "page_kind": a.page_kind, "title": a.title,
                           "page_id": raw.page_id, "occurred_at": _now(), "reason": a.skip_reason,
                           "text_chars": a.text_chars, "prose_chars": a.prose_chars,
                           "likely_article": a.looks_like_article} for raw, a in skipped])
    con.register("skipped_rows", frame)
    con.execute("INSERT INTO skipped_pages (run_id, source, page_kind, title, page_id, occurred_at, reason, "
                "text_chars, prose_chars, likely_article) SELECT run_id, source, page_kind, title, "
                "page_id, occurred_at, reason, text_chars, prose_chars, likely_article FROM skipped_rows")
    con.unregister("skipped_rows")


def refresh_canonical(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the canonical agencies (one per name and 시도: 부산 중구 is not 서울 중구) and
    programmes from the per-article rows."""
    regions.refresh(con)
    con.execute("DELETE FROM agencies")
    con.execute("""
        INSERT INTO agencies
        SELECT g.name, any_value(g.level), coalesce(g.sido, g.region),
               list_distinct(flatten(list(g.mentions))), count(DISTINCT g.article_id),
               min(a.published_at)::DATE, max(a.published_at)::DATE,
               any_value(g.sido), mode(g.sigungu), mode(g.region_code)
        FROM article_agencies g JOIN articles a USING (article_id) GROUP BY g.name, coalesce(g.sido, g.region)
    """)
    con.execute("DELETE FROM programs")
    con.execute("""
        INSERT INTO programs
        SELECT f.program, list_distinct(flatten(list(f.agencies))), list_distinct(list(f.region)),
               count(DISTINCT f.article_id), min(a.published_at)::DATE, max(a.published_at)::DATE
        FROM program_facts f JOIN articles a USING (article_id) GROUP BY f.program
    """)
