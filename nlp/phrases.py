"""Words (eojeol) and noun phrases from Kiwi tokens, with offsets into the analysed text.

A Korean name is a run of nouns, written with or without spaces ('고용노동부 전주지청',
'전주시비정규직노동자지원센터'); the particle after the last noun ends it ('…지청에서').
"""
from __future__ import annotations

from dataclasses import dataclass

from kiwipiepy import Token

NOUN_TAGS = {"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XPN", "XSN", "SB"}
_LEGAL_FORMS = ("㈜", "(주)", "(사)", "(재)", "(유)", "(합)", "(사단법인)", "(재단법인)", "주식회사 ", "사단법인 ", "재단법인 ")


@dataclass(frozen=True)
class Word:
    """One eojeol: its surface, the noun run it starts with, and what follows that run."""

    text: str
    start: int
    end: int
    noun: str  # the leading noun run ('' when the word does not start with a noun)
    noun_end: int
    tags: tuple[str, ...]
    forms: tuple[str, ...]
    after_noun: tuple[str, ...]  # tags after the noun run (particles, copula, punctuation)
    opens_quote: bool = False

    @property
    def pure_noun(self) -> bool:
        """Nothing but nouns (and closing punctuation): it can continue a longer name."""
        return bool(self.noun) and not self.after_noun

    @property
    def ends_with_comma(self) -> bool:
        return self.text.endswith((",", "、", "·"))

    @property
    def verbal(self) -> bool:
        return any(tag.startswith(("VV", "XSV", "VA", "XSA", "EF", "EC", "ETM")) for tag in self.after_noun)


def words_of(text: str, tokens: tuple[Token, ...] | list[Token]) -> list[Word]:
    """Group the tokens of `text` into eojeol by the whitespace between them."""
    words: list[Word] = []
    group: list[Token] = []

    def flush() -> None:
        if not group:
            return
        start, end = group[0].start, group[-1].end
        noun_tokens: list[Token] = []
        opens = False
        for token in group:
            if token.tag in NOUN_TAGS or (token.tag == "SSO" and not noun_tokens and token.form == "("):
                noun_tokens.append(token)
            elif token.tag in {"SSO"} and not noun_tokens:
                start = token.end  # an opening quote before the name
                opens = True
            else:
                break
        noun_tokens = [t for t in noun_tokens if t.tag != "SSO"]
        noun_end = noun_tokens[-1].end if noun_tokens else start
        noun_start = noun_tokens[0].start if noun_tokens else start
        rest = group[len(noun_tokens):] if noun_tokens else group
        words.append(Word(
            text=text[start:end], start=start, end=end,
            noun=text[noun_start:noun_end], noun_end=noun_end,
            tags=tuple(t.tag for t in group), forms=tuple(t.form for t in group),
            after_noun=tuple(t.tag for t in rest if t.end > noun_end or not noun_tokens),
            opens_quote=opens,
        ))
        group.clear()

    previous_end: int | None = None
    for token in tokens:
        if previous_end is not None and token.start > previous_end and text[previous_end:token.start].strip() == "":
            flush()
        group.append(token)
        previous_end = token.end
    flush()
    return words


def strip_legal_form(name: str) -> str:
    for marker in _LEGAL_FORMS:
        name = name.replace(marker, "")
    return name.strip()


def noun_runs(words: list[Word]) -> list[list[Word]]:
    """Maximal runs of words that can form one name: every word but the last is pure noun."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for word in words:
        if not word.noun:
            if current:
                runs.append(current)
            current = []
            continue
        if word.opens_quote and current:
            runs.append(current)
            current = []
        current.append(word)
        if not word.pure_noun or word.ends_with_comma:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs
