"""Prefect flows: `ingest` and `reprocess` wrap the plain runs in `pipelines.runs`; the nightly
crawl hands its fetched pages to the same `process_and_load` task. Tasks are batched (per
chunk of pages), never one per page.

These are used when a Prefect server is configured (PREFECT_API_URL), by `crawl`/`serve`
and by deployments; the local commands call `pipelines.runs` directly (see `pipelines.cli`)."""
from __future__ import annotations

import os
from collections.abc import Sequence

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from extractors.model import RawPage
from pipelines.runs import BATCH_SIZE, RunSummary, load_pages, markdown, page_batches, reanalyse_pages
from pipelines.runs import ingest_run as _ingest_run
from pipelines.runs import reprocess_run as _reprocess_run
from pipelines.writer_slot import writer_slot
from warehouse.load import PageFailure

__all__ = ["BATCH_SIZE", "RunSummary", "ingest_flow", "page_batches", "process_and_load", "reprocess_flow"]


@task(name="extract-analyse-load")
def process_and_load(pages: Sequence[RawPage], db: str, run_id: str,
                     user_dictionary: str | None = None) -> tuple[int, int, list[PageFailure]]:
    """One batch: extract, analyse, load in one transaction. Returns (articles, skipped, failures)."""
    return load_pages(pages, db, run_id, user_dictionary)


@task(name="reanalyse-load")
def reanalyse_and_load(page_ids: Sequence[str], db: str, run_id: str, user_dictionary: str | None = None
                       ) -> tuple[int, int, list[PageFailure]]:
    """Analysis only: the stored articles of these pages, analysed again and replaced."""
    return reanalyse_pages(page_ids, db, run_id, user_dictionary)


@flow(name="ingest", log_prints=False)
def ingest_flow(paths: list[str], db: str, user_dictionary: str | None = None) -> RunSummary:
    """Files and folders (.txt dumps, .html, .warc) → extract → analyse → DuckDB."""
    with writer_slot(db, get_run_logger()):
        summary = _ingest_run(paths, db, user_dictionary, logger=get_run_logger(), load=process_and_load)
    create_markdown_artifact(key="ingest-summary", markdown=markdown(summary),
                             description="pressflow ingest run summary")
    return summary


@flow(name="reprocess", log_prints=False)
def reprocess_flow(db: str, stage: str = "extract", where: str | None = None,
                   user_dictionary: str | None = None) -> RunSummary:
    """Re-run extraction and analysis (stage 'extract') or analysis only (stage 'analyse') on
    the pages kept in the warehouse, after a version change; nothing is fetched again."""
    with writer_slot(db, get_run_logger()):
        summary = _reprocess_run(db, stage, where, user_dictionary, logger=get_run_logger())
    create_markdown_artifact(key="reprocess-summary", markdown=markdown(summary),
                             description="pressflow reprocess run summary")
    return summary
