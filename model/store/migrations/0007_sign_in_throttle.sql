-- Sign-in attempts are counted by the email address typed, whether or not an account has it, so
-- an unknown address is locked after as many failures as a real one and the answers do not tell
-- which addresses have accounts. The key is the address trimmed and lower-cased (ASCII, like the
-- users table's NOCASE collation); text that is not an email address (a password typed into the
-- wrong box) is keyed by its SHA-256 instead, so it is never stored. A row lives only while its
-- window or its lock runs: a successful sign-in deletes it, and the server purges ended ones.
CREATE TABLE login_throttle (
  email TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,      -- attempts counted in the current window, those in flight included
  window_start TEXT NOT NULL,
  locked_until TEXT
) WITHOUT ROWID;

-- The counts and locks kept on accounts until now move here; users.failed_logins,
-- users.failures_since and users.locked_until are no longer read or written.
INSERT OR IGNORE INTO login_throttle(email, failures, window_start, locked_until)
  SELECT lower(trim(email)), failed_logins, COALESCE(failures_since, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), locked_until
  FROM users
  WHERE failures_since IS NOT NULL OR locked_until IS NOT NULL;

-- Secrets the server makes once and keeps across restarts, such as the key that signs the CSRF
-- tokens of signed-out visitors. Kept in the database so that every server process on it, and a
-- restored backup, agree; anyone who can read the database file can read them, as with sessions.
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
