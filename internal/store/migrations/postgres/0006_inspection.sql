-- Inspection, supervision and discipline (docs/inspection.md): reference fields, yearly
-- programmes, rounds with their subjects and conclusions, discipline decisions and appeals.
-- Optional text is '' (never NULL); dates are ISO text.
CREATE TABLE inspection_fields (
  code TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL
);

CREATE TABLE inspection_programmes (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  year INTEGER NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  document TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX inspection_programmes_org ON inspection_programmes (org_id, year);

CREATE TABLE inspection_rounds (
  id TEXT COLLATE "C" PRIMARY KEY,
  programme_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  org_id TEXT COLLATE "C" NOT NULL,
  body TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  decision TEXT COLLATE "C" NOT NULL,
  decided_on TEXT COLLATE "C" NOT NULL,
  fields TEXT COLLATE "C" NOT NULL DEFAULT '',
  team TEXT COLLATE "C" NOT NULL DEFAULT '',
  planned_from TEXT COLLATE "C" NOT NULL,
  planned_to TEXT COLLATE "C" NOT NULL,
  stage TEXT COLLATE "C" NOT NULL,
  conduct_from TEXT COLLATE "C" NOT NULL DEFAULT '',
  concluded_on TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX inspection_rounds_decided ON inspection_rounds (decided_on);
CREATE INDEX inspection_rounds_org ON inspection_rounds (org_id, decided_on);

CREATE TABLE inspection_subjects (
  round_id TEXT COLLATE "C" NOT NULL,
  org_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  member_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  finding TEXT COLLATE "C" NOT NULL DEFAULT '',
  severity TEXT COLLATE "C" NOT NULL DEFAULT '',
  conclusion TEXT COLLATE "C" NOT NULL DEFAULT '',
  recommendations TEXT COLLATE "C" NOT NULL DEFAULT '',
  follow_up_due TEXT COLLATE "C" NOT NULL DEFAULT '',
  follow_up_done TEXT COLLATE "C" NOT NULL DEFAULT '',
  PRIMARY KEY (round_id, org_id, member_id)
);
CREATE INDEX inspection_subjects_org ON inspection_subjects (org_id);
CREATE INDEX inspection_subjects_member ON inspection_subjects (member_id);

CREATE TABLE disciplines (
  id TEXT COLLATE "C" PRIMARY KEY,
  round_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  member_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  org_id TEXT COLLATE "C" NOT NULL DEFAULT '',
  form TEXT COLLATE "C" NOT NULL,
  authority_org_id TEXT COLLATE "C" NOT NULL,
  authority_body TEXT COLLATE "C" NOT NULL,
  violation_on TEXT COLLATE "C" NOT NULL,
  renewed_on TEXT COLLATE "C" NOT NULL DEFAULT '',
  decided_on TEXT COLLATE "C" NOT NULL,
  effective_on TEXT COLLATE "C" NOT NULL,
  number TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL DEFAULT '',
  post TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX disciplines_decided ON disciplines (decided_on);
CREATE INDEX disciplines_member ON disciplines (member_id);
CREATE INDEX disciplines_org ON disciplines (org_id);

CREATE TABLE discipline_appeals (
  id TEXT COLLATE "C" PRIMARY KEY,
  discipline_id TEXT COLLATE "C" NOT NULL,
  received_on TEXT COLLATE "C" NOT NULL,
  lodged_on TEXT COLLATE "C" NOT NULL,
  handler_org_id TEXT COLLATE "C" NOT NULL,
  handler_body TEXT COLLATE "C" NOT NULL,
  resolved_on TEXT COLLATE "C" NOT NULL DEFAULT '',
  outcome TEXT COLLATE "C" NOT NULL DEFAULT '',
  new_form TEXT COLLATE "C" NOT NULL DEFAULT '',
  note TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX discipline_appeals_discipline ON discipline_appeals (discipline_id);
