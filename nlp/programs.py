"""Programmes: quoted names, named noun phrases headed by a programme noun, newly launched
bodies (협의체, 개척단 …), items of bulleted project lists, and projects given with their
budget ('…센터 조성(176억)'); one entry per programme however it is spelled."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp.agencies import is_venue_use, names_office_holder
from nlp.gazetteer import MISSING, Gazetteer
from nlp.lexicon import Cues, compiled, cues
from nlp.model import Span
from nlp.phrases import Word, noun_runs

if TYPE_CHECKING:
    from nlp.doc import Doc

_GLOSS_GAP = re.compile(r"\s*[’'」』\"”》〉]?\s*\(\s*")

_QUOTED = re.compile(r"[‘'「『《〈\"“]\s*(?P<name>[^‘'’「」『』《》<>〈〉\"“”\n]{2,60}?)\s*[’'」』》〉\"”]")
# words after a quotation that make it a topic, a title or speech rather than a programme
_NOT_A_NAME_AFTER = re.compile(r"^\s*(?:을|를|이란|라는|이라는)?\s*(?:주제|슬로건|구호|말|제목|문구|메시지|표어|라고|이라고|고\s)")
# '‘우울예방을 위한 웃음치료’를 주제로 한 웃음강좌': the quotation is a class's title, a programme
_TITLED_CLASS = re.compile(r"^\s*[을를]\s*주제로\s*(?:한|하는)\s*\S*(?:강좌|강연|특강|교육|프로그램|수업|강의)")
_SENTENCE_END = re.compile(r"(?:다|요|죠)[.!?]?$")
# speech cut before its ending: '… 추진될 예정', '사업이 내년 …'
_SPEECH = re.compile(r"(?:예정|것|겠|ㄹ\s*것)$|\S+[이가은는]\s+\S+\s+\S+\s+\S+\s+\S+")
# a list item that ends like a noun phrase, not a verb ('…건립', '…7호점'; not '…추진한다', '…하고')
# a word in the middle ending like a verb's modifier: a clause (eligibility rules), not a name
_CLAUSE = re.compile(r"\S(?:는|은|한|된|할|인|있는|하는)\s")
_BIRTH_ORDER = re.compile(r"(?:첫|둘|셋|넷|다섯|여섯)째(?:아|아이)?")
# a named ordinance or bill: '○○시 초등학교 입학축하금 지원 조례안', '… 관리에 관한 조례 일부개정조례안'
_ORDINANCE = re.compile(r"(?:^|(?<=[\s‘'“\"(]))(?P<name>[가-힣]{1,6}(?:시|군|구|도)\s[^,.;:·\n‘’“”'\"()]{2,80}조례(?:안)?)"
                        r"(?![가-힣])")
# a name is more than figures and time words: not '2022년', '12개월 이상'
_FIGURE_OR_TIME = re.compile(r"[\d,.]+[가-힣%]{0,2}|이상|이하|미만|초과|이내|올해|내년|지난해|상반기|하반기")
_LIST_NUMBER = re.compile(r"^\(?(?:\d{1,2}|[가나다라마바사아자차카타파하])\)")  # '1)', '(2)', '가)' before a list item
_YEAR_PREFIX = re.compile(r"^\d{4}(?:년도|년)?")
_BUDGET_IN_BRACKETS = re.compile(r"\(\s*[\d,.]+\s*(?:조|억|만)")  # what _Lists.budgeted needs; far cheaper to find
# '사회복귀 촉진을 위한 …', '주민이 참여하는 …': a clause that says what the name after it is for
_PURPOSE = re.compile(r"(?:위한|통한|대한|따른|향한|관한|\S+하는|\S+되는|\S+있는)\s")
# '4개의 산업단지 조성': a count of things opens a description, not a name
_COUNTED = re.compile(r"\d+\s*(?:개|곳|건|곳의|개의)\S*\s")
# '창동권역에 … 제1호점': a phrase saying where, which a name does not contain
_PLACED = re.compile(r"[가-힣](?:에|에서)\s")
# the sentence's verb after the last item of a list: '△청년 창업공간 조성을 추진한다.'
_CLOSING_VERB = re.compile(r"(?P<item>.+?\S)(?:을|를)\s+(?:\S+\s+){0,2}\S+다[.]?\s*$")
_BULLETS = re.compile(r"[△▲■◆●○▷▶☞]")
_LATIN_GLOSS = re.compile(r"\s*\([A-Za-z0-9\-\s.&]+\)|\s*\([一-鿿]+\)")


@dataclass(frozen=True)
class _Lists:
    """The programme cue sets of one version of the lexicon (nlp/data/cues.tsv), with what is
    built from them: the whole head list and the budgeted-project pattern."""

    heads: tuple[str, ...]  # head nouns of programme names: the last noun of the name
    short_stem_heads: tuple[str, ...]  # events and named benefits: a short stem names one
    bare_heads: frozenset[str]  # a head alone, or with a category before it, names nothing
    modifiers: frozenset[str]  # words that describe rather than name: dropped from the front
    generic_words: frozenset[str]  # names made of these words only are categories
    name_openers: frozenset[str]  # words that open a description of a programme, not its name
    child_words: frozenset[str]  # '셋째 아이': the child a benefit is paid for
    funding_categories: frozenset[str]  # categories of funding ('공모사업'), not names
    organiser_words: frozenset[str]  # '구로구청 주관 …': the name starts after them
    budgeted: re.Pattern[str]  # a project followed by its budget in brackets: '복합커뮤니티센터 조성(176억)'
    item_heads: tuple[str, ...]  # what a bulleted item must end with to name a project ('… 건립', '… 운영')

    @classmethod
    def of(cls, lexicon: Cues) -> _Lists:
        base, benefit = lexicon["program.heads"], lexicon["program.benefit_heads"]
        # named benefits and facilities ('출산장려금', '한파쉼터'), services delivered as named
        # schemes ('장애인 콜택시', '치매 국가책임제') and funds ('경영안정자금') are programmes too
        extra = (*benefit, *lexicon["program.scheme_heads"], *lexicon["program.fund_heads"])
        heads = base + tuple(h for h in extra if h not in base)
        budgeted = re.compile(r"(?:^|[\s,])(?P<name>[가-힣A-Za-z0-9·\s]{2,40}?(?:"
                              + "|".join(lexicon["program.build_heads"] + heads)
                              + r"))(?=\s*\(\s*[\d,.]+\s*(?:조|억|만))")
        return cls(heads, lexicon["program.event_heads"] + benefit, lexicon.members("program.bare_heads"),
                   lexicon.members("program.modifiers"), lexicon.members("program.generic_words"),
                   lexicon.members("program.name_openers"), lexicon.members("program.child_words"),
                   lexicon.members("program.funding_categories"), lexicon.members("program.organiser_words"),
                   budgeted, (*heads, *lexicon["program.build_heads"], *lexicon["program.event_heads"],
                              *lexicon["program.list_item_heads"]))


def _lists() -> _Lists:
    """The programme lists of the lexicon in force."""
    return compiled(_Lists.of)


@dataclass(frozen=True)
class ProgramHit:
    name: str
    start: int
    end: int
    quoted: bool
    rule: str = "program.?"  # the rule that found it (nlp/RULES.md)


_NOT_IN_BARE = re.compile(r"[\s'\"‘’“”「」『』]")


def bare(name: str) -> str:
    """A name without spaces and quote marks, for comparing spellings."""
    return _NOT_IN_BARE.sub("", name)


def clean_name(name: str) -> str:
    """'청년창업 블루존(Blue-Zone) 조성사업' → '청년창업 블루존 조성사업' (Latin and Hanja glosses go)."""
    return " ".join(_LATIN_GLOSS.sub("", name).split())


def quoted_programs(sentence: str, offset: int, gazetteer: Gazetteer) -> list[ProgramHit]:
    lists = _lists()
    hits = []
    for match in _QUOTED.finditer(sentence):
        name = match["name"].strip()
        if _SENTENCE_END.search(name) or name.count(" ") > 8 or _SPEECH.search(name):
            continue  # a quotation of speech, not a name
        if "," in name or "，" in name:
            continue  # '‘한빛시, 청년 월세 지원’', '‘함께, 더 멀리’': a headline or a slogan; names hold no comma
        if re.search(r"(?:계획|모델|방안|전략|비전|구상|지표|목표|분야|부문|영역)(?:\([^)]*\))?$", name):
            continue  # plans, models, indicators and policy areas are not programmes
        if len(bare(name)) < 4 and not name.endswith(lists.heads):
            continue  # a film or a word in quotes ('베테랑'), not a named programme
        after = sentence[match.end():match.end() + 24]
        if _NOT_A_NAME_AFTER.match(after) and not _TITLED_CLASS.match(after):
            continue
        if gazetteer.lookup(name) or name in gazetteer.target_groups:
            continue
        if re.fullmatch(r"[\d\s.,~%-]+|[A-Za-z\s]{1,3}", name) or bare(name) in lists.bare_heads:
            continue
        hits.append(ProgramHit(clean_name(name), offset + match.start("name"), offset + match.end("name"), True,
                               "program.quoted_name"))
    return hits


def known_programs(sentence: str, offset: int, gazetteer: Gazetteer) -> list[ProgramHit]:
    """Programmes from the analyst's dictionary, wherever the sentence names them (spacing aside)."""
    patterns = gazetteer.recall("known_programs", "", lambda _, g: [
        (name, re.compile(r"\s*".join(map(re.escape, name.replace(" ", ""))))) for name in g.programs])
    hits = []
    for name, pattern in patterns:
        for match in pattern.finditer(sentence):
            hits.append(ProgramHit(name, offset + match.start(), offset + match.end(), True, "program.user_dictionary"))
    return hits


def _runs_with_conjunctions(words: list[Word], runs: list[list[Word]]) -> list[list[Word]]:
    """Noun runs, also across '및' between nouns ('노인일자리 및 사회활동 지원사업')."""
    joined: list[list[Word]] = []
    for run in runs:
        if joined:
            previous = joined[-1]
            last = previous[-1]
            if last.pure_noun and run[0].position == last.position + 2 and words[last.position + 1].text == "및" \
                    and not run[0].noun[:1].isdigit() \
                    and sum(w.noun not in _lists().modifiers for w in previous) <= 3:  # '올해' names nothing
                joined[-1] = [*previous, words[last.position + 1], *run]  # new lists: runs are shared
                continue
        joined.append(run)
    return joined


def phrase_programs(words: list[Word], gazetteer: Gazetteer, runs: list[list[Word]] | None = None
                    ) -> list[ProgramHit]:
    """Unquoted names: noun phrases with a programme head, or a new body's head."""
    hits = []
    for run in _runs_with_conjunctions(words, runs if runs is not None else noun_runs(words)):
        if names_office_holder(run[-1].noun, gazetteer):
            continue  # '충청남도 자율방재단 연합회장' names a person
        begin = 0
        for end_index, word in enumerate(run):
            if word.text == "및" and begin == -1:
                begin = end_index + 1  # a second name coordinated with the first
                continue
            kind = _head_kind(word, end_index, gazetteer) if begin >= 0 else None
            if kind is None:
                continue
            hit = _name_from(run[begin: end_index + 1], kind, gazetteer)
            if hit and not _contrasted(word, words) and not _only_where(word):
                hits.append(hit)
            begin = -1  # the earliest head names the programme; the rest says what it did
    return hits


def _contrasted(word: Word, words: list[Word]) -> bool:
    """'기존의 … 연계 사업과 달리': the programme named only to say what the new one is not."""
    following = words[word.position + 1] if 0 <= word.position < len(words) - 1 else None
    return word.after_text in {"과", "와"} and following is not None and following.text.startswith("달리")


def _head_kind(word: Word, index: int, gazetteer: Gazetteer) -> str | None:
    question = "head_after_others" if index > 0 else "head"
    found = gazetteer.memo[question].get(word.noun, MISSING)  # read directly: asked for every noun
    if found is MISSING:
        found = gazetteer.recall(question, word.noun, lambda noun, g: _noun_head_kind(noun, index > 0, g))
    return found  # type: ignore[return-value]


def _noun_head_kind(noun: str, after_others: bool, gazetteer: Gazetteer) -> str | None:
    if gazetteer.programs and any(bare(noun) == bare(name) for name in gazetteer.programs):
        return "known"
    suffix = gazetteer.longest_suffix(noun)
    if suffix and suffix[1] == "program_body" and (len(noun) > len(suffix[0]) or after_others):
        return "body"
    if noun.endswith("협약식") and after_others:
        return "agreement"
    if noun.endswith(_lists().heads):
        return "program"
    return None


def _name_from(words: list[Word], kind: str, gazetteer: Gazetteer) -> ProgramHit | None:
    lists = _lists()
    first = 0
    for index, word in enumerate(words[:-1]):
        if word.noun in lists.organiser_words or _LIST_NUMBER.match(word.text):
            first = index + 1  # '구로구청 주관 일자리박람회' → '일자리박람회'; '1) 2023년 …' → '2023년 …'
    for index in range(first + 1, len(words) - 1):
        if _regional(words[index].noun, gazetteer) and len(words[index - 1].noun) <= 3:
            first = index  # '이은국 충청남도 자율방재단': a person's name before the region
            break
    while first < len(words) - 1 and (words[first].noun in lists.modifiers or _central(words[first].noun, gazetteer)
                                      or len(words[first].noun) < 2 or words[first].noun in lists.name_openers
                                      or words[first].text.endswith(("에게", "에서", "부터", "까지"))
                                      or re.search(r"\d", words[first].noun) and not re.match(r"\d{4}", words[first].noun)):
        first += 1
    if first < len(words) - 2 and _BIRTH_ORDER.fullmatch(words[first].noun) and words[first + 1].noun in lists.child_words:
        first += 2  # '셋째 아이 출산장려금': the amount for one child, not another programme
    chosen = words[first:]
    name = " ".join(w.text if w.text == "및" else w.noun for w in chosen)
    if kind == "agreement":
        name = name[:-1]  # '구민일자리 상생 협약식' → the agreement '구민일자리 상생 협약'
    name = clean_name(name)
    parts = name.split()
    if kind == "body" and len(parts) == 1 and any(parts[0].startswith(g) and len(parts[0]) - len(g) <= 3
                                                 for g in ("주민", "시민", "민관", "지역", "실무")):
        return None  # '주민협의체': a kind of body, not a named one
    if kind == "agreement" and len(parts) < 2:
        return None
    if kind in {"known", "body", "agreement"}:
        return ProgramHit(name, chosen[0].start, chosen[-1].noun_end, False, f"program.head_{kind}")
    if re.search(r"\d+\s*(?:개|곳|건|명|억|만|원)", name) or any(p in lists.generic_words for p in parts[:-1]):
        return None
    if bare(name) in lists.bare_heads or name.endswith("별 사업") or parts[0].endswith("별") or "등" in parts:
        return None  # '… 개선 등 마을 활력화 사업': a list of activities, not a name
    head = parts[-1]
    head_stem = head[: -max((len(h) for h in lists.heads if head.endswith(h)), default=0) or None]
    if head in lists.bare_heads and len(parts) >= 2:
        # 'X 사업' written apart names a programme only when X is itself a long compound or a place/year
        # a bare '사업' needs a long name before it; '지원사업' already says what it does
        long_enough = 6 if head == "사업" else 4
        calls = head in lists.funding_categories  # categories of funding, not names
        # a benefit is named by what it is for ('신혼부부 정착 장려금'), however short each word
        described = len(bare("".join(parts[:-1]))) >= (4 if head in cues().members("program.benefit_heads") else 8)
        named = not calls and (len(bare(parts[-2])) >= long_enough or _regional(parts[0], gazetteer)
                               or re.match(r"\d{4}", parts[0]) or len(parts) >= 3 and described)
        if not named:
            return None
    # one glued word (a year before it adds no name): events are named by their head
    # ('일자리박람회'), a '…사업' word needs a longer stem, and never a generic one ('지역축제')
    elif (len(parts) == 1 or all(re.fullmatch(r"\d{4}년?도?", p) for p in parts[:-1])) and (
            head_stem in lists.modifiers or len(head_stem) < (2 if head.endswith(lists.short_stem_heads) else 4)):
        return None
    return ProgramHit(name, chosen[0].start, chosen[-1].noun_end, False, "program.head_noun")


def list_programs(sentence: str, offset: int) -> list[ProgramHit]:
    """Items of a bulleted project list ('△장애인국민체육센터 건립 60억 원 △…') and projects
    followed by their budget in brackets ('복합커뮤니티센터 조성(176억)')."""
    lists = _lists()
    hits = []
    if len(_BULLETS.findall(sentence)) >= 2:
        pieces = [(m.end(), (_BULLETS.search(sentence, m.end()) or re.compile("$").search(sentence)).start())
                  for m in _BULLETS.finditer(sentence)]
        for start, end in pieces:
            item = sentence[start:end]
            if closing := _CLOSING_VERB.match(item):  # the last item carries the verb: '△… 조성을 추진한다'
                item = closing["item"]
            item = re.split(r"\(|\s[\d,.]+\s*(?:조|억|천만|만|원|개|명|곳)|\s등(?:이|을|의|\s|$)|[,:]", item)[0].strip()
            item = clean_name(item)
            purposes = list(_PURPOSE.finditer(item))
            if purposes:  # '… 촉진을 위한 주간 재활 프로그램': the name is what the clause describes
                item = item[purposes[-1].end():]
            # an item names a project when it ends like one ('… 건립', '… 운영', '… 지원사업'); advice
            # (야외 활동 자제), people (김○○ 의원), places and goods in a bullet list name none.
            # Items with a quoted name leave the naming to the quotes.
            if 4 <= len(bare(item)) <= 30 and len(item.split()) <= 6 and not _QUOTED.search(item) \
                    and item.endswith(lists.item_heads) and not _COUNTED.match(item) and not _CLAUSE.search(item) \
                    and not _PLACED.search(item) \
                    and not re.search(r"\d+\s*(?:개|곳|건|명)$|(?:과|팀|실|계|담당|분야|부문|영역)$", item):
                at = sentence.index(item, start) if item in sentence[start:] else start
                hits.append(ProgramHit(item, offset + at, offset + at + len(item), False, "program.bulleted_item"))
    for match in lists.budgeted.finditer(sentence) if "(" in sentence and _BUDGET_IN_BRACKETS.search(sentence) else ():
        words = match["name"].split()
        kept: list[str] = []
        for word in reversed(words):  # '비롯해 시군 자율사업인 복합커뮤니티센터 조성' → the project itself
            if word in lists.modifiers or word in {"등", "및"} or re.search(r"(?:인|의|과|와|은|는|을|를|해|고|며|로|에게|에서|에)$", word):
                break
            kept.insert(0, word)
        name = " ".join(kept)
        if len(bare(name)) >= 4 and bare(name) not in lists.bare_heads and not re.search(r"\d+\s*(?:개|곳|건)", name):
            at = offset + match.start("name") + match["name"].index(name) if name in match["name"] else offset
            hits.append(ProgramHit(name, at, at + len(name), False, "program.budgeted_project"))
    return hits


def ordinance_programs(sentence: str, offset: int) -> list[ProgramHit]:
    """Named ordinances and bills, from the local government that names them to '조례(안)'."""
    if "조례" not in sentence:
        return []
    return [ProgramHit(m["name"], offset + m.start("name"), offset + m.end("name"), False, "program.ordinance")
            for m in _ORDINANCE.finditer(sentence)]


def has_a_name(name: str) -> bool:
    """Some word of it is more than a figure or a time word."""
    return any(not _FIGURE_OR_TIME.fullmatch(part) for part in name.split())


def _central(noun: str, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.lookup(noun)
    return entry is not None and entry.kind not in {"광역", "기초", "행정시"}


def _regional(noun: str, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.lookup(noun)
    return entry is not None and entry.kind in {"광역", "기초", "행정시"}


def merge_programs(hits: list[ProgramHit]) -> list[str]:
    """One name per programme. Spellings of one programme (see same_program) are grouped, and
    the group is named by the spelling most of its mentions contain or are contained in (60%
    rule), then a quoted one, then the first written (news spells a name out in full first)."""
    groups: list[list[ProgramHit]] = []
    for hit in sorted(hits, key=lambda h: (not h.quoted, -len(bare(h.name)))):
        group = next((g for g in groups if same_program(bare(hit.name), bare(g[0].name))), None)
        if group is None:
            groups.append([hit])
        else:
            group.append(hit)
    names = []
    for group in groups:
        def support(candidate: ProgramHit, group: list[ProgramHit] = group) -> tuple[int, bool, int]:
            b = bare(candidate.name)
            return (sum(_contains(bare(h.name), b) for h in group), candidate.quoted, -candidate.start)
        best = max(group, key=support)
        names.append((min(h.start for h in group), best.name))
    return [name for _, name in sorted(names)]


def _contains(a: str, b: str) -> bool:
    shorter, longer = sorted((a, b), key=len)
    return shorter in longer and len(shorter) >= 0.6 * len(longer)


def same_program(a: str, b: str) -> bool:
    """Two spellings of one programme: equal, or one inside the other (60% rule, or its tail),
    or the same name with a year in front or a word left out in the middle ('농업기술보급사업'
    for '2020년 농업기술보급 시범사업', '감정노동자 치유프로그램' for '… 치유 힐링 프로그램')."""
    shorter, longer = sorted((a, b), key=len)
    if shorter in longer and (len(shorter) >= 0.6 * len(longer) or longer.endswith(shorter)):
        return True
    shorter, longer = sorted((_YEAR_PREFIX.sub("", a), _YEAR_PREFIX.sub("", b)), key=len)
    if len(shorter) < 6 or len(shorter) < 0.6 * len(longer):
        return False
    head = 0  # the longest common start, then the rest must be the longer one's end
    while head < len(shorter) and shorter[head] == longer[head]:
        head += 1
    return head >= 3 and len(shorter) - head >= 2 and longer.endswith(shorter[head:])


def _only_where(word: Word) -> bool:
    """'…작은도서관에 … 설치', '…쉼터에서 쉰다': a facility named as where something happens."""
    return word.after_text.strip().startswith("에") and word.noun.endswith(cues()["program.place_heads"])


def facility_programs(words: list[Word], sentence: str, gazetteer: Gazetteer,
                      runs: list[list[Word]] | None = None) -> list[ProgramHit]:
    """A named facility the story builds, opens or approves ('경주 강동 일반산업단지는 … 조성',
    '청년 맞춤 임대형 스마트팜 단지를 공급'): a programme the facility delivers (CONVENTIONS.md);
    the same name where events only happen in it stays a venue."""
    lexicon = cues()
    openings = lexicon["program.facility_openings"]
    if not any(cue in sentence for cue in openings):
        return []
    heads = lexicon["program.facility_heads"]
    lists = _lists()
    hits = []
    for run in runs if runs is not None else noun_runs(words):
        last = run[-1]
        head = max((h for h in heads if last.noun.endswith(h)), key=len, default=None)
        if head is None or is_venue_use(words, last) or last.after_text.strip() not in _FACILITY_ROLE:
            continue  # '…도서관에 …을 설치', '…도서관과 … 일원에서': where, not what is built
        later = words[last.position + 1:] if 0 <= last.position < len(words) else []
        if not any(w.text.startswith(openings) or w.noun.startswith(openings) for w in later):
            continue  # the story builds it ('…단지는 … 조성한다'), not a name that holds '조성'
        first = 0
        for index, word in enumerate(run[:-1]):  # '울주군 두서면 활천리 소재 …': the name starts after where
            if word.noun in lists.organiser_words:
                first = index + 1
        while first < len(run) - 1 and (run[first].noun in lists.modifiers or len(run[first].noun) < 2
                                        or _SUB_UNIT_WORD.fullmatch(run[first].noun)):
            first += 1
        chosen = run[first:]
        name = clean_name(" ".join(w.noun for w in chosen))
        if len(bare(name)) - len(head) < 2 or len(chosen) > 5 or re.search(r"\d+\s*(?:개|곳|동|호|세대)", name):
            continue  # '단지', '산업단지' alone, or a count of them, name none
        hits.append(ProgramHit(name, chosen[0].start, last.noun_end, False, "program.named_facility"))
    return hits


# the facility as what the sentence builds or opens: its subject, its object, or bare before the verb
_FACILITY_ROLE = {"", "을", "를", "은", "는", "이", "가", "도", "의"}
# '두서면', '활천리': an address inside a run, before the facility's own name
_SUB_UNIT_WORD = re.compile(r"[가-힣]{1,4}(?:읍|면|리)")


def recognise(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    """Programmes of every sentence: names in quotes and from the analyst's dictionary, named
    ordinances, then bulleted items, budgeted projects and noun phrases with a programme head
    that no name already covers."""
    spans = []
    for sentence in doc.sentences:
        quoted = quoted_programs(sentence.text, sentence.start, gazetteer) + known_programs(
            sentence.text, sentence.start, gazetteer)
        ordinances = ordinance_programs(sentence.text, sentence.start)
        found = list_programs(sentence.text, sentence.start) + phrase_programs(sentence.words, gazetteer, sentence.runs)
        found += [h for h in facility_programs(sentence.words, sentence.text, gazetteer, sentence.runs)
                  if not any(h.start < f.end and f.start < h.end for f in found)]
        found = [h for h in found if has_a_name(h.name) and not any(within(h, o) for o in ordinances)]
        named = [h for h in quoted if has_a_name(h.name) and not any(within(h, o) for o in ordinances)] + ordinances
        found = [h for h in found if not any(within(h, q) or _glosses(h, q, doc.body) for q in named)]
        spans.extend(Span("program", hit.start, hit.end, sentence.index, hit.rule, canonical=hit.name, found=hit)
                     for hit in named + found)
    return spans


def within(inner: ProgramHit | Span, outer: ProgramHit | Span | object) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end  # type: ignore[attr-defined]


def _glosses(hit: ProgramHit, quoted: ProgramHit, body: str) -> bool:
    """'‘황룡전통시장 활성화 프로젝트’(민관상생 투자협약사업)': the bracket says what kind of
    programme the quoted one is; it names no other."""
    return quoted.end <= hit.start and bool(_GLOSS_GAP.fullmatch(body[quoted.end:hit.start]))
