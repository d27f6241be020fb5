-- The provider an event came from (kaleyra, ...): one audit table and one consent ledger for every provider.
-- Rows written before this column existed are Kaleyra's.
ALTER TABLE rcs_audit ADD COLUMN provider VARCHAR(32);
