-- Korean full-text search: Kiwi morphemes per article and a BM25 ranking as a table macro.
-- Works offline with any duckdb (the fts extension would need a download and drops Hangul).

CREATE TABLE search_docs (
    article_id VARCHAR PRIMARY KEY,
    length     INTEGER NOT NULL            -- number of indexed morphemes (title + body)
);

CREATE TABLE search_terms (
    article_id VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,           -- a content morpheme: noun, foreign word, root, verb stem
    tf         INTEGER NOT NULL,
    PRIMARY KEY (article_id, term)
);

-- BM25 (k1 = 1.2, b = 0.75) of every article against a list of query morphemes:
--   SELECT * FROM search_bm25(['이동노동자', '쉼터']) JOIN articles USING (article_id) ORDER BY score DESC;
-- `pressflow search` turns a query into morphemes with the same Kiwi analysis.
CREATE MACRO search_bm25(query_terms) AS TABLE
    WITH q AS (SELECT DISTINCT unnest(query_terms) AS term),
         stats AS (SELECT count(*)::DOUBLE AS docs, coalesce(avg(length), 1)::DOUBLE AS avg_length FROM search_docs),
         df AS (SELECT t.term, count(*)::DOUBLE AS df FROM search_terms t JOIN q USING (term) GROUP BY t.term)
    SELECT t.article_id,
           sum(ln(1 + (stats.docs - df.df + 0.5) / (df.df + 0.5))
               * t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * d.length / stats.avg_length))) AS score,
           count(DISTINCT t.term) AS matched_terms
    FROM search_terms t JOIN df USING (term) JOIN search_docs d USING (article_id) CROSS JOIN stats
    GROUP BY t.article_id;
