"""Versions that cannot go stale: a stage's version names a hash of the code and data it runs.

Any edit to a rule, a profile or a lexicon row changes the version, so rows made before the
edit are found by `pressflow reprocess --stale` without anyone remembering to bump a string."""
from __future__ import annotations

import hashlib
from importlib.resources import files
from importlib.resources.abc import Traversable

_SUFFIXES = (".py", ".toml", ".tsv", ".json", ".txt", ".crfsuite", ".bin")


def fingerprint(package: str, *extra: str) -> str:
    """Ten hex digits of a hash over the package's code and data files (names and bytes)
    and any `extra` strings, such as a library's version."""
    return fingerprint_of(files(package), *extra)


def fingerprint_of(root: Traversable, *extra: str) -> str:
    digest = hashlib.sha256()
    for name, entry in sorted(_files(root, ""), key=lambda item: item[0]):
        digest.update(name.encode("utf-8") + b"\0" + entry.read_bytes() + b"\0")
    for value in extra:
        digest.update(value.encode("utf-8") + b"\0")
    return digest.hexdigest()[:10]


def _files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found = []
    for entry in folder.iterdir():
        if entry.name.startswith((".", "__pycache__")):
            continue
        if entry.is_dir():
            found.extend(_files(entry, f"{prefix}{entry.name}/"))
        elif entry.name.endswith(_SUFFIXES):
            found.append((prefix + entry.name, entry))
    return found
