-- The keyed audit chain (docs/security.md). Entries from from_seq on, until the next row, are
-- signed (HMAC-SHA256) with the key key_id of the key file outside the database; entries before
-- the first row were chained with plain SHA-256. mac signs each switch point.
CREATE TABLE audit_keys (
  from_seq INTEGER PRIMARY KEY,
  key_id TEXT NOT NULL,
  created TEXT NOT NULL,
  mac TEXT NOT NULL
);

-- The signed head: the last entry's number and hash, rewritten with every entry, so that
-- deleting entries at the end of the log is detected.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  mac TEXT NOT NULL
);
