"""From the lines of a page (or of its article container) to the article's own paragraphs.

Shared by the HTML and text-dump paths, so a chrome rule fixed once is fixed for both.
"""
from __future__ import annotations

import re

from extractors import korean_chrome as chrome
from extractors.timestamps import is_bare_date_line

# A deck (subtitle) is a short run of non-sentences between the info block and the first
# paragraph; more than this many such lines means we are not looking at a deck.
_MAX_DECK_LINES = 4


def normalise_lines(text: str) -> list[str]:
    """Lines stripped of surrounding whitespace (NBSP included), blank lines dropped."""
    lines = (line.replace("\u00a0", " ").replace("\u200b", "").strip() for line in text.splitlines())
    return [line for line in lines if line]


def find_body_start(lines: list[str], after: int, *, strict: bool = True) -> int | None:
    """Index of the first body line at or after `after`: skips captions and chrome, and in
    `strict` mode (a whole page's lines) also the decks and labels before the first sentence."""
    skipped = 0
    for index in range(after, len(lines)):
        line = lines[index]
        if chrome.is_tail_marker(line) and chrome.holds_prose(chrome.split_glued_tail(line)[0]):
            return index  # a one-line story with its copyright glued on
        if chrome.is_chrome_line(line) or chrome.is_caption_or_file(line) or chrome.is_tail_marker(line):
            continue
        if not strict:
            return index
        if line.startswith(("- ", "-", "–", "―")) and len(line) < 80:
            skipped += 1
            continue  # '- 건강을 위해 …' is a deck, whatever its ending
        if _headline_ending_in_da(lines, index):
            skipped += 1
            continue  # '의령, 경남 두 번째 많은 출산장려금 쏜다' above the lead
        if chrome.holds_prose(line) or chrome.DATELINE.match(line) and len(line) > 30:
            return index
        if chrome.continues_sentence(line):
            following = index + 1
            while following < min(len(lines), index + 5) and chrome.continues_sentence(lines[following], 4):
                following += 1
            if following < len(lines) and chrome.is_prose(lines[following]):
                return index  # a sentence broken across lines (broadcast scripts)
        if _is_structured(line) and skipped <= _MAX_DECK_LINES and not chrome.is_chrome_line(line):
            return index  # numbered reports and minutes start without a sentence
        if _is_field(line) and index + 1 < len(lines) and (_is_field(lines[index + 1]) or lines[index + 1].startswith("*")) \
                and skipped <= _MAX_DECK_LINES and not chrome.is_chrome_line(line):
            return index  # a notice of 'label: value' items ('접종대상: …' / '접종시기: …')
        skipped += 1
    return None


def _headline_ending_in_da(lines: list[str], index: int) -> bool:
    """A headline that ends like a sentence ('… 쏜다', '… 지급한다') but without a full stop,
    short, and directly above a longer sentence that ends with one."""
    line = lines[index].strip()
    if len(line) > 60 or line.endswith((".", "!", "?", "”", "\"", "'", "’")) or index + 1 >= len(lines):
        return False
    following = lines[index + 1].strip()
    return chrome.is_prose(line) and chrome.is_prose(following) and following.endswith(".") and len(following) > len(line)


_FIELD = re.compile(r"^[가-힣][가-힣\s·및]{1,14}\s*[:：]\s*\S")


def _is_field(line: str) -> bool:
    """'접종대상: 65세 이상 성인', '신청기간 : 3월 4일까지': a notice's labelled item."""
    return bool(_FIELD.match(line)) and len(line) < 150


def _is_structured(line: str) -> bool:
    """'1. 일 시 : …', '□ 회의록': report and minutes layouts on government boards."""
    return bool(re.match(r"^(?:\d{1,2}\s*[.)]\s+\S|[□■◎○]\s*\S)", line))


def is_other_story(lines: list[str], index: int, start: int) -> bool:
    """Another article's teaser after the body: a headline followed by its own dateline."""
    line = lines[index]
    if index <= start or not chrome.DATELINE.match(line):
        return False
    return index - 1 > start and chrome.is_headline_like(lines[index - 1])


def _in_triangle_list(lines: list[str], index: int) -> bool:
    """'▲김 의원, … 조례안' lines in a row are a list (bills, winners, venues); a lone ▲ line is a caption."""
    if not lines[index].startswith("▲") or re.search(r"사진|제공|모습", lines[index]):
        return False
    neighbours = lines[max(0, index - 1):index] + lines[index + 1:index + 2]
    return any(line.startswith("▲") for line in neighbours)


def collect_body(lines: list[str], start: int) -> tuple[list[str], int]:
    """Body paragraphs from `start` until the page's tail; returns them and the end index."""
    paragraphs: list[str] = []
    index = start
    caption_next = False
    seen: set[str] = set()
    for index in range(start, len(lines)):
        line = lines[index]
        if caption_next:
            caption_next = False
            if not chrome.is_tail_marker(line):
                continue  # the caption under a bare '사진 설명' label
        if chrome.is_caption_label(line):
            caption_next = True
            continue
        if chrome.is_caption_or_file(line) and not _in_triangle_list(lines, index):
            continue  # before the tail test: a caption may carry '© 매체'
        if chrome.is_tail_marker(line) or chrome.is_hashtags(line):
            sentence, glued = chrome.split_glued_tail(line)
            if glued and chrome.holds_prose(sentence):
                paragraphs.append(chrome.strip_glued_byline(sentence))  # '…밝혔다. ⓒ 매체 무단전재'
            break
        if is_other_story(lines, index, start):
            if paragraphs and chrome.is_headline_like(paragraphs[-1]):
                paragraphs.pop()
            break
        if chrome.is_sign_off(line):
            # a sign-off closes the story; keep going only if real prose follows at once
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if not chrome.is_prose(following) or chrome.DATELINE.match(following):
                break
            continue
        if chrome.is_chrome_line(line) or is_bare_date_line(line):
            continue  # a bare '2023-08-30 17:08:55' in the body is a widget's stamp, not a sentence
        sentence, glued = chrome.split_glued_tail(line)
        if glued and chrome.holds_prose(sentence):
            paragraphs.append(chrome.strip_glued_byline(sentence))
            break  # the copyright glued to the last sentence ends the story
        paragraph = chrome.strip_glued_byline(line)
        if len(paragraph) >= 20 and paragraph in seen:
            continue  # printed twice (an image's alt text and its caption, mobile and desktop copies)
        seen.add(paragraph)
        paragraphs.append(paragraph)
    else:
        index = len(lines)
    while paragraphs and len(paragraphs[-1]) <= 8 and not chrome.is_prose(paragraphs[-1]) \
            and not _is_field(paragraphs[-1]):
        paragraphs.pop()  # a cut-off stub or a stray label after the last sentence
    return [p for p in paragraphs if p], index
