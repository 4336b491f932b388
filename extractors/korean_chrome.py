"""Line-level rules for the chrome of Korean news pages, shared by the HTML and text-dump paths.

Each rule looks at one line of text (a paragraph of the page). They are grouped by what the
line is, so the extractors can say *why* a line was dropped or where an article ends.
"""
from __future__ import annotations

import re

# --- lines that end the article: whatever follows belongs to the site, not the story --------
_TAIL_MARKERS = re.compile(
    r"무단\s*전재|재배포\s*금지|무단복제|Copyright|All rights reserved|저작권자|ⓒ|©"
    r"|기자의\s*다른\s*기사|다른기사\s*보기|기사\s*더보기|관련\s*기사|관련뉴스|이\s*기사와\s*관련"
    r"|많이\s*본|랭킹\s*뉴스|인기\s*기사|TOP\s*TODAY|실시간\s*(?:뉴스|인기)|주요\s*뉴스|최신\s*뉴스"
    r"|헤드라인\s*뉴스|포토\s*뉴스|PHOTO\s*NEWS|오피니언$|뉴스댓글|댓글\s*(?:쓰기|작성|삭제|\d)"
    r"|^댓글$|^목록|목록\s*바로가기|^이전\s*기사|다음\s*기사|^기사\s*제보|^구독|^후원|도배방지"
    r"|^광고$|^AD$|^빠른\s*검색|^좋아요|^추천\s*\d*$|^공유하기|^SNS|^\|$|여러분의\s*의견|^더보기$"
    r"|^※\s*붙임|^붙임\s*[:\d]|^첨부\s*파일"
    r"|^<\s*끝\s*>$|^※\s*별첨|^별첨\s*[:：\d]|공공누리|^본\s*저작물은"  # press-release ends, KOGL boxes
    r"|댓글\s*많은|공감\s*많은|가장\s*많이\s*(?:읽은|본)|^화제의\s*(?:뉴스|기사)|^추천\s*(?:뉴스|기사)$"
    r"|^이\s*시각\s*(?:주요|인기|뉴스)|^오늘의\s*(?:주요\s*)?뉴스$|^함께\s*보면\s*좋은"
    r"|좋아할\s*만한\s*(?:뉴스|기사)",  # ranked and recommended lists of other stories
    re.IGNORECASE,
)

# --- lines that are never body, wherever they sit ------------------------------------------
_CHROME_LINE = re.compile(
    r"^(?:기사\s*메일전송|메일\s*전송|기사수정|기사\s*스크랩|인쇄|프린트|스크랩|글씨\s*크기|"
    r"글자\s*크기|폰트\s*(?:크게|작게)|[-+]|가|가가|이\s*기사를\s*공유합니다|해당된\s*기사를\s*공유합니다|"
    r"상태바|본문|본문영역|상단영역|하단영역|실시간뉴스|페이스북|트위터|카카오톡|카카오스토리|"
    r"네이버\s*블로그|밴드|URL\s*복사|링크\s*복사|닫기|Top|맨\s*위로|모바일\s*버전(?:으로\s*보기)?|"
    r"PC\s*버전|로그인|회원가입|구독\s*후원\s*하기|지면보기|\d+면|기상청\s*제공|광고|AD|"
    r"(?:댓글|조회수?|추천)\s*[:\s]?\s*[\d,]+|0|더보기|공유|[|·•-])$",
    re.IGNORECASE,
)
# press-release headers of government boards and '- 부제 -' decks
_RELEASE_HEADER = re.compile(r"^(?:보도\s*일시|배포\s*일시|보도\s*일자|배포\s*일자|담당\s*부서|담\s*당|문\s*의|연락처|"
                             r"사진\s*있음|보도\s*시점|자료\s*제공|자료\s*문의)\s*[:：]|^-\s.{4,80}\s-$"
                             # a release's contact line: '(유달동장 김일섭, 주무관 백계훈 270-4724)'
                             r"|^\((?=[^)]*\d{3,4}-\d{4})[^)]{4,120}\)$")
_WEATHER = re.compile(r"^(?:맑음|흐림|구름\s*많음|구름\s*조금|비|눈|연무|안개|소나기)?\s*[가-힣]{1,5}\s*-?\d+(?:\.\d+)?\s*℃$")
_BULLET = re.compile(r"^[•·‧∙◦▪■□●○◆◇\-–—>]+\s*")

# --- photo captions, file names, reporter sign-offs ----------------------------------------
_CAPTION = re.compile(
    r"(?:/|\s|^)\(?[가-힣A-Za-z0-9·\s]{2,20}\s*제공\)?\s*$"       # …/김제시 제공
    r"|^▲|^\[?사진\s*[=:]|^<사진|\(사진\s*[=:][^)]*\)\s*$|^\*?\s*사진\s*설명|^\(사진\)"
    r"|^\(\s*사진\s*(?:제공|출처)\s*[-:=]?[^)]{0,30}\)$"                  # (사진 제공-나주시)
    r"|[【\[(<]\s*사진\s*(?:제공|출처)?\s*[=:][^】\])>]{0,30}[】\])>]\s*$"      # … 모습 【사진제공=도봉구청】
    r"|^[^(]{5,60}\([^)]{10,}다\.?\)$"                            # 헤드라인(사진 설명 …했다)
)
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp|hwp|hwpx|pdf|docx?|xlsx?|zip)\b|^[0-9a-f]{16,}(?:_\d+)?$", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@(?:[\w-]+\.)*[\w-]*")
_SIGN_OFF = re.compile(
    r"^(?:\[[^\]]{1,20}\]\s*)?(?:[가-힣]{1,6}\s*=\s*|[가-힣]{1,6}/)?[가-힣]{2,4}\s*(?:기자|특파원|통신원|객원기자)"
    r"(?:\s*\(?[\w.+-]+@[^\s)]*\)?)?\s*$"
)
_LONE_EMAIL = re.compile(r"^[\w.+-]+@[\w.-]*$")
_GLUED_BYLINE = re.compile(r"(?<=[.!?”\"’'])\s*/?\s*[가-힣]{2,4}\s*(?:기자|특파원)(?:\s*[\w.+-]+@\S+)?\s*$")
_GLUED_NAME = re.compile(r"(?<=다\.)\s?[가-힣]{2,3}$"
                         r"|(?<=[.…])\s*\[[가-힣]{2,4}(?:\s*기자)?\]$"          # '…지... [최일생]'
                         r"|(?<=다\.)\s+[^.!?|]{2,40}\s*\|\s*$")             # '…말했다. 더타임스 본부장 한반식 |'

_HASHTAGS = re.compile(r"^(?:#\S+\s*){2,}$")

# A dateline opens a story: [TV서울=신민수 기자] · [충청투데이 김일순 기자] · [뉴스스텝] · (서울=연합뉴스)
DATELINE = re.compile(
    r"^\s*[\[【(]\s*(?P<outlet>[^\]】)=]{2,20}?)\s*(?:[=\s]\s*(?P<reporter>[가-힣]{2,4})\s*(?:기자|특파원))?"
    r"\s*[\]】)]"
)

# Sentence endings of Korean news prose (declarative, quoted, or a cut-off excerpt)
_PROSE_END = re.compile(r"(?:다|요|죠|까|음|함|됨|임|것|중|예정|계획|바람)\s*[.!?。]?\s*[\"”’')\]]*\s*$")


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line).strip()


# A copyright or credit glued to the last sentence: '…밝혔다. ⓒ 매체 무단전재 및 재배포 금지',
# '…계획이다. <자료제공:고령군청>'. Only a marker that follows a finished sentence splits the line.
_GLUED_TAIL = re.compile(
    r"(?<=[.!?。\"”’'])\s*(?:[<\[(]?\s*(?:ⓒ|©|저작권자|Copyright\b|\(c\))|무단\s*전재|<\s*자료\s*제공|"
    r"\(\s*자료\s*제공|[<\[]\s*사진\s*제공)", re.IGNORECASE)
_SENTENCE_INSIDE = re.compile(r"[가-힣](?:다|요|음)\.\s+\S")


def split_glued_tail(line: str) -> tuple[str, str]:
    """(the sentence part, the glued copyright or credit) of a line; ('', '') parts when none."""
    match = _GLUED_TAIL.search(line)
    if match is None or match.start() < 15:
        return line, ""
    return line[:match.start()].rstrip(), line[match.start():].strip()


def holds_prose(line: str) -> bool:
    """A paragraph of running text, even one whose last sentence is cut off or carries a credit:
    a prose line, or a long line with a finished sentence inside it."""
    return is_prose(line) or (len(line) >= 60 and " " in line and bool(_SENTENCE_INSIDE.search(line)))


def paragraph_prose_chars(lines: list[str], min_chars: int = 70) -> int:
    """Characters of prose in paragraph-length lines, each distinct line once: what an article has and
    a listing of teaser titles, a 404 notice or a menu's slogans do not."""
    return sum(len(line) for line in set(lines) if len(line) >= min_chars and holds_prose(line))


def is_tail_marker(line: str) -> bool:
    """A line after which the page no longer carries the article (copyright, rankings …)."""
    return len(line) < 120 and bool(_TAIL_MARKERS.search(line))


# Portal copies (Naver, Daum): their notices and the font-size and text-to-speech popups print
# sentences of their own ('(예시) 가장 빠른 뉴스가 있고 … 다음뉴스를 만나보세요.')
_PORTAL_NOTICE = re.compile(
    r"다음\s*뉴스를\s*만나보세요|다음뉴스는\s*국내외|이\s*글자\s*크기로\s*변경됩니다|^\(?예시\)|"
    r"데이터\s*통화료가\s*부과|섹션으로\s*(?:중복\s*)?분류|섹션\s*분류\s*안내|검색\s*링크는\s*AI|"
    r"자동\s*추출\s*기술로\s*요약|요약\s*기술의\s*특성상|기사\s*추천은\s*\d+시간|본문\s*요약봇|요약봇|"
    r"텍스트\s*음성\s*변환|음성으로\s*듣기|음성\s*재생\s*설정|말하기\s*속도|글(?:씨|자)\s*크기\s*(?:조절|변경)|"
    r"^가\s*[1-5]\s*단계|^(?:가장\s*)?(?:작은|큰|보통)\s*글씨$|^(?:남성|여성|느림|보통|빠름|성별|기사원문|원문보기|"
    r"구독중?|구독자|응원\s*수|SNS\s*보내기|인쇄하기|요약|번역\s*설정|쏠쏠정보.*|흥미진진.*|공감백배.*)$|"
    r"Translated\s+by|^번역\s*(?:beta|Beta|BETA)?$|^번역하기$|^Select\s+Language$|Powered\s+by\s+Google|"
    r"^Google\s*(?:번역|Translate)$|"
    r"\*{4,}|아이디\s*앞\s*(?:네|세|두)\s*자리|"  # the comment box's notice on masked ids ('medi******')
    r"구독해\s*보세요|언론사\s*편집\s*뉴스|언론사\s*홈\s*바로\s*가기|^기자\s*프로필$|이\s*기사를\s*추천합니다|"
    r"어떻게\s*생각하시나요|보고\s*싶은\s*뉴스를\s*구독|^(?:좋아요|응원해요|후속\s*원해요|슬퍼요|화나요)\s*\d*$",
    re.IGNORECASE)
# A translation widget's language menu: 'English 中文 日本語 Tiếng Việt …'
_LANGUAGES = re.compile(r"English|中文|日本語|简体中文|繁體中文|Tiếng\s*Việt|Русский|Español|Français|Deutsch|"
                        r"ภาษาไทย|Bahasa|한국어|Монгол|O'zbek")


def is_portal_chrome(line: str) -> bool:
    text = line.strip()
    return len(text) < 200 and (bool(_PORTAL_NOTICE.search(text)) or len(_LANGUAGES.findall(text)) >= 3)


def is_chrome_line(line: str) -> bool:
    """Buttons, counters, menus, weather entries, portal notices and widgets: never body text."""
    bare = strip_bullet(line)
    return (not bare or bool(_CHROME_LINE.match(line.strip())) or bool(_CHROME_LINE.match(bare))
            or bool(_WEATHER.match(bare)) or bool(_RELEASE_HEADER.match(line.strip())) or is_portal_chrome(line))


def is_caption_or_file(line: str) -> bool:
    if len(line) > 400:
        return False  # a paragraph, however it ends (and no regex walks a megabyte-long line)
    return bool(_CAPTION.search(line)) or bool(_FILE_NAME.search(line)) and len(line) < 80


# A sign-off with a desk or brackets around it: '[ 이나연 기자 / nayeon@mk.co.kr ]',
# '우유정 기자 / 지방자치 정책팀 milky0824@lawissue.co.kr'
_SIGN_OFF_WITH_MAIL = re.compile(r"^[\[(]?\s*[가-힣]{2,4}\s*(?:기자|특파원|통신원)\s*/[^.!?]{0,40}@[\w.-]+\s*[\])]?$")


def is_sign_off(line: str) -> bool:
    """A reporter's sign-off line ('김제=이창식 기자 mediacnc@', '[신아일보] 박재영 기자')."""
    bare = strip_bullet(line)
    return bool(_SIGN_OFF.match(bare)) or bool(_LONE_EMAIL.match(bare)) or (
        len(bare) < 100 and bool(_SIGN_OFF_WITH_MAIL.match(bare)))


# A bare caption label: the line after it is the photo's caption ('사진 설명)', '[사진설명]', '<사진 설명>')
_CAPTION_LABEL = re.compile(r"^[(\[<*]?\s*사진\s*설명\s*[)\]>:：]?\s*$")
# End marks and link prompts glued to a paragraph: '…말했다. <끝>', '… 확인해 주세요! ☞ 1월 문화달력 바로가기'
_GLUED_END = re.compile(r"\s*(?:<\s*끝\s*>|\(\s*끝\s*\)|☞[^.!?]{0,40}|[^\s.!?]{0,20}\s*바로\s*가기)\s*$")


def is_caption_label(line: str) -> bool:
    return bool(_CAPTION_LABEL.match(line.strip()))


def strip_glued_byline(line: str) -> str:
    """'…말했다./주철우 기자' → '…말했다.'; '…밝혔다.박창현' → '…밝혔다.'; '…말했다. <끝>' → '…말했다.'"""
    if len(line) < 2000:
        line = _GLUED_END.sub("", line)
    line = _GLUED_BYLINE.sub("", line)
    return _GLUED_NAME.sub("", line).rstrip()


def is_hashtags(line: str) -> bool:
    return bool(_HASHTAGS.match(line.strip()))


# A line that stops mid-sentence (broadcast scripts break lines there): ends on a particle
_CONTINUES = re.compile(r"(?:을|를|은|는|의|에|에서|으로|와|과|고|며|해|서|통해|위해|따라|대해|하고|하며|이며"
                        r"|[가-힣]가|[가-힣]이|까지|부터|시작한|[가-힣]려)$")

# Board meta: '운영자 0 3,456' (author, comments, views) or '작성자 홍길동 조회 120'
_BOARD_META = re.compile(r"^(?:작성자\s*)?[가-힣A-Za-z]{2,10}\s+[\d,]+\s+[\d,]+$|조회\s*(?:수)?\s*[:\s]\s*[\d,]+$")


def continues_sentence(line: str, min_chars: int = 15) -> bool:
    return len(line) >= min_chars and " " in line and bool(_CONTINUES.search(line.strip()))


def is_board_meta(line: str) -> bool:
    return bool(_BOARD_META.search(line.strip()))


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def is_prose(line: str) -> bool:
    """A sentence of running text rather than a label, headline or button."""
    text = line.strip()
    if len(text) < 15 or " " not in text:
        return False
    if _PROSE_END.search(text):
        return True
    hangul = len(_HANGUL.findall(text))
    # other languages: a sentence of some length that ends like one
    return hangul < len(text) * 0.2 and len(text.split()) >= 8 and text[-1] in ".!?\"”’'):;"


_BREADCRUMB = re.compile(r"\s[>›»]\s|^(?:HOME|Home|홈)\b")
_DATE_ONLY = re.compile(r"^[\d\s.:/()\-년월일시분요[월화수목금토일]*$")


def is_headline_like(line: str) -> bool:
    """A line that could be a headline: a phrase of some length that is not a sentence."""
    text = line.strip()
    if len(text) < 8 or len(text) > 150 or " " not in text or _DATE_ONLY.match(text):
        return False
    if _BREADCRUMB.search(text) or text.count("|") >= 2:
        return False  # breadcrumbs and menus ('지역 | 청주 | 충주 | 정치')
    if is_prose(text) and text.endswith(("다.", "다")):
        return False
    return not (is_chrome_line(text) or is_tail_marker(text) or is_sign_off(text)
                or is_caption_or_file(text))


def reporter_from(line: str) -> tuple[str | None, str | None]:
    """(name, e-mail) from a byline or sign-off line, when it names a reporter."""
    name = re.search(r"([가-힣]{2,4})\s*(?:기자|특파원)", line)
    email = _EMAIL.search(line)
    return (name.group(1) if name else None,
            email.group(0) if email and "." in email.group(0).split("@")[-1] else None)


_COPYRIGHT_OUTLET = re.compile(
    r"(?:저작권자|Copyright)\s*(?:ⓒ|©|\(c\))?\s*(?P<a>[^\s.,\]]{2,20})"
    r"|\[\s*ⓒ\s*(?P<b>[^,\]]{2,20}),"
    r"|^(?P<c>[가-힣A-Za-z0-9]{2,15})\s*\((?:www\.)?[\w.-]+\)\s*,?\s*무단"
    r"|최종편집\s+(?P<d>[가-힣A-Za-z0-9]{2,15})\s*$",
    re.IGNORECASE,
)


def outlet_from(line: str) -> str | None:
    """The outlet a copyright line or dateline names ('저작권자 © 금강일보 …' → 금강일보)."""
    match = _COPYRIGHT_OUTLET.search(line)
    if match:
        name = next(group for group in match.groups() if group)
        if re.fullmatch(r"[\d\s-]+", name) or re.fullmatch(r"[A-Za-z ]+", name) and len(name) > 12:
            return None  # 'Copyright 2003 …', or a long English company name
        return name
    dateline = DATELINE.match(line)
    if dateline and dateline["outlet"] and not re.search(r"\d|사진|제공", dateline["outlet"]):
        return dateline["outlet"].strip()
    return None


_WIRES = {"연합뉴스", "뉴스1", "뉴시스", "뉴스핌", "newsis", "NEWSIS"}
_BRACKETED_HEAD = re.compile(r"^\s*[\[【<〈(]\s*(?P<name>[^\]】>〉)]{2,20}?)\s*[\]】>〉)]\s*")


def strip_outlet_prefix(title: str, outlet: str | None) -> str:
    """'[뉴스맘] 제목', '뉴스맘 - 제목', '(뉴스1) 제목' → '제목' when the prefix names the page's outlet
    (or a wire). A section label ('[중부경남] …', '[카드뉴스] …') stays: it is part of the headline."""
    names = set(_WIRES) | ({outlet.strip()} if outlet else set())
    match = _BRACKETED_HEAD.match(title)
    if match and match["name"].strip() in names and len(title) > match.end() + 4:
        return title[match.end():].strip()
    for name in names:
        plain = re.match(rf"^\s*{re.escape(name)}\s*[-|:ㅣ｜]\s+", title)
        if plain and len(title) > plain.end() + 4:
            return title[plain.end():].strip()
    return title
