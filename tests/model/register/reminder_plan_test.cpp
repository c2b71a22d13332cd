// The reminder plan: which notices are due on a date, at each stage, with keys that stay the
// same when the plan runs again.
#include "model/register/reminder_plan.hpp"

#include <catch2/catch.hpp>
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

// A newcomer who joined on 2 November 2026 (due 30 November) and has declared nothing.
PlanEntry newcomer(const Date& on, bool manager = false) {
  PersonRecord p;
  p.person_id = 42;
  YearMembership m;
  m.id = 3;
  m.committee_id = 1;
  m.committee = "Governing Body";
  m.from = d("2026-11-02");
  p.memberships.push_back(m);
  PlanEntry e;
  e.person_id = 42;
  e.name = "Dr Nadia Kowalski";
  if (manager) {
    e.manager_name = "Sarah Whitfield";
    e.manager_email = "whitfield@example.nhs.uk";
  }
  e.year = year_state_on(p, on);
  return e;
}

std::vector<Notice> plan_on(const char* date, bool manager = false) {
  ReminderSettings s;
  s.digest_weekday = 9;  // never: these cases are about the person's notices
  return plan_reminders({newcomer(d(date), manager)}, d(date), s);
}
}  // namespace

TEST_CASE("reminders: none until 14 days before the due date, then before, on and weekly after") {
  CHECK(plan_on("2026-11-15").empty());  // 15 days before
  auto before = plan_on("2026-11-16");   // 14 days before
  REQUIRE(before.size() == 1);
  CHECK(before[0].kind == NoticeKind::reminder_before);
  CHECK(before[0].dedupe_key == "reminder:42:post:2026-11-30:before");
  CHECK(before[0].event == "took up post on 2 November 2026 (Governing Body)");
  CHECK(plan_on("2026-11-29")[0].dedupe_key == before[0].dedupe_key);  // the same stage: sent once

  auto due = plan_on("2026-11-30");
  REQUIRE(due.size() == 1);
  CHECK(due[0].kind == NoticeKind::reminder_due);
  CHECK(due[0].dedupe_key == "reminder:42:post:2026-11-30:due");

  auto week1 = plan_on("2026-12-01");
  REQUIRE(week1.size() == 1);
  CHECK(week1[0].kind == NoticeKind::reminder_overdue);
  CHECK(week1[0].week == 1);
  CHECK(week1[0].dedupe_key == "reminder:42:post:2026-11-30:overdue-1");
  CHECK(plan_on("2026-12-07")[0].dedupe_key == week1[0].dedupe_key);  // day 7: still week 1
  CHECK(plan_on("2026-12-08")[0].dedupe_key == "reminder:42:post:2026-11-30:overdue-2");
}

TEST_CASE("escalation after 14 days overdue, once, to governance and the line manager where recorded") {
  CHECK(plan_on("2026-12-13").size() == 1);  // 13 days overdue
  auto esc = plan_on("2026-12-14", true);    // 14 days overdue
  REQUIRE(esc.size() == 2);
  CHECK(esc[1].kind == NoticeKind::escalation);
  CHECK(esc[1].to_governance);
  CHECK_FALSE(esc[1].to_person);
  CHECK(esc[1].manager_email == "whitfield@example.nhs.uk");
  CHECK(esc[1].dedupe_key == "escalation:42:post:2026-11-30");
  CHECK(plan_on("2027-02-01")[1].dedupe_key == esc[1].dedupe_key);  // the same escalation weeks later
  CHECK(plan_on("2026-12-14")[1].manager_email.empty());
}

TEST_CASE("running the plan twice on one date yields the same notices; up-to-date people get none") {
  PersonRecord done;
  done.person_id = 1;
  done.confirmations.push_back(d("2026-04-03"));
  done.known_from = d("2025-01-01");
  PlanEntry up{1, "A", "a@example.nhs.uk", "", "", year_state_on(done, d("2026-12-14"))};
  std::vector<PlanEntry> people{up, newcomer(d("2026-12-14"))};
  auto a = plan_reminders(people, d("2026-12-14"));
  auto b = plan_reminders(people, d("2026-12-14"));
  CHECK(a == b);
  for (const auto& n : a) CHECK(n.person_id != 1);
}

TEST_CASE("the weekly digest goes to governance on its weekday") {
  CHECK(iso_weekday(d("2026-12-07")) == 1);  // a Monday
  CHECK(iso_weekday(d("2026-12-13")) == 7);
  CHECK(iso_weekday(d("2024-02-29")) == 4);
  ReminderSettings s;  // Mondays
  auto monday = plan_reminders({newcomer(d("2026-12-07"))}, d("2026-12-07"), s);
  REQUIRE(monday.size() == 2);
  CHECK(monday[1].kind == NoticeKind::digest);
  CHECK(monday[1].overdue_people == 1);
  CHECK(monday[1].dedupe_key == "digest:2026-12-07");
  CHECK(plan_reminders({newcomer(d("2026-12-08"))}, d("2026-12-08"), s).size() == 1);
}
