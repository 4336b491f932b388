"""The RECORDS.md metric, in the repo: exported records scored against gold records.

../shared/eval/score_records.py is the reference; tests/test_scoring.py checks that this
module gives the same numbers on every gold set present. Scored per article, then
averaged over the gold articles of a set:

- body: whitespace tokens, multiset overlap; title: equal after collapsing spaces;
  published_at: the same day in KST;
- agencies, programs, target_groups: set F1 on names; two names match when, without spaces
  and quote marks, they are equal, or the shorter lies inside the longer and is at least 60%
  of it; an agency matches on any of its forms (name or mentions) on either side;
- dates: set F1 on (start, end); goals: set F1 on (quantity, unit).
Sets match one to one, strongest pairs first, so a duplicate never earns credit twice.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

FIELDS = ("body", "title", "published_at", "agencies", "programs", "dates", "target_groups", "goals")
ENTITY_FIELDS = FIELDS[3:]
_KST = timezone(timedelta(hours=9))
_QUOTES = frozenset("'\"`´‘’‚‛“”„‟「」『』〈〉《》«»‹›＂＇")
_CONTAINED_SHARE = 0.6
_NONE, _CONTAINED, _EQUAL = 0, 1, 2

Record = dict[str, Any]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of_counts(cls, matched: int, predicted: int, gold: int) -> Score:
        if predicted == 0 and gold == 0:
            return cls(1.0, 1.0, 1.0)  # nothing to find and nothing found
        precision = matched / predicted if predicted else 0.0
        recall = matched / gold if gold else 0.0
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


PERFECT, MISSED = Score(1.0, 1.0, 1.0), Score(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class ArticleScore:
    gold_id: str
    matched: bool
    fields: dict[str, Score]


@dataclass(frozen=True)
class SetScore:
    """A gold set's scores: field by field (the mean over its articles) and per article."""

    articles: tuple[ArticleScore, ...]

    def field(self, name: str) -> Score:
        if not self.articles:
            return MISSED
        scores = [article.fields[name] for article in self.articles]
        return Score(*(sum(getattr(s, measure) for s in scores) / len(scores)
                       for measure in ("precision", "recall", "f1")))

    @property
    def f1(self) -> dict[str, float]:
        return {name: self.field(name).f1 for name in FIELDS}

    @property
    def overall(self) -> float:
        return sum(self.f1.values()) / len(FIELDS)

    @property
    def unmatched(self) -> list[str]:
        return [article.gold_id for article in self.articles if not article.matched]


# --- comparing values -----------------------------------------------------------------------

def bare(name: object) -> str:
    """A name as the metric compares it: no whitespace, no quote marks."""
    return "".join(ch for ch in str(name or "") if not ch.isspace() and ch not in _QUOTES)


def name_match(a: object, b: object) -> int:
    left, right = bare(a), bare(b)
    if not left or not right:
        return _NONE
    if left == right:
        return _EQUAL
    short, long_ = (left, right) if len(left) <= len(right) else (right, left)
    return _CONTAINED if short in long_ and len(short) >= _CONTAINED_SHARE * len(long_) else _NONE


def _forms_match(a: Sequence[object], b: Sequence[object]) -> int:
    return max((name_match(x, y) for x in a for y in b), default=_NONE)


def _equal(a: object, b: object) -> int:
    return _EQUAL if a == b else _NONE


def match_sets(predicted: Sequence[Any], gold: Sequence[Any], strength: Callable[[Any, Any], int]) -> Score:
    """One-to-one matching, the strongest pairs first (ties in reading order)."""
    pairs = [(strength(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)]
    pairs.sort(key=lambda pair: -pair[0])  # stable: equal strengths keep (i, j) order
    taken_p: set[int] = set()
    taken_g: set[int] = set()
    for how, i, j in pairs:
        if how and i not in taken_p and j not in taken_g:
            taken_p.add(i)
            taken_g.add(j)
    return Score.of_counts(len(taken_p), len(predicted), len(gold))


def _tokens(predicted: str | None, gold: str | None) -> Score:
    mine, theirs = (predicted or "").split(), (gold or "").split()
    return Score.of_counts(sum((Counter(mine) & Counter(theirs)).values()), len(mine), len(theirs))


def day(value: object) -> str | None:
    """The calendar day of a timestamp, read in KST when it has an offset."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        leading = re.match(r"\d{4}-\d{2}-\d{2}", text)
        return leading.group() if leading else text
    return (moment.astimezone(_KST) if moment.tzinfo else moment).date().isoformat()


def _number(value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return str(value).replace(",", "").strip()


def _names(items: Iterable[Any] | None) -> list[Any]:
    return [item.get("name") if isinstance(item, dict) else item for item in items or ()]


def _agency_forms(items: Iterable[Any] | None) -> list[list[Any]]:
    return [[item.get("name"), *(item.get("mentions") or ())] if isinstance(item, dict) else [item]
            for item in items or ()]


def _date_keys(items: Iterable[Any] | None) -> list[tuple[str | None, str | None]]:
    keys = []
    for item in items or ():
        item = item if isinstance(item, dict) else {"start": item}
        start = day(item.get("start"))
        keys.append((start, day(item.get("end")) or start))
    return keys


def _goal_keys(items: Iterable[Any] | None) -> list[tuple[object, str]]:
    keys = []
    for item in items or ():
        item = item if isinstance(item, dict) else {"quantity": item}
        keys.append((_number(item.get("quantity")), "".join(str(item.get("unit") or "").split())))
    return keys


def _same(a: object, b: object) -> Score:
    return PERFECT if a == b else MISSED


def score_article(gold: Record, predicted: Record | None) -> dict[str, Score]:
    if predicted is None:
        return dict.fromkeys(FIELDS, MISSED)
    return {
        "body": _tokens(predicted.get("body"), gold.get("body")),
        "title": _same(" ".join((predicted.get("title") or "").split()), " ".join((gold.get("title") or "").split())),
        "published_at": _same(day(predicted.get("published_at")), day(gold.get("published_at"))),
        "agencies": match_sets(_agency_forms(predicted.get("agencies")), _agency_forms(gold.get("agencies")),
                               _forms_match),
        "programs": match_sets(_names(predicted.get("programs")), _names(gold.get("programs")), name_match),
        "dates": match_sets(_date_keys(predicted.get("dates")), _date_keys(gold.get("dates")), _equal),
        "target_groups": match_sets(_names(predicted.get("target_groups")), _names(gold.get("target_groups")),
                                    name_match),
        "goals": match_sets(_goal_keys(predicted.get("goals")), _goal_keys(gold.get("goals")), _equal),
    }


# --- sets and files ---------------------------------------------------------------------------

def stem(path: object) -> str:
    """'/x/004_3baa.html' → '004_3baa', for / and \\ paths alike."""
    return Path(re.split(r"[\\/]", str(path))[-1]).stem


def load_gold(folder: Path) -> list[Record]:
    """The folder's `*.gold.json` records, sorted by file name; a record without an id takes the file's."""
    records = []
    for path in sorted(folder.glob("*.gold.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{path}: not a readable gold record ({error})") from error
        if not isinstance(record, dict):
            raise ValueError(f"{path}: a gold record must be a JSON object")
        record.setdefault("id", path.name.removesuffix(".gold.json"))
        records.append(record)
    return records


def load_records(path: Path) -> list[Record]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise ValueError(f"{path}:{number}: not valid JSON ({error})") from error
        if not isinstance(record, dict):
            raise ValueError(f"{path}:{number}: a record must be a JSON object")
        records.append(record)
    return records


def pair(golds: Sequence[Record], predicted: Sequence[Record]) -> list[tuple[Record, Record | None]]:
    """Each gold record with its prediction: the same id, else a source file of the gold's name."""
    by_id: dict[str, Record] = {}
    by_stem: dict[str, Record] = {}
    for record in predicted:
        if record.get("id") is not None:
            by_id.setdefault(str(record["id"]), record)
        if record.get("source_path"):
            by_stem.setdefault(stem(record["source_path"]), record)
    pairs = []
    for gold in golds:
        match = by_id.get(str(gold["id"]))
        if match is None:
            stems = [str(gold["id"])] + ([stem(gold["source_path"])] if gold.get("source_path") else [])
            match = next((by_stem[s] for s in stems if s in by_stem), None)
        pairs.append((gold, match))
    return pairs


def score_set(golds: Sequence[Record], predicted: Sequence[Record]) -> SetScore:
    return SetScore(tuple(ArticleScore(str(gold["id"]), match is not None, score_article(gold, match))
                          for gold, match in pair(golds, predicted)))


def table(rows: Sequence[tuple[str, int, SetScore]], fields: Sequence[str] = FIELDS) -> str:
    """A markdown table: one row per set, F1 per field."""
    lines = ["| set | pages | " + " | ".join(fields) + " |", "|---|---|" + "---|" * len(fields)]
    for name, pages, score in rows:
        lines.append(f"| {name} | {pages} | " + " | ".join(f"{score.field(f).f1:.3f}" for f in fields) + " |")
    return "\n".join(lines)
