-- The register of procurement decisions: one row per decision to commission or award (GP
-- contracts included). A row is drafted from a held meeting's procurement or contract item, or
-- added by hand for a decision taken outside a meeting (delegated authority), completed by
-- governance and published. Same pattern as 0001 and 0003: an identity row plus append-only
-- versions, a *_current view, and triggers refusing UPDATE and DELETE.

CREATE TABLE procurement_decisions (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE procurement_decision_versions (
  procurement_decision_id INTEGER NOT NULL REFERENCES procurement_decisions(id),
  version INTEGER NOT NULL,
  subject TEXT NOT NULL,                                   -- the contract or service bought
  route TEXT NOT NULL CHECK (route IN ('', 'competitive_tender', 'direct_award', 'framework_call_off',
                                       'contract_variation', 'other')),  -- '' until governance completes it
  decided_by TEXT NOT NULL,                                -- the body or committee, or who under delegated authority
  meeting_id INTEGER REFERENCES meetings(id),              -- NULL: decided outside a meeting
  agenda_item_id INTEGER REFERENCES agenda_items(id),
  decided_on TEXT,                                         -- YYYY-MM-DD
  value_pence INTEGER,                                     -- NULL: the value is not published
  provider TEXT NOT NULL,
  participants TEXT NOT NULL,                              -- outside a meeting: who took part, one a line
  conflicts TEXT NOT NULL,                                 -- outside a meeting: conflicts and how each was managed
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  PRIMARY KEY (procurement_decision_id, version)
) WITHOUT ROWID;

-- Drafting looks a row up by its agenda item (once per item).
CREATE INDEX procurement_decision_versions_item ON procurement_decision_versions(agenda_item_id);

CREATE TRIGGER procurement_decisions_no_update BEFORE UPDATE ON procurement_decisions BEGIN SELECT RAISE(ABORT, 'procurement_decisions is append-only'); END;
CREATE TRIGGER procurement_decisions_no_delete BEFORE DELETE ON procurement_decisions BEGIN SELECT RAISE(ABORT, 'procurement_decisions is append-only'); END;
CREATE TRIGGER procurement_decision_versions_no_update BEFORE UPDATE ON procurement_decision_versions BEGIN SELECT RAISE(ABORT, 'procurement_decision_versions is append-only'); END;
CREATE TRIGGER procurement_decision_versions_no_delete BEFORE DELETE ON procurement_decision_versions BEGIN SELECT RAISE(ABORT, 'procurement_decision_versions is append-only'); END;

CREATE VIEW procurement_decision_current AS SELECT e.id AS id, e.ref AS ref, e.created_at AS created_at, v.* FROM procurement_decisions e JOIN procurement_decision_versions v ON v.procurement_decision_id = e.id AND v.version = (SELECT MAX(w.version) FROM procurement_decision_versions w WHERE w.procurement_decision_id = e.id);
