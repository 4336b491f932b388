"""The crawl's fault soak, bigger than the test's, with its figures printed.

Starts `--hosts` fault-injecting news sites on 127.0.0.1 (threads of this process) and a
temporary Prefect server, then runs `--rounds` child processes, each a crawl or an ingest of
the archive so far, SIGKILLed at a random point (after a random number of article requests,
or a random number of seconds). Then clean crawls run until nothing is pending, and the
invariants are checked: no article lost, none duplicated, every archived page referenced by
the fetch log and every stored page in the archive, no run left 'running'. Bounded: a fixed
set of URLs with at most `--budget` faults each, a timeout per child, `--limit-seconds` overall.

    .venv/bin/python benchmarks/soak.py [--hosts 4] [--articles 10] [--rounds 8] [--seed 13]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")

import duckdb  # noqa: E402

from tests.fault_farm import (  # noqa: E402
    CRAWL_OPTIONS,
    FaultFarm,
    check,
    child_env,
    crawl_script,
    ingest_script,
    peak_memory_mib,
    pending_articles,
    run_child,
)


def _running(db: Path) -> set[str]:
    if not db.exists():
        return set()
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()}
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--articles", type=int, default=10, help="articles per host")
    parser.add_argument("--rounds", type=int, default=8, help="child processes killed at random points")
    parser.add_argument("--rate", type=float, default=0.4, help="chance that a reply is a fault")
    parser.add_argument("--budget", type=int, default=2, help="faults per URL at most")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit-seconds", type=float, default=900)
    args = parser.parse_args()

    from prefect.testing.utilities import prefect_test_harness

    from pipelines.crawl_flow import CrawlFailed, crawl

    rng = random.Random(args.seed)
    began = time.monotonic()
    faults = FaultFarm(hosts=args.hosts, articles=args.articles, rate=args.rate, budget=args.budget,
                       seed=args.seed)
    kills = {"crawl": 0, "ingest": 0}
    finished = {"crawl": 0, "ingest": 0}
    left_running: set[str] = set()
    peaks = {"crawl": 0.0, "ingest": 0.0}
    clean_runs = recovered = 0
    try:
        with prefect_test_harness(server_startup_timeout=180), tempfile.TemporaryDirectory() as folder:
            env = child_env()
            sources, db, warc = Path(folder) / "sources.toml", Path(folder) / "soak.duckdb", Path(folder) / "warc"
            sources.write_text(faults.sources_toml(), encoding="utf-8")
            total = len(faults.article_urls)
            for _ in range(args.rounds):
                if time.monotonic() - began > args.limit_seconds / 2:
                    break
                archives = sorted(warc.glob("*-pages-*.warc.gz"))
                if archives and rng.random() < 0.3:
                    started, delay = time.monotonic(), rng.uniform(2.0, 8.0)
                    child = run_child("ingest", ingest_script(archives, db), env,
                                      lambda started=started, delay=delay: time.monotonic() - started > delay)
                else:
                    target = faults.article_hits() + rng.randint(1, max(2, total // 2))
                    child = run_child("crawl", crawl_script(sources, db, warc), env,
                                      lambda target=target: faults.article_hits() >= target)
                (kills if child.killed else finished)[child.kind] += 1
                peaks[child.kind] = max(peaks[child.kind], child.peak_mib)
                left_running |= _running(db) if child.killed else set()
            for _ in range(5):
                if time.monotonic() - began > args.limit_seconds:
                    break
                try:
                    summary = crawl(str(sources), db=str(db), warc_dir=str(warc), load_batch=4, **CRAWL_OPTIONS)
                    recovered += summary.recovered
                except CrawlFailed as failed:
                    recovered += failed.summary.recovered
                clean_runs += 1
                if pending_articles(db) == 0:
                    break
            result = check(db, warc, faults.article_urls)
            con = duckdb.connect(str(db), read_only=True)
            kinds = dict(con.execute("SELECT error_kind, count(*) FROM fetches WHERE error_kind IS NOT NULL "
                                     "GROUP BY ALL ORDER BY 2 DESC").fetchall())
            fetches = con.execute("SELECT count(*) FROM fetches").fetchall()[0][0]
            # pages a later run read back from a killed run's archive (attempts 0: not fetched again)
            recovered_all = con.execute("SELECT count(*) FROM fetches WHERE attempts = 0 AND kind = 'article' "
                                        "AND outcome IN ('ok', 'http_error')").fetchall()[0][0]
            con.close()
    finally:
        faults.stop()
    own = peak_memory_mib()
    urls = len(faults.article_urls) + 3 * args.hosts  # articles, feed, robots.txt and two junk URLs per host
    print(f"hosts {args.hosts} x {args.articles} articles, fault rate {args.rate:g}, at most {args.budget} per URL, "
          f"seed {args.seed}; {time.monotonic() - began:.0f} s")
    print(f"inputs tried: {urls} URLs, {faults.requests} requests served, {fetches} fetches logged")
    print(f"faults injected: {sum(faults.faults.values())} ("
          + ", ".join(f"{kind} {count}" for kind, count in faults.faults.most_common()) + ")")
    print("failures by name in the fetch log: " + ", ".join(f"{kind} {count}" for kind, count in kinds.items()))
    print(f"kills (SIGKILL): {kills['crawl']} crawls, {kills['ingest']} ingests "
          f"({len(left_running)} left a run 'running' until the next run swept it); "
          f"{finished['crawl'] + finished['ingest']} children finished before their kill point")
    print(f"clean crawls after the kills: {clean_runs}; pages loaded from killed runs' WARC instead of fetched "
          f"again: {recovered_all} ({recovered} by the clean crawls)")
    print(f"articles: {result.expected} expected, {result.loaded} loaded, {len(result.lost)} lost, "
          f"{result.duplicates} duplicates")
    print(f"archive <-> database: {result.archived_pages} archived pages, {result.unreferenced_records} archived "
          f"records (pages, feeds, robots.txt) not in the fetch log, {result.missing_records} stored pages missing "
          "from the archive")
    print(f"runs: {dict(result.statuses)}; left 'running': {result.running_runs}")
    print(f"peak memory: {own:.0f} MiB this process (hosts and the clean crawls, Kiwi loaded), children up to "
          f"{peaks['crawl']:.0f} MiB per crawl and {peaks['ingest']:.0f} MiB per ingest (killed or not)")
    print("invariants hold" if result.ok else "INVARIANTS BROKEN: " + ", ".join(result.lost[:5]))
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
