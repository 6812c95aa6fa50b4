-- Every column holding an id compares in the "C" collation, as the ids they refer to do: a join
-- between a default-collation column and a "C" one cannot use either side's index (PostgreSQL
-- then scanned the 217k posts once per locality at national scale).
ALTER TABLE posts ALTER COLUMN org_id TYPE TEXT COLLATE "C", ALTER COLUMN term_id TYPE TEXT COLLATE "C",
  ALTER COLUMN locality_id TYPE TEXT COLLATE "C", ALTER COLUMN unit_id TYPE TEXT COLLATE "C",
  ALTER COLUMN member_id TYPE TEXT COLLATE "C";
ALTER TABLE org_versions ALTER COLUMN parent_id TYPE TEXT COLLATE "C", ALTER COLUMN event_id TYPE TEXT COLLATE "C";
ALTER TABLE memberships ALTER COLUMN event_id TYPE TEXT COLLATE "C";
ALTER TABLE movements ALTER COLUMN from_org_id TYPE TEXT COLLATE "C", ALTER COLUMN to_org_id TYPE TEXT COLLATE "C";
