"""Local-government press-release boards (보도자료, 고시공고, board views, table boards, JSP report
boards): one profile family. Our own pages in their layouts; the real ones are scored from shared/."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from extractors import RawPage, extract
from tests.conftest import SHARED, require

LEAD = "가람군은 오는 20일부터 관내 경로당 35곳에 겨울철 난방유를 추가로 지원한다고 9일 밝혔다."
SECOND = "군은 한파가 길어질 것으로 보고 경로당 한 곳당 난방유 200리터를 읍면을 통해 전달할 계획이다."
THIRD = "가람군 관계자는 “어르신들이 따뜻한 겨울을 보내도록 꼼꼼히 살피겠다”고 말했다."
TITLE = "가람군, 경로당 35곳에 겨울철 난방유 추가 지원"
HEAD = f"""<html lang="ko"><head><title>{TITLE} &lt; 보도자료 &lt; 군정소식 - 가람군청</title>
<meta name="keywords" content="가람군청, 가람군, 가람, Garam-gun"><meta property="og:url" content="http://www.garam.go.kr/www">
<meta property="og:title" content="{TITLE}, 가람군, 가람, Garam-gun">
<style>.view_box p {{ margin-bottom:-20px; color:#333 }}</style></head><body>
<!-- 헤더 영역 --><div id="header"><h1><a href="/">행복한 군민 희망찬 가람</a></h1>
<ul class="gnb"><li><a href="/www/news">군정소식</a></li><li><a href="/www/report">보도자료</a></li></ul></div>
<!-- //헤더 영역 -->"""
FOOT = """<!-- 푸터 영역 --><div id="footer">가람군청 주소 가람로 1 대표전화 061-000-0000</div></body></html>"""


def _extract(page: str, url: str | None = None):
    return extract(RawPage(body=page.encode("utf-8"), url=url))


YBMODULE = HEAD + f"""<div id="board_basic_view"><div class="view_title"><p class="title">{TITLE}</p>
<ul class="info"><li><span class="tit">등록일</span><span class="sub">2025.12.09 10:30</span></li>
<li><span class="tit">조회수</span><span class="sub">15</span></li></ul></div>
<div class="view_box"><img src="/files/1.jpg" alt="{TITLE}"></div>
<div class="view_box"><p>한파 대비 경로당 난방유 200리터씩 지원<br><br>{LEAD}<br><br>{SECOND}<br><br>{THIRD}<br><br>
사진 설명)<br>가람군 관계자들이 경로당을 찾아 난방 상태를 점검하고 있다.<br>(사진 제공-가람군)</p></div>
<div class="view_box file_area"><span>첨부파일</span><a href="/file_download/1">난방유 지원.hwp</a></div>
</div>""" + FOOT

MODULE_VIEW = HEAD + f"""<div class="module_view_box"><div class="view_titlebox"><h3>{TITLE}</h3>
<dl><dt class="text_hidden">날짜</dt><dd>2025.12.09 </dd><dt>조회수</dt><dd>28</dd></dl></div>
<div class="contbox"><div class="viewbox"><div class="image_viewbox"><img src="/a.jpg" alt="사진"></div>
<div class="text_viewbox"><br>{LEAD}<br><br>{SECOND}<br><br>{THIRD}<br><br>
(복지과장 김가람, 노인복지팀장 이보람 061-000-4730)<br></div></div></div></div>""" + FOOT

TABLE_BOARD = HEAD.replace(f"<title>{TITLE} &lt;", "<title> 보도자료/해명 &lt;").replace(
    f'<meta property="og:title" content="{TITLE}, 가람군, 가람, Garam-gun">', "") + f"""
<table class="show_form"><caption>글 내용보기</caption><tbody>
<tr><th scope="row"><label>번호</label></th><td><span>13849</span></td>
<th scope="row"><label>등록일</label></th><td><span>2025-12-09 17:44:00</span></td></tr>
<tr><th scope="row"><label>제목</label></th><td colspan="3"><span>{TITLE}</span></td></tr>
<tr><th scope="row"><label>내용</label></th><td colspan="3" class="content">
<div class="img_control"><img src="/a.jpg" alt="사진 1"></div><!--// 사진이 썸네일로 보여집니다. //-->
<span>{LEAD}<br><br>{SECOND}<br><br>{THIRD}<br><br>자료제공: 노인복지과 노인복지팀 (061-000-8940)</span></td></tr>
<tr><th scope="row"><label>파일1</label></th><td><a href="/file/1.hwp">보도자료.hwp</a></td></tr>
</tbody></table>""" + FOOT

REPORT_BOARD = HEAD.replace(f'content="{TITLE}, 가람군, 가람, Garam-gun"', 'content="가람군청, 가람군, 가람, Garam-gun"'
                            ).replace(f"<title>{TITLE} &lt;", f"<title>{TITLE} | 보도자료&gt;군정소식&gt;") + f"""
<div class="report_view"><div class="reportview_cont"><div class="subject"> {TITLE} </div>
<div class="classify_list"><dl><dt><span>부서명</span></dt><dd>노인복지과</dd></dl></div>
<div class="classify_list"><dl><dt><span>작성자</span></dt><dd> 김가람 </dd><dt><span>작성일</span></dt>
<dd>2025-12-09 14:11:54</dd></dl></div></div>
<div class="cont_view"><!--div class="view_title"> {TITLE} </div-->
<div class="view_titlesub"> - 한파 대비 경로당 난방유 200리터씩 지원 - </div>
{LEAD} <br><br>{SECOND} <br><br>{THIRD} &lt;끝&gt;<br><br>※ 별첨 : 사진</div></div>
<div class="kogl">본 저작물은 "공공누리" 제1유형:출처표시 조건에 따라 이용할 수 있습니다.</div>""" + FOOT

BODY = "\n".join([LEAD, SECOND, THIRD])


@pytest.mark.parametrize("page", [YBMODULE, MODULE_VIEW, TABLE_BOARD, REPORT_BOARD],
                         ids=["ybmodule", "module_view", "table_board", "report_board"])
def test_board_layouts_give_title_date_and_only_the_release(page):
    article = _extract(page)
    assert article.page_kind == "article", article.skip_reason
    assert article.title == TITLE
    assert article.published_at is not None and article.published_at.date().isoformat() == "2025-12-09"
    assert article.body == BODY
    assert article.canonical_url is None  # og:url names the site root
    assert any(note.startswith("profile:") for note in article.notes)


def test_board_profiles_are_one_family():
    from extractors.profiles import load_profiles

    family = {p.name for p in load_profiles() if p.family == "government_board"}
    assert {"ybmodule_board", "table_board", "report_board", "government_board"} <= family


def test_comments_styles_scripts_and_templates_never_reach_text():
    page = HEAD + f"""<div class="board_view"><div class="board_view_head"><h4>{TITLE}</h4></div>
    <div class="board_view_info"><span>작성일 : 2025-12-09 17:09</span></div>
    <div class="board_view_body"><!-- 본문 영역 --><style>.x{{font-size:14px}}</style>
    <script>var 조회수 = "증가"; document.write("광고 영역입니다.");</script>
    <template><p>템플릿 안의 문장은 화면에 보이지 않는다고 밝혔다.</p></template>
    <noscript>자바스크립트를 켜 주세요.</noscript><p>{LEAD}</p><p>{SECOND}</p><p>{THIRD}</p>
    <!-- <div style="margin-bottom:-20px"><img src="/event.jpg" alt="이벤트가 종료됩니다."></div> --></div>
    </div>""" + FOOT
    article = _extract(page)
    assert article.body == BODY
    assert article.published_at is not None and article.published_at.hour == 17
    for stray in ("영역", "font-size", "margin", "조회수", "템플릿", "자바스크립트", "이벤트"):
        assert stray not in article.body


def test_title_ignores_keywords_and_slogans():
    article = _extract(YBMODULE.replace(f'<p class="title">{TITLE}</p>', ""))
    assert article.title == TITLE  # og:title without the keywords glued on, not the h1 slogan
    only_keywords = YBMODULE.replace(f'<p class="title">{TITLE}</p>', "").replace(
        f'content="{TITLE}, 가람군, 가람, Garam-gun"', 'content="가람군청, 가람군, 가람, Garam-gun"')
    assert _extract(only_keywords).title == TITLE  # from <title>, cut at its breadcrumb


def test_board_view_url_is_the_article_address():
    article = _extract(YBMODULE.replace('content="http://www.garam.go.kr/www"',
                                        'content="http://www.garam.go.kr/www/report/view?idx=5512"'))
    assert article.canonical_url == "http://www.garam.go.kr/www/report/view?idx=5512"


def test_sources_list_the_government_boards_as_listings():
    from pipelines.sources import load_sources
    from tests.conftest import ROOT

    boards = [s for s in load_sources(ROOT / "sources.toml") if s.cms in {"ybmodule_board", "table_board", "report_board",
                                                     "government_board"}]
    assert len(boards) >= 5
    assert all(s.listings for s in boards)


def _f1(predicted: str, gold: str) -> float:
    p, g = predicted.split(), gold.split()
    overlap = sum((Counter(p) & Counter(g)).values())
    return 2 * overlap / (len(p) + len(g)) if overlap else 0.0


def test_real_boards_in_shared_are_read_whole():
    """../shared/eval/real_html: no page dropped, body F1 ≥ 0.90 on average, titles right."""
    folder = require(SHARED / "eval" / "real_html")
    scores, titles = [], []
    for path in sorted(folder.glob("*.html")):
        gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        article = extract(RawPage(body=path.read_bytes(), source_path=str(path)))
        assert article.page_kind == "article", (path.name, article.skip_reason)
        scores.append(_f1(article.body, gold["body"]))
        titles.append(article.title == gold["title"])
    assert sum(scores) / len(scores) >= 0.95
    assert all(titles)


def test_an_unknown_board_layout_is_read_by_the_generic_path_without_its_menus():
    """No profile knows this site: menus print slogans that read like prose and many links."""
    menu = "".join(f'<li><a href="/www/sub{n}">메뉴 {n}</a><p>편리하고 신속한 민원서비스를 제공하겠습니다.</p></li>'
                   for n in range(30))
    page = f"""<html lang="ko"><head><title>{TITLE} &gt; 보도자료</title></head><body><div class="sub wrap">
    <div id="gnb"><ul>{menu}</ul></div><div class="lnb_area"><a href="/a">보도자료</a><a href="/b">고시공고</a></div>
    <div class="press_area"><div class="press_head"><strong>{TITLE}</strong><em>등록일 2025-12-09</em></div>
    <div class="press_text">{LEAD}<br><br>{SECOND}<br><br>{THIRD}</div></div>
    <div class="footer_area">가람군청 주소 가람로 1 대표전화 061-000-0000 이 누리집은 대한민국 공식 전자정부 누리집입니다.</div>
    </div></body></html>"""
    article = _extract(page)
    assert article.page_kind == "article", article.skip_reason
    assert article.body == BODY
    assert article.title == TITLE  # '> 보도자료' is the board's name
    assert article.published_at is not None and article.published_at.day == 9


def test_a_notice_of_labelled_items_is_read_from_its_first_item():
    """고시공고 and 보건소 notices: no sentence at all, only 'label: value' items."""
    items = ["접종대상: 만 65세 이상 가람군민(1960.12.31. 이전 출생자)", "* 주민등록상 생년월일 기준",
             "접종기간: 2025.10.15.~2025.12.31.", "접종장소: 가람군보건소 및 지정 의료기관(주소지 관계 없음)",
             "준비물: 신분증"]
    page = HEAD + f"""<div class="board_view"><div class="board_view_head"><h4>2025년 어르신 독감 무료접종 안내</h4></div>
    <div class="board_view_info"><span>작성일 : 2025-10-01 09:00</span></div>
    <div class="board_view_body"><p>- 2025-10-01 09:00</p><p>-</p><p>- 조회수 : 86.</p>
    {''.join(f'<p>{item}</p>' for item in items)}</div></div>""" + FOOT
    article = _extract(page)
    assert article.page_kind == "article", article.skip_reason
    assert list(article.paragraphs) == items


def test_a_footer_registration_date_is_not_the_articles_date():
    page = f"""<html lang="ko"><body><div class="news"><h2>{TITLE}</h2><p class="byline">입력 2025-12-09 10:00</p>
    <div class="text"><p>{LEAD}</p><p>{SECOND}</p><p>{THIRD}</p></div></div>
    <div id="footer"><dl><dt>제호</dt><dd>가람일보</dd><dt>등록번호</dt><dd>전남 아 00123</dd>
    <dt>등록일</dt><dd>2014-08-11</dd></dl></div></body></html>"""
    article = _extract(page)
    assert article.published_at is not None and article.published_at.date().isoformat() == "2025-12-09"
