#pragma once
// The year of a register (the guidance's rules as docs/declaration-year.md states them): the
// events that start a 28-day clock (taking up post, joining a committee, a change of role,
// becoming aware of an interest, declaring at a meeting an interest not yet on the register,
// leaving), the annual confirmation each declaration year, and
// from them each person's state on any date: up to date, due (by a date, for an event), overdue
// (since a date, for an event) or never declared; with the late declarations and the nil returns
// that contradict interests held. Pure functions of data and a date: the one source of truth for
// the member's page, governance's dashboard and CSV, and the reminder plan.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/store/entities.hpp"

namespace probity {

/// The numbers of the year (the config file's "year" section; local policies may be stricter).
struct YearRules {
  unsigned start_month = 4;        // the declaration year starts on 1 April...
  unsigned start_day = 1;          // ...(a day that exists in every year: 29 February is refused)
  int declare_within_days = 28;    // after each event
  int annual_due_months = 1;       // the annual confirmation is due by the end of the year's first month
};

/// The first day of the declaration year that holds `on`. Does not throw.
Date year_start_for(const Date& on, const YearRules& rules = {});
/// The last day to make the annual confirmation of the year starting `year_start`.
Date annual_due_by(const Date& year_start, const YearRules& rules = {});
/// "2026 to 2027" for the year starting in 2026.
std::string year_label(const Date& year_start);

enum class YearEventKind { took_up_post, joined_committee, role_changed, annual, became_aware, leaving, declared_at_meeting };

template <>
struct EnumNames<YearEventKind> {
  static constexpr auto values = std::to_array<std::pair<YearEventKind, std::string_view>>(
      {{YearEventKind::took_up_post, "took_up_post"},
       {YearEventKind::joined_committee, "joined_committee"},
       {YearEventKind::role_changed, "role_changed"},
       {YearEventKind::annual, "annual"},
       {YearEventKind::became_aware, "became_aware"},
       {YearEventKind::leaving, "leaving"},
       {YearEventKind::declared_at_meeting, "declared_at_meeting"}});
};

/// One event and the declaration it calls for.
struct YearEvent {
  std::string id;  // stable: "post", "committee-12", "role-12", "role-12-v3", "annual-2026", "interest-40", "leaving",
                  // "meeting-declaration-7"
  YearEventKind kind = YearEventKind::annual;
  Date on;         // the event (for leaving: 28 days before the leaving date, when the final confirmation opens)
  Date due_by;     // the last day to declare for it
  std::string about;  // the committee, the interest's nature, the year ("2026 to 2027"), the leaving date, or
                      // what was said at the meeting
  std::string meeting;  // declared_at_meeting: the meeting's title
  std::optional<Id> interest_id;  // became_aware: the interest; declared_at_meeting: the interest that answered it
  std::optional<Id> meeting_declaration_id;  // declared_at_meeting: what was said at the meeting
  std::optional<Date> met_on;  // when a confirmation, nil return or (for an interest) its declaration answered it
  bool operator==(const YearEvent&) const = default;
};

/// What the lifecycle needs to know of one person (model/register/year_store.hpp reads it).
struct YearMembership {
  Id id = 0;
  std::string committee;
  Id committee_id = 0;
  CommitteeRole role = CommitteeRole::voting;
  Date from;
  std::optional<Date> to;
  bool operator==(const YearMembership&) const = default;
};
struct YearRoleChange {  // a membership's role changed in place (a new version with another role)
  Id membership_id = 0;
  int version = 0;
  std::string committee;
  Date on;
  bool operator==(const YearRoleChange&) const = default;
};
struct YearInterest {
  Id id = 0;
  std::string nature;
  std::string organisation;  // the organisation's name, or empty
  Date from;
  std::optional<Date> to;
  std::optional<Date> aware_on;
  Date declared_on;
  bool declared = true;  // false for a draft: recorded, not yet declared
  bool operator==(const YearInterest&) const = default;
};
/// A declaration made at a meeting (model/meetings/meeting_records.hpp), for the clock it starts
/// when it disclosed an interest the register lacked: the person has 28 days from the meeting's
/// date to declare it. `interest_id` is the register entry it was linked to (at the meeting, or
/// by declaring it from the member's pre-filled form), if any.
struct YearMeetingDeclaration {
  Id id = 0;
  Date meeting_on;
  std::string meeting;  // the meeting's title
  std::string text;     // what was said
  std::optional<Id> interest_id;
  bool operator==(const YearMeetingDeclaration&) const = default;
};
struct YearNilReturn {
  Id id = 0;
  Date made_on;
  bool operator==(const YearNilReturn&) const = default;
};
struct PersonRecord {
  Id person_id = 0;
  std::string name;
  std::string email;
  std::optional<Date> left_on;
  std::optional<Date> known_from;  // in post since (when no membership says so): the record's first date
  std::vector<YearMembership> memberships;
  std::vector<YearRoleChange> role_changes;
  std::vector<YearInterest> interests;
  std::vector<Date> confirmations;
  std::vector<YearNilReturn> nil_returns;  // made (not drafts)
  std::vector<YearMeetingDeclaration> meeting_declarations;
  std::string manager_name;
  std::string manager_email;
  bool operator==(const PersonRecord&) const = default;
};

enum class YearState { up_to_date, due, overdue, never_declared };

template <>
struct EnumNames<YearState> {
  static constexpr auto values = std::to_array<std::pair<YearState, std::string_view>>(
      {{YearState::up_to_date, "up_to_date"},
       {YearState::due, "due"},
       {YearState::overdue, "overdue"},
       {YearState::never_declared, "never_declared"}});
};

/// An interest declared more than the allowed days after the member became aware of it (or took
/// up post, when later): recorded, reported, and a possible breach.
struct LateDeclaration {
  Id interest_id = 0;
  std::string nature;
  Date clock_from;
  Date due_by;
  Date declared_on;
  int days_late = 0;
  bool operator==(const LateDeclaration&) const = default;
};

/// A nil return ("nothing to declare") made while holding interests: flagged to governance, and
/// not counted as a confirmation.
struct NilContradiction {
  Id nil_return_id = 0;
  Date made_on;
  int interests_held = 0;
  bool operator==(const NilContradiction&) const = default;
};

struct PersonYear {
  YearState state = YearState::up_to_date;
  std::optional<YearEvent> reason;     // due: the open event due soonest; overdue: the one overdue longest
  std::optional<Date> due_by;          // state due: the reason's due date
  std::optional<Date> overdue_since;   // state overdue or never declared: the day after the reason's due date
  int days_overdue = 0;
  std::vector<YearEvent> events;       // every event up to the date, oldest first, with when it was answered
  std::vector<YearEvent> open;         // not answered yet, soonest due first: each undeclared interest, and
                                       // the earliest of the events a confirmation answers (it answers them all)
  std::vector<LateDeclaration> late;   // every late declaration made by the date
  std::vector<NilContradiction> contradictions;
  std::optional<Date> in_post_from;
  std::optional<Date> last_confirmed_on;  // latest confirmation or (valid) nil return
  Date year_start;                     // of the year holding the date
  bool confirmed_this_year = false;
  std::optional<Date> next_annual_due;  // the next annual confirmation's due date (none once left)
  int current_interests = 0;           // declared and not ended on the date
  bool has_left = false;
};

/// One person's year on `on`. Records dated after `on` are ignored, so it can be asked of any
/// past date. Does not throw.
PersonYear year_state_on(const PersonRecord& person, const Date& on, const YearRules& rules = {});

/// Whether the declaration made at a meeting on `meeting_on` (`text`) is answered by `interest`:
/// declared (not a draft) on or after the meeting's date, and either linked to it (`linked`) or
/// naming its organisation (the organisation's name, at least three characters, appears in what
/// was said, ignoring case). Does not throw.
bool answers_meeting_declaration(const YearInterest& interest, const Date& meeting_on, const std::string& text, bool linked);

/// The event in plain words, for people and the CSV: "annual confirmation for 2026 to 2027",
/// "joined the Governing Body on 1 April 2024", "became aware of an interest on 3 May 2026
/// (Partner of Riverside Surgery)".
std::string describe_event(const YearEvent& event);
/// The state in plain words: "Up to date", "Due", "Overdue", "Never declared".
std::string_view state_label(YearState state);

}  // namespace probity
