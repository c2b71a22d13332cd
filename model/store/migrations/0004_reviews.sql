-- Governance review of declarations (issue 4): each decision on a submitted version, with the
-- reviewer's comment. The declaration itself gets a new version with status approved or
-- returned; this table keeps what the reviewer said to the member, which the register versions
-- have no column for. Append-only, like the audit log: a review once given is never rewritten.

CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  entity_kind TEXT NOT NULL CHECK (entity_kind IN ('interest', 'gift', 'nil_return')),
  entity_id INTEGER NOT NULL,
  version INTEGER NOT NULL,  -- the version the reviewer looked at (the one that was submitted)
  decision TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),
  comment TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX reviews_entity ON reviews(entity_kind, entity_id);

CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews BEGIN SELECT RAISE(ABORT, 'reviews is append-only'); END;
