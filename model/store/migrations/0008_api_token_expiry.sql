-- API tokens end: each has an expiry (set when it is made, from the config's
-- accounts.api_token_days, 90 by default) and records when it was last used, so governance can
-- see which tokens are still in use and revoke the rest. A token with no expiry is refused, so
-- the tokens made before this migration get 90 days from now rather than living for ever (or
-- stopping the moment the server is upgraded).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;  -- written at most about once a minute per token
UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+90 days') WHERE expires_at IS NULL;
