"""Issue 15: what an analyst reaches without the CLI. search_bm25 takes a query string (cut by
Kiwi as the articles were), the views give Seoul dates in any duckdb session, and the Parquet
export holds the fact tables with undated articles in their own partition."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from warehouse import connect_read_only, writing

runner = CliRunner()

PAGE = """<html><head><meta charset="utf-8"><title>{title} - 한빛일보</title>
<meta property="og:site_name" content="한빛일보">
<meta property="og:url" content="https://hanbit.example/news/articleView.html?idxno={number}"></head><body>
<div class="menu">전체기사 정치 경제 사회</div>
<div id="article-view-content-div">
{paragraphs}
<p>저작권자 ⓒ 한빛일보 무단전재 및 재배포 금지</p></div>
{stamp}
</body></html>"""

# our own articles, in the style of regional press copy; the publication times straddle month
# ends so that Seoul time and UTC disagree about the month
ARTICLES = {
    "shelter": ("청주시, 이동노동자 쉼터 문 열어…배달·대리기사 24시간 이용",
                ["[한빛일보=박하늘 기자] 청주시는 배달라이더와 대리운전기사 등 이동노동자를 위한 쉼터를 "
                 "시청 인근에 열었다고 밝혔다.",
                 "쉼터에는 휴게실과 휴대전화 충전기, 정수기가 갖춰져 있으며 누구나 무료로 이용할 수 있다.",
                 "청주시 일자리정책과는 이동노동자 쉼터 이용자 1만 명을 목표로 운영한다."],
                "2026.03.31 23:30"),
    "farm": ("나주시, 청년 스마트팜 창업 지원…10명 선발",
             ["[한빛일보=박하늘 기자] 나주시는 청년 스마트팜 창업 지원사업 참여자 10명을 모집한다고 밝혔다.",
              "선발된 청년에게는 온실 임대료와 재배 교육을 지원한다.",
              "나주시 농업기술센터가 사업을 맡는다."],
             "2026.03.01 00:30"),
    "april": ("고창군, 어르신 일자리 500개 만든다",
              ["[한빛일보=박하늘 기자] 고창군은 어르신 공익활동 일자리 500개를 만든다고 밝혔다.",
               "참여 대상은 고창군에 사는 65세 이상 어르신이다."],
              "2026.04.01 00:30"),
    "undated": ("완주군 도서관, 주말 독서 교실 운영",
                ["[한빛일보=박하늘 기자] 완주군 도서관은 어린이를 위한 주말 독서 교실을 운영한다고 밝혔다.",
                 "독서 교실은 도서관 2층 강의실에서 열린다."],
                None),
}


@pytest.fixture(scope="module")
def analyst_db(tmp_path_factory, kiwi):
    from pipelines.runs import ingest_run

    folder = tmp_path_factory.mktemp("analyst")
    pages = folder / "pages"
    pages.mkdir()
    for number, (name, (title, paragraphs, stamp)) in enumerate(ARTICLES.items(), start=1):
        (pages / f"{name}.html").write_text(PAGE.format(
            title=title, number=number, paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs),
            stamp=f'<ul class="infomation"><li>입력 {stamp}</li></ul>' if stamp else ""), encoding="utf-8")
    db = folder / "analyst.duckdb"
    summary = ingest_run([str(pages)], str(db))
    assert summary.articles == len(ARTICLES), summary
    return db


def _ids(db: Path) -> dict[str, str]:
    """Our article name -> its article_id, found by title."""
    con = connect_read_only(db)
    try:
        titles = dict(con.execute("SELECT title, article_id FROM articles").fetchall())
    finally:
        con.close()
    return {name: titles[title] for name, (title, _, _) in ARTICLES.items()}


# --- search_bm25 with a query string ------------------------------------------------------

def test_the_readme_search_finds_the_article_from_a_string_or_a_list_of_words(analyst_db):
    shelter = _ids(analyst_db)["shelter"]
    con = connect_read_only(analyst_db)
    try:
        found = {}
        for query in ("'이동노동자 쉼터'", "['이동노동자', '쉼터']", "['이동', '노동자', '쉼터']"):
            found[query] = con.execute(f"SELECT article_id, matched_terms FROM search_bm25({query}) "
                                       "JOIN articles USING (article_id) ORDER BY score DESC").fetchall()
        # the index holds morphemes only: the word itself is not a term, so it needed Kiwi to match
        whole = con.execute("SELECT count(*) FROM search_terms WHERE term = '이동노동자'").fetchall()[0][0]
        as_parameter = con.execute("SELECT article_id FROM search_bm25(?)", ["이동노동자 쉼터"]).fetchall()
        nothing = con.execute("SELECT count(*) FROM search_bm25('   ')").fetchall()[0][0]
    finally:
        con.close()
    assert whole == 0
    for query, rows in found.items():
        assert rows and rows[0] == (shelter, 3), query  # 이동, 노동자, 쉼터 all matched, first
        assert len(rows) == 1, query  # no other article speaks of 이동노동자 or 쉼터
    assert as_parameter == [(shelter,)] and nothing == 0


def test_a_plain_duckdb_session_still_searches_with_morphemes(analyst_db):
    shelter = _ids(analyst_db)["shelter"]
    con = duckdb.connect(str(analyst_db), read_only=True)
    try:
        rows = con.execute("SELECT article_id FROM search_bm25(['이동', '노동자', '쉼터'])").fetchall()
    finally:
        con.close()
    assert rows == [(shelter,)]


def test_pressflow_search_uses_the_same_tokenisation(analyst_db):
    import json

    result = runner.invoke(app, ["search", "이동노동자 쉼터", "--db", str(analyst_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["article_id"] for h in hits] == [_ids(analyst_db)["shelter"]]
    assert "이동노동자" in hits[0]["snippet"]


def test_query_morphemes_are_kiwis_and_a_list_keeps_its_words(kiwi):
    from nlp.kiwi_runtime import query_terms
    from warehouse.search import query_morphemes

    assert query_morphemes("이동노동자 쉼터") == query_terms("이동노동자 쉼터")
    assert {"이동", "노동자", "쉼터"} <= set(query_morphemes("이동노동자 쉼터"))
    assert query_morphemes(["노동자", "쉼터를"])[:1] == ["노동자"] and "쉼터" in query_morphemes(["쉼터를"])
    assert query_morphemes(None) == [] and query_morphemes([]) == []


# --- Seoul dates in the views ---------------------------------------------------------------

@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles"])
def test_views_give_seoul_months_whatever_the_session_time_zone(analyst_db, zone):
    ids = _ids(analyst_db)
    con = duckdb.connect(str(analyst_db), read_only=True)  # no pressflow: the session's own zone
    try:
        con.execute(f"SET TimeZone = '{zone}'")
        rows = {row[0]: row[1:] for row in con.execute(
            "SELECT article_id, published_kst::VARCHAR, published_date_kst, published_month_kst FROM articles_kst"
        ).fetchall()}
        utc_month = dict(con.execute("SELECT article_id, date_trunc('month', published_at)::DATE FROM articles"
                                     ).fetchall())
        activity = dict(con.execute("SELECT agency, month FROM agency_activity WHERE agency IN ('나주시', '고창군')"
                                    ).fetchall())
        by_region = con.execute("SELECT DISTINCT month FROM programs_by_region_month ORDER BY 1 NULLS LAST"
                                ).fetchall()
        programmes = con.execute("SELECT DISTINCT article_id, published_date_kst FROM program_targets_goals"
                                 ).fetchall()
    finally:
        con.close()
    march, april = duckdb.sql("SELECT DATE '2026-03-01', DATE '2026-04-01'").fetchall()[0]
    assert rows[ids["shelter"]] == ("2026-03-31 23:30:00", march.replace(day=31), march)
    assert rows[ids["farm"]] == ("2026-03-01 00:30:00", march, march)
    assert rows[ids["april"]] == ("2026-04-01 00:30:00", april, april)
    assert rows[ids["undated"]] == (None, None, None)
    # the raw column in this session disagrees, which is why the columns are there
    assert utc_month[ids["farm"]] != march or utc_month[ids["april"]] != april
    assert activity == {"나주시": march, "고창군": april}
    assert all(month in ((march,), (april,), (None,)) for month in by_region)
    assert (ids["farm"], march) in programmes


def test_the_cli_and_the_views_agree_on_months(analyst_db):
    import json

    result = runner.invoke(app, ["query", "SELECT article_id, strftime(published_at, '%Y-%m') AS month FROM articles "
                                          "WHERE published_at IS NOT NULL", "--db", str(analyst_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    cli_months = {row["article_id"]: row["month"] for row in json.loads(result.stdout)}
    con = duckdb.connect(str(analyst_db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        view_months = dict(con.execute("SELECT article_id, strftime(published_month_kst, '%Y-%m') FROM articles_kst "
                                       "WHERE published_at IS NOT NULL").fetchall())
    finally:
        con.close()
    assert cli_months == view_months and len(view_months) == 3


# --- Parquet export ----------------------------------------------------------------------

def _export(db: Path, out: Path) -> None:
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 0, result.output


def _table(folder: Path) -> list[dict]:
    return ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()


def test_parquet_export_holds_articles_and_every_fact_table(analyst_db, tmp_path):
    out = tmp_path / "parquet"
    _export(analyst_db, out)
    con = connect_read_only(analyst_db)
    try:
        counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                  for table in ("articles", "mentions", "program_facts", "article_agencies")}
        goals = con.execute("SELECT article_id, text, quantity FROM mentions WHERE kind = 'goal' ORDER BY ALL"
                            ).fetchall()
    finally:
        con.close()
    assert counts["mentions"] and counts["program_facts"] and goals
    for table, count in counts.items():
        rows = _table(out / table)
        assert len(rows) == count, table
    mentions = _table(out / "mentions")
    assert {"kind", "text", "start_offset", "end_offset", "sentence", "rule", "year", "month"} <= set(mentions[0])
    assert sorted((m["article_id"], m["text"], m["quantity"]) for m in mentions if m["kind"] == "goal") == goals
    facts = _table(out / "program_facts")
    assert all(isinstance(f["target_groups"], list) for f in facts)
    assert not (out / "story_clusters").exists()  # no such table in this database


def test_undated_articles_get_their_own_partition(analyst_db, tmp_path):
    out = tmp_path / "parquet"
    _export(analyst_db, out)
    ids = _ids(analyst_db)
    partitions = sorted(p.relative_to(out / "articles").as_posix() for p in (out / "articles").rglob("*.parquet"))
    assert partitions == ["year=2026/month=03/data_0.parquet", "year=2026/month=04/data_0.parquet",
                          "year=undated/month=undated/data_0.parquet"]
    assert not list(out.rglob("year=0"))
    where = {row["article_id"]: (row["year"], row["month"]) for row in _table(out / "articles")}
    assert where[ids["undated"]] == ("undated", "undated")
    assert where[ids["shelter"]] == ("2026", "03") and where[ids["april"]] == ("2026", "04")
    # a fact sits in the partition of its article
    for row in _table(out / "mentions"):
        assert (row["year"], row["month"]) == where[row["article_id"]]


def test_story_clusters_are_exported_when_the_table_exists(analyst_db, tmp_path):
    db = tmp_path / "clustered.duckdb"
    db.write_bytes(analyst_db.read_bytes())
    ids = _ids(analyst_db)
    with writing(db) as con:
        con.execute("CREATE TABLE IF NOT EXISTS story_clusters (article_id VARCHAR PRIMARY KEY, cluster_id VARCHAR)")
        con.execute("DELETE FROM story_clusters")
        con.executemany("INSERT INTO story_clusters VALUES (?, ?)",
                        [[ids["shelter"], "c1"], [ids["farm"], "c1"], [ids["april"], "c2"], [ids["undated"], "c3"]])
    out = tmp_path / "parquet"
    _export(db, out)
    clusters = {row["article_id"]: (row["cluster_id"], row["year"]) for row in _table(out / "story_clusters")}
    assert clusters == {ids["shelter"]: ("c1", "2026"), ids["farm"]: ("c1", "2026"), ids["april"]: ("c2", "2026"),
                        ids["undated"]: ("c3", "undated")}


def test_exporting_again_replaces_what_an_earlier_export_wrote(analyst_db, tmp_path):
    out = tmp_path / "parquet"
    stale = out / "articles" / "year=0" / "month=0"
    stale.mkdir(parents=True)
    (stale / "data_0.parquet").write_bytes(b"PAR1 an older export")
    _export(analyst_db, out)
    _export(analyst_db, out)
    assert not (out / "articles" / "year=0").exists()
    assert len(_table(out / "articles")) == len(ARTICLES)


def test_export_refuses_to_replace_a_folder_that_holds_other_files(analyst_db, tmp_path):
    out = tmp_path / "parquet"
    (out / "mentions").mkdir(parents=True)
    (out / "mentions" / "notes.txt").write_text("my notes", encoding="utf-8")
    result = runner.invoke(app, ["export", "--db", str(analyst_db), "--format", "parquet", "--out", str(out)])
    assert result.exit_code == 2
    assert "notes.txt" in result.stderr or "mentions" in result.stderr
    assert (out / "mentions" / "notes.txt").read_text(encoding="utf-8") == "my notes"


def test_parquet_export_defaults_to_a_folder_under_data(analyst_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", "--db", str(analyst_db), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "parquet" / "articles").is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # nothing written to the working folder itself


def test_two_connections_of_one_process_both_search(analyst_db):
    """Connections to one file in one process share DuckDB's functions: the second one must
    neither fail to register the Kiwi function nor lose it when the first closes."""
    first, second = connect_read_only(analyst_db), connect_read_only(analyst_db)
    try:
        assert first.execute("SELECT count(*) FROM search_bm25('쉼터')").fetchall() == [(1,)]
        first.close()
        assert second.execute("SELECT count(*) FROM search_bm25('스마트팜')").fetchall() == [(1,)]
    finally:
        second.close()
    # and both show Seoul time (a second connection cannot set it: the first locked the settings)
    first, second = connect_read_only(analyst_db), connect_read_only(analyst_db)
    try:
        zones = [c.execute("SELECT current_setting('TimeZone')").fetchall()[0][0] for c in (first, second)]
    finally:
        first.close()
        second.close()
    assert zones == ["Asia/Seoul", "Asia/Seoul"]
