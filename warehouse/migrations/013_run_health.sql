-- pressflow warehouse, schema version 13: what each run did to the articles, and each source's health
-- over recent nights (issue 16). Idempotent (IF NOT EXISTS / OR REPLACE), so it can be renumbered.

-- One row per page loaded as an article, written in the batch's own transaction: whether the article
-- was new to the database, updated, reloaded unchanged, or a copy of one this run had already loaded
-- (two addresses, one canonical article). A run's "articles" is the sum; the database gains only `new`.
CREATE TABLE IF NOT EXISTS article_loads (
    run_id        VARCHAR NOT NULL,
    page_id       VARCHAR,
    article_id    VARCHAR NOT NULL,
    outcome       VARCHAR NOT NULL,      -- new | updated | unchanged | copy
    body_chars    INTEGER,
    has_published BOOLEAN,
    loaded_at     TIMESTAMPTZ NOT NULL
);

-- Every run with its duration and what it did to the articles.
CREATE OR REPLACE VIEW run_history AS
    SELECT r.run_id, r.kind, r.status, r.started_at, r.finished_at,
           round(epoch(coalesce(r.finished_at, now()) - r.started_at), 1) AS duration_s,
           r.pages, r.articles,
           count(l.run_id) FILTER (WHERE l.outcome = 'new') AS articles_new,
           count(l.run_id) FILTER (WHERE l.outcome = 'updated') AS articles_updated,
           count(l.run_id) FILTER (WHERE l.outcome = 'unchanged') AS articles_unchanged,
           count(l.run_id) FILTER (WHERE l.outcome = 'copy') AS articles_copies,
           r.skipped, r.failures, r.inputs, r.note
    FROM runs r LEFT JOIN article_loads l USING (run_id)
    GROUP BY ALL;

-- Each crawl ("night") and each source it was asked to crawl, newest night first per source
-- (night = 1 is the source's latest finished crawl). Pages belong to a source through the fetch
-- log; a source that fetched nothing still has its row, with zeros: that is how silence shows.
CREATE OR REPLACE VIEW source_nights AS
    WITH nights AS (
        SELECT r.run_id, r.started_at, r.status, unnest(r.inputs) AS source
        FROM runs r WHERE r.kind = 'crawl' AND r.status <> 'running'
    ),
    pages AS (
        SELECT DISTINCT run_id, page_id, source FROM fetches
        WHERE kind = 'article' AND page_id IS NOT NULL AND source IS NOT NULL
    ),
    loads AS (
        SELECT p.run_id, p.source,
               count(*) AS articles,
               count(*) FILTER (WHERE l.outcome = 'new') AS articles_new,
               count(*) FILTER (WHERE l.outcome = 'updated') AS articles_updated,
               count(*) FILTER (WHERE l.outcome IN ('copy', 'unchanged')) AS duplicates,
               count(*) FILTER (WHERE l.body_chars < 100) AS short_bodies,
               count(*) FILTER (WHERE NOT l.has_published) AS missing_dates,
               count(*) FILTER (WHERE l.body_chars >= 100 AND l.has_published) AS good
        FROM article_loads l JOIN pages p ON p.run_id = l.run_id AND p.page_id = l.page_id
        GROUP BY ALL
    ),
    skips AS (
        SELECT p.run_id, p.source, count(*) AS not_articles,
               count(*) FILTER (WHERE s.page_kind = 'empty') AS empty_pages
        FROM skipped_pages s JOIN pages p ON p.run_id = s.run_id AND p.page_id = s.page_id
        GROUP BY ALL
    ),
    answers AS (
        SELECT run_id, source,
               count(*) FILTER (WHERE kind = 'article' AND outcome = 'ok') AS fetched,
               count(*) FILTER (WHERE kind = 'article' AND outcome = 'not_modified') AS not_modified,
               count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS http_4xx,
               count(*) FILTER (WHERE status BETWEEN 500 AND 599) AS http_5xx,
               count(*) FILTER (WHERE outcome = 'disallowed') AS robots_blocked,
               count(*) FILTER (WHERE outcome = 'error' OR outcome = 'too_large') AS fetch_errors
        FROM fetches WHERE source IS NOT NULL GROUP BY ALL
    )
    SELECT n.source, n.run_id,
           row_number() OVER (PARTITION BY n.source ORDER BY n.started_at DESC) AS night,
           n.started_at, n.status AS run_status,
           coalesce(a.fetched, 0) AS fetched, coalesce(a.not_modified, 0) AS not_modified,
           coalesce(l.articles, 0) AS articles, coalesce(l.articles_new, 0) AS articles_new,
           coalesce(l.articles_updated, 0) AS articles_updated, coalesce(l.duplicates, 0) AS duplicates,
           coalesce(l.short_bodies, 0) + coalesce(s.empty_pages, 0) AS empty_bodies,
           coalesce(l.missing_dates, 0) AS missing_dates, coalesce(s.not_articles, 0) AS not_articles,
           coalesce(a.http_4xx, 0) AS http_4xx, coalesce(a.http_5xx, 0) AS http_5xx,
           coalesce(a.robots_blocked, 0) AS robots_blocked, coalesce(a.fetch_errors, 0) AS fetch_errors,
           -- the share of the pages it read that became an article with a body and a date
           CASE WHEN coalesce(l.articles, 0) + coalesce(s.not_articles, 0) > 0
                THEN coalesce(l.good, 0) / (coalesce(l.articles, 0) + coalesce(s.not_articles, 0)) END AS quality
    FROM nights n
    LEFT JOIN loads l ON l.run_id = n.run_id AND l.source = n.source
    LEFT JOIN skips s ON s.run_id = n.run_id AND s.source = n.source
    LEFT JOIN answers a ON a.run_id = n.run_id AND a.source = n.source;

-- Each source over its last `nights` crawls, with the flags an operator acts on:
--   silent: its latest night(s) brought no new article while an earlier night in the window did;
--   quality dropped: the share of good articles on its latest night fell 30 points below the earlier nights'.
-- SELECT * FROM source_health(7)
CREATE OR REPLACE MACRO source_health(nights) AS TABLE
    WITH w AS (SELECT * FROM source_nights WHERE night <= nights),
    agg AS (
        SELECT source, count(*) AS nights,
               sum(articles) AS articles, sum(articles_new) AS articles_new,
               sum(empty_bodies) AS empty_bodies, sum(missing_dates) AS missing_dates,
               sum(http_4xx) AS http_4xx, sum(http_5xx) AS http_5xx, sum(robots_blocked) AS robots_blocked,
               sum(duplicates) AS duplicates, sum(not_articles) AS not_articles, sum(fetch_errors) AS fetch_errors,
               coalesce(min(night) FILTER (WHERE articles_new > 0), count(*) + 1) - 1 AS silent_nights,
               max(night) FILTER (WHERE articles_new > 0) IS NOT NULL AS produced,
               any_value(quality) FILTER (WHERE night = 1) AS quality_latest,
               avg(quality) FILTER (WHERE night > 1) AS quality_before,
               max(started_at) AS last_crawl
        FROM w GROUP BY source
    )
    SELECT *,
           list_concat(
               CASE WHEN silent_nights > 0 AND produced
                    THEN ['silent ' || silent_nights || ' night' || CASE WHEN silent_nights > 1 THEN 's' ELSE '' END]
                    ELSE []::VARCHAR[] END,
               CASE WHEN NOT produced THEN ['no new article in ' || nights || ' night'
                                            || CASE WHEN nights > 1 THEN 's' ELSE '' END]
                    ELSE []::VARCHAR[] END,
               CASE WHEN quality_latest < quality_before - 0.3
                    THEN ['quality dropped ' || round(100 * quality_before)::INTEGER || '% -> '
                          || round(100 * quality_latest)::INTEGER || '%']
                    ELSE []::VARCHAR[] END) AS flags
    FROM agg ORDER BY len(flags) = 0, source;

CREATE OR REPLACE VIEW source_health_week AS SELECT * FROM source_health(7);
