"""Full-text search over the warehouse: BM25 on Kiwi morphemes (the `search_bm25` macro).

The index holds the morphemes Kiwi made of each article ('이동노동자' is indexed as 이동 +
노동자), so a query must be cut the same way. pressflow's connections (`register`) define
`search_bm25(query)` for that: a query string or a list of words goes through the same Kiwi
analysis as the articles (nlp.kiwi_runtime.query_terms) and then through the stored BM25 macro
`search_bm25_terms(morphemes)`. A plain duckdb session, which has no Kiwi, keeps the stored
`search_bm25(morphemes)`."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

_SNIPPET_WIDTH = 40

Query = str | Sequence[str]


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    score: float
    title: str | None
    outlet: str | None
    published_at: datetime | None
    snippet: str


def query_morphemes(query: Query | None) -> list[str]:
    """The index terms of a query: a string is analysed by Kiwi as the articles were; each word of
    a list is too, and kept as given besides (a list of morphemes still means what it said)."""
    from nlp.kiwi_runtime import query_terms

    if query is None:
        return []
    if isinstance(query, str):
        return query_terms(query)
    terms: dict[str, None] = {}
    for word in query:
        if word is None:
            continue
        word = str(word)
        if word.strip():
            terms[word.strip()] = None
        terms.update(dict.fromkeys(query_terms(word)))
    return list(terms)


def _terms_of_json(query_json: str | None) -> list[str]:
    """The SQL side of query_morphemes: the macro hands over its argument as JSON (a string
    or a list), the one form that tells the two apart."""
    if query_json is None:
        return []
    value = json.loads(query_json)
    if value is None:
        return []
    return query_morphemes(value if isinstance(value, str) else [str(v) for v in value if v is not None])


QUERY_TERMS_FUNCTION = "pressflow_query_terms"


def register(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Give a connection `search_bm25(query)` for query strings and word lists (a temporary
    macro over the stored one, and the Kiwi function it calls). Kiwi loads at the first query."""
    try:
        con.create_function(QUERY_TERMS_FUNCTION, _terms_of_json, ["VARCHAR"], "VARCHAR[]", side_effects=False,
                            null_handling="special")
    except duckdb.CatalogException as error:
        # connections of one process to one file share a database instance, and its functions
        if "already exists" not in str(error):
            raise
    con.execute(f"""CREATE OR REPLACE TEMP MACRO search_bm25(query) AS TABLE
                    SELECT * FROM search_bm25_terms({QUERY_TERMS_FUNCTION}(to_json(query)))""")
    return con


def search(con: duckdb.DuckDBPyConnection, query: Query, limit: int = 10) -> list[SearchHit]:
    """The best matches for a query (a string, or a list of words), best first; `con` is a
    connection `register` prepared (every pressflow connection is)."""
    rows = con.execute("""
        SELECT s.article_id, s.score, a.title, a.outlet, a.published_at, a.body
        FROM search_bm25(?) s JOIN articles a USING (article_id)
        ORDER BY s.matched_terms DESC, s.score DESC, a.published_at DESC NULLS LAST LIMIT ?
    """, [query, limit]).fetchall()
    terms = query_morphemes(query)
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
