"""Extract and analyse a batch of pages; every page ends as an article, a skipped page or
a failure with its reason. Shared by `ingest` and the nightly crawl."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from extractors import ExtractionError, extract
from extractors.model import Article, RawPage
from nlp import analyse_batch
from nlp.model import Analysis
from warehouse.load import BatchResult, PageFailure

log = logging.getLogger(__name__)


def process_pages(pages: Sequence[RawPage], user_dictionary: str | None = None) -> BatchResult:
    extracted: list[tuple[RawPage, Article]] = []
    skipped: list[tuple[RawPage, Article]] = []
    failures: list[PageFailure] = []
    for page in pages:
        if page.status is not None and page.status >= 400:
            failures.append(PageFailure(page.source, "fetch", f"HTTP {page.status}", page.page_id))
            continue
        try:
            article = extract(page)
        except ExtractionError as error:
            failures.append(PageFailure(page.source, "extract", str(error), page.page_id))
            continue
        except Exception as error:  # a bug or a page no rule foresaw: keep it, report it, go on
            log.exception("extraction failed for %s", page.source)
            failures.append(PageFailure(page.source, "extract", f"{type(error).__name__}: {error}", page.page_id))
            continue
        if article.is_article:
            extracted.append((page, article))
        else:
            skipped.append((page, article))
    analysed = _analyse(extracted, user_dictionary, failures)
    return BatchResult(tuple(pages), tuple(analysed), tuple(skipped), tuple(failures))


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
