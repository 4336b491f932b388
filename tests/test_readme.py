"""The README runs as written (issue 16). The tour is every ```sh block between the heading
'## A five-minute tour' and the next '## ' heading; each command of it runs, as written, in a fresh
folder that holds only `.venv` (this test's environment) and `pipelines` (the bundled samples), and
its outputs land under data/. Nothing in the README, the Makefile or a test's skip message points
outside the repo except ../shared/eval."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"


def sh_blocks(heading: str) -> list[list[str]]:
    """The commands of the ```sh blocks under `heading` (up to the next heading of its level or
    higher, outside fences): comment lines dropped, backslash continuations joined."""
    level = len(heading.split(" ")[0])
    lines = README.read_text(encoding="utf-8").splitlines()
    blocks: list[list[str]] = []
    inside, fence, pending = False, None, ""
    for line in lines:
        if line == heading:
            inside = True
            continue
        if not inside:
            continue
        if fence is None and re.match(rf"#{{1,{level}}} ", line):
            break                                                  # the next section
        if line.startswith("```"):
            if fence is None:
                fence = line[3:].strip()
                if fence == "sh":
                    blocks.append([])
            else:
                fence = None
            continue
        if fence != "sh" or not line.strip() or line.lstrip().startswith("#"):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        blocks[-1].append(pending)
        pending = ""
    return blocks


def _venv() -> Path:
    """The environment running the tests: ROOT/.venv under `make test`."""
    return Path(sys.executable).parent.parent


def test_the_tour_runs_as_written_on_the_samples(tmp_path: Path):
    commands = [command for block in sh_blocks("## A five-minute tour") for command in block]
    assert len(commands) >= 10 and all(command.startswith(".venv/bin/") for command in commands)
    (tmp_path / ".venv").symlink_to(_venv(), target_is_directory=True)
    (tmp_path / "pipelines").symlink_to(ROOT / "pipelines", target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API") and k != "PRESSFLOW_USE_PREFECT"}
    for command in commands:
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, (command, result.stdout[-1500:], result.stderr[-1500:])
        assert "Traceback" not in result.stderr, (command, result.stderr[-1500:])
    made = {path.name for path in tmp_path.iterdir()} - {".venv", "pipelines"}
    assert made == {"data"}, made                                  # every output under data/
    data = tmp_path / "data"
    assert (data / "pressflow.duckdb").is_file() and (data / "records.jsonl").stat().st_size > 0
    assert any((data / "parquet").rglob("*.parquet"))


def test_the_team_set_up_is_written_with_venv_paths():
    blocks = sh_blocks("### A team's Prefect server")
    assert len(blocks) == 1
    for command in blocks[0]:
        assert command.startswith(".venv/bin/"), command          # `prefect` alone is not on PATH


SHARED = re.compile(r"\.\./shared[^\s`'\")]*")


@pytest.mark.parametrize("path", ["README.md", "Makefile", "prefect.yaml"])
def test_nothing_outside_the_repo_but_shared_eval(path: str):
    text = (ROOT / path).read_text(encoding="utf-8")
    outside = [hit for hit in SHARED.findall(text) if not hit.startswith("../shared/eval")]
    assert outside == [], outside


def test_skip_messages_name_only_shared_eval():
    for test_file in sorted((ROOT / "tests").glob("*.py")):
        for message in re.findall(r"pytest\.skip\((f?\"[^\"]*\")", test_file.read_text(encoding="utf-8")):
            if "shared" in message:
                assert "../shared/eval" in message and "shared/ folder" not in message, (test_file.name, message)
