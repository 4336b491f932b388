"""Extract and analyse a batch of pages; every page ends as an article, a skipped page or
a failure with its reason. Shared by `ingest` and the nightly crawl.

Extraction runs in a child process (`extract_worker`) under the named `Limits`: a page over
max_page_bytes, with a line over max_line_chars, or that runs past extract_seconds is a
failure that names the limit, and the batch goes on."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from extractors import ExtractionError, extract
from extractors.extract import looks_like_html
from extractors.model import Article, RawPage
from nlp import analyse_batch
from nlp.model import Analysis
from pipelines.extract_worker import POOL
from pipelines.limits import Limits, human_bytes
from warehouse.load import BatchResult, PageFailure

log = logging.getLogger(__name__)


def _over_limits(page: RawPage, limits: Limits) -> str | None:
    """Why a page must not be extracted at all, or None."""
    if len(page.body) > limits.max_page_bytes:
        return (f"page too large: {human_bytes(len(page.body))} is over max_page_bytes={limits.max_page_bytes} "
                "(PRESSFLOW_MAX_PAGE_BYTES)")
    if not looks_like_html(page.body):  # HTML is often minified onto one line; its paragraphs are checked later
        longest = max(map(len, page.body.split(b"\n")), default=0)
        if longest > 4 * limits.max_line_chars:  # no UTF-8 or cp949 character takes more than 4 bytes
            return (f"line too long: a line of {human_bytes(longest)} is over max_line_chars={limits.max_line_chars} "
                    "(PRESSFLOW_MAX_LINE_CHARS)")
    return None


def _long_paragraph(article: Article, limits: Limits) -> str | None:
    longest = max(map(len, article.paragraphs), default=0)
    if longest > limits.max_line_chars:
        return (f"line too long: a paragraph of {longest} characters is over max_line_chars={limits.max_line_chars} "
                "(PRESSFLOW_MAX_LINE_CHARS)")
    return None


def process_pages(pages: Sequence[RawPage], user_dictionary: str | None = None,
                  limits: Limits | None = None) -> BatchResult:
    limits = limits or Limits.from_env()
    extracted: list[tuple[RawPage, Article]] = []
    skipped: list[tuple[RawPage, Article]] = []
    failures: list[PageFailure] = []
    worker = POOL.acquire(limits) if limits.extract_seconds > 0 else None
    try:
        for page in pages:
            outcome = _extract_one(page, limits, worker, failures)
            if outcome is None:
                continue
            if outcome.is_article:
                extracted.append((page, outcome))
            else:
                skipped.append((page, outcome))
    finally:
        if worker is not None:
            POOL.release(worker)
    analysed = _analyse(extracted, user_dictionary, failures)
    return BatchResult(tuple(pages), tuple(analysed), tuple(skipped), tuple(failures))


def _extract_one(page: RawPage, limits: Limits, worker, failures: list[PageFailure]  # type: ignore[no-untyped-def]
                 ) -> Article | None:
    if page.status is not None and page.status >= 400:
        failures.append(PageFailure(page.source, "fetch", f"HTTP {page.status}", page.page_id))
        return None
    problem = _over_limits(page, limits)
    if problem:
        failures.append(PageFailure(page.source, "extract", problem, page.page_id))
        return None
    try:
        article = worker.extract(page) if worker is not None else extract(page)
    except ExtractionError as error:
        failures.append(PageFailure(page.source, "extract", str(error), page.page_id))
        return None
    except Exception as error:  # a bug or a page no rule foresaw: keep it, report it, go on
        log.exception("extraction failed for %s", page.source)
        failures.append(PageFailure(page.source, "extract", f"{type(error).__name__}: {error}", page.page_id))
        return None
    problem = _long_paragraph(article, limits)
    if problem:
        failures.append(PageFailure(page.source, "extract", problem, page.page_id))
        return None
    return article


def _analyse(items: list[tuple[RawPage, Article]], user_dictionary: str | None,
             failures: list[PageFailure]) -> list[tuple[RawPage, Article, Analysis]]:
    if not items:
        return []
    try:
        analyses = analyse_batch([article for _, article in items], user_dictionary)
        return [(page, article, analysis) for (page, article), analysis in zip(items, analyses, strict=True)]
    except Exception:
        log.exception("batch analysis failed; analysing one article at a time")
    results = []
    for page, article in items:  # isolate the article that breaks the batch
        try:
            results.append((page, article, analyse_batch([article], user_dictionary)[0]))
        except Exception as error:
            failures.append(PageFailure(page.source, "analyse", f"{type(error).__name__}: {error}", page.page_id))
    return results
