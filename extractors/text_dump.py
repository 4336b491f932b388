"""Page-text dumps (the text of a rendered page, one block per line) to an `Article`."""
from __future__ import annotations

import re

from extractors import korean_chrome as chrome
from extractors.body import collect_body, find_body_start, normalise_lines
from extractors.model import Article, PageKind
from extractors.timestamps import InfoTimes, find_info_times, labelled_times

# How far down the page the article header (title, info lines) may sit: rankings and
# weather strips above it can be long.
_HEADER_WINDOW = 80
_MIN_BODY_CHARS = 60
# The first sentence of a story, never its headline: '[진주=뉴스핌] 서동림 기자 = …', '(세종=뉴스1) …'
_STORY_OPENING = re.compile(r"^\s*[\[【(][^\]】)]{1,20}=[^\]】)]{1,20}[\]】)]|^.{0,30}(?:기자|특파원)\s*=\s")


def extract_text_dump(text: str, **fields: object) -> Article:
    """Title, times, outlet, reporter and body paragraphs of a page-text dump."""
    lines = normalise_lines(text)
    times = article_info_times(lines, limit=_HEADER_WINDOW)
    info = sorted(i for i in times.line_indexes if _prose_follows(lines, i))
    if not info:  # a board post: its meta line (author, comments, views) closes the header
        info = [i for i, line in enumerate(lines[:_HEADER_WINDOW]) if chrome.is_board_meta(line)][:1]
    header_end = max(info) + 1 if info else 0
    title_index = _find_title(lines, info[0] if info else None)
    if not info and title_index is not None:  # below the last print of the headline
        header_end = max(i for i, line in enumerate(lines) if line == lines[title_index]) + 1
    start = find_body_start(lines, header_end)
    paragraphs: list[str] = []
    end = len(lines)
    if start is not None:
        paragraphs, end = collect_body(lines, start)
    reporter, email = _reporter(lines, info, end)
    published_at, updated_at = times.published_at, times.updated_at
    if published_at is None and updated_at is None and paragraphs:
        # some pages print the time under the sign-off, after the story ('남재옥 기자 …' / '2026.02.09 (월) 21:20')
        tail = find_info_times(lines[end:end + 6])
        published_at, updated_at = tail.published_at, tail.updated_at
    # a page is an article unless nothing in it reads as prose: a one-line story is one
    prose = any(chrome.holds_prose(p) for p in paragraphs)
    kind: PageKind = "article" if prose or sum(map(len, paragraphs)) >= _MIN_BODY_CHARS else "empty"
    outlet = _outlet(lines, start, end)
    title = chrome.strip_outlet_prefix(lines[title_index], outlet) if title_index is not None else None
    return Article(
        paragraphs=tuple(paragraphs),
        title=title,
        outlet=outlet,
        published_at=published_at,
        updated_at=updated_at,
        reporter=reporter,
        reporter_email=email,
        page_kind=kind,
        skip_reason=None if kind == "article" else f"no prose ({sum(map(len, paragraphs))} chars of body)",
        text_chars=sum(map(len, lines)),
        prose_chars=chrome.paragraph_prose_chars(lines),
        **fields,  # type: ignore[arg-type]
    )


def article_info_times(lines: list[str], limit: int | None) -> InfoTimes:
    """The times of the article's own info block. Mobile pages and portals print other stories
    with their times above the article (rankings first): of several info blocks, the one the
    longest run of prose follows is the article's."""
    times = find_info_times(lines, limit=limit)
    blocks: list[list[int]] = []
    for index in sorted(times.line_indexes):
        if blocks and index - blocks[-1][-1] <= 3 and not any(
                chrome.is_prose(line) for line in lines[blocks[-1][-1] + 1:index]):
            blocks[-1].append(index)
        else:
            blocks.append([index])
    if len(blocks) < 2:
        return times
    best = max(blocks, key=lambda block: (_prose_run(lines, block[-1]), -block[0]))
    first_run, best_run = _prose_run(lines, blocks[0][-1]), _prose_run(lines, best[-1])
    if best is blocks[0] or first_run >= 100 or best_run < max(100, 3 * first_run):
        return times  # the first block already opens a story, or no other block opens a longer one
    own = find_info_times(lines[best[0]:best[-1] + 1])
    return InfoTimes(own.published_at, own.updated_at, tuple(best[0] + i for i in own.line_indexes))


def _prose_run(lines: list[str], index: int, within: int = 40) -> int:
    """Characters of prose after an info line, up to the first line that ends a story."""
    total = 0
    for line in lines[index + 1:index + 1 + within]:
        if chrome.is_tail_marker(line) or any(labelled_times(line)):
            break  # the story ends, or the next story's info block begins
        if chrome.is_prose(line):
            total += len(line)
    return total


def headline_above_info(lines: list[str]) -> str | None:
    """The headline of a page's text: the headline-like line above its info block, if any."""
    times = find_info_times(lines, limit=_HEADER_WINDOW * 4)
    info = [i for i in times.line_indexes if _prose_follows(lines, i)]
    index = _find_title(lines, info[0]) if info else None
    return lines[index] if index is not None else None


def _prose_follows(lines: list[str], index: int, within: int = 12) -> bool:
    """An info line belongs to the article header only when the story follows it."""
    return any(chrome.is_prose(line) for line in lines[index + 1:index + 1 + within])


def _find_title(lines: list[str], info_index: int | None) -> int | None:
    """The headline: the first of the headline-like lines just above the info block.

    Without an info block a headline needs other evidence: it is printed twice, follows
    a section label or share bar, or stands right above the first paragraph after chrome."""
    if info_index is not None:
        run: list[int] = []
        for index in range(info_index - 1, max(-1, info_index - 12), -1):
            line = lines[index]
            if any(labelled_times(line)):
                break  # another story's info block: the headline is below it
            headline = chrome.is_headline_like(line) or (
                len(line) <= 150 and chrome.is_prose(line) and not chrome.is_sign_off(line)
                and not _STORY_OPENING.match(line))  # '[진주=뉴스핌] 서동림 기자 = …밝혔다.' opens the story
            if headline and run and not chrome.is_headline_like(line) and chrome.is_headline_like(lines[run[-1]]) \
                    and line.rstrip().endswith("."):
                break  # a finished sentence above a headline closes another story's teaser
            if headline and not chrome.is_tail_marker(line):
                run.append(index)
                if len(run) >= 3:
                    break
            elif run or not (chrome.is_chrome_line(line) or chrome.is_sign_off(line)
                             or len(chrome.strip_bullet(line)) < 8):
                break
        if run:
            return _first_of_run(lines, run)
        return None
    first_prose = next((i for i, line in enumerate(lines) if chrome.is_prose(line)), None)
    if first_prose is None:
        return None
    candidates = [i for i in range(first_prose) if chrome.is_headline_like(lines[i])
                  and not lines[i].startswith(("-", "–", "—", "(", "[")) and not lines[i].endswith(")")]
    for index in candidates:
        if lines.count(lines[index]) > 1:
            return index
    for index in candidates:
        if index == 0:
            continue  # a first line with nothing above it is as likely a deck as a headline
        above, below = lines[index - 1], lines[index + 1]
        framed_above = chrome.is_chrome_line(above) or len(above) <= 12 or chrome.is_tail_marker(above)
        if framed_above and (index == first_prose - 1 or chrome.is_chrome_line(below)):
            return index
    return None


def _first_of_run(lines: list[str], run: list[int]) -> int:
    """Of headline-like lines above the info block (listed bottom-up), the headline itself.

    A repeated line is the headline; otherwise the topmost line (the rest are decks)."""
    for index in run:
        if sum(1 for other in run if lines[other] == lines[index]) > 1:
            return min(i for i in run if lines[i] == lines[index])
    return run[-1]


def _outlet(lines: list[str], start: int | None, end: int) -> str | None:
    """The outlet named by the copyright line, or else by the body's dateline."""
    for line in lines[end:end + 15]:
        if chrome.is_tail_marker(line) and (name := chrome.outlet_from(line)):
            return name
    for line in lines[:_HEADER_WINDOW]:
        if "최종편집" in line and (name := chrome.outlet_from(line)):
            return name
    if start is not None:
        return chrome.outlet_from(lines[start])
    return None


def _reporter(lines: list[str], info: list[int], end: int) -> tuple[str | None, str | None]:
    for line in [lines[i] for i in info] + lines[end:end + 3]:
        name, email = chrome.reporter_from(line)
        if name or email:
            return name, email
    return None, None
