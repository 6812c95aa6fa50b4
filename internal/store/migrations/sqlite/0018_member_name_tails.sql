-- Member names searched from any word (issue 13): each folded name's tails, one from the start of
-- each of its words ("nguyen van hung", "van hung", "hung"), so that a name search is a range scan
-- of this index in the order of what was typed, whatever word it starts from. pos is the word's
-- place, so that a member whose name matches at two words is listed once. Derived from
-- members.name_fold like the roster from memberships: rebuilt by every write of a member's name
-- and by the import.
CREATE TABLE member_name_tails (
  tail TEXT NOT NULL,
  member_id TEXT NOT NULL,
  pos INTEGER NOT NULL,
  PRIMARY KEY (tail, member_id, pos)
) WITHOUT ROWID;
CREATE INDEX member_name_tails_member ON member_name_tails (member_id, pos, tail);
WITH RECURSIVE t(member_id, pos, rest) AS (
  SELECT id, 0, name_fold FROM members
  UNION ALL
  SELECT member_id, pos + 1, substr(rest, instr(rest, ' ') + 1) FROM t WHERE instr(rest, ' ') > 0
)
INSERT INTO member_name_tails (tail, member_id, pos) SELECT rest, member_id, pos FROM t WHERE rest <> '';
