-- The exam office console: an append-only audit log (who viewed whose ID data, who changed
-- what, exports), and the indexes that keep search, dashboard and export fast at 10^5..10^6
-- candidates on both engines.

CREATE TABLE audit_log (
  id {{id}},
  happened_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  candidate_id BIGINT,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  client_ip TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (happened_at);
CREATE INDEX audit_log_candidate ON audit_log (candidate_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- The log is evidence: the engine itself refuses to change or remove a row.
-- {{sqlite}}
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- {{end}}
-- {{postgres}}
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
-- Prefix search on names and registration numbers compares bytes (the "C" collation), so a
-- range scan of the index is exactly the prefix and the keyset order matches the index.
CREATE INDEX candidates_name_prefix ON candidates (name COLLATE "C", id);
CREATE INDEX candidates_registration_prefix ON candidates (registration_no COLLATE "C");
-- {{end}}
-- {{sqlite}}
-- SQLite compares text bytewise by default and every index ends with the rowid (id).
-- {{end}}

-- Filter by state in candidate order (keyset paging), and the dashboard's time series.
CREATE INDEX collections_state_candidate ON collections (state, candidate_id);
CREATE INDEX collection_events_to_state ON collection_events (to_state, happened_at);
CREATE INDEX photo_attempts_passed_time ON photo_attempts (passed, created_at);
