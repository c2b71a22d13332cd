-- Accounts, sessions and credentials. These are operational data, not register records, so rows
-- are updated in place; what must not be lost is the security trail, auth_events, which is
-- append-only like the audit log. No table holds a password or a token in clear: only scrypt
-- hashes of passwords and SHA-256 hashes of random tokens. Times are UTC ISO 8601 to the second
-- ('2026-11-23T14:05:09Z'), which sort correctly as text.

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  person_id INTEGER UNIQUE REFERENCES people(id),  -- the register entry this account declares for
  role TEXT NOT NULL CHECK (role IN ('member', 'governance')),  -- chair rights come from memberships
  password_hash TEXT,                               -- NULL until set through a set-password link
  created_at TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,         -- failures in the current window
  failures_since TEXT,                              -- start of the current window
  locked_until TEXT
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the cookie's token
  user_id INTEGER REFERENCES users(id),  -- NULL: an anonymous session that only carries a CSRF token
  -- Kept in clear because every form must echo it; on its own it grants nothing without the
  -- session cookie it belongs to.
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE password_links (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX password_links_user ON password_links(user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE auth_events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  event TEXT NOT NULL,
  user_id INTEGER REFERENCES users(id),
  email TEXT NOT NULL DEFAULT '',   -- as typed at login, so attacks on unknown accounts show too
  actor TEXT NOT NULL DEFAULT '',   -- who caused it, when not the user (e.g. governance creating a link)
  source TEXT NOT NULL DEFAULT '',  -- e.g. the client's address, as the server reports it
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX auth_events_user ON auth_events(user_id);
CREATE TRIGGER auth_events_no_update BEFORE UPDATE ON auth_events BEGIN SELECT RAISE(ABORT, 'auth_events is append-only'); END;
CREATE TRIGGER auth_events_no_delete BEFORE DELETE ON auth_events BEGIN SELECT RAISE(ABORT, 'auth_events is append-only'); END;
