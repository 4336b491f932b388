"""The warehouse: migrations, views, search, exports, on real DuckDB files."""
from __future__ import annotations

from importlib.resources import files

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from warehouse import SCHEMA_VERSION, connect
from warehouse.schema import WarehouseError, connect_read_only, current_version

runner = CliRunner()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, prefect_server):
    db = tmp_path_factory.mktemp("wh") / "samples.duckdb"
    result = runner.invoke(app, ["ingest", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_older_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    first = files("warehouse").joinpath("migrations", "001_initial.sql").read_text(encoding="utf-8")
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMPTZ DEFAULT current_timestamp)")
    con.execute(first)
    con.execute("INSERT INTO schema_version (version, name) VALUES (1, 'initial')")
    con.execute("INSERT INTO runs (run_id, kind, started_at, status) VALUES ('r-old', 'ingest', now(), 'ok')")
    con.close()
    with pytest.raises(WarehouseError, match="older"):
        connect_read_only(path)
    con = connect(path)
    assert current_version(con) == SCHEMA_VERSION > 1
    assert con.execute("SELECT run_id FROM runs").fetchall() == [("r-old",)]
    assert con.execute("SELECT count(*) FROM search_docs").fetchall() == [(0,)]
    con.close()


def test_views_answer_the_analysts_questions(sample_db):
    con = connect_read_only(sample_db)
    by_region = con.execute("SELECT region, programs FROM programs_by_region_month WHERE programs > 0").fetchall()
    activity = con.execute("SELECT agency, articles FROM agency_activity WHERE agency = '구로구'").fetchall()
    targets = con.execute("SELECT program, target_groups, goals FROM program_targets_goals "
                          "WHERE program = '구로구 일자리개척단'").fetchall()
    evidence = con.execute("""SELECT m.text, substr(a.body, m.start_offset + 1, m.end_offset - m.start_offset)
                              FROM mentions m JOIN articles a USING (article_id)""").fetchall()
    con.close()
    assert by_region and activity and activity[0][1] >= 1
    assert targets and "구직자" in targets[0][1]
    assert all(text == span for text, span in evidence)  # every mention's offsets point at its text


def test_search_ranks_the_article_about_the_query_first(sample_db):
    result = runner.invoke(app, ["search", "이동노동자 권익", "--db", str(sample_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    hits = json.loads(result.stdout)
    assert hits[0]["title"] == "전주시 이동노동자 권익 보호 위한 소통 나서"
    assert "이동노동자" in hits[0]["snippet"]
    con = connect_read_only(sample_db)
    ranked = con.execute("SELECT a.title FROM search_bm25(['스마트팜']) s JOIN articles a USING (article_id) "
                         "ORDER BY s.score DESC").fetchall()
    con.close()
    assert ranked and "스마트팜" in ranked[0][0]


def test_search_without_words_is_refused(sample_db):
    result = runner.invoke(app, ["search", "...", "--db", str(sample_db)])
    assert result.exit_code == 2 and "no words" in result.output


def test_parquet_export_is_partitioned_by_month(sample_db, tmp_path):
    out = tmp_path / "parquet"
    result = runner.invoke(app, ["export", "--db", str(sample_db), "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "articles" / "year=2024" / "month=03").is_dir()
    count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)"
                       ).fetchall()[0][0]
    con = connect_read_only(sample_db)
    assert count == con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    con.close()


def test_a_migration_that_lands_below_the_newest_still_reaches_newer_databases(tmp_path):
    path = tmp_path / "gap.duckdb"
    con = connect(path)
    # as if 005 (idempotent, as a migration merged out of order must be) had landed after the
    # database reached the newest version
    con.execute("DROP TABLE crawl_state")
    con.execute("DELETE FROM schema_version WHERE version = 5")
    con.close()
    con = connect(path)
    try:
        assert con.execute("SELECT count(*) FROM schema_version WHERE version = 5").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM crawl_state").fetchall() == [(0,)]
        assert current_version(con) == SCHEMA_VERSION
    finally:
        con.close()
