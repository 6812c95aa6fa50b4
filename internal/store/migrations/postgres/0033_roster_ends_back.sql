-- roster_ends keeps only the members back in the Party after a gap (roster.go, rosterEndsOf):
-- one who left and never came back reaches no milestone after leaving, so is due on the
-- anniversaries like any other member. The million-member root's badges due probed 47.500 such
-- members for a few hundred who came back. Refilled by the migration's caller.
DELETE FROM roster_ends;
