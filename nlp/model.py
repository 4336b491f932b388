"""The contract of analysis: every fact keeps its evidence (offsets into the body, sentence)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from typing import Literal

from extractors.fingerprint import fingerprint

# the release part says what changed in words; the hash changes with any rule, lexicon row or
# Kiwi release, so `pressflow reprocess --stale` finds every row an older analyser made
ANALYSER_VERSION = f"analyse-0.3.0+{fingerprint('nlp', 'kiwipiepy ' + version('kiwipiepy'))}"

MentionKind = Literal["agency", "program", "date", "target_group", "goal", "person"]


@dataclass(frozen=True)
class Mention:
    """One span of the body that names something, with the sentence it came from."""

    kind: MentionKind
    text: str
    start: int  # character offsets into Article.body
    end: int
    sentence_index: int
    sentence: str
    canonical: str | None = None  # agencies: canonical name; programs: the entry's name
    date_start: date | None = None
    date_end: date | None = None
    quantity: float | None = None
    unit: str | None = None
    object: str | None = None  # goals: what is counted
    role: str | None = None  # people: their role as the text gives it
    rule: str | None = None  # the rule that found it ('goal.money'); nlp/RULES.md lists them


@dataclass(frozen=True)
class Span:
    """What a recogniser found: a kind, offsets into the body, the rule that fired and why.
    The resolve step (nlp/analyse.py) links spans across recognisers and turns them into
    mentions; `found` keeps the recogniser's own finding for it (an agency's identity, …)."""

    kind: MentionKind
    start: int
    end: int
    sentence_index: int
    rule: str
    canonical: str | None = None
    text: str | None = None  # the surface when it is not the body's text at the offsets (a person's name)
    reason: str = ""  # the words that decided, when the rule reads some ('…을 대상으로', '모집')
    date_start: date | None = None
    date_end: date | None = None
    quantity: float | None = None
    unit: str | None = None
    object: str | None = None
    role: str | None = None
    found: object = None


@dataclass(frozen=True)
class Agency:
    name: str
    mentions: tuple[str, ...]  # other surface forms seen
    level: str | None = None  # 광역, 기초, 중앙, 공공기관, … when the gazetteer knows it
    region: str | None = None  # the 광역 it belongs to, when known


@dataclass(frozen=True)
class ProgramFact:
    """A programme tied to who runs it, where, when, for whom and with which goals."""

    program: str
    sentence_index: int
    agencies: tuple[str, ...] = ()
    region: str | None = None
    date_starts: tuple[date, ...] = ()
    date_ends: tuple[date, ...] = ()
    target_groups: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()  # goal texts, e.g. '중소기업 600개 사를 방문'


@dataclass(frozen=True)
class Analysis:
    mentions: tuple[Mention, ...]
    agencies: tuple[Agency, ...]
    programs: tuple[str, ...]
    target_groups: tuple[str, ...]
    facts: tuple[ProgramFact, ...] = ()
    anchor_date: date | None = None
    index_terms: tuple[tuple[str, int], ...] = ()  # content morphemes of title and body, for search
    analyser_version: str = ANALYSER_VERSION
    notes: tuple[str, ...] = field(default=())
