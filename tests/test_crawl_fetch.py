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
from pipelines.fetch import (
    USER_AGENT,
    Fetcher,
    FetchPolicy,
    FetchRequest,
    HostGate,
    RedirectRules,
    is_public_address,
    parse_retry_after,
    user_agent,
)
from pipelines.inputs import read_warc
from tests.crawl_server import Reply, running_farm

FAST = FetchPolicy(delay_seconds=0.02, timeout_seconds=0.5, total_timeout_seconds=5.0, max_retries=2,
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
    assert slow.record.error_kind == "timeout"
    assert slow.record.attempts == FAST.max_retries + 1 and slow.page is None
    assert dead.record.outcome == "disallowed" and "unreachable" in dead.record.error  # RFC 9309: no robots, no crawl
    ignoring = FetchPolicy(**{**FAST.__dict__, "obey_robots": False})
    (dead,) = _fetch(ignoring, [FetchRequest(f"http://127.0.0.1:{dead_port}/a")])
    assert dead.record.outcome == "error" and dead.record.error_kind == "refused"
    assert dead.record.error.startswith("refused")


def test_oversized_bodies_are_failures_not_partial_pages(farm):
    site = farm.site("큰신문")
    site.route("/robots.txt", Reply(404))
    site.route("/declared", Reply(body=b"x" * 3000))
    site.route("/streamed", Reply(stream_bytes=400_000))
    small = FetchPolicy(**{**FAST.__dict__, "max_bytes": 2000})
    declared, streamed = _fetch(small, [FetchRequest(site.url("/declared")), FetchRequest(site.url("/streamed"))])
    for result in (declared, streamed):
        assert result.record.outcome == "too_large" and result.page is None and result.record.bytes == 0
        assert result.record.error_kind == "too_large" and result.record.error.startswith("too large")
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


def test_a_drip_is_cut_by_one_deadline_for_the_url_not_retried_and_the_host_goes_on(farm):
    site = farm.site("한방울신문")
    site.route("/robots.txt", Reply(404))
    # one byte every 0.1 s: the 0.5 s read timeout never trips; 300 bytes would take 30 s
    site.route("/drip", Reply(body=b"x" * 300, drip_seconds=0.1))
    site.route("/next", Reply(body=b"<p>next</p>"))
    policy = FetchPolicy(**{**FAST.__dict__, "total_timeout_seconds": 1.0, "max_retries": 3})
    drip, after = _fetch(policy, [FetchRequest(site.url("/drip")), FetchRequest(site.url("/next"))])
    assert drip.record.outcome == "error" and drip.record.error_kind == "deadline" and drip.page is None
    assert drip.record.error.startswith("deadline") and drip.record.attempts == 1
    assert len(site.hits("/drip")) == 1                           # the deadline is the URL's, not the attempt's
    assert after.record.outcome == "ok"                           # the host is free again


def test_a_503_retry_past_the_deadline_is_not_waited_for(farm):
    site = farm.site("기다림신문")
    site.route("/robots.txt", Reply(404))
    site.route("/a", Reply(503, b"busy", headers=(("Retry-After", "2"),)), Reply(body=b"<p>a</p>"))
    policy = FetchPolicy(**{**FAST.__dict__, "total_timeout_seconds": 1.0})
    (result,) = _fetch(policy, [FetchRequest(site.url("/a"))])
    assert result.record.outcome == "http_error" and result.record.status == 503
    assert "deadline" in result.record.error and len(site.hits("/a")) == 1


def test_resets_bad_gzip_and_closed_connections_are_named(farm):
    site = farm.site("끊김신문")
    site.route("/robots.txt", Reply(404))
    site.route("/reset", Reply(body=b"<p>" + b"x" * 2000, reset_after=100))
    site.route("/reset-then-ok", Reply(body=b"<p>" + b"x" * 2000, reset_after=10), Reply(body=b"<p>ok</p>"))
    site.route("/badgzip", Reply(body=b"this is not gzip at all" * 10, headers=(("Content-Encoding", "gzip"),)))
    reset, recovered, bad = _fetch(FAST, [FetchRequest(site.url(path)) for path in
                                          ("/reset", "/reset-then-ok", "/badgzip")])
    assert reset.record.error_kind == "reset" and reset.record.error.startswith("reset")
    assert "timeout" not in reset.record.error.lower() and reset.page is None
    assert reset.record.attempts == FAST.max_retries + 1               # a reset is worth retrying
    assert recovered.record.outcome == "ok" and recovered.record.attempts == 2
    assert bad.record.error_kind == "bad_encoding" and bad.record.attempts == 1 and bad.page is None


def test_robots_wildcards_and_end_anchors_are_honoured(farm):
    site = farm.site("인쇄신문")
    site.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /*print\nDisallow: /*.pdf$\n",
                                    content_type="text/plain"))
    for path in ("/news/1", "/news/1/print", "/news/print.html?idxno=2", "/files/a.pdf", "/files/a.pdf.html"):
        site.route(path, Reply(body=b"<p>x</p>"))
    results = _fetch(FAST, [FetchRequest(site.url(path)) for path in
                            ("/news/1", "/news/1/print", "/news/print.html?idxno=2", "/files/a.pdf",
                             "/files/a.pdf.html")])
    assert [r.record.outcome for r in results] == ["ok", "disallowed", "disallowed", "disallowed", "ok"]
    assert results[1].record.error_kind == "robots"
    assert {hit.path for hit in site.hits("/") if hit.path != "/robots.txt"} == {"/news/1", "/files/a.pdf.html"}


def test_user_agent_and_contact_are_configurable_and_robots_groups_follow_the_token(farm):
    site = farm.site("손님신문")
    site.route("/robots.txt", Reply(body=b"User-agent: testbot\nDisallow: /x/\n\nUser-agent: *\nDisallow: /y/\n",
                                    content_type="text/plain"))
    site.route("/x/1", Reply(body=b"<p>x</p>"))
    site.route("/y/1", Reply(body=b"<p>y</p>"))
    agent = user_agent("testbot/2.0", "ops@example.org")
    assert agent == "testbot/2.0 (+mailto:ops@example.org)"
    policy = FetchPolicy(**{**FAST.__dict__, "user_agent": agent})
    x, y = _fetch(policy, [FetchRequest(site.url("/x/1")), FetchRequest(site.url("/y/1"))])
    assert x.record.outcome == "disallowed" and y.record.outcome == "ok"  # testbot's group, not *'s
    assert {hit.headers["user-agent"] for hit in farm.log} == {agent}


def test_redirects_to_other_hosts_are_refused_unless_the_source_names_them(farm):
    home = farm.site("본사신문")
    other = farm.site("남의서버")  # another host on a loopback address
    for site in (home, other):
        site.route("/robots.txt", Reply(404))
    other.route("/internal", Reply(body=b"<p>metadata secrets</p>"))
    home.route("/to-other", Reply(302, headers=(("Location", other.url("/internal")),)))
    home.route("/to-elsewhere", Reply(302, headers=(("Location", "http://elsewhere.invalid/x"),)))
    home.route("/to-link-local", Reply(302, headers=(("Location", "http://169.254.169.254/latest/meta-data"),)))
    requests = [FetchRequest(home.url(path)) for path in ("/to-other", "/to-elsewhere", "/to-link-local")]

    # default: only the host asked is followed
    refused = _fetch(FAST, requests)
    assert all(r.record.error_kind == "redirect_refused" and r.page is None for r in refused)
    assert all(r.record.attempts == 1 for r in refused)
    assert not other.hits("/internal")
    # any host allowed ("*"), but never a loopback, private or link-local address the source did not name
    anywhere = RedirectRules.for_urls([home.url("/")], ["*"])
    refused = _fetch(FAST, requests[::2], redirects=anywhere)
    assert all(r.record.error_kind == "redirect_refused" for r in refused)
    assert "127.0.0.1" in refused[0].record.error and "169.254.169.254" in refused[1].record.error
    assert not other.hits("/internal")
    # the source names the other host (redirect_hosts): trusted whatever its address
    named = RedirectRules.for_urls([home.url("/")], [f"127.0.0.1:{other.port}"])
    (followed,) = _fetch(FAST, requests[:1], redirects=named)
    assert followed.record.outcome == "ok" and followed.record.final_url == other.url("/internal")
    assert len(other.hits("/internal")) == 1
    # asked directly for a host the source does not name, on a loopback address: refused before any request
    farm.clear_log()
    (direct,) = _fetch(FAST, [FetchRequest(other.url("/internal"))], redirects=RedirectRules.for_urls([home.url("/")]))
    assert direct.record.error_kind == "private_address" and "127.0.0.1" in direct.record.error
    assert not other.hits()                                          # not even its robots.txt


def test_redirect_rules_and_public_addresses():
    rules = RedirectRules.for_urls(["https://www.hanbit.example/rss"], ["cdn.hanbit.example", "*.images.example"])
    asked = "https://www.hanbit.example/news/1"
    assert rules.verdict(asked, "https://www.hanbit.example/news/2") == "follow"
    assert rules.verdict(asked, "https://cdn.hanbit.example/a") == "follow"              # named
    assert rules.verdict(asked, "https://a.images.example/a") == "public_only"           # a pattern
    assert rules.verdict(asked, "https://hanbit.example/news/1") == "public_only"        # www. variant
    assert rules.verdict(asked, "https://evil.example/") == "refuse"
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "::1", "fe80::1",
                    "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1"):
        assert not is_public_address(address), address
    assert is_public_address("8.8.8.8") and is_public_address("2001:4860:4860::8888")
