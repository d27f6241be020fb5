-- No query of the router reads audit rows by subscriber (consent has its own tables and indexes), and this index cost
-- the embedded database three quarters of its work under load: subscriber numbers arrive in no order, so each row of a
-- batch rewrote another page of the index (bench/RESULTS.md, section 0d: the database alone went from 22,100 to
-- 89,940 events/s without it). A team that looks events up by number on PostgreSQL can create an index for it there.
DROP INDEX ix_rcs_audit_subscriber;
