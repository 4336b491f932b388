"""Files and folders given on the command line, read into `RawPage`s.

Every input gets an outcome: a file is read, or it is a failure with a clear message. Folders
are searched for the supported kinds only; a file named explicitly with another extension, a
path that does not exist, a FIFO or device, a symbolic-link loop, a file name that is not
UTF-8, a file or WARC record over a size limit: each is a failure, never silently ignored,
and never a crash of the run."""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from extractors.model import RawPage
from pipelines.limits import Limits, human_bytes
from warehouse.load import PageFailure, storable

TEXT_SUFFIXES = (".txt", ".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUPPORTED = TEXT_SUFFIXES + WARC_SUFFIXES


@dataclass(frozen=True)
class InputFiles:
    files: tuple[Path, ...]
    failures: tuple[PageFailure, ...]


def _supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED)


def undecodable_bytes(name: str) -> bytes:
    """The bytes of a file name that are not UTF-8 (Python keeps them as lone surrogates)."""
    return bytes(ord(ch) - 0xDC00 for ch in name if 0xDC80 <= ord(ch) <= 0xDCFF)


def _failure(path: Path | str, error: str) -> PageFailure:
    return PageFailure(storable(os.fspath(path)), "read", error)


def _special_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return kind
    return "not a regular file"


def _stat_failure(path: Path, error: OSError) -> str:
    """Why a path cannot be looked at, in words."""
    if error.errno == errno.ELOOP:
        return "symbolic link loop: the link never reaches a file"
    if error.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"broken symbolic link (it points to {storable(os.readlink(path))}, which does not exist)"
        return "no such file or folder"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return f"cannot look at it: {error.strerror or error}"


class _Walk:
    def __init__(self) -> None:
        self.files: list[Path] = []
        self.failures: list[PageFailure] = []
        self.seen_dirs: set[tuple[int, int]] = set()

    def given(self, path: Path) -> None:
        """A path named on the command line."""
        if undecodable_bytes(str(path)):
            self.failures.append(_failure(path, _name_error(path)))
            return
        try:
            info = path.stat()
        except OSError as error:
            self.failures.append(_failure(path, _stat_failure(path, error)))
            return
        if stat.S_ISDIR(info.st_mode):
            before = len(self.files), len(self.failures)
            self.folder(path, info)
            if (len(self.files), len(self.failures)) == before:
                self.failures.append(_failure(path, f"no {', '.join(SUPPORTED)} files in this folder"))
        elif not stat.S_ISREG(info.st_mode):
            self.failures.append(_failure(path, f"{_special_kind(info.st_mode)}, not a file to read"))
        elif _supported(path):
            self.files.append(path)
        else:
            suffix = "".join(path.suffixes) or "(none)"
            self.failures.append(_failure(path, f"unknown extension {suffix}: expected one of "
                                          + ", ".join(SUPPORTED)))

    def folder(self, folder: Path, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key in self.seen_dirs:  # a link back to a folder already read: read once, never loop
            return
        self.seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            self.failures.append(_failure(folder, f"cannot list the folder: {error.strerror or error}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                entry_info = entry.stat()  # follows links
            except OSError as error:
                self.failures.append(_failure(path, _stat_failure(path, error)))
                continue
            if stat.S_ISDIR(entry_info.st_mode):
                self.folder(path, entry_info)
            elif not _supported(path):
                continue
            elif undecodable_bytes(entry.name):
                self.failures.append(_failure(path, _name_error(path)))
            elif stat.S_ISREG(entry_info.st_mode):
                self.files.append(path)
            else:
                self.failures.append(_failure(path, f"{_special_kind(entry_info.st_mode)}, not a file to read"))


def _name_error(path: Path) -> str:
    bad = undecodable_bytes(str(path))
    return (f"file name is not valid UTF-8 (bytes {bad.hex(' ')}); rename it (e.g. `convmv -f cp949 -t utf-8`) "
            "to ingest it")


def expand(paths: Iterable[str | Path]) -> InputFiles:
    """The files to read, in a stable order, and the inputs that cannot be read at all."""
    walk = _Walk()
    for given in map(Path, paths):
        walk.given(given)
    unique = tuple(dict.fromkeys(path.resolve() for path in walk.files))
    return InputFiles(unique, tuple(walk.failures))


def _open_regular(path: Path) -> tuple[int | None, os.stat_result | None, str | None]:
    """A descriptor of a regular file, opened so that a FIFO swapped in never blocks the run."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        return None, None, f"cannot read the file: {_stat_failure(path, error)}"
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None, None, f"{_special_kind(info.st_mode)}, not a file to read"
    os.set_blocking(fd, True)
    return fd, info, None


def read_file(path: Path, limits: Limits | None = None) -> tuple[list[RawPage], list[PageFailure]]:
    """The pages in one file: one for .txt/.html, every response record for a WARC."""
    limits = limits or Limits.from_env()
    fd, info, problem = _open_regular(path)
    if fd is None or info is None:
        return [], [_failure(path, problem or "cannot read the file")]
    with os.fdopen(fd, "rb") as stream:
        if path.name.lower().endswith(WARC_SUFFIXES):
            return read_warc(path, limits, stream)
        if info.st_size > limits.max_page_bytes:
            return [], [_failure(path, f"page too large: {human_bytes(info.st_size)} is over max_page_bytes="
                                       f"{limits.max_page_bytes} (PRESSFLOW_MAX_PAGE_BYTES)")]
        try:
            body = stream.read(limits.max_page_bytes + 1)
        except OSError as error:
            return [], [_failure(path, f"cannot read the file: {error.strerror or error}")]
    if len(body) > limits.max_page_bytes:  # grew after stat
        return [], [_failure(path, f"page too large: over max_page_bytes={limits.max_page_bytes} "
                                   "(PRESSFLOW_MAX_PAGE_BYTES)")]
    return [RawPage(body=body, source_path=storable(str(path)))], []


def _has_digest(record) -> bool:  # type: ignore[no-untyped-def]
    headers = record.rec_headers
    return bool(headers.get_header("WARC-Payload-Digest") or headers.get_header("WARC-Block-Digest"))


def read_warc(path: Path, limits: Limits | None = None, stream=None  # type: ignore[no-untyped-def]
              ) -> tuple[list[RawPage], list[PageFailure]]:
    """Response records of a WARC; a truncated or corrupt file keeps the records before the damage.
    A record whose payload is over max_record_bytes (its declared length, decompressed) is a
    failure and is skipped without being held in memory; the records after it are read."""
    limits = limits or Limits.from_env()
    if stream is None:
        with path.open("rb") as opened:
            return read_warc(path, limits, opened)
    pages: list[RawPage] = []
    failures: list[PageFailure] = []
    source = storable(str(path))
    try:
        for record in ArchiveIterator(stream, check_digests="raise"):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            declared = int(record.rec_headers.get_header("Content-Length") or 0)
            if declared > limits.max_record_bytes:
                failures.append(PageFailure(f"{source} {storable(url or '')}".strip(), "read",
                                            f"WARC record too large: {human_bytes(declared)} decompressed is over "
                                            f"max_record_bytes={limits.max_record_bytes} "
                                            "(PRESSFLOW_MAX_RECORD_BYTES); skipped"))
                continue  # warcio reads past the rest of the record in small blocks
            headers = record.http_headers
            status = int(headers.get_statuscode()) if headers and headers.get_statuscode() else None
            date = record.rec_headers.get_header("WARC-Date")
            body = record.content_stream().read(limits.max_record_bytes + 1)
            if len(body) > limits.max_record_bytes:  # chunked or compressed payloads expand further
                failures.append(PageFailure(f"{source} {storable(url or '')}".strip(), "read",
                                            f"WARC record too large: over max_record_bytes={limits.max_record_bytes}"
                                            " once decoded (PRESSFLOW_MAX_RECORD_BYTES); skipped"))
                continue
            if _has_digest(record) and record.digest_checker.passed is not True:
                # a cut-off gzip member still decompresses: only the digest tells
                raise ValueError(f"record for {url} is incomplete (its digest does not match)")
            pages.append(RawPage(
                body=body,
                url=url, final_url=url, status=status,
                headers=tuple(headers.headers) if headers else (),
                fetched_at=datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None,
                warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
                source_path=source,
            ))
    except Exception as error:  # warcio raises several kinds on damaged archives
        return pages, [*failures, PageFailure(source, "read",
                                              f"truncated or corrupt WARC after {len(pages)} records: "
                                              f"{type(error).__name__}: {error}")]
    if not pages and not failures:
        return pages, [PageFailure(source, "read", "WARC holds no response records")]
    return pages, failures
