-- The meeting rules a committee's terms of reference and its meetings need beyond quorum counts:
-- whether another lay voting member may preside when neither chair nor vice-chair can; members
-- co-opted from another body for a meeting or one item (they count for quorum); and, per item,
-- what was done when it was inquorate, who presided and where independent clinical input came
-- from, for the minutes. Same pattern as 0003: identity rows plus append-only versions.

ALTER TABLE committee_versions ADD COLUMN lay_member_may_preside INTEGER NOT NULL DEFAULT 0;

CREATE TABLE co_opted_members (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE co_opted_member_versions (
  co_opted_member_id INTEGER NOT NULL REFERENCES co_opted_members(id),
  version INTEGER NOT NULL,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER REFERENCES agenda_items(id),  -- NULL: for the whole meeting
  person_id INTEGER NOT NULL REFERENCES people(id),
  from_body TEXT NOT NULL,                              -- e.g. NHS England, a neighbouring ICB
  stood_down INTEGER NOT NULL DEFAULT 0,                -- recorded in error or no longer co-opted
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (co_opted_member_id, version)
) WITHOUT ROWID;

CREATE TABLE item_outcomes (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE item_outcome_versions (
  item_outcome_id INTEGER NOT NULL REFERENCES item_outcomes(id),
  version INTEGER NOT NULL,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
  remedy TEXT NOT NULL CHECK (remedy IN ('', 'defer', 'refer', 'co_opt', 'conflicts_panel')),
  presided_by TEXT NOT NULL,
  clinical_input_by TEXT NOT NULL,
  clinical_input_from TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (item_outcome_id, version)
) WITHOUT ROWID;

CREATE INDEX co_opted_member_versions_meeting ON co_opted_member_versions(meeting_id);
CREATE INDEX item_outcome_versions_meeting ON item_outcome_versions(meeting_id);

CREATE TRIGGER co_opted_members_no_update BEFORE UPDATE ON co_opted_members BEGIN SELECT RAISE(ABORT, 'co_opted_members is append-only'); END;
CREATE TRIGGER co_opted_members_no_delete BEFORE DELETE ON co_opted_members BEGIN SELECT RAISE(ABORT, 'co_opted_members is append-only'); END;
CREATE TRIGGER co_opted_member_versions_no_update BEFORE UPDATE ON co_opted_member_versions BEGIN SELECT RAISE(ABORT, 'co_opted_member_versions is append-only'); END;
CREATE TRIGGER co_opted_member_versions_no_delete BEFORE DELETE ON co_opted_member_versions BEGIN SELECT RAISE(ABORT, 'co_opted_member_versions is append-only'); END;
CREATE TRIGGER item_outcomes_no_update BEFORE UPDATE ON item_outcomes BEGIN SELECT RAISE(ABORT, 'item_outcomes is append-only'); END;
CREATE TRIGGER item_outcomes_no_delete BEFORE DELETE ON item_outcomes BEGIN SELECT RAISE(ABORT, 'item_outcomes is append-only'); END;
CREATE TRIGGER item_outcome_versions_no_update BEFORE UPDATE ON item_outcome_versions BEGIN SELECT RAISE(ABORT, 'item_outcome_versions is append-only'); END;
CREATE TRIGGER item_outcome_versions_no_delete BEFORE DELETE ON item_outcome_versions BEGIN SELECT RAISE(ABORT, 'item_outcome_versions is append-only'); END;

CREATE VIEW co_opted_member_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM co_opted_members e JOIN co_opted_member_versions v ON v.co_opted_member_id = e.id AND v.version = (SELECT MAX(w.version) FROM co_opted_member_versions w WHERE w.co_opted_member_id = e.id);
CREATE VIEW item_outcome_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM item_outcomes e JOIN item_outcome_versions v ON v.item_outcome_id = e.id AND v.version = (SELECT MAX(w.version) FROM item_outcome_versions w WHERE w.item_outcome_id = e.id);
