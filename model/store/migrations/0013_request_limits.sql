-- Requests counted per key in fixed windows, for actions anyone may ask for without signing in
-- (a password-reset email): keys such as "reset-address:<email>" and "reset-client:<address>".
-- Kept apart from login_throttle, whose rows are purged on the sign-in lock-out's shorter window.
CREATE TABLE request_limits (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,      -- requests in the current window, this one included
  window_start TEXT NOT NULL   -- UTC ISO 8601, like the accounts tables
) WITHOUT ROWID;
