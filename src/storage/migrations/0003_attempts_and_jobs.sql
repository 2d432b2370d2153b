-- Every ID card side and photo a candidate uploads is kept (the office sees the history),
-- and identity verification runs as durable jobs that survive a restart.

CREATE TABLE id_card_uploads (
  id {{id}},
  candidate_id BIGINT NOT NULL REFERENCES candidates (id),
  side TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  accepted BIGINT NOT NULL,
  reading TEXT NOT NULL,
  image_key TEXT NOT NULL,
  card_key TEXT,
  portrait_key TEXT
);
CREATE INDEX id_card_uploads_candidate ON id_card_uploads (candidate_id, created_at);

CREATE TABLE photo_attempts (
  id {{id}},
  candidate_id BIGINT NOT NULL REFERENCES candidates (id),
  created_at BIGINT NOT NULL,
  passed BIGINT NOT NULL,
  report TEXT NOT NULL,
  upload_key TEXT NOT NULL,
  photo_key TEXT
);
CREATE INDEX photo_attempts_candidate ON photo_attempts (candidate_id, created_at);

CREATE TABLE verification_jobs (
  id {{id}},
  candidate_id BIGINT NOT NULL REFERENCES candidates (id),
  photo_attempt_id BIGINT NOT NULL REFERENCES photo_attempts (id),
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  run_after BIGINT NOT NULL,
  locked_by TEXT,
  locked_until BIGINT,
  outcome TEXT,
  score DOUBLE PRECISION,
  detail TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX verification_jobs_due ON verification_jobs (status, run_after);
CREATE INDEX verification_jobs_candidate ON verification_jobs (candidate_id);
