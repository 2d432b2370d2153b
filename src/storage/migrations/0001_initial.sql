-- The roster, candidate login and the collection's state.
-- {{id}} is an auto-increment primary key and {{blob}} a binary column in each engine's
-- dialect; times are milliseconds since the Unix epoch (BIGINT) in both engines.

CREATE TABLE candidates (
  id {{id}},
  registration_no TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  id_number TEXT NOT NULL UNIQUE,
  phone TEXT NOT NULL UNIQUE,
  exam_session TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX candidates_name ON candidates (name);
CREATE INDEX candidates_session ON candidates (exam_session);

CREATE TABLE roster_imports (
  id {{id}},
  imported_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  total_rows BIGINT NOT NULL,
  inserted BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  unchanged BIGINT NOT NULL
);

CREATE TABLE sms_codes (
  id {{id}},
  phone TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  consumed_at BIGINT
);
CREATE INDEX sms_codes_phone ON sms_codes (phone, created_at);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  subject_kind TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  client_ip TEXT NOT NULL
);
CREATE INDEX sessions_subject ON sessions (subject_kind, subject_id);

CREATE TABLE consents (
  id {{id}},
  candidate_id BIGINT NOT NULL REFERENCES candidates (id),
  document TEXT NOT NULL,
  version TEXT NOT NULL,
  accepted_at BIGINT NOT NULL,
  client_ip TEXT NOT NULL
);
CREATE INDEX consents_candidate ON consents (candidate_id);

CREATE TABLE rate_limits (
  bucket TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  hits BIGINT NOT NULL
);

CREATE TABLE collections (
  candidate_id BIGINT PRIMARY KEY REFERENCES candidates (id),
  state TEXT NOT NULL,
  version BIGINT NOT NULL,
  portrait_side TEXT,
  emblem_side TEXT,
  mismatch TEXT,
  photo_attempt_id BIGINT,
  verification TEXT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX collections_state ON collections (state);

CREATE TABLE collection_events (
  id {{id}},
  candidate_id BIGINT NOT NULL REFERENCES candidates (id),
  happened_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX collection_events_candidate ON collection_events (candidate_id, happened_at);

CREATE TABLE blobs (
  blob_key TEXT PRIMARY KEY,
  content {{blob}} NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
