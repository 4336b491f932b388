"""notebooks/explore.ipynb runs top to bottom on a freshly ingested database."""
from __future__ import annotations

import nbformat
from nbclient import NotebookClient
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import ROOT


def test_notebook_runs_top_to_bottom(prefect_server, tmp_path, monkeypatch):
    db = tmp_path / "demo.duckdb"
    assert CliRunner().invoke(app, ["ingest", "--db", str(db)]).exit_code == 0
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    monkeypatch.setenv("PRESSFLOW_DB", str(db))
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})  # the kernel inherits os.environ
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    assert "구로구" in text and "morphemes:" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the charts were drawn
