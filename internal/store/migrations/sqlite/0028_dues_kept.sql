-- The dues figures of the term report for the root and the provinces, kept by the writes
-- (dues_kept.go): the report of a province or of the country reads a few thousand rows instead
-- of every member's bases, exemptions and payments. Derived from the roster and the dues
-- records under the rules named in dues_kept_state; filled by the migration's caller.
CREATE TABLE dues_kept (
  path TEXT NOT NULL,
  fig INTEGER NOT NULL,
  mon INTEGER NOT NULL,
  since INTEGER NOT NULL,
  prev INTEGER NOT NULL,
  members INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  PRIMARY KEY (path, fig, mon, since, prev)
) WITHOUT ROWID;
-- One row: the fingerprint of the dues rules the table was computed under ('' when it must be
-- rebuilt) and the last month it covers (year*12 + month - 1).
CREATE TABLE dues_kept_state (
  id INTEGER PRIMARY KEY,
  rules TEXT NOT NULL,
  horizon INTEGER NOT NULL
);
