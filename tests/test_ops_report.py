"""The operator's morning (issue 16): two crawls of local sites, the second a night on which one source
went silent (its feed fails) and another's pages lost their dates; `pressflow report`, the views and
the crawl's artifact flag both, and `pressflow runs` says what each run did to the articles."""
from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.crawl_flow import crawl
from tests.crawl_server import Reply, Story, article_path, ndsoft_article, rss, running_farm

FAST = {"timeout_seconds": 5.0, "max_retries": 1, "backoff_seconds": 0.05, "retry_after_cap_seconds": 1.0}
runner = CliRunner()

STEADY, SILENT, DATELESS = "한빛일보", "새벽신문", "바다일보"


def _story(idxno: int, place: str, thing: str, day: int) -> Story:
    return Story(idxno, f"{place}, {thing} 지원 확대",
                 (f"{place}는 {thing} 지원을 올해 두 배로 늘린다고 {day}일 밝혔다.",
                  f"{place}는 예산 3억 원을 들여 상반기 안에 신청을 받고 하반기부터 지원을 시작한다.",
                  "담당 부서는 주민 설명회를 열어 자세한 내용을 안내할 계획이다."),
                 f"2024.06.{day:02d} 10:00", "한가람", lastmod=f"2024-06-{day:02d}T10:00:00+09:00")


def _dateless(outlet: str, story: Story) -> bytes:
    """The same layout with the 입력 line gone: the CMS changed its template overnight."""
    return ndsoft_article(outlet, story).replace(f"<li>입력 {story.published}</li>".encode(), b"")


def _publish(site, outlet: str, stories: list[Story], dateless: tuple[int, ...] = ()) -> None:
    site.route("/rss/allArticle.xml", Reply(body=rss(outlet, site.base, stories), content_type="application/rss+xml"))
    for story in stories:
        page = _dateless(outlet, story) if story.idxno in dateless else ndsoft_article(outlet, story)
        site.route(article_path(story.idxno), Reply(body=page))


def _sources(tmp_path, sites) -> str:
    path = tmp_path / "sources.toml"
    path.write_text("".join(
        f'[[source]]\nname = "{name}"\nregion = "전라북도"\nhome = "{site.url("/")}"\n'
        f'feeds = ["{site.url("/rss/allArticle.xml")}"]\ncms = "ndsoft"\ndelay_seconds = 0.01\nverified = true\n\n'
        for name, site in sites.items()), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory, prefect_server, kiwi):
    """Night 1: three sources publish. Night 2: 한빛일보 publishes one more story; 새벽신문's feed answers
    500; 바다일보 publishes two stories whose pages have no date."""
    tmp_path = tmp_path_factory.mktemp("nights")
    db = tmp_path / "ops.duckdb"
    with running_farm() as farm:
        steady, silent, dateless = farm.site(STEADY), farm.site(SILENT), farm.site(DATELESS)
        sources = _sources(tmp_path, {STEADY: steady, SILENT: silent, DATELESS: dateless})
        a = [_story(11, "전주시", "청년 월세", 3), _story(12, "익산시", "어르신 돌봄", 3), _story(13, "군산시", "출산 축하금", 4)]
        b = [_story(21, "정읍시", "귀농 정착", 3), _story(22, "남원시", "전통시장 배송", 3)]
        c = [_story(31, "김제시", "농기계 임대", 3), _story(32, "완주군", "통학 택시", 3),
             _story(33, "진안군", "마을 버스", 4), _story(34, "무주군", "반딧불 축제", 4)]
        _publish(steady, STEADY, a[:2])
        _publish(silent, SILENT, b)
        _publish(dateless, DATELESS, c[:2])
        first = crawl(sources, db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)
        _publish(steady, STEADY, a)
        silent.route("/rss/allArticle.xml", Reply(500, b"<h1>500 Internal Server Error</h1>"))
        _publish(dateless, DATELESS, c, dateless=(33, 34))
        second = crawl(sources, db=str(db), warc_dir=str(tmp_path / "warc"), **FAST)
    return db, first, second


def _rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_the_views_flag_the_silent_source_and_the_dateless_one(two_nights):
    db, first, second = two_nights
    assert first.articles == 6 and second.articles == 3
    health = {source: (new, http_5xx, flags) for source, new, http_5xx, flags in
              _rows(db, "SELECT source, articles_new, http_5xx, flags FROM source_health(7)")}
    assert health[STEADY] == (3, 0, [])
    assert health[SILENT][2] == ["silent 1 night"] and health[SILENT][1] >= 1
    assert health[DATELESS][0] == 4 and health[DATELESS][2] == ["quality dropped 100% -> 0%"]
    nights = _rows(db, "SELECT source, night, articles_new, missing_dates FROM source_nights ORDER BY ALL")
    assert (DATELESS, 1, 2, 2) in nights and (DATELESS, 2, 2, 0) in nights
    assert (SILENT, 1, 0, 0) in nights and (SILENT, 2, 2, 0) in nights
    # one night back, before anything went wrong, nobody is flagged
    assert _rows(db, "SELECT count(*) FROM source_nights WHERE night = 2 AND articles_new = 0") == [(0,)]


def test_pressflow_report_names_both_flags(two_nights):
    db, _, _ = two_nights
    result = runner.invoke(app, ["report", "--db", str(db), "--nights", "7"])
    assert result.exit_code == 0, result.output
    print(result.output)  # the operator's view (`pytest -s` shows it)
    said = " ".join(result.output.split())
    assert "2 crawl runs" in said
    assert f"flag {SILENT}: silent 1 night" in said
    assert f"flag {DATELESS}: quality dropped 100% -> 0%" in said
    assert f"flag {STEADY}" not in said
    one_night = runner.invoke(app, ["report", "--db", str(db), "--nights", "1", "--format", "json"])
    assert one_night.exit_code == 0 and '"silent_nights": 1' in one_night.output


def test_pressflow_runs_lists_both_crawls_with_what_they_did(two_nights):
    db, first, second = two_nights
    result = runner.invoke(app, ["runs", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("run_id,kind,status,started_at,duration_s,pages,articles_new,articles_updated")
    by_run = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert by_run[second.run_id][6:10] == ["3", "0", "0", "0"]       # new, updated, unchanged, copies
    assert by_run[first.run_id][6] == "6" and list(by_run)[0] == second.run_id  # newest first
    table = runner.invoke(app, ["runs", "--db", str(db), "--kind", "crawl"])
    assert table.exit_code == 0 and second.run_id in table.output


def test_the_crawl_artifact_carries_the_report(two_nights):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["source-health"])))
    latest = max(artifacts, key=lambda artifact: artifact.created)
    assert f"{SILENT} (silent 1 night)" in latest.data and "quality dropped" in latest.data
