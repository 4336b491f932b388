"""One article read once: its sentences with Kiwi's words and noun runs, and the date layer.

Every recogniser reads the same `Doc` (`recognise(doc, gazetteer) -> list[Span]`), so no rule
tokenises, splits or scans for dates on its own; unit tests build a Doc from one sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from extractors.model import Article
from nlp.dates import DateMention, find_dates, infer_anchor_year
from nlp.kiwi_runtime import Sentence, sentences_of
from nlp.phrases import TokenColumns, Word, noun_runs, words_of


@dataclass(frozen=True)
class DocSentence:
    """A sentence with its words (Kiwi's morphemes grouped as written) and noun runs."""

    sentence: Sentence
    columns: TokenColumns
    words: list[Word]
    runs: list[list[Word]]

    @property
    def index(self) -> int:
        return self.sentence.index

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end


@dataclass
class Doc:
    article: Article
    sentences: tuple[DocSentence, ...]
    anchor: date | None  # the publication day that relative dates are read against
    anchor_year: int | None  # a year from the text when the page gives no publication day

    @property
    def body(self) -> str:
        return self.article.body

    @cached_property
    def dates(self) -> tuple[DateMention, ...]:
        """The date layer: every date of the body, resolved against the anchor."""
        return tuple(find_dates(self.body, self.anchor, self.anchor_year))

    def sentence_at(self, offset: int) -> DocSentence | None:
        return next((s for s in self.sentences if s.start <= offset < s.end + 1),
                    self.sentences[-1] if self.sentences else None)


def build_doc(article: Article, sentences: list[Sentence]) -> Doc:
    body = article.body
    anchor = article.published_at.date() if article.published_at else None
    read = []
    for sentence in sentences:
        columns = TokenColumns(sentence.tokens)
        words = words_of(body, columns)
        read.append(DocSentence(sentence, columns, words, noun_runs(words)))
    return Doc(article, tuple(read), anchor, None if anchor else infer_anchor_year(body))


def doc_of(text: str, published: date | None = None) -> Doc:
    """A Doc of a few sentences of our own, for unit tests of one recogniser."""
    from datetime import datetime, timedelta, timezone

    moment = datetime(published.year, published.month, published.day, 10, tzinfo=timezone(timedelta(hours=9))) \
        if published else None
    article = Article(paragraphs=tuple(text.split("\n")), title="", published_at=moment)
    return build_doc(article, next(iter(sentences_of([article.body]))))
