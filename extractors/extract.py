"""The one entry point: a `RawPage` in, an `Article` out, whatever the page's format."""
from __future__ import annotations

import re

from extractors.encoding import decode
from extractors.html_page import extract_html
from extractors.model import Article, RawPage
from extractors.text_dump import extract_text_dump

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|table|title)\b",
                         re.IGNORECASE | re.DOTALL)


class ExtractionError(ValueError):
    """A page that cannot be read at all (empty, binary, undecodable)."""


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf")
    return bool(_HTML_START.match(head)) or b"<html" in head.lower() or b"<body" in body[:65536].lower()


def looks_binary(body: bytes) -> bool:
    sample = body[:4096]
    return b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def extract(raw: RawPage) -> Article:
    """Extract the article of one page. Raises ExtractionError for unreadable input."""
    if not raw.body.strip():
        raise ExtractionError("empty page: no bytes to read")
    if looks_binary(raw.body):
        raise ExtractionError("binary content, not a web page or text")
    text, codec = decode(raw.body, raw.header("content-type"))
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise ExtractionError(f"undecodable bytes (best guess {codec})")
    fields = dict(url=raw.final_url or raw.url, source_path=raw.source_path,
                  content_hash=raw.content_hash, encoding=codec)
    if looks_like_html(raw.body):
        return extract_html(text, **fields)
    return extract_text_dump(text, **fields)
