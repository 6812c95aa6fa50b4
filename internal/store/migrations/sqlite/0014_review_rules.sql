-- Review rules corrected (issue 15, docs/reviews.md): the group of subjects with similar roles
-- and tasks within which the excellent quota is counted (QĐ 124 Điều 12; QĐ 366 Điều 11 khoản 1
-- điểm 1.5), the share of tasks behind schedule (QĐ 366 Điều 11 khoản 3: at most 20% for
-- "completed"), and the document by which the competent level allowed an outstanding unit the
-- higher quota (QĐ 366: up to 25%).
ALTER TABLE reviews ADD COLUMN peer_group TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN tasks_late_pct INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN quota_exception TEXT NOT NULL DEFAULT '';
