"""Exports read back from the warehouse: JSONL records exactly as RECORDS.md defines them,
and Parquet datasets (articles and their fact tables) partitioned by month of publication."""
from __future__ import annotations

import json
import shutil
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


class ExportError(RuntimeError):
    """An export that cannot be written where asked; the message names the path."""


# Each dataset: the table, and the order its rows are written in. Every row carries the Seoul
# year and month of its article's publication, the Hive partition it is written under.
PARQUET_TABLES: tuple[tuple[str, str], ...] = (
    ("articles", "article_id"),
    ("article_agencies", "article_id, name"),
    ("mentions", "article_id, mention_no"),  # every fact with its offsets, sentence and rule; goals are kind 'goal'
    ("program_facts", "article_id, program"),
)
# written when the database has them (tables other parts of pressflow may add)
OPTIONAL_PARQUET_TABLES: tuple[tuple[str, str], ...] = (
    ("story_clusters", "article_id"),
)
UNDATED = "undated"  # the partition of articles without a publication date: year=undated/month=undated

_PARTITIONS = f"""
    SELECT article_id,
           coalesce(strftime(published_at AT TIME ZONE 'Asia/Seoul', '%Y'), '{UNDATED}') AS year,
           coalesce(strftime(published_at AT TIME ZONE 'Asia/Seoul', '%m'), '{UNDATED}') AS month
    FROM articles"""


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
                            "AND table_schema = 'main'", [table]).fetchall()[0][0])


def _select(con: duckdb.DuckDBPyConnection, table: str, order: str) -> str:
    """The table's rows with their article's partition; JSON columns as text (Parquet has no JSON)."""
    columns = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                          "AND table_schema = 'main' ORDER BY ordinal_position", [table]).fetchall()
    picked = [f'"{name}"::VARCHAR AS "{name}"' if kind == "JSON" else f'"{name}"' for name, kind in columns
              if name not in ("year", "month")]
    extra = (", (SELECT list(name ORDER BY name) FROM article_agencies g WHERE g.article_id = t.article_id) AS agencies"
             if table == "articles" else "")
    return f"""SELECT {", ".join(f"t.{c}" for c in picked)}{extra},
                      coalesce(p.year, '{UNDATED}') AS year, coalesce(p.month, '{UNDATED}') AS month
               FROM "{table}" t LEFT JOIN ({_PARTITIONS}) p USING (article_id)
               ORDER BY {", ".join(f"t.{key.strip()}" for key in order.split(","))}"""


def _check_replaceable(folder: Path) -> None:
    """An earlier export of one dataset holds Parquet files only; anything else in the folder
    is someone's, and stops the export before anything is removed."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise ExportError(f"{folder}: exists and is not a folder; not replacing it")
    foreign = [p for p in folder.rglob("*") if p.is_file() and p.suffix != ".parquet"]
    if foreign:
        raise ExportError(f"{folder}: holds files that are not an earlier export ({foreign[0]}); "
                          "not replacing it: choose another --out")


def write_parquet(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """Articles and their fact tables as Parquet datasets, `out/<table>/year=YYYY/month=MM/`
    (Hive layout; Seoul time; undated articles under year=undated/month=undated). Each
    dataset replaces the one an earlier export wrote. Returns the rows written per table.

    DuckDB streams the rows as Arrow batches and pyarrow writes the files: the output path
    never enters SQL (a quote in it cannot break or extend a statement), and the connection
    may stay sandboxed (no file access from SQL)."""
    tables = [*PARQUET_TABLES, *((t, o) for t, o in OPTIONAL_PARQUET_TABLES if _exists(con, t))]
    try:
        out.mkdir(parents=True, exist_ok=True)
        for table, _ in tables:  # every folder checked before any is removed
            _check_replaceable(out / table)
        counts = {}
        for table, order in tables:
            if (out / table).exists():
                shutil.rmtree(out / table)
            counts[table] = _write_dataset(con.sql(_select(con, table, order)), out / table)
    except OSError as error:
        raise ExportError(f"{out}: cannot write the export ({error.strerror or error})") from error
    return counts


def _write_dataset(relation: duckdb.DuckDBPyRelation, folder: Path) -> int:
    import pyarrow.dataset as ds

    # a stream of Arrow batches: duckdb 2 names it to_arrow_reader, 1.x fetch_arrow_reader
    reader = (relation.to_arrow_reader(10_000) if hasattr(relation, "to_arrow_reader")
              else relation.fetch_arrow_reader(10_000))
    count = 0

    def counted():  # type: ignore[no-untyped-def]
        nonlocal count
        for batch in reader:
            count += batch.num_rows
            yield batch

    folder.mkdir(parents=True, exist_ok=True)
    ds.write_dataset(counted(), folder, schema=reader.schema, format="parquet", partitioning=["year", "month"],
                     partitioning_flavor="hive", existing_data_behavior="overwrite_or_ignore",
                     basename_template="data_{i}.parquet")
    return count
