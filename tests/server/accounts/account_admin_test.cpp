// Governance manages accounts over HTTP: the accounts list, one account with its API tokens,
// disabling, enabling and revoking; who may do it; and what each does to the account's access.
#include <catch2/catch.hpp>

#include <regex>

#include "model/accounts/api_token_store.hpp"
#include "model/store/audit_log.hpp"
#include "model/accounts/auth_events.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "server/accounts/account_views.hpp"
#include "server/browser.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {
using probity::testing::contains;

struct Accounts {
  TestServer s;
  Id asha_person;
  User asha;      // a GP member
  User ben;       // another member
  User guardian;  // the governance team
  explicit Accounts(nlohmann::json extra = nlohmann::json::object())
      : s([extra](Config& c) { fast_accounts(c, extra); }),
        asha_person(add_person(s, "p-asha", "Dr Asha Patel")),
        asha(add_account(s, "asha@example.nhs.uk", asha_person)),
        ben(add_account(s, "ben@example.nhs.uk", add_person(s, "p-ben", "Dr Ben Okafor"))),
        guardian(add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance)) {}

  UserStore users() { return UserStore(*s.db, account_config(s.app->config())); }
  SessionStore sessions() { return SessionStore(*s.db, account_config(s.app->config())); }
  ApiTokenStore api_tokens() { return ApiTokenStore(*s.db, account_config(s.app->config())); }
  AuthEventLog events() { return AuthEventLog(*s.db); }
  NewApiToken token_for(const User& u, const std::string& label) { return api_tokens().create_api_token(u.id, label, "cli", auth_now()); }
  Browser signed_in(const std::string& email) {
    Browser b(s);
    REQUIRE(b.sign_in(email)->status == 303);
    return b;
  }
  Browser bearer(const User& u) {
    Browser b(s);
    b.bearer = token_for(u, "api").token;
    return b;
  }
  std::string page(const User& u) const { return "/governance/accounts/" + std::to_string(u.id); }
  std::string api(const User& u) const { return "/api/v1/governance/accounts/" + std::to_string(u.id); }
};

bool is_sign_in_redirect(const httplib::Result& res) {
  return res && res->status == 303 && res->get_header_value("Location").rfind("/sign-in", 0) == 0;
}
}  // namespace

TEST_CASE("accounts: governance disables an account on its page; its session and token end at once") {
  Accounts a;
  auto asha_token = a.token_for(a.asha, "practice system");
  Browser asha = a.signed_in("asha@example.nhs.uk");
  Browser asha_api(a.s);
  asha_api.bearer = asha_token.token;
  REQUIRE(asha_api.send_json("GET", "/api/v1/my")->status == 200);

  Browser gov = a.signed_in("guardian@example.nhs.uk");
  auto list = gov.get("/governance/accounts");
  REQUIRE(list->status == 200);
  CHECK(contains(list->body, "<a href=\"" + a.page(a.asha) + "\">asha@example.nhs.uk</a>"));
  CHECK(contains(gov.get("/governance")->body, "href=\"/governance/accounts\""));
  auto page = gov.get(a.page(a.asha));
  REQUIRE(page->status == 200);
  CHECK(contains(page->body, "Disable this account"));
  CHECK(contains(page->body, "action=\"" + a.page(a.asha) + "/disable\""));

  auto done = gov.post(a.page(a.asha) + "/disable", {});
  REQUIRE(done->status == 303);
  CHECK(done->get_header_value("Location") == a.page(a.asha) + "?saved=disabled");
  auto after = gov.get(done->get_header_value("Location"));
  CHECK(contains(after->body, "The account is disabled. Its sessions have ended and its API tokens are revoked"));
  CHECK(contains(after->body, "Enable this account"));

  CHECK(is_sign_in_redirect(asha.get("/my")));
  CHECK(asha_api.send_json("GET", "/api/v1/my")->status == 401);
  CHECK(Browser(a.s).sign_in("asha@example.nhs.uk")->status == 422);
  // Nobody else is affected.
  Browser ben = a.signed_in("ben@example.nhs.uk");
  CHECK(ben.get("/my")->status == 200);

  // Recorded in the audit log and the security log, as governance's doing.
  auto audit = audit_for(*a.s.db, "user", a.asha.id);
  REQUIRE_FALSE(audit.empty());
  CHECK(json::parse(audit.back().after_json).at("disabled") == true);
  CHECK(audit.back().actor == "user:" + std::to_string(a.guardian.id) + " guardian@example.nhs.uk");
  bool revoked_logged = false;
  for (const auto& e : a.events().events_for_user(a.asha.id))
    revoked_logged = revoked_logged || (e.kind == AuthEventKind::token_revoked && contains(e.actor, "guardian@example.nhs.uk"));
  CHECK(revoked_logged);

  SECTION("enabling lets them sign in again, but the token stays revoked") {
    auto enabled = gov.post(a.page(a.asha) + "/enable", {});
    REQUIRE(enabled->status == 303);
    CHECK(enabled->get_header_value("Location") == a.page(a.asha) + "?saved=enabled");
    CHECK(contains(gov.get(enabled->get_header_value("Location"))->body, "API tokens revoked earlier stay revoked"));
    Browser back(a.s);
    CHECK(back.sign_in("asha@example.nhs.uk")->status == 303);
    CHECK(back.get("/my")->status == 200);
    CHECK(asha_api.send_json("GET", "/api/v1/my")->status == 401);
  }
}

TEST_CASE("accounts: the account page lists its tokens with plain dates, and revokes one") {
  TestClock clock;
  Accounts a;
  auto sync = a.token_for(a.asha, "practice system");
  auto spare = a.token_for(a.asha, "spare");
  Browser sync_client(a.s);
  sync_client.bearer = sync.token;
  REQUIRE(sync_client.send_json("GET", "/api/v1/my")->status == 200);

  Browser gov = a.signed_in("guardian@example.nhs.uk");
  auto page = gov.get(a.page(a.asha));
  REQUIRE(page->status == 200);
  const std::string today = long_date_of_instant(iso_instant(auth_now()));
  const std::string expires = long_date_of_instant(iso_instant(sync.expires_at));
  CHECK(std::regex_search(today, std::regex(R"(^\d{1,2} [A-Z][a-z]+ \d{4}$)")));  // e.g. 8 August 2026
  CHECK(contains(page->body, "<td class=\"nhsuk-table__cell\">practice system</td>"));
  CHECK(contains(page->body, ">" + expires + "</time>"));
  CHECK(contains(page->body, ">" + today + "</time>"));  // created and last used today
  CHECK(contains(page->body, "Never"));                  // the spare was never used
  CHECK(contains(page->body, "Revoke<span class=\"nhsuk-u-visually-hidden\"> the token practice system</span>"));
  const std::string revoke = a.page(a.asha) + "/tokens/" + std::to_string(sync.id) + "/revoke";
  CHECK(contains(page->body, "action=\"" + revoke + "\""));

  // Without the page's CSRF token the form is refused and nothing changes.
  CHECK(gov.post(revoke, {}, false)->status == 403);
  CHECK(sync_client.send_json("GET", "/api/v1/my")->status == 200);

  auto done = gov.post(revoke, {});
  REQUIRE(done->status == 303);
  CHECK(done->get_header_value("Location") == a.page(a.asha) + "?saved=revoked#tokens");
  CHECK(sync_client.send_json("GET", "/api/v1/my")->status == 401);
  Browser spare_client(a.s);
  spare_client.bearer = spare.token;
  CHECK(spare_client.send_json("GET", "/api/v1/my")->status == 200);  // only that token
  auto after = gov.get(a.page(a.asha) + "?saved=revoked");
  CHECK(contains(after->body, "The API token is revoked"));
  CHECK(contains(after->body, "Revoked on " + today));

  // A token of another account, or none at all, answers not found.
  auto ben_token = a.token_for(a.ben, "ben's");
  gov.get(a.page(a.asha));
  CHECK(gov.post(a.page(a.asha) + "/tokens/" + std::to_string(ben_token.id) + "/revoke", {})->status == 404);
  CHECK(a.api_tokens().find_api_token(ben_token.id)->state(auth_now()) == ApiTokenState::active);
  gov.get(a.page(a.asha));
  CHECK(gov.post(a.page(a.asha) + "/tokens/999/revoke", {})->status == 404);
  CHECK(gov.get("/governance/accounts/999")->status == 404);

  SECTION("a token past its expiry is refused and shown as expired") {
    clock.advance(24h * 90);
    CHECK(spare_client.send_json("GET", "/api/v1/my")->status == 401);
    Browser gov_later = a.signed_in("guardian@example.nhs.uk");  // the earlier session has timed out
    auto later = gov_later.get(a.page(a.asha));
    CHECK(contains(later->body, "<td class=\"nhsuk-table__cell\">Expired</td>"));
  }
}

TEST_CASE("accounts: the token lifetime comes from accounts.api_token_days; a bad value stops start-up") {
  Accounts a(json{{"api_token_days", 7}});
  const Instant before = auth_now();
  auto made = a.token_for(a.asha, "week");
  CHECK(made.expires_at >= before + 24h * 7);  // the clock may tick between the two readings
  CHECK(made.expires_at <= auth_now() + 24h * 7);
  for (const auto& bad : {json(0), json(367), json("90")}) {
    Config c;
    c.raw["accounts"] = {{"api_token_days", bad}};
    CAPTURE(bad);
    CHECK_THROWS_AS(account_config(c), ConfigError);
  }
}

TEST_CASE("accounts: governance cannot disable its own account, and is told why") {
  Accounts a;
  Browser gov = a.signed_in("guardian@example.nhs.uk");
  gov.get(a.page(a.guardian));
  auto res = gov.post(a.page(a.guardian) + "/disable", {});
  CHECK(res->status == 409);
  CHECK(contains(res->body, "There is a problem"));
  CHECK(contains(res->body, "<a href=\"#disable\">You cannot disable your own account"));
  CHECK_FALSE(a.users().find_user(a.guardian.id)->disabled);
  Browser api = a.bearer(a.guardian);
  auto api_res = api.send_json("POST", a.api(a.guardian) + "/disable", json::object());
  CHECK(api_res->status == 409);
  CHECK(json::parse(api_res->body).at("error").at("code") == "own_account");
}

TEST_CASE("accounts: the JSON API lists accounts and tokens, disables, enables and revokes") {
  Accounts a;
  auto sync = a.token_for(a.asha, "practice system");
  Browser api = a.bearer(a.guardian);

  auto list = api.send_json("GET", "/api/v1/governance/accounts");
  REQUIRE(list->status == 200);
  auto accounts = json::parse(list->body).at("accounts");
  REQUIRE(accounts.size() == 3);
  CHECK(accounts[0].at("email") == "asha@example.nhs.uk");
  CHECK(accounts[0].at("person_name") == "Dr Asha Patel");
  CHECK(accounts[0].at("disabled") == false);

  auto one = json::parse(api.send_json("GET", a.api(a.asha))->body);
  REQUIRE(one.at("tokens").size() == 1);
  CHECK(one.at("tokens")[0].at("label") == "practice system");
  CHECK(one.at("tokens")[0].at("status") == "active");
  CHECK(one.at("tokens")[0].at("last_used_at").is_null());
  CHECK(one.at("tokens")[0].at("expires_at") == iso_instant(sync.expires_at));

  auto disabled = api.send_json("POST", a.api(a.asha) + "/disable", json::object());
  REQUIRE(disabled->status == 200);
  auto d = json::parse(disabled->body);
  CHECK(d.at("account").at("disabled") == true);
  CHECK(d.at("tokens")[0].at("status") == "revoked");
  Browser sync_client(a.s);
  sync_client.bearer = sync.token;
  CHECK(sync_client.send_json("GET", "/api/v1/my")->status == 401);

  auto enabled = api.send_json("POST", a.api(a.asha) + "/enable", json::object());
  REQUIRE(enabled->status == 200);
  CHECK(json::parse(enabled->body).at("account").at("disabled") == false);
  CHECK(json::parse(enabled->body).at("tokens")[0].at("status") == "revoked");
  CHECK(sync_client.send_json("GET", "/api/v1/my")->status == 401);

  auto ben_token = a.token_for(a.ben, "ben's");
  auto revoked = api.send_json("POST", a.api(a.ben) + "/tokens/" + std::to_string(ben_token.id) + "/revoke", json::object());
  REQUIRE(revoked->status == 200);
  CHECK(json::parse(revoked->body).at("tokens")[0].at("status") == "revoked");
  CHECK_FALSE(json::parse(revoked->body).at("tokens")[0].at("revoked_at").is_null());

  // Unknown accounts and tokens, and another account's token: 404 with a message, never a 500.
  auto missing = api.send_json("POST", "/api/v1/governance/accounts/999/disable", json::object());
  CHECK(missing->status == 404);
  CHECK(json::parse(missing->body).at("error").at("message") == "That account was not found");
  auto other = api.send_json("POST", a.api(a.asha) + "/tokens/" + std::to_string(ben_token.id) + "/revoke", json::object());
  CHECK(other->status == 404);
  CHECK(json::parse(other->body).at("error").at("message") == "That API token was not found");
  CHECK(api.send_json("POST", "/api/v1/governance/accounts/99999999999999999999/disable", json::object())->status == 404);
  CHECK(api.send_json("POST", "/api/v1/governance/accounts/abc/disable", json::object())->status == 404);
  // A body that is not a JSON object is refused, and nothing is done.
  for (const std::string bad : {"{\"x\": ", "[1, 2]"}) {
    auto c = a.s.client();
    auto res = c.Post(a.api(a.ben).append("/disable").c_str(), {{"Authorization", "Bearer " + api.bearer}}, bad, "application/json");
    CHECK(res->status == 400);
    CHECK_FALSE(a.users().find_user(a.ben.id)->disabled);
  }
  // A body that is not JSON is refused as for every API call.
  auto c = a.s.client();
  auto form = c.Post(a.api(a.asha).append("/disable").c_str(), {{"Authorization", "Bearer " + api.bearer}}, "x=1",
                     "application/x-www-form-urlencoded");
  CHECK(form->status == 415);
}

TEST_CASE("accounts: anonymous visitors are sent to sign in, members are refused, and nobody touches another account") {
  Accounts a;
  auto ben_token = a.token_for(a.ben, "ben's");
  const std::string ben_page = a.page(a.ben);
  const std::string ben_api = a.api(a.ben);
  const std::string revoke = "/tokens/" + std::to_string(ben_token.id) + "/revoke";
  struct Call {
    std::string method, path;
    int governance_status;
  };
  const std::vector<Call> calls = {
      {"GET", "/governance/accounts", 200},
      {"GET", ben_page, 200},
      {"POST", ben_page + revoke, 303},
      {"POST", ben_page + "/disable", 303},
      {"POST", ben_page + "/enable", 303},
      {"GET", "/api/v1/governance/accounts", 200},
      {"GET", ben_api, 200},
      {"POST", ben_api + revoke, 200},
      {"POST", ben_api + "/disable", 200},
      {"POST", ben_api + "/enable", 200},
  };
  auto send = [&](const Call& call, const httplib::Headers& headers) {
    auto c = a.s.client();
    const bool api = call.path.rfind("/api/", 0) == 0;
    return call.method == "GET" ? c.Get(call.path.c_str(), headers)
                                : c.Post(call.path.c_str(), headers, api ? "{}" : "", api ? "application/json" : "application/x-www-form-urlencoded");
  };
  for (const auto& call : calls) {
    CAPTURE(call.method, call.path);
    const bool api = call.path.rfind("/api/", 0) == 0;
    auto anonymous = send(call, {});
    if (api) CHECK(anonymous->status == 401);
    else CHECK(is_sign_in_redirect(anonymous));

    // Asha, a member, with a session and CSRF token or with her own API token, on Ben's account.
    auto asha_session = a.sessions().create_session(a.asha.id, auth_now());
    auto as_member = send(call, {{"Cookie", std::string(kSessionCookie) + "=" + asha_session.token}, {"X-CSRF-Token", asha_session.session.csrf_token}});
    CHECK(as_member->status == 403);
    if (api) CHECK(send(call, {{"Authorization", "Bearer " + a.token_for(a.asha, "mine").token}})->status == 403);
  }
  // Nothing the member sent changed Ben's account.
  CHECK_FALSE(a.users().find_user(a.ben.id)->disabled);
  CHECK(a.api_tokens().find_api_token(ben_token.id)->state(auth_now()) == ApiTokenState::active);

  // Governance gets what each route promises.
  for (const auto& call : calls) {
    CAPTURE(call.method, call.path);
    auto gov_session = a.sessions().create_session(a.guardian.id, auth_now());
    auto res = send(call, {{"Cookie", std::string(kSessionCookie) + "=" + gov_session.token}, {"X-CSRF-Token", gov_session.session.csrf_token}});
    CHECK(res->status == call.governance_status);
  }
}
