-- Admission files (hồ sơ kết nạp), their recorded stages, the stored scans, and the membership
-- life-cycle acts (transfers, exemption, removal, death, card issue). Dates are ISO text.
CREATE TABLE admission_files (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  full_name TEXT NOT NULL,
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL DEFAULT '',
  youth_union INTEGER NOT NULL DEFAULT 0,
  member_id TEXT NOT NULL DEFAULT '',
  readmission INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admission_files_org ON admission_files (org_id);
CREATE INDEX admission_files_member ON admission_files (member_id);

CREATE TABLE admission_steps (
  file_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  date TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT '',
  issuer TEXT NOT NULL DEFAULT '',
  entitled INTEGER NOT NULL DEFAULT 0,
  present INTEGER NOT NULL DEFAULT 0,
  yes INTEGER NOT NULL DEFAULT 0,
  people TEXT NOT NULL DEFAULT '',
  known TEXT NOT NULL DEFAULT '',
  replacements TEXT NOT NULL DEFAULT '',
  extension TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  override TEXT NOT NULL DEFAULT '',
  attachment TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (file_id, stage)
);
CREATE INDEX admission_steps_stage ON admission_steps (stage, date);

CREATE TABLE admission_attachments (
  file_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  name TEXT NOT NULL,
  content BYTEA NOT NULL,
  PRIMARY KEY (file_id, stage)
);

CREATE TABLE life_acts (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  org_id TEXT NOT NULL DEFAULT '',
  external TEXT NOT NULL DEFAULT '',
  until TEXT NOT NULL DEFAULT '',
  effective TEXT NOT NULL DEFAULT '',
  document TEXT NOT NULL DEFAULT '',
  card_number TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  override TEXT NOT NULL DEFAULT ''
);
CREATE INDEX life_acts_member ON life_acts (member_id, date);
CREATE INDEX life_acts_kind ON life_acts (kind, date);
