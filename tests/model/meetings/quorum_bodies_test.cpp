// Quorum per body: a joint committee's terms of reference may require voting members
// from each owning body, and a minimum from named bodies such as NHS England.
#include <catch2/catch.hpp>

#include "model/meetings/quorum_check.hpp"

using namespace probity;

namespace {

constexpr Id kNorth = 1, kSouth = 2, kNhse = 3;
constexpr Id kJcChair = 101, kJcNorthGp = 102, kJcNorthExec = 103, kJcSouthLay = 104, kJcSouthGp = 105, kJcNhseExec = 106,
             kJcCoOpted = 107;

QuorumBodies three_bodies() {
  return {{kNorth, kSouth, kNhse}, {{kNorth, "NHS Northbrook CCG"}, {kSouth, "NHS Southvale CCG"}, {kNhse, "NHS England"}}};
}

QuorumMember member(Id id, const char* name, PersonKind kind, CommitteeRole role, Id body) {
  QuorumMember m{id, name, kind, role};
  m.body_id = body;
  return m;
}

std::vector<QuorumMember> joint_committee() {
  return {member(kJcChair, "Ms Lee Lay", PersonKind::lay, CommitteeRole::chair, kNorth),
          member(kJcNorthGp, "Dr Asha Patel", PersonKind::gp, CommitteeRole::voting, kNorth),
          member(kJcNorthExec, "Mr Sam Exec", PersonKind::executive, CommitteeRole::voting, kNorth),
          member(kJcSouthLay, "Ms Rae South", PersonKind::lay, CommitteeRole::vice_chair, kSouth),
          member(kJcSouthGp, "Dr Tom South", PersonKind::gp, CommitteeRole::voting, kSouth),
          member(kJcNhseExec, "Ms Nina England", PersonKind::executive, CommitteeRole::voting, kNhse)};
}

QuorumRule joint_rule() {
  QuorumRule r;
  r.min_voting = 3;
  r.min_voting_each_body = 1;
  return r;
}

std::vector<std::string> rules_failed(const QuorumResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.failures) out.push_back(f.rule);
  return out;
}

}  // namespace

TEST_CASE("a joint committee counts its eligible voting members by home body") {
  auto r = check_quorum(joint_rule(), three_bodies(), joint_committee(), {});
  CHECK(r.quorate);
  CHECK(r.by_body == std::map<Id, int>{{kNorth, 3}, {kSouth, 2}, {kNhse, 1}});
}

TEST_CASE("exclusions that leave a body without a member make the item inquorate, naming the body") {
  // Only NHS England's member is conflicted: 5 voting members remain, but none from NHS England.
  auto r = check_quorum(joint_rule(), three_bodies(), joint_committee(), {kJcNhseExec});
  CHECK_FALSE(r.quorate);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].rule == "min_voting_each_body");
  CHECK(r.failures[0].reason == "0 eligible voting members from NHS England are present; the quorum needs at least 1.");
  CHECK(r.remedies.size() == guidance_remedies().size());
  CHECK(r.by_body.at(kNhse) == 0);

  // Both of Southvale's members excluded too: one failure per body, in the owning bodies' order.
  r = check_quorum(joint_rule(), three_bodies(), joint_committee(), {kJcNhseExec, kJcSouthLay, kJcSouthGp});
  CHECK(rules_failed(r) == std::vector<std::string>{"min_voting_each_body", "min_voting_each_body"});
  CHECK(r.failures[0].reason == "0 eligible voting members from NHS Southvale CCG are present; the quorum needs at least 1.");
  CHECK(r.failures[1].reason == "0 eligible voting members from NHS England are present; the quorum needs at least 1.");
}

TEST_CASE("a minimum from a named body applies on top of the each-body minimum") {
  QuorumRule rule = joint_rule();
  rule.min_voting_from_body = {{kNorth, 2}};
  auto r = check_quorum(rule, three_bodies(), joint_committee(), {});
  CHECK(r.quorate);
  // Northbrook's GP and executive excluded: 1 left of the 2 needed; the larger minimum is the one cited.
  r = check_quorum(rule, three_bodies(), joint_committee(), {kJcNorthGp, kJcNorthExec});
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].rule == "min_voting_from_body");
  CHECK(r.failures[0].reason == "1 eligible voting member from NHS Northbrook CCG is present; the quorum needs at least 2.");

  // A named body alone, without an each-body minimum.
  QuorumRule named_only;
  named_only.min_voting = 1;
  named_only.min_voting_from_body = {{kNhse, 1}};
  r = check_quorum(named_only, three_bodies(), joint_committee(), {kJcNhseExec});
  CHECK(rules_failed(r) == std::vector<std::string>{"min_voting_from_body"});
  CHECK(r.failures[0].reason == "0 eligible voting members from NHS England are present; the quorum needs at least 1.");
}

TEST_CASE("non-voting members and attendees of a body do not count for it") {
  auto people = joint_committee();
  people.pop_back();
  people.push_back(member(kJcNhseExec, "Ms Nina England", PersonKind::executive, CommitteeRole::non_voting, kNhse));
  QuorumMember attendee{kJcCoOpted, "Mr Otto Attends", PersonKind::executive, std::nullopt};
  attendee.body_id = kNhse;
  people.push_back(attendee);
  auto r = check_quorum(joint_rule(), three_bodies(), people, {});
  CHECK(rules_failed(r) == std::vector<std::string>{"min_voting_each_body"});
}

TEST_CASE("a co-opted voting member counts for their home body") {
  auto people = joint_committee();
  QuorumMember co_opted = member(kJcCoOpted, "Mr Neil Borrowed", PersonKind::executive, CommitteeRole::voting, kNhse);
  co_opted.co_opted = true;
  co_opted.co_opted_from = "NHS England";
  people.push_back(co_opted);
  // NHS England's own member is conflicted; the co-opted member from NHS England keeps it quorate.
  auto r = check_quorum(joint_rule(), three_bodies(), people, {kJcNhseExec});
  CHECK(r.quorate);
  CHECK(r.by_body.at(kNhse) == 1);
  CHECK(r.co_opted == 1);
}

TEST_CASE("a body missing from the names is called by its id, and single-body committees are unchanged") {
  QuorumBodies unnamed{{kNorth, kSouth}, {}};
  auto r = check_quorum(joint_rule(), unnamed, joint_committee(), {kJcSouthLay, kJcSouthGp});
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].reason == "0 eligible voting members from body 2 are present; the quorum needs at least 1.");

  // The three-argument call: the default body owns the committee; no minimum per body, no failure.
  QuorumRule plain;
  plain.min_voting = 3;
  auto old = check_quorum(plain, joint_committee(), {});
  CHECK(old.quorate);
  CHECK(old.failures.empty());
}
