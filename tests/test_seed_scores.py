"""The seeds scored end to end (ingest → export → ../shared/eval/score_records.py).

Floors are where the pipeline honestly is; raise them as the stages improve."""
from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import SEEDS, SHARED, require

FLOORS = {"body": 0.97, "title": 1.0, "published_at": 1.0, "agencies": 0.9, "programs": 0.9,
          "dates": 0.95, "target_groups": 0.85, "goals": 0.95}


def test_seed_scores_reach_their_floors(prefect_server, tmp_path):
    scorer = require(SHARED / "eval" / "score_records.py")
    db, out = tmp_path / "seeds.duckdb", tmp_path / "seeds.jsonl"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(require(SEEDS)), "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--out", str(out)]).exit_code == 0
    report = tmp_path / "score.json"
    subprocess.run([sys.executable, str(scorer), str(SEEDS), str(out), "--json", str(report)], check=True,
                   capture_output=True)
    fields = json.loads(report.read_text())["fields"]
    below = {f: round(fields[f]["f1"], 3) for f, floor in FLOORS.items() if fields[f]["f1"] < floor}
    assert not below, f"fields below their floor: {below}"
