#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "server/public_fixture.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
struct DocExample {
  std::string path;
  int status = 200;
  json body;
};

// Every JSON block in the document (docs/api.md, docs/api-meetings.md) preceded by
// <!-- example: PATH [status=N] -->.
std::vector<DocExample> documented_examples(const std::string& document) {
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/" + document);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  std::regex marker(R"(<!-- example: (\S+)(?: status=(\d+))? -->\s*```json\n([\s\S]*?)```)");
  std::vector<DocExample> out;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), marker); it != std::sregex_iterator(); ++it) {
    DocExample e;
    e.path = (*it)[1];
    if ((*it)[2].matched) e.status = std::stoi((*it)[2]);
    e.body = json::parse((*it)[3].str());
    out.push_back(std::move(e));
  }
  return out;
}

bool same_type(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.is_number_float() == b.is_number_float();
  return a.type() == b.type();
}

// True when `actual` has the shape `documented` shows: objects with exactly the same keys, each
// documented array item matching some actual item and every actual item matching some
// documented one (so a variant such as a withheld entry must be documented), values of the same
// type. A null on either side stands for a value that may be absent.
bool same_shape(const json& documented, const json& actual, const std::string& where, std::string& why) {
  if (documented.is_null() || actual.is_null()) return true;
  if (documented.is_object()) {
    if (!actual.is_object()) return why = where + ": documented an object", false;
    for (const auto& [k, v] : documented.items())
      if (!actual.contains(k)) return why = where + "." + k + ": documented but not sent", false;
    for (const auto& [k, v] : actual.items()) {
      if (!documented.contains(k)) return why = where + "." + k + ": sent but not documented", false;
      if (!same_shape(documented[k], v, where + "." + k, why)) return false;
    }
    return true;
  }
  if (documented.is_array()) {
    if (!actual.is_array()) return why = where + ": documented an array", false;
    if (documented.empty()) return true;
    if (actual.empty()) return why = where + ": documented items, the test server sent none", false;
    std::string ignored;
    for (const auto& d : documented) {
      bool found = false;
      for (const auto& a : actual) found = found || same_shape(d, a, where + "[]", ignored);
      if (!found) return why = where + "[]: a documented item matches no item sent: " + d.dump(), false;
    }
    for (const auto& a : actual) {
      bool found = false;
      for (const auto& d : documented) found = found || same_shape(d, a, where + "[]", ignored);
      if (!found) return why = where + "[]: an item sent matches no documented item: " + a.dump(), false;
    }
    return true;
  }
  if (!same_type(documented, actual)) return why = where + ": documented " + documented.dump() + ", sent " + actual.dump(), false;
  return true;
}
}  // namespace

TEST_CASE("the shape checker notices missing, extra and retyped keys") {
  std::string why;
  CHECK(same_shape(json::parse(R"({"a": 1, "b": [{"c": "x"}]})"), json::parse(R"({"a": 2, "b": [{"c": "y"}]})"), "$", why));
  CHECK_FALSE(same_shape(json::parse(R"({"a": 1})"), json::parse(R"({"a": 1, "b": 2})"), "$", why));
  CHECK(why == "$.b: sent but not documented");
  CHECK_FALSE(same_shape(json::parse(R"({"a": 1, "b": 2})"), json::parse(R"({"a": 1})"), "$", why));
  CHECK_FALSE(same_shape(json::parse(R"({"a": "1"})"), json::parse(R"({"a": 1})"), "$", why));
  CHECK_FALSE(same_shape(json::parse(R"([{"a": 1}])"), json::parse(R"([{"a": 1}, {"b": 1}])"), "$", why));
}

TEST_CASE("every JSON example in docs/api.md has the shape the server sends") {
  PublicRegisterServer r;
  const std::map<std::string, std::string> ids = {{"{person}", std::to_string(r.zoe.id)},
                                                  {"{committee}", std::to_string(r.pccc.id)},
                                                  {"{entry}", std::to_string(r.partner.id)}};
  auto examples = documented_examples("docs/api.md");
  REQUIRE(examples.size() >= 8);
  std::set<std::string> documented_paths;
  for (auto& e : examples) {
    std::string path = e.path;
    for (const auto& [placeholder, id] : ids)
      if (auto at = path.find(placeholder); at != std::string::npos) path.replace(at, placeholder.size(), id);
    CAPTURE(e.path, path);
    documented_paths.insert(e.path.substr(0, e.path.find_first_of("?{")));
    auto res = r.client().Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == e.status);
    std::string why;
    CHECK(same_shape(e.body, json::parse(res->body), "$", why));
    CHECK(why == "");
  }
  // Every public JSON endpoint has an example.
  for (const char* endpoint : {"/api/v1/register", "/api/v1/people/", "/api/v1/committees", "/api/v1/committees/",
                               "/api/v1/gifts", "/api/v1/register/history/"}) {
    CAPTURE(endpoint);
    CHECK(documented_paths.count(endpoint) == 1);
  }
}

TEST_CASE("the published-meeting example in docs/api-meetings.md has the shape the server sends") {
  PublicRegisterServer r;
  // Something of everything recorded, so each documented array is checked against real items.
  const auto meeting = r.meeting();
  const std::map<std::string, std::string> ids = {{"{meeting}", std::to_string(meeting.meeting.id)}};
  auto examples = documented_examples("docs/api-meetings.md");
  REQUIRE_FALSE(examples.empty());
  std::set<std::string> documented_paths;
  for (auto& e : examples) {
    std::string path = e.path;
    for (const auto& [placeholder, id] : ids)
      if (auto at = path.find(placeholder); at != std::string::npos) path.replace(at, placeholder.size(), id);
    CAPTURE(e.path, path);
    documented_paths.insert(e.path.substr(0, e.path.find_first_of("?{")));
    auto res = r.client().Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == e.status);
    std::string why;
    CHECK(same_shape(e.body, json::parse(res->body), "$", why));
    CHECK(why == "");
  }
  CHECK(documented_paths.count("/api/v1/meetings/") == 1);
}
