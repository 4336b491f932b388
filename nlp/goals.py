"""Numeric goals in Korean regional policy news.

Two layers, both pure functions over a string (the cue tables come from nlp/data/cues.tsv):

* `parse_quantities(text)` finds every number + counter expression and normalises it:
  Arabic digits with commas and decimals, full-width digits, the magnitude words
  천/백/만/억/조 ('1천47명', '35억 700만 원', '1조1,862억 원', '1만 1천727그루'),
  approximations with 여 ('1천여 명', '30억여원', '21억5800여만원'). Money is in won.
* `find_goals(sentence)` keeps the quantities that are *goals* in the sense of
  shared/eval/RECORDS.md: planned targets, sizes of a programme or body, money and
  rates. It reads the words around each quantity (the particle and verb after it, the
  noun before it) and looks them up in cue tables.

The rules are data, so extend the tables rather than adding ifs:
  `_COUNTERS` / `_NOT_COUNTERS`   what counts as a counter, and its kind
  nlp/data/cues.tsv               context words ('goal.after.*', 'goal.before.*') and the
                                  category each one signals
  `_REJECTED_BY`                  which categories reject which kind of quantity
  `_OUTCOME_STEMS`, `_PAST_ANCHOR`, the `_..._AFTER` patterns: the special cases.

How one sentence is decided (`_accepted`, then `_decide` per quantity):
  1. quantities of kinds that can never be goals (dates, ages, ordinals, areas) drop out;
  2. hard rules reject ranges, '제N회', denominators ('1인당'), thresholds ('5인 이상'),
     age decades and parties to an agreement;
  3. each remaining quantity gets the first cue after it (up to the next quantity);
     quantities separated only by a short cue-less gap form an enumeration
     ('전일제 28명, 시간제 13명, 복지형 92명으로') and share the cue after its last item;
  4. with no cue after, the nearest cue before decides ('모집인원은 …');
  5. money is kept unless a result, statistic, baseline or fine says otherwise; rates
     likewise, but they need some programme word (or money) in their sentence; counts
     need a goal cue, the '총' of a total, or at least a goal word in the sentence, and
     a past anchor ('지난해 …') rejects them unless a plan or future verb follows.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from nlp.lexicon import Cues, compiled
from nlp.model import Span

if TYPE_CHECKING:
    from nlp.doc import Doc
    from nlp.gazetteer import Gazetteer

__all__ = ["Goal", "Quantity", "find_goals", "find_goals_in_text", "parse_quantities", "unit_kind"]


@dataclass(frozen=True)
class Quantity:
    text: str  # surface, e.g. '35억 700만 원', '1천47명', '600개 사'
    start_offset: int  # offsets into the text given
    end_offset: int
    value: float  # 3507000000, 1047, 600
    unit: str  # counter as written, spaces removed: '원', '명', '개사', '개', '%', ...


@dataclass(frozen=True)
class Goal:
    text: str  # the goal phrase as in the text, e.g. '중소기업 600개 사를 방문'
    start_offset: int  # offsets of `text`
    end_offset: int
    quantity: float
    unit: str
    object: str | None  # what is counted, e.g. '중소기업', '구직자', or None
    rule: str = "goal.?"  # the step of the decision that kept it (nlp/RULES.md)


# =======================================================================================
# Counters
# =======================================================================================

# Kinds of counter. Only money, rates and counts can be goals; the others are dates,
# durations, ages, ordinals, floors and areas, which the annotation guide excludes.
MONEY = "money"
RATE = "rate"
COUNT = "count"  # people, firms, sites, projects, seats, households, cases ...
WEAK = "weak"  # frequencies, '인', weights, lengths: goals only with a strong goal verb
TIME = "time"
AGE = "age"
ORDINAL = "ordinal"
AREA = "area"
OTHER = "other"  # multipliers ('2배')

GOAL_KINDS = frozenset({MONEY, RATE, COUNT, WEAK})

# (surface, unit, kind). The unit is the counter as written with spaces removed (the gold
# convention); only the spellings of per cent are unified to '%' and '%p'. The longest
# surface wins. Counters starting with '개' are read by `_read_gae`.
_COUNTERS: tuple[tuple[str, str, str], ...] = (
    # money; the magnitude words 천/만/억/조 belong to the number: '3천만원' -> 원
    ("원대", "원", MONEY),  # '300억원대' = about 300억 원
    ("원", "원", MONEY),
    ("달러", "달러", MONEY),
    ("유로", "유로", MONEY),
    # rates and shares
    ("%포인트", "%p", RATE),
    ("퍼센트포인트", "%p", RATE),
    ("%p", "%p", RATE),
    ("%", "%", RATE),
    ("퍼센트", "%", RATE),
    # counts of people, organisations, places and things
    ("명", "명", COUNT),
    ("곳", "곳", COUNT),
    ("군데", "군데", COUNT),
    ("가구", "가구", COUNT),
    ("세대", "세대", COUNT),
    ("농가", "농가", COUNT),
    ("석", "석", COUNT),
    ("좌석", "좌석", COUNT),
    ("병상", "병상", COUNT),
    ("건", "건", COUNT),
    ("그루", "그루", COUNT),
    ("대", "대", COUNT),  # vehicles, machines; '20대 청년' (an age decade) is rejected later
    ("척", "척", COUNT),
    ("채", "채", COUNT),
    ("호", "호", COUNT),  # housing units ('임대주택 2천 호'); '제3호' is an ordinal by its 제
    ("필지", "필지", COUNT),
    ("마리", "마리", COUNT),
    ("팀", "팀", COUNT),
    ("학급", "학급", COUNT),
    ("호실", "호실", COUNT),
    ("점", "점", COUNT),
    ("종", "종", COUNT),
    ("편", "편", COUNT),
    ("권", "권", COUNT),
    ("상자", "상자", COUNT),
    ("부", "부", COUNT),  # copies ('안내서 3천 부'); '1부 행사' is an ordinal (a noun follows)
    ("동", "동", COUNT),  # buildings ('온실 30동'); '역삼1동' is a place name (see below)
    # weak counts: '1인당' / '5인 이상' are the usual uses of 인; frequencies; measures
    ("인", "인", WEAK),
    ("회", "회", WEAK),
    ("번", "번", WEAK),
    ("차례", "차례", WEAK),
    ("톤", "톤", WEAK),
    ("t", "t", WEAK),
    ("kg", "kg", WEAK),
    ("㎏", "㎏", WEAK),
    ("km", "km", WEAK),
    ("㎞", "㎞", WEAK),
    ("kWh", "kWh", WEAK),
    ("kW", "kW", WEAK),
    ("㎾", "㎾", WEAK),
    ("MW", "MW", WEAK),
    ("㎿", "㎿", WEAK),
    # dates, times and durations
    ("년도", "년도", TIME),
    ("년간", "년간", TIME),
    ("년", "년", TIME),
    ("월", "월", TIME),
    ("일간", "일간", TIME),
    ("일", "일", TIME),
    ("주년", "주년", TIME),
    ("주간", "주간", TIME),
    ("주", "주", TIME),
    ("시간", "시간", TIME),
    ("시", "시", TIME),
    ("분기", "분기", TIME),
    ("반기", "반기", TIME),
    ("분", "분", TIME),
    ("초", "초", TIME),
    ("박", "박", TIME),
    # ages
    ("세", "세", AGE),
    ("살", "살", AGE),
    # ordinals, ranks, rounds, floors, stages
    ("년차", "년차", ORDINAL),
    ("일차", "일차", ORDINAL),
    ("회차", "회차", ORDINAL),
    ("번째", "번째", ORDINAL),
    ("차", "차", ORDINAL),
    ("위", "위", ORDINAL),
    ("등급", "등급", ORDINAL),
    ("등", "등", ORDINAL),
    ("호선", "호선", ORDINAL),
    ("호점", "호점", ORDINAL),
    ("기", "기", COUNT),  # installations ('충전소 20기'); '제3기', '2기 신도시' are ordinals
    ("단계", "단계", ORDINAL),
    ("학년", "학년", ORDINAL),
    ("층", "층", ORDINAL),
    ("급", "급", ORDINAL),
    # areas: never goals ('floor areas' in RECORDS.md)
    ("㎡", "㎡", AREA),
    ("m²", "m²", AREA),
    ("m2", "m2", AREA),
    ("km²", "km²", AREA),
    ("제곱미터", "제곱미터", AREA),
    ("평방미터", "평방미터", AREA),
    ("평", "평", AREA),
    ("ha", "ha", AREA),
    ("㏊", "㏊", AREA),
    ("헥타르", "헥타르", AREA),
    ("㎢", "㎢", AREA),
    # multipliers
    ("배", "배", OTHER),
)
_COUNTERS_LONGEST_FIRST = sorted(_COUNTERS, key=lambda c: len(c[0]), reverse=True)
# one regex finds the longest counter at a position; the loop below is only for Latin counters
# that turn out to run on into a word ('3D' is no '3 D')
_COUNTER_AT = re.compile("|".join(re.escape(surface) for surface, _, _ in _COUNTERS_LONGEST_FIRST))
_COUNTER_BY_SURFACE = {surface: (unit, kind) for surface, unit, kind in reversed(_COUNTERS_LONGEST_FIRST)}

# '개' compounds that are counters of their own. '600개 사' is '개사'; any other '개'
# followed by a noun ('11개 업체', '5개반', '19개사업') has unit '개'.
_GAE_COUNTERS: tuple[tuple[str, str, str], ...] = (
    ("개월", "개월", TIME),
    ("개년", "개년", TIME),
    ("개소", "개소", COUNT),  # '5개소' (but not '개소식', the opening ceremony)
    ("개교", "개교", COUNT),  # schools: '30개교로 확대'
)

# '대' directly followed by a digit means 'to' ('1대1'); '동' glued to a word is a place
# name ('역삼1동'), not a number of buildings.
_NOT_BEFORE_DIGIT = frozenset({"대"})
_PLACE_COUNTERS = frozenset({"동"})

_UNIT_KIND: dict[str, str] = {unit: kind for _, unit, kind in _COUNTERS + _GAE_COUNTERS}
_UNIT_KIND.update({"개": COUNT, "개사": COUNT})

def _words(text: str) -> list[str]:
    """A word list written as whitespace-separated text (easier to read and extend)."""
    return text.split()


# Particles: they tell '600개 사를' (600 firms) from '19개사업' (19 projects) and are
# stripped off the noun that names what is counted.
_PARTICLES: tuple[str, ...] = tuple(
    sorted(
        _words(
            """에게서 으로써 에서는 에서도 으로는 으로도 에게 에서 으로 로써 부터 까지 처럼 보다 이나
            에는 에도 과는 와는 이며 이다 에만 만큼 을 를 이 가 은 는 의 에 와 과 도 로 만 씩 께 나"""
        ),
        key=len,
        reverse=True,
    )
)
_PARTICLE_STARTS = "을를이가은는의에와과도로만씩까부중나"

# Words that begin with a counter syllable but are ordinary nouns, so the number before
# them has no counter ('3원칙', '코로나19 대응', '2024 세계'). A word that is a counter
# plus a particle ('5건의', '100대로', '3편의') is left out automatically.
_NOT_COUNTERS: frozenset[str] = frozenset(
    word
    for word in _words(
        """
        원칙 원인 원리 원론 원장 원조 원형 원활 원료 원래 원도심 원룸 원생 원본 원스톱 원예 원전
        원주 원격 원거리 원작 원자력 원수 원아
        명단 명칭 명예 명소 명품 명절 명인 명물 명목 명시
        석유 석면 석탄 석사 석권
        건강 건물 건설 건립 건축 건전 건조 건설업
        대학 대회 대상 대표 대책 대응 대비 대형 대교 대기 대구 대전 대한 대기업 대중 대출 대장
        대체 대폭 대사 대화 대외 대규모
        점검 점수 점포 점유 점심 점자 점차
        종합 종사 종목 종료 종류 종교 종자 종량
        편성 편리 편집 편입 편지
        권역 권리 권한 권고 권장 권익
        채용 채택 채널 채무 채소
        인구 인력 인원 인증 인재 인정 인터 인프라 인상 인하 인근 인식 인권 인천 인사 인기 인공 인문 인가구 인가정
        회계 회원 회장 회관 회사 회복 회견 회기
        번지 번호 번영
        톤당 년대 월드 월급
        일자 일반 일정 일대 일원 일부 일환 일상 일터 일손 일괄 일제 일자리 일시 일출
        주민 주택 주요 주관 주변 주차 주최 주제 주식 주거 주말 주력 주소 주류
        시설 시민 시장 시행 시범 시책 시스템 시군 시의회 시비 시대 시청 시간대 시작 시기 시점
        시험 시각 시정 시상 시공
        분야 분석 분양 분담 분리 분류 분위 분들 분쟁
        초등 초청 초기 초대 초빙 초점 초안
        박람 박물 박사 박스
        세부 세금 세계 세무 세종 세입 세출 세수 세미나 세탁
        살림
        차량 차원 차별 차관 차단 차지 차세대 차등
        위원 위탁 위해 위한 위기 위험 위생 위치 위촉 위반 위임 위상
        등록 등산 등지 등대 등불
        호응 호텔 호수 호남 호흡 호황
        기업 기관 기금 기간 기념 기술 기본 기존 기반 기준 기초 기타 기대 기록 기부 기후 기여 기획
        기업인 기능 기계 기조 기자 기재 기회 기상 기숙사
        단계적 층간
        급식 급여 급증 급감 급등
        평균 평생 평화 평일 평택 평창 평등 평야
        배치 배출 배정 배달 배려 배분 배우 배송 배포
        부터 부서 부문 부족 부담 부지 부산 부처 부모 부분 부상 부여 부정 부녀 부장 부대 부천
        동안 동시 동참 동일 동물 동네 동향 동부 동구 동해 동계 동절기 동반 동행 동결 동원 동문 동아리
        """
    )
    if word[1:] not in _PARTICLES
)

_FULLWIDTH = str.maketrans("０１２３４５６７８９，．％", "0123456789,.%")
_ANY_FULLWIDTH = re.compile("[０１２３４５６７８９，．％]")


def _ascii_figures(text: str) -> str:
    """Full-width digits and signs as ASCII, one character for one (offsets are kept). Most
    text has none, and a search is much cheaper than translating Korean text."""
    return text.translate(_FULLWIDTH) if _ANY_FULLWIDTH.search(text) else text
_SPACES = " \u00a0"

_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}
_SMALL = {"천": 1000, "백": 100}
# Comma grouping only with groups of exactly three digits, so '3,4월' is not 34.
_DIGITS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
# A second number group after a space belongs to the first only if it carries a
# magnitude or is money: '35억 700만 원', '1만 1천727그루', but not '4조 2교대'.
# the rest of a group written after '1천 ' ('1천 936억'): digits up to a larger magnitude word
_SPACED_GROUP_REST = re.compile(r"[0-9]{1,3}(?:여)?[만억조]")
_SPACED_CONTINUATION = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?(?:[천백]|여?[만억조]|\s?원)")
_NOT_COUNTER_RE = re.compile("|".join(sorted(_NOT_COUNTERS, key=len, reverse=True)))
# A bare '만' amount ('도비 5천만') is money only right after a money noun; bare 억
# ('국비 88억과', '(128억)') always is.
_MONEY_NOUNS = re.compile(r"국비|도비|시비|군비|구비|예산|사업비|보조금|지원금|기금|자부담|융자|출연금|상금")


def unit_kind(unit: str) -> str:
    """The kind of a unit returned by `parse_quantities` (MONEY, RATE, COUNT, TIME ...)."""
    return _UNIT_KIND.get(unit, OTHER)


def _is_hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"


# =======================================================================================
# Numbers
# =======================================================================================


def _read_number(s: str, i: int) -> tuple[int | Decimal, int, str | None] | None:
    """Read a number at s[i]: digits, 천/백 inside a group, 만/억/조 between groups,
    '여' before a magnitude ('21억5800여만'). Returns (value, end, last magnitude word)."""
    n = len(s)
    total: int | Decimal = 0  # exact: Decimal only for a decimal point ('1.5억'), int otherwise
    group: int | Decimal = 0
    j = i
    last_big: str | None = None
    ended_small = False  # the group so far ends in 천/백 ('8억5천')
    while True:
        m = _DIGITS.match(s, j)
        if m:
            digits = m.group().replace(",", "")
            d = Decimal(digits) if "." in digits else int(digits)
            j = m.end()
            if j < n and s[j] in _SMALL:  # '1천47', '6천4백만': more digits may follow
                group += d * _SMALL[s[j]]
                j += 1
                ended_small = True
                if s.startswith(" ", j) and _SPACED_GROUP_REST.match(s, j + 1):
                    j += 1  # '1천 936억', '3천 500억 원': the rest of the group after a space
                continue
            group += d
            ended_small = False
        elif group == 0:
            break
        if s.startswith("여", j) and s[j + 1 : j + 2] in _BIG:
            j += 1
        if j < n and s[j] in _BIG and group > 0:
            total += group * _BIG[s[j]]
            group = 0
            last_big = s[j]
            j += 1
            nxt = _continuation(s, j)
            if nxt is None:
                break
            j = nxt
            continue
        break
    if j == i:
        return None
    if last_big in {"억", "조"} and ended_small and group:
        # '8억5천', '8억5천 만원': after 억 the press drops the 만 of the last group
        group *= _BIG["만"]
        if s.startswith(" 만", j):
            j += 2
    return total + group, j, last_big


def _continuation(s: str, j: int) -> int | None:
    """Where the next group of a magnitude number starts, or None if the number ends."""
    if j < len(s) and s[j].isdigit():  # glued: '35억700만', '1조1,862억'
        return j
    if j < len(s) and s[j] in _SPACES and _SPACED_CONTINUATION.match(s, j + 1):
        return j + 1
    return None


def _read_gae(s: str, k: int) -> tuple[int, str, str]:
    """Counters starting with '개' at s[k]: '개월', '개소', '600개 사' -> 개사, else '개'."""
    for surface, unit, kind in _GAE_COUNTERS:
        if s.startswith(surface, k) and not s.startswith("개소식", k):
            return k + len(surface), unit, kind
    q = k + 1
    if q < len(s) and s[q] in _SPACES:
        q += 1
    # '600개 사를', '600개사' name firms (개사); '19개사업', '5개 사업장' count a noun (개).
    if s.startswith("사", q):
        after = s[q + 1 : q + 2]
        if not after or not _is_hangul(after) or after in _PARTICLE_STARTS:
            return q + 1, "개사", COUNT
    return k + 1, "개", COUNT


def _read_counter(s: str, k: int) -> tuple[int, str, str] | None:
    """The counter at s[k] as (end, unit, kind), or None."""
    if s.startswith("개", k):
        return _read_gae(s, k)
    if _NOT_COUNTER_RE.match(s, k):
        return None
    found = _COUNTER_AT.match(s, k)
    if found is None:
        return None
    surface = found.group()
    end = k + len(surface)
    if not surface[-1].isascii():
        if surface in _NOT_BEFORE_DIGIT and s[end: end + 1].isdigit():
            return None  # '1대1 상담' (one to one)
        unit, kind = _COUNTER_BY_SURFACE[surface]
        return end, unit, kind
    for surface, unit, kind in _COUNTERS_LONGEST_FIRST:
        if s.startswith(surface, k):
            end = k + len(surface)
            if surface in _NOT_BEFORE_DIGIT and s[end : end + 1].isdigit():
                return None  # '1대1 상담' (one to one)
            # Latin counters must end a word: '5km' yes, '3D' / '5tons' no.
            if surface[-1].isascii() and end < len(s) and s[end].isascii() and s[end].isalpha():
                continue
            return end, unit, kind
    return None


def _digit_starts(s: str) -> Iterator[int]:
    """Positions where a number starts (not inside '1,047' or '3.5', but '3,4월' is two)."""
    for m in re.finditer(r"[0-9]+", s):
        i = m.start()
        inside = i >= 2 and s[i - 2].isdigit()
        if inside and (s[i - 1] == "." or (s[i - 1] == "," and len(m.group()) == 3)):
            continue
        yield i


def _quantity_at(s: str, text: str, i: int) -> Quantity | None:
    """The quantity whose number starts at s[i] (s is `text` with ASCII digits)."""
    num = _read_number(s, i)
    if num is None:
        return None
    value, j, last_big = num
    k = j + 1 if s.startswith("여", j) else j  # '1천여 명', '30억여원'
    spaced = k < len(s) and s[k] in _SPACES
    for pos in (k, k + 1) if spaced else (k,):
        found = _read_counter(s, pos)
        if found and found[1] in _PLACE_COUNTERS and i > 0 and _is_hangul(s[i - 1]):
            found = None
        # after a space only counters of countable things: '59억 등' is '59억, etc.'
        if found and (pos == k or found[2] in GOAL_KINDS):
            end, unit, _kind = found
            return Quantity(text[i:end], i, end, float(value), unit)
    if last_big == "억" or (last_big == "조" and value % 10**12 != 0):
        return Quantity(text[i:j], i, j, float(value), "원")  # '국비 88억과', '1조8억'
    if last_big == "만" and _MONEY_NOUNS.search(s[max(0, i - 10) : i]):
        return Quantity(text[i:j], i, j, float(value), "원")  # '도비 5천만'
    return None


def parse_quantities(text: str) -> list[Quantity]:
    """Every number+counter expression: Arabic digits with commas and decimals, Korean magnitude
    words (천, 만, 억, 조 with digits: '1천47명', '35억 700만 원', '1조1,862억 원', '3천만원', '1만 1천727그루'),
    approximations ('1천여 명' → 1000, '30억여원' → 3000000000), full-width digits. Money → unit '원', value in won.
    '개' followed by a noun naming what is counted ('11개 업체', '5개반', '19개사업') → unit '개';
    '600개 사'/'600개사' → '개사'."""
    s = _ascii_figures(text)
    found: list[Quantity] = []
    pos = 0
    for i in _digit_starts(s):
        if i < pos:
            continue
        q = _quantity_at(s, text, i)
        if q is not None:
            found.append(q)
            pos = q.end_offset
    if "원" in s:
        for m in _WORD_MONEY.finditer(s):  # '월 백만원', '백억 원': an amount with no digit at all
            value = _SMALL.get(m["small"], 10) * _BIG[m["big"]]
            found.append(Quantity(text[m.start():m.end()], m.start(), m.end(), float(value), "원"))
        found.sort(key=lambda q: q.start_offset)
    return found


# '백만원', '천만 원', '십억 원': a round amount the press writes in words; '만원' alone is not
# read (it also means 'full house'), and '4백만' is read with the digits above
_WORD_MONEY = re.compile(r"(?<![가-힣0-9])(?P<small>[십백천])(?P<big>[만억])\s?원")


# =======================================================================================
# Cue words
# =======================================================================================

# Categories of context cue.
GOAL = "goal"  # a plan, target, budget or programme verb
GOAL_WEAK = "goal_weak"  # programme words that also occur inside names (지원사업, 교육센터)
ATTENDANCE = "attendance"  # people present at an event
REACHED = "reached"  # participants, users or applicants already reached
RESULT = "result"  # results already achieved, past states, equivalences
PROCESSED = "processed"  # items processed by a council or an office
REVIEW = "review"  # items under review
STATISTIC = "statistic"  # population, survey and market figures
AMOUNTS_TO = "amounts_to"  # 'N명에 달한다': a statistic for people, fine for money
NEUTRAL = "neutral"  # comparisons: stop reading, decide nothing
POOL = "pool"  # 'N개 중', 'N명 중': the pool something is chosen from
BASELINE = "baseline"  # 'N명에서 M명으로': the old figure a change starts from
PENALTY = "penalty"  # fines: '최대 30만원의 과태료'

# The cue tables are data: nlp/data/cues.tsv, sets 'goal.after.<category>' (words read AFTER a
# quantity, up to the next quantity, at most `_AFTER_WINDOW` chars: the first strong cue
# decides; weak goal words count only if no strong cue follows; longer surfaces win at the same
# position, so '줄인다' (goal) beats '줄인' (result)) and 'goal.before.<category>' (words read
# BEFORE a quantity, back to the previous one, at most `_BEFORE_WINDOW` chars: the nearest
# counts, and only when nothing after the quantity decides).
_AFTER_CATEGORIES = (GOAL, GOAL_WEAK, ATTENDANCE, REACHED, RESULT, PROCESSED, REVIEW, STATISTIC, PENALTY,
                     AMOUNTS_TO, NEUTRAL)
_BEFORE_CATEGORIES = (GOAL, REVIEW, PROCESSED, REACHED, STATISTIC, RESULT, PENALTY)

# Which categories reject which kind of quantity. Money is a goal in almost any context
# (budgets, grants, per-person benefits, amounts applied for, budgets being reviewed):
# only results, statistics and baselines reject it; rates likewise. Counts are rejected
# by every negative category.
_NEGATIVE = frozenset({ATTENDANCE, REACHED, RESULT, PROCESSED, REVIEW, STATISTIC, AMOUNTS_TO, PENALTY})
_REJECTED_BY: dict[str, frozenset[str]] = {
    MONEY: frozenset({RESULT, STATISTIC, BASELINE, PENALTY}),
    RATE: frozenset({RESULT, STATISTIC, BASELINE}),
    COUNT: _NEGATIVE | {BASELINE},
    WEAK: _NEGATIVE | {BASELINE},
}

# With a past anchor earlier in the sentence, counts report results already reached
# ('지난해 … 72개 기업을 지원해 … 성과를 거뒀다'); only a plan or a future verb after the
# count keeps it ('지난해에 이어 올해도 300명을 모집한다'). Comparisons are no anchors
# ('지난해보다 두 배 늘어난 1천200농가를 지원할 계획').
_PAST_ANCHOR = re.compile(
    r"(?:지난해|작년|그동안|그간|지금까지|현재까지|누적|지난\s?\d+년\s?(?:간|동안)|지난 한 해)"
    r"(?!\s?(?:보다|대비|에 비해|와 비교|과 비교|수준))"
)
_PRESENT_TIME = re.compile(r"올해|금년|내년|이번|앞으로|향후|하반기|오는|새로")
_PLAN = re.compile(r"계획|예정|목표|방침|하기로|키로|할|될|겠|[한된는]다|[하되]며")  # '설치하며': not past
_PAST_FINITE = re.compile(r"했|하였|됐|되었|받았|시켰|한 바|해 ?왔")  # right after a goal verb
_EARLIER_STEP = re.compile(r"(?:한|된|했던) 데 이어")  # '300명을 선발한 데 이어': an earlier round
# Goal verbs whose past tense reports an outcome even without an anchor ('150명이
# 채용됐다'), unlike decisions that set a programme's size ('10개 사업을 확정했다').
_OUTCOME_STEMS = frozenset({"채용", "취업", "창출", "유치", "배출", "수료", "교육", "상담", "진료", "치료"})


def _compile_cues(table: dict[str, tuple[str, ...]]) -> tuple[re.Pattern[str], dict[str, str]]:
    category = {surface: cat for cat, surfaces in table.items() for surface in surfaces}
    alternation = "|".join(re.escape(w) for w in sorted(category, key=len, reverse=True))
    return re.compile(alternation), category


@dataclass(frozen=True)
class _CueTables:
    """The cue sets compiled for one version of the lexicon."""

    after_re: re.Pattern[str]
    after_category: dict[str, str]
    before_re: re.Pattern[str]
    before_category: dict[str, str]
    strong_goal_re: re.Pattern[str]  # the goal verbs alone
    tail_re: re.Pattern[str]  # what may close a goal phrase: a goal verb's stem, or '규모'
    agreement_re: re.Pattern[str]  # words of an agreement (shared.agreement_words), for its parties

    @classmethod
    def of(cls, lexicon: Cues) -> _CueTables:
        after = {category: lexicon[f"goal.after.{category}"] for category in _AFTER_CATEGORIES}
        before = {category: lexicon[f"goal.before.{category}"] for category in _BEFORE_CATEGORIES}
        goal_verbs = sorted(after[GOAL], key=len, reverse=True)
        tail_stems = {w[:2] for w in after[GOAL] if " " not in w and len(w) >= 2} | {"규모"}
        agreement = re.compile("|".join(map(re.escape, lexicon["shared.agreement_words"])))
        return cls(*_compile_cues(after), *_compile_cues(before),
                   re.compile("|".join(re.escape(w) for w in goal_verbs)),
                   re.compile("|".join(sorted(tail_stems, key=len, reverse=True))),
                   agreement)


def _tables() -> _CueTables:
    """The compiled tables of the lexicon in force."""
    return compiled(_CueTables.of)


# =======================================================================================
# Hard rules (independent of the cue tables)
# =======================================================================================

_RANGE_BEFORE = re.compile(r"[0-9][0-9,.]*\s*[천백만억조]?\s*[~∼〜\-–—]\s*$")  # '44~46개소'
_RANGE_AFTER = re.compile(r"\s*[~∼〜\-–—]\s*[0-9]")  # '1천~2천 명', phone numbers
_ORDINAL_BEFORE = re.compile(r"(?:^|[^가-힣])(?:제|민선)\s?$")  # '제3회', '민선 6기' (a term), not '축제 3000만 원'
_ORDINAL_BEFORE_NOUN = frozenset({"기", "호", "부"})  # ordinals when a noun follows: '1부 행사'
_COMPARED_AFTER = re.compile(r"(?:에\s*)?(?:비해|비하면|견줘)")
_PER_UNIT_AFTER = re.compile(r"\s?당")  # '1인당', '1가구당': the number is a denominator
# Nouns that a count can be a minimum number of ('40명 이상의 청년 농업인', '10곳 이상의 기업').
_SAME_KIND_HEAD: dict[str, re.Pattern[str]] = {
    "명": re.compile(r"^(?:청년|어르신|노인|주민|학생|아동|청소년|여성|농업인|일자리|인력|인원)|(?:자|원|생|민)$"),
    "곳": re.compile(r"(?:기업|업체|기관|단체|시설|학교|마을|센터|점포)$"),
}
_SAME_KIND_HEAD.update({"개사": _SAME_KIND_HEAD["곳"], "개": _SAME_KIND_HEAD["곳"]})
_THRESHOLD_AFTER = re.compile(r"\s*(?:의\s*)?(?:이상|이하|미만|초과|넘는|넘은|넘게)(?:인|의)?")
_POOL_AFTER = re.compile(r"\s*(?:의\s*)?(?:[가-힣·]+\s*)?중(?:에서|에)?(?![가-힣])")
_BASELINE_AFTER = re.compile(r"\s*에서\s")  # '100명에서 올해 150명으로'
_CHANGED_TO = re.compile(r"\s*(?:으로|로)(?![가-힣])")
_TOTAL_PREFIX = re.compile(r"(?<![가-힣])(?:총|전체|모두)\s*$")  # '총 12명': a whole

# Parties to an agreement: '중소기업 3곳과 570억원 투자협약', '3개 업체가 …' in a 협약 story.
_ORG_NOUNS = re.compile(r"업체|기업|기관|단체|회사|법인|대학|사$|협회|조합")
_ORG_UNITS = frozenset({"곳", "개사", "개"})

_AFTER_WINDOW = 40
# a connective ending and a comma close the figure's clause: '…까지며, ', '…지원하고, '
_CLAUSE_END = re.compile(r"(?:며|고|서|면|나|데|지만),\s")
_BEFORE_WINDOW = 20
_LINK_GAP = 16  # longest gap between the items of an enumeration ('전일제 28명, 시간제 13명')


# =======================================================================================
# Sentences and context
# =======================================================================================

# A sentence ends at '.', '?', '!' after a word (not after a digit, so '2023. 7. 20.' and
# '3.5%' stay whole), or at a line break. Glued sentences ('밝혔다.군은') are split too.
_SENTENCE_END = re.compile(r"(?<=[가-힣)\]'\"’”])[.?!](?=\s|$|[가-힣‘“'\"(\[])|[?!](?=\s)|\n+")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _drop_digitless_parentheses(s: str) -> str:
    """'200명(마을이장, 노인회장 …)이 참여한' -> '200명이 참여한': lists in brackets
    decide nothing, and they push the verb out of the window."""
    return re.sub(r"\([^()0-9]*\)", "", s)


@dataclass
class _Item:
    """One goal-kind quantity of a sentence and what its context says."""

    q: Quantity
    kind: str
    after: str  # context after it, up to the next goal-kind quantity
    before: str  # context before it, back to the previous goal-kind quantity
    hard: str | None = None  # reason for a rejection that no cue can undo
    cue: str | None = None  # category of the deciding cue after it
    linked: bool = False  # enumerated with the next item ('28명, 시간제 13명')


@dataclass
class _Sentence:
    text: str  # the whole normalised input
    start: int
    end: int
    _goal_cue: bool | None = None

    @property
    def words(self) -> str:
        return self.text[self.start : self.end]

    @property
    def has_goal_cue(self) -> bool:
        """Some goal word anywhere in the sentence (read once, when a decision needs it)."""
        if self._goal_cue is None:
            self._goal_cue = any(tables.after_category[m.group()] in (GOAL, GOAL_WEAK)
                                 for tables in (_tables(),) for m in tables.after_re.finditer(self.words))
        return self._goal_cue

    def anchored_before(self, offset: int) -> bool:
        """Does a past anchor ('지난해', '그동안') govern the words before `offset`? Not
        when a present time follows it ('지난해 … 운영됐으며, 올해는 3개 시장으로')."""
        anchors = list(_PAST_ANCHOR.finditer(self.text, self.start, offset))
        return bool(anchors) and not _PRESENT_TIME.search(self.text, anchors[-1].end(), offset)


def _items(sent: _Sentence, quantities: list[Quantity]) -> list[_Item]:
    s = sent.text
    qs = [
        q
        for q in quantities
        if sent.start <= q.start_offset < sent.end and unit_kind(q.unit) in GOAL_KINDS
    ]
    items: list[_Item] = []
    for idx, q in enumerate(qs):
        nxt = qs[idx + 1].start_offset if idx + 1 < len(qs) else sent.end
        prv = qs[idx - 1].end_offset if idx > 0 else sent.start
        after = _drop_digitless_parentheses(s[q.end_offset : nxt])[:_AFTER_WINDOW]
        clause_end = _CLAUSE_END.search(after)
        if clause_end:  # '100만 원까지며, … 거주자가 대상이다': the next clause's cues are not this figure's
            after = after[: clause_end.start() + 1]
        before = s[max(prv, q.start_offset - _BEFORE_WINDOW) : q.start_offset]
        items.append(_Item(q, unit_kind(q.unit), after, before))
    return items


# =======================================================================================
# Hard rejections
# =======================================================================================


def _hard_reject(item: _Item, sent: _Sentence) -> str | None:
    """Why the quantity can never be a goal here, or None."""
    s, q = sent.text, item.q
    before = s[max(0, q.start_offset - 12) : q.start_offset]
    after = s[q.end_offset : q.end_offset + 20]
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after):
        return "range"
    if _ORDINAL_BEFORE.search(before):
        return "ordinal"
    if _PER_UNIT_AFTER.match(after):
        return "per-unit"
    if _COMPARED_AFTER.match(after):
        return "comparison"  # '지난 임기 총 15건에 비해 두 배': the figure compared with
    threshold = _THRESHOLD_AFTER.match(after)
    if threshold and not _minimum_target(q, after[threshold.end() :]):
        return "threshold"
    if q.unit in _ORDINAL_BEFORE_NOUN and re.match(r"\s?[가-힣]", after) and after.strip()[:1] not in _PARTICLE_STARTS:
        return "ordinal"  # '2기 신도시', '1호 기업' (but '20기를 구축', '2천 호를 공급')
    if q.unit == "대" and q.value % 10 == 0 and q.value <= 90:
        return "age"  # '20대 청년'
    if _is_agreement_party(s, q, sent.words):
        return "party"
    return None


def _minimum_target(q: Quantity, rest: str) -> bool:
    """After '이상': '120명 이상을 … 연계', '1천 명 이상 채용할' and '40명 이상의 청년 농업인'
    set a minimum target; '5인 이상 사업장' and '50억원 이상 투자 기업' are thresholds, where
    the number describes a noun of another kind."""
    if rest[:1] in ("을", "를"):  # the number is the object of a verb
        return True
    stripped = rest.lstrip()
    verb = _tables().strong_goal_re.match(stripped)
    if verb and not stripped[verb.end() : verb.end() + 1].isspace():  # '이상 채용할'
        return True
    head = re.match(r"(?:의)?\s*([가-힣]+)", rest)
    same_kind = _SAME_KIND_HEAD.get(q.unit)
    return bool(head and same_kind and same_kind.search(_strip_particle(head.group(1))))


def _is_agreement_party(s: str, q: Quantity, sentence: str) -> bool:
    """Organisations that sign or take part in an agreement are parties, not goals."""
    if q.unit not in _ORG_UNITS or not _tables().agreement_re.search(sentence):
        return False
    end = q.end_offset
    if q.unit == "개":
        noun, end = _counted_noun(s, q)
        if not (noun and _ORG_NOUNS.search(noun)):
            return False
    after = s[end : end + 30]
    if re.match(r"(?:이|가|은|는|도)\s", after):  # '3개 업체가 …' (the subject)
        return True
    # '3곳과 570억원 투자협약', '대학 4곳과 … 위한 업무협약' (with, the agreement right after);
    # not '장례식장 3곳과 구내식당 5곳을 … 업체와 협약' (another count comes first)
    with_ = re.match(r"(?:과|와)(.{0,20}?)(?:협약|MOU|협정|계약)", after)
    return bool(with_) and not re.search(r"[0-9]\s*(?:곳|개|명)", with_.group(1))


def _share_party(group: list[_Item]) -> None:
    """'기업 5곳, 대학 3곳과 협약': every organisation listed with a party is a party."""
    if any(m.hard == "party" for m in group):
        for m in group:
            if m.q.unit in _ORG_UNITS and m.hard is None:
                m.hard = "party"


# =======================================================================================
# Cues and decisions
# =======================================================================================


def _first_after_cue(window: str) -> tuple[str, int, int] | None:
    """The deciding cue in `window` as (category, start, end): the first strong one (a
    negative or a strong goal word), else the first weak goal word."""
    weak = None
    tables = _tables()
    for m in tables.after_re.finditer(window):
        cat = tables.after_category[m.group()]
        if cat != GOAL_WEAK:
            return cat, m.start(), m.end()
        weak = weak or (cat, m.start(), m.end())
    return weak


def _last_before_cue(window: str) -> str | None:
    tables = _tables()
    hits = list(tables.before_re.finditer(window))
    return tables.before_category[hits[-1].group()] if hits else None


def _after_category(item: _Item) -> str | None:
    """The category the words after the quantity signal, or None."""
    found = _first_after_cue(item.after)
    pool = _POOL_AFTER.match(item.after)
    if pool and not (found and found[1] < pool.end() - 1):  # but '5건 추진 중' is no pool
        return POOL
    if found is None:
        return None
    cat, start, end = found
    if cat in (GOAL, GOAL_WEAK):
        if _EARLIER_STEP.match(item.after, end):
            return REACHED  # '상반기 300명을 선발한 데 이어'
        if _PAST_FINITE.match(item.after, end) and item.after[start:end][:2] in _OUTCOME_STEMS:
            return RESULT  # '150명이 채용됐다'
    return None if cat == NEUTRAL else cat


def _mark_baselines(items: list[_Item]) -> None:
    """'100명에서 올해 150명으로', '500만 원에서 1천만 원으로': the first figure is the old one."""
    for a, b in zip(items, items[1:], strict=False):
        if _BASELINE_AFTER.match(a.after) and a.q.unit == b.q.unit and _CHANGED_TO.match(b.after):
            a.cue = BASELINE


def _link(items: list[_Item]) -> None:
    """Mark enumerations: items separated by a short gap with no cue share a decision."""
    for a, b in zip(items, items[1:], strict=False):
        gap = a.after
        if a.cue in (POOL, BASELINE) or b.cue == BASELINE:
            continue  # '… 500만원으로, 셋째는 500만원에서 …': an old figure decides only for itself
        if len(gap.strip()) <= _LINK_GAP and not _tables().after_re.search(gap):
            a.linked = True


def _enumerations(items: list[_Item]) -> Iterator[list[_Item]]:
    group: list[_Item] = []
    for item in items:
        group.append(item)
        if not item.linked:
            yield group
            group = []
    if group:
        yield group


@dataclass(frozen=True)
class _Evidence:
    """What the context says about one quantity."""

    after_cue: str | None  # its own cue after it, else that of its enumeration
    window: str  # the words that cue was read from
    before_cue: str | None  # the nearest cue before it (or before its enumeration)
    own_before: str | None  # the nearest cue right before it
    with_money: bool  # enumerated with a money amount ('2175억 원(18.3%)')


def _own_goal_verb(after: str) -> bool:
    """A strong goal word, or a weak one used as a verb ('운영한다', not '예산안')."""
    found = _first_after_cue(after)
    if found is None:
        return False
    cat, _start, end = found
    return cat == GOAL or (cat == GOAL_WEAK and after[end : end + 1] in ("하", "되", "된", "한", "할"))


_NAMED_AS_BUDGET = re.compile(r"\s*의\s*(?:총\s*)?(?:" + _MONEY_NOUNS.pattern + ")")


def _decide(item: _Item, ev: _Evidence, sent: _Sentence) -> str | None:
    """The rule that keeps one quantity as a goal, or None when it is rejected."""
    if item.hard:
        return None
    start = item.q.start_offset
    total = bool(_TOTAL_PREFIX.search(sent.text[max(sent.start, start - 4) : start]))
    after_cue = ev.after_cue
    if after_cue == POOL:
        # 'N명 중' is the size of a whole only with '총' ('총 12명 중 9명 참석'); else
        # it is a pool of applicants or candidates ('신청한 9개의 축제 중')
        after_cue = GOAL if total or ev.before_cue == GOAL else REVIEW
    cue = after_cue if after_cue is not None else ev.before_cue
    if item.kind == MONEY and _NAMED_AS_BUDGET.match(item.after):
        return "goal.money"  # '약 1억원의 사업비로 …': the amount is the budget, whatever follows
    if cue in _REJECTED_BY[item.kind]:
        return None
    if item.kind == MONEY:
        return "goal.money"
    if item.kind == RATE:
        if ev.own_before == STATISTIC:  # '응답자의 68%가 … 확대가 필요하다고'
            return None
        return "goal.rate" if cue in (GOAL, GOAL_WEAK) or ev.with_money or sent.has_goal_cue else None
    # counts
    if sent.anchored_before(start) and not _PLAN.search(ev.window):
        return None  # '지난해 … 72개 기업을 지원해 … 성과를 거뒀다'
    if item.kind == WEAK:  # its own goal verb: '연 4회 운영한다', not '오전에 1회', '1회 추경'
        return "goal.total" if total else "goal.own_verb" if _own_goal_verb(item.after) else None
    if total:
        return "goal.total"
    if cue in (GOAL, GOAL_WEAK):
        return "goal.count_cue"
    # no cue near the count: keep it when the sentence is about a programme at all
    return "goal.count_in_programme_sentence" if sent.has_goal_cue else None


def _accepted(sent: _Sentence, quantities: list[Quantity]) -> list[tuple[Quantity, str]]:
    items = _items(sent, quantities)
    for item in items:
        item.hard = _hard_reject(item, sent)
        item.cue = _after_category(item)
    _mark_baselines(items)
    _link(items)
    kept: list[tuple[Quantity, str]] = []
    for group in _enumerations(items):
        # one decision per enumeration: the cue after its last item, the cue before its first
        _share_party(group)
        last = group[-1]
        group_before = _last_before_cue(group[0].before)
        with_money = any(m.kind == MONEY for m in group)
        for member in group:
            own = member.cue is not None
            own_before = _last_before_cue(member.before)
            ev = _Evidence(
                after_cue=member.cue if own else last.cue,
                window=member.after if own else last.after,
                before_cue=own_before or group_before,
                own_before=own_before,
                with_money=with_money,
            )
            rule = _decide(member, ev, sent)
            if rule:
                kept.append((member.q, rule))
    return kept


# =======================================================================================
# Goal phrase and object
# =======================================================================================

# Words directly before a number that qualify it and belong to the goal phrase
# ('총 24명', '가구당 최대 336만 원', '각 2000만 원').
_PREFIX_WORDS = ("총", "약", "최대", "최소", "각", "모두", "무려", "연간", "연", "매년", "매월", "월", "전체", "선착순")
_PREFIX_RE = re.compile(r"(?:(?<![가-힣])(?:" + "|".join(_PREFIX_WORDS) + r")\s*)+$")
# Nouns after a number that qualify it rather than name what is counted.
_NOT_COUNTED = frozenset({"규모", "이상", "이하", "미만", "초과", "내외", "안팎", "가량", "정도", "이내", "씩", "전원"})
# Words that modify rather than name: '안정적인', '추진하는', '증가한', '선정된'.
_ADNOMINAL = re.compile(r"(?:적인|한|된|는|할|될|던|운)$")
# Words before a number that are not what it counts: arguments of another verb
# ('대상으로', '예산을'), comparisons ('전년대비'), verb forms ('나눠', '투자해').
_NOT_OBJECT = re.compile(
    r"(?:으로|로|에|와|과|을|를|대비|보다|하는|되는|한|된|할|될|던|해|고|며|여|서|적인|어|아|워|눠|려|쳐|져|도록|따라"
    r"|(?:배|수준|규모|정도|상당|가량)인)$"  # '소득에 따라 최대 11만원', '두 배인 480만원'
)
_TIME_WORDS = re.compile(r"^(?:상반기|하반기|올해|내년|금년|연내|매년|이달|다음달|오는|지난|당초|향후)")
_SKIP_BEFORE_OBJECT = re.compile(r"(?:(?<![가-힣])(?:등|및|또|각각)\s*)+$")
# Nouns that end like a particle or a per-unit suffix: 전문가, 활동가, 농가; 경로당, 식당.
_GA_NOUNS = re.compile(r"(?:문|동|업|술|구|축|론|작|국|농|평|가|치|설|장)가$")
_DANG_NOUNS = re.compile(r"(?:경로|식|강|성|정|서|사|마|전|수)당$")


def _strip_particle(word: str, min_stem: int = 2) -> str:
    if _GA_NOUNS.search(word):
        return word
    for p in _PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= min_stem:
            return word[: -len(p)]
    return word


def _counted_noun(s: str, q: Quantity) -> tuple[str | None, int]:
    """The noun after '개' ('11개 업체', '7개의 지역축제', '19개사업') or after a genitive
    '의' ('300여명의 일자리', '1천47명의 참여 노인'), and the offset where it ends."""
    rest = s[q.end_offset : q.end_offset + 30]
    lead = re.match(r"(?:의\s*|\s?)" if q.unit == "개" else r"의\s+", rest)
    if not lead:
        return None, q.end_offset
    max_words = 1 if q.unit == "개" else 2
    words: list[str] = []
    end = pos = lead.end()
    while len(words) < max_words:
        w = re.match(r"[가-힣·]+", rest[pos:])
        if not w:
            break
        word = w.group()
        if not words and (word in _PARTICLES or _strip_particle(word, 1) in _NOT_COUNTED):
            return None, q.end_offset  # '300개를', '5개나', '300개 규모로'
        noun = _strip_particle(word, min_stem=1 if q.unit == "개" else 2)  # '8개 팀이'
        if not (_ADNOMINAL.search(word) and q.unit != "개"):  # skip '안정적인' in '…의 안정적인 일자리'
            words.append(noun)
            end = pos + len(noun)
            if noun != word:  # a particle closes the noun phrase
                break
        pos += len(word)
        if not rest[pos : pos + 1] or rest[pos] not in _SPACES:
            break
        pos += 1
    return (" ".join(words) or None), q.end_offset + end


def _noun_before(s: str, start: int, lower: int) -> tuple[str | None, int]:
    """The noun right before a number ('구직자 50명', '국비 3억원', '도교육청(65%)') and
    where the phrase starts; a '(' between them leaves the phrase start at the number."""
    window = s[lower:start]
    skip = _SKIP_BEFORE_OBJECT.search(window)
    m = re.search(r"([가-힣A-Za-z·]+)(\s?|\()$", window[: skip.start() if skip else len(window)])
    if not m:
        return None, start
    word = m.group(1)
    before_word = s[: lower + m.start(1)].rstrip()
    if before_word[-1:].isdigit() or before_word[-2:-1].isdigit():  # '5개반 총 50명': a counter
        return None, start
    if _NOT_OBJECT.search(word) or _TIME_WORDS.search(word):  # '나눠', '하반기에'
        return None, start
    if len(word) == 2 and word[-1] in "은는이가을를":  # '시는', '군은': the acting body
        return None, start
    noun = _strip_particle(word)
    if noun.endswith("당") and len(noun) > 1 and not _DANG_NOUNS.search(noun):
        noun = noun[:-1]  # '가구당 최대 336만 원' -> 가구
    if len(noun) < 2:
        return None, start
    if m.group(2) == "(" or skip:
        return noun, start
    return noun, lower + m.start(1)


def _goal_phrase(s: str, q: Quantity, lower: int) -> tuple[int, int, str | None]:
    """The goal phrase (start, end) and its object. The phrase runs from the object or a
    qualifier ('총', '최대') through the number and counted noun to a goal verb written
    right after it ('중소기업 600개 사를 방문', '총 24명으로 구성', '18석 규모')."""
    start = q.start_offset
    prefix = _PREFIX_RE.search(s[max(lower, start - 12) : start])
    if prefix:
        start -= len(prefix.group())
    noun, end = _counted_noun(s, q)
    if noun is None:
        noun, object_start = _noun_before(s, start, max(lower, start - 20))
        start = min(start, object_start)
    particle = re.match(r"(?:으로|에게|을|를|이|가|로|에|의)?\s?", s[end : end + 4])
    verb = _tables().tail_re.match(s, end + particle.end()) if particle else None
    if verb:
        end = verb.end()
    return start, end, noun


# =======================================================================================
# Public API
# =======================================================================================


def find_goals(sentence: str) -> list[Goal]:
    """The quantities in one sentence that are goals in the guide's sense: planned targets,
    sizes of a programme or body ('총 24명으로 구성'), money (budgets, grants, per-person benefits),
    rates and shares (%), planned counts of people, jobs, projects, sites, seats, households.
    Rejects attendance ('200여 명이 참석한 가운데'), participants or users already reached,
    results already achieved ('…을 줄였다', '…를 달성했다'), population statistics, thresholds ('5인 이상',
    '65세 이상'), ages, durations ('3년간'), ordinals ('제3회', '2차'), dates and times, areas (㎡, 평, ha),
    phone numbers, ranges without a single number ('44~46개소'), counts of items processed or under review
    ('조례안 5건을 처리했다', '검토중인 사업이 5개'), parties to an agreement ('3개 기업과 협약').

    Given several sentences, each is decided on its own (one entry per (quantity, unit)
    within each sentence)."""
    s = _ascii_figures(sentence)
    quantities = parse_quantities(sentence)
    goals: list[Goal] = []
    if not any(unit_kind(q.unit) in GOAL_KINDS for q in quantities):
        return goals  # only dates, times, ages and the like: nothing can be a goal
    for start, end in _sentence_spans(s):
        if not any(start <= q.start_offset < end for q in quantities):
            continue  # no figure in this sentence: nothing to decide
        sent = _Sentence(s, start, end)
        seen: set[tuple[float, str]] = set()
        for q, rule in _accepted(sent, quantities):
            if (q.value, q.unit) in seen:
                continue
            seen.add((q.value, q.unit))
            # the phrase may reach back to the previous quantity, not over it
            lower = max((p.end_offset for p in quantities if start <= p.end_offset <= q.start_offset), default=start)
            p_start, p_end, noun = _goal_phrase(s, q, lower)
            goals.append(Goal(sentence[p_start:p_end], p_start, p_end, q.value, q.unit, noun, rule))
    return goals


def find_goals_in_text(text: str) -> list[Goal]:
    """Goals of a whole article body, decided sentence by sentence; the same figure in two
    sentences is listed twice (the record keeps one goal per (quantity, unit))."""
    return find_goals(text)


_ANY_DIGIT = re.compile(r"\d")


def recognise(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    """Goals of every sentence that holds a figure, each sentence decided on its own; money
    stated as a total and as its parts says which it is (`role`)."""
    spans = []
    for sentence in doc.sentences:
        if not _ANY_DIGIT.search(sentence.text):
            continue
        found = find_goals(sentence.text)
        roles = money_roles(sentence.text, found)
        spans += [Span("goal", sentence.start + goal.start_offset, sentence.start + goal.end_offset, sentence.index,
                       goal.rule, quantity=goal.quantity, unit=goal.unit, object=goal.object, role=role)
                  for goal, role in zip(found, roles, strict=True)]
    return spans


# '총사업비 48억원', '총 48억 원', '모두 48억원': a whole; '국비 20억원', '도비 10억': where a part comes from
_TOTAL_BEFORE = re.compile(r"(?:총\s*사업비|총\s*예산|사업비\s*총|(?<![가-힣])총|(?<![가-힣])모두|전체|합계)\s*(?:약\s*)?$")
_SOURCE_BEFORE = re.compile(r"(?:국비|도비|시비|군비|구비|지방비|자부담|자담|민자|융자|기금|특별교부세|교부세|출연금)"
                            r"\s*(?:약\s*)?$")


def money_roles(sentence: str, found: list[Goal]) -> list[str | None]:
    """'total' for money stated as a whole and 'part' for the money of one source summing into
    it ('총사업비 48억원(국비 20억, 도비 10억, 시비 18억)', '국비 20억원 등 모두 48억원'), in the
    order of `found`; None for every goal of a sentence with no such whole. SUM over the
    goals that are not parts counts each amount once."""
    money = [(i, g) for i, g in enumerate(found) if g.unit == "원"]
    roles: list[str | None] = [None] * len(found)
    totals = [(i, g) for i, g in money if _TOTAL_BEFORE.search(sentence[max(0, g.start_offset - 12): _number_start(g)])]
    for i, total in totals:
        parts = [(j, g) for j, g in money if j != i and g.quantity < total.quantity
                 and _SOURCE_BEFORE.search(sentence[max(0, g.start_offset - 10): _number_start(g)])]
        if parts and sum(g.quantity for _, g in parts) <= total.quantity * 1.001:
            roles[i] = "total"
            for j, _ in parts:
                roles[j] = "part"
    return roles


def _number_start(goal: Goal) -> int:
    """Where the goal's figure starts (its phrase may open with the object or '총')."""
    digit = _ANY_DIGIT.search(goal.text)
    return goal.start_offset + (digit.start() if digit else 0)
