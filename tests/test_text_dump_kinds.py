"""Text dumps of unseen pages: publication times and headlines wherever Korean pages put them,
and the chrome kinds portal copies, mobile pages and widgets leave in the text. Our own lines."""
from __future__ import annotations

import pytest

from extractors.text_dump import extract_text_dump

TITLE = "한들군, 청년 농업인 정착지원금 월 100만원 지급"
P1 = "한들군은 올해 청년 농업인 20명에게 정착지원금을 매달 100만원씩 지급한다고 5일 밝혔다."
P2 = "지원 대상은 만 18세 이상 40세 미만으로 영농 경력이 3년 이하인 청년 농업인이다."
P3 = "군 관계자는 “청년들이 농촌에 뿌리내릴 수 있도록 돕겠다”고 말했다."
BODY = "\n".join([P1, P2, P3])


def _dump(*lines: str):
    return extract_text_dump("\n".join(lines) + "\n")


@pytest.mark.parametrize("date_line", [
    "2025-03-05     김한들",            # date and the reporter's bare name
    "2025-03-05     한들일보",          # date and the outlet
    "2025년 03월 05일(수) 10:12",       # Korean date with weekday and time
    "- 2025-03-05 10:12:34",            # a board's bulleted meta line
    "hd@handeul.kr | 2025-03-05 10:12:34",  # e-mail byline with an unlabelled time
])
def test_header_date_lines_give_title_and_date(date_line):
    article = _dump(TITLE, "", date_line, P1, P2, P3, "ⓒ 한들일보 무단전재 및 재배포 금지")
    assert article.published_at is not None and article.published_at.date().isoformat() == "2025-03-05"
    assert article.title == TITLE
    assert article.body == BODY


def test_only_update_labelled_takes_the_bare_time_above_it():
    """Portal copies: '2025.03.05 08:04' bare, then '수정 : … 기사원문'."""
    article = _dump(TITLE, "한들뉴스", "2025.03.05 08:04", "수정 : 2025.03.06 09:00기사원문", P1, P2, P3)
    assert article.published_at is not None and article.published_at.isoformat() == "2025-03-05T08:04:00+09:00"
    assert article.updated_at is not None and article.updated_at.day == 6
    assert article.title == TITLE


def test_time_printed_under_the_sign_off():
    article = _dump(P1, P2, P3, "김한들 기자 hd@handeul.kr", "2025.03.05 (수) 21:20", "", "많이 본 뉴스")
    assert article.published_at is not None and article.published_at.isoformat() == "2025-03-05T21:20:00+09:00"
    assert article.body == BODY


def test_a_sentence_with_a_date_is_not_a_date_line():
    article = _dump(TITLE, "2025-03-04 개최한다고 밝혔다는 소식이 전해졌다 그리고 더 길게 이어진다", P1, P2, P3)
    assert article.published_at is None
