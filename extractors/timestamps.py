"""Publication and update times from Korean info lines (입력, 등록, 승인, 기사승인, 수정, 송고 ...).

Times without a zone are KST. Site clocks (UPDATE., 편집 :), print dates (지면게재일) and the
weather widget's date are not the article's time and are never read as such.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")

# One timestamp: 2024-03-12 16:01:07 · 2025.05.23 11:19 · 2021/01/13 [22:45] · 24-05-02 10:12 ·
# 2020년 10월 29일 17시 01분 · 2023. 7. 20.
_STAMP = re.compile(
    r"(?P<year>(?:19|20)\d{2}|\d{2})\s*[-./년]\s*(?P<month>\d{1,2})\s*[-./월]\s*(?P<day>\d{1,2})\s*일?\.?"
    r"(?:\s*\([월화수목금토일]\)|\s*[월화수목금토일]요일)?"
    r"(?:\s*\[?\s*(?:(?P<ampm>오전|오후|AM|PM)\s*)?(?P<hour>\d{1,2})\s*[:시]\s*(?P<minute>\d{2})\s*분?"
    r"(?:\s*:\s*(?P<second>\d{2}))?\s*\]?)?"
)
_PUBLISHED = r"(?:기사\s*)?(?:입력|등록|승인|송고|게재|발행|작성일|작성|등록일|보도일|기사입력|발행일)"
_UPDATED = r"(?:최종\s*)?(?:수정|업데이트|최종편집일|수정일)"
_LABELLED = re.compile(
    rf"(?P<label>{_PUBLISHED}|{_UPDATED})\s*(?:일시|시간)?\s*[:：]?\s*(?=\d)"
)
# labels whose dates must never be read as the article's time
_NOT_ARTICLE_TIME = re.compile(r"지면\s*게재|UPDATE\.|편집\s*:|현재\s*시각|기상청|오늘"
                               r"|등록번호|제\s*호\s*[:：]|발행인|편집인|사업자")  # the outlet's registration footer
_WEATHER_DATE = re.compile(r"^\s*(?:19|20)\d{2}[.-]\d{1,2}[.-]\d{1,2}\s*\([월화수목금토일]\)\s*$")


@dataclass(frozen=True)
class InfoTimes:
    published_at: datetime | None
    updated_at: datetime | None
    line_indexes: tuple[int, ...]  # lines that carried a time (the info block)


def parse_stamp(text: str) -> datetime | None:
    """The first timestamp in `text` as an aware datetime (KST unless the text says otherwise)."""
    match = _STAMP.search(text)
    return _to_datetime(match) if match else None


def _to_datetime(match: re.Match[str]) -> datetime | None:
    year = int(match["year"])
    if year < 100:
        year += 2000
    hour = int(match["hour"]) if match["hour"] else 0
    if match["ampm"] in {"오후", "PM"} and hour < 12:
        hour += 12
    try:
        return datetime(year, int(match["month"]), int(match["day"]), hour,
                        int(match["minute"] or 0), int(match["second"] or 0), tzinfo=KST)
    except ValueError:
        return None


def labelled_times(line: str) -> tuple[datetime | None, datetime | None]:
    """(published, updated) named by labels on one line, e.g. '입력 2025-02-16 16:23 수정 …'."""
    if _NOT_ARTICLE_TIME.search(line) and (not re.search(_PUBLISHED, line) or re.search(r"등록번호|발행인", line)):
        return None, None
    published = updated = None
    for label in _LABELLED.finditer(line):
        stamp = _STAMP.match(line, label.end())
        if not stamp:
            continue
        moment = _to_datetime(stamp)
        if re.fullmatch(_UPDATED, label["label"]) or "수정" in label["label"]:
            updated = updated or moment
        elif "지면" not in line[max(0, label.start() - 3):label.start()]:
            published = published or moment
    return published, updated


# What may follow a bare date on its line: a reporter, a name or the outlet ('2018-02-12     박철홍',
# '2012-01-22     연합뉴스', '2020-01-03 충북인뉴스')
_AFTER_BARE_DATE = re.compile(r"^\s*(?:[가-힣]{2,4}\s*기자|[가-힣A-Za-z0-9]{2,12})?\s*$")


def is_bare_date_line(line: str) -> bool:
    """A line that is a date and little else: '2019-04-11     정동신 기자', a lone '2020-01-06',
    '2026년 01월 22일(목) 10:12', '- 2024-01-04 09:27:34', '2012-01-22     연합뉴스'."""
    text = re.sub(r"^[-–·•]\s*", "", line.strip())
    stamp = _STAMP.match(text)
    if not stamp or not re.match(r"(?:19|20)\d{2}", stamp["year"]) or _WEATHER_DATE.match(text):
        return False
    return bool(_AFTER_BARE_DATE.match(text[stamp.end():]))


# A byline that carries the time without a label: '[매체] 2024년 09월 23일 (월) 15:12:07 홍길동 기자',
# '2022.09.15 09:30 | 매체 | 홍길동 기자', '매체 | 홍길동 기자 | 2025.06.30 15:45 | 최종 2025.07.01 08:12'
_BYLINE_MARK = re.compile(r"[가-힣]{2,4}\s*(?:기자|특파원|통신원)|[\w.+-]+@[\w-]+\.[\w.]+")
_UPDATED_MARK = re.compile(r"(?:최종|수정|업데이트)\s*[:：]?\s*$")


def byline_times(line: str) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from a reporter's byline line that states times without labels."""
    if len(line) > 120 or not _BYLINE_MARK.search(line) or _NOT_ARTICLE_TIME.search(line):
        return None, None
    published = updated = None
    for stamp in _STAMP.finditer(line):
        if not stamp["hour"] and not re.match(r"(?:19|20)\d{2}", stamp["year"]):
            continue  # a bare '24-05-02' without a time is too weak here
        moment = _to_datetime(stamp)
        if _UPDATED_MARK.search(line[:stamp.start()]):
            updated = updated or moment
        else:
            published = published or moment
    return published, updated


def find_info_times(lines: list[str], limit: int | None = None) -> InfoTimes:
    """Published and updated times from the labelled info lines among `lines[:limit]`.

    Bylines with unlabelled times count when no labelled line exists, and a bare date line
    (no label, no byline time) only when neither does."""
    published = updated = None
    indexes: list[int] = []
    bylines: list[int] = []
    bare: list[int] = []
    for index, line in enumerate(lines[:limit]):
        if len(line) > 160:
            continue  # a paragraph that happens to contain a date is not an info line
        line_published, line_updated = labelled_times(line)
        if line_published or line_updated:
            indexes.append(index)
            published = published or line_published
            updated = updated or line_updated
        elif any(byline_times(line)):
            bylines.append(index)
        elif is_bare_date_line(line):
            bare.append(index)
    # a page that labels only its update ('수정 : …') prints the publication time bare above it
    if published is None and bylines:
        published, byline_updated = byline_times(lines[bylines[0]])
        updated = updated or byline_updated
        indexes.append(bylines[0])
    if published is None and bare:
        published = parse_stamp(re.sub(r"^[-–·•]\s*", "", lines[bare[0]].strip()))
        indexes.append(bare[0])
    return InfoTimes(published, updated, tuple(indexes))
