"""Words (eojeol) and noun phrases from Kiwi tokens, with offsets into the analysed text.

A Korean name is a run of nouns, written with or without spaces ('고용노동부 전주지청',
'전주시비정규직노동자지원센터'); the particle after the last noun ends it ('…지청에서').
Commas and middle dots ('중앙부처‧전라남도') separate words as spaces do, and end a run.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiwipiepy import Token

NOUN_TAGS = {"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XPN", "XSN", "SB"}
_NAME_SYMBOLS = {"SL", "SN", "SH", "SB", "SW"}  # Latin, numbers, Hanja, list marks: part of a stem
_GLUED_TAGS = {"JX", "JKS", "JKB", "JKO", "JC"}
_NAME_TAGS = {"NNG", "NNP"}
_JOINERS = {"㈜", "&", "+"}  # symbols inside firm names: ㈜더본코리아, 동강D&F영농조합
_LEGAL_LETTERS = {"주", "사", "재", "유", "합"}  # (주), (사), (재) …
_SEPARATORS = {",", "·", "‧", "・", "、", "/", "ㆍ"}
_SEPARATOR_TAGS = {"SP", "SW", "SC", "SO"}
_LEGAL_FORMS = ("㈜", "(주)", "(사)", "(재)", "(유)", "(합)", "(사단법인)", "(재단법인)", "주식회사 ", "사단법인 ",
                "재단법인 ")


@dataclass(slots=True, eq=False)  # not frozen: built tens of thousands of times per batch
class Word:
    """One eojeol (or one part of it between separators): its surface, the noun run it
    starts with, and the tags that follow that run."""

    text: str
    start: int
    end: int
    noun: str  # the leading noun run ('' when the word does not start with a noun)
    noun_end: int
    tokens: tuple[Token, ...]  # the word's Kiwi tokens
    noun_tokens: int  # how many of them make the noun run
    opens_quote: bool = False
    separator: str = ""  # the comma or middle dot that follows, if any: a name cannot go on past it
    position: int = -1  # index in its sentence's word list
    pure_noun: bool = False  # nothing but nouns: it can continue into a longer name
    stem_end: int = 0  # where its trailing particles, endings and punctuation begin

    @property
    def separated(self) -> bool:
        return bool(self.separator)

    @property
    def after_noun(self) -> tuple[str, ...]:
        """Tags after the noun run (particles, copula, endings, punctuation)."""
        return tuple(token.tag for token in self.tokens[self.noun_tokens:])

    @property
    def stem(self) -> str:
        """The word without its trailing particles and punctuation ('김해늘푸른병원에서' → '김해늘푸른병원'):
        the whole name even where Kiwi split an unknown name into odd pieces."""
        return self.text[: max(0, self.stem_end - self.start)]

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(token.form for token in self.tokens)

    @property
    def after_text(self) -> str:
        """What the word has after its noun run ('에서', '과', '를 …')."""
        return self.text[self.noun_end - self.start:]


_NOMINAL_ENDINGS = {"ᆷ", "ㅁ", "음"}


def _legal_at(forms: list[str], index: int, end: int) -> bool:
    return index + 2 < end and forms[index] == "(" and forms[index + 1] in _LEGAL_LETTERS and forms[index + 2] == ")"


def _gloss_ends_word(forms: list[str], tags: list[str], index: int, end: int) -> bool:
    """'(' + Hangul nouns + ')' closing the word."""
    return (forms[index] == "(" and index + 2 < end and forms[end - 1] == ")"
            and all(tag in _NAME_TAGS for tag in tags[index + 1:end - 1]))


class TokenColumns:
    """A sentence's tokens with their attributes read once: Kiwi's Token makes a new object on
    every attribute access, and word grouping and search terms read each of them again."""

    __slots__ = ("tokens", "forms", "tags", "starts", "ends")

    def __init__(self, tokens: tuple[Token, ...] | list[Token]) -> None:
        self.tokens = tuple(tokens)
        self.forms = [t.form for t in self.tokens]
        self.tags = [t.tag for t in self.tokens]
        self.starts = [t.start for t in self.tokens]
        self.ends = [t.end for t in self.tokens]


def _make_word(text: str, t: TokenColumns, first: int, last: int, position: int, separator: str = "") -> Word:
    """The word made of tokens first..last-1."""
    tags, starts, ends = t.tags, t.starts, t.ends
    start, end = starts[first], ends[last - 1]
    index, opens = first, False
    while index < last and tags[index] == "SSO" and not _legal_at(t.forms, index, last):
        start, opens = ends[index], True  # an opening quote before the name
        index += 1
    noun_start = starts[index] if index < last else start
    cursor = index
    while cursor < last:
        tag = tags[cursor]
        if tag in NOUN_TAGS or (tag == "SW" and t.forms[cursor] in _JOINERS):
            cursor += 1
        elif tag == "SSO" and _legal_at(t.forms, cursor, last):
            cursor += 3
        elif tag == "SSO" and cursor > index and _gloss_ends_word(t.forms, tags, cursor, last):
            cursor = last  # '관광도슨트(안내사)': a gloss in brackets belongs to the name
        elif tag in _GLUED_TAGS and cursor + 1 < last and tags[cursor + 1] in _NAME_TAGS \
                and starts[cursor + 1] == ends[cursor] and cursor > index:
            # a 'particle' inside one word with a noun right after it: Kiwi's split of
            # an unknown name ('목도백중놀이' → 목/도/백중/놀이), not the end of the noun run
            cursor += 1
        elif tag == "MM" and cursor + 1 < last and tags[cursor + 1] in NOUN_TAGS and starts[cursor + 1] == ends[cursor]:
            cursor += 1
        elif tag in ("VV", "VA") and cursor > index and cursor + 1 < last and tags[cursor + 1] == "ETN" \
                and t.forms[cursor + 1] in _NOMINAL_ENDINGS and starts[cursor] == ends[cursor - 1]:
            # '아이키움', '희망나눔': a verb made a noun inside a name (키우+ㅁ) keeps the noun run whole
            cursor += 2
        else:
            break
    noun_end = ends[cursor - 1] if cursor > index else noun_start
    stem_end, k = end, last - 1
    while k >= first and tags[k][0] in "JSE" and tags[k] not in _NAME_SYMBOLS:
        stem_end, k = starts[k], k - 1
    # positional: tens of thousands of words per batch, and keywords cost a third of the call
    return Word(text[start:end], start, end, text[noun_start:noun_end] if cursor > index else "", noun_end,
                t.tokens[first:last], cursor - first, opens, separator, position,
                cursor > index and cursor == last, stem_end)


def words_of(text: str, tokens: TokenColumns | tuple[Token, ...] | list[Token]) -> list[Word]:
    """Group the tokens of `text` into words by whitespace and separators."""
    t = tokens if isinstance(tokens, TokenColumns) else TokenColumns(tokens)
    forms, tags, starts, ends = t.forms, t.tags, t.starts, t.ends
    words: list[Word] = []
    first = 0  # the current word's first token
    previous_end = -1
    for i in range(len(forms)):
        if forms[i] in _SEPARATORS and tags[i] in _SEPARATOR_TAGS:
            if i > first:
                words.append(_make_word(text, t, first, i, len(words), separator=forms[i]))
            first, previous_end = i + 1, ends[i]
            continue
        if i > first and starts[i] > previous_end and not text[previous_end:starts[i]].strip():
            # a line break ends a name as a comma does: paragraphs and list lines are separate
            gap = text[previous_end:starts[i]]
            words.append(_make_word(text, t, first, i, len(words), "\n" if "\n" in gap else ""))
            first = i
        previous_end = ends[i]
    if first < len(forms):
        words.append(_make_word(text, t, first, len(forms), len(words)))
    return words


def ending_past_aside(words: list[Word], word: Word) -> str:
    """The word's ending past a bracketed aside, which may run over several words:
    '아동(초등학생)에게' → '에게', '남면(면장 김영관)이' → '이'."""
    after = word.after_text.strip()
    if not after.startswith("("):
        return after
    at = word.position if 0 <= word.position < len(words) and words[word.position] is word else words.index(word)
    for later in words[at: at + 6]:
        if ")" in later.text:
            return later.text.rsplit(")", 1)[1].strip()
    return after


def strip_legal_form(name: str) -> str:
    if "(" not in name and "㈜" not in name and "법인" not in name and "주식회사" not in name:
        return name
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
