-- Dissemination of resolutions (docs/dissemination.md): document registers, programmes and their
-- tasks, conferences and courses with their attendance, and members' reflections.
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  number TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  issuer TEXT NOT NULL,
  issuer_org_id TEXT NOT NULL DEFAULT '',
  date TEXT NOT NULL,
  received_on TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  file TEXT NOT NULL DEFAULT '',
  secrecy TEXT NOT NULL DEFAULT 'none',
  implements_id TEXT NOT NULL DEFAULT '',
  reports_on_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX documents_org ON documents (org_id, date);
CREATE INDEX documents_number ON documents (number);
CREATE INDEX documents_implements ON documents (implements_id);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  title TEXT NOT NULL,
  assignee_org_id TEXT NOT NULL DEFAULT '',
  assignee_member_id TEXT NOT NULL DEFAULT '',
  assignee_name TEXT NOT NULL,
  deadline TEXT NOT NULL,
  status TEXT NOT NULL,
  done_on TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tasks_document ON tasks (document_id);
CREATE INDEX tasks_deadline ON tasks (deadline);

CREATE TABLE task_notes (
  task_id TEXT NOT NULL,
  date TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (task_id, date)
);

CREATE TABLE conferences (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  org_id TEXT NOT NULL,
  scope_org_id TEXT NOT NULL,
  title TEXT NOT NULL,
  date TEXT NOT NULL,
  end_date TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  presenter TEXT NOT NULL DEFAULT '',
  reflection INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conferences_org ON conferences (org_id, date);
CREATE INDEX conferences_date ON conferences (date);

CREATE TABLE conference_documents (
  conference_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  PRIMARY KEY (conference_id, document_id)
);
CREATE INDEX conference_documents_document ON conference_documents (document_id);

CREATE TABLE attendance (
  conference_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  made_up_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (conference_id, member_id)
);
CREATE INDEX attendance_member ON attendance (member_id, status);

CREATE TABLE reflections (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  conference_id TEXT NOT NULL DEFAULT '',
  date TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX reflections_member ON reflections (member_id);
