#pragma once
// Plain data for every aggregate of the register. Each entity has a database `id` and a stable
// external `ref` (chosen by a bundle's author or generated), and is stored as a series of
// versions: the structs here are one version's content. `operator==` compares content only,
// so an unchanged save can be recognised and written as no new version.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/base/date.hpp"
#include "model/store/enums.hpp"
#include "model/base/money.hpp"

namespace probity {

using Id = std::int64_t;

// A body of a joint arrangement: a CCG or ICB, NHS England (migration 0021). Body 1 is the
// default body; its empty name means the config's organisation_name.
inline constexpr Id kDefaultBody = 1;
struct Body {
  Id id = 0;
  std::string ref;
  std::string name;
  std::string ods_code;
  BodyKind kind = BodyKind::icb;
  std::string contact_email;
  BodyPublication publication = BodyPublication::here;  // elsewhere: its entries stay internal here
  std::string register_url;                             // where it publishes, when elsewhere
  bool operator==(const Body&) const = default;
};

struct Organisation {
  Id id = 0;
  std::string ref;
  std::string name;
  std::string identifier;  // ODS code or Companies House number; empty when none
  OrganisationKind kind = OrganisationKind::other;
  std::optional<Id> parent_id;  // e.g. the federation a practice belongs to
  bool operator==(const Organisation&) const = default;
};

struct Person {
  Id id = 0;
  std::string ref;
  std::string name;
  std::string email;
  PersonKind kind = PersonKind::officer;
  std::string position;
  std::optional<Id> practice_id;  // GP members: the practice they are a partner of or work in
  std::optional<Date> left_on;    // set when the person leaves the organisation
  // A decision-maker under the body's policy (board, committee members, senior staff): only
  // decision-makers' entries are published; everyone's count for conflict checks.
  bool decision_maker = true;
  Id body_id = kDefaultBody;  // the home body, whose register holds their declarations
  bool operator==(const Person&) const = default;
};

// A committee's quorum rule from its terms of reference (configurable per committee).
struct QuorumRule {
  int min_voting = 0;
  int min_lay = 0;
  int min_executive = 0;
  int min_clinical = 0;
  bool lay_executive_majority = false;  // lay + executive must be more than half of eligible voting
  bool lay_chair = false;               // the item must be chaired by an eligible lay chair or vice-chair
  // When neither the chair nor the vice-chair may preside, another lay voting member present and
  // free of conflict may (where the terms of reference allow it).
  bool lay_member_may_preside = false;
  // Joint committees: at least this many eligible voting members from each owning body, and
  // minimums from named bodies (body id -> minimum), on top of the rules above.
  int min_voting_each_body = 0;
  std::map<Id, int> min_voting_from_body{};
  bool operator==(const QuorumRule&) const = default;
};

struct Committee {
  Id id = 0;
  std::string ref;
  std::string name;
  std::string description;
  QuorumRule quorum;
  // The bodies that own it: one for a body's own committee, several for a joint committee.
  std::vector<Id> body_ids{kDefaultBody};
  bool operator==(const Committee&) const = default;
};

struct Membership {
  Id id = 0;
  std::string ref;
  Id committee_id = 0;
  Id person_id = 0;
  CommitteeRole role = CommitteeRole::voting;
  Date from;
  std::optional<Date> to;
  bool operator==(const Membership&) const = default;
};

struct Interest {
  Id id = 0;
  std::string ref;
  Id person_id = 0;
  InterestCategory category = InterestCategory::financial;
  bool indirect = false;
  std::string relationship;  // for indirect interests: spouse, partner, parent, child, ...
  std::optional<Id> organisation_id;
  std::string nature;
  Date from;
  std::optional<Date> to;
  std::string action_taken;
  Date declared_on;
  DeclarationStatus status = DeclarationStatus::submitted;
  bool withheld = false;        // kept off the public register, still counts for conflicts
  std::string withheld_reason;  // required when withheld
  std::optional<Date> aware_on;  // when the member became aware of it (the 28-day clock); nullopt: `from`
  InterestKind kind = InterestKind::other;    // the second level under the category
  std::map<std::string, std::string> details{};  // the kind's own fields (model/register/interest_kinds.hpp)
  bool operator==(const Interest&) const = default;
};

struct Gift {
  Id id = 0;
  std::string ref;
  Id person_id = 0;
  GiftKind kind = GiftKind::gift;
  std::optional<Id> organisation_id;  // the source, when it is an organisation on record
  std::string source;                 // the source as described by the declarer
  bool from_supplier = false;         // supplier or contractor (stricter gift rule)
  bool cash_or_voucher = false;
  std::string description;
  std::int64_t value_pence = 0;
  Date offered_on;
  GiftOutcome outcome = GiftOutcome::accepted;
  std::string approved_by;  // senior approval, where the rules require it
  Date declared_on;
  DeclarationStatus status = DeclarationStatus::submitted;
  // Senior approval recorded by governance (hospitality from a supplier or contractor): the
  // approver's role and the reason; approved_on is empty until it is recorded.
  std::string approver_role{};
  std::string approval_reason{};
  std::optional<Date> approved_on{};
  bool operator==(const Gift&) const = default;
};

struct NilReturn {
  Id id = 0;
  std::string ref;
  Id person_id = 0;
  Date made_on;
  std::string statement;
  DeclarationStatus status = DeclarationStatus::submitted;
  bool operator==(const NilReturn&) const = default;
};

// "My entries are complete and current as of this date": the annual confirmation of a member who
// holds interests (one who holds none makes a nil return). docs/declaration-year.md.
struct Confirmation {
  Id id = 0;
  std::string ref;
  Id person_id = 0;
  Date confirmed_on;
  Date year_start;  // the first day of the declaration year it was made in
  int entries = 0;  // the current interests it confirmed
  bool operator==(const Confirmation&) const = default;
};

// A person's line manager, told when their declarations are escalated.
struct LineManager {
  Id id = 0;
  std::string ref;
  Id person_id = 0;
  std::string name;
  std::string email;
  bool operator==(const LineManager&) const = default;
};

struct Meeting {
  Id id = 0;
  std::string ref;
  Id committee_id = 0;
  std::string title;
  Date date;
  std::string location;
  MeetingStatus status = MeetingStatus::planned;
  bool published = false;  // minutes' declarations section visible to the public
  bool agenda_published = false;  // the agenda (item titles and descriptions) visible to the public before the meeting
  std::string start_time;  // "HH:MM" (24-hour clock, UK time), or empty: no time given
  // Committees in common: the lead meeting, whose agenda and attendance this one shares; each
  // committee's meeting keeps its own brief, decisions and minutes. nullopt: its own meeting.
  std::optional<Id> in_common_with{};
  bool operator==(const Meeting&) const = default;
};

struct Attendance {
  Id id = 0;
  std::string ref;
  Id meeting_id = 0;
  Id person_id = 0;
  AttendanceStatus status = AttendanceStatus::expected;
  bool operator==(const Attendance&) const = default;
};

struct AgendaItem {
  Id id = 0;
  std::string ref;
  Id meeting_id = 0;
  int position = 0;
  std::string title;
  std::string description;
  AgendaCategory category = AgendaCategory::other;
  std::vector<Id> organisation_ids;
  bool affects_all_gp_practices = false;
  bool withdrawn = false;  // taken off the agenda; kept for the record, left out of agenda views
  bool operator==(const AgendaItem&) const = default;
};

}  // namespace probity
