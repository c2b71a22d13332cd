-- Single sign-on with OpenID Connect (docs/oidc.md). Operational data like the other accounts
-- tables: rows are updated in place, and what matters for the record goes to auth_events.
-- Times are UTC ISO 8601 to the second.

-- Whether the account may sign in with a password at all. Governance turns it off for people who
-- sign in through their organisation, so a password cannot be guessed or phished for them.
ALTER TABLE users ADD COLUMN password_allowed INTEGER NOT NULL DEFAULT 1;
-- When the password last let this account in (NULL: never, or not since this column came).
ALTER TABLE users ADD COLUMN password_last_used_at TEXT;

-- An account's identities at OpenID providers: the provider's stable subject (issuer + sub),
-- never the email or the name, which people and directories change. One identity per issuer for
-- an account, and an identity belongs to one account.
CREATE TABLE user_identities (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  provider_id TEXT NOT NULL,          -- the config's provider id, e.g. "nhsmail"
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',     -- the verified email that linked it, for people to read
  linked_at TEXT NOT NULL,
  last_used_at TEXT,
  UNIQUE (issuer, subject),
  UNIQUE (user_id, issuer)
);

-- Sign-ins under way: made when the browser leaves for the provider, used up when it comes back.
-- The state travels in the URL, so only its SHA-256 is kept; the row is bound to the browser by
-- the SHA-256 of a random value in a short-lived cookie, so a callback started in one browser
-- cannot be finished in another. The nonce and the PKCE verifier never leave the server except
-- in the requests they belong to. Rows are purged once expired.
CREATE TABLE oidc_pending (
  id INTEGER PRIMARY KEY,
  state_hash TEXT NOT NULL UNIQUE,
  browser_hash TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  next TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX oidc_pending_expiry ON oidc_pending(expires_at);

-- Governance's word on each configured provider, over the config file's "enabled".
CREATE TABLE oidc_provider_settings (
  provider_id TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
) WITHOUT ROWID;
