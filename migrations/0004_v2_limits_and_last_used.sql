-- Unkey v2: a named limit may apply on every verify without being named (autoApply), and a key
-- shows when it was last verified (set as its verification counts are flushed).
ALTER TABLE keys ADD COLUMN last_used_at INTEGER;

-- SQLite cannot add a column after a table's CHECK, so ratelimits is rebuilt with auto_apply.
CREATE TABLE ratelimits_with_auto_apply (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  key_id       TEXT REFERENCES keys(id),
  identity_id  TEXT REFERENCES identities(id),
  name         TEXT NOT NULL,
  "limit"      INTEGER NOT NULL,
  duration     INTEGER NOT NULL,
  auto_apply   INTEGER NOT NULL DEFAULT 0,
  CHECK ((key_id IS NULL) <> (identity_id IS NULL))
);
INSERT INTO ratelimits_with_auto_apply (id, workspace_id, key_id, identity_id, name, "limit", duration)
  SELECT id, workspace_id, key_id, identity_id, name, "limit", duration FROM ratelimits;
DROP TABLE ratelimits;
ALTER TABLE ratelimits_with_auto_apply RENAME TO ratelimits;
CREATE UNIQUE INDEX ratelimits_key ON ratelimits (key_id, name) WHERE key_id IS NOT NULL;
CREATE UNIQUE INDEX ratelimits_identity ON ratelimits (identity_id, name) WHERE identity_id IS NOT NULL;
