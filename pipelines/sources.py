"""The source registry: `sources.toml`, one `[[source]]` table per outlet.

```toml
[[source]]
name = "강원도민일보"
region = "강원특별자치도"
home = "https://www.kado.net/"
feeds = ["https://www.kado.net/rss/allArticle.xml"]
sitemaps = []
listings = [{ url = "https://www.kado.net/news/articleList.html?page={page}&view_type=sm",
              link_pattern = 'articleView\\.html\\?idxno=\\d+', pages = 3 }]
cms = "ndsoft"
delay_seconds = 2.0
verified = false
redirect_hosts = ["cdn.kado.net"]   # other hosts its redirects may lead to ("*.kado.net", "*" too)
```

An optional `[crawler]` table says who is asking: `user_agent = "pressflow/0.1"` (the product
token robots.txt groups match) and `contact = "ops@example.org"` (a mailto or a URL).

Loading checks every entry and raises `SourceError` naming the source and the key at
fault: unknown keys, missing keys, malformed URLs, bad regexes, a `pages` count without a
`{page}` placeholder. Nothing here touches the network."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_DELAY_SECONDS = 1.0
MAX_LISTING_PAGES = 100

_SOURCE_KEYS = {"name", "region", "home", "feeds", "sitemaps", "listings", "cms", "delay_seconds", "verified",
                "redirect_hosts"}
_CRAWLER_KEYS = {"user_agent", "contact"}
_HOST = re.compile(r"^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?)$")
_REQUIRED_KEYS = ("name", "region", "home")
_LISTING_KEYS = {"url", "link_pattern", "pages"}


class SourceError(ValueError):
    """A registry entry that cannot be used; the message names the file, the source and the key."""

    def __init__(self, message: str, source: str | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.key = key


@dataclass(frozen=True)
class Listing:
    """A section page whose links are articles; `{page}` in `url` is replaced by 1..pages."""

    url: str
    link_pattern: str
    pages: int | None = None

    def page_urls(self) -> tuple[str, ...]:
        if self.pages is None:
            return (self.url,)
        return tuple(self.url.replace("{page}", str(number)) for number in range(1, self.pages + 1))

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.link_pattern)


@dataclass(frozen=True)
class Source:
    name: str
    region: str
    home: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    cms: str | None = None
    delay_seconds: float = DEFAULT_DELAY_SECONDS
    verified: bool = False
    redirect_hosts: tuple[str, ...] = ()

    @property
    def host(self) -> str:
        return urlsplit(self.home).netloc.lower()

    @property
    def named_urls(self) -> tuple[str, ...]:
        """Every URL the entry names: their hosts are trusted whatever their address."""
        listing_urls = tuple(url for listing in self.listings for url in listing.page_urls())
        return (self.home, *self.feeds, *self.sitemaps, *listing_urls)


@dataclass(frozen=True)
class CrawlerSettings:
    """Who is asking: the User-Agent's product token and a contact for the sites' operators."""

    user_agent: str = "pressflow/0.1"
    contact: str | None = "crawler@pressflow.example"


def check_url(value: Any, *, source: str, key: str, placeholder_ok: bool = False) -> str:
    """An absolute http(s) URL with a host, or a SourceError naming the source and key."""
    if not isinstance(value, str) or not value.strip():
        raise SourceError(f"source {source!r}: {key} must be a URL string, got {value!r}", source, key)
    url = value.strip()
    probe = url.replace("{page}", "1") if placeholder_ok else url
    try:
        parts = urlsplit(probe)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as error:
        raise SourceError(f"source {source!r}: {key} {url!r} is not a valid URL ({error})", source, key) from error
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in probe) \
            or "{" in probe or "}" in probe:
        raise SourceError(f"source {source!r}: {key} {url!r} is not an absolute http(s) URL", source, key)
    return url


def _url_list(value: Any, *, source: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise SourceError(f"source {source!r}: {key} must be a list of URLs, got {type(value).__name__}",
                          source, key)
    urls = tuple(check_url(item, source=source, key=key) for item in value)
    return tuple(dict.fromkeys(urls))


def _listing(value: Any, *, source: str, index: int) -> Listing:
    key = f"listings[{index}]"
    if not isinstance(value, Mapping):
        raise SourceError(f"source {source!r}: {key} must be a table with url and link_pattern", source, key)
    unknown = sorted(set(value) - _LISTING_KEYS)
    if unknown:
        raise SourceError(f"source {source!r}: unknown key {key}.{unknown[0]} (allowed: "
                          f"{', '.join(sorted(_LISTING_KEYS))})", source, f"{key}.{unknown[0]}")
    for required in ("url", "link_pattern"):
        if required not in value:
            raise SourceError(f"source {source!r}: {key} lacks {required}", source, f"{key}.{required}")
    pages = value.get("pages")
    url = check_url(value["url"], source=source, key=f"{key}.url", placeholder_ok=pages is not None)
    if pages is not None:
        if isinstance(pages, bool) or not isinstance(pages, int) or not 1 <= pages <= MAX_LISTING_PAGES:
            raise SourceError(f"source {source!r}: {key}.pages must be an integer from 1 to {MAX_LISTING_PAGES}, "
                              f"got {pages!r}", source, f"{key}.pages")
        if "{page}" not in url:
            raise SourceError(f"source {source!r}: {key}.url needs a {{page}} placeholder when pages is given",
                              source, f"{key}.url")
    pattern = value["link_pattern"]
    if not isinstance(pattern, str) or not pattern:
        raise SourceError(f"source {source!r}: {key}.link_pattern must be a non-empty regex string",
                          source, f"{key}.link_pattern")
    try:
        re.compile(pattern)
    except re.error as error:
        raise SourceError(f"source {source!r}: {key}.link_pattern is not a valid regex ({error})",
                          source, f"{key}.link_pattern") from error
    return Listing(url=url, link_pattern=pattern, pages=pages)


def parse_source(entry: Any, index: int = 0) -> Source:
    """One `[[source]]` table to a `Source`, or a SourceError naming it and the key at fault."""
    label = f"#{index + 1}"
    if not isinstance(entry, Mapping):
        raise SourceError(f"source {label}: each [[source]] must be a table", label, None)
    name = entry.get("name")
    if isinstance(name, str) and name.strip():
        label = name.strip()
    unknown = sorted(set(entry) - _SOURCE_KEYS)
    if unknown:
        raise SourceError(f"source {label!r}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(_SOURCE_KEYS))})",
                          label, unknown[0])
    for key in _REQUIRED_KEYS:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SourceError(f"source {label!r}: {key} is required and must be a non-empty string", label, key)
    home = check_url(entry["home"], source=label, key="home")
    feeds = _url_list(entry.get("feeds", []), source=label, key="feeds")
    sitemaps = _url_list(entry.get("sitemaps", []), source=label, key="sitemaps")
    raw_listings = entry.get("listings", [])
    if not isinstance(raw_listings, list):
        raise SourceError(f"source {label!r}: listings must be a list of tables", label, "listings")
    listings = tuple(_listing(item, source=label, index=i) for i, item in enumerate(raw_listings))
    cms = entry.get("cms")
    if cms is not None and (not isinstance(cms, str) or not cms.strip()):
        raise SourceError(f"source {label!r}: cms must be a non-empty string", label, "cms")
    delay = entry.get("delay_seconds", DEFAULT_DELAY_SECONDS)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 600:
        raise SourceError(f"source {label!r}: delay_seconds must be a number of seconds from 0 to 600, "
                          f"got {delay!r}", label, "delay_seconds")
    verified = entry.get("verified", False)
    if not isinstance(verified, bool):
        raise SourceError(f"source {label!r}: verified must be true or false, got {verified!r}", label, "verified")
    redirect_hosts = entry.get("redirect_hosts", [])
    if not isinstance(redirect_hosts, list) or not all(
            isinstance(host, str) and _HOST.match(host.strip().lower()) for host in redirect_hosts):
        raise SourceError(f"source {label!r}: redirect_hosts must be a list of host names (host, host:port, "
                          f"*.domain or *), got {redirect_hosts!r}", label, "redirect_hosts")
    return Source(name=label, region=entry["region"].strip(), home=home, feeds=feeds, sitemaps=sitemaps,
                  listings=listings, cms=cms.strip() if cms else None, delay_seconds=float(delay), verified=verified,
                  redirect_hosts=tuple(dict.fromkeys(host.strip().lower() for host in redirect_hosts)))


def parse_crawler(data: Mapping[str, Any], origin: str = "sources.toml") -> CrawlerSettings:
    """The optional `[crawler]` table: `user_agent` and `contact`."""
    table = data.get("crawler", {})
    if not isinstance(table, Mapping):
        raise SourceError(f"{origin}: [crawler] must be a table", None, "crawler")
    unknown = sorted(set(table) - _CRAWLER_KEYS)
    if unknown:
        raise SourceError(f"{origin}: unknown key crawler.{unknown[0]} (allowed: {', '.join(sorted(_CRAWLER_KEYS))})",
                          None, f"crawler.{unknown[0]}")
    settings = CrawlerSettings()
    agent = table.get("user_agent", settings.user_agent)
    if not isinstance(agent, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_.-]*(/\S+)?$", agent.strip()):
        raise SourceError(f"{origin}: crawler.user_agent must be a product token like 'pressflow/0.1', "
                          f"got {agent!r}", None, "crawler.user_agent")
    contact = table.get("contact", settings.contact)
    if contact is not None and (not isinstance(contact, str) or not contact.strip() or any(
            c.isspace() or c in "()" for c in contact.strip())):
        raise SourceError(f"{origin}: crawler.contact must be an e-mail address or a URL, got {contact!r}",
                          None, "crawler.contact")
    return CrawlerSettings(agent.strip(), contact.strip() if contact else None)


def parse_sources(data: Mapping[str, Any], origin: str = "sources.toml") -> tuple[Source, ...]:
    unknown = sorted(set(data) - {"source", "crawler"})
    if unknown:
        raise SourceError(f"{origin}: unknown top-level key {unknown[0]!r} (expected [[source]] tables)",
                          None, unknown[0])
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourceError(f"{origin}: 'source' must be an array of tables ([[source]])", None, "source")
    sources: list[Source] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            source = parse_source(entry, index)
        except SourceError as error:
            raise SourceError(f"{origin}: {error}", error.source, error.key) from error
        if source.name in seen:
            raise SourceError(f"{origin}: source {source.name!r} appears twice", source.name, "name")
        seen.add(source.name)
        sources.append(source)
    return tuple(sources)


def load_sources(path: str | Path) -> tuple[Source, ...]:
    """Read and check a registry file; every problem is a SourceError naming the file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise SourceError(f"{path}: no such sources file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read the sources file ({error})") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourceError(f"{path}: not valid TOML ({error})") from error
    parse_crawler(data, str(path))
    return parse_sources(data, str(path))


def load_crawler(path: str | Path) -> CrawlerSettings:
    """The `[crawler]` table of a registry file (defaults when it has none)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"{path}: cannot read the sources file ({error})") from error
    return parse_crawler(data, str(path))


def select(sources: Iterable[Source], name: str | None) -> tuple[Source, ...]:
    """All sources, or the one called `name` (a SourceError listing the names when none is)."""
    sources = tuple(sources)
    if name is None:
        return sources
    chosen = tuple(source for source in sources if source.name == name)
    if not chosen:
        raise SourceError(f"no source named {name!r}; known: {', '.join(s.name for s in sources) or '(none)'}",
                          name, "name")
    return chosen


def check_notes(source: Source) -> list[str]:
    """Things worth a person's attention in a valid entry (not errors; `verified` speaks for itself)."""
    notes = []
    if not (source.feeds or source.sitemaps or source.listings):
        notes.append("no feeds, sitemaps or listings: relies on robots.txt sitemaps and feed autodetection on home")
    if source.delay_seconds < 1.0:
        notes.append(f"delay_seconds {source.delay_seconds:g} is below 1 s: fine for tests, impolite for real sites")
    try:
        from extractors.profiles import load_profiles

        known = {profile.name for profile in load_profiles()}
    except Exception:  # the registry check must not depend on the extractor package loading
        known = set()
    if source.cms and known and source.cms not in known and source.cms not in ("custom", "unknown"):
        notes.append(f"cms {source.cms!r} is not a known extractor profile ({', '.join(sorted(known))})")
    return notes
