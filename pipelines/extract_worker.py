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
import os
import signal
import subprocess
import sys
import threading
from contextlib import suppress
from multiprocessing.connection import Connection

from extractors import Article, ExtractionError, RawPage
from pipelines.limits import Limits, human_bytes

_PR_SET_PDEATHSIG = 1


class ExtractionLimitError(ExtractionError):
    """A page stopped because it ran over a named limit."""


def _prctl():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# resolved once, here: a preexec_fn runs between fork and exec, where loading a library is unsafe
_PRCTL = _prctl()


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when the thread that started it ends (Linux;
    elsewhere the end-of-pipe check in _serve still ends an extraction child)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _serve(memory_bytes: int) -> None:  # pragma: no cover - runs in the child
    """The child's loop: pages in on stdin, results out on the original stdout (anything a
    library prints goes to stderr instead, so it cannot corrupt the messages)."""
    import os
    from multiprocessing.connection import Connection as Conn

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a run stops
    inbox = Conn(os.dup(0), writable=False)
    outbox = Conn(os.dup(1), readable=False)
    os.dup2(2, 1)
    if memory_bytes:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    from extractors import extract

    while True:
        try:
            page = inbox.recv()
        except (EOFError, OSError):
            return
        try:
            outbox.send(("ok", extract(page)))
        except ExtractionError as error:
            outbox.send(("extraction", str(error)))
        except MemoryError:
            outbox.send(("memory", ""))
        except Exception as error:  # a bug or a page no rule foresaw: the parent reports it
            outbox.send(("error", f"{type(error).__name__}: {error}"))


class ExtractionWorker:
    """One child process; `extract` sends it a page and waits at most the time limit.

    The child is `python -m pipelines.extract_worker`, not a multiprocessing child: that would
    re-run the parent's main module, which fails or repeats work under stdin scripts, notebooks
    and some runners."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.process: subprocess.Popen[bytes] | None = None
        self.inbox: Connection | None = None
        self.outbox: Connection | None = None

    def _start(self) -> None:
        process = subprocess.Popen([sys.executable, "-m", "pipelines.extract_worker",
                                    str(self.limits.extract_memory_bytes)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        assert process.stdin is not None and process.stdout is not None
        self.outbox = Connection(os.dup(process.stdin.fileno()), readable=False)
        self.inbox = Connection(os.dup(process.stdout.fileno()), writable=False)
        process.stdin.close()
        process.stdout.close()
        self.process = process

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def stop(self) -> None:
        for conn in (self.inbox, self.outbox):
            if conn is not None:
                conn.close()
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        self.process, self.inbox, self.outbox = None, None, None

    def extract(self, page: RawPage) -> Article:
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self._start()
        assert self.inbox is not None and self.outbox is not None and self.process is not None
        try:
            self.outbox.send(page)
            if not self.inbox.poll(self.limits.extract_seconds):
                self.stop()
                raise ExtractionLimitError(
                    f"extraction took longer than extract_seconds={self.limits.extract_seconds:g} "
                    "(PRESSFLOW_EXTRACT_SECONDS); stopped")
            kind, value = self.inbox.recv()
        except (EOFError, OSError) as error:
            try:
                code = self.process.wait(2)
            except subprocess.TimeoutExpired:
                code = None
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
                f"extraction needed more than extract_memory_bytes={self.limits.extract_memory_bytes} "
                f"({human_bytes(self.limits.extract_memory_bytes)}, PRESSFLOW_EXTRACT_MEMORY_BYTES); stopped")
        if kind == "extraction":
            raise ExtractionError(value)
        raise ExtractionError(value)  # a bug or a page no rule foresaw, as the child reported it


class WorkerPool:
    """Idle workers, one taken per calling thread at a time (the crawl loads from threads)."""

    def __init__(self, max_idle: int = 2) -> None:
        self.max_idle = max_idle
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
            while len(self._idle) > self.max_idle:  # each idle child holds its imports (~75 MB)
                oldest = self._idle.pop(0)
                oldest.stop()
                self._all.remove(oldest)

    def close(self) -> None:
        with self._lock:
            for worker in self._all:
                worker.stop()
            self._idle.clear()
            self._all.clear()


POOL = WorkerPool()
atexit.register(POOL.close)


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
