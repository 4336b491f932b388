"""Gold sets run through the real path (ingest → DuckDB → export) and scored, and the
analysis snapshot that makes every changed answer visible in review.

A gold set is a folder of pages with `*.gold.json` beside them (or in a folder of their
own). Gold records marked `"is_article": false` (listings, error pages) are not scored.
A set may have a sealed pool: its last `sealed` gold records by id, scored only to report
and never put in a snapshot, so no developer reads them while fixing a rule.
"""
from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import duckdb

from pipelines.scoring import FIELDS, Record, SetScore, load_gold, score_set, stem, table
from warehouse.export import grouped

Pool = Literal["all", "tuning", "sealed"]


@dataclass(frozen=True)
class GoldSet:
    name: str
    pages: tuple[Path, ...]  # folders (or files) ingested for this set
    gold: Path  # the folder holding *.gold.json
    sealed: int = 0  # the last N gold records form the sealed pool

    def golds(self, pool: Pool = "all") -> list[Record]:
        records = [r for r in load_gold(self.gold) if r.get("is_article", True) is not False]
        cut = len(records) - self.sealed if self.sealed else len(records)
        return {"all": records, "tuning": records[:cut], "sealed": records[cut:]}[pool]

    def stems(self, pool: Pool = "all") -> set[str]:
        """File stems of the pages a pool's gold records describe."""
        return {stem(r["source_path"]) if r.get("source_path") else str(r["id"]) for r in self.golds(pool)} | {
            str(r["id"]) for r in self.golds(pool)}


def bundled_sets(samples: Path) -> list[GoldSet]:
    """The gold sets that ship with pressflow: the seed page dumps and the HTML samples."""
    return [GoldSet("seeds", (samples / "seeds",), samples / "seeds"),
            GoldSet("samples", (samples / "html",), samples / "gold")]


def folder_set(folder: Path, name: str | None = None, sealed: int = 0) -> GoldSet:
    """A folder of pages with their gold beside them (the ../shared/eval layout)."""
    if not folder.is_dir():
        raise ValueError(f"{folder}: no such folder")
    if not any(folder.glob("*.gold.json")):
        raise ValueError(f"{folder}: holds no *.gold.json records")
    return GoldSet(name or folder.name, (folder,), folder, sealed)


def records_by_stem(records: Iterable[Record]) -> dict[str, Record]:
    return {stem(r["source_path"]): r for r in records if r.get("source_path")}


def records_of(gold_set: GoldSet, records: Sequence[Record], pool: Pool = "all") -> list[Record]:
    """The exported records that belong to a set's pool: read from one of its page folders,
    from a file of a gold record's name (two sets may both hold an 'R03')."""
    wanted = gold_set.stems(pool)
    folders = [folder.resolve() for folder in gold_set.pages]
    return [r for r in records if r.get("source_path") and stem(r["source_path"]) in wanted
            and any(Path(r["source_path"]).resolve().is_relative_to(folder) for folder in folders)]


def score(gold_set: GoldSet, records: Sequence[Record], pool: Pool = "all") -> SetScore:
    return score_set(gold_set.golds(pool), records_of(gold_set, records, pool))


def score_table(sets: Sequence[GoldSet], records: Sequence[Record], pool: Pool = "all",
                fields: Sequence[str] = FIELDS) -> str:
    """One row per set, and with several sets a last row over all their pages together."""
    rows = [(s.name, len(s.golds(pool)), score(s, records, pool)) for s in sets if s.golds(pool)]
    if len(rows) > 1:
        pooled = SetScore(tuple(article for _, _, result in rows for article in result.articles))
        rows.append(("all", len(pooled.articles), pooled))
    return table(rows, fields)


def first_look_rows(sets: Sequence[GoldSet], records: Sequence[Record], pool: Pool, commit: str,
                    today: date | None = None) -> list[str]:
    """Rows for tests/FIRST_LOOK.md: date, set, pages, F1 per field, commit."""
    day = (today or date.today()).isoformat()
    rows = []
    for gold_set in sets:
        golds = gold_set.golds(pool)
        if golds:
            result = score(gold_set, records, pool)
            name = gold_set.name if pool == "all" else f"{gold_set.name} ({pool})"
            rows.append(f"| {day} | {name} | {len(golds)} | "
                        + " | ".join(f"{result.field(f).f1:.3f}" for f in FIELDS) + f" | {commit} |")
    return rows


FIRST_LOOK_HEADER = ("| date | batch | pages | " + " | ".join(FIELDS) + " | commit |\n"
                     + "|---|---|---|" + "---|" * len(FIELDS) + "---|")


def current_commit(where: Path) -> str:
    """The short commit of the tree `where` is in, with '+' when it has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+" if dirty else "")


# --- the snapshot -------------------------------------------------------------------------------

def snapshot(con: duckdb.DuckDBPyConnection, names: dict[str, str]) -> str:
    """Every article's analysis as reviewable lines: its agencies (with level and region), the
    goals each programme owns, then each mention in body order with what it resolved to and the
    rule that found it (and a goal's role: total or part).

    `names` maps an article id to the name it is shown under. Offsets and sentences are left
    out on purpose: an extraction change that shifts text must not touch every line."""
    shown = sorted((name, article_id) for article_id, name in names.items())
    agencies = grouped(con, "SELECT article_id, name, level, region, mentions FROM article_agencies "
                             "ORDER BY article_id, name")
    mentions = grouped(con, """
        SELECT article_id, kind, text, canonical, date_start, date_end, quantity, unit, object, rule, role
        FROM mentions WHERE kind <> 'person' ORDER BY article_id, start_offset, kind, end_offset, rule, text""")
    owned = grouped(con, "SELECT article_id, program, goals FROM program_facts WHERE len(goals) > 0 "
                         "ORDER BY article_id, program")
    programs = grouped(con, "SELECT article_id, unnest(programs) FROM articles ORDER BY article_id")
    targets = grouped(con, "SELECT article_id, unnest(target_groups) FROM articles ORDER BY article_id")
    lines: list[str] = []
    for name, article_id in shown:
        lines.append(f"## {name}")
        for agency, level, region, forms in agencies.get(article_id, []):
            extra = f" ← {', '.join(forms)}" if forms else ""
            lines.append(f"agency    {agency} [{level or '-'} / {region or '-'}]{extra}")
        lines.extend(sorted(f"program   {program}" for (program,) in programs.get(article_id, [])))
        lines.extend(sorted(f"target    {target}" for (target,) in targets.get(article_id, [])))
        lines.extend(f"goals of  {program}: {' | '.join(goals)}" for program, goals in owned.get(article_id, []))
        for kind, text, canonical, start, end, quantity, unit, obj, rule, role in mentions.get(article_id, []):
            shown_role = f", {role}" if kind == "goal" and role else ""
            lines.append(f"  {kind:<12} {text} → {_value(kind, canonical, start, end, quantity, unit, obj)}"
                         f"  ({rule or '?'}{shown_role})")
        lines.append("")
    return "\n".join(lines)


def _value(kind: str, canonical: str | None, start: date | None, end: date | None, quantity: float | None,
           unit: str | None, obj: str | None) -> str:
    if kind == "date":
        return f"{start}..{end}"
    if kind == "goal":
        amount = int(quantity) if quantity is not None and float(quantity).is_integer() else quantity
        return f"{amount} {unit or ''}" + (f" of {obj}" if obj else "")
    return canonical or "-"

