-- The roster carries each member's admission day, as it carries the gender: the party-age
-- distribution of a subtree (and the badge candidates) is then an index-only range scan of the
-- roster instead of one lookup into members per roster row — 5 million lookups at the root of
-- the country (issue 20).
ALTER TABLE roster ADD COLUMN admitted_on TEXT NOT NULL DEFAULT '';
UPDATE roster SET admitted_on = COALESCE((SELECT m.admitted_on FROM members m WHERE m.id = roster.member_id), '');
DROP INDEX roster_path;
CREATE INDEX roster_path ON roster (path, valid_from, valid_to, status, gender, admitted_on);
DROP INDEX roster_date;
CREATE INDEX roster_date ON roster (valid_to, valid_from, status, gender, admitted_on);
-- The members who ever left the party in a way they may come back from: the party age of a
-- root's members deducts their periods outside (report_admission.go, partyAgeGaps).
CREATE INDEX member_statuses_out ON member_statuses (member_id, valid_from) WHERE status IN ('transferred_out', 'removed', 'expelled', 'left');
