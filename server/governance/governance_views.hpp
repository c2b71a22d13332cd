#pragma once
// View data for the governance pages beyond the compliance list: the review queue, one
// declaration as governance sees it, a person with their records, and audit history. The same
// data (without the form fields) is the JSON of /api/v1/governance/... .
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/register/governance_scope.hpp"
#include "model/store/audit_log.hpp"
#include "model/store/entities.hpp"
#include "model/base/fields.hpp"
#include "model/base/problems.hpp"

namespace probity {



/// The URL segment of a reviewable kind ("interest" → "interests", "nil_return" → "nil-returns").
std::string kind_segment(const std::string& kind);
/// The kind for a URL segment, or nullopt for one governance pages do not serve.
std::optional<std::string> kind_of_segment(const std::string& segment);

/// {"review_required", "items": [{kind, id, version, person_id, person_name, summary, declared_on, href}]}.
nlohmann::json review_queue_view(SQLite::Database& db, bool review_required);

/// One interest, gift or nil return for governance, with its versions and reviews, plus the
/// review and withhold forms' fields. Nullopt when there is no such entry.
std::optional<nlohmann::json> entry_view(SQLite::Database& db, const std::string& kind, Id id, bool review_required,
                                         const Fields& fields, const Problems& errors);

/// A person with their interests, gifts, nil returns and memberships, and the mark-left form.
std::optional<nlohmann::json> person_view(SQLite::Database& db, Id id, const Fields& fields, const Problems& errors);

/// The audit rows of one record with field-by-field changes; nullopt when the record does not
/// exist. `kind` is one of interest, gift, nil_return, person.
std::optional<nlohmann::json> entity_audit_view(SQLite::Database& db, const std::string& kind, Id id);

/// The latest changes of every kind and the result of verifying the audit chain.
/// The recent audit rows `scope` may see (a body's account: its people's and their declarations').
nlohmann::json audit_overview(SQLite::Database& db, int limit, const GovernanceScope& scope);

/// One audit row as JSON/view data: {id, at, actor, action, entity_kind, entity_id, version,
/// changes: [{field, label, before, after, before_text, after_text}]}, with what people read
/// beside the stored values: at_text ("3 December 2026 at 3:44pm", UK time), actor_text (the
/// person's name, or "Governance (name)"), action_text, record_text ("Chair's decision 2").
/// Throws SQLite::Exception.
nlohmann::json audit_row_view(SQLite::Database& db, const AuditEntry& e);

/// Audit rows as the API sends them: the stored values only, without the page's *_text words.
nlohmann::json audit_rows_for_api(nlohmann::json rows);

/// Who made an audit row's change, as people read it: the account's person's name ("Governance
/// (name)" for the governance team), or what the actor is ("The demo data", "A bundle import").
/// Throws SQLite::Exception.
std::string actor_label(SQLite::Database& db, const std::string& actor);

}  // namespace probity
