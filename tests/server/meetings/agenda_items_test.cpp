// Editing and withdrawing agenda items: a chair or governance changes an item or takes
// it off the agenda; the brief follows; an item with records at the meeting stays; forms keep
// what was typed on a mistake.
#include "model/meetings/meeting_store.hpp"
#include "server/pccc_fixture.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {
struct Agenda : testing::PcccFixture {
  Id meeting = ids.at("meetings").at("m-1").get<Id>();
  Id merger = ids.at("agenda_items").at("a-2").get<Id>();
  Id riverside = org("riverside");
  Id millbrook = org("millbrook");
  testing::SignedIn& gp = member;

  std::string item_path(Id item, const std::string& rest = "", bool api = false) const {
    return std::string(api ? "/api/v1" : "") + "/meetings/" + std::to_string(meeting) + "/items/" + std::to_string(item) + rest;
  }
  json conflicts() {
    auto res = s.client().Get(("/api/v1/meetings/" + std::to_string(meeting) + "/conflicts").c_str(), chair.headers());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return json::parse(res->body).at("items");
  }
  long long audit_rows() { return (*s.db).execAndGet("SELECT COUNT(*) FROM audit_log").getInt64(); }
};

json item_with_ref(const json& items, const std::string& ref) {
  for (const auto& item : items)
    if (item.at("ref") == ref) return item;
  return nullptr;
}
}  // namespace

TEST_CASE("editing an agenda item writes a new version and the brief follows it") {
  Agenda a;
  REQUIRE_FALSE(item_with_ref(a.conflicts(), "a-2").at("flags").empty());  // the GP, partner at Riverside

  auto res = a.post(a.chair, a.item_path(a.merger, "", true),
                        {{"title", "Millbrook Medical Centre: branch closure"}, {"category", "gp_contract"}, {"organisation_ids", {a.millbrook}}});
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body).at("title") == "Millbrook Medical Centre: branch closure");
  CHECK(json::parse(res->body).at("position") == 2);  // its place on the agenda is kept

  const auto item = item_with_ref(a.conflicts(), "a-2");
  CHECK(item.at("title") == "Millbrook Medical Centre: branch closure");
  CHECK(item.at("flags").empty());  // Riverside is no longer linked, so the GP is not conflicted
  CHECK(AgendaItemStore(*a.s.db).history(a.merger).size() == 2);
}

TEST_CASE("an agenda item form with a mistake comes back with the input kept and the errors shown") {
  Agenda a;
  const auto before = a.audit_rows();
  auto res = a.form(a.chair, a.item_path(a.merger),
                         {{"title", ""}, {"description", "Kept <text>"}, {"category", "procurement"}, {"organisation_1", std::to_string(a.millbrook)},
                          {"organisation_2", "999999"}, {"affects_all_gp_practices", "no"}});
  REQUIRE(res);
  CHECK(res->status == 422);
  CHECK_THAT(res->body, Catch::Contains("nhsuk-error-summary"));
  CHECK_THAT(res->body, Catch::Contains("href=\"#title\""));
  CHECK_THAT(res->body, Catch::Contains("Enter the item&apos;s title"));
  CHECK_THAT(res->body, Catch::Contains("href=\"#organisation_2\""));
  CHECK_THAT(res->body, Catch::Contains("Kept &lt;text&gt;"));
  CHECK_THAT(res->body, Catch::Contains("<option value=\"procurement\" selected>"));
  CHECK_THAT(res->body, Catch::Contains("<option value=\"" + std::to_string(a.millbrook) + "\" selected>"));
  CHECK_THAT(res->body, Catch::Contains("value=\"no\" checked"));
  CHECK(a.audit_rows() == before);

  SECTION("the edit page starts from the item as it is") {
    auto page = a.s.client().Get(a.item_path(a.merger).c_str(), a.chair.headers());
    REQUIRE(page);
    REQUIRE(page->status == 200);
    CHECK_THAT(page->body, Catch::Contains("value=\"Proposed merger of Riverside Surgery and Millbrook Medical Centre\""));
    CHECK_THAT(page->body, Catch::Contains("<option value=\"practice_merger\" selected>"));
    CHECK_THAT(page->body, Catch::Contains("<option value=\"" + std::to_string(a.riverside) + "\" selected>"));
  }
  SECTION("a valid form redirects back to the meeting") {
    auto ok = a.form(a.chair, a.item_path(a.merger), {{"title", "Merger (revised)"}, {"category", "practice_merger"}});
    REQUIRE(ok);
    CHECK(ok->status == 303);
    CHECK(ok->get_header_value("Location") == "/meetings/" + std::to_string(a.meeting) + "/manage#agenda");
  }
}

TEST_CASE("withdrawing an agenda item takes it off the agenda and the brief, and keeps its history") {
  Agenda a;
  auto res = a.form(a.chair, a.item_path(a.merger, "/withdraw"), {});
  REQUIRE(res);
  CHECK(res->status == 303);
  CHECK(item_with_ref(a.conflicts(), "a-2").is_null());
  CHECK(AgendaItemStore(*a.s.db).find(a.merger)->withdrawn);
  CHECK(AgendaItemStore(*a.s.db).history(a.merger).size() == 2);

  auto manage = a.s.client().Get(("/meetings/" + std::to_string(a.meeting) + "/manage").c_str(), a.chair.headers());
  REQUIRE(manage);
  CHECK_THAT(manage->body, !Catch::Contains("Proposed merger of Riverside"));
  // A withdrawn item is no longer on the agenda to edit or withdraw again.
  auto again = a.post(a.chair, a.item_path(a.merger, "/withdraw", true), json::object());
  CHECK(again->status == 404);
  CHECK(a.s.client().Get(a.item_path(a.merger).c_str(), a.chair.headers())->status == 404);
}

TEST_CASE("an agenda item with a decision recorded at the meeting cannot be withdrawn") {
  Agenda a;
  const Id gp_person = a.ids.at("people").at("p-gp").get<Id>();
  auto decided = a.post(a.chair, "/api/v1/meetings/" + std::to_string(a.meeting) + "/decisions",
                            {{"agenda_item_id", a.merger}, {"person_id", gp_person}, {"action", "leave_room"},
                             {"reason", "Partner at Riverside Surgery"}, {"decided_by", "Margaret Ellison"}});
  REQUIRE(decided);
  REQUIRE(decided->status == 201);
  const auto before = a.audit_rows();
  auto res = a.post(a.chair, a.item_path(a.merger, "/withdraw", true), json::object());
  REQUIRE(res);
  CHECK(res->status == 409);
  CHECK(json::parse(res->body).at("error").at("code") == "item_has_records");
  CHECK(a.audit_rows() == before);
  auto page = a.s.client().Get(a.item_path(a.merger).c_str(), a.chair.headers());
  CHECK_THAT(page->body, Catch::Contains("so it stays on the agenda"));
  CHECK_THAT(page->body, !Catch::Contains("/withdraw\""));
}

TEST_CASE("only the committee's chair or governance edits or withdraws its agenda items") {
  Agenda a;
  const auto before = a.audit_rows();
  CHECK(a.post(a.gp, a.item_path(a.merger, "", true), {{"title", "Mine now"}})->status == 403);
  CHECK(a.post(a.gp, a.item_path(a.merger, "/withdraw", true), json::object())->status == 403);
  CHECK(a.s.client().Get(a.item_path(a.merger).c_str(), a.gp.headers())->status == 403);
  // Without the CSRF token, even the chair's change is refused.
  auto no_csrf = a.s.client().Post(a.item_path(a.merger, "/withdraw").c_str(), a.chair.headers(), "", "application/x-www-form-urlencoded");
  CHECK(no_csrf->status == 403);
  CHECK(a.audit_rows() == before);
}
