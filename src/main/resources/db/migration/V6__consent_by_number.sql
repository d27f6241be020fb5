-- Every CRM request carries the subscriber's consent (routes/crm.camel.yaml, ConsentLedger.markCurrent): one query
-- per dispatch batch for the numbers of its replies, whatever their scope. The primary key (agent, msisdn) cannot
-- serve "msisdn IN (...)"; without this index each batch read the whole table.
CREATE INDEX ix_rcs_consent_msisdn ON rcs_consent (msisdn);
