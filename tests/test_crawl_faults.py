"""The crawl under bad inputs (issue 13): a sitemap backlog of junk cannot crowd out the feed's
articles, many 404s in a row end a source's turn, redirects to hosts a source does not name are
refused, every source failing ends the run Failed, and pages load in batches as they arrive so a
kill loses at most one batch, which the next run loads from the archive instead of fetching again."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from pipelines.crawl_flow import CrawlFailed, crawl
from pipelines.inputs import read_warc
from tests.crawl_server import Reply, Story, article_path, ndsoft_article, rss, running_farm, sitemap

FAST = {"timeout_seconds": 1.5, "max_retries": 1, "backoff_seconds": 0.05, "retry_after_cap_seconds": 5.0}
OUTLET = "고장일보"


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way may swallow it."""


def _rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _stories(count: int, first: int = 1) -> list[Story]:
    return [Story(n, f"고장시, 시험 사업 {n}호 시작",
                  (f"고장시는 주민을 위한 시험 사업 {n}호를 다음 달부터 운영한다고 2일 밝혔다.",
                   "시는 올해 예산 3억 원을 들여 사업을 진행한다."),
                  "2024.05.02 10:00", "김시험", lastmod="2024-05-02T10:00:00+09:00")
            for n in range(first, first + count)]


@pytest.fixture
def farm(kiwi):  # kiwi: loaded before any crawl, so its load cannot starve the fetchers' event loops
    with running_farm() as running:
        yield running


def _source(site, extra: str = "", feeds: bool = True, sitemaps: bool = False) -> str:
    lines = [f'[[source]]\nname = "{OUTLET}"\nregion = "대전광역시"\nhome = "{site.url("/")}"',
             f'feeds = ["{site.url("/rss/allArticle.xml")}"]' if feeds else "",
             f'sitemaps = ["{site.url("/sitemap.xml")}"]' if sitemaps else "",
             'cms = "ndsoft"\ndelay_seconds = 0.0\nverified = true', extra]
    return "\n".join(line for line in lines if line) + "\n"


def test_a_junk_sitemap_backlog_waits_behind_the_feed_and_404s_in_a_row_stop_it(farm, tmp_path, prefect_server):
    site = farm.site(OUTLET)
    elsewhere = farm.site("남의집")  # another host on loopback that the source does not name
    real = _stories(10)
    site.route("/robots.txt", Reply(404))
    foreign = elsewhere.url(article_path(999))  # same machine, another port: another service, not the outlet
    site.route("/rss/allArticle.xml", Reply(body=rss(OUTLET, site.base, real, (site.url("/go/away"), foreign)),
                                            content_type="application/rss+xml"))
    junk = [Story(100_000 + n, "x", ("x",), "2024.05.09 10:00", "x", lastmod="2024-05-09T10:00:00+09:00")
            for n in range(3000)]  # newer than the feed, and every one a 404
    site.route("/sitemap.xml", Reply(body=sitemap(site.base, junk), content_type="application/xml"))
    for story in real:
        site.route(article_path(story.idxno), Reply(body=ndsoft_article(OUTLET, story)))
    site.route("/go/away", Reply(302, headers=(("Location", elsewhere.url("/admin")),)))
    elsewhere.route("/robots.txt", Reply(404))
    elsewhere.route("/admin", Reply(body=b"<html><body>internal</body></html>"))
    sources = tmp_path / "sources.toml"
    sources.write_text('[crawler]\nuser_agent = "faultbot/1.0"\ncontact = "ops@example.org"\n\n'
                       + _source(site, sitemaps=True), encoding="utf-8")
    db = tmp_path / "junk.duckdb"

    summary = crawl(str(sources), db=str(db), warc_dir=str(tmp_path / "warc"), max_pages_per_source=30,
                    max_urls_per_sitemap=500, max_missing_in_a_row=5, **FAST)

    loaded = {url for url, in _rows(db, "SELECT url FROM articles")}
    assert loaded == {site.url(article_path(story.idxno)) for story in real}   # every real article
    junk_hits = [hit for hit in site.hits("/news/articleView") if int(hit.path.rsplit("=", 1)[1]) >= 100_000]
    assert len(junk_hits) == 5                                                  # then it stopped
    assert any("5 missing pages" in note for note in summary.notes)
    backlog = _rows(db, "SELECT count(*) FROM crawl_state WHERE found_via = 'backlog'")[0][0]
    assert backlog == 500                                                       # the sitemap's newest 500
    refused = _rows(db, "SELECT error_kind, state FROM fetches JOIN crawl_state USING (url) WHERE url = ?",
                    [site.url("/go/away")])
    assert refused == [("redirect_refused", "failed")] and not elsewhere.hits("/admin")
    assert _rows(db, "SELECT count(*) FROM crawl_state WHERE url = ?", [foreign]) == [(0,)]
    assert not elsewhere.hits("/news/")
    assert {hit.headers["user-agent"] for hit in farm.log} == {"faultbot/1.0 (+mailto:ops@example.org)"}

    # the source names the other host: the redirect is followed, whatever its address
    sources.write_text(_source(site, f'redirect_hosts = ["127.0.0.1:{elsewhere.port}"]'), encoding="utf-8")
    con = duckdb.connect(str(db))
    con.execute("UPDATE crawl_state SET state = 'pending', attempts = 0 WHERE url = ?", [site.url("/go/away")])
    con.close()
    crawl(str(sources), db=str(db), warc_dir=str(tmp_path / "warc"), max_missing_in_a_row=5, **FAST)
    assert len(elsewhere.hits("/admin")) == 1


def test_a_crawl_in_which_every_source_failed_ends_failed(farm, tmp_path, prefect_server):
    down = farm.site("점검일보")
    down.route("/robots.txt", Reply(503, b"maintenance"))
    broken = farm.site("깨진일보")
    broken.route("/robots.txt", Reply(404))
    broken.route("/rss/allArticle.xml", Reply(500, b"oops"))
    sources = tmp_path / "sources.toml"
    sources.write_text(_source(down).replace(OUTLET, "점검일보") + "\n" + _source(broken).replace(OUTLET, "깨진일보"),
                       encoding="utf-8")
    db = tmp_path / "failed.duckdb"
    state = crawl(str(sources), db=str(db), warc_dir=str(tmp_path / "warc"), return_state=True, **FAST)
    assert state.is_failed()
    with pytest.raises(CrawlFailed) as failed:
        state.result()
    assert {s.source for s in failed.value.summary.sources if s.failed} == {"점검일보", "깨진일보"}
    assert _rows(db, "SELECT status FROM runs") == [("failed",)]

    from pipelines.cli_crawl import register

    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """pressflow (test copy)"""

    register(app)
    result = CliRunner().invoke(app, ["crawl", "--sources", str(sources), "--db", str(db),
                                      "--user-agent", "clibot/3", "--contact", "https://bot.example/about"])
    assert result.exit_code == 1 and "every source failed" in " ".join(result.output.split())
    assert down.hits("/robots.txt")[-1].headers["user-agent"] == "clibot/3 (+https://bot.example/about)"


def test_pages_load_as_they_arrive_so_a_kill_loses_at_most_one_batch(farm, tmp_path, prefect_server, monkeypatch):
    from pipelines import fetch as fetch_module

    site = farm.site(OUTLET)
    stories = _stories(12)
    site.route("/robots.txt", Reply(404))
    site.route("/rss/allArticle.xml", Reply(body=rss(OUTLET, site.base, stories), content_type="application/rss+xml"))
    for story in stories:
        site.route(article_path(story.idxno), Reply(body=ndsoft_article(OUTLET, story)))
    sources = tmp_path / "sources.toml"
    sources.write_text(_source(site), encoding="utf-8")
    db, warc = tmp_path / "batches.duckdb", tmp_path / "warc"
    original, calls = fetch_module.Fetcher.fetch, {"n": 0}

    async def dying_fetch(self, request, delay=None):
        if request.kind == "article":
            calls["n"] += 1
            if calls["n"] == 10:  # nine pages fetched: the kill comes before the tenth
                raise Killed("killed while fetching")
        return await original(self, request, delay)

    monkeypatch.setattr(fetch_module.Fetcher, "fetch", dying_fetch)
    monkeypatch.setattr("pipelines.crawl_flow.crawl_source.retries", 0)
    with pytest.raises(BaseException) as died:  # noqa: B017, PT011 - Prefect may wrap the crash
        crawl(str(sources), db=str(db), warc_dir=str(warc), load_batch=2, **FAST)
    assert "killed" in str(died.value) or isinstance(died.value, Killed)
    monkeypatch.undo()
    loaded = {url for url, in _rows(db, "SELECT url FROM articles")}
    assert len(loaded) >= 9 - 2                        # loaded while fetching: at most one batch (2) was not
    archived = {}
    for path in warc.glob("*-pages-*.warc.gz"):
        pages, _ = read_warc(path)
        archived.update({page.warc_record_id: page.url for page in pages})
    assert len(archived) == 9

    farm.clear_log()
    again = crawl(str(sources), db=str(db), warc_dir=str(warc), load_batch=2, **FAST)
    assert again.recovered == 9 - len(loaded)          # the unloaded batch came from the archive
    never_fetched = {site.url(article_path(story.idxno)) for story in stories} - set(archived.values())
    assert {site.url(hit.path) for hit in site.hits("/news/")} == never_fetched  # only what the kill cut off
    assert len(_rows(db, "SELECT url FROM articles")) == 12
    logged = {row[0] for row in _rows(db, "SELECT warc_record_id FROM fetches WHERE warc_record_id IS NOT NULL")}
    assert set(archived) <= logged                     # every archived page is in the database
    stored = {row[0] for row in _rows(db, "SELECT warc_record_id FROM raw_pages")}
    every = set(archived)
    for path in warc.glob("*-pages-*.warc.gz"):
        every |= {page.warc_record_id for page in read_warc(Path(path))[0]}
    assert stored <= every                             # and every stored page is in the archive
    assert _rows(db, "SELECT status FROM runs ORDER BY started_at") == [("crashed",), ("ok",)]
