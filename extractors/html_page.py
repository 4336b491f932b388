"""HTML pages to an `Article`: CMS-family profiles first, trafilatura as the generic path,
and the Korean chrome rules of `body.py` over whichever container was chosen."""
from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree, html

from extractors import korean_chrome as chrome
from extractors.body import collect_body, find_body_start, normalise_lines
from extractors.model import Article, Image, PageKind
from extractors.profiles import Profile, match_profile
from extractors.text_dump import article_info_times, headline_above_info
from extractors.timestamps import KST, find_info_times, parse_stamp

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
               "section", "article", "header", "footer", "blockquote", "dd", "dt", "dl", "figure",
               "figcaption", "pre", "hr", "td", "th", "aside", "nav", "form", "center", "address"}
# Chrome every family shares; removed from the chosen container before reading its lines.
_ALWAYS_REMOVE = ("script, style, noscript, iframe, form, button, select, input, textarea, nav, "
                  "aside, ins, [class*='ad_'], [id*='google_ads'], [class*='banner'], "
                  "[class*='share'], [class*='sns'], [class*='relat'], [class*='copyright'], "
                  "[class*='reporter'], [class*='recommend'], [class*='popular'], [class*='rank'], "
                  # attachment links inside a release's text: the file, not a sentence
                  "a[href$='.pdf'], a[href$='.hwp'], a[href$='.hwpx'], a[href$='.zip'], a[href*='fileDown'], "
                  "a[href*='file_download']")
_ERROR_TEXT = re.compile(r"(?:페이지를|기사를|게시물을?)\s*찾을\s*수\s*없|존재하지\s*않는\s*(?:페이지|기사|게시물)|"
                         r"삭제된\s*(?:기사|게시물)|404\s*(?:Not\s*Found|error)|Page\s*Not\s*Found", re.IGNORECASE)
_LOGIN_TEXT = re.compile(r"로그인(?:이|을)?\s*(?:필요|해\s*주세요|후\s*이용)|회원만\s*(?:열람|이용)")
_MIN_BODY_CHARS = 50  # a two-sentence brief is still an article


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LETTER = re.compile(r"[^\W\d_]")


def _hangul_share(tree: html.HtmlElement) -> float:
    """Share of Hangul among the letters of the page's visible text (a sample of it)."""
    body = tree.body if tree.body is not None else tree
    sample = body.text_content()[:30_000]
    letters = len(_LETTER.findall(sample))
    return len(_HANGUL.findall(sample)) / letters if letters else 0.0


def parse_html(text: str) -> html.HtmlElement | None:
    # huge_tree: libxml2 otherwise drops a text node over 10 MB (a 30 MB one-line article)
    try:
        return html.document_fromstring(text, parser=html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        return None


# Elements whose text is never page text: code, templates, form controls (a select's options
# are menus). Comments and processing instructions have no string tag and are skipped too.
_NO_TEXT_TAGS = {"script", "style", "template", "noscript", "textarea", "select", "option", "svg", "head",
                 "title", "meta", "link"}


def element_lines(element: html.HtmlElement) -> list[str]:
    """The visible text of an element, one line per block (paragraph, list item, cell …).

    Walks with its own stack, not recursion: a page of thousands of nested tags is still read."""
    parts: list[str] = []
    stack: list[tuple[html.HtmlElement, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else None
        if closing:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if node.tail and node is not element:
                parts.append(node.tail)
            continue
        if tag is None or tag in _NO_TEXT_TAGS:  # <!-- 헤더 영역 -->, <style>, <script> …
            if node.tail and node is not element:
                parts.append(node.tail)
            continue
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return normalise_lines("".join(parts).replace("\r", ""))


# --- metadata ---------------------------------------------------------------------------

def json_ld(tree: html.HtmlElement) -> dict:
    """The first NewsArticle-like object of the page's JSON-LD, flattened from @graph."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "")
        except json.JSONDecodeError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            kind = item.get("@type") if isinstance(item, dict) else None
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"} for k in kinds):
                return item
    return {}


def _meta(tree: html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for value in tree.xpath(f"//meta[@property='{name}' or @name='{name}' or @itemprop='{name}']/@content"):
            if value.strip():
                return value.strip()
    return None


def _iso_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return parse_stamp(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


def _name(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


_TITLE_NOISE = ".sound_only, .blind, .hidden, [class*='cate'], [class*='label'], .badge"


def _first_text(tree: html.HtmlElement, selectors: tuple[str, ...]) -> str | None:
    """Text of the first node a selector finds, without category labels and screen-reader text."""
    for selector in selectors:
        for node in tree.cssselect(selector):
            node = html.fromstring(html.tostring(node, encoding="unicode"))
            for noise in node.cssselect(_TITLE_NOISE):
                if noise is not node:
                    noise.drop_tree()
            text = " ".join(node.text_content().split())
            if text:
                return text
    return None


def _headline_h1(tree: html.HtmlElement) -> str | None:
    """The first h1 that is a headline: not the site's logo or slogan linking to its home page."""
    for node in tree.iter("h1"):
        marks = " ".join(filter(None, [node.get("class"), node.get("id")])).lower()
        home_link = any(urlsplit(a.get("href") or "").path in ("", "/") and not urlsplit(a.get("href") or "").query
                        for a in node.iter("a"))
        if "logo" in marks or home_link or node.find(".//img") is not None and not node.text_content().strip():
            continue
        text = " ".join(node.text_content().split())
        if text:
            return text
    return None


def _clean_title(title: str | None, outlet: str | None) -> str | None:
    if not title:
        return None
    title = chrome.strip_outlet_prefix(" ".join(title.split()), outlet)  # '[매체] 제목'
    if outlet and re.match(rf"\[?{re.escape(outlet)}\]?\s*[-|:ㅣ｜]\s", title):
        title = title[len(outlet):].lstrip(" -|:<>ㅣ｜[]")  # '충청민보 - 제목'
    if outlet and title == outlet:
        return None  # a <title> that only names the site
    if outlet and outlet in title and not title.startswith(outlet):
        title = title[: title.rfind(outlet)].rstrip(" -|:<>ㅣ｜")
    elif " < " in title:  # ndsoft <title>: '제목 < 섹션 < 기사본문 - 매체'
        title = title.split(" < ")[0]
    elif re.search(r" [|ㅣ] [^|]*>", title):  # '제목 | 보도자료>경북소식>도정소식'
        title = re.split(r" [|ㅣ] ", title)[0]
    board = re.search(r"\s+>\s+[^>]{1,15}$", title)  # gnuboard: '제목 > 보도자료'
    if board and board.start() >= 10:
        title = title[:board.start()]
    site = _SITE_SUFFIX.search(title)  # '제목 | 한들일보', '제목 - 가람뉴스' when no page names its outlet
    if site and site.start() >= 10:
        title = title[:site.start()]
    return title.strip() or None


_SITE_SUFFIX = re.compile(r"\s+(?:[-|ㅣ｜:]|::)\s+[^-|ㅣ｜:]{0,16}(?:뉴스|일보|신문|타임즈|타임스|방송|닷컴|투데이|저널|미디어|"
                          r"매일|포커스|뉴스1|코리아|TV|news|times|ilbo)\s*$", re.IGNORECASE)


def _breadcrumb_title(tree: html.HtmlElement, outlet: str | None) -> str | None:
    """The headline at the head of a breadcrumb <title> ('제목 < 보도자료 < 시정소식 - 가람군청'),
    when it reads like one (a board's own name, '보도자료/해명', is short)."""
    raw = " ".join((tree.findtext(".//title") or "").split())
    if not re.search(r" < | [|ㅣ] [^|]*>", raw):
        return None
    title = _clean_title(raw, outlet)
    return title if title and len(title) >= 12 and " " in title else None


# --- board fields: '<th>제목</th><td>…</td>', '<dt>날짜</dt><dd>…</dd>', '<span class="tit">등록일</span>…' ---

_SUBJECT_LABELS = {"제목", "글제목", "게시물제목", "title"}
_DATE_LABELS = {"등록일", "작성일", "날짜", "게시일", "등록일자", "작성일자", "게시일자", "보도일", "보도일자", "배포일",
                "배포일자", "일자", "등록일시", "작성일시", "date"}
_LABEL_TAGS = ("th", "dt", "span", "strong", "label", "em", "b")


def board_fields(tree: html.HtmlElement) -> dict[str, str]:
    """Labelled fields of a board view: label → value, for the subject and date labels only."""
    fields: dict[str, str] = {}
    wanted = _SUBJECT_LABELS | _DATE_LABELS
    for node in tree.iter(*_LABEL_TAGS):
        if len(node) > 2:
            continue  # a label holds its word, not a block
        raw = node.text_content()
        if len(raw) > 20:
            continue
        label = re.sub(r"[\s:：]", "", raw).lower()
        if label not in wanted or label in fields or _in_footer(node):
            continue  # a footer's '등록일' is the outlet's registration date
        holder = node
        while holder.getnext() is None and holder.getparent() is not None and holder.getparent().tag in (
                "label", "span", "strong", "th", "dt") and len(holder.getparent().text_content()) <= len(raw) + 2:
            holder = holder.getparent()  # '<th><label>제목</label></th>': the value follows the cell
        value_node = holder.getnext()
        value = " ".join(value_node.text_content().split()) if value_node is not None else ""
        if not value and holder.tail:
            value = " ".join(holder.tail.split())
        if value and len(value) <= 300:
            fields[label] = value
    return fields


def _in_footer(node: html.HtmlElement) -> bool:
    for ancestor in node.iterancestors():
        marks = f"{ancestor.get('id') or ''} {ancestor.get('class') or ''}".lower()
        if ancestor.tag in ("footer", "address") or "footer" in marks or "copyright" in marks:
            return True
    return False


def _subject_field(fields: dict[str, str]) -> str | None:
    return next((fields[label] for label in ("제목", "글제목", "게시물제목", "title") if label in fields), None)


def _date_field_lines(fields: dict[str, str]) -> list[str]:
    """Board date fields as info lines the time rules read ('날짜 2025.12.09' → '등록일 2025.12.09')."""
    return [f"등록일 {value}" for label, value in fields.items() if label in _DATE_LABELS]


def _without_keywords(title: str | None, tree: html.HtmlElement) -> str | None:
    """og:title with the keywords meta glued on ('제목, 나주시, 전라남도 나주, Naju City'), or only keywords."""
    if not title:
        return title
    keywords = {k.strip().lower() for k in (_meta(tree, "keywords", "Keywords") or "").split(",") if k.strip()}
    segments = [segment.strip() for segment in title.split(",")]
    if not keywords or len(segments) < 3:
        return title
    in_keywords = [segment.lower() in keywords for segment in segments]
    end = len(segments)
    while end > 1 and in_keywords[end - 1]:
        end -= 1
    head = segments[:end]
    if all(keyword or segment.isascii() for segment, keyword in zip(head, in_keywords, strict=False)):
        return None  # the site's keywords (and its romanised name), not a headline
    if len(segments) - end >= 2:
        return ", ".join(head)
    return title


# --- identity: only an address that is the article's own --------------------------------

# Last path segments of listing and section pages ('articleList.html', 'list.do', 'boardList.jsp')
_LISTING_SEGMENT = re.compile(r"(?:^|[_-]|(?<=[a-z]))(?:list|lst|index|main|default|home|section|category|search)"
                              r"(?:\.\w{2,5})?$", re.IGNORECASE)
_LISTING_PATH = re.compile(r"/(?:category|categories|tag|tags|section|sections|search)(?:/|$)|/page/\d+/?$",
                           re.IGNORECASE)
_ARTICLE_QUERY = re.compile(r"(?:^|&)(?:idxno|no|wr_id|nttId|ntt_id|seq|idx|id|articleId|aid|newsId|bbsSeq|"
                            r"dataSid|boardSeq|num|uid|article_no|bIdx|list_no|sno|p)=\w", re.IGNORECASE)


def is_article_address(address: str) -> bool:
    """False for a site root ('/', '/www'), a section or a listing: addresses many pages share."""
    parts = urlsplit(address)
    if not parts.netloc:
        return False
    if _ARTICLE_QUERY.search(parts.query):
        return True
    path = parts.path.rstrip("/")
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        return False  # the site root
    if _LISTING_PATH.search(parts.path) or _LISTING_SEGMENT.search(segments[-1]):
        return False
    if re.search(r"\.(?:do|jsp|asp|aspx|php|html?)$", segments[-1], re.IGNORECASE):
        return bool(re.search(r"\d{3,}", path))  # a script or page without an article's number: a menu page
    # '/www', '/kor' alone name a site or a section; an article's path says more
    return len(segments) > 1 or bool(re.search(r"\d{3,}|[-_].*[-_]", segments[-1]))


def own_canonical(url: str | None, candidates: list[str | None]) -> str | None:
    """The first canonical or og:url that is the article's own address (made absolute), if any."""
    for candidate in candidates:
        if not candidate or not candidate.strip():
            continue
        address = urljoin(url, candidate.strip()) if url else candidate.strip()
        if is_article_address(address):
            return address
    return None


# --- the page ---------------------------------------------------------------------------

def extract_html(text: str, **fields: object) -> Article:
    tree = parse_html(text)
    if tree is None:
        return Article(paragraphs=(), page_kind="empty", skip_reason="no HTML document could be parsed",
                       text_chars=len(text), **fields)  # type: ignore[arg-type]
    url = fields.get("url") if isinstance(fields.get("url"), str) else None
    ld = json_ld(tree)
    canonical = own_canonical(url, tree.xpath("//link[@rel='canonical']/@href") + [_meta(tree, "og:url")])
    page_lines = element_lines(tree.body) if tree.body is not None else []
    outlet = _name(ld.get("publisher")) or _meta(tree, "og:site_name") or _outlet_from_text(page_lines)
    korean = (tree.get("lang") or "").lower().startswith("ko") or _hangul_share(tree) > 0.3
    profile = match_profile(canonical or url, tree, korean)

    board = board_fields(tree)
    title = _clean_title(_first_text(tree, profile.title) if profile else None, outlet)
    title = title or _clean_title(_subject_field(board), outlet)  # the board's 제목 field
    title = title or _clean_title(_without_keywords(_meta(tree, "og:title", "twitter:title"), tree)
                                  or _name(ld.get("headline")), outlet)
    title = title or _breadcrumb_title(tree, outlet)
    title = title or _clean_title(_headline_h1(tree), outlet)
    title = title or headline_above_info(page_lines)
    title = title or _clean_title((tree.findtext(".//title") or "").strip(), outlet)

    container = _container(tree, profile)
    lines = element_lines(_without_chrome(container, profile)) if container is not None else []
    paragraphs = _body_paragraphs(lines, korean, title)
    fell_back = False
    if container is None or not any(chrome.holds_prose(p) for p in paragraphs):
        # a profile that finds no body, or only a stub without a sentence, is no verdict on the
        # page: the generic paths read it too, and the one that finds more prose wins. A short
        # story the profile did find stays: a sidebar of teasers may hold more prose than it.
        generic_container, generic_lines = _generic_body(tree, korean)
        generic = _body_paragraphs(generic_lines, korean, title)
        if container is None or _prose_chars(generic) > max(1.5 * _prose_chars(paragraphs),
                                                             _prose_chars(paragraphs) + 80):
            fell_back = container is not None
            container, paragraphs = generic_container, generic
    images = _images(container, url) if container is not None else ()
    page_text = sum(map(len, page_lines))
    page_prose = chrome.paragraph_prose_chars(page_lines)
    if not paragraphs:
        # the parser may have lost the page (thousands of nested tags): read its text without tags
        stripped = _text_without_tags(text)
        if len(stripped) > 2 * page_text + 200:
            from extractors.text_dump import extract_text_dump

            rescued = extract_text_dump(stripped)
            if rescued.is_article:
                paragraphs = list(rescued.paragraphs)
                title = title or rescued.title
                page_text, page_prose = len(stripped), max(page_prose, sum(map(len, paragraphs)))
                page_lines = page_lines or normalise_lines(stripped)[:400]
                fell_back = True

    profile_info = _info_lines(tree, profile) or _date_field_lines(board)
    info = find_info_times(profile_info) if profile_info else article_info_times(page_lines, limit=200)
    if info.published_at is None and info.updated_at is None and _date_field_lines(board):
        info = find_info_times(_date_field_lines(board))  # the board's 등록일/작성일/날짜 field
    published = info.published_at or _iso_datetime(ld.get("datePublished")) or _iso_datetime(
        _meta(tree, "article:published_time", "datePublished", "pubdate", "og:published_time"))
    updated = info.updated_at or _iso_datetime(ld.get("dateModified")) or _iso_datetime(
        _meta(tree, "article:modified_time", "dateModified"))
    if published is None and paragraphs:
        published = _htmldate(text)
    reporter, email = _byline(page_lines, ld)
    kind, reason = _page_kind(tree, paragraphs, page_lines)
    if kind == "article" and container is not None and _link_density(container) > 0.5 \
            and not any(chrome.is_prose(p) and len(p) >= 80 for p in paragraphs):
        kind, reason = "listing", "most of the body block's text is links: teasers of other stories"
    if profile and container is not None and not fell_back:
        notes: tuple[str, ...] = (f"profile:{profile.name}/{profile.version}",)
    else:
        notes = ("generic", f"fallback-from:{profile.name}") if profile else ("generic",)
    return Article(
        paragraphs=tuple(paragraphs) if kind == "article" else (),
        title=title,
        outlet=outlet,
        published_at=published,
        updated_at=updated,
        reporter=reporter,
        reporter_email=email,
        section=_meta(tree, "article:section"),
        canonical_url=canonical,
        images=images,
        page_kind=kind,
        notes=notes,
        skip_reason=None if kind == "article" else f"{reason} ({sum(map(len, paragraphs))} chars of body)",
        text_chars=page_text,
        prose_chars=page_prose,
        **fields,  # type: ignore[arg-type]
    )


def _body_paragraphs(lines: list[str], korean: bool, title: str | None) -> list[str]:
    """The article's paragraphs among a block's lines."""
    # Korean containers open with decks and labels before the first sentence; elsewhere trust them
    start = find_body_start(lines, 0, strict=korean) if korean else None
    if start is None:
        start = find_body_start(lines, 0, strict=False)
    paragraphs = collect_body(lines, start)[0] if start is not None else []
    if title:  # the headline printed again inside the container
        paragraphs = [p for p in paragraphs if " ".join(p.split()) != title]
    return paragraphs


def _generic_body(tree: html.HtmlElement, korean: bool) -> tuple[html.HtmlElement | None, list[str]]:
    """trafilatura, unless (on Korean pages) the densest block of prose says more: table layouts
    come out of trafilatura as '| cell |' rows."""
    lines = _generic_lines(tree)
    if korean:
        dense = densest_prose_block(tree)
        if dense is not None:
            dense_lines = element_lines(_without_chrome(dense, None, _PAGE_CHROME))
            if _prose_chars(dense_lines) > 1.1 * _prose_chars(lines):
                return dense, dense_lines
    return None, lines


_TAG_DROP = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:p|div|br|li|tr|td|h[1-6]|table|section|article)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")


def _text_without_tags(text: str) -> str:
    """A page's text by regular expressions alone: the last resort when the parser lost it."""
    from html import unescape

    text = _TAG_DROP.sub(" ", text)
    text = _BLOCK_TAG.sub("\n", text)
    return unescape(_ANY_TAG.sub("", text))


def _container(tree: html.HtmlElement, profile: Profile | None) -> html.HtmlElement | None:
    if profile is None:
        return None
    for selector in profile.body:
        for node in tree.cssselect(selector):  # the first match that holds text (image boxes share classes)
            if len(node.text_content().strip()) >= 40:
                return node
    return None


def _without_chrome(container: html.HtmlElement, profile: Profile | None, *extra: str) -> html.HtmlElement:
    container = html.fromstring(html.tostring(container, encoding="unicode"))  # leave the tree intact
    selectors = [_ALWAYS_REMOVE, "figure", "figcaption", ".photo", ".caption", "img", *extra]
    if profile:
        selectors.extend(profile.remove)
    for selector in selectors:
        for node in container.cssselect(selector):
            if node is not container and node.getparent() is not None:
                node.drop_tree()
    return container


def _prose_chars(lines: list[str]) -> int:
    """Prose in distinct lines: a slogan repeated under every menu item is one line of chrome."""
    return sum(len(line) for line in set(lines) if chrome.is_prose(line) and "|" not in line)


_CONTAINER_TAGS = {"div", "td", "article", "section", "main", "body"}
# Page chrome around any article: site menus, headers, footers, quick links (generic path only;
# a profile's container is already inside the article)
_PAGE_CHROME = ("nav, header, footer, aside, #header, #footer, #gnb, #lnb, #snb, .gnb, .lnb, .snb, #quick, .quick, "
                "[id*='menu'], [class*='menu'], [class*='sitemap'], [class*='family'], [class*='footer'], "
                "[id*='footer'], [class*='skip'], [class*='util'], [class*='location'], [class*='breadcrumb']")


def _counts_as_prose(text: str) -> bool:
    """Prose of the page's own, not a portal notice or a copyright line that happens to end in -다."""
    return chrome.is_prose(text) and not chrome.is_chrome_line(text) and not chrome.is_tail_marker(text)


def densest_prose_block(tree: html.HtmlElement, share: float = 0.85) -> html.HtmlElement | None:
    """The smallest block holding most of the page's Korean prose: every run of text is credited
    to its block ancestors, then we descend while one child keeps `share` of the total."""
    score: dict[html.HtmlElement, int] = {}
    chrome_blocks = set(tree.cssselect(_PAGE_CHROME))
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in {"script", "style", "a", "option"}:
            continue
        if element in chrome_blocks or any(ancestor in chrome_blocks for ancestor in element.iterancestors()):
            continue  # menus and footers print slogans that read like prose
        pieces = [element.text or "", *(child.tail or "" for child in element)]
        prose = sum(len(piece) for piece in pieces if len(piece) >= 25 and _HANGUL.search(piece)
                    and _counts_as_prose(" ".join(piece.split())))
        if not prose:
            continue
        for ancestor in [element, *element.iterancestors()]:
            score[ancestor] = score.get(ancestor, 0) + prose
    body = tree.body
    if body is None or not score.get(body):
        return None
    node = body
    while True:
        best = max((child for child in node if child in score), key=lambda child: score[child], default=None)
        if best is None or score[best] < share * score[node]:
            break
        node = best
    while node is not body and node.tag not in _CONTAINER_TAGS:  # a <p> or <tr>: take its block
        node = node.getparent()
    return node if node is not body else None


def _generic_lines(tree: html.HtmlElement) -> list[str]:
    """trafilatura on a copy of our parsed tree (it prunes what it is given; parsing twice costs more)."""
    extracted = trafilatura.extract(copy.deepcopy(tree), include_comments=False, include_tables=True,
                                    include_images=False, deduplicate=False) or ""
    return normalise_lines(extracted)


def _info_lines(tree: html.HtmlElement, profile: Profile | None) -> list[str]:
    if profile is None:
        return []
    return [" ".join(node.text_content().split()) for selector in profile.info
            for node in tree.cssselect(selector)]


def _htmldate(text: str) -> datetime | None:
    from htmldate import find_date  # imported late: slow to import, rarely needed

    try:
        found = find_date(text, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # htmldate raises on odd markup; a missing date is the honest answer
        return None
    return datetime.fromisoformat(found).replace(tzinfo=KST) if found else None


def _byline(lines: list[str], ld: dict) -> tuple[str | None, str | None]:
    author = _name(ld.get("author"))
    for line in lines[:400]:
        if "기자" in line and len(line) < 80:
            name, email = chrome.reporter_from(line)
            if name:
                return author or name, email
    return author, None


def _outlet_from_text(lines: list[str]) -> str | None:
    for line in reversed(lines[-200:]):
        if chrome.is_tail_marker(line) and (name := chrome.outlet_from(line)):
            return name
    return None


def _images(container: html.HtmlElement, base: str | None) -> tuple[Image, ...]:
    images = []
    for img in container.iter("img"):
        src = img.get("src") or img.get("data-src")
        if not src:
            continue
        figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
        caption_node = figure.find(".//figcaption") if figure is not None else None
        caption = " ".join(caption_node.text_content().split()) if caption_node is not None else img.get("alt")
        images.append(Image(url=urljoin(base, src) if base else src, caption=caption or None))
    return tuple(images)


def _link_density(element: html.HtmlElement) -> float:
    text = len(" ".join(element.text_content().split()))
    links = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return links / text if text else 0.0


def _page_kind(tree: html.HtmlElement, paragraphs: list[str],
               page_lines: list[str]) -> tuple[PageKind, str]:
    """Article, or the kind of non-article page with the evidence for it. A page is an article
    unless something says otherwise, and a paragraph of prose outweighs a login form."""
    body_chars = sum(map(len, paragraphs))
    head = " ".join(page_lines[:60]) + " " + (tree.findtext(".//title") or "")
    own_prose = [p for p in paragraphs if chrome.holds_prose(p) and not _ERROR_TEXT.search(p)
                 and not _LOGIN_TEXT.search(p)]
    if body_chars < 400 and (error := _ERROR_TEXT.search(head)):
        return "error", f"error text {error.group(0)!r}"
    if body_chars < 400 and not own_prose:
        if login := _LOGIN_TEXT.search(head):
            return "login", f"login text {login.group(0)!r}"
        if tree.cssselect("input[type=password]"):
            return "login", "a password field and no prose"
    if body_chars < _MIN_BODY_CHARS and not own_prose:
        links = len(tree.xpath("//a[@href]"))
        return ("listing", f"{links} links and no prose") if links > 30 else ("empty", "no prose")
    if body_chars < 500 and not any(chrome.is_prose(p) for p in paragraphs):
        return "listing", "teaser titles only, no sentence"  # a section page, not a story
    if not any(chrome.holds_prose(p) for p in paragraphs):
        anchors = {" ".join(a.text_content().split()) for a in tree.iter("a")}
        linked = sum(len(p) for p in paragraphs if p in anchors)
        if linked > 0.5 * body_chars:
            return "listing", f"no sentence, and {linked} of {body_chars} chars are link texts"
    teasers = sum(1 for p in paragraphs if p.rstrip().endswith(("…", "...", "..")))
    if len(paragraphs) >= 4 and teasers >= 0.5 * len(paragraphs):
        return "listing", f"{teasers} of {len(paragraphs)} paragraphs are cut-off summaries"
    return "article", ""
