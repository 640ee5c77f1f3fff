-- Rate-limit counters shared by every server process on this database file.
-- The table is rate-limiter-flexible's RateLimiterSQLite layout (key, points, expire), created
-- here so that migrations own the schema. key is "<kind>:<HMAC of the client address>": no raw
-- address is stored. expire is epoch milliseconds.
CREATE TABLE rate_limits (
  key    TEXT PRIMARY KEY,
  points INTEGER NOT NULL DEFAULT 0,
  expire INTEGER
) STRICT;

CREATE INDEX rate_limits_expire ON rate_limits (expire);
