-- Exam office staff accounts. Passwords are Argon2id hashes (libsodium's crypto_pwhash_str).
CREATE TABLE staff_accounts (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT
);
