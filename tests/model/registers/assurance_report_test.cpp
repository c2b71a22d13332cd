#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/register/year_store.hpp"
#include "model/registers/assurance_report.hpp"
#include "model/registers/procurement_register.hpp"
#include "support.hpp"

using namespace probity;
using probity::testing::d;

namespace {

// A year of a small register (the declaration year from 1 April 2026): three people in post and
// one who left before it began; a late declaration; a confirmation, a nil return and a person
// who did neither; a withheld entry; a meeting with a chair's decision and a breach; gifts in
// and out of the year.
struct AssuranceYear {
  testing::TestDb t;
  Id asha = 0, ben = 0, cara = 0, dan = 0;
  AssuranceYear() {
    WriteTransaction tx(*t);
    Committee c;
    c.name = "Primary Care Commissioning Committee";
    CommitteeStore(*t).save(c, "test");
    Organisation riverside;
    riverside.name = "Riverside Surgery";
    riverside.kind = OrganisationKind::gp_practice;
    OrganisationStore(*t).save(riverside, "test");
    PersonStore people(*t);
    auto person = [&](const char* name, PersonKind kind, std::optional<Date> left) {
      Person p;
      p.name = name;
      p.kind = kind;
      p.left_on = left;
      people.save(p, "test");
      Membership m;
      m.committee_id = c.id;
      m.person_id = p.id;
      m.from = d("2025-01-01");
      if (left) m.to = left;
      MembershipStore(*t).save(m, "test");
      return p.id;
    };
    asha = person("Dr Asha Patel", PersonKind::gp, std::nullopt);
    ben = person("Mr Ben Lay", PersonKind::lay, std::nullopt);
    cara = person("Ms Cara Exec", PersonKind::executive, std::nullopt);
    dan = person("Mr Dan Gone", PersonKind::officer, d("2026-01-10"));
    InterestStore interests(*t);
    auto interest = [&](Id who, const char* nature, Date from, std::optional<Date> to, Date declared, std::optional<Date> aware, bool withheld) {
      Interest i;
      i.person_id = who;
      i.category = InterestCategory::financial;
      i.organisation_id = riverside.id;
      i.nature = nature;
      i.from = from;
      i.to = to;
      i.declared_on = declared;
      i.aware_on = aware;
      i.withheld = withheld;
      if (withheld) i.withheld_reason = "Risk of harm";
      interests.save(i, "test");
    };
    interest(asha, "Partner", d("2020-01-01"), std::nullopt, d("2025-01-05"), std::nullopt, false);
    interest(asha, "Shareholder in the federation", d("2026-05-01"), std::nullopt, d("2026-07-01"), d("2026-05-01"), false);  // late
    interest(cara, "Director", d("2024-01-01"), std::nullopt, d("2025-01-02"), std::nullopt, true);
    interest(ben, "Trustee", d("2020-01-01"), d("2025-12-31"), d("2025-01-03"), std::nullopt, false);  // ended before the year
    Confirmation conf;
    conf.person_id = asha;
    conf.confirmed_on = d("2026-04-10");
    conf.year_start = d("2026-04-01");
    conf.entries = 1;
    ConfirmationStore(*t).save(conf, "test");
    NilReturn nil;
    nil.person_id = ben;
    nil.made_on = d("2026-04-20");
    nil.statement = "Nothing to declare";
    NilReturnStore(*t).save(nil, "test");

    Meeting m;
    m.committee_id = c.id;
    m.title = "PCCC June";
    m.date = d("2026-06-10");
    m.status = MeetingStatus::held;
    MeetingStore(*t).save(m, "test");
    AgendaItem item;
    item.meeting_id = m.id;
    item.position = 1;
    item.title = "Riverside Surgery extended hours";
    item.category = AgendaCategory::enhanced_service;
    AgendaItemStore(*t).save(item, "test");
    ConflictDecision decision;
    decision.meeting_id = m.id;
    decision.agenda_item_id = item.id;
    decision.person_id = asha;
    decision.action = ManagementAction::leave_room;
    decision.reason = "Partner of the practice";
    decision.decided_by = "Mr Ben Lay (chair)";
    ConflictDecisionStore(*t).record(decision, "test");
    draft_procurement_decisions(*t, m.id, "test");  // the enhanced service, a draft
    Breach breach;
    breach.person_id = cara;
    breach.meeting_id = m.id;
    breach.agenda_item_id = item.id;
    breach.reason = "Did not declare at the meeting";
    BreachStore(*t).record(breach, "test");
    Breach late;  // recorded by hand, not at a meeting
    late.kind = BreachKind::late_declaration;
    late.person_id = asha;
    late.happened_on = d("2026-07-01");
    late.reason = "Declared the federation shares 61 days after becoming aware";
    BreachStore(*t).record(late, "test");

    GiftStore gifts(*t);
    auto gift = [&](Id who, GiftKind kind, std::int64_t pence, Date offered, GiftOutcome outcome, bool supplier) {
      Gift g;
      g.person_id = who;
      g.kind = kind;
      g.source = "A supplier";
      g.from_supplier = supplier;
      g.description = "Dinner";
      g.value_pence = pence;
      g.offered_on = offered;
      g.outcome = outcome;
      g.declared_on = offered;
      gifts.save(g, "test");
    };
    gift(asha, GiftKind::hospitality, 4000, d("2026-05-01"), GiftOutcome::accepted, false);
    gift(ben, GiftKind::gift, 6000, d("2026-06-01"), GiftOutcome::declined, true);
    gift(ben, GiftKind::gift, 9000, d("2026-03-01"), GiftOutcome::accepted, false);  // the year before
    tx.commit();
  }
  AssuranceReport report(const std::string& as_of) {
    SQLite::Transaction snapshot(*t);
    return build_assurance_report(*t, d("2026-04-01"), as_of, YearRules{}, PublicationRules{});
  }
};

// The next whole second, so that what is written next is recorded after `instant`.
void wait_past(const std::string& instant) {
  while (utc_timestamp_now() <= instant) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace

TEST_CASE("the assurance report's figures for a fixed year", "[assurance]") {
  AssuranceYear y;
  const auto r = y.report(utc_timestamp_now());
  CHECK(r.year_end == d("2027-03-31"));
  CHECK(r.people_in_post == 3);  // Dan left before the year
  CHECK(r.confirmed == 2);       // Asha's confirmation and Ben's nil return
  CHECK(r.not_confirmed == 1);
  CHECK(r.not_confirmed_names == std::vector<std::string>{"Ms Cara Exec"});
  CHECK(r.late_declarations == 1);
  CHECK(r.nil_contradictions == 0);
  CHECK(r.breaches == 2);
  REQUIRE(r.breaches_by_kind.size() == 2);
  CHECK(r.breaches_by_kind[0].code == "late_declaration");
  CHECK(r.breaches_by_kind[0].label == "Interest not declared within 28 days");
  CHECK(r.breaches_by_kind[1].code == "undeclared_at_meeting");
  CHECK(r.breaches_by_kind[1].label == "Conflict not declared at a meeting");
  REQUIRE(r.breaches_by_outcome.size() == 1);
  CHECK(r.breaches_by_outcome[0].code == "open");
  CHECK(r.breaches_by_outcome[0].count == 2);
  CHECK(r.meetings_held == 1);
  CHECK(r.conflict_decisions == 1);
  REQUIRE(r.decisions_by_action.size() == 1);
  CHECK(r.decisions_by_action[0].code == "leave_room");
  CHECK(r.withheld_entries == 1);
  CHECK(r.people_with_withheld_entries == 1);
  CHECK(r.procurement_decisions == 1);
  CHECK(r.procurement_published == 0);
  CHECK(r.procurement_with_conflicts == 1);  // Asha left the room
  REQUIRE(r.procurement_conflicts_by_action.size() == 1);
  CHECK(r.procurement_conflicts_by_action[0].code == "leave_room");
  REQUIRE(r.gifts.size() == 2);  // the gift of March 2026 is the year before
  CHECK(r.gifts[0] == AssuranceGifts{"gift", "declined", 1, 6000, 1});
  CHECK(r.gifts[1] == AssuranceGifts{"hospitality", "accepted", 1, 4000, 0});
  // The extract: entries in force in the year, by surname; Ben's ended before it began; Cara's
  // is withheld and says nothing but that.
  REQUIRE(r.extract.size() == 3);
  CHECK(r.extract[0].name == "Ms Cara Exec");
  CHECK(r.extract[0].withheld);
  CHECK(r.extract[0].nature.empty());
  CHECK(r.extract[0].organisation.empty());
  CHECK(r.extract[1].name == "Dr Asha Patel");
  CHECK(r.extract[1].nature == "Partner");
  CHECK(r.extract[1].organisation == "Riverside Surgery");
  CHECK(r.extract[2].nature == "Shareholder in the federation");
}

TEST_CASE("the assurance report is the same for the same instant, whatever is recorded later", "[assurance]") {
  AssuranceYear y;
  const std::string then = utc_timestamp_now();
  const auto before = y.report(then);
  wait_past(then);
  {
    WriteTransaction tx(*y.t);
    Confirmation conf;
    conf.person_id = y.cara;
    conf.confirmed_on = d("2026-11-01");
    conf.year_start = d("2026-04-01");
    conf.entries = 1;
    ConfirmationStore(*y.t).save(conf, "test");
    auto cara = *PersonStore(*y.t).find(y.cara);
    cara.name = "Ms Cara Renamed";
    PersonStore(*y.t).save(cara, "test");
    tx.commit();
  }
  const auto again = y.report(then);
  CHECK(again.confirmed == before.confirmed);
  CHECK(again.not_confirmed_names == before.not_confirmed_names);
  CHECK(again.extract == before.extract);
  CHECK(again.extract[0].name == "Ms Cara Exec");  // the name as it was

  const std::string now = utc_timestamp_now();
  const auto later = y.report(now);
  CHECK(later.confirmed == 3);
  CHECK(later.not_confirmed == 0);
  CHECK(later.extract.back().name == "Ms Cara Renamed");  // now sorted after Patel
}

TEST_CASE("records written after the instant are not in the report, and the views are the present again afterwards", "[assurance]") {
  AssuranceYear y;
  const auto r = y.report("2026-01-01T00:00:00Z");  // before anything was recorded
  CHECK(r.people_in_post == 0);
  CHECK(r.extract.empty());
  CHECK(r.breaches == 0);
  CHECK(r.gifts.empty());
  SQLite::Statement q(*y.t, "SELECT COUNT(*) FROM person_current");
  q.executeStep();
  CHECK(q.getColumn(0).getInt() == 4);
}

TEST_CASE("an instant that is not ISO 8601 UTC is refused before anything is read", "[assurance]") {
  AssuranceYear y;
  CHECK_THROWS_AS(y.report("2027-03-31"), std::invalid_argument);
  CHECK_THROWS_AS(y.report("2027-03-31T23:59:59Z' OR 1=1"), std::invalid_argument);
  CHECK_THROWS_AS(y.report("2027-02-30T23:59:59Z"), std::invalid_argument);
}

TEST_CASE("the report's default instant is the end of the year, or now when that is to come", "[assurance]") {
  CHECK(default_as_of(d("2026-03-31"), "2026-12-03T10:00:00Z") == "2026-03-31T23:59:59Z");
  CHECK(default_as_of(d("2027-03-31"), "2026-12-03T10:00:00Z") == "2026-12-03T10:00:00Z");
}
