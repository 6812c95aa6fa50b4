-- A subtree's reviews are found from its organisations: each organisation's reviews by campaign
-- in one index probe. PostgreSQL joined a ward's eight organisation paths to the period's 232
-- campaigns and each pair to the reviews by intersecting two indexes (1.856 bitmap probes, 8 ms
-- of a ward's report, the largest of its queries); with the campaign in the organisation's
-- index it is 1,6 ms.
DROP INDEX reviews_org;
CREATE INDEX reviews_org ON reviews (org_id, campaign_id);
