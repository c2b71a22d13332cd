// The declaration year: each event's 28-day clock, the annual confirmation, leaving, late
// declarations, nil returns that contradict interests held, and the state on any date, with
// dates on both sides of every boundary.
#include "model/register/declaration_year.hpp"

#include <catch2/catch.hpp>
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

YearMembership membership(Id id, const char* from, const char* to = nullptr, Id committee = 1, CommitteeRole role = CommitteeRole::voting) {
  YearMembership m;
  m.id = id;
  m.committee_id = committee;
  m.committee = committee == 1 ? "Governing Body" : "Primary Care Commissioning Committee";
  m.role = role;
  m.from = d(from);
  if (to) m.to = d(to);
  return m;
}

YearInterest interest(Id id, const char* from, const char* declared_on, const char* aware_on = nullptr, bool declared = true) {
  YearInterest i;
  i.id = id;
  i.nature = "Partner of Riverside Surgery";
  i.from = d(from);
  i.declared_on = d(declared_on);
  if (aware_on) i.aware_on = d(aware_on);
  i.declared = declared;
  return i;
}

// In post on the Governing Body since 1 April 2024, holding one interest declared then, and
// confirmed on `confirmed`.
PersonRecord member(const char* confirmed = nullptr) {
  PersonRecord p;
  p.person_id = 7;
  p.name = "Dr Amir Hassan";
  p.memberships.push_back(membership(1, "2024-04-01"));
  p.interests.push_back(interest(10, "2012-08-01", "2024-04-10"));
  if (confirmed) p.confirmations.push_back(d(confirmed));
  return p;
}
}  // namespace

TEST_CASE("the declaration year starts on its configured day, and its annual confirmation is due by the end of its first month") {
  CHECK(year_start_for(d("2027-03-31")) == d("2026-04-01"));
  CHECK(year_start_for(d("2027-04-01")) == d("2027-04-01"));
  CHECK(annual_due_by(d("2027-04-01")) == d("2027-04-30"));
  CHECK(year_label(d("2027-04-01")) == "2027 to 2028");
  YearRules january;
  january.start_month = 1;
  january.start_day = 1;
  CHECK(year_start_for(d("2028-02-29"), january) == d("2028-01-01"));  // a leap year
  CHECK(annual_due_by(d("2028-01-01"), january) == d("2028-01-31"));
  YearRules february;
  february.start_month = 2;
  february.start_day = 1;
  CHECK(annual_due_by(d("2028-02-01"), february) == d("2028-02-29"));  // leap: the month's last day
  CHECK(annual_due_by(d("2027-02-01"), february) == d("2027-02-28"));
}

TEST_CASE("the annual confirmation: due from the year's start, overdue the day after its due date, answered by a confirmation") {
  const PersonRecord p = member("2026-04-20");  // confirmed for 2026 to 2027
  CHECK(year_state_on(p, d("2027-03-31")).state == YearState::up_to_date);
  CHECK(year_state_on(p, d("2027-03-31")).next_annual_due == d("2027-04-30"));

  auto opening = year_state_on(p, d("2027-04-01"));  // the new year
  CHECK(opening.state == YearState::due);
  CHECK(opening.due_by == d("2027-04-30"));
  REQUIRE(opening.reason);
  CHECK(opening.reason->kind == YearEventKind::annual);
  CHECK(describe_event(*opening.reason) == "annual confirmation for 2027 to 2028");

  CHECK(year_state_on(p, d("2027-04-30")).state == YearState::due);
  auto late = year_state_on(p, d("2027-05-01"));
  CHECK(late.state == YearState::overdue);
  CHECK(late.overdue_since == d("2027-05-01"));
  CHECK(late.days_overdue == 1);

  PersonRecord confirmed = p;
  confirmed.confirmations.push_back(d("2027-05-03"));
  auto after = year_state_on(confirmed, d("2027-05-03"));
  CHECK(after.state == YearState::up_to_date);
  CHECK(after.confirmed_this_year);
  CHECK(after.next_annual_due == d("2028-04-30"));
  // The same confirmation seen before it was made changes nothing.
  CHECK(year_state_on(confirmed, d("2027-05-02")).state == YearState::overdue);
}

TEST_CASE("editing an entry is not a confirmation; confirming twice in a year keeps the latest") {
  PersonRecord p = member("2026-04-20");
  p.interests.front().declared_on = d("2027-04-15");  // changed entry, new declared date
  CHECK(year_state_on(p, d("2027-05-10")).state == YearState::overdue);
  p.confirmations.push_back(d("2027-04-10"));
  p.confirmations.push_back(d("2027-06-01"));
  auto s = year_state_on(p, d("2027-06-02"));
  CHECK(s.state == YearState::up_to_date);
  CHECK(s.last_confirmed_on == d("2027-06-01"));
}

TEST_CASE("taking up post: 28 days to declare, overdue on day 29, never declared is not 0 days for ever") {
  PersonRecord p;
  p.person_id = 9;
  p.memberships.push_back(membership(3, "2026-11-02"));
  CHECK(year_state_on(p, d("2026-11-01")).events.empty());
  auto first = year_state_on(p, d("2026-11-02"));
  CHECK(first.state == YearState::due);
  CHECK(first.due_by == d("2026-11-30"));
  CHECK(describe_event(*first.reason) == "took up post on 2 November 2026 (Governing Body)");
  CHECK(year_state_on(p, d("2026-11-30")).state == YearState::due);  // day 28
  auto missed = year_state_on(p, d("2026-12-01"));                   // day 29
  CHECK(missed.state == YearState::never_declared);
  CHECK(missed.overdue_since == d("2026-12-01"));
  auto months = year_state_on(p, d("2027-03-01"));
  CHECK(months.state == YearState::never_declared);
  CHECK(months.days_overdue == 91);
  // A year later the annual confirmation is missed too, but one confirmation answers both: one
  // open event, the earliest, which says since when.
  auto later = year_state_on(p, d("2027-06-01"));
  CHECK(later.open.size() == 1);
  CHECK(later.open.front().id == "post");
  CHECK(later.events.size() == 2);
  // A nil return (holding nothing) answers it.
  p.nil_returns.push_back({5, d("2026-11-20")});
  CHECK(year_state_on(p, d("2027-03-01")).state == YearState::up_to_date);
}

TEST_CASE("a person who took up post during the year has no separate annual confirmation for it") {
  PersonRecord p;
  p.memberships.push_back(membership(3, "2026-06-01"));
  p.confirmations.push_back(d("2026-06-10"));
  auto s = year_state_on(p, d("2027-03-31"));
  CHECK(s.state == YearState::up_to_date);
  CHECK(s.next_annual_due == d("2027-04-30"));
  // Joined on the year's first day: the post event is that year's declaration.
  PersonRecord q;
  q.memberships.push_back(membership(4, "2027-04-01"));
  q.confirmations.push_back(d("2027-04-05"));
  auto t = year_state_on(q, d("2027-06-01"));
  CHECK(t.state == YearState::up_to_date);
  for (const auto& e : t.events) CHECK(e.kind != YearEventKind::annual);
}

TEST_CASE("joining another committee and a change of role each start a clock") {
  PersonRecord p = member("2026-04-20");
  p.memberships.push_back(membership(2, "2026-09-01", nullptr, 2));
  auto joined = year_state_on(p, d("2026-09-29"));
  CHECK(joined.state == YearState::due);
  CHECK(joined.reason->kind == YearEventKind::joined_committee);
  CHECK(joined.reason->id == "committee-2");
  CHECK(describe_event(*joined.reason) == "joined the Primary Care Commissioning Committee on 1 September 2026");
  CHECK(year_state_on(p, d("2026-09-30")).state == YearState::overdue);

  // Vice-chair from 1 October: the voting membership ended the day before.
  PersonRecord r = member("2026-04-20");
  r.memberships.front().to = d("2026-09-30");
  r.memberships.push_back(membership(5, "2026-10-01", nullptr, 1, CommitteeRole::vice_chair));
  auto changed = year_state_on(r, d("2026-10-02"));
  CHECK(changed.reason->kind == YearEventKind::role_changed);
  CHECK(changed.reason->id == "role-5");
  CHECK(changed.due_by == d("2026-10-29"));
  // A role changed in place (a new version of the membership).
  PersonRecord v = member("2026-04-20");
  v.role_changes.push_back({1, 2, "Governing Body", d("2026-10-05")});
  auto in_place = year_state_on(v, d("2026-11-03"));
  CHECK(in_place.state == YearState::overdue);
  CHECK(in_place.reason->id == "role-1-v2");
  CHECK(in_place.overdue_since == d("2026-11-03"));
}

TEST_CASE("becoming aware of an interest: the clock runs from awareness, or from taking up post when later") {
  PersonRecord p = member("2026-04-20");
  // Aware on 1 October, started months before: due 29 October, not 28 days after the start.
  p.interests.push_back(interest(11, "2026-06-01", "2026-10-20", "2026-10-01", false));  // still a draft
  auto due = year_state_on(p, d("2026-10-29"));
  CHECK(due.state == YearState::due);
  CHECK(due.reason->id == "interest-11");
  CHECK(due.due_by == d("2026-10-29"));
  CHECK(year_state_on(p, d("2026-10-30")).state == YearState::overdue);

  SECTION("declared on day 28: on time") {
    p.interests.back() = interest(11, "2026-06-01", "2026-10-29", "2026-10-01");
    auto s = year_state_on(p, d("2026-12-01"));
    CHECK(s.late.empty());
    CHECK(s.state == YearState::up_to_date);
  }
  SECTION("declared on day 29: a late declaration") {
    p.interests.back() = interest(11, "2026-06-01", "2026-10-30", "2026-10-01");
    auto s = year_state_on(p, d("2026-12-01"));
    CHECK(s.state == YearState::up_to_date);
    REQUIRE(s.late.size() == 1);
    CHECK(s.late.front().days_late == 1);
    CHECK(s.late.front().clock_from == d("2026-10-01"));
    CHECK(year_state_on(p, d("2026-10-29")).late.empty());  // not yet declared then
  }
  SECTION("without an awareness date the start date stands in") {
    p.interests.back() = interest(11, "2026-06-01", "2026-07-15");
    REQUIRE(year_state_on(p, d("2026-12-01")).late.size() == 1);
  }
  SECTION("an interest held long before taking up post runs from taking up post") {
    CHECK(year_state_on(member("2026-04-20"), d("2026-12-01")).late.empty());  // started 2012, declared 9 days after joining
  }
}

TEST_CASE("a nil return while holding interests is a contradiction, not a confirmation") {
  PersonRecord p = member();
  p.nil_returns.push_back({3, d("2026-04-10")});
  auto s = year_state_on(p, d("2026-06-01"));
  REQUIRE(s.contradictions.size() == 1);
  CHECK(s.contradictions.front().interests_held == 1);
  CHECK(s.state == YearState::overdue);
  CHECK_FALSE(s.confirmed_this_year);
  // Once the interest has ended, a nil return is a true one.
  p.interests.front().to = d("2026-03-31");
  auto ended = year_state_on(p, d("2026-06-01"));
  CHECK(ended.contradictions.empty());
  CHECK(ended.confirmed_this_year);
  CHECK(ended.current_interests == 0);
}

TEST_CASE("leaving: a final confirmation opens 28 days before the leaving date and is due on it") {
  PersonRecord p = member("2026-04-20");
  p.left_on = d("2026-12-31");
  CHECK(year_state_on(p, d("2026-12-02")).state == YearState::up_to_date);
  auto open = year_state_on(p, d("2026-12-03"));
  CHECK(open.state == YearState::due);
  CHECK(open.reason->kind == YearEventKind::leaving);
  CHECK(open.due_by == d("2026-12-31"));
  CHECK(describe_event(*open.reason) == "final confirmation on leaving on 31 December 2026");
  auto gone = year_state_on(p, d("2027-01-01"));
  CHECK(gone.state == YearState::overdue);
  CHECK(gone.has_left);
  CHECK_FALSE(gone.next_annual_due);
  // No annual confirmation for a year that starts after they left.
  for (const auto& e : year_state_on(p, d("2027-06-01")).events) CHECK(e.id != "annual-2027");
  p.confirmations.push_back(d("2026-12-10"));
  CHECK(year_state_on(p, d("2027-06-01")).state == YearState::up_to_date);
}

TEST_CASE("the year start and the window are settings") {
  YearRules strict;
  strict.declare_within_days = 14;
  strict.start_month = 1;
  PersonRecord p;
  p.memberships.push_back(membership(3, "2026-11-02"));
  CHECK(year_state_on(p, d("2026-11-16"), strict).state == YearState::due);
  CHECK(year_state_on(p, d("2026-11-17"), strict).state == YearState::never_declared);
  p.confirmations.push_back(d("2026-11-10"));
  auto s = year_state_on(p, d("2027-01-01"), strict);
  CHECK(s.state == YearState::due);
  CHECK(s.due_by == d("2027-01-31"));
}

TEST_CASE("a person with no membership is in post from their record's first date") {
  PersonRecord p;
  p.known_from = d("2025-05-01");
  p.confirmations.push_back(d("2026-04-02"));
  CHECK(year_state_on(p, d("2026-10-01")).state == YearState::up_to_date);
  CHECK(year_state_on(p, d("2027-05-01")).state == YearState::overdue);
}

namespace {
// Dr Hassan, confirmed for the year, said at the meeting of 10 December 2026 that he is a
// trustee of the Northbrook Carers' Trust: not on the register.
PersonRecord declared_at_meeting(std::optional<Id> linked = std::nullopt) {
  PersonRecord p = member("2026-04-10");
  YearMeetingDeclaration m;
  m.id = 5;
  m.meeting_on = d("2026-12-10");
  m.meeting = "Primary Care Commissioning Committee";
  m.text = "Unpaid trustee of the Northbrook Carers' Trust";
  m.interest_id = linked;
  p.meeting_declarations.push_back(m);
  return p;
}
YearInterest trustee(Id id, const char* declared_on, const char* organisation = "Northbrook Carers' Trust", bool declared = true) {
  YearInterest i = interest(id, "2026-11-01", declared_on, "2026-12-10", declared);
  i.nature = "Unpaid trustee";
  i.organisation = organisation;
  return i;
}
}  // namespace

TEST_CASE("an interest first declared at a meeting is due on the register within 28 days of the meeting") {
  const PersonRecord p = declared_at_meeting();
  CHECK(year_state_on(p, d("2026-12-09")).state == YearState::up_to_date);  // before the meeting: nothing
  const PersonYear on_day = year_state_on(p, d("2026-12-10"));
  REQUIRE(on_day.state == YearState::due);
  CHECK(on_day.due_by == d("2027-01-07"));
  REQUIRE(on_day.reason);
  CHECK(on_day.reason->kind == YearEventKind::declared_at_meeting);
  CHECK(on_day.reason->id == "meeting-declaration-5");
  CHECK(on_day.reason->meeting_declaration_id == Id{5});
  CHECK(describe_event(*on_day.reason) ==
        "declared an interest at Primary Care Commissioning Committee on 10 December 2026 that was not on the register "
        "(\"Unpaid trustee of the Northbrook Carers' Trust\")");
  CHECK(year_state_on(p, d("2027-01-07")).state == YearState::due);
  const PersonYear late = year_state_on(p, d("2027-01-08"));
  CHECK(late.state == YearState::overdue);
  CHECK(late.overdue_since == d("2027-01-08"));
}

TEST_CASE("a declaration at a meeting stops being due once a matching interest is declared") {
  SECTION("linked from the pre-filled form") {
    PersonRecord p = declared_at_meeting(40);
    p.interests.push_back(trustee(40, "2026-12-20", ""));
    CHECK(year_state_on(p, d("2026-12-19")).state == YearState::due);  // not declared yet on that date
    const PersonYear y = year_state_on(p, d("2027-02-01"));
    CHECK(y.state == YearState::up_to_date);
    bool met = false;
    for (const auto& e : y.events)
      if (e.kind == YearEventKind::declared_at_meeting) met = e.met_on == d("2026-12-20") && e.interest_id == Id{40};
    CHECK(met);
  }
  SECTION("declared after the meeting naming the same organisation, ignoring case") {
    PersonRecord p = declared_at_meeting();
    p.interests.push_back(trustee(41, "2026-12-15", "NORTHBROOK CARERS' TRUST"));
    CHECK(year_state_on(p, d("2027-02-01")).state == YearState::up_to_date);
  }
  SECTION("a draft does not answer it; another organisation does not either") {
    PersonRecord p = declared_at_meeting(42);
    p.interests.push_back(trustee(42, "2026-12-15", "Northbrook Carers' Trust", false));
    p.interests.push_back(trustee(43, "2026-12-15", "Riverside Surgery"));
    const PersonYear y = year_state_on(p, d("2027-02-01"));
    CHECK(y.state == YearState::overdue);
    int from_meeting = 0;
    for (const auto& e : y.open) from_meeting += e.kind == YearEventKind::declared_at_meeting;
    CHECK(from_meeting == 1);
  }
  SECTION("an interest of that organisation declared before the meeting is not a match: it was not declared for it") {
    PersonRecord p = declared_at_meeting();
    p.interests.push_back(trustee(44, "2026-12-01"));
    CHECK(year_state_on(p, d("2026-12-20")).state == YearState::due);
  }
  SECTION("a short organisation name never matches by name") {
    YearInterest i = trustee(45, "2026-12-15", "NB");
    CHECK_FALSE(answers_meeting_declaration(i, d("2026-12-10"), "I am a trustee of NB Trust", false));
    CHECK(answers_meeting_declaration(i, d("2026-12-10"), "anything", true));
  }
}

TEST_CASE("a declaration at a meeting that repeats an entry already on the register starts no clock") {
  PersonRecord p = declared_at_meeting(10);  // the partnership, declared on 10 April 2024
  const PersonYear y = year_state_on(p, d("2027-02-01"));
  CHECK(y.state == YearState::up_to_date);
  for (const auto& e : y.events) CHECK(e.kind != YearEventKind::declared_at_meeting);
}
