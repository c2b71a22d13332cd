// A meeting's agenda published before the meeting (docs/api-meetings.md, "Publish the agenda"):
// the public list shows it, upcoming, with its items; its page and JSON show the agenda alone.
// Nothing recorded at the meeting, no flag, no withheld entry and no unpublished meeting leaks.
// And a meeting's start time: the form, its calendar entry in UTC, all day without one.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "model/meetings/meeting_store.hpp"
#include "server/meetings/meeting_calendar.hpp"
#include "server/meetings_support.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {
struct Demo {
  testing::TestServer s{[](Config& c) { c.today = "2026-12-01"; }};  // the demo's PCCC meeting (10 December) is upcoming
  json ids = s.import(testing::demo_bundle());
  Id pccc = ids.at("meetings").at("m-pccc-2026-12").get<Id>();
  testing::SignedIn chair = testing::sign_in(s, "chair@example.nhs.uk", "p-ellison");

  httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) { return s.client().Get(path.c_str(), headers); }
  httplib::Result post(const std::string& path, const json& body) {
    return s.client().Post(path.c_str(), chair.api_post_headers(), body.dump(), "application/json");
  }
  std::string meeting(const std::string& rest = "") const { return "/meetings/" + std::to_string(pccc) + rest; }
};

// What must never reach the public before the minutes are published.
void nothing_private(const std::string& body) {
  for (const char* secret : {"SECRET-DECLARATION", "Dr Amir Hassan", "Dr Claire Bennett", "Leave the room", "Left the room",
                             "has a financial interest", "Inquorate", "Westbrook", "Chair's brief", "Personal safety"}) {
    CAPTURE(secret);
    CHECK(body.find(secret) == std::string::npos);
  }
}
}  // namespace

TEST_CASE("a published agenda lists the meeting with its items for the public, and nothing recorded or withheld", "[public_agenda]") {
  Demo d;
  // Recorded before the agenda is published: a declaration, a decision, a co-opted member.
  REQUIRE(d.post("/api/v1" + d.meeting("/declarations"),
                 {{"person_id", d.ids["people"]["p-hassan"]}, {"text", "SECRET-DECLARATION: partner at Riverside Surgery"}})
              ->status == 201);
  REQUIRE(d.post("/api/v1" + d.meeting("/co-opted"), {{"person_id", d.ids["people"]["p-ashworth"]}, {"from_body", "Westbrook ICB"}})
              ->status == 201);
  REQUIRE(set_interest_withheld(*d.s.db, d.ids["interests"]["i-sinclair-spouse"].get<Id>(), true, "Personal safety", "test"));

  // Not published: not listed, 404, no calendar entry for the public.
  CHECK(d.get("/meetings")->body.find(d.meeting()) == std::string::npos);
  CHECK(d.get(d.meeting())->status == 404);
  CHECK(d.get("/api/v1" + d.meeting())->status == 404);
  CHECK(d.get(d.meeting(".ics"))->status == 404);
  auto manage = d.get(d.meeting("/manage"), d.chair.headers());
  CHECK_THAT(manage->body, Catch::Contains("action=\"" + d.meeting("/agenda/publish") + "\"") && Catch::Contains("Publish the agenda"));

  auto published = d.post("/api/v1" + d.meeting("/agenda/publish"), json::object());
  REQUIRE(published);
  INFO(published->body.substr(0, 300));
  REQUIRE(published->status == 200);
  CHECK(json::parse(published->body).at("agenda_published") == true);
  CHECK(d.post("/api/v1" + d.meeting("/agenda/publish"), json::object())->status == 200);  // again: no change
  CHECK_THAT(d.get(d.meeting("/manage"), d.chair.headers())->body,
             Catch::Contains("The agenda is public") && !Catch::Contains("id=\"publish-agenda-button\""));

  // The list: upcoming, with its agenda items.
  auto list = d.get("/meetings");
  REQUIRE(list->status == 200);
  const std::string upcoming = list->body.substr(list->body.find("id=\"upcoming\""), list->body.find("id=\"past\"") - list->body.find("id=\"upcoming\""));
  CHECK_THAT(upcoming, Catch::Contains("href=\"" + d.meeting() + "\">Primary Care Commissioning Committee (meeting in public)</a>") &&
                           Catch::Contains("<li>Proposed merger of Riverside Surgery and Millbrook Medical Centre</li>") &&
                           Catch::Contains("<li>Primary care finance report, month 7</li>") && Catch::Contains(d.meeting(".ics")));
  nothing_private(list->body);

  // The page and its JSON: the agenda alone.
  auto page = d.get(d.meeting());
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("This is the published agenda") && Catch::Contains("Proposed merger of Riverside Surgery") &&
                             !Catch::Contains("Not published") && !Catch::Contains("minutes.txt"));
  nothing_private(page->body);
  auto api = d.get("/api/v1" + d.meeting());
  REQUIRE(api->status == 200);
  nothing_private(api->body);
  const json doc = json::parse(api->body);
  CHECK(doc.at("meeting").at("published") == false);
  CHECK(doc.at("meeting").at("agenda_published") == true);
  CHECK(doc.at("declarations").empty());
  CHECK(doc.at("meeting").at("co_opted").empty());
  REQUIRE(doc.at("items").size() == 6);
  for (const auto& item : doc.at("items")) {
    CHECK(item.at("declarations").empty());
    CHECK(item.at("conflicts").empty());
    CHECK(item.at("movements").empty());
    CHECK(item.at("co_opted").empty());
    CHECK(item.at("outcome").is_null());
  }
  // The minutes stay private; the calendar entry is public.
  CHECK(d.get(d.meeting("/minutes"))->status == 404);
  CHECK(d.get(d.meeting("/minutes.txt"))->status == 404);
  CHECK(d.get(d.meeting(".ics"))->status == 200);
  // A member who does not manage it sees what the public sees; its chair still sees the preview.
  auto member = testing::sign_in(d.s, "member@example.nhs.uk", "p-kowalski");
  nothing_private(d.get(d.meeting(), member.headers())->body);
  CHECK_THAT(d.get(d.meeting(), d.chair.headers())->body, Catch::Contains("SECRET-DECLARATION") && Catch::Contains("Not published"));
}

TEST_CASE("a cancelled meeting or one whose agenda is not published is not public; a past one waits for its minutes", "[public_agenda]") {
  Demo d;
  auto more = import_bundle(*d.s.db, json::parse(R"json({"format": "probity-bundle", "version": 1, "meetings": [
      {"ref": "m-cancelled", "committee": "c-pccc", "title": "PCCC cancelled meeting", "date": "2099-01-14", "status": "cancelled",
       "agenda_published": true, "agenda": [{"ref": "a-c-1", "title": "An item of a cancelled meeting"}]},
      {"ref": "m-draft", "committee": "c-pccc", "title": "PCCC draft meeting", "date": "2099-02-11",
       "agenda": [{"ref": "a-d-1", "title": "An item not yet public"}]},
      {"ref": "m-past", "committee": "c-pccc", "title": "PCCC past meeting", "date": "2020-02-12", "status": "held",
       "agenda_published": true, "agenda": [{"ref": "a-p-1", "title": "An item of a past meeting"}]}]})json"), "test");
  REQUIRE(more.ok);
  const auto path = [&](const char* ref) { return "/meetings/" + std::to_string(more.ids["meetings"][ref].get<Id>()); };
  auto list = d.get("/meetings")->body;
  CHECK(list.find("cancelled meeting") == std::string::npos);
  CHECK(list.find("An item not yet public") == std::string::npos);
  CHECK(d.get(path("m-cancelled"))->status == 404);
  CHECK(d.get(path("m-cancelled") + ".ics")->status == 404);
  CHECK(d.get(path("m-draft"))->status == 404);
  CHECK(d.post("/api/v1" + path("m-cancelled") + "/agenda/publish", json::object())->status == 409);
  const std::string past = list.substr(list.find("id=\"past\""));
  CHECK_THAT(past, Catch::Contains("href=\"" + path("m-past") + "\"") && Catch::Contains("The minutes are not published yet."));
  CHECK(d.get(path("m-past"))->status == 200);
}

TEST_CASE("ics: a meeting with a start time is a timed event in UTC, with British Summer Time applied", "[ics]") {
  const Date winter = *Date::parse("2026-12-10"), summer = *Date::parse("2026-06-17");
  CHECK(uk_time_as_ics_utc(winter, 14, 0) == "20261210T140000Z");
  CHECK(uk_time_as_ics_utc(summer, 14, 0) == "20260617T130000Z");
  CHECK(uk_time_as_ics_utc(summer, 0, 30) == "20260616T233000Z");  // the day before in UTC
  // 2026: summer time from 29 March (01:00 GMT becomes 02:00) to 25 October (02:00 becomes 01:00).
  CHECK_FALSE(uk_summer_time(*Date::parse("2026-03-28"), 12, 0));
  CHECK_FALSE(uk_summer_time(*Date::parse("2026-03-29"), 0, 59));
  CHECK(uk_summer_time(*Date::parse("2026-03-29"), 3, 0));
  CHECK(uk_summer_time(*Date::parse("2026-10-24"), 23, 0));
  CHECK(uk_summer_time(*Date::parse("2026-10-25"), 1, 30));  // the hour that repeats: read as summer time
  CHECK_FALSE(uk_summer_time(*Date::parse("2026-10-25"), 2, 0));
  CHECK(uk_time_as_ics_utc(*Date::parse("2027-03-28"), 10, 0) == "20270328T090000Z");  // 2027's last Sunday in March

  CalendarEvent e;
  e.uid = "meeting-7@probity.example";
  e.stamp = *parse_instant("2026-12-03T09:08:07Z");
  e.date = summer;
  e.start_time = "14:00";
  e.summary = "PCCC";
  const std::string ics = meeting_calendar(e);
  CHECK_THAT(ics, Catch::Contains("\r\nDTSTART:20260617T130000Z\r\nDURATION:PT2H\r\n") && Catch::Contains("\r\nTRANSP:OPAQUE\r\n"));
  CHECK(ics.find("VALUE=DATE") == std::string::npos);
  CHECK(ics.find("DTEND") == std::string::npos);

  if (std::system("/usr/bin/python3 -c 'import icalendar' 2>/dev/null") != 0) {
    WARN("python3-icalendar is not installed (scripts/install-deps.sh installs it): the parse check was skipped");
    return;
  }
  const auto file = std::filesystem::temp_directory_path() / ("probity-ics-timed-" + std::to_string(::getpid()) + ".ics");
  std::ofstream(file, std::ios::binary) << ics;
  const std::string command =
      "/usr/bin/python3 -c \"import sys, icalendar; c = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read()); "
      "e = c.walk('VEVENT')[0]; print(e.decoded('DTSTART').isoformat()); print(e.decoded('DURATION'))\" " + file.string();
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  std::filesystem::remove(file);
  CHECK(out == "2026-06-17T13:00:00+00:00\n2:00:00\n");
}

TEST_CASE("the meeting form takes an optional start time; its calendar entry is timed, all day without one", "[ics]") {
  Demo d;
  const Id committee = d.ids.at("committees").at("c-pccc").get<Id>();
  auto bad = d.post("/api/v1/meetings", {{"committee_id", committee}, {"title", "PCCC"}, {"date", "2027-01-14"}, {"start_time", "2pm"}});
  REQUIRE(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("\"start_time\":\"Enter the start time as a time on the 24-hour clock"));
  auto made = d.post("/api/v1/meetings", {{"committee_id", committee}, {"title", "PCCC"}, {"date", "2027-01-14"}, {"start_time", "9:30"}});
  REQUIRE(made->status == 201);
  const json meeting = json::parse(made->body);
  CHECK(meeting.at("start_time") == "09:30");
  const std::string path = "/meetings/" + std::to_string(meeting.at("id").get<Id>());
  auto ics = d.get(path + ".ics", d.chair.headers());
  REQUIRE(ics->status == 200);
  CHECK_THAT(ics->body, Catch::Contains("\r\nDTSTART:20270114T093000Z\r\n"));
  auto without = d.post("/api/v1/meetings", {{"committee_id", committee}, {"title", "PCCC"}, {"date", "2027-02-11"}});
  REQUIRE(without->status == 201);
  CHECK(json::parse(without->body).at("start_time").is_null());
  auto all_day = d.get("/meetings/" + std::to_string(json::parse(without->body).at("id").get<Id>()) + ".ics", d.chair.headers());
  CHECK_THAT(all_day->body, Catch::Contains("\r\nDTSTART;VALUE=DATE:20270211\r\n"));

  // The page's form has the field, keeps what was typed, and shows the problem at it.
  auto form = d.get("/meetings/manage", d.chair.headers());
  CHECK_THAT(form->body, Catch::Contains("<label class=\"nhsuk-label\" for=\"start_time\">Start time (optional)</label>"));
  auto sent = d.s.client().Post("/meetings", d.chair.headers(),
                                testing::form_body({{"committee_id", std::to_string(committee)}, {"title", "PCCC"}, {"date-day", "14"},
                                                    {"date-month", "1"}, {"date-year", "2027"}, {"start_time", "25:00"},
                                                    {"csrf_token", d.chair.csrf}}),
                                "application/x-www-form-urlencoded");
  REQUIRE(sent->status == 422);
  CHECK_THAT(sent->body, Catch::Contains("href=\"#start_time\"") && Catch::Contains("value=\"25:00\""));
}
