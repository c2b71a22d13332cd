#include <catch2/catch.hpp>

#include "model/meetings/quorum_check.hpp"

using namespace probity;

namespace {

// A PCCC-like committee: lay chair, lay vice-chair, an executive, two GPs, a secondary-care
// clinician, a non-voting director and a Healthwatch attendee.
constexpr Id kChair = 1, kVice = 2, kExec = 3, kGpA = 4, kGpB = 5, kClinician = 6, kNonVoting = 7, kHealthwatch = 8;

std::vector<QuorumMember> committee() {
  return {
      {kChair, "Ms Lee Lay", PersonKind::lay, CommitteeRole::chair},
      {kVice, "Mr Vic Vice", PersonKind::lay, CommitteeRole::vice_chair},
      {kExec, "Mr Sam Exec", PersonKind::executive, CommitteeRole::voting},
      {kGpA, "Dr Asha Patel", PersonKind::gp, CommitteeRole::voting},
      {kGpB, "Dr Ben Okafor", PersonKind::gp, CommitteeRole::voting},
      {kClinician, "Dr Cara Ward", PersonKind::clinical, CommitteeRole::voting},
      {kNonVoting, "Ms Nia Director", PersonKind::executive, CommitteeRole::non_voting},
      {kHealthwatch, "Ms Hana Watch", PersonKind::lay, std::nullopt},
  };
}

QuorumRule pccc() {
  QuorumRule r;
  r.min_voting = 4;
  r.min_lay = 1;
  r.min_executive = 1;
  r.min_clinical = 1;
  r.lay_executive_majority = false;
  r.lay_chair = true;
  return r;
}

std::vector<std::string> failed_rules(const QuorumResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.failures) out.push_back(f.rule);
  return out;
}

}  // namespace

TEST_CASE("counts only present voting members who are not excluded") {
  auto r = check_quorum(pccc(), committee(), {});
  CHECK(r.quorate);
  // Six voting members: the non-voting director and the Healthwatch attendee (though lay) do not count.
  CHECK(r.eligible_voting == 6);
  CHECK(r.lay == 2);
  CHECK(r.executive == 1);
  CHECK(r.clinical == 3);  // two GPs and the secondary-care clinician
  CHECK(r.failures.empty());
  CHECK(r.remedies.empty());
  REQUIRE(r.presiding);
  CHECK(r.presiding->person_id == kChair);
  CHECK(r.presiding->role == CommitteeRole::chair);
  CHECK(r.presiding_note == "The lay chair, Ms Lee Lay, presides.");
}

TEST_CASE("quorum rules fail with the counts in plain English") {
  auto [description, excluded, rule_tweak, expected_failures] =
      GENERATE(table<std::string, std::set<Id>, std::string, std::vector<std::string>>({
          {"nobody excluded", {}, "", {}},
          {"both GPs and the clinician excluded", {kGpA, kGpB, kClinician}, "", {"min_voting", "min_clinical"}},
          {"the executive excluded", {kExec}, "", {"min_executive"}},
          {"both lay members excluded", {kChair, kVice}, "", {"min_lay", "lay_chair"}},
          {"excluding the non-voting director changes nothing", {kNonVoting, kHealthwatch}, "", {}},
          {"lay and executive are 3 of 6: no majority", {}, "majority", {"lay_executive_majority"}},
          {"GPs out: lay and executive are 3 of 4", {kGpA, kGpB}, "majority", {}},
      }));
  CAPTURE(description);
  QuorumRule rule = pccc();
  rule.lay_executive_majority = rule_tweak == "majority";
  auto r = check_quorum(rule, committee(), excluded);
  CHECK(failed_rules(r) == expected_failures);
  CHECK(r.quorate == expected_failures.empty());
  CHECK(r.remedies.size() == (expected_failures.empty() ? 0u : 4u));
}

TEST_CASE("failure reasons and remedies are exact") {
  QuorumRule rule = pccc();
  rule.lay_executive_majority = true;
  auto r = check_quorum(rule, committee(), {kGpA, kGpB, kClinician, kExec});
  REQUIRE(r.failures.size() == 3);
  CHECK(r.failures[0].reason == "2 eligible voting members are present; the quorum needs at least 4.");
  CHECK(r.failures[1].reason == "0 eligible executive members are present; the quorum needs at least 1.");
  CHECK(r.failures[2].reason == "0 eligible clinical members (GP or other clinician) are present; the quorum needs at least 1.");
  std::vector<std::string> codes;
  for (const auto& remedy : r.remedies) codes.push_back(remedy.code);
  CHECK(codes == std::vector<std::string>{"defer", "refer", "co_opt", "conflicts_panel"});

  auto one = check_quorum(rule, committee(), {kChair, kGpA, kGpB, kClinician, kExec});
  CHECK(one.failures.at(0).reason == "1 eligible voting member is present; the quorum needs at least 4.");

  auto majority = check_quorum(rule, committee(), {kExec});
  REQUIRE(majority.failures.size() == 2);
  CHECK(majority.failures[1].reason == "Lay and executive members are 2 of the 5 eligible voting members; they must be more than half.");
}

TEST_CASE("the non-voting attendee is not counted for quorum") {
  // Only the two lay members and the attendee remain: the attendee would make 3, but must not count.
  QuorumRule rule;
  rule.min_voting = 3;
  auto r = check_quorum(rule, committee(), {kExec, kGpA, kGpB, kClinician});
  CHECK(r.eligible_voting == 2);
  CHECK(r.lay == 2);
  CHECK_FALSE(r.quorate);
  CHECK(failed_rules(r) == std::vector<std::string>{"min_voting"});
}

TEST_CASE("who presides") {
  auto [description, people, excluded, lay_chair, presiding, role, note] =
      GENERATE(table<std::string, std::vector<Id>, std::set<Id>, bool, Id, std::string, std::string>({
          {"chair conflicted, the lay vice-chair presides", {kChair, kVice, kExec}, {kChair}, true, kVice, "vice_chair",
           "The chair, Ms Lee Lay, is excluded from this item, so the lay vice-chair, Mr Vic Vice, presides."},
          {"chair absent, the lay vice-chair presides", {kVice, kExec}, {}, true, kVice, "vice_chair",
           "The chair is not present, so the lay vice-chair, Mr Vic Vice, presides."},
          {"no eligible lay person to preside", {kChair, kVice, kExec}, {kChair, kVice}, true, 0, "",
           "No lay chair or lay vice-chair is present and free of conflict to preside."},
          {"without the lay-chair rule a conflicted chair hands to the vice-chair", {kChair, kVice}, {kChair}, false, kVice,
           "vice_chair", "The chair, Ms Lee Lay, is excluded from this item, so the vice-chair, Mr Vic Vice, presides."},
          {"without the lay-chair rule nobody may be left to preside", {kChair, kExec}, {kChair}, false, 0, "",
           "Neither the chair nor a vice-chair is present and free of conflict; the members present choose one of their "
           "number to preside."},
      }));
  CAPTURE(description);
  std::vector<QuorumMember> present;
  for (const auto& m : committee())
    if (std::find(people.begin(), people.end(), m.person_id) != people.end()) present.push_back(m);
  QuorumRule rule;
  rule.lay_chair = lay_chair;
  auto r = check_quorum(rule, present, excluded);
  CHECK(r.presiding_note == note);
  if (presiding == 0) {
    CHECK_FALSE(r.presiding);
    // Only the lay-chair rule makes a missing presiding member a failure.
    CHECK(r.quorate == !lay_chair);
    if (lay_chair) {
      CHECK(failed_rules(r) == std::vector<std::string>{"lay_chair"});
      CHECK(r.remedies.size() == 4);
    }
  } else {
    REQUIRE(r.presiding);
    CHECK(r.presiding->person_id == presiding);
    CHECK(to_string(r.presiding->role) == role);
    CHECK(r.quorate);
  }
}

TEST_CASE("a lay-chair rule skips a chair who is not lay") {
  auto people = committee();
  people[0].kind = PersonKind::executive;  // the chair is an executive
  QuorumRule rule;
  rule.lay_chair = true;
  auto r = check_quorum(rule, people, {});
  REQUIRE(r.presiding);
  CHECK(r.presiding->person_id == kVice);
  CHECK(r.presiding_note == "The chair, Ms Lee Lay, is not a lay member, so the lay vice-chair, Mr Vic Vice, presides.");
}

TEST_CASE("a body's own remedies replace the guidance list") {
  QuorumRule rule;
  rule.min_voting = 10;
  auto r = check_quorum(rule, committee(), {}, {{"defer", "Defer to the next meeting."}});
  REQUIRE(r.remedies.size() == 1);
  CHECK(r.remedies[0].description == "Defer to the next meeting.");
}
