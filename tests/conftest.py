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
        pytest.skip(f"{path} is not here (it lives in the workplace's shared/ folder)")
    return path
