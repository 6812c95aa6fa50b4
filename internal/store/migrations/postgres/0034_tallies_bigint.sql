-- Tallies may hold amounts (dues_remitted: the đồng the cells of a path passed up on a month's
-- first day, tallies.go), which pass 2^31 at a province over a term. SQLite's INTEGER is 64-bit
-- already.
ALTER TABLE tallies ALTER COLUMN n TYPE BIGINT;
