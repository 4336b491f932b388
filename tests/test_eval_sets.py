"""The regression harness: every gold set scored end to end, and a golden snapshot of every
article's analysis with the rule behind each answer.

Any change of analysis fails `test_snapshot` with the diff of the answers it changed; a
reviewed change is accepted with `make accept-snapshot` (which rewrites tests/snapshots/),
so the commit shows each changed answer. The sealed pools are scored, never snapshotted.
Floors catch a snapshot accepted with a score it should not have lost.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from pipelines.evaluate import records_of, score, snapshot
from pipelines.scoring import stem
from warehouse import reading

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
ACCEPT = os.environ.get("PRESSFLOW_ACCEPT_SNAPSHOT") == "1"

# F1 floors per set and field: where the pipeline is (rounded down), raised as it improves.
# real_html is scored on extraction only (its entity lists are empty on purpose).
FLOORS = {
    "seeds": {"body": 0.99, "title": 1.0, "published_at": 1.0, "agencies": 0.93, "programs": 0.92, "dates": 1.0,
              "target_groups": 0.98, "goals": 1.0},
    "samples": {"body": 0.99, "title": 1.0, "published_at": 1.0, "agencies": 0.94, "programs": 0.80, "dates": 1.0,
                "target_groups": 0.5, "goals": 1.0},
    "heldout": {"body": 0.99, "title": 1.0, "published_at": 1.0, "agencies": 0.92, "programs": 0.93, "dates": 0.97,
                "target_groups": 0.70, "goals": 0.93},
    "dev": {"body": 0.99, "title": 1.0, "published_at": 1.0, "agencies": 0.96, "programs": 0.91, "dates": 0.97,
            "target_groups": 0.85, "goals": 1.0},
    "real_html": {"body": 0.99, "title": 1.0, "published_at": 1.0},
    # the corpus's tuning pools (pages 01-16 of each batch)
    "corpus-W": {"body": 0.98, "agencies": 0.73, "programs": 0.52, "dates": 0.84, "target_groups": 0.51, "goals": 0.90},
    "corpus-Y": {"body": 0.98, "agencies": 0.85, "programs": 0.86, "dates": 0.83, "target_groups": 0.68, "goals": 0.90},
    "corpus-R": {"body": 0.98, "agencies": 0.86, "programs": 0.68, "dates": 0.86, "target_groups": 0.72, "goals": 0.83},
    "corpus-E": {"body": 0.98, "agencies": 0.76, "programs": 0.63, "dates": 0.99, "target_groups": 0.63, "goals": 0.89},
    "corpus-S": {"body": 0.98, "agencies": 0.78, "programs": 0.57, "dates": 0.98, "target_groups": 0.61, "goals": 0.75},
}


def _gold_set(eval_run, name: str):  # type: ignore[no-untyped-def]
    sets, records, db = eval_run
    gold_set = next((s for s in sets if s.name == name), None)
    if gold_set is None:
        pytest.skip(f"{name}: its pages are not here (they live in ../shared/eval)")
    return gold_set, records, db


@pytest.mark.parametrize("name", list(FLOORS))
def test_scores_reach_their_floors(eval_run, name):
    gold_set, records, _ = _gold_set(eval_run, name)
    pool = "tuning" if gold_set.sealed else "all"
    result = score(gold_set, records, pool)
    below = {field: round(result.field(field).f1, 3) for field, floor in FLOORS[name].items()
             if result.field(field).f1 < floor}
    assert not below, f"{name}: fields below their floor: {below}"


@pytest.mark.parametrize("name", list(FLOORS))
def test_snapshot(eval_run, name):
    """The analysis of every page of the set (its tuning pool where it has a sealed one)."""
    gold_set, records, db = _gold_set(eval_run, name)
    names = {r["id"]: stem(r["source_path"]) for r in records_of(gold_set, records, "tuning")}
    with reading(db) as con:
        current = snapshot(con, names)
    path = SNAPSHOTS / f"{name}.txt"
    if ACCEPT:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(current, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path.name} does not exist yet: run `make accept-snapshot` and review the new file")
    accepted = path.read_text(encoding="utf-8")
    if current != accepted:
        diff = "\n".join(difflib.unified_diff(accepted.splitlines(), current.splitlines(), f"accepted/{name}",
                                              f"now/{name}", lineterm="", n=1))
        pytest.fail(f"the analysis of {name} changed; review the diff, then `make accept-snapshot`:\n{diff}")


def test_every_mention_names_a_known_rule(eval_run):
    """mentions.rule is filled for every row, with a rule from the documented families."""
    _, _, db = eval_run
    with reading(db) as con:
        rules = dict(con.execute("SELECT coalesce(rule, '(none)'), count(*) FROM mentions GROUP BY ALL").fetchall())
        kinds = con.execute("SELECT DISTINCT kind, split_part(rule, '.', 1) FROM mentions").fetchall()
    assert rules and not [rule for rule in rules if rule == "(none)" or rule.endswith(".?")], rules
    assert all(family == kind.split("_")[0] for kind, family in kinds), kinds


def test_every_rule_that_fires_is_documented(eval_run):
    """nlp/RULES.md names every rule id the gold sets make the analyser use."""
    _, _, db = eval_run
    documented = (Path(__file__).resolve().parents[1] / "nlp" / "RULES.md").read_text(encoding="utf-8")
    with reading(db) as con:
        fired = {rule for (rule,) in con.execute("SELECT DISTINCT rule FROM mentions").fetchall()}
    undocumented = sorted(rule for rule in fired if f"`{rule}`" not in documented)
    assert fired and not undocumented, f"rules missing from nlp/RULES.md: {undocumented}"
