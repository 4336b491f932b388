"""Prefect flows. `ingest` reads files; the nightly crawl hands its fetched pages to the
same `process_and_load` path. Tasks are batched (per chunk of pages), never one per page."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from extractors.model import EXTRACTOR_VERSION, RawPage
from nlp import analyse_batch
from nlp.model import ANALYSER_VERSION
from pipelines import inputs
from pipelines.process import process_pages
from warehouse import read, writing
from warehouse.load import BatchResult, PageFailure, finish_run, load_batch, record_failures, start_run
from warehouse.schema import publish_snapshot

BATCH_SIZE = 40


@dataclass
class RunSummary:
    run_id: str
    db: str
    pages: int = 0
    articles: int = 0
    skipped: int = 0
    failures: list[PageFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def page_batches(files: Sequence[Path], size: int = BATCH_SIZE) -> Iterator[tuple[list[RawPage], list[PageFailure]]]:
    """Pages read from the files a batch at a time, so a large folder or WARC never sits in memory whole."""
    pages: list[RawPage] = []
    failures: list[PageFailure] = []
    for path in files:
        file_pages, file_failures = inputs.read_file(path)
        pages.extend(file_pages)
        failures.extend(file_failures)
        while len(pages) >= size:
            yield pages[:size], failures
            pages, failures = pages[size:], []
    if pages or failures:
        yield pages, failures


@task(name="extract-analyse-load")
def process_and_load(pages: Sequence[RawPage], db: str, run_id: str,
                     user_dictionary: str | None = None) -> tuple[int, int, list[PageFailure]]:
    """One batch: extract, analyse, load in one transaction. Returns (articles, skipped, failures)."""
    batch = process_pages(pages, user_dictionary)
    with writing(db) as con:
        load_batch(con, run_id, batch)
    return len(batch.articles), len(batch.skipped), list(batch.failures)


@flow(name="ingest", log_prints=False)
def ingest_flow(paths: list[str], db: str, user_dictionary: str | None = None) -> RunSummary:
    """Files and folders (.txt dumps, .html, .warc) → extract → analyse → DuckDB."""
    logger = get_run_logger()
    run_id = f"ingest-{uuid.uuid4().hex[:12]}"
    summary = RunSummary(run_id=run_id, db=str(Path(db)))
    with writing(db) as con:
        start_run(con, run_id, "ingest", paths, EXTRACTOR_VERSION, ANALYSER_VERSION)
    found = inputs.expand(paths)
    logger.info("%d files to read", len(found.files))
    for number, (batch, read_failures) in enumerate(page_batches(found.files), 1):
        failures = [*found.failures, *read_failures] if number == 1 else read_failures
        summary.pages += len(batch)
        summary.failures.extend(failures)
        if failures:
            with writing(db) as con:
                record_failures(con, run_id, failures)  # at once: a crash later must not lose them
        for failure in failures:
            logger.warning("%s: %s", failure.source, failure.error)
        logger.info("batch %d: %d pages (%d so far)", number, len(batch), summary.pages)
        if not batch:
            continue
        try:
            articles, skipped, batch_failures = process_and_load(batch, db, run_id, user_dictionary)
        except Exception as error:  # a batch that cannot be loaded is reported; the others still load
            logger.exception("batch of %d pages failed", len(batch))
            articles, skipped = 0, 0
            batch_failures = [PageFailure(page.source, "load", f"{type(error).__name__}: {error}", page.page_id)
                              for page in batch]
            with writing(db) as con:
                record_failures(con, run_id, batch_failures)
        summary.articles += articles
        summary.skipped += skipped
        summary.failures.extend(batch_failures)
        for failure in batch_failures:
            logger.warning("%s: %s failed: %s", failure.source, failure.stage, failure.error)
    with writing(db) as con:
        finish_run(con, run_id, summary.pages, summary.articles, summary.skipped, len(summary.failures))
    publish_snapshot(db)
    create_markdown_artifact(key="ingest-summary", markdown=_markdown(summary),
                             description="pressflow ingest run summary")
    logger.info("run %s: %d pages, %d articles, %d skipped, %d failures", run_id, summary.pages,
                summary.articles, summary.skipped, len(summary.failures))
    return summary


@task(name="reanalyse-load")
def reanalyse_and_load(page_ids: Sequence[str], db: str, run_id: str, user_dictionary: str | None = None
                       ) -> tuple[int, int, list[PageFailure]]:
    """Analysis only: the stored articles of these pages, analysed again and replaced."""
    with writing(db) as con:  # short windows: read, then analyse with the file free, then write
        pages = {page.page_id: page for page in read.raw_pages(con, list(page_ids))}
        articles = read.stored_articles(con, list(page_ids))
    items = [(pages[pid], replace(article, content_hash=pages[pid].content_hash))
             for pid, article in articles.items() if pid in pages]
    analyses = analyse_batch([article for _, article in items], user_dictionary)
    batch = BatchResult((), tuple((page, article, analysis) for (page, article), analysis
                                  in zip(items, analyses, strict=True)), (), ())
    with writing(db) as con:
        load_batch(con, run_id, batch)
    return len(batch.articles), 0, []


@flow(name="reprocess", log_prints=False)
def reprocess_flow(db: str, stage: str = "extract", where: str | None = None,
                   user_dictionary: str | None = None) -> RunSummary:
    """Re-run extraction and analysis (stage 'extract') or analysis only (stage 'analyse') on
    the pages kept in the warehouse, after a version change; nothing is fetched again."""
    logger = get_run_logger()
    run_id = f"reprocess-{uuid.uuid4().hex[:12]}"
    summary = RunSummary(run_id=run_id, db=str(Path(db)))
    with writing(db) as con:
        read.check_where(con, where)
        ids = read.page_ids(con, where, every_page=stage == "extract")
        start_run(con, run_id, "reprocess", [f"stage={stage}", f"where={where or ''}"], EXTRACTOR_VERSION,
                  ANALYSER_VERSION)
    summary.pages = len(ids)
    batches = [ids[start:start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]
    for number, batch_ids in enumerate(batches, 1):
        if stage == "extract":
            with writing(db) as con:
                pages = read.raw_pages(con, list(batch_ids))
            articles, skipped, failures = process_and_load(pages, db, run_id, user_dictionary)
        else:
            articles, skipped, failures = reanalyse_and_load(batch_ids, db, run_id, user_dictionary)
        summary.articles += articles
        summary.skipped += skipped
        summary.failures.extend(failures)
        logger.info("reprocess %s: batch %d/%d done (%d articles so far)", stage, number, len(batches),
                    summary.articles)
    with writing(db) as con:
        finish_run(con, run_id, summary.pages, summary.articles, summary.skipped, len(summary.failures))
    publish_snapshot(db)
    create_markdown_artifact(key="reprocess-summary", markdown=_markdown(summary),
                             description="pressflow reprocess run summary")
    return summary


def _markdown(summary: RunSummary) -> str:
    lines = [f"# pressflow run `{summary.run_id}`", "",
             "| pages | articles | not articles | failures |", "|---|---|---|---|",
             f"| {summary.pages} | {summary.articles} | {summary.skipped} | {len(summary.failures)} |"]
    if summary.failures:
        lines += ["", "| input | stage | problem |", "|---|---|---|"]
        lines += [f"| {f.source} | {f.stage} | {f.error} |" for f in summary.failures]
    return "\n".join(lines)
