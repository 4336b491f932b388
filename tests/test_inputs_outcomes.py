"""Issue 13: every input gets an outcome. Names that are not UTF-8, FIFOs, symbolic-link loops,
broken links and missing paths each become a `failures` row; the good files beside them load,
the run closes and the exit code is 1. Runs locally, without a Prefect server."""
from __future__ import annotations

import os

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.inputs import expand

runner = CliRunner()

ARTICLE = """한빛군, 청년 창업 공간 '새싹터' 문 연다
[한빛일보=김바다 기자] 한빛군은 청년 창업 지원사업 '새싹터'를 열고 입주 기업 {n}곳을 모집한다고 5일 밝혔다.
군은 올해 예산 3억 원을 들여 만 39세 이하 청년 창업자에게 사무 공간과 교육을 제공한다.
입력 2025.03.05 09:00
"""

BAD_NAME = os.fsdecode(b"\xed\x95\x9c\xeb\xb9\x9b\xff\xfe.txt")  # '한빛' then two bytes that are not UTF-8


def _write_good(folder, count=2):
    for number in range(count):
        (folder / f"good{number}.txt").write_text(ARTICLE.format(n=number + 3), encoding="utf-8")


def _rows(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture()
def odd_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write_good(folder)
    with open(os.path.join(os.fsencode(folder), os.fsencode(BAD_NAME)), "wb") as handle:
        handle.write(ARTICLE.format(n=9).encode())
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop_a.html").symlink_to("loop_b.html")
    (folder / "loop_b.html").symlink_to("loop_a.html")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    (folder / "[bold]빈 기사.txt").write_bytes(b"")  # names and errors that look like rich markup are text
    (folder / "odd_link.txt").symlink_to("[/red]어디에도.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "back").symlink_to(folder)  # a link to a folder above: read once, never loop
    return folder


def test_every_odd_input_is_a_failure_row_and_the_good_files_load(odd_folder, tmp_path):
    db = tmp_path / "odd.duckdb"
    fifo = tmp_path / "given.fifo.html"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["ingest", str(odd_folder), str(fifo), str(tmp_path / "missing.txt"),
                                 os.path.join(str(tmp_path), BAD_NAME), os.devnull, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # the summary printed to its end
    assert "Traceback" not in result.output
    failures = dict(_rows(db, "SELECT regexp_extract(source, '[^/]+$'), error FROM failures"))
    bad_stored = "한빛\\xff\\xfe.txt"
    assert "not valid UTF-8 (bytes ff fe)" in failures[bad_stored], failures
    assert failures["pipe.txt"].startswith("a FIFO")
    assert failures["given.fifo.html"].startswith("a FIFO")
    assert "symbolic link loop" in failures["loop_a.html"] and "symbolic link loop" in failures["loop_b.html"]
    assert "broken symbolic link" in failures["gone.txt"]
    assert failures["missing.txt"] == "no such file or folder"
    assert failures["null"] == "a character device, not a file to read"
    assert failures["[bold]빈 기사.txt"].startswith("empty page")
    assert "[bold]빈 기사.txt" in result.stdout and "points to [/red]어디에도.txt" in result.stdout
    # the same bad name twice: inside the folder and given (not even existing) on the command line
    assert len(failures) == 10 and _rows(db, "SELECT count(*) FROM failures") == [(11,)]
    assert _rows(db, "SELECT count(*) FROM articles") == [(2,)]  # good0, good1; nothing twice via sub/back
    assert _rows(db, "SELECT status, failures, pages FROM runs") == [("failures", 11, 3)]
    inputs = _rows(db, "SELECT inputs FROM runs")[0][0]
    assert any(bad_stored in given for given in inputs)  # the run row itself could be written


def test_a_missing_path_alone_is_a_failure_not_an_empty_success(tmp_path):
    db = tmp_path / "m.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope.txt"), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "1 failures" in " ".join(result.output.split())
    assert _rows(db, "SELECT stage, error FROM failures") == [("read", "no such file or folder")]
    assert _rows(db, "SELECT status FROM runs") == [("failures",)]


def test_expand_keeps_a_stable_order_and_never_follows_a_folder_twice(odd_folder):
    found = expand([odd_folder, odd_folder / "good1.txt"])
    assert [p.name for p in found.files] == ["[bold]빈 기사.txt", "good0.txt", "good1.txt"]
    assert sorted(f.error.split(",")[0].split(":")[0].split(";")[0] for f in found.failures) == [
        "a FIFO (named pipe)", "broken symbolic link (it points to [/red]어디에도.txt",
        "broken symbolic link (it points to nowhere.txt", "file name is not valid UTF-8 (bytes ff fe)",
        "symbolic link loop", "symbolic link loop"]



def test_a_database_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE.format(n=4), encoding="utf-8")
    for db in (tmp_path, tmp_path / "a.txt" / "x.duckdb"):  # a folder; a path under a file
        result = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "error:" in result.output
