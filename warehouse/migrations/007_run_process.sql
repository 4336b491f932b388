-- pressflow warehouse, schema version 7: which process ran each run, so the next run can tell a
-- run that is still going (another process on this host, alive) from one that was killed
-- (kill -9, a power cut) and close the latter as 'crashed'. Idempotent (IF NOT EXISTS), so it
-- can be renumbered if it must land after a later migration.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;        -- the process id of the run
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;       -- the host name it ran on
ALTER TABLE runs ADD COLUMN IF NOT EXISTS note VARCHAR;       -- why a run ended as it did (cancelled, crashed)
