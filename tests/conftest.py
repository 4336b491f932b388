"""Shared fixtures: one Prefect test server and one Kiwi per test session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's console handler keeps the stream of the CliRunner that first ran a flow; INFO lines
# written to it after that runner closed would only add noise to the test output.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "eval" / "seeds"
DEV = SHARED / "eval" / "dev"
SAMPLES = ROOT / "pipelines" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVAL = SHARED / "eval"


@pytest.fixture(scope="session")
def prefect_server():
    """A temporary Prefect API for every flow in the session (its start-up is slow: once)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def kiwi():
    from nlp.kiwi_runtime import get_kiwi

    return get_kiwi()


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs ../shared/eval/{path.relative_to(EVAL)}, which is not beside this clone")
    return path


# --- the gold sets, run once per session through ingest → DuckDB → export --------------------


def gold_sets():  # type: ignore[no-untyped-def]
    """Every gold set this clone has: the repo's own always, ../shared/eval's where present.
    The corpus batches keep their last four pages as the sealed pool (scored, never snapshotted)."""
    from pipelines.evaluate import GoldSet, bundled_sets

    sets = [*bundled_sets(SAMPLES), GoldSet("heldout", (FIXTURES / "heldout",), FIXTURES / "heldout")]
    for name in ("dev", "real_html"):
        if (EVAL / name).is_dir():
            sets.append(GoldSet(name, (EVAL / name,), EVAL / name))
    for batch in "WYRES":
        if (EVAL / "corpus" / batch).is_dir():
            sets.append(GoldSet(f"corpus-{batch}", (EVAL / "corpus" / batch,), EVAL / "corpus" / batch, sealed=4))
    return sets


@pytest.fixture(scope="session")
def eval_run(prefect_server, tmp_path_factory):  # type: ignore[no-untyped-def]
    """All gold sets' pages ingested into one database and exported: (sets, records, db path)."""
    from typer.testing import CliRunner

    from pipelines.cli import app
    from warehouse import reading
    from warehouse.export import iter_records

    sets = gold_sets()
    db = tmp_path_factory.mktemp("eval") / "eval.duckdb"
    result = CliRunner().invoke(app, ["ingest", *(str(p) for s in sets for p in s.pages), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with reading(db) as con:
        records = list(iter_records(con))
    return sets, records, db
