-- PostgreSQL only (ids compare in the "C" collation everywhere); SQLite compares text bytewise
-- already. Kept so that both engines carry the same migration numbers.
SELECT 1;
