"""The `crawl` flow end to end against fixture sites on 127.0.0.1, under the session's Prefect
test server: feeds (RSS with ETag, Atom found on the home page, a malformed one), a sitemap
index with a gzipped sitemap and a news sitemap, EUC-KR listing pages with pagination, a 301,
a 404, a 429 with Retry-After, a 503 that recovers, a slow host, a robots.txt Disallow and an
oversized page. A second crawl fetches nothing new; a crawl killed midway and run again loses
nothing and duplicates nothing."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import httpx
import pytest
import typer
from prefect.settings import PREFECT_API_URL
from typer.testing import CliRunner

from pipelines import flows
from pipelines.crawl_flow import crawl, serve_options, summary_markdown
from pipelines.inputs import read_warc
from tests.conftest import ROOT
from tests.crawl_server import (
    A_GONE,
    B_OVERSIZED,
    B_STORIES,
    BROKEN,
    C_SLOW,
    DAECHEONG,
    EXPECTED_ARTICLES,
    article_path,
    build_sites,
    running_farm,
)

# A 1.5 s read timeout: the slow host (4 s) trips it, a busy 2-core test machine does not. One retry is
# enough for the 429 and the 503 (each fails once).
FAST = {"timeout_seconds": 1.5, "max_retries": 1, "backoff_seconds": 0.05, "retry_after_cap_seconds": 5.0}


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way may swallow it."""


@pytest.fixture
def sites(tmp_path, kiwi):
    # `kiwi`: the model loads once per session, before any crawl. Loading holds the GIL for a second or
    # more, long enough to starve the fetchers' event loops into spurious read timeouts.
    with running_farm() as farm:
        fixture = build_sites(farm, slow_delay=4.0)
        fixture.sources = fixture.write_sources(tmp_path)  # type: ignore[attr-defined]
        yield fixture


def _rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'Asia/Seoul'")
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _expected_urls(sites) -> set[str]:
    return {sites.article_url(getattr(sites, site), 40 if idxno == 4 else idxno) for site, idxno in EXPECTED_ARTICLES}


def _article_hits(farm) -> list[str]:
    return [f"{hit.port}{hit.path}" for hit in farm.log if "articleView" in hit.path]


def _snapshot(db) -> dict[str, object]:
    return {
        "articles": sorted(_rows(db, "SELECT url, title FROM articles")),
        "raw_pages": _rows(db, "SELECT count(*), count(DISTINCT page_id) FROM raw_pages")[0],
        "mentions": _rows(db, "SELECT count(*) FROM mentions")[0][0],
        "state": sorted(_rows(db, "SELECT url, state FROM crawl_state WHERE kind = 'article'")),
    }


def test_crawl_loads_the_sites_then_a_second_crawl_fetches_nothing_new(prefect_server, sites, tmp_path):
    db = tmp_path / "crawl.duckdb"
    farm, a, b, c, d = sites.farm, sites.a, sites.b, sites.c, sites.d
    summary = crawl(str(sites.sources), db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)

    articles = dict(_rows(db, "SELECT url, title FROM articles"))
    assert set(articles) == _expected_urls(sites)
    assert articles[sites.article_url(b, 101)] == B_STORIES[0].title            # EUC-KR, decoded right
    assert articles[sites.article_url(a, 40)] == "논산시, 딸기 농가 스마트팜 전환 지원"  # after the 301
    published = dict(_rows(db, "SELECT url, strftime(published_at, '%Y-%m-%d %H:%M') FROM articles"))
    assert published[sites.article_url(b, 101)] == "2024-05-02 09:10"

    failures = {(source, stage): error for source, stage, error in
                _rows(db, "SELECT source, stage, error FROM failures WHERE run_id = ?", [summary.run_id])}
    assert "HTTP 404" in failures[(sites.article_url(a, A_GONE), "fetch")]
    assert "limit" in failures[(sites.article_url(b, B_OVERSIZED), "fetch")]
    assert "timeout" in failures[(sites.article_url(c, C_SLOW), "fetch")].lower()
    assert "malformed XML" in failures[(d.url("/rss/allArticle.xml"), "discover")]
    assert len(failures) == 4 and not summary.ok and len(summary.failures) == 4

    states = dict(_rows(db, "SELECT url, state FROM crawl_state WHERE kind = 'article'"))
    assert states[sites.article_url(a, A_GONE)] == "gone"
    assert states[sites.article_url(b, B_OVERSIZED)] == "failed"
    assert states[sites.article_url(c, C_SLOW)] == "pending"                  # tried again next run
    assert states[a.url("/private/secret.html")] == "disallowed"
    assert not a.hits("/private/")                                              # robots.txt obeyed
    assert states[sites.article_url(a, 4)] == "done"                            # the 301's address
    assert [hit.status for hit in b.hits(article_path(104))] == [503, 200]      # recovered
    assert [hit.status for hit in a.hits(article_path(6))] == [429, 200]        # after Retry-After

    outcomes = dict(_rows(db, "SELECT outcome, count(*) FROM fetches WHERE run_id = ? AND kind = 'article' "
                              "GROUP BY ALL", [summary.run_id]))
    assert outcomes == {"ok": 13, "http_error": 1, "too_large": 1, "error": 1, "disallowed": 1}
    run = _rows(db, "SELECT kind, status, pages, articles, failures FROM runs WHERE run_id = ?", [summary.run_id])
    assert run == [("crawl", "failures", 14, 13, 4)]

    pages_warc = [path for path in summary.warc_paths if "-pages-" in path]
    read, problems = read_warc(Path(pages_warc[0]))
    assert not problems and len(read) == 14                                     # 13 articles + the 404 page
    stored = {row[0] for row in _rows(db, "SELECT warc_record_id FROM raw_pages WHERE warc_record_id IS NOT NULL")}
    assert {page.warc_record_id for page in read} == stored
    markdown = summary_markdown(summary)
    assert DAECHEONG in markdown and "malformed XML" in markdown
    # (the 3.8.8 client's artifact reads send nulls this server version refuses: ask the API directly)
    reply = httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter", timeout=30,
                       json={"artifacts": {"key": {"any_": ["crawl-summary"]}}, "limit": 50})
    assert any(summary.run_id in artifact["data"] and "malformed XML" in artifact["data"] for artifact in reply.json())

    # the second night: feeds and sitemaps answer 304, nothing done is fetched again
    before = _snapshot(db)
    farm.clear_log()
    again = crawl(str(sites.sources), db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)
    assert _article_hits(farm) == [f"{c.port}{article_path(C_SLOW)}"] * 2       # only the pending retry
    assert again.pages == 0 and again.articles == 0
    assert [h.status for h in a.hits("/rss/")] == [304] and [h.status for h in b.hits("/news/articleList")] == [304,
                                                                                                                304]
    assert [h.status for h in a.hits("/sitemap-")] == [304, 304]
    after = _snapshot(db)
    assert after["articles"] == before["articles"] and after["raw_pages"] == before["raw_pages"]
    assert after["mentions"] == before["mentions"]
    assert _rows(db, "SELECT count(*) FROM articles")[0][0] == _rows(db, "SELECT count(DISTINCT url) FROM articles"
                                                                     )[0][0]
    attempts = _rows(db, "SELECT attempts FROM crawl_state WHERE url = ?", [sites.article_url(c, C_SLOW)])
    assert attempts == [(2,)]


def test_since_skips_older_sitemaps_and_articles_until_a_full_run(prefect_server, sites, tmp_path):
    db = tmp_path / "since.duckdb"
    a = sites.a
    first = crawl(str(sites.sources), source=DAECHEONG, since=date(2024, 5, 3), db=str(db),
                  warc_dir=str(tmp_path / "warc"), **FAST)
    assert not a.hits("/sitemap-2024-04")                     # the index dates it before --since
    fetched = {hit.path for hit in a.hits("/news/articleView")}
    assert article_path(1) not in fetched and article_path(2) not in fetched   # dated 2024-05-02
    assert article_path(3) in fetched and article_path(7) in fetched
    assert article_path(A_GONE) in fetched                    # undated: fetched, since it cannot be told
    assert {s.source for s in first.sources} == {DAECHEONG}
    sites.farm.clear_log()
    crawl(str(sites.sources), source=DAECHEONG, db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)
    assert sorted(hit.path for hit in a.hits("/news/articleView")) == sorted(
        [article_path(1), article_path(2), article_path(8)])  # what waited, and the April sitemap's article
    assert len(_rows(db, "SELECT url FROM articles")) == 7


@pytest.mark.parametrize("where", ["fetch", "load"])
def test_a_crawl_killed_midway_loses_nothing_and_duplicates_nothing(prefect_server, sites, tmp_path, monkeypatch,
                                                                     where):
    from pipelines import fetch as fetch_module

    db = tmp_path / "killed.duckdb"
    calls = {"n": 0}
    if where == "fetch":  # die inside a source task, after a few article pages
        original = fetch_module.Fetcher.fetch

        async def dying_fetch(self, request, delay=None):
            if request.kind == "article":
                calls["n"] += 1
                if calls["n"] == 6:
                    raise Killed("killed while fetching")
            return await original(self, request, delay)

        monkeypatch.setattr(fetch_module.Fetcher, "fetch", dying_fetch)
    else:  # die between two loads: one source's pages are in, the others fetched but not loaded
        original_load = flows.process_and_load

        def dying_load(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise Killed("killed while loading")
            return original_load(*args, **kwargs)

        monkeypatch.setattr(flows, "process_and_load", dying_load)
    with pytest.raises(BaseException) as died:  # noqa: B017, PT011 - Prefect may wrap the crash
        crawl(str(sites.sources), db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)
    assert "killed" in str(died.value) or isinstance(died.value, Killed)
    killed_run = _rows(db, "SELECT status FROM runs")
    assert killed_run == [("crashed",)]
    loaded_before = {url for url, in _rows(db, "SELECT url FROM articles")}
    assert loaded_before < _expected_urls(sites)
    monkeypatch.undo()

    sites.farm.clear_log()
    crawl(str(sites.sources), db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)
    articles = _rows(db, "SELECT url FROM articles")
    assert {url for url, in articles} == _expected_urls(sites) and len(articles) == len(EXPECTED_ARTICLES)
    refetched = set(_article_hits(sites.farm))
    for url in loaded_before:  # what the killed run loaded is not fetched again
        assert url.removeprefix("http://127.0.0.1:") not in refetched
    pages = _rows(db, "SELECT url, count(*) FROM raw_pages GROUP BY url HAVING count(*) > 1")
    assert pages == []
    states = dict(_rows(db, "SELECT state, count(*) FROM crawl_state WHERE kind = 'article' GROUP BY ALL"))
    assert states == {"done": 13, "gone": 1, "failed": 1, "pending": 1, "disallowed": 1}


def test_a_crawl_process_killed_with_sigkill_then_run_again(prefect_server, sites, tmp_path):
    """The real thing: a separate process crawling, SIGKILLed after a few article fetches."""
    db = tmp_path / "sigkill.duckdb"
    script = ("import sys; from pipelines.crawl_flow import crawl; "
              f"crawl({str(sites.sources)!r}, db={str(db)!r}, warc_dir={str(tmp_path / 'warc')!r}, "
              "timeout_seconds=1.5, max_retries=1, backoff_seconds=0.05, retry_after_cap_seconds=5.0)")
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(_article_hits(sites.farm)) < 7 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        assert process.poll() is None, "the crawl finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(30)
    archived = {}  # what the killed run archived: every page survives the kill up to the record it was writing
    for path in (tmp_path / "warc").glob("*-pages-*.warc.gz"):
        pages, _ = read_warc(path)
        archived.update({page.warc_record_id: page.url for page in pages})
    sites.farm.clear_log()
    again = crawl(str(sites.sources), db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)
    articles = _rows(db, "SELECT url FROM articles")
    assert {url for url, in articles} == _expected_urls(sites) and len(articles) == len(EXPECTED_ARTICLES)
    assert _rows(db, "SELECT url FROM raw_pages GROUP BY url HAVING count(*) > 1") == []
    statuses = sorted(status for status, in _rows(db, "SELECT status FROM runs"))
    assert statuses == ["crashed", "failures"]                     # its process is gone: no run left 'running'
    logged = {row[0] for row in _rows(db, "SELECT warc_record_id FROM fetches WHERE warc_record_id IS NOT NULL")}
    assert set(archived) <= logged                                  # the archive and the database agree
    refetched = set(_article_hits(sites.farm))
    for url in archived.values():                                   # nothing archived is fetched again
        assert url.removeprefix("http://127.0.0.1:") not in refetched, url
    assert any("crashed" in note for note in again.notes)
    for path in (tmp_path / "warc").glob("*.warc.gz"):              # every archive readable up to the kill
        read_warc(path)


def test_crawl_command_prints_a_summary_and_exits_1_on_failures(prefect_server, sites, tmp_path):
    from pipelines.cli_crawl import register

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """pressflow (test copy)"""

    register(app)
    db = tmp_path / "cli.duckdb"
    # the CLI keeps production manners (timeouts, retries): crawl the fast, well-behaved source
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sites.sources), "--source", BROKEN, "--db", str(db),
                                      "--since", "2024-05-01"])
    said = " ".join(result.output.split())
    assert result.exit_code == 1, result.output                         # its feed is malformed
    assert "articles: 1 new, 0 updated, 0 unchanged" in said and "malformed XML" in said
    assert _rows(db, "SELECT title FROM articles") == [("제주시, 해안 쓰레기 수거 인력 확충",)]


def test_nightly_deployment_is_2am_in_seoul_one_run_at_a_time(tmp_path):
    options = serve_options(str(tmp_path / "sources.toml"), str(tmp_path / "p.duckdb"))
    schedule = options["schedule"]
    assert options["name"] == "nightly-crawl" and options["global_limit"] == 1
    assert schedule.cron == "0 2 * * *" and schedule.timezone == "Asia/Seoul"
    assert options["parameters"]["db"] == str(tmp_path / "p.duckdb")
    # what `crawl.serve` builds from them, short of serving (which blocks)
    deployment = crawl.to_deployment(name=options["name"], schedule=schedule, parameters=options["parameters"],
                                     concurrency_limit=options["global_limit"])
    assert deployment.schedules[0].schedule.timezone == "Asia/Seoul" and deployment.concurrency_limit == 1
