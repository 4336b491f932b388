"""Full-text search over the warehouse: BM25 on Kiwi morphemes (the `search_bm25` macro)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

_SNIPPET_WIDTH = 40


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float
    title: str | None
    outlet: str | None
    published_at: datetime | None
    snippet: str


def search(con: duckdb.DuckDBPyConnection, terms: list[str], limit: int = 10) -> list[SearchHit]:
    """The best matches for the query morphemes, best first."""
    if not terms:
        return []
    rows = con.execute("""
        SELECT s.article_id, s.score, a.title, a.outlet, a.published_at, a.body
        FROM search_bm25(?) s JOIN articles a USING (article_id)
        ORDER BY s.matched_terms DESC, s.score DESC, a.published_at DESC NULLS LAST LIMIT ?
    """, [terms, limit]).fetchall()
    return [SearchHit(article_id, round(score, 4), title, outlet, published, snippet(body or "", terms))
            for article_id, score, title, outlet, published, body in rows]


def snippet(body: str, terms: list[str]) -> str:
    """The body around the first place a query term occurs."""
    positions = [body.find(term) for term in terms if term and body.find(term) >= 0]
    if not positions:
        return body[: _SNIPPET_WIDTH * 2].replace("\n", " ")
    at = min(positions)
    start, end = max(0, at - _SNIPPET_WIDTH), min(len(body), at + _SNIPPET_WIDTH)
    return ("…" if start else "") + body[start:end].replace("\n", " ") + ("…" if end < len(body) else "")
