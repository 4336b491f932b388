"""Page-text dumps: body, title and time against the seed gold, and chrome rules on our own lines."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import pytest

from extractors import RawPage, extract
from extractors.text_dump import extract_text_dump
from tests.conftest import SEEDS


def token_f1(predicted: str, gold: str) -> float:
    p, g = predicted.split(), gold.split()
    overlap = sum((Counter(p) & Counter(g)).values())
    if not p or not g:
        return float(p == g)
    precision, recall = overlap / len(p), overlap / len(g)
    return 2 * precision * recall / (precision + recall) if overlap else 0.0


def seed_cases():
    return sorted(SEEDS.glob("*.txt"))  # empty where shared/ is absent: nothing to score


@pytest.mark.parametrize("path", seed_cases(), ids=lambda p: p.stem[:3])
def test_seed_pages_match_gold(path):
    gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
    article = extract(RawPage(body=path.read_bytes(), source_path=str(path)))
    assert token_f1(article.body, gold["body"]) >= 0.97
    assert article.title == gold["title"]
    published = article.published_at.date().isoformat() if article.published_at else None
    assert published == (gold["published_at"] or "")[:10] or (published is None and gold["published_at"] is None)


PAGE = """\
구름많음서울 18.2℃
기상청 제공
2025.06.02 (월)
사회
한빛군, 청년 농업인 정착 지원 나선다
올해 청년 30명 선발, 1인당 월 100만원
• 홍길동 기자
• 입력 2025.03.04 09:30
• 수정 2025.03.04 11:02
이 기사를 공유합니다
[한빛일보=홍길동 기자] 한빛군은 청년 농업인 정착을 돕기 위해 ‘청년농 희망키움 사업’을 추진한다고 4일 밝혔다.
▲ 한빛군청 전경 /한빛군 제공
군은 이달부터 신청을 받아 30명을 선발하고, 선발된 청년에게는 월 100만원을 지원한다.
한빛군 관계자는 “청년이 돌아오는 농촌을 만들겠다”고 말했다./홍길동 기자
홍길동 기자 hong@hanbit.example
저작권자 © 한빛일보 무단전재 및 재배포 금지
많이 본 뉴스
1. 다른 군, 다른 사업 소식이 여기에 있습니다
"""


def test_text_dump_header_body_and_tail():
    article = extract_text_dump(PAGE)
    assert article.title == "한빛군, 청년 농업인 정착 지원 나선다"
    assert article.published_at == datetime.fromisoformat("2025-03-04T09:30:00+09:00")
    assert article.updated_at == datetime.fromisoformat("2025-03-04T11:02:00+09:00")
    assert article.paragraphs[0].startswith("[한빛일보=홍길동 기자] 한빛군은")
    assert article.paragraphs[-1] == "한빛군 관계자는 “청년이 돌아오는 농촌을 만들겠다”고 말했다."
    assert len(article.paragraphs) == 3  # caption, deck, sign-off, copyright and ranking dropped
    assert article.outlet == "한빛일보"
    assert article.reporter == "홍길동" and article.reporter_email == "hong@hanbit.example"


def test_weather_date_is_not_publication_time():
    page = "2026.01.19 (월)\n흐림강릉 5.9℃\n기상청 제공\n군의회 임시회 폐회\n" \
           "[새전북타임즈=김민수 기자] 한빛군의회는 1월 12일부터 19일까지 임시회를 열었다.\n"
    article = extract_text_dump(page)
    assert article.published_at is None
    assert article.title == "군의회 임시회 폐회"


def test_other_story_after_the_body_is_cut():
    page = ("구청, 일자리 사업 시작\n• 등록 2025.05.23 11:19:26\n"
            "[한빛일보=김가람 기자] 한빛구가 6월부터 일자리 사업을 운영한다.\n"
            "구는 구직자 50명의 채용을 돕는다.\n"
            "다른 도시, 자전거 축제 열어\n"
            "[한빛일보=이나래 기자] 다른 도시는 지난 1일 자전거 축제를 열었다고 밝혔다.\n")
    article = extract_text_dump(page)
    assert article.paragraphs == ("[한빛일보=김가람 기자] 한빛구가 6월부터 일자리 사업을 운영한다.",
                                  "구는 구직자 50명의 채용을 돕는다.")


def test_empty_and_chrome_only_pages_are_not_articles():
    assert extract_text_dump("많이 본 뉴스\n1. 제목\n2. 제목\n").page_kind == "empty"
