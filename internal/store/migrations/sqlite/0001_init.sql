-- Dates are ISO text; open ends are '9999-12-31' so that as-of tests are one comparison.
CREATE TABLE reorg_events (
  id TEXT PRIMARY KEY,
  date TEXT NOT NULL,
  kind TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE org_versions (
  org_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  name TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  parent_id TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL,
  kind TEXT NOT NULL,
  issuer_code TEXT NOT NULL DEFAULT '',
  event_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (org_id, valid_from)
);
CREATE INDEX org_versions_parent ON org_versions (parent_id, valid_from);
CREATE INDEX org_versions_name ON org_versions (name_fold, valid_from);

-- Derived: the materialised path of each organisation over intervals in which it is constant.
CREATE TABLE org_paths (
  org_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  path TEXT NOT NULL,
  depth INTEGER NOT NULL,
  PRIMARY KEY (org_id, valid_from)
);
CREATE INDEX org_paths_path ON org_paths (path, valid_from, valid_to);

CREATE TABLE terms (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  start TEXT NOT NULL,
  "end" TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT ''
);
CREATE INDEX terms_org ON terms (org_id, start);

CREATE TABLE localities (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL
);
CREATE INDEX localities_cell ON localities (cell_id);

CREATE TABLE units (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  org_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL
);
CREATE INDEX units_org ON units (org_id);

CREATE TABLE members (
  id TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  name_key BLOB NOT NULL,
  other_names TEXT NOT NULL DEFAULT '',
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL DEFAULT '',
  ethnicity TEXT NOT NULL DEFAULT '',
  religion TEXT NOT NULL DEFAULT '',
  hometown TEXT NOT NULL DEFAULT '',
  residence TEXT NOT NULL DEFAULT '',
  id_number TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL DEFAULT '',
  qualification TEXT NOT NULL DEFAULT '',
  theory_level TEXT NOT NULL DEFAULT '',
  occupation TEXT NOT NULL DEFAULT '',
  position TEXT NOT NULL DEFAULT '',
  admitted_on TEXT NOT NULL DEFAULT '',
  full_on TEXT NOT NULL DEFAULT '',
  card_number TEXT NOT NULL DEFAULT '',
  card_date TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX members_name_fold ON members (name_fold, id);
CREATE INDEX members_name_key ON members (name_key);
CREATE INDEX members_admitted ON members (admitted_on);

CREATE TABLE member_statuses (
  member_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  status TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (member_id, valid_from)
);

CREATE TABLE memberships (
  member_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  kind TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT '',
  event_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (member_id, valid_from, kind)
);
CREATE INDEX memberships_org ON memberships (org_id, valid_from);

CREATE TABLE movements (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  from_org_id TEXT NOT NULL DEFAULT '',
  to_org_id TEXT NOT NULL DEFAULT '',
  external TEXT NOT NULL DEFAULT '',
  document TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX movements_member ON movements (member_id, date);

CREATE TABLE posts (
  id TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  org_id TEXT NOT NULL DEFAULT '',
  term_id TEXT NOT NULL DEFAULT '',
  locality_id TEXT NOT NULL DEFAULT '',
  unit_id TEXT NOT NULL DEFAULT '',
  member_id TEXT NOT NULL DEFAULT '',
  holder_name TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL
);
CREATE INDEX posts_org ON posts (org_id, role, valid_from);
CREATE INDEX posts_locality ON posts (locality_id, valid_from);
CREATE INDEX posts_unit ON posts (unit_id, valid_from);
CREATE INDEX posts_member ON posts (member_id);

-- Derived: who counts where. One row per maximal interval in which a member's official
-- organisation, that organisation's path and the member's in-party status are all constant.
-- Subtree counts as of a date are one range scan of roster_path.
CREATE TABLE roster (
  member_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  path TEXT NOT NULL,
  status TEXT NOT NULL,
  gender TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL
);
CREATE INDEX roster_path ON roster (path, valid_from, valid_to, status, gender);
CREATE INDEX roster_member ON roster (member_id, valid_from);
-- Whole-tree counts as of a date read only the intervals still open on that day.
CREATE INDEX roster_date ON roster (valid_to, valid_from, status, gender);

-- Append-only, hash-chained: each entry's hash covers its content and the previous hash.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before TEXT NOT NULL DEFAULT '',
  after TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
