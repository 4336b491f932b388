"""Reading stored pages and articles back, for reprocessing without refetching."""
from __future__ import annotations

import json
from datetime import datetime

import duckdb

from extractors.model import Article, Image, RawPage
from warehouse.schema import WarehouseError


def check_where(con: duckdb.DuckDBPyConnection, where: str | None) -> int:
    """How many articles a --where clause selects; a clear error when it is not valid SQL."""
    try:
        return con.execute(f"SELECT count(*) FROM articles WHERE {where or 'true'}").fetchall()[0][0]
    except duckdb.Error as error:
        raise WarehouseError(f"--where {where!r} is not a valid condition on articles: {error}") from error


def page_ids(con: duckdb.DuckDBPyConnection, where: str | None, *, every_page: bool) -> list[str]:
    """Pages to reprocess: those of the selected articles, or every stored page."""
    if every_page and not where:
        return [row[0] for row in con.execute("SELECT page_id FROM raw_pages ORDER BY page_id").fetchall()]
    return [row[0] for row in con.execute(
        f"SELECT DISTINCT page_id FROM articles WHERE page_id IS NOT NULL AND ({where or 'true'}) ORDER BY 1"
    ).fetchall()]


def raw_pages(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[RawPage]:
    rows = con.execute("""SELECT page_id, url, final_url, source_path, status, headers, fetched_at, warc_record_id, body
                          FROM raw_pages WHERE list_contains(?, page_id) ORDER BY page_id""", [ids]).fetchall()
    pages = []
    for _pid, url, final_url, source_path, status, headers, fetched_at, record_id, body in rows:
        header_pairs = tuple(json.loads(headers).items()) if headers else ()
        pages.append(RawPage(body=bytes(body), url=url, final_url=final_url, status=status, headers=header_pairs,
                             fetched_at=fetched_at, warc_record_id=record_id, source_path=source_path))
    return pages


def stored_articles(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Article]:
    """The articles extracted from these pages, as they were stored (for re-analysis only)."""
    rows = con.execute("""SELECT page_id, url, canonical_url, source_path, outlet, title, published_at, updated_at,
                                 reporter, reporter_email, section, body, images, encoding, extractor_version
                          FROM articles WHERE list_contains(?, page_id)""", [ids]).fetchall()
    found = {}
    for (page_id, url, canonical, source_path, outlet, title, published, updated, reporter, email, section, body,
         images, encoding, version) in rows:
        found[page_id] = Article(
            paragraphs=tuple(body.split("\n")) if body else (), title=title, outlet=outlet,
            published_at=_aware(published), updated_at=_aware(updated), reporter=reporter, reporter_email=email,
            section=section, url=url, canonical_url=canonical, source_path=source_path,
            images=tuple(Image(i["url"], i.get("caption")) for i in json.loads(images or "[]")),
            encoding=encoding, extractor_version=version)
    return found


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.astimezone()
