-- The members with a roster row that ends with none starting that day: those who left the
-- party, died, or had a gap before they came back (derived from the roster, roster.go). The
-- badges due at a ceremony keep them as candidates (their milestones may move); checked row by
-- row against the roster it was 2,5 s of the million-member root's report, a probe of this
-- table for each member instead. Filled by the migration's caller (rebuildRosterEnds).
CREATE TABLE roster_ends (
  member_id TEXT COLLATE "C" NOT NULL PRIMARY KEY
);
