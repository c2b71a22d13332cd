#include <catch2/catch.hpp>

#include "model/register/committee_store.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "model/register/declaration_store.hpp"
#include "model/meetings/meeting_close.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {

using probity::testing::day;

// A PCCC meeting on 2026-03-10 with three items:
//  1. an APMS contract with Acme, in which the lay chair holds a directorship;
//  2. a local incentive scheme affecting every practice (both GPs conflicted);
//  3. the merger of Riverside Surgery, Dr Patel's practice.
struct Demo {
  testing::TestDb t;
  Id acme = 0, federation = 0, riverside = 0, hillside = 0;
  Id chair = 0, vice = 0, exec = 0, asha = 0, ben = 0, healthwatch = 0, director = 0, apologies = 0, former = 0, outsider = 0;
  Id committee = 0, meeting = 0, item1 = 0, item2 = 0, item3 = 0;
  Id chair_interest = 0, gift = 0;

  Demo() {
    WriteTransaction tx(*t);
    OrganisationStore orgs(*t);
    Organisation a{0, "org-acme", "Acme Healthcare Ltd", "01234567", OrganisationKind::company, std::nullopt};
    Organisation f{0, "org-fed", "Northern Federation", "", OrganisationKind::federation, std::nullopt};
    orgs.save(a, "test");
    orgs.save(f, "test");
    Organisation r{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, f.id};
    Organisation h{0, "org-hillside", "Hillside Surgery", "Y05678", OrganisationKind::gp_practice, f.id};
    orgs.save(r, "test");
    orgs.save(h, "test");
    acme = a.id, federation = f.id, riverside = r.id, hillside = h.id;

    PersonStore people(*t);
    auto person = [&](const char* ref, const char* name, PersonKind kind, std::optional<Id> practice = std::nullopt) {
      Person p{0, ref, name, "", kind, "", practice, std::nullopt};
      people.save(p, "test");
      return p.id;
    };
    chair = person("p-chair", "Ms Lee Lay", PersonKind::lay);
    vice = person("p-vice", "Mr Vic Vice", PersonKind::lay);
    exec = person("p-exec", "Mr Sam Exec", PersonKind::executive);
    asha = person("p-asha", "Dr Asha Patel", PersonKind::gp, riverside);
    ben = person("p-ben", "Dr Ben Okafor", PersonKind::gp, hillside);
    healthwatch = person("p-hw", "Ms Hana Watch", PersonKind::attendee);
    director = person("p-dir", "Ms Nia Director", PersonKind::executive);
    apologies = person("p-apol", "Dr Cara Ward", PersonKind::clinical);
    former = person("p-former", "Mr Old Member", PersonKind::lay);
    outsider = person("p-out", "Mr Not Here", PersonKind::executive);

    QuorumRule rule;
    rule.min_voting = 3;
    rule.min_lay = 1;
    rule.min_executive = 1;
    rule.min_clinical = 1;
    rule.lay_chair = true;
    Committee c{0, "pccc", "Primary Care Commissioning Committee", "", rule};
    CommitteeStore(*t).save(c, "test");
    committee = c.id;
    MembershipStore memberships(*t);
    auto member = [&](Id p, CommitteeRole role, const char* from, std::optional<Date> to = std::nullopt) {
      Membership m{0, "", committee, p, role, day(from), to};
      memberships.save(m, "test");
    };
    member(chair, CommitteeRole::chair, "2024-04-01");
    member(vice, CommitteeRole::vice_chair, "2024-04-01");
    member(exec, CommitteeRole::voting, "2024-04-01");
    member(asha, CommitteeRole::voting, "2024-04-01");
    member(ben, CommitteeRole::voting, "2024-04-01");
    member(director, CommitteeRole::non_voting, "2024-04-01");
    member(apologies, CommitteeRole::voting, "2024-04-01");
    member(former, CommitteeRole::voting, "2023-04-01", day("2025-03-31"));

    Meeting m{0, "pccc-2026-03", committee, "PCCC March 2026", day("2026-03-10"), "Room 1", MeetingStatus::planned, false, false, ""};
    MeetingStore(*t).save(m, "test");
    meeting = m.id;
    AttendanceStore attendance(*t);
    Attendance hw{0, "", meeting, healthwatch, AttendanceStatus::expected};
    Attendance ap{0, "", meeting, apologies, AttendanceStatus::apologies};
    attendance.save(hw, "test");
    attendance.save(ap, "test");

    AgendaItemStore items(*t);
    AgendaItem i1{0, "item-apms", meeting, 1, "APMS contract award", "", AgendaCategory::gp_contract, {acme}, false};
    AgendaItem i2{0, "item-lis", meeting, 2, "Local incentive scheme 2026/27", "", AgendaCategory::local_incentive_scheme, {}, true};
    AgendaItem i3{0, "item-merger", meeting, 3, "Practice merger", "", AgendaCategory::practice_merger, {riverside}, false};
    items.save(i1, "test");
    items.save(i2, "test");
    items.save(i3, "test");
    item1 = i1.id, item2 = i2.id, item3 = i3.id;

    InterestStore interests(*t);
    auto interest = [&](Id p, Id org, DeclarationStatus status) {
      Interest i;
      i.person_id = p;
      i.organisation_id = org;
      i.nature = "Director";
      i.from = day("2024-01-01");
      i.declared_on = day("2024-01-05");
      i.status = status;
      interests.save(i, "test");
      return i.id;
    };
    chair_interest = interest(chair, acme, DeclarationStatus::approved);
    interest(exec, acme, DeclarationStatus::draft);          // drafts never flag
    interest(apologies, acme, DeclarationStatus::approved);  // sent apologies: not flagged
    interest(former, acme, DeclarationStatus::approved);     // no longer a member
    interest(outsider, acme, DeclarationStatus::approved);   // not at the meeting

    Gift g;
    g.person_id = exec;
    g.kind = GiftKind::hospitality;
    g.organisation_id = acme;
    g.description = "Dinner";
    g.value_pence = 6000;
    g.offered_on = day("2026-01-15");
    g.declared_on = day("2026-01-20");
    GiftStore(*t).save(g, "test");
    gift = g.id;
    tx.commit();
  }

  nlohmann::json report_json() { return nlohmann::json(build_conflicts_report(*t, meeting, ReportAudience::governance).value()); }
};

// Someone from outside the committee, added by the chair as an attendee, whose interest in the
// organisation a fourth item names is withheld from the public register.
struct WithheldDemo : Demo {
  Id hidden = 0, item4 = 0, withheld_interest = 0;
  WithheldDemo() {
    WriteTransaction tx(*t);
    Organisation h{0, "org-hidden", "Hidden Holdings Ltd", "SECRET-CO-42", OrganisationKind::company, std::nullopt};
    OrganisationStore(*t).save(h, "test");
    hidden = h.id;
    Attendance a{0, "", meeting, outsider, AttendanceStatus::expected};
    AttendanceStore(*t).save(a, "test");
    AgendaItem i4{0, "item-review", meeting, 4, "Contracts review", "", AgendaCategory::procurement, {hidden}, false};
    AgendaItemStore(*t).save(i4, "test");
    item4 = i4.id;
    Interest i;
    i.person_id = outsider;
    i.organisation_id = hidden;
    i.category = InterestCategory::financial;
    i.indirect = true;
    i.relationship = "SECRET-REL brother";
    i.nature = "SECRET-NATURE shareholding";
    i.from = day("2019-03-03");
    i.declared_on = day("2019-03-13");
    i.action_taken = "SECRET-ACTION";
    i.status = DeclarationStatus::approved;
    i.withheld = true;
    i.withheld_reason = "Risk of harm to a family member";
    InterestStore(*t).save(i, "governance");
    withheld_interest = i.id;
    tx.commit();
  }
  ConflictsReport report(ReportAudience audience) { return build_conflicts_report(*t, meeting, audience).value(); }
};

// Everything only the withheld entry holds.
const std::vector<std::string> kWithheld = {"Hidden Holdings", "SECRET", "brother", "2019-03"};

const ReportItem& report_item(const ConflictsReport& r, Id id) {
  for (const auto& item : r.items)
    if (item.item.id == id) return item;
  throw std::runtime_error("no such item in the report");
}

const nlohmann::json& item_json(const nlohmann::json& report, Id id) {
  for (const auto& item : report.at("items"))
    if (item.at("id") == id) return item;
  throw std::runtime_error("no such item in the report");
}

std::set<std::string> keys(const nlohmann::json& object) {
  std::set<std::string> out;
  for (const auto& [k, v] : object.items()) out.insert(k);
  return out;
}

}  // namespace

TEST_CASE("an unknown meeting has no report") {
  Demo d;
  CHECK_FALSE(build_conflicts_report(*d.t, d.meeting + 1000, ReportAudience::governance));
}

TEST_CASE("the report flags each item and checks its quorum after exclusions") {
  Demo d;
  auto report = build_conflicts_report(*d.t, d.meeting, ReportAudience::governance);
  REQUIRE(report);
  REQUIRE(report->items.size() == 3);

  std::vector<Id> participants;
  for (const auto& p : report->participants) participants.push_back(p.person.id);
  // Members in post and the attendee; not the one with apologies, the former member or the outsider.
  CHECK(participants == std::vector<Id>{d.chair, d.vice, d.exec, d.asha, d.ben, d.director, d.healthwatch});

  SECTION("item 1: the conflicted lay chair hands over to the lay vice-chair") {
    const auto& item = report->items[0];
    REQUIRE(item.flags.size() == 2);
    CHECK(item.flags[0].flag.person_id == d.chair);
    CHECK(item.flags[0].flag.rule == ConflictRule::organisation);
    CHECK(item.flags[0].flag.interest_ids == std::vector<Id>{d.chair_interest});
    CHECK(item.flags[1].flag.person_id == d.exec);
    CHECK(item.flags[1].flag.rule == ConflictRule::gift_or_hospitality);
    CHECK(item.flags[1].flag.gift_ids == std::vector<Id>{d.gift});
    CHECK(item.excluded == std::set<Id>{d.chair});  // a possible flag does not exclude by default
    CHECK(item.quorum.quorate);
    CHECK(item.quorum.eligible_voting == 4);
    REQUIRE(item.quorum.presiding);
    CHECK(item.quorum.presiding->person_id == d.vice);
  }
  SECTION("item 2: every GP is out, so no clinical member is left and the item is inquorate") {
    const auto& item = report->items[1];
    REQUIRE(item.flags.size() == 2);
    CHECK(item.flags[0].flag.rule == ConflictRule::all_gp_practices);
    CHECK(item.excluded == std::set<Id>{d.asha, d.ben});
    CHECK_FALSE(item.quorum.quorate);
    CHECK(item.quorum.clinical == 0);
    REQUIRE(item.quorum.failures.size() == 1);
    CHECK(item.quorum.failures[0].rule == "min_clinical");
    CHECK(item.quorum.remedies.size() == 4);
  }
  SECTION("item 3: Dr Patel's own practice") {
    const auto& item = report->items[2];
    REQUIRE(item.flags.size() == 1);
    CHECK(item.flags[0].flag.person_id == d.asha);
    CHECK(item.flags[0].flag.rule == ConflictRule::own_practice);
    CHECK(item.quorum.quorate);
  }
}

TEST_CASE("the chair's decisions and room movements update quorum and appear on the flags") {
  Demo d;
  {
    WriteTransaction tx(*d.t);
    ConflictDecisionStore decisions(*d.t);
    ConflictDecision ben{0, "", d.meeting, d.item2, d.ben, ManagementAction::participate,
                         "Scheme is area-wide; Dr Okafor gives clinical input and the committee accepts the risk", "Mr Vic Vice"};
    ConflictDecision exec{0, "", d.meeting, d.item1, d.exec, ManagementAction::no_vote, "Hospitality from the bidder", "Mr Vic Vice"};
    decisions.record(ben, "chair");
    decisions.record(exec, "chair");
    RoomMovement out{0, "", d.meeting, d.vice, d.item3, "11:05", std::string("11:20")};
    RoomMovementStore(*d.t).record(out, "clerk");
    tx.commit();
  }
  auto report = build_conflicts_report(*d.t, d.meeting, ReportAudience::governance).value();

  const auto& lis = report.items[1];
  CHECK(lis.excluded == std::set<Id>{d.asha});
  CHECK(lis.quorum.quorate);
  CHECK(lis.quorum.clinical == 1);
  REQUIRE(lis.flags.size() == 2);
  CHECK_FALSE(lis.flags[0].decision);  // Dr Patel: no decision recorded
  REQUIRE(lis.flags[1].decision);
  CHECK(lis.flags[1].decision->action == ManagementAction::participate);

  const auto& apms = report.items[0];
  CHECK(apms.excluded == std::set<Id>{d.chair, d.exec});
  CHECK_FALSE(apms.quorum.quorate);  // no executive left
  CHECK(apms.quorum.failures.at(0).rule == "min_executive");

  // The vice-chair left the room for item 3: the chair presides and the vice-chair is not counted.
  const auto& merger = report.items[2];
  CHECK(merger.excluded == std::set<Id>{d.asha, d.vice});
  CHECK(merger.quorum.eligible_voting == 3);
  CHECK(merger.quorum.presiding->person_id == d.chair);
}

TEST_CASE("the JSON has exactly the shape of GET /api/v1/meetings/{id}/conflicts") {
  Demo d;
  {
    WriteTransaction tx(*d.t);
    ConflictDecision decision{0, "", d.meeting, d.item1, d.chair, ManagementAction::leave_room, "Director of the bidder", "Mr Vic Vice"};
    ConflictDecisionStore(*d.t).record(decision, "chair");
    tx.commit();
  }
  auto j = d.report_json();
  CHECK(keys(j) == std::set<std::string>{"meeting", "items"});
  CHECK(j.at("meeting").at("id") == d.meeting);
  CHECK(j.at("meeting").at("date") == "2026-03-10");
  CHECK(j.at("meeting").at("committee").at("name") == "Primary Care Commissioning Committee");
  CHECK(j.at("meeting").at("participants").size() == 7);
  REQUIRE(j.at("items").size() == 3);

  const auto& item = item_json(j, d.item1);
  CHECK(keys(item) == std::set<std::string>{"id", "ref", "title", "flags", "quorum", "co_opted", "outcome"});
  CHECK(item.at("co_opted") == nlohmann::json::array());
  CHECK(item.at("outcome").is_null());
  CHECK(j.at("meeting").at("co_opted") == nlohmann::json::array());
  CHECK(item.at("ref") == "item-apms");
  CHECK(item.at("title") == "APMS contract award");

  const auto& flag = item.at("flags").at(0);
  CHECK(keys(flag) == std::set<std::string>{"person", "rule", "confidence", "indirect", "withheld", "reason", "interest_ids",
                                            "gift_ids", "suggested_action", "decision"});
  CHECK(flag.at("person") == nlohmann::json{{"id", d.chair}, {"ref", "p-chair"}, {"name", "Ms Lee Lay"}});
  CHECK(flag.at("rule") == "organisation");
  CHECK(flag.at("confidence") == "certain");
  CHECK(flag.at("indirect") == false);
  CHECK(flag.at("withheld") == false);
  CHECK(flag.at("reason") ==
        "Ms Lee Lay has a financial interest in Acme Healthcare Ltd (Director), which is linked to item \"APMS contract award\".");
  CHECK(flag.at("interest_ids") == nlohmann::json::array({d.chair_interest}));
  CHECK(flag.at("gift_ids") == nlohmann::json::array());
  CHECK(flag.at("decision") ==
        nlohmann::json{{"action", "leave_room"}, {"reason", "Director of the bidder"}, {"decided_by", "Mr Vic Vice"}});
  CHECK(item.at("flags").at(1).at("decision").is_null());
  CHECK(item.at("flags").at(1).at("gift_ids") == nlohmann::json::array({d.gift}));

  const auto& quorum = item.at("quorum");
  CHECK(keys(quorum) == std::set<std::string>{"quorate", "eligible_voting", "lay", "executive", "clinical", "co_opted",
                                              "presiding", "failures", "remedies"});
  CHECK(quorum.at("co_opted") == 0);
  CHECK(quorum.at("quorate") == true);
  CHECK(quorum.at("eligible_voting") == 4);
  CHECK(quorum.at("lay") == 1);
  CHECK(quorum.at("executive") == 1);
  CHECK(quorum.at("clinical") == 2);
  CHECK(quorum.at("presiding").at("person").at("id") == d.vice);
  CHECK(quorum.at("presiding").at("role") == "vice_chair");
  CHECK(quorum.at("presiding").at("note") ==
        "The chair, Ms Lee Lay, is excluded from this item, so the lay vice-chair, Mr Vic Vice, presides.");
  CHECK(quorum.at("failures") == nlohmann::json::array());
  CHECK(quorum.at("remedies") == nlohmann::json::array());

  const auto& inquorate = item_json(j, d.item2).at("quorum");
  CHECK(inquorate.at("quorate") == false);
  CHECK(inquorate.at("failures").at(0) ==
        nlohmann::json{{"rule", "min_clinical"},
                       {"reason", "0 eligible clinical members (GP or other clinician) are present; the quorum needs at least 1."}});
  CHECK(inquorate.at("remedies").at(0).at("code") == "defer");
}

TEST_CASE("the report's lookups use indexes, not scans of the register") {
  testing::TestDb t;
  for (const char* where : {"interest_current WHERE person_id IN (1, 2, 3)", "gift_current WHERE person_id IN (1, 2)",
                            "organisation_current WHERE parent_id IN (1, 2)", "organisation_current WHERE id IN (1, 2)",
                            "person_current WHERE id IN (1, 2)", "conflict_decision_current WHERE meeting_id = 1",
                            "room_movement_current WHERE meeting_id = 1", "membership_current WHERE committee_id = 1",
                            "co_opted_member_current WHERE meeting_id = 1", "item_outcome_current WHERE meeting_id = 1",
                            "meeting_declaration_current WHERE meeting_id = 1"}) {
    CAPTURE(where);
    SQLite::Statement plan(*t, std::string("EXPLAIN QUERY PLAN SELECT id FROM ") + where);
    std::string steps;
    while (plan.executeStep()) steps += plan.getColumn(3).getString() + "\n";
    CHECK(steps.find("SCAN") == std::string::npos);
    CHECK(steps.find("SUBQUERY") == std::string::npos);  // the current version is the identity row's
  }
}

TEST_CASE("a withheld interest still flags, but only the governance team reads its details") {
  WithheldDemo d;
  const auto governance = d.report(ReportAudience::governance);
  const auto& full = report_item(governance, d.item4);
  REQUIRE(full.flags.size() == 1);
  const auto& detailed = full.flags[0].flag;
  CHECK(detailed.person_id == d.outsider);
  CHECK(detailed.withheld);
  CHECK(detailed.rule == ConflictRule::indirect);
  CHECK(detailed.interest_ids == std::vector<Id>{d.withheld_interest});
  CHECK_THAT(detailed.reason, Catch::Contains("Hidden Holdings Ltd") && Catch::Contains("SECRET-NATURE shareholding"));

  const auto committee = d.report(ReportAudience::committee);
  const auto& redacted_item = report_item(committee, d.item4);
  REQUIRE(redacted_item.flags.size() == 1);
  const auto& redacted = redacted_item.flags[0].flag;
  CHECK(redacted.person_id == d.outsider);  // flagged all the same: the chair must know
  CHECK(redacted.withheld);
  CHECK(redacted.rule == ConflictRule::withheld);
  CHECK(redacted.confidence == Confidence::certain);
  CHECK_FALSE(redacted.indirect);
  CHECK(redacted.interest_ids.empty());
  CHECK(redacted.suggested_action == detailed.suggested_action);
  CHECK_THAT(redacted.suggested_action, Catch::StartsWith("Leave the room for this item"));
  CHECK(redacted.reason ==
        "Mr Not Here has an interest that is withheld from the public register and conflicts with item \"Contracts review\". "
        "Only the governance team can see its details.");
  // Who is excluded and the quorum come from the full flags, whoever reads them.
  CHECK(redacted_item.excluded == full.excluded);
  CHECK(redacted_item.excluded.contains(d.outsider));
  CHECK(nlohmann::json(committee).at("items") != nlohmann::json(governance).at("items"));
  for (std::size_t i = 0; i < committee.items.size(); ++i)
    CHECK(nlohmann::json(committee).at("items").at(i).at("quorum") == nlohmann::json(governance).at("items").at(i).at("quorum"));

  const std::string text = nlohmann::json(committee).dump();
  for (const auto& secret : kWithheld) {
    CAPTURE(secret);
    CHECK(text.find(secret) == std::string::npos);
  }
  const auto flag = item_json(nlohmann::json(committee), d.item4).at("flags").at(0);
  CHECK(flag.at("rule") == "withheld");
  CHECK(flag.at("withheld") == true);
  CHECK(flag.at("indirect").is_null());
  CHECK(flag.at("interest_ids") == nlohmann::json::array());
  CHECK(item_json(nlohmann::json(governance), d.item4).at("flags").at(0).at("withheld") == true);

  // The same person's published interest on another item keeps its details for the chair.
  bool published_flag = false;
  for (const auto& rf : report_item(committee, d.item1).flags)
    if (rf.flag.person_id == d.outsider) {
      published_flag = true;
      CHECK_FALSE(rf.flag.withheld);
      CHECK(rf.flag.reason == "Mr Not Here has a financial interest in Acme Healthcare Ltd (Director), which is linked to item \"APMS contract award\".");
    }
  CHECK(published_flag);
}

TEST_CASE("withheld and published interests in one organisation make separate flags") {
  WithheldDemo d;
  {
    WriteTransaction tx(*d.t);
    Interest published;
    published.person_id = d.outsider;
    published.organisation_id = d.hidden;
    published.category = InterestCategory::financial;
    published.indirect = true;
    published.relationship = "sister";
    published.nature = "Published consultancy";
    published.from = day("2024-01-01");
    published.declared_on = day("2024-01-05");
    published.status = DeclarationStatus::approved;
    InterestStore(*d.t).save(published, "test");
    tx.commit();
  }
  const auto committee = d.report(ReportAudience::committee);
  const auto& flags = report_item(committee, d.item4).flags;
  REQUIRE(flags.size() == 2);
  int withheld = 0;
  for (const auto& rf : flags) {
    CAPTURE(rf.flag.reason);
    CHECK(rf.flag.reason.find("SECRET") == std::string::npos);
    if (rf.flag.withheld) {
      ++withheld;
      CHECK(rf.flag.rule == ConflictRule::withheld);
    } else {
      CHECK(rf.flag.rule == ConflictRule::indirect);
      CHECK_THAT(rf.flag.reason, Catch::Contains("Published consultancy"));
    }
  }
  CHECK(withheld == 1);
}

TEST_CASE("draft breaches keep a withheld entry's details for governance and leave them out of the chair's answer") {
  WithheldDemo d;
  auto for_outsider = [&](const std::vector<Breach>& breaches) {
    for (const auto& b : breaches)
      if (b.person_id == d.outsider && b.agenda_item_id == d.item4) return b;
    FAIL("no breach for the outsider on the review item");
    return Breach{};
  };
  {
    WriteTransaction tx(*d.t);
    const auto chair = for_outsider(open_draft_breaches(*d.t, d.meeting, "chair", ReportAudience::committee));
    CHECK(chair.reason ==
          "No declaration was recorded at the meeting, although: Mr Not Here has an interest that is withheld from the public "
          "register and conflicts with item \"Contracts review\". Only the governance team can see its details.");
    const auto governance = for_outsider(open_draft_breaches(*d.t, d.meeting, "governance", ReportAudience::governance));
    CHECK(governance.id == chair.id);  // opened once
    CHECK_THAT(governance.reason, Catch::Contains("Hidden Holdings Ltd") && Catch::Contains("SECRET-NATURE"));
    tx.commit();
  }
  // The breaches register (governance's) holds the full reason.
  CHECK_THAT(for_outsider(BreachStore(*d.t).for_meeting(d.meeting)).reason, Catch::Contains("Hidden Holdings Ltd"));
}

TEST_CASE("the flagger's loads read the versions tables through their indexes") {
  testing::TestDb t;
  // The statements build_conflicts_report runs for flagging (model/meetings/conflicts_report.cpp),
  // with two ids bound where it binds a batch: searches only, no sorter, and the current version
  // found by the identity row's current_version rather than a subquery for the largest version.
  for (const std::string& sql :
       {std::string("SELECT v.interest_id, v.person_id, v.category, v.indirect, v.relationship, v.organisation_id, v.nature, "
                    "v.date_from, v.date_to, v.status, v.withheld FROM interest_versions v JOIN interests e ON e.id = "
                    "v.interest_id AND e.current_version = v.version WHERE v.person_id IN (1, 2) AND v.organisation_id IS NOT NULL"),
        std::string("SELECT v.gift_id, v.person_id, v.kind, v.organisation_id, v.description, v.value_pence, v.offered_on, "
                    "v.outcome, v.status FROM gift_versions v JOIN gifts e ON e.id = v.gift_id AND e.current_version = v.version "
                    "WHERE v.person_id IN (1, 2) AND v.organisation_id IS NOT NULL"),
        std::string("SELECT v.organisation_id, v.name, v.identifier, v.kind, v.parent_id FROM organisations e JOIN "
                    "organisation_versions v ON v.organisation_id = e.id AND v.version = e.current_version WHERE e.id IN (1, 2)"),
        std::string("SELECT v.organisation_id, v.name, v.identifier, v.kind, v.parent_id FROM organisation_versions v JOIN "
                    "organisations e ON e.id = v.organisation_id AND e.current_version = v.version WHERE v.parent_id IN (1, 2)")}) {
    CAPTURE(sql);
    SQLite::Statement plan(*t, "EXPLAIN QUERY PLAN " + sql);
    std::string steps;
    while (plan.executeStep()) steps += plan.getColumn(3).getString() + "\n";
    CAPTURE(steps);
    CHECK(steps.find("SCAN") == std::string::npos);
    CHECK(steps.find("TEMP B-TREE") == std::string::npos);  // rows are put in order by the caller
    CHECK(steps.find("SUBQUERY") == std::string::npos);
  }
}

TEST_CASE("the similar-name rule compares names and titles as they are now, after a rename") {
  Demo d;
  Id lookalike = 0;
  {
    WriteTransaction tx(*d.t);
    OrganisationStore orgs(*d.t);
    Organisation linked{0, "org-bright", "Brightwater Diagnostics Ltd", "", OrganisationKind::company, std::nullopt};
    Organisation held{0, "org-bright2", "Brightwatter Diagnostics", "", OrganisationKind::company, std::nullopt};
    orgs.save(linked, "test");
    orgs.save(held, "test");
    lookalike = held.id;
    auto item = AgendaItemStore(*d.t).find(d.item1).value();
    item.organisation_ids.push_back(linked.id);
    AgendaItemStore(*d.t).save(item, "test");
    Interest i;
    i.person_id = d.vice;
    i.organisation_id = held.id;
    i.nature = "Shareholder";
    i.from = day("2024-01-01");
    i.declared_on = day("2024-01-05");
    i.status = DeclarationStatus::approved;
    InterestStore(*d.t).save(i, "test");
    tx.commit();
  }
  auto similar_on = [&](Id item_id) {
    std::vector<std::string> reasons;
    const auto report = d.report_json();  // kept: item_json returns a reference into it
    for (const auto& f : item_json(report, item_id).at("flags"))
      if (f.at("rule") == "similar_name") reasons.push_back(f.at("reason").get<std::string>());
    return reasons;
  };
  auto rename = [&](Id id, const char* name) {
    WriteTransaction tx(*d.t);
    auto o = OrganisationStore(*d.t).find(id).value();
    o.name = name;
    OrganisationStore(*d.t).save(o, "test");
    tx.commit();
  };
  auto retitle = [&](Id id, const char* title) {
    WriteTransaction tx(*d.t);
    auto item = AgendaItemStore(*d.t).find(id).value();
    item.title = title;
    AgendaItemStore(*d.t).save(item, "test");
    tx.commit();
  };

  // Twice: the second check reads the names prepared by the first.
  for (int check = 0; check < 2; ++check) {
    const auto reasons = similar_on(d.item1);
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0].find("Brightwatter Diagnostics") != std::string::npos);
    CHECK(reasons[0].find("closely resembles Brightwater Diagnostics Ltd") != std::string::npos);
  }
  rename(lookalike, "Stonebridge Diagnostics");
  CHECK(similar_on(d.item1).empty());
  rename(lookalike, "Brightwatter Diagnostics");
  CHECK(similar_on(d.item1).size() == 1);

  // An item's title: nothing resembles "Practice merger"; retitled to name the lookalike, it does.
  rename(lookalike, "Stonebridge Diagnostics");
  CHECK(similar_on(d.item3).empty());
  retitle(d.item3, "Practice merger with Stonebridge Diagnostics");
  const auto in_title = similar_on(d.item3);
  REQUIRE(in_title.size() == 1);
  CHECK(in_title[0].find("closely resembles the item title") != std::string::npos);
  retitle(d.item3, "Practice merger");
  CHECK(similar_on(d.item3).empty());
}
