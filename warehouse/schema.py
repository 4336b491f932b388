"""Connections and versioned migrations (warehouse/migrations/NNN_name.sql).

Opening a database applies the migrations it lacks, in order, each in one transaction,
and records them in `schema_version`: an older file is upgraded in place."""
from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)


class WarehouseError(RuntimeError):
    """A database that cannot be opened or upgraded; the message names the file."""


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in files("warehouse").joinpath("migrations").iterdir():
        match = re.match(r"(\d+)_(\w+)\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    numbers = [number for number, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise WarehouseError(f"two migrations share a number: {sorted(found)[0:0] or numbers}")
    return sorted(found)


SCHEMA_VERSION = max(version for version, _, _ in _migrations())


# DuckDB lets one process write a file, and readers in other processes only while nobody
# writes. The writer keeps its connections short and waits out readers; readers that find the
# file being written read the snapshot the writer publishes after each run.
_LOCK_WAIT_SECONDS = 60.0


def _is_lock_conflict(error: duckdb.Error) -> bool:
    return "lock" in str(error).lower()


def snapshot_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.stem + ".snapshot" + path.suffix)


def connect(path: str | Path, wait_seconds: float = _LOCK_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """A read-write connection with the schema at the newest version (waits while readers hold the file)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WarehouseError(f"{path}: cannot create its folder ({error.strerror or error})") from error
    deadline, pause = time.monotonic() + wait_seconds, 0.02
    while True:
        try:
            con = duckdb.connect(str(path))
            break
        except duckdb.Error as error:
            if not _is_lock_conflict(error) or time.monotonic() > deadline:
                raise WarehouseError(f"{path}: cannot open the database for writing ({error})") from error
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
    con.execute("SET TimeZone = 'Asia/Seoul'")
    migrate(con, path)
    return _with_search(con)


def publish_snapshot(path: str | Path) -> Path:
    """Copy the closed database to `<name>.snapshot.duckdb` (atomically) for readers to use
    while the next run writes. Call it with no connection open."""
    path = Path(path)
    target = snapshot_path(path)
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(path, partial)
    os.replace(partial, target)
    return target


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection for analysts and exports. While a writer holds the file, the
    last published snapshot is opened instead (a note says so on stderr)."""
    path = Path(path)
    if not path.exists():
        raise WarehouseError(f"{path}: no such database (run `pressflow ingest` first)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        snapshot = snapshot_path(path)
        if _is_lock_conflict(error) and snapshot.exists():
            log.warning("%s is being written; reading the snapshot of the last run (%s)", path, snapshot)
            return connect_read_only(snapshot)
        raise WarehouseError(f"{path}: cannot open the database read-only ({error})") from error
    # Connections of one process to one file share a DuckDB instance, and a sandbox locks the
    # instance's configuration: a second connection finds it locked, its time zone already
    # set for every session (GLOBAL) by the first.
    shared = con.execute("SELECT current_setting('lock_configuration')").fetchall()[0][0]
    if shared and con.execute("SELECT current_setting('enable_external_access')").fetchall()[0][0]:
        con.close()
        raise WarehouseError(f"{path}: already open in this process with file access on; close that connection")
    if not shared:
        con.execute("SET GLOBAL TimeZone = 'Asia/Seoul'")
    version = current_version(con)
    if version < SCHEMA_VERSION:
        con.close()
        raise WarehouseError(f"{path}: schema version {version} is older than {SCHEMA_VERSION}; "
                             "open it once read-write (any pressflow ingest) to upgrade it")
    _with_search(con)
    if not shared:
        sandbox(con)
    return con


def _with_search(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """search_bm25('이동노동자 쉼터'): the query cut into morphemes by Kiwi (warehouse/search.py)."""
    from warehouse.search import register

    return register(con)


# What an analyst's SQL may not do on a read-only connection: read or write files (COPY … TO,
# read_csv('/etc/…')), attach other databases, load extensions, or change these settings back.
SANDBOX_SETTINGS = ("SET enable_external_access = false", "SET lock_configuration = true")


def sandbox(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Lock a connection to the database it has open: no file access, no ATTACH, no extension
    loading, and a configuration that can no longer be changed."""
    for statement in SANDBOX_SETTINGS:
        con.execute(statement)
    return con


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    # fetchall, not fetchone: duckdb 2 refuses new work on a connection with unread rows
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
                         ).fetchall()[0][0]
    if not exists:
        return 0
    version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    return int(version) if version is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> int:
    """Apply the migrations this database lacks; returns the version it is at afterwards."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMPTZ DEFAULT current_timestamp)")
    version = current_version(con)
    # every migration not yet recorded, not only those above the newest: a number reserved
    # for a change that lands later (006 after 007) must still reach databases already at 7
    applied = {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}
    for number, name, sql in _migrations():
        if number in applied:
            continue
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [number, name])
            con.execute("COMMIT")
        except duckdb.Error as error:
            con.execute("ROLLBACK")
            raise WarehouseError(f"{path or 'database'}: migration {number:03d}_{name} failed: {error}") from error
        version = max(version, number)
    return version


# Threads of one process (the crawl's sources, the loader) write one at a time: duckdb
# transactions from two connections to the same file would conflict.
_WRITERS = threading.RLock()


@contextmanager
def writing(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short write window: open, yield, close (readers wait only this long)."""
    with _WRITERS:
        con = connect(path)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All of the block's statements, or none of them."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


@contextmanager
def reading(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect_read_only(path)
    try:
        yield con
    finally:
        con.close()
