"""Discovery: bytes in, URLs out. Pure functions, no network.

RSS 2.0 / RSS 1.0 / Atom feeds, sitemaps and sitemap indexes (gzipped too, news sitemaps
with their publication dates), feed autodetection on HTML pages, `Sitemap:` lines of
robots.txt, and article links on listing pages. Every function returns a `Discovery`;
bytes that cannot be read give one with `error` set, never an exception."""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

KST = timezone(timedelta(hours=9), "KST")
MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
MAX_LINKS = 50_000                # per sitemap, as the protocol says
# where Korean news CMSs serve a whole-site feed when no page announces one (ndsoft first)
COMMON_FEED_PATHS = ("/rss/allArticle.xml", "/rss/rss.xml", "/rss.xml", "/feed", "/rss")

DocumentKind = Literal["feed", "sitemap", "sitemapindex", "listing", "robots", "html", "unknown"]

_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
               "application/xml", "text/xml"}
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid)$", re.IGNORECASE)
_KOREAN_ENCODING = re.compile(rb"""(<\?xml[^>]*encoding\s*=\s*["'])(euc-kr|euc_kr|ks_c_5601-1987|cp949|x-windows-949|"""
                              rb"""uhc)(["'])""", re.IGNORECASE)
_DOTTED_DATE = re.compile(r"(\d{4})[./-](\d{1,2})[./-](\d{1,2})\.?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass(frozen=True)
class Link:
    """A URL found in a document, with the date and title the document gives it."""

    url: str
    lastmod: datetime | None = None
    title: str | None = None


@dataclass(frozen=True)
class Discovery:
    kind: DocumentKind
    links: tuple[Link, ...] = ()      # article candidates
    sitemaps: tuple[Link, ...] = ()   # child sitemaps of an index, or robots.txt Sitemap: lines
    feeds: tuple[str, ...] = ()       # feeds announced by an HTML page
    error: str | None = None          # the document could not be read at all
    warnings: tuple[str, ...] = ()    # read, but damaged: what was salvaged is in links

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(link.url for link in self.links)


# ---------------------------------------------------------------- URLs and dates

def normalize_url(href: str | None, base: str | None = None) -> str | None:
    """Absolute http(s) URL without fragment or tracking parameters; None for anything else."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    try:
        absolute = urljoin(base, href) if base else href
        parts = urlsplit(absolute)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = parts.query
    if query and any(_TRACKING.match(key) for key, _ in parse_qsl(query, keep_blank_values=True)):
        query = urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not _TRACKING.match(k)])
    path = parts.path or "/"
    return urlunsplit((scheme, host, path.replace(" ", "%20"), query, ""))


def parse_date(text: str | None) -> datetime | None:
    """RFC 822 (RSS), ISO 8601 (Atom, sitemaps) or `2024.05.02 10:00`; naive times are KST."""
    if not text:
        return None
    text = text.strip()
    if not text:
        return None
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            match = _DOTTED_DATE.search(text)
            if match:
                year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
                try:
                    parsed = datetime(year, month, day, hour, minute, second)
                except ValueError:
                    parsed = None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=KST)
    return parsed.astimezone(UTC)


# ---------------------------------------------------------------- XML plumbing

def _gunzip(body: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = inflater.decompress(body, MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise ValueError(f"more than {MAX_XML_BYTES} bytes once decompressed")
    return data


def _utf8_if_korean(body: bytes) -> bytes:
    """Feeds labelled euc-kr are often cp949 (a superset); decode them as such."""
    match = _KOREAN_ENCODING.search(body[:512])
    if not match:
        return body
    text = body.decode("cp949", errors="replace")
    return _KOREAN_ENCODING.sub(rb"\1utf-8\3", text.encode("utf-8"), count=1)


def _parse_xml(body: bytes) -> tuple[etree._Element | None, str | None, str | None]:
    """(root, warning, error). Strict first; a damaged document is recovered when possible."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = _gunzip(body)
        except (zlib.error, ValueError, EOFError) as error:
            return None, None, f"gzip data that cannot be decompressed: {error}"
    body = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        return None, None, "empty document"
    body = _utf8_if_korean(body)
    strict = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(body, strict), None, None
    except etree.XMLSyntaxError as error:
        problem = f"malformed XML (line {error.lineno}: {error.msg})"
    except ValueError as error:
        problem = f"malformed XML ({error})"
    lenient = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, remove_comments=True)
    try:
        root = etree.fromstring(body, lenient)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return None, None, problem
    return root, problem, None


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(element, name):
            value = "".join(child.itertext()).strip()
            if value:
                return value
    return None


def _descendant_text(element: etree._Element, name: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) == name:
            value = "".join(child.itertext()).strip()
            if value:
                return value
    return None


def _unique(links: Iterable[Link]) -> tuple[Link, ...]:
    found: dict[str, Link] = {}
    for link in links:
        if link.url not in found:
            found[link.url] = link
        if len(found) >= MAX_LINKS:
            break
    return tuple(found.values())


# ---------------------------------------------------------------- feeds and sitemaps

def parse_document(body: bytes, url: str) -> Discovery:
    """A feed or a sitemap, whichever the bytes are (configured URLs may be either)."""
    root, warning, error = _parse_xml(body)
    if root is None:
        return Discovery("unknown", error=error)
    name = _local(root.tag)
    if name in ("rss", "RDF", "feed", "channel"):
        return _feed(root, url, warning)
    if name in ("urlset", "sitemapindex"):
        return _sitemap(root, url, warning)
    return Discovery("unknown", error=f"not a feed or a sitemap (the document's root is <{name or root.tag}>)")


def parse_feed(body: bytes, url: str) -> Discovery:
    """RSS 2.0, RSS 1.0 (RDF) or Atom: the items' links with their dates and titles."""
    result = parse_document(body, url)
    if result.ok and result.kind != "feed":
        return Discovery("unknown", error=f"expected a feed, found a {result.kind}")
    return result


def parse_sitemap(body: bytes, url: str) -> Discovery:
    """A sitemap (`urlset`, news sitemaps too) or a sitemap index, plain or gzipped."""
    result = parse_document(body, url)
    if result.ok and result.kind not in ("sitemap", "sitemapindex"):
        return Discovery("unknown", error=f"expected a sitemap, found a {result.kind}")
    return result


def _feed(root: etree._Element, base: str, warning: str | None) -> Discovery:
    items = [element for element in root.iter() if _local(element.tag) in ("item", "entry")]
    links: list[Link] = []
    for item in items:
        href = None
        if _local(item.tag) == "entry":  # Atom: rel="alternate" or no rel
            for link in _children(item, "link"):
                if link.get("rel", "alternate") == "alternate" and link.get("href"):
                    href = link.get("href")
                    break
            date = _text(item, "updated", "published", "modified", "issued")
        else:
            href = _text(item, "link")
            if not href:
                guid = next(iter(_children(item, "guid")), None)
                if guid is not None and guid.get("isPermaLink", "true").lower() == "true":
                    href = (guid.text or "").strip()
            if not href:
                href = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            date = _text(item, "pubDate", "date", "updated", "published")
        url = normalize_url(href, base)
        if url:
            links.append(Link(url, parse_date(date), _text(item, "title")))
    warnings = (f"{warning}; kept the {len(links)} links before the damage",) if warning else ()
    if warning and not links:
        return Discovery("feed", error=warning)
    return Discovery("feed", links=_unique(links), warnings=warnings)


def _sitemap(root: etree._Element, base: str, warning: str | None) -> Discovery:
    index = _local(root.tag) == "sitemapindex"
    entries = _children(root, "sitemap" if index else "url")
    links: list[Link] = []
    for entry in entries:
        url = normalize_url(_text(entry, "loc"), base)
        if not url:
            continue
        date = _text(entry, "lastmod") or _descendant_text(entry, "publication_date")
        links.append(Link(url, parse_date(date), _descendant_text(entry, "title")))
    warnings = (f"{warning}; kept the {len(links)} entries before the damage",) if warning else ()
    if warning and not links:
        return Discovery("sitemapindex" if index else "sitemap", error=warning)
    if index:
        return Discovery("sitemapindex", sitemaps=_unique(links), warnings=warnings)
    return Discovery("sitemap", links=_unique(links), warnings=warnings)


# ---------------------------------------------------------------- robots.txt and HTML

def robots_sitemaps(body: bytes, url: str) -> Discovery:
    """The `Sitemap:` lines of a robots.txt (they may appear anywhere in the file)."""
    text = body.decode("utf-8", errors="replace")
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap":
            sitemap = normalize_url(value.strip(), url)
            if sitemap:
                found.append(Link(sitemap))
    return Discovery("robots", sitemaps=_unique(found))


def _html_tree(body: bytes, content_type: str | None) -> tuple[lxml_html.HtmlElement | None, str | None]:
    from extractors.encoding import decode

    if not body.strip():
        return None, "empty page"
    try:
        text, _ = decode(body, content_type)
        tree = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError, LookupError) as error:
        return None, f"cannot parse the page as HTML ({error})"
    return tree, None


def _base(tree: lxml_html.HtmlElement, url: str) -> str:
    base = tree.find(".//base[@href]")
    return urljoin(url, base.get("href")) if base is not None else url


def feed_links(body: bytes, url: str, content_type: str | None = None) -> Discovery:
    """Feeds an HTML page announces with `<link rel="alternate" type="application/rss+xml">`."""
    tree, error = _html_tree(body, content_type)
    if tree is None:
        return Discovery("html", error=error)
    base = _base(tree, url)
    feeds = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in _FEED_TYPES and kind != "application/feed+json":
            feed = normalize_url(link.get("href"), base)
            if feed:
                feeds.append(feed)
    return Discovery("html", feeds=tuple(dict.fromkeys(feeds)))


def listing_links(body: bytes, url: str, link_pattern: str | re.Pattern[str],
                  content_type: str | None = None) -> Discovery:
    """Links on a listing page whose absolute URL matches `link_pattern`, in page order, once each."""
    pattern = re.compile(link_pattern) if isinstance(link_pattern, str) else link_pattern
    tree, error = _html_tree(body, content_type)
    if tree is None:
        return Discovery("listing", error=error)
    base = _base(tree, url)
    links = []
    for anchor in tree.iter("a", "area"):
        target = normalize_url(anchor.get("href"), base)
        if target and pattern.search(target):
            title = " ".join(anchor.text_content().split()) or None
            links.append(Link(target, None, title))
    merged: dict[str, Link] = {}
    for link in links:  # a thumbnail link and a headline link to the same article: keep the titled one
        known = merged.get(link.url)
        if known is None or (not known.title and link.title):
            merged[link.url] = link
    return Discovery("listing", links=tuple(merged.values()))
