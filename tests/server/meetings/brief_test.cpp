// The chair's brief and GET /api/v1/meetings/{id}/conflicts: who may see them, the
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
  CHECK_THAT(page, Catch::Contains("<caption class=\"nhsuk-table__caption nhsuk-body-s\">Each person with a conflict against each agenda item"));
  CHECK_THAT(page, Catch::Contains("<th scope=\"row\""));
  CHECK_THAT(page, Catch::Contains("Proposed merger of Riverside Surgery"));
  CHECK_THAT(page, Catch::Contains("nhsuk-tag nhsuk-tag--red\">Inquorate"));
  CHECK_THAT(page, Catch::Contains("Defer the item to a later meeting that can be quorate."));
  CHECK_THAT(page, Catch::Contains("Convene a conflicts panel"));
  CHECK_THAT(page, Catch::Contains("Print this brief"));
  CHECK_THAT(page, Catch::Contains("href=\"/meetings/" + std::to_string(m) + "/brief?print=1\""));
  // The reasons are listed per item as text, not only in the matrix.
  CHECK_THAT(page, Catch::Contains("<ul class=\"probity-brief-conflicts\">"));
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

TEST_CASE("the conflicts check built afresh keeps one ETag per register state and audience, without hashing its body") {
  testing::TestServer s([](Config& c) { c.conflicts_cache = false; });  // every request builds the check
  auto ids = s.import(testing::small_pccc());
  const std::string path = "/api/v1/meetings/" + std::to_string(meeting_id(ids, "m-1")) + "/conflicts";
  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "p-officer", true);
  auto first = s.client().Get(path.c_str(), governance.headers());
  auto second = s.client().Get(path.c_str(), governance.headers());
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(first->status == 200);
  CHECK(second->body == first->body);
  const std::string etag = first->get_header_value("ETag");
  CHECK(second->get_header_value("ETag") == etag);
  CHECK(etag != "\"" + sha256_hex(first->body) + "\"");  // named by what it is, not hashed
  auto headers = governance.headers();
  headers.emplace("If-None-Match", etag);
  auto not_modified = s.client().Get(path.c_str(), headers);
  REQUIRE(not_modified);
  CHECK(not_modified->status == 304);
  // Any write moves the register on: the same check is then named afresh.
  {
    WriteTransaction tx(*s.db);
    PersonStore people(*s.db);
    auto exec = people.find(ids.at("people").at("p-exec").get<Id>()).value();
    exec.position = "Director of finance and contracting";
    people.save(exec, "test");
    tx.commit();
  }
  auto after = s.client().Get(path.c_str(), headers);
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->get_header_value("ETag") != etag);
}

namespace {
// The PCCC of small_pccc(), and someone outside it whose only interest is withheld from the
// public register: a financial stake, through a relative, in a company no one else declares.
json with_withheld_outsider() {
  json bundle = testing::small_pccc();
  bundle["organisations"].push_back(
      {{"ref", "quietwater"}, {"name", "Quietwater Holdings Ltd"}, {"identifier", "SC999111"}, {"kind", "company"}});
  bundle["people"].push_back({{"ref", "p-outside"}, {"name", "Morgan Outside"}, {"kind", "officer"}, {"position", "Contracts officer"}});
  bundle["interests"].push_back({{"ref", "i-secret"}, {"person", "p-outside"}, {"category", "financial"}, {"indirect", true},
                                 {"relationship", "Brother-in-law"}, {"organisation", "quietwater"},
                                 {"nature", "Majority shareholder through a family trust"}, {"from", "2019-03-03"},
                                 {"declared_on", "2019-03-13"}, {"action_taken", "Excluded from Quietwater procurement"},
                                 {"status", "approved"}, {"withheld", true}, {"withheld_reason", "Risk of harm to a relative"}});
  return bundle;
}

// Everything only the withheld entry holds; none of it may reach anyone but governance.
const std::vector<std::string> kSecrets = {"Quietwater", "SC999111", "Majority shareholder", "family trust", "Brother-in-law",
                                           "Excluded from Quietwater", "2019-03", "March 2019"};
}  // namespace

TEST_CASE("a chair who adds an outsider and an item naming every organisation learns that they are conflicted, not why") {
  testing::TestServer s;
  auto ids = s.import(with_withheld_outsider());
  const Id m = meeting_id(ids, "m-1");
  const Id outsider = ids.at("people").at("p-outside").get<Id>();
  const std::string meeting = "/meetings/" + std::to_string(m);
  auto chair = testing::sign_in(s, "chair@example.nhs.uk", "p-chair");
  auto governance = testing::sign_in(s, "gov@example.nhs.uk", "p-officer", true);

  // The chair (no governance rights) puts the outsider on the attendance list and adds an item
  // naming every organisation on the register.
  auto post = [&](const std::string& rest, const json& body) {
    return s.client().Post(("/api/v1" + meeting + rest).c_str(), chair.api_post_headers(), body.dump(), "application/json");
  };
  auto added = post("/attendance", {{"person_id", outsider}, {"status", "expected"}});
  REQUIRE(added);
  REQUIRE(added->status == 200);
  json every = json::array();
  for (const auto& [ref, id] : ids.at("organisations").items()) every.push_back(id);
  auto item = post("/items", {{"title", "Review of community contracts"}, {"category", "procurement"}, {"organisation_ids", every}});
  REQUIRE(item);
  REQUIRE(item->status == 201);
  const Id review = json::parse(item->body).at("id").get<Id>();

  auto outsider_flag = [&](const json& conflicts) {
    for (const auto& i : conflicts.at("items"))
      if (i.at("id") == review)
        for (const auto& f : i.at("flags"))
          if (f.at("person").at("id") == outsider) return f;
    FAIL("the outsider is not flagged on the review item");
    return json();
  };

  // The governance team asks first, so a cached copy of its detailed check exists for this
  // state of the register.
  auto detailed = s.client().Get(("/api/v1" + meeting + "/conflicts").c_str(), governance.headers());
  REQUIRE(detailed);
  REQUIRE(detailed->status == 200);
  CHECK_THAT(detailed->body, Catch::Contains("Quietwater Holdings Ltd"));

  for (int round = 0; round < 2; ++round) {  // built, then served again from the cache
    CAPTURE(round);
    auto res = s.client().Get(("/api/v1" + meeting + "/conflicts").c_str(), chair.headers());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    for (const auto& secret : kSecrets) {
      CAPTURE(secret);
      CHECK(res->body.find(secret) == std::string::npos);
    }
    const json flag = outsider_flag(json::parse(res->body));
    CHECK(flag.at("withheld") == true);
    CHECK(flag.at("rule") == "withheld");
    CHECK(flag.at("confidence") == "certain");
    CHECK(flag.at("indirect").is_null());
    CHECK(flag.at("interest_ids") == json::array());
    CHECK(flag.at("reason") ==
          "Morgan Outside has an interest that is withheld from the public register and conflicts with item \"Review of "
          "community contracts\". Only the governance team can see its details.");
    CHECK_THAT(flag.at("suggested_action").get<std::string>(), Catch::StartsWith("Leave the room for this item"));
  }

  // The brief, its printable version and the page used at the meeting say the same, without details.
  for (const std::string& page : {meeting + "/brief", meeting + "/brief?print=1", meeting + "/record"}) {
    CAPTURE(page);
    auto res = s.client().Get(page.c_str(), chair.headers());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    for (const auto& secret : kSecrets) {
      CAPTURE(secret);
      CHECK(res->body.find(secret) == std::string::npos);
    }
    CHECK_THAT(res->body, Catch::Contains("Morgan Outside has an interest that is withheld from the public register"));
    CHECK_THAT(res->body, Catch::Contains("Interest withheld from the public register"));  // the rule's label
    // The brief gives the guidance's words; the record page, one form per person and item, the
    // suggested decision's label.
    CHECK_THAT(res->body, Catch::Contains(page.ends_with("/record") ? "Suggested: Leave the room for the item" : "Leave the room for this item"));
  }

  // Governance still reads the details, in the check and on the brief, and its cached copy is its own.
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    auto res = s.client().Get(("/api/v1" + meeting + "/conflicts").c_str(), governance.headers());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const json flag = outsider_flag(json::parse(res->body));
    CHECK(flag.at("withheld") == true);
    CHECK(flag.at("rule") == "indirect");
    CHECK_THAT(flag.at("reason").get<std::string>(),
               Catch::Contains("Quietwater Holdings Ltd") && Catch::Contains("Majority shareholder through a family trust"));
    CHECK(flag.at("interest_ids") == json::array({ids.at("interests").at("i-secret")}));
  }
  auto brief = s.client().Get((meeting + "/brief").c_str(), governance.headers());
  REQUIRE(brief);
  CHECK_THAT(brief->body, Catch::Contains("Quietwater Holdings Ltd"));

  // Marking the meeting held answers the chair with the breaches it opened: without details.
  auto held = post("/held", json::object());
  REQUIRE(held);
  REQUIRE(held->status == 200);
  bool outsider_breach = false;
  const json answer = json::parse(held->body);
  for (const auto& b : answer.at("breaches"))
    if (b.at("person_id") == outsider) outsider_breach = true;
  CHECK(outsider_breach);
  for (const auto& secret : kSecrets) {
    CAPTURE(secret);
    CHECK(held->body.find(secret) == std::string::npos);
  }
  // The breaches register is the governance team's, and keeps the full reason.
  auto breaches = s.client().Get("/api/v1/meetings/breaches", governance.headers());
  REQUIRE(breaches);
  CHECK_THAT(breaches->body, Catch::Contains("Quietwater Holdings Ltd"));
}
