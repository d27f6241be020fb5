-- Every audit row is written once and read by its dedup key or its messageId; no query of the router reads rows by
-- received_at, and keeping that index cost the embedded database a tenth of dispatch's time under load (each batch
-- rewrites the index pages it touched). Time-range queries (retention, reports) can use the id, which grows with
-- received_at, or an index created for them on a PostgreSQL that serves them.
DROP INDEX ix_rcs_audit_received_at;
