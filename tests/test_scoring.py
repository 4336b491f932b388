"""The in-repo scorer (pipelines/scoring.py): the metric's rules on records written here, and
agreement with the reference ../shared/eval/score_records.py on every gold set present."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipelines.scoring import Score, name_match, score_article, score_set
from tests.conftest import EVAL, require

GOLD = {
    "id": "x1", "title": "구로구, 일자리개척단 출범", "published_at": "2025-03-03T09:00:00+09:00",
    "body": "구로구가 일자리개척단을 출범했다.",
    "agencies": [{"name": "구로구", "mentions": ["서울특별시 구로구", "구로구청"]}, {"name": "고용노동부"}],
    "programs": [{"name": "구로구 일자리개척단"}, {"name": "청년 일자리 지원사업"}],
    "dates": [{"text": "12월까지", "start": "2025-03-03", "end": "2025-12-31"}],
    "target_groups": ["중소기업", "구직자"],
    "goals": [{"quantity": 600, "unit": "개사"}, {"quantity": 50, "unit": "명"}],
}


def test_names_match_equal_or_contained_at_sixty_percent():
    assert name_match("‘구로구 일자리개척단’", "구로구일자리개척단") == 2
    assert name_match("일자리개척단", "구로구 일자리개척단") == 1  # 6 of 9 characters
    assert name_match("개척단", "구로구 일자리개척단") == 0  # 3 of 9: too short a part
    assert name_match("", "구로구") == 0


def test_a_perfect_record_scores_one_everywhere():
    assert all(score == Score(1.0, 1.0, 1.0) for score in score_article(GOLD, dict(GOLD)).values())


def test_an_agency_matches_on_any_of_its_forms_and_a_duplicate_earns_nothing():
    predicted = dict(GOLD, agencies=[{"name": "구로구청"}, {"name": "서울특별시 구로구"}, {"name": "고용부"}])
    score = score_article(GOLD, predicted)["agencies"]
    assert (score.precision, score.recall) == (1 / 3, 1 / 2)  # 구로구 once; 고용부 matches no form


def test_dates_and_goals_match_on_values_not_text():
    predicted = dict(GOLD, dates=[{"text": "연말까지", "start": "2025-03-03", "end": "2025-12-31"}],
                     goals=[{"quantity": "600", "unit": "개 사"}, {"quantity": 5, "unit": "명"}])
    scores = score_article(GOLD, predicted)
    assert scores["dates"].f1 == 1.0
    assert (scores["goals"].precision, scores["goals"].recall) == (0.5, 0.5)


def test_a_gold_record_without_prediction_scores_zero_and_is_reported():
    result = score_set([GOLD, dict(GOLD, id="x2")], [dict(GOLD, id="other", source_path="/tmp/x1.txt")])
    assert result.unmatched == ["x2"]  # x1 found by its file name
    assert result.field("title").f1 == 0.5


@pytest.mark.parametrize("set_name", ["seeds", "samples", "heldout", "dev", "real_html", "corpus-W", "corpus-Y",
                                      "corpus-R", "corpus-E", "corpus-S"])
def test_agrees_with_the_reference_scorer(eval_run, tmp_path, set_name):
    """Same numbers as ../shared/eval/score_records.py on every field of every set present."""
    reference = require(EVAL / "score_records.py")
    sets, records, _ = eval_run
    gold_set = next((s for s in sets if s.name == set_name), None)
    if gold_set is None:
        pytest.skip(f"{set_name} is not in ../shared/eval here")
    from pipelines.evaluate import records_of, score

    out = tmp_path / "records.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records_of(gold_set, records)),
                   encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for gold in gold_set.golds():
        (gold_dir / f"{gold['id']}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "report.json"
    subprocess.run([sys.executable, str(reference), str(gold_dir), str(out), "--json", str(report)], check=True,
                   capture_output=True)
    theirs = json.loads(report.read_text())["fields"]
    mine = score(gold_set, records)
    for field, numbers in theirs.items():
        ours = mine.field(field)
        assert (ours.precision, ours.recall, ours.f1) == pytest.approx(
            (numbers["precision"], numbers["recall"], numbers["f1"]), abs=1e-12), field


def test_the_score_table_pools_several_sets(eval_run):
    from pipelines.evaluate import score_table

    sets, records, _ = eval_run
    repo_sets = [s for s in sets if s.name in {"seeds", "heldout"}]
    lines = score_table(repo_sets, records).splitlines()
    assert [line.split("|")[1].strip() for line in lines[2:]] == ["seeds", "heldout", "all"]
    assert lines[-1].split("|")[2].strip() == "37"  # 5 + 32 pages


def test_evaluate_scores_a_folder_and_logs_a_first_look(tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import app
    from tests.conftest import SAMPLES

    log = tmp_path / "FIRST_LOOK.md"
    result = CliRunner().invoke(app, ["evaluate", str(SAMPLES / "seeds"), "--first-look", str(log)])
    assert result.exit_code == 0, result.output
    assert "| seeds | 5 | 0.9" in result.output
    rows = [line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("| 20")]
    assert len(rows) == 1 and "| seeds | 5 |" in rows[0]


def test_evaluate_names_a_folder_without_gold(tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import app

    result = CliRunner().invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2 and "holds no *.gold.json records" in result.output
