#pragma once
// Chair rights are not stored on accounts: they follow from committee memberships, so they
// start and end with the membership and history stays right.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>
#include <vector>

#include "model/store/entities.hpp"

namespace probity {

/// True when the person is chair or vice-chair of the committee on `on` (membership from <= on
/// <= to, an open end counting as current). Throws SQLite::Exception on a database error.
bool is_chair_of(SQLite::Database& db, Id person_id, Id committee_id, const Date& on);

/// The committees the person chairs or vice-chairs on `on`, in id order. Throws SQLite::Exception
/// on a database error.
std::vector<Id> committees_chaired(SQLite::Database& db, Id person_id, const Date& on);

/// Someone acting on meetings, as the checks and the audit log need them: the name the audit log
/// records, their entry on the register (none for an account that is not a person's) and whether
/// they are in the governance team.
struct MeetingActor {
  std::string audit_name;
  std::optional<Id> person_id;
  bool governance = false;
  // A body's governance account (User::body_id): its governance covers only the committees its
  // body owns (model/register/governance_scope.hpp); nullopt: the whole instance.
  std::optional<Id> governance_body{};
};

/// True when the actor may prepare and record the committee's meetings on `on`: the governance
/// team (a body's, for the committees its body owns), or the committee's chair or vice-chair
/// whichever body owns it. Throws SQLite::Exception on a database error.
bool may_manage_meetings(SQLite::Database& db, const MeetingActor& actor, Id committee_id, const Date& on);

/// True when the actor may manage the meetings of at least one committee on `on`. Throws
/// SQLite::Exception on a database error.
bool manages_any_committee(SQLite::Database& db, const MeetingActor& actor, const Date& on);

}  // namespace probity
