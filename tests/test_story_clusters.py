"""One press release printed by two outlets is one story: near-duplicate articles share a cluster,
different releases of the same agency do not, and cluster ids survive loading again.

The pages are our own: one 강릉시 release dressed by two outlets' CMSs (different headers, leads,
bylines, photo captions and copyright lines), and a second, unrelated 강릉시 release in the first
outlet's chrome."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines.runs import ingest_run
from warehouse import stories

RELEASE = [
    "시는 오는 3월부터 11월까지 관내 보건지소와 건강생활지원센터 7곳에서 만 65세 이상 어르신을 대상으로 "
    "‘찾아가는 치매·우울 통합검진’을 실시한다고 밝혔다.",
    "검진은 인지 선별검사와 노인 우울 척도 검사, 혈압·혈당 측정으로 구성되며 한 사람당 30분가량 걸린다. "
    "검사 결과 인지 저하가 의심되는 어르신은 강릉시치매안심센터로 연계돼 정밀검진과 감별검사를 무료로 받을 수 있다.",
    "시는 올해 검진 인원을 지난해보다 800명 늘어난 4천200명으로 잡고, 교통이 불편한 주문진읍과 옥계면, "
    "왕산면에는 검진 버스를 보내 마을회관에서 검사를 진행하기로 했다.",
    "또 홀로 사는 어르신 가운데 우울 위험군으로 분류된 주민에게는 정신건강복지센터 상담사가 6개월 동안 "
    "한 달에 두 번 전화와 방문으로 안부를 살피는 마음돌봄 서비스를 제공한다.",
    "검진을 원하는 어르신은 가까운 보건지소나 읍·면·동 행정복지센터에 신분증을 지참해 신청하면 된다.",
    "시 보건소 관계자는 “치매와 노인 우울은 일찍 발견할수록 진행을 늦출 수 있다”며 “검진 버스가 가는 "
    "날짜를 마을 방송으로 미리 알리겠다”고 말했다.",
]
OTHER_RELEASE = [
    "강릉시가 청년 1인 가구의 주거비 부담을 덜기 위해 월세를 최대 12개월 동안 매달 20만 원씩 지원한다.",
    "시에 따르면 지원 대상은 부모와 따로 사는 19세부터 39세까지 무주택 청년으로, 임차보증금 5천만 원 이하, "
    "월세 60만 원 이하 주택에 살아야 한다.",
    "신청은 다음 달 2일부터 30일까지 복지로 누리집이나 주소지 행정복지센터에서 받으며, 소득과 재산 기준을 "
    "확인한 뒤 5월 중 대상자를 확정한다.",
    "시는 지난해 이 사업으로 청년 640명에게 모두 11억 원을 지원했으며, 올해는 예산을 14억 원으로 늘렸다.",
    "시 관계자는 “일자리를 찾아 지역에 머무는 청년이 늘 수 있도록 주거 지원을 이어가겠다”고 밝혔다.",
]

NDSOFT = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{title} - 동해안일보</title>
<meta property="og:url" content="https://www.donghaeanilbo.example/news/articleView.html?idxno={idxno}">
<meta property="article:published_time" content="{published}"></head><body>
<header><nav><a href="/">홈</a> <a href="/news/articleList.html?sc_section_code=S1N1">정치</a>
<a href="/news/articleList.html?sc_section_code=S1N2">사회</a> <a href="/member/login.html">로그인</a></nav></header>
<section class="article-view-header"><h3 class="heading">{title}</h3>
<ul class="infomation"><li>김도윤 기자</li><li>입력 {stamp}</li></ul></section>
<article id="article-view-content-div" class="article-veiw-body">
<figure><img src="/news/photo/{idxno}.jpg"><figcaption>강릉시청 전경. (사진=동해안일보 DB)</figcaption></figure>
{paragraphs}
<p>김도윤 기자 doyun@donghaeanilbo.example</p></article>
<div class="copyright">저작권자 © 동해안일보 무단전재 및 재배포 금지</div>
<aside><h4>많이 본 뉴스</h4><ol><li><a href="/news/articleView.html?idxno=1">동해선 개통 앞두고 역세권 개발 속도</a></li>
<li><a href="/news/articleView.html?idxno=2">경포 벚꽃축제 교통 통제 안내</a></li></ol></aside></body></html>"""

NEWS_BODY_AREA = """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{title} :: 영동타임즈</title>
<meta property="og:url" content="https://yeongdongtimes.example/news/view.php?no={idxno}">
<meta property="article:published_time" content="{published}"></head><body>
<div id="top_menu"><a href="/">영동타임즈</a> | <a href="/news/list.php?part=local">지역</a> | <a href="/rss">RSS</a></div>
<div class="art_top"><h2>{title}</h2><p class="date">기사입력 {stamp} | 최종수정 {stamp}</p></div>
<div id="news_body_area">
<p>▲ 지난해 검진 버스에서 어르신이 인지 선별검사를 받고 있다. /강릉시 제공</p>
{paragraphs}
<p>[영동타임즈=이서연 기자]</p></div>
<div class="relation"><b>관련기사</b><ul><li>강릉 주문진 수산시장 새 단장</li><li>영동권 미세먼지 주의보</li></ul></div>
<div id="footer">Copyright ⓒ 영동타임즈 All rights reserved. 기사제보 news@yeongdongtimes.example</div></body></html>"""


def _html(template: str, title: str, lead: str, paragraphs: list[str], idxno: int, published: str) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in [lead, *paragraphs])
    stamp = published[:16].replace("T", " ")
    return template.format(title=title, paragraphs=body, idxno=idxno, published=published, stamp=stamp).encode()


def write_pages(folder: Path) -> dict[str, Path]:
    """The release as two outlets printed it, and another release of the same city hall."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {
        # outlet A rewrites the lead and drops the last quote
        "a": _html(NDSOFT, "강릉시, 어르신 치매·우울 통합검진…검진 버스 마을로 간다",
                   "강릉시가 어르신들의 치매와 우울을 조기에 찾아내기 위해 검진 버스를 읍·면 마을회관까지 보낸다.",
                   ["강릉" + RELEASE[0], *RELEASE[1:5]], 48213, "2025-02-18T14:37:00+09:00"),
        # outlet B keeps the agency's own lead, its own caption, byline and footer
        "b": _html(NEWS_BODY_AREA, "강릉시 ‘찾아가는 치매·우울 통합검진’ 3월 시작",
                   "강원 강릉" + RELEASE[0], RELEASE[1:], 7731, "2025-02-19T09:10:00+09:00"),
        # the same city hall and outlet A's chrome, another release
        "other": _html(NDSOFT, "강릉시, 청년 월세 최대 12개월 지원", OTHER_RELEASE[0], OTHER_RELEASE[1:], 48240,
                       "2025-02-20T10:05:00+09:00"),
    }
    paths = {}
    for name, page in pages.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_bytes(page)
    return paths


def clusters(db: Path) -> dict[str, tuple[str, str]]:
    """source file name → (article_id, cluster_id)."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT a.source_path, a.article_id, c.cluster_id FROM articles a "
                           "JOIN story_clusters c USING (article_id)").fetchall()
    return {Path(path).stem: (article_id, cluster_id) for path, article_id, cluster_id in rows}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    return write_pages(tmp_path_factory.mktemp("reprints"))


def test_reprints_in_different_chrome_share_a_cluster_and_other_releases_do_not(pages, tmp_path):
    db = tmp_path / "stories.duckdb"
    summary = ingest_run([str(pages["a"]), str(pages["b"]), str(pages["other"])], str(db))
    assert summary.articles == 3, summary
    found = clusters(db)
    assert found["a"][1] == found["b"][1], "two printings of one release are one story"
    assert found["other"][1] not in {found["a"][1], found["b"][1]}, "another release of the same city hall"
    assert found["a"][1] == found["a"][0]  # the first published founded the cluster, under its own id
    with duckdb.connect(str(db), read_only=True) as con:
        story = con.execute("SELECT articles, outlet_count, title FROM stories WHERE cluster_id = ?",
                            [found["a"][1]]).fetchall()
        counts = con.execute("SELECT stories, pages FROM agency_stories WHERE agency = '강릉시'").fetchall()
        run = stories.run_counts(con, summary.run_id)
    assert story[0][:2] == (2, 2) and "검진" in story[0][2]
    assert counts == [(2, 3)]  # three pages, two events
    assert (run.new, run.copies, run.updated) == (2, 1, 0)


def test_every_article_is_in_exactly_one_cluster(pages, tmp_path):
    db = tmp_path / "stories.duckdb"
    ingest_run([str(p) for p in pages.values()], str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        articles, clustered, distinct = con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_clusters), "
            "(SELECT count(DISTINCT article_id) FROM story_clusters)").fetchall()[0]
        orphans = con.execute("SELECT count(*) FROM story_clusters c ANTI JOIN articles a USING (article_id)"
                              ).fetchall()[0][0]
    assert articles == clustered == distinct == 3 and orphans == 0


def test_loading_again_keeps_cluster_ids_and_a_later_reprint_joins(pages, tmp_path):
    db = tmp_path / "stories.duckdb"
    ingest_run([str(pages["b"]), str(pages["other"])], str(db))
    before = clusters(db)
    again = ingest_run([str(pages["other"]), str(pages["b"])], str(db))  # the same pages, another order
    assert clusters(db) == before
    later = ingest_run([str(pages["a"])], str(db))  # printed a day earlier, loaded a run later
    after = clusters(db)
    assert after["a"][1] == before["b"][1], "a new article joins the story already loaded"
    assert {k: v for k, v in after.items() if k != "a"} == before
    with duckdb.connect(str(db), read_only=True) as con:
        assert stories.run_counts(con, later.run_id).copies == 1
        assert stories.run_counts(con, again.run_id).new == 0


def test_a_changed_body_is_clustered_again(tmp_path):
    pages = write_pages(tmp_path / "pages")
    db = tmp_path / "stories.duckdb"
    ingest_run([str(pages["a"]), str(pages["other"])], str(db))
    before = clusters(db)
    # outlet A's page replaced, at the same address, by the other release's text: it leaves its story
    changed = pages["a"]
    changed.write_bytes(_html(NDSOFT, "강릉시, 청년 월세 지원 신청 받아", "강릉" + OTHER_RELEASE[0][3:],
                              OTHER_RELEASE[1:], 48213, "2025-02-18T14:37:00+09:00"))
    run = ingest_run([str(changed)], str(db))
    after = clusters(db)
    assert after["a"][0] == before["a"][0]
    assert after["a"][1] == before["other"][1]
    with duckdb.connect(str(db), read_only=True) as con:
        assert stories.run_counts(con, run.run_id).updated == 1


def test_signatures_tell_reprints_from_other_releases():
    a = "\n".join(["강릉시가 어르신 검진 버스를 보낸다.", "강릉" + RELEASE[0], *RELEASE[1:5], "<저작권자 © 동해안일보>"])
    b = "\n".join(["▲ 검진 모습 /강릉시 제공", "강원 강릉" + RELEASE[0], *RELEASE[1:], "[영동타임즈=이서연 기자]"])
    other = "\n".join(["강릉시가 어르신 검진 버스를 보낸다.", *OTHER_RELEASE, "<저작권자 © 동해안일보>"])
    assert stories.jaccard(stories.shingles(a), stories.shingles(b)) >= stories.THRESHOLD
    assert stories.jaccard(stories.shingles(a), stories.shingles(other)) < 0.1
    assert stories.estimated_similarity(stories.signature(a), stories.signature(b)) >= stories.THRESHOLD
    assert set(stories.band_keys(stories.signature(a))) & set(stories.band_keys(stories.signature(b)))
    assert stories.normalise("1인 가구·청년") == stories.normalise("1인가구 청년")


def test_articles_loaded_before_clusters_and_codes_existed_get_them_at_the_next_load(tmp_path):
    """An upgraded database: its articles have no cluster and its agencies no code until a run
    loads something; then the old articles are clustered first (a later reprint joins them)."""
    pages = write_pages(tmp_path / "pages")
    db = tmp_path / "stories.duckdb"
    first = ingest_run([str(pages["b"]), str(pages["other"])], str(db))
    with duckdb.connect(str(db)) as con:  # as the rows were before migrations 011 and 012
        for table in ("story_clusters", "story_signatures", "story_bands"):
            con.execute(f"DELETE FROM {table}")
        con.execute("UPDATE article_agencies SET sido = NULL, sigungu = NULL, region_code = NULL")
        con.execute("UPDATE program_facts SET sido = NULL, sigungu = NULL, region_code = NULL")
    ingest_run([str(pages["a"])], str(db))
    found = clusters(db)
    assert set(found) == {"a", "b", "other"}
    assert found["a"][1] == found["b"][1] == found["b"][0]  # b, loaded first, founded the story
    with duckdb.connect(str(db), read_only=True) as con:
        placed = con.execute("SELECT count(*) FILTER (WHERE region IS NOT NULL), count(region_code) "
                             "FROM article_agencies").fetchall()[0]
        facts = con.execute("SELECT count(*) FILTER (WHERE region IS NOT NULL), count(region_code) "
                            "FROM program_facts").fetchall()[0]
        gangneung = con.execute("SELECT region_code FROM agencies WHERE name = '강릉시'").fetchall()
        first_runs = con.execute("SELECT DISTINCT first_run_id FROM story_clusters c JOIN articles a USING "
                                 "(article_id) WHERE a.source_path NOT LIKE '%a.html'").fetchall()
    assert placed[0] == placed[1] > 0 and facts[0] == facts[1] > 0
    assert gangneung == [("51150",)]
    assert first_runs == [(first.run_id,)]  # as of the run that loaded them


def test_bodies_too_short_to_compare_stay_alone(tmp_path):
    from warehouse import connect

    con = connect(tmp_path / "short.duckdb")
    caption = "▲ 강릉시청 전경. (사진=강릉시 제공)"
    long_body = "\n".join(RELEASE)
    for article_id, body in (("p1", caption), ("p2", caption), ("r1", long_body), ("r2", long_body + "\n끝.")):
        con.execute("INSERT INTO articles (article_id, body, extractor_version, analyser_version, loaded_at) "
                    "VALUES (?, ?, 'x', 'x', now())", [article_id, body])
    found = {a.article_id: a.cluster_id for a in stories.assign(
        con, "run-1", [("p1", caption, None), ("p2", caption, None), ("r1", long_body, None),
                       ("r2", long_body + "\n끝.", None)])}
    con.close()
    assert found == {"p1": "p1", "p2": "p2", "r1": "r1", "r2": "r1"}
