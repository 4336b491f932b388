"""Issue 13: runs always end closed and leave nothing behind. SIGTERM stops an ingest stuck on a
page within seconds, closed as 'cancelled' with the batches it loaded kept; kill -9 leaves no
extraction process, and the next run closes the killed one as 'crashed'. Local commands need no
Prefect server; where Prefect's temporary server is used and does not start, one line says so."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import ROOT

runner = CliRunner()

TEXT = """한빛군, 마을 도서관 {n}곳 야간 개방
[한빛일보=정하늘 기자] 한빛군은 마을 도서관 {n}곳을 밤 10시까지 개방하는 '별빛 서재' 사업을 시작한다고 {day}일 밝혔다.
군은 예산 {n}천만 원을 들여 직장인과 학생의 독서 공간을 넓힌다.
입력 2025.05.{day:02d} 10:00
"""


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PRESSFLOW_LOG_LEVEL="INFO", PYTHONPATH=str(ROOT), **extra)
    return env


@pytest.fixture(scope="module")
def stuck_folder(tmp_path_factory):
    """41 short articles (a full first batch of 40, one more) and then a page that stalls extraction."""
    folder = tmp_path_factory.mktemp("stuck")
    for number in range(41):
        (folder / f"a{number:03d}.txt").write_text(TEXT.format(n=number + 1, day=number % 28 + 1), encoding="utf-8")
    attributes = " ".join(f'data-k{i}="값{i}"' for i in range(60_000))
    (folder / "z_stall.html").write_text(f"<html><body><div {attributes}><p>한빛군</p></div></body></html>",
                                         encoding="utf-8")
    return folder


def _start_ingest(folder: Path, db: Path) -> tuple[subprocess.Popen, queue.Queue]:
    process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "ingest", str(folder), "--db", str(db)],
                               cwd=ROOT, env=_environment(PRESSFLOW_EXTRACT_SECONDS="600"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
    return process, lines


def _wait_for(lines: queue.Queue, text: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"never saw {text!r}: {''.join(seen)[-2000:]}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_gone(pids: list[int], seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(map(_alive, pids)):
        time.sleep(0.1)
    return [pid for pid in pids if _alive(pid)]


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_a_stuck_ingest_within_seconds_and_keeps_what_it_loaded(stuck_folder, tmp_path):
    db = tmp_path / "term.duckdb"
    process, lines = _start_ingest(stuck_folder, db)
    try:
        _wait_for(lines, "batch 1 loaded")
        time.sleep(2)  # now inside batch 2, on the page that stalls extraction
        workers = _children(process.pid)
        assert workers, "extraction runs in a child process"
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        stopped_in = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 143, process.stdout.read()
    assert stopped_in < 20, stopped_in
    assert _wait_gone(workers) == []
    status, note, articles = _rows(db, "SELECT status, note, articles FROM runs")[0]
    assert status == "cancelled" and "SIGTERM" in note
    assert articles == 40 and _rows(db, "SELECT count(*) FROM articles") == [(40,)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_leaves_no_process_and_the_next_run_closes_it_as_crashed(stuck_folder, tmp_path):
    db = tmp_path / "kill.duckdb"
    process, lines = _start_ingest(stuck_folder, db)
    try:
        _wait_for(lines, "batch 1 loaded")
        time.sleep(2)
        workers = _children(process.pid)
        assert workers
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert _wait_gone(workers) == [], "the extraction process outlived its run"
    assert _rows(db, "SELECT status FROM runs") == [("running",)]
    one = stuck_folder / "a000.txt"
    result = runner.invoke(app, ["ingest", str(one), "--db", str(db)])
    assert result.exit_code == 0, result.output
    runs = dict(_rows(db, "SELECT status, count(*) FROM runs GROUP BY status"))
    assert runs == {"crashed": 1, "ok": 1}
    assert _rows(db, "SELECT count(*) FROM articles") == [(40,)]  # batch 1 of the killed run is kept


def _warc_bomb(path: Path, gigabytes: int) -> None:
    """One gzip member of a WARC response record whose payload is `gigabytes` GB of zeros (~5 MB per GB)."""
    import zlib

    size = gigabytes << 30
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:0d7a3c1e-5b7f-4f43-9d5e-2b7c8f1a6e01>\r\n"
            b"WARC-Target-URI: https://hanbit.example/bomb\r\nWARC-Date: 2025-05-01T00:00:00Z\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
            + str(len(http) + size).encode() + b"\r\n\r\n")
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    with path.open("wb") as out:
        out.write(packer.compress(head + http))
        for _ in range(size >> 20):
            out.write(packer.compress(block))
        out.write(packer.compress(b"\r\n\r\n") + packer.flush())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_an_ingest_reading_a_warc_bomb(tmp_path):
    folder = tmp_path / "bomb"
    folder.mkdir()
    _warc_bomb(folder / "bomb.warc.gz", 2)
    db = tmp_path / "bomb.duckdb"
    process, lines = _start_ingest(folder, db)
    try:
        _wait_for(lines, "files to read")
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=60)
        stopped_in = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 143 and stopped_in < 10, (code, stopped_in)
    assert _rows(db, "SELECT status FROM runs") == [("cancelled",)]


def test_a_run_of_a_live_process_is_not_taken_for_crashed(tmp_path):
    from warehouse import writing
    from warehouse.load import start_run

    db = tmp_path / "live.duckdb"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with writing(db) as con:
            start_run(con, "other-live", "ingest", [], "x", "y")
            con.execute("UPDATE runs SET pid = ? WHERE run_id = 'other-live'", [sleeper.pid])
            start_run(con, "other-dead", "ingest", [], "x", "y")
            dead = subprocess.Popen([sys.executable, "-c", "pass"])
            dead.wait()
            con.execute("UPDATE runs SET pid = ? WHERE run_id = 'other-dead'", [dead.pid])
        result = runner.invoke(app, ["ingest", str(tmp_path / "nothing.txt"), "--db", str(db)])
        assert result.exit_code == 1
    finally:
        sleeper.kill()
    statuses = dict(_rows(db, "SELECT run_id, status FROM runs WHERE run_id LIKE 'other-%'"))
    assert statuses == {"other-live": "running", "other-dead": "crashed"}


def test_local_commands_never_start_a_prefect_server(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT.format(n=3, day=4), encoding="utf-8")
    db = tmp_path / "local.duckdb"
    # an API address where nothing listens: a command that talked to Prefect would fail
    env = _environment(PREFECT_HOME=str(tmp_path / "prefect-home"),
                       PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="0")
    for args in (["ingest", str(folder)], ["reprocess"], ["query", "SELECT count(*) FROM articles"],
                 ["export", "--format", "jsonl"], ["search", "도서관"]):
        result = subprocess.run([sys.executable, "-m", "pipelines.cli", *args, "--db", str(db)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (args, result.stderr[-2000:])
        assert "temporary server" not in result.stderr, args


def test_a_temporary_server_that_does_not_start_is_one_line_and_exit_3(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "한빛일보"\nregion = "전라북도"\nhome = "http://127.0.0.1:9/"\n',
                       encoding="utf-8")
    env = _environment(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="0")
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "crawl", "--sources", str(sources),
                             "--db", str(tmp_path / "c.duckdb")], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 3, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" in error_lines[0]


def test_with_a_server_configured_ingest_is_still_a_prefect_flow(prefect_server, tmp_path):
    from pipelines.flows import ingest_flow

    (tmp_path / "a.txt").write_text(TEXT.format(n=5, day=6), encoding="utf-8")
    db = tmp_path / "flow.duckdb"
    summary = ingest_flow([str(tmp_path / "a.txt"), str(tmp_path / "missing.txt")], str(db))
    assert (summary.articles, len(summary.failures), summary.status) == (1, 1, "failures")
    assert _rows(db, "SELECT status FROM runs") == [("failures",)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_crawl_takes_its_temporary_prefect_server_with_it(tmp_path):
    import socket

    hanging = socket.socket()  # accepts connections into its backlog and never answers: the crawl waits
    hanging.bind(("127.0.0.1", 0))
    hanging.listen(16)
    home = f"http://127.0.0.1:{hanging.getsockname()[1]}/"
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "한빛일보"\nregion = "전라북도"\nhome = "{home}"\n'
                       f'feeds = ["{home}rss/allArticle.xml"]\n', encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "crawl", "--sources", str(sources),
                                "--db", str(tmp_path / "c.duckdb")], cwd=ROOT,
                               env=_environment(PREFECT_HOME=str(tmp_path / "prefect-home"),
                                                PREFECT_LOGGING_LEVEL="INFO"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
    servers: list[int] = []
    try:
        _wait_for(lines, "Beginning flow run", seconds=240)
        servers = [pid for pid in _children(process.pid)
                   if b"uvicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert servers, "the crawl runs on a temporary Prefect server"
        process.kill()
        process.wait(30)
        assert _wait_gone(servers) == [], "the temporary server outlived the killed crawl"
    finally:
        if process.poll() is None:
            process.kill()
        for pid in servers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        hanging.close()
