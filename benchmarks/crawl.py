"""How close the polite fetcher gets to its politeness bound.

Starts `--hosts` HTTP servers on 127.0.0.1 (threads of this process, stopped at the end),
each serving `--pages` small ndsoft-style article pages, and crawls them all with the
crawl's `Fetcher` (robots.txt, per-host delay, global limit, WARC archive in a temp dir).
With one request at a time per host and `--delay` seconds between the starts of two
requests, no crawl can beat hosts × 1/delay pages per second; the ratio printed is pages
per second achieved over that bound, measured in this one run (aim: ≥ 0.8).

    .venv/bin/python benchmarks/crawl.py [--hosts 4] [--pages 40] [--delay 0.1]
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.archive import WarcArchive  # noqa: E402
from pipelines.fetch import Fetcher, FetchPolicy, FetchRequest, HostGate  # noqa: E402

ARTICLE = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>시험 기사 {n} - 벤치일보</title></head>
<body><div class="article-view-header"><h3 class="heading">시험 기사 {n}</h3>
<ul class="infomation"><li>입력 2024.05.02 10:00</li></ul></div>
<div id="article-view-content-div"><p>벤치시는 시험용 사업 {n}호를 시작한다고 2일 밝혔다.</p>
<p>이 문단은 측정을 위해 쓴 글이다. {padding}</p></div></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nDisallow: /admin/\n", "text/plain"
        else:
            number = self.path.rsplit("=", 1)[-1]
            body, kind = ARTICLE.format(n=number, padding="가나다라 " * 400).encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _start(hosts: int) -> list[ThreadingHTTPServer]:
    servers = []
    for _ in range(hosts):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
    return servers


async def _crawl(urls: list[str], delay: float, concurrency: int, archive: WarcArchive) -> tuple[float, int]:
    policy = FetchPolicy(delay_seconds=delay, concurrency=concurrency, timeout_seconds=10, max_retries=0)
    async with Fetcher(policy, gate=HostGate(concurrency), archive=archive) as fetcher:
        started = time.perf_counter()
        results = await fetcher.fetch_all([FetchRequest(url, "bench") for url in urls])
        elapsed = time.perf_counter() - started
    return elapsed, sum(result.record.outcome == "ok" for result in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--pages", type=int, default=40, help="pages per host")
    parser.add_argument("--delay", type=float, default=0.1, help="seconds between two requests to one host")
    parser.add_argument("--concurrency", type=int, default=None, help="global limit (default: hosts)")
    parser.add_argument("--limit-seconds", type=float, default=120, help="stop the benchmark after this long")
    args = parser.parse_args()
    concurrency = args.concurrency or args.hosts
    servers = _start(args.hosts)
    try:
        urls = [f"http://127.0.0.1:{server.server_address[1]}/news/articleView.html?idxno={n}"
                for n in range(args.pages) for server in servers]
        with tempfile.TemporaryDirectory() as folder:
            archive = WarcArchive(folder, "bench-pages")
            try:
                elapsed, ok = asyncio.run(asyncio.wait_for(_crawl(urls, args.delay, concurrency, archive),
                                                           args.limit_seconds))
            finally:
                archive.close()
            archived = sum(path.stat().st_size for path in Path(folder).glob("*.warc.gz"))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    bound = min(args.hosts, concurrency) / args.delay if args.delay > 0 else float("inf")
    rate = ok / elapsed
    print(f"hosts {args.hosts}, {args.pages} pages each, delay {args.delay:g} s, global limit {concurrency}")
    print(f"fetched {ok}/{len(urls)} pages (+{args.hosts} robots.txt) in {elapsed:.2f} s, "
          f"archived {archived / 1024:.0f} KiB of WARC")
    print(f"pages per second: {rate:.1f}; politeness bound (hosts x 1/delay): {bound:.1f}")
    print(f"ratio achieved / bound: {rate / bound:.2f} (aim >= 0.8)")
    return 0 if ok == len(urls) else 1


if __name__ == "__main__":
    raise SystemExit(main())
