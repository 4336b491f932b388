"""The polite fetcher against fixture hosts on 127.0.0.1: robots.txt, redirects, errors,
retries with Retry-After, timeouts, the size limit, conditional requests, per-host spacing,
the global limit, and the WARC archive read back by `pipelines.inputs.read_warc`."""
from __future__ import annotations

import asyncio
import gzip
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from pipelines.archive import WarcArchive
from pipelines.fetch import USER_AGENT, Fetcher, FetchPolicy, FetchRequest, HostGate, parse_retry_after
from pipelines.inputs import read_warc
from tests.crawl_server import Reply, running_farm

FAST = FetchPolicy(delay_seconds=0.02, timeout_seconds=0.5, total_timeout_seconds=2.0, max_retries=2,
                   backoff_seconds=0.02, retry_after_cap_seconds=3.0)


def _fetch(policy, requests, **kwargs):
    async def go():
        async with Fetcher(policy, **kwargs) as fetcher:
            return await fetcher.fetch_all(requests)
    return asyncio.run(go())


@pytest.fixture
def farm():
    with running_farm() as running:
        yield running


def test_user_agent_robots_redirects_and_errors(farm):
    site = farm.site("한빛일보")
    site.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
    site.route("/old/1", Reply(301, headers=(("Location", "/mid/1"),)))
    site.route("/mid/1", Reply(302, headers=(("Location", site.url("/news/1")),)))
    site.route("/news/1", Reply(body="<html>한빛시 소식</html>".encode(), etag='"n1"'))
    site.route("/loop", Reply(301, headers=(("Location", "/loop"),)))
    requests = [FetchRequest(site.url(path), "한빛일보") for path in
                ("/old/1", "/missing", "/private/memo.html", "/loop")]
    moved, missing, private, loop = _fetch(FAST, requests)

    assert moved.record.outcome == "ok" and moved.record.final_url == site.url("/news/1")
    assert moved.page is not None and moved.page.url == site.url("/old/1")
    assert moved.page.final_url == site.url("/news/1") and moved.page.status == 200
    assert moved.record.etag == '"n1"' and moved.record.page_id == moved.page.page_id
    assert missing.record.outcome == "http_error" and missing.record.status == 404
    assert missing.page is not None and missing.page.status == 404  # the error page is kept
    assert private.record.outcome == "disallowed" and private.page is None
    assert loop.record.outcome == "error" and "redirects" in loop.record.error

    assert len(site.hits("/robots.txt")) == 1                       # once per host and run
    assert not site.hits("/private/")                                # never asked
    assert {hit.headers["user-agent"] for hit in farm.log} == {USER_AGENT}


def test_429_retry_after_seconds_then_http_date_then_success(farm):
    site = farm.site("느린시청")
    site.route("/robots.txt", Reply(404))
    site.route("/a", Reply(429, b"slow down", headers=(("Retry-After", "1"),)), Reply(body=b"<p>a</p>"))
    (first,) = _fetch(FAST, [FetchRequest(site.url("/a"))])
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)  # 1 to 2 s from now
    site.route("/b", Reply(503, b"busy", headers=(("Retry-After", when),)), Reply(body=b"<p>b</p>"))
    (second,) = _fetch(FAST, [FetchRequest(site.url("/b"))])
    assert first.record.outcome == "ok" and first.record.attempts == 2
    assert second.record.outcome == "ok" and second.record.attempts == 2
    a_hits, b_hits = site.hits("/a"), site.hits("/b")
    assert a_hits[1].started - a_hits[0].started >= 0.95             # Retry-After: 1 honoured
    assert b_hits[1].started - b_hits[0].finished >= 0.9              # an HTTP date honoured (1 s resolution)


def test_retry_after_beyond_the_cap_leaves_the_url_for_later(farm):
    site = farm.site("바쁜신문")
    site.route("/robots.txt", Reply(404))
    site.route("/a", Reply(429, b"no", headers=(("Retry-After", "3600"),)))
    (result,) = _fetch(FAST, [FetchRequest(site.url("/a"))])
    assert result.record.outcome == "http_error" and result.record.status == 429
    assert "Retry-After" in result.record.error and len(site.hits("/a")) == 1


def test_503_recovers_and_persistent_503_gives_up(farm):
    site = farm.site("흔들신문")
    site.route("/robots.txt", Reply(404))
    site.route("/ok", Reply(503, b"busy"), Reply(503, b"busy"), Reply(body=b"<p>ok</p>"))
    site.route("/down", Reply(503, b"<html>down</html>"))
    recovered, down = _fetch(FAST, [FetchRequest(site.url("/ok")), FetchRequest(site.url("/down"))])
    assert recovered.record.outcome == "ok" and recovered.record.attempts == 3
    assert down.record.outcome == "http_error" and down.record.attempts == FAST.max_retries + 1
    assert down.page is not None and down.page.status == 503


def test_slow_host_and_refused_connection_fail_after_retries(farm):
    site = farm.site("거북신문")
    site.route("/robots.txt", Reply(404))
    site.route("/slow", Reply(body=b"late", delay=2.0))
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    slow, dead = _fetch(FAST, [FetchRequest(site.url("/slow")), FetchRequest(f"http://127.0.0.1:{dead_port}/a")])
    assert slow.record.outcome == "error" and "timeout" in slow.record.error.lower()
    assert slow.record.attempts == FAST.max_retries + 1 and slow.page is None
    assert dead.record.outcome == "disallowed" and "unreachable" in dead.record.error  # RFC 9309: no robots, no crawl
    ignoring = FetchPolicy(**{**FAST.__dict__, "obey_robots": False})
    (dead,) = _fetch(ignoring, [FetchRequest(f"http://127.0.0.1:{dead_port}/a")])
    assert dead.record.outcome == "error" and "connection failed" in dead.record.error


def test_oversized_bodies_are_failures_not_partial_pages(farm):
    site = farm.site("큰신문")
    site.route("/robots.txt", Reply(404))
    site.route("/declared", Reply(body=b"x" * 3000))
    site.route("/streamed", Reply(stream_bytes=400_000))
    small = FetchPolicy(**{**FAST.__dict__, "max_bytes": 2000})
    declared, streamed = _fetch(small, [FetchRequest(site.url("/declared")), FetchRequest(site.url("/streamed"))])
    for result in (declared, streamed):
        assert result.record.outcome == "too_large" and result.page is None and result.record.bytes == 0
        assert result.record.attempts == 1


def test_conditional_requests_give_not_modified(farm):
    site = farm.site("조건신문")
    site.route("/robots.txt", Reply(404))
    stamp = "Wed, 01 May 2024 22:00:00 GMT"
    site.route("/feed", Reply(body=b"<rss/>", etag='"v1"'))
    site.route("/map", Reply(body=b"<urlset/>", last_modified=stamp))
    feed, sitemap = _fetch(FAST, [FetchRequest(site.url("/feed"), kind="feed"),
                                  FetchRequest(site.url("/map"), kind="sitemap")])
    assert feed.record.etag == '"v1"' and sitemap.record.last_modified == stamp
    again = _fetch(FAST, [FetchRequest(site.url("/feed"), kind="feed", etag=feed.record.etag),
                          FetchRequest(site.url("/map"), kind="sitemap", last_modified=stamp)])
    assert [r.record.outcome for r in again] == ["not_modified", "not_modified"]
    assert all(r.page is None and r.record.status == 304 for r in again)
    assert site.hits("/feed")[1].headers["if-none-match"] == '"v1"'
    assert site.hits("/map")[1].headers["if-modified-since"] == stamp


def test_one_request_at_a_time_per_host_spaced_by_the_delay(farm):
    hosts = [farm.site(f"신문{i}") for i in range(3)]
    for site in hosts:
        site.route("/robots.txt", Reply(404))
        for n in range(5):
            site.route(f"/a/{n}", Reply(body=b"<p>x</p>", delay=0.02))
    policy = FetchPolicy(**{**FAST.__dict__, "delay_seconds": 0.1})
    requests = [FetchRequest(site.url(f"/a/{n}")) for n in range(5) for site in hosts]
    results = _fetch(policy, requests)
    assert all(r.record.outcome == "ok" for r in results)
    for site in hosts:
        hits = sorted(site.hits("/a/"), key=lambda hit: hit.started)
        for before, after in zip(hits, hits[1:], strict=False):
            assert after.started >= before.finished                 # never two at once on one host
            assert after.started - before.started >= 0.095          # the delay between starts
    starts = sorted(hit.started for site in hosts for hit in site.hits("/a/"))
    assert starts[-1] - starts[0] < 5 * 0.1 * 2                     # hosts in parallel, not one after another


def test_global_limit_holds_across_hosts_and_fetchers(farm):
    hosts = [farm.site(f"전역{i}") for i in range(3)]
    for site in hosts:
        site.route("/robots.txt", Reply(404))
        site.route("/a", Reply(body=b"<p>x</p>", delay=0.1))
    gate = HostGate(concurrency=1)

    async def go():
        async def one(site):
            async with Fetcher(FAST, gate=gate) as fetcher:  # separate fetchers, one shared gate
                return await fetcher.fetch(FetchRequest(site.url("/a")))
        return await asyncio.gather(*(one(site) for site in hosts))

    results = asyncio.run(go())
    assert all(r.record.outcome == "ok" for r in results)
    spans = sorted((hit.started, hit.finished) for site in hosts for hit in site.hits("/a"))
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert start >= end - 0.005                                  # one request in flight at a time


def test_archive_round_trip_through_read_warc(farm, tmp_path):
    site = farm.site("기록신문")
    site.route("/robots.txt", Reply(404))
    korean = "<html><head><title>기록</title></head><body><p>금빛군 소식</p></body></html>".encode("cp949")
    site.route("/euc", Reply(body=korean, content_type="text/html; charset=euc-kr"))
    site.route("/gz", Reply(body=gzip.compress(b"<html><body>gzip page</body></html>"),
                            headers=(("Content-Encoding", "gzip"),)))
    site.route("/gone", Reply(404, b"<html>none</html>"))
    pages = WarcArchive(tmp_path / "warc", "run-pages")
    discovery = WarcArchive(tmp_path / "warc", "run-discovery")
    results = _fetch(FAST, [FetchRequest(site.url(p)) for p in ("/euc", "/gz", "/gone")]
                     + [FetchRequest(site.url("/euc"), kind="feed")], archive=pages, discovery_archive=discovery)
    pages.close()
    discovery.close()
    assert results[1].page.body == b"<html><body>gzip page</body></html>"  # decoded once, stored decoded
    read, failures = read_warc(pages.paths[0])
    assert not failures and len(read) == 3
    by_id = {page.warc_record_id: page for page in read}
    for result in results[:3]:
        stored = by_id[result.record.warc_record_id]
        assert stored.body == result.page.body and stored.status == result.page.status
        assert result.record.warc_path == str(pages.paths[0])
    assert by_id[results[0].record.warc_record_id].header("content-type") == "text/html; charset=euc-kr"
    read, failures = read_warc(discovery.paths[0])  # robots.txt (a 404 here) and the feed
    assert not failures and sorted(page.url.rsplit("/", 1)[1] for page in read) == ["euc", "robots.txt"]


def test_parse_retry_after():
    now = datetime(2024, 5, 2, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Thu, 02 May 2024 00:00:30 GMT", now) == 30.0
    assert parse_retry_after("Wed, 01 May 2024 00:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_robots_txt_unreachable_keeps_the_crawler_away_and_crawl_delay_is_honoured(farm):
    down = farm.site("점검중신문")
    down.route("/robots.txt", Reply(503, b"maintenance"))
    down.route("/a", Reply(body=b"<p>a</p>"))
    slow = farm.site("천천히신문")
    slow.route("/robots.txt", Reply(body=b"User-agent: pressflow\nCrawl-delay: 0.3\nDisallow: /x/\n"))
    slow.route("/a", Reply(body=b"<p>a</p>"))
    slow.route("/b", Reply(body=b"<p>b</p>"))
    results = _fetch(FAST, [FetchRequest(down.url("/a")), FetchRequest(slow.url("/a")),
                            FetchRequest(slow.url("/b"))])
    assert results[0].record.outcome == "disallowed" and "unreachable" in results[0].record.error
    assert not down.hits("/a") and len(down.hits("/robots.txt")) == 2   # one retry, then stay away
    first, second = slow.hits("/a")[0], slow.hits("/b")[0]
    assert second.started - first.started >= 0.29                       # Crawl-delay beats the 0.02 s delay
