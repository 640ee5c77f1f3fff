-- Comment threads (one per page key), comments with one level of replies, and likes.
-- Times are milliseconds since the Unix epoch (UTC).

-- approved_count is kept exact in the same transaction as every status change, so the
-- count endpoints never have to count rows.
CREATE TABLE threads (
  id             INTEGER PRIMARY KEY,
  page           TEXT NOT NULL UNIQUE,
  title          TEXT,
  url            TEXT,
  approved_count INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL
) STRICT;

-- parent_id always names a top-level comment: a reply to a reply joins the same top-level
-- thread and keeps the addressee's name in reply_to. voter_hash and ip_hash are HMACs keyed
-- with the server secret; no raw token or address is stored.
CREATE TABLE comments (
  id         INTEGER PRIMARY KEY,
  thread_id  INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  parent_id  INTEGER REFERENCES comments (id) ON DELETE CASCADE,
  reply_to   TEXT,
  author     TEXT,
  email      TEXT,
  body       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam', 'deleted')),
  voter_hash TEXT NOT NULL,
  ip_hash    TEXT NOT NULL,
  likes      INTEGER NOT NULL DEFAULT 0,
  body_hash  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at  INTEGER
) STRICT;

-- The public list reads published comments straight off these (status in the key), so the
-- first page of a thread costs the same with 100 or 100 000 comments, however many of them
-- are pending or spam. They are partial: queries must repeat `parent_id IS NULL` literally.
CREATE INDEX comments_thread_time ON comments (thread_id, status, created_at, id) WHERE parent_id IS NULL;
CREATE INDEX comments_thread_likes ON comments (thread_id, status, likes, id) WHERE parent_id IS NULL;
CREATE INDEX comments_parent ON comments (parent_id, status, created_at, id);
-- A reader's own comments (their pending ones in the list) and duplicate detection.
CREATE INDEX comments_duplicate ON comments (voter_hash, body_hash, created_at);
-- The admin queue: by status, by page (and status), or everything, newest first.
CREATE INDEX comments_status_time ON comments (status, created_at);
CREATE INDEX comments_thread_status ON comments (thread_id, status, created_at);
CREATE INDEX comments_time ON comments (created_at);

CREATE TABLE comment_likes (
  comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
  voter_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (comment_id, voter_hash)
) STRICT, WITHOUT ROWID;
