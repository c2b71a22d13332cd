-- An agenda item can be withdrawn from its meeting's agenda (by the chair or governance, or by a
-- bundle whose agenda for the meeting no longer lists it). Records are never deleted, so
-- withdrawing writes a new version with withdrawn = 1; the item's history stays. Withdrawn items
-- are left out of the agenda, the brief, the minutes and exports.
ALTER TABLE agenda_item_versions ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1));
