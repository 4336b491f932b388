-- pressflow warehouse, schema version 6: every mention names the rule that found it
-- ('target.explicit_cue', 'goal.money', …; nlp/RULES.md lists them), and every article the
-- extraction profile that read it, so an analyst sees why a fact is there and reprocess can
-- find the rows an older rule or profile made.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS rule VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS profile VARCHAR;
