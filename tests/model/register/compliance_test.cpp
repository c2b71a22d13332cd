#include <catch2/catch.hpp>

#include "model/register/compliance.hpp"

using namespace probity;

namespace {
Date d(const char* iso) { return *Date::parse(iso); }
Interest interest(Id id, const char* from, const char* declared_on, DeclarationStatus status = DeclarationStatus::submitted) {
  Interest i;
  i.id = id;
  i.person_id = 1;
  i.nature = "Partner, Riverside Surgery";
  i.from = d(from);
  i.declared_on = d(declared_on);
  i.status = status;
  return i;
}
NilReturn nil(const char* made_on, DeclarationStatus status = DeclarationStatus::submitted) {
  NilReturn n;
  n.person_id = 1;
  n.made_on = d(made_on);
  n.status = status;
  return n;
}
}  // namespace

TEST_CASE("an interest is due 28 days after it starts") {
  CHECK(declaration_due_by(interest(1, "2025-01-31", "2025-01-31")).iso() == "2025-02-28");
  ComplianceRules quick;
  quick.declare_within_days = 14;
  CHECK(declaration_due_by(interest(1, "2025-01-31", "2025-01-31"), quick).iso() == "2025-02-14");
}

TEST_CASE("interests declared more than 28 days after they started are reported late, by how many days") {
  auto [declared_on, late_days] = GENERATE(table<std::string, int>({
      {"2025-03-01", -1},  // same day
      {"2025-03-29", -1},  // day 28: on time
      {"2025-03-30", 1},
      {"2025-04-28", 30},
  }));
  CAPTURE(declared_on);
  Interest i = interest(7, "2025-03-01", "2025-01-01");
  i.declared_on = *Date::parse(declared_on);
  auto s = compliance_on({i}, {}, d("2025-06-01"));
  if (late_days < 0) {
    CHECK(s.declared_late.empty());
  } else {
    REQUIRE(s.declared_late.size() == 1);
    CHECK(s.declared_late[0].interest_id == 7);
    CHECK(s.declared_late[0].due_by.iso() == "2025-03-29");
    CHECK(s.declared_late[0].days_overdue == late_days);
  }
  // A late declaration is a fact to report, not a current failure: the person has declared.
  CHECK(s.state == ComplianceState::declared);
}

TEST_CASE("the status on a date follows the annual rule and the 28-day rule") {
  const Interest on_register = interest(1, "2024-01-10", "2024-02-01");
  const Interest draft_started = interest(2, "2025-01-01", "2025-01-01", DeclarationStatus::draft);
  auto [on, interests, nils, state, days] = GENERATE_COPY(table<std::string, std::vector<Interest>, std::vector<NilReturn>, ComplianceState, int>({
      {"2024-06-01", {}, {}, ComplianceState::no_declaration, 0},
      {"2024-06-01", {on_register}, {}, ComplianceState::declared, 0},
      {"2025-02-01", {on_register}, {}, ComplianceState::declared, 0},     // exactly 12 months: still in time
      {"2025-02-02", {on_register}, {}, ComplianceState::overdue, 1},
      {"2025-03-03", {on_register}, {}, ComplianceState::overdue, 30},
      {"2025-03-03", {on_register}, {nil("2025-01-15")}, ComplianceState::nil_return, 0},
      {"2025-03-03", {on_register}, {nil("2023-12-01")}, ComplianceState::overdue, 30},
      {"2024-06-01", {}, {nil("2024-05-01")}, ComplianceState::nil_return, 0},
      {"2024-06-01", {}, {nil("2024-05-01", DeclarationStatus::draft)}, ComplianceState::no_declaration, 0},
      {"2024-06-01", {}, {nil("2024-07-01")}, ComplianceState::no_declaration, 0},  // made after the date
      // A recorded interest not yet submitted: due 28 days after it started.
      {"2025-01-29", {draft_started}, {}, ComplianceState::no_declaration, 0},
      {"2025-01-30", {draft_started}, {}, ComplianceState::overdue, 1},
      {"2025-01-30", {on_register, draft_started}, {nil("2025-01-02")}, ComplianceState::overdue, 1},
      // Both rules overdue: the larger delay is shown.
      {"2025-03-03", {on_register, draft_started}, {}, ComplianceState::overdue, 33},
  }));
  CAPTURE(on, interests.size(), nils.size());
  auto s = compliance_on(interests, nils, *Date::parse(on));
  CHECK(to_string(s.state) == to_string(state));
  CHECK(s.days_overdue == days);
}

TEST_CASE("the status says when the next return and each undeclared interest are due") {
  const Interest declared = interest(1, "2024-01-10", "2024-02-01");
  const Interest draft = interest(2, "2024-05-20", "2024-05-20", DeclarationStatus::draft);
  const Interest future_draft = interest(3, "2024-09-01", "2024-05-20", DeclarationStatus::draft);
  auto s = compliance_on({declared, draft, future_draft}, {nil("2023-06-01")}, d("2024-06-01"));
  CHECK(s.last_declared_on->iso() == "2024-02-01");
  CHECK(s.last_nil_return_on->iso() == "2023-06-01");
  CHECK(s.annual_due_by->iso() == "2025-02-01");
  CHECK(s.returned_in_period);
  REQUIRE(s.undeclared.size() == 1);  // the interest starting in September is not due yet
  CHECK(s.undeclared[0].interest_id == 2);
  CHECK(s.undeclared[0].due_by.iso() == "2024-06-17");
  CHECK(s.undeclared[0].days_overdue == 0);
  CHECK(s.state == ComplianceState::declared);
}

TEST_CASE("a returned declaration still counts as made on its date") {
  auto s = compliance_on({interest(1, "2024-01-10", "2024-02-01", DeclarationStatus::returned)}, {}, d("2024-06-01"));
  CHECK(s.state == ComplianceState::declared);
  CHECK(s.undeclared.empty());
}

TEST_CASE("the annual period is configurable") {
  ComplianceRules six_monthly;
  six_monthly.confirm_every_months = 6;
  auto s = compliance_on({interest(1, "2024-01-10", "2024-02-01")}, {}, d("2024-08-03"), six_monthly);
  CHECK(s.state == ComplianceState::overdue);
  CHECK(s.days_overdue == 2);
  CHECK_FALSE(s.returned_in_period);
}
