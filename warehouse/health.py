"""The operator's morning: the last runs, what each did to the articles, and each source's health over
recent nights (the views `run_history`, `source_nights` and the macro `source_health`, migration 013).
Read-only questions; the CLI (`pressflow runs`, `pressflow report`) and the crawl's artifact print them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import duckdb

RUN_COLUMNS = ["run_id", "kind", "status", "started_at", "duration_s", "pages", "articles_new", "articles_updated",
               "articles_unchanged", "articles_copies", "skipped", "failures"]
HEALTH_COLUMNS = ["source", "nights", "articles", "articles_new", "empty_bodies", "missing_dates", "http_4xx",
                  "http_5xx", "robots_blocked", "duplicates", "not_articles", "silent_nights", "quality_latest",
                  "quality_before", "flags"]


@dataclass(frozen=True)
class RunCounts:
    """What a run did to the articles: the database gained `new`; the rest replaced or repeated rows."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    copies: int = 0

    @property
    def loaded(self) -> int:
        return self.new + self.updated + self.unchanged + self.copies

    def sentence(self) -> str:
        """'17 new, 2 updated, 249 unchanged or copies' in words an operator reads at a glance."""
        parts = [f"{self.new} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.copies:
            parts.append(f"{self.copies} copies of articles this run had already loaded (kept once)")
        return ", ".join(parts)


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> RunCounts:
    rows = dict(con.execute("SELECT outcome, count(*) FROM article_loads WHERE run_id = ? GROUP BY outcome",
                            [run_id]).fetchall())
    return RunCounts(rows.get("new", 0), rows.get("updated", 0), rows.get("unchanged", 0), rows.get("copy", 0))


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int = 10, kind: str | None = None) -> list[tuple]:
    """The last runs, newest first, as RUN_COLUMNS."""
    where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
    return con.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM run_history {where} "
                       "ORDER BY started_at DESC LIMIT ?", [*params, limit]).fetchall()


_NUMBERS = re.compile(r"\d[\d,.]*")


def reason_class(reason: str | None) -> str:
    """A skip reason without its page's own figures, so pages skipped for one reason group:
    "no prose (12 chars of body)" and "no prose (40 chars of body)" are one reason."""
    if not reason:
        return "no reason recorded"
    return re.sub(r"\s*\(N chars of body\)", "", _NUMBERS.sub("N", reason)).strip()


@dataclass(frozen=True)
class SkipGroup:
    kind: str
    reason: str
    pages: int
    likely_articles: int


def skipped_by_reason(con: duckdb.DuckDBPyConnection, run_id: str) -> list[SkipGroup]:
    """A run's skipped pages grouped by kind and reason, the largest group first."""
    groups: dict[tuple[str, str], list[int]] = {}
    for kind, reason, likely in con.execute("SELECT page_kind, reason, coalesce(likely_article, false) "
                                            "FROM skipped_pages WHERE run_id = ?", [run_id]).fetchall():
        counts = groups.setdefault((kind, reason_class(reason)), [0, 0])
        counts[0] += 1
        counts[1] += int(bool(likely))
    return sorted((SkipGroup(kind, reason, pages, likely) for (kind, reason), (pages, likely) in groups.items()),
                  key=lambda g: (-g.pages, g.kind, g.reason))


@dataclass(frozen=True)
class SourceHealth:
    source: str
    nights: int
    articles: int
    articles_new: int
    empty_bodies: int
    missing_dates: int
    http_4xx: int
    http_5xx: int
    robots_blocked: int
    duplicates: int
    not_articles: int
    silent_nights: int
    quality_latest: float | None
    quality_before: float | None
    flags: list[str]


def source_health(con: duckdb.DuckDBPyConnection, nights: int = 7) -> list[SourceHealth]:
    """Each crawled source over its last `nights` crawls, flagged sources first."""
    rows = con.execute(f"SELECT {', '.join(HEALTH_COLUMNS)} FROM source_health(?)", [nights]).fetchall()
    return [SourceHealth(*row[:-1], flags=list(row[-1] or [])) for row in rows]


def crawl_nights(con: duckdb.DuckDBPyConnection, nights: int) -> list[tuple[str, datetime]]:
    """The crawl runs the report covers, newest first."""
    return con.execute("SELECT run_id, started_at FROM runs WHERE kind = 'crawl' AND status <> 'running' "
                       "ORDER BY started_at DESC LIMIT ?", [nights]).fetchall()


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(100 * value)}%"


def health_table(rows: list[SourceHealth]) -> tuple[list[str], list[list[str]]]:
    """Header and cells of the report, for a terminal table or markdown."""
    header = ["source", "nights", "articles", "new", "empty bodies", "no date", "4xx", "5xx", "robots",
              "duplicates", "not articles", "quality now / before", "flags"]
    cells = [[r.source, str(r.nights), str(r.articles), str(r.articles_new), str(r.empty_bodies),
              str(r.missing_dates), str(r.http_4xx), str(r.http_5xx), str(r.robots_blocked), str(r.duplicates),
              str(r.not_articles), f"{_percent(r.quality_latest) or '-'} / {_percent(r.quality_before) or '-'}",
              "; ".join(r.flags) or "ok"] for r in rows]
    return header, cells


def health_markdown(rows: list[SourceHealth], nights: int) -> str:
    """The report as markdown: the crawl flow's artifact."""
    header, cells = health_table(rows)
    flagged = [r for r in rows if r.flags]
    lines = [f"## Source health over the last {nights} nights", "",
             f"{len(flagged)} of {len(rows)} sources flagged" + (": " + ", ".join(
                 f"{r.source} ({'; '.join(r.flags)})" for r in flagged) if flagged else "."), "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in cells]
    return "\n".join(lines)
