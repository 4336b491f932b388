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


# --- chrome kinds: one rule per kind, each on a page of that kind ------------------------------

def test_daum_portal_copy_drops_its_popups_and_notices():
    article = _dump(TITLE, "한들일보", "입력 2025. 3. 5. 10:12", "음성으로 듣기", "번역 설정", "글씨크기 조절하기",
                    "인쇄하기", "요약", "가장 작은 글씨", "작은 글씨", "보통 글씨", "큰 글씨", "가장 큰 글씨",
                    "이 글자크기로 변경됩니다.",
                    "(예시) 가장 빠른 뉴스가 있고 다양한 정보, 쌍방향 소통이 숨쉬는 다음뉴스를 만나보세요. "
                    "다음뉴스는 국내외 주요이슈와 실시간 속보, 문화생활 및 다양한 분야의 기사를 볼 수 있습니다.",
                    P1, P2, P3, "Copyright © 한들일보. 무단전재 및 재배포 금지.")
    assert article.title == TITLE and article.body == BODY
    assert article.published_at is not None and article.published_at.day == 5


def test_naver_portal_copy_drops_its_notices():
    article = _dump(TITLE, "입력2025.03.05. 오전 10:12", "기사원문", "본문 요약봇", "텍스트 음성 변환 서비스 사용하기",
                    "성별", "남성", "여성", "말하기 속도", "느림", "보통", "빠름",
                    "이동 통신망을 이용하여 음성을 재생하면 별도의 데이터 통화료가 부과될 수 있습니다.",
                    "글자 크기 변경하기", "가1단계 작게", "가2단계 보통", "가3단계 크게", "SNS 보내기", "인쇄하기",
                    P1, P2, "본문의 검색 링크는 AI 자동 인식으로 제공됩니다. 검색 결과에는 정확하지 않은 정보가 있을 수 있습니다.",
                    P3, "이 기사는 언론사에서 사회 섹션으로 분류했습니다.", "기사 섹션 분류 안내",
                    "기사의 섹션 정보는 해당 언론사의 분류를 따르고 있습니다. 언론사는 개별 기사를 2개 이상 섹션으로 중복 분류할 수 있습니다.")
    assert article.title == TITLE and article.body == BODY


def test_paragraphs_and_captions_printed_twice_stay_once():
    caption = "한들군 청년 농업인들이 스마트팜 시설을 둘러보고 있다."
    article = _dump(TITLE, "입력 2025-03-05 10:12", caption, caption, P1, P2, P2, P3)
    assert article.body.count(P2) == 1
    assert article.body.count(caption) <= 1
    assert P1 in article.body and P3 in article.body


def test_comment_ranked_lists_end_the_story():
    article = _dump(TITLE, "입력 2025-03-05 10:12", P1, P2, P3, "댓글 많은 뉴스",
                    "1 한들군, 공공형 계절근로자 50명 도입한다고 밝혔다 이번 주 안에 모두 입국할 예정이다.",
                    "2 이웃 군은 농기계 임대 사업소를 새로 연다고 밝혔다.")
    assert article.body == BODY


def test_translation_widget_lines_are_dropped():
    article = _dump("Select Language", "English 中文 日本語 Tiếng Việt Русский", "Powered by Google Translate",
                    TITLE, "입력 2025-03-05 10:12", P1, P2, P3)
    assert article.body == BODY and article.title == TITLE


def test_copyright_glued_to_the_last_sentence_is_cut():
    article = _dump(TITLE, "입력 2025-03-05 10:12", P1, P2, P3 + "ⓒ 한들일보(www.handeul.kr), 무단전재 및 재배포 금지")
    assert article.body == BODY


def test_headline_prefixed_with_the_outlets_name():
    article = _dump("[한들일보] " + TITLE, "입력 2025-03-05 10:12", P1, P2, P3, "저작권자 © 한들일보 무단전재 및 재배포 금지")
    assert article.outlet == "한들일보" and article.title == TITLE
    labelled = _dump("[중부경남] " + TITLE, "입력 2025-03-05 10:12", P1, P2, P3, "저작권자 © 한들일보 무단전재")
    assert labelled.title == "[중부경남] " + TITLE  # a section label is part of the headline


def test_mobile_page_takes_the_articles_own_time_not_a_ranking_items():
    article = _dump("많이 본 뉴스", "1 이웃 군, 농기계 임대 사업소 개소", "입력 2025-02-01 09:00",
                    "이웃 군은 농기계 임대 사업소를 열었다고 밝혔다.",
                    TITLE, "입력 2025-03-05 10:12", P1, P2, P3, P1.replace("20명", "30명"), P2 + " " + P3)
    assert article.published_at is not None and article.published_at.isoformat() == "2025-03-05T10:12:00+09:00"
    assert article.title == TITLE


def test_broadcast_script_broken_mid_sentence_starts_the_body():
    article = _dump("한들 방송", "한들군 농업인들의 소득 안정을 위해", "전라남도가 처음 시작한", "농업인 수당이",
                    "내년부터는 전 군으로 확대됩니다.", "군은 예산 10억 원을 들여 농가 천 곳에 지급한다고 밝혔습니다.")
    assert article.body.startswith("한들군 농업인들의 소득 안정을 위해\n전라남도가 처음 시작한\n농업인 수당이")


def test_a_list_of_triangle_items_is_body_and_a_lone_triangle_line_a_caption():
    items = ["▲김한들 의원, 한들군 청년 농업인 지원 조례안", "▲이보람 의원, 한들군 경로당 운영 조례 일부개정조례안"]
    article = _dump(TITLE, "입력 2025-03-05 10:12", P1, "이번 임시회에서 다룰 조례안은", *items, P3,
                    "▲한들군 청년 농업인들이 스마트팜을 둘러보고 있다.")
    assert all(item in article.paragraphs for item in items)
    assert "스마트팜을 둘러보고" not in article.body


@pytest.mark.parametrize("sign_off", ["[ 김한들 기자 / handeul@example.kr ]",
                                      "김한들 기자 / 지방자치 정책팀 handeul@example.kr"])
def test_sign_offs_with_a_desk_or_brackets_end_the_story(sign_off):
    article = _dump(TITLE, "입력 2025-03-05 10:12", P1, P2, P3, sign_off)
    assert article.body == BODY


def test_bylines_glued_after_the_last_sentence_are_cut():
    article = _dump(TITLE, "입력 2025-03-05 10:12", P1, P2, P3 + " 한들일보 중부본부장 김한들 |")
    assert article.body == BODY
    cut_off = _dump(TITLE, "입력 2025-03-05 10:12", P1, P2, "군 관계자는 청년들이 농촌에 뿌리내리도록... [김한들]")
    assert cut_off.paragraphs[-1] == "군 관계자는 청년들이 농촌에 뿌리내리도록..."


def test_recommendation_widgets_comment_notices_and_stray_stamps_are_not_body():
    article = _dump(TITLE, "입력 2025-03-05 10:12", P1, P2, "2025-03-05 10:12:55", P3,
                    "ex) hand****** 아이디 앞 네자리 표기 이외 * 처리", ":) 당신이 좋아할만한 뉴스",
                    "이웃 군은 농기계 임대 사업소를 열었다고 밝혔다.")
    assert article.body == BODY


def test_a_headline_that_ends_like_a_sentence_is_not_the_lead():
    article = _dump("[중부경남] 한들군, 청년 농업인에 정착지원금 쏜다", P1, P2, P3)
    assert article.body == BODY
