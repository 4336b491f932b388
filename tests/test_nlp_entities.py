"""Agencies, programmes, target groups and people on sentences of our own, across topics."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extractors.model import Article
from nlp.analyse import analyse_batch

KST = timezone(timedelta(hours=9))


def analyse(text: str, published: str = "2024-05-02T10:00:00"):
    article = Article(paragraphs=tuple(text.split("\n")), published_at=datetime.fromisoformat(published).replace(
        tzinfo=KST), content_hash="t" * 64)
    return analyse_batch([article])[0]


def agency_names(text: str) -> set[str]:
    return {agency.name for agency in analyse(text).agencies}


@pytest.mark.parametrize("text, expected", [
    ("경남 창원시는 고용노동부 창원지청과 함께 중장년 일자리 박람회를 연다고 밝혔다.", {"창원시", "고용노동부 창원지청"}),
    ("고용부와 중기부는 이날 소상공인 지원 대책을 발표했다.", {"고용노동부", "중소벤처기업부"}),
    ("서울특별시 구로구는 구로구청 대강당에서 설명회를 열었다.", {"구로구"}),
    ("양구군은 (주)다온케어, 한국산업단지공단과 업무협약을 맺었다.", {"양구군", "다온케어", "한국산업단지공단"}),
    ("김해늘푸른병원이 검진을 맡고, 김해시보건소가 비용을 지원한다.", {"김해늘푸른병원", "김해시보건소"}),
    ("한국관광공사 경남지사가 홍보를 맡는다.", {"한국관광공사 경남지사"}),  # a branch, not the governor
    ("이동도서관 운영은 상주시립도서관이 맡는다.", {"상주시립도서관"}),  # a library that runs something
])
def test_agencies_are_found_and_canonicalised(text, expected, kiwi):
    assert agency_names(text) == expected


@pytest.mark.parametrize("text, not_expected", [
    ("정성주 김제시장은 “일자리를 늘리겠다”고 말했다.", "김제시"),  # a person's title, not the body
    ("행사는 청주시 문화체육센터에서 주민 200여 명이 참석한 가운데 열렸다.", "청주시 문화체육센터"),  # a venue
    ("군은 내년까지 복합커뮤니티센터 조성을 마칠 계획이다.", "복합커뮤니티센터"),  # a facility being built
    ("관계기관과 유관기관이 함께 참여했다.", "관계기관"),  # generic references
    ("센터에는 사회복지사 등 전담 인력 4명이 상주한다.", "사회복지사"),  # a profession, not a '…지사'
    ("시상식은 상주시립도서관에서 열린다.", "상주시립도서관"),  # a library as the place
])
def test_what_is_not_an_agency(text, not_expected, kiwi):
    assert not_expected not in agency_names(text)


@pytest.mark.parametrize("text, expected", [
    ("순천시는 올해 ‘청년 창업 사다리 지원사업’ 참가자를 모집한다.", "청년 창업 사다리 지원사업"),
    ("군은 「스마트팜 청년 임대 사업」을 통해 청년농을 돕는다.", "스마트팜 청년 임대 사업"),
    ("구는 6월부터 구로구 일자리개척단을 운영한다.", "구로구 일자리개척단"),
    ("시는 노인일자리 및 사회활동 지원사업 참여자를 모집한다.", "노인일자리 및 사회활동 지원사업"),
    ("주요 사업은 △종합체육관 건립 62억 원 △수소도시 조성 20억 원 등이다.", "종합체육관 건립"),
    ("군은 마을해설사(안내사) 육성사업 등 5개 사업을 벌인다.", "마을해설사(안내사) 육성사업"),
    ("1위로 뽑힌 목도백중놀이 축제에 4000만 원을 지원한다.", "목도백중놀이 축제"),
    ("보건소는 ‘마음을 여는 웃음치료’를 주제로 한 건강강좌를 열었다.", "마음을 여는 웃음치료"),
    ("군은 7월부터 ‘찾아가는 마을 순회 진료’를 한다.", "찾아가는 마을 순회 진료"),  # '찾아가는' is no subject
    ("네 기관은 ‘어린이 등굣길 안전 지킴’ 협약을 맺었다.", "어린이 등굣길 안전 지킴"),
    ("도는 새로 들어오는 기업에 지방투자촉진보조금을 준다.", "지방투자촉진보조금"),
])
def test_programmes_are_named_as_written(text, expected, kiwi):
    assert expected in analyse(text).programs


@pytest.mark.parametrize("text", [
    "이번 사업은 보건 사업의 하나로 추진된다.",
    "군은 다양한 공모사업에 도전하고 있다.",
    "영화관은 ‘베테랑’과 ‘암살’ 등을 상영했다.",
    "박 의원은 ‘골목길 안전과 주차 문제’를 주제로 5분 자유발언을 했다.",
    "‘농촌 정착 분야’는 귀농인의 안정적 정착을 위해 마련됐다.",
    "군은 국비 보조금 3억 원을 확보했다.",
    "군수는 ‘주민이 바라는 일부터 하나씩 차근차근 풀겠다’고 했다.",
])
def test_generic_words_are_not_programmes(text, kiwi):
    assert analyse(text).programs == ()


@pytest.mark.parametrize("text, expected", [
    ("시는 청년 구직자에게 면접 정장을 빌려준다.", "청년 구직자"),
    ("구는 이동노동자 지원사업을 확대한다.", "이동노동자"),
    ("군은 귀농·귀촌인을 위한 정착 교육을 연다.", "귀농·귀촌인"),
])
def test_target_groups(text, expected, kiwi):
    assert expected in analyse(text).target_groups


def test_people_keep_their_roles(kiwi):
    analysis = analyse("서명훈 창원시 산업혁신국장은 “기업 유치에 힘쓰겠다”고 말했다.")
    people = [(m.text, m.role) for m in analysis.mentions if m.kind == "person"]
    assert people == [("서명훈", "창원시 산업혁신국장")]


def test_every_mention_points_at_its_text_and_sentence(kiwi):
    text = "전주시는 12일 이동노동자 쉼터를 열었다.\n시는 올해 쉼터 2곳을 더 짓고 국비 3억 원을 확보할 계획이다."
    analysis = analyse(text, "2024-03-12T16:00:00")
    assert analysis.mentions
    for mention in analysis.mentions:
        assert text[mention.start:mention.end] == mention.text
        assert mention.text in mention.sentence
    goals = {(m.quantity, m.unit) for m in analysis.mentions if m.kind == "goal"}
    assert (300000000, "원") in goals and (2, "곳") in goals
    assert any(f.program for f in analysis.facts) or analysis.programs == ()


def test_user_dictionary_teaches_agencies_and_programmes(tmp_path, kiwi):
    from nlp.gazetteer import GazetteerError, load_gazetteer

    path = tmp_path / "mine.tsv"
    path.write_text("kind\tname\taliases\nagency\t한빛청년재단\t한빛재단\nprogram\t바다마을 살리기\t\n", encoding="utf-8")
    article = Article(paragraphs=("한빛재단은 바다마을 살리기를 올해도 이어간다고 밝혔다.",), content_hash="u" * 64)
    analysis = analyse_batch([article], str(path))[0]
    assert [a.name for a in analysis.agencies] == ["한빛청년재단"]
    assert "바다마을 살리기" in analysis.programs
    bad = tmp_path / "bad.tsv"
    bad.write_text("kind\tname\nplace\t어딘가\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="bad.tsv:2: unknown kind 'place'"):
        load_gazetteer(str(bad))


def test_a_programme_named_only_as_a_contrast_is_left_out(kiwi):
    text = "이 사업은 기존의 구직자 중심 일자리 연계 사업과 달리 기업의 구인 수요도 반영한다."
    assert "구직자 중심 일자리 연계 사업" not in analyse(text).programs


@pytest.mark.parametrize("text, expected, not_expected", [
    ("창원시는 중장년 구직자를 위한 일자리 박람회를 연다.", "중장년 구직자", "중장년"),
    ("달서구는 무주택 청년에게 월세를 지원한다.", "무주택 청년", "달서 청년"),
])
def test_target_groups_keep_their_qualifiers(text, expected, not_expected, kiwi):
    groups = analyse(text).target_groups
    assert expected in groups and not_expected not in groups


@pytest.mark.parametrize("text, expected", [
    ("시는 관내 경로당 회장 등 마을단체 대표를 대상으로 건강 강좌를 열었다.", "마을단체 대표"),
    ("도는 공모를 통해 전국 지자체를 대상으로 선도사업을 발굴한다.", "지자체"),
    ("이 사업은 보행 취약 계층의 안전한 귀갓길을 돕는다.", "보행 취약 계층"),
    ("지원 대상은 낡은 축사를 고치려는 농가이며 모두 40곳을 지원한다.", "농가"),
    ("구는 구민복지 서비스를 넓히려고 복지관 두 곳을 새로 짓는다.", "구민"),
    ("군은 노인일자리사업 참여자 1천200명을 모집한다.", "노인"),
    ("군은 뇌전증 환자 가족을 위한 돌봄 교실을 연다.", "뇌전증 환자 가족"),
    ("군은 도시민의 농촌 정착을 돕기 위해 체험 주택을 운영한다.", "도시민"),
    ("시는 하반기 외국인 계절근로자 120명을 농가에 배치한다.", "외국인 계절근로자"),
    ("구는 중장년 1인가구 800명에게 안부 확인 서비스를 제공한다.", "중장년 1인가구"),  # a digit in the group
    ("입주 대상은 지역 기업에 다니는 무주택 청년 근로자다.", "무주택 청년 근로자"),  # a contracted copula
    ("군은 주말과 공휴일 입산자를 대상으로 계도 활동을 편다.", "입산자"),
])
def test_target_groups_from_the_sentence_shape(text, expected, kiwi):
    assert expected in analyse(text).target_groups


@pytest.mark.parametrize("text, not_expected", [
    ("군은 중소기업 3곳과 240억원 규모의 투자협약을 맺었다.", "중소기업"),  # a party, not served
    ("구는 산업단지 입주기업 9곳과 ‘중장년 채용 연계 협약’을 맺었다.", "입주기업"),
    ("시는 하반기 외국인 계절근로자 120명을 농가에 배치한다.", "하반기 외국인 계절근로자"),
    ("지난해 축제에는 사흘 동안 관광객 8만여 명이 찾았다.", "관광객"),  # a count already reached
    ("관내 65세 이상 인구 가운데 치매 환자는 4천여 명이다.", "치매 환자"),  # a statistic
    ("시범 운영 결과 학부모 만족도가 높게 나타났다.", "학부모"),
    ("대상은 상시 근로자 5인 미만 업체다.", "근로자"),  # an eligibility threshold
    ("군은 청년들을 지역 소상공인으로 양성할 계획이다.", "소상공인"),  # what they become
    ("시는 축제를 키워 관광객 유치에 나선다.", "관광객"),
    ("구는 지역 주민 30명으로 구성된 ‘골목 안전 지킴이단’을 꾸렸다.", "주민"),  # members of a body
    ("지난해에는 신입생이 한 명도 없는 학교가 3곳이었다.", "신입생"),
    ("시는 식품·바이오 기업 2곳과 총 800억 원 규모의 투자협약을 맺었다.", "식품·바이오 기업"),
    ("군이 산단 근로자 500명에게 물은 결과 절반이 통근을 꼽았다.", "산단 근로자"),  # survey respondents
    ("입주 대상은 지역 중소기업에 다니는 청년이다.", "중소기업"),  # a workplace
    ("회수된 컵은 사회적기업 ‘맑은손’이 씻어 매장에 공급한다.", "사회적기업"),  # a named partner
    ("지역 1인가구는 5만여 가구로 전체 가구의 35%를 차지한다.", "가구"),  # a counter and a share
    ("이동도서관은 읍·면 마을 30곳을 2주마다 찾아간다.", "읍·면 마을"),  # areas are not groups
    ("군은 행정복지센터에 가정 상담 창구를 연다.", "가정"),  # a head word alone names nobody
    ("군은 옛 주민센터 건물을 고쳐 청년 공간으로 쓴다.", "주민"),
    ("시는 월평동 상점가 주차환경개선사업에 국비 10억 원을 확보했다.", "월평동 상점가"),  # markets are places
    ("구는 전통시장 5곳에 화재 알림 시설을 설치한다.", "전통시장"),
])
def test_named_groups_that_are_not_served(text, not_expected, kiwi):
    assert not_expected not in analyse(text).target_groups


def test_one_target_group_entry_however_it_is_spaced(kiwi):
    text = "군은 일선학교를 대상으로 교육경비를 지원한다. 일선 학교에서 신청을 받는다."
    groups = analyse(text).target_groups
    assert len([g for g in groups if g.replace(" ", "") == "일선학교"]) == 1


def test_in_an_officials_words_only_the_group_it_is_done_for_counts(kiwi):
    hoped = analyse("군수는 “내년에는 군민이 더 건강하게 지낼 수 있도록 힘쓰겠다”고 말했다.").target_groups
    mentioned = analyse("군수는 “청년들이 많이 모여 행사장 분위기가 아주 좋았던 하루였다”고 말했다.").target_groups
    assert "군민" in hoped and "청년" not in mentioned


def test_a_bracketed_gloss_after_a_quoted_name_is_not_another_programme(kiwi):
    programs = analyse("군은 ‘읍내시장 되살리기 프로젝트’(민관협력 투자사업)를 시작했다.").programs
    assert programs == ("읍내시장 되살리기 프로젝트",)


@pytest.mark.parametrize("text, expected", [
    # a year in front and a word left out are still the one programme, named as most mentions spell it
    ("센터가 ‘2024년 농기계 임대 시범사업’을 접수한다. 농기계 임대사업 문의는 지도과로 하면 된다.",
     ("2024년 농기계 임대 시범사업",)),
    ("요양보호사 치유프로그램 참석자 명단을 받는다. 먼저 요양보호사 치유 힐링 프로그램을 열었다.",
     ("요양보호사 치유프로그램",)),
])
def test_spellings_of_one_programme_merge(text, expected, kiwi):
    assert analyse(text).programs == expected
