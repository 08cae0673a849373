-- Edge mode: an api may set its own staleness bound (ms) for verifies; NULL keeps the
-- deployment's VERIFY_MAX_STALENESS_MS.
ALTER TABLE apis ADD COLUMN verify_max_staleness_ms INTEGER;
