-- The completeness of member files (the report's member_files_* figures) reads, per member,
-- which required types were added by the as-of day: with added_on in the index that is an
-- index-only read, not one table lookup per document (a province holds some 450.000).
DROP INDEX file_documents_member;
CREATE INDEX file_documents_member ON file_documents (member_id, type_no, added_on);
