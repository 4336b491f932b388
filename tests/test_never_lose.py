"""Never lose an article: a page is an article unless there is positive evidence otherwise,
and every page that is skipped keeps its reason and how much text and prose it held.

All pages here are our own invented text in the layouts of Korean regional news and boards."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from extractors import RawPage, extract
from extractors.text_dump import extract_text_dump

LEAD = ("진안군은 오는 15일부터 관내 경로당 42곳에 겨울철 난방비를 추가로 지원한다고 3일 밝혔다. "
        "군은 이번 지원으로 어르신들이 한파 속에서도 따뜻하게 겨울을 날 수 있을 것으로 기대했다.")
SECOND = "지원금은 경로당 한 곳당 30만원이며 읍면 행정복지센터를 통해 이달 안에 지급될 예정이다."


def _html(body: bytes | str, **page: object) -> object:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return extract(RawPage(body=data, **page))  # type: ignore[arg-type]


COMMENT_FORM = """<div id="comment"><h4>댓글 쓰기</h4><form action="/bbs/write_comment.php" method="post">
<input type="text" name="wr_name" placeholder="이름"><input type="password" name="wr_password" placeholder="비밀번호">
<textarea name="wr_content">댓글 내용을 입력해 주세요.</textarea><button>등록</button></form></div>"""


def test_cp949_table_layout_with_a_comment_password_is_an_article():
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">
    <title>진안군, 경로당 난방비 추가 지원 - 진안새소식</title></head><body>
    <table width="960"><tr><td class="menu"><a href="/">홈</a> <a href="/list.php">지역</a></td></tr>
    <tr><td><table><tr><td class="view_title">진안군, 경로당 난방비 추가 지원</td></tr>
    <tr><td class="view_date">등록일 2024-12-03 10:20</td></tr>
    <tr><td class="view_text">{LEAD}<br><br>{SECOND}</td></tr></table></td></tr></table>
    {COMMENT_FORM}</body></html>"""
    article = _html(page.encode("cp949"))
    assert article.encoding == "cp949"
    assert article.page_kind == "article", article.skip_reason
    assert "난방비를 추가로 지원한다고" in article.body and "비밀번호" not in article.body


def test_short_board_post_with_a_comment_form_is_an_article():
    page = f"""<html lang="ko"><head><title>공지 | 무주군 소식</title></head><body>
    <div id="bo_v_title"><span class="bo_v_tit">무주군, 겨울철 경로당 난방비 지원</span></div>
    <section id="bo_v_info">작성자 관리자 작성일 24-12-03 10:20 조회 120</section>
    <div id="bo_v_con"><p>{LEAD}</p></div>{COMMENT_FORM}</body></html>"""
    article = _html(page, url="https://example.kr/bbs/board.php?bo_table=news&wr_id=77")
    assert article.page_kind == "article", article.skip_reason
    assert article.title == "무주군, 겨울철 경로당 난방비 지원"
    assert "경로당 42곳" in article.body


def test_a_login_wall_without_prose_is_still_a_login_wall():
    page = """<html lang="ko"><body><div class="login"><h2>회원 로그인</h2><p>로그인이 필요합니다</p>
    <form><input type="text" name="id"><input type="password" name="pw"><button>로그인</button></form>
    </div></body></html>"""
    article = _html(page)
    assert article.page_kind == "login"
    assert "login" in (article.skip_reason or "") or "로그인" in (article.skip_reason or "")


def test_profile_without_a_body_falls_back_to_the_generic_paths():
    # the board family's marker matches, but this site keeps its text in a container no profile names
    page = f"""<html lang="ko"><head><title>보도자료 상세</title></head><body>
    <div class="board_view"><h3 class="title">진안군, 경로당 난방비 추가 지원</h3>
    <div class="view_info">등록일 2024-12-03</div></div>
    <div class="press_substance"><p>{LEAD}</p><p>{SECOND}</p></div>
    <div class="footer">진안군청 주소 전북 진안군 진안읍 전화 063-000-0000</div></body></html>"""
    article = _html(page)
    assert article.page_kind == "article", article.skip_reason
    assert "추가로 지원한다고" in article.body and SECOND in article.body
    assert any(note.startswith("fallback-from:") or note == "generic" for note in article.notes)


def test_one_line_story_with_its_copyright_glued_on_is_an_article():
    text = "지역 소식\n" + LEAD + " ⓒ 진안새소식 무단전재 및 재배포 금지\n많이 본 뉴스\n"
    article = extract_text_dump(text)
    assert article.page_kind == "article"
    assert article.body == LEAD


def test_short_one_line_story_is_not_empty():
    article = extract_text_dump("무주군은 내년 1월부터 경로당 난방비를 늘린다고 밝혔다.저작권자 © 무주신문\n")
    assert article.page_kind == "article"
    assert article.body == "무주군은 내년 1월부터 경로당 난방비를 늘린다고 밝혔다."


def test_text_dump_without_headline_and_with_a_credit_glued_on():
    line = LEAD + " " + SECOND + " <자료제공:진안군청>"
    article = extract_text_dump(line + "\n진안새소식 다른 기사 보기\n")
    assert article.page_kind == "article"
    assert article.body.endswith("예정이다.") and "자료제공" not in article.body


def test_cut_off_excerpt_without_headline_is_an_article():
    article = extract_text_dump(LEAD + " 지원금은 경로당 한 곳당 30만원이며 읍면 행정복지센터를 통해..\n")
    assert article.page_kind == "article" and article.body.startswith("진안군은")


def test_a_ten_megabyte_one_line_article_is_read():
    # libxml2 drops a text node over 10 MB unless asked not to
    sentence = "진안군은 경로당 난방비를 추가로 지원한다고 밝혔다. "
    page = "<html lang='ko'><body><div><p>" + sentence * 190_000 + "</p></div></body></html>"
    assert len(page.encode("utf-8")) > 10_000_000
    article = _html(page)
    assert article.page_kind == "article"
    assert len(article.body) > 0.9 * len(sentence) * 190_000


def test_a_page_of_200k_nested_tags_is_read():
    page = ("<html><head><title>진안군, 경로당 난방비 추가 지원</title></head><body>" + "<div>" * 200_000
            + f"<p>{LEAD}</p><p>{SECOND}</p>" + "</div>" * 200_000 + "</body></html>")
    article = _html(page)
    assert article.page_kind == "article", article.skip_reason
    assert "추가로 지원한다고" in article.body and SECOND in article.body


def test_a_listing_is_skipped_with_its_reason_and_text_length():
    items = "".join(f'<li><a href="/news/articleView.html?idxno={n}">진안군 소식 {n}번째 기사 제목</a></li>'
                    for n in range(40))
    article = _html(f"<html lang='ko'><body><ul class='list'>{items}</ul></body></html>")
    assert article.page_kind == "listing"
    assert article.skip_reason and "link" in article.skip_reason
    assert article.text_chars > 400 and not article.looks_like_article


@pytest.fixture()
def skipped_db(tmp_path):
    from warehouse.load import BatchResult, load_batch
    from warehouse.schema import connect

    listing = RawPage(body=b"<html><body>" + b"<a href='/a'>x</a>" * 40 + b"</body></html>", source_path="list.html")
    login = RawPage(body=b"<html>login</html>", source_path="board.html")
    skipped = (
        (listing, _html(listing.body.decode())),
        # a page some rule got wrong: a login verdict on a page full of prose
        (login, extract_text_dump("x").__class__(paragraphs=(), page_kind="login", skip_reason="a password field",
                                                 text_chars=900, prose_chars=700)),
    )
    path = tmp_path / "skips.duckdb"
    con = connect(path)
    load_batch(con, "run-1", BatchResult((listing, login), (), skipped, ()))
    con.close()
    return path


def test_skipped_pages_keep_reason_and_lengths(skipped_db):
    from warehouse.schema import connect_read_only

    con = connect_read_only(skipped_db)
    rows = con.execute("SELECT source, page_kind, reason, text_chars, prose_chars, likely_article "
                       "FROM skipped_pages ORDER BY source").fetchall()
    con.close()
    assert rows[0] == ("board.html", "login", "a password field", 900, 700, True)
    assert rows[1][0] == "list.html" and rows[1][1] == "listing" and "links" in rows[1][2]
    assert rows[1][3] > 0 and rows[1][5] is False


def test_cli_lists_skipped_pages_that_look_like_articles(skipped_db):
    from pipelines.cli import app

    result = CliRunner().invoke(app, ["skipped", "--likely-articles", "--db", str(skipped_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["source"] for row in rows] == ["board.html"]
    every = json.loads(CliRunner().invoke(app, ["skipped", "--db", str(skipped_db), "--format", "json"]).stdout)
    assert {row["source"] for row in every} == {"board.html", "list.html"}


def test_a_text_dump_without_prose_is_empty_with_its_reason_and_length():
    article = extract_text_dump("메뉴\n로그인\n회원가입\n전체기사\n지역\n")
    assert article.page_kind == "empty"
    assert article.skip_reason and "no prose" in article.skip_reason
    assert article.text_chars == len("메뉴로그인회원가입전체기사지역") and article.prose_chars == 0


def test_error_pages_and_listings_are_not_flagged_as_likely_articles():
    from tests.conftest import SAMPLES

    for name in ("g1_section_list", "g2_notfound"):
        article = _html((SAMPLES / "html" / f"{name}.html").read_bytes())
        assert article.page_kind in {"listing", "error"} and not article.looks_like_article, name


def test_mobile_html_page_takes_its_own_time_not_a_ranking_items():
    rankings = "".join(f"<li><a href='/m/{n}'>이웃 군 소식 {n}</a><span>입력 2025-01-0{n} 09:00</span>"
                       f"<p>이웃 군은 새 사업을 시작했다고 밝혔다.</p></li>" for n in range(1, 4))
    page = f"""<html lang="ko"><body><div class="m_rank"><h3>많이 본 뉴스</h3><ul>{rankings}</ul></div>
    <div class="m_article"><h2 class="m_title">진안군, 경로당 난방비 추가 지원</h2><p class="m_info">입력 2024-12-03 10:20</p>
    <div class="m_text"><p>{LEAD}</p><p>{SECOND}</p></div></div></body></html>"""
    article = _html(page)
    assert article.published_at is not None and article.published_at.isoformat() == "2024-12-03T10:20:00+09:00"
    assert "추가로 지원한다고" in article.body


def test_a_short_story_a_profile_found_is_kept_over_a_sidebar_with_more_prose():
    teasers = "".join(f"<li><p>이웃 군은 {n}번째 농촌 체험 행사를 열어 방문객 수백 명이 다녀갔다고 밝혔다. "
                      f"행사는 주말마다 이어질 예정이다.</p></li>" for n in range(6))
    page = f"""<html lang="ko"><body><h3 class="heading">진안군, 경로당 난방비 추가 지원</h3>
    <ul class="infomation"><li>입력 2024-12-03 10:20</li></ul>
    <div id="article-view-content-div"><p>{LEAD}</p></div>
    <div class="side"><h4>지역 소식</h4><ul>{teasers}</ul></div></body></html>"""
    article = _html(page, url="https://example.kr/news/articleView.html?idxno=77")
    assert article.body == LEAD
    assert article.notes[0].startswith("profile:ndsoft")
