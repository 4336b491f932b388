"""Polite fetching on httpx: robots.txt (Protego), one request at a time per host with a
delay, a global limit across hosts, retries with backoff that honour Retry-After, one
deadline per URL (all attempts and waits included), a size limit, conditional requests,
a redirect policy, and the WARC archive.

Every fetch, whatever happens, gives a `FetchRecord`; a response with a body also gives a
`RawPage`. A failure carries an `error_kind` naming what happened (`reset`, `closed`,
`timeout`, `deadline`, `too_large`, `bad_encoding`, `refused`, `dns`, `redirect_refused`,
`private_address`, `redirects`, `http`, `robots`).

Redirects: the hosts a source names (its home, feeds, sitemaps, listings and
`redirect_hosts`) are trusted whatever their address: the operator chose them. A redirect
to any other host is refused, except to a `*.domain` / `*` pattern in `redirect_hosts` or
a www./m. variant of the host asked, and even then never to a loopback, private,
link-local or otherwise non-public address. A URL on a host the source does not name (a www./m.
variant) is fetched only from a public address. Politeness state (`HostGate`) and robots rules (`RobotsCache`) are thread-safe
and may be shared by fetchers running in different threads and event loops (the crawl
flow runs one source per task thread), so the limits hold across the whole run."""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import random
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from extractors.model import RawPage
from pipelines.archive import Exchange, WarcArchive

log = logging.getLogger(__name__)

DEFAULT_AGENT = "pressflow/0.1"
DEFAULT_CONTACT = "crawler@pressflow.example"


def user_agent(agent: str = DEFAULT_AGENT, contact: str | None = DEFAULT_CONTACT) -> str:
    """`pressflow/0.1 (+mailto:ops@example.org)`: the product token robots.txt groups match, and a contact."""
    agent = agent.strip() or DEFAULT_AGENT
    if not contact or not contact.strip():
        return agent
    contact = contact.strip()
    if "@" in contact and not contact.startswith(("mailto:", "http://", "https://")):
        contact = f"mailto:{contact}"
    return f"{agent} (+{contact})"


USER_AGENT = user_agent()
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024
_POLL_SECONDS = 0.005

Outcome = Literal["ok", "not_modified", "http_error", "error", "too_large", "disallowed"]
# what went wrong, by name (fetches.error_kind)
ErrorKind = Literal["reset", "closed", "timeout", "deadline", "too_large", "bad_encoding", "refused", "dns",
                    "connect", "redirect_refused", "private_address", "redirects", "http", "robots", "invalid"]


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = USER_AGENT
    delay_seconds: float = 1.0           # per host, between the starts of two requests
    concurrency: int = 8                 # requests in flight across all hosts
    timeout_seconds: float = 20.0        # connect / read / write / pool: silence this long is a timeout
    total_timeout_seconds: float = 60.0  # the URL's deadline: every attempt, backoff and Retry-After wait
    max_retries: int = 3                 # after the first attempt: 429, 5xx, timeouts, connection errors
    backoff_seconds: float = 1.0         # first backoff; doubles each retry, with jitter
    backoff_cap_seconds: float = 60.0
    retry_after_cap_seconds: float = 120.0  # a longer Retry-After ends the fetch: the host is asked to rest
    max_bytes: int = 5 * 1024 * 1024     # an oversized body is a failure, never a partial page
    max_redirects: int = 5
    obey_robots: bool = True
    crawl_delay_cap_seconds: float = 30.0


@dataclass(frozen=True)
class FetchRequest:
    url: str
    source: str | None = None
    kind: str = "article"                # article | feed | sitemap | sitemapindex | listing | home | robots
    etag: str | None = None              # from the last fetch: sent as If-None-Match
    last_modified: str | None = None     # sent as If-Modified-Since


@dataclass(frozen=True)
class FetchRecord:
    """One fetch as the `fetches` table stores it (retries and redirects included)."""

    url: str
    final_url: str | None
    source: str | None
    status: int | None
    error: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    bytes: int
    elapsed_ms: float
    fetched_at: datetime
    page_id: str | None
    warc_path: str | None
    kind: str = "article"
    outcome: Outcome = "ok"
    attempts: int = 1
    warc_record_id: str | None = None
    error_kind: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.outcome == "not_modified"

    @property
    def failed(self) -> bool:
        return self.outcome in ("http_error", "error", "too_large")


@dataclass(frozen=True)
class FetchResult:
    record: FetchRecord
    page: RawPage | None = None          # None for 304s, errors, oversized bodies, robots refusals


class FetchError(Exception):
    """A fetch attempt that ended without a usable response."""

    def __init__(self, message: str, *, retryable: bool, outcome: Outcome = "error", status: int | None = None,
                 final_url: str | None = None, kind: ErrorKind = "connect") -> None:
        super().__init__(message)
        self.retryable = retryable
        self.outcome = outcome
        self.status = status
        self.final_url = final_url
        self.kind = kind


# ---------------------------------------------------------------- redirects

def host_of(url: str) -> str:
    """The host a URL names, with its port when not the scheme's default: `127.0.0.1:8001`, `www.x.kr`."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        return f"{host}:{port}"
    return host


def _bare(host: str) -> str:
    return re.sub(r"^(www\d?|m|mobile)\.", "", host.split(":")[0] if host.count(":") == 1 else host)


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified or shared addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class RedirectRules:
    """Where redirects may lead. `named`: the hosts the source names (trusted, whatever their address);
    `allowed`: `*.domain` or `*` patterns from the source's `redirect_hosts`, followed only to public addresses."""

    named: frozenset[str] = frozenset()
    allowed: tuple[str, ...] = ()

    @classmethod
    def for_urls(cls, urls: Sequence[str], redirect_hosts: Sequence[str] = ()) -> RedirectRules:
        named = {host_of(url) for url in urls if host_of(url)}
        named |= {host.lower() for host in redirect_hosts if "*" not in host}
        return cls(frozenset(named), tuple(host.lower() for host in redirect_hosts if "*" in host))

    def verdict(self, asked: str, target: str) -> Literal["follow", "public_only", "refuse"]:
        """`follow` a trusted host, follow `public_only` if it resolves to public addresses, or `refuse`."""
        host = host_of(target)
        if host == host_of(asked) or host in self.named:
            return "follow"
        name = host.split(":")[0] if host.count(":") == 1 else host
        for pattern in self.allowed:
            if pattern == "*" or (pattern.startswith("*.") and (name == pattern[2:] or name.endswith(pattern[1:]))):
                return "public_only"
        if _bare(host) == _bare(host_of(asked)):  # example.kr → www.example.kr
            return "public_only"
        return "refuse"


async def _resolves_public(url: str) -> tuple[bool, str]:
    """(every address of the URL's host is public, the first address that is not, or a note)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        return is_public_address(host), host
    except ValueError:
        pass  # a name, not an address literal
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError as error:
        return True, f"unresolved ({error})"  # the connection attempt will fail and say so
    for info in infos:
        address = str(info[4][0])
        if not is_public_address(address):
            return False, address
    return True, ""


# ---------------------------------------------------------------- shared politeness state

@asynccontextmanager
async def _holding(lock: threading.Lock | threading.BoundedSemaphore) -> AsyncIterator[None]:
    """Hold a threading lock from async code without blocking the event loop."""
    while not lock.acquire(blocking=False):
        await asyncio.sleep(_POLL_SECONDS)
    try:
        yield
    finally:
        lock.release()


class HostGate:
    """One request at a time per host, `delay` seconds between starts, `concurrency` in flight overall."""

    def __init__(self, concurrency: int = 8) -> None:
        self.concurrency = concurrency
        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self._mutex = threading.Lock()
        self._hosts: dict[str, threading.Lock] = {}
        self._next_start: dict[str, float] = {}

    def _lock(self, host: str) -> threading.Lock:
        with self._mutex:
            return self._hosts.setdefault(host, threading.Lock())

    def host(self, host: str):  # type: ignore[no-untyped-def]
        return _holding(self._lock(host))

    def slot(self):  # type: ignore[no-untyped-def]
        return _holding(self._slots)

    async def wait_turn(self, host: str) -> None:
        """Sleep until the host may be asked again (call while holding `host(host)`)."""
        pause = self._next_start.get(host, 0.0) - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)

    def started(self, host: str, delay: float) -> None:
        self._next_start[host] = max(self._next_start.get(host, 0.0), time.monotonic() + delay)

    def rest(self, host: str, seconds: float) -> None:
        """The host asked us to wait (429/503, Retry-After): nobody asks it before then."""
        self._next_start[host] = max(self._next_start.get(host, 0.0), time.monotonic() + seconds)


@dataclass
class RobotsRules:
    host: str
    parser: Protego | None               # None: allow everything (no robots.txt, 4xx)
    disallow_all: bool = False           # robots.txt unreachable (5xx, network): RFC 9309 says stay away
    body: bytes = b""
    note: str | None = None
    records: list[FetchRecord] = field(default_factory=list)

    def allows(self, url: str, agent: str = DEFAULT_AGENT) -> bool:
        if self.disallow_all:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str = DEFAULT_AGENT) -> float | None:
        """Our group's Crawl-delay, else the `*` group's (fractions too)."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def robots_agent(agent: str) -> str:
    """The product token robots.txt groups are matched against: `pressflow` of `pressflow/0.1 (+…)`."""
    return agent.split("/", 1)[0].split()[0] if agent.strip() else "pressflow"


class RobotsCache:
    """robots.txt rules per scheme+host, fetched once per run and shared between threads."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, RobotsRules] = {}

    def _lock(self, key: str) -> threading.Lock:
        with self._mutex:
            return self._locks.setdefault(key, threading.Lock())

    def cached(self, key: str) -> RobotsRules | None:
        return self._rules.get(key)

    def store(self, key: str, rules: RobotsRules) -> None:
        self._rules[key] = rules


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


# ---------------------------------------------------------------- the fetcher

@dataclass
class _Response:
    url: str
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    body: bytes
    request_headers: list[tuple[str, str]]


class Fetcher:
    """An httpx client with the crawl's manners. Use as `async with Fetcher(...) as fetcher`."""

    def __init__(self, policy: FetchPolicy | None = None, *, gate: HostGate | None = None,
                 robots: RobotsCache | None = None, archive: WarcArchive | None = None,
                 discovery_archive: WarcArchive | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 delays: Mapping[str, float] | None = None, redirects: RedirectRules | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.gate = gate or HostGate(self.policy.concurrency)
        self.robots = robots or RobotsCache()
        self.archive = archive
        self.discovery_archive = discovery_archive
        self.delays = dict(delays or {})          # host key → delay_seconds (per source)
        self.redirects = redirects or RedirectRules()
        self.agent = robots_agent(self.policy.user_agent)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self.robots_records: list[FetchRecord] = []  # robots.txt fetches this fetcher made

    async def __aenter__(self) -> Fetcher:
        policy = self.policy
        self._client = httpx.AsyncClient(
            headers={"User-Agent": policy.user_agent, "Accept-Language": "ko,en;q=0.5"},
            timeout=httpx.Timeout(policy.timeout_seconds), follow_redirects=False, transport=self._transport,
            limits=httpx.Limits(max_connections=max(2, policy.concurrency), max_keepalive_connections=20))
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- public API

    async def fetch(self, request: FetchRequest, delay: float | None = None) -> FetchResult:
        """Fetch one URL politely; never raises for anything the network or the server does."""
        if delay is None:
            delay = self.delays.get(host_key(request.url), self.policy.delay_seconds)
        if self.redirects.named and host_of(request.url) not in self.redirects.named:
            public, address = await _resolves_public(request.url)
            if not public:  # a www./m. variant of a named host: only on a public address (not even robots.txt)
                return FetchResult(FetchRecord(
                    url=request.url, final_url=None, source=request.source, status=None,
                    error=f"private address refused: {host_of(request.url)} resolves to {address}, a loopback, "
                          "private or link-local address the source does not name", etag=None, last_modified=None,
                    content_type=None, bytes=0, elapsed_ms=0.0, fetched_at=datetime.now(UTC), page_id=None,
                    warc_path=None, kind=request.kind, outcome="error", attempts=0, error_kind="private_address"))
        if self.policy.obey_robots:
            rules = await self.robots_for(request.url, delay)
            if not rules.allows(request.url, self.agent):
                return self._refusal(request, rules)
            crawl_delay = rules.crawl_delay(self.agent)
            if crawl_delay:
                delay = max(delay, min(crawl_delay, self.policy.crawl_delay_cap_seconds))
        return await self._fetch_gated(request, delay)

    async def fetch_all(self, requests: Sequence[FetchRequest], delay: float | None = None) -> list[FetchResult]:
        """Fetch many URLs: hosts in parallel (within the global limit), each host one at a time."""
        by_host: dict[str, list[int]] = {}
        for index, request in enumerate(requests):
            by_host.setdefault(host_key(request.url), []).append(index)
        results: list[FetchResult | None] = [None] * len(requests)

        async def one_host(indexes: list[int]) -> None:
            for index in indexes:
                results[index] = await self.fetch(requests[index], delay)

        await asyncio.gather(*(one_host(indexes) for indexes in by_host.values()))
        return [result for result in results if result is not None]

    async def robots_for(self, url: str, delay: float | None = None) -> RobotsRules:
        """The robots.txt rules of the URL's host, fetched on first use (once per cache)."""
        key = host_key(url)
        rules = self.robots.cached(key)
        if rules is not None:
            return rules
        async with _holding(self.robots._lock(key)):
            rules = self.robots.cached(key)
            if rules is not None:
                return rules
            rules = await self._load_robots(key, self.delays.get(key, self.policy.delay_seconds)
                                            if delay is None else delay)
            self.robots.store(key, rules)
            self.robots_records.extend(rules.records)
            return rules

    # -- internals

    async def _load_robots(self, key: str, delay: float) -> RobotsRules:
        url = f"{key}/robots.txt"
        policy = replace(self.policy, max_bytes=ROBOTS_MAX_BYTES, max_retries=min(1, self.policy.max_retries))
        result = await self._fetch_gated(FetchRequest(url, kind="robots"), delay, policy=policy, check_robots=False)
        record = result.record
        host = urlsplit(url).netloc
        if record.status is not None and 200 <= record.status < 300 and result.page is not None:
            parser = Protego.parse(result.page.body.decode("utf-8", errors="replace"))
            return RobotsRules(host, parser, body=result.page.body, records=[record])
        if record.status is not None and 400 <= record.status < 500:
            return RobotsRules(host, None, note=f"no robots.txt (HTTP {record.status}): everything allowed",
                               records=[record])
        if record.status == 304:
            return RobotsRules(host, None, records=[record])
        reason = record.error or f"HTTP {record.status}"
        return RobotsRules(host, None, disallow_all=True, records=[record],
                           note=f"robots.txt unreachable ({reason}): the host is not crawled this run")

    def _refusal(self, request: FetchRequest, rules: RobotsRules) -> FetchResult:
        reason = rules.note if rules.disallow_all and rules.note else "disallowed by robots.txt"
        return FetchResult(FetchRecord(
            url=request.url, final_url=None, source=request.source, status=None, error=reason, etag=None,
            last_modified=None, content_type=None, bytes=0, elapsed_ms=0.0, fetched_at=datetime.now(UTC),
            page_id=None, warc_path=None, kind=request.kind, outcome="disallowed", attempts=0, error_kind="robots"))

    def _conditional_headers(self, request: FetchRequest) -> dict[str, str]:
        headers = {}
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        return headers

    async def _fetch_gated(self, request: FetchRequest, delay: float, *, policy: FetchPolicy | None = None,
                           check_robots: bool = True) -> FetchResult:
        """Attempts until a usable reply, retries spent or the URL's deadline passed. The deadline starts
        with the first attempt and covers every attempt, backoff and Retry-After wait: a host that drips
        or keeps failing holds its source for `total_timeout_seconds` at most."""
        policy = policy or self.policy
        host = host_key(request.url)
        attempts = 0
        started: float | None = None
        deadline = 0.0
        failure: FetchError | None = None
        response: _Response | None = None
        async with self.gate.host(host):
            while True:
                await self.gate.wait_turn(host)
                attempts += 1
                async with self.gate.slot():
                    self.gate.started(host, delay)
                    if started is None:
                        started = time.monotonic()
                        deadline = started + policy.total_timeout_seconds
                    try:
                        response = await self._attempt(request, policy, check_robots, deadline)
                        failure = None
                    except FetchError as error:
                        response, failure = None, error
                if response is not None and response.status not in RETRY_STATUSES:
                    break
                if attempts > policy.max_retries:
                    break
                if failure is not None and not failure.retryable:
                    break
                wait = self._backoff(attempts, policy)
                if response is not None:
                    retry_after = parse_retry_after(_header(response.headers, "retry-after"))
                    if retry_after is not None:
                        if retry_after > policy.retry_after_cap_seconds:
                            failure = FetchError(f"HTTP {response.status} with Retry-After {retry_after:.0f} s, "
                                                 f"more than the {policy.retry_after_cap_seconds:.0f} s cap: "
                                                 "left for the next run", retryable=False, outcome="http_error",
                                                 status=response.status, final_url=response.url, kind="http")
                            break
                        wait = max(wait, retry_after)
                left = deadline - time.monotonic()
                if wait >= left:
                    what = f"HTTP {response.status}" if response is not None else str(failure)
                    if response is not None:
                        failure = FetchError(f"{what}; a retry in {wait:.1f} s would pass this URL's "
                                             f"{policy.total_timeout_seconds:g} s deadline: left for the next run",
                                             retryable=False, outcome="http_error", status=response.status,
                                             final_url=response.url, kind="http")
                    break
                log.info("retrying %s in %.2f s (attempt %d: %s)", request.url, wait, attempts,
                         f"HTTP {response.status}" if response else failure)
                self.gate.rest(host, wait)
        elapsed_ms = (time.monotonic() - (started or time.monotonic())) * 1000
        return self._result(request, response, failure, attempts, elapsed_ms)

    @staticmethod
    def _backoff(attempt: int, policy: FetchPolicy) -> float:
        base = min(policy.backoff_cap_seconds, policy.backoff_seconds * 2 ** (attempt - 1))
        return base * (0.75 + random.random() * 0.5)

    async def _attempt(self, request: FetchRequest, policy: FetchPolicy, check_robots: bool,
                       deadline: float) -> _Response:
        assert self._client is not None, "use the Fetcher as an async context manager"
        url = request.url
        headers = self._conditional_headers(request)
        seen = {url}
        left = max(0.0, deadline - time.monotonic())
        try:
            async with asyncio.timeout(left):
                for _hop in range(policy.max_redirects + 1):
                    if url != request.url:
                        await self._check_redirect(request.url, url)
                    if check_robots and policy.obey_robots and host_key(url) != host_key(request.url):
                        rules = await self.robots_for(url)
                        if not rules.allows(url, self.agent):
                            raise FetchError(f"redirected to {url}, which robots.txt disallows", retryable=False,
                                             outcome="disallowed", final_url=url, kind="robots")
                    http_request = self._client.build_request("GET", url, headers=headers)
                    reply = await self._client.send(http_request, stream=True)
                    try:
                        location = reply.headers.get("location")
                        if reply.status_code in REDIRECT_STATUSES and location:
                            url = urljoin(url, location.strip())
                            if urlsplit(url).scheme not in ("http", "https"):
                                raise FetchError(f"redirected to a non-HTTP address {url}", retryable=False,
                                                 final_url=url, kind="redirect_refused")
                            if url in seen:
                                raise FetchError(f"redirects loop back to {url}", retryable=False, final_url=url,
                                                 kind="redirects")
                            seen.add(url)
                            continue
                        body = await self._read_body(reply, policy.max_bytes, url)
                        return _Response(
                            url=str(reply.url), status=reply.status_code, reason=reply.reason_phrase or "",
                            http_version=reply.http_version or "HTTP/1.1",
                            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in reply.headers.raw],
                            body=body,
                            request_headers=[(k.decode("latin-1"), v.decode("latin-1"))
                                             for k, v in http_request.headers.raw])
                    finally:
                        await reply.aclose()
                raise FetchError(f"more than {policy.max_redirects} redirects (last: {url})", retryable=False,
                                 final_url=url, kind="redirects")
        except TimeoutError as error:
            raise FetchError(f"deadline: cut off after {policy.total_timeout_seconds:g} s, this URL's deadline "
                             "for every attempt (a slow or dripping reply)", retryable=False, final_url=url,
                             kind="deadline") from error
        except httpx.HTTPError as error:
            raise _named(error, url, policy) from error

    async def _check_redirect(self, asked: str, target: str) -> None:
        verdict = self.redirects.verdict(asked, target)
        if verdict == "follow":
            return
        if verdict == "refuse":
            raise FetchError(f"redirect to another host refused: {host_of(target)} ({target}) is not a host the "
                             "source names or allows in redirect_hosts", retryable=False, final_url=target,
                             kind="redirect_refused")
        public, address = await _resolves_public(target)
        if not public:
            raise FetchError(f"redirect to {host_of(target)} refused: it resolves to {address}, a loopback, private "
                             "or link-local address the source does not name", retryable=False, final_url=target,
                             kind="redirect_refused")

    @staticmethod
    async def _read_body(reply: httpx.Response, max_bytes: int, url: str) -> bytes:
        declared = reply.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"too large: body of {int(declared)} bytes is over the {max_bytes}-byte limit",
                             retryable=False, outcome="too_large", status=reply.status_code, final_url=url,
                             kind="too_large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in reply.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"too large: body is over the {max_bytes}-byte limit", retryable=False,
                                 outcome="too_large", status=reply.status_code, final_url=url, kind="too_large")
            chunks.append(chunk)
        return b"".join(chunks)

    def _result(self, request: FetchRequest, response: _Response | None, failure: FetchError | None,
                attempts: int, elapsed_ms: float) -> FetchResult:
        fetched_at = datetime.now(UTC)
        if failure is not None or response is None:
            error = failure or FetchError("no response", retryable=False)
            return FetchResult(FetchRecord(
                url=request.url, final_url=error.final_url, source=request.source, status=error.status,
                error=str(error), etag=None, last_modified=None, content_type=None, bytes=0,
                elapsed_ms=elapsed_ms, fetched_at=fetched_at, page_id=None, warc_path=None, kind=request.kind,
                outcome=error.outcome, attempts=attempts, error_kind=error.kind))
        etag = _header(response.headers, "etag")
        last_modified = _header(response.headers, "last-modified")
        content_type = _header(response.headers, "content-type")
        if response.status == 304:
            return FetchResult(FetchRecord(
                url=request.url, final_url=response.url, source=request.source, status=304, error=None,
                etag=etag or request.etag, last_modified=last_modified or request.last_modified,
                content_type=content_type, bytes=0, elapsed_ms=elapsed_ms, fetched_at=fetched_at, page_id=None,
                warc_path=None, kind=request.kind, outcome="not_modified", attempts=attempts))
        archive = self.archive if request.kind == "article" else self.discovery_archive
        warc_id = warc_path = None
        if archive is not None:
            stored = archive.write(Exchange(
                url=response.url, method="GET", request_headers=response.request_headers, status=response.status,
                reason=response.reason, response_headers=response.headers, body=response.body,
                fetched_at=fetched_at, http_version=response.http_version, requested_url=request.url))
            warc_id, warc_path = stored.record_id, stored.path
        page = RawPage(body=response.body, url=request.url, final_url=response.url, status=response.status,
                       headers=tuple(response.headers), fetched_at=fetched_at, warc_record_id=warc_id)
        ok = 200 <= response.status < 300
        return FetchResult(FetchRecord(
            url=request.url, final_url=response.url, source=request.source, status=response.status,
            error=None if ok else f"HTTP {response.status}", etag=etag, last_modified=last_modified,
            content_type=content_type, bytes=len(response.body), elapsed_ms=elapsed_ms, fetched_at=fetched_at,
            page_id=page.page_id, warc_path=warc_path, kind=request.kind, outcome="ok" if ok else "http_error",
            attempts=attempts, warc_record_id=warc_id, error_kind=None if ok else "http"), page)


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _named(error: httpx.HTTPError, url: str, policy: FetchPolicy) -> FetchError:
    """An httpx error as a FetchError named for what happened on the wire."""
    chain = _causes(error)
    text = " ".join(str(item) for item in chain).lower()
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, httpx.ConnectTimeout):
        return FetchError(f"timeout: no connection within {policy.timeout_seconds:g} s", retryable=True,
                          final_url=url, kind="timeout")
    if isinstance(error, httpx.TimeoutException):
        return FetchError(f"timeout: the server was silent for {policy.timeout_seconds:g} s ({type(error).__name__})",
                          retryable=True, final_url=url, kind="timeout")
    if any(isinstance(item, ConnectionResetError) for item in chain) or "reset by peer" in text:
        return FetchError(f"reset: the server reset the connection ({detail})", retryable=True, final_url=url,
                          kind="reset")
    if isinstance(error, httpx.DecodingError):
        return FetchError(f"bad encoding: the body cannot be decoded as its Content-Encoding says ({detail})",
                          retryable=False, final_url=url, kind="bad_encoding")
    if isinstance(error, httpx.ConnectError):
        if any(isinstance(item, socket.gaierror) for item in chain) or "name or service" in text:
            return FetchError(f"dns: the host name does not resolve ({detail})", retryable=True, final_url=url,
                              kind="dns")
        if any(isinstance(item, ConnectionRefusedError) for item in chain) or "refused" in text:
            return FetchError(f"refused: nobody accepts connections there ({detail})", retryable=True,
                              final_url=url, kind="refused")
        return FetchError(f"connection failed ({detail})", retryable=True, final_url=url, kind="connect")
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return FetchError(f"closed: the server closed the connection mid-reply ({detail})", retryable=True,
                          final_url=url, kind="closed")
    if isinstance(error, httpx.TransportError):
        return FetchError(f"connection failed ({detail})", retryable=True, final_url=url, kind="connect")
    return FetchError(detail, retryable=False, final_url=url, kind="invalid")  # invalid URLs and the like


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)
