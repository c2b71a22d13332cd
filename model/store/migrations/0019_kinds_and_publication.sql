-- Three things the guidance asks of a register beyond its four categories (README, "Who is
-- published", "Kinds of interest" and "Hospitality from suppliers"; docs/bundle-format.md).
--
-- person_versions.decision_maker: the person is a decision-maker under the body's policy
-- (governing body or board and committee members, senior staff), so their entries are published.
-- Everyone else's entries stay on the internal register and still count for conflict checks.
-- The default is 1 (a decision-maker): every person already on record, committee members among
-- them, stays published, so the public register reads the same before and after this migration.
-- Governance marks the people who are not, on the person form.
--
-- interest_versions.kind and details: the second level under the four categories (outside
-- employment, shareholdings, patents, ...), with the fields the guidance asks for per kind as a
-- JSON object checked per kind in model/register/interest_kinds.cpp. Existing entries are
-- 'other', with no details, until they are changed.
--
-- gift_versions.approver_role, approval_reason, approved_on: the senior approval governance
-- records for hospitality from a supplier or contractor (approved_by, the approver's name, was
-- already there). approved_on is NULL until the approval is recorded: until then the declaration
-- is awaiting approval.
ALTER TABLE person_versions ADD COLUMN decision_maker INTEGER NOT NULL DEFAULT 1 CHECK (decision_maker IN (0, 1));
ALTER TABLE interest_versions ADD COLUMN kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('outside_employment',
  'shareholdings', 'patents', 'loyalty_interests', 'donations', 'sponsored_events', 'sponsored_research', 'sponsored_posts',
  'clinical_private_practice', 'other'));
ALTER TABLE interest_versions ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE gift_versions ADD COLUMN approver_role TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_versions ADD COLUMN approval_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE gift_versions ADD COLUMN approved_on TEXT;
