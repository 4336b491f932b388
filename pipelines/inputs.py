"""Files and folders given on the command line, read into `RawPage`s.

Folders are searched for the supported kinds only; a file named explicitly with another
extension is a failure with a clear message, never silently ignored."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from extractors.model import RawPage
from warehouse.load import PageFailure

TEXT_SUFFIXES = (".txt", ".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUPPORTED = TEXT_SUFFIXES + WARC_SUFFIXES


@dataclass(frozen=True)
class InputFiles:
    files: tuple[Path, ...]
    failures: tuple[PageFailure, ...]


def _supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED)


def expand(paths: Iterable[str | Path]) -> InputFiles:
    """The files to read, in a stable order, and the inputs that cannot be read at all."""
    files: list[Path] = []
    failures: list[PageFailure] = []
    for given in map(Path, paths):
        if given.is_dir():
            found = sorted(p for p in given.rglob("*") if p.is_file() and _supported(p)
                           and not any(part.startswith(".") for part in p.relative_to(given).parts))
            if not found:
                failures.append(PageFailure(str(given), "read", f"no {', '.join(SUPPORTED)} files in this folder"))
            files.extend(found)
        elif given.is_file():
            if _supported(given):
                files.append(given)
            else:
                suffix = "".join(given.suffixes) or "(none)"
                failures.append(PageFailure(str(given), "read", f"unknown extension {suffix}: expected one of "
                                            + ", ".join(SUPPORTED)))
        else:
            failures.append(PageFailure(str(given), "read", "no such file or folder"))
    unique = tuple(dict.fromkeys(path.resolve() for path in files))
    return InputFiles(unique, tuple(failures))


def read_file(path: Path) -> tuple[list[RawPage], list[PageFailure]]:
    """The pages in one file: one for .txt/.html, every response record for a WARC."""
    if path.name.lower().endswith(WARC_SUFFIXES):
        return read_warc(path)
    try:
        body = path.read_bytes()
    except OSError as error:
        return [], [PageFailure(str(path), "read", f"cannot read the file: {error.strerror or error}")]
    return [RawPage(body=body, source_path=str(path))], []


def _has_digest(record) -> bool:  # type: ignore[no-untyped-def]
    headers = record.rec_headers
    return bool(headers.get_header("WARC-Payload-Digest") or headers.get_header("WARC-Block-Digest"))


def read_warc(path: Path) -> tuple[list[RawPage], list[PageFailure]]:
    """Response records of a WARC; a truncated or corrupt file keeps the records before the damage."""
    pages: list[RawPage] = []
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, check_digests="raise"):
                if record.rec_type != "response":
                    continue
                headers = record.http_headers
                status = int(headers.get_statuscode()) if headers and headers.get_statuscode() else None
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                body = record.content_stream().read()
                if _has_digest(record) and record.digest_checker.passed is not True:
                    # a cut-off gzip member still decompresses: only the digest tells
                    raise ValueError(f"record for {url} is incomplete (its digest does not match)")
                pages.append(RawPage(
                    body=body,
                    url=url, final_url=url, status=status,
                    headers=tuple(headers.headers) if headers else (),
                    fetched_at=datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None,
                    warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
                    source_path=str(path),
                ))
    except Exception as error:  # warcio raises several kinds on damaged archives
        return pages, [PageFailure(str(path), "read",
                                   f"truncated or corrupt WARC after {len(pages)} records: "
                                   f"{type(error).__name__}: {error}")]
    if not pages:
        return pages, [PageFailure(str(path), "read", "WARC holds no response records")]
    return pages, []
