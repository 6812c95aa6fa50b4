-- Inspection, supervision and discipline (docs/inspection.md): reference fields, yearly
-- programmes, rounds with their subjects and conclusions, discipline decisions and appeals.
-- Optional text is '' (never NULL); dates are ISO text.
CREATE TABLE inspection_fields (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE inspection_programmes (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  body TEXT NOT NULL,
  year INTEGER NOT NULL,
  title TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_programmes_org ON inspection_programmes (org_id, year);

CREATE TABLE inspection_rounds (
  id TEXT PRIMARY KEY,
  programme_id TEXT NOT NULL DEFAULT '',
  org_id TEXT NOT NULL,
  body TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  decision TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '',
  team TEXT NOT NULL DEFAULT '',
  planned_from TEXT NOT NULL,
  planned_to TEXT NOT NULL,
  stage TEXT NOT NULL,
  conduct_from TEXT NOT NULL DEFAULT '',
  concluded_on TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_rounds_decided ON inspection_rounds (decided_on);
CREATE INDEX inspection_rounds_org ON inspection_rounds (org_id, decided_on);

CREATE TABLE inspection_subjects (
  round_id TEXT NOT NULL,
  org_id TEXT NOT NULL DEFAULT '',
  member_id TEXT NOT NULL DEFAULT '',
  finding TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL DEFAULT '',
  conclusion TEXT NOT NULL DEFAULT '',
  recommendations TEXT NOT NULL DEFAULT '',
  follow_up_due TEXT NOT NULL DEFAULT '',
  follow_up_done TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (round_id, org_id, member_id)
);
CREATE INDEX inspection_subjects_org ON inspection_subjects (org_id);
CREATE INDEX inspection_subjects_member ON inspection_subjects (member_id);

CREATE TABLE disciplines (
  id TEXT PRIMARY KEY,
  round_id TEXT NOT NULL DEFAULT '',
  member_id TEXT NOT NULL DEFAULT '',
  org_id TEXT NOT NULL DEFAULT '',
  form TEXT NOT NULL,
  authority_org_id TEXT NOT NULL,
  authority_body TEXT NOT NULL,
  violation_on TEXT NOT NULL,
  renewed_on TEXT NOT NULL DEFAULT '',
  decided_on TEXT NOT NULL,
  effective_on TEXT NOT NULL,
  number TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  post TEXT NOT NULL DEFAULT ''
);
CREATE INDEX disciplines_decided ON disciplines (decided_on);
CREATE INDEX disciplines_member ON disciplines (member_id);
CREATE INDEX disciplines_org ON disciplines (org_id);

CREATE TABLE discipline_appeals (
  id TEXT PRIMARY KEY,
  discipline_id TEXT NOT NULL,
  received_on TEXT NOT NULL,
  lodged_on TEXT NOT NULL,
  handler_org_id TEXT NOT NULL,
  handler_body TEXT NOT NULL,
  resolved_on TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  new_form TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX discipline_appeals_discipline ON discipline_appeals (discipline_id);
