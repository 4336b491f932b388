"""The runs themselves, as plain functions: `ingest` reads files, `reprocess` re-reads stored
pages. The Prefect flows in `flows.py` wrap these same functions; local commands call them
directly, so they need no Prefect server (see `pipelines.cli`).

A run always ends closed: 'ok' or 'failures' when it finishes, 'cancelled' when SIGTERM or
Ctrl-C stops it (what it loaded is kept, the snapshot is published), 'crashed' when an error
escapes; a run killed outright (kill -9) is closed as 'crashed' by the next run."""
from __future__ import annotations

import logging
import signal
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from extractors.model import EXTRACTOR_VERSION, RawPage
from nlp import analyse_batch
from nlp.model import ANALYSER_VERSION
from pipelines import inputs, progress
from pipelines.limits import Limits
from pipelines.process import process_pages
from pipelines.user_dict import check_user_dictionary
from warehouse import read, reading, writing
from warehouse.load import BatchResult, PageFailure, finish_run, load_batch, record_failures, start_run
from warehouse.schema import publish_snapshot

BATCH_SIZE = 40
log = logging.getLogger("pressflow")


class RunCancelled(BaseException):  # noqa: N818 - a BaseException, like KeyboardInterrupt, so no `except Exception` eats it
    """SIGTERM (or Ctrl-C) asked the run to stop."""

    def __init__(self, signal_name: str) -> None:
        super().__init__(signal_name)
        self.signal_name = signal_name


@dataclass
class RunSummary:
    run_id: str
    db: str
    pages: int = 0
    articles: int = 0
    skipped: int = 0
    failures: list[PageFailure] = field(default_factory=list)
    status: str = "running"
    crashed_runs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


class _Stopper:
    """SIGTERM/SIGINT raise RunCancelled at once, except inside `protected()` (a batch being
    written), where they are held until the write is committed."""

    def __init__(self) -> None:
        self.requested: str | None = None
        self.depth = 0

    def handle(self, signum: int, _frame: Any) -> None:
        self.requested = signal.Signals(signum).name
        if self.depth == 0:
            raise RunCancelled(self.requested)

    @contextmanager
    def protected(self) -> Iterator[None]:
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if self.depth == 0 and self.requested:
            raise RunCancelled(self.requested)


@contextmanager
def stop_on_signals() -> Iterator[_Stopper]:
    """Turn SIGTERM and SIGINT into RunCancelled for the length of a run (main thread only:
    elsewhere, e.g. inside a Prefect worker thread, the caller's own handling stays)."""
    stopper = _Stopper()
    if threading.current_thread() is not threading.main_thread():
        yield stopper
        return
    previous = {sig: signal.signal(sig, stopper.handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stopper
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _so_far(tally: progress.Tally) -> str:
    said = tally.describe()
    return f"; {said}" if said else ""


class _ReadBytes:
    """Bytes of the files the reader is done with, counted on the bar once their batch is loaded."""

    def __init__(self) -> None:
        self.waiting = 0

    def files(self, paths: Sequence[Path]) -> Iterator[Path]:
        for path in paths:
            yield path
            self.waiting += _size(path)  # the reader asks for the next file: this one is read

    def take(self) -> int:
        taken, self.waiting = self.waiting, 0
        return taken


def page_batches(files: Iterable[Path], size: int = BATCH_SIZE, limits: Limits | None = None
                 ) -> Iterator[tuple[list[RawPage], list[PageFailure]]]:
    """Pages read from the files a batch at a time, so a large folder or WARC never sits in memory whole."""
    limits = limits or Limits.from_env()
    pages: list[RawPage] = []
    failures: list[PageFailure] = []
    for path in files:
        file_pages, file_failures = inputs.read_file(path, limits)
        pages.extend(file_pages)
        failures.extend(file_failures)
        while len(pages) >= size:
            yield pages[:size], failures
            pages, failures = pages[size:], []
    if pages or failures:
        yield pages, failures


def load_pages(pages: Sequence[RawPage], db: str, run_id: str, user_dictionary: str | None = None,
               limits: Limits | None = None, stopper: _Stopper | None = None) -> tuple[int, int, list[PageFailure]]:
    """One batch: extract, analyse, load in one transaction. Returns (articles, skipped, failures)."""
    batch = process_pages(pages, user_dictionary, limits)
    with stopper.protected() if stopper else _nothing(), writing(db) as con:
        load_batch(con, run_id, batch)
    return len(batch.articles), len(batch.skipped), list(batch.failures)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _record(db: str, run_id: str, failures: Sequence[PageFailure], stopper: _Stopper) -> None:
    if failures:
        with stopper.protected(), writing(db) as con:
            record_failures(con, run_id, failures)  # at once: a crash later must not lose them


@contextmanager
def _closing(summary: RunSummary, logger: Any) -> Iterator[_Stopper]:
    """Close the run whatever happens: finished, cancelled by a signal, or crashed by an error."""
    with stop_on_signals() as stopper:
        try:
            yield stopper
        except RunCancelled as stop:
            summary.status = "cancelled"
            _finish(summary, "cancelled", f"stopped by {stop.signal_name}; the batches loaded before it are kept",
                    stopper)
            logger.warning("run %s cancelled by %s: %d articles loaded are kept", summary.run_id,
                           stop.signal_name, summary.articles)
            raise
        except BaseException as error:
            summary.status = "crashed"
            with suppress(Exception):
                _finish(summary, "crashed", f"{type(error).__name__}: {error}"[:500], stopper)
            raise
        summary.status = "failures" if summary.failures else "ok"
        _finish(summary, None, None, stopper)


def _finish(summary: RunSummary, status: str | None, note: str | None, stopper: _Stopper) -> None:
    stopper.depth += 1  # a second SIGTERM must not interrupt the closing write
    try:
        with writing(summary.db) as con:
            finish_run(con, summary.run_id, summary.pages, summary.articles, summary.skipped,
                       len(summary.failures), status, note)
        publish_snapshot(summary.db)
    finally:
        stopper.depth -= 1


def ingest_run(paths: list[str], db: str, user_dictionary: str | None = None, *, limits: Limits | None = None,
               logger: Any = log, load: Callable[..., tuple[int, int, list[PageFailure]]] | None = None
               ) -> RunSummary:
    """Files and folders (.txt dumps, .html, .warc) → extract → analyse → DuckDB."""
    check_user_dictionary(user_dictionary)  # a bad row is one error before the run, not one per page
    limits = limits or Limits.from_env()
    run_id = f"ingest-{uuid.uuid4().hex[:12]}"
    summary = RunSummary(run_id=run_id, db=str(Path(db)))
    with writing(db) as con:
        summary.crashed_runs = start_run(con, run_id, "ingest", paths, EXTRACTOR_VERSION, ANALYSER_VERSION)
    for crashed in summary.crashed_runs:
        logger.warning("run %s had been left running by a process that is gone: closed as crashed", crashed)
    with _closing(summary, logger) as stopper:
        found = inputs.expand(paths)
        tally = progress.current()
        tally.start("ingest", sum(_size(path) for path in found.files), "bytes")
        logger.info("%d files to read (%s)", len(found.files), tally.amount().rpartition(" of ")[2] or "empty")
        summary.failures.extend(found.failures)
        _record(db, run_id, found.failures, stopper)  # before any page: a path alone that fails is still a row
        for failure in found.failures:
            logger.warning("%s: %s", failure.source, failure.error)
        read_bytes = _ReadBytes()
        for number, (batch, read_failures) in enumerate(page_batches(read_bytes.files(found.files), limits=limits),
                                                        1):
            summary.pages += len(batch)
            summary.failures.extend(read_failures)
            _record(db, run_id, read_failures, stopper)
            for failure in read_failures:
                logger.warning("%s: %s", failure.source, failure.error)
            if not batch:
                continue
            try:
                if load is not None:
                    articles, skipped, batch_failures = load(batch, db, run_id, user_dictionary)
                else:
                    articles, skipped, batch_failures = load_pages(batch, db, run_id, user_dictionary, limits, stopper)
            except Exception as error:  # a batch that cannot be loaded is reported; the others still load
                logger.exception("batch of %d pages failed", len(batch))
                articles, skipped = 0, 0
                batch_failures = [PageFailure(page.source, "load", f"{type(error).__name__}: {error}", page.page_id)
                                  for page in batch]
                _record(db, run_id, batch_failures, stopper)
            summary.articles += articles
            summary.skipped += skipped
            summary.failures.extend(batch_failures)
            for failure in batch_failures:
                logger.warning("%s: %s failed: %s", failure.source, failure.stage, failure.error)
            tally.advance(read_bytes.take(), pages=len(batch), articles=articles, not_articles=skipped,
                          failures=len(batch_failures) + len(read_failures))
            logger.info("batch %d loaded: %d pages (%d so far), %d articles so far%s", number, len(batch),
                        summary.pages, summary.articles, _so_far(tally))
    logger.info("run %s: %d pages, %d articles, %d skipped, %d failures", run_id, summary.pages,
                summary.articles, summary.skipped, len(summary.failures))
    return summary


def reanalyse_pages(page_ids: Sequence[str], db: str, run_id: str, user_dictionary: str | None = None,
                    stopper: _Stopper | None = None) -> tuple[int, int, list[PageFailure]]:
    """Analysis only: the stored articles of these pages, analysed again and replaced."""
    with writing(db) as con:  # short windows: read, then analyse with the file free, then write
        pages = {page.page_id: page for page in read.raw_pages(con, list(page_ids))}
        articles = read.stored_articles(con, list(page_ids))
    items = [(pages[pid], replace(article, content_hash=pages[pid].content_hash))
             for pid, article in articles.items() if pid in pages]
    analyses = analyse_batch([article for _, article in items], user_dictionary)
    batch = BatchResult((), tuple((page, article, analysis) for (page, article), analysis
                                  in zip(items, analyses, strict=True)), (), ())
    with stopper.protected() if stopper else _nothing(), writing(db) as con:
        load_batch(con, run_id, batch)
    return len(batch.articles), 0, []


def reprocess_run(db: str, stage: str = "extract", where: str | None = None, user_dictionary: str | None = None,
                  *, limits: Limits | None = None, logger: Any = log) -> RunSummary:
    """Re-run extraction and analysis (stage 'extract') or analysis only (stage 'analyse') on
    the pages kept in the warehouse, after a version change; nothing is fetched again."""
    check_user_dictionary(user_dictionary)
    limits = limits or Limits.from_env()
    run_id = f"reprocess-{uuid.uuid4().hex[:12]}"
    summary = RunSummary(run_id=run_id, db=str(Path(db)))
    with writing(db):  # brings an older file to the current schema
        pass
    with reading(db) as con:  # the --where clause is SQL from outside: it runs read-only and sandboxed
        read.check_where(con, where)
        ids = read.page_ids(con, where, every_page=stage == "extract")
    with writing(db) as con:
        summary.crashed_runs = start_run(con, run_id, "reprocess", [f"stage={stage}", f"where={where or ''}"],
                                         EXTRACTOR_VERSION, ANALYSER_VERSION)
    summary.pages = len(ids)
    batches = [ids[start:start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]
    tally = progress.current()
    tally.start(f"reprocess ({stage})", len(ids), "pages")
    with _closing(summary, logger) as stopper:
        for number, batch_ids in enumerate(batches, 1):
            if stage == "extract":
                with writing(db) as con:
                    pages = read.raw_pages(con, list(batch_ids))
                articles, skipped, failures = load_pages(pages, db, run_id, user_dictionary, limits, stopper)
            else:
                articles, skipped, failures = reanalyse_pages(batch_ids, db, run_id, user_dictionary, stopper)
            summary.articles += articles
            summary.skipped += skipped
            summary.failures.extend(failures)
            tally.advance(len(batch_ids), articles=articles, not_articles=skipped, failures=len(failures))
            logger.info("reprocess %s: batch %d/%d done (%d articles so far)%s", stage, number, len(batches),
                        summary.articles, _so_far(tally))
    return summary


def markdown(summary: RunSummary) -> str:
    lines = [f"# pressflow run `{summary.run_id}`", "",
             "| pages | articles | not articles | failures |", "|---|---|---|---|",
             f"| {summary.pages} | {summary.articles} | {summary.skipped} | {len(summary.failures)} |"]
    if summary.failures:
        lines += ["", "| input | stage | problem |", "|---|---|---|"]
        lines += [f"| {f.source} | {f.stage} | {f.error} |" for f in summary.failures]
    return "\n".join(lines)
