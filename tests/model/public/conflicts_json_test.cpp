// The conflicts check's JSON written straight to text (model/public/conflicts_json.hpp) must be
// byte for byte compact_json of the report's nlohmann value, which the brief page still uses:
// on the demo data set (three bodies, a joint committee, committees in common, co-opted
// members), and on a generated register with withheld and indirect entries, gifts, decisions,
// recorded outcomes, several bodies and names that need escaping or are not ASCII.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "model/bundle/bundle.hpp"
#include "model/bundle/demo.hpp"
#include "model/meetings/co_opted_members.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "model/meetings/item_outcomes.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/public/conflicts_json.hpp"
#include "model/public/json_text.hpp"
#include "model/register/bodies.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {

struct Compared {
  int reports = 0, flags = 0, decisions = 0, withheld = 0, outcomes = 0, co_opted = 0, in_common = 0, with_bodies = 0;
};

// Every meeting on record, for both audiences: the direct text against the nlohmann value's.
Compared compare_every_meeting(SQLite::Database& db) {
  Compared seen;
  for (const auto& m : MeetingStore(db).all())
    for (auto audience : {ReportAudience::governance, ReportAudience::committee}) {
      const auto report = build_conflicts_report(db, m.id, audience, {}, "NHS Test CCG");
      REQUIRE(report);
      INFO("meeting " << m.ref << (audience == ReportAudience::governance ? " (governance)" : " (committee)"));
      CHECK(conflicts_json_text(*report) == compact_json(nlohmann::json(*report)));
      ++seen.reports;
      for (const auto& item : report->items) {
        seen.flags += static_cast<int>(item.flags.size());
        seen.outcomes += item.outcome ? 1 : 0;
        for (const auto& f : item.flags) {
          seen.decisions += f.decision ? 1 : 0;
          seen.withheld += f.flag.withheld ? 1 : 0;
        }
      }
      seen.co_opted += static_cast<int>(report->co_opted.size());
      seen.in_common += report->in_common.empty() ? 0 : 1;
      seen.with_bodies += report->show_bodies ? 1 : 0;
    }
  return seen;
}

// A small deterministic generator (the same register on every platform).
struct Lcg {
  std::uint64_t state;
  std::size_t operator()(std::size_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>((state >> 33) % n);
  }
};

}  // namespace

TEST_CASE("the conflicts JSON written directly is compact_json of the report's value: the demo data") {
  testing::TestDb t;
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE(import_bundle(*t, demo_for(nlohmann::json::parse(text.str()), *Date::parse("2026-12-03")), "demo").ok);
  const auto seen = compare_every_meeting(*t);
  CHECK(seen.reports >= 10);
  CHECK(seen.flags > 0);
  CHECK(seen.co_opted > 0);
  CHECK(seen.in_common > 0);
  CHECK(seen.with_bodies > 0);
}

TEST_CASE("the conflicts JSON written directly is compact_json of the report's value: a generated register") {
  testing::TestDb t;
  Lcg rng{21};
  Body second;
  second.name = "Bwrdd Iechyd Prifysgol Betsi Cadwaladr \xe2\x80\x94 \"North\"";
  second.kind = BodyKind::icb;
  const Id second_body = create_body(*t, second, "test").saved.value().id;

  WriteTransaction tx(*t);
  const std::vector<std::string> words = {"Riverside", "Caf\xc3\xa9 Ll\xc5\xb7n", "Oakfield", "M\xc3\xb6ller & S\xc3\xb6hne",
                                          "Valley", "Quote \"Q\" Ltd", "Back\\slash", "Tab\there", "\xe6\x9d\xb1\xe4\xba\xac",
                                          "Willow", "Castle", "Harbour"};
  const std::vector<OrganisationKind> kinds = {OrganisationKind::gp_practice, OrganisationKind::federation,
                                               OrganisationKind::company, OrganisationKind::community_pharmacy,
                                               OrganisationKind::charity, OrganisationKind::primary_care_network};
  OrganisationStore orgs(*t);
  std::vector<Id> org_ids;
  for (std::size_t i = 0; i < 36; ++i) {
    Organisation o{0, "org-" + std::to_string(i), words[i % words.size()] + (i % 3 == 0 ? " Surgery" : " Healthcare Ltd") +
                                                     (i >= words.size() ? " " + std::to_string(i) : ""),
                   i % 4 == 0 ? "ID" + std::to_string(i) : "", kinds[rng(kinds.size())],
                   org_ids.size() > 2 && rng(3) == 0 ? std::optional<Id>(org_ids[rng(org_ids.size())]) : std::nullopt};
    orgs.save(o, "test");
    org_ids.push_back(o.id);
  }
  // Near duplicates of names on record, for the similar-name rule.
  Organisation typo{0, "org-typo", "Riversyde Surgery", "", OrganisationKind::gp_practice, std::nullopt};
  orgs.save(typo, "test");
  org_ids.push_back(typo.id);

  PersonStore people(*t);
  const std::vector<std::string> names = {"Si\xc3\xa2n Ll\xc5\xb7r", "Dr \"Doc\" Jones", "Zo\xc3\xab O'Neill", "Ms A\\B",
                                          "Mr \xe5\xb1\xb1\xe7\x94\xb0", "Ms Plain"};
  const std::vector<PersonKind> person_kinds = {PersonKind::gp, PersonKind::lay, PersonKind::executive, PersonKind::clinical,
                                                PersonKind::officer};
  std::vector<Id> person_ids;
  for (std::size_t i = 0; i < 24; ++i) {
    Person p{0, "p-" + std::to_string(i), names[i % names.size()] + " " + std::to_string(i), "", person_kinds[rng(person_kinds.size())],
             "", std::nullopt, std::nullopt};
    if (p.kind == PersonKind::gp) p.practice_id = org_ids[rng(org_ids.size())];
    p.body_id = i % 3 == 0 ? second_body : kDefaultBody;
    people.save(p, "test");
    person_ids.push_back(p.id);
  }

  QuorumRule rule;
  rule.min_voting = 4;
  rule.min_lay = 1;
  rule.min_executive = 1;
  rule.lay_chair = true;
  rule.min_voting_each_body = 1;
  Committee c{0, "c-gen", "Joint committee \xe2\x80\x94 generated", "", rule};
  c.body_ids = {kDefaultBody, second_body};
  CommitteeStore(*t).save(c, "test");
  MembershipStore memberships(*t);
  for (std::size_t i = 0; i < 18; ++i) {
    const CommitteeRole role = i == 0 ? CommitteeRole::chair : i == 1 ? CommitteeRole::vice_chair : i % 5 == 4 ? CommitteeRole::non_voting
                                                                                                              : CommitteeRole::voting;
    Membership m{0, "", c.id, person_ids[i], role, testing::day("2024-04-01"), std::nullopt};
    memberships.save(m, "test");
  }
  Meeting meeting{0, "m-gen", c.id, "Generated \"meeting\"", testing::day("2026-06-10"), "Ystafell \xe2\x80\x98Un\xe2\x80\x99",
                  MeetingStatus::planned, false, false, "09:30"};
  MeetingStore(*t).save(meeting, "test");
  AttendanceStore attendance(*t);
  for (std::size_t i = 18; i < 22; ++i) {
    Attendance a{0, "", meeting.id, person_ids[i], i == 21 ? AttendanceStatus::apologies : AttendanceStatus::expected};
    attendance.save(a, "test");
  }
  Attendance away{0, "", meeting.id, person_ids[5], AttendanceStatus::absent};
  attendance.save(away, "test");

  const std::vector<AgendaCategory> categories = {AgendaCategory::gp_contract, AgendaCategory::procurement,
                                                  AgendaCategory::local_incentive_scheme, AgendaCategory::pharmacy_service,
                                                  AgendaCategory::practice_merger, AgendaCategory::finance};
  AgendaItemStore items(*t);
  std::vector<Id> item_ids;
  for (int i = 0; i < 12; ++i) {
    AgendaItem item{0, "a-" + std::to_string(i), meeting.id, i + 1, "Item " + std::to_string(i) + ": " + words[rng(words.size())] + " review",
                    "", categories[rng(categories.size())], {}, rng(4) == 0};
    for (std::size_t k = rng(3) + 1; k > 0; --k) item.organisation_ids.push_back(org_ids[rng(org_ids.size())]);
    std::sort(item.organisation_ids.begin(), item.organisation_ids.end());
    item.organisation_ids.erase(std::unique(item.organisation_ids.begin(), item.organisation_ids.end()), item.organisation_ids.end());
    items.save(item, "test");
    item_ids.push_back(item.id);
  }

  InterestStore interests(*t);
  const std::vector<InterestCategory> categories_of_interest = {InterestCategory::financial, InterestCategory::non_financial_professional,
                                                                InterestCategory::non_financial_personal, InterestCategory::indirect};
  for (std::size_t i = 0; i < 120; ++i) {
    Interest in;
    in.person_id = person_ids[rng(person_ids.size())];
    in.organisation_id = org_ids[rng(org_ids.size())];
    in.category = categories_of_interest[rng(categories_of_interest.size())];
    in.indirect = rng(5) == 0;
    if (in.indirect || in.category == InterestCategory::indirect) in.relationship = rng(2) ? "spouse" : "br\xc3\xa2wd";
    in.nature = rng(4) == 0 ? "" : "Director \"non-exec\" \xe2\x80\x94 " + std::to_string(i);
    in.from = testing::day("2020-01-01");
    if (rng(8) == 0) in.to = testing::day("2025-01-01");
    in.declared_on = testing::day("2020-01-05");
    in.status = rng(10) == 0 ? DeclarationStatus::draft : rng(2) ? DeclarationStatus::approved : DeclarationStatus::submitted;
    in.withheld = rng(6) == 0;
    if (in.withheld) in.withheld_reason = "Risk of harm";
    interests.save(in, "test");
  }
  GiftStore gifts(*t);
  for (std::size_t i = 0; i < 20; ++i) {
    Gift g;
    g.person_id = person_ids[rng(person_ids.size())];
    g.kind = rng(2) ? GiftKind::gift : GiftKind::hospitality;
    g.organisation_id = org_ids[rng(org_ids.size())];
    g.description = "Dinner \xc3\xa0 la carte " + std::to_string(i);
    g.value_pence = static_cast<std::int64_t>(rng(20000));
    g.offered_on = testing::day("2026-02-01");
    g.declared_on = testing::day("2026-02-05");
    g.outcome = rng(3) == 0 ? GiftOutcome::declined : GiftOutcome::accepted;
    gifts.save(g, "test");
  }
  CoOptedMemberStore co_opted(*t);
  CoOptedMember whole{0, "", meeting.id, std::nullopt, person_ids[22], "NHS England \xe2\x80\x94 East", false};
  CoOptedMember for_item{0, "", meeting.id, item_ids[3], person_ids[23], "Caf\xc3\xa9 trust", false};
  co_opted.save(whole, "test");
  co_opted.save(for_item, "test");
  tx.commit();

  // Decisions on some of the flags, and outcomes recorded for some items.
  const auto before = build_conflicts_report(*t, meeting.id, ReportAudience::governance).value();
  {
    WriteTransaction record(*t);
    ConflictDecisionStore decisions(*t);
    const std::vector<ManagementAction> actions = {ManagementAction::participate, ManagementAction::no_vote, ManagementAction::leave_room,
                                                   ManagementAction::papers_withheld};
    int n = 0;
    for (const auto& item : before.items)
      for (const auto& f : item.flags)
        if (n++ % 3 == 0) {
          ConflictDecision d{0, "", meeting.id, item.item.id, f.flag.person_id, actions[rng(actions.size())],
                             "Decided \"so\" \xe2\x80\x94 " + std::to_string(n), "Siân Llŷr"};
          decisions.record(d, "chair");
        }
    ItemOutcomeStore outcomes(*t);
    ItemOutcome deferred{0, "", meeting.id, item_ids[0], "defer", "Siân Llŷr", "", ""};
    ItemOutcome input{0, "", meeting.id, item_ids[2], "", "", "Dr \"Ext\" Jones", "Ysbyty \xe2\x80\x94 trust"};
    outcomes.save(deferred, "test");
    outcomes.save(input, "test");
    record.commit();
  }

  const auto seen = compare_every_meeting(*t);
  CHECK(seen.reports == 2);
  CHECK(seen.flags > 20);
  CHECK(seen.decisions > 0);
  CHECK(seen.withheld > 0);
  CHECK(seen.outcomes == 4);
  CHECK(seen.with_bodies == 2);
}
