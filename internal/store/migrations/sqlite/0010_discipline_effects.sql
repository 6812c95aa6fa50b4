-- Discipline after the fact (docs/inspection.md): a decision can be withdrawn (kept, marked with
-- the date and reason), and the effects a decision or an appeal's outcome wrote on a member's
-- history are recorded so that they can be reversed exactly (an annulled expulsion restores the
-- memberships it closed, with their original ends).
ALTER TABLE disciplines ADD COLUMN withdrawn_on TEXT NOT NULL DEFAULT '';
ALTER TABLE disciplines ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE discipline_effects (
  discipline_id TEXT NOT NULL,
  appeal_id TEXT NOT NULL DEFAULT '', -- '' for the decision itself
  tbl TEXT NOT NULL,                   -- 'memberships' or 'posts'
  ref TEXT NOT NULL,                  -- memberships: org_id; posts: the post's id
  kind TEXT NOT NULL DEFAULT '',       -- memberships: kind
  member_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,              -- the end the row had before the effect closed it
  closed_on TEXT NOT NULL,             -- the day the effect closed it
  PRIMARY KEY (discipline_id, appeal_id, tbl, ref, kind, valid_from)
);
