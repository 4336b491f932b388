"""Names the analyser knows: the TSV files in nlp/data and an analyst's own dictionary.

An analyst's dictionary is a TSV file (`kind<TAB>name<TAB>aliases`, kind = agency,
program or target_group; aliases comma-separated) given with --user-dict or the
PRESSFLOW_USER_DICT environment variable. Its names are also taught to Kiwi.
"""
from __future__ import annotations

import csv
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

_ADMIN_SUFFIXES = ("시", "군", "구", "도", "청", "부", "처", "원", "회", "단", "공사", "공단")


class GazetteerError(ValueError):
    """A dictionary file that cannot be read: names the file, the line and the problem."""


@dataclass(frozen=True)
class Entry:
    name: str  # canonical
    kind: str  # 광역, 기초, 행정시, 부, 처, 청, 공단, …, or 'user'
    parent: str | None = None  # 광역 of a 기초 body


MISSING = object()  # a memo's "not asked yet" (None is an answer)
T = TypeVar("T")


def _longest_suffix(noun: str, gazetteer: Gazetteer) -> tuple[str, str] | None:
    return next(((noun[-length:], gazetteer.suffixes[noun[-length:]])
                 for length in range(min(len(noun), 12), 0, -1) if noun[-length:] in gazetteer.suffixes), None)


@dataclass(eq=False)
class Gazetteer:
    # surface form → entries it may name (기초 names repeat across regions: 중구, 고성군)
    agencies: dict[str, list[Entry]] = field(default_factory=dict)
    bare_regions: dict[str, Entry] = field(default_factory=dict)  # 서울, 전북, 김제 …
    suffixes: dict[str, str] = field(default_factory=dict)  # head noun → agency/program_body/venue
    target_groups: dict[str, str] = field(default_factory=dict)  # name → kind
    programs: set[str] = field(default_factory=set)
    # answers of pure questions about one noun, one dict per question ('title', 'agency' …)
    memo: defaultdict[str, dict] = field(default_factory=lambda: defaultdict(dict))

    def add_agency(self, surface: str, entry: Entry) -> None:
        entries = self.agencies.setdefault(surface, [])
        if entry not in entries:
            entries.append(entry)

    def add_target_group(self, name: str, kind: str) -> None:
        """A group under its spelling and, when spaced, glued too ('1인 가구' / '1인가구')."""
        self.target_groups[name] = kind
        self.target_groups.setdefault(name.replace(" ", ""), kind)

    def lookup(self, surface: str) -> Entry | None:
        entries = self.agencies.get(surface)
        return entries[0] if entries else None

    def recall(self, question: str, noun: str, answer: Callable[[str, Gazetteer], T]) -> T:
        """The answer to a pure question about one noun, worked out once per noun. (The hottest
        loops read `memo[question]` directly and call this only for a noun not asked yet.)"""
        answers = self.memo[question]
        found = answers.get(noun, MISSING)
        if found is MISSING:
            found = answers[noun] = answer(noun, self)
        return found  # type: ignore[no-any-return]

    def longest_suffix(self, noun: str) -> tuple[str, str] | None:
        return self.recall("suffix", noun, _longest_suffix)

    def words_for_kiwi(self) -> list[str]:
        words = {surface for surface in self.agencies if len(surface) >= 3}
        words |= {name.replace(" ", "") for name in self.programs if " " not in name}
        return sorted(words)


def _rows(text: str, source: str) -> list[list[str]]:
    rows = []
    lines = (line for line in text.splitlines() if line.strip() and not line.startswith("#"))
    for number, row in enumerate(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
        if number == 1:
            continue  # header
        rows.append([cell.strip() for cell in row])
    if not rows:
        raise GazetteerError(f"{source}: no rows")
    return rows


def _aliases(cell: str) -> list[str]:
    return [alias.strip() for alias in cell.split(",") if alias.strip()]


def _data(name: str) -> str:
    return files("nlp").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def load_gazetteer(user_dictionary: str | None = None) -> Gazetteer:
    gazetteer = Gazetteer()
    for name, level, parent, *rest in _rows(_data("local_governments.tsv"), "local_governments.tsv"):
        entry = Entry(name, level, parent or None)
        gazetteer.add_agency(name, entry)
        for alias in _aliases(rest[0] if rest else ""):
            if (alias.endswith(_ADMIN_SUFFIXES) or alias.endswith("특례시")) and len(alias) > 2:
                gazetteer.add_agency(alias, entry)
            else:  # a bare place word: only a prefix ('전북 김제시') or inside names
                gazetteer.bare_regions.setdefault(alias, entry)
    for file_name in ("central_agencies.tsv", "public_bodies.tsv"):
        for name, kind, *rest in _rows(_data(file_name), file_name):
            entry = Entry(name, kind)
            gazetteer.add_agency(name, entry)
            for alias in _aliases(rest[0] if rest else ""):
                gazetteer.add_agency(alias, entry)
    for suffix, kind, *_ in _rows(_data("institution_suffixes.tsv"), "institution_suffixes.tsv"):
        gazetteer.suffixes[suffix] = kind
    for name, kind, *_ in _rows(_data("target_groups.tsv"), "target_groups.tsv"):
        gazetteer.add_target_group(name, kind)
    path = user_dictionary or os.environ.get("PRESSFLOW_USER_DICT")
    if path:
        _load_user_dictionary(gazetteer, Path(path))
    return gazetteer


def _load_user_dictionary(gazetteer: Gazetteer, path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GazetteerError(f"{path}: cannot read the user dictionary ({error})") from error
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if number == 1 and cells[0] == "kind":
            continue
        if len(cells) < 2 or not cells[1]:
            raise GazetteerError(f"{path}:{number}: expected 'kind<TAB>name[<TAB>aliases]'")
        kind, name = cells[0], cells[1]
        aliases = _aliases(cells[2]) if len(cells) > 2 else []
        if kind == "agency":
            entry = Entry(name, "user")
            for surface in [name, *aliases]:
                gazetteer.add_agency(surface, entry)
        elif kind == "program":
            gazetteer.programs.update([name, *aliases])
        elif kind == "target_group":
            for surface in [name, *aliases]:
                gazetteer.add_target_group(surface, "user")
        else:
            raise GazetteerError(f"{path}:{number}: unknown kind {kind!r} (agency, program, target_group)")
