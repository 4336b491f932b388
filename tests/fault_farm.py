"""A fault soak for the crawl, shared by `tests/test_crawl_soak.py` (small, fast) and
`benchmarks/soak.py` (bigger, prints figures).

Hosts on 127.0.0.1 serve regional-news sites whose every reply may be a fault, drawn from a
seeded random generator: a connection reset mid-body, a drip (one byte every 50 ms, far past
the URL's deadline), a body that claims gzip and is not, a redirect loop, a 429 with
Retry-After, a 503. Each URL gets at most `budget` faults, then answers properly, so a crawl
that retries across runs must end with every article loaded. Feeds also list URLs that are
never articles (a permanent redirect loop, a 404).

Crawls and ingests run as separate processes that are killed with SIGKILL at random points;
then clean runs finish the job and `check` reads the database and the archive:
no article lost, none duplicated, every archived page referenced by the fetch log and every
stored page present in the archive, no run left 'running'.

Everything is bounded: the hosts answer only requests the crawler makes (a fixed set of URLs,
each with a fault budget), each child process is killed or waited for within a timeout, and
the callers fix the number of rounds."""
from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tests.crawl_server import Farm, Reply, Site, Story, article_path, ndsoft_article, rss

ROOT = Path(__file__).resolve().parents[1]
FAULTS = ("reset", "drip", "bad_gzip", "redirect_loop", "throttle", "unavailable")
# the crawl's manners for the soak: short timeouts so drips and stalls are cut quickly
CRAWL_OPTIONS = {"timeout_seconds": 1.0, "total_timeout_seconds": 1.5, "max_retries": 1, "backoff_seconds": 0.05,
                 "retry_after_cap_seconds": 5.0}


def _fault_reply(kind: str, path: str, body: bytes) -> Reply:
    if kind == "reset":
        return Reply(body=body, reset_after=64)
    if kind == "drip":
        return Reply(body=b"<p>" + b"x" * 200, drip_seconds=0.05)  # 10 s if nobody cut it
    if kind == "bad_gzip":
        return Reply(body=b"this is not gzip " * 8, headers=(("Content-Encoding", "gzip"),))
    if kind == "redirect_loop":
        return Reply(302, headers=(("Location", path),))
    if kind == "throttle":
        return Reply(429, b"<html><body>Too Many Requests</body></html>", headers=(("Retry-After", "1"),))
    return Reply(503, b"<html><body>Service Unavailable</body></html>")


@dataclass
class FaultFarm:
    """Sites whose replies are faults at `rate`, at most `budget` per URL, drawn with `seed`."""

    hosts: int = 3
    articles: int = 8
    rate: float = 0.4
    budget: int = 2
    seed: int = 13
    farm: Farm = field(default_factory=Farm)
    sites: list[Site] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    requests: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._used: Counter[tuple[int, str]] = Counter()
        self._pages: dict[tuple[int, str], bytes] = {}
        for number in range(self.hosts):
            outlet = f"시험일보{number}"
            site = self.farm.site(outlet)
            stories = [Story(number * 1000 + n, f"{outlet} 시험 사업 {n}호",
                             (f"시험시는 {outlet}의 시험 사업 {n}호를 다음 달부터 운영한다고 2일 밝혔다.",
                              f"시는 예산 {n + 1}억 원을 들여 주민 {n * 10 + 5}명을 지원한다."),
                             "2024.05.02 10:00", "김시험", lastmod=f"2024-05-{n % 27 + 1:02d}T10:00:00+09:00")
                       for n in range(self.articles)]
            self._pages[(site.port, "/robots.txt")] = b"User-agent: *\nDisallow: /private/\n"
            self._pages[(site.port, "/rss/allArticle.xml")] = rss(
                outlet, site.base, stories, (site.url("/junk/loop"), site.url("/junk/gone")))
            for story in stories:
                self._pages[(site.port, article_path(story.idxno))] = ndsoft_article(outlet, story)
            site.next_reply = self._replier(site)  # type: ignore[method-assign]
            site.server.handle_error = lambda *_: None  # type: ignore[method-assign]  # resets are the point
            self.sites.append(site)

    def _replier(self, site: Site):  # type: ignore[no-untyped-def]
        def reply(path: str) -> Reply:
            with self._lock:
                self.requests += 1
                if path == "/junk/loop":
                    return Reply(301, headers=(("Location", "/junk/loop"),))
                body = self._pages.get((site.port, path))
                if body is None:
                    return Reply(404, b"<html><body>not found</body></html>")
                kind = "text/plain" if path == "/robots.txt" else (
                    "application/rss+xml" if path.startswith("/rss/") else "text/html; charset=utf-8")
                key = (site.port, path)
                if path != "/robots.txt" and self._used[key] < self.budget and self._rng.random() < self.rate:
                    self._used[key] += 1
                    fault = self._rng.choice(FAULTS)
                    self.faults[fault] += 1
                    return _fault_reply(fault, path, body)
                return Reply(body=body, content_type=kind)
        return reply

    @property
    def article_urls(self) -> set[str]:
        return {f"http://127.0.0.1:{port}{path}" for port, path in self._pages if "articleView" in path}

    def article_hits(self) -> int:
        with self.farm.lock:
            return sum("articleView" in hit.path for hit in self.farm.log)

    def sources_toml(self) -> str:
        return "".join(f"""
[[source]]
name = "시험일보{number}"
region = "대전광역시"
home = "{site.url('/')}"
feeds = ["{site.url('/rss/allArticle.xml')}"]
cms = "ndsoft"
delay_seconds = 0.0
verified = true
""" for number, site in enumerate(self.sites))

    def stop(self) -> None:
        self.farm.stop()


# ---------------------------------------------------------------- killed children

def crawl_script(sources: Path, db: Path, warc: Path) -> str:
    return (f"from pipelines.crawl_flow import crawl\n"
            f"try:\n    crawl({str(sources)!r}, db={str(db)!r}, warc_dir={str(warc)!r}, load_batch=4, "
            f"**{CRAWL_OPTIONS!r})\nexcept Exception:\n    pass\n")


def ingest_script(paths: list[Path], db: Path) -> str:
    return (f"from pipelines.flows import ingest_flow\n"
            f"ingest_flow({[str(p) for p in paths]!r}, {str(db)!r})\n")


@dataclass
class Child:
    kind: str
    killed: bool
    seconds: float
    peak_mib: float  # the child's own peak resident memory


def run_child(kind: str, script: str, env: dict[str, str], kill_when, timeout: float = 120.0) -> Child:  # type: ignore[no-untyped-def]
    """Run `script` in a fresh Python; SIGKILL it as soon as `kill_when()` is true (None: never).
    Bounded by `timeout` seconds either way. Reaped with wait4, which gives its own peak memory."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    killed = False
    usage = None
    try:
        while usage is None:
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                usage = rusage
                break
            over = time.monotonic() - started > timeout  # over its time: it counts as killed, and is
            if not killed and (over or (kill_when is not None and kill_when())):
                os.kill(process.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.02)
    finally:
        if usage is None:  # interrupted: do not leave the child behind
            os.kill(process.pid, signal.SIGKILL)
            _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return Child(kind, killed, time.monotonic() - started, usage.ru_maxrss / 1024)


def child_env() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "PYTHONPATH": str(ROOT),
            "PREFECT_LOGGING_LEVEL": "ERROR"}


def peak_memory_mib() -> float:
    """This process's peak resident memory in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- invariants

@dataclass
class Invariants:
    expected: int
    loaded: int
    lost: list[str]
    duplicates: int
    archived_pages: int
    unreferenced_records: int       # archived responses (pages, feeds, robots.txt) the fetch log does not reference
    missing_records: int            # stored pages whose WARC record is in no archive
    running_runs: int
    statuses: Counter[str]

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicates or self.unreferenced_records or self.missing_records
                    or self.running_runs)


def _archive_ids(warc: Path) -> tuple[set[str], set[str]]:
    """(page-archive response record ids, every response record id) of complete records."""
    from pipelines.inputs import read_warc

    pages: set[str] = set()
    every: set[str] = set()
    for path in sorted(warc.glob("*.warc.gz")):
        read, _ = read_warc(path)  # a record cut by a kill is left out, and so is everything after it
        ids = {page.warc_record_id for page in read if page.warc_record_id}
        every |= ids
        if "-pages-" in path.name:
            pages |= ids
    return pages, every


def check(db: Path, warc: Path, expected: set[str]) -> Invariants:
    con = duckdb.connect(str(db), read_only=True)
    try:
        urls = [row[0] for row in con.execute("SELECT url FROM articles").fetchall()]
        logged = {row[0] for row in con.execute(
            "SELECT warc_record_id FROM fetches WHERE warc_record_id IS NOT NULL").fetchall()}
        stored = {row[0] for row in con.execute(
            "SELECT warc_record_id FROM raw_pages WHERE warc_record_id IS NOT NULL").fetchall()}
        statuses = Counter(row[0] for row in con.execute("SELECT status FROM runs").fetchall())
    finally:
        con.close()
    page_records, every_record = _archive_ids(warc)
    counts = Counter(urls)
    return Invariants(
        expected=len(expected), loaded=len(set(urls) & expected), lost=sorted(expected - set(urls)),
        duplicates=sum(count - 1 for count in counts.values() if count > 1), archived_pages=len(page_records),
        unreferenced_records=len(every_record - logged), missing_records=len(stored - every_record),
        running_runs=statuses.get("running", 0), statuses=statuses)


def pending_articles(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM crawl_state WHERE kind = 'article' AND state = 'pending' "
                           "AND url NOT LIKE '%/junk/%'").fetchall()[0][0]
    finally:
        con.close()
