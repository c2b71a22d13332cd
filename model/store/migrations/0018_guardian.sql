-- The breaches register finished, and the Conflicts of Interest Guardian.
--
-- Breaches: governance may now record any kind of breach by hand, not only the draft a held
-- meeting opens, so a breach's meeting becomes optional; each breach says what kind it is, when
-- it happened, how it was found, the action taken and the lessons learned (internal text), and
-- three summaries written for publication (what the public sees once the Guardian signs it off).
-- The lifecycle gains 'signed_off': open (draft, or sent back by the Guardian) -> confirmed or
-- dismissed by governance -> signed off by the Guardian. A CHECK cannot be altered in SQLite, so
-- breach_versions is rebuilt with every version copied (the append-only triggers are recreated;
-- DROP TABLE fires no trigger). Who decided and when is each version's recorded_by/recorded_at.
--
-- The Guardian: an account flag (users.role keeps its CHECK; a Guardian's role column reads
-- 'member', the least an older release would grant), and withholding requests, identity rows plus
-- append-only versions like every register record.

DROP VIEW breach_current;
CREATE TABLE breach_versions_rebuilt (
  breach_id INTEGER NOT NULL REFERENCES breaches(id),
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  meeting_id INTEGER REFERENCES meetings(id),          -- NULL: not at a meeting
  agenda_item_id INTEGER REFERENCES agenda_items(id),
  reason TEXT NOT NULL,                                -- what happened (internal)
  status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'dismissed', 'signed_off')),
  resolution TEXT NOT NULL DEFAULT '',                 -- governance's reason for confirming or dismissing
  kind TEXT NOT NULL DEFAULT 'undeclared_at_meeting'
    CHECK (kind IN ('late_declaration', 'gift_not_declined', 'undeclared_at_meeting', 'took_part_when_excluded', 'other')),
  happened_on TEXT,                                    -- ISO date
  found_by TEXT NOT NULL DEFAULT 'meeting_check'
    CHECK (found_by IN ('meeting_check', 'self_reported', 'reported_by_colleague', 'governance_review', 'audit', 'other')),
  action_taken TEXT NOT NULL DEFAULT '',
  lessons TEXT NOT NULL DEFAULT '',
  public_summary TEXT NOT NULL DEFAULT '',             -- written for publication, anonymously
  public_action TEXT NOT NULL DEFAULT '',
  public_lessons TEXT NOT NULL DEFAULT '',
  guardian_note TEXT NOT NULL DEFAULT '',              -- the Guardian's reason for signing off or sending back
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (breach_id, version)
) WITHOUT ROWID;
INSERT INTO breach_versions_rebuilt (breach_id, version, person_id, meeting_id, agenda_item_id, reason, status, resolution,
                                     happened_on, recorded_at, recorded_by)
  SELECT v.breach_id, v.version, v.person_id, v.meeting_id, v.agenda_item_id, v.reason, v.status, v.resolution,
         (SELECT m.date FROM meeting_current m WHERE m.id = v.meeting_id), v.recorded_at, v.recorded_by
  FROM breach_versions v;
DROP TABLE breach_versions;
ALTER TABLE breach_versions_rebuilt RENAME TO breach_versions;
CREATE INDEX breach_versions_meeting ON breach_versions(meeting_id);
CREATE INDEX breach_versions_person ON breach_versions(person_id);
CREATE TRIGGER breach_versions_no_update BEFORE UPDATE ON breach_versions BEGIN SELECT RAISE(ABORT, 'breach_versions is append-only'); END;
CREATE TRIGGER breach_versions_no_delete BEFORE DELETE ON breach_versions BEGIN SELECT RAISE(ABORT, 'breach_versions is append-only'); END;
CREATE VIEW breach_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM breaches e JOIN breach_versions v ON v.breach_id = e.id AND v.version = (SELECT MAX(w.version) FROM breach_versions w WHERE w.breach_id = e.id);

ALTER TABLE users ADD COLUMN guardian INTEGER NOT NULL DEFAULT 0 CHECK (guardian IN (0, 1));

CREATE TABLE withholding_requests (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE withholding_request_versions (
  withholding_request_id INTEGER NOT NULL REFERENCES withholding_requests(id),
  version INTEGER NOT NULL,
  interest_id INTEGER NOT NULL REFERENCES interests(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  reason TEXT NOT NULL,                                 -- the member's
  status TEXT NOT NULL CHECK (status IN ('requested', 'forwarded', 'agreed', 'refused')),
  governance_note TEXT NOT NULL DEFAULT '',
  guardian_reason TEXT NOT NULL DEFAULT '',
  withhold_name INTEGER NOT NULL DEFAULT 0 CHECK (withhold_name IN (0, 1)),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (withholding_request_id, version)
) WITHOUT ROWID;
CREATE INDEX withholding_request_versions_person ON withholding_request_versions(person_id);
CREATE TRIGGER withholding_requests_no_update BEFORE UPDATE ON withholding_requests BEGIN SELECT RAISE(ABORT, 'withholding_requests is append-only'); END;
CREATE TRIGGER withholding_requests_no_delete BEFORE DELETE ON withholding_requests BEGIN SELECT RAISE(ABORT, 'withholding_requests is append-only'); END;
CREATE TRIGGER withholding_request_versions_no_update BEFORE UPDATE ON withholding_request_versions BEGIN SELECT RAISE(ABORT, 'withholding_request_versions is append-only'); END;
CREATE TRIGGER withholding_request_versions_no_delete BEFORE DELETE ON withholding_request_versions BEGIN SELECT RAISE(ABORT, 'withholding_request_versions is append-only'); END;
CREATE VIEW withholding_request_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM withholding_requests e JOIN withholding_request_versions v ON v.withholding_request_id = e.id AND v.version = (SELECT MAX(w.version) FROM withholding_request_versions w WHERE w.withholding_request_id = e.id);
