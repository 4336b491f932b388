"""Versions that cannot go stale, and `reprocess --stale` re-running exactly the old rows."""
from __future__ import annotations

import shutil
from importlib.metadata import version
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from extractors.fingerprint import fingerprint, fingerprint_of
from extractors.model import EXTRACTOR_VERSION
from nlp.model import ANALYSER_VERSION
from pipelines.cli import app
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()


def test_a_one_line_rule_edit_changes_the_analyser_version(tmp_path):
    copy = tmp_path / "nlp"
    shutil.copytree(ROOT / "nlp", copy, ignore=shutil.ignore_patterns("__pycache__"))
    kiwi = "kiwipiepy " + version("kiwipiepy")
    assert fingerprint_of(copy, kiwi) == fingerprint("nlp", kiwi) == ANALYSER_VERSION.rsplit("+", 1)[1]
    cues = copy / "data" / "cues.tsv"
    lines = cues.read_text(encoding="utf-8").splitlines(keepends=True)
    cues.write_text("".join(line for line in lines if not line.startswith("target.not_served\t홍보\t")),
                    encoding="utf-8")
    assert len(cues.read_text(encoding="utf-8").splitlines()) == len(lines) - 1
    assert fingerprint_of(copy, kiwi) != fingerprint("nlp", kiwi)
    rules = copy / "targets.py"
    assert "(?:들)?(?:에게|" in rules.read_text(encoding="utf-8")
    rules.write_text(rules.read_text(encoding="utf-8").replace("(?:들)?(?:에게|", "(?:들)?(?:에게서|에게|", 1),
                     encoding="utf-8")
    assert fingerprint_of(copy, kiwi) != fingerprint_of(ROOT / "nlp", kiwi) != fingerprint("nlp", "kiwipiepy 0")
    assert fingerprint_of(ROOT / "nlp", "kiwipiepy 0.0.1") != fingerprint("nlp", kiwi)  # a new Kiwi: new answers


def test_lexicon_rows_and_profiles_count_too(tmp_path):
    copy = tmp_path / "extractors"
    shutil.copytree(ROOT / "extractors", copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert fingerprint_of(copy) == EXTRACTOR_VERSION.rsplit("+", 1)[1]
    profiles = copy / "profiles.toml"
    profiles.write_text(profiles.read_text(encoding="utf-8") + "\n# a comment is an edit too\n", encoding="utf-8")
    assert fingerprint_of(copy) != EXTRACTOR_VERSION.rsplit("+", 1)[1]


def _versions(db: Path) -> dict[str, tuple[str, str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {Path(p).name: (e, a, r) for p, e, a, r in con.execute(
            "SELECT source_path, extractor_version, analyser_version, run_id FROM articles").fetchall()}
    finally:
        con.close()


def test_reprocess_stale_reruns_exactly_the_rows_older_versions_made(prefect_server, tmp_path):
    db = tmp_path / "stale.duckdb"
    assert runner.invoke(app, ["ingest", str(SAMPLES / "seeds"), "--db", str(db)]).exit_code == 0
    con = duckdb.connect(str(db))  # rows as an analyser and an extractor from before an edit left them
    con.execute("UPDATE articles SET analyser_version = 'analyse-0.3.0+0000000000' WHERE source_path LIKE '%001_%'")
    con.execute("UPDATE mentions SET analyser_version = 'analyse-0.3.0+0000000000', rule = NULL "
                "WHERE article_id IN (SELECT article_id FROM articles WHERE source_path LIKE '%001_%')")
    con.execute("UPDATE articles SET extractor_version = 'extract-0.2.0+0000000000' WHERE source_path LIKE '%003_%'")
    con.close()
    before = _versions(db)

    result = runner.invoke(app, ["reprocess", "--stale", "--db", str(db)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "1 articles with a stale extractor version" in output
    assert "1 articles with a stale analyser version" in output
    after = _versions(db)
    assert {v[:2] for v in after.values()} == {(EXTRACTOR_VERSION, ANALYSER_VERSION)}
    rerun = {name for name in after if after[name][2] != before[name][2]}
    assert {name[:3] for name in rerun} == {"001", "003"}  # the other three were left alone
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM mentions WHERE rule IS NULL").fetchall() == [(0,)]
    con.close()

    again = runner.invoke(app, ["reprocess", "--stale", "--db", str(db)])
    assert again.exit_code == 0 and "0 articles with a stale extractor" in " ".join(again.output.split())
    assert _versions(db) == after


def test_stale_and_where_together_are_refused(tmp_path):
    result = runner.invoke(app, ["reprocess", "--stale", "--where", "1=1", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2 and "without --where" in result.output
