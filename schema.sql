-- Keygate's D1 schema, whole: what the migrations in migrations/ build, one after the other
-- (test/workers/schema.migrations.test.ts holds the two equal). Databases are made and upgraded
-- by those migrations; this file is for reading, and for the benchmarks' raw workerd
-- (bench/workerd.mjs), which applies it on every start, hence IF NOT EXISTS throughout.
-- Times are unix milliseconds. Soft-deleted rows keep deleted_at and never verify.

CREATE TABLE IF NOT EXISTS workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

-- The bootstrap workspace that the ROOT_KEY variable acts in.
INSERT OR IGNORE INTO workspaces (id, name, created_at) VALUES ('ws_default', 'default', 0);

CREATE TABLE IF NOT EXISTS apis (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  name          TEXT NOT NULL,
  ip_allowlist  TEXT NOT NULL DEFAULT '[]',      -- JSON array of addresses and CIDR ranges
  key_prefixes  TEXT NOT NULL DEFAULT '{}',      -- JSON {environment: prefix} used when a key gives none
  created_at    INTEGER NOT NULL,
  deleted_at    INTEGER,
  verify_max_staleness_ms INTEGER                -- edge mode: this api's bound; NULL = the deployment's
);
CREATE INDEX IF NOT EXISTS apis_workspace ON apis (workspace_id);

CREATE TABLE IF NOT EXISTS identities (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  external_id   TEXT NOT NULL,
  environment   TEXT NOT NULL DEFAULT 'default',
  meta          TEXT NOT NULL DEFAULT '{}',
  tier          TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER,
  deleted_at    INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS identities_external
  ON identities (workspace_id, external_id) WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS keys (
  id                 TEXT PRIMARY KEY,
  workspace_id       TEXT NOT NULL REFERENCES workspaces(id),
  api_id             TEXT NOT NULL REFERENCES apis(id),
  hash               TEXT NOT NULL,              -- base64 SHA-256 of the plaintext key
  start              TEXT NOT NULL,              -- first characters, for display
  last4              TEXT NOT NULL,              -- last four characters, for display
  name               TEXT,
  owner_id           TEXT,
  identity_id        TEXT REFERENCES identities(id),
  meta               TEXT,                       -- JSON object
  environment        TEXT,
  enabled            INTEGER NOT NULL DEFAULT 1,
  expires            INTEGER,
  remaining          INTEGER,                    -- credits as last set by management; NULL = unlimited
  credits_version    INTEGER NOT NULL DEFAULT 0, -- bumped whenever management sets remaining
  credits_set_at     INTEGER,                    -- when management last set remaining
  credits_from       TEXT,                       -- after a reroll: the key whose credits this one spends
  refill_interval    TEXT,                       -- 'daily' | 'monthly'
  refill_amount      INTEGER,
  refill_day         INTEGER,
  ratelimit_limit    INTEGER,
  ratelimit_duration INTEGER,
  ip_allowlist       TEXT NOT NULL DEFAULT '[]', -- JSON array of addresses and CIDR ranges; empty = any
  tier               TEXT,
  revoked_at         INTEGER,                    -- revocation is final: a revoked key never verifies again
  revoke_reason      TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER,
  deleted_at         INTEGER,
  -- Last, as migrations/0004_v2_limits_and_last_used.sql adds it.
  last_used_at       INTEGER                     -- when a verify last counted, as of the last flush
);
CREATE UNIQUE INDEX IF NOT EXISTS keys_hash ON keys (hash);
CREATE INDEX IF NOT EXISTS keys_api ON keys (api_id, id);
CREATE INDEX IF NOT EXISTS keys_identity ON keys (identity_id);

-- Named rate limits, owned by a key or by an identity (shared by all its keys). Quoted as SQLite
-- keeps the name of a table rebuilt under it (migrations/0004_v2_limits_and_last_used.sql).
CREATE TABLE IF NOT EXISTS "ratelimits" (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  key_id       TEXT REFERENCES keys(id),
  identity_id  TEXT REFERENCES identities(id),
  name         TEXT NOT NULL,
  "limit"      INTEGER NOT NULL,
  duration     INTEGER NOT NULL,
  auto_apply   INTEGER NOT NULL DEFAULT 0,     -- 1: checked on every verify without being named
  CHECK ((key_id IS NULL) <> (identity_id IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS ratelimits_key ON ratelimits (key_id, name) WHERE key_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS ratelimits_identity ON ratelimits (identity_id, name) WHERE identity_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS permissions (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name         TEXT NOT NULL,
  slug         TEXT NOT NULL,
  description  TEXT,
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS permissions_name ON permissions (workspace_id, name);

CREATE TABLE IF NOT EXISTS roles (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name         TEXT NOT NULL,
  description  TEXT,
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS roles_name ON roles (workspace_id, name);

CREATE TABLE IF NOT EXISTS roles_permissions (
  role_id       TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  permission_id TEXT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
  PRIMARY KEY (role_id, permission_id)
);

CREATE TABLE IF NOT EXISTS keys_permissions (
  key_id        TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  permission_id TEXT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
  PRIMARY KEY (key_id, permission_id)
);
CREATE INDEX IF NOT EXISTS keys_permissions_permission ON keys_permissions (permission_id);

CREATE TABLE IF NOT EXISTS keys_roles (
  key_id  TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
  PRIMARY KEY (key_id, role_id)
);
CREATE INDEX IF NOT EXISTS keys_roles_role ON keys_roles (role_id);

CREATE TABLE IF NOT EXISTS root_keys (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  hash         TEXT NOT NULL,
  start        TEXT NOT NULL,
  name         TEXT,
  permissions  TEXT NOT NULL DEFAULT '[]',      -- JSON array of permission patterns
  expires      INTEGER,
  created_at   INTEGER NOT NULL,
  deleted_at   INTEGER,
  -- Last, as migrations/0002_root_key_creator.sql adds it.
  created_by   TEXT                           -- id of the root key that created it (root_bootstrap: ROOT_KEY); NULL before it was recorded
);
CREATE UNIQUE INDEX IF NOT EXISTS root_keys_hash ON root_keys (hash);

CREATE TABLE IF NOT EXISTS ratelimit_namespaces (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name         TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ratelimit_namespaces_name ON ratelimit_namespaces (workspace_id, name);

CREATE TABLE IF NOT EXISTS ratelimit_overrides (
  id           TEXT PRIMARY KEY,
  namespace_id TEXT NOT NULL REFERENCES ratelimit_namespaces(id),
  identifier   TEXT NOT NULL,
  "limit"      INTEGER NOT NULL,
  duration     INTEGER NOT NULL,
  async        INTEGER,
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ratelimit_overrides_identifier ON ratelimit_overrides (namespace_id, identifier);

-- Verification counts per key, outcome and UTC day, flushed from each key's Durable Object.
CREATE TABLE IF NOT EXISTS verifications (
  workspace_id TEXT NOT NULL,
  api_id       TEXT NOT NULL,
  key_id       TEXT NOT NULL,
  day          INTEGER NOT NULL,                 -- unix ms of the UTC midnight
  outcome      TEXT NOT NULL,
  count        INTEGER NOT NULL,
  PRIMARY KEY (key_id, day, outcome)
);
CREATE INDEX IF NOT EXISTS verifications_api ON verifications (api_id, day);

-- The same counts split by the tags each verify sent (untagged ones under '[]'), for analytics
-- grouped or filtered by tag. Kept since this table was added.
CREATE TABLE IF NOT EXISTS verification_tags (
  workspace_id TEXT NOT NULL,
  api_id       TEXT NOT NULL,
  key_id       TEXT NOT NULL,
  day          INTEGER NOT NULL,                 -- unix ms of the UTC midnight
  outcome      TEXT NOT NULL,
  tags         TEXT NOT NULL,                    -- JSON array of distinct tags, sorted
  count        INTEGER NOT NULL,
  PRIMARY KEY (key_id, day, outcome, tags)
);
CREATE INDEX IF NOT EXISTS verification_tags_api ON verification_tags (api_id, day);

-- Append-only audit trail. Never holds a plaintext key.
CREATE TABLE IF NOT EXISTS audit_logs (
  id           TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  time         INTEGER NOT NULL,
  event        TEXT NOT NULL,
  actor        TEXT NOT NULL,                    -- JSON {type, id}
  resources    TEXT NOT NULL,                    -- JSON [{type, id}]
  description  TEXT NOT NULL,
  context      TEXT NOT NULL                     -- JSON {ipAddress, userAgent}
);
CREATE INDEX IF NOT EXISTS audit_logs_time ON audit_logs (workspace_id, time);
