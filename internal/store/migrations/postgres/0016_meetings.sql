-- Cell meetings and residence liaison (docs/meetings.md, issue 18): the meeting register with
-- its minutes and resolution, attendance by exception (a member of the cell is present unless a
-- row says otherwise), the questions voted, and the working members registered with the
-- residential cell where they live with its yearly comments.
CREATE TABLE meetings (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  topic TEXT NOT NULL DEFAULT '',
  month TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  planned_on TEXT COLLATE "C" NOT NULL DEFAULT '',
  held_on TEXT COLLATE "C" NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  chair TEXT NOT NULL DEFAULT '',
  clerk TEXT NOT NULL DEFAULT '',
  duration_minutes INTEGER NOT NULL DEFAULT 0,
  content_results TEXT NOT NULL DEFAULT '',
  content_tasks TEXT NOT NULL DEFAULT '',
  content_issues TEXT NOT NULL DEFAULT '',
  prepared_by TEXT NOT NULL DEFAULT '',
  agreed_on TEXT NOT NULL DEFAULT '',
  liaison TEXT NOT NULL DEFAULT '',
  liaison_invited INTEGER NOT NULL DEFAULT 0,
  liaison_attended INTEGER NOT NULL DEFAULT 0,
  docs_sent_on TEXT NOT NULL DEFAULT '',
  on_roll INTEGER NOT NULL DEFAULT 0,
  present INTEGER NOT NULL DEFAULT 0,
  guests TEXT NOT NULL DEFAULT '',
  agenda TEXT NOT NULL DEFAULT '',
  discussion TEXT NOT NULL DEFAULT '',
  conclusions TEXT NOT NULL DEFAULT '',
  quality_points INTEGER,
  quality_band TEXT NOT NULL DEFAULT '',
  reviewed_points INTEGER,
  reviewed_band TEXT NOT NULL DEFAULT '',
  resolution_number TEXT NOT NULL DEFAULT '',
  resolution_text TEXT NOT NULL DEFAULT '',
  published_on TEXT COLLATE "C" NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meetings_org ON meetings (org_id, month);
CREATE INDEX meetings_month ON meetings (month, kind, status);

CREATE TABLE meeting_attendance (
  meeting_id TEXT COLLATE "C" NOT NULL,
  member_id TEXT COLLATE "C" NOT NULL,
  mark TEXT COLLATE "C" NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance (member_id, mark);

CREATE TABLE meeting_decisions (
  meeting_id TEXT COLLATE "C" NOT NULL,
  seq INTEGER NOT NULL,
  title TEXT NOT NULL,
  votes_for INTEGER NOT NULL DEFAULT 0,
  votes_against INTEGER NOT NULL DEFAULT 0,
  votes_abstain INTEGER NOT NULL DEFAULT 0,
  conclusion TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, seq)
);

CREATE TABLE residence_links (
  id TEXT COLLATE "C" PRIMARY KEY,
  member_id TEXT COLLATE "C" NOT NULL,
  work_org TEXT NOT NULL DEFAULT '',
  cell_id TEXT COLLATE "C" NOT NULL,
  valid_from TEXT COLLATE "C" NOT NULL,
  valid_to TEXT COLLATE "C" NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  letter TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX residence_links_cell ON residence_links (cell_id, valid_from);
CREATE INDEX residence_links_member ON residence_links (member_id);

CREATE TABLE residence_comments (
  link_id TEXT COLLATE "C" NOT NULL,
  year INTEGER NOT NULL,
  requested_on TEXT NOT NULL DEFAULT '',
  returned_on TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (link_id, year)
);
