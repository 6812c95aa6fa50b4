-- Discipline rules corrected (issue 15, docs/inspection.md): a violation in a category without
-- statute of limitations (QĐ 102 Điều 3; QĐ 07-QĐi Điều 5; QĐ 69 Điều 4: internal politics;
-- national security, defence, foreign affairs; unlawful diplomas), and a violation of a task a
-- higher level assigned, which a cell may not decide (Charter Art. 36 khoản 1; QĐ 296 Art. 10 pt 1.4).
ALTER TABLE disciplines ADD COLUMN no_limit TEXT NOT NULL DEFAULT '';
ALTER TABLE disciplines ADD COLUMN higher_task INTEGER NOT NULL DEFAULT 0;
