-- Staff accounts can be removed (security F17). The row stays, without its password hash,
-- so that the username - which the audit log records - is never given to someone else.
ALTER TABLE staff_accounts ADD COLUMN removed_at BIGINT;
