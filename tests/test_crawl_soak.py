"""A small fault soak (issue 13): loopback hosts answering with resets, drips, bad gzip, redirect
loops, 429s and 503s; a crawl process and an ingest process SIGKILLed at random points; then clean
crawls. Afterwards no article is lost or duplicated, the archive and the database agree, and no
run is left 'running'. `benchmarks/soak.py` runs the same soak bigger and prints its figures."""
from __future__ import annotations

import contextlib
import random
import time

import duckdb

from pipelines.crawl_flow import CrawlFailed, crawl
from tests.fault_farm import (
    CRAWL_OPTIONS,
    FaultFarm,
    check,
    child_env,
    crawl_script,
    ingest_script,
    pending_articles,
    run_child,
)


def test_faults_and_kills_lose_nothing_duplicate_nothing_and_leave_no_run_running(prefect_server, kiwi, tmp_path):
    rng = random.Random(13)
    faults = FaultFarm(hosts=3, articles=6, rate=0.4, budget=2, seed=13)
    try:
        sources, db, warc = tmp_path / "sources.toml", tmp_path / "soak.duckdb", tmp_path / "warc"
        sources.write_text(faults.sources_toml(), encoding="utf-8")
        env = child_env()

        after = rng.randint(3, 9)  # a crawl killed after a random number of article requests
        crawl_child = run_child("crawl", crawl_script(sources, db, warc), env, lambda: faults.article_hits() >= after)
        assert crawl_child.killed
        archives = sorted(warc.glob("*-pages-*.warc.gz"))
        started, delay = time.monotonic(), rng.uniform(3.0, 6.0)  # an ingest of those archives, killed too
        run_child("ingest", ingest_script(archives, db), env, lambda: time.monotonic() - started > delay)

        for _ in range(4):  # clean runs until nothing is pending (each URL has at most two faults)
            with contextlib.suppress(CrawlFailed):  # a run may find every host faulty: it ends Failed
                crawl(str(sources), db=str(db), warc_dir=str(warc), load_batch=4, **CRAWL_OPTIONS)
            if pending_articles(db) == 0:
                break

        result = check(db, warc, faults.article_urls)
        assert sum(faults.faults.values()) >= 5                        # the faults did happen
        assert result.lost == [] and result.loaded == result.expected == 18
        assert result.duplicates == 0
        assert result.unreferenced_records == 0 and result.missing_records == 0
        assert result.running_runs == 0 and result.statuses["crashed"] >= 1
        con = duckdb.connect(str(db), read_only=True)
        kinds = {row[0] for row in con.execute("SELECT DISTINCT error_kind FROM fetches").fetchall()}
        con.close()
        assert kinds & {"reset", "deadline", "bad_encoding", "redirects"}  # named, not all 'timeout'
    finally:
        faults.stop()
