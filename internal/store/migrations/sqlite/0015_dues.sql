-- Party dues (issue 17, docs/dues.md): each member's dated basis, exemptions and reductions,
-- payments per member and month, and each organisation's remittances (monthly shares passed up
-- and balances handed over on a reorganisation). Amounts are whole đồng; months are 'yyyy-mm';
-- optional text is '' (never NULL); dates are ISO text.
CREATE TABLE dues_bases (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  grp TEXT NOT NULL,
  amount INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX dues_bases_member ON dues_bases (member_id, valid_from);

CREATE TABLE dues_exemptions (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  pct INTEGER NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dues_exemptions_member ON dues_exemptions (member_id, valid_from);

CREATE TABLE dues_payments (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  month TEXT NOT NULL,
  amount INTEGER NOT NULL,
  voluntary INTEGER NOT NULL DEFAULT 0,
  paid_on TEXT NOT NULL,
  channel TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX dues_payments_member_month ON dues_payments (member_id, month);
CREATE INDEX dues_payments_org ON dues_payments (org_id, month);

CREATE TABLE dues_remittances (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  month TEXT NOT NULL,
  kind TEXT NOT NULL,
  to_org_id TEXT NOT NULL,
  collected INTEGER NOT NULL DEFAULT 0,
  kept INTEGER NOT NULL DEFAULT 0,
  remitted INTEGER NOT NULL DEFAULT 0,
  sent_on TEXT NOT NULL,
  received_on TEXT NOT NULL DEFAULT '',
  event_id TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dues_remittances_org ON dues_remittances (org_id, month);
CREATE INDEX dues_remittances_to ON dues_remittances (to_org_id, month);
