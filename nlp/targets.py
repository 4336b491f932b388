"""Target groups: who a programme serves or addresses, from the lexicon and the analyst's
dictionary, with their modifiers kept ('청년 근로자', '미조직 취약노동자')."""
from __future__ import annotations

from dataclasses import dataclass

from nlp.gazetteer import Gazetteer
from nlp.phrases import Word, noun_runs

# residents are a target only where the sentence says the programme is for them
_RESIDENTS = {"주민", "시민", "구민", "군민", "도민", "지역주민", "국민"}
_FOR_CUES = ("위해", "위한", "대상", "에게", "지원", "혜택", "모집", "제공", "복지", "서비스", "돕", "맞춤")
_NOT_TARGET_AFTER = ("참석", "참여한", "참가한", "모인", "방문한")


@dataclass(frozen=True)
class TargetHit:
    name: str
    start: int
    end: int


def find_targets(words: list[Word], sentence: str, gazetteer: Gazetteer) -> list[TargetHit]:
    hits = []
    lexicon = gazetteer.target_groups
    for run in noun_runs(words):
        nouns = [w.noun for w in run]
        # the longest lexicon entry that ends the run (two words, then one; spaced or not)
        for size in (3, 2, 1):
            if len(run) < size:
                continue
            spaced = " ".join(nouns[-size:])
            if spaced in lexicon or spaced.replace(" ", "") in lexicon:
                name = spaced
            else:
                last = nouns[-1]
                name = next((term for term in sorted(lexicon, key=len, reverse=True)
                             if size == 1 and last.endswith(term) and len(term) >= 2
                             and len(last) - len(term) <= 2 and last != term), "")
                if not name:
                    continue
                name = last
            word = run[-size]
            end = run[-1].noun_end
            after = sentence_after(sentence, run[-1])
            if any(after.startswith(cue) for cue in _NOT_TARGET_AFTER):
                break
            base = name.split()[-1]
            if base in _RESIDENTS and not any(cue in sentence for cue in _FOR_CUES):
                break
            hits.append(TargetHit(name, word.start, end))
            break
    return hits


def sentence_after(sentence: str, word: Word) -> str:
    """The text after a word's noun, within its eojeol and the next one."""
    return word.text[word.noun_end - word.start:].lstrip("은는이가을를의에와과도로 ") or ""
