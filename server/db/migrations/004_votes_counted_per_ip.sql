-- The per-address cap counts the *counted* votes of one hashed IP in a poll's window. The old
-- index (poll_id, ip_hash, created_at) made that count visit every vote from the address,
-- flagged ones included (each a table lookup for its status): a script stuffing one poll from
-- one address made every further ballot slower. This partial index holds counted votes only,
-- and the query stops at the cap, so checking a ballot costs at most max_votes_per_ip index steps.
DROP INDEX votes_poll_ip;
CREATE INDEX votes_poll_ip_counted ON votes (poll_id, ip_hash, created_at) WHERE status = 'counted';
