"""Fixture news sites for the crawl tests: threaded `http.server`s on 127.0.0.1, one port per
emulated host, serving routes declared as data (status, headers, body, delay, validators,
and sequences of replies for "fails, then recovers"). Every request is logged with its
headers and timing so tests can check politeness, conditional requests and refetches.

The articles are short Korean regional-news pieces written for these tests (not real text),
in the structure of the ndsoft CMS family."""
from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0                 # seconds before the response starts
    etag: str | None = None            # sent, and If-None-Match honoured (304)
    last_modified: str | None = None   # sent, and If-Modified-Since honoured (304)
    stream_bytes: int | None = None    # stream this many bytes without Content-Length, then close
    drip_seconds: float | None = None  # send the body one byte at a time, this many seconds apart
    reset_after: int | None = None     # send headers and this many body bytes, then reset (RST) the connection


@dataclass
class Hit:
    port: int
    path: str
    headers: dict[str, str]
    started: float
    finished: float = 0.0
    status: int = 0


class Site:
    """One emulated host. `route(path, *replies)`: each request takes the next reply; the last repeats."""

    def __init__(self, name: str, farm: Farm) -> None:
        self.name = name
        self.farm = farm
        self.routes: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self.routes[path] = list(replies)
            self._served[path] = 0

    def next_reply(self, path: str) -> Reply:
        with self._lock:
            replies = self.routes.get(path)
            if not replies:
                return Reply(404, _not_found_page(self.name))
            index = min(self._served[path], len(replies) - 1)
            self._served[path] += 1
            return replies[index]

    def hits(self, path_prefix: str = "") -> list[Hit]:
        return [hit for hit in self.farm.log if hit.port == self.port and hit.path.startswith(path_prefix)]


class Farm:
    """Several sites and one request log."""

    def __init__(self) -> None:
        self.sites: dict[str, Site] = {}
        self.log: list[Hit] = []
        self.lock = threading.Lock()

    def site(self, name: str) -> Site:
        site = Site(name, self)
        self.sites[name] = site
        site.thread.start()
        return site

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()

    def stop(self) -> None:
        for site in self.sites.values():
            site.server.shutdown()
            site.server.server_close()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hit = Hit(site.port, self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
            with site.farm.lock:
                site.farm.log.append(hit)
            reply = site.next_reply(self.path)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self._send(reply, hit)
            except (BrokenPipeError, ConnectionResetError, OSError):
                self.close_connection = True
            hit.finished = time.monotonic()

        def _send(self, reply: Reply, hit: Hit) -> None:
            not_modified = (reply.etag is not None and self.headers.get("If-None-Match") == reply.etag) or (
                reply.last_modified is not None and reply.etag is None
                and self.headers.get("If-Modified-Since") == reply.last_modified)
            status = 304 if not_modified and reply.status == 200 else reply.status
            hit.status = status
            self.send_response(status)
            if reply.etag:
                self.send_header("ETag", reply.etag)
            if reply.last_modified:
                self.send_header("Last-Modified", reply.last_modified)
            for key, value in reply.headers:
                self.send_header(key, value)
            if status == 304:
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_header("Content-Type", reply.content_type)
            if reply.reset_after is not None:
                self.send_header("Content-Length", str(max(len(reply.body), reply.reset_after + 1000)))
                self.end_headers()
                self.wfile.write(reply.body[:reply.reset_after])
                self.wfile.flush()
                # SO_LINGER 0: close() sends RST, not FIN: the client sees "connection reset by peer"
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
                return
            if reply.drip_seconds is not None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                for index in range(len(reply.body)):  # bounded by the body's length
                    self.wfile.write(reply.body[index:index + 1])
                    self.wfile.flush()
                    time.sleep(reply.drip_seconds)
                return
            if reply.stream_bytes is not None:
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + "가".encode() * 20000 + b"</p>\n"
                sent = 0
                while sent < reply.stream_bytes:
                    self.wfile.write(chunk)
                    sent += len(chunk)
                self.close_connection = True
                return
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

    return Handler


@contextmanager
def running_farm() -> Iterator[Farm]:
    farm = Farm()
    try:
        yield farm
    finally:
        farm.stop()


# ---------------------------------------------------------------- page builders

def _not_found_page(outlet: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>페이지를 찾을 수 없습니다 - {outlet}</title></head>"
            "<body><h1>404</h1><p>요청하신 페이지를 찾을 수 없습니다.</p></body></html>").encode()


@dataclass(frozen=True)
class Story:
    idxno: int
    title: str
    paragraphs: tuple[str, ...]
    published: str             # "2024.05.02 10:00"
    reporter: str
    section: str = "지역"
    lastmod: str = ""          # ISO date for sitemaps and feeds


def ndsoft_article(outlet: str, story: Story, charset: str = "utf-8") -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in story.paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="{charset}">
<title>{story.title} - {outlet}</title>
<meta property="og:site_name" content="{outlet}">
<meta property="og:title" content="{story.title}">
</head><body>
<div id="user-wrap"><header class="user-header"><a href="/">{outlet}</a>
<nav><a href="/news/articleList.html?sc_section_code=S1N1">정치</a> <a href="/news/articleList.html">전체기사</a></nav>
</header>
<div class="article-view-header"><h3 class="heading">{story.title}</h3>
<ul class="infomation"><li>기자명 {story.reporter} 기자</li><li>입력 {story.published}</li></ul></div>
<div id="article-view-content-div">
{body}
<p>{story.reporter} 기자</p>
</div>
<div class="view-copyright">저작권자 ⓒ {outlet} 무단전재 및 재배포 금지</div>
<div class="rank">많이 본 뉴스 1. 다른 소식</div>
</div></body></html>"""
    return page.encode(charset)


def rss(outlet: str, base: str, stories: list[Story], extra_links: tuple[str, ...] = ()) -> bytes:
    items = "".join(
        f"<item><title>{s.title}</title><link>{base}/news/articleView.html?idxno={s.idxno}</link>"
        f"<pubDate>{s.lastmod or '2024-05-02 10:00:00'}</pubDate><author>{s.reporter}</author></item>"
        for s in stories)
    items += "".join(f"<item><title>비공개</title><link>{link}</link></item>" for link in extra_links)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{outlet}</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


def sitemap(base: str, stories: list[Story], news: bool = False) -> bytes:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    urls = []
    for s in stories:
        extra = (f"<news:news><news:publication><news:name>대청일보</news:name><news:language>ko</news:language>"
                 f"</news:publication><news:publication_date>{s.lastmod}</news:publication_date>"
                 f"<news:title>{s.title}</news:title></news:news>") if news else f"<lastmod>{s.lastmod}</lastmod>"
        urls.append(f"<url><loc>{base}/news/articleView.html?idxno={s.idxno}</loc>{extra}</url>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            f"{ns}>{''.join(urls)}</urlset>").encode()


def sitemap_index(entries: list[tuple[str, str]]) -> bytes:
    items = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{lastmod}</lastmod></sitemap>" for loc, lastmod in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</sitemapindex>").encode()


def listing_page(outlet: str, links: list[tuple[str, str]], next_page: str | None, charset: str = "utf-8") -> bytes:
    rows = "".join(f'<li><a href="{href}" class="thumb"><img src="/t.jpg"></a>'
                   f'<h4 class="titles"><a href="{href}">{title}</a></h4></li>' for href, title in links)
    more = f'<a href="{next_page}">다음</a>' if next_page else ""
    return (f'<html><head><meta charset="{charset}"><title>전체기사 - {outlet}</title></head><body>'
            f'<a href="/">{outlet}</a><section id="section-list"><ul class="type2">{rows}</ul></section>'
            f'<div class="pagination">{more}</div><a href="/news/articleList.html?sc_section_code=S1N2">경제</a>'
            "</body></html>").encode(charset)


HTTP_DATE = formatdate(1714600800, usegmt=True)  # 2024-05-01 22:00 UTC

DAECHEONG = "대청일보"
GEUMBIT = "금빛신문"
SLOW = "느린소식"
BROKEN = "깨진소식"

A_STORIES = [
    Story(1, "유성구, 청년 창업공간 20곳 새로 연다",
          ("대전 유성구는 청년 예비창업자를 위한 창업공간 20곳을 다음 달부터 운영한다고 2일 밝혔다.",
           "구는 올해 예산 12억 원을 들여 만 19세부터 39세까지 청년에게 사무공간과 상담을 제공한다.",
           "입주 기업은 최대 2년 동안 임대료 없이 공간을 쓸 수 있다."),
          "2024.05.02 10:00", "김도윤", lastmod="2024-05-02T10:00:00+09:00"),
    Story(2, "공주시, 어르신 스마트 돌봄 서비스 확대",
          ("충남 공주시는 홀로 사는 어르신 500가구에 스마트 돌봄 기기를 보급한다고 2일 밝혔다.",
           "시는 기기를 통해 활동량을 확인하고 이상이 감지되면 생활지원사가 방문하도록 할 계획이다."),
          "2024.05.02 11:30", "이서연", lastmod="2024-05-02T11:30:00+09:00"),
    Story(3, "세종시, 어린이 통학로 안전시설 정비 착수",
          ("세종시는 초등학교 주변 통학로 30곳의 안전시설 정비에 들어간다고 3일 밝혔다.",
           "시는 예산 8억 원을 투입해 보행로를 넓히고 과속방지턱을 설치한다."),
          "2024.05.03 09:00", "박준호", lastmod="2024-05-03T09:00:00+09:00"),
    Story(40, "논산시, 딸기 농가 스마트팜 전환 지원",
          ("충남 논산시는 딸기 재배 농가 40곳의 스마트팜 전환을 지원한다고 3일 밝혔다.",
           "시는 농가당 최대 3천만 원을 지원하고 재배 기술 교육도 함께 진행한다."),
          "2024.05.03 14:00", "최하은", lastmod="2024-05-03T14:00:00+09:00"),
    Story(6, "계룡시, 군인 가족 정착 지원금 신설",
          ("충남 계룡시는 전입한 군인 가족에게 정착 지원금 50만 원을 지급한다고 4일 밝혔다.",
           "지원 대상은 올해 계룡시로 주소를 옮긴 군인 가족 300가구다."),
          "2024.05.04 10:00", "정민재", lastmod="2024-05-04T10:00:00+09:00"),
    Story(7, "대덕구, 전통시장 공영주차장 확충",
          ("대전 대덕구는 전통시장 3곳 주변에 공영주차장 120면을 새로 만든다고 5일 밝혔다.",
           "구는 하반기까지 공사를 마쳐 시장을 찾는 주민의 불편을 줄일 계획이다."),
          "2024.05.05 10:00", "한지우", lastmod="2024-05-05T10:00:00+09:00"),
    Story(8, "동구, 1인 가구 안부 확인 사업 시작",
          ("대전 동구는 중장년 1인 가구 200명을 대상으로 안부 확인 사업을 시작한다고 29일 밝혔다.",
           "주민 봉사자가 주 1회 전화로 안부를 묻고 필요한 복지 서비스를 연결한다."),
          "2024.04.29 10:00", "오세린", lastmod="2024-04-29T10:00:00+09:00"),
]
A_GONE = 5        # listed in the feed, 404 on the site
A_MOVED = 4       # 301 → idxno=40
A_THROTTLED = 6   # 429 with Retry-After, then 200

B_STORIES = [
    Story(101, "전주시, 시내버스 노선 개편안 공개",
          ("전북 전주시는 시내버스 노선 개편안을 공개하고 주민 의견을 듣는다고 2일 밝혔다.",
           "시는 다음 달까지 설명회를 열어 의견을 모은 뒤 하반기에 새 노선을 적용한다."),
          "2024.05.02 09:10", "윤가람"),
    Story(102, "군산시, 수산물 수출 기업 물류비 지원",
          ("전북 군산시는 수산물 수출 기업 25곳에 물류비를 지원한다고 2일 밝혔다.",
           "기업당 지원 한도는 2천만 원이며 이달 말까지 신청을 받는다."),
          "2024.05.02 15:20", "서하준"),
    Story(103, "익산시, 다자녀 가정 공공요금 감면",
          ("전북 익산시는 세 자녀 이상 가정의 상하수도 요금을 30% 감면한다고 3일 밝혔다.",
           "감면은 다음 달 고지분부터 적용되며 별도 신청 없이 자동으로 이뤄진다."),
          "2024.05.03 10:40", "문채원"),
    Story(104, "정읍시, 귀농 청년 주거 지원 확대",
          ("전북 정읍시는 귀농 청년에게 임시 주거를 제공하는 사업을 확대한다고 4일 밝혔다.",
           "시는 빈집 15채를 고쳐 최장 1년 동안 저렴한 임대료로 빌려준다."),
          "2024.05.04 11:00", "배도현"),
]
B_RECOVERS = 104   # 503 once, then 200
B_OVERSIZED = 105

C_STORY = Story(201, "서귀포시, 감귤 농가 일손 돕기 나서",
                ("제주 서귀포시는 수확기 감귤 농가의 일손을 돕기 위해 공무원 300명을 보낸다고 2일 밝혔다.",
                 "시는 고령 농가와 여성 농가를 먼저 지원할 계획이다."),
                "2024.05.02 08:00", "고은비", lastmod="2024-05-02T08:00:00+09:00")
C_SLOW = 202

D_STORY = Story(301, "제주시, 해안 쓰레기 수거 인력 확충",
                ("제주시는 해안 쓰레기를 치우는 바다환경지킴이를 60명으로 늘린다고 3일 밝혔다.",
                 "지킴이들은 해안을 나눠 맡아 연중 수거 활동을 벌인다."),
                "2024.05.03 13:00", "강유나")


def article_path(idxno: int) -> str:
    return f"/news/articleView.html?idxno={idxno}"


@dataclass
class Fixture:
    farm: Farm
    a: Site
    b: Site
    c: Site
    d: Site
    slow_delay: float = 3.0
    setups: list[Callable[[], None]] = field(default_factory=list)

    def sources_toml(self, delay: float = 0.05) -> str:
        a, b, c, d = self.a, self.b, self.c, self.d
        return f"""
[[source]]
name = "{DAECHEONG}"
region = "대전광역시"
home = "{a.url('/')}"
feeds = ["{a.url('/rss/allArticle.xml')}"]
cms = "ndsoft"
delay_seconds = {delay}
verified = true

[[source]]
name = "{GEUMBIT}"
region = "전북특별자치도"
home = "{b.url('/')}"
cms = "ndsoft"
delay_seconds = {delay}
verified = true

[[source.listings]]
url = "{b.url('/news/articleList.html?page={page}')}"
link_pattern = 'articleView\\.html\\?idxno=\\d+'
pages = 2

[[source]]
name = "{SLOW}"
region = "제주특별자치도/서귀포시"
home = "{c.url('/')}"
cms = "ndsoft"
delay_seconds = {delay}
verified = true

[[source]]
name = "{BROKEN}"
region = "제주특별자치도/제주시"
home = "{d.url('/')}"
feeds = ["{d.url('/rss/allArticle.xml')}"]
listings = [{{ url = "{d.url('/list.html')}", link_pattern = 'idxno=\\d+' }}]
cms = "ndsoft"
delay_seconds = {delay}
verified = true
"""

    def write_sources(self, folder: Path, delay: float = 0.05) -> Path:
        path = folder / "sources.toml"
        path.write_text(self.sources_toml(delay), encoding="utf-8")
        return path

    def article_url(self, site: Site, idxno: int) -> str:
        return site.url(article_path(idxno))


def build_sites(farm: Farm, slow_delay: float = 3.0) -> Fixture:
    a, b, c, d = farm.site(DAECHEONG), farm.site(GEUMBIT), farm.site(SLOW), farm.site(BROKEN)
    fixture = Fixture(farm, a, b, c, d, slow_delay)

    # A: RSS with ETag, robots.txt with a Disallow and a Sitemap: line, a sitemap index → gzipped
    #    sitemap and a news sitemap, a 301, a 404, a 429 with Retry-After
    a.route("/robots.txt", Reply(body=f"User-agent: *\nDisallow: /private/\n\nSitemap: {a.url('/sitemap_index.xml')}\n"
                                 .encode(), content_type="text/plain"))
    feed_stories = [s for s in A_STORIES if s.idxno in (1, 2, 3)]
    a.route("/rss/allArticle.xml", Reply(body=rss(DAECHEONG, a.base, feed_stories, (
        a.url(article_path(A_MOVED)), a.url(article_path(A_GONE)), a.url(article_path(A_THROTTLED)),
        a.url("/private/secret.html"))), content_type="application/rss+xml; charset=utf-8", etag='"rss-v1"'))
    may = [s for s in A_STORIES if s.idxno in (6, 7)]
    april = [s for s in A_STORIES if s.idxno == 8]
    a.route("/sitemap_index.xml", Reply(body=sitemap_index([
        (a.url("/sitemap-2024-05.xml.gz"), "2024-05-05T10:00:00+09:00"),
        (a.url("/sitemap-2024-04.xml"), "2024-04-30T10:00:00+09:00")]), content_type="application/xml"))
    a.route("/sitemap-2024-05.xml.gz", Reply(body=gzip.compress(sitemap(a.base, may)),
                                             content_type="application/x-gzip", last_modified=HTTP_DATE))
    a.route("/sitemap-2024-04.xml", Reply(body=sitemap(a.base, april, news=True), content_type="application/xml",
                                          last_modified=HTTP_DATE))
    for story in A_STORIES:
        if story.idxno == A_THROTTLED:
            a.route(article_path(story.idxno),
                    Reply(429, b"<html><body>Too Many Requests</body></html>", headers=(("Retry-After", "1"),)),
                    Reply(body=ndsoft_article(DAECHEONG, story), etag=f'"a{story.idxno}"'))
        else:
            a.route(article_path(story.idxno), Reply(body=ndsoft_article(DAECHEONG, story),
                                                     etag=f'"a{story.idxno}"'))
    a.route(article_path(A_MOVED), Reply(301, b"", headers=(("Location", article_path(40)),)))
    a.route("/private/secret.html", Reply(body=b"<html><body>private</body></html>"))

    # B: EUC-KR listing pages with pagination (relative and duplicate links), EUC-KR articles,
    #    a 503 that recovers, an oversized page
    b.route("/robots.txt", Reply(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    b.route("/", Reply(body=listing_page(GEUMBIT, [], None, "euc-kr"), content_type="text/html; charset=euc-kr"))
    links = [(article_path(s.idxno), s.title) for s in B_STORIES]
    b.route("/news/articleList.html?page=1", Reply(
        body=listing_page(GEUMBIT, links[:2] + [(b.url(article_path(101)), B_STORIES[0].title)],
                          "/news/articleList.html?page=2", "euc-kr"),
        content_type="text/html; charset=euc-kr", etag='"list-1"'))
    b.route("/news/articleList.html?page=2", Reply(
        body=listing_page(GEUMBIT, links[2:] + [(article_path(B_OVERSIZED), "대용량 화보")], None, "euc-kr"),
        content_type="text/html; charset=euc-kr", etag='"list-2"'))
    for story in B_STORIES:
        page = Reply(body=ndsoft_article(GEUMBIT, story, "euc-kr"), content_type="text/html; charset=euc-kr")
        if story.idxno == B_RECOVERS:
            b.route(article_path(story.idxno), Reply(503, b"<html><body>Service Unavailable</body></html>"), page)
        else:
            b.route(article_path(story.idxno), page)
    b.route(article_path(B_OVERSIZED), Reply(stream_bytes=6 * 1024 * 1024))

    # C: no feeds configured: the home page announces an Atom feed; one article is too slow
    c.route("/robots.txt", Reply(404, b"not found", content_type="text/plain"))
    c.route("/", Reply(body=(f'<html><head><meta charset="utf-8"><title>{SLOW}</title>'
                             '<link rel="alternate" type="application/atom+xml" title="전체기사" href="/feed.xml">'
                             f"</head><body><h1>{SLOW}</h1></body></html>").encode()))
    c.route("/feed.xml", Reply(body=(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>느린소식</title>'
        f'<entry><title>{C_STORY.title}</title><link href="{article_path(C_STORY.idxno)}"/>'
        f"<updated>{C_STORY.lastmod}</updated></entry>"
        f'<entry><title>늦게 오는 기사</title><link rel="alternate" href="{c.url(article_path(C_SLOW))}"/>'
        "<updated>2024-05-02T09:00:00+09:00</updated></entry></feed>").encode(),
        content_type="application/atom+xml", etag='"atom-1"'))
    c.route(article_path(C_STORY.idxno), Reply(body=ndsoft_article(SLOW, C_STORY)))
    late = Story(C_SLOW, "느린 서버의 기사", ("이 기사는 서버가 늦게 보낸다.",), "2024.05.02 09:00", "느림보")
    c.route(article_path(C_SLOW), Reply(body=ndsoft_article(SLOW, late), delay=slow_delay))

    # D: a malformed feed (its failure is recorded, the listing still works)
    d.route("/robots.txt", Reply(body=b"User-agent: *\nDisallow:\n", content_type="text/plain"))
    d.route("/rss/allArticle.xml", Reply(body=b'<?xml version="1.0"?><rss><channel><item><title>\xea\xb9\xa8\xec'
                                         b'\xa7\x84 <<< &&& </rss', content_type="application/rss+xml"))
    d.route("/list.html", Reply(body=listing_page(BROKEN, [(article_path(D_STORY.idxno), D_STORY.title)], None),
                                etag='"d-list"'))
    d.route(article_path(D_STORY.idxno), Reply(body=ndsoft_article(BROKEN, D_STORY)))
    return fixture


EXPECTED_ARTICLES = {  # site attribute, idxno → title loaded by a full crawl
    ("a", 1), ("a", 2), ("a", 3), ("a", 4), ("a", 6), ("a", 7), ("a", 8),
    ("b", 101), ("b", 102), ("b", 103), ("b", 104),
    ("c", 201),
    ("d", 301),
}
