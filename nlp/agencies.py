"""Agencies: gazetteer names, names no gazetteer has (by their head noun), region prefixes,
branch offices, and office anaphora (시청 → the article's city), each canonicalised."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp.gazetteer import Entry, Gazetteer
from nlp.lexicon import cues
from nlp.model import Span
from nlp.phrases import Word, ending_past_aside, noun_runs, strip_legal_form

if TYPE_CHECKING:
    from nlp.doc import Doc

# person titles built on an agency name: 김제시장, 장성군수, 구로구청장, 고용노동부 장관
_TITLE_SUFFIXES = ("장", "수", "청장", "시장", "군수", "구청장", "도지사", "지사", "장관", "차관", "의장",
                   "의원", "국장", "과장", "팀장", "소장", "센터장", "원장", "이사장", "위원장", "위원",
                   "대표", "회장", "본부장", "지청장", "관장", "부시장", "부군수", "부구청장", "부지사",
                   "사무국장", "주무관", "직원", "공무원", "관계자", "담당자")
# a facility followed by these is being built: a programme, not an agency ('…센터 조성')
_BUILT = {"조성", "설치", "건립", "건설", "신축", "증축", "착공", "준공", "리모델링", "확충", "구축", "조성사업",
          "건립사업", "설치사업"}
# what happens at a venue: 'X에서 … 참여한 가운데', 'X에서 … 개최했다'
_EVENT_STEMS = ("개최", "열리", "열", "참석", "참여", "가지", "진행", "모이")
_HEAD_TITLES = {"장", "회장", "위원장", "센터장", "원장", "이사장", "소장", "관장", "청장", "지청장", "본부장", "단장"}
# outlets and their bureaus report the story; they are not agencies ('충북취재본부')
_OUTLET_HEADS = re.compile(r"(?:일보|신문|뉴스|방송|통신|타임즈|타임스|저널|미디어|TV|투데이|취재본부)$")
_ANY_DOT = re.compile("[·‧・ㆍ․]")
# '꽃소마루 나주혁신점(대표 송한기)': an organisation written with its head in brackets
_REPRESENTED = re.compile(r"\(\s*대표(?:이사|자)?(?:\s|$)")
_QUOTE_MARK = re.compile("[“”\"‘’'「」『』]")
_OFFICE_ANAPHORA = {"시청": "시", "군청": "군", "구청": "구", "도청": "도"}
_REGIONAL = {"광역", "기초", "행정시"}  # local governments among the gazetteer kinds
_BRANCH_HEADS = ("지청", "지방청", "지사", "지원", "지부", "지회", "출장소", "사무소", "본부", "분원", "센터")


@dataclass(frozen=True)
class AgencyHit:
    surface: str  # as written (legal-form markers kept)
    start: int
    end: int
    key: str  # canonical identity
    entry: Entry | None
    venue: bool = False  # used only as the place where something happened
    rule: str = "agency.?"  # the rule that found it (nlp/RULES.md)


def _agency_word(noun: str, gazetteer: Gazetteer) -> tuple[str, Entry | None] | None:
    """(canonical key, entry) when one noun names an agency by itself."""
    return gazetteer.recall("agency", noun, _agency_noun)


def _agency_noun(noun: str, gazetteer: Gazetteer) -> tuple[str, Entry | None] | None:
    name = strip_legal_form(noun)
    if _ANY_DOT.sub("", name) in cues().members("agency.generic"):
        return None  # '읍․면사무소': the offices of every 읍 and 면, however the dot is written
    if name in cues().members("agency.definite_bodies"):
        return name, None
    if len(name) < 2 or name in cues().members("agency.generic"):
        return None
    entry = gazetteer.lookup(name)
    if entry is not None:
        return entry.name, entry
    suffix = gazetteer.longest_suffix(name)
    if suffix and suffix[1] == "agency" and len(name) - len(suffix[0]) >= (3 if suffix[0] == "센터" else 2):
        if name.startswith(cues()["agency.generic_openers"]) and gazetteer.lookup(name[2:]) is None:
            return None
        if _OUTLET_HEADS.search(name):
            return None
        return name, None
    if noun != name and len(name) >= 2:  # ㈜더본코리아: a firm named as a partner
        return name, None
    return None


def _branch_after_body(run: list[Word], gazetteer: Gazetteer) -> bool:
    """'한국관광공사 경남지사' is a branch office; '경남지사' alone is the governor."""
    if len(run) < 2 or not run[-1].noun.endswith(("지사", "지부", "본부")):
        return False
    entry = gazetteer.lookup(strip_legal_form(run[-2].noun))
    return entry is not None and entry.kind not in _REGIONAL


def _noun_facts(noun: str, gazetteer: Gazetteer) -> tuple[bool, bool, tuple[str, Entry | None] | None]:
    """What one noun is, asked once per noun: an office holder once its legal form is dropped,
    an office holder as written, and the agency it names by itself."""
    return gazetteer.recall("agency_facts", noun, _facts_of_noun)


def _facts_of_noun(noun: str, gazetteer: Gazetteer) -> tuple[bool, bool, tuple[str, Entry | None] | None]:
    return (is_person_title(strip_legal_form(noun), gazetteer), is_person_title(noun, gazetteer),
            _agency_word(noun, gazetteer))


def names_office_holder(noun: str, gazetteer: Gazetteer) -> bool:
    """'(주)…대표', '구로구청장': the noun, without its legal form, is an office holder's title."""
    return _noun_facts(noun, gazetteer)[0]


def _named_whole(stem: str, gazetteer: Gazetteer) -> bool:
    return gazetteer.recall("named_whole", stem, _is_named_whole)


def _is_named_whole(stem: str, gazetteer: Gazetteer) -> bool:
    """A stem that is a name as a whole: with a legal form, or ending in an institution's head noun."""
    if re.search(r"[()\[\]]", re.sub(r"\((?:주|사|재|유)\)", "", stem)):
        return False  # '교육청(세종시교육청': an abbreviation in brackets, not one name
    if re.search(r"\((?:주|사|재)\)|㈜", stem):
        return True
    suffix = gazetteer.longest_suffix(stem)
    return bool(suffix and suffix[1] == "agency" and len(stem) - len(suffix[0]) >= 2 and " " not in stem)


# institutions named by a venue's head noun act when they run something: '…도서관이 맡는다'
_RUNNING = ("맡", "운영", "주관", "주최", "진행", "제공", "펼치", "펼친", "연다", "열고", "마련")
_VENUES_THAT_RUN = ("도서관", "박물관", "미술관", "기념관", "문화회관", "문화예술회관", "체험관")


def _runs_something(word: Word, words: list[Word], gazetteer: Gazetteer) -> bool:
    """A named library or museum as the subject of running a programme is an agency there."""
    noun = word.noun
    if not noun.endswith(_VENUES_THAT_RUN) or word.after_text not in {"이", "가", "은", "는", "에서는"}:
        return False
    suffix = gazetteer.longest_suffix(noun)
    if suffix is None or len(noun) - len(suffix[0]) < 2:
        return False  # '도서관이': a generic reference
    return any(w.text.startswith(_RUNNING) or w.noun.startswith(_RUNNING)
               for w in words[word.position + 1: word.position + 7])


def _next_word(words: list[Word], word: Word) -> Word | None:
    position = word.position
    return words[position + 1] if position + 1 < len(words) else None


def _being_built(words: list[Word], word: Word) -> bool:
    following = _next_word(words, word)
    return following is not None and following.noun in _BUILT


def is_venue_use(words: list[Word], word: Word) -> bool:
    """'문화체육센터에서 … 참여한 가운데': the place where an event happens, not an actor."""
    if not word.after_text.startswith("에서"):
        return False
    for later in words[word.position + 1:]:
        if later.after_noun and any(tag.startswith(("VV", "XSV", "VA", "EC", "ETM", "EF")) for tag in later.after_noun):
            stem = later.noun or (later.forms[0] if later.forms else "")
            return stem.startswith(_EVENT_STEMS) or any(form.startswith(_EVENT_STEMS) for form in later.forms[:2])
    return False


def is_person_title(noun: str, gazetteer: Gazetteer) -> bool:
    """'김제시장', '장성군수', '구로구청장', '자율방재단 연합회장': an office holder, not the body."""
    return gazetteer.recall("title", noun, _person_title)


def _person_title(noun: str, gazetteer: Gazetteer) -> bool:
    for suffix in _TITLE_SUFFIXES:
        if noun.endswith(suffix) and len(noun) > len(suffix):
            stem = noun[: -len(suffix)]
            if gazetteer.lookup(stem) or (stem in gazetteer.bare_regions and len(suffix) >= 2):
                return True
            institution = gazetteer.longest_suffix(stem)
            if institution and institution[1] == "agency" and suffix in _HEAD_TITLES:
                return True
    return False


# a 읍/면/동/리 after a city or county: '울주군 두서면 활천리' is an address
_SUB_UNIT = re.compile(r"[가-힣]{1,4}(?:읍|면|동|리|[0-9]동)(?:일원|일대)?")
_ACTING = {"은", "는", "이", "가", "에서는"}
_ADDRESS_WORDS = {"일원", "일대", "소재", "산", "번지", "일원에", "일대에"}
# '대구시 거주', '거창군에 거주해야', '거창군 3년 이상 거주자'; '공주시를 제외한'
_RESIDENCE = re.compile(r"^(?:에\s*)?(?:(?:에|내|관내)\s*)?(?:[\d,.]+\s*년\s*(?:이상\s*)?)?거주|^(?:을|를)\s*제외")


def _as_a_place(words: list[Word], run: list[Word], index: int) -> str | None:
    """How a local government's name is used as a place rather than the body: an address
    ('경주시 강동면 왕신리'), the residence of those eligible ('대구시 거주 청년'), a place left
    out ('공주시를 제외한'); or the 읍/면 office after it that acts ('거창군 주상면은')."""
    word = run[index]
    unit = run[index + 1] if index + 1 < len(run) else None
    if unit is not None and _SUB_UNIT.fullmatch(unit.noun):
        if ending_past_aside(words, unit) in _ACTING and unit.noun.endswith(("읍", "면", "동")):
            return "township office"
        rest = run[index + 2] if index + 2 < len(run) else None
        # '북구 오룡동 인공지능산업융합사업단': the address leads to a body named with it
        if rest is None or _SUB_UNIT.fullmatch(rest.noun) or rest.noun in _ADDRESS_WORDS:
            return "address"
        return None
    following = " ".join(w.text for w in words[word.position + 1: word.position + 5])
    return "residence" if _RESIDENCE.search((word.after_text.strip() + " " + following).strip()) else None


def _province_of(word: Word, gazetteer: Gazetteer) -> str | None:
    """The 광역 a region word names ('부산', '부산광역시'), or None."""
    entry = gazetteer.lookup(word.noun) or gazetteer.bare_regions.get(word.noun)
    return entry.name if entry is not None and entry.kind == "광역" else None


def _is_region(word: Word, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.lookup(word.noun)
    return (entry is not None and entry.kind in _REGIONAL) or word.noun in gazetteer.bare_regions


def find_agency_hits(words: list[Word], gazetteer: Gazetteer, outlet: str | None = None,
                     runs: list[list[Word]] | None = None) -> list[AgencyHit]:
    """Agency mentions in one sentence's words (`runs`: their noun runs, when already known)."""
    hits: list[AgencyHit] = []
    known = gazetteer.memo["agency_facts"]  # read directly: every noun of every run asks
    for run in runs if runs is not None else noun_runs(words):
        last_noun = run[-1].noun
        if (known.get(last_noun) or _noun_facts(last_noun, gazetteer))[0] and not _branch_after_body(run, gazetteer):
            continue  # '문헌일 서울특별시 구로구청장': the whole phrase names a person
        index = 0
        while index < len(run):
            word = run[index]
            _, title, found = known.get(word.noun) or _noun_facts(word.noun, gazetteer)
            if title or (outlet and word.noun == outlet):
                index += 1
                continue
            stem = word.noun if word.pure_noun else word.stem
            longer_stem = (len(stem) > len(word.noun) and _named_whole(stem, gazetteer)
                           and gazetteer.lookup(stem) is None)
            if longer_stem and index == len(run) - 1:
                found = None  # '목포시의사회': the whole stem names the body, not its first noun
            if found is None and stem != word.noun and not _QUOTE_MARK.search(stem):
                # an unknown name Kiwi split apart ('(주)다온케어', '김해늘푸른병원'): judge the whole stem;
                # never across a quote mark ('중요하다”며“…센터'): a name holds none
                found = _agency_word(stem, gazetteer) if _named_whole(stem, gazetteer) else None
                if found:
                    word_end = word.start + len(stem)
                    hits.append(AgencyHit(stem, word.start, word_end, found[0], found[1],
                                          is_venue_use(words, word), "agency.whole_stem"))
                    index += 1
                    continue
            rule = "agency.lexicon" if found and found[1] else "agency.institution_suffix"
            if found is None and word.noun.endswith(_VENUES_THAT_RUN) and _runs_something(word, words, gazetteer):
                found = (word.noun, None)  # '운영은 영주선비도서관이 맡는다': a library that acts
                rule = "agency.venue_that_runs"
            if found is None and _REPRESENTED.match(word.after_text) and len(strip_legal_form(word.noun)) >= 2 \
                    and not word.noun.isdigit():
                found = (strip_legal_form(word.noun), None)  # 'KCC건설(대표 정몽열)': a firm named with its head
                rule = "agency.firm_with_representative"
            if found is None or (found[1] is None and _being_built(words, word)):
                index += 1
                continue
            key, entry = found
            start, end = word.start, word.noun_end
            if rule == "agency.firm_with_representative" and index > 0 and run[index - 1].pure_noun \
                    and all(t.tag in {"NNP", "SL"} for t in run[index - 1].tokens) \
                    and not _is_region(run[index - 1], gazetteer):
                start = run[index - 1].start  # '꽃소마루 나주혁신점(대표 …)': the brand is part of the name
                key = words_text(words, start, end)
            if entry is not None and entry.kind in _REGIONAL and (where := _as_a_place(words, run, index)):
                if index > 0 and _is_region(run[index - 1], gazetteer) and hits and hits[-1].start == run[index - 1].start:
                    hits.pop()  # '전라남도 나주시 빛가람동': the province is part of the address too
                if where == "township office":  # '거창군 주상면은 …': the 면 office acts, not the county
                    unit = run[index + 1]
                    hits.append(AgencyHit(words_text(words, word.start, unit.noun_end), word.start, unit.noun_end,
                                          unit.noun, None, False,  # named like a 시군구: '주상면'
                                          "agency.township_office"))
                index += 2 if where == "township office" else 1
                continue
            # a region before a local government is a prefix: '서울특별시 구로구', '전북 김제시'
            if index > 0 and _is_region(run[index - 1], gazetteer) and entry and entry.kind in {"기초", "행정시"}:
                province = _province_of(run[index - 1], gazetteer)  # '부산 중구': 부산's 중구, not 서울's
                entry = next((e for e in gazetteer.agencies.get(key, ()) if e.parent == province), entry)
                start = run[index - 1].start
                if hits and hits[-1].start == start:
                    hits.pop()  # '서울특별시 구로구': the region is the prefix of this name, not a second body
            venue = entry is None and is_venue_use(words, word)
            hits.append(AgencyHit(words_text(words, start, end), start, end, key, entry, venue, rule))
            # a body of this agency named after it: '고용노동부 전주지청', '양주시 장애인종합복지관',
            # '속초시 노사민정 실무협의회', '충청남도 자율방재단 연합회' (up to two plain nouns between)
            for span in range(1, 4):
                if index + span >= len(run):
                    break
                head = strip_legal_form(run[index + span].noun)
                office_of_body = span == 1 and entry is not None and entry.kind not in _REGIONAL \
                    and head.endswith(("지사", "지부", "본부"))  # '한국관광공사 경남지사': no governor
                if is_person_title(head, gazetteer) and not office_of_body or head in cues().members("agency.generic"):
                    break
                suffix = gazetteer.longest_suffix(head)
                branch = head.endswith(_BRANCH_HEADS) and len(head) > 2
                if branch or suffix and suffix[1] == "agency" and (len(head) > len(suffix[0]) or span > 1
                                                                   or len(suffix[0]) >= 4):
                    name_end = run[index + span].noun_end
                    surface = words_text(words, word.start, name_end)
                    if branch and span == 1:
                        hits.pop()  # '고용노동부 창원지청', '해양환경공단 군산지사': the branch acts, not the parent
                    hits.append(AgencyHit(surface, word.start, name_end, _collapse(surface), None,
                                          is_venue_use(words, run[index + span]),
                                          "agency.branch_of_body" if branch else "agency.body_of_agency"))
                    index += span
                    break
            index += 1
    return hits


def words_text(words: list[Word], start: int, end: int) -> str:
    """The text between two offsets, rebuilt from the words (single spaces)."""
    parts = []
    for word in words:
        if word.end <= start or word.start >= end:
            continue
        parts.append(word.text[max(0, start - word.start): end - word.start])
    return " ".join(parts)


def _collapse(surface: str) -> str:
    return " ".join(strip_legal_form(surface).split())


def resolve_office_anaphora(words: list[Word], known: list[AgencyHit], gazetteer: Gazetteer) -> list[AgencyHit]:
    """'시청' names the article's city when the article names one city; likewise 군청, 구청, 도청."""
    hits = []
    for word in words:
        level = _OFFICE_ANAPHORA.get(word.noun)
        if not level:
            continue
        bodies = {hit.key: hit.entry for hit in known if hit.entry and hit.key.endswith(level)
                  and hit.entry.kind in {"기초", "광역", "행정시"}}
        if not bodies:  # '속초시노사민정협의회' names its city too
            for hit in known:
                for length in range(2, len(hit.key)):
                    entry = gazetteer.lookup(hit.key[:length])
                    if entry and entry.kind in {"기초", "광역", "행정시"} and entry.name.endswith(level):
                        bodies[entry.name] = entry
        if len(bodies) == 1:
            key, entry = next(iter(bodies.items()))
            hits.append(AgencyHit(word.noun, word.start, word.noun_end, key, entry, rule="agency.office_anaphora"))
    return hits


def display_name(key: str, entry: Entry | None, surfaces: list[str]) -> str:
    """The name to show. Ministries, public bodies and an analyst's own entries go by their
    canonical name ('고용부' → '고용노동부'). Local governments go by the canonical name when the
    text uses it, else by the first form seen without a region prefix or office ending
    ('제주도' stays '제주도'; '구로구청' → '구로구')."""
    bare = [_collapse(surface) for surface in surfaces]
    if entry is None or key in bare or entry.kind not in {"기초", "광역", "행정시"}:
        return key
    for surface in bare:
        last = surface.split()[-1]
        if last == key or last.endswith("청") and last[:-1] == key:
            return key
    return bare[0].split()[-1]


# heads of bodies that belong to their own service, whatever local government names them
_SERVICE_LEVELS = (("교육지원청", "교육청"), ("교육청", "교육청"), ("소방본부", "소방"), ("소방서", "소방"),
                   ("경찰서", "경찰"), ("경찰청", "경찰"), ("의회", "지방의회"), ("우체국", "우정"), ("세무서", "국세"),
                   ("고용노동지청", "고용노동"), ("고용노동청", "고용노동"), ("지방노동청", "고용노동"),
                   ("지방법원", "법원"))


def level_and_region(name: str, entry: Entry | None, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """An agency's level and the 광역 it belongs to: from the gazetteer when it knows the body,
    else from the local government its name starts with ('강릉시보건소' → 기초 소속, 강원특별자치도;
    '제주특별자치도교육청' → 교육청, 제주특별자치도), and a branch of a national body from the
    place its branch is named for ('한국전력공사 공주지사' → 공사 지사, 충청남도). Central bodies
    and firms have no region."""
    if entry is not None:
        region = entry.parent or (entry.name if entry.kind in {"광역"} else None)
        return entry.kind, region
    words = name.split()
    parent = gazetteer.lookup(strip_legal_form(words[0])) if len(words) > 1 else None
    if parent is not None and parent.kind not in _REGIONAL:
        place = next((found for word in words[1:] if (found := _place_at_start(word, gazetteer, branch=True))), None)
        return f"{parent.kind} 지사", (place[0].parent or place[0].name) if place else None
    found = _place_at_start(name.replace(" ", ""), gazetteer)
    if found is None:
        return None, None
    place, rest = found
    region = place.parent or place.name
    local = next((e for size in range(len(rest) - 1, 1, -1) for e in gazetteer.agencies.get(rest[:size], ())
                  if e.parent == region), None) if place.kind == "광역" else None
    place = local or place  # '대구시 중구 …센터': a body of that city's 구
    if local and rest[len(local.name):] in {"", "청"}:
        return local.kind, region  # '대구시 중구청' is the 구 itself
    level = next((level for head, level in _SERVICE_LEVELS if name.endswith(head)), None)
    return level or f"{place.kind} 소속", region


# bodies every 시군구 or 시도 has its own of: named bare ('군의회', '보건소', '농업기술센터'), they are
# the article's local government's
_LOCAL_BODY_HEADS = ("의회", "보건소", "보건지소", "농업기술센터", "소방서", "교육지원청", "교육청", "주민센터",
                     "행정복지센터", "치매안심센터", "정신건강복지센터", "건강가정지원센터", "가족센터", "돌봄센터",
                     "복지관", "일자리센터", "자원봉사센터", "협의회", "위원회", "도서관", "시설관리공단", "문화재단")


def local_level_and_region(name: str, governments: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """A local body named without its place ('군의회', '꿈꾸리다함께돌봄센터') belongs to the one
    local government the article names (`governments`: (kind, region) of the local governments
    found), when there is one: its region, and its service or '<kind> 소속' as its level."""
    if not name.endswith(_LOCAL_BODY_HEADS):
        return None, None
    level = next((level for head, level in _SERVICE_LEVELS if name.endswith(head)), None)
    if len({region for _, region in governments}) != 1:
        return level, None  # '군의회' of a county placed in no 시도: its service, but no 시도
    kinds = {kind for kind, _ in governments}
    kind = "기초" if "기초" in kinds or "행정시" in kinds else "광역"
    return level or f"{kind} 소속", governments[0][1]


def _place_at_start(compact: str, gazetteer: Gazetteer, branch: bool = False) -> tuple[Entry, str] | None:
    """The local government a name starts with, by its name or its short name ('공주' → 공주시),
    and the rest of the name."""
    for length in range(len(compact) - 1, 1, -1):
        prefix = compact[:length]
        place = gazetteer.lookup(prefix)
        if place is None or place.kind not in _REGIONAL:
            place = gazetteer.bare_regions.get(prefix)
        if place is None and (branch or compact.endswith(tuple(head for head, _ in _SERVICE_LEVELS))):
            # a short name the gazetteer lacks, trusted only before a branch or service head:
            # '공주우체국', not '예산결산특별위원회'
            place = next((e for ending in ("시", "군") if (e := gazetteer.lookup(prefix + ending))
                          and e.kind in _REGIONAL), None)
        if place is not None:
            return place, compact[length:]
    return None


def recognise(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    """The agencies of every sentence; '시청' and the like are resolved later, against them all."""
    spans = []
    for sentence in doc.sentences:
        hits = find_agency_hits(sentence.words, gazetteer, doc.article.outlet, sentence.runs)
        spaced = spaced_names(sentence.runs, gazetteer)
        hits = [hit for hit in hits if not any(name.start <= hit.start < name.end for name in spaced)] + spaced
        hits += [hit for hit in listed_local_governments(sentence.text, sentence.start, gazetteer)
                 if not any(other.start <= hit.start < other.end for other in hits)]
        spans.extend(Span("agency", hit.start, hit.end, sentence.index, hit.rule, canonical=hit.key, found=hit)
                     for hit in hits)
    return spans


# a list of three or more bare place names: '여수, 신안, 진도, 완도 등 6개 시군'
_NAME_LIST = re.compile(r"(?<![가-힣])[가-힣]{2,4}(?:\s*[,·ㆍ]\s*[가-힣]{2,4}){2,}")


def listed_local_governments(sentence: str, offset: int, gazetteer: Gazetteer) -> list[AgencyHit]:
    """A list of bare 시군 names that each take part is a list of agencies (CONVENTIONS.md):
    '목포, 나주, 무안 등' names the three governments, each by its short name."""
    hits = []
    for listed in _NAME_LIST.finditer(sentence):
        names = [(m.group(), m.start()) for m in re.finditer(r"[가-힣]{2,4}", listed.group())]
        places = [(name, at, gazetteer.bare_regions.get(name) or gazetteer.lookup(name + "군")
                   or gazetteer.lookup(name + "시")) for name, at in names]  # '진도': 진도군 in a list of them
        if not all(place is not None and place.kind in {"기초", "행정시"} for _, _, place in places):
            continue  # every item must be a city or county by its short name
        for name, at, place in places:
            start = offset + listed.start() + at
            hits.append(AgencyHit(name, start, start + len(name), place.name, place,  # type: ignore[union-attr]
                                  rule="agency.listed_local_governments"))
    return hits


def spaced_names(runs: list[list[Word]], gazetteer: Gazetteer) -> list[AgencyHit]:
    """'대전 문화 재단': a body's name written with spaces, from its place to a head that alone
    names no one body (재단, 센터, 협의회 …). Glued, the words name it ('대전문화재단')."""
    hits = []
    generic = cues().members("agency.generic")
    for run in runs:
        first = 0
        while first < len(run) - 2:
            if run[first].noun not in gazetteer.bare_regions:  # a short place name: '대전', '부산'
                first += 1
                continue
            last = next((i for i in range(first + 2, min(first + 4, len(run))) if run[i].noun in generic), None)
            found = None
            if last is not None and all(w.pure_noun and not gazetteer.lookup(w.noun) for w in run[first:last]):
                glued = "".join(w.noun for w in run[first:last + 1])
                found = _agency_word(glued, gazetteer)
            if last is not None and found and found[1] is None:
                surface = " ".join(w.noun for w in run[first:last + 1])
                hits.append(AgencyHit(surface, run[first].start, run[last].noun_end, glued, None,
                                      rule="agency.spaced_name"))
                first = last + 1
            else:
                first += 1
    return hits
