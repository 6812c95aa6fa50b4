-- Report figures of the root and the provinces kept by the writes (issue 20), so that their
-- report reads a few thousand rows instead of every member's records. Derived tables: filled
-- by the migration's caller, rebuilt by the import, kept by the writes.
--
-- The dues figures by month (dues_kept.go, docs/dues.md).
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
-- Members counted from a day on, by kind and subject, as of any day: kind 'files', subject a catalogue
-- (the members whose file holds every required document); kind 'studied', subject a document's
-- number (the members who studied it). A row for every day on which the count under the path
-- changes, with the count from that day on (reached_kept.go).
CREATE TABLE reached_kept (
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  path TEXT NOT NULL,
  day TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (kind, subject, path, day)
) WITHOUT ROWID;
-- A row per kept table: the fingerprint of the rules it was computed under ('' when it must be
-- rebuilt) and, for the dues, the last month it covers (year*12 + month - 1).
CREATE TABLE kept_state (
  name TEXT PRIMARY KEY,
  rules TEXT NOT NULL,
  horizon INTEGER NOT NULL
);
