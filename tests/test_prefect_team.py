"""A team's Prefect set-up (issue 16), against the session's local Prefect server: the README's
commands as written (less the two that block: `server start` and `worker start`), `prefect deploy`
of prefect.yaml, `deployment ls`, `artifact ls` — with the pinned versions, none of them may answer
HTTP 422 — and the one-writer limit: a flow that writes waits while another holds the database's slot."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.test_readme import sh_blocks


@pytest.fixture
def team_env(prefect_server, tmp_path: Path) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_API_URL=str(PREFECT_API_URL.value()), PREFECT_HOME=str(tmp_path / "prefect-home"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PWD=str(ROOT), COLUMNS="220")
    return env


def _run(command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    if not (ROOT / ".venv" / "bin").is_dir():  # tests run from another environment: use its programs
        import sys

        command = command.replace(".venv/bin/", f"{Path(sys.executable).parent}/")
    return subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def _ok(result: subprocess.CompletedProcess, command: str) -> str:
    said = result.stdout + result.stderr
    assert result.returncode == 0, (command, said[-3000:])
    assert "Traceback" not in said and "422" not in said, (command, said[-3000:])
    return said


def test_the_readme_team_set_up_deploys_and_lists(team_env: dict[str, str]):
    commands = sh_blocks("### A team's Prefect server")[0]
    blocking = [c for c in commands if " server start" in c or " worker start" in c]
    assert len(blocking) == 2 and all("in its own shell" in c for c in blocking)
    said = {}
    for command in commands:
        if command in blocking:
            continue
        said[command.split("#")[0].strip()] = _ok(_run(command, team_env), command)
    listing = said[".venv/bin/prefect deployment ls"]
    assert "crawl/nightly-crawl" in listing and "pressflow" in listing
    inspect = _ok(_run(".venv/bin/prefect deployment inspect crawl/nightly-crawl", team_env), "inspect")
    assert "'cron': '0 2 * * *'" in inspect and "'timezone': 'Asia/Seoul'" in inspect
    assert f"'directory': '{ROOT}'" in inspect and "'db': 'data/pressflow.duckdb'" in inspect
    limits = _ok(_run(".venv/bin/prefect gcl ls", team_env), "gcl ls")
    assert "pressflow-writer-pressflow-" in limits


def test_artifact_ls_lists_what_a_run_left(team_env: dict[str, str], tmp_path: Path):
    from pipelines.flows import ingest_flow

    page = ROOT / "pipelines" / "samples" / "html" / "a1_hanbitilbo.html"
    ingest_flow([str(page)], str(tmp_path / "a.duckdb"))
    said = _ok(_run(".venv/bin/prefect artifact ls", team_env), "artifact ls")
    assert "ingest-summary" in said


def test_a_writing_flow_waits_for_the_database_writer_slot(prefect_server, tmp_path: Path):
    from prefect.concurrency.sync import concurrency

    from pipelines.flows import ingest_flow
    from pipelines.writer_slot import ensure_writer_limit, writer_limit_name

    db = tmp_path / "w.duckdb"
    name = ensure_writer_limit(db)
    assert name == writer_limit_name(str(db)) and name.startswith("pressflow-writer-w-")
    page = ROOT / "pipelines" / "samples" / "html" / "a2_saejeonbuktimes.html"
    finished: list[float] = []
    with concurrency(name, occupy=1, strict=True):                # another writer holds the file
        worker = threading.Thread(target=lambda: (ingest_flow([str(page)], str(db)),
                                                  finished.append(time.monotonic())))
        worker.start()
        time.sleep(8)
        assert not finished and not db.exists()                    # it waits: no run, not even the file
        released = time.monotonic()
    worker.join(180)
    assert finished and finished[0] >= released
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT kind, status FROM runs").fetchall() == [("ingest", "ok")]
    finally:
        con.close()
