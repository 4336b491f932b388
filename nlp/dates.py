"""Date mentions in Korean regional news, normalised to (start, end) day ranges.

Pure standard-library module. The pipeline calls :func:`find_dates` on an article body with the
publication date as ``anchor``; when the page has no publication date it may pass a year read from
the text (:func:`infer_anchor_year`) or a full date read from a dated photo caption
(:func:`infer_anchor_date`).

How it works, in three passes:

1. *Atoms*: a handful of small regexes find the pieces of a date (``2023년``, ``7월 말``, ``20일``,
   ``지난``, ``이달``, ``하반기``, ``2023. 7. 20.(목)`` ...). Overlaps keep the earliest, longest match.
2. *Points*: atoms separated only by whitespace are joined into one point while they go from coarse
   to fine (year → month → day): ``작년 12월말``, ``내달 4일``, ``2023년 7월 20일``.
   ``3~5일`` lends the unit of its end to its start.
3. *Ranges*: two points joined by ``부터 … 까지``, ``~``, ``-`` form one range; a point directly
   followed by ``부터`` or ``까지`` is one-sided and keeps its own span, unless the same text states a
   two-sided range that starts (``부터``) or ends (``까지``) on the same day, in which case it adds
   nothing (seed convention: ``6월부터`` next to ``6월부터 12월까지``).

Conventions (annotation guide, seeds/NOTES.md, dev/SOURCES.md):
- a bare ``N일`` is in the anchor's month; ``지난 N일`` the most recent past such day, ``오는 N일``
  the next one; ``N월`` without a year is in the anchor's year (never shifted to next year);
- parts of a month: 초/초순 = 1–10, 중순 = 11–20, 말/말경/하순 = 21–end; 중/쯤/경/께 = whole month;
  상반기/하반기, 1–4분기; a year alone (``2023년``, ``2012년도부터``, ``2022 지역축제``) is the year;
- ``이날`` is the day last mentioned (the event day), else the anchor day;
- relative-to-today words (오늘, 어제, 이달, 지난 14일) need a full anchor date; year words (올해,
  내년, 지난해) and month-day expressions also work with ``anchor_year`` alone;
- durations (3년간, 8일간, 6개월), ordinals, ages, times and amounts never yield dates.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from nlp.lexicon import Cues, compiled
from nlp.model import Span as FoundSpan

if TYPE_CHECKING:
    from nlp.doc import Doc
    from nlp.gazetteer import Gazetteer

__all__ = ["DateMention", "find_dates", "infer_anchor_date", "infer_anchor_year"]


@dataclass(frozen=True)
class DateMention:
    text: str  # surface span as in the text
    start_offset: int  # character offsets into the text given
    end_offset: int
    start: date
    end: date
    rule: str = "date.?"  # how it was placed (nlp/RULES.md)


# ---------------------------------------------------------------------------------------------
# Text normalisation (one character in, one character out, so offsets stay exact)
# ---------------------------------------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
        "\uff0e": ".",  # full-width full stop
        "\uff0f": "/",
        "\uff5e": "~",  # full-width tilde
        "\u301c": "~",  # wave dash
        "\u223c": "~",  # tilde operator, common in Korean press ('3∼5일')
        "\u2013": "-",  # en dash
        "\uff0d": "-",
        "\u00a0": " ",  # no-break space
        "\u3000": " ",  # ideographic space
        "\uff08": "(",
        "\uff09": ")",
    }
)


_ANY_MAPPED = re.compile("[" + re.escape("".join(map(chr, _CHAR_MAP))) + "]")


def _normalise(text: str) -> str:
    """Full-width figures, dashes and spaces as ASCII; a search first, as most text has none and
    translating Korean text character by character is slow."""
    return text.translate(_CHAR_MAP) if _ANY_MAPPED.search(text) else text


# ---------------------------------------------------------------------------------------------
# Atom regexes
# ---------------------------------------------------------------------------------------------

# A Korean word may carry a particle; a date word followed by any other syllable is part of a
# longer word ('연말정산', '오늘날', '3월 초등학교'), so suffixes are accepted only before these.
_PARTICLE = (
    r"까지|부터|에서|에는|에도|에|엔|으로|로|이나|나|과|와|의|은|는|이|가|도|만|을|를|께|경|쯤|즘|"
    r"이후|이전|중|초|말|내"
)
_END = rf"(?=$|[^가-힣]|(?:{_PARTICLE}))"
_WEEKDAY = r"(?:\s*\((?:[월화수목금토일](?:요일)?)\))?"  # '(목)' after a day belongs to it
_APPROX = r"(?:\s*(?:경|께|쯤|즘))"  # '9월쯤', '9월 초즘' (sic), '10월말경'
_MONTH_PART = r"초순|중순|하순|상순|말경|초|중|말"

# 2023. 7. 20.(목) / 2023.07.20 / '23. 7. 20. (dots may be spaced and closed) and 2023-07-20 / 2023/07/20.
_YEAR_HEAD = r"(?:(?P<y>(?:19|20)\d{2})|[’'‘`](?P<yy>\d{2}))"
_NUMERIC_DATES = (
    re.compile(
        rf"(?<![\d.]){_YEAR_HEAD}\s*\.\s*(?P<m>\d{{1,2}})\s*\.\s*(?P<d>\d{{1,2}})(?!\d)(?:\s*\.(?!\d))?{_WEEKDAY}"
    ),
    re.compile(rf"(?<![\d.\-/]){_YEAR_HEAD}(?P<sep>[-/])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?![\d\-/]){_WEEKDAY}"),
)
# '7. 20.(목)': a month.day without a year, only trusted with a weekday in brackets, or as the
# end of a numeric range ('2024. 3. 4. ~ 3. 8.'; checked in _find_atoms).
_DOTTED_MONTH_DAY = re.compile(
    r"(?<![\d.])(?P<m>\d{1,2})\s*\.\s*(?P<d>\d{1,2})(?!\d)(?:\s*\.?\s*(?P<wd>\([월화수목금토일](?:요일)?\))|\.(?!\d))?"
)
_RANGE_BEFORE = re.compile(
    r"(?:(?:19|20)\d{2}|[’'‘`]\d{2})\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.?\s*(?:\([^)]{1,3}\))?\s*[~-]\s{0,2}$"
)

# '2023년', '2026년도', "'24년", and year parts '올해 말'-style: '2024년 말'. Not 1990년생/년대/년형.
_YEAR = re.compile(
    rf"""(?<![\d제,.])
    (?:(?P<y>(?:19|20)\d{{2}})|[’'‘`](?P<yy>\d{{2}}))\s*년도?(?!생|대|형|산|식|간|째)
    (?:\s*(?P<part>초|중|말)(?:{_APPROX})?{_END})?""",
    re.VERBOSE,
)
# A bare 4-digit year ('2022 지역축제', '2020~2021'); accepted only after the checks in _bare_year_ok.
_BARE_YEAR = re.compile(r"(?<![\d제,./:])(?P<y>(?:19|20)\d{2})(?![\d,.%년])")
_YEAR_RANGE_AFTER = re.compile(r"\s*[~-]\s*(?:19|20)\d{2}(?!\d)")
_YEAR_RANGE_BEFORE = re.compile(r"(?:19|20)\d{2}\s*[~-]\s*$")
_WORD_AFTER = re.compile(r"\s+[가-힣]")
# Counters after a bare number mean an amount, not a year ('2000 명', '2020 개소').
_COUNTER_AFTER = re.compile(
    r"\s+(?:개|명|원|만|억|천|건|가구|곳|석|톤|대|회|차|세|호|번|평|그루|마리|권|편|점|장|채|주|일|시간|분|여|년|월|배|달러)"
    r"(?:$|[^가-힣]|소|사|의|이|가|을|를|은|는|에|과|와|씩|도|여|분)"
)

# Words relative to the anchor year, month and day are data: nlp/data/cues.tsv, sets
# 'date.year_word.<offset>', 'date.month_word.<offset>', 'date.day_word.<offset>' and
# 'date.day_word.same' ('이날': the day last mentioned). A space in a word is optional spacing
# ('지난 해', '다음 달'). '올' alone is code: a year only before a month, half, quarter or holiday.
_OL = r"(?P<ol>올)(?=\s*(?:\d{1,2}\s*월|[상하]반기|연[초말]|[1-4]\s*(?:[/·]\s*4\s*)?분기|추석|설\s?(?:날|연휴|명절)))"


@dataclass(frozen=True)
class _WordTables:
    """The relative date words of one lexicon, compiled."""

    year_offsets: tuple[tuple[str, int], ...]
    month_offsets: tuple[tuple[str, int], ...]
    day_offsets: tuple[tuple[str, int | None], ...]
    year_word: re.Pattern[str]
    month_word: re.Pattern[str]
    day_word: re.Pattern[str]
    year_needs: tuple[str, ...]
    month_needs: tuple[str, ...]
    day_needs: tuple[str, ...]

    @classmethod
    def of(cls, lexicon: Cues) -> _WordTables:
        def offsets(scale: str) -> dict[str, int | None]:
            found: dict[str, int | None] = {}
            for row in lexicon.rows:
                if row.set.startswith(f"date.{scale}_word."):
                    value = row.set.rsplit(".", 1)[1]
                    found[row.cue] = None if value == "same" else int(value)
            return found

        def alternation(words: dict[str, int | None]) -> str:
            spelled = sorted(words, key=lambda w: len(w.replace(" ", "")), reverse=True)
            return "|".join(r"\s?".join(map(re.escape, word.split(" "))) for word in spelled)

        def needs(words: dict[str, int | None]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(form for word in words for form in (word, word.replace(" ", ""))))

        years, months, days = offsets("year"), offsets("month"), offsets("day")
        compact = lambda table: tuple((w.replace(" ", ""), o) for w, o in table.items())  # noqa: E731
        return cls(
            compact(years), compact(months), compact(days),  # type: ignore[arg-type]
            re.compile(rf"""(?<![가-힣])
                (?:(?P<w>{alternation(years)})(?:\s*(?P<part>초|중|말)(?:{_APPROX})?{_END}|{_END})|{_OL})""",
                       re.VERBOSE),
            re.compile(rf"(?<![가-힣])(?P<w>{alternation(months)})"
                       rf"(?:\s*(?P<part>{_MONTH_PART})(?:{_APPROX})?{_END}|{_END})"),
            re.compile(rf"(?<![가-힣])(?P<w>{alternation(days)}){_END}"),
            (*needs(years), "올"), needs(months), needs(days),
        )


def _words() -> _WordTables:
    """The relative date words of the lexicon in force."""
    return compiled(_WordTables.of)


# '6월', '6 월', '10월말경', '9월 초즘', '3월 중'. Not 6개월 (no digit before 월), 3월간, 3월분.
_MONTH = re.compile(
    rf"""(?<![\d.:,])(?P<m>\d{{1,2}})(?:월|\s+월(?=[^가-힣]|$|{_PARTICLE}))(?!간|분|세|급|보|례)
    (?:\s*(?P<part>{_MONTH_PART})(?:{_APPROX})?{_END}|{_APPROX}{_END}|\s*달(?=[^가-힣]|$))?""",
    re.VERBOSE,
)
# '12일', '12 일', '12일(목)'. Not 8일간, 3일째, 2일차, 5일 동안, '20 일자리'.
_DAY = re.compile(
    rf"""(?<![\d.:,])(?P<d>\d{{1,2}})
    (?:일(?!간|째|차|자리|치|분|\s*동안)|\s+일(?=[^가-힣]|$|까지|부터|에|께|경|쯤))
    (?!\s*(?:전|후|뒤|만에|이내|이상|이하|미만|내외|정도|가량)(?![가-힣]))   # '3일 전' is a duration
    {_WEEKDAY}""",
    re.VERBOSE,
)
# '지난 7월', '오는 25일', '지난 추석': direction words that bind to the next atom.
_PREFIX = re.compile(r"(?<![가-힣])(?P<w>지난|오는|이번)(?=\s*(?:\d|추석|설))")
_HALF = re.compile(rf"(?<![가-힣])(?P<w>상반기|하반기){_END}")
_QUARTER = re.compile(r"(?<![\d])(?P<q>[1-4])\s*(?:[/·]\s*4\s*)?분기(?!별|마다)")
_YEAR_EDGE = re.compile(rf"(?<![가-힣])(?P<w>연초|연말){_END}")  # 연초 = January, 연말 = December
_HOLIDAY = re.compile(rf"(?<![가-힣])(?P<w>추석|설날|설(?=\s?(?:연휴|명절)))(?:\s?(?:연휴|명절))?{_END}")
# A bare number that shares the unit of the next atom: '3~5일', '3~4월', '3·4일'.
_SHARED_NUMBER = re.compile(r"(?<![\d.:,/-])(?P<n>\d{1,2})(?=\s*[~\-·]\s*\d)")

# Between two points of a range.
_RANGE_GAP = re.compile(r"\s*(?:(?P<from>부터)|[~-])\s*")
_UNTIL_AFTER = re.compile(r"\s*까지")
_FROM_AFTER = re.compile(r"\s*부터")
_SHARED_GAP = re.compile(r"\s*[~\-·]\s*")
# '15일 밝혔다': the day a story is announced, i.e. the publication day, whatever month came before.
_REPORTING_AFTER = re.compile(r"\s*(?:이같이\s*|이 같이\s*)?(?:밝혔|밝힌|밝히|전했|말했|발표했|알렸|설명했|강조했)")
# A sentence ends at a full stop (not a decimal point) or a line break.
_SENTENCE_BREAK = re.compile(r"(?<!\d)[.!?](?!\d)|\n")
# Page timestamps are not event dates ('등록 2024-03-12 16:01', '편집 : 2024-04-26 19:24').
_TIMESTAMP_LABEL = re.compile(
    r"(?:등록|입력|승인|수정|편집|업데이트|UPDATE|기사입력|최종편집|작성|게재|송고)\s*[:.]?\s*$", re.IGNORECASE
)
_CLOCK_AFTER = re.compile(r"\s*(?:\[\s*)?\d{1,2}:\d{2}")
# '1일 평균', '1일 2회': a rate, not the first of the month.
_RATE_AFTER = re.compile(r"\s*(?:평균|최대|최소|기준|\d+\s*(?:회|시간|명|건|개|톤|kg|t)(?![가-힣]))")

# Chuseok and Seollal (lunar 8/15 and 1/1) in the solar calendar; the holiday is day-1..day+1.
_CHUSEOK = {
    2005: (9, 18), 2006: (10, 6), 2007: (9, 25), 2008: (9, 14), 2009: (10, 3), 2010: (9, 22),
    2011: (9, 12), 2012: (9, 30), 2013: (9, 19), 2014: (9, 8), 2015: (9, 27), 2016: (9, 15),
    2017: (10, 4), 2018: (9, 24), 2019: (9, 13), 2020: (10, 1), 2021: (9, 21), 2022: (9, 10),
    2023: (9, 29), 2024: (9, 17), 2025: (10, 6), 2026: (9, 25), 2027: (9, 15), 2028: (10, 3),
    2029: (9, 22), 2030: (9, 12),
}  # fmt: skip
_SEOLLAL = {
    2005: (2, 9), 2006: (1, 29), 2007: (2, 18), 2008: (2, 7), 2009: (1, 26), 2010: (2, 14),
    2011: (2, 3), 2012: (1, 23), 2013: (2, 10), 2014: (1, 31), 2015: (2, 19), 2016: (2, 8),
    2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1),
    2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 7), 2028: (1, 27),
    2029: (2, 13), 2030: (2, 3),
}  # fmt: skip

# Granularity of an atom inside a point: a point is built coarse → fine. Direction words and bare
# numbers are not units yet (they bind to the next atom).
_YEAR_LEVEL, _MONTH_LEVEL, _DAY_LEVEL, _WHOLE = 0, 1, 2, 3
_PREFIX_LEVEL, _NUMBER_LEVEL = -1, -2


@dataclass
class _Point:
    """A (partly) specified date, before normalisation. All fields optional."""

    start: int
    end: int
    level: int = _PREFIX_LEVEL  # nothing merged yet
    year: int | None = None
    year_offset: int | None = None  # 올해 0, 내년 +1 (from the anchor year)
    year_part: str | None = None  # 초/중/말 of a year ('올해 말')
    month: int | None = None
    month_offset: int | None = None  # 이달 0, 지난달 -1 (from the anchor month)
    part: str | None = None  # part of the month (초, 중순, 말 ...)
    period: str | None = None  # 'H1', 'H2', 'Q1'..'Q4', 'JAN', 'DEC'
    holiday: str | None = None  # 'chuseok' | 'seollal'
    day: int | None = None
    day_offset: int | None = None  # 오늘 0, 어제 -1
    same_day: bool = False  # 이날
    fixed: tuple[int, int, int] | None = None  # a numeric date: y, m, d
    prefix: str | None = None  # 지난 / 오는 / 이번
    shared: bool = False  # from '3~5일': takes month/year from its partner
    number: int | None = None  # a bare number waiting for the unit of the next atom


# ---------------------------------------------------------------------------------------------
# Pass 1: atoms
# ---------------------------------------------------------------------------------------------


def _valid_ymd(y: int, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12:
        return False
    return d is None or 1 <= d <= calendar.monthrange(y, m)[1]


def _two_digit_year(yy: str) -> int:
    """'24 → 2024, '98 → 1998."""
    return 2000 + int(yy) if int(yy) < 70 else 1900 + int(yy)


def _bare_year_ok(text: str, m: re.Match) -> bool:
    """A bare 4-digit year counts in a name ('2022 지역축제') or a year range ('2020~2021')."""
    if _YEAR_RANGE_AFTER.match(text, m.end()) or _YEAR_RANGE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
        return True
    if text[m.start() - 1 : m.start()] in ("-", "~"):
        return False
    return bool(_WORD_AFTER.match(text, m.end())) and not _COUNTER_AFTER.match(text, m.end())


def _preceded_by_label(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_TIMESTAMP_LABEL.search(text[line_start:start]))


def _day_is_not_a_date(text: str, m: re.Match) -> bool:
    """1박 2일, 주 5일, 월 2일 (frequencies) and 1일 평균 (rates) are not calendar days."""
    before = text[max(0, m.start() - 20) : m.start()].rstrip()
    if before.endswith("박"):
        return True
    frequency = re.search(r"(?<![가-힣\d])(?:주|월|매주|매월|하루|연)$", before)
    if frequency:
        rest = before[: frequency.start()].rstrip()
        if not rest or not rest[-1].isdigit():  # '6 월 12 일' is a date
            return True
    return int(m.group("d")) == 1 and bool(_RATE_AFTER.match(text, m.end()))


# words a pattern cannot match without: a substring test is far cheaper than a regex scan
_HOLIDAY_NEEDS = ("추석", "설날", "설 ", "설연휴", "설명절")


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


# where a number-led pattern can start: a run of digits, or a quote before a two-digit year ('24년)
_NUMBER_START = re.compile(r"(?<!\d)\d|[’'‘`](?=\d)")


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern that can only start at one of `starts` (each begins
    with a digit or a year quote, behind a no-digit lookbehind): a few anchored tries instead of
    a scan of every position."""
    end = 0
    for start in starts:
        if start >= end and (m := pattern.match(text, start)):
            yield m
            end = m.end()


def _find_atoms(text: str) -> list[_Point]:
    """Every date piece as a one-atom _Point, without overlaps, in text order. Scans whose
    words the text lacks are skipped."""
    found: list[_Point] = []

    def add(m: re.Match, level: int, **kw) -> None:
        found.append(_Point(m.start(), m.end(), level=level, **kw))

    starts = [m.start() for m in _NUMBER_START.finditer(text)]
    for m in (m for pattern in _NUMERIC_DATES for m in _matches_at(pattern, text, starts)):
        y = int(m.group("y")) if m.group("y") else _two_digit_year(m.group("yy"))
        mo, d = int(m.group("m")), int(m.group("d"))
        if _valid_ymd(y, mo, d) and not _preceded_by_label(text, m.start()) and not _CLOCK_AFTER.match(text, m.end()):
            add(m, _WHOLE, fixed=(y, mo, d))
    for m in _matches_at(_DOTTED_MONTH_DAY, text, starts):
        range_end = _RANGE_BEFORE.search(text[max(0, m.start() - 30) : m.start()])
        if (m.group("wd") or range_end) and _valid_ymd(2000, int(m.group("m")), int(m.group("d"))):
            add(m, _DAY_LEVEL, month=int(m.group("m")), day=int(m.group("d")))
    for m in _matches_at(_YEAR, text, starts) if "년" in text else ():
        y = int(m.group("y")) if m.group("y") else _two_digit_year(m.group("yy"))
        add(m, _YEAR_LEVEL, year=y, year_part=m.group("part"))
    for m in _matches_at(_BARE_YEAR, text, starts) if "20" in text or "19" in text else ():
        if _bare_year_ok(text, m):
            add(m, _YEAR_LEVEL, year=int(m.group("y")))
    words = _words()
    for m in words.year_word.finditer(text) if _mentions(text, words.year_needs) else ():
        offset = 0 if m.group("ol") else dict(words.year_offsets)[re.sub(r"\s+", "", m.group("w"))]
        add(m, _YEAR_LEVEL, year_offset=offset, year_part=m.group("part") if m.group("w") else None)
    for m in words.month_word.finditer(text) if _mentions(text, words.month_needs) else ():
        month_offset = dict(words.month_offsets)[re.sub(r"\s+", "", m.group("w"))]
        add(m, _MONTH_LEVEL, month_offset=month_offset, part=m.group("part"))
    for m in words.day_word.finditer(text) if _mentions(text, words.day_needs) else ():
        day_offset = dict(words.day_offsets)[re.sub(r"\s+", "", m.group("w"))]
        add(m, _WHOLE, day_offset=day_offset, same_day=day_offset is None)
    for m in _matches_at(_MONTH, text, starts) if "월" in text else ():
        if 1 <= int(m.group("m")) <= 12:
            add(m, _MONTH_LEVEL, month=int(m.group("m")), part=m.group("part"))
    for m in _matches_at(_DAY, text, starts) if "일" in text else ():
        if 1 <= int(m.group("d")) <= 31 and not _day_is_not_a_date(text, m):
            add(m, _DAY_LEVEL, day=int(m.group("d")))
    for m in _PREFIX.finditer(text) if _mentions(text, ("지난", "오는", "이번")) else ():
        found.append(_Point(m.start(), m.end(), level=_PREFIX_LEVEL, prefix=m.group("w")))
    for m in _HALF.finditer(text) if "반기" in text else ():
        add(m, _MONTH_LEVEL, period="H1" if m.group("w") == "상반기" else "H2")
    for m in _matches_at(_QUARTER, text, starts) if "분기" in text else ():
        add(m, _MONTH_LEVEL, period=f"Q{m.group('q')}")
    for m in _YEAR_EDGE.finditer(text) if "연초" in text or "연말" in text else ():
        add(m, _MONTH_LEVEL, period="JAN" if m.group("w") == "연초" else "DEC")
    for m in _HOLIDAY.finditer(text) if _mentions(text, _HOLIDAY_NEEDS) else ():
        add(m, _MONTH_LEVEL, holiday="chuseok" if m.group("w") == "추석" else "seollal")
    for m in _matches_at(_SHARED_NUMBER, text, starts) if _mentions(text, ("~", "-", "·")) else ():
        found.append(_Point(m.start(), m.end(), level=_NUMBER_LEVEL, number=int(m.group("n"))))

    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    atoms: list[_Point] = []
    for atom in found:
        if not atoms or atom.start >= atoms[-1].end:
            atoms.append(atom)
    return _resolve_shared_numbers(text, atoms)


def _resolve_shared_numbers(text: str, atoms: list[_Point]) -> list[_Point]:
    """'3~5일' → the 3 becomes a day atom (month, year come later from the partner)."""
    out: list[_Point] = []
    for i, atom in enumerate(atoms):
        if atom.level != _NUMBER_LEVEL:
            out.append(atom)
            continue
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if nxt is None or not _SHARED_GAP.fullmatch(text[atom.end : nxt.start]):
            continue
        n = atom.number
        if nxt.level == _DAY_LEVEL and nxt.month is None and 1 <= n <= 31:
            out.append(_Point(atom.start, atom.end, level=_DAY_LEVEL, day=n, shared=True))
        elif nxt.level == _MONTH_LEVEL and nxt.month is not None and 1 <= n <= 12:
            out.append(_Point(atom.start, atom.end, level=_MONTH_LEVEL, month=n, shared=True))
    return out


# ---------------------------------------------------------------------------------------------
# Pass 2: points
# ---------------------------------------------------------------------------------------------


def _merge(point: _Point, atom: _Point) -> None:
    for name in ("year", "year_offset", "year_part", "month", "month_offset", "part", "period", "holiday",
                 "day", "day_offset", "fixed"):  # fmt: skip
        value = getattr(atom, name)
        if value is not None:
            setattr(point, name, value)
    point.same_day = point.same_day or atom.same_day
    point.shared = point.shared or atom.shared
    point.end = atom.end
    point.level = atom.level


def _build_points(text: str, atoms: Sequence[_Point]) -> list[_Point]:
    """Join atoms separated only by whitespace while they get finer (year → month → day).

    A direction word (지난/오는/이번) binds to the atom right after it and starts a new point.
    """
    points: list[_Point] = []
    current: _Point | None = None
    pending: _Point | None = None  # a direction word waiting for its atom
    for atom in atoms:
        if atom.level == _PREFIX_LEVEL:
            if current is not None:
                points.append(current)
            current, pending = None, atom
            continue
        adjacent = current is not None and not text[current.end : atom.start].strip()
        if current is not None and adjacent and current.level < atom.level < _WHOLE:
            _merge(current, atom)
            continue
        if current is not None:
            points.append(current)
        current = _Point(atom.start, atom.end)
        if pending is not None and not text[pending.end : atom.start].strip():
            current.start, current.prefix = pending.start, pending.prefix
        pending = None
        _merge(current, atom)
    if current is not None:
        points.append(current)
    return points


# ---------------------------------------------------------------------------------------------
# Pass 3: ranges and one-sided mentions
# ---------------------------------------------------------------------------------------------


@dataclass
class _Item:
    first: _Point
    second: _Point | None  # the end of a range, or the second member of a '3·4일' list
    kind: str  # 'single' | 'range' | 'list'
    start: int
    end: int
    open_side: str | None = None  # 'from' (…부터) or 'until' (…까지) for a one-sided single


def _pair(text: str, points: list[_Point]) -> list[_Item]:
    items: list[_Item] = []
    i = 0
    while i < len(points):
        a = points[i]
        b = points[i + 1] if i + 1 < len(points) else None
        if b is not None:
            gap = _RANGE_GAP.fullmatch(text, a.end, b.start)
            until = _UNTIL_AFTER.match(text, b.end)
            if gap and (not gap.group("from") or until):  # '부터' alone is not a range: '6월부터 12월 사이'
                items.append(_Item(a, b, "range", a.start, until.end() if until else b.end))
                i += 2
                continue
            if a.shared and _SHARED_GAP.fullmatch(text, a.end, b.start):
                items.append(_Item(a, b, "list", a.start, b.end))
                i += 2
                continue
        item = _Item(a, None, "single", a.start, a.end)
        for side, pattern in (("from", _FROM_AFTER), ("until", _UNTIL_AFTER)):
            m = pattern.match(text, a.end)
            if m:
                item.open_side, item.end = side, m.end()
                break
        items.append(item)
        i += 1
    return items


# ---------------------------------------------------------------------------------------------
# Normalisation of points against the anchor
# ---------------------------------------------------------------------------------------------

DaySpan = tuple[date, date]


@dataclass
class _Context:
    text: str
    anchor: date | None
    base_year: int | None  # anchor.year, else anchor_year
    last_month: tuple[int, int, int, bool] | None = None  # (year, month, end offset, had a day) last mentioned
    last_day: date | None = None  # the last single day mentioned ('이날' refers to it)


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _day_span(year: int, month: int, day: int) -> DaySpan | None:
    if not _valid_ymd(year, month, day):
        return None
    d = date(year, month, day)
    return d, d


def _month_span(year: int, month: int, day: int | None, part: str | None) -> DaySpan | None:
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    if day is not None:
        return _day_span(year, month, day)
    last = _last_day(year, month)
    first_day, last_day = {
        "초": (1, 10), "초순": (1, 10), "상순": (1, 10), "중순": (11, 20),
        "하순": (21, last), "말": (21, last), "말경": (21, last),
    }.get(part or "", (1, last))  # fmt: skip
    return date(year, month, first_day), date(year, month, last_day)


def _year_span(year: int, part: str | None) -> DaySpan:
    if part == "초":
        return date(year, 1, 1), date(year, 1, 31)
    if part == "말":
        return date(year, 12, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


def _period_span(year: int, period: str) -> DaySpan:
    if period == "H1":
        return date(year, 1, 1), date(year, 6, 30)
    if period == "H2":
        return date(year, 7, 1), date(year, 12, 31)
    if period == "JAN":
        return date(year, 1, 1), date(year, 1, 31)
    if period == "DEC":
        return date(year, 12, 1), date(year, 12, 31)
    q = int(period[1])
    return date(year, 3 * q - 2, 1), date(year, 3 * q, _last_day(year, 3 * q))


def _holiday_span(holiday: str, year: int) -> DaySpan | None:
    table = _CHUSEOK if holiday == "chuseok" else _SEOLLAL
    if year not in table:
        return None
    day = date(year, *table[year])
    return day - timedelta(days=1), day + timedelta(days=1)


def _explicit_year(p: _Point, ctx: _Context) -> int | None:
    if p.year is not None:
        return p.year
    if p.year_offset is not None and ctx.base_year is not None:
        return ctx.base_year + p.year_offset
    return None


def _year_for_month(p: _Point, ctx: _Context) -> int | None:
    """'지난 7월' = the last July, '오는 3월' = the next March, '7월' = the anchor year's July."""
    a = ctx.anchor
    if a is not None and p.prefix == "지난":
        return a.year if p.month <= a.month else a.year - 1
    if a is not None and p.prefix == "오는":
        return a.year if p.month >= a.month else a.year + 1
    return ctx.base_year


def _month_context(p: _Point, ctx: _Context) -> tuple[int, int] | None:
    """The month a bare 'N일' borrows from an earlier mention.

    Without an anchor date: the last month mentioned anywhere before ('1월 12일부터 19일까지 …
    마지막날인 19일'). With one, the anchor month wins except right after a full date in the same
    sentence ('오는 3월 2일 개막해 4일 폐막'). Never for a reporting day ('… 15일 밝혔다'), which is the
    publication day.
    """
    if ctx.last_month is None or _REPORTING_AFTER.match(ctx.text, p.end):
        return None
    year, month, end, had_day = ctx.last_month
    if ctx.anchor is not None and (not had_day or _SENTENCE_BREAK.search(ctx.text, end, p.start)):
        return None
    return year, month


def _resolve_day(p: _Point, ctx: _Context) -> DaySpan | None:
    a, d = ctx.anchor, p.day
    if p.prefix in ("지난", "오는"):  # relative to the publication day
        if a is None:
            return None
        if p.prefix == "지난":
            year, month = (a.year, a.month) if d <= a.day else _shift_month(a.year, a.month, -1)
        else:
            year, month = (a.year, a.month) if d >= a.day else _shift_month(a.year, a.month, 1)
        return _day_span(year, month, d)
    borrowed = _month_context(p, ctx)
    if borrowed is not None:
        return _day_span(*borrowed, d)
    if a is None:
        return None
    return _day_span(a.year, a.month, d) or _day_span(*_shift_month(a.year, a.month, -1), d)


def _resolve_holiday(p: _Point, ctx: _Context, year: int | None) -> DaySpan | None:
    a = ctx.anchor
    if year is None and a is not None and p.prefix in ("지난", "오는"):
        year = a.year
        this_year = _holiday_span(p.holiday, year)
        if this_year is not None and p.prefix == "지난" and this_year[0] > a:
            year -= 1
        elif this_year is not None and p.prefix == "오는" and this_year[1] < a:
            year += 1
    if year is None:
        year = ctx.base_year
    return None if year is None else _holiday_span(p.holiday, year)


def _resolve(p: _Point, ctx: _Context) -> DaySpan | None:
    """Normalise one point, or None when it cannot be placed in time."""
    if p.fixed is not None:
        y, m, d = p.fixed
        return _month_span(y, m, d, None)
    if p.same_day and ctx.last_day is not None:
        return ctx.last_day, ctx.last_day
    if p.same_day or p.day_offset is not None:
        if ctx.anchor is None:
            return None
        day = ctx.anchor + timedelta(days=p.day_offset or 0)
        return day, day
    year = _explicit_year(p, ctx)
    if p.year_offset is not None and year is None:
        return None  # 올해/내년 without any anchor year
    if p.month_offset is not None:
        if ctx.anchor is None:
            return None
        y, m = _shift_month(ctx.anchor.year, ctx.anchor.month, p.month_offset)
        return _month_span(y, m, p.day, p.part)
    if p.month is not None:
        year = year if year is not None else _year_for_month(p, ctx)
        return None if year is None else _month_span(year, p.month, p.day, p.part)
    if p.period is not None:
        year = year if year is not None else ctx.base_year
        return None if year is None else _period_span(year, p.period)
    if p.holiday is not None:
        return _resolve_holiday(p, ctx, year)
    if p.day is not None:
        return _resolve_day(p, ctx)
    return None if year is None else _year_span(year, p.year_part)


def _has_year(p: _Point) -> bool:
    return p.year is not None or p.year_offset is not None or p.fixed is not None


def _inherit_from_start(b: _Point, start: date, ctx: _Context) -> str | None:
    """Fill what the end of a range leaves out from its start ('1월 13일부터 31일까지')."""
    if _has_year(b) or b.month_offset is not None or b.day_offset is not None or b.same_day:
        return None
    if b.prefix is not None and ctx.anchor is not None:
        return None  # '10일부터 오는 29일까지': the end is placed on its own
    b.prefix = None
    if b.month is None and b.day is not None and b.period is None and b.holiday is None:
        b.year, b.month = start.year, start.month
        return "month"
    if b.month is not None or b.period is not None or b.holiday is not None:
        b.year = start.year
        return "year"
    return None


def _resolve_pair(a: _Point, b: _Point, ctx: _Context) -> tuple[DaySpan, DaySpan] | None:
    """Normalise both ends of a range or list; a shared number ('3~5일') takes the other's month."""
    # a start with a month of its own, even a relative one ('다음 달 9~11일'), places the end instead
    if a.shared and not _has_year(a) and (a.day is None or a.month is None and a.month_offset is None):
        span_b = _resolve(b, ctx)
        if span_b is None:
            return None
        a.year = span_b[0].year
        if a.day is not None:
            a.month = span_b[0].month
        span_a = _resolve(a, ctx)
        return None if span_a is None else (span_a, span_b)
    span_a = _resolve(a, ctx)
    if span_a is None:
        return None
    inherited = _inherit_from_start(b, span_a[0], ctx)
    span_b = _resolve(b, ctx)
    if span_b is not None and span_b[1] < span_a[0]:  # '12월 28일부터 1월 3일까지' crosses a boundary
        if inherited == "year":
            b.year += 1
        elif inherited == "month":
            b.year, b.month = _shift_month(b.year, b.month, 1)
        else:
            return None
        span_b = _resolve(b, ctx)
    return None if span_b is None else (span_a, span_b)


def _remember(p: _Point, span: DaySpan, ctx: _Context, single_day_context: bool = True) -> None:
    """Keep the month and day just mentioned, for a later bare 'N일' and for '이날'."""
    if p.month is not None or p.month_offset is not None or p.fixed is not None:
        ctx.last_month = (span[1].year, span[1].month, p.end, p.day is not None or p.fixed is not None)
    if single_day_context and span[0] == span[1] and (p.day is not None or p.fixed is not None):
        ctx.last_day = span[0]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _atoms_of(text: str) -> tuple[_Point, ...]:
    """The atoms of a normalised text. Anchor inference and date finding read the same article
    one after the other; remembering the last texts saves scanning it three times. Atoms are
    never changed after they are found (points are built as new objects)."""
    return _remembered_atoms(text, _words())


@lru_cache(maxsize=2)
def _remembered_atoms(text: str, words: _WordTables) -> tuple[_Point, ...]:
    return tuple(_find_atoms(text))


def _candidates(text: str) -> list[_Item]:
    return _pair(text, _build_points(text, _atoms_of(text)))


def find_dates(text: str, anchor: date | None, anchor_year: int | None = None) -> list[DateMention]:
    """Every date or date range that places an event or programme in time, normalised against
    `anchor` (the article's publication date). When anchor is None, only expressions that can be
    placed are returned: absolute ones with a year, and month/day ones when anchor_year is given
    (relative-to-today words like 지난 14일/이날/어제 cannot be placed without a full anchor date and are dropped).

    Each distinct (start, end) appears once, at its first mention, in text order.
    """
    norm = _normalise(text)
    ctx = _Context(norm, anchor, anchor.year if anchor is not None else anchor_year)
    resolved: list[tuple[_Item, DaySpan]] = []
    for item in _candidates(norm):
        if item.kind == "single":
            span = _resolve(item.first, ctx)
            if span is not None:
                _remember(item.first, span, ctx)
                resolved.append((item, span))
            continue
        pair = _resolve_pair(item.first, item.second, ctx)
        if pair is None:
            continue
        span_a, span_b = pair
        if item.kind == "range":
            _remember(item.second, span_b, ctx, single_day_context=False)
            resolved.append((item, (span_a[0], span_b[1])))
        else:  # '3·4일': two separate days
            _remember(item.second, span_b, ctx)
            first = _Item(item.first, None, "single", item.first.start, item.first.end)
            second = _Item(item.second, None, "single", item.second.start, item.second.end)
            resolved += [(first, span_a), (second, span_b)]
    return _dedupe(text, _drop_covered_open_ends(resolved))


def _drop_covered_open_ends(resolved: list[tuple[_Item, DaySpan]]) -> list[tuple[_Item, DaySpan]]:
    """'6월부터' / '12월까지' add nothing when a stated range starts / ends there (seed 004);
    otherwise they keep the span of the period they name ('2012년도부터' = 2012)."""
    starts = {span[0] for item, span in resolved if item.kind == "range"}
    ends = {span[1] for item, span in resolved if item.kind == "range"}
    return [
        (item, span)
        for item, span in resolved
        if not (item.open_side == "from" and span[0] in starts) and not (item.open_side == "until" and span[1] in ends)
    ]


# '1959.12.31. 이전 출생자': an age bound of who is eligible, not an event. ('내년 1월 1일 출생아부터'
# is when a benefit starts, and stays a date.)
_BIRTH_BOUND_AFTER = re.compile(r"\s*(?:이전|까지|전)\s*(?:에\s*)?(?:출생|태어)")


def _dedupe(text: str, resolved: list[tuple[_Item, DaySpan]]) -> list[DateMention]:
    seen: set[DaySpan] = set()
    out: list[DateMention] = []
    for item, span in sorted(resolved, key=lambda r: r[0].start):
        if span in seen or _BIRTH_BOUND_AFTER.match(text, item.end):
            continue
        seen.add(span)
        out.append(DateMention(text[item.start : item.end], item.start, item.end, span[0], span[1], _rule(item)))
    return out


def _rule(item: _Item) -> str:
    """How a date was placed: a stated range, a one-sided one, a numeric date, a word relative
    to the publication date, a month or day in the anchor's year, or a full absolute date."""
    point = item.first
    if item.kind == "range":
        return "date.range"
    if item.open_side:
        return "date.open_range"
    if point.fixed:
        return "date.numeric"
    if point.same_day:
        return "date.same_day"
    if point.holiday:
        return "date.holiday"
    if point.prefix or any(offset is not None for offset in (point.year_offset, point.month_offset, point.day_offset)):
        return "date.relative"
    return "date.absolute" if point.year is not None else "date.in_anchor_year"


# ---------------------------------------------------------------------------------------------
# Anchors for pages without a publication date
# ---------------------------------------------------------------------------------------------

# A photo caption names its source: '양주시청사 전경. 2024.11.18 /양주시 제공', '▲ … 사진제공'.
_CAPTION_CUE = re.compile(r"제공|사진|▲|ⓒ|©")
# '내년 공공일자리사업', '내년도 지역 내 …': 내년 used as a modifier, not '내년에는', '내년부터'.
_NEXT_YEAR_MODIFIER = re.compile(r"(?<![가-힣])내년(?P<do>도)?\s+(?!에|부터|까지|초|말|중|상반기|하반기)[가-힣]")
# A year modifying a name: '2023년 노사민정협력활성화 사업', '2020 보건사업 설명회', '2026년도 군정'.
_NAME_AFTER = re.compile(r"\s+(?!부터|까지|이후|이전|대비|말|초|중|상반기|하반기|동안|사이)[가-힣]")


def _is_widget_line(text: str, p: _Point) -> bool:
    """A line holding nothing but a date ('2026.01.19 (월)') is a site clock or weather widget."""
    line_start = text.rfind("\n", 0, p.start) + 1
    line_end = text.find("\n", p.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return line.strip() == text[p.start : p.end].strip()


def infer_anchor_date(text: str) -> date | None:
    """A full date from a dated photo caption of the article ('전경. 2024.11.18 /양주시 제공'), the
    best stand-in for a missing publication date. Site clocks, widgets and timestamps are ignored."""
    norm = _normalise(text)
    for atom in _atoms_of(norm):
        if atom.fixed is None or _is_widget_line(norm, atom):
            continue
        line_start = norm.rfind("\n", 0, atom.start) + 1
        line_end = norm.find("\n", atom.end)
        if _CAPTION_CUE.search(norm[line_start : line_end if line_end >= 0 else len(norm)]):
            return date(*atom.fixed)
    return None


def _most_common(years: list[int]) -> int | None:
    if not years:
        return None
    counts = Counter(years)
    best = max(counts.values())
    return next(y for y in years if counts[y] == best)  # ties: the first mentioned


# '2005년 설립된 …', '1987년 설치된 …': a year of the past a body or facility began, no anchor
_HISTORY_AFTER = re.compile(r"\s*(?:에\s*)?(?:설립|설치|개관|개원|준공|창립|창설|도입|제정|출범|건립|개통)"
                            r"(?:된|한|돼|했|하였|되었|되어)")
_YEAR_WORDS = {"지난해": -1, "작년": -1, "올해": 0, "금년": 0, "내년": 1}
_YEAR_SAID_BOTH = re.compile(r"(?P<word>지난해|작년|올해|금년|내년)\s*\(?\s*(?P<year>(?:19|20)\d{2})\s*년(?!도)")


def infer_anchor_year(text: str) -> int | None:
    """A year to anchor relative dates when the page has no publication date: e.g. a year in an
    event/programme name ('2023년 노사민정협력활성화 사업', '2020 보건사업 설명회'), '2026년도', or a dated
    caption '2024.11.18'. Return None when nothing is reliable.

    In order: a dated caption; full dates in the text (not widgets, clocks or timestamps); an
    explicit year paired with a modifier 내년/내년도 ('내년도 …' and '2020년도 …' → 2019); the year
    most often used as a modifier of a name. Years with 부터/까지/에 alone are not trusted.
    """
    norm = _normalise(text)
    caption = infer_anchor_date(norm)
    if caption is not None:
        return caption.year
    said_both = [int(m["year"]) - _YEAR_WORDS[m["word"]] for m in _YEAR_SAID_BOTH.finditer(norm)]
    if said_both:  # '지난해 2017년', '올해(2018년)': the year it was written, said both ways
        return _most_common(said_both)
    points = _build_points(norm, _atoms_of(norm))
    # '내년 1월 1일' beside '2026년 1월 1일': the same day said both ways fixes the year it was written
    relative = {(p.month, p.day): p.year_offset for p in points
                if p.year_offset is not None and p.month is not None and p.year is None}
    paired = [p.year - relative[(p.month, p.day)] for p in points  # type: ignore[operator]
              if p.year is not None and (p.month, p.day) in relative]
    if paired:
        return _most_common(paired)
    full = [
        p.fixed[0] if p.fixed else p.year
        for p in points
        if (p.fixed is not None or (p.year is not None and p.month is not None and p.day is not None))
        and not _is_widget_line(norm, p)
        and not _preceded_by_label(norm, p.start)
    ]
    if full:
        return _most_common(full)
    modifiers = [  # (year, written with 년도) for years that modify a name
        (p.year, norm[p.end - 1] == "도")
        for p in points
        if p.year is not None and p.level == _YEAR_LEVEL and p.year_part is None and _NAME_AFTER.match(norm, p.end)
        and not _HISTORY_AFTER.match(norm, p.end)
    ]
    for m in _NEXT_YEAR_MODIFIER.finditer(norm):
        paired = [y for y, with_do in modifiers if with_do == bool(m.group("do"))]
        if paired:
            return max(paired) - 1
    return _most_common([y for y, _ in modifiers])


def recognise(doc: Doc, gazetteer: Gazetteer) -> list[FoundSpan]:
    """The date layer of the Doc, each date in the sentence it is written in."""
    spans = []
    for found in doc.dates:
        sentence = doc.sentence_at(found.start_offset)
        spans.append(FoundSpan("date", found.start_offset, found.end_offset, sentence.index if sentence else -1,
                          found.rule, text=found.text, date_start=found.start, date_end=found.end))
    return spans
