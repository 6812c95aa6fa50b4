-- Report figures read a subtree's dated records from the subtree's organisations (org_paths by
-- path, then each organisation's records): badges had no index by organisation, so a province's
-- count of badges awarded joined every organisation of the subtree to every badge of the period.
CREATE INDEX badges_org ON badges (org_id, ceremony);
