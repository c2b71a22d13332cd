// Issue 6: every route called as anonymous, a member, the chair of another committee, the chair
// of this committee and governance, with the expected status for each. The test fails when a
// route is registered without a row here, so a new route cannot skip this review.
#include <catch2/catch.hpp>

#include <iostream>

#include <array>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "model/committee_store.hpp"
#include "server/meetings_support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
enum Role { anonymous, member, other_chair, chair, governance, role_count };
const char* const kRoleNames[] = {"anonymous", "member (GP)", "chair of another committee", "chair of this committee",
                                  "governance"};

// Expected outcomes. SIGN_IN: 303 to /sign-in for pages, 401 for the API. Statuses of 400/422
// mean the request was authorised and reached validation with the empty body we send.
constexpr int SIGN_IN = -1;

struct Row {
  const char* method;
  const char* pattern;  // exactly as registered
  const char* path;     // with {meeting}, {item}, {gb_meeting}, {interest}, {gift}, {nil_return}, {person}, {committee}, {membership}, {token}
  std::array<int, role_count> expected;
};

// {meeting}: the PCCC's planned meeting (committee of Ms Ellison, chair; Dr Sinclair chairs the
// governing body); {item}: an item of its agenda. {interest}, {gift}, {nil_return}: Dr Hassan's
// own (the member). {gb_meeting}: published.
const std::vector<Row> kRows = {
#include "access_control_table.inc"
};

std::string fill(std::string path, const std::map<std::string, std::string>& ids) {
  for (const auto& [key, value] : ids) {
    const std::string token = "{" + key + "}";
    for (auto pos = path.find(token); pos != std::string::npos; pos = path.find(token))
      path.replace(pos, token.size(), value);
  }
  return path;
}

struct Fixture {
  TestServer server;
  std::map<std::string, std::string> ids;
  std::array<std::optional<Id>, role_count> users{};

  Fixture() {
    std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
    std::stringstream text;
    text << in.rdbuf();
    json r = server.import(json::parse(text.str()));
    ids = demo_route_ids(*server.db, r);
    AccountStore accounts(*server.db);
    auto person = [&](const char* ref) { return std::optional<Id>(r["people"][ref].get<Id>()); };
    users[member] = accounts.create_user("hassan@example.nhs.uk", person("p-hassan"), UserRole::member, "test", now_instant()).id;
    users[other_chair] = accounts.create_user("sinclair@example.nhs.uk", person("p-sinclair"), UserRole::member, "test", now_instant()).id;
    users[chair] = accounts.create_user("ellison@example.nhs.uk", person("p-ellison"), UserRole::member, "test", now_instant()).id;
    users[governance] = accounts.create_user("evans@example.nhs.uk", person("p-evans"), UserRole::governance, "test", now_instant()).id;
  }

  // A fresh session for each request, so a sign-out in one row cannot affect another.
  int call(const Row& row, Role role) {
    httplib::Headers headers;
    if (users[role]) {
      AccountStore accounts(*server.db);
      auto made = accounts.create_session(*users[role], now_instant());
      headers = {{"Cookie", "probity_session=" + made.token}, {"X-CSRF-Token", made.session.csrf_token}};
    }
    const std::string path = fill(row.path, ids);
    const bool api = path.rfind("/api/", 0) == 0;
    auto c = server.client();
    const std::string method = row.method;
    httplib::Result res = method == "GET"   ? c.Get(path.c_str(), headers)
                          : method == "PUT" ? c.Put(path.c_str(), headers, api ? "{}" : "", api ? "application/json" : "application/x-www-form-urlencoded")
                                            : c.Post(path.c_str(), headers, api ? "{}" : "", api ? "application/json" : "application/x-www-form-urlencoded");
    if (!res) return 0;
    if (res->status == 303 && res->get_header_value("Location").rfind("/sign-in", 0) == 0) return SIGN_IN;
    if (res->status == 401 && api) return SIGN_IN;
    return res->status;
  }
};
}  // namespace

TEST_CASE("every route has an entry in the access-control table, and every entry is a route") {
  TestServer s;
  std::set<std::pair<std::string, std::string>> registered, tabled;
  for (const auto& r : s.app->http().routes()) registered.insert({r.method, r.pattern});
  for (const auto& r : kRows) tabled.insert({r.method, r.pattern});
  std::vector<std::string> missing, stale;
  for (const auto& r : registered)
    if (!tabled.count(r)) missing.push_back(r.first + " " + r.second);
  for (const auto& r : tabled)
    if (!registered.count(r)) stale.push_back(r.first + " " + r.second);
  CAPTURE(missing, stale);
  CHECK(missing.empty());
  CHECK(stale.empty());
}

TEST_CASE("each route answers each kind of user as the table says") {
  // Reading routes share one server; each changing route gets a fresh one so that, say,
  // publishing a meeting in one row cannot change what the next row sees.
  Fixture shared;
  for (const auto& row : kRows) {
    std::unique_ptr<Fixture> fresh;
    Fixture& f = std::string(row.method) == "GET" ? shared : *(fresh = std::make_unique<Fixture>());
    for (int role = 0; role < role_count; ++role) {
      const int got = f.call(row, static_cast<Role>(role));
      CAPTURE(row.method, row.pattern, fill(row.path, f.ids), kRoleNames[role], got);
      CHECK(got == row.expected[static_cast<std::size_t>(role)]);
    }
  }
}

// Not run by default: prints a table row, with today's answers, for every registered route, to
// review and paste into access_control_table.inc when routes are added.
TEST_CASE("discover the answers for every route", "[.discover]") {
  Fixture f;
  auto guess = [](std::string pattern) {
    static const std::vector<std::pair<std::string, std::string>> ids = {
        {"/meetings/breaches/", "1"}, {"/meetings/", "{meeting}"}, {"/my/interests/", "{interest}"},
        {"/my/gifts/", "{gift}"}, {"/my/nil-returns/", "{nil_return}"},
        {"/register/history/", "{interest}"}, {"/people/", "{person}"}, {"/committees/", "{committee}"},
        {"/set-password/", "{token}"}, {"/items/", "{item}"}, {"/memberships/", "{membership}"}};
    for (const auto& [prefix, id] : ids) {
      auto at = pattern.find(prefix);
      if (at == std::string::npos) continue;
      auto group = pattern.find('(', at + prefix.size() - 1);
      if (group == at + prefix.size()) {
        auto close = pattern.find(')', group);
        pattern.replace(group, close - group + 1, id);
      }
    }
    return std::regex_replace(pattern, std::regex(R"(\\\.)"), ".");
  };
  for (const auto& r : f.server.app->http().routes()) {
    Row row{r.method.c_str(), r.pattern.c_str(), "", {}};
    std::string path = guess(r.pattern);
    row.path = path.c_str();
    std::unique_ptr<Fixture> fresh;
    Fixture& g = r.method == "GET" ? f : *(fresh = std::make_unique<Fixture>());
    std::string line = "    {\"" + r.method + "\", R\"(" + r.pattern + ")\", \"" + path + "\", {";
    for (int role = 0; role < role_count; ++role) {
      int got = g.call(row, static_cast<Role>(role));
      line += (role ? ", " : "") + (got == SIGN_IN ? std::string("SIGN_IN") : std::to_string(got));
    }
    std::cout << line << "}},\n";
  }
}
