#pragma once
// View data for the meetings pages and the documents of their API. brief_view and minutes_view
// take the JSON document the API returns for the same resource and only add display keys
// (labels, the people-by-items matrix), so a page and its JSON cannot drift apart; the others
// build a page (the meetings list, managing a meeting, recording at it, an agenda item, the
// breaches register) from the model.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <functional>
#include <string>

#include "model/register/governance_scope.hpp"
#include "model/meetings/chair_rights.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "model/base/fields.hpp"
#include "model/base/problems.hpp"

namespace probity {

/// Plain-English label of a conflict rule ("organisation_group" -> "Parent or member organisation").
std::string conflict_rule_label(const std::string& rule);
/// Plain-English label of an agenda category code.
std::string agenda_category_label(const std::string& category);

/// The chair's brief: GET /api/v1/meetings/{id}/conflicts plus labels on every flag, decision and
/// quorum, the matrix ("matrix": {"items": [...], "rows": [{"person", "cells": [{"flags"}]}]}) and
/// counts for the summary.
nlohmann::json brief_view(const nlohmann::json& conflicts);
/// The same from the check itself, which also knows which conflicts are financial (so which
/// suggest leaving the room): what the brief page and "My meetings" use.
nlohmann::json brief_view(const ConflictsReport& report);
/// Committees in common: marks each meeting of the brief's "in_common" group the user may open
/// ("may_see", the committee's managers) and lays the group out item by item for the brief's
/// summary ("in_common_rows"). Nothing for a meeting of its own.
void in_common_links(nlohmann::json& view, const std::function<bool(Id committee_id)>& may_see);
/// Who sent apologies or was absent, for the brief: {"apologies": [{"id", "name", "role_label"}],
/// "absent": [...], "chair_apologies": the chair among them or null}.
nlohmann::json brief_attendance(SQLite::Database& db, const Meeting& meeting);

/// The public list of meetings: those whose minutes or agenda are published (is_public_meeting;
/// any other does not exist for the public), split into {"upcoming": [...], "past": [...]} on
/// `today`, each with its committee and its date in words, and, while only the agenda is
/// published, "agenda": its items' titles and descriptions; only `committee_id`'s when given (then also "committee"). HttpError 404
/// for an unknown committee.
nlohmann::json public_meetings_view(SQLite::Database& db, const Date& today, std::optional<Id> committee_id = std::nullopt);
/// A member's meetings: those of the committees they sit on (in post on the meeting date) and those
/// they are on the attendance list of, each with their attendance and the items they are flagged on;
/// {"upcoming": [...], "past": [...]} on `today`.
nlohmann::json my_meetings_view(SQLite::Database& db, Id person_id, const Date& today);

/// A meeting's recorded declarations (GET /api/v1/meetings/{id}) plus labels and item numbers.
nlohmann::json minutes_view(const nlohmann::json& minutes);

/// The committees whose meetings the actor manages, for the new meeting form: [{"id", "name"}].
nlohmann::json committee_options(SQLite::Database& db, const MeetingActor& actor);
/// The meetings of those committees, latest first, each with {"committee": {"id", "ref", "name"}}.
nlohmann::json meetings_list(SQLite::Database& db, const MeetingActor& actor);

/// GET /api/v1/meetings/{id}/conflicts: the meeting's check as `audience` may read it. HttpError
/// 404 for an unknown meeting.
nlohmann::json conflicts_json(SQLite::Database& db, Id meeting_id, ReportAudience audience, const std::string& organisation_name = {});
/// The same check as its JSON text (compact_json of conflicts_json, written without the
/// nlohmann value: model/public/conflicts_json.hpp).
std::string conflicts_json_text(SQLite::Database& db, Id meeting_id, ReportAudience audience, const std::string& organisation_name = {});
/// A recorded decision as the API answers it: with its item's "quorum" as it now stands, so a
/// client sees the effect (none when the item is no longer on the agenda).
nlohmann::json decision_answer(SQLite::Database& db, const ConflictDecision& decision, ReportAudience audience,
                               const std::string& organisation_name = {});

/// The page to manage a meeting: the meeting, its attendance and its agenda, with the forms to
/// change them ("template": "meeting_manage"). A meeting of committees in common that follows a
/// lead shows the lead's agenda and attendance without their forms ("shares_agenda": the lead's
/// meeting and committee); with `actor`, "in_common_options" lists the committees it may be held
/// in common with (those the actor manages, not already in the group).
nlohmann::json manage_view(SQLite::Database& db, const Meeting& meeting, const MeetingActor* actor = nullptr);
/// The page to edit one agenda item and withdraw it ("template": "agenda_item").
nlohmann::json item_view(SQLite::Database& db, const Meeting& meeting, const AgendaItem& item);
/// The page used at the meeting: the brief's flags with a decision form each, the declarations and
/// movements recorded so far, and each item's quorum as it now stands ("template": "meeting_record").
nlohmann::json record_view(SQLite::Database& db, const Meeting& meeting, ReportAudience audience, const std::string& organisation_name = {});
/// The breaches register: every breach with its person, meeting and item.
/// The breaches register as rows, only those `scope` sees (a body's governance account: its own).
nlohmann::json breaches_view(SQLite::Database& db, const GovernanceScope& scope);
/// One breach as the breaches pages show it: the record, the person's name, its meeting and item
/// (when it has them), and the words for its codes. Internal: never for a public page.
nlohmann::json breach_row(SQLite::Database& db, const Breach& b);
/// Each decision on the breach (who, when, status, reason), newest first.
nlohmann::json breach_history_view(SQLite::Database& db, Id breach_id);
/// The choices of the breach form (kinds, how found, people, held meetings and their items) with
/// the values of `f` selected, and `values` (the fields as sent) for the text fields.
nlohmann::json breach_form_view(SQLite::Database& db, const Fields& f);
/// A breach's fields as the breach form sends them (to show its edit form filled in).
Fields breach_fields(const Breach& b);

/// A page's view data as it goes back with a form's mistakes: the NHS error summary, the values
/// sent, and on the agenda item form and the decision forms each error and value by its field.
void show_problems(nlohmann::json& page, const Problems& problems, const Fields& sent);

}  // namespace probity
