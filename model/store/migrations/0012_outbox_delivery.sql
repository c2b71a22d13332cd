-- The sender's claim on an outbox row: a random id each sender process picks at start. Marking a
-- row sent or failed only succeeds for the sender that holds the claim, so a sender whose claim
-- lapsed (it was too slow, and another sender took the row over) cannot overwrite what the other
-- recorded. NULL while nobody holds a claim.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
