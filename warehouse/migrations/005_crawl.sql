-- pressflow warehouse, schema version 5: the nightly crawl's memory. Idempotent (IF NOT EXISTS), so it
-- can be renumbered safely if a database already past version 2 must still receive it.

-- Every URL the crawler knows: article pages it must fetch (the frontier) and the feeds,
-- sitemaps and listing pages it reads to find them. A crawl killed midway leaves its
-- unfinished articles 'pending'; the next run fetches them, and nothing that is 'done'.
CREATE TABLE IF NOT EXISTS crawl_state (
    url             VARCHAR PRIMARY KEY,
    source          VARCHAR NOT NULL,      -- the sources.toml name that found it first
    kind            VARCHAR NOT NULL,      -- article | feed | sitemap | sitemapindex | listing | home | robots
    state           VARCHAR NOT NULL,      -- pending | done | gone (404/410) | failed (gave up) | disallowed
    lastmod         TIMESTAMPTZ,           -- the date a sitemap or feed gives it
    etag            VARCHAR,               -- from the last successful fetch: If-None-Match
    last_modified   VARCHAR,               -- from the last successful fetch: If-Modified-Since
    last_status     INTEGER,
    last_error      VARCHAR,
    attempts        INTEGER NOT NULL DEFAULT 0,  -- failed fetches since the last success
    discovered_at   TIMESTAMPTZ NOT NULL,
    last_fetched_at TIMESTAMPTZ,
    final_url       VARCHAR,
    page_id         VARCHAR,               -- raw_pages.page_id of the last page loaded
    first_run_id    VARCHAR,
    last_run_id     VARCHAR
);

-- What each fetch was for, how many attempts it took, where its record sits in the archive.
ALTER TABLE fetches ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE fetches ADD COLUMN IF NOT EXISTS outcome VARCHAR;       -- ok | not_modified | http_error | error | too_large | disallowed
ALTER TABLE fetches ADD COLUMN IF NOT EXISTS attempts INTEGER;
ALTER TABLE fetches ADD COLUMN IF NOT EXISTS warc_record_id VARCHAR;
