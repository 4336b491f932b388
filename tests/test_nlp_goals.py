"""Tests for nlp.goals: quantities and goals in Korean regional policy news.

All sentences are written for these tests in the style of regional press releases
(employment, welfare, youth, small business, industry, health, agriculture, safety,
environment, culture, education); none is copied from the evaluation sets.
"""
from __future__ import annotations

import pytest

from nlp.goals import Goal, Quantity, find_goals, find_goals_in_text, parse_quantities, unit_kind


def _pairs(goals: list[Goal]) -> list[tuple[float, str]]:
    return [(g.quantity, g.unit) for g in goals]


# ---------------------------------------------------------------------------------------
# parse_quantities: numbers, magnitudes, counters
# ---------------------------------------------------------------------------------------

# (text, surface of the single expected quantity, value, unit)
SINGLE_QUANTITIES = [
    ("참여 어르신 1천47명을 선발했다", "1천47명", 1047, "명"),
    ("예산 35억 700만 원을 투입한다", "35억 700만 원", 3_507_000_000, "원"),
    ("본예산 1조1,862억 원을 편성했다", "1조1,862억 원", 1_186_200_000_000, "원"),
    ("사업비 3천만원을 확보했다", "3천만원", 30_000_000, "원"),
    ("나무 1만 1천727그루를 심었다", "1만 1천727그루", 11_727, "그루"),
    ("주민 1천여 명이 모였다", "1천여 명", 1000, "명"),
    ("신청액은 30억여원이다", "30억여원", 3_000_000_000, "원"),
    ("자부담은 21억5800여만원이다", "21억5800여만원", 2_158_000_000, "원"),
    ("구직자 ６００명 모집", "６００명", 600, "명"),
    ("일자리 1,500개를 만든다", "1,500개", 1500, "개"),
    ("참여율 40.5% 증가", "40.5%", 40.5, "%"),
    ("중소기업 600개 사를 방문한다", "600개 사", 600, "개사"),
    ("협력업체 120개사가 참여한다", "120개사", 120, "개사"),
    ("모두 19개사업을 추진한다", "19개", 19, "개"),
    ("입주기업 11개 업체가 있다", "11개", 11, "개"),
    ("자율방재단 5개반을 편성했다", "5개", 5, "개"),
    ("점포 5개소를 조성한다", "5개소", 5, "개소"),
    ("교육은 6개월 동안 진행된다", "6개월", 6, "개월"),
    ("펀드 1.5억 원을 조성한다", "1.5억 원", 150_000_000, "원"),
    ("총사업비 6천4백만원이 지원된다", "6천4백만원", 64_000_000, "원"),
    ("관람객 2만5천 명을 목표로", "2만5천 명", 25_000, "명"),
    ("교부세 1억 2천만 원을 받는다", "1억 2천만 원", 120_000_000, "원"),
    ("옥외체육관 각 8억5197만원", "8억5197만원", 851_970_000, "원"),
    ("해외 투자 100만 달러를 유치했다", "100만 달러", 1_000_000, "달러"),
    ("300억원대 사업", "300억원대", 30_000_000_000, "원"),
    ("좌석 18석 규모", "18석", 18, "석"),
    ("노후 슬레이트 79가구", "79가구", 79, "가구"),
    ("폐기물 1,638톤", "1,638톤", 1638, "톤"),
    ("산책로 12.5km를 정비한다", "12.5km", 12.5, "km"),
    ("상시근로자 5인 이상", "5인", 5, "인"),
    ("스마트 온실 30동", "30동", 30, "동"),
    ("안내서 3천 부를 배포한다", "3천 부", 3000, "부"),
    ("키움교실 18개교", "18개교", 18, "개교"),
    # round amounts the press writes in words, with no digit
    ("어업인에게 월 백만원을 지원한다", "백만원", 1e6, "원"),
    ("두 곳에 백억 원을 투입한다", "백억 원", 1e10, "원"),
    ("창업 자금 천만 원을 빌려준다", "천만 원", 1e7, "원"),
]


@pytest.mark.parametrize("text, surface, value, unit", SINGLE_QUANTITIES)
def test_parse_single_quantity(text: str, surface: str, value: float, unit: str) -> None:
    found = parse_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert (q.text, q.value, q.unit) == (surface, value, unit)
    assert text[q.start_offset : q.end_offset] == surface


# (text, [(surface, value, unit), ...]) for several quantities or none
MULTI_QUANTITIES = [
    # bare 억 is money; '등' after a space is 'etc.', not a counter
    ("국비 88억과 시비 59억 등", [("88억", 8.8e9, "원"), ("59억", 5.9e9, "원")]),
    # bare 만 is money right after a money noun
    ("도비 5천만, 군비 3천만", [("5천만", 5e7, "원"), ("3천만", 3e7, "원")]),
    ("2024년 3월 5일 오후 2시", [("2024년", 2024, "년"), ("3월", 3, "월"), ("5일", 5, "일"), ("2시", 2, "시")]),
    ("부지 66,000㎡와 1만2천㎡", [("66,000㎡", 66000, "㎡"), ("1만2천㎡", 12000, "㎡")]),
    ("3,4월에 모집", [("4월", 4, "월")]),
    # digits with no counter, and words that only start like a counter
    ("문의 ☏041-746-8311", []),
    ("노동 3원칙과 코로나19 대응", []),
    ("4조 2교대 근무", []),
    ("어촌뉴딜300 사업 61억 원", [("61억 원", 6.1e9, "원")]),
    # '1대1' is 'one to one'; '역삼1동' is a place, not one building
    ("1대1 상담과 역삼1동 주민센터", []),
]


@pytest.mark.parametrize("text, expected", MULTI_QUANTITIES)
def test_parse_several_quantities(text: str, expected: list[tuple[str, float, str]]) -> None:
    found = parse_quantities(text)
    assert [(q.text, q.value, q.unit) for q in found] == expected
    for q in found:
        assert text[q.start_offset : q.end_offset] == q.text


def test_parse_offsets_point_into_the_original_text() -> None:
    text = "군은 올해 예산 3억 원을 들여 경로당 12곳을 고친다."
    money, places = parse_quantities(text)
    assert (money.start_offset, money.end_offset) == (9, 13)
    assert (places.start_offset, places.end_offset) == (22, 25)
    assert isinstance(money, Quantity) and money.value == 300_000_000.0


# ---------------------------------------------------------------------------------------
# find_goals: positives across topics
# ---------------------------------------------------------------------------------------

GOAL_SENTENCES = [
    # employment
    ("구는 올해 청년 구직자 300명을 모집해 맞춤형 취업교육을 실시할 계획이다.", [(300, "명")]),
    ("시는 하반기 중장년 일자리 1,200개를 창출하는 것을 목표로 하고 있다.", [(1200, "개")]),
    ("센터는 올해 말까지 관내 중소기업 400개 사를 방문하고 구직자 80명 채용 연계를 목표로 한다.",
     [(400, "개사"), (80, "명")]),
    # welfare
    ("군은 저소득 홀몸 어르신 150가구에 난방비를 가구당 20만 원씩 지원한다.",
     [(150, "가구"), (200_000, "원")]),
    ("읍·면 행정복지센터는 위기가구 발굴을 위해 명예사회복지공무원 45명을 위촉한다.", [(45, "명")]),
    # youth: '1인당' is a denominator, the amounts are goals
    ("도는 청년 월세 지원에 국비 12억 원과 도비 8억 원을 투입해 1인당 월 최대 20만 원을 지원한다.",
     [(1.2e9, "원"), (8e8, "원"), (200_000, "원")]),
    # small business
    ("시는 경영난을 겪는 소상공인 2천여 곳에 업체당 100만 원의 경영안정자금을 지급할 예정이다.",
     [(2000, "곳"), (1_000_000, "원")]),
    # industry
    ("도는 스마트공장 구축 사업으로 중소 제조기업 45개 사를 선정해 기업당 최대 1억5천만 원을 지원한다.",
     [(45, "개사"), (150_000_000, "원")]),
    ("이번 투자로 약 250명의 신규 일자리가 창출될 것으로 기대된다.", [(250, "명")]),
    # health
    ("보건소는 치매 조기검진 대상자 3천500명을 목표로 찾아가는 검진 서비스를 운영한다.", [(3500, "명")]),
    # agriculture
    ("군은 올해 17억 원을 들여 스마트팜 10곳을 조성하고 청년농업인 20명을 선발한다.",
     [(1.7e9, "원"), (10, "곳"), (20, "명")]),
    # safety
    ("시는 어린이보호구역 30곳에 무인 단속카메라 45대를 설치할 계획이다.", [(30, "곳"), (45, "대")]),
    # environment: a planned reduction rate, a planned count of vehicles
    ("시는 2030년까지 온실가스 배출량을 40% 감축하는 것을 목표로 하고 있다.", [(40, "%")]),
    ("시는 올해 노후 경유차 500대의 조기폐차를 지원한다.", [(500, "대")]),
    # culture: money and seats
    ("군은 총사업비 45억 원을 투입해 객석 300석 규모의 작은 공연장을 건립한다.",
     [(4.5e9, "원"), (300, "석")]),
    # education
    ("교육청은 초등학교 돌봄교실 25학급을 추가로 개설할 예정이다.", [(25, "학급")]),
    ("군은 관내 고교 신입생 420명에게 1인당 30만 원의 교복 구입비를 지원한다.",
     [(420, "명"), (300_000, "원")]),
    # size of a body
    ("협의회는 노사민정 대표와 전문가 등 총 15명으로 구성됐다.", [(15, "명")]),
    ("방재단은 4개반 총 40명으로 꾸려졌다.", [(4, "개"), (40, "명")]),
    # rates and shares, bare 억 amounts
    ("사업비는 국비 50%, 도비 30%, 군비 20%로 분담한다.", [(50, "%"), (30, "%"), (20, "%")]),
    ("국비 30억과 시비 20억 등 총 50억 원이 투입된다.", [(3e9, "원"), (2e9, "원"), (5e9, "원")]),
    # projects and cases decided
    ("시는 올해 주민참여예산 사업으로 총 42건을 확정했다.", [(42, "건")]),
    ("도는 7개 시군 22개 사업에 특별조정교부금을 배정했다.", [(7, "개"), (22, "개")]),
    # a frequency is a goal only with a goal verb
    ("안전교육은 상반기 중 총 10회 실시할 계획이다.", [(10, "회")]),
    # an enumeration shares the cue before it
    ("채용인원은 사무직 12명, 현장직 30명, 연구직 5명이다.", [(12, "명"), (30, "명"), (5, "명")]),
    # a minimum target is not a threshold
    ("도는 하반기에 1천 명 이상 채용할 방침이다.", [(1000, "명")]),
    # installations, housing units, trees, new facilities
    ("도는 2025년까지 수소충전소 20기를 구축한다.", [(20, "기")]),
    ("시는 1천200억 원을 들여 공공임대주택 2천 호를 공급한다.", [(1.2e11, "원"), (2000, "호")]),
    ("산림청은 올해 나무 5천만 그루를 심는다.", [(5e7, "그루")]),
    ("구는 올해 구립 어린이집 2곳을 신규 개원한다.", [(2, "곳")]),
    # copies, buildings, schools
    ("군은 올해 안내 책자 5천 부를 제작해 읍·면에 배포한다.", [(5000, "부")]),
    ("시는 스마트 온실 20동을 건립할 계획이다.", [(20, "동")]),
    ("돌봄교실은 내년 40개교로 확대된다.", [(40, "개교")]),
    # minimum targets: the number is the object, or counts the same kind of thing
    ("구는 참여자 100명을 모집해 이 중 60명 이상을 취업으로 연계할 계획이다.", [(100, "명"), (60, "명")]),
    ("시는 연간 30명 이상의 청년 창업가가 지역에 정착하도록 지원한다.", [(30, "명")]),
    # frequencies with their own verb or as a total
    ("과학 캠프는 연 4회 운영한다.", [(4, "회")]),
    ("찾아가는 음악회는 올해 모두 30회 열린다.", [(30, "회")]),
    ("전문 상담사 5명과 통역사 2명 등 모두 7명으로 상담반을 꾸린다.", [(5, "명"), (2, "명"), (7, "명")]),
    # money already applied for or approved is still money
    ("군은 학교들이 신청한 20억여원 가운데 심사를 거쳐 16억 원을 지원하기로 했다.",
     [(2e9, "원"), (1.6e9, "원")]),
    # money named as the budget is a goal, whatever the sentence says later ('거주하는')
    ("군은 해마다 약 2억원의 사업비로 관내에 거주하는 예술인을 지원한다.", [(2e8, "원")]),
]


@pytest.mark.parametrize("sentence, expected", GOAL_SENTENCES)
def test_find_goals_positive(sentence: str, expected: list[tuple[float, str]]) -> None:
    assert _pairs(find_goals(sentence)) == [(float(q), u) for q, u in expected]


# ---------------------------------------------------------------------------------------
# find_goals: each kind of negative
# ---------------------------------------------------------------------------------------

NOT_GOALS = [
    # attendance
    ("이날 발대식에는 자원봉사자 등 300여 명이 참석했다.", []),
    ("주민 200여 명이 모인 가운데 기념식이 열렸다.", []),
    ("주민 150명(이장, 부녀회장, 자원봉사자 등)이 참여한 가운데 설명회가 열렸다.", []),
    ("지난 주말 축제장에는 관광객 5만여 명이 다녀갔다.", []),
    ("면사무소는 기관단체장 등 20명을 초청해 시연회를 열었다.", []),
    # participants or users already reached
    ("지난해 이 프로그램을 이용한 주민은 1,200명에 달한다.", []),
    ("지난해에는 청년 80명을 채용했다.", []),
    # results already achieved, equivalences
    ("시는 지난해 음식물 쓰레기 배출량을 15% 줄였다.", []),
    ("센터는 올해 상반기 취업률 72%를 달성했다.", []),
    ("참여 기업들은 지난해 온실가스 2천400톤을 감축했다.", []),
    ("이는 소나무 3만 그루를 심은 것과 같은 효과다.", []),
    # population statistics
    ("군의 고령인구는 1만2천 명으로 전체의 38%를 차지한다.", []),
    ("관내 등록 장애인은 5,300명으로 집계됐다.", []),
    # thresholds, ages, durations
    ("상시근로자 5인 이상 50인 미만 사업장이 지원 대상이다.", []),
    ("연 매출 3억 원 이하 소상공인이 신청할 수 있다.", []),
    ("만 19세부터 39세까지의 청년이 신청할 수 있다.", []),
    ("사업은 3년간 추진되며 2년 이상 거주한 주민이 대상이다.", []),
    ("20대 청년층의 관심이 높다.", []),
    # ordinals, dates and times
    ("제5회 군민 한마당 축제는 2차 공연으로 이어졌다.", []),
    ("설명회는 3월 15일 오후 2시 군청 대회의실에서 열린다.", []),
    ("1단계 사업은 3층 규모로 추진된다.", []),
    # areas
    ("센터는 부지 1만2천㎡에 연면적 3,500㎡ 규모로 건립된다.", []),
    ("논 150ha와 밭 30평을 정비한다.", []),
    # phone numbers
    ("자세한 사항은 군청 일자리경제과(☎063-540-3000)로 문의하면 된다.", []),
    # ranges without a single number
    ("사업은 과별로 44~46개소 안팎에서 추진된다.", []),
    ("행사에는 1천~2천 명이 참여할 예정이다.", []),
    # items processed or under review
    ("군의회는 이번 임시회에서 조례안 7건과 동의안 3건을 원안 가결했다.", []),
    ("검토중인 협력 사업이 6개나 된다.", []),
    ("위원회는 신청 사업 12건을 심의했다.", []),
    # parties to an agreement
    ("시는 지역 대학 4곳과 청년 일자리 창출을 위한 업무협약을 체결했다.", []),
    # frequencies without a goal verb
    ("영화는 오전에 1회, 오후에 2회 상영된다.", []),
    # more statistics, surveys, past states and outcomes
    ("도의 청년 고용률은 45.2%로 전국 평균보다 낮다.", []),
    ("시민 1,000명을 대상으로 설문조사를 실시한 결과 응답자의 68%가 만족했다.", []),
    ("지난해 금연 성공률은 45%였다.", []),
    ("현장 면접을 통해 구직자 150명이 채용됐다.", []),
    ("이번 공모에는 32개 팀이 응모했다.", []),
    # thresholds on money, ordinal '기', parties listed together
    ("50억원 이상 투자 기업에는 보조금을 지원한다.", []),
    ("3기 신도시 조성 사업이 본격화된다.", []),
    ("시는 11일 기업 5곳, 대학 3곳과 인재양성 협약을 맺었다.", []),
    # results of last year: the whole clause is governed by '지난해'
    ("지난해 시범사업에는 주민 45명이 참여해 38명이 과정을 마쳤다.", []),
    ("지난해 이 사업으로 중소기업 60곳을 지원해 일자리 90개를 만드는 성과를 거뒀다.", []),
    ("지난해 관내 교통사고 사망자는 12명에 그쳤다.", []),
    # statistics without any programme word, survey results, the current state
    ("읍면 지역 초등학생은 8천여 명으로 전체의 27% 수준이다.", []),
    ("학부모 설문에서 응답자의 72%가 돌봄 확대를 원했다.", []),
    ("현재 15곳에서 운영 중인 공유주방은 내년에 늘어난다.", []),
    # fines are not programme money
    ("무단 투기가 적발되면 최대 100만 원의 과태료가 부과된다.", []),
    # ordinal parts and one-to-one sessions
    ("행사는 1부 기념식과 2부 공연으로 나뉜다.", []),
    ("공연장 2층 객석에서 1대1 멘토링이 열렸다.", []),
    # a household size names a kind of household, it counts nothing
    ("구는 1인가구 고독사를 막으려 안부 확인에 나선다.", []),
    # a figure compared with is no goal
    ("지난 임기 총 12건에 비해 두 배가 넘는 규모다.", []),
    # '만원' alone is not an amount read in words ('만원 관중')
    ("시민 만원 관중이 경기장을 메웠다.", []),
]


@pytest.mark.parametrize("sentence, expected", NOT_GOALS)
def test_find_goals_negative(sentence: str, expected: list[tuple[float, str]]) -> None:
    assert _pairs(find_goals(sentence)) == expected


# Sentences that mix a goal with a quantity that is not one.
MIXED = [
    # parties are rejected, the investment is kept
    ("도는 5개 기업과 1,200억 원 규모의 투자협약을 맺었다.", [(1.2e11, "원")]),
    # the pool of applicants is rejected, the selected are kept
    ("모집에 신청한 150명 중 서류심사를 거쳐 100명을 최종 선발했다.", [(100, "명")]),
    # last year's figure is a baseline, this year's is the target
    ("지원 인원을 지난해 100명에서 올해 150명으로 늘려 운영한다.", [(150, "명")]),
    # attendance next to a body size
    ("위원 9명 참석 (총 12명 중)", [(12, "명")]),
    # an age decade next to a count
    ("시는 20대 청년 100명을 모집한다.", [(100, "명")]),
    # a duration next to money
    ("참여자는 3년간 매달 10만 원을 적립하게 된다.", [(100_000, "원")]),
    # the old amount of a raised benefit is a baseline
    ("군은 정착지원금을 가구당 500만 원에서 1천만 원으로 상향했다.", [(10_000_000, "원")]),
    # '1인 가구' is a kind of household, not a count
    ("1인 가구 500가구에 안심 장비를 지원한다.", [(500, "가구")]),
    # the pool is not a goal, the ones taking part or selected are
    ("도내 18개 시·군 중 14곳이 참여한다.", [(14, "곳")]),
    ("이번 공모에서 전국 120개 기관 중 15개 기관이 선정됐다.", [(15, "개")]),
    # an earlier round already selected, the new round is the goal
    ("구는 상반기에 200명을 선발한 데 이어 하반기에 150명을 추가로 모집한다.", [(150, "명")]),
    # counts listed side by side; the agreement is with another party
    ("군은 장례식장 2곳과 경로당 6곳을 시범 운영지로 정하고 세척업체와 협약을 맺었다.", [(2, "곳"), (6, "곳")]),
    # '올해는' ends the reach of '지난해'
    ("이 사업은 지난해 한 곳에서 시범 운영됐고, 올해는 5개 시장으로 늘어난다.", [(5, "개")]),
    # attendance next to a programme's budget
    ("주민 500여 명이 참석한 가운데 총사업비 12억 원 규모의 사업 착수식이 열렸다.", [(1.2e9, "원")]),
]


@pytest.mark.parametrize("sentence, expected", MIXED)
def test_find_goals_mixed(sentence: str, expected: list[tuple[float, str]]) -> None:
    assert _pairs(find_goals(sentence)) == [(float(q), u) for q, u in expected]


# ---------------------------------------------------------------------------------------
# find_goals: phrase, object, offsets, de-duplication
# ---------------------------------------------------------------------------------------

PHRASES = [
    # words of another clause before the number are neither phrase nor object
    ("원금의 두 배인 480만원과 이자를 돌려준다.", "480만원", None),
    ("소득 수준에 따라 최대 11만원을 지원한다.", "최대 11만원을 지원", None),
    ("구는 지역 내 중소기업 600개 사를 방문할 계획이다.", "중소기업 600개 사를 방문", "중소기업"),
    ("구직자 50명 채용 연계를 목표로 한다.", "구직자 50명 채용", "구직자"),
    ("협의체는 관계기관 대표 등 총 24명으로 구성된다.", "총 24명으로 구성", "대표"),
    ("입주기업(11개 업체)이 공장을 가동해 일자리가 늘 전망이다.", "11개 업체", "업체"),
    ("가구당 최대 336만 원까지 지원한다.", "가구당 최대 336만 원", "가구"),
    ("약 300여명의 일자리가 창출될 것으로 보인다.", "약 300여명의 일자리가 창출", "일자리"),
    ("영화관은 18석 규모로 꾸며졌다.", "영화관은 18석 규모", "영화관"),
]


@pytest.mark.parametrize("sentence, text, obj", PHRASES)
def test_goal_phrase_and_object(sentence: str, text: str, obj: str | None) -> None:
    (goal,) = find_goals(sentence)
    assert goal.text == text
    assert goal.object == obj
    assert sentence[goal.start_offset : goal.end_offset] == goal.text


def test_one_goal_per_quantity_and_unit_in_a_sentence() -> None:
    sentence = "시는 특별교부세 3억 원을 받아 여성안심 귀갓길에 3억 원을 투입한다."
    assert _pairs(find_goals(sentence)) == [(300_000_000.0, "원")]


def test_same_number_with_two_units_gives_two_goals() -> None:
    sentence = "군은 만 39세 이하 청년 5명(5개소)을 선발할 예정이다."
    assert _pairs(find_goals(sentence)) == [(5.0, "명"), (5.0, "개소")]


def test_paragraph_is_decided_sentence_by_sentence() -> None:
    text = (
        "지난 12일 열린 출범식에는 150여 명이 참석했다.\n"
        "일자리개척단은 경력자 4명으로 구성되며 기업 300곳을 방문할 예정이다.군은 예산 2억 원을 투입한다."
    )
    goals = find_goals_in_text(text)
    assert _pairs(goals) == [(4.0, "명"), (300.0, "곳"), (200_000_000.0, "원")]
    for goal in goals:
        assert text[goal.start_offset : goal.end_offset] == goal.text


def test_full_width_digits_keep_offsets() -> None:
    sentence = "청년 ２０명을 모집한다."
    (goal,) = find_goals(sentence)
    assert (goal.quantity, goal.unit) == (20.0, "명")
    assert sentence[goal.start_offset : goal.end_offset] == goal.text


def test_unit_kinds() -> None:
    assert [unit_kind(u) for u in ("원", "%", "명", "개사", "개", "회", "일", "세", "층", "㎡")] == [
        "money", "rate", "count", "count", "count", "weak", "time", "age", "ordinal", "area",
    ]


def test_empty_and_numberless_text() -> None:
    assert find_goals("") == []
    assert parse_quantities("") == []
    assert find_goals("군은 청년 창업을 적극 지원할 계획이다.") == []


def test_after_eok_a_last_group_in_cheon_counts_in_man():
    """'8억5천' is 8억5천만 as the press writes it, not 800,005,000."""
    from nlp.goals import parse_quantities

    assert [q.value for q in parse_quantities("사업비 8억5천을 투입한다")] == [850_000_000]
    assert [(q.value, q.text) for q in parse_quantities("8억5천 만원")] == [(850_000_000, "8억5천 만원")]
    assert [q.value for q in parse_quantities("1억2천500만원과 1천47명")] == [125_000_000, 1047]


def test_a_group_written_after_a_space_stays_one_number():
    """'1천 936억 원' is 193.6 billion, not 936억 beside a stray 1천."""
    from nlp.goals import parse_quantities

    assert [q.value for q in parse_quantities("총 1천 936억 원을 투입한다")] == [193_600_000_000]
    assert [q.value for q in parse_quantities("3천 500억 원")] == [350_000_000_000]
    assert [q.value for q in parse_quantities("1천 명이 참여했다")] == [1000]


def test_an_elected_term_is_an_ordinal_not_a_goal():
    from nlp.goals import find_goals

    assert [(g.quantity, g.unit) for g in find_goals("민선 6기에 도입한 택시 사업을 21개 시군으로 확대한다.")] == [(21, "개")]
