// The chair's brief and GET /api/v1/meetings/{id}/conflicts (issue 5): who may see them, the
// flags and quorum they carry, and the brief page for the demo meeting.
#include "server/meetings_support.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {
Id meeting_id(const json& ids, const std::string& ref) { return ids.at("meetings").at(ref).get<Id>(); }

const json& item_by_ref(const json& conflicts, const std::string& ref) {
  for (const auto& item : conflicts.at("items"))
    if (item.at("ref") == ref) return item;
  FAIL("no item " << ref);
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("conflicts API: governance and the committee's chair see flags and quorum; others are refused") {
  testing::TestServer s;
  auto ids = s.import(testing::small_pccc());
  const Id m = meeting_id(ids, "m-1");
  const std::string path = "/api/v1/meetings/" + std::to_string(m) + "/conflicts";

  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "p-officer", true);
  auto chair = testing::sign_in(s, "chair@example.nhs.uk", "p-chair");
  auto vice = testing::sign_in(s, "vice@example.nhs.uk", "p-vice");
  auto member = testing::sign_in(s, "exec@example.nhs.uk", "p-exec");

  for (const auto* who : {&governance, &chair, &vice}) {
    auto res = s.client().Get(path.c_str(), who->headers());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    auto body = json::parse(res->body);
    CHECK(body.at("meeting").at("id") == m);
    const auto& merger = item_by_ref(body, "a-2");
    REQUIRE_FALSE(merger.at("flags").empty());
    const auto& flag = merger.at("flags").at(0);
    CHECK(flag.at("person").at("ref") == "p-gp");
    CHECK(flag.at("rule") == "organisation");
    CHECK(flag.at("confidence") == "certain");
    CHECK(flag.at("indirect") == false);
    CHECK(flag.at("decision").is_null());
    CHECK_FALSE(flag.at("suggested_action").get<std::string>().empty());
    const auto& q = merger.at("quorum");
    CHECK(q.at("quorate") == true);
    CHECK(q.at("eligible_voting") == 5);  // six voting members less the conflicted GP
    CHECK(q.at("lay") == 3);
    CHECK(q.at("executive") == 2);
    CHECK(q.at("presiding").at("person").at("ref") == "p-chair");
    CHECK(q.at("remedies").empty());
    CHECK(item_by_ref(body, "a-1").at("flags").empty());
  }

  auto refused = s.client().Get(path.c_str(), member.headers());
  REQUIRE(refused);
  CHECK(refused->status == 403);
  CHECK(json::parse(refused->body).at("error").at("code") == "forbidden");

  auto anonymous = s.client().Get(path.c_str());
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);

  auto unknown = s.client().Get("/api/v1/meetings/999999/conflicts", governance.headers());
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
}

TEST_CASE("the brief page for the demo meeting shows the matrix and an inquorate item with remedies") {
  testing::TestServer s;
  auto ids = s.import(testing::demo_bundle());
  const Id m = meeting_id(ids, "m-pccc-2026-12");
  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "", true);
  const std::string path = "/meetings/" + std::to_string(m) + "/brief";

  auto res = s.client().Get(path.c_str(), governance.headers());
  REQUIRE(res);
  REQUIRE(res->status == 200);
  const auto& page = res->body;
  CHECK_THAT(page, Catch::Contains("Chair&#39;s brief") || Catch::Contains("Chair's brief"));
  CHECK_THAT(page, Catch::Contains("<caption class=\"nhsuk-table__caption\">Each person expected at the meeting"));
  CHECK_THAT(page, Catch::Contains("<th scope=\"row\""));
  CHECK_THAT(page, Catch::Contains("Proposed merger of Riverside Surgery"));
  CHECK_THAT(page, Catch::Contains("nhsuk-tag nhsuk-tag--red\">Inquorate"));
  CHECK_THAT(page, Catch::Contains("Defer the item to a later meeting that can be quorate."));
  CHECK_THAT(page, Catch::Contains("Convene a conflicts panel"));
  CHECK_THAT(page, Catch::Contains("Print this brief"));
  CHECK_THAT(page, Catch::Contains("href=\"/meetings/" + std::to_string(m) + "/brief?print=1\""));
  // The reasons are listed per item as text, not only in the matrix.
  CHECK_THAT(page, Catch::Contains("Suggested action:"));
  CHECK(page.find("style=") == std::string::npos);
  CHECK(page.find("<script>") == std::string::npos);

  // The page says what the JSON says: the demo's merger item is inquorate there too.
  auto api = s.client().Get(("/api/v1/meetings/" + std::to_string(m) + "/conflicts").c_str(), governance.headers());
  REQUIRE(api);
  INFO(api->body.substr(0, 300));
  REQUIRE(api->status == 200);
  bool inquorate = false;
  const auto doc = json::parse(api->body);
  for (const auto& item : doc.at("items"))
    if (!item.at("quorum").at("quorate").get<bool>()) {
      inquorate = true;
      CHECK_FALSE(item.at("quorum").at("failures").empty());
      CHECK(item.at("quorum").at("remedies").size() == 4);
    }
  CHECK(inquorate);

  auto print = s.client().Get((path + "?print=1").c_str(), governance.headers());
  REQUIRE(print);
  CHECK(print->status == 200);
  CHECK_THAT(print->body, Catch::Contains("<link rel=\"stylesheet\" href=\"/public/css/brief-print.css\">"));
  CHECK_THAT(print->body, Catch::Contains("Back to the full brief"));
  auto css = s.client().Get("/public/css/brief-print.css");
  REQUIRE(css);
  CHECK(css->status == 200);
}

TEST_CASE("the brief page is refused to members who do not chair the committee, and asks the anonymous to sign in") {
  testing::TestServer s;
  auto ids = s.import(testing::demo_bundle());
  const std::string path = "/meetings/" + std::to_string(meeting_id(ids, "m-pccc-2026-12")) + "/brief";
  auto member = testing::sign_in(s, "member@example.nhs.uk", "p-hassan");
  auto res = s.client().Get(path.c_str(), member.headers());
  REQUIRE(res);
  CHECK(res->status == 403);

  auto anonymous = s.client().Get(path.c_str());
  REQUIRE(anonymous);
  CHECK((anonymous->status == 303 || anonymous->status == 302));
  CHECK_THAT(anonymous->get_header_value("Location"), Catch::StartsWith("/sign-in"));
}

TEST_CASE("the conflicts check is served again until the register changes, with an ETag; then it is rebuilt") {
  testing::TestServer s;
  auto ids = s.import(testing::small_pccc());
  const Id m = meeting_id(ids, "m-1");
  const std::string path = "/api/v1/meetings/" + std::to_string(m) + "/conflicts";
  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "p-officer", true);
  auto member = testing::sign_in(s, "exec@example.nhs.uk", "p-exec");

  auto first = s.client().Get(path.c_str(), governance.headers());
  REQUIRE(first);
  REQUIRE(first->status == 200);
  const std::string etag = first->get_header_value("ETag");
  REQUIRE_FALSE(etag.empty());
  CHECK(first->get_header_value("Cache-Control") == "no-store");  // behind sign-in: never stored by a browser
  auto again = s.client().Get(path.c_str(), governance.headers());
  REQUIRE(again);
  CHECK(again->body == first->body);
  auto headers = governance.headers();
  headers.emplace("If-None-Match", etag);
  auto not_modified = s.client().Get(path.c_str(), headers);
  REQUIRE(not_modified);
  CHECK(not_modified->status == 304);
  // A warm cache does not let anyone else in.
  auto refused = s.client().Get(path.c_str(), member.headers());
  REQUIRE(refused);
  CHECK(refused->status == 403);

  // The executive declares an interest in the other practice in the merger: a new flag.
  Interest added;
  added.person_id = ids.at("people").at("p-exec").get<Id>();
  added.organisation_id = ids.at("organisations").at("millbrook").get<Id>();
  added.nature = "Shareholder in the practice's property company";
  added.from = *Date::parse("2025-01-01");
  added.declared_on = *Date::parse("2025-01-10");
  {
    WriteTransaction tx(*s.db);
    InterestStore(*s.db).save(added, "test");
    tx.commit();
  }
  auto after = s.client().Get(path.c_str(), headers);  // still naming the old ETag
  REQUIRE(after);
  REQUIRE(after->status == 200);
  CHECK(after->get_header_value("ETag") != etag);
  const json rebuilt = json::parse(after->body);
  bool exec_flagged = false;
  for (const auto& flag : item_by_ref(rebuilt, "a-2").at("flags"))
    exec_flagged = exec_flagged || flag.at("person").at("ref") == "p-exec";
  CHECK(exec_flagged);
}
