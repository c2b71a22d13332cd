// A member's actions on their own declarations (model/register/declaration_actions.hpp): checks first,
// inside the write; nothing written when anything is wrong; another person's record is missing.
#include <catch2/catch.hpp>

#include "model/store/audit_log.hpp"
#include "model/register/declaration_actions.hpp"
#include "model/register/gift_approval.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

struct Members {
  testing::TestDb db;
  Id asha = 0;
  Id ben = 0;
  Members() {
    WriteTransaction tx(*db);
    for (const char* name : {"Dr Asha Patel", "Dr Ben Okafor"}) {
      Person p;
      p.name = name;
      p.kind = PersonKind::gp;
      PersonStore(*db).save(p, "test");
      (asha ? ben : asha) = p.id;
    }
    tx.commit();
  }
};

Fields interest(const std::string& nature, const std::string& organisation = "Riverside Surgery") {
  return {{"category", "financial"}, {"organisation_name", organisation}, {"nature", nature}, {"from", "2024-04-01"}};
}

Fields gift(const std::string& value, const std::string& outcome = "accepted") {
  return {{"kind", "gift"},         {"source", "Acme Pharma"}, {"from_supplier", "no"}, {"cash_or_voucher", "no"},
          {"description", "A hamper"}, {"value", value},         {"offered_on", "2025-04-01"}, {"outcome", outcome}};
}
}  // namespace

TEST_CASE("declare_interest: submitted, declared today, the organisation matched by name or added") {
  Members m;
  auto first = declare_interest(*m.db, m.asha, interest("Partner"), d("2025-04-10"), "member");
  REQUIRE(first.saved);
  CHECK(first.problems.empty());
  CHECK(first.saved->person_id == m.asha);
  CHECK(first.saved->declared_on == d("2025-04-10"));
  CHECK(first.saved->status == DeclarationStatus::submitted);
  REQUIRE(first.saved->organisation_id);
  auto second = declare_interest(*m.db, m.ben, interest("Salaried GP", "riverside surgery"), d("2025-04-10"), "member");
  REQUIRE(second.saved);
  CHECK(second.saved->organisation_id == first.saved->organisation_id);  // the same organisation, ignoring case
  CHECK(OrganisationStore(*m.db).all().size() == 1);

  auto bad = declare_interest(*m.db, m.asha, interest(""), d("2025-04-10"), "member");
  CHECK_FALSE(bad.saved);
  CHECK(bad.problems.message("nature") == "Enter the nature of the interest");
  CHECK(InterestStore(*m.db).for_person(m.asha).size() == 1);
  CHECK(verify_audit_chain(*m.db).ok);
}

TEST_CASE("change_interest and end_interest: new versions of the member's own interest only") {
  Members m;
  const Id id = declare_interest(*m.db, m.asha, interest("Partner"), d("2025-04-10"), "member").saved->id;
  InterestStore store(*m.db);

  CHECK_FALSE(change_interest(*m.db, m.ben, id, interest("Taken over"), false, "ben"));  // not Ben's: as if missing
  CHECK_FALSE(change_interest(*m.db, m.asha, 999, interest("x"), false, "member"));
  auto bad = change_interest(*m.db, m.asha, id, interest(""), false, "member");
  REQUIRE(bad);
  CHECK(bad->problems.has("nature"));
  CHECK(store.current_version(id) == 1);

  {  // governance approves it; with review on, the member's change goes back for review
    WriteTransaction tx(*m.db);
    auto i = *store.find(id);
    i.status = DeclarationStatus::approved;
    store.save(i, "governance");
    tx.commit();
  }
  auto changed = change_interest(*m.db, m.asha, id, interest("Partner (GMS contract holder)"), true, "member");
  REQUIRE(changed);
  REQUIRE(changed->saved);
  CHECK(changed->saved->nature == "Partner (GMS contract holder)");
  CHECK(changed->saved->status == DeclarationStatus::submitted);
  CHECK(changed->saved->declared_on == d("2025-04-10"));
  CHECK(store.current_version(id) == 3);

  CHECK_FALSE(end_interest(*m.db, m.ben, id, Fields{{"to", "2025-03-31"}}, "ben"));
  auto early = end_interest(*m.db, m.asha, id, Fields{{"to", "2024-03-31"}}, "member");
  REQUIRE(early);
  CHECK(early->problems.has("to"));
  auto ended = end_interest(*m.db, m.asha, id, Fields{{"to", "2025-03-31"}}, "member");
  REQUIRE(ended);
  REQUIRE(ended->saved);
  CHECK(store.find(id)->to == d("2025-03-31"));
  CHECK(store.current_version(id) == 4);
}

TEST_CASE("make_nil_return and change_nil_return: made_on stays, a returned one goes back for review") {
  Members m;
  auto made = make_nil_return(*m.db, m.asha, Fields{{"statement", "Nothing to declare"}, {"confirm", "yes"}}, d("2025-04-01"), "member");
  REQUIRE(made.saved);
  CHECK(made.saved->made_on == d("2025-04-01"));
  CHECK_FALSE(make_nil_return(*m.db, m.asha, Fields{{"statement", "x"}}, d("2025-04-01"), "member").saved);
  NilReturnStore store(*m.db);
  {
    WriteTransaction tx(*m.db);
    auto n = *store.find(made.saved->id);
    n.status = DeclarationStatus::returned;
    store.save(n, "governance");
    tx.commit();
  }
  CHECK_FALSE(change_nil_return(*m.db, m.ben, made.saved->id, Fields{{"statement", "y"}, {"confirm", "yes"}}, false, "ben"));
  auto changed = change_nil_return(*m.db, m.asha, made.saved->id, Fields{{"statement", "Nothing, as before"}, {"confirm", "yes"}}, false,
                                   "member");
  REQUIRE(changed);
  REQUIRE(changed->saved);
  CHECK(changed->saved->status == DeclarationStatus::submitted);
  CHECK(changed->saved->made_on == d("2025-04-01"));
  CHECK(store.for_person(m.asha).size() == 1);
}

TEST_CASE("gifts: checked against the member's other gifts; the outcome checked on declaring; editing leaves its own version out") {
  Members m;
  const GiftThresholds rules;
  auto check = check_gift(*m.db, m.asha, gift("30", ""), false, rules);
  REQUIRE(check.saved);
  CHECK(check.saved->classification.running_total_pence == 3000);
  CHECK(GiftStore(*m.db).for_person(m.asha).empty());  // a check writes nothing

  auto first = declare_gift(*m.db, m.asha, gift("30"), rules, d("2025-04-02"), "member");
  REQUIRE(first.saved);
  CHECK(first.saved->gift.declared_on == d("2025-04-02"));
  CHECK(first.saved->gift.status == DeclarationStatus::submitted);
  auto again = check_gift(*m.db, m.asha, gift("30"), true, rules);
  REQUIRE(again.saved);
  CHECK(again.saved->classification.running_total_pence == 6000);  // the first counts with this one
  CHECK(check_gift(*m.db, m.ben, gift("30"), true, rules).saved->classification.running_total_pence == 3000);  // not Ben's gifts

  // Editing the first gift: its earlier version is the same offer, not another one.
  const Gift mine = first.saved->gift;
  CHECK(check_gift(*m.db, m.asha, gift("40"), true, rules, &mine).saved->classification.running_total_pence == 4000);

  auto cash = gift("30");
  cash.set("cash_or_voucher", "yes");
  auto refused = declare_gift(*m.db, m.asha, cash, rules, d("2025-04-02"), "member");
  CHECK_FALSE(refused.saved);
  CHECK(refused.problems.message("outcome") == "This offer must be declined under the rules: record it as declined");
  CHECK(GiftStore(*m.db).for_person(m.asha).size() == 1);

  CHECK_FALSE(change_gift(*m.db, m.ben, mine.id, gift("40"), rules, false, "ben"));
  auto changed = change_gift(*m.db, m.asha, mine.id, gift("40", "declined"), rules, false, "member");
  REQUIRE(changed);
  REQUIRE(changed->saved);
  CHECK(changed->saved->gift.value_pence == 4000);
  CHECK(changed->saved->gift.outcome == GiftOutcome::declined);
  CHECK(changed->saved->gift.declared_on == d("2025-04-02"));
  CHECK(changed->saved->gift.ref == mine.ref);
  CHECK(GiftStore(*m.db).current_version(mine.id) == 2);
}

TEST_CASE("supplier hospitality: the member declares it awaiting approval; changing the offer after approval needs it again") {
  Members m;
  const GiftThresholds rules;
  auto lunch = gift("120");
  lunch.set("kind", "hospitality");
  lunch.set("from_supplier", "yes");
  auto declared = declare_gift(*m.db, m.asha, lunch, rules, d("2025-04-02"), "member");
  REQUIRE(declared.saved);  // over £75 from a supplier: accepted, awaiting governance's approval
  CHECK(declared.saved->classification.approval_required);
  const Id id = declared.saved->gift.id;
  CHECK(awaiting_approval(*GiftStore(*m.db).find(id), rules));
  auto approved = record_gift_approval(*m.db, id,
                                       Fields{{"approved_by", "Sarah Whitfield"}, {"approver_role", "Chief Finance Officer"},
                                              {"approval_reason", "Regional conference"}},
                                       d("2025-04-03"), rules, "governance");
  REQUIRE(approved);
  REQUIRE(approved->saved);
  CHECK_FALSE(awaiting_approval(*GiftStore(*m.db).find(id), rules));
  auto dearer = lunch;
  dearer.set("value", "220");
  REQUIRE(change_gift(*m.db, m.asha, id, dearer, rules, false, "member"));
  const Gift now = *GiftStore(*m.db).find(id);
  CHECK(awaiting_approval(now, rules));
  CHECK(now.approval_reason.empty());
  CHECK(GiftStore(*m.db).current_version(id) == 3);  // the approved version is kept in the history
}
