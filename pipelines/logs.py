"""How much a command says: `pressflow --log-level LEVEL` and `--quiet` (global options).

The level applies to pressflow's own log lines and to Prefect's (flow and task run lines, client
warnings); --quiet is ERROR and no progress bar, so only the final summary and errors remain.
Without either option PRESSFLOW_LOG_LEVEL (default INFO) and Prefect's own settings hold."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from pipelines import progress

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
PREFECT_LOGGERS = ("prefect", "prefect.extra", "prefect.client", "prefect.flow_runs", "prefect.task_runs")

_chosen: str | None = None
_quiet = False


def choose(level: str | None, quiet: bool) -> None:
    """The global options, once per command."""
    global _chosen, _quiet
    _quiet = quiet
    _chosen = "ERROR" if quiet and level is None else (level.upper() if level else None)


def level() -> str:
    """pressflow's level: the option, else PRESSFLOW_LOG_LEVEL, else INFO."""
    return _chosen or os.environ.get("PRESSFLOW_LOG_LEVEL", "INFO").upper()


def show_bar() -> bool:
    return not _quiet and progress.terminal()


@contextmanager
def run_output(bar: bool = True) -> Iterator[progress.Tally]:
    """Around a run: Prefect's loggers at the chosen level (restored after; Prefect must be imported
    before, or its own configuration would reset them), and the bar when a person is watching."""
    saved = [(logger, logger.level) for logger in map(logging.getLogger, PREFECT_LOGGERS)]
    if _chosen:
        for logger, _ in saved:
            if logger.name in ("prefect", "prefect.extra", "prefect.client"):
                logger.setLevel(_chosen)
    try:
        with progress.showing(bar and show_bar(), hold_info=_chosen is None) as tally:
            yield tally
    finally:
        for logger, previous in saved:
            logger.setLevel(previous)
