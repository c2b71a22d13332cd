-- Several bodies in one instance (README, "Several bodies: joint committees and committees in
-- common"; docs/bodies.md): the CCGs or ICBs and NHS England of a joint arrangement.
--
-- bodies: each body's name, ODS code, kind, contact address and publication policy: its register
-- is published here ('here') or by the body itself elsewhere ('elsewhere', at register_url), in
-- which case its people's entries stay internal here and still count for conflicts. Versioned and
-- append-only like the register. Body 1 is the default body: every person, committee and account
-- already on record belongs to it, and its name '' means the config's organisation_name, so an
-- instance with one body reads exactly as before.
--
-- person_versions.body_id: the person's home body (whose register holds their declarations).
-- committee_versions.body_ids: the bodies that own the committee, a JSON array ([1] by default; a
--   joint committee lists several); min_voting_each_body: for quorum, at least this many eligible
--   voting members from each owning body; min_voting_from_body: a JSON object of body id to a
--   minimum from that body (e.g. NHS England), on top of the other rules.
-- meeting_versions.in_common_with: a meeting of committees in common: the lead meeting, whose
--   agenda and attendance this meeting shares; NULL for a meeting of its own (or the lead).
-- users.body_id: the body a governance account belongs to; NULL: instance-wide (sees every body).
CREATE TABLE bodies (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE body_versions (
  body_id INTEGER NOT NULL REFERENCES bodies(id),
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  ods_code TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('ccg', 'icb', 'nhs_england', 'other')),
  contact_email TEXT NOT NULL DEFAULT '',
  publication TEXT NOT NULL DEFAULT 'here' CHECK (publication IN ('here', 'elsewhere')),
  register_url TEXT NOT NULL DEFAULT '',
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (body_id, version)
) WITHOUT ROWID;
CREATE VIEW body_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM bodies e JOIN body_versions v ON v.body_id = e.id AND v.version = (SELECT MAX(w.version) FROM body_versions w WHERE w.body_id = e.id);
CREATE TRIGGER bodies_no_update BEFORE UPDATE ON bodies BEGIN SELECT RAISE(ABORT, 'bodies is append-only'); END;
CREATE TRIGGER bodies_no_delete BEFORE DELETE ON bodies BEGIN SELECT RAISE(ABORT, 'bodies is append-only'); END;
CREATE TRIGGER body_versions_no_update BEFORE UPDATE ON body_versions BEGIN SELECT RAISE(ABORT, 'body_versions is append-only'); END;
CREATE TRIGGER body_versions_no_delete BEFORE DELETE ON body_versions BEGIN SELECT RAISE(ABORT, 'body_versions is append-only'); END;

INSERT INTO bodies (id, ref, created_at) VALUES (1, 'default', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
INSERT INTO body_versions (body_id, version, name, kind, recorded_at, recorded_by)
  VALUES (1, 1, '', 'icb', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'system');

-- No REFERENCES on the two columns with a non-NULL default (SQLite refuses that with foreign
-- keys on); the model checks the body exists before saving.
ALTER TABLE person_versions ADD COLUMN body_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE committee_versions ADD COLUMN body_ids TEXT NOT NULL DEFAULT '[1]';
ALTER TABLE committee_versions ADD COLUMN min_voting_each_body INTEGER NOT NULL DEFAULT 0;
ALTER TABLE committee_versions ADD COLUMN min_voting_from_body TEXT NOT NULL DEFAULT '{}';
ALTER TABLE meeting_versions ADD COLUMN in_common_with INTEGER REFERENCES meetings(id);
ALTER TABLE users ADD COLUMN body_id INTEGER REFERENCES bodies(id);

CREATE INDEX person_versions_body ON person_versions(body_id);
CREATE INDEX meeting_versions_in_common_with ON meeting_versions(in_common_with) WHERE in_common_with IS NOT NULL;
