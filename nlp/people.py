"""People with the role the text gives them: '한병삼 전주시 경제산업국장', '정성주 김제시장',
'이정식 고용노동부 장관'. A Kiwi proper noun of two to four syllables, then the words of the role."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp.gazetteer import Gazetteer
from nlp.model import Span
from nlp.phrases import Word

if TYPE_CHECKING:
    from nlp.doc import Doc

_ROLE_ENDS = ("장", "관", "원", "사", "대표", "이사", "위원", "의원", "군수", "주무관", "교수", "감독", "총장", "차관",
              "지사", "단장", "센터장", "회장", "국장", "과장", "팀장", "소장", "처장", "본부장", "사무국장", "관계자")
_HANGUL_NAME = re.compile(r"[가-힣]{2,4}")
# budget and place words Kiwi may tag as proper nouns
_NOT_NAMES = {"국비", "도비", "시비", "군비", "구비", "예산", "사업비", "기금", "민간", "자부담"}


@dataclass(frozen=True)
class PersonHit:
    name: str
    start: int
    end: int
    role: str


def find_people(words: list[Word], runs: list[list[Word]], gazetteer: Gazetteer) -> list[PersonHit]:
    hits = []
    for run in runs:
        if len(run) < 2:
            continue
        first = run[0]
        if not (_HANGUL_NAME.fullmatch(first.noun) and first.tokens and first.tokens[0].tag == "NNP"
                and len(first.tokens) == 1 and gazetteer.lookup(first.noun) is None
                and first.noun not in gazetteer.bare_regions and first.noun not in gazetteer.target_groups):
            continue
        role_words = run[1:]
        role = " ".join(w.noun for w in role_words)
        if not role_words[-1].noun.endswith(_ROLE_ENDS) or len(role) > 30 or re.search(r"\d", role):
            continue
        if first.noun in _NOT_NAMES:
            continue
        hits.append(PersonHit(first.noun, first.start, first.noun_end, role))
    return hits


def recognise(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    return [Span("person", person.start, person.end, sentence.index, "person.name_with_role", canonical=person.name,
                 text=person.name, role=person.role)
            for sentence in doc.sentences for person in find_people(sentence.words, sentence.runs, gazetteer)]
