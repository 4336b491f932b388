"""Target groups: who a programme serves or addresses. A lexicon name (the gazetteer's or
the analyst's) counts where the sentence makes it a beneficiary: inside a programme's name
('이동노동자 지원사업'), as the one a support verb acts on ('구직자 50명을 모집'), or with a
beneficiary ending ('청년에게', '어르신을 위한', '소상공인 대상')."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp.gazetteer import Gazetteer
from nlp.lexicon import Cues, compiled, cues
from nlp.model import Span
from nlp.phrases import Word, noun_runs

if TYPE_CHECKING:
    from nlp.doc import Doc

# what follows the group's word: a beneficiary ending, or an object taken by a support verb
_BENEFICIARY_AFTER = re.compile(r"^(?:들)?(?:에게|에게는|에게도|을\s*위한|를\s*위한|을\s*위해|를\s*위해|을\s*대상|를\s*대상|대상)")
_OBJECT_AFTER = re.compile(r"^(?:들)?(?:을|를|의|과|와|이|가|은|는|도)$")
_MIDDLE_DOTS = {"·", "‧", "・", "ㆍ"}
_ANY_MIDDLE_DOT = re.compile("[·‧・ㆍ]")
# quoted speech: what an official says is not whom the programme serves, unless he says it is for them
_SPEECH = re.compile(r"[“\"][^”\"]{20,}[”\"]")


@dataclass(frozen=True)
class TargetHit:
    name: str
    start: int
    end: int
    rule: str = "target.?"  # the rule that found it (nlp/RULES.md)


_DIGIT = re.compile(r"\d")
# '65세 이상 어르신', '65세 이상 가구' name a group; an upper bound ('39세 이하 청년') or a bound on a
# group defined by its age band ('만 40세 이상 중장년') is an eligibility threshold, not part of its name
_AGE_BOUND = re.compile(r"(?:^|\s)(?P<bound>(?:만\s*)?\d{1,3}\s*세\s*이상)\s*$")
_NUMBER_END = re.compile(r"\d[\d,.]*(?:[만천백]\d*)*여?$")  # '3천', '6만4천여', '1,200'
_FOR_THEM = re.compile(r"수\s*있도록|을\s*위해|를\s*위해|을\s*위한|를\s*위한|위하여")
# '지역 인재를 지원하겠다', '투자기업이 … 성장할 수 있도록': an official naming what is done for a group
_SUPPORTED_IN_SPEECH = re.compile(r"^\S*?(?:들)?(?:을|를|에게)\s+(?:\S+\s+)?(?:지원|돕|도울|도와|육성|보호|돌보|챙기)")
# a figure as the press writes it: '11만2천여', '1,200', '24'
_COUNT = r"[\d,.]+(?:\s*[만천백]\s*[\d,.]*)*\s*여?"
# an agreement's party: '중소기업 3곳과 … 투자협약을 체결', '입주기업 11곳과 … 협약을 맺었다'
def _party_regex(lexicon: Cues) -> re.Pattern[str]:
    words = "|".join(map(re.escape, lexicon["shared.agreement_words"]))
    return re.compile(r"^(?:들)?(?:과|와|\s*\S*\d\S*(?:과|와))\s(?:\S+\s){0,5}?\S*(?:" + words + ")")


def _party_pattern() -> re.Pattern[str]:
    """'중소기업 3곳과 … 협약': a group named as a party to an agreement (shared.agreement_words,
    the same words goals.py reads for parties)."""
    return compiled(_party_regex)
# a count already reached or a statistic: '관광객 11만2천여 명이 찾았다', '환자는 7천900여 명이다'
_REACHED = re.compile(r"^(?:들)?(?:은|는|이|가)?\s*" + _COUNT + r"\s*(?:명|가구|곳|개사)"
                      r"(?:이|가|은|는)?\s*(?:이다|이며|에\s*달|에\s*이르|로\s*집계|으로\s*집계|찾았|다녀갔|방문했|참석했|참여했"
                      r"|몰렸|이용했|늘었|줄었|증가|감소)")
# the members a body is made of: '지역 주민 24명으로 구성된 …지킴이단'; a count of none: '신입생이 한 명도 없는'
_MEMBERS = re.compile(r"^(?:들)?\s*(?:총\s*)?" + _COUNT + r"\s*명\s*(?:으로|로)\s*(?:구성|꾸려|이뤄|이루어)")
_NONE_OF_THEM = re.compile(r"^(?:들)?(?:이|가|은|는)?\s*(?:한\s*명도|하나도|아무도)\s*없")
# survey respondents: '근로자 800명에게 물은 결과'
_SURVEYED = re.compile(r"^(?:들)?\s*" + _COUNT + r"\s*명?\s*(?:에게|을\s*대상으로)\s*"
                       r"(?:물은|물어|묻|설문|조사)")
# an eligibility threshold: '상시 근로자 5인 미만'
_THRESHOLD = re.compile(r"^\s*[\d,.]+\s*(?:인|명)\s*(?:미만|이상|이하|초과)")
# the sentence that states who is eligible, and the copula ending its subject's complement
_ELIGIBILITY = re.compile(r"대상(?:자)?(?:은|는)")
_COPULA = re.compile(r"^(?:들)?(?:이며|이다|입니다|이고|으로|로|다|며|고)[.,]?$")  # '근로자다', '청년이며'
# a sentence that states what a programme is for: '…의 사기를 진작시키기 위해 … 설치해 운영'
_PURPOSE = re.compile(r"위해|위한|위하여|돕기|돕고|지원하기")
# a list of groups that a sentence then calls eligible: '65세 이상 가구, 조손가구 등이 지원대상이다'
_LISTED_AS_ELIGIBLE = re.compile(r"^[^.?!]{0,80}?(?:등이|등은|이|가)\s*(?:지원\s*)?대상(?:자)?(?:이다|이며|이고|입니다|으로|이었)")


def _starts_longer(noun: str, gazetteer: Gazetteer) -> bool:
    """Can a lexicon name of two or more nouns start with this noun?"""
    return noun in gazetteer.recall("target_starts", "", lambda _, g: {
        compact[:length] for term in g.target_groups
        for compact in (term.replace(" ", ""),) for length in range(1, len(compact))})


def _may_name_a_group(noun: str, gazetteer: Gazetteer) -> bool:
    """Can a group start at this noun: a lexicon name alone or begun here, or a glued one?"""
    return gazetteer.recall("target_candidate", noun, lambda noun, g: bool(
        _starts_longer(noun, g) or _single(noun, g) or noun.endswith(cues()["target.support_nouns"])))


def _single(noun: str, gazetteer: Gazetteer) -> str | None:
    return gazetteer.recall("target", noun, lambda noun, g: _lookup([noun], g.target_groups)
                            or _modified([noun], g.target_groups))


def _lookup(nouns: list[str], lexicon: dict[str, str]) -> str | None:
    """The lexicon entry spelled by these nouns (spaced or not, plural 들 dropped)."""
    spaced = " ".join(nouns)
    dotted = [part for part in re.split(r"[·‧・ㆍ]", spaced)]
    if len(dotted) == 2 and " " not in dotted[1] and _lookup([dotted[1]], lexicon):
        return spaced  # '귀농·귀촌인': the pair names one group
    for candidate in (spaced, spaced.replace(" ", "")):
        candidate = candidate[:-1] if candidate.endswith("들") and candidate[:-1] in lexicon else candidate
        if candidate in lexicon:
            return spaced if spaced.replace(" ", "") == candidate.replace(" ", "") else candidate
    return None


def find_targets(words: list[Word], sentence: str, gazetteer: Gazetteer,
                 runs: list[list[Word]] | None = None) -> list[TargetHit]:
    lexicon = gazetteer.target_groups
    hits: list[TargetHit] = []
    speech = [(m.start(), m.end()) for m in _SPEECH.finditer(sentence)] if "”" in sentence or '"' in sentence else []
    offset = words[0].start if words else 0
    in_speech = lambda position: any(a <= position - offset < b for a, b in speech)  # noqa: E731
    joined = _join_dotted(words, lexicon) if _ANY_MIDDLE_DOT.search(sentence) else words
    if joined is not words or runs is None:
        words, runs = joined, noun_runs(joined)
    candidates = gazetteer.memo["target_candidate"]
    for run in runs:
        index = 0
        while index < len(run):
            noun = run[index].noun
            if not (candidates[noun] if noun in candidates else _may_name_a_group(noun, gazetteer)):
                index += 1  # most nouns: no group starts here, alone or glued
                continue
            match = None
            # longer names first, tried only where the first noun can start one ('청년 근로자')
            sizes = (3, 2, 1) if _starts_longer(noun, gazetteer) else (1,)
            for size in sizes:
                if index + size > len(run):
                    continue
                nouns = [w.noun for w in run[index:index + size]]
                if any(_DIGIT.search(noun) for noun in nouns) and not _lookup(nouns, lexicon):
                    continue  # a count ('50명'), unless the lexicon spells the group with one ('1인 가구')
                name = _lookup(nouns, lexicon) if size > 1 else _single(nouns[0], gazetteer)
                if name:
                    match = (name, size)
                    break
            if match is None:
                glued = _glued_group(run[index], lexicon)
                if glued and not in_speech(run[index].start) and not _not_served(run[index], words,
                                                                                 _position(run[index], words)):
                    first = _qualifiers(run, index, gazetteer)  # '미조직 취약노동자보호'
                    qualifier = "".join(w.noun + " " for w in run[first:index])
                    hits.append(TargetHit(qualifier + glued.name, run[first].start if qualifier else glued.start,
                                          glued.end, "target.glued_to_service"))
                index += 1
                continue
            name, size = match
            if index > 0 and _NUMBER_END.search(run[index - 1].noun):
                index += size  # '3천 가구로', '6만4천여 가구': a counter after a number, not a group
                continue
            # '중장년 구직자': a group word right before another group qualifies it (one group)
            following = _single(run[index + size].noun, gazetteer) if index + size < len(run) else None
            last_word = run[index + size - 1]
            if following and last_word.pure_noun and not last_word.separated and name not in cues().members("target.residents") \
                    and following not in cues().members("target.only_inside_names") and (size == 1 or lexicon.get(following) == "head"):
                name, size = f"{name} {following}", size + 1  # '치매 환자 가족': a head after a longer group too
            # before a market (not a village), a neighbourhood is its name: '산호동 상점가'
            first = _qualifiers(run, index, gazetteer)
            head_only = lexicon.get(re.split(r"[·‧・ㆍ]", name)[-1]) == "head"
            if head_only and first < index and not all(t.tag == "NNG" for w in run[first:index] for t in w.tokens):
                first = index  # '김성배 대표': a person's name does not make a group of '대표'
            if first < index:  # '창업희망 청년', '범죄취약 계층': the group as the article narrows it
                name = " ".join(w.noun for w in run[first:index]) + " " + name
            last = run[index + size - 1]
            inside_name = any(w.noun.endswith(cues()["target.support_nouns"]) for w in run[index + size:])
            explicit = _explicitly_served(last, words)
            if head_only and first == index:
                pass  # '계층' alone names nobody
            elif in_speech(run[index].start) and not _hoped_for(last, words):
                pass  # an official's words that only mention the group
            elif name in cues().members("target.only_inside_names") and not (inside_name or explicit):
                pass  # '기업' alone is a target only inside a name or with '…을 대상으로'
            elif rule := "target.beneficiary_ending" if explicit else _served(name, last, inside_name, words):
                if in_speech(run[index].start):
                    rule = "target.hoped_for_in_speech"
                start = run[first].start
                age = _AGE_BOUND.search(sentence, 0, max(0, start - offset))
                if age and name.split()[0] not in cues().members("target.age_defined"):  # '65세 이상 어르신': an age bound is the group's qualifier as written
                    name, start = f"{' '.join(age['bound'].split())} {name}", offset + age.start("bound")
                hits.append(TargetHit(name, start, last.noun_end, rule))
                if alias := _alias_hit(last, lexicon, rule):
                    hits.append(alias)
            index += size
    return hits




def _glued_group(word: Word, lexicon: dict[str, str]) -> TargetHit | None:
    """'시민복지', '장애인일자리사업': a group glued to what a programme does for it, in one word."""
    tokens = word.tokens[:word.noun_tokens]
    if len(tokens) < 2 or not word.noun.endswith(cues()["target.support_nouns"]) or word.noun.endswith(cues()["target.places"]):
        return None
    for size in (2, 1):
        if size < len(tokens) and lexicon.get(name := "".join(t.form for t in tokens[:size]), "head") != "head" \
                and name not in cues().members("target.only_inside_names"):
            return TargetHit(name, tokens[0].start, tokens[size - 1].end)
    return None


def _join_dotted(words: list[Word], lexicon: dict[str, str]) -> list[Word]:
    """Words where 'A·B' pairs are one word when A is no group by itself ('귀농·귀촌인',
    '중·고교 신입생'); '사업주‧근로자' stays two groups."""
    if not any(word.separator in _MIDDLE_DOTS for word in words):
        return words
    merged: list[Word] = []
    for word in words:
        if (merged and merged[-1].separator in _MIDDLE_DOTS and merged[-1].pure_noun and word.noun
                and merged[-1].noun not in lexicon):
            first = merged.pop()
            word = Word(text=first.text + first.separator + word.text, start=first.start, end=word.end,
                        noun=first.noun + first.separator + word.noun, noun_end=word.noun_end,
                        tokens=first.tokens + word.tokens, noun_tokens=len(first.tokens) + word.noun_tokens,
                        separator=word.separator, pure_noun=word.pure_noun, stem_end=word.stem_end)
        merged.append(word)
    if len(merged) == len(words):
        return words
    return merged






def _qualifiers(run: list[Word], index: int, gazetteer: Gazetteer) -> int:
    """Index of the first noun word before `index` that narrows the group (at most two)."""
    first = index
    while first > 0 and index - first < 2:
        word = run[first - 1]
        if not word.pure_noun or not _can_qualify(word.noun, gazetteer) or _short_place(word, gazetteer):
            break
        first -= 1
    return first


def _short_place(word: Word, gazetteer: Gazetteer) -> bool:
    """'달서 청년', '부여 청년': a city, county or district without its ending is a place, not a
    qualifier, unless the word is more often its common sense ('고령 노인': old age, not 고령군)."""
    return word.noun not in cues().members("target.not_places") and any(
        gazetteer.lookup(word.noun + ending) for ending in ("시", "군", "구"))


def _can_qualify(noun: str, gazetteer: Gazetteer) -> bool:
    return gazetteer.recall("qualifier", noun, _qualifies)


def _qualifies(noun: str, gazetteer: Gazetteer) -> bool:
    places = gazetteer.recall("region_areas", "", lambda _, g: {
        region + rest for region in g.bare_regions for rest in ("", "지역", "권", "지방")})
    return not (
        _DIGIT.search(noun) or noun in cues().members("target.not_qualifiers") or len(noun) < 2 or noun in places
        or gazetteer.lookup(noun)
        or gazetteer.target_groups.get(noun, "head") != "head" or noun.endswith(cues()["target.not_qualifier_ends"])
        or gazetteer.longest_suffix(noun) is not None)


_GLUED_HEAD_ENDINGS = ("년", "인", "신", "자", "업", "동", "년", "성", "생", "구", "층", "민")


def _modified(nouns: list[str], lexicon: dict[str, str]) -> str | None:
    """'창업희망청년', '노인계층': a lexicon group with a short qualifier glued in front."""
    word = nouns[0]
    if not word.endswith(_GLUED_HEAD_ENDINGS):
        return None
    for term in ("청년", "노인", "어르신", "장애인", "구직자", "근로자", "노동자", "농업인", "소상공인", "중소기업", "아동",
                 "청소년", "여성", "학생", "가구", "계층", "주민", "군민", "시민", "구민", "도민"):
        if word.endswith(term) and 2 <= len(word) - len(term) <= 4 and word not in lexicon:
            if term == "계층" or term == "가구":
                return word if word[: -len(term)] in lexicon or word[: -len(term)] in {"취약", "저소득"} else None
            return word
    return None


# '아동(초등학생)에게': a bracketed alias between the group and its ending
_ALIAS = re.compile(r"^\((?P<alias>[^()]{1,20})\)")


def _after(word: Word) -> str:
    """What follows the group's noun in its word, past a bracketed alias ('(초등학생)에게' → '에게')."""
    after = word.after_text.strip()
    alias = _ALIAS.match(after)
    return after[alias.end():].strip() if alias else after


def _alias_hit(word: Word, lexicon: dict[str, str], rule: str) -> TargetHit | None:
    """The alias itself, where it names a group too: '아동(초등학생)에게' serves 초등학생."""
    alias = _ALIAS.match(word.after_text)
    if not alias:
        return None
    name = alias["alias"].strip()
    if lexicon.get(name, "head") == "head":
        return None
    start = word.noun_end + alias.start("alias") + (len(alias["alias"]) - len(alias["alias"].lstrip()))
    return TargetHit(name, start, start + len(name), rule)


def _position(word: Word, words: list[Word]) -> int:
    return word.position if word.position < len(words) and words[word.position] is word else words.index(word)


def _explicitly_served(word: Word, words: list[Word]) -> bool:
    """'…을 대상으로', '…에게', '…을 위한': the sentence says the group is whom it serves."""
    position = _position(word, words)
    following = " ".join(w.text for w in words[position + 1: position + 3])
    return bool(_BENEFICIARY_AFTER.match(_after(word) + " " + following)) and not _not_served(
        word, words, position)


def _hoped_for(word: Word, words: list[Word]) -> bool:
    """In an official's words, a group is served only where the words say what is done for
    it ('군민이 더 건강할 수 있도록 노력하겠다'), not where it is only mentioned."""
    position = _position(word, words)
    window = " ".join(w.text for w in words[position: position + 8])
    return bool(_FOR_THEM.search(window) or _SUPPORTED_IN_SPEECH.match(window))


def _following(words: list[Word], position: int) -> str:
    """The six words after the group's word: where its cues are read."""
    return " ".join(w.text for w in words[position + 1: position + 7])


def _not_served(word: Word, words: list[Word], position: int, following: str | None = None) -> bool:
    """The group is named, but not as whom a programme serves: a party to an agreement
    ('중소기업 3곳과 협약'), a statistic ('청년 인구는', '가구 소득이', '학부모 만족도'), a count
    already reached ('관광객 11만 명이 찾았다'), the members of a body ('주민 24명으로 구성된'),
    survey respondents, a workplace ('중소기업에 다니는'), a named partner ('사회적기업 ‘푸른손’'),
    or an eligibility threshold ('근로자 5인 미만')."""
    following = _following(words, position) if following is None else following
    if any(cue in following for cue in cues().members("target.not_served")):
        return True
    after = _after(word)
    nearby = after + " " + following
    if (_party_pattern().match(nearby) or _THRESHOLD.match(nearby) or _MEMBERS.match(nearby) or _NONE_OF_THEM.match(nearby)
            or _SURVEYED.match(nearby)):
        return True
    following_word = words[position + 1] if position + 1 < len(words) else None
    if after in {"에", "에서"} and following_word is not None and following_word.text.startswith(cues()["target.workplace_verbs"]):
        return True  # '중소기업에 다니는': where the served work
    if not after and following_word is not None and following_word.opens_quote:
        return True  # '사회적기업 ‘푸른손’이': it describes a named organisation, a partner
    if _REACHED.match(nearby) and not _ELIGIBILITY.search(" ".join(w.text for w in words[:position])):
        return True  # '대상은 … 초등학생 300명이다' sizes the programme; elsewhere the count is a fact
    if after in {"으로", "로", "들로"} and following_word is not None and following_word.text.startswith(cues()["target.become_verbs"]):
        return True  # '청년 소상공인으로 양성': what the served become, not whom the programme serves
    return following_word is not None and not after and following_word.noun in cues().members("target.statistics")


# a word that opens a clause between a listed group and '대상이다': '부모가 … 주민등록을 둔 대학생이 대상이며'
_CLAUSE_WORD = re.compile(r"(?:을|를|에|에서|으로|로|둔|한|된|는|던|할|하고|하며|고|며)[,]?$")


def _listed_as_eligible(words: list[Word], position: int) -> bool:
    """The group is an item of a list that the sentence then calls eligible; no clause between."""
    window = words[position: position + 12]
    if not _LISTED_AS_ELIGIBLE.match(" ".join(w.text for w in window)):
        return False
    for word in window[:-1]:
        if re.search(r"대상", word.text):
            return True
        if _CLAUSE_WORD.search(word.text) and not word.text.endswith((",", "·")):
            return False
    return True


def _served(name: str, word: Word, inside_name: bool, words: list[Word]) -> str | None:
    """The rule by which the sentence makes the group whom a programme serves, or None."""
    after = _after(word)
    position = _position(word, words)
    following = _following(words, position)
    if _not_served(word, words, position, following):
        return None
    if inside_name:
        return "target.inside_programme_name"
    if _BENEFICIARY_AFTER.match(after + " " + following):
        return "target.beneficiary_ending"
    if _COPULA.match(after) and _ELIGIBILITY.search(" ".join(w.text for w in words[:position])):
        return "target.eligibility_statement"  # '지원 대상은 … 가구이며': what the eligibility sentence names
    if _listed_as_eligible(words, position):
        return "target.eligibility_statement"  # '… 다문화가정, 조손가구 등이 지원대상이다'
    sentence = " ".join(w.text for w in words)
    if name in cues().members("target.residents"):  # residents: only where the sentence does something for people
        support = cues()["target.support_verbs"] + cues()["target.residents_support"]
        if any(verb in sentence for verb in support):
            return "target.residents_served"
        # '군민의 대중교통 불편 해소를 위해': what is done for them follows their need
        return "target.possessive_of_support" if re.match(r"^(?:들)?의$", after) and _PURPOSE.search(following) \
            else None
    if re.match(r"^(?:들)?의$", after):  # '구직자의 사회 복귀를 지원' yes; '청년들의 높은 관심' no
        served = any(verb in following for verb in cues().members("target.support_verbs")) or any(
            w.noun.endswith(cues()["target.support_nouns"]) for w in words[position + 1: position + 2]) or bool(
            _PURPOSE.search(" ".join(w.text for w in words)))
        return "target.possessive_of_support" if served else None
    if _OBJECT_AFTER.match(after) or not after or after.startswith(("들", "으로", "로", "에")):
        return "target.argument_of_programme_sentence"
    return None


def recognise(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    return [Span("target_group", hit.start, hit.end, sentence.index, hit.rule, canonical=hit.name)
            for sentence in doc.sentences
            for hit in find_targets(sentence.words, sentence.text, gazetteer, sentence.runs)]
