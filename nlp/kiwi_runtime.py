"""The process's one Kiwi, taught the gazetteer's names, and text split into sentences."""
from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator
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


def index_terms(tokens) -> Counter[str]:  # type: ignore[no-untyped-def]
    """Search terms of tokenised text: content morphemes, Latin letters lowercased."""
    return Counter(token.form.lower() if token.tag == "SL" else token.form
                   for token in tokens if token.tag in _INDEX_TAGS and len(token.form) > 0)


def query_terms(query: str, user_dictionary: str | None = None) -> list[str]:
    """A search query as the same morphemes the index holds."""
    return list(index_terms(get_kiwi(user_dictionary).tokenize(query)))


def title_terms(titles: list[str], user_dictionary: str | None = None) -> list[Counter[str]]:
    kiwi = get_kiwi(user_dictionary)
    return [index_terms(tokens) for tokens in kiwi.tokenize(titles)]


def sentences_of(texts: list[str], user_dictionary: str | None = None) -> Iterator[list[Sentence]]:
    """Sentences (with their tokens) of many texts, from one batched Kiwi call. Lazy: Kiwi's
    worker threads run ahead while the caller analyses the texts already split."""
    kiwi = get_kiwi(user_dictionary)
    for split in kiwi.split_into_sents(texts, return_tokens=True):
        yield [Sentence(index, s.text, s.start, s.end, tuple(s.tokens or ())) for index, s in enumerate(split)]
