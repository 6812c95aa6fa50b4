-- Member files, cards, badges and the yearly supplement (docs/member-files.md): dated details the
-- standard forms need, family members, the file's documents by catalogue type (CV 1361; the
-- scans themselves are encrypted files in attachments/), supplements per member and year, party
-- cards, badges, and the 14-digit organisation code over time.
CREATE TABLE member_details (
  member_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  birth_name TEXT NOT NULL DEFAULT '',
  birth_place TEXT NOT NULL DEFAULT '',
  foreign_languages TEXT NOT NULL DEFAULT '',
  awards TEXT NOT NULL DEFAULT '',
  photo TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (member_id, valid_from)
);

CREATE TABLE family_members (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  relation TEXT NOT NULL,
  full_name TEXT NOT NULL,
  birth_year TEXT NOT NULL DEFAULT '',
  residence TEXT NOT NULL DEFAULT '',
  occupation TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX family_members_member ON family_members (member_id);

CREATE TABLE file_documents (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  type_no INTEGER NOT NULL,
  date TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  attachment TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL DEFAULT '',
  pages INTEGER NOT NULL DEFAULT 0,
  added_on TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX file_documents_member ON file_documents (member_id, type_no);

CREATE TABLE supplements (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  changes TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  entered_on TEXT NOT NULL DEFAULT '',
  checked_on TEXT NOT NULL DEFAULT '',
  certified_on TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX supplements_member_year ON supplements (member_id, year);
CREATE INDEX supplements_org ON supplements (org_id, year);

CREATE TABLE cards (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  number TEXT NOT NULL,
  kind TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  decision TEXT NOT NULL DEFAULT '',
  ended_on TEXT NOT NULL DEFAULT '',
  end_reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cards_member ON cards (member_id, issued_on);

CREATE TABLE badges (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  milestone INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ceremony TEXT NOT NULL,
  decision TEXT NOT NULL DEFAULT '',
  decided_on TEXT NOT NULL DEFAULT '',
  presented_on TEXT NOT NULL DEFAULT '',
  cash_amount INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX badges_member_milestone ON badges (member_id, milestone) WHERE kind <> 'reissue';
CREATE INDEX badges_ceremony ON badges (ceremony);

CREATE TABLE org_codes (
  org_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  code TEXT NOT NULL,
  PRIMARY KEY (org_id, valid_from)
);
CREATE INDEX org_codes_code ON org_codes (code, valid_from);
