"""Portal copies of regional stories (Naver, Daum), as HTML: our own pages in their layouts.
Their summary boxes, popups, reaction buttons and subscription prompts never reach the body."""
from __future__ import annotations

from extractors import RawPage, extract

TITLE = "한들군, 청년 농업인 정착지원금 월 100만원 지급"
P1 = "한들군은 올해 청년 농업인 20명에게 정착지원금을 매달 100만원씩 지급한다고 5일 밝혔다."
P2 = "지원 대상은 만 18세 이상 40세 미만으로 영농 경력이 3년 이하인 청년 농업인이다."
P3 = "군 관계자는 “청년들이 농촌에 뿌리내릴 수 있도록 돕겠다”고 말했다."
BODY = "\n".join([P1, P2, P3])

NAVER = f"""<html lang="ko"><head><meta property="og:title" content="{TITLE}">
<meta property="og:url" content="https://n.news.naver.com/article/001/0012345678"></head><body>
<div class="media_end_head"><h2 id="title_area" class="media_end_head_headline"><span>{TITLE}</span></h2>
<div class="media_end_head_info_datestamp"><div class="media_end_head_info_datestamp_bunch"><span>입력</span>
<span class="media_end_head_info_datestamp_time" data-date-time="2025-03-05 10:12:00">2025.03.05. 오전 10:12</span></div>
<div class="media_end_head_info_datestamp_bunch"><span>수정</span><span>2025.03.05. 오전 11:40</span></div></div>
<a href="#">기사원문</a></div>
<div class="media_end_head_autosummary"><a>본문 요약봇</a></div>
<div class="media_end_head_tts"><p>텍스트 음성 변환 서비스 사용하기</p>
<p>이동 통신망을 이용하여 음성을 재생하면 별도의 데이터 통화료가 부과될 수 있습니다.</p></div>
<div class="media_end_head_fontsize"><ul><li>가1단계 작게</li><li>가2단계 보통</li><li>가3단계 크게</li></ul></div>
<div id="newsct_article"><article id="dic_area" class="go_trans _article_content">
<strong class="media_end_summary">청년 농업인 20명 선발<br>월 100만원씩 최대 3년</strong><br><br>
<span class="end_photo_org"><img src="/p.jpg"><em class="img_desc">한들군청 전경. 한들군 제공</em></span><br>
{P1}<br><br>{P2}<br><br>{P3}<br><br>김한들 기자 (handeul@example.kr)</article></div>
<p class="c_text">Copyright ⓒ 한들일보. All rights reserved. 무단 전재 및 재배포, AI 학습 이용 금지.</p>
<div class="media_end_categorize"><p>이 기사는 언론사에서 사회 섹션으로 분류했습니다.</p></div>
<div class="_reactionModule">쏠쏠정보 0 흥미진진 0 공감백배 0</div>
<p>메인에서 바로 보는 언론사 편집 뉴스 지금 바로 구독해보세요!</p></body></html>"""

DAUM = f"""<html lang="ko"><head><meta property="og:title" content="{TITLE}"></head><body>
<div class="head_view"><h3 class="tit_view">{TITLE}</h3><span class="info_view">
<span class="txt_info">김한들 기자</span><span class="txt_info">입력 2025. 3. 5. 10:12</span>
<span class="txt_info">수정 2025. 3. 5. 11:40</span></span></div>
<div class="util_view"><button>음성으로 듣기</button><button>번역 설정</button><button>글씨크기 조절하기</button>
<button>인쇄하기</button></div>
<div class="layer_font"><p>가장 작은 글씨</p><p>가장 큰 글씨</p><p>이 글자크기로 변경됩니다.</p>
<p>(예시) 가장 빠른 뉴스가 있고 다양한 정보, 쌍방향 소통이 숨쉬는 다음뉴스를 만나보세요. 다음뉴스는 국내외 주요이슈와 실시간 속보, 문화생활 및 다양한 분야의 기사를 볼 수 있습니다.</p></div>
<div class="news_view fs_type1"><div class="article_view" data-translation-body="true"><section dmcf-sid="x">
<figure class="figure_frm origin_fig"><p class="link_figure"><img src="/p.jpg"></p><figcaption class="txt_caption">한들군청 전경. 한들군 제공</figcaption></figure>
<p dmcf-ptype="general">{P1}</p><p dmcf-ptype="general">{P2}</p><p dmcf-ptype="general">{P3}</p>
</section></div></div>
<div class="foot_view"><p class="txt_copyright">Copyright © 한들일보. 무단전재 및 재배포 금지.</p></div>
<div class="box_reaction"><p>이 기사에 대해 어떻게 생각하시나요?</p><button>좋아요 3</button><button>응원해요 1</button></div>
</body></html>"""


def test_naver_copy_gives_the_story_without_summary_box_popups_or_prompts():
    article = extract(RawPage(body=NAVER.encode("utf-8"), url="https://n.news.naver.com/article/001/0012345678"))
    assert article.page_kind == "article"
    assert article.title == TITLE
    assert article.body == BODY
    assert article.published_at is not None and article.published_at.isoformat() == "2025-03-05T10:12:00+09:00"
    assert article.notes[0].startswith("profile:naver_news")


def test_daum_copy_gives_the_story_without_font_popup_or_reactions():
    article = extract(RawPage(body=DAUM.encode("utf-8"), url="https://v.daum.net/v/20250305101200123"))
    assert article.page_kind == "article"
    assert article.title == TITLE
    assert article.body == BODY
    assert article.published_at is not None and article.published_at.isoformat() == "2025-03-05T10:12:00+09:00"
    assert article.notes[0].startswith("profile:daum_news")


def test_portal_copies_without_their_profiles_still_give_the_story():
    """The generic path on the same pages: the chrome rules alone keep the popups out."""
    import extractors.html_page as html_page

    original = html_page.match_profile
    html_page.match_profile = lambda url, tree, korean: None
    try:
        for page in (NAVER, DAUM):
            article = extract(RawPage(body=page.encode("utf-8")))
            assert article.page_kind == "article"
            assert P1 in article.body and P3 in article.body
            for stray in ("다음뉴스", "데이터 통화료", "구독해보세요", "어떻게 생각하시나요", "가1단계"):
                assert stray not in article.body
    finally:
        html_page.match_profile = original


def test_a_title_with_the_sites_name_appended_loses_it():
    for suffix in (" | 한들일보", " - 가람뉴스", " :: 한들타임즈"):
        page = f"<html lang='ko'><head><title>{TITLE}{suffix}</title></head><body><div><p>{P1}</p><p>{P2}</p></div></body></html>"
        assert extract(RawPage(body=page.encode("utf-8"))).title == TITLE, suffix
    subtitle = "한들군, 청년 지원 확대 - 월 100만원씩 3년"
    page = f"<html lang='ko'><head><title>{subtitle}</title></head><body><div><p>{P1}</p><p>{P2}</p></div></body></html>"
    assert extract(RawPage(body=page.encode("utf-8"))).title == subtitle  # a headline's own dash stays
