-- One row that readiness writes to (UPDATE ... SET beat_at): a database that is closed, read-only, frozen or
-- unreachable fails that write, where a pooled connection's isValid() could still say yes.
CREATE TABLE rcs_heartbeat (
    id       INTEGER PRIMARY KEY,
    beat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO rcs_heartbeat (id, beat_at) VALUES (1, CURRENT_TIMESTAMP);
