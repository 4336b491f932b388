"""Words (eojeol) and noun phrases from Kiwi tokens, with offsets into the analysed text.

A Korean name is a run of nouns, written with or without spaces ('고용노동부 전주지청',
'전주시비정규직노동자지원센터'); the particle after the last noun ends it ('…지청에서').
Commas and middle dots ('중앙부처‧전라남도') separate words as spaces do, and end a run.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiwipiepy import Token

NOUN_TAGS = {"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XPN", "XSN", "SB"}
_JOINERS = {"㈜", "&", "+"}  # symbols inside firm names: ㈜더본코리아, 동강D&F영농조합
_LEGAL_LETTERS = {"주", "사", "재", "유", "합"}  # (주), (사), (재) …
_SEPARATORS = {",", "·", "‧", "・", "、", "/", "ㆍ"}
_LEGAL_FORMS = ("㈜", "(주)", "(사)", "(재)", "(유)", "(합)", "(사단법인)", "(재단법인)", "주식회사 ", "사단법인 ",
                "재단법인 ")


@dataclass(frozen=True)
class Word:
    """One eojeol (or one part of it between separators): its surface, the noun run it
    starts with, and the tags that follow that run."""

    text: str
    start: int
    end: int
    noun: str  # the leading noun run ('' when the word does not start with a noun)
    noun_end: int
    forms: tuple[str, ...]
    after_noun: tuple[str, ...]  # tags after the noun run (particles, copula, punctuation)
    opens_quote: bool = False
    separator: str = ""  # the comma or middle dot that follows, if any: a name cannot go on past it

    @property
    def separated(self) -> bool:
        return bool(self.separator)

    @property
    def pure_noun(self) -> bool:
        """Nothing but nouns: it can continue into a longer name."""
        return bool(self.noun) and not self.after_noun

    @property
    def after_text(self) -> str:
        """What the word has after its noun run ('에서', '과', '를 …')."""
        return self.text[self.noun_end - self.start:]


def _legal_at(group: list[Token], index: int) -> bool:
    return (index + 2 < len(group) and group[index].form == "(" and group[index + 1].form in _LEGAL_LETTERS
            and group[index + 2].form == ")")


def _make_word(text: str, group: list[Token], separator: str = "") -> Word:
    start, end = group[0].start, group[-1].end
    index, opens = 0, False
    while index < len(group) and group[index].tag == "SSO" and not _legal_at(group, index):
        start, opens = group[index].end, True  # an opening quote before the name
        index += 1
    noun_start = group[index].start if index < len(group) else start
    cursor = index
    while cursor < len(group):
        token = group[cursor]
        if _legal_at(group, cursor):
            cursor += 3
            continue
        joined_noun = (cursor + 1 < len(group) and group[cursor + 1].tag in NOUN_TAGS
                       and group[cursor + 1].start == token.end)
        if token.tag in NOUN_TAGS or (token.tag == "SW" and token.form in _JOINERS) or (
                token.tag == "MM" and joined_noun):
            cursor += 1
            continue
        break
    noun_end = group[cursor - 1].end if cursor > index else noun_start
    return Word(
        text=text[start:end], start=start, end=end,
        noun=text[noun_start:noun_end] if cursor > index else "", noun_end=noun_end,
        forms=tuple(t.form for t in group), after_noun=tuple(t.tag for t in group[cursor:]),
        opens_quote=opens, separator=separator,
    )


def words_of(text: str, tokens: tuple[Token, ...] | list[Token]) -> list[Word]:
    """Group the tokens of `text` into words by whitespace and separators."""
    words: list[Word] = []
    group: list[Token] = []
    previous_end: int | None = None
    for token in tokens:
        if token.form in _SEPARATORS and token.tag in {"SP", "SW", "SC", "SO"}:
            if group:
                words.append(_make_word(text, group, separator=token.form))
            group, previous_end = [], token.end
            continue
        if group and previous_end is not None and token.start > previous_end \
                and not text[previous_end:token.start].strip():
            words.append(_make_word(text, group))
            group = []
        group.append(token)
        previous_end = token.end
    if group:
        words.append(_make_word(text, group))
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
        if not word.pure_noun or word.separated:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs
