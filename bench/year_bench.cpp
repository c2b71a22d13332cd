// The declaration year over a large register: builds 100,000 people (most up to date, some due,
// overdue, never declared, with interests, memberships and confirmations) in a fresh database,
// then times one pass as the reminder job makes it: the set-based read (load_year_records), each
// person's state (year_state_on) and the reminder plan (plan_reminders). Prints the figures.
//
//   cmake --build --preset debug --target year_bench && ./build/debug/year_bench [people]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "model/base/crypto.hpp"
#include "model/register/reminder_plan.hpp"
#include "model/register/year_store.hpp"
#include "model/store/database.hpp"

using namespace probity;

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void build(SQLite::Database& db, int people, const Date& today) {
  const Date year = year_start_for(today);
  const std::string now = utc_timestamp_now();
  SQLite::Transaction tx(db);
  db.exec("INSERT INTO committees(id, ref, created_at) VALUES (1, 'c-board', '" + now + "')");
  db.exec("INSERT INTO committee_versions(committee_id, version, name, recorded_at, recorded_by) VALUES (1, 1, 'Board', '" + now + "', 'bench')");
  SQLite::Statement person(db, "INSERT INTO people(id, ref, created_at) VALUES (?, ?, ?)");
  SQLite::Statement person_v(db, "INSERT INTO person_versions(person_id, version, name, email, kind, recorded_at, recorded_by) "
                                 "VALUES (?, 1, ?, ?, 'executive', ?, 'bench')");
  SQLite::Statement member(db, "INSERT INTO memberships(id, ref, created_at) VALUES (?, ?, ?)");
  SQLite::Statement member_v(db, "INSERT INTO membership_versions(membership_id, version, committee_id, person_id, role, date_from, "
                                 "recorded_at, recorded_by) VALUES (?, 1, 1, ?, 'voting', ?, ?, 'bench')");
  SQLite::Statement interest(db, "INSERT INTO interests(id, ref, created_at) VALUES (?, ?, ?)");
  SQLite::Statement interest_v(db, "INSERT INTO interest_versions(interest_id, version, person_id, category, nature, date_from, "
                                   "declared_on, status, aware_on, recorded_at, recorded_by) "
                                   "VALUES (?, 1, ?, 'financial', 'Director', ?, ?, ?, ?, ?, 'bench')");
  SQLite::Statement confirm(db, "INSERT INTO confirmations(id, ref, created_at) VALUES (?, ?, ?)");
  SQLite::Statement confirm_v(db, "INSERT INTO confirmation_versions(confirmation_id, version, person_id, confirmed_on, year_start, "
                                  "entries, recorded_at, recorded_by) VALUES (?, 1, ?, ?, ?, 1, ?, 'bench')");
  const auto run = [](SQLite::Statement& s) {
    s.exec();
    s.reset();
  };
  for (int i = 1; i <= people; ++i) {
    const std::string ref = std::to_string(i);
    person.bind(1, i), person.bind(2, "p-" + ref), person.bind(3, now), run(person);
    person_v.bind(1, i), person_v.bind(2, "Person " + ref), person_v.bind(3, "p" + ref + "@example.nhs.uk"), person_v.bind(4, now);
    run(person_v);
    const bool newcomer = i % 50 == 0;  // 2%: joined 10 to 60 days ago
    const Date from = newcomer ? today.plus_days(-(10 + i % 50)) : Date(2020, 1, 1).plus_days(i % 1500);
    member.bind(1, i), member.bind(2, "m-" + ref), member.bind(3, now), run(member);
    member_v.bind(1, i), member_v.bind(2, i), member_v.bind(3, from.iso()), member_v.bind(4, now), run(member_v);
    const bool draft = i % 40 == 1;  // 2.5%: an interest not yet declared
    interest.bind(1, i), interest.bind(2, "i-" + ref), interest.bind(3, now), run(interest);
    const Date aware = draft ? today.plus_days(-(i % 60)) : from;
    interest_v.bind(1, i), interest_v.bind(2, i), interest_v.bind(3, aware.iso()), interest_v.bind(4, aware.plus_days(5).iso());
    interest_v.bind(5, draft ? "draft" : "submitted"), interest_v.bind(6, aware.iso()), interest_v.bind(7, now), run(interest_v);
    if (!newcomer && i % 20 != 7) {  // 95% confirmed this year
      const Date on = std::min(today, year.plus_days(i % 25));
      confirm.bind(1, i), confirm.bind(2, "c-" + ref), confirm.bind(3, now), run(confirm);
      confirm_v.bind(1, i), confirm_v.bind(2, i), confirm_v.bind(3, on.iso()), confirm_v.bind(4, year.iso()), confirm_v.bind(5, now);
      run(confirm_v);
    }
  }
  tx.commit();
}
}  // namespace

int main(int argc, char** argv) {
  const int people = argc > 1 ? std::stoi(argv[1]) : 100000;
  const auto dir = std::filesystem::temp_directory_path() / ("probity-year-bench-" + random_hex(6));
  std::filesystem::create_directories(dir);
  const Date today = Date::today();
  {
    auto db = open_database((dir / "bench.db").string(), true);
    apply_migrations(*db);
    auto start = std::chrono::steady_clock::now();
    build(*db, people, today);
    std::printf("built %d people in %.2f s\n", people, seconds_since(start));

    for (int pass = 1; pass <= 3; ++pass) {
      start = std::chrono::steady_clock::now();
      auto records = load_year_records(*db);
      const double read = seconds_since(start);
      std::vector<PlanEntry> entries;
      entries.reserve(records.size());
      for (auto& r : records) entries.push_back(plan_entry(std::move(r), today));
      const double states = seconds_since(start) - read;
      auto notices = plan_reminders(entries, today);
      const double total = seconds_since(start);
      int up_to_date = 0;
      for (const auto& e : entries) up_to_date += e.year.state == YearState::up_to_date ? 1 : 0;
      std::printf("pass %d: %zu people (%d up to date), %zu notices: read %.3f s, states %.3f s, plan %.3f s, total %.3f s\n", pass,
                  records.size(), up_to_date, notices.size(), read, states, total - read - states, total);
    }
    // The reminder pass reads and plans 1,000 people at a time (kReminderPeopleBatch), so that its
    // memory follows the batch: the same work, in batches.
    for (int pass = 1; pass <= 3; ++pass) {
      start = std::chrono::steady_clock::now();
      std::size_t seen = 0, notices = 0;
      for_each_year_records(*db, 1000, [&](std::vector<PersonRecord>& records) {
        std::vector<Notice> planned;
        for (auto& r : records) plan_person_reminders(plan_entry(std::move(r), today), today, ReminderSettings{}, planned);
        seen += records.size();
        notices += planned.size();
      });
      std::printf("batched pass %d (1,000 people a batch): %zu people, %zu notices, total %.3f s\n", pass, seen, notices,
                  seconds_since(start));
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
