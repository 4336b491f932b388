"""The nightly crawl (issue #5): sources.toml → discover → fetch → WARC → process_and_load.

One Prefect task per source does discovery and fetching (robots.txt, feeds, sitemaps,
listing pages, then the source's pending article URLs); the flow hands each source's pages
in chunks to `pipelines.flows.process_and_load`, the same extract → analyse → load path
`ingest` uses. Politeness holds across the whole run: the source tasks share one
`HostGate` (a request at a time per host, a delay between requests, a global limit) and
one robots.txt cache.

What survives a crash: discovery writes the URLs it found ('pending') in the same
transaction as the feeds' validators; an article URL becomes 'done' only once its page is
loaded. A run killed at any point leaves the unfinished URLs pending, and the next run
fetches exactly those (and anything new)."""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import re
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from extractors.model import EXTRACTOR_VERSION, RawPage
from nlp.model import ANALYSER_VERSION
from pipelines import flows
from pipelines.archive import WarcArchive
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
from pipelines.fetch import Fetcher, FetchPolicy, FetchRecord, FetchRequest, FetchResult, HostGate, RobotsCache
from pipelines.sources import Listing, Source, load_sources, select
from warehouse import crawl_state
from warehouse.crawl_state import DiscoveredUrl, Document
from warehouse.load import PageFailure
from warehouse.schema import publish_snapshot

SOURCE_WORKERS = 4            # sources crawled at once (each is one host, one request at a time)
LOAD_BATCH = flows.BATCH_SIZE
LOG_EVERY = 20                # article fetches between two writes of the fetch log and the frontier
MAX_SITEMAPS = 50             # child sitemaps read per source and run (newest first)
MAX_SITEMAP_DEPTH = 2
NIGHTLY_CRON = "0 2 * * *"
TIMEZONE = "Asia/Seoul"

T = TypeVar("T")


class CrawlShared:
    """What every source task of one run shares: manners, robots rules, the archive.
    (A plain object on purpose: Prefect passes it through to tasks untouched.)"""

    def __init__(self, policy: FetchPolicy, warc_dir: Path, run_id: str) -> None:
        self.policy = policy
        self.gate = HostGate(policy.concurrency)
        self.robots = RobotsCache()
        self.pages = WarcArchive(warc_dir, f"{run_id}-pages")
        self.discovery = WarcArchive(warc_dir, f"{run_id}-discovery")

    def close(self) -> None:
        self.pages.close()
        self.discovery.close()

    @property
    def warc_paths(self) -> list[str]:
        return [str(path) for path in (*self.pages.paths, *self.discovery.paths)]


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
    failures: list[PageFailure] = field(default_factory=list)  # discovery and fetch failures (recorded)
    notes: list[str] = field(default_factory=list)
    pages: list[RawPage] = field(default_factory=list)
    page_records: list[FetchRecord] = field(default_factory=list)  # one per page, same order


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

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def not_modified(self) -> int:
        return sum(s.not_modified for s in self.sources)

    @property
    def disallowed(self) -> int:
        return sum(s.disallowed for s in self.sources)


def _same_site(url: str, home: str) -> bool:
    """Same host as the outlet's home, give or take www. / m. (ports ignored)."""
    def bare(host: str | None) -> str:
        return re.sub(r"^(www\d?|m|mobile)\.", "", (host or "").lower())

    return bare(urlsplit(url).hostname) == bare(urlsplit(home).hostname)


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
                 since: datetime | None, logger: logging.Logger | logging.LoggerAdapter) -> None:
        self.fetcher = fetcher
        self.source = source
        self.known = known
        self.since = since
        self.logger = logger
        self.documents: list[Document] = []
        self.found: list[DiscoveredUrl] = []
        self.failures: list[PageFailure] = []
        self.notes: list[str] = []
        self.not_modified = 0
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
        for link in discovery.links:
            if _same_site(link.url, self.source.home):
                self.found.append(DiscoveredUrl(link.url, link.lastmod))

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


async def crawl_source_async(source: Source, db: str, run_id: str, since: datetime | None, shared: CrawlShared,
                             max_pages: int, logger: logging.Logger | logging.LoggerAdapter) -> SourceOutcome:
    """Discover a source's articles, then fetch its pending ones. Pages are returned, not loaded."""
    outcome = SourceOutcome(source.name)
    known = crawl_state.document_states(db, source.name)
    async with Fetcher(shared.policy, gate=shared.gate, robots=shared.robots, archive=shared.pages,
                       discovery_archive=shared.discovery) as fetcher:
        discoverer = _Discoverer(fetcher, source, known, since, logger)
        await discoverer.run()
        outcome.documents = len(discoverer.documents)
        outcome.discovered = len({item.url for item in discoverer.found})
        outcome.not_modified += discoverer.not_modified
        outcome.failures += discoverer.failures
        outcome.notes += discoverer.notes
        outcome.new = crawl_state.commit_discovery(db, run_id, source.name, discoverer.documents, discoverer.found,
                                                   discoverer.failures, log_only=fetcher.robots_records)
        fetcher.robots_records.clear()
        logger.info("%s: %d documents read, %d article URLs listed, %d new", source.name, outcome.documents,
                    outcome.discovered, outcome.new)

        todo = crawl_state.pending(db, source.name, since, max_pages)
        outcome.selected = len(todo)
        requests = [FetchRequest(s.url, source.name, "article", s.etag, s.last_modified) for s in todo]
        for start in range(0, len(requests), LOG_EVERY):
            results = await fetcher.fetch_all(requests[start:start + LOG_EVERY], source.delay_seconds)
            settled, failures = [], []
            for result in results:
                record = result.record
                if result.page is not None:
                    outcome.pages.append(result.page)
                    outcome.page_records.append(record)
                    continue
                settled.append(record)
                if record.outcome == "not_modified":
                    outcome.not_modified += 1
                elif record.outcome == "disallowed":
                    outcome.disallowed += 1
                else:
                    outcome.fetch_failures += 1
                    failures.append(PageFailure(record.url, "fetch", record.error or record.outcome))
            outcome.failures += failures
            # pages wait for their load to settle; the log of their fetches is written now
            crawl_state.record_fetches(db, run_id, [r.record for r in results if r.page is not None]
                                       + fetcher.robots_records)
            fetcher.robots_records.clear()
            crawl_state.settle(db, run_id, settled, loaded=True, failures=failures, log=True)
    logger.info("%s: %d pending URLs, %d pages fetched, %d not modified, %d refused by robots.txt, %d failed",
                source.name, outcome.selected, len(outcome.pages), outcome.not_modified, outcome.disallowed,
                outcome.fetch_failures)
    return outcome


@task(name="crawl-source", task_run_name="crawl-{source.name}", retries=1, retry_delay_seconds=5,
      cache_policy=NO_CACHE)
def crawl_source(source: Source, db: str, run_id: str, since: datetime | None, shared: CrawlShared,
                 max_pages: int) -> SourceOutcome:
    """Discovery and fetching for one source (one host, one request at a time)."""
    logger = get_run_logger()
    return _run(crawl_source_async(source, db, run_id, since, shared, max_pages, logger))


# ---------------------------------------------------------------- the flow

def _since(value: date | datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=KST)
    return datetime.combine(value, time(0, 0), KST)


def _load(outcome: SourceOutcome, summary: SourceSummary, crawl: CrawlSummary, db: str, run_id: str,
          user_dictionary: str | None, logger: logging.Logger | logging.LoggerAdapter) -> None:
    """Hand a source's pages to process_and_load in chunks; settle each chunk once it is loaded."""
    for start in range(0, len(outcome.pages), LOAD_BATCH):
        pages = outcome.pages[start:start + LOAD_BATCH]
        records = outcome.page_records[start:start + LOAD_BATCH]
        try:
            articles, skipped, failures = flows.process_and_load(pages, db, run_id, user_dictionary)
        except Exception as error:  # the pages stay pending: the next run fetches them again
            logger.error("%s: loading %d pages failed: %s", outcome.source, len(pages), error)
            failures = [PageFailure(page.source, "load", f"{type(error).__name__}: {error}", page.page_id)
                        for page in pages]
            crawl_state.settle(db, run_id, records, loaded=False, failures=failures)
            summary.failures += len(failures)
            crawl.failures += failures
            continue
        crawl_state.settle(db, run_id, records, loaded=True)
        summary.articles += articles
        summary.skipped += skipped
        summary.failures += len(failures)
        crawl.articles += articles
        crawl.skipped += skipped
        crawl.failures += failures
    # the task's result stays referenced until the flow ends: let the page bytes go now
    outcome.pages.clear()
    outcome.page_records.clear()


@flow(name="crawl", task_runner=ThreadPoolTaskRunner(max_workers=SOURCE_WORKERS), log_prints=False)
def crawl(sources_file: str = "sources.toml", source: str | None = None, since: date | None = None,
          db: str = "data/pressflow.duckdb", warc_dir: str | None = None, max_pages_per_source: int = 500,
          concurrency: int = 8, timeout_seconds: float = 20.0, total_timeout_seconds: float = 60.0,
          max_retries: int = 3, backoff_seconds: float = 1.0,
          retry_after_cap_seconds: float = 120.0, max_bytes: int = 5 * 1024 * 1024,
          user_dictionary: str | None = None) -> CrawlSummary:
    """Crawl the registry's sources (or one), load what is new, and say what happened."""
    logger = get_run_logger()
    chosen = select(load_sources(sources_file), source)
    since_at = _since(since)
    run_id = f"crawl-{datetime.now(KST):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    warc_root = Path(warc_dir) if warc_dir else Path(db).resolve().parent / "warc"
    policy = FetchPolicy(concurrency=concurrency, timeout_seconds=timeout_seconds, max_retries=max_retries,
                         backoff_seconds=backoff_seconds, retry_after_cap_seconds=retry_after_cap_seconds,
                         max_bytes=max_bytes,
                         total_timeout_seconds=total_timeout_seconds)
    summary = CrawlSummary(run_id=run_id, db=str(db))
    stale = crawl_state.start_crawl(db, run_id, [s.name for s in chosen], EXTRACTOR_VERSION, ANALYSER_VERSION)
    if stale:
        summary.notes.append(f"{stale} earlier crawl run(s) left 'running' for a day were marked 'crashed'")
    shared = CrawlShared(policy, warc_root, run_id)
    try:
        futures = {crawl_source.submit(s, db, run_id, since_at, shared, max_pages_per_source): s for s in chosen}
        by_name = {s.name: SourceSummary(s.name) for s in chosen}
        for future in as_completed(list(futures)):
            src = futures[future]
            stats = by_name[src.name]
            try:
                outcome: SourceOutcome = future.result()
            except Exception as error:
                stats.error = f"{type(error).__name__}: {error}"
                failure = PageFailure(src.name, "crawl", f"source task failed: {stats.error}")
                crawl_state.record_page_failures(db, run_id, [failure])
                summary.failures.append(failure)
                stats.failures += 1
                logger.error("%s: %s", src.name, stats.error)
                continue
            stats.documents, stats.discovered, stats.new = outcome.documents, outcome.discovered, outcome.new
            stats.fetched, stats.not_modified = len(outcome.pages), outcome.not_modified
            stats.disallowed, stats.failures = outcome.disallowed, len(outcome.failures)
            summary.pages += len(outcome.pages)
            summary.failures += outcome.failures
            summary.notes += [f"{src.name}: {note}" for note in outcome.notes]
            _load(outcome, stats, summary, db, run_id, user_dictionary, logger)
        summary.sources = [by_name[s.name] for s in chosen]
        summary.pending = sum(crawl_state.frontier_counts(db, s.name).get("pending", 0) for s in chosen)
        summary.warc_paths = shared.warc_paths
        crawl_state.finish_crawl(db, run_id, summary.pages, summary.articles, summary.skipped,
                                 len(summary.failures))
        publish_snapshot(db)  # readers use it while the next run writes
    except BaseException:
        crawl_state.mark_crashed(db, run_id)
        raise
    finally:
        shared.close()
    create_markdown_artifact(key="crawl-summary", markdown=summary_markdown(summary),
                             description="pressflow nightly crawl summary")
    logger.info("crawl %s: %d pages, %d articles, %d not articles, %d not modified, %d failures", run_id,
                summary.pages, summary.articles, summary.skipped, summary.not_modified, len(summary.failures))
    return summary


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


def serve(sources_file: str = "sources.toml", db: str = "data/pressflow.duckdb") -> None:
    """Serve the crawl as the deployment `nightly-crawl` at 02:00 Asia/Seoul. Blocks until stopped;
    stopping pauses the schedule until it is served again (Prefect's `pause_on_shutdown`)."""
    crawl.serve(**serve_options(sources_file, db))
