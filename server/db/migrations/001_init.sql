-- Polls, their options with per-option counters, and one row per ballot.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE polls (
  id                 TEXT PRIMARY KEY,
  question           TEXT NOT NULL,
  multiple           INTEGER NOT NULL DEFAULT 0,
  max_choices        INTEGER NOT NULL DEFAULT 1,
  opens_at           INTEGER,
  closes_at          INTEGER,
  results_visibility TEXT NOT NULL DEFAULT 'after_vote',
  total_voters       INTEGER NOT NULL DEFAULT 0,
  total_votes        INTEGER NOT NULL DEFAULT 0,
  flagged_votes      INTEGER NOT NULL DEFAULT 0,
  max_votes_per_ip   INTEGER NOT NULL DEFAULT 50,
  ip_window_seconds  INTEGER NOT NULL DEFAULT 3600,
  dedupe             TEXT NOT NULL DEFAULT 'voter+ip',
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
) STRICT;

CREATE INDEX polls_created ON polls (created_at DESC);

CREATE TABLE poll_options (
  id       TEXT PRIMARY KEY,
  poll_id  TEXT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  label    TEXT NOT NULL,
  votes    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX poll_options_poll ON poll_options (poll_id, position);

-- voter_hash and ip_hash are HMACs keyed with the server secret and the poll id:
-- no raw token or address is ever stored, and one reader cannot be followed across polls.
CREATE TABLE votes (
  id         INTEGER PRIMARY KEY,
  poll_id    TEXT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
  voter_hash TEXT NOT NULL,
  ip_hash    TEXT NOT NULL,
  option_ids TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'counted' CHECK (status IN ('counted', 'flagged')),
  created_at INTEGER NOT NULL,
  UNIQUE (poll_id, voter_hash)
) STRICT;

CREATE INDEX votes_poll_ip ON votes (poll_id, ip_hash, created_at);
CREATE INDEX votes_poll_time ON votes (poll_id, created_at);

CREATE TABLE admin_sessions (
  token_hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
