"""Extraction where it can be stopped: a child process per calling thread that extracts one
page at a time. A page that runs past `extract_seconds`, or needs more memory than
`extract_memory_bytes`, costs that page only: the child is killed, the page becomes a failure
that names the limit, and the next page gets a fresh child. The parent waits in a poll that
signals interrupt, so SIGTERM stops a run within seconds even while a page is stuck in C code.

Children die with their parent (PR_SET_PDEATHSIG on Linux, and an end-of-pipe check), so a
`kill -9` of the run leaves nothing behind."""
from __future__ import annotations

import atexit
import ctypes
import multiprocessing
import signal
import sys
import threading
from multiprocessing.connection import Connection

from extractors import Article, ExtractionError, RawPage
from pipelines.limits import Limits, human_bytes

_PR_SET_PDEATHSIG = 1


class ExtractionLimitError(ExtractionError):
    """A page stopped because it ran over a named limit."""


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except OSError:  # not glibc: the end-of-pipe check below still ends the child
            pass


def _serve(conn: Connection, memory_bytes: int) -> None:  # pragma: no cover - runs in the child
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a run stops
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from extractors import extract

    while True:
        try:
            page = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", extract(page)))
        except ExtractionError as error:
            conn.send(("extraction", str(error)))
        except MemoryError:
            conn.send(("memory", ""))
        except Exception as error:  # a bug or a page no rule foresaw: the parent reports it
            conn.send(("error", f"{type(error).__name__}: {error}"))


class ExtractionWorker:
    """One child process; `extract` sends it a page and waits at most the time limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: Connection | None = None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, self.limits.extract_memory_bytes),
                                  name="pressflow-extract", daemon=True)
        process.start()
        child.close()
        self.process, self.conn = process, parent

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
        self.process, self.conn = None, None

    def extract(self, page: RawPage) -> Article:
        if self.process is None or not self.process.is_alive():
            self.stop()
            self._start()
        assert self.conn is not None and self.process is not None
        try:
            self.conn.send(page)
            if not self.conn.poll(self.limits.extract_seconds):
                self.stop()
                raise ExtractionLimitError(
                    f"extraction took longer than extract_seconds={self.limits.extract_seconds:g} "
                    "(PRESSFLOW_EXTRACT_SECONDS); stopped")
            kind, value = self.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as error:
            code = self.process.exitcode if self.process is not None else None
            self.stop()
            if code is not None and code < 0 and -code == signal.SIGKILL:
                raise ExtractionLimitError("the extraction process was killed (out of memory?)") from error
            raise ExtractionError(f"the extraction process died (exit {code})") from error
        except BaseException:  # a signal (SIGTERM, Ctrl-C) while waiting: the child's state is unknown
            self.stop()
            raise
        if kind == "ok":
            return value
        if kind == "memory":
            self.stop()  # a child that ran out of memory may be in a bad state
            raise ExtractionLimitError(
                f"extraction needed more than extract_memory_bytes={human_bytes(self.limits.extract_memory_bytes)} "
                "(PRESSFLOW_EXTRACT_MEMORY_BYTES); stopped")
        if kind == "extraction":
            raise ExtractionError(value)
        raise ExtractionError(value)  # a bug or a page no rule foresaw, as the child reported it


class WorkerPool:
    """Idle workers, one taken per calling thread at a time (the crawl loads from threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[ExtractionWorker] = []
        self._all: list[ExtractionWorker] = []

    def acquire(self, limits: Limits) -> ExtractionWorker:
        with self._lock:
            for index, worker in enumerate(self._idle):
                if worker.limits == limits:
                    return self._idle.pop(index)
            worker = ExtractionWorker(limits)
            self._all.append(worker)
            return worker

    def release(self, worker: ExtractionWorker) -> None:
        with self._lock:
            self._idle.append(worker)

    def close(self) -> None:
        with self._lock:
            for worker in self._all:
                worker.stop()
            self._idle.clear()
            self._all.clear()


POOL = WorkerPool()
atexit.register(POOL.close)
