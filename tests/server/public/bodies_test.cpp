// Each body's public register: ?body= on the register, its CSV and JSON and the
// gifts, /bodies and /api/v1/bodies, a body line per entry only when there are several bodies, and
// the people of a body that publishes its register elsewhere kept off every public output. That
// a single-body instance's outputs are unchanged is tests/golden/single_body_golden.py's job.
#include <catch2/catch.hpp>

#include "model/register/bodies.hpp"
#include "server/public_fixture.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
using probity::testing::contains;

// The fixture's register with two more bodies: Westbrook CCG (published here) is Ben's home
// body, NHS England (published elsewhere) Zoë's.
struct SeveralBodies {
  PublicRegisterServer r;
  Body westbrook{0, "westbrook", "NHS Westbrook CCG", "W1X", BodyKind::ccg, "", BodyPublication::here, ""};
  Body england{0, "england", "NHS England", "X24", BodyKind::nhs_england, "", BodyPublication::elsewhere,
               "https://england.example.nhs.uk/register"};
  SeveralBodies() {
    auto& db = *r.s.db;
    westbrook = *create_body(db, westbrook, "test").saved;  // each in a transaction of its own
    england = *create_body(db, england, "test").saved;
    WriteTransaction tx(db);
    r.ben.body_id = westbrook.id;
    PersonStore(db).save(r.ben, "test");
    r.zoe.body_id = england.id;
    PersonStore(db).save(r.zoe, "test");
    tx.commit();
  }
  httplib::Result get(const std::string& path) {
    auto c = r.client();
    return c.Get(path.c_str());
  }
  json get_json(const std::string& path) {
    auto res = get(path);
    REQUIRE(res);
    CAPTURE(path, res->body);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }
  std::string w() const { return std::to_string(westbrook.id); }
};

std::vector<Id> body_entry_ids(const json& doc) {
  std::vector<Id> out;
  for (const auto& e : doc.at("entries")) out.push_back(e.at("id").get<Id>());
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("bodies: the combined register and each body's, with the person's body in every JSON entry") {
  SeveralBodies b;
  auto all = b.get_json("/api/v1/register");
  CHECK(body_entry_ids(all) == std::vector<Id>{b.r.partner.id, b.r.five_months.id, b.r.withheld.id});
  for (const auto& e : all.at("entries")) {
    const bool ben = e.at("id").get<Id>() == b.r.withheld.id;
    CHECK(e.at("person").at("body").at("id").get<Id>() == (ben ? b.westbrook.id : kDefaultBody));
    CHECK(e.at("person").at("body").at("name") == (ben ? "NHS Westbrook CCG" : b.r.s.app->config().organisation_name));
  }
  auto westbrook = b.get_json("/api/v1/register?body=" + b.w());
  CHECK(body_entry_ids(westbrook) == std::vector<Id>{b.r.withheld.id});
  CHECK(westbrook.at("total") == 1);
  // Withheld in its body's view as in the combined one: no detail keys, no withheld details.
  CHECK(westbrook.at("entries").at(0).at("withheld") == true);
  CHECK_FALSE(westbrook.at("entries").at(0).contains("nature"));
  auto page = b.get("/register?body=" + b.w());
  REQUIRE(page);
  REQUIRE(page->status == 200);
  for (const auto& secret : kWithheldDetails) CHECK_FALSE(contains(page->body, secret));
  CHECK(contains(page->body, "This entry is withheld from the public register."));
  auto csv = b.get("/register.csv?body=" + b.w());
  REQUIRE(csv);
  for (const auto& secret : kWithheldDetails) CHECK_FALSE(contains(csv->body, secret));
  auto def = b.get_json("/api/v1/register?body=1");
  CHECK(body_entry_ids(def) == std::vector<Id>{b.r.partner.id, b.r.five_months.id});
}

TEST_CASE("bodies: the register page offers a Body filter and names each entry's body only with several bodies") {
  SECTION("one body: no Body select, no body line") {
    PublicRegisterServer r;
    auto c = r.client();
    auto res = c.Get("/register");
    REQUIRE(res);
    CHECK_FALSE(contains(res->body, "id=\"body\""));
    CHECK_FALSE(contains(res->body, "/bodies"));
    auto csv = c.Get("/register.csv");
    CHECK_FALSE(contains(csv->body, "Body"));
  }
  SECTION("several bodies") {
    SeveralBodies b;
    auto res = b.get("/register?body=" + b.w());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    CHECK(contains(res->body, "<label class=\"nhsuk-label\" for=\"body\">Body</label>"));
    CHECK(contains(res->body, "<option value=\"\">All bodies</option>"));
    CHECK(contains(res->body, "<option value=\"" + b.w() + "\" selected>NHS Westbrook CCG</option>"));
    CHECK(contains(res->body, "Showing the register of NHS Westbrook CCG."));
    CHECK(contains(res->body, "<br><span class=\"nhsuk-body-s\">NHS Westbrook CCG</span>"));
    CHECK(contains(res->body, "href=\"/register.csv?body=" + b.w() + "\""));
    auto csv = b.get("/register.csv");
    REQUIRE(csv);
    CHECK(contains(csv->body.substr(0, csv->body.find('\n')), ",Body"));
    CHECK(contains(csv->body, "NHS Westbrook CCG"));
    auto england = b.get("/register?body=" + std::to_string(b.england.id));
    REQUIRE(england);
    CHECK(england->status == 200);
    CHECK(contains(england->body, "NHS England publishes its register at"));
    CHECK(contains(england->body, "href=\"https://england.example.nhs.uk/register\""));
  }
}

TEST_CASE("bodies: a body that publishes elsewhere keeps its people off every public output") {
  SeveralBodies b;
  const std::string zoe = std::to_string(b.r.zoe.id);
  const std::string audit = std::to_string(b.r.audit.id);
  for (const std::string& path : std::vector<std::string>{"/register", "/register.csv", "/api/v1/register", "/register.atom", "/gifts", "/api/v1/gifts",
                                 "/gifts.csv", "/committees/" + audit, "/api/v1/committees/" + audit}) {
    auto res = b.get(path);
    REQUIRE(res);
    CAPTURE(path);
    CHECK(res->status == 200);  // an elsewhere body's people are left out, not an error
    CHECK_FALSE(contains(res->body, "Consultancy"));  // Zoë's entry
    CHECK_FALSE(contains(res->body, "Le Caf"));       // Zoë's dinner
    CHECK_FALSE(contains(res->body, "Chief finance officer"));
  }
  CHECK(b.get("/people/" + zoe)->status == 404);
  CHECK(b.get("/api/v1/people/" + zoe)->status == 404);
  CHECK(b.get("/register/history/" + std::to_string(b.r.tricky.id))->status == 404);
  CHECK(b.get_json("/api/v1/register?body=" + std::to_string(b.england.id)).at("total") == 0);
  // Still on record for the conflict checks.
  CHECK(InterestStore(*b.r.s.db).find(b.r.tricky.id).has_value());
}

TEST_CASE("bodies: /bodies and /api/v1/bodies list each body with its kind and where its register is") {
  SeveralBodies b;
  auto doc = b.get_json("/api/v1/bodies");
  REQUIRE(doc.at("bodies").size() == 3);
  CHECK(doc["bodies"][0].at("id") == kDefaultBody);
  CHECK(doc["bodies"][0].at("name") == b.r.s.app->config().organisation_name);
  CHECK(doc["bodies"][0].at("entries") == 2);
  CHECK(doc["bodies"][1].at("name") == "NHS England");
  CHECK(doc["bodies"][1].at("kind") == "nhs_england");
  CHECK(doc["bodies"][1].at("publication") == "elsewhere");
  CHECK(doc["bodies"][1].at("register_url") == "https://england.example.nhs.uk/register");
  CHECK(doc["bodies"][1].at("entries") == 0);
  CHECK(doc["bodies"][2].at("ods_code") == "W1X");
  CHECK(doc["bodies"][2].at("entries") == 1);
  auto page = b.get("/bodies");
  REQUIRE(page);
  REQUIRE(page->status == 200);
  CHECK(contains(page->body, "Clinical commissioning group"));
  CHECK(contains(page->body, "NHS England"));
  CHECK(contains(page->body, "href=\"/register?body=" + b.w() + "\""));
  CHECK(contains(page->body, "href=\"https://england.example.nhs.uk/register\""));
  CHECK_FALSE(contains(page->body, "nhs_england"));
  // A person's page names their body, a committee's page its bodies.
  auto ben = b.get("/people/" + std::to_string(b.r.ben.id));
  CHECK(contains(ben->body, "<a class=\"nhsuk-link\" href=\"/register?body=" + b.w() + "\">NHS Westbrook CCG</a>"));
  auto pccc = b.get("/committees/" + std::to_string(b.r.pccc.id));
  CHECK(contains(pccc->body, "A committee of <a class=\"nhsuk-link\" href=\"/register?body=1\">"));
  auto committees = b.get("/committees");
  CHECK(contains(committees->body, "Primary Care Commissioning Committee</a><br><span class=\"nhsuk-body-s\">" +
                                       b.r.s.app->config().organisation_name + "</span>"));
}

TEST_CASE("bodies: a body= that is no body's id is a 400 for the API and CSV, and an error page, never a 500") {
  SeveralBodies b;
  for (const char* query : {"body=999", "body=abc", "body=-1", "body=1.5", "body=99999999999999999999"}) {
    for (const char* path : {"/api/v1/register?", "/register.csv?", "/register?", "/api/v1/gifts?", "/gifts?"}) {
      auto res = b.get(std::string(path) + query);
      REQUIRE(res);
      CAPTURE(path, query, res->body);
      CHECK(res->status == 400);
      if (std::string(path).rfind("/api/", 0) == 0) CHECK(json::parse(res->body).at("error").at("details").contains("body"));
      else if (std::string(path) == "/register?") CHECK(contains(res->body, "body must be"));
    }
  }
}
