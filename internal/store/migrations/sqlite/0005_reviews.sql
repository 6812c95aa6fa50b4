-- Review, evaluation and classification (docs/reviews.md): campaigns with their schedule, one
-- review per subject and campaign, the manifestations of Resolution 4 it ticks, its points per
-- criterion (QĐ 366), and the remedies with their owner, deadline, status and evidence.
CREATE TABLE review_campaigns (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  period_kind TEXT NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  rule_set TEXT NOT NULL,
  opened_on TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_campaigns_org ON review_campaigns (org_id, period_to);
CREATE INDEX review_campaigns_to ON review_campaigns (period_to);

CREATE TABLE review_steps (
  campaign_id TEXT NOT NULL,
  step TEXT NOT NULL,
  due TEXT NOT NULL,
  PRIMARY KEY (campaign_id, step)
);

CREATE TABLE reviews (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  member_id TEXT NOT NULL DEFAULT '',
  org_id TEXT NOT NULL,
  decider_id TEXT NOT NULL,
  strengths TEXT NOT NULL DEFAULT '',
  faults TEXT NOT NULL DEFAULT '',
  causes TEXT NOT NULL DEFAULT '',
  points INTEGER,
  tasks_on_time INTEGER NOT NULL DEFAULT 0,
  tasks_beyond_pct INTEGER NOT NULL DEFAULT 0,
  self_rating TEXT NOT NULL DEFAULT '',
  self_on TEXT NOT NULL DEFAULT '',
  comments TEXT NOT NULL DEFAULT '',
  attendance TEXT NOT NULL DEFAULT '',
  proposed_rating TEXT NOT NULL DEFAULT '',
  proposed_on TEXT NOT NULL DEFAULT '',
  final_rating TEXT NOT NULL DEFAULT '',
  decided_on TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL DEFAULT '',
  trigger_kind TEXT NOT NULL DEFAULT '',
  trigger_note TEXT NOT NULL DEFAULT '',
  excluded TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX reviews_subject ON reviews (campaign_id, kind, member_id, org_id);
CREATE INDEX reviews_decider ON reviews (campaign_id, decider_id);
CREATE INDEX reviews_member ON reviews (member_id);
CREATE INDEX reviews_org ON reviews (org_id);

CREATE TABLE review_marks (
  review_id TEXT NOT NULL,
  code TEXT NOT NULL,
  explanation TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (review_id, code)
);

CREATE TABLE review_scores (
  review_id TEXT NOT NULL,
  criterion TEXT NOT NULL,
  points INTEGER NOT NULL,
  PRIMARY KEY (review_id, criterion)
);

CREATE TABLE remedies (
  id TEXT PRIMARY KEY,
  review_id TEXT NOT NULL,
  content TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  due TEXT NOT NULL,
  status TEXT NOT NULL,
  done_on TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT ''
);
CREATE INDEX remedies_review ON remedies (review_id);
CREATE INDEX remedies_due ON remedies (status, due);
