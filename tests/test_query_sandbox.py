"""Issue 13: `pressflow query` and every read-only connection reach this database only: no file
written by COPY, no file read by read_csv, no other database attached and emptied, no setting
changed back. Export paths never enter SQL."""
from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from warehouse import writing
from warehouse.schema import connect_read_only

runner = CliRunner()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sandbox")
    db = folder / "s.duckdb"
    with writing(db) as con:
        con.execute("INSERT INTO articles (article_id, url, title, body, published_at, extractor_version, "
                    "analyser_version, loaded_at) VALUES "
                    "('a1', 'https://hanbit.example/1', '한빛군 청년 쉼터 개소', '한빛군은 청년 쉼터를 열었다.', "
                    "TIMESTAMPTZ '2025-04-01 10:00:00+09', 'x', 'y', now()), "
                    "('a2', 'https://hanbit.example/2', '한빛군 어르신 일자리', '어르신 일자리 500개를 만든다.', NULL, "
                    "'x', 'y', now())")
    other = folder / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE notes AS SELECT '지우면 안 되는 기록' AS note")
    con.close()
    (folder / "secret.csv").write_text("password\n한빛비밀\n", encoding="utf-8")
    return db, other, folder


@pytest.mark.parametrize("sql, what", [
    ("COPY articles TO '{folder}/leak.csv'", "leak.csv"),
    ("SELECT * FROM read_csv('{folder}/secret.csv')", None),
    ("SELECT * FROM '{folder}/secret.csv'", None),
    ("ATTACH '{other}' AS o (READ_ONLY false); DELETE FROM o.notes", None),
    ("SET enable_external_access = true", None),
    ("INSTALL httpfs", None),
])
def test_query_cannot_reach_files_other_databases_or_settings(small_db, sql, what):
    db, other, folder = small_db
    result = runner.invoke(app, ["query", sql.format(folder=folder, other=other), "--db", str(db)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "query failed" in said and "reads this database only" in said, said
    assert "한빛비밀" not in result.output
    if what:
        assert not (folder / what).exists()
    con = duckdb.connect(str(other), read_only=True)
    assert con.execute("SELECT count(*) FROM notes").fetchall() == [(1,)]
    con.close()


def test_ordinary_queries_still_work_and_the_connection_is_locked(small_db):
    db, _, _ = small_db
    result = runner.invoke(app, ["query", "SELECT title FROM articles ORDER BY article_id", "--db", str(db),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [row["title"] for row in json.loads(result.output)] == ["한빛군 청년 쉼터 개소", "한빛군 어르신 일자리"]
    con = connect_read_only(db)
    try:
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET lock_configuration = false")
        assert con.execute("SELECT current_setting('enable_external_access')").fetchall() == [(False,)]
    finally:
        con.close()


def test_export_paths_with_quotes_are_data_not_sql(small_db):
    db, _, folder = small_db
    out = folder / "o'brien; DROP TABLE articles; --"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet"))
    assert files == ["articles/year=2025/month=04/data_0.parquet", "articles/year=undated/month=undated/data_0.parquet"]
    rows = duckdb.execute("SELECT article_id, year, month FROM read_parquet(?, hive_partitioning = true) "
                          "ORDER BY article_id", [f"{out}/articles/**/*.parquet"]).fetchall()
    assert rows == [("a1", "2025", "04"), ("a2", "undated", "undated")]
    jsonl = folder / "o'brien.jsonl"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--out", str(jsonl)])
    assert result.exit_code == 0, result.output
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 2
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(2,)]
    con.close()


def test_a_reprocess_where_clause_cannot_read_files_even_without_the_cli(small_db):
    from pipelines.runs import reprocess_run
    from warehouse.schema import WarehouseError

    db, _, folder = small_db
    with pytest.raises(WarehouseError, match="not a valid condition"):
        reprocess_run(str(db), "analyse", f"title IN (SELECT password FROM read_csv('{folder}/secret.csv'))")
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchall() == [(0,)]  # refused before any run started
    con.close()


def test_user_text_that_looks_like_markup_is_printed_as_text(small_db):
    db, _, _ = small_db
    result = runner.invoke(app, ["query", "SELECT [/red] FROM articles", "--db", str(db)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), repr(result.exception)
    result = runner.invoke(app, ["reprocess", "--where", "title = '[/red]' AND nope", "--db", str(db)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), repr(result.exception)
    assert "[/red]" in result.output
