"""The nightly crawl (issue #5): sources.toml → discover → fetch → WARC → process_and_load.

One Prefect task per source does discovery and fetching (robots.txt, feeds, sitemaps,
listing pages, then the source's pending article URLs, those of feeds and listings before a
sitemap's backlog); pages go to a queue as they arrive, and the flow loads them in batches
through `pipelines.flows.process_and_load`, the same extract → analyse → load path `ingest`
uses, while the sources go on fetching. Politeness holds across the whole run: the source
tasks share one `HostGate` (a request at a time per host, a delay between requests, a
global limit) and one robots.txt cache.

What survives a crash: discovery writes the URLs it found ('pending') in the same
transaction as the feeds' validators; an article URL becomes 'done', and its fetch is
logged, only once its page is loaded. At most one batch of pages is fetched and not yet
loaded at any moment (a fetch waits for room in the queue), so a kill loses at most that
batch; the next run marks the dead run 'crashed', loads the pages its WARC holds that the
database does not (nothing is fetched twice, and the archive and the database agree
again), then fetches what is still pending and anything new. A run in which every source
failed ends Failed."""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import queue
import re
import threading
import time as clock
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.model import EXTRACTOR_VERSION, RawPage
from nlp.model import ANALYSER_VERSION
from pipelines import flows, progress
from pipelines.archive import REQUESTED_URI, WarcArchive
from pipelines.discover import (
    COMMON_FEED_PATHS,
    KST,
    Discovery,
    feed_links,
    listing_links,
    parse_document,
    parse_feed,
    robots_sitemaps,
)
from pipelines.fetch import (
    DEFAULT_AGENT,
    DEFAULT_CONTACT,
    Fetcher,
    FetchPolicy,
    FetchRecord,
    FetchRequest,
    FetchResult,
    HostGate,
    RedirectRules,
    RobotsCache,
    host_of,
    user_agent,
)
from pipelines.sources import Listing, Source, load_crawler, load_sources, select
from pipelines.user_dict import check_user_dictionary
from pipelines.writer_slot import writer_slot
from warehouse import crawl_state
from warehouse.crawl_state import DiscoveredUrl, Document
from warehouse.load import PageFailure
from warehouse.schema import publish_snapshot

SOURCE_WORKERS = 4            # sources crawled at once (each is one host, one request at a time)
LOAD_BATCH = flows.BATCH_SIZE  # pages per load; also the most pages fetched and not yet loaded
LOAD_IDLE_SECONDS = 0.5       # a partial batch is loaded once no page has arrived for this long
LOG_EVERY = 20                # failed fetches between two writes of the fetch log and the frontier
MAX_SITEMAPS = 50             # child sitemaps read per source and run (newest first)
MAX_SITEMAP_DEPTH = 2
MAX_URLS_PER_SITEMAP = 1000   # the newest URLs of each sitemap; older ones are a backlog for later runs
MAX_MISSING_IN_A_ROW = 20     # 404/410s in a row after which a source stops fetching this run
NIGHTLY_CRON = "0 2 * * *"
TIMEZONE = "Asia/Seoul"

T = TypeVar("T")
log = logging.getLogger(__name__)


class CrawlShared:
    """What every source task of one run shares: manners, robots rules, the archive.
    (A plain object on purpose: Prefect passes it through to tasks untouched.)"""

    def __init__(self, policy: FetchPolicy, warc_dir: Path, run_id: str, load_batch: int = LOAD_BATCH) -> None:
        self.policy = policy
        self.gate = HostGate(policy.concurrency)
        self.robots = RobotsCache()
        self.pages = WarcArchive(warc_dir, f"{run_id}-pages")
        self.discovery = WarcArchive(warc_dir, f"{run_id}-discovery")
        self.queue = PageQueue(load_batch)

    def close(self) -> None:
        self.pages.close()
        self.discovery.close()

    @property
    def warc_paths(self) -> list[str]:
        return [str(path) for path in (*self.pages.paths, *self.discovery.paths)]


class PageQueue:
    """Pages fetched and not yet loaded, from the source tasks to the flow's loader. A fetch first
    takes a permit and a load gives the permits of its pages back, so no more than `limit` pages
    (one batch) are ever fetched and not loaded: a kill loses at most that many."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._items: queue.Queue[tuple[RawPage, FetchRecord]] = queue.Queue()
        self._permits = threading.Semaphore(self.limit)
        self.closed = threading.Event()  # the loader is gone: fetchers stop waiting

    async def reserve(self) -> None:
        while not self._permits.acquire(blocking=False):
            if self.closed.is_set():
                raise RuntimeError("the crawl's loader stopped")
            await asyncio.sleep(0.01)

    def release(self, count: int = 1) -> None:
        for _ in range(count):
            self._permits.release()

    def put(self, page: RawPage, record: FetchRecord) -> None:
        self._items.put((page, record))

    def take(self, limit: int, wait: float) -> list[tuple[RawPage, FetchRecord]]:
        """Up to `limit` pages: waits up to `wait` seconds for the first, then takes what is there."""
        items: list[tuple[RawPage, FetchRecord]] = []
        try:
            items.append(self._items.get(timeout=wait))
        except queue.Empty:
            return items
        while len(items) < limit:
            try:
                items.append(self._items.get_nowait())
            except queue.Empty:
                break
        return items


@dataclass
class SourceOutcome:
    source: str
    documents: int = 0
    discovered: int = 0
    new: int = 0
    selected: int = 0
    not_modified: int = 0
    disallowed: int = 0
    fetch_failures: int = 0
    fetched: int = 0             # pages handed to the loader
    readable: int = 0            # documents read (feeds, sitemaps, listings) and answers of any kind
    stopped: str | None = None   # why fetching stopped early, if it did
    failures: list[PageFailure] = field(default_factory=list)  # discovery and fetch failures (recorded)
    notes: list[str] = field(default_factory=list)

    @property
    def worked(self) -> bool:
        """Anything at all came back: a document read, a page fetched, a 304, a robots refusal."""
        return bool(self.readable or self.fetched or self.not_modified or self.disallowed)


@dataclass
class SourceSummary:
    source: str
    documents: int = 0
    discovered: int = 0
    new: int = 0
    fetched: int = 0
    not_modified: int = 0
    disallowed: int = 0
    articles: int = 0
    skipped: int = 0
    failures: int = 0
    error: str | None = None
    failed: bool = False         # nothing this source was asked for worked


@dataclass
class CrawlSummary:
    run_id: str
    db: str
    sources: list[SourceSummary] = field(default_factory=list)
    pages: int = 0
    articles: int = 0
    skipped: int = 0
    failures: list[PageFailure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warc_paths: list[str] = field(default_factory=list)
    pending: int = 0
    recovered: int = 0           # pages of killed runs loaded from their WARC instead of fetched again

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failed(self) -> bool:
        """Every source failed: the run did nothing it was asked to."""
        return bool(self.sources) and all(s.failed for s in self.sources)

    @property
    def not_modified(self) -> int:
        return sum(s.not_modified for s in self.sources)

    @property
    def disallowed(self) -> int:
        return sum(s.disallowed for s in self.sources)


class CrawlFailed(RuntimeError):
    """Raised by the flow when every source failed, so Prefect marks the run Failed; carries the summary."""

    def __init__(self, summary: CrawlSummary) -> None:
        names = ", ".join(s.source for s in summary.sources)
        super().__init__(f"crawl {summary.run_id}: every source failed ({names}); "
                         f"{len(summary.failures)} failures recorded")
        self.summary = summary


def _same_site(url: str, home: str) -> bool:
    """Same host and port as the outlet's home, give or take www. / m. (a feed listing another port of
    the same machine names a different service, not the outlet)."""
    def bare(address: str) -> str:
        return re.sub(r"^(www\d?|m|mobile)\.", "", host_of(address))

    return bare(url) == bare(home)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, in this thread when it has no event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# ---------------------------------------------------------------- one source

class _Discoverer:
    """Reads a source's robots.txt, feeds, sitemaps and listing pages; collects article URLs."""

    def __init__(self, fetcher: Fetcher, source: Source, known: dict[str, crawl_state.UrlState],
                 since: datetime | None, logger: logging.Logger | logging.LoggerAdapter,
                 max_urls_per_sitemap: int = MAX_URLS_PER_SITEMAP) -> None:
        self.fetcher = fetcher
        self.max_urls_per_sitemap = max_urls_per_sitemap
        self.source = source
        self.known = known
        self.since = since
        self.logger = logger
        self.documents: list[Document] = []
        self.found: list[DiscoveredUrl] = []
        self.failures: list[PageFailure] = []
        self.notes: list[str] = []
        self.not_modified = 0
        self.readable = 0
        self._seen: set[str] = set()

    async def read(self, url: str, kind: str, optional: bool = False) -> tuple[FetchResult, bool]:
        """Fetch one document (conditionally when it is a plain feed/sitemap/listing read before).
        An `optional` document that fails is a note, not a failure."""
        state = self.known.get(url)
        conditional = state is not None and kind not in ("home", "sitemapindex") and state.kind != "sitemapindex"
        request = FetchRequest(url, self.source.name, kind, etag=state.etag if conditional and state else None,
                               last_modified=state.last_modified if conditional and state else None)
        result = await self.fetcher.fetch(request, self.source.delay_seconds)
        record = result.record
        if record.outcome == "not_modified":
            self.not_modified += 1
        elif record.outcome == "ok":
            self.readable += 1
        elif record.outcome == "disallowed":
            self.notes.append(f"{url}: {record.error}")
        elif record.failed and optional:
            self.notes.append(f"{url}: {kind}: {record.error}")
        elif record.failed:
            self.failures.append(PageFailure(url, "discover", f"{kind}: {record.error}"))
        return result, result.page is not None and record.outcome == "ok"

    def keep(self, result: FetchResult, kind: str, discovery: Discovery | None) -> None:
        readable = discovery is None or (discovery.ok and not discovery.warnings)
        if discovery is not None and not discovery.ok:
            self.failures.append(PageFailure(result.record.url, "discover", f"{kind}: {discovery.error}"))
        if discovery is not None:
            for warning in discovery.warnings:
                self.notes.append(f"{result.record.url}: {warning}")
        self.documents.append(Document(result.record, discovery.kind if discovery and discovery.ok and
                                       discovery.kind in ("feed", "sitemap", "sitemapindex") else kind,
                                       readable and result.record.outcome in ("ok", "not_modified")))

    def add_links(self, discovery: Discovery) -> None:
        links = [link for link in discovery.links if _same_site(link.url, self.source.home)]
        fresh = discovery.kind != "sitemap"
        if not fresh and len(links) > self.max_urls_per_sitemap:  # the newest; undated ones last
            oldest = datetime.min.replace(tzinfo=KST)
            links.sort(key=lambda link: link.lastmod or oldest, reverse=True)
            self.notes.append(f"a sitemap lists {len(links)} URLs: the newest {self.max_urls_per_sitemap} kept")
            links = links[:self.max_urls_per_sitemap]
        for link in links:
            self.found.append(DiscoveredUrl(link.url, link.lastmod, fresh))

    async def run(self) -> None:
        source = self.source
        rules = await self.fetcher.robots_for(source.home, source.delay_seconds)
        if rules.disallow_all:  # the source cannot be crawled at all tonight: someone should know
            self.failures.append(PageFailure(urljoin(source.home, "/robots.txt"), "discover", rules.note or
                                             "robots.txt unreachable"))
        elif rules.note:
            self.notes.append(f"{source.home}: {rules.note}")
        sitemaps = list(source.sitemaps)
        if rules.body:
            sitemaps += [link.url for link in robots_sitemaps(rules.body, source.home).sitemaps
                         if _same_site(link.url, source.home)]
        feeds = list(source.feeds)
        if not feeds:
            feeds += await self._autodetect()
        for url in dict.fromkeys(feeds):
            await self._document(url, "feed")
        await self._sitemaps(list(dict.fromkeys(sitemaps)))
        for listing in source.listings:
            for url in listing.page_urls():
                await self._listing(url, listing)

    async def _autodetect(self) -> list[str]:
        # feed autodetection is the only way in for a source with nothing else configured
        optional = bool(self.source.sitemaps or self.source.listings)
        result, readable = await self.read(self.source.home, "home", optional=optional)
        if not readable or result.page is None:
            self.keep(result, "home", None)
            return []
        found = feed_links(result.page.body, result.record.final_url or self.source.home,
                           result.record.content_type)
        self.keep(result, "home", found)
        feeds = [url for url in found.feeds if _same_site(url, self.source.home)]
        if not feeds and not optional:
            await self._probe_common_feeds()
        return feeds

    async def _probe_common_feeds(self) -> None:
        """Nothing announced a feed: try the paths the common CMSs use, stopping at the first feed
        (a miss is a note, not a failure; every request still lands in `fetches`)."""
        for path in COMMON_FEED_PATHS:
            url = urljoin(self.source.home, path)
            if url in self._seen:
                continue
            self._seen.add(url)
            result, readable = await self.read(url, "feed", optional=True)
            discovery = parse_feed(result.page.body, result.record.final_url or url) \
                if readable and result.page is not None else None
            if discovery is not None and discovery.ok and discovery.links:
                self.keep(result, "feed", discovery)
                self.add_links(discovery)
                return
            self.keep(result, "feed", None)

    async def _document(self, url: str, kind: str) -> Discovery | None:
        if url in self._seen:
            return None
        self._seen.add(url)
        result, readable = await self.read(url, kind)
        if not readable or result.page is None:
            self.keep(result, kind, None)
            return None
        discovery = parse_document(result.page.body, result.record.final_url or url)
        self.keep(result, kind, discovery)
        if discovery.ok:
            self.add_links(discovery)
            return discovery
        return None

    async def _sitemaps(self, roots: list[str]) -> None:
        queue = [(url, 0) for url in roots]
        read = 0
        while queue and read < MAX_SITEMAPS:
            url, depth = queue.pop(0)
            state = self.known.get(url)
            discovery = await self._document(url, state.kind if state and state.kind.startswith("sitemap")
                                             else "sitemap")
            read += 1
            if discovery is None or discovery.kind != "sitemapindex" or depth >= MAX_SITEMAP_DEPTH:
                continue
            children = sorted(discovery.sitemaps, key=lambda link: link.lastmod or datetime.max.replace(tzinfo=KST),
                              reverse=True)
            for child in children:
                if self.since is not None and child.lastmod is not None and child.lastmod < self.since:
                    continue  # a sitemap last changed before --since lists nothing newer
                if _same_site(child.url, self.source.home):
                    queue.append((child.url, depth + 1))

    async def _listing(self, url: str, listing: Listing) -> None:
        if url in self._seen:
            return
        self._seen.add(url)
        result, readable = await self.read(url, "listing")
        if not readable or result.page is None:
            self.keep(result, "listing", None)
            return
        discovery = listing_links(result.page.body, result.record.final_url or url, listing.pattern,
                                  result.record.content_type)
        if discovery.ok and not discovery.links:
            self.notes.append(f"{url}: no links match {listing.link_pattern!r}")
        self.keep(result, "listing", discovery)
        if discovery.ok:
            self.add_links(discovery)


@dataclass(frozen=True)
class CrawlLimits:
    max_pages: int = 500
    max_urls_per_sitemap: int = MAX_URLS_PER_SITEMAP
    max_missing_in_a_row: int = MAX_MISSING_IN_A_ROW


async def crawl_source_async(source: Source, db: str, run_id: str, since: datetime | None, shared: CrawlShared,
                             limits: CrawlLimits | int, logger: logging.Logger | logging.LoggerAdapter
                             ) -> SourceOutcome:
    """Discover a source's articles, then fetch its pending ones; pages go to the run's loader as they come."""
    if isinstance(limits, int):
        limits = CrawlLimits(max_pages=limits)
    outcome = SourceOutcome(source.name)
    known = crawl_state.document_states(db, source.name)
    redirects = RedirectRules.for_urls(source.named_urls, source.redirect_hosts)
    async with Fetcher(shared.policy, gate=shared.gate, robots=shared.robots, archive=shared.pages,
                       discovery_archive=shared.discovery, redirects=redirects) as fetcher:
        discoverer = _Discoverer(fetcher, source, known, since, logger, limits.max_urls_per_sitemap)
        await discoverer.run()
        outcome.documents = len(discoverer.documents)
        outcome.discovered = len({item.url for item in discoverer.found})
        outcome.not_modified += discoverer.not_modified
        outcome.readable += discoverer.readable
        outcome.failures += discoverer.failures
        outcome.notes += discoverer.notes
        outcome.new = crawl_state.commit_discovery(db, run_id, source.name, discoverer.documents, discoverer.found,
                                                   discoverer.failures, log_only=fetcher.robots_records)
        fetcher.robots_records.clear()
        logger.info("%s: %d documents read, %d article URLs listed, %d new", source.name, outcome.documents,
                    outcome.discovered, outcome.new)
        todo = crawl_state.pending(db, source.name, since, limits.max_pages)
        outcome.selected = len(todo)
        progress.current().add_total(len(todo))
        await _fetch_articles(fetcher, source, todo, db, run_id, shared, limits, outcome)
    logger.info("%s: %d pending URLs, %d pages fetched, %d not modified, %d refused by robots.txt, %d failed%s",
                source.name, outcome.selected, outcome.fetched, outcome.not_modified, outcome.disallowed,
                outcome.fetch_failures, f"; {outcome.stopped}" if outcome.stopped else "")
    return outcome


async def _fetch_articles(fetcher: Fetcher, source: Source, todo: list[crawl_state.UrlState], db: str, run_id: str,
                          shared: CrawlShared, limits: CrawlLimits, outcome: SourceOutcome) -> None:
    """One URL after another (one host, one request at a time): a page goes to the loader, anything else
    settles here in small groups; many 404s in a row end the source's turn (its URLs wait)."""
    settled: list[FetchRecord] = []
    failures: list[PageFailure] = []
    missing_in_a_row = 0

    def flush() -> None:
        crawl_state.settle(db, run_id, settled, loaded=True, failures=failures, log=True)
        crawl_state.record_fetches(db, run_id, fetcher.robots_records)
        fetcher.robots_records.clear()
        outcome.failures.extend(failures)
        settled.clear()
        failures.clear()

    for number, state in enumerate(todo):
        await shared.queue.reserve()
        try:
            result = await fetcher.fetch(FetchRequest(state.url, source.name, "article", state.etag,
                                                      state.last_modified), source.delay_seconds)
        except BaseException:
            shared.queue.release()
            raise
        record = result.record
        progress.current().advance(1)
        missing_in_a_row = missing_in_a_row + 1 if record.status in (404, 410) else 0
        if result.page is not None:
            shared.queue.put(result.page, record)  # its permit comes back once it is loaded
            outcome.fetched += 1
        else:
            shared.queue.release()
            settled.append(record)
            if record.outcome == "not_modified":
                outcome.not_modified += 1
            elif record.outcome == "disallowed":
                outcome.disallowed += 1
            else:
                outcome.fetch_failures += 1
                failures.append(PageFailure(record.url, "fetch", record.error or record.outcome))
            if len(settled) >= LOG_EVERY:
                flush()
        if missing_in_a_row >= limits.max_missing_in_a_row and number + 1 < len(todo):
            outcome.stopped = (f"stopped after {missing_in_a_row} missing pages (404/410) in a row; "
                               f"{len(todo) - number - 1} URLs wait for the next run")
            outcome.notes.append(outcome.stopped)
            progress.current().add_total(-(len(todo) - number - 1))  # they wait: no longer tonight's work
            break
    flush()


@task(name="crawl-source", task_run_name="crawl-{source.name}", retries=1, retry_delay_seconds=5,
      cache_policy=NO_CACHE)
def crawl_source(source: Source, db: str, run_id: str, since: datetime | None, shared: CrawlShared,
                 limits: CrawlLimits) -> SourceOutcome:
    """Discovery and fetching for one source (one host, one request at a time)."""
    logger = get_run_logger()
    return _run(crawl_source_async(source, db, run_id, since, shared, limits, logger))


# ---------------------------------------------------------------- the flow

def _since(value: date | datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=KST)
    return datetime.combine(value, time(0, 0), KST)


class _Loader:
    """The flow's side of the page queue: loads batches as they arrive and settles their URLs."""

    def __init__(self, shared: CrawlShared, crawl: CrawlSummary, by_name: dict[str, SourceSummary], db: str,
                 run_id: str, user_dictionary: str | None, logger: logging.Logger | logging.LoggerAdapter) -> None:
        self.shared, self.crawl, self.by_name = shared, crawl, by_name
        self.db, self.run_id, self.user_dictionary, self.logger = db, run_id, user_dictionary, logger
        self.waiting: list[tuple[RawPage, FetchRecord]] = []
        self.last_arrival = clock.monotonic()

    def step(self, wait: float) -> None:
        """Take what arrived; load a full batch, or a partial one once nothing arrived for a while."""
        room = self.shared.queue.limit - len(self.waiting)
        arrived = self.shared.queue.take(room, wait) if room > 0 else []
        if arrived:
            self.waiting += arrived
            self.last_arrival = clock.monotonic()
        if len(self.waiting) >= self.shared.queue.limit or (
                self.waiting and clock.monotonic() - self.last_arrival >= LOAD_IDLE_SECONDS):
            self.flush()

    def flush(self) -> None:
        """Load what waits, one source at a time (so each source's counts are its own)."""
        if not self.waiting:
            return
        batch, self.waiting = self.waiting, []
        by_source: dict[str, list[tuple[RawPage, FetchRecord]]] = {}
        for page, record in batch:
            by_source.setdefault(record.source or "?", []).append((page, record))
        try:
            for items in by_source.values():
                self.load([page for page, _ in items], [record for _, record in items])
        finally:
            self.shared.queue.release(len(batch))

    def load(self, pages: list[RawPage], records: list[FetchRecord]) -> None:
        """One source's pages through process_and_load; then their URLs settle and their fetches are logged."""
        crawl = self.crawl
        stats = self._stats(records[0])
        try:
            articles, skipped, failures = flows.process_and_load(pages, self.db, self.run_id, self.user_dictionary)
        except Exception as error:  # the pages stay pending: the next run fetches them again
            self.logger.error("%s: loading %d pages failed: %s", stats.source, len(pages), error)
            failures = [PageFailure(page.source, "load", f"{type(error).__name__}: {error}", page.page_id)
                        for page in pages]
            crawl_state.settle(self.db, self.run_id, records, loaded=False, failures=failures, log=True)
            stats.failures += len(failures)
            crawl.failures += failures
            return
        crawl_state.settle(self.db, self.run_id, records, loaded=True, log=True)
        tally = progress.current()
        tally.advance(0, articles=articles, not_articles=skipped, failures=len(failures))
        self.logger.info("%s: %d pages loaded, %d articles%s", stats.source, len(pages), articles,
                         f"; {tally.describe()} fetched" if tally.describe() else "")
        crawl.pages += len(pages)
        crawl.articles += articles
        crawl.skipped += skipped
        crawl.failures += failures
        stats.articles += articles
        stats.skipped += skipped
        stats.failures += len(failures)

    def _stats(self, record: FetchRecord) -> SourceSummary:
        return self.by_name.setdefault(record.source or "?", SourceSummary(record.source or "?"))


def _requested_pages(path: Path) -> list[RawPage]:
    """Response records of one of our page archives, keyed as the crawl fetched them (the URL asked for,
    before redirects), up to any damage (a record cut by the kill)."""
    from warcio.archiveiterator import ArchiveIterator

    pages: list[RawPage] = []
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, check_digests="raise"):
                if record.rec_type != "response":
                    continue
                final = record.rec_headers.get_header("WARC-Target-URI")
                asked = record.rec_headers.get_header(REQUESTED_URI) or final
                date = record.rec_headers.get_header("WARC-Date")
                headers = record.http_headers
                body = record.content_stream().read()
                if record.digest_checker.passed is False:
                    break
                pages.append(RawPage(
                    body=body, url=asked, final_url=final,
                    status=int(headers.get_statuscode()) if headers and headers.get_statuscode() else None,
                    headers=tuple(headers.headers) if headers else (),
                    fetched_at=datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None,
                    warc_record_id=record.rec_headers.get_header("WARC-Record-ID")))
    except Exception as error:  # warcio raises several kinds on an archive cut mid-record
        log.info("%s: read %d records before the damage (%s)", path, len(pages), error)
    return pages


def _record_for(page: RawPage, path: Path, source: str | None, kind: str = "article") -> FetchRecord:
    """The fetch-log row of a page read back from the archive."""
    status = page.status or 0
    ok = 200 <= status < 300

    def header(name: str) -> str | None:
        return next((value for key, value in page.headers if key.lower() == name), None)

    return FetchRecord(
        url=page.url or "", final_url=page.final_url, source=source, status=page.status,
        error=None if ok else f"HTTP {status}", etag=header("etag"), last_modified=header("last-modified"),
        content_type=header("content-type"), bytes=len(page.body), elapsed_ms=0.0,
        fetched_at=page.fetched_at or datetime.now(KST), page_id=page.page_id, warc_path=str(path),
        kind="robots" if kind == "document" and (page.url or "").endswith("/robots.txt") else kind,
        outcome="ok" if ok else "http_error", attempts=0,  # 0: read back from the archive, not fetched again
        warc_record_id=page.warc_record_id,
        error_kind=None if ok else "http")


def recover_killed_runs(db: str, warc_root: Path, loader: _Loader) -> int:
    """Read back what killed crawls archived and the database lacks. Pages whose URLs are still pending
    are loaded (so they are not fetched again); any other unlogged record, a feed or sitemap of a
    discovery cut short included, gets its fetch-log row: every archived record is in the database.
    Returns how many pages were loaded."""
    recovered = 0
    for dead_run in crawl_state.unrecovered_crawls(db):
        for path in sorted(warc_root.glob(f"{dead_run}-*.warc.gz")):
            pages = _requested_pages(path)
            logged = crawl_state.logged_record_ids(db, [p.warc_record_id for p in pages if p.warc_record_id])
            pages = [page for page in pages if page.warc_record_id not in logged]
            if "-pages-" not in path.name:  # discovery documents: log them, nothing to load
                crawl_state.record_fetches(db, dead_run, [_record_for(page, path, None, "document") for page in pages])
                continue
            states = crawl_state.article_states(db, [page.url for page in pages if page.url])
            latest = {page.url: page for page in pages}  # fetched twice: load the last copy
            to_load = [page for page in latest.values() if states.get(page.url or "", ("", ""))[0] == "pending"]
            loading = {id(page) for page in to_load}
            crawl_state.record_fetches(db, dead_run, [_record_for(page, path, states.get(page.url or "", ("", None))[1])
                                                      for page in pages if id(page) not in loading])
            by_source: dict[str, list[RawPage]] = {}
            for page in to_load:
                by_source.setdefault(states[page.url or ""][1], []).append(page)
            for source, source_pages in by_source.items():
                for start in range(0, len(source_pages), loader.shared.queue.limit):
                    chunk = source_pages[start:start + loader.shared.queue.limit]
                    loader.load(chunk, [_record_for(page, path, source) for page in chunk])
                    recovered += len(chunk)
        crawl_state.mark_recovered(db, dead_run)
    return recovered


@flow(name="crawl", task_runner=ThreadPoolTaskRunner(max_workers=SOURCE_WORKERS), log_prints=False)
def crawl(sources_file: str = "sources.toml", source: str | None = None, since: date | None = None,
          db: str = "data/pressflow.duckdb", warc_dir: str | None = None, max_pages_per_source: int = 500,
          concurrency: int = 8, timeout_seconds: float = 20.0, total_timeout_seconds: float = 60.0,
          max_retries: int = 3, backoff_seconds: float = 1.0,
          retry_after_cap_seconds: float = 120.0, max_bytes: int = 5 * 1024 * 1024,
          user_dictionary: str | None = None, max_urls_per_sitemap: int = MAX_URLS_PER_SITEMAP,
          max_missing_in_a_row: int = MAX_MISSING_IN_A_ROW, agent: str | None = None, contact: str | None = None,
          load_batch: int = LOAD_BATCH) -> CrawlSummary:
    """Crawl the registry's sources (or one), load what is new as it arrives, and say what happened.
    `agent` and `contact` override the registry's [crawler] table. Raises CrawlFailed (the run ends
    Failed) when every source failed. Holds the database's writer slot when its limit exists."""
    arguments = dict(locals())
    check_user_dictionary(user_dictionary)  # a bad dictionary fails the run once, before any page
    with writer_slot(db, get_run_logger()):
        return _crawl_run(**arguments)


def _crawl_run(sources_file: str, source: str | None, since: date | None, db: str, warc_dir: str | None,
               max_pages_per_source: int, concurrency: int, timeout_seconds: float, total_timeout_seconds: float,
               max_retries: int, backoff_seconds: float, retry_after_cap_seconds: float, max_bytes: int,
               user_dictionary: str | None, max_urls_per_sitemap: int, max_missing_in_a_row: int,
               agent: str | None, contact: str | None, load_batch: int) -> CrawlSummary:
    logger = get_run_logger()
    chosen = select(load_sources(sources_file), source)
    progress.current().start("crawl", 0, "URLs")  # the total grows as each source's discovery ends
    settings = load_crawler(sources_file)
    since_at = _since(since)
    run_id = f"crawl-{datetime.now(KST):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    warc_root = Path(warc_dir) if warc_dir else Path(db).resolve().parent / "warc"
    policy = FetchPolicy(concurrency=concurrency, timeout_seconds=timeout_seconds, max_retries=max_retries,
                         backoff_seconds=backoff_seconds, retry_after_cap_seconds=retry_after_cap_seconds,
                         max_bytes=max_bytes, total_timeout_seconds=total_timeout_seconds,
                         user_agent=user_agent(agent or settings.user_agent or DEFAULT_AGENT,
                                               contact if contact is not None else
                                               (settings.contact or DEFAULT_CONTACT)))
    limits = CrawlLimits(max_pages_per_source, max_urls_per_sitemap, max_missing_in_a_row)
    summary = CrawlSummary(run_id=run_id, db=str(db))
    dead = crawl_state.start_crawl(db, run_id, [s.name for s in chosen], EXTRACTOR_VERSION, ANALYSER_VERSION)
    if dead:
        summary.notes.append(f"{len(dead)} earlier run(s) left 'running' by a process that is gone were marked "
                             "'crashed'")
    shared = CrawlShared(policy, warc_root, run_id, load_batch)
    by_name = {s.name: SourceSummary(s.name) for s in chosen}
    loader = _Loader(shared, summary, by_name, db, run_id, user_dictionary, logger)
    try:
        summary.recovered = recover_killed_runs(db, warc_root, loader)
        if summary.recovered:
            summary.notes.append(f"{summary.recovered} pages archived by killed runs were loaded from their WARC")
        futures = {crawl_source.submit(s, db, run_id, since_at, shared, limits): s for s in chosen}
        running = dict(futures)
        while running:
            loader.step(wait=0.1)
            for future in [f for f in running if f.wrapped_future.done()]:
                src = running.pop(future)
                _source_done(future, src, by_name[src.name], summary, db, run_id, logger)
        while True:  # every source is done: load what is left
            loader.waiting += shared.queue.take(shared.queue.limit, 0)
            if not loader.waiting:
                break
            loader.flush()
        summary.sources = [by_name[s.name] for s in chosen]
        summary.pending = sum(crawl_state.frontier_counts(db, s.name).get("pending", 0) for s in chosen)
        summary.warc_paths = shared.warc_paths
        crawl_state.finish_crawl(db, run_id, summary.pages, summary.articles, summary.skipped,
                                 len(summary.failures), failed=summary.failed)
        publish_snapshot(db)  # readers use it while the next run writes
    except BaseException:
        shared.queue.closed.set()
        crawl_state.mark_crashed(db, run_id)
        raise
    finally:
        shared.close()
    create_markdown_artifact(key="crawl-summary", markdown=summary_markdown(summary),
                             description="pressflow nightly crawl summary")
    create_markdown_artifact(key="source-health", markdown=health_report(db),
                             description="each source's health over its last 7 crawls (pressflow report)")
    logger.info("crawl %s: %d pages, %d articles, %d not articles, %d not modified, %d failures", run_id,
                summary.pages, summary.articles, summary.skipped, summary.not_modified, len(summary.failures))
    if summary.failed:
        logger.error("every source failed")
        raise CrawlFailed(summary)
    return summary


def _source_done(future: Any, src: Source, stats: SourceSummary, summary: CrawlSummary, db: str, run_id: str,
                 logger: logging.Logger | logging.LoggerAdapter) -> None:
    try:
        outcome: SourceOutcome = future.result()
    except Exception as error:
        stats.error = f"{type(error).__name__}: {error}"
        stats.failed = True
        failure = PageFailure(src.name, "crawl", f"source task failed: {stats.error}")
        crawl_state.record_page_failures(db, run_id, [failure])
        summary.failures.append(failure)
        stats.failures += 1
        logger.error("%s: %s", src.name, stats.error)
        return
    stats.documents, stats.discovered, stats.new = outcome.documents, outcome.discovered, outcome.new
    stats.fetched, stats.not_modified = outcome.fetched, outcome.not_modified
    stats.disallowed = outcome.disallowed
    stats.failures += len(outcome.failures)
    stats.failed = not outcome.worked
    summary.failures += outcome.failures
    summary.notes += [f"{src.name}: {note}" for note in outcome.notes]


def summary_markdown(summary: CrawlSummary, max_failures: int = 100) -> str:
    lines = [f"# pressflow crawl `{summary.run_id}`", "",
             f"{summary.pages} pages fetched, **{summary.articles} articles** loaded, {summary.skipped} pages that "
             f"are not articles, {summary.not_modified} not modified, {summary.disallowed} refused by robots.txt, "
             f"{len(summary.failures)} failures; {summary.pending} URLs still pending.", "",
             "| source | documents | listed | new | fetched | not modified | robots | articles | not articles "
             "| failures |", "|---|---|---|---|---|---|---|---|---|---|"]
    for s in summary.sources:
        lines.append(f"| {s.source} | {s.documents} | {s.discovered} | {s.new} | {s.fetched} | {s.not_modified} "
                     f"| {s.disallowed} | {s.articles} | {s.skipped} | {s.failures}"
                     f"{' (task failed)' if s.error else ''} |")
    if summary.failures:
        lines += ["", "| URL or source | stage | problem |", "|---|---|---|"]
        lines += [f"| {f.source} | {f.stage} | {f.error.replace('|', '/')} |"
                  for f in summary.failures[:max_failures]]
        if len(summary.failures) > max_failures:
            lines.append(f"| … | | {len(summary.failures) - max_failures} more in the failures table |")
    if summary.notes:
        lines += ["", "Notes:", *[f"- {note}" for note in summary.notes]]
    if summary.warc_paths:
        lines += ["", "Archive: " + ", ".join(f"`{path}`" for path in summary.warc_paths)]
    return "\n".join(lines)


def health_report(db: str, nights: int = 7) -> str:
    """`pressflow report` as markdown, for the flow's artifact: what an operator reads in the morning."""
    from warehouse import reading
    from warehouse.health import health_markdown, source_health

    try:
        with reading(db) as con:
            return health_markdown(source_health(con, nights), nights)
    except Exception as error:  # the run is done and recorded; a report that cannot be read must not fail it
        return f"(the source health report could not be read: {error})"


# ---------------------------------------------------------------- the schedule

def nightly_schedule():  # type: ignore[no-untyped-def]
    """02:00 every night, Korean time (`cron=` alone cannot carry a timezone)."""
    from prefect.schedules import Cron

    return Cron(NIGHTLY_CRON, timezone=TIMEZONE)


def serve_options(sources_file: str = "sources.toml", db: str = "data/pressflow.duckdb") -> dict[str, Any]:
    """The arguments `serve` gives `crawl.serve`: the nightly schedule, never two runs at once
    (a second DuckDB writer would wait on the first), absolute paths for the served runs."""
    return {
        "name": "nightly-crawl",
        "schedule": nightly_schedule(),
        "global_limit": 1,
        "parameters": {"sources_file": str(Path(sources_file).resolve()), "db": str(Path(db).resolve())},
        "description": "pressflow nightly crawl of Korean regional press (sources.toml)",
        "tags": ["pressflow", "crawl"],
    }


def next_runs(count: int = 1, after: datetime | None = None) -> list[datetime]:
    """The schedule's next run times, in its timezone (Prefect's own cron arithmetic)."""
    from prefect.server.schemas.schedules import CronSchedule

    schedule = CronSchedule(cron=NIGHTLY_CRON, timezone=TIMEZONE)
    dates = _run(schedule.get_dates(count, start=after))
    return [datetime.fromisoformat(date.isoformat()) for date in dates]


def serve_banner(options: dict[str, Any], writer_limit: str | None, now: datetime | None = None) -> list[str]:
    """What `pressflow serve` says before it blocks: the deployment, its cron and timezone, the next run."""
    now = now or datetime.now(KST)
    upcoming = next_runs(1, after=now)[0]
    wait = int((upcoming - now).total_seconds() // 60)
    parameters = " ".join(f"{key}={value}" for key, value in options["parameters"].items())
    lines = [f"serving deployment 'crawl/{options['name']}': cron '{NIGHTLY_CRON}' ({TIMEZONE})",
             f"next run: {upcoming:%Y-%m-%d %H:%M} {TIMEZONE} (in {wait // 60} h {wait % 60} min)",
             f"parameters: {parameters}",
             f"one run at a time (deployment limit {options['global_limit']})"
             + (f"; one writer per database: global concurrency limit '{writer_limit}' (1)" if writer_limit else ""),
             f"run it now from another shell: .venv/bin/prefect deployment run 'crawl/{options['name']}'; "
             "stop with Ctrl-C (the schedule pauses until served again)"]
    return lines


def serve(sources_file: str = "sources.toml", db: str = "data/pressflow.duckdb",
          say: Any = print) -> None:
    """Serve the crawl as the deployment `nightly-crawl` at 02:00 Asia/Seoul, after saying so (`say`).
    Blocks until stopped; stopping pauses the schedule until it is served again (`pause_on_shutdown`)."""
    from pipelines.writer_slot import ensure_writer_limit

    options = serve_options(sources_file, db)
    limit = ensure_writer_limit(options["parameters"]["db"])
    for line in serve_banner(options, limit):
        say(line)
    crawl.serve(**options, print_starting_message=False)
