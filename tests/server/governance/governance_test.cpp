#include <catch2/catch.hpp>

#include <regex>

#include "server/browser.hpp"

using namespace probity;
using namespace probity::testing;

TEST_CASE("governance: only governance sees the compliance list; it creates an account and a one-time link that works") {
  // Invitation emails off: the page shows the link to hand over (tests/server/mail/ follow the emailed one).
  TestServer s([](Config& c) {
    fast_accounts(c);
    c.raw["mail"]["kinds"]["invitation"] = false;
  });
  Id asha = add_person(s, "p-asha", "Dr Asha Patel");
  Id ben = add_person(s, "p-ben", "Dr Ben Okafor");
  add_account(s, "asha@example.nhs.uk", asha);
  add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);

  Browser member(s);
  REQUIRE(member.sign_in("asha@example.nhs.uk")->status == 303);
  CHECK(member.get("/governance")->status == 403);
  CHECK(member.get("/governance/non-compliance.csv")->status == 403);
  CHECK(Browser(s).get("/governance")->status == 303);

  Browser g(s);
  auto in = g.sign_in("guardian@example.nhs.uk");
  CHECK(in->get_header_value("Location") == "/governance");
  auto page = g.get("/governance");
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Dr Ben Okafor") && Catch::Contains("Due by"));
  auto csv = g.get("/governance/non-compliance.csv");
  CHECK(csv->status == 200);
  CHECK_THAT(csv->body, Catch::StartsWith("name,position,state,due_by,overdue_since") && Catch::Contains("\r\nDr Ben Okafor,Member,Due,"));

  g.get("/governance");
  auto bad = g.post("/governance/accounts", {{"email", "not an email"}, {"person", std::to_string(ben)}, {"role", "member"}});
  CHECK(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("href=\"#email\"") && Catch::Contains("value=\"not an email\""));
  auto made = g.post("/governance/accounts", {{"email", "ben@example.nhs.uk"}, {"person", std::to_string(ben)}, {"role", "member"}});
  REQUIRE(made->status == 201);
  std::smatch m;
  REQUIRE(std::regex_search(made->body, m, std::regex("(/set-password/[0-9a-f]+)")));
  Browser newcomer(s);
  newcomer.get(m[1].str());
  CHECK(newcomer.post(m[1].str(), {{"password", "ben's own long phrase"}, {"confirm", "ben's own long phrase"}})->status == 200);
  CHECK(newcomer.sign_in("ben@example.nhs.uk", "ben's own long phrase")->status == 303);
  CHECK(newcomer.get("/my")->status == 200);
}

TEST_CASE("governance: the non-compliance CSV neutralises every cell a spreadsheet would run, a leading tab or CR included") {
  TestServer s([](Config& c) { fast_accounts(c); });
  add_person(s, "p-tab", "\t=cmd|' /C calc'!A0");
  add_person(s, "p-cr", "\r=1+1");
  add_person(s, "p-eq", "=HYPERLINK(\"http://x\")");
  add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  Browser g(s);
  REQUIRE(g.sign_in("guardian@example.nhs.uk")->status == 303);
  auto csv = g.get("/governance/non-compliance.csv");
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK_THAT(csv->body, Catch::Contains("\r\n'\t=cmd|' /C calc'!A0,Member,Due,"));
  CHECK_THAT(csv->body, Catch::Contains("\r\n\"'\r=1+1\",Member,Due,"));
  CHECK_THAT(csv->body, Catch::Contains("\r\n\"'=HYPERLINK(\"\"http://x\"\")\",Member,Due,"));
  CHECK(csv->body.find("\r\n\t") == std::string::npos);
  CHECK(csv->body.find("\r\n\r") == std::string::npos);
}
