-- The outbox: every message Probity sends, written in the same transaction as the event that
-- causes it (an account created, a reminder due, an entry returned), so a message is never lost
-- when the process dies after the commit, and never sent twice: the sender claims a row, delivers
-- it, and marks it sent. Rows are kept (status sent or failed) as the record of what was sent to
-- whom and why; governance reads them on the Outbox page and in each person's timeline.
-- Times are UTC ISO 8601 to the second, like the accounts tables.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                 -- invitation, password_reset, reminder, escalation, digest, returned, agenda_flags, ...
  dedupe_key TEXT UNIQUE,             -- a second enqueue with the same key is a no-op (idempotent passes)
  to_address TEXT NOT NULL,
  to_name TEXT NOT NULL DEFAULT '',
  person_id INTEGER REFERENCES people(id),  -- whose timeline the message belongs to, if anyone's
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',    -- why it was sent, in words (also the footer of the message)
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,      -- pending rows are sent from this time on
  claimed_until TEXT,                 -- a sender's claim on a 'sending' row lapses after this
  last_error TEXT NOT NULL DEFAULT '',
  sent_at TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_person ON outbox(person_id, id);
