"""Reprocessing from stored pages, and analysts reading while the writer writes."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import SEEDS, require
from warehouse.schema import snapshot_path

runner = CliRunner()


def _counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM mentions),
                                     (SELECT count(*) FROM article_agencies), (SELECT count(*) FROM search_terms),
                                     (SELECT count(DISTINCT run_id) FROM articles)""").fetchall()[0]
    finally:
        con.close()


def test_reprocess_replaces_derived_rows_without_refetching(prefect_server, tmp_path):
    db = tmp_path / "r.duckdb"
    assert runner.invoke(app, ["ingest", str(require(SEEDS)), "--db", str(db)]).exit_code == 0
    before = _counts(db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE articles SET analyser_version = 'analyse-0.0.1' WHERE source_path LIKE '%004_%'")
    con.execute("DELETE FROM mentions WHERE article_id IN (SELECT article_id FROM articles "
                "WHERE analyser_version = 'analyse-0.0.1')")
    con.close()
    assert _counts(db)[1] < before[1]

    result = runner.invoke(app, ["reprocess", "--stage", "analyse", "--where", "analyser_version = 'analyse-0.0.1'",
                                 "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 articles replaced" in " ".join(result.output.split())
    after = _counts(db)
    assert after[:4] == before[:4]  # the missing mentions are back, nothing doubled
    assert after[4] == 2  # the one article now carries the reprocess run's id

    result = runner.invoke(app, ["reprocess", "--stage", "extract", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _counts(db)[:4] == before[:4]


def test_bad_where_is_refused_before_any_run(tmp_path, prefect_server):
    db = tmp_path / "w.duckdb"
    assert runner.invoke(app, ["ingest", str(require(SEEDS) / "000_1242b9935a91d491.txt"), "--db", str(db)]
                         ).exit_code == 0
    result = runner.invoke(app, ["reprocess", "--where", "no_such_column = 1", "--db", str(db)])
    assert result.exit_code == 2 and "not a valid condition" in result.output


READER = textwrap.dedent("""
    import sys, time
    from warehouse.schema import connect_read_only
    db, seconds = sys.argv[1], float(sys.argv[2])
    reads, errors, deadline = 0, [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            con = connect_read_only(db)
            n = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
            m = con.execute("SELECT count(DISTINCT article_id) FROM mentions").fetchall()[0][0]
            con.close()
            assert m <= n, (m, n)
            reads += 1
        except Exception as error:
            errors.append(repr(error))
        time.sleep(0.01)
    print(reads, len(errors), errors[:3])
""")


def test_readers_never_break_the_writer_and_always_read_whole_runs(prefect_server, tmp_path):
    db = tmp_path / "live.duckdb"
    assert runner.invoke(app, ["ingest", str(require(SEEDS) / "000_1242b9935a91d491.txt"), "--db", str(db)]
                         ).exit_code == 0
    assert snapshot_path(db).exists()
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), "8"], stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(2):  # the writer ingests while the reader polls
            result = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db)])
            assert result.exit_code == 0, result.output
    finally:
        out, _ = reader.communicate(timeout=60)
    reads, error_count, errors = out.split(" ", 2)
    assert int(reads) > 10 and int(error_count) == 0, errors
    assert _counts(db)[0] == 5
