-- The declaration year (docs/declaration-year.md).
--
-- When the member became aware of an interest (or of a change to it): the 28-day clock runs from
-- this date, not from the interest's start (an interest may have begun long before). Null on
-- versions written before this migration: the start date stands in for it.
ALTER TABLE interest_versions ADD COLUMN aware_on TEXT;

-- Annual confirmations: "my entries are complete and current as of this date", made by a member
-- who holds interests (one with none makes a nil return instead). Like every register record an
-- identity row plus append-only versions, written with an audit row; a second confirmation in the
-- same year is a new record, never an edit of the first.
CREATE TABLE confirmations (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE confirmation_versions (
  confirmation_id INTEGER NOT NULL REFERENCES confirmations(id),
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  confirmed_on TEXT NOT NULL,
  year_start TEXT NOT NULL,          -- the first day of the declaration year it was made in
  entries INTEGER NOT NULL DEFAULT 0 CHECK (entries >= 0),  -- current interests confirmed
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (confirmation_id, version)
) WITHOUT ROWID;
CREATE INDEX confirmation_versions_person ON confirmation_versions(person_id);
CREATE TRIGGER confirmations_no_update BEFORE UPDATE ON confirmations BEGIN SELECT RAISE(ABORT, 'confirmations is append-only'); END;
CREATE TRIGGER confirmations_no_delete BEFORE DELETE ON confirmations BEGIN SELECT RAISE(ABORT, 'confirmations is append-only'); END;
CREATE TRIGGER confirmation_versions_no_update BEFORE UPDATE ON confirmation_versions BEGIN SELECT RAISE(ABORT, 'confirmation_versions is append-only'); END;
CREATE TRIGGER confirmation_versions_no_delete BEFORE DELETE ON confirmation_versions BEGIN SELECT RAISE(ABORT, 'confirmation_versions is append-only'); END;
CREATE VIEW confirmation_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM confirmations e JOIN confirmation_versions v ON v.confirmation_id = e.id AND v.version = (SELECT MAX(w.version) FROM confirmation_versions w WHERE w.confirmation_id = e.id);

-- A person's line manager, told when their declarations are escalated. At most one current
-- record per person (the store finds it by person); versions keep who it was before.
CREATE TABLE line_managers (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE line_manager_versions (
  line_manager_id INTEGER NOT NULL REFERENCES line_managers(id),
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (line_manager_id, version)
) WITHOUT ROWID;
CREATE INDEX line_manager_versions_person ON line_manager_versions(person_id);
CREATE TRIGGER line_managers_no_update BEFORE UPDATE ON line_managers BEGIN SELECT RAISE(ABORT, 'line_managers is append-only'); END;
CREATE TRIGGER line_managers_no_delete BEFORE DELETE ON line_managers BEGIN SELECT RAISE(ABORT, 'line_managers is append-only'); END;
CREATE TRIGGER line_manager_versions_no_update BEFORE UPDATE ON line_manager_versions BEGIN SELECT RAISE(ABORT, 'line_manager_versions is append-only'); END;
CREATE TRIGGER line_manager_versions_no_delete BEFORE DELETE ON line_manager_versions BEGIN SELECT RAISE(ABORT, 'line_manager_versions is append-only'); END;
CREATE VIEW line_manager_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM line_managers e JOIN line_manager_versions v ON v.line_manager_id = e.id AND v.version = (SELECT MAX(w.version) FROM line_manager_versions w WHERE w.line_manager_id = e.id);
