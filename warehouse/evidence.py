"""One article with every fact extracted from it, read back for `pressflow show`.

Reading only: the rows become plain dataclasses here, and pipelines/show.py renders them
(terminal and HTML) without touching the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import duckdb

KST = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class Fact:
    """A mention as stored: its kind, where it is in the body, and the rule that found it."""
    number: int  # mentions.mention_no
    kind: str
    text: str
    start: int
    end: int
    sentence: str | None = None
    canonical: str | None = None
    rule: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    quantity: float | None = None
    unit: str | None = None
    object: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class AgencyRow:
    name: str
    surface_forms: tuple[str, ...] = ()
    level: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class ProgrammeRow:
    program: str
    sentence_index: int | None = None
    agencies: tuple[str, ...] = ()
    region: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    target_groups: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleEvidence:
    article_id: str
    title: str | None
    outlet: str | None
    url: str | None
    source_path: str | None
    reporter: str | None
    reporter_email: str | None
    published_at: datetime | None  # in Asia/Seoul
    body: str
    facts: tuple[Fact, ...]
    agencies: tuple[AgencyRow, ...] = ()
    programmes: tuple[ProgrammeRow, ...] = ()
    analyser_version: str | None = None


class ArticleNotFound(LookupError):
    """No article answers to the id or address given (or more than one does)."""


def find_article(con: duckdb.DuckDBPyConnection, key: str) -> str:
    """The article_id of an article named by its id, its URL, its canonical URL, the URL its
    page was finally fetched from, or the file it was read from."""
    key = key.strip()
    rows = con.execute("""
        SELECT DISTINCT a.article_id FROM articles a LEFT JOIN raw_pages p USING (page_id)
        WHERE a.article_id = $key OR a.url = $key OR a.canonical_url = $key OR p.final_url = $key
              OR a.source_path = $key
        ORDER BY 1
    """, {"key": key}).fetchall()
    if not rows:
        raise ArticleNotFound(f"no article with the id or URL {key!r} in this database")
    exact = [row[0] for row in rows if row[0] == key]
    if exact:
        return exact[0]
    if len(rows) > 1:
        ids = ", ".join(row[0] for row in rows)
        raise ArticleNotFound(f"{key!r} names {len(rows)} articles ({ids}); give one of these ids")
    return rows[0][0]


def load_evidence(con: duckdb.DuckDBPyConnection, article_id: str) -> ArticleEvidence:
    """The article and its mentions (in body order), agencies and programme facts."""
    found = con.execute("""
        SELECT article_id, title, outlet, coalesce(canonical_url, url), source_path, reporter, reporter_email,
               published_at, body, analyser_version
        FROM articles WHERE article_id = ?""", [article_id]).fetchall()
    if not found:
        raise ArticleNotFound(f"no article with the id {article_id!r} in this database")
    (article_id, title, outlet, url, source_path, reporter, email, published, body, version) = found[0]
    facts = tuple(Fact(*row) for row in con.execute("""
        SELECT mention_no, kind, text, start_offset, end_offset, sentence, canonical, rule,
               date_start, date_end, quantity, unit, object, role
        FROM mentions WHERE article_id = ? ORDER BY start_offset, end_offset DESC, mention_no""",
        [article_id]).fetchall())
    agencies = tuple(AgencyRow(name, tuple(forms or ()), level, region) for name, forms, level, region in
                     con.execute("SELECT name, mentions, level, region FROM article_agencies WHERE article_id = ? "
                                 "ORDER BY name", [article_id]).fetchall())
    programmes = tuple(
        ProgrammeRow(program, index, tuple(agencies_ or ()), region, start, end, tuple(targets or ()),
                     tuple(goals or ()))
        for program, index, agencies_, region, start, end, targets, goals in con.execute("""
            SELECT program, sentence_index, agencies, region, date_start, date_end, target_groups, goals
            FROM program_facts WHERE article_id = ? ORDER BY sentence_index NULLS LAST, program""",
            [article_id]).fetchall())
    return ArticleEvidence(article_id=article_id, title=title, outlet=outlet, url=url, source_path=source_path,
                           reporter=reporter, reporter_email=email,
                           published_at=published.astimezone(KST) if published is not None else None,
                           body=body or "", facts=facts, agencies=agencies, programmes=programmes,
                           analyser_version=version)
