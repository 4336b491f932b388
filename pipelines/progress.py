"""How far a run is: a rich progress bar with its total and ETA on a terminal, nothing elsewhere.

The runs (ingest, reprocess, the crawl's source tasks and loader) report to `current()`, a module-level
sink that threads share (the crawl's sources run in Prefect's worker threads). By default it only
keeps the counts, which the runs' log lines quote ("12 of 340 files, about 3 min left"). The CLI
installs a bar with `showing(...)` when stdout and stderr are terminals and --quiet was not given:
piped, redirected or under test, a run prints its log lines and its final summary, no bar."""
from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Tally:
    """The counts of a run's progress; the silent sink and the base of the bar."""

    def __init__(self) -> None:
        self.total: float | None = None
        self.done = 0.0
        self.unit = ""
        self.fields: dict[str, Any] = {}
        self.started = time.monotonic()
        self._lock = threading.Lock()

    def start(self, description: str, total: float | None, unit: str = "") -> None:
        with self._lock:
            self.total, self.done, self.unit, self.started = total, 0.0, unit, time.monotonic()
            self.fields = {}
        self._refresh(description)

    def add_total(self, amount: float) -> None:
        """More work became known (a crawl's source finished its discovery)."""
        with self._lock:
            self.total = (self.total or 0) + amount
        self._refresh()

    def advance(self, amount: float = 1, **fields: Any) -> None:
        """`amount` more done; `fields` add to counters shown beside the bar (articles=40)."""
        with self._lock:
            self.done += amount
            for key, value in fields.items():
                self.fields[key] = self.fields.get(key, 0) + value
        self._refresh()

    def eta_seconds(self) -> float | None:
        if not self.total or self.done <= 0 or self.done >= self.total:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed * (self.total - self.done) / self.done

    def amount(self) -> str:
        """'3.1 MB of 12 MB', '120 of 400 pages'; '' when the total is unknown."""
        if not self.total:
            return ""
        if self.unit == "bytes":
            return f"{_size(self.done)} of {_size(self.total)}"
        return f"{self.done:.0f} of {self.total:.0f} {self.unit}".rstrip()

    def describe(self) -> str:
        """'3.1 MB of 12 MB, about 3 min left' for log lines; '' when the total is unknown."""
        eta = self.eta_seconds()
        return self.amount() + (f", about {_duration(eta)} left" if eta is not None and self.amount() else "")

    def _refresh(self, description: str | None = None) -> None:
        pass


def _size(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


class Bar(Tally):
    """A rich progress bar on stderr: description, bar, done/total, elapsed, ETA and the counters."""

    def __init__(self, console: Any) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        super().__init__()
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[amount]}"),
                                 TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                 TextColumn("{task.fields[counts]}"),
                                 console=console, transient=True, refresh_per_second=4)
        self.task = self.progress.add_task("", total=None, amount="", counts="")
        self.progress.start()

    def _refresh(self, description: str | None = None) -> None:
        counts = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in self.fields.items())
        update: dict[str, Any] = {"total": self.total, "completed": self.done, "amount": self.amount(),
                                  "counts": counts}
        if description is not None:
            update["description"] = description
        self.progress.update(self.task, **update)

    def stop(self) -> None:
        self.progress.stop()


_current: Tally = Tally()


def current() -> Tally:
    return _current


class _Stderr:
    """sys.stderr looked up at each write: while the bar shows, rich swaps in a proxy that prints
    above the bar, and log handlers made before must write through it too."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


STDERR = _Stderr()


def terminal() -> bool:
    """A person is watching: stdout and stderr are both terminals."""
    return sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def showing(enabled: bool, hold_info: bool = True) -> Iterator[Tally]:
    """A bar for the length of the block when `enabled`; the silent tally otherwise. While the bar shows,
    the runs' INFO lines (which it replaces) are held back; warnings still print, above it."""
    global _current
    if not enabled:
        _current = Tally()
        yield _current
        return
    from rich.console import Console

    bar = Bar(Console(stderr=True))
    names = ("pressflow", "prefect", "prefect.extra", "prefect.flow_runs", "prefect.task_runs")
    quieted = [(logger, logger.level) for logger in map(logging.getLogger, names)
               if hold_info and logger.getEffectiveLevel() < logging.WARNING]
    for logger, _ in quieted:
        logger.setLevel(logging.WARNING)
    _current = bar
    try:
        yield bar
    finally:
        bar.stop()
        _current = Tally()
        for logger, level in quieted:
            logger.setLevel(level)
