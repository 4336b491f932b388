-- pressflow warehouse, schema version 12: one event counted once (issue 15). Near-duplicate articles
-- (one press release printed by several outlets) share a cluster; warehouse/stories.py keeps the
-- clusters up to date as batches load, through a MinHash/LSH index stored here. Idempotent.

-- every article in exactly one cluster; cluster_id is the article_id of its first member and never changes
CREATE TABLE IF NOT EXISTS story_clusters (
    article_id     VARCHAR PRIMARY KEY,
    cluster_id     VARCHAR NOT NULL,
    similarity     DOUBLE,               -- estimated Jaccard similarity to the member it matched; NULL for a first member
    matched        VARCHAR,              -- that member's article_id
    first_run_id   VARCHAR,              -- the run that first loaded the article
    updated_run_id VARCHAR               -- the last run that loaded it with a changed body
);
-- the index: a MinHash signature per article and one key per LSH band
CREATE TABLE IF NOT EXISTS story_signatures (
    article_id VARCHAR PRIMARY KEY,
    method     VARCHAR NOT NULL,         -- how it was made (shingle size, permutations, seed): another method re-signs
    body_hash  VARCHAR NOT NULL,         -- of the normalised body: an unchanged body keeps its cluster
    signature  BLOB NOT NULL             -- uint32 values, little-endian
);
CREATE TABLE IF NOT EXISTS story_bands (band_key BIGINT NOT NULL, article_id VARCHAR NOT NULL);

-- One row per story: a release counted once, however many outlets printed it.
CREATE OR REPLACE VIEW stories AS
    SELECT c.cluster_id,
           coalesce(max(a.title) FILTER (WHERE a.article_id = c.cluster_id), arg_min(a.title, a.published_at),
                    any_value(a.title)) AS title,
           min(a.published_at) AS first_published, max(a.published_at) AS last_published,
           count(*) AS articles, count(DISTINCT a.outlet) AS outlet_count,
           list(DISTINCT a.outlet) FILTER (WHERE a.outlet IS NOT NULL) AS outlets,
           list(a.article_id ORDER BY a.published_at NULLS LAST, a.article_id) AS article_ids
    FROM story_clusters c JOIN articles a USING (article_id)
    GROUP BY c.cluster_id;

-- An agency's stories, not its pages: a release reprinted by five papers is one story.
CREATE OR REPLACE VIEW agency_stories AS
    SELECT g.name AS agency, coalesce(g.sido, g.region) AS region, any_value(g.level) AS level,
           count(DISTINCT c.cluster_id) AS stories, count(DISTINCT g.article_id) AS pages,
           min(a.published_at)::DATE AS first_seen, max(a.published_at)::DATE AS last_seen
    FROM article_agencies g JOIN story_clusters c USING (article_id) JOIN articles a USING (article_id)
    GROUP BY g.name, coalesce(g.sido, g.region);

-- A programme's stories, not its pages.
CREATE OR REPLACE VIEW program_stories AS
    SELECT f.program, count(DISTINCT c.cluster_id) AS stories, count(DISTINCT f.article_id) AS pages,
           list_distinct(flatten(list(f.agencies))) AS agencies, list(DISTINCT f.region) AS regions,
           min(a.published_at)::DATE AS first_seen, max(a.published_at)::DATE AS last_seen
    FROM program_facts f JOIN story_clusters c USING (article_id) JOIN articles a USING (article_id)
    GROUP BY f.program;

-- Each programme of each story once, with what all its printings said about it.
CREATE OR REPLACE VIEW story_programs AS
    SELECT c.cluster_id, f.program,
           mode(f.region) AS region, mode(f.sido) AS sido, mode(f.sigungu) AS sigungu, mode(f.region_code) AS region_code,
           list_distinct(flatten(list(f.agencies))) AS agencies,
           list_distinct(flatten(list(f.target_groups))) AS target_groups,
           list_distinct(flatten(list(f.goals))) AS goals,
           min(f.date_start) AS date_start, max(f.date_end) AS date_end,
           min(a.published_at) AS first_published, count(DISTINCT f.article_id) AS pages
    FROM program_facts f JOIN story_clusters c USING (article_id) JOIN articles a USING (article_id)
    GROUP BY c.cluster_id, f.program;
