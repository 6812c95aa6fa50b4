-- roster_counts keeps the counts one level deeper: the wards and communes of a province (before
-- 1/7/2025 the districts). A province's page counted its hundred wards by one scan of its
-- whole roster (19 ms at 58.000 members, about 80 ms for the largest provinces of the country);
-- kept, they are a row each. Refilled from the roster by the migration's caller
-- (derivedFills: rebuildRosterCounts).
DELETE FROM roster_counts;
