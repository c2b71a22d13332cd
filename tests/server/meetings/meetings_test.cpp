// Meeting management, recording at the meeting, breaches, minutes and the public view of
// published meetings, through real HTTP requests.
#include "server/pccc_fixture.hpp"

#include <atomic>
#include <memory>

#include "model/store/audit_log.hpp"
#include "model/meetings/meeting_store.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {
struct Fixture : testing::PcccFixture {
  Id meeting = ids.at("meetings").at("m-1").get<Id>();
  Id merger = 0;
  Id gp = person("p-gp");

  Fixture() : PcccFixture("p-officer") {
    auto res = s.client().Get(path("/conflicts", true).c_str(), chair.headers());
    INFO(res->body.substr(0, 300));
    REQUIRE(res->status == 200);
    const auto doc = json::parse(res->body);
    for (const auto& item : doc.at("items"))
      if (item.at("ref") == "a-2") merger = item.at("id").get<Id>();
  }
  std::string path(const std::string& rest = "", bool api = false) const {
    return std::string(api ? "/api/v1" : "") + "/meetings/" + std::to_string(meeting) + rest;
  }
  httplib::Result api_post(const testing::SignedIn& who, const std::string& rest, const json& body) { return post(who, path(rest, true), body); }
  httplib::Result form_post(const testing::SignedIn& who, const std::string& rest, testing::FormFields fields, bool with_csrf = true) {
    return form(who, path(rest), std::move(fields), with_csrf);
  }
  json merger_quorum() {
    auto res = s.client().Get(path("/conflicts", true).c_str(), chair.headers());
    INFO(res->body.substr(0, 300));
    REQUIRE(res->status == 200);
    const auto doc = json::parse(res->body);
    for (const auto& item : doc.at("items"))
      if (item.at("id") == merger) return item.at("quorum");
    return nullptr;
  }
};
}  // namespace

TEST_CASE("recording the chair's decision changes the item's quorum") {
  Fixture f;
  CHECK(f.merger_quorum().at("eligible_voting") == 5);

  // The chair lets the conflicted GP take part: he counts again.
  auto res = f.api_post(f.chair, "/decisions",
                        {{"agenda_item_id", f.merger}, {"person_id", f.gp}, {"action", "participate"},
                         {"reason", "Interest is historic and the partnership has been dissolved."}, {"decided_by", "Margaret Ellison"}});
  REQUIRE(res);
  REQUIRE(res->status == 201);
  auto body = json::parse(res->body);
  CHECK(body.at("action") == "participate");
  CHECK(body.at("quorum").at("eligible_voting") == 6);
  CHECK(f.merger_quorum().at("eligible_voting") == 6);

  // Through the form: three more leave the room and the item becomes inquorate.
  for (const char* ref : {"p-vice", "p-lay", "p-exec2"}) {
    auto form = f.form_post(f.chair, "/decisions",
                            {{"agenda_item_id", std::to_string(f.merger)},
                             {"person_id", std::to_string(f.ids.at("people").at(ref).get<Id>())},
                             {"action", "leave_room"}, {"reason", "Declared an interest on the day."}, {"decided_by", "Margaret Ellison"}});
    REQUIRE(form);
    CHECK(form->status == 303);
    CHECK_THAT(form->get_header_value("Location"), Catch::Contains("/record"));
  }
  auto q = f.merger_quorum();
  CHECK(q.at("eligible_voting") == 3);
  CHECK(q.at("quorate") == false);
  CHECK(q.at("failures").at(0).at("rule") == "min_voting");
  CHECK(q.at("remedies").size() == 4);
}

TEST_CASE("a decision that follows the suggested action needs no reason; one that departs from it does") {
  Fixture f;
  // Dr Hassan is a partner of Riverside Surgery: a certain financial conflict, suggested "leave the room".
  auto follows = f.api_post(f.chair, "/decisions",
                            {{"agenda_item_id", f.merger}, {"person_id", f.gp}, {"action", "leave_room"}, {"decided_by", "Margaret Ellison"}});
  REQUIRE(follows);
  CHECK(follows->status == 201);
  CHECK(json::parse(follows->body).at("reason") == "");

  auto departs = f.api_post(f.chair, "/decisions",
                            {{"agenda_item_id", f.merger}, {"person_id", f.gp}, {"action", "participate"}, {"decided_by", "Margaret Ellison"}});
  REQUIRE(departs);
  CHECK(departs->status == 422);
  CHECK(json::parse(departs->body).at("error").at("details") ==
        json{{"reason", "Enter the reason for departing from the suggested decision (Leave the room for the item), as it should "
                        "appear in the minutes"}});
  CHECK(f.merger_quorum().at("eligible_voting") == 5);  // the refused decision changed nothing

  // The same through the form at the meeting: the page again with the error summary, then with a reason.
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"agenda_item_id", std::to_string(f.merger)}, {"person_id", std::to_string(f.gp)}, {"action", "no_vote"}, {"decided_by", "Margaret Ellison"}};
  auto form = f.form_post(f.chair, "/decisions", fields);
  REQUIRE(form);
  CHECK(form->status == 422);
  CHECK_THAT(form->body, Catch::Contains("nhsuk-error-summary") &&
                             Catch::Contains("Enter the reason for departing from the suggested decision (Leave the room for the item)"));
  // The summary links to the reason field of the form that was sent (one form per flag on the
  // page), the message is shown at that field, and what was chosen and typed is kept there.
  const std::string form_id = "d-" + std::to_string(f.merger) + "-" + std::to_string(f.gp);
  CHECK_THAT(form->body, Catch::Contains("href=\"#" + form_id + "-reason\""));
  CHECK_THAT(form->body, Catch::Contains("id=\"" + form_id + "-reason-error\""));
  CHECK_THAT(form->body, Catch::Contains("id=\"" + form_id + "-decided_by\" name=\"decided_by\" type=\"text\" value=\"Margaret Ellison\""));
  CHECK_THAT(form->body, Catch::Contains("<option value=\"no_vote\" selected>"));
  auto with_reason = fields;
  with_reason.emplace_back("reason", "Dr Hassan may explain the practices' position; he does not vote.");
  auto saved = f.form_post(f.chair, "/decisions", with_reason);
  REQUIRE(saved);
  CHECK(saved->status == 303);

  // Someone with no flag on the item takes part by default; leaving the room departs from that.
  const Id exec = f.ids.at("people").at("p-exec").get<Id>();
  auto unflagged = f.api_post(f.chair, "/decisions",
                              {{"agenda_item_id", f.merger}, {"person_id", exec}, {"action", "leave_room"}, {"decided_by", "Margaret Ellison"}});
  REQUIRE(unflagged);
  CHECK(unflagged->status == 422);
  CHECK_THAT(unflagged->body, Catch::Contains("(Take full part)"));

  // The page at the meeting starts each form at the suggestion and says when a reason is needed.
  auto page = f.s.client().Get(f.path("/record").c_str(), f.chair.headers());
  REQUIRE(page);
  CHECK_THAT(page->body, Catch::Contains("Needed if your decision is not the suggested one (Leave the room for the item)"));
}

TEST_CASE("changes without a CSRF token are refused") {
  Fixture f;
  auto form = f.form_post(f.chair, "/declarations", {{"person_id", std::to_string(f.gp)}, {"text", "Partner at Riverside"}}, false);
  REQUIRE(form);
  CHECK(form->status == 403);
  auto wrong = f.form_post(f.chair, "/declarations",
                           {{"person_id", std::to_string(f.gp)}, {"text", "Partner"}, {"csrf_token", "not-the-token"}}, false);
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto api = f.s.client().Post(f.path("/declarations", true).c_str(), f.chair.headers(),
                               json{{"person_id", f.gp}, {"text", "Partner"}}.dump(), "application/json");
  REQUIRE(api);
  CHECK(api->status == 403);
  CHECK(json::parse(api->body).at("error").at("code") == "csrf_failed");
  // Nothing was recorded.
  auto minutes = f.s.client().Get(f.path("/minutes.txt").c_str(), f.chair.headers());
  REQUIRE(minutes);
  CHECK_THAT(minutes->body, Catch::Contains("No interests were declared."));
}

TEST_CASE("a member who does not chair the committee cannot manage or record") {
  Fixture f;
  auto member = testing::sign_in(f.s, "exec@example.nhs.uk", "p-exec");
  auto res = f.api_post(member, "/declarations", {{"person_id", f.gp}, {"text", "x"}});
  REQUIRE(res);
  CHECK(res->status == 403);
  auto page = f.s.client().Get(f.path("/manage").c_str(), member.headers());
  REQUIRE(page);
  CHECK(page->status == 403);
}

TEST_CASE("invalid input: field errors as JSON details, and the NHS error summary on the page") {
  Fixture f;
  auto res = f.api_post(f.chair, "/decisions", {{"agenda_item_id", f.merger}, {"person_id", f.gp}, {"action", "shout"}});
  REQUIRE(res);
  CHECK(res->status == 422);
  auto details = json::parse(res->body).at("error").at("details");
  CHECK(details.at("action") == "Select how the conflict is managed");
  // Whether a reason is needed depends on the decision, which is not known here.
  CHECK_FALSE(details.contains("reason"));
  CHECK(details.contains("decided_by"));

  auto form = f.form_post(f.chair, "/declarations", {{"person_id", std::to_string(f.gp)}, {"text", ""}});
  REQUIRE(form);
  CHECK(form->status == 422);
  CHECK_THAT(form->body, Catch::Contains("nhsuk-error-summary"));
  CHECK_THAT(form->body, Catch::Contains("href=\"#text\""));
  CHECK_THAT(form->body, Catch::Contains("Enter what was declared"));
}

TEST_CASE("minutes list the declarations, decisions and movements recorded") {
  Fixture f;
  REQUIRE(f.api_post(f.chair, "/declarations", {{"person_id", f.gp}, {"agenda_item_id", f.merger},
                                                {"text", "Partner at Riverside Surgery <since 2012>"}})->status == 201);
  const Id vice = f.ids.at("people").at("p-vice").get<Id>();
  REQUIRE(f.api_post(f.chair, "/declarations", {{"person_id", vice}, {"text", "Spouse works for Millbrook Medical Centre (not on the register)"}})
              ->status == 201);
  REQUIRE(f.api_post(f.chair, "/decisions", {{"agenda_item_id", f.merger}, {"person_id", f.gp}, {"action", "leave_room"},
                                             {"reason", "Financial interest in a party to the merger."}, {"decided_by", "Margaret Ellison"}})
              ->status == 201);
  auto left = f.api_post(f.chair, "/movements", {{"person_id", f.gp}, {"agenda_item_id", f.merger}, {"left_at", "14:05"}});
  REQUIRE(left->status == 201);
  REQUIRE(f.api_post(f.chair, "/movements", {{"movement_id", json::parse(left->body).at("id")}, {"returned_at", "14:40"}})->status == 201);

  auto text = f.s.client().Get(f.path("/minutes.txt").c_str(), f.chair.headers());
  REQUIRE(text);
  CHECK(text->status == 200);
  CHECK_THAT(text->get_header_value("Content-Type"), Catch::StartsWith("text/plain"));
  CHECK_THAT(text->body, Catch::Contains("DECLARATIONS OF INTEREST"));
  CHECK_THAT(text->body, Catch::Contains("Samuel Okonkwo declared, for the whole meeting: Spouse works for Millbrook"));
  CHECK_THAT(text->body, Catch::Contains("Item 2: Proposed merger of Riverside Surgery"));
  CHECK_THAT(text->body, Catch::Contains("Dr Amir Hassan declared: Partner at Riverside Surgery <since 2012>"));
  CHECK_THAT(text->body, Catch::Contains("Left the room for the discussion and the decision. Decided by Margaret Ellison"));
  CHECK_THAT(text->body, Catch::Contains("left the room at 14:05 and returned at 14:40"));

  auto html = f.s.client().Get(f.path("/minutes").c_str(), f.chair.headers());
  REQUIRE(html);
  CHECK(html->status == 200);
  CHECK_THAT(html->body, Catch::Contains("Partner at Riverside Surgery &lt;since 2012&gt;"));
  CHECK_THAT(html->body, Catch::Contains("Spouse works for Millbrook"));
}

TEST_CASE("an unpublished meeting is 404 to the public; once held and published it shows the declarations") {
  Fixture f;
  for (const auto& path : {f.path(), f.path("", true), f.path("/minutes.txt"), f.path("/minutes")}) {
    CAPTURE(path);
    auto res = f.s.client().Get(path.c_str());
    REQUIRE(res);
    CHECK(res->status == 404);
  }
  REQUIRE(f.api_post(f.chair, "/declarations", {{"person_id", f.gp}, {"agenda_item_id", f.merger}, {"text", "Partner at Riverside Surgery"}})
              ->status == 201);
  REQUIRE(f.api_post(f.chair, "/decisions", {{"agenda_item_id", f.merger}, {"person_id", f.gp}, {"action", "leave_room"},
                                             {"reason", "Financial interest in a party to the merger."}, {"decided_by", "Margaret Ellison"}})
              ->status == 201);

  auto early = f.api_post(f.chair, "/publish", json::object());
  REQUIRE(early);
  CHECK(early->status == 409);
  CHECK(json::parse(early->body).at("error").at("code") == "meeting_not_held");

  auto held = f.form_post(f.chair, "/held", {});
  REQUIRE(held);
  CHECK(held->status == 303);
  auto published = f.api_post(f.chair, "/publish", json::object());
  REQUIRE(published);
  CHECK(published->status == 200);
  CHECK(json::parse(published->body).at("published") == true);

  auto api = f.s.client().Get(f.path("", true).c_str());
  REQUIRE(api);
  REQUIRE(api->status == 200);
  auto body = json::parse(api->body);
  CHECK(body.at("meeting").at("committee").at("name") == "Primary Care Commissioning Committee");
  const auto& item = body.at("items").at(1);
  CHECK(item.at("declarations").at(0).at("text") == "Partner at Riverside Surgery");
  CHECK(item.at("conflicts").at(0).at("action") == "leave_room");
  CHECK(item.at("conflicts").at(0).at("person").at("name") == "Dr Amir Hassan");
  // The flags' reasons are not public: only what was declared and decided.
  CHECK(api->body.find("suggested_action") == std::string::npos);

  auto page = f.s.client().Get(f.path().c_str());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Declarations of interest"));
  CHECK_THAT(page->body, Catch::Contains("Partner at Riverside Surgery"));
  CHECK_THAT(page->body, Catch::Contains("Left the room for the discussion and the decision"));

  // Published records are final.
  auto late = f.api_post(f.chair, "/declarations", {{"person_id", f.gp}, {"text", "Another"}});
  REQUIRE(late);
  CHECK(late->status == 409);
}

TEST_CASE("marking a meeting held opens draft breaches for undeclared certain conflicts; governance resolves them") {
  Fixture f;
  auto held = f.api_post(f.chair, "/held", json::object());
  REQUIRE(held);
  REQUIRE(held->status == 200);
  auto body = json::parse(held->body);
  CHECK(body.at("meeting").at("status") == "held");
  REQUIRE(body.at("breaches").size() == 1);
  const auto& breach = body.at("breaches").at(0);
  CHECK(breach.at("person_id") == f.gp);
  CHECK(breach.at("agenda_item_id") == f.merger);
  CHECK(breach.at("status") == "open");

  // Marking it held again does not open a second breach.
  auto again = f.api_post(f.chair, "/held", json::object());
  REQUIRE(again);
  CHECK(json::parse(again->body).at("breaches").size() == 1);

  auto chair_view = f.s.client().Get("/meetings/breaches", f.chair.headers());
  REQUIRE(chair_view);
  CHECK(chair_view->status == 403);
  auto page = f.s.client().Get("/meetings/breaches", f.governance.headers());
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Dr Amir Hassan"));
  CHECK_THAT(page->body, Catch::Contains("No declaration was recorded at the meeting"));

  const std::string id = std::to_string(breach.at("id").get<Id>());
  auto missing_reason = f.s.client().Post(("/meetings/breaches/" + id).c_str(), f.governance.headers(),
                                          testing::form_body({{"csrf_token", f.governance.csrf}, {"status", "dismissed"}}),
                                          "application/x-www-form-urlencoded");
  REQUIRE(missing_reason);
  CHECK(missing_reason->status == 422);
  auto dismissed = f.s.client().Post(("/meetings/breaches/" + id).c_str(), f.governance.headers(),
                                     testing::form_body({{"csrf_token", f.governance.csrf}, {"status", "dismissed"},
                                                         {"resolution", "Declared orally; the clerk missed it."}}),
                                     "application/x-www-form-urlencoded");
  REQUIRE(dismissed);
  CHECK(dismissed->status == 303);
  auto list = f.s.client().Get("/api/v1/meetings/breaches", f.governance.headers());
  REQUIRE(list);
  auto breaches = json::parse(list->body).at("breaches");
  CHECK(breaches.at(0).at("status") == "dismissed");
  CHECK(breaches.at(0).at("resolution") == "Declared orally; the clerk missed it.");
}

TEST_CASE("chairs create meetings, set attendance, add and reorder agenda items") {
  Fixture f;
  const Id committee = f.ids.at("committees").at("pccc").get<Id>();
  auto created = f.s.client().Post("/api/v1/meetings", f.chair.api_post_headers(),
                                   json{{"committee_id", committee}, {"title", "Extraordinary PCCC"}, {"date", "2027-01-14"}}.dump(),
                                   "application/json");
  REQUIRE(created);
  REQUIRE(created->status == 201);
  const Id m = json::parse(created->body).at("id").get<Id>();
  const std::string base = "/api/v1/meetings/" + std::to_string(m);

  auto post = [&](const std::string& rest, const json& body) {
    return f.s.client().Post((base + rest).c_str(), f.chair.api_post_headers(), body.dump(), "application/json");
  };
  const Id riverside = f.ids.at("organisations").at("riverside").get<Id>();
  auto lis = post("/items", {{"title", "Local incentive scheme 2027/28"}, {"category", "local_incentive_scheme"}});
  REQUIRE(lis->status == 201);
  CHECK(json::parse(lis->body).at("affects_all_gp_practices") == true);  // the category's default
  auto contract = post("/items", {{"title", "Riverside contract variation"}, {"category", "gp_contract"}, {"organisation_ids", {riverside}}});
  REQUIRE(contract->status == 201);
  CHECK(json::parse(contract->body).at("affects_all_gp_practices") == false);
  CHECK(json::parse(contract->body).at("position") == 2);
  auto bad_org = post("/items", {{"title", "X"}, {"organisation_ids", {999999}}});
  CHECK(bad_org->status == 422);

  const Id a = json::parse(lis->body).at("id").get<Id>(), b = json::parse(contract->body).at("id").get<Id>();
  auto reordered = post("/items/order", {{"item_ids", {b, a}}});
  REQUIRE(reordered->status == 200);
  auto order = json::parse(reordered->body).at("items");
  CHECK(order.at(0).at("id") == b);
  CHECK(order.at(0).at("position") == 1);

  auto apologies = post("/attendance", {{"person_id", f.ids.at("people").at("p-chair")}, {"status", "apologies"}});
  REQUIRE(apologies->status == 200);

  auto conflicts = f.s.client().Get((base + "/conflicts").c_str(), f.chair.headers());
  REQUIRE(conflicts->status == 200);
  auto items = json::parse(conflicts->body).at("items");
  CHECK(items.at(0).at("title") == "Riverside contract variation");
  // The GP is conflicted on both items; with the chair away the lay vice-chair presides.
  CHECK(items.at(1).at("flags").at(0).at("rule") == "all_gp_practices");
  CHECK(items.at(0).at("quorum").at("presiding").at("person").at("ref") == "p-vice");

  auto list = f.s.client().Get("/meetings/manage", f.chair.headers());
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK_THAT(list->body, Catch::Contains("Extraordinary PCCC"));
  auto manage = f.s.client().Get(("/meetings/" + std::to_string(m) + "/manage").c_str(), f.chair.headers());
  REQUIRE(manage);
  CHECK(manage->status == 200);
  CHECK_THAT(manage->body, Catch::Contains("Move up"));
  CHECK_THAT(manage->body, Catch::Contains("name=\"csrf_token\" value=\"" + f.chair.csrf + "\""));

  auto record = f.s.client().Get(("/meetings/" + std::to_string(m) + "/record").c_str(), f.chair.headers());
  REQUIRE(record);
  CHECK(record->status == 200);
  CHECK_THAT(record->body, Catch::Contains("Record the decision"));
}

namespace {
// small_pccc()'s meeting, already held, behind a server whose meeting changes publish the
// meeting themselves (on another connection, as a second chair would) between the handler's
// checks and the change's own write, when `publish_in_between` is set.
struct PublishRace {
  struct Shared {
    std::atomic<bool> publish_in_between{false};
    long long audit_after_publish = 0;  // the last audit id once that publish committed
  };
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  testing::TestServer s{[shared = shared](Config& c) {
    c.after_meeting_checks = [shared, path = c.database](Id meeting_id) {
      if (!shared->publish_in_between.exchange(false)) return;
      auto db = open_database(path, false);
      WriteTransaction tx(*db);
      MeetingStore meetings(*db);
      Meeting m = meetings.find(meeting_id).value();
      m.published = true;
      meetings.save(m, "other-chair");
      tx.commit();
      shared->audit_after_publish = last_audit_id(*db);
    };
  }};
  json ids = s.import(testing::small_pccc());
  Id meeting = ids.at("meetings").at("m-1").get<Id>();
  Id declarations = ids.at("agenda_items").at("a-1").get<Id>();
  Id merger = ids.at("agenda_items").at("a-2").get<Id>();
  Id gp = ids.at("people").at("p-gp").get<Id>();
  Id officer = ids.at("people").at("p-officer").get<Id>();
  testing::SignedIn chair = testing::sign_in(s, "chair@example.nhs.uk", "p-chair");

  PublishRace() {
    WriteTransaction tx(*s.db);
    Meeting m = MeetingStore(*s.db).find(meeting).value();
    m.status = MeetingStatus::held;
    MeetingStore(*s.db).save(m, "test");
    tx.commit();
  }
  // `rest` may name the agenda items as {declarations} and {merger}.
  std::string fill(std::string text) const {
    for (const auto& [name, id] : {std::pair<std::string, Id>{"{declarations}", declarations}, {"{merger}", merger}})
      for (auto at = text.find(name); at != std::string::npos; at = text.find(name))
        text.replace(at, name.size(), std::to_string(id));
    return text;
  }
  httplib::Result send(const std::string& rest, const std::string& body) {
    return s.client().Post(("/api/v1/meetings/" + std::to_string(meeting) + fill(rest)).c_str(), chair.api_post_headers(),
                           fill(body), "application/json");
  }
};
}  // namespace

TEST_CASE("a meeting change that reaches its write after the meeting was published is refused, and writes nothing") {
  // Each change with a body that succeeds on the held meeting; ids are filled in per server.
  auto [rest, body, ok] = GENERATE(table<std::string, std::string, int>({
      {"/attendance", R"({"person_id": OFFICER, "status": "present"})", 200},
      {"/items", R"({"title": "A late item", "category": "other"})", 201},
      {"/items/order", R"({"item_ids": [{merger}, {declarations}]})", 200},
      {"/items/{merger}", R"({"title": "Merger of Riverside Surgery and Millbrook Medical Centre", "category": "practice_merger"})", 200},
      {"/items/{declarations}/withdraw", "{}", 200},
      {"/declarations", R"({"person_id": GP, "agenda_item_id": {merger}, "text": "Partner at Riverside Surgery"})", 201},
      {"/decisions", R"({"agenda_item_id": {merger}, "person_id": GP, "action": "leave_room", "decided_by": "Margaret Ellison"})", 201},
      {"/movements", R"({"person_id": GP, "agenda_item_id": {merger}, "left_at": "14:05"})", 201},
      {"/held", "{}", 200},
      {"/publish", "{}", 200},
      {"/agenda/publish", "{}", 200},
  }));
  CAPTURE(rest);
  auto with_people = [](std::string text, const PublishRace& r) {
    for (const auto& [name, id] : {std::pair<std::string, Id>{"OFFICER", r.officer}, {"GP", r.gp}})
      for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) text.replace(at, name.size(), std::to_string(id));
    return text;
  };

  SECTION("sent while nobody publishes, it is made") {
    PublishRace r;
    auto res = r.send(rest, with_people(body, r));
    REQUIRE(res);
    INFO(res->body.substr(0, 300));
    CHECK(res->status == ok);
  }
  SECTION("published between the handler's checks and the write, it is refused inside the write") {
    PublishRace r;
    r.shared->publish_in_between = true;
    auto res = r.send(rest, with_people(body, r));
    REQUIRE(res);
    INFO(res->body.substr(0, 300));
    REQUIRE(r.shared->audit_after_publish != 0);  // the publish did land in between
    CHECK(res->status == 409);
    CHECK(json::parse(res->body).at("error").at("code") == "meeting_published");
    CHECK(last_audit_id(*r.s.db) == r.shared->audit_after_publish);  // nothing written after the publish

    // The public minutes are as published: the agenda as it was and nothing recorded.
    auto minutes = r.s.client().Get(("/api/v1/meetings/" + std::to_string(r.meeting)).c_str());
    REQUIRE(minutes);
    REQUIRE(minutes->status == 200);
    const auto doc = json::parse(minutes->body);
    CHECK(doc.at("declarations").empty());
    REQUIRE(doc.at("items").size() == 2);
    CHECK(doc.at("items").at(0).at("id") == r.declarations);
    CHECK(doc.at("items").at(1).at("title") == "Proposed merger of Riverside Surgery and Millbrook Medical Centre");
    for (const auto& item : doc.at("items")) {
      CHECK(item.at("declarations").empty());
      CHECK(item.at("conflicts").empty());
      CHECK(item.at("movements").empty());
    }
  }
}

TEST_CASE("a form sent while the meeting is being published gets the same refusal") {
  PublishRace r;
  r.shared->publish_in_between = true;
  auto res = r.s.client().Post(("/meetings/" + std::to_string(r.meeting) + "/declarations").c_str(), r.chair.headers(),
                               testing::form_body({{"csrf_token", r.chair.csrf}, {"person_id", std::to_string(r.gp)},
                                                   {"agenda_item_id", std::to_string(r.merger)}, {"text", "Partner at Riverside Surgery"}}),
                               "application/x-www-form-urlencoded");
  REQUIRE(res);
  REQUIRE(r.shared->audit_after_publish != 0);
  CHECK(res->status == 409);
  CHECK_THAT(res->body, Catch::Contains("minutes have been published"));
  CHECK(last_audit_id(*r.s.db) == r.shared->audit_after_publish);
}
