"""Cue sets as data: nlp/data/cues.tsv, one row per cue with the sentence that justifies it.

A rule reads a set by name (`cues()["target.not_served"]`), never a list of its own, so each
judgement lives in one place. tests/test_lexicon.py runs every row's example with the row and
without it (`using(cues().without(row))`): the row must be what makes the difference.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from typing import TypeVar

T = TypeVar("T")


class LexiconError(ValueError):
    """A cue file that cannot be read: names the line and the problem."""


@dataclass(frozen=True)
class CueRow:
    set: str  # e.g. 'target.not_served'
    cue: str
    example: str  # a sentence of our own in which the cue decides
    expect: str  # '+kind:value' (must be found) or '-kind:value' (must not be), '' when none yet
    line: int


class Cues:
    """The cue sets, in file order; a variant without one row for the tests."""

    def __init__(self, rows: Iterable[CueRow], names: frozenset[str] | None = None) -> None:
        self.rows = tuple(rows)
        self._names = names if names is not None else frozenset(row.set for row in self.rows)

    @cached_property
    def _sets(self) -> dict[str, tuple[str, ...]]:
        sets: dict[str, list[str]] = {}
        for row in self.rows:
            sets.setdefault(row.set, []).append(row.cue)
        return {name: tuple(cues) for name, cues in sets.items()}

    def __getitem__(self, name: str) -> tuple[str, ...]:
        if name not in self._names:
            raise LexiconError(f"cues.tsv has no set {name!r}")
        return self._sets.get(name, ())  # a set whose only row a test took out is empty

    @cached_property
    def _members(self) -> dict[str, frozenset[str]]:
        return {name: frozenset(cues) for name, cues in self._sets.items()}

    def members(self, name: str) -> frozenset[str]:
        """A set for membership tests ('noun in …')."""
        return self._members.get(name) or frozenset(self[name])

    def without(self, row: CueRow) -> Cues:
        return Cues((r for r in self.rows if r is not row), self._names)


def parse_cues(text: str, source: str = "cues.tsv") -> Cues:
    rows = []
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    for (number, _), cells in zip(lines, csv.reader((line for _, line in lines), delimiter="\t",
                                                    quoting=csv.QUOTE_NONE), strict=True):
        if cells[:2] == ["set", "cue"]:
            continue  # the header
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise LexiconError(f"{source}:{number}: expected 'set<TAB>cue<TAB>example<TAB>expect'")
        example, expect = (cells + ["", ""])[2:4]
        if expect and not (expect[:1] in "+-" and ":" in expect):
            raise LexiconError(f"{source}:{number}: expect must read '+kind:value' or '-kind:value', not {expect!r}")
        rows.append(CueRow(cells[0], cells[1], example, expect, number))
    return Cues(rows)


_active: Cues | None = None


def cues() -> Cues:
    """The cue sets in force (loaded once per process)."""
    global _active
    if _active is None:
        _active = parse_cues(files("nlp").joinpath("data", "cues.tsv").read_text(encoding="utf-8"))
    return _active


_built: dict[Callable[[Cues], object], tuple[Cues, object]] = {}


def compiled(build: Callable[[Cues], T]) -> T:
    """What `build` makes of the lexicon in force (regexes, tables), made once per lexicon, so a
    rule reads its compiled cues cheaply and a test's variant lexicon gets its own."""
    lexicon = cues()
    made = _built.get(build)
    if made is None or made[0] is not lexicon:
        made = _built[build] = (lexicon, build(lexicon))
    return made[1]  # type: ignore[return-value]


@contextmanager
def using(variant: Cues) -> Iterator[Cues]:
    """Run the rules with other cue sets (tests only: answers memoised elsewhere are not reset)."""
    global _active
    previous, _active = cues(), variant
    try:
        yield variant
    finally:
        _active = previous
