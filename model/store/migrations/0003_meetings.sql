-- What is recorded at a meeting (issue 5): the chair's decision per conflict, declarations made
-- on the day, people leaving and returning, and the breaches register. Same pattern as 0001: an
-- identity row plus append-only versions, a *_current view, and triggers refusing UPDATE/DELETE,
-- so a decision once minuted can be superseded but never rewritten.

CREATE TABLE conflict_decisions (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE conflict_decision_versions (
  conflict_decision_id INTEGER NOT NULL REFERENCES conflict_decisions(id),
  version INTEGER NOT NULL,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  action TEXT NOT NULL CHECK (action IN ('participate', 'no_vote', 'leave_room', 'papers_withheld')),
  reason TEXT NOT NULL,
  decided_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (conflict_decision_id, version)
) WITHOUT ROWID;

CREATE TABLE meeting_declarations (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE meeting_declaration_versions (
  meeting_declaration_id INTEGER NOT NULL REFERENCES meeting_declarations(id),
  version INTEGER NOT NULL,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER REFERENCES agenda_items(id),  -- NULL: declared for the whole meeting
  person_id INTEGER NOT NULL REFERENCES people(id),
  text TEXT NOT NULL,
  interest_id INTEGER REFERENCES interests(id),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (meeting_declaration_id, version)
) WITHOUT ROWID;

CREATE TABLE room_movements (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE room_movement_versions (
  room_movement_id INTEGER NOT NULL REFERENCES room_movements(id),
  version INTEGER NOT NULL,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  agenda_item_id INTEGER REFERENCES agenda_items(id),
  left_at TEXT NOT NULL,   -- HH:MM on the meeting date
  returned_at TEXT,        -- NULL until (unless) the person returns
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (room_movement_id, version)
) WITHOUT ROWID;

CREATE TABLE breaches (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE breach_versions (
  breach_id INTEGER NOT NULL REFERENCES breaches(id),
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER REFERENCES agenda_items(id),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed')),
  resolution TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (breach_id, version)
) WITHOUT ROWID;

-- Everything is read per meeting (the brief, the minutes) or per item and person (one decision).
CREATE INDEX conflict_decision_versions_meeting ON conflict_decision_versions(meeting_id);
CREATE INDEX conflict_decision_versions_item_person ON conflict_decision_versions(agenda_item_id, person_id);
CREATE INDEX meeting_declaration_versions_meeting ON meeting_declaration_versions(meeting_id);
CREATE INDEX room_movement_versions_meeting ON room_movement_versions(meeting_id);
CREATE INDEX breach_versions_meeting ON breach_versions(meeting_id);
CREATE INDEX breach_versions_person ON breach_versions(person_id);
-- The conflicts report finds the practices of a linked federation (organisation_group rule);
-- without this index that lookup scans every organisation version.
CREATE INDEX organisation_versions_parent ON organisation_versions(parent_id);

-- Append-only.
CREATE TRIGGER conflict_decisions_no_update BEFORE UPDATE ON conflict_decisions BEGIN SELECT RAISE(ABORT, 'conflict_decisions is append-only'); END;
CREATE TRIGGER conflict_decisions_no_delete BEFORE DELETE ON conflict_decisions BEGIN SELECT RAISE(ABORT, 'conflict_decisions is append-only'); END;
CREATE TRIGGER conflict_decision_versions_no_update BEFORE UPDATE ON conflict_decision_versions BEGIN SELECT RAISE(ABORT, 'conflict_decision_versions is append-only'); END;
CREATE TRIGGER conflict_decision_versions_no_delete BEFORE DELETE ON conflict_decision_versions BEGIN SELECT RAISE(ABORT, 'conflict_decision_versions is append-only'); END;
CREATE TRIGGER meeting_declarations_no_update BEFORE UPDATE ON meeting_declarations BEGIN SELECT RAISE(ABORT, 'meeting_declarations is append-only'); END;
CREATE TRIGGER meeting_declarations_no_delete BEFORE DELETE ON meeting_declarations BEGIN SELECT RAISE(ABORT, 'meeting_declarations is append-only'); END;
CREATE TRIGGER meeting_declaration_versions_no_update BEFORE UPDATE ON meeting_declaration_versions BEGIN SELECT RAISE(ABORT, 'meeting_declaration_versions is append-only'); END;
CREATE TRIGGER meeting_declaration_versions_no_delete BEFORE DELETE ON meeting_declaration_versions BEGIN SELECT RAISE(ABORT, 'meeting_declaration_versions is append-only'); END;
CREATE TRIGGER room_movements_no_update BEFORE UPDATE ON room_movements BEGIN SELECT RAISE(ABORT, 'room_movements is append-only'); END;
CREATE TRIGGER room_movements_no_delete BEFORE DELETE ON room_movements BEGIN SELECT RAISE(ABORT, 'room_movements is append-only'); END;
CREATE TRIGGER room_movement_versions_no_update BEFORE UPDATE ON room_movement_versions BEGIN SELECT RAISE(ABORT, 'room_movement_versions is append-only'); END;
CREATE TRIGGER room_movement_versions_no_delete BEFORE DELETE ON room_movement_versions BEGIN SELECT RAISE(ABORT, 'room_movement_versions is append-only'); END;
CREATE TRIGGER breaches_no_update BEFORE UPDATE ON breaches BEGIN SELECT RAISE(ABORT, 'breaches is append-only'); END;
CREATE TRIGGER breaches_no_delete BEFORE DELETE ON breaches BEGIN SELECT RAISE(ABORT, 'breaches is append-only'); END;
CREATE TRIGGER breach_versions_no_update BEFORE UPDATE ON breach_versions BEGIN SELECT RAISE(ABORT, 'breach_versions is append-only'); END;
CREATE TRIGGER breach_versions_no_delete BEFORE DELETE ON breach_versions BEGIN SELECT RAISE(ABORT, 'breach_versions is append-only'); END;

-- The current state of each record: its highest version.
CREATE VIEW conflict_decision_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM conflict_decisions e JOIN conflict_decision_versions v ON v.conflict_decision_id = e.id AND v.version = (SELECT MAX(w.version) FROM conflict_decision_versions w WHERE w.conflict_decision_id = e.id);
CREATE VIEW meeting_declaration_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM meeting_declarations e JOIN meeting_declaration_versions v ON v.meeting_declaration_id = e.id AND v.version = (SELECT MAX(w.version) FROM meeting_declaration_versions w WHERE w.meeting_declaration_id = e.id);
CREATE VIEW room_movement_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM room_movements e JOIN room_movement_versions v ON v.room_movement_id = e.id AND v.version = (SELECT MAX(w.version) FROM room_movement_versions w WHERE w.room_movement_id = e.id);
CREATE VIEW breach_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM breaches e JOIN breach_versions v ON v.breach_id = e.id AND v.version = (SELECT MAX(w.version) FROM breach_versions w WHERE w.breach_id = e.id);
