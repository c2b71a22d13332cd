#pragma once
// View data for the governance committee pages (committees, memberships and quorum rules). The JSON of /api/v1/governance/committees is the same data without the form fields.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "model/store/entities.hpp"
#include "server/http/forms.hpp"

namespace probity {

/// A committee as the API shows it: {id, ref, name, description, quorum, version}.
nlohmann::json committee_json(SQLite::Database& db, const Committee& c);
/// A membership as the API shows it: {id, ref, committee_id, person {id, ref, name, kind},
/// role, from, to, current (in post on `on`)}.
nlohmann::json membership_json(SQLite::Database& db, const Membership& m, const Date& on);

/// {"committees": [{id, ref, name, description, quorum, version, members_today, href}]}, by name.
nlohmann::json committees_list(SQLite::Database& db, const Date& on);
/// {"committee": {...}, "memberships": [...]} (current first, then past), nullopt for an unknown id.
std::optional<nlohmann::json> committee_doc(SQLite::Database& db, Id id, const Date& on);

/// A committee's current content as form fields (for the edit form).
Fields committee_fields(const Committee& c);
/// The add and edit form: name, ref (only when adding), description and every quorum field.
nlohmann::json committee_form_view(const Fields& fields, const Problems& errors, bool editing, const std::string& action,
                                   const std::string& heading);
/// Adds a committee's owning bodies and per-body minimums to its form fields (for the edit form
/// when there are several bodies), with the marker bodies_shown that the form sends.
void add_committee_body_values(Fields& fields, const Committee& c);
/// Adds the joint-committee fields to a committee form's view (only called when the instance has
/// several bodies): "Bodies that own this committee" checkboxes (body_<id>), "Voting members
/// needed from each body" (min_voting_each_body) and a minimum per named body
/// (min_from_body_<id>). `bodies`: every body's shown name by id.
void add_committee_body_fields(nlohmann::json& view, const Fields& fields, const Problems& errors,
                               const std::map<Id, std::string>& bodies);
/// The governance page of one committee: details, quorum rule, versions, members and the
/// add-a-member form. Nullopt for an unknown id.
std::optional<nlohmann::json> committee_page_view(SQLite::Database& db, Id id, const Date& on, const Fields& fields,
                                                  const Problems& errors);
/// The end-a-membership form. Nullopt when the membership is not one of that committee's.
std::optional<nlohmann::json> end_membership_view(SQLite::Database& db, Id committee_id, Id membership_id, const Fields& fields,
                                                  const Problems& errors);

/// The element ids error summaries link to, for the committee forms' fields.
const std::map<std::string, std::string>& committee_field_ids();

}  // namespace probity
