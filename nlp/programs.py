"""Programmes: quoted names, noun phrases headed by a programme noun, and newly launched
bodies (협의체, 개척단 …), one entry per programme however it is spelled."""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.gazetteer import Gazetteer
from nlp.phrases import Word, noun_runs

_QUOTED = re.compile(r"[‘'「『《<〈\"“]\s*(?P<name>[^‘'’「」『』《》<>〈〉\"“”\n]{2,50}?)\s*[’'」』》>〉\"”]")
# words after a quotation that make it a topic, a slogan or speech rather than a programme
_NOT_A_NAME_AFTER = re.compile(r"^\s*(?:을|를|이란|라는|이라는)?\s*(?:주제|슬로건|구호|말|제목|문구|메시지|표어|라고|이라고|고\s)")
_SENTENCE_END = re.compile(r"(?:다|요|죠)[.!?]?$")
# head nouns of programme names (the last noun of the phrase)
_PROGRAM_HEADS = ("사업", "프로그램", "프로젝트", "캠페인", "박람회", "축제", "협약", "상담", "서비스", "바우처",
                  "지원금", "수당", "제도", "포인트제", "아카데미", "학교", "대학", "교실", "캠프", "투어",
                  "챌린지", "공모전", "경진대회", "페스티벌", "간담회", "설명회", "조성사업", "시범사업")
# heads that make a programme only with a name in front (a quoted name, or 2+ words)
_WEAK_HEADS = ("학교", "대학", "교실", "상담", "서비스", "제도", "간담회", "설명회", "협약", "수당")
_GENERIC_MODIFIERS = {"이번", "해당", "관련", "각종", "다양한", "주요", "신규", "기존", "전체", "모든", "기타", "이", "그",
                      "공모", "국비", "도비", "시비", "군비", "지원", "역점", "핵심", "계속", "일반", "본", "총",
                      "추진", "중점", "올해", "내년", "지난해", "민선", "협력", "연계", "공동", "대상", "관계"}
_EVENT_HEADS = ("간담회", "설명회", "발대식", "출범식", "협약식", "개소식", "현판식", "토론회", "보고회", "회의", "워크숍")


@dataclass(frozen=True)
class ProgramHit:
    name: str
    start: int
    end: int
    quoted: bool


def _bare(name: str) -> str:
    return re.sub(r"[\s'\"‘’“”「」『』]", "", name)


def quoted_programs(sentence: str, offset: int, gazetteer: Gazetteer) -> list[ProgramHit]:
    hits = []
    for match in _QUOTED.finditer(sentence):
        name = match["name"].strip()
        if _SENTENCE_END.search(name) or len(name) < 3 or name.count(" ") > 7:
            continue  # a quotation of speech, not a name
        if _NOT_A_NAME_AFTER.match(sentence[match.end():match.end() + 8]):
            continue
        if gazetteer.lookup(name) or name in gazetteer.target_groups:
            continue
        if re.fullmatch(r"[\d\s.,~%-]+|[A-Za-z\s]{1,3}", name):
            continue
        hits.append(ProgramHit(name, offset + match.start("name"), offset + match.end("name"), True))
    return hits


def phrase_programs(words: list[Word], gazetteer: Gazetteer) -> list[ProgramHit]:
    """Unquoted names: noun phrases ending in a programme head or a new body's head."""
    hits = []
    for run in noun_runs(words):
        last = run[-1].noun
        suffix = gazetteer.longest_suffix(last)
        is_body = bool(suffix and suffix[1] == "program_body" and len(last) > len(suffix[0]))
        is_program = last.endswith(_PROGRAM_HEADS) and not last.endswith(_EVENT_HEADS)
        known = any(_bare(name) == _bare(" ".join(w.noun for w in run)) for name in gazetteer.programs)
        if not (is_body or is_program or known):
            continue
        # drop leading generic modifiers and a leading central agency ('고용노동부 일터개선 지원사업')
        first = 0
        while first < len(run) - 1 and (run[first].noun in _GENERIC_MODIFIERS or _central(run[first].noun, gazetteer)
                                        or re.fullmatch(r"[\d.,]+[가-힣]*", run[first].noun)):
            first += 1
        name_words = run[first:]
        name = " ".join(w.noun for w in name_words)
        if len(name_words) == 1:
            head_len = max((len(h) for h in _PROGRAM_HEADS if name.endswith(h)), default=0)
            if is_program and (len(name) - head_len < 2 or name.endswith(_WEAK_HEADS)):
                continue
            if name in _GENERIC_MODIFIERS or name in {"지원사업", "공모사업", "시범사업", "조성사업", "사업"}:
                continue
        hits.append(ProgramHit(name, name_words[0].start, name_words[-1].noun_end, False))
    return hits


def _central(noun: str, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.lookup(noun)
    return entry is not None and entry.kind not in {"광역", "기초", "행정시"}


def merge_programs(hits: list[ProgramHit]) -> list[str]:
    """One name per programme: spellings contained in a longer one (60% rule) fold into it."""
    names: list[str] = []
    for hit in hits:
        bare = _bare(hit.name)
        duplicate = False
        for index, existing in enumerate(names):
            other = _bare(existing)
            shorter, longer = sorted((bare, other), key=len)
            if shorter in longer and len(shorter) >= 0.6 * len(longer):
                duplicate = True
                if len(bare) > len(other) and not hit.quoted:
                    names[index] = hit.name
                break
        if not duplicate:
            names.append(hit.name)
    return names
