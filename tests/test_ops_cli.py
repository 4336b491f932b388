"""What a run says (issue 16): counts that say new / updated / unchanged / copies and never more than
the database gained, skipped pages one line per reason, a bad user dictionary as one error up front,
a progress bar with a total and ETA on a terminal and none elsewhere, --quiet and --log-level (which
turn Prefect's lines down too), and `pressflow serve`'s schedule banner."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import ROOT
from tests.crawl_server import Story, listing_page, ndsoft_article

runner = CliRunner()

TEXT = """새빛군, 경로당 {n}곳에 냉방비 지원
[새빛일보=윤다솜 기자] 새빛군은 여름철 폭염에 대비해 경로당 {n}곳에 냉방비를 지원한다고 {day}일 밝혔다.
군은 예산 {n}천만 원을 들여 7월부터 9월까지 전기요금의 절반을 보탠다.
입력 2025.06.{day:02d} 09:00
"""


def _said(result) -> str:  # type: ignore[no-untyped-def]
    return " ".join(result.output.split())


def _count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    finally:
        con.close()


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API") and k != "PRESSFLOW_LOG_LEVEL"}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two articles, one of them also under two more names (copies), and three listing pages."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for n, day in ((3, 4), (5, 6)):
        (pages / f"a{n}.txt").write_text(TEXT.format(n=n, day=day), encoding="utf-8")
    for name in ("copy1.txt", "copy2.txt"):
        (pages / name).write_text(TEXT.format(n=3, day=4), encoding="utf-8")
    for number in range(3):
        links = [(f"/news/articleView.html?idxno={number * 40 + i}", f"새빛군 소식 {number}-{i}") for i in range(35)]
        (pages / f"list{number}.html").write_bytes(listing_page("새빛일보", links, f"/list?page={number + 2}"))
    return pages


def test_counts_say_what_the_database_gained_and_copies_collapse(folder: Path, tmp_path: Path):
    db = tmp_path / "c.duckdb"
    first = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert first.exit_code == 0, first.output
    said = _said(first)
    assert "articles: 2 new, 0 updated, 0 unchanged, 2 copies of articles this run had already loaded" in said
    assert "now holds 2 articles (2 new from this run)" in said and _count(db) == 2
    skip_lines = [line for line in first.output.splitlines() if line.startswith("not articles")]
    assert len(skip_lines) == 1 and "3 × listing" in skip_lines[0]      # one line for three pages
    again = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert "articles: 0 new, 0 updated, 2 unchanged, 2 copies" in _said(again) and _count(db) == 2


def test_a_changed_page_at_the_same_address_is_updated(tmp_path: Path):
    story = Story(7, "새빛군, 청년 창업 지원금 신설",
                  ("새빛군은 지역에서 창업하는 청년에게 최대 5백만 원을 지원한다고 8일 밝혔다.",
                   "지원 대상은 군에 주소를 둔 만 19세부터 39세까지의 예비 창업자다."),
                  "2025.06.08 10:00", "윤다솜")
    canonical = b'<link rel="canonical" href="https://saebit.example/news/articleView.html?idxno=7">'
    page = tmp_path / "p" / "a.html"
    page.parent.mkdir()
    page.write_bytes(ndsoft_article("새빛일보", story).replace(b"</head>", canonical + b"</head>"))
    db = tmp_path / "u.duckdb"
    assert runner.invoke(app, ["ingest", str(page), "--db", str(db)]).exit_code == 0
    page.write_bytes(page.read_bytes().replace("5백만 원".encode(), "7백만 원".encode()))
    result = runner.invoke(app, ["ingest", str(page), "--db", str(db)])
    assert "articles: 0 new, 1 updated, 0 unchanged" in _said(result) and _count(db) == 1


def test_a_bad_user_dictionary_is_one_error_before_any_page(folder: Path, tmp_path: Path):
    dictionary = tmp_path / "mine.tsv"
    dictionary.write_text("kind\tname\taliases\nagency\t새빛군청\nprogramme\t별빛 서재\n", encoding="utf-8")
    db = tmp_path / "d.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--user-dict", str(dictionary)])
    assert result.exit_code == 2
    assert f"{dictionary}:3: unknown kind 'programme'" in _said(result)
    assert result.output.count("error") == 1 and not db.exists()       # no run started, nothing analysed
    dictionary.write_text("kind\tname\taliases\nagency\t새빛군청\n", encoding="utf-8")
    fixed = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--user-dict", str(dictionary)])
    assert fixed.exit_code == 0, fixed.output


def _on_a_terminal(args: list[str], env: dict[str, str], timeout: float = 240) -> tuple[int, str]:
    """Run a command with stdout and stderr on a pseudo-terminal, as a person would see it."""
    master, slave = pty.openpty()
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the other side closed
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif process.poll() is not None:
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(master)
    return process.returncode, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal")
def test_a_terminal_shows_a_bar_with_total_and_eta_and_a_pipe_does_not(folder: Path, tmp_path: Path):
    command = [sys.executable, "-m", "pipelines.cli", "ingest", str(folder), "--db", str(tmp_path / "t.duckdb")]
    code, screen = _on_a_terminal(command, _environment(COLUMNS="160"))
    assert code == 0, screen[-2000:]
    assert "━" in screen and "ETA" in screen and " kB of " in screen    # the bar, its total, its ETA
    assert "2 new" in screen and "batch 1 loaded" not in screen        # the bar replaces the INFO lines
    piped = subprocess.run([*command[:-1], str(tmp_path / "p.duckdb")], cwd=ROOT, env=_environment(),
                           capture_output=True, text=True, timeout=240)
    assert piped.returncode == 0 and "━" not in piped.stderr and "ETA" not in piped.stderr
    assert "batch 1 loaded" in piped.stderr and " kB of " in piped.stderr  # log lines quote the total
    assert "articles: 2 new" in " ".join(piped.stdout.split())


def test_quiet_leaves_the_summary_and_log_level_turns_prefect_down(folder: Path, tmp_path: Path, prefect_server):
    from prefect.settings import PREFECT_API_URL

    base = [sys.executable, "-m", "pipelines.cli"]
    quiet = subprocess.run([*base, "--quiet", "ingest", str(folder), "--db", str(tmp_path / "q.duckdb")], cwd=ROOT,
                           env=_environment(), capture_output=True, text=True, timeout=240)
    assert quiet.returncode == 0 and quiet.stderr.strip() == "" and "articles: 2 new" in quiet.stdout
    # as a Prefect flow (a server is configured): Prefect's own INFO lines, then none at WARNING
    flow_env = _environment(PREFECT_API_URL=str(PREFECT_API_URL.value()), PREFECT_LOGGING_LEVEL="INFO")
    one = str(folder / "a3.txt")
    loud = subprocess.run([*base, "ingest", one, "--db", str(tmp_path / "l.duckdb")], cwd=ROOT, env=flow_env,
                          capture_output=True, text=True, timeout=240)
    assert loud.returncode == 0, loud.stderr[-2000:]
    assert "Finished in state Completed" in loud.stderr
    hushed = subprocess.run([*base, "--log-level", "warning", "ingest", one, "--db", str(tmp_path / "h.duckdb")],
                            cwd=ROOT, env=flow_env, capture_output=True, text=True, timeout=240)
    assert hushed.returncode == 0, hushed.stderr[-2000:]
    assert "Finished in state" not in hushed.stderr and "INFO" not in hushed.stderr
    assert "articles: 1 new" in " ".join(hushed.stdout.split())


def test_serve_says_its_deployment_cron_timezone_and_next_run():
    from pipelines.crawl_flow import serve_banner, serve_options

    seoul = ZoneInfo("Asia/Seoul")
    lines = serve_banner(serve_options("sources.toml", "data/x.duckdb"), "pressflow-writer-x-0123456789",
                         now=datetime(2026, 3, 7, 23, 15, tzinfo=seoul))
    text = "\n".join(lines)
    assert "serving deployment 'crawl/nightly-crawl': cron '0 2 * * *' (Asia/Seoul)" in text
    assert "next run: 2026-03-08 02:00 Asia/Seoul (in 2 h 45 min)" in text
    assert "pressflow-writer-x-0123456789" in text and f"db={ROOT / 'data' / 'x.duckdb'}" in text
    after_two = serve_banner(serve_options(), None, now=datetime(2026, 3, 8, 2, 30, tzinfo=seoul))
    assert "next run: 2026-03-09 02:00 Asia/Seoul (in 23 h 30 min)" in "\n".join(after_two)


def test_serve_prints_the_banner_before_it_blocks(tmp_path: Path, prefect_server):
    from prefect.settings import PREFECT_API_URL

    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "새빛일보"\nregion = "전라북도"\nhome = "http://127.0.0.1:9/"\n',
                       encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "serve", "--sources", str(sources),
                                "--db", str(tmp_path / "s.duckdb")], cwd=ROOT,
                               env=_environment(PREFECT_API_URL=str(PREFECT_API_URL.value())),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not any(line.startswith("run it now") for line in seen):
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            seen.append(line)
    finally:
        process.terminate()
        process.wait(60)
    text = "".join(seen)
    assert "serving deployment 'crawl/nightly-crawl': cron '0 2 * * *' (Asia/Seoul)" in text, text[-2000:]
    assert "next run: " in text and "Asia/Seoul (in " in text
    assert "global concurrency limit 'pressflow-writer-s-" in text
