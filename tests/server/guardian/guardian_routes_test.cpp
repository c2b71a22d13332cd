// The Conflicts of Interest Guardian over HTTP: a withholding request from the member's page to
// the Guardian's decision and the public register; a breach recorded by governance, confirmed,
// signed off and published anonymised; the pages' mistakes shown on the form again (422).
#include <catch2/catch.hpp>

#include "model/accounts/user_store.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/store/database.hpp"
#include "model/register/withholding_requests.hpp"
#include "server/meetings_support.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
const char* const kGuardForm = "application/x-www-form-urlencoded";

struct GuardRoutesFixture {
  TestServer s;
  json ids = s.import(demo_bundle());
  SignedIn member = sign_in(s, "hassan@example.nhs.uk", "p-hassan");
  SignedIn governance = sign_in(s, "evans@example.nhs.uk", "p-evans", true);
  SignedIn guardian = [this] {
    auto user = UserStore(*s.db).create_user("guardian@example.nhs.uk", std::nullopt, UserRole::guardian, "test", now_instant());
    auto made = SessionStore(*s.db).create_session(user.id, now_instant());
    return SignedIn{"probity_session=" + made.token, made.session.csrf_token};
  }();

  httplib::Result guard_post(const SignedIn& who, const std::string& path, std::vector<std::pair<std::string, std::string>> fields) {
    fields.insert(fields.begin(), {"csrf_token", who.csrf});
    return s.client().Post(path.c_str(), who.headers(), form_body(fields), kGuardForm);
  }
  httplib::Result guard_get(const SignedIn& who, const std::string& path) { return s.client().Get(path.c_str(), who.headers()); }
  httplib::Result guard_public(const std::string& path) { return s.client().Get(path.c_str()); }
  Id id_of(const char* kind, const char* ref) { return ids[kind][ref].get<Id>(); }
};
}  // namespace

TEST_CASE("guardian: a member's request to withhold an entry goes through governance to the Guardian, who may withhold the name") {
  GuardRoutesFixture f;
  const std::string entry = "/my/interests/" + std::to_string(f.id_of("interests", "i-hassan-pcn"));

  auto page = f.guard_get(f.member, entry);
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Ask for it to be withheld"));

  auto empty = f.guard_post(f.member, entry + "/withholding-request", {{"reason", ""}});
  REQUIRE(empty);
  CHECK(empty->status == 422);
  CHECK_THAT(empty->body, Catch::Contains("nhsuk-error-summary") && Catch::Contains("Enter why this entry should be withheld"));

  auto asked = f.guard_post(f.member, entry + "/withholding-request", {{"reason", "Threats about the PCN's decisions."}});
  REQUIRE(asked);
  CHECK(asked->status == 303);
  CHECK(f.guard_get(f.member, entry)->body.find("Asked for") != std::string::npos);
  const Id request = WithholdingRequestStore(*f.s.db).all().back().id;
  const std::string rid = std::to_string(request);

  // Governance sees it and forwards it; the Guardian does not see it before.
  CHECK(f.guard_get(f.guardian, "/guardian")->body.find("Threats about") == std::string::npos);
  auto list = f.guard_get(f.governance, "/governance/withholding-requests");
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK_THAT(list->body, Catch::Contains("Threats about the PCN"));
  auto no_note = f.guard_post(f.governance, "/governance/withholding-requests/" + rid + "/forward", {{"note", ""}});
  REQUIRE(no_note);
  CHECK(no_note->status == 422);
  CHECK_THAT(no_note->body, Catch::Contains("Enter a note for the Guardian"));
  auto forwarded = f.guard_post(f.governance, "/governance/withholding-requests/" + rid + "/forward", {{"note", "Reported to the police."}});
  REQUIRE(forwarded);
  CHECK(forwarded->status == 303);

  // The Guardian decides: a mistake shows the form again, as it was sent.
  auto waiting = f.guard_get(f.guardian, "/guardian");
  REQUIRE(waiting);
  CHECK(waiting->status == 200);
  CHECK_THAT(waiting->body, Catch::Contains("/guardian/requests/" + rid));
  CHECK(f.guard_get(f.guardian, "/guardian/requests/" + rid)->status == 200);
  auto half = f.guard_post(f.guardian, "/guardian/requests/" + rid, {{"decision", "agree"}, {"withhold_name", "yes"}, {"reason", ""}});
  REQUIRE(half);
  CHECK(half->status == 422);
  CHECK_THAT(half->body, Catch::Contains("Enter the reason for your decision") && Catch::Contains("value=\"agree\" checked"));
  CHECK(f.guard_get(f.governance, "/guardian")->status == 403);  // governance does not decide
  auto agreed =
      f.guard_post(f.guardian, "/guardian/requests/" + rid, {{"decision", "agree"}, {"withhold_name", "yes"}, {"reason", "The risk is to him."}});
  REQUIRE(agreed);
  CHECK(agreed->status == 303);
  CHECK(agreed->get_header_value("Location") == "/guardian?saved=request");
  CHECK_THAT(f.guard_get(f.guardian, "/guardian")->body, Catch::Contains("The risk is to him."));

  // Every public page: "Name withheld", never his name; his page is not public.
  for (const char* path : {"/register", "/api/v1/register", "/register.csv", "/register.atom", "/gifts", "/api/v1/gifts", "/gifts.csv"}) {
    auto r = f.guard_public(path);
    REQUIRE(r);
    CAPTURE(path);
    CHECK(r->status == 200);
    CHECK_THAT(r->body, !Catch::Contains("Hassan"));
  }
  CHECK_THAT(f.guard_public("/register")->body, Catch::Contains("Name withheld"));
  CHECK(f.guard_public("/people/" + std::to_string(f.id_of("people", "p-hassan")))->status == 404);
  CHECK(f.guard_public("/api/v1/people/" + std::to_string(f.id_of("people", "p-hassan")))->status == 404);
  for (const auto& [ref, id] : f.ids["committees"].items()) {
    auto c = f.guard_public("/committees/" + std::to_string(id.get<Id>()));
    REQUIRE(c);
    CHECK_THAT(c->body, !Catch::Contains("Hassan"));
    CHECK_THAT(f.guard_public("/api/v1/committees/" + std::to_string(id.get<Id>()))->body, !Catch::Contains("Hassan"));
  }
  // The entry is withheld, and its history says so.
  auto api = f.s.client().Get(("/api/v1/my/interests/" + std::to_string(f.id_of("interests", "i-hassan-pcn"))).c_str(), f.member.headers());
  REQUIRE(api);
  CHECK_THAT(api->body, Catch::Contains("\"withheld\":true"));
}

TEST_CASE("guardian: a breach recorded by governance, confirmed, signed off by the Guardian and published anonymised") {
  GuardRoutesFixture f;
  CHECK(f.guard_get(f.governance, "/meetings/breaches/new")->status == 200);
  auto wrong = f.guard_post(f.governance, "/meetings/breaches/new", {{"kind", "other"}, {"reason", "Kept the papers."}});
  REQUIRE(wrong);
  CHECK(wrong->status == 422);
  CHECK_THAT(wrong->body, Catch::Contains("Select the person the breach concerns") && Catch::Contains("Kept the papers."));

  const std::string person = std::to_string(f.id_of("people", "p-kowalski"));
  auto made = f.guard_post(f.governance, "/meetings/breaches/new",
                           {{"kind", "gift_not_declined"},
                            {"person", person},
                            {"happened_on-day", "4"},
                            {"happened_on-month", "10"},
                            {"happened_on-year", "2026"},
                            {"found_by", "reported_by_colleague"},
                            {"reason", "Dr Kowalski accepted theatre tickets from Oakfield's supplier."},
                            {"action_taken", "Tickets returned; Dr Kowalski reminded."},
                            {"lessons", "Oakfield's supplier is told our rules."},
                            {"public_summary", "A member accepted tickets from a supplier that should have been declined."},
                            {"public_action", "The tickets were returned."},
                            {"public_lessons", "Suppliers are now told the rules on gifts."}});
  REQUIRE(made);
  CAPTURE(made->body.substr(0, std::min<std::size_t>(made->body.size(), 4000)));
  REQUIRE(made->status == 303);
  const std::string at = made->get_header_value("Location");
  REQUIRE(at.rfind("/meetings/breaches/", 0) == 0);
  const std::string id = at.substr(19, at.find('?') - 19);
  auto shown = f.guard_get(f.governance, at);
  REQUIRE(shown);
  CHECK(shown->status == 200);
  CHECK_THAT(shown->body, Catch::Contains("Gift or hospitality that should have been declined") && Catch::Contains("4 October 2026"));

  REQUIRE(f.guard_post(f.governance, "/meetings/breaches/" + id, {{"status", "confirmed"}, {"resolution", "A colleague saw it."}})->status == 303);
  // Signed off by the Guardian only: governance may not.
  CHECK(f.guard_post(f.governance, "/guardian/breaches/" + id, {{"decision", "sign_off"}, {"note", "x"}})->status == 403);
  CHECK_THAT(f.guard_get(f.guardian, "/guardian")->body, Catch::Contains("/guardian/breaches/" + id));
  CHECK(f.guard_get(f.guardian, "/guardian/breaches/" + id)->status == 200);
  CHECK(f.guard_get(f.guardian, "/meetings/breaches")->status == 200);  // the Guardian reads the register
  auto none = f.guard_post(f.guardian, "/guardian/breaches/" + id, {{"note", "Fine."}});
  REQUIRE(none);
  CHECK(none->status == 422);
  CHECK_THAT(none->body, Catch::Contains("Select sign off or send back") && Catch::Contains("Fine."));
  CHECK(f.guard_public("/api/v1/breaches")->body.find("tickets") == std::string::npos);  // not before the sign-off
  auto signed_off = f.guard_post(f.guardian, "/guardian/breaches/" + id, {{"decision", "sign_off"}, {"note", "Proportionate."}});
  REQUIRE(signed_off);
  CHECK(signed_off->status == 303);

  for (const char* path : {"/breaches", "/api/v1/breaches", "/breaches.csv"}) {
    auto r = f.guard_public(path);
    REQUIRE(r);
    CAPTURE(path);
    CHECK(r->status == 200);
    CHECK_THAT(r->body, Catch::Contains("A member accepted tickets from a supplier that should have been declined."));
    for (const char* secret : {"Kowalski", "Oakfield", "Tickets returned;", "A colleague saw it", "Proportionate", "2026-10-04"})
      CHECK_THAT(r->body, !Catch::Contains(secret));
  }
  CHECK_THAT(f.guard_public("/breaches")->body, Catch::Contains("October 2026"));
  auto history = f.s.client().Get(("/api/v1/meetings/breaches/" + id).c_str(), f.governance.headers());
  REQUIRE(history);
  CHECK(json::parse(history->body).at("history").size() == 3);
}

TEST_CASE("guardian: governance can make a Guardian account, shown as the Conflicts of Interest Guardian") {
  GuardRoutesFixture f;
  auto made = f.guard_post(f.governance, "/governance/accounts", {{"email", "lay.guardian@example.nhs.uk"}, {"role", "guardian"}});
  REQUIRE(made);
  CHECK(made->status == 201);
  const auto user = UserStore(*f.s.db).find_user_by_email("lay.guardian@example.nhs.uk");
  REQUIRE(user);
  CHECK(user->role == UserRole::guardian);
  CHECK_THAT(f.guard_get(f.governance, "/governance/accounts")->body, Catch::Contains("Conflicts of Interest Guardian"));
  auto wrong = f.guard_post(f.governance, "/governance/accounts", {{"email", "x@example.nhs.uk"}, {"role", "emperor"}});
  REQUIRE(wrong);
  CHECK(wrong->status == 422);
}

TEST_CASE("guardian: a withheld name is not in the published minutes either") {
  GuardRoutesFixture f;
  const Id meeting = f.id_of("meetings", "m-gb-2026-09");  // held and published in the demo
  {
    WriteTransaction tx(*f.s.db);
    MeetingDeclaration said;
    said.meeting_id = meeting;
    said.person_id = f.id_of("people", "p-hassan");
    said.text = "Partner of Riverside Surgery";
    MeetingDeclarationStore(*f.s.db).record(said, "test");
    tx.commit();
  }
  const std::string at = "/meetings/" + std::to_string(meeting);
  REQUIRE_THAT(f.guard_public(at + "/minutes")->body, Catch::Contains("Dr Amir Hassan"));

  WithholdingRequest r;
  r.interest_id = f.id_of("interests", "i-hassan-pcn");
  r.person_id = f.id_of("people", "p-hassan");
  r.reason = "Threats.";
  r.status = WithholdingStatus::forwarded;
  {
    WriteTransaction tx(*f.s.db);
    WithholdingRequestStore(*f.s.db).save(r, "test");
    tx.commit();
  }
  REQUIRE(f.guard_post(f.guardian, "/guardian/requests/" + std::to_string(r.id),
                       {{"decision", "agree"}, {"withhold_name", "yes"}, {"reason", "The risk is to him."}})
              ->status == 303);
  for (const std::string& path : std::vector<std::string>{at, at + "/minutes", at + "/minutes.txt", "/api/v1" + at}) {
    auto page = f.guard_public(path);
    REQUIRE(page);
    CAPTURE(path);
    CHECK(page->status == 200);
    CHECK_THAT(page->body, !Catch::Contains("Hassan"));
  }
  CHECK_THAT(f.guard_public(at + "/minutes")->body, Catch::Contains("Name withheld"));
}
