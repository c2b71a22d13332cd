// Who is published, kinds of interest and supplier hospitality on the public register, on the
// demo data set: a non-decision-maker's entries stay off every public view and still flag the
// agenda item they conflict with; the register filters by kind and a withheld entry's kind and
// details never show; a supplier's hospitality shows its approval over £75 only.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "model/bundle/bundle.hpp"
#include "model/bundle/demo.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "model/public/csv.hpp"
#include "model/public/public_register.hpp"
#include "model/public/register_json.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/gift_approval.hpp"
#include "model/register/governance_actions.hpp"
#include "support.hpp"

using namespace probity;

namespace {
const Date kinds_today = *Date::parse("2026-12-03");

struct KindsDemo {
  testing::TestDb t;
  nlohmann::json ids;
  KindsDemo() {
    std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
    std::stringstream text;
    text << in.rdbuf();
    auto imported = import_bundle(*t, demo_for(nlohmann::json::parse(text.str()), kinds_today), "demo");
    REQUIRE(imported.ok);
    ids = imported.ids;
  }
  Id id(const char* list, const char* ref) const { return ids.at(list).at(ref).get<Id>(); }
};
}  // namespace

TEST_CASE("a non-decision-maker's entries are on no public view, and still flag the agenda item") {
  KindsDemo demo;
  const Id osei = demo.id("people", "p-osei");
  const Id shares = demo.id("interests", "i-osei-acme");

  auto rows = public_register_rows(*demo.t, kinds_today, {});
  CHECK(std::none_of(rows.begin(), rows.end(), [&](const PublicRegisterRow& r) { return r.person.id == osei; }));
  CHECK(std::none_of(rows.begin(), rows.end(), [&](const PublicRegisterRow& r) { return r.entry.id == shares; }));
  CHECK_FALSE(testing::contains(register_csv(rows), "Kwame Osei"));
  CHECK_FALSE(public_person(*demo.t, osei, kinds_today));
  CHECK_FALSE(public_entry_history(*demo.t, shares, kinds_today));
  for (const auto& c : public_register_changes(*demo.t, kinds_today, 1000)) CHECK(c.person.id != osei);
  for (const auto& g : public_gifts(*demo.t, kinds_today, {})) CHECK(g.person.id != osei);
  auto pccc = public_committee(*demo.t, demo.id("committees", "c-pccc"), kinds_today);
  REQUIRE(pccc);
  for (const auto& r : pccc->register_rows) CHECK(r.person.id != osei);

  // The conflict check uses everyone's entries: his shares in the bidder flag the APMS award.
  auto report = build_conflicts_report(*demo.t, demo.id("meetings", "m-pccc-2026-12"), ReportAudience::governance);
  REQUIRE(report);
  bool flagged = false;
  for (const auto& item : report->items)
    for (const auto& f : item.flags)
      if (f.flag.person_id == osei && std::count(f.flag.interest_ids.begin(), f.flag.interest_ids.end(), shares)) flagged = true;
  CHECK(flagged);
}

TEST_CASE("the public register filters by kind of interest, and a withheld entry's kind and details never show") {
  KindsDemo demo;
  RegisterFilter f;
  f.interest_kind = InterestKind::clinical_private_practice;
  auto rows = public_register_rows(*demo.t, kinds_today, f);
  REQUIRE(rows.size() == 1);
  REQUIRE(rows[0].entry.detail);
  CHECK(rows[0].entry.detail->details.at("practice_name") == "Northbrook Spire Clinic");
  const nlohmann::json doc = rows[0];
  CHECK(doc.at("kind") == "clinical_private_practice");
  CHECK(doc.at("details").at("practice_hours") == "4 hours a week (Saturday mornings)");
  const std::string csv = register_csv(rows);
  CHECK(testing::contains(csv, "Clinical private practice"));
  CHECK(testing::contains(csv, "Name of the practice: Northbrook Spire Clinic"));

  auto parsed = parse_register_filter({{"kind", "shareholdings"}});
  CHECK(parsed.errors.empty());
  CHECK(parsed.filter.interest_kind == InterestKind::shareholdings);
  CHECK_FALSE(parse_register_filter({{"kind", "bribes"}}).errors.empty());

  // Withheld: the row stays, without kind or details, and a kind filter no longer finds it.
  const Id mcleod = demo.id("interests", "i-mcleod-private");
  REQUIRE(set_interest_withheld(*demo.t, mcleod, true, "Risk of harm", "governance"));
  CHECK(public_register_rows(*demo.t, kinds_today, f).empty());
  for (const auto& r : public_register_rows(*demo.t, kinds_today, {})) {
    if (r.entry.id != mcleod) continue;
    CHECK_FALSE(r.entry.detail);
    const nlohmann::json j = r;
    CHECK_FALSE(j.contains("details"));
    CHECK_FALSE(j.contains("kind"));
  }
  CHECK_FALSE(testing::contains(register_csv(public_register_rows(*demo.t, kinds_today, {})), "Spire"));
}

TEST_CASE("a supplier's hospitality shows awaiting approval until recorded; over £75 the approval is published") {
  KindsDemo demo;
  const Id awaiting = demo.id("gifts", "g-whitfield-medsupply");
  const Id approved = demo.id("gifts", "g-harding-medsupply");
  auto find = [&](Id id) {
    for (const auto& g : public_gifts(*demo.t, kinds_today, {}))
      if (g.id == id) return g;
    FAIL("gift not public");
    return PublicGift{};
  };
  CHECK(find(awaiting).awaiting_approval);
  CHECK(find(awaiting).approved_by.empty());
  const auto over = find(approved);
  CHECK_FALSE(over.awaiting_approval);
  CHECK(over.approved_by == "Sarah Whitfield");
  CHECK(over.approver_role == "Chief Finance Officer");
  CHECK_FALSE(over.approval_reason.empty());
  const nlohmann::json j = over;
  CHECK(j.at("approval").at("approved_by") == "Sarah Whitfield");
  CHECK(testing::contains(gifts_csv({over}), "Chief Finance Officer"));

  // Governance records the £30 lunch's approval: no longer awaiting, and under £75 not published.
  GiftThresholds t;
  Problems none;
  auto missing = record_gift_approval(*demo.t, awaiting, Fields{{"approved_by", "Helen Morris"}}, kinds_today, t, "governance");
  REQUIRE(missing);
  CHECK(missing->problems.has("approver_role"));
  CHECK(missing->problems.has("approval_reason"));
  CHECK(GiftStore(*demo.t).find(awaiting)->approved_on == std::nullopt);  // nothing written
  auto done = record_gift_approval(*demo.t, awaiting,
                                   Fields{{"approved_by", "Helen Morris"}, {"approver_role", "Director of Nursing"},
                                          {"approval_reason", "A working lunch at a demonstration"}},
                                   kinds_today, t, "governance");
  REQUIRE(done);
  REQUIRE(done->saved);
  CHECK(done->saved->approved_on == kinds_today);
  CHECK(GiftStore(*demo.t).current_version(awaiting) == 2);  // a new version: audited, the first kept
  const auto now = find(awaiting);
  CHECK_FALSE(now.awaiting_approval);
  CHECK(now.approved_by.empty());
  auto again = record_gift_approval(*demo.t, awaiting,
                                    Fields{{"approved_by", "X"}, {"approver_role", "Y"}, {"approval_reason", "Z"}}, kinds_today, t,
                                    "governance");
  REQUIRE(again);
  CHECK(again->problems.has("approval"));
  CHECK_FALSE(record_gift_approval(*demo.t, 999999, Fields{}, kinds_today, t, "governance"));
}
