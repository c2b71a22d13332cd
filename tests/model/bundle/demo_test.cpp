#include "model/bundle/demo.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "model/bundle/bundle.hpp"
#include "model/register/year_store.hpp"
#include "support.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {
json demo_file() {
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

Date latest_meeting(const json& bundle) {
  Date latest = *Date::parse("1900-01-01");
  for (const auto& m : bundle.at("meetings")) latest = std::max(latest, *Date::parse(m.at("date").get<std::string>()));
  return latest;
}

Date date_at(const json& value) { return *Date::parse(value.get<std::string>()); }
}  // namespace

TEST_CASE("shifting a bundle's dates moves every valid date and nothing else") {
  const json before = json::parse(R"({
    "people": [{"ref": "2026-01-01", "name": "Dr A", "left_on": "2026-02-28"}],
    "interests": [{"from": "2024-02-29", "to": null, "nature": "Partner since 2012-08-01", "value": 20260101}],
    "meetings": [{"date": "2026-12-10", "title": "2026-13-01"}]
  })");
  const json after = shift_bundle_dates(before, 7);
  CHECK(after["people"][0]["left_on"] == "2026-03-07");
  CHECK(after["interests"][0]["from"] == "2024-03-07");  // across the leap day
  CHECK(after["meetings"][0]["date"] == "2026-12-17");
  // A ref that happens to be a date is still a date string and moves too; the others stay.
  CHECK(after["people"][0]["ref"] == "2026-01-08");
  CHECK(after["interests"][0]["nature"] == "Partner since 2012-08-01");  // text containing a date
  CHECK(after["interests"][0]["value"] == 20260101);
  CHECK(after["interests"][0]["to"].is_null());
  CHECK(after["meetings"][0]["title"] == "2026-13-01");  // not a valid date
  CHECK(shift_bundle_dates(before, 0) == before);
}

TEST_CASE("the demo keeps its next meeting a fortnight ahead, moving everything by whole weeks") {
  const json demo = demo_file();
  const Date meeting = latest_meeting(demo);

  SECTION("while the meeting is at least 14 days ahead the demo is loaded as written") {
    CHECK(demo_shifted_for(demo, meeting.plus_days(-14)) == demo);
    CHECK(demo_shifted_for(demo, meeting.plus_days(-60)) == demo);
  }
  SECTION("13 days before: one week later") {
    const json moved = demo_shifted_for(demo, meeting.plus_days(-13));
    CHECK(latest_meeting(moved) == meeting.plus_days(7));
  }
  SECTION("months later: the meeting is 14 to 20 days ahead, and everything moved with it") {
    for (const char* text : {"2027-01-01", "2027-06-30", "2031-02-28"}) {
      const Date today = *Date::parse(text);
      CAPTURE(text);
      const json moved = demo_shifted_for(demo, today);
      const int ahead = today.days_until(latest_meeting(moved));
      CHECK(ahead >= 14);
      CHECK(ahead <= 20);
      const int shift = meeting.days_until(latest_meeting(moved));
      CHECK(shift % 7 == 0);
      for (std::size_t i = 0; i < demo.at("interests").size(); ++i)
        CHECK(date_at(demo["interests"][i]["from"]).plus_days(shift) == date_at(moved["interests"][i]["from"]));
      testing::TestDb t;
      CHECK(import_bundle(*t, moved, "demo").ok);
    }
  }
}

TEST_CASE("the declaration year's records read a batch at a time are everyone's records, in order") {
  const Date today = *Date::parse("2027-05-01");
  testing::TestDb t;
  REQUIRE(import_bundle(*t, demo_for(demo_file(), today), "demo").ok);
  const auto everyone = load_year_records(*t);
  REQUIRE(everyone.size() > 20);
  for (std::size_t batch : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{1000}}) {
    CAPTURE(batch);
    std::vector<PersonRecord> joined;
    int batches = 0;
    for_each_year_records(*t, batch, [&](std::vector<PersonRecord>& records) {
      CHECK(!records.empty());
      CHECK(records.size() <= batch);
      ++batches;
      std::move(records.begin(), records.end(), std::back_inserter(joined));
    });
    CHECK(batches == static_cast<int>((everyone.size() + batch - 1) / batch));
    CHECK(joined == everyone);  // memberships, role changes, interests, confirmations, nil returns, managers
  }
  // One person's records, read alone, are theirs in everyone's.
  for (const auto& record : everyone) {
    CAPTURE(record.name);
    const auto alone = load_year_records(*t, record.person_id);
    REQUIRE(alone.size() == 1);
    CHECK(alone.front() == record);
  }
}

TEST_CASE("the demo's declaration year looks real on the day it is loaded") {
  const json demo = demo_file();
  for (const char* text : {"2026-12-03", "2027-04-10", "2027-05-01", "2028-02-29", "2031-01-15"}) {
    const Date today = *Date::parse(text);
    CAPTURE(text);
    testing::TestDb t;
    auto imported = import_bundle(*t, demo_for(demo, today), "demo");
    REQUIRE(imported.ok);
    std::map<std::string, YearState> state;
    int up_to_date = 0, late_this_year = 0, contradictions = 0;
    for (const auto& r : load_year_records(*t)) {
      const PersonYear y = year_state_on(r, today);
      state[r.name] = y.state;
      if (y.state == YearState::up_to_date) ++up_to_date;
      for (const auto& l : y.late) late_this_year += l.declared_on >= y.year_start ? 1 : 0;
      contradictions += static_cast<int>(y.contradictions.size());
    }
    const bool annual_window = today <= annual_due_by(year_start_for(today));
    // Nell Ashworth, who may be co-opted, and Kwame Osei (not a decision-maker) included, and the
    // five people of NHS Southvale CCG and NHS England.
    CHECK(state.size() == 23);
    CHECK(up_to_date >= 10);  // most people confirmed this year
    CHECK(state["Peter Grant"] == YearState::due);
    CHECK(state["James Harding"] == YearState::due);
    CHECK(state["Dr Nadia Kowalski"] == YearState::overdue);
    CHECK(state["Helen Morris"] == (annual_window ? YearState::due : YearState::overdue));
    CHECK(state["Priya Shah"] == YearState::never_declared);
    CHECK(state["Dr Tom Fletcher"] == YearState::up_to_date);
    CHECK(late_this_year == 1);  // Dr Fletcher's
    CHECK(contradictions == 0);
  }
}
