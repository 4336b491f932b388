-- pressflow warehouse, schema version 8: what the crawler needs to survive bad inputs and kills (issue 13).
-- Idempotent (IF NOT EXISTS), so it can be renumbered if 006 and 007 land after it.

-- A failure named for what happened: reset | closed | timeout | deadline | too_large | bad_encoding |
-- refused | dns | connect | redirect_refused | redirects | http | robots | invalid
ALTER TABLE fetches ADD COLUMN IF NOT EXISTS error_kind VARCHAR;

-- How discovery found an article URL: 'fresh' (a feed, a listing page) or 'backlog' (only a sitemap).
-- Fresh URLs are fetched first, so a sitemap of old or junk URLs cannot crowd out tonight's articles.
ALTER TABLE crawl_state ADD COLUMN IF NOT EXISTS found_via VARCHAR;

-- Which process runs a run: a run still 'running' whose process is gone was killed (kill -9, power cut);
-- the next run marks it 'crashed' and loads the pages its WARC holds that the database does not.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS recovered_at TIMESTAMPTZ;
