-- Declaring an interest names its organisation by identifier or by name (server/declaration_input.cpp:
-- resolve_organisation): without these, every declaration scanned every organisation on the
-- register. Numbered 0005 so that it applies after 0004 (reviews), which is being written alongside.
CREATE INDEX organisation_versions_identifier ON organisation_versions(identifier);
CREATE INDEX organisation_versions_lower_name ON organisation_versions(lower(name));
