#pragma once
// Governance manages committees, their terms of reference (the quorum rule) and memberships
// . The checks are pure functions returning one exact message per wrong field; the
// actions run the same checks again inside the write transaction, so two people adding a chair
// at the same moment cannot both succeed, and write a new version (the old one is kept).
// Nothing here knows about HTTP: the server reads text into these structs and shows the words.
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/store/entities.hpp"
#include "model/base/text.hpp"
#include "model/base/problems.hpp"

namespace probity {

/// The largest count a quorum rule may ask for. No committee has that many voting members; a
/// bigger number is a typing mistake that would make every meeting inquorate. Bundles use it too.
inline constexpr int kMaxQuorumCount = 100;
/// Longest ref; refs are keys in bundles, so only letters, digits, '-', '_' and '.' are allowed.
inline constexpr std::size_t kRefMax = 100;

/// The plain-English name of a quorum field ("Voting members needed"), for messages and labels.
std::string quorum_field_label(const std::string& field);

/// Problems with a committee's content: name (required, unique ignoring case among `others`,
/// at most kShortTextMax characters), ref (when not empty: allowed characters, at most
/// kRefMax, unique among `others`), description (at most kLongTextMax) and each
/// quorum count (0 to kMaxQuorumCount). `others` may contain the committee itself (same id):
/// it is skipped. Empty when all is well. Throws nothing.
Problems committee_problems(const Committee& committee, const std::vector<Committee>& others);

/// Problems with a membership as it would be saved: `to` not before `from`; the person has not
/// left before it starts or while it runs; attendees (Healthwatch, HWB, local authority
/// representatives) only as non-voting members; a lay chair or vice-chair when the committee's
/// rule says `lay_chair`; no other membership of the same person in the same committee that
/// overlaps it; and no other chair whose membership overlaps it (one chair at a time; several
/// vice-chairs are allowed, the first one free of conflict presides). `existing` holds the
/// committee's memberships (the one being changed, same id, is skipped); `people` maps person
/// ids to people for names in messages. Periods include both ends. Throws nothing.
Problems membership_problems(const Membership& membership, const Committee& committee, const Person& person,
                                              const std::vector<Membership>& existing, const std::map<Id, Person>& people);

/// Creates a committee (a ref is generated when empty) after committee_problems. Throws
/// SQLite::Exception if the database fails.
Result<Committee> create_committee(SQLite::Database& db, Committee committee, const std::string& actor);

/// Writes a new version of committee `committee.id` (name, description, quorum; the ref never
/// changes) after committee_problems. Nullopt when there is no such committee. Throws
/// SQLite::Exception if the database fails.
std::optional<Result<Committee>> edit_committee(SQLite::Database& db, Committee committee, const std::string& actor);

/// Adds a membership to an existing committee after membership_problems; a person that does not
/// exist is a problem on `person_id`. Nullopt when the committee does not exist. Throws
/// SQLite::Exception if the database fails.
std::optional<Result<Membership>> add_membership(SQLite::Database& db, Membership membership, const std::string& actor);

/// Sets the end date of membership `membership_id` of committee `committee_id` (a new version)
/// after membership_problems. Nullopt when there is no such membership in that committee.
/// Throws SQLite::Exception if the database fails.
std::optional<Result<Membership>> end_membership(SQLite::Database& db, Id committee_id, Id membership_id, const Date& to,
                                                      const std::string& actor);

}  // namespace probity
