"""An article's id comes only from an address that is the article's own: a site root, section or
listing named as og:url or canonical is ignored, and two pages with different bodies never share an id."""
from __future__ import annotations

import pytest

from extractors import RawPage, extract
from extractors.html_page import is_article_address
from nlp.model import Analysis

ROOT_OG = """<html lang="ko"><head><meta property="og:url" content="http://www.example.go.kr/www">
<link rel="canonical" href="http://www.example.go.kr/"><title>보도자료 | 예시군청</title></head><body>
<div class="board_view"><h4 class="title">{title}</h4><div class="view_cont"><p>{body}</p></div></div></body></html>"""
FIRST = ("예시군은 오는 20일 군민회관에서 청년 창업 설명회를 열고 창업 지원금 신청 방법을 안내한다고 밝혔다. "
         "설명회에는 지역 청년 100여 명이 참석할 예정이다.")
SECOND = ("예시군 보건소는 겨울철 독감 예방접종을 이달 말까지 무료로 실시한다고 밝혔다. "
          "대상은 만 65세 이상 어르신과 생후 6개월 이상 어린이다.")


def _page(title: str, body: str, **where: str) -> RawPage:
    return RawPage(body=ROOT_OG.format(title=title, body=body).encode("utf-8"), **where)  # type: ignore[arg-type]


@pytest.mark.parametrize("address", [
    "http://www.example.go.kr/www", "http://www.example.go.kr/", "https://a.kr",
    "https://a.kr/news/articleList.html?sc_section_code=S1N1", "https://a.kr/board/list.do?bbsId=B0001",
    "https://a.kr/category/welfare/", "https://a.kr/index.html", "https://a.kr/kor/sub04_01.do",
])
def test_shared_addresses_are_not_an_articles_own(address):
    assert not is_article_address(address)


@pytest.mark.parametrize("address", [
    "https://a.kr/news/articleView.html?idxno=1234", "https://a.kr/bbs/board.php?bo_table=news&wr_id=7",
    "https://www.example.go.kr/boardView.do?pageId=www789&boardId=BD_01&seq=21180",
    "https://news.example.kr/gov/archives/574155", "https://a.kr/2024/12/03/youth-startup-fair/",
])
def test_article_addresses_are_kept(address):
    assert is_article_address(address)


def test_two_releases_naming_the_site_root_get_their_own_ids():
    one = extract(_page("예시군, 청년 창업 설명회 개최", FIRST, source_path="a.html"))
    two = extract(_page("예시군 보건소, 독감 무료 접종", SECOND, source_path="b.html"))
    assert one.canonical_url is None and two.canonical_url is None
    assert one.article_id != two.article_id


def test_og_url_of_the_article_wins_over_a_root_canonical():
    page = ROOT_OG.format(title="예시군, 청년 창업 설명회 개최", body=FIRST).replace(
        'content="http://www.example.go.kr/www"', 'content="http://www.example.go.kr/board/view.do?seq=5512"')
    article = extract(RawPage(body=page.encode("utf-8")))
    assert article.canonical_url == "http://www.example.go.kr/board/view.do?seq=5512"


def _analysis() -> Analysis:
    return Analysis(mentions=(), agencies=(), programs=(), target_groups=())


def test_pages_sharing_an_article_address_with_different_bodies_keep_both(tmp_path):
    """A shared address no rule recognises (an article-like URL on every page of a board)."""
    from warehouse.load import BatchResult, load_batch
    from warehouse.schema import connect

    shared = ROOT_OG.replace("http://www.example.go.kr/www", "http://www.example.go.kr/board/view.do?seq=1")
    pages = [RawPage(body=shared.format(title=t, body=b).encode("utf-8"), source_path=name)
             for t, b, name in (("창업 설명회", FIRST, "a.html"), ("독감 접종", SECOND, "b.html"))]
    articles = [extract(page) for page in pages]
    assert articles[0].article_id == articles[1].article_id  # the pages themselves cannot tell
    con = connect(tmp_path / "ids.duckdb")
    batch = BatchResult(tuple(pages), tuple((p, a, _analysis()) for p, a in zip(pages, articles, strict=True)), (), ())
    load_batch(con, "run-1", batch)
    assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 2
    load_batch(con, "run-2", batch)  # again: the same two rows, nothing duplicated, nothing lost
    load_batch(con, "run-3", BatchResult((pages[1],), ((pages[1], articles[1], _analysis()),), (), ()))
    rows = con.execute("SELECT source_path, title FROM articles ORDER BY source_path").fetchall()
    con.close()
    assert rows == [("a.html", "창업 설명회"), ("b.html", "독감 접종")]
