"""The contracts of extraction: what comes in (`RawPage`) and what goes out (`Article`)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from extractors.fingerprint import fingerprint

# the release part says what changed in words; the hash changes with any code or profile edit
EXTRACTOR_VERSION = f"extract-0.2.0+{fingerprint('extractors')}"

# Prose on a skipped page beyond which a person should check it (`pressflow skipped --likely-articles`)
LIKELY_ARTICLE_PROSE_CHARS = 150

PageKind = Literal["article", "listing", "error", "login", "empty"]


@dataclass(frozen=True)
class RawPage:
    """One page as fetched or read from a file, before any parsing."""

    body: bytes
    url: str | None = None
    final_url: str | None = None
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    fetched_at: datetime | None = None
    warc_record_id: str | None = None
    source_path: str | None = None

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def page_id(self) -> str:
        """The same bytes from the same address are the same page."""
        return hashlib.sha256((self.url or "").encode("utf-8") + b"\0" + self.body).hexdigest()[:24]

    @property
    def source(self) -> str:
        """Where the page came from, for messages: the file or the URL."""
        return self.source_path or self.url or f"page {self.page_id}"


@dataclass(frozen=True)
class Image:
    url: str
    caption: str | None = None


@dataclass(frozen=True)
class Article:
    """An article as the page presents it. `paragraphs` hold the body text only."""

    paragraphs: tuple[str, ...]
    title: str | None = None
    outlet: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    reporter: str | None = None
    reporter_email: str | None = None
    section: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    source_path: str | None = None
    images: tuple[Image, ...] = ()
    page_kind: PageKind = "article"
    content_hash: str | None = None
    encoding: str | None = None
    extractor_version: str = EXTRACTOR_VERSION
    notes: tuple[str, ...] = field(default=())
    # Why a page is not an article, and how much text it held: a skip must be checkable.
    # Set by the loader when another page with a different body already holds this article's
    # address-based id (two pages naming one shared address): their ids must differ.
    identity_salt: str | None = None
    skip_reason: str | None = None
    text_chars: int = 0   # visible text of the page
    prose_chars: int = 0  # of which lines that read as running prose

    @property
    def looks_like_article(self) -> bool:
        """A skipped page that still holds a paragraph's worth of prose deserves a look."""
        return self.prose_chars >= LIKELY_ARTICLE_PROSE_CHARS

    @property
    def body_hash(self) -> str:
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()[:16]

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def profile(self) -> str:
        """The extraction path that read it: a CMS profile with its version ('ndsoft/1'),
        'generic' (trafilatura and the densest block) or 'text-dump'."""
        named = next((note.removeprefix("profile:") for note in self.notes if note.startswith("profile:")), None)
        return named or ("generic" if "generic" in self.notes else "text-dump")

    @property
    def is_article(self) -> bool:
        return self.page_kind == "article"

    @property
    def article_id(self) -> str:
        """Stable id: from the canonical URL when the page gives one, else from the raw bytes."""
        key = self.canonical_url or self.url
        if key:
            if self.identity_salt:
                key += "\0" + self.identity_salt
            return "u" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        if self.content_hash:
            return "c" + self.content_hash[:16]
        return "b" + hashlib.sha256(self.body.encode("utf-8")).hexdigest()[:16]
