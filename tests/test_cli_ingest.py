"""`pressflow ingest / export / query` end to end on temp dirs, a real DuckDB file and the
Prefect flow under the session's test server."""
from __future__ import annotations

import gzip
import io
import json
import shutil

import duckdb
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.cli import app
from tests.conftest import SEEDS, require

runner = CliRunner()

HTML = """<html><head><meta charset="euc-kr"><title>한빛군, 어르신 일자리 1천 명 모집 - 한빛일보</title>
<meta property="og:site_name" content="한빛일보"></head><body>
<div class="menu">전체기사 정치 경제 사회</div>
<div id="article-view-content-div">
<p>[한빛일보=박하늘 기자] 고창군은 ‘어르신 공익활동 지원사업’ 참여자 1천 명을 모집한다고 3일 밝혔다.</p>
<p>군은 올해 예산 35억 원을 들여 65세 이상 어르신에게 일자리를 제공한다.</p>
<p>저작권자 ⓒ 한빛일보 무단전재 및 재배포 금지</p></div>
<ul class="infomation"><li>입력 2024.02.03 10:00</li></ul>
<div class="rank">많이 본 뉴스 1. 다른 기사</div></body></html>"""


def _warc(path, pages, truncate=False):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=euc-kr")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - 40] if truncate else data)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    for seed in sorted(require(SEEDS).glob("*.txt"))[:2]:
        shutil.copy(seed, folder / seed.name)
    (folder / "hanbit.html").write_bytes(HTML.encode("cp949"))
    _warc(folder / "crawl.warc.gz", [("https://hanbit.example/news/articleView.html?idxno=7",
                                     HTML.replace("1천 명", "2천 명").encode("cp949"))])
    bad = tmp_path_factory.mktemp("bad")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (bad / "notes.pdf").write_bytes(b"%PDF-1.4")
    _warc(bad / "broken.warc.gz", [("https://hanbit.example/a", HTML.encode("cp949"))] * 3, truncate=True)
    return folder, bad


def test_ingest_good_inputs_is_idempotent(prefect_server, inputs, tmp_path):
    folder, _ = inputs
    db = tmp_path / "p.duckdb"
    first = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert first.exit_code == 0, first.output
    said = " ".join(first.output.split())
    assert "articles: 4 new, 0 updated, 0 unchanged" in said and "0 failures" in said
    con = duckdb.connect(str(db), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in ("articles", "mentions", "article_agencies", "raw_pages", "program_facts")}
    con.close()
    assert counts["articles"] == 4 and counts["mentions"] > 0
    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert again.exit_code == 0, again.output
    con = duckdb.connect(str(db), read_only=True)
    assert counts == {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in counts}
    warc_article = con.execute("SELECT url, title, outlet, published_at::DATE::VARCHAR, encoding FROM articles "
                               "WHERE url LIKE 'https://%'").fetchall()[0]
    con.close()
    assert warc_article[1:] == ("한빛군, 어르신 일자리 2천 명 모집", "한빛일보", "2024-02-03", "cp949")

    out = tmp_path / "records.jsonl"
    exported = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4
    for record in records:
        assert {"id", "url", "source_path", "outlet", "title", "published_at", "body", "agencies", "programs",
                "dates", "target_groups", "goals"} <= record.keys()
    hanbit = next(r for r in records if r["source_path"].endswith("hanbit.html"))
    assert [a["name"] for a in hanbit["agencies"]] == ["고창군"]
    assert {"name": "어르신 공익활동 지원사업"} in hanbit["programs"]
    assert hanbit["published_at"].startswith("2024-02-03T10:00:00+09:00")

    csv_out = runner.invoke(app, ["query", "SELECT title FROM articles ORDER BY title LIMIT 1", "--db", str(db),
                                  "--format", "csv"])
    assert csv_out.exit_code == 0 and csv_out.output.splitlines()[0] == "title"


def test_bad_inputs_are_named_recorded_and_do_not_stop_the_run(prefect_server, inputs, tmp_path):
    folder, bad = inputs
    db = tmp_path / "bad.duckdb"
    result = runner.invoke(app, ["ingest", str(bad), str(bad / "notes.pdf"), str(folder / "hanbit.html"),
                                 str(tmp_path / "missing.txt"), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    con = duckdb.connect(str(db), read_only=True)
    failures = dict(con.execute("SELECT regexp_extract(source, '[^/]+$'), error FROM failures").fetchall())
    print(failures)
    articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    run = con.execute("SELECT status, failures FROM runs").fetchall()[0]
    con.close()
    assert "empty" in failures["empty.txt"], failures
    assert "binary" in failures["photo.html"]
    assert "unknown extension .pdf" in failures["notes.pdf"]
    assert "truncated or corrupt WARC" in failures["broken.warc.gz"]
    assert "no such file" in failures["missing.txt"]
    assert articles >= 1  # hanbit.html and the WARC's readable records still loaded
    assert run == ("failures", len(failures))


def test_query_and_export_name_a_missing_database(tmp_path):
    result = runner.invoke(app, ["query", "SELECT 1", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no such database" in result.output


def test_gzip_is_really_used_for_warc(tmp_path):
    path = tmp_path / "x.warc.gz"
    _warc(path, [("https://a.example/", b"<html></html>")])
    assert gzip.decompress(path.read_bytes()).startswith(b"WARC/1.")


def test_pages_are_read_a_batch_at_a_time(tmp_path):
    from pipelines.flows import page_batches

    files = []
    for number in range(90):
        path = tmp_path / f"p{number:03d}.txt"
        path.write_text(f"제목 {number}\n본문 {number}번째 기사입니다.\n", encoding="utf-8")
        files.append(path)
    files.append(tmp_path / "missing.txt")
    batches = list(page_batches(files, size=40))
    assert [len(pages) for pages, _ in batches] == [40, 40, 10]
    assert [f.source for _, failures in batches for f in failures] == [str(tmp_path / "missing.txt")]


def test_version_names_the_extractor_and_analyser_versions():
    from typer.testing import CliRunner

    from extractors.model import EXTRACTOR_VERSION
    from nlp.model import ANALYSER_VERSION
    from pipelines.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and EXTRACTOR_VERSION in result.output and ANALYSER_VERSION in result.output
