#pragma once
// What a governance account may see and change (README "Several bodies"; docs/bodies.md,
// "Governance per body"): the ONE place the rule lives, which every governance route asks.
//
// An instance-wide account (users.body_id NULL: every account made before bodies) sees every
// record. A body's governance account sees only its own body's share of the register: the people
// whose home body is theirs, the committees their body owns (joint committees included), the
// meetings of those committees, and the records of those people (declarations, gifts, breaches
// about them, messages to them). For anything else the routes answer 404, as for a record that
// does not exist, and lists and dashboards leave it out. Chair rights are not governance: a chair
// keeps the meetings they chair whichever body owns them (model/meetings/chair_rights.hpp).
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "model/store/entities.hpp"

namespace probity {

class GovernanceScope {
 public:
  /// `body`: the account's body (User::body_id); nullopt: the whole instance.
  GovernanceScope(SQLite::Database& db, std::optional<Id> body) : db_(db), body_(body) {}

  /// True for an instance-wide account.
  bool instance_wide() const { return !body_; }
  /// The account's body, nullopt when instance-wide.
  std::optional<Id> body() const { return body_; }

  /// May this account manage bodies other than its own (add one, change another's settings)?
  bool manages_bodies() const { return !body_; }
  /// Body `id`'s settings: an instance-wide account, or the body's own.
  bool sees_body(Id id) const { return !body_ || *body_ == id; }
  /// A person whose home body is the account's (false for an unknown id unless instance-wide).
  bool sees_person(Id person_id) const;
  /// A committee the account's body owns, alone or jointly.
  bool sees_committee(Id committee_id) const;
  /// A meeting of a committee the account sees.
  bool sees_meeting(Id meeting_id) const;
  /// A declaration (kind "interest", "gift", "nil_return", "confirmation") of a person it sees;
  /// false for another kind unless instance-wide.
  bool sees_declaration(const std::string& kind, Id id) const;
  /// A record the audit pages show by kind: "person" (sees_person) or a declaration kind.
  bool sees_record(const std::string& kind, Id id) const { return kind == "person" ? sees_person(id) : sees_declaration(kind, id); }
  /// An account: one linked to a person it sees, or one of its own body's with no person
  /// (`person_id`, `account_body`: the account's User::person_id and User::body_id).
  bool sees_account(std::optional<Id> person_id, std::optional<Id> account_body) const {
    if (!body_) return true;
    return person_id ? sees_person(*person_id) : account_body == body_;
  }
  /// A breach about a person it sees, or recorded at a meeting it sees.
  bool sees_breach(Id breach_id) const;

  /// An SQL condition on a person id column (e.g. "p.id") keeping the people this account sees:
  /// "1" when instance-wide, otherwise a test of the person's home body (the body id is a
  /// number, written into the text). For filtering lists in one query.
  std::string person_filter(const std::string& person_id_column) const;

 private:
  bool exists(const char* sql, Id id) const;

  SQLite::Database& db_;
  std::optional<Id> body_;
};

}  // namespace probity
