-- pressflow warehouse, schema version 10 (issue 15). Idempotent (CREATE OR REPLACE), so it can be
-- renumbered if it must land after a later migration.

-- BM25 over a list of morphemes, under its own name: pressflow's connections define
-- `search_bm25(query)` (a query string or a list of words, cut into morphemes by Kiwi) on top of
-- it; the stored `search_bm25(terms)` below stays for plain duckdb sessions, which have no Kiwi.
CREATE OR REPLACE MACRO search_bm25_terms(query_terms) AS TABLE
    WITH q AS (SELECT DISTINCT unnest(query_terms) AS term),
         stats AS (SELECT count(*)::DOUBLE AS docs, coalesce(avg(length), 1)::DOUBLE AS avg_length FROM search_docs),
         df AS (SELECT t.term, count(*)::DOUBLE AS df FROM search_terms t JOIN q USING (term) GROUP BY t.term)
    SELECT t.article_id,
           sum(ln(1 + (stats.docs - df.df + 0.5) / (df.df + 0.5))
               * t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * d.length / stats.avg_length))) AS score,
           count(DISTINCT t.term) AS matched_terms
    FROM search_terms t JOIN df USING (term) JOIN search_docs d USING (article_id) CROSS JOIN stats
    GROUP BY t.article_id;
CREATE OR REPLACE MACRO search_bm25(query_terms) AS TABLE SELECT * FROM search_bm25_terms(query_terms);

-- Dates in Seoul time in every analyst view. published_at is a TIMESTAMPTZ, shown in the
-- session's time zone: pressflow sets Asia/Seoul, a plain duckdb session keeps its own (often
-- UTC), where an article of 2026-03-01 00:30 KST falls in February. These columns are KST
-- whatever the session says: published_kst (TIMESTAMP, Seoul wall-clock time), published_date_kst
-- (DATE) and published_month_kst (DATE, the first of the month); the views' month columns are
-- Seoul months.
CREATE OR REPLACE VIEW articles_kst AS
    SELECT *,
           published_at AT TIME ZONE 'Asia/Seoul' AS published_kst,
           (published_at AT TIME ZONE 'Asia/Seoul')::DATE AS published_date_kst,
           date_trunc('month', published_at AT TIME ZONE 'Asia/Seoul')::DATE AS published_month_kst
    FROM articles;
CREATE OR REPLACE VIEW programs_by_region_month AS
    SELECT coalesce(f.region, '(unknown)') AS region,
           a.published_month_kst AS month,
           count(DISTINCT f.program) AS programs, count(DISTINCT a.article_id) AS articles,
           list(DISTINCT f.program) AS program_names
    FROM program_facts f JOIN articles_kst a USING (article_id)
    GROUP BY ALL;
CREATE OR REPLACE VIEW agency_activity AS
    SELECT g.name AS agency, g.level, g.region, a.published_month_kst AS month,
           count(*) AS articles, list(a.title) AS titles
    FROM article_agencies g JOIN articles_kst a USING (article_id)
    GROUP BY ALL;
CREATE OR REPLACE VIEW program_targets_goals AS
    SELECT f.program, f.region, a.article_id, a.title, a.published_at, f.agencies,
           f.target_groups, f.goals, f.date_start, f.date_end,
           a.published_kst, a.published_date_kst
    FROM program_facts f JOIN articles_kst a USING (article_id);
CREATE OR REPLACE VIEW people AS
    SELECT m.article_id, m.text AS name, m.role, a.title, a.published_at, m.sentence,
           a.published_kst, a.published_date_kst
    FROM mentions m JOIN articles_kst a USING (article_id) WHERE m.kind = 'person';
