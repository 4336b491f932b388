"""Exports read back from the warehouse: JSONL records exactly as RECORDS.md defines them,
and Parquet partitioned by month of publication."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

import duckdb


def _iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def iter_records(con: duckdb.DuckDBPyConnection, where: str | None = None) -> Iterator[dict]:
    """One record per article, in the RECORDS.md shape (evidence lives in the mentions table)."""
    clause = f"WHERE {where}" if where else ""
    articles = con.execute(f"""
        SELECT article_id, coalesce(canonical_url, url) AS url, source_path, outlet, title,
               strftime(published_at AT TIME ZONE 'Asia/Seoul', '%Y-%m-%dT%H:%M:%S+09:00') AS published_at,
               body, programs, target_groups, extractor_version, analyser_version
        FROM articles {clause} ORDER BY source_path NULLS LAST, url, article_id
    """).fetchall()
    agencies = grouped(con, "SELECT article_id, name, mentions FROM article_agencies ORDER BY article_id, name")
    dates = grouped(con, """SELECT article_id, any_value(text ORDER BY mention_no), date_start, date_end
                             FROM mentions WHERE kind = 'date' GROUP BY article_id, date_start, date_end
                             ORDER BY article_id, min(mention_no)""")
    goals = grouped(con, """SELECT article_id, any_value(text ORDER BY mention_no), quantity, unit,
                                    any_value(object ORDER BY mention_no)
                             FROM mentions WHERE kind = 'goal' GROUP BY article_id, quantity, unit
                             ORDER BY article_id, min(mention_no)""")
    for (article_id, url, source_path, outlet, title, published_at, body, programs, targets,
         extractor_version, analyser_version) in articles:
        yield {
            "id": article_id, "url": url, "source_path": source_path, "outlet": outlet, "title": title,
            "published_at": published_at, "body": body,
            "agencies": [{"name": name, "mentions": list(forms or [])} for name, forms in agencies.get(article_id, [])],
            "programs": [{"name": name} for name in programs or []],
            "dates": [{"text": text, "start": _iso(start), "end": _iso(end)}
                      for text, start, end in dates.get(article_id, [])],
            "target_groups": list(targets or []),
            "goals": [{"text": text, "quantity": _number(quantity), "unit": unit, "object": obj}
                      for text, quantity, unit, obj in goals.get(article_id, [])],
            "extractor_version": extractor_version, "analyser_version": analyser_version,
        }


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value


def grouped(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, list[tuple]]:
    """Rows of a query keyed by their first column (an article id), in query order."""
    grouped: dict[str, list[tuple]] = {}
    for row in con.execute(sql).fetchall():
        grouped.setdefault(row[0], []).append(tuple(row[1:]))
    return grouped


def write_jsonl(con: duckdb.DuckDBPyConnection, handle: TextIO, where: str | None = None) -> int:
    """Write one JSON record a line to `handle`; returns the count."""
    count = 0
    for record in iter_records(con, where):
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_parquet(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Articles with their agencies, partitioned by year and month of publication (Hive layout).

    DuckDB streams the rows as Arrow batches and pyarrow writes the files: the output path
    never enters SQL (a quote in it cannot break or extend a statement), and the connection
    may stay sandboxed (no file access from SQL)."""
    import pyarrow.dataset as ds

    out.mkdir(parents=True, exist_ok=True)
    relation = con.sql("""
        SELECT a.* EXCLUDE (images), a.images::VARCHAR AS images,
               coalesce(year(a.published_at), 0)::INTEGER AS year, coalesce(month(a.published_at), 0)::INTEGER AS month,
               (SELECT list(name) FROM article_agencies g WHERE g.article_id = a.article_id) AS agencies
        FROM articles a
    """)
    # a stream of Arrow batches: duckdb 2 names it to_arrow_reader, 1.x fetch_arrow_reader
    reader = (relation.to_arrow_reader(10_000) if hasattr(relation, "to_arrow_reader")
              else relation.fetch_arrow_reader(10_000))
    count = 0

    def counted():  # type: ignore[no-untyped-def]
        nonlocal count
        for batch in reader:
            count += batch.num_rows
            yield batch

    ds.write_dataset(counted(), out, schema=reader.schema, format="parquet", partitioning=["year", "month"],
                     partitioning_flavor="hive", existing_data_behavior="overwrite_or_ignore",
                     basename_template="data_{i}.parquet")
    return count
