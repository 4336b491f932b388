"""The process's one Kiwi, taught the gazetteer's names, and text split into sentences."""
from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from kiwipiepy import Kiwi, Token

from nlp.gazetteer import load_gazetteer

_lock = threading.Lock()


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    start: int  # offsets into the analysed text
    end: int
    tokens: tuple[Token, ...]


@lru_cache(maxsize=4)
def get_kiwi(user_dictionary: str | None = None) -> Kiwi:
    """One Kiwi per process (per user dictionary): loading the model costs about a second."""
    with _lock:
        kiwi = Kiwi(num_workers=min(2, os.cpu_count() or 1))
        gazetteer = load_gazetteer(user_dictionary)
        for word in gazetteer.words_for_kiwi():
            kiwi.add_user_word(word, "NNP", 0.0)
        return kiwi


# morphemes that carry content: nouns, foreign words and numbers-with-letters, roots, verb stems
_INDEX_TAGS = {"NNG", "NNP", "SL", "SH", "XR", "VV", "VA", "NR"}


def index_terms(forms: Iterable[str], tags: Iterable[str]) -> Counter[str]:
    """Search terms of tokenised text (the tokens' forms and tags): content morphemes, Latin
    letters lowercased."""
    return Counter([form.lower() if tag == "SL" else form
                    for form, tag in zip(forms, tags, strict=True) if tag in _INDEX_TAGS and form])


def _terms_of(tokens: list[Token]) -> Counter[str]:
    return index_terms([t.form for t in tokens], [t.tag for t in tokens])


def query_terms(query: str, user_dictionary: str | None = None) -> list[str]:
    """A search query as the same morphemes the index holds."""
    return list(_terms_of(get_kiwi(user_dictionary).tokenize(query)))


def title_terms(titles: list[str], user_dictionary: str | None = None) -> list[Counter[str]]:
    kiwi = get_kiwi(user_dictionary)
    return [_terms_of(tokens) for tokens in kiwi.tokenize(titles)]


def sentences_of(texts: list[str], user_dictionary: str | None = None) -> Iterator[list[Sentence]]:
    """Sentences (with their tokens) of many texts, from one batched Kiwi call. Lazy: Kiwi's
    worker threads run ahead while the caller analyses the texts already split."""
    kiwi = get_kiwi(user_dictionary)
    for split in kiwi.split_into_sents(texts, return_tokens=True):
        sentences = [Sentence(index, s.text, s.start, s.end, tuple(s.tokens or ())) for index, s in enumerate(split)]
        yield _quoted_openings_moved(kiwi, sentences)


@dataclass(frozen=True)
class MovedToken:
    """A token of a re-tokenised sentence, at its offset in the analysed text (what the rest of
    nlp reads of Kiwi's Token: form, tag, start, end)."""
    form: str
    tag: str
    start: int
    end: int


# '… 밝혔다. ‘사하 청년 디딤돌 통장’' + '은 청년이 …': Kiwi leaves a quoted name that opens the next
# sentence at the end of the previous one, and drops the particle after it
_QUOTED_TAIL = re.compile(r"[.?!]\s+(?P<tail>[‘“\"'「『][^‘’“”\"'「」『』\n]{1,80}[’”\"'」』])$")


def _quoted_openings_moved(kiwi: Kiwi, sentences: list[Sentence]) -> list[Sentence]:
    """Each quoted opening back at the start of its own sentence, both sentences re-tokenised."""
    repaired = list(sentences)
    for i in range(len(repaired) - 1):
        a, b = repaired[i], repaired[i + 1]
        tail = _QUOTED_TAIL.search(a.text)
        if tail is None or b.start != a.end or not ("가" <= b.text[:1] <= "힣"):
            continue
        cut = a.start + tail.start("tail")
        head = a.text[: tail.start("tail")].rstrip()
        repaired[i] = _retokenised(kiwi, a.index, head, a.start)
        repaired[i + 1] = _retokenised(kiwi, b.index, a.text[tail.start("tail"):] + b.text, cut)
    return repaired


def _retokenised(kiwi: Kiwi, index: int, text: str, start: int) -> Sentence:
    tokens = tuple(MovedToken(t.form, t.tag, start + t.start, start + t.end) for t in kiwi.tokenize(text))
    return Sentence(index, text, start, start + len(text), tokens)  # type: ignore[arg-type]
