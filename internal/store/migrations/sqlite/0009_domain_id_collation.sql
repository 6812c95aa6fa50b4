-- PostgreSQL only (see postgres/0009); kept so that both engines carry the same numbers.
SELECT 1;
