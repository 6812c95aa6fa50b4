-- Events of the report counted for the root and the provinces by day (tallies.go): decided
-- reviews by kind and rating on their campaign's period end, under each kept prefix of the
-- path their organisation had that day. A period's count is a sum over a few thousand rows
-- instead of a join over every review of the country. Filled by Migrate (refreshKept).
CREATE TABLE tallies (
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  day TEXT NOT NULL,
  key TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (kind, path, day, key)
) WITHOUT ROWID;
