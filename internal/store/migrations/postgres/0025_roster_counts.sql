-- Member counts under the root and the provinces by day, kept by the writes (roster_counts.go):
-- a count as of a day is the last row on or before it, instead of a scan of millions of roster
-- entries. Derived from the roster; filled by the migration's caller (rebuildRosterCounts).
CREATE TABLE roster_counts (
  path TEXT COLLATE "C" NOT NULL,
  day TEXT COLLATE "C" NOT NULL,
  prob_m INTEGER NOT NULL,
  prob_f INTEGER NOT NULL,
  full_m INTEGER NOT NULL,
  full_f INTEGER NOT NULL,
  exempt_m INTEGER NOT NULL,
  exempt_f INTEGER NOT NULL,
  PRIMARY KEY (path, day)
);
-- The paths of the roots, whose kept counts add up to the whole tree's: a few index entries
-- instead of a scan of every organisation's path (181 ms on the national set).
CREATE INDEX org_paths_depth ON org_paths (depth, path);
