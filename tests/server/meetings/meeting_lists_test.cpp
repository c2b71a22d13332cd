// Finding meetings: the public list, a member's "My meetings", the header's links, the brief at a
// glance, the brief as a PDF and a meeting as a calendar entry.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/base/date.hpp"
#include "server/meetings/meeting_calendar.hpp"
#include "server/meetings_support.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {
Id meeting_of(const json& ids, const std::string& ref) { return ids.at("meetings").at(ref).get<Id>(); }

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The text between the first `from` and the next `to` after it (empty when missing).
std::string between(const std::string& text, const std::string& from, const std::string& to) {
  const auto a = text.find(from);
  if (a == std::string::npos) return {};
  const auto b = text.find(to, a + from.size());
  return text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

// Runs Debian's python3 (which has python3-icalendar) on `ics`; what the script prints, or
// nullopt when that module is not installed.
std::optional<std::string> parsed_by_icalendar(const std::string& ics) {
  if (std::system("/usr/bin/python3 -c 'import icalendar' 2>/dev/null") != 0) return std::nullopt;
  const auto dir = std::filesystem::temp_directory_path();
  const auto file = dir / ("probity-ics-" + std::to_string(::getpid()) + ".ics");
  std::ofstream(file, std::ios::binary) << ics;
  const std::string command =
      "/usr/bin/python3 -c \"import sys, icalendar; c = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read()); "
      "e = c.walk('VEVENT')[0]; print(e.get('UID')); print(e.decoded('DTSTART').isoformat()); print(e.decoded('DTEND').isoformat()); "
      "print(str(e.get('SUMMARY'))); print(str(e.get('LOCATION'))); print(repr(str(e.get('DESCRIPTION'))))\" " +
      file.string();
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  std::filesystem::remove(file);
  return out;
}
}  // namespace

TEST_CASE("ics text: escaping of backslash, semicolon, comma and newlines", "[ics]") {
  CHECK(ics_escape("Board Room, Northbrook House; floor 2") == "Board Room\\, Northbrook House\\; floor 2");
  CHECK(ics_escape("a\\b") == "a\\\\b");
  CHECK(ics_escape("line one\nline two\r\nline three") == "line one\\nline two\\nline three");
  CHECK(ics_escape("bell\a and tab\t") == "bell and tab");
  CHECK(ics_escape("Café – £5") == "Café – £5");
}

TEST_CASE("ics text: lines folded at 75 octets, never inside a character", "[ics]") {
  SECTION("a short line is left alone") { CHECK(ics_fold("SUMMARY:Short") == "SUMMARY:Short\r\n"); }
  SECTION("a long ASCII line") {
    const std::string line = "DESCRIPTION:" + std::string(200, 'x');
    const std::string folded = ics_fold(line);
    std::string unfolded;
    std::size_t start = 0;
    int lines = 0;
    while (start < folded.size()) {
      const auto end = folded.find("\r\n", start);
      REQUIRE(end != std::string::npos);
      const std::string physical = folded.substr(start, end - start);
      CHECK(physical.size() <= 75);
      if (lines > 0) {
        REQUIRE(physical.front() == ' ');
        unfolded += physical.substr(1);
      } else {
        unfolded += physical;
      }
      ++lines;
      start = end + 2;
    }
    CHECK(lines == 3);  // 212 octets: 75 + 74 + 63
    CHECK(unfolded == line);
  }
  SECTION("multi-octet characters are not split") {
    // "é" is two octets: 37 of them after a 1-octet prefix make 75 octets exactly, so the next
    // one must start a new line rather than be cut in half.
    std::string line = "X";
    for (int i = 0; i < 40; ++i) line += "é";
    const std::string folded = ics_fold(line);
    const auto first = folded.substr(0, folded.find("\r\n"));
    CHECK(first.size() == 75);
    CHECK(folded.substr(first.size(), 3) == "\r\n ");
    CHECK(folded.substr(first.size() + 3) == std::string("ééé") + "\r\n");
  }
}

TEST_CASE("a meeting's calendar entry is RFC 5545 text that a calendar library reads back", "[ics]") {
  CalendarEvent e;
  e.uid = "meeting-7@probity.example";
  e.stamp = *parse_instant("2026-12-03T09:08:07Z");
  e.date = *Date::parse("2026-12-10");
  e.summary = "Primary Care Commissioning Committee, meeting in public; part 1";
  e.location = "Board Room, Northbrook House";
  e.description = "First line.\nSecond line with a backslash \\ and a very long tail that goes past the seventy-five octet limit.";
  e.url = "https://probity.example/meetings/7";
  const std::string ics = meeting_calendar(e);
  CHECK(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0) == 0);
  CHECK_THAT(ics, Catch::Contains("\r\nDTSTAMP:20261203T090807Z\r\n"));
  CHECK_THAT(ics, Catch::Contains("\r\nDTSTART;VALUE=DATE:20261210\r\n"));
  CHECK_THAT(ics, Catch::Contains("\r\nDTEND;VALUE=DATE:20261211\r\n"));
  CHECK_THAT(ics, Catch::Contains("\r\nLOCATION:Board Room\\, Northbrook House\r\n"));
  CHECK(ics.substr(ics.size() - 15) == "END:VCALENDAR\r\n");
  for (std::size_t at = ics.find('\n'); at != std::string::npos; at = ics.find('\n', at + 1)) REQUIRE(ics[at - 1] == '\r');

  const auto parsed = parsed_by_icalendar(ics);
  if (!parsed) {
    WARN("python3-icalendar is not installed (scripts/install-deps.sh installs it): the parse check was skipped");
    return;
  }
  CHECK(*parsed ==
        "meeting-7@probity.example\n2026-12-10\n2026-12-11\n"
        "Primary Care Commissioning Committee, meeting in public; part 1\nBoard Room, Northbrook House\n"
        "'First line.\\nSecond line with a backslash \\\\ and a very long tail that goes past the seventy-five octet limit.'\n");
}

TEST_CASE("the public list of meetings shows published meetings only, linked from the header and each committee", "[meeting_lists]") {
  testing::TestServer s;
  auto ids = s.import(testing::demo_bundle());
  const Id pccc = meeting_of(ids, "m-pccc-2026-12"), gb = meeting_of(ids, "m-gb-2026-09");
  auto res = s.client().Get("/meetings");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const std::string& page = res->body;
  CHECK_THAT(page, Catch::Contains("href=\"/meetings/" + std::to_string(gb) + "\">Governing Body (meeting in public)</a>"));
  CHECK_THAT(page, Catch::Contains("17 September 2026"));
  CHECK(page.find("/meetings/" + std::to_string(pccc)) == std::string::npos);  // not published: not there for the public
  // 17 September 2026 is past from the demo's next meeting on; it is listed with its minutes.
  if (Date::today() > *Date::parse("2026-09-17"))
    CHECK_THAT(between(page, "id=\"past\"", "</ul>"), Catch::Contains("/meetings/" + std::to_string(gb) + "/minutes"));
  CHECK_THAT(page, Catch::Contains("class=\"nhsuk-header__navigation-link\" href=\"/meetings\">Meetings</a>"));
  CHECK(page.find("/meetings/manage") == std::string::npos);

  // Each committee's page links to its meetings; the list filtered by committee.
  const Id gb_committee = CommitteeStore(*s.db).find_by_ref("c-gb").value().id;
  const Id pccc_committee = CommitteeStore(*s.db).find_by_ref("c-pccc").value().id;
  auto committee_page = s.client().Get(("/committees/" + std::to_string(gb_committee)).c_str());
  REQUIRE(committee_page);
  CHECK_THAT(committee_page->body, Catch::Contains("href=\"/meetings?committee=" + std::to_string(gb_committee) + "\""));
  auto gb_only = s.client().Get(("/meetings?committee=" + std::to_string(gb_committee)).c_str());
  REQUIRE(gb_only);
  CHECK(gb_only->status == 200);
  CHECK_THAT(gb_only->body, Catch::Contains("/meetings/" + std::to_string(gb)));
  auto pccc_only = s.client().Get(("/meetings?committee=" + std::to_string(pccc_committee)).c_str());
  REQUIRE(pccc_only);
  CHECK(pccc_only->status == 200);
  CHECK(pccc_only->body.find("/meetings/" + std::to_string(gb)) == std::string::npos);
  CHECK_THAT(pccc_only->body, Catch::Contains("No past meeting has been published yet."));
  auto bad = s.client().Get("/meetings?committee=pccc");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  auto unknown = s.client().Get("/meetings?committee=987654");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
}

TEST_CASE("chairs and governance are linked to the meetings they manage, governance to breaches; members are not", "[meeting_lists]") {
  testing::TestServer s;
  auto ids = s.import(testing::demo_bundle());
  const Id pccc = meeting_of(ids, "m-pccc-2026-12");
  auto chair = testing::sign_in(s, "chair@example.nhs.uk", "p-ellison");
  auto vice = testing::sign_in(s, "vice@example.nhs.uk", "p-okonkwo");
  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "p-evans", true);
  auto member = testing::sign_in(s, "member@example.nhs.uk", "p-hassan");
  for (const auto* who : {&chair, &vice, &governance}) {
    auto home = s.client().Get("/", who->headers());
    REQUIRE(home);
    CHECK_THAT(home->body, Catch::Contains("href=\"/meetings/manage\">Meetings you manage</a>"));
    auto list = s.client().Get("/meetings", who->headers());
    REQUIRE(list);
    CHECK_THAT(list->body, Catch::Contains("<a href=\"/meetings/manage\">meetings you manage</a>"));
    auto manage = s.client().Get("/meetings/manage", who->headers());
    REQUIRE(manage);
    CHECK(manage->status == 200);
    CHECK_THAT(manage->body, Catch::Contains("href=\"/meetings/" + std::to_string(pccc) + "/brief\""));
  }
  auto gov_home = s.client().Get("/", governance.headers());
  REQUIRE(gov_home);
  CHECK_THAT(gov_home->body, Catch::Contains("href=\"/meetings/breaches\">Breaches</a>"));
  auto chair_home = s.client().Get("/", chair.headers());
  REQUIRE(chair_home);
  CHECK(chair_home->body.find("/meetings/breaches") == std::string::npos);

  auto member_home = s.client().Get("/", member.headers());
  REQUIRE(member_home);
  CHECK(member_home->body.find("/meetings/manage") == std::string::npos);
  auto refused = s.client().Get("/meetings/manage", member.headers());
  REQUIRE(refused);
  CHECK(refused->status == 403);
}

TEST_CASE("My meetings lists a member's meetings and the items they are flagged on", "[meeting_lists]") {
  testing::TestServer s([](Config& c) { c.today = "2026-12-01"; });
  auto ids = s.import(testing::demo_bundle());
  const Id pccc = meeting_of(ids, "m-pccc-2026-12"), gb = meeting_of(ids, "m-gb-2026-09");
  auto member = testing::sign_in(s, "member@example.nhs.uk", "p-hassan");
  auto dashboard = s.client().Get("/my", member.headers());
  REQUIRE(dashboard);
  CHECK_THAT(dashboard->body, Catch::Contains("<a href=\"/my/meetings\">My meetings</a>"));

  auto res = s.client().Get("/my/meetings", member.headers());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const std::string upcoming = between(res->body, "id=\"upcoming\"", "id=\"past\"");
  CHECK_THAT(upcoming, Catch::Contains("Primary Care Commissioning Committee (meeting in public)"));
  CHECK_THAT(upcoming, Catch::Contains("10 December 2026"));
  CHECK_THAT(upcoming, Catch::Contains("Proposed merger of Riverside Surgery and Millbrook Medical Centre"));
  CHECK_THAT(upcoming, Catch::Contains("Leaves the room"));
  CHECK_THAT(upcoming, Catch::Contains("href=\"/meetings/" + std::to_string(pccc) + ".ics\""));
  // Not published yet: no link to a public page the member could not open.
  CHECK(upcoming.find("href=\"/meetings/" + std::to_string(pccc) + "\"") == std::string::npos);
  const std::string past = between(res->body, "id=\"past\"", "</main>");
  CHECK_THAT(past, Catch::Contains("href=\"/meetings/" + std::to_string(gb) + "\">Governing Body (meeting in public)</a>"));
  CHECK_THAT(past, Catch::Contains("Present"));

  // Dr Kowalski is not on the PCCC and not asked to its meeting; he attended the Governing Body's.
  auto other = testing::sign_in(s, "other@example.nhs.uk", "p-kowalski");
  auto theirs = s.client().Get("/my/meetings", other.headers());
  REQUIRE(theirs);
  CHECK(theirs->status == 200);
  CHECK(theirs->body.find("/meetings/" + std::to_string(pccc) + ".ics") == std::string::npos);
  CHECK_THAT(theirs->body, Catch::Contains("href=\"/meetings/" + std::to_string(gb) + "\">Governing Body (meeting in public)</a>"));

  auto anonymous = s.client().Get("/my/meetings");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 303);
  CHECK_THAT(anonymous->get_header_value("Location"), Catch::StartsWith("/sign-in"));
}

TEST_CASE("a meeting's calendar entry: for anyone once published, before that for its people only", "[ics]") {
  testing::TestServer s;
  auto ids = s.import(testing::demo_bundle());
  const Id pccc = meeting_of(ids, "m-pccc-2026-12"), gb = meeting_of(ids, "m-gb-2026-09");
  auto res = s.client().Get(("/meetings/" + std::to_string(gb) + ".ics").c_str());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  CHECK_THAT(res->get_header_value("Content-Type"), Catch::StartsWith("text/calendar"));
  CHECK_THAT(res->body, Catch::Contains("\r\nUID:meeting-" + std::to_string(gb) + "@"));
  CHECK_THAT(res->body, Catch::Contains("\r\nDTSTART;VALUE=DATE:20260917\r\n"));
  CHECK_THAT(res->body, Catch::Contains("\r\nSUMMARY:Governing Body (meeting in public)\r\n"));
  // The same UID the next time, so a calendar updates the entry rather than adding another.
  auto again = s.client().Get(("/meetings/" + std::to_string(gb) + ".ics").c_str());
  REQUIRE(again);
  CHECK(between(again->body, "UID:", "\r\n") == between(res->body, "UID:", "\r\n"));

  const std::string unpublished = "/meetings/" + std::to_string(pccc) + ".ics";
  auto anonymous = s.client().Get(unpublished.c_str());
  REQUIRE(anonymous);
  CHECK(anonymous->status == 404);
  auto member = testing::sign_in(s, "member@example.nhs.uk", "p-hassan");
  auto outsider = testing::sign_in(s, "outsider@example.nhs.uk", "p-kowalski");
  auto mine = s.client().Get(unpublished.c_str(), member.headers());
  REQUIRE(mine);
  CHECK(mine->status == 200);
  CHECK_THAT(mine->body, Catch::Contains("\r\nLOCATION:Board Room\\, Northbrook House\r\n"));
  auto not_mine = s.client().Get(unpublished.c_str(), outsider.headers());
  REQUIRE(not_mine);
  CHECK(not_mine->status == 404);
  auto missing = s.client().Get("/meetings/987654.ics");
  REQUIRE(missing);
  CHECK(missing->status == 404);
}

TEST_CASE("the brief at a glance: a summary of items by quorum and who leaves, one entry per person and item", "[brief_glance]") {
  testing::TestServer s;
  auto ids = s.import(testing::demo_bundle());
  const Id m = meeting_of(ids, "m-pccc-2026-12");
  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "", true);
  auto res = s.client().Get(("/meetings/" + std::to_string(m) + "/brief").c_str(), governance.headers());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const std::string& page = res->body;
  // The summary comes first, before the matrix and the detail.
  const auto summary_at = page.find("id=\"summary\""), matrix_at = page.find("id=\"matrix\""), detail_at = page.find("Agenda items in detail");
  REQUIRE(summary_at != std::string::npos);
  CHECK(summary_at < matrix_at);
  CHECK(matrix_at < detail_at);
  const std::string summary = between(page, "class=\"nhsuk-table-responsive probity-brief-summary\"", "</table>");
  CHECK(count_of(summary, "<tr role=\"row\" class=\"nhsuk-table__row\">") == 6);
  const std::string merger = between(summary, "Proposed merger of Riverside Surgery", "</tr>");
  CHECK_THAT(merger, Catch::Contains("Inquorate"));
  CHECK_THAT(between(merger, "Leaves the room </span>", "</td>"), Catch::Contains("Dr Amir Hassan"));
  // The chair sent apologies: said once, and not as "the chair is not present" on every item.
  CHECK(count_of(page, "The chair has sent apologies") == 1);
  CHECK(page.find("The chair is not present") == std::string::npos);
  CHECK_THAT(between(page, "<strong>Apologies:</strong>", "</p>"), Catch::Contains("Margaret Ellison (Chair)"));
  // One entry per person and item in the detail, however many flags they have there.
  const std::string merger_detail = between(page, "probity-keep-with-next\">3. Proposed merger of Riverside Surgery", "</section>");
  REQUIRE_FALSE(merger_detail.empty());
  CHECK(count_of(merger_detail, "<li><strong>Dr Amir Hassan</strong>") == 1);
  // The matrix: a row per person with a conflict, one cell per item.
  const std::string matrix = between(page, "class=\"nhsuk-table probity-brief-matrix\"", "</table>");
  const std::string row = between(matrix, "Dr Amir Hassan", "</tr>");
  CHECK(count_of(row, "<td class=\"nhsuk-table__cell\">") == 6);
  CHECK(page.find("style=") == std::string::npos);
}

TEST_CASE("the brief as a PDF for chairs and governance, with a clear message when it cannot be made", "[brief_pdf]") {
  testing::TestServer s;
  auto ids = s.import(testing::demo_bundle());
  const std::string path = "/meetings/" + std::to_string(meeting_of(ids, "m-pccc-2026-12")) + "/brief.pdf";
  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "", true);
  auto member = testing::sign_in(s, "member@example.nhs.uk", "p-hassan");
  auto refused = s.client().Get(path.c_str(), member.headers());
  REQUIRE(refused);
  CHECK(refused->status == 403);

  ::setenv("PROBITY_CHROMIUM", "/nonexistent/chromium", 1);
  auto off = s.client().Get(path.c_str(), governance.headers());
  ::unsetenv("PROBITY_CHROMIUM");
  REQUIRE(off);
  CHECK(off->status == 503);
  CHECK_THAT(off->body, Catch::Contains("PDF download is not available on this server"));

  if (::access("/usr/bin/chromium", X_OK) != 0) {
    WARN("Chromium is not installed: the PDF itself was not made");
    return;
  }
  auto pdf = s.client().Get(path.c_str(), governance.headers());
  REQUIRE(pdf);
  REQUIRE(pdf->status == 200);
  CHECK(pdf->get_header_value("Content-Type") == "application/pdf");
  CHECK_THAT(pdf->get_header_value("Content-Disposition"), Catch::StartsWith("attachment;"));
  CHECK(pdf->body.rfind("%PDF-", 0) == 0);
  CHECK(pdf->body.size() > 10000);
}
