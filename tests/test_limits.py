"""Issue 13: named, configurable limits on what one page may cost. A WARC record that expands
past max_record_bytes, a file over max_page_bytes, a line over max_line_chars, a page whose
extraction runs past extract_seconds: each is a failure that names its limit, and the pages
beside it still load. Pages that mix UTF-8 and EUC-KR lines are read line by line."""
from __future__ import annotations

import io
import time

import duckdb
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractors import RawPage, extract
from extractors.encoding import decode
from pipelines.cli import app
from pipelines.inputs import read_warc
from pipelines.limits import LimitError, Limits
from pipelines.process import process_pages

runner = CliRunner()

PAGE = """<html><head><meta charset="utf-8"><title>한빛군, 마을버스 무료 환승 시행 - 한빛일보</title></head><body>
<div id="article-view-content-div">
<p>[한빛일보=이솔 기자] 한빛군은 다음 달부터 마을버스 무료 환승 제도를 시행한다고 7일 밝혔다.</p>
<p>군은 예산 2억 원을 들여 어르신과 학생 1만 명의 교통비 부담을 덜어줄 계획이다.</p></div>
<ul class="infomation"><li>입력 2025.06.07 11:00</li></ul></body></html>"""


def _warc(records: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return buffer.getvalue()


def test_limits_are_named_and_read_from_the_environment():
    limits = Limits.from_env({"PRESSFLOW_MAX_PAGE_BYTES": "2M", "PRESSFLOW_EXTRACT_SECONDS": "1.5",
                              "PRESSFLOW_MAX_LINE_CHARS": "5000"})
    assert (limits.max_page_bytes, limits.extract_seconds, limits.max_line_chars) == (2 * 1024 ** 2, 1.5, 5000)
    assert limits.max_record_bytes == Limits().max_record_bytes
    with pytest.raises(LimitError, match="PRESSFLOW_MAX_RECORD_BYTES"):
        Limits.from_env({"PRESSFLOW_MAX_RECORD_BYTES": "lots"})


def test_a_warc_record_that_expands_past_the_limit_is_skipped_and_the_next_one_read(tmp_path):
    bomb = b"<html><body>" + b"\x00" * (6 * 1024 ** 2) + b"</body></html>"  # a few KB compressed
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(_warc([("https://hanbit.example/bomb", bomb), ("https://hanbit.example/ok", PAGE.encode())]))
    assert path.stat().st_size < 64 * 1024
    pages, failures = read_warc(path, Limits(max_record_bytes=1024 ** 2))
    assert [page.url for page in pages] == ["https://hanbit.example/ok"]
    assert len(failures) == 1 and "max_record_bytes=1048576" in failures[0].error
    assert "https://hanbit.example/bomb" in failures[0].source


def test_size_and_line_limits_are_failures_and_the_others_load(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.html").write_text(PAGE, encoding="utf-8")
    (folder / "huge.txt").write_bytes(("한빛군 소식\n" * 200_000).encode())  # ~3 MB
    (folder / "one_line.txt").write_bytes(("한빛군은 " * 30_000).encode())  # 450 KB, no newline
    db = tmp_path / "l.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)],
                           env={"PRESSFLOW_MAX_PAGE_BYTES": "1M", "PRESSFLOW_MAX_LINE_CHARS": "20000"})
    assert result.exit_code == 1, result.output
    con = duckdb.connect(str(db), read_only=True)
    failures = dict(con.execute("SELECT regexp_extract(source, '[^/]+$'), error FROM failures").fetchall())
    titles = [row[0] for row in con.execute("SELECT title FROM articles").fetchall()]
    con.close()
    assert "page too large" in failures["huge.txt"] and "max_page_bytes=1048576" in failures["huge.txt"]
    assert "line too long" in failures["one_line.txt"] and "max_line_chars=20000" in failures["one_line.txt"]
    assert len(titles) == 1 and titles[0].startswith("한빛군, 마을버스 무료 환승 시행")


def test_a_long_paragraph_inside_html_is_caught_after_extraction():
    body = PAGE.replace("교통비 부담을", "교통비 " + "부담을 " * 5000).encode()
    batch = process_pages([RawPage(body=body, source_path="long.html")], limits=Limits(max_line_chars=10_000))
    assert not batch.articles and "max_line_chars=10000" in batch.failures[0].error


def _attribute_bomb(count: int) -> bytes:
    attributes = " ".join(f'data-k{i}="값{i}"' for i in range(count))
    return f"<html><head><title>속성</title></head><body><div {attributes}><p>한빛군 소식</p></div></body></html>".encode()


def test_a_page_that_stalls_extraction_is_stopped_and_the_next_page_still_extracts():
    slow = RawPage(body=_attribute_bomb(40_000), source_path="slow.html")  # tens of seconds to extract
    good = RawPage(body=PAGE.encode(), source_path="good.html")
    started = time.monotonic()
    batch = process_pages([slow, good], limits=Limits(extract_seconds=2))
    elapsed = time.monotonic() - started
    assert [f.source for f in batch.failures] == ["slow.html"]
    assert "extract_seconds=2" in batch.failures[0].error
    assert [page.source for page, _, _ in batch.articles] == ["good.html"]
    assert elapsed < 30  # the stalled page cost its limit, not its minutes


def test_mixed_encoding_pages_are_decoded_line_by_line():
    utf8 = "한빛군은 청년 월세 지원사업 신청을 받는다고 밝혔다.\n".encode()
    legacy = "지원 대상은 만 19세부터 34세까지 무주택 청년이다.\n".encode("cp949")
    text, codec = decode(utf8 + legacy + utf8)
    assert codec == "mixed:utf-8+cp949"
    assert "무주택 청년" in text and "월세 지원사업" in text and "\ufffd" not in text
    body = "한빛군 청년 월세 지원\n".encode() + utf8 + legacy + "입력 2025.02.01 09:00\n".encode()
    article = extract(RawPage(body=body, source_path="mixed.txt"))
    assert "무주택 청년" in article.body and article.encoding == "mixed:utf-8+cp949"


def test_a_page_that_needs_more_memory_than_the_limit_is_stopped_and_the_next_page_still_extracts():
    heavy = RawPage(body=("<html><body>" + "<div><p>한빛군 소식</p><span class='x'>가</span></div>" * 40_000
                          + "</body></html>").encode(), source_path="heavy.html")  # 2.4 MB, a tree far larger
    good = RawPage(body=PAGE.encode(), source_path="good.html")
    batch = process_pages([heavy, good], limits=Limits(extract_memory_bytes=250 * 1024 ** 2, extract_seconds=100))
    assert [f.source for f in batch.failures] == ["heavy.html"]
    assert "extract_memory_bytes=262144000" in batch.failures[0].error, batch.failures[0].error
    assert [page.source for page, _, _ in batch.articles] == ["good.html"]


def test_idle_extraction_processes_are_few_and_reused():
    from pipelines.extract_worker import WorkerPool

    pool = WorkerPool(max_idle=1)
    limits = Limits(extract_seconds=30)
    first = pool.acquire(limits)
    first.extract(RawPage(body=PAGE.encode(), source_path="a.html"))
    pid = first.pid
    pool.release(first)
    again = pool.acquire(limits)
    assert again is first and again.pid == pid  # the same child, no new start-up
    other = pool.acquire(Limits(extract_seconds=31))
    other.extract(RawPage(body=PAGE.encode(), source_path="b.html"))
    pool.release(again)
    pool.release(other)
    assert first.pid is None and other.pid is not None  # over max_idle: the oldest was stopped
    pool.close()
    assert other.pid is None
