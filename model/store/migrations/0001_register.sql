-- The register of record. Every aggregate is an identity row (id, stable ref) plus an
-- append-only series of versions; the current state is the highest version. Nothing here is
-- ever updated in place or deleted: triggers refuse it, so history cannot be lost by a bug.

CREATE TABLE organisations (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE organisation_versions (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  identifier TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  parent_id INTEGER REFERENCES organisations(id),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (organisation_id, version)
) WITHOUT ROWID;

CREATE TABLE people (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE person_versions (
  person_id INTEGER NOT NULL REFERENCES people(id),
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  position TEXT NOT NULL DEFAULT '',
  practice_id INTEGER REFERENCES organisations(id),
  left_on TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (person_id, version)
) WITHOUT ROWID;

CREATE TABLE committees (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE committee_versions (
  committee_id INTEGER NOT NULL REFERENCES committees(id),
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  min_voting INTEGER NOT NULL DEFAULT 0,
  min_lay INTEGER NOT NULL DEFAULT 0,
  min_executive INTEGER NOT NULL DEFAULT 0,
  min_clinical INTEGER NOT NULL DEFAULT 0,
  lay_executive_majority INTEGER NOT NULL DEFAULT 0,
  lay_chair INTEGER NOT NULL DEFAULT 0,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (committee_id, version)
) WITHOUT ROWID;

CREATE TABLE memberships (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE membership_versions (
  membership_id INTEGER NOT NULL REFERENCES memberships(id),
  version INTEGER NOT NULL,
  committee_id INTEGER NOT NULL REFERENCES committees(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  role TEXT NOT NULL,
  date_from TEXT NOT NULL,
  date_to TEXT,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (membership_id, version)
) WITHOUT ROWID;

CREATE TABLE interests (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE interest_versions (
  interest_id INTEGER NOT NULL REFERENCES interests(id),
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  category TEXT NOT NULL,
  indirect INTEGER NOT NULL DEFAULT 0,
  relationship TEXT NOT NULL DEFAULT '',
  organisation_id INTEGER REFERENCES organisations(id),
  nature TEXT NOT NULL,
  date_from TEXT NOT NULL,
  date_to TEXT,
  action_taken TEXT NOT NULL DEFAULT '',
  declared_on TEXT NOT NULL,
  status TEXT NOT NULL,
  withheld INTEGER NOT NULL DEFAULT 0,
  withheld_reason TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (interest_id, version)
) WITHOUT ROWID;

CREATE TABLE gifts (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE gift_versions (
  gift_id INTEGER NOT NULL REFERENCES gifts(id),
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  kind TEXT NOT NULL,
  organisation_id INTEGER REFERENCES organisations(id),
  source TEXT NOT NULL DEFAULT '',
  from_supplier INTEGER NOT NULL DEFAULT 0,
  cash_or_voucher INTEGER NOT NULL DEFAULT 0,
  description TEXT NOT NULL,
  value_pence INTEGER NOT NULL CHECK (value_pence >= 0),
  offered_on TEXT NOT NULL,
  outcome TEXT NOT NULL,
  approved_by TEXT NOT NULL DEFAULT '',
  declared_on TEXT NOT NULL,
  status TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (gift_id, version)
) WITHOUT ROWID;

CREATE TABLE nil_returns (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE nil_return_versions (
  nil_return_id INTEGER NOT NULL REFERENCES nil_returns(id),
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  made_on TEXT NOT NULL,
  statement TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (nil_return_id, version)
) WITHOUT ROWID;

CREATE TABLE meetings (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE meeting_versions (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  version INTEGER NOT NULL,
  committee_id INTEGER NOT NULL REFERENCES committees(id),
  title TEXT NOT NULL,
  date TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  published INTEGER NOT NULL DEFAULT 0,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (meeting_id, version)
) WITHOUT ROWID;

CREATE TABLE attendances (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE attendance_versions (
  attendance_id INTEGER NOT NULL REFERENCES attendances(id),
  version INTEGER NOT NULL,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  status TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (attendance_id, version)
) WITHOUT ROWID;

CREATE TABLE agenda_items (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE agenda_item_versions (
  agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
  version INTEGER NOT NULL,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  organisation_ids TEXT NOT NULL DEFAULT '[]',  -- JSON array of organisation ids
  affects_all_gp_practices INTEGER NOT NULL DEFAULT 0,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (agenda_item_id, version)
) WITHOUT ROWID;

-- Lookups by owner and by organisation (conflict flagging goes organisation -> interests).
CREATE INDEX person_versions_practice ON person_versions(practice_id);
CREATE INDEX membership_versions_committee ON membership_versions(committee_id);
CREATE INDEX membership_versions_person ON membership_versions(person_id);
CREATE INDEX interest_versions_person ON interest_versions(person_id);
CREATE INDEX interest_versions_organisation ON interest_versions(organisation_id);
CREATE INDEX gift_versions_person ON gift_versions(person_id);
CREATE INDEX gift_versions_organisation ON gift_versions(organisation_id);
CREATE INDEX nil_return_versions_person ON nil_return_versions(person_id);
CREATE INDEX meeting_versions_committee ON meeting_versions(committee_id);
CREATE INDEX attendance_versions_meeting ON attendance_versions(meeting_id);
CREATE INDEX agenda_item_versions_meeting ON agenda_item_versions(meeting_id);

-- Audit trail: who changed what, when, before and after, each row chained to the previous one
-- by SHA-256 so that an edit made behind the application's back is detectable.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_kind TEXT NOT NULL,
  entity_id INTEGER,
  version INTEGER,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity_kind, entity_id);

-- Append-only: the register never rewrites or deletes a record.
CREATE TRIGGER organisations_no_update BEFORE UPDATE ON organisations BEGIN SELECT RAISE(ABORT, 'organisations is append-only'); END;
CREATE TRIGGER organisations_no_delete BEFORE DELETE ON organisations BEGIN SELECT RAISE(ABORT, 'organisations is append-only'); END;
CREATE TRIGGER organisation_versions_no_update BEFORE UPDATE ON organisation_versions BEGIN SELECT RAISE(ABORT, 'organisation_versions is append-only'); END;
CREATE TRIGGER organisation_versions_no_delete BEFORE DELETE ON organisation_versions BEGIN SELECT RAISE(ABORT, 'organisation_versions is append-only'); END;
CREATE TRIGGER people_no_update BEFORE UPDATE ON people BEGIN SELECT RAISE(ABORT, 'people is append-only'); END;
CREATE TRIGGER people_no_delete BEFORE DELETE ON people BEGIN SELECT RAISE(ABORT, 'people is append-only'); END;
CREATE TRIGGER person_versions_no_update BEFORE UPDATE ON person_versions BEGIN SELECT RAISE(ABORT, 'person_versions is append-only'); END;
CREATE TRIGGER person_versions_no_delete BEFORE DELETE ON person_versions BEGIN SELECT RAISE(ABORT, 'person_versions is append-only'); END;
CREATE TRIGGER committees_no_update BEFORE UPDATE ON committees BEGIN SELECT RAISE(ABORT, 'committees is append-only'); END;
CREATE TRIGGER committees_no_delete BEFORE DELETE ON committees BEGIN SELECT RAISE(ABORT, 'committees is append-only'); END;
CREATE TRIGGER committee_versions_no_update BEFORE UPDATE ON committee_versions BEGIN SELECT RAISE(ABORT, 'committee_versions is append-only'); END;
CREATE TRIGGER committee_versions_no_delete BEFORE DELETE ON committee_versions BEGIN SELECT RAISE(ABORT, 'committee_versions is append-only'); END;
CREATE TRIGGER memberships_no_update BEFORE UPDATE ON memberships BEGIN SELECT RAISE(ABORT, 'memberships is append-only'); END;
CREATE TRIGGER memberships_no_delete BEFORE DELETE ON memberships BEGIN SELECT RAISE(ABORT, 'memberships is append-only'); END;
CREATE TRIGGER membership_versions_no_update BEFORE UPDATE ON membership_versions BEGIN SELECT RAISE(ABORT, 'membership_versions is append-only'); END;
CREATE TRIGGER membership_versions_no_delete BEFORE DELETE ON membership_versions BEGIN SELECT RAISE(ABORT, 'membership_versions is append-only'); END;
CREATE TRIGGER interests_no_update BEFORE UPDATE ON interests BEGIN SELECT RAISE(ABORT, 'interests is append-only'); END;
CREATE TRIGGER interests_no_delete BEFORE DELETE ON interests BEGIN SELECT RAISE(ABORT, 'interests is append-only'); END;
CREATE TRIGGER interest_versions_no_update BEFORE UPDATE ON interest_versions BEGIN SELECT RAISE(ABORT, 'interest_versions is append-only'); END;
CREATE TRIGGER interest_versions_no_delete BEFORE DELETE ON interest_versions BEGIN SELECT RAISE(ABORT, 'interest_versions is append-only'); END;
CREATE TRIGGER gifts_no_update BEFORE UPDATE ON gifts BEGIN SELECT RAISE(ABORT, 'gifts is append-only'); END;
CREATE TRIGGER gifts_no_delete BEFORE DELETE ON gifts BEGIN SELECT RAISE(ABORT, 'gifts is append-only'); END;
CREATE TRIGGER gift_versions_no_update BEFORE UPDATE ON gift_versions BEGIN SELECT RAISE(ABORT, 'gift_versions is append-only'); END;
CREATE TRIGGER gift_versions_no_delete BEFORE DELETE ON gift_versions BEGIN SELECT RAISE(ABORT, 'gift_versions is append-only'); END;
CREATE TRIGGER nil_returns_no_update BEFORE UPDATE ON nil_returns BEGIN SELECT RAISE(ABORT, 'nil_returns is append-only'); END;
CREATE TRIGGER nil_returns_no_delete BEFORE DELETE ON nil_returns BEGIN SELECT RAISE(ABORT, 'nil_returns is append-only'); END;
CREATE TRIGGER nil_return_versions_no_update BEFORE UPDATE ON nil_return_versions BEGIN SELECT RAISE(ABORT, 'nil_return_versions is append-only'); END;
CREATE TRIGGER nil_return_versions_no_delete BEFORE DELETE ON nil_return_versions BEGIN SELECT RAISE(ABORT, 'nil_return_versions is append-only'); END;
CREATE TRIGGER meetings_no_update BEFORE UPDATE ON meetings BEGIN SELECT RAISE(ABORT, 'meetings is append-only'); END;
CREATE TRIGGER meetings_no_delete BEFORE DELETE ON meetings BEGIN SELECT RAISE(ABORT, 'meetings is append-only'); END;
CREATE TRIGGER meeting_versions_no_update BEFORE UPDATE ON meeting_versions BEGIN SELECT RAISE(ABORT, 'meeting_versions is append-only'); END;
CREATE TRIGGER meeting_versions_no_delete BEFORE DELETE ON meeting_versions BEGIN SELECT RAISE(ABORT, 'meeting_versions is append-only'); END;
CREATE TRIGGER attendances_no_update BEFORE UPDATE ON attendances BEGIN SELECT RAISE(ABORT, 'attendances is append-only'); END;
CREATE TRIGGER attendances_no_delete BEFORE DELETE ON attendances BEGIN SELECT RAISE(ABORT, 'attendances is append-only'); END;
CREATE TRIGGER attendance_versions_no_update BEFORE UPDATE ON attendance_versions BEGIN SELECT RAISE(ABORT, 'attendance_versions is append-only'); END;
CREATE TRIGGER attendance_versions_no_delete BEFORE DELETE ON attendance_versions BEGIN SELECT RAISE(ABORT, 'attendance_versions is append-only'); END;
CREATE TRIGGER agenda_items_no_update BEFORE UPDATE ON agenda_items BEGIN SELECT RAISE(ABORT, 'agenda_items is append-only'); END;
CREATE TRIGGER agenda_items_no_delete BEFORE DELETE ON agenda_items BEGIN SELECT RAISE(ABORT, 'agenda_items is append-only'); END;
CREATE TRIGGER agenda_item_versions_no_update BEFORE UPDATE ON agenda_item_versions BEGIN SELECT RAISE(ABORT, 'agenda_item_versions is append-only'); END;
CREATE TRIGGER agenda_item_versions_no_delete BEFORE DELETE ON agenda_item_versions BEGIN SELECT RAISE(ABORT, 'agenda_item_versions is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The current state of each entity: its highest version, with its id and ref.
CREATE VIEW organisation_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM organisations e JOIN organisation_versions v ON v.organisation_id = e.id AND v.version = (SELECT MAX(w.version) FROM organisation_versions w WHERE w.organisation_id = e.id);
CREATE VIEW person_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM people e JOIN person_versions v ON v.person_id = e.id AND v.version = (SELECT MAX(w.version) FROM person_versions w WHERE w.person_id = e.id);
CREATE VIEW committee_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM committees e JOIN committee_versions v ON v.committee_id = e.id AND v.version = (SELECT MAX(w.version) FROM committee_versions w WHERE w.committee_id = e.id);
CREATE VIEW membership_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM memberships e JOIN membership_versions v ON v.membership_id = e.id AND v.version = (SELECT MAX(w.version) FROM membership_versions w WHERE w.membership_id = e.id);
CREATE VIEW interest_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM interests e JOIN interest_versions v ON v.interest_id = e.id AND v.version = (SELECT MAX(w.version) FROM interest_versions w WHERE w.interest_id = e.id);
CREATE VIEW gift_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM gifts e JOIN gift_versions v ON v.gift_id = e.id AND v.version = (SELECT MAX(w.version) FROM gift_versions w WHERE w.gift_id = e.id);
CREATE VIEW nil_return_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM nil_returns e JOIN nil_return_versions v ON v.nil_return_id = e.id AND v.version = (SELECT MAX(w.version) FROM nil_return_versions w WHERE w.nil_return_id = e.id);
CREATE VIEW meeting_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM meetings e JOIN meeting_versions v ON v.meeting_id = e.id AND v.version = (SELECT MAX(w.version) FROM meeting_versions w WHERE w.meeting_id = e.id);
CREATE VIEW attendance_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM attendances e JOIN attendance_versions v ON v.attendance_id = e.id AND v.version = (SELECT MAX(w.version) FROM attendance_versions w WHERE w.attendance_id = e.id);
CREATE VIEW agenda_item_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM agenda_items e JOIN agenda_item_versions v ON v.agenda_item_id = e.id AND v.version = (SELECT MAX(w.version) FROM agenda_item_versions w WHERE w.agenda_item_id = e.id);
