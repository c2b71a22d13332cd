// The meeting rules beyond counting heads: co-opted members counting for quorum, who presides
// when the terms of reference allow another lay member, the lay and executive majority checked
// on a committee's membership, "affects all practices" reaching federations, networks and the
// other primary care sectors, and declarations made at the meeting reaching the chair.
#include <catch2/catch.hpp>

#include "model/meetings/conflict_flags.hpp"
#include "model/meetings/quorum_check.hpp"

using namespace probity;

namespace {

const Date kMeetingDay = *Date::parse("2026-03-10");

constexpr Id kChair = 1, kVice = 2, kExec = 3, kGpA = 4, kGpB = 5, kLayMember = 6, kCoOpted = 7;

QuorumRule rule_needing(int voting, int lay, int executive) {
  QuorumRule r;
  r.min_voting = voting;
  r.min_lay = lay;
  r.min_executive = executive;
  r.lay_chair = true;
  return r;
}

std::vector<QuorumMember> small_committee() {
  return {{kChair, "Ms Lee Lay", PersonKind::lay, CommitteeRole::chair},
          {kVice, "Mr Vic Vice", PersonKind::lay, CommitteeRole::vice_chair},
          {kExec, "Mr Sam Exec", PersonKind::executive, CommitteeRole::voting},
          {kGpA, "Dr Asha Patel", PersonKind::gp, CommitteeRole::voting},
          {kLayMember, "Mrs Lena Other", PersonKind::lay, CommitteeRole::voting}};
}

std::vector<std::string> rules_failing(const QuorumResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.failures) out.push_back(f.rule);
  return out;
}

}  // namespace

TEST_CASE("a co-opted voting member counts for quorum and can make an item quorate") {
  auto present = small_committee();
  // The executive is excluded: no executive is left, so the item is inquorate.
  auto without = check_quorum(rule_needing(4, 1, 1), present, {kExec});
  CHECK_FALSE(without.quorate);
  CHECK(rules_failing(without) == std::vector<std::string>{"min_executive"});
  CHECK(without.co_opted == 0);
  // An executive co-opted from NHS England votes on the item and restores the quorum.
  present.push_back({kCoOpted, "Ms Nell England", PersonKind::executive, CommitteeRole::voting, true, "NHS England"});
  auto with = check_quorum(rule_needing(4, 1, 1), present, {kExec});
  CHECK(with.quorate);
  CHECK(with.executive == 1);
  CHECK(with.co_opted == 1);
  CHECK(with.eligible_voting == 5);
  CHECK(with.remedies.empty());
}

TEST_CASE("a co-opted member who is conflicted does not count") {
  auto present = small_committee();
  present.push_back({kCoOpted, "Ms Nell England", PersonKind::executive, CommitteeRole::voting, true, "NHS England"});
  auto r = check_quorum(rule_needing(4, 1, 1), present, {kExec, kCoOpted});
  CHECK_FALSE(r.quorate);
  CHECK(r.co_opted == 0);
}

TEST_CASE("who presides: chair, then vice-chair, then another lay voting member only where the terms allow") {
  auto rule = rule_needing(2, 1, 0);
  SECTION("the chair presides when free of conflict") {
    auto r = check_quorum(rule, small_committee(), {});
    REQUIRE(r.presiding);
    CHECK(r.presiding->person_id == kChair);
  }
  SECTION("the vice-chair when the chair is conflicted") {
    auto r = check_quorum(rule, small_committee(), {kChair});
    REQUIRE(r.presiding);
    CHECK(r.presiding->person_id == kVice);
    CHECK(r.presiding->role == CommitteeRole::vice_chair);
  }
  SECTION("without the permission, a lay voting member may not take the item") {
    auto r = check_quorum(rule, small_committee(), {kChair, kVice});
    CHECK_FALSE(r.presiding);
    CHECK(rules_failing(r) == std::vector<std::string>{"lay_chair"});
    CHECK(r.presiding_note == "No lay chair or lay vice-chair is present and free of conflict to preside.");
  }
  SECTION("with it, the first lay voting member present and free of conflict presides") {
    rule.lay_member_may_preside = true;
    auto r = check_quorum(rule, small_committee(), {kChair, kVice});
    REQUIRE(r.presiding);
    CHECK(r.presiding->person_id == kLayMember);
    CHECK(r.presiding->role == CommitteeRole::voting);
    CHECK(r.quorate);
    CHECK(r.presiding_note ==
          "The chair, Ms Lee Lay, is excluded from this item and no vice-chair can take the item, so a lay member, Mrs Lena "
          "Other, presides, as the terms of reference allow.");
  }
  SECTION("a conflicted lay member cannot; a co-opted lay member can when no member can") {
    rule.lay_member_may_preside = true;
    auto present = small_committee();
    auto r = check_quorum(rule, present, {kChair, kVice, kLayMember});
    CHECK_FALSE(r.presiding);
    CHECK(rules_failing(r) == std::vector<std::string>{"min_lay", "lay_chair"});
    CHECK(r.failures.back().reason == "The item must be chaired by a lay member, and no lay voting member is present and free of conflict.");
    present.insert(present.begin(), {kCoOpted, "Ms Nell England", PersonKind::lay, CommitteeRole::voting, true, "NHS England"});
    r = check_quorum(rule, present, {kChair, kVice, kLayMember});
    REQUIRE(r.presiding);
    CHECK(r.presiding->person_id == kCoOpted);
    CHECK(r.presiding_note.find("so a co-opted lay member, Ms Nell England, presides") != std::string::npos);
    // A lay member of the committee comes before a co-opted one, wherever they are listed.
    r = check_quorum(rule, present, {kChair, kVice});
    REQUIRE(r.presiding);
    CHECK(r.presiding->person_id == kLayMember);
  }
  SECTION("without the permission, a co-opted lay member cannot preside either") {
    auto present = small_committee();
    present.push_back({kCoOpted, "Ms Nell England", PersonKind::lay, CommitteeRole::voting, true, "NHS England"});
    CHECK_FALSE(check_quorum(rule, present, {kChair, kVice, kLayMember}).presiding);
  }
}

TEST_CASE("the lay and executive majority is checked on the committee's membership") {
  QuorumRule rule;
  rule.lay_executive_majority = true;
  std::vector<QuorumMember> members = {{kChair, "Ms Lee Lay", PersonKind::lay, CommitteeRole::chair},
                                       {kGpA, "Dr Asha Patel", PersonKind::gp, CommitteeRole::voting},
                                       {kGpB, "Dr Ben Okafor", PersonKind::gp, CommitteeRole::voting},
                                       {kExec, "Mr Sam Exec", PersonKind::executive, CommitteeRole::non_voting}};
  SECTION("two of three voting members are GPs: a warning naming the counts") {
    auto problem = membership_majority_problem(rule, members);
    REQUIRE(problem);
    CHECK(*problem ==
          "Lay and executive members are 1 of the committee's 3 voting members, not more than half. Its terms of reference "
          "require a lay and executive majority, so even with every member present no meeting can be quorate: add lay or "
          "executive voting members.");
  }
  SECTION("when the terms do not require it, the warning cites the national terms") {
    rule.lay_executive_majority = false;
    auto problem = membership_majority_problem(rule, members);
    REQUIRE(problem);
    CHECK(problem->find("national terms of reference") != std::string::npos);
  }
  SECTION("an exact half is not a majority; one more lay voting member makes it") {
    members.push_back({kVice, "Mr Vic Vice", PersonKind::lay, CommitteeRole::vice_chair});
    CHECK(membership_majority_problem(rule, members));
    members.push_back({kLayMember, "Mrs Lena Other", PersonKind::lay, CommitteeRole::voting});
    CHECK_FALSE(membership_majority_problem(rule, members));
  }
  SECTION("a committee with no voting members yet has nothing to warn about") {
    CHECK_FALSE(membership_majority_problem(rule, {}));
  }
}

namespace {

constexpr Id kFederationOrg = 20, kNetwork = 21, kPractice = 22, kPharmacy = 23, kDental = 24, kOptician = 25, kCompany = 26;
constexpr Id kLay = 30, kExecutive = 31, kGp = 32, kPharmacist = 33;

std::vector<Organisation> sector_organisations() {
  return {{kFederationOrg, "o1", "Northbrook GP Federation", "", OrganisationKind::federation, std::nullopt},
          {kNetwork, "o2", "Riverside Primary Care Network", "", OrganisationKind::primary_care_network, std::nullopt},
          {kPractice, "o3", "Hill Surgery", "Y1", OrganisationKind::gp_practice, kFederationOrg},
          {kPharmacy, "o4", "High Street Pharmacy", "FA1", OrganisationKind::community_pharmacy, std::nullopt},
          {kDental, "o5", "Smile Dental Practice", "", OrganisationKind::dental_practice, std::nullopt},
          {kOptician, "o6", "Clearview Opticians", "", OrganisationKind::optometrist, std::nullopt},
          {kCompany, "o7", "Bluebell Catering Ltd", "", OrganisationKind::company, std::nullopt}};
}

Person someone(Id id, const std::string& name, PersonKind kind, std::optional<Id> workplace = std::nullopt) {
  Person p;
  p.id = id;
  p.name = name;
  p.kind = kind;
  p.practice_id = workplace;
  return p;
}

Interest stake(Id id, Id person_id, Id org, InterestCategory category = InterestCategory::financial) {
  Interest i;
  i.id = id;
  i.person_id = person_id;
  i.category = category;
  i.organisation_id = org;
  i.nature = "Shareholder";
  i.from = *Date::parse("2024-01-01");
  i.declared_on = *Date::parse("2024-01-05");
  i.status = DeclarationStatus::approved;
  return i;
}

AgendaItem all_item(Id id, AgendaCategory category) {
  AgendaItem a;
  a.id = id;
  a.title = "Item " + std::to_string(id);
  a.category = category;
  a.affects_all_gp_practices = true;
  return a;
}

FlaggingInput sector_input(std::vector<AgendaItem> items, std::vector<Interest> interests) {
  FlaggingInput in;
  in.meeting_date = kMeetingDay;
  in.items = std::move(items);
  in.people = {{someone(kLay, "Ms Lee Lay", PersonKind::lay), CommitteeRole::chair},
               {someone(kExecutive, "Mr Sam Exec", PersonKind::executive), CommitteeRole::voting},
               {someone(kGp, "Dr Asha Patel", PersonKind::gp, kPractice), CommitteeRole::voting},
               {someone(kPharmacist, "Mr Raj Pharm", PersonKind::clinical, kPharmacy), CommitteeRole::voting}};
  in.interests = std::move(interests);
  in.organisations = sector_organisations();
  return in;
}

std::vector<std::pair<Id, std::string>> who_and_rule(const ItemFlags& flags) {
  std::vector<std::pair<Id, std::string>> out;
  for (const auto& f : flags.flags) out.emplace_back(f.person_id, std::string(to_string(f.rule)));
  return out;
}

}  // namespace

TEST_CASE("affects all practices: a stake in a federation or network conflicts non-GP members too") {
  using Row = std::tuple<std::string, Id, Id, InterestCategory, bool>;
  auto [label, holder, org, category, flagged] = GENERATE(table<std::string, Id, Id, InterestCategory, bool>({
      Row{"lay member, shares in a GP federation", kLay, kFederationOrg, InterestCategory::financial, true},
      Row{"executive, financial stake in a primary care network", kExecutive, kNetwork, InterestCategory::financial, true},
      Row{"lay member, a practice's shares", kLay, kPractice, InterestCategory::financial, true},
      Row{"lay member, unpaid adviser to a federation (not financial)", kLay, kFederationOrg,
          InterestCategory::non_financial_professional, false},
      Row{"executive, shares in a company outside primary care", kExecutive, kCompany, InterestCategory::financial, false},
      Row{"lay member, shares in a pharmacy (another sector)", kLay, kPharmacy, InterestCategory::financial, false},
  }));
  CAPTURE(label);
  auto out = flag_conflicts(sector_input({all_item(1, AgendaCategory::local_incentive_scheme)}, {stake(100, holder, org, category)}));
  const auto flags = who_and_rule(out.at(0));
  const bool holder_flagged = std::find(flags.begin(), flags.end(), std::pair<Id, std::string>{holder, "all_gp_practices"}) != flags.end();
  CHECK(holder_flagged == flagged);
  // The GP member is conflicted whatever anyone else holds; the pharmacist is not, on a GP item.
  CHECK(std::find(flags.begin(), flags.end(), std::pair<Id, std::string>{kGp, "all_gp_practices"}) != flags.end());
  CHECK(std::none_of(flags.begin(), flags.end(), [](const auto& f) { return f.first == kPharmacist; }));
}

TEST_CASE("affects all practices: the reason names the federation and what it is") {
  auto out = flag_conflicts(sector_input({all_item(1, AgendaCategory::enhanced_service)}, {stake(100, kLay, kFederationOrg)}));
  const auto& flags = out.at(0).flags;
  auto lay = std::find_if(flags.begin(), flags.end(), [](const ConflictFlag& f) { return f.person_id == kLay; });
  REQUIRE(lay != flags.end());
  CHECK(lay->reason ==
        "Ms Lee Lay has a financial interest in Northbrook GP Federation (a GP federation), and item \"Item 1\" affects all GP "
        "practices.");
  CHECK(lay->confidence == Confidence::certain);
  CHECK(lay->financial);
}

TEST_CASE("items affecting all pharmacies, dental practices or optometrists conflict those with a stake or who work there") {
  using Row = std::tuple<AgendaCategory, Id, std::string>;
  auto [category, org, rule] = GENERATE(table<AgendaCategory, Id, std::string>({
      Row{AgendaCategory::pharmacy_service, kPharmacy, "all_pharmacies"},
      Row{AgendaCategory::dental_service, kDental, "all_dental_practices"},
      Row{AgendaCategory::optometry_service, kOptician, "all_optometrists"},
  }));
  CAPTURE(rule);
  auto out = flag_conflicts(sector_input({all_item(1, category)}, {stake(100, kExecutive, org)}));
  const auto flags = who_and_rule(out.at(0));
  CHECK(std::find(flags.begin(), flags.end(), std::pair<Id, std::string>{kExecutive, rule}) != flags.end());
  // A GP member is not conflicted by an item for another sector.
  CHECK(std::none_of(flags.begin(), flags.end(), [](const auto& f) { return f.first == kGp; }));
  // The pharmacist, who works in a pharmacy, is conflicted on the pharmacy item only.
  const bool pharmacist = std::any_of(flags.begin(), flags.end(), [](const auto& f) { return f.first == kPharmacist; });
  CHECK(pharmacist == (category == AgendaCategory::pharmacy_service));
}

TEST_CASE("a pharmacy item's reason says who works where and what the item affects") {
  auto out = flag_conflicts(sector_input({all_item(1, AgendaCategory::pharmacy_service)}, {}));
  REQUIRE(out.at(0).flags.size() == 1);
  CHECK(out.at(0).flags[0].reason == "Mr Raj Pharm works in High Street Pharmacy, and item \"Item 1\" affects all community pharmacies.");
  CHECK(out.at(0).flags[0].suggested_action.rfind("Leave the room", 0) == 0);
}

TEST_CASE("a declaration made at the meeting reaches the chair as a possible conflict") {
  auto in = sector_input({all_item(1, AgendaCategory::other), all_item(2, AgendaCategory::other)}, {});
  in.items[0].affects_all_gp_practices = false;
  in.items[1].affects_all_gp_practices = false;
  MeetingDeclaration d;
  d.meeting_id = 9;
  d.agenda_item_id = 1;
  d.person_id = kExecutive;
  d.text = "My brother is a director of the bidder";
  in.declarations = {d, d};  // declared twice: still one flag
  auto out = flag_conflicts(in);
  REQUIRE(out.at(0).flags.size() == 1);
  const auto& f = out.at(0).flags[0];
  CHECK(f.person_id == kExecutive);
  CHECK(f.rule == ConflictRule::declared_at_meeting);
  CHECK(f.confidence == Confidence::possible);
  CHECK(f.reason == "Mr Sam Exec declared at the meeting: \"My brother is a director of the bidder\" on item \"Item 1\".");
  CHECK(out.at(1).flags.empty());  // for item 1 only
}

TEST_CASE("a declaration at the meeting adds nothing for someone the register already flags") {
  auto in = sector_input({all_item(1, AgendaCategory::local_incentive_scheme)}, {});
  MeetingDeclaration d;
  d.agenda_item_id = 1;
  d.person_id = kGp;
  d.text = "Partner at Hill Surgery";
  in.declarations = {d};
  auto out = flag_conflicts(in);
  const auto flags = who_and_rule(out.at(0));
  CHECK(flags == std::vector<std::pair<Id, std::string>>{{kGp, "all_gp_practices"}});
}
