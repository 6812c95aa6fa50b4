-- The 27 manifestations of Resolution 04-NQ/TW in the resolution's order (issue 15;
-- shared/research/rules-verified.md §2). Marks recorded under the project's earlier numbering are
-- moved to the official item with the same content: 1.5 ↔ 1.6 swapped; 1.7 (part of the official
-- I-4) → 1.4; 1.9 (not an official item; "thấy sai không đấu tranh") → 1.5; 2.3 → 2.5; 2.4 → 2.7;
-- 2.5 → 2.6; 2.6 → 2.8; 2.7 (nepotism, official I-9) → 1.9; 2.8 (part of II-9) → 2.9; 3.7 ↔ 3.9.
-- Marks that fall on the same item are merged, their explanations joined.
UPDATE review_marks SET code = 'old:' || code;
INSERT INTO review_marks (review_id, code, explanation)
  SELECT review_id, newcode, string_agg(explanation, '; ') FROM (SELECT review_id, CASE code WHEN 'old:1.5' THEN '1.6' WHEN 'old:1.6' THEN '1.5' WHEN 'old:1.7' THEN '1.4' WHEN 'old:1.9' THEN '1.5' WHEN 'old:2.3' THEN '2.5' WHEN 'old:2.4' THEN '2.7' WHEN 'old:2.5' THEN '2.6' WHEN 'old:2.6' THEN '2.8' WHEN 'old:2.7' THEN '1.9' WHEN 'old:2.8' THEN '2.9' WHEN 'old:3.7' THEN '3.9' WHEN 'old:3.9' THEN '3.7' ELSE substr(code, 5) END AS newcode, explanation FROM review_marks) x
  GROUP BY review_id, newcode;
DELETE FROM review_marks WHERE code LIKE 'old:%';
