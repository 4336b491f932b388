-- pressflow warehouse, schema version 1. Every derived row names the versions that made it.

CREATE TABLE runs (
    run_id        VARCHAR PRIMARY KEY,   -- one ingest or crawl run
    kind          VARCHAR NOT NULL,      -- 'ingest' | 'crawl' | 'reprocess'
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    status        VARCHAR NOT NULL,      -- 'running' | 'ok' | 'failures' | 'crashed'
    inputs        VARCHAR[],             -- paths or source names the run was given
    pages         INTEGER DEFAULT 0,
    articles      INTEGER DEFAULT 0,
    skipped       INTEGER DEFAULT 0,     -- pages that are not articles (listings, error pages)
    failures      INTEGER DEFAULT 0,
    extractor_version VARCHAR,
    analyser_version  VARCHAR
);

-- Every page read, as bytes, so any run can be re-extracted without refetching.
CREATE TABLE raw_pages (
    page_id        VARCHAR PRIMARY KEY,  -- sha256 of the bytes (+ url for fetched pages)
    url            VARCHAR,
    final_url      VARCHAR,
    source_path    VARCHAR,
    status         INTEGER,
    headers        JSON,
    fetched_at     TIMESTAMPTZ,
    warc_path      VARCHAR,
    warc_record_id VARCHAR,
    body           BLOB,
    first_run_id   VARCHAR,
    last_run_id    VARCHAR
);

CREATE TABLE articles (
    article_id     VARCHAR PRIMARY KEY,  -- from the canonical URL, else from the page bytes
    page_id        VARCHAR,
    url            VARCHAR,
    canonical_url  VARCHAR,
    source_path    VARCHAR,
    outlet         VARCHAR,
    title          VARCHAR,
    published_at   TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ,
    reporter       VARCHAR,
    reporter_email VARCHAR,
    section        VARCHAR,
    body           VARCHAR,
    images         JSON,                 -- [{url, caption}], kept apart from the body
    encoding       VARCHAR,
    programs       VARCHAR[],            -- programme names found in the body
    target_groups  VARCHAR[],
    extractor_version VARCHAR NOT NULL,
    analyser_version  VARCHAR NOT NULL,
    run_id         VARCHAR,
    loaded_at      TIMESTAMPTZ NOT NULL
);

-- Agencies as each article names them: canonical name plus the surface forms seen.
CREATE TABLE article_agencies (
    article_id VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    mentions   VARCHAR[],
    level      VARCHAR,                  -- 광역 / 기초 / 부 / 청 / 공단 … when the gazetteer knows it
    region     VARCHAR,                  -- the 광역 it belongs to
    analyser_version VARCHAR NOT NULL,
    PRIMARY KEY (article_id, name)
);

-- Every mention with its evidence: offsets into articles.body and the sentence.
CREATE TABLE mentions (
    article_id     VARCHAR NOT NULL,
    mention_no     INTEGER NOT NULL,
    kind           VARCHAR NOT NULL,     -- agency | program | date | target_group | goal | person
    text           VARCHAR NOT NULL,
    start_offset   INTEGER NOT NULL,
    end_offset     INTEGER NOT NULL,
    sentence_index INTEGER,
    sentence       VARCHAR,
    canonical      VARCHAR,
    date_start     DATE,
    date_end       DATE,
    quantity       DOUBLE,
    unit           VARCHAR,
    object         VARCHAR,
    analyser_version VARCHAR NOT NULL,
    PRIMARY KEY (article_id, mention_no)
);

-- A programme tied to its agencies, region, dates, target groups and goals.
CREATE TABLE program_facts (
    article_id     VARCHAR NOT NULL,
    program        VARCHAR NOT NULL,
    sentence_index INTEGER,
    agencies       VARCHAR[],
    region         VARCHAR,
    date_start     DATE,
    date_end       DATE,
    target_groups  VARCHAR[],
    goals          VARCHAR[],
    analyser_version VARCHAR NOT NULL,
    PRIMARY KEY (article_id, program)
);

-- Canonical agencies and programmes across all articles (rebuilt after every load).
CREATE TABLE agencies (
    name VARCHAR PRIMARY KEY, level VARCHAR, region VARCHAR,
    surface_forms VARCHAR[], articles INTEGER, first_seen DATE, last_seen DATE
);
CREATE TABLE programs (
    name VARCHAR PRIMARY KEY, agencies VARCHAR[], regions VARCHAR[],
    articles INTEGER, first_seen DATE, last_seen DATE
);

-- What went wrong, per input: the run goes on, the failure stays visible.
CREATE TABLE failures (
    run_id      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,        -- file path or URL
    stage       VARCHAR NOT NULL,        -- read | extract | analyse | load | fetch
    error       VARCHAR NOT NULL,
    page_id     VARCHAR,
    occurred_at TIMESTAMPTZ NOT NULL
);

-- Pages that were read but are not articles (listing pages, error pages, login walls).
CREATE TABLE skipped_pages (
    run_id VARCHAR NOT NULL, source VARCHAR NOT NULL, page_kind VARCHAR NOT NULL,
    title VARCHAR, page_id VARCHAR, occurred_at TIMESTAMPTZ NOT NULL
);

-- Every HTTP exchange of the crawler, successful or not.
CREATE TABLE fetches (
    run_id VARCHAR, url VARCHAR NOT NULL, final_url VARCHAR, source VARCHAR, status INTEGER,
    error VARCHAR, etag VARCHAR, last_modified VARCHAR, content_type VARCHAR, bytes BIGINT,
    elapsed_ms DOUBLE, fetched_at TIMESTAMPTZ NOT NULL, page_id VARCHAR, warc_path VARCHAR
);

CREATE VIEW article_dates AS
    SELECT article_id, text, date_start, date_end, sentence FROM mentions WHERE kind = 'date';
CREATE VIEW article_goals AS
    SELECT article_id, text, quantity, unit, object, sentence FROM mentions WHERE kind = 'goal';
-- Programmes by region and month of publication.
CREATE VIEW programs_by_region_month AS
    SELECT coalesce(f.region, '(unknown)') AS region,
           date_trunc('month', a.published_at)::DATE AS month,
           count(DISTINCT f.program) AS programs, count(DISTINCT a.article_id) AS articles,
           list(DISTINCT f.program) AS program_names
    FROM program_facts f JOIN articles a USING (article_id)
    GROUP BY ALL;
-- An agency's activity over time.
CREATE VIEW agency_activity AS
    SELECT g.name AS agency, g.level, g.region, date_trunc('month', a.published_at)::DATE AS month,
           count(*) AS articles, list(a.title) AS titles
    FROM article_agencies g JOIN articles a USING (article_id)
    GROUP BY ALL;
-- Target groups and goals by programme.
CREATE VIEW program_targets_goals AS
    SELECT f.program, f.region, a.article_id, a.title, a.published_at, f.agencies,
           f.target_groups, f.goals, f.date_start, f.date_end
    FROM program_facts f JOIN articles a USING (article_id);
