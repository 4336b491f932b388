"""Named limits on what one input may cost, so one hostile or broken page never stops a run.

Each limit has a default and an environment variable (`PRESSFLOW_<NAME>`, sizes take K/M/G
suffixes); a page or record over a limit becomes a `failures` row that names the limit."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)I?B?\s*$", re.IGNORECASE)
_FACTOR = {"": 1, "K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}


class LimitError(ValueError):
    """A limit given in the environment that is not a number."""


@dataclass(frozen=True)
class Limits:
    # a WARC record's payload once decompressed (its Content-Length); larger records are not read
    max_record_bytes: int = 64 * 1024 ** 2
    # one page's bytes (a file, a WARC record, a fetched body) handed to extraction
    max_page_bytes: int = 16 * 1024 ** 2
    # the longest line of a page-text dump, and the longest paragraph extraction may return
    max_line_chars: int = 200_000
    # wall-clock seconds one page may spend in extraction (0: extract in-process, no limit)
    extract_seconds: float = 60.0
    # address space of the extraction worker process (0: no limit)
    extract_memory_bytes: int = 3 * 1024 ** 3

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        environ = os.environ if environ is None else environ
        values: dict[str, float | int] = {}
        for field in fields(cls):
            raw = environ.get(f"PRESSFLOW_{field.name.upper()}")
            if raw is None or not raw.strip():
                continue
            values[field.name] = _parse(field.name, raw, seconds=field.name == "extract_seconds")
        return cls(**values)  # type: ignore[arg-type]

    def describe(self) -> str:
        return ", ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def _parse(name: str, raw: str, *, seconds: bool) -> float | int:
    if seconds:
        try:
            value = float(raw)
        except ValueError as error:
            raise LimitError(f"PRESSFLOW_{name.upper()}={raw!r} is not a number of seconds") from error
        if value < 0:
            raise LimitError(f"PRESSFLOW_{name.upper()}={raw!r} is negative")
        return value
    match = _SIZE.match(raw)
    if not match:
        raise LimitError(f"PRESSFLOW_{name.upper()}={raw!r} is not a size (e.g. 16M, 200000, 2G)")
    return int(float(match.group(1)) * _FACTOR[match.group(2).upper()])


def human_bytes(count: int) -> str:
    for unit, factor in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if count >= factor:
            return f"{count / factor:.1f} {unit}"
    return f"{count} bytes"
