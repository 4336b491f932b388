"""One writer per database, across every worker of a team's Prefect server.

DuckDB lets one process write a file at a time; a second writer waits on the lock (60 s) and then
fails. On a shared Prefect server the guard is a global concurrency limit of 1 named after the
database's absolute path (`writer_limit_name`): every flow that writes (crawl, ingest, reprocess)
takes its slot for the length of the run, so a manual ingest queues behind the nightly crawl instead
of failing. The limit is created by `pressflow serve` or `pressflow writer-limit --create`; where it
does not exist (a laptop, Prefect's temporary server) nothing is taken. A run killed with kill -9
keeps its slot only until its lease lapses (LEASE_SECONDS)."""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PREFIX = "pressflow-writer-"
LEASE_SECONDS = 60.0  # renewed every 45 s while the run lives; a killed run's slot frees within a minute


def writer_limit_name(db: str | Path) -> str:
    """`pressflow-writer-<file stem>-<hash of the absolute path>`: one name per database file, the same
    from every working directory; Prefect names allow letters, digits, '-' and '_'."""
    path = Path(db).expanduser().resolve()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-")[:40] or "db"
    return f"{PREFIX}{stem}-{hashlib.sha256(str(path).encode('utf-8')).hexdigest()[:10]}"


def ensure_writer_limit(db: str | Path) -> str:
    """Create (or set back to 1) the database's writer limit on the configured Prefect server."""
    from prefect.client.orchestration import get_client

    name = writer_limit_name(db)
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(name, 1)
    return name


def _limit_exists(name: str) -> bool:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            return False
    return True


@contextmanager
def writer_slot(db: str | Path, logger: logging.Logger | logging.LoggerAdapter | Any) -> Iterator[str | None]:
    """Hold the database's writer slot for the block, when its limit exists; yields its name or None."""
    from prefect.concurrency.sync import concurrency

    name = writer_limit_name(db)
    try:
        exists = _limit_exists(name)
    except Exception as error:  # no server reachable: the run goes on, unguarded
        logger.warning("could not look up the writer limit %s (%s): running without it", name, error)
        exists = False
    if not exists:
        yield None
        return
    logger.info("taking the writer slot %s (one writer per database)", name)
    with concurrency(name, occupy=1, lease_duration=LEASE_SECONDS, strict=True,
                     raise_on_lease_renewal_failure=False):
        yield name
