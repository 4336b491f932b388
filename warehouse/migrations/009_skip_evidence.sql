-- pressflow warehouse, schema version 9: every skipped page keeps the evidence for its verdict, so a
-- real article recorded as "not an article" can be found (`pressflow skipped --likely-articles`).
-- Idempotent (IF NOT EXISTS).
ALTER TABLE skipped_pages ADD COLUMN IF NOT EXISTS reason VARCHAR;          -- why it is not an article
ALTER TABLE skipped_pages ADD COLUMN IF NOT EXISTS text_chars INTEGER;      -- visible text of the page
ALTER TABLE skipped_pages ADD COLUMN IF NOT EXISTS prose_chars INTEGER;     -- of which running prose
ALTER TABLE skipped_pages ADD COLUMN IF NOT EXISTS likely_article BOOLEAN;  -- enough prose to deserve a look
