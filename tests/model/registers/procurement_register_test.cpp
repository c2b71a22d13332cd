// The register of procurement decisions (model/registers/procurement_register.hpp): a draft per
// procurement or contract item when the meeting is marked held, once; rows added by hand;
// governance's edits and publishing with their field problems; and the public's row, which never
// names an interest withheld from the register.
#include <catch2/catch.hpp>

#include <tuple>

#include "model/bundle/bundle.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/registers/procurement_register.hpp"
#include "model/store/audit_log.hpp"
#include "support.hpp"

using namespace probity;

namespace {

using probity::testing::contains;
using probity::testing::day;

// A PCCC meeting on 2026-03-10 with one item of every category; Mr Sam Exec holds a financial
// interest in Riverside Surgery that is withheld from the public register.
struct ProcurementRegisterFixture {
  testing::TestDb t;
  Id riverside = 0, committee = 0, meeting = 0, chair = 0, gp = 0, exec = 0, lay = 0, withheld_interest = 0;
  std::map<AgendaCategory, Id> items;
  MeetingActor as_chair{"chair", std::nullopt, false};

  ProcurementRegisterFixture() {
    WriteTransaction tx(*t);
    Organisation r{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
    OrganisationStore(*t).save(r, "test");
    riverside = r.id;
    for (auto [id, ref, name, kind] : {std::tuple<Id*, const char*, const char*, PersonKind>{&chair, "p-chair", "Ms Lee Lay", PersonKind::lay},
                                       {&gp, "p-gp", "Dr Asha Patel", PersonKind::gp},
                                       {&exec, "p-exec", "Mr Sam Exec", PersonKind::executive},
                                       {&lay, "p-lay", "Ms Ann Other", PersonKind::lay}}) {
      Person p{0, ref, name, "", kind, "", std::nullopt, std::nullopt};
      PersonStore(*t).save(p, "test");
      *id = p.id;
    }
    Committee c{0, "pccc", "Primary Care Commissioning Committee", "", {}};
    CommitteeStore(*t).save(c, "test");
    committee = c.id;
    for (auto [who, role] : {std::tuple{chair, CommitteeRole::chair}, {gp, CommitteeRole::voting}, {exec, CommitteeRole::voting},
                             {lay, CommitteeRole::voting}}) {
      Membership m{0, "", committee, who, role, day("2024-04-01"), std::nullopt};
      MembershipStore(*t).save(m, "test");
    }
    Meeting m{0, "m-1", committee, "PCCC", day("2026-03-10"), "Board Room", MeetingStatus::planned, false, false, ""};
    MeetingStore(*t).save(m, "test");
    meeting = m.id;
    int position = 0;
    for (auto category : {AgendaCategory::declarations, AgendaCategory::procurement, AgendaCategory::gp_contract,
                          AgendaCategory::enhanced_service, AgendaCategory::local_incentive_scheme, AgendaCategory::pharmacy_service,
                          AgendaCategory::dental_service, AgendaCategory::optometry_service, AgendaCategory::practice_merger,
                          AgendaCategory::finance, AgendaCategory::governance, AgendaCategory::other}) {
      AgendaItem i;
      i.meeting_id = meeting;
      i.position = ++position;
      i.title = "Item " + std::string(to_string(category));
      i.category = category;
      if (category == AgendaCategory::gp_contract) {
        i.title = "Riverside Surgery contract variation";
        i.organisation_ids = {riverside};
      }
      AgendaItemStore(*t).save(i, "test");
      items[category] = i.id;
    }
    Interest i;
    i.person_id = exec;
    i.organisation_id = riverside;
    i.nature = "Shareholder in the surgery's property company";
    i.from = day("2024-01-01");
    i.declared_on = day("2024-01-05");
    i.status = DeclarationStatus::approved;
    i.withheld = true;
    i.withheld_reason = "Personal safety";
    InterestStore(*t).save(i, "test");
    withheld_interest = i.id;
    tx.commit();
    as_chair.person_id = chair;
  }

  void publish_minutes() {
    WriteTransaction tx(*t);
    Meeting m = MeetingStore(*t).find(meeting).value();
    m.published = true;
    MeetingStore(*t).save(m, "test");
    tx.commit();
  }

  std::size_t row_count() {
    SQLite::Statement q(*t, "SELECT COUNT(*) FROM procurement_decisions");
    q.executeStep();
    return static_cast<std::size_t>(q.getColumn(0).getInt64());
  }
};

}  // namespace

TEST_CASE("procurement register: marking a meeting held drafts a row for each procurement or contract item, once") {
  ProcurementRegisterFixture f;
  auto held = mark_held_and_draft(*f.t, f.as_chair, f.meeting);
  REQUIRE(held.ok());
  ProcurementDecisionStore store(*f.t);
  for (auto [category, item] : f.items) {
    CAPTURE(to_string(category));
    auto row = store.for_item(item);
    CHECK(row.has_value() == is_procurement_category(category));
    if (!row) continue;
    CHECK(row->status == "draft");
    CHECK(row->meeting_id == f.meeting);
    CHECK(row->decided_on == day("2026-03-10"));
    CHECK(row->decided_by == "Primary Care Commissioning Committee");
    CHECK(row->route.empty());
  }
  CHECK(f.row_count() == 8);
  // Marking it held again, or drafting again, opens nothing more.
  REQUIRE(mark_held_and_draft(*f.t, f.as_chair, f.meeting).ok());
  {
    WriteTransaction tx(*f.t);
    CHECK(draft_procurement_decisions(*f.t, f.meeting, "test").empty());
    tx.commit();
  }
  CHECK(f.row_count() == 8);
  // Each draft is in the audit trail.
  SQLite::Statement audit(*f.t, "SELECT COUNT(*) FROM audit_log WHERE entity_kind = 'procurement_decision'");
  audit.executeStep();
  CHECK(audit.getColumn(0).getInt() == 8);
}

TEST_CASE("procurement register: a cancelled meeting is refused and drafts nothing") {
  ProcurementRegisterFixture f;
  {
    WriteTransaction tx(*f.t);
    Meeting m = MeetingStore(*f.t).find(f.meeting).value();
    m.status = MeetingStatus::cancelled;
    MeetingStore(*f.t).save(m, "test");
    tx.commit();
  }
  CHECK_THROWS_AS(mark_held_and_draft(*f.t, f.as_chair, f.meeting), MeetingRefused);
  CHECK(f.row_count() == 0);
}

TEST_CASE("procurement register: governance completes a draft, field by field, and publishes it once the minutes are") {
  ProcurementRegisterFixture f;
  REQUIRE(mark_held_and_draft(*f.t, f.as_chair, f.meeting).ok());
  const Id id = ProcurementDecisionStore(*f.t).for_item(f.items[AgendaCategory::gp_contract])->id;

  auto early = publish_procurement_decision(*f.t, id, "gov");
  REQUIRE(early);
  CHECK_FALSE(early->ok());
  CHECK(early->problems.message("route") == "Select the procurement route before publishing");
  CHECK(early->problems.message("provider") == "Enter the provider chosen before publishing");
  CHECK(contains(early->problems.message("meeting"), "Publish the meeting's minutes first"));

  auto wrong = edit_procurement_decision(*f.t, id, {{"route", "bribery"}, {"value", "lots"}, {"subject", ""}}, "gov");
  REQUIRE(wrong);
  CHECK(wrong->problems.message("route") == "Select the procurement route");
  CHECK(contains(wrong->problems.message("value"), "Enter the value in pounds"));
  CHECK(wrong->problems.message("subject") == "Enter what was bought: the contract or service");
  CHECK(ProcurementDecisionStore(*f.t).current_version(id) == 1);  // nothing written

  auto done = edit_procurement_decision(*f.t, id, {{"route", "contract_variation"}, {"value", "£1,250,000.50"}, {"provider", "Riverside Surgery"}}, "gov");
  REQUIRE(done);
  REQUIRE(done->ok());
  CHECK(done->saved->value_pence == 125000050);
  CHECK(ProcurementDecisionStore(*f.t).current_version(id) == 2);

  auto still = publish_procurement_decision(*f.t, id, "gov");
  CHECK(still->problems.list().size() == 1);  // only the minutes now
  f.publish_minutes();
  auto published = publish_procurement_decision(*f.t, id, "gov");
  REQUIRE(published->ok());
  CHECK(published->saved->status == "published");
  CHECK(ProcurementDecisionStore(*f.t).history(id).size() == 3);
  auto row = procurement_row(*f.t, id, ProcurementAudience::public_reader);
  CHECK(row->value_text == "£1,250,000.50");
  CHECK(row->route_label == "Contract variation or extension");
  CHECK(row->minutes_href == "/meetings/" + std::to_string(f.meeting) + "/minutes");
  CHECK(procurement_rows(*f.t, true, ProcurementAudience::public_reader).size() == 1);
  CHECK(procurement_rows(*f.t, false, ProcurementAudience::governance).size() == 8);
  CHECK_FALSE(edit_procurement_decision(*f.t, 999999, {}, "gov"));
  CHECK_FALSE(publish_procurement_decision(*f.t, 999999, "gov"));
}

TEST_CASE("procurement register: an interest withheld from the register never reaches the public row") {
  ProcurementRegisterFixture f;
  const Id item = f.items[AgendaCategory::gp_contract];
  {
    WriteTransaction tx(*f.t);
    MeetingDeclaration md{0, "", f.meeting, item, f.exec, "Shareholder in the surgery's property company", f.withheld_interest};
    MeetingDeclarationStore(*f.t).record(md, "chair");
    ConflictDecision cd{0, "", f.meeting, item, f.exec, ManagementAction::leave_room, "", "chair"};
    ConflictDecisionStore(*f.t).record(cd, "chair");
    tx.commit();
  }
  REQUIRE(mark_held_and_draft(*f.t, f.as_chair, f.meeting).ok());
  const Id id = ProcurementDecisionStore(*f.t).for_item(item)->id;

  auto reader = procurement_row(*f.t, id, ProcurementAudience::public_reader).value();
  REQUIRE(reader.conflicts.size() == 1);
  const auto& c = reader.conflicts.front();
  CHECK(c.person == "Mr Sam Exec");
  CHECK(c.withheld);
  CHECK(c.declared == std::vector<std::string>{"An interest that is withheld from the public register"});
  CHECK(c.managed == "Left the room for the discussion and the decision");
  // Nothing of the interest anywhere in the row, the JSON or the CSV.
  const std::string json_text = nlohmann::json(reader).dump();
  CHECK_FALSE(contains(json_text, "property company"));
  CHECK_FALSE(contains(procurement_csv({reader}), "property company"));
  // Mr Exec left the room, so he did not take part.
  CHECK(std::find(reader.participants.begin(), reader.participants.end(), "Mr Sam Exec") == reader.participants.end());
  CHECK(std::find(reader.participants.begin(), reader.participants.end(), "Ms Lee Lay") != reader.participants.end());

  // Governance reads what was declared.
  auto governance = procurement_row(*f.t, id, ProcurementAudience::governance).value();
  CHECK(governance.conflicts.front().declared.front() == "Shareholder in the surgery's property company");
}

TEST_CASE("procurement register: a certain conflict on a withheld interest with nothing declared is named only as withheld") {
  ProcurementRegisterFixture f;
  const Id item = f.items[AgendaCategory::gp_contract];
  REQUIRE(mark_held_and_draft(*f.t, f.as_chair, f.meeting).ok());
  auto reader = procurement_row(*f.t, ProcurementDecisionStore(*f.t).for_item(item)->id, ProcurementAudience::public_reader).value();
  REQUIRE(reader.conflicts.size() == 1);
  CHECK(reader.conflicts.front().declared == std::vector<std::string>{"An interest that is withheld from the public register"});
  CHECK(contains(reader.conflicts.front().managed, "excluded by default"));
  CHECK_FALSE(contains(nlohmann::json(reader).dump(), "property company"));
  REQUIRE(reader.quorate.has_value());
}

TEST_CASE("procurement register: a decision taken outside a meeting is added by hand") {
  ProcurementRegisterFixture f;
  auto missing = add_procurement_decision(*f.t, Fields{}, "gov");
  CHECK_FALSE(missing.ok());
  CHECK(missing.problems.list().front().field == "subject");
  CHECK(missing.problems.message("decided_by") ==
        "Enter who made the decision: the body or committee, or the post under delegated authority");
  CHECK(missing.problems.has("decided_on"));
  CHECK(f.row_count() == 0);

  auto added = add_procurement_decision(*f.t,
                                        {{"subject", "Wheelchair repairs"},
                                         {"route", "direct_award"},
                                         {"decided_by", "Chief Finance Officer under delegated authority"},
                                         {"decided_on", "2026-10-02"},
                                         {"value", "48750"},
                                         {"provider", "Mobility Repairs Ltd"},
                                         {"participants", "James Harding, Chief Finance Officer\n\nPriya Shah\n"},
                                         {"conflicts", "None declared."}},
                                        "gov");
  REQUIRE(added.ok());
  CHECK_FALSE(added.saved->meeting_id);
  auto row = procurement_row(*f.t, added.saved->id, ProcurementAudience::public_reader).value();
  CHECK(row.participants == std::vector<std::string>{"James Harding, Chief Finance Officer", "Priya Shah"});
  CHECK(row.conflicts_text == "None declared.");
  CHECK_FALSE(row.quorate);
  auto published = publish_procurement_decision(*f.t, added.saved->id, "gov");
  REQUIRE(published->ok());
  const auto csv = procurement_csv(procurement_rows(*f.t, true, ProcurementAudience::public_reader));
  CHECK(contains(csv, "Wheelchair repairs"));
  CHECK(contains(csv, "48750.00"));
}

TEST_CASE("procurement register: rows are append-only") {
  ProcurementRegisterFixture f;
  REQUIRE(add_procurement_decision(*f.t, {{"subject", "x"}, {"decided_by", "y"}, {"decided_on", "2026-01-01"}}, "gov").ok());
  CHECK_THROWS(f.t.db->exec("UPDATE procurement_decision_versions SET subject = 'z'"));
  CHECK_THROWS(f.t.db->exec("DELETE FROM procurement_decisions"));
}

TEST_CASE("procurement register: a bundle imports a held meeting's rows and the hand-added ones, and exports them again") {
  const auto bundle = nlohmann::json::parse(R"json({
    "format": "probity-bundle", "version": 1,
    "people": [{"ref": "p-1", "name": "Ms Lee Lay", "kind": "lay"}],
    "committees": [{"ref": "c-1", "name": "Governing Body", "members": [{"person": "p-1", "role": "chair", "from": "2024-04-01"}]}],
    "meetings": [{"ref": "m-1", "committee": "c-1", "title": "Governing Body", "date": "2026-09-17", "status": "held", "published": true,
                  "agenda": [{"ref": "a-1", "title": "Diagnostics contract extension", "category": "procurement"},
                             {"ref": "a-2", "title": "Urgent care strategy", "category": "other"}]}],
    "procurement_decisions": [
      {"item": "a-1", "route": "contract_variation", "value": "412000", "provider": "Dales Diagnostics Ltd", "status": "published"},
      {"ref": "proc-1", "subject": "Wheelchair repairs", "route": "direct_award", "decided_by": "Chief Finance Officer",
       "decided_on": "2026-10-02", "provider": "Mobility Repairs Ltd", "participants": "James Harding", "conflicts": "None declared.",
       "status": "published"}
    ]
  })json");
  testing::TestDb first;
  auto imported = import_bundle(*first, bundle, "test");
  INFO((imported.errors.empty() ? std::string() : imported.errors.front().text()));
  REQUIRE(imported.ok);
  const auto rows = procurement_rows(*first, true, ProcurementAudience::public_reader);
  REQUIRE(rows.size() == 2);
  const auto exported = export_bundle(*first);
  REQUIRE(exported.at("procurement_decisions").size() == 2);
  CHECK(exported.at("procurement_decisions").at(0).at("item") == "a-1");
  CHECK(exported.at("procurement_decisions").at(0).at("value") == "412000.00");
  CHECK(exported.at("procurement_decisions").at(1).at("ref") == "proc-1");
  testing::TestDb second;
  REQUIRE(import_bundle(*second, exported, "test").ok);
  CHECK(export_bundle(*second).at("procurement_decisions") == exported.at("procurement_decisions"));

  // A row for an item whose meeting drafted nothing is an error, and nothing is written.
  testing::TestDb third;
  auto wrong = bundle;
  wrong["meetings"][0]["status"] = "planned";
  auto refused = import_bundle(*third, wrong, "test");
  CHECK_FALSE(refused.ok);
  REQUIRE_FALSE(refused.errors.empty());
  CHECK(refused.errors.front().path == "procurement_decisions[0].item");
}

TEST_CASE("procurement register: a conflict resting on an entry not yet on the public register is not described to the public") {
  ProcurementRegisterFixture f;
  const Id item = f.items[AgendaCategory::gp_contract];
  {
    WriteTransaction tx(*f.t);
    Interest i;
    i.person_id = f.gp;
    i.organisation_id = f.riverside;
    i.nature = "Partner awaiting review";
    i.from = day("2024-01-01");
    i.declared_on = day("2024-01-05");
    i.status = DeclarationStatus::submitted;
    InterestStore(*f.t).save(i, "test");
    tx.commit();
  }
  REQUIRE(mark_held_and_draft(*f.t, f.as_chair, f.meeting).ok());
  const Id id = ProcurementDecisionStore(*f.t).for_item(item)->id;
  auto conflict_of = [&](const ProcurementRow& row, const std::string& person) {
    for (const auto& c : row.conflicts)
      if (c.person == person) return c;
    FAIL("no conflict for " + person);
    return ProcurementConflict{};
  };
  PublicationRules reviewed;
  reviewed.review_required = true;
  const auto hidden = procurement_row(*f.t, id, ProcurementAudience::public_reader, reviewed, day("2026-03-10")).value();
  CHECK(conflict_of(hidden, "Dr Asha Patel").declared ==
        std::vector<std::string>{"A conflict found on the register of interests, whose details are not published"});
  CHECK_FALSE(contains(nlohmann::json(hidden).dump(), "awaiting review"));
  // Where review is not required, a submitted entry is public, and so is the conflict's reason.
  const auto shown = procurement_row(*f.t, id, ProcurementAudience::public_reader, PublicationRules{}, day("2026-03-10")).value();
  CHECK(contains(conflict_of(shown, "Dr Asha Patel").declared.front(), "Riverside Surgery"));
}
