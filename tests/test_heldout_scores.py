"""Our own held-out articles (tests/fixtures/heldout: 32 original articles across topics, with
gold by the annotation guide), scored end to end like the seeds. Floors are where we are."""
from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import FIXTURES, SHARED, require

HELDOUT = FIXTURES / "heldout"
FLOORS = {"body": 0.99, "title": 1.0, "published_at": 1.0, "agencies": 0.9, "programs": 0.85,
          "dates": 0.93, "target_groups": 0.68, "goals": 0.9}


def test_heldout_scores_reach_their_floors(prefect_server, tmp_path):
    scorer = require(SHARED / "eval" / "score_records.py")
    db, out = tmp_path / "heldout.duckdb", tmp_path / "heldout.jsonl"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(HELDOUT), "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--out", str(out)]).exit_code == 0
    report = tmp_path / "score.json"
    subprocess.run([sys.executable, str(scorer), str(HELDOUT), str(out), "--json", str(report)], check=True,
                   capture_output=True)
    result = json.loads(report.read_text())
    assert result["unmatched_gold"] == []
    below = {f: round(result["fields"][f]["f1"], 3) for f, floor in FLOORS.items()
             if result["fields"][f]["f1"] < floor}
    assert not below, f"fields below their floor: {below}"
