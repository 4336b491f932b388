"""The WARC archive: every response the crawler receives, kept as request + response records.

One gzipped WARC per run and kind (`<run>-pages-00000.warc.gz` for article pages,
`<run>-discovery-00000.warc.gz` for feeds, sitemaps, listing pages and robots.txt), rotated
when a file grows past `max_bytes`. Each record is one gzip member flushed to disk at once,
so a crawl killed midway leaves every record written before it readable. warcio writes
the digests that `pipelines.inputs.read_warc` checks."""
from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
SOFTWARE = "pressflow/0.1 (warcio)"
# headers describing the bytes on the wire: the archive keeps the decoded body, so they would lie
_TRANSPORT_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True)
class ArchivedRecord:
    record_id: str
    path: str


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and the response to it, as the archive stores them."""

    url: str
    method: str
    request_headers: Sequence[tuple[str, str]]
    status: int
    reason: str
    response_headers: Sequence[tuple[str, str]]
    body: bytes
    fetched_at: datetime
    http_version: str = "HTTP/1.1"
    requested_url: str | None = None   # before redirects: the crawl's key for the page


REQUESTED_URI = "Pressflow-Requested-URI"  # an extension field of response records


class WarcArchive:
    """Appends exchanges to `directory/<prefix>-NNNNN.warc.gz`; safe to share between threads."""

    def __init__(self, directory: str | Path, prefix: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._sequence = 0
        self._stream: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._path: Path | None = None
        self.paths: list[Path] = []
        self.records = 0

    def _open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            path = self.directory / f"{self.prefix}-{self._sequence:05d}.warc.gz"
            self._sequence += 1
            if not path.exists():
                break
        self._stream = path.open("ab")
        self._writer = WARCWriter(self._stream, gzip=True)
        self._path = path
        self.paths.append(path)
        info = {"software": SOFTWARE, "format": "WARC File Format 1.0",
                "description": "pressflow crawl: responses as received, bodies decoded (Content-Encoding removed)"}
        self._writer.write_record(self._writer.create_warcinfo_record(path.name, info))
        self._stream.flush()

    def write(self, exchange: Exchange) -> ArchivedRecord:
        """Append one request/response pair; returns the response's WARC-Record-ID and file."""
        with self._lock:
            if self._stream is None or (self._path is not None and self._stream.tell() >= self.max_bytes):
                self._close_current()
                self._open()
            assert self._writer is not None and self._stream is not None and self._path is not None
            writer = self._writer
            date = datetime_to_iso_date(exchange.fetched_at.astimezone(UTC).replace(tzinfo=None), use_micros=True)
            response_headers = [(k, v) for k, v in exchange.response_headers if k.lower() not in _TRANSPORT_HEADERS]
            response_headers.append(("Content-Length", str(len(exchange.body))))
            http_response = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(), response_headers,
                                             protocol=exchange.http_version)
            warc_headers = {"WARC-Date": date}
            if exchange.requested_url and exchange.requested_url != exchange.url:
                warc_headers[REQUESTED_URI] = exchange.requested_url
            response = writer.create_warc_record(exchange.url, "response", payload=io.BytesIO(exchange.body),
                                                 length=len(exchange.body), http_headers=http_response,
                                                 warc_headers_dict=warc_headers)
            parts = urlsplit(exchange.url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            http_request = StatusAndHeaders(f"{exchange.method} {target} {exchange.http_version}",
                                            list(exchange.request_headers), is_http_request=True)
            request = writer.create_warc_record(exchange.url, "request", http_headers=http_request,
                                                warc_headers_dict={"WARC-Date": date})
            writer.write_request_response_pair(request, response)
            self._stream.flush()
            self.records += 1
            return ArchivedRecord(response.rec_headers.get_header("WARC-Record-ID"), str(self._path))

    def _close_current(self) -> None:
        if self._stream is not None:
            self._stream.close()
        self._stream = None
        self._writer = None

    def close(self) -> None:
        with self._lock:
            self._close_current()

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
