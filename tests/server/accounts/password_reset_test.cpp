// Self-service password reset over HTTP: the same answer for every address, a message with a
// short-lived one-time link only for an active account, the limits per address and per client,
// the security log without the token, and the old behaviour when resets are switched off.
#include <catch2/catch.hpp>

#include <regex>
#include <thread>

#include "model/accounts/auth_events.hpp"
#include "model/accounts/user_store.hpp"
#include "server/browser.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;
using Catch::Contains;

namespace {
const std::string kBase = "https://probity.example.nhs.uk";

struct Sent {
  std::string to, subject, text;
};
std::vector<Sent> outbox(TestServer& s) {
  std::vector<Sent> rows;
  SQLite::Statement q(*s.db, "SELECT to_address, subject, text_body FROM outbox WHERE kind = 'password_reset' ORDER BY id");
  while (q.executeStep()) rows.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
  return rows;
}

std::string link_path(const std::string& body) {
  std::smatch m;
  REQUIRE(std::regex_search(body, m, std::regex(kBase + "(/set-password/[0-9a-f]{32,})")));
  return m[1].str();
}

// A request's work is done after its answer (so that the answer cannot tell accounts apart by
// its timing): wait, at most 5 s, until `n` requests are in the security log. The log entry
// commits with the link and the message, so they are there too.
void wait_for_requests(TestServer& s, int n) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  for (;;) {
    SQLite::Statement q(*s.db, "SELECT count(*) FROM auth_events WHERE event = 'password_reset_requested'");
    q.executeStep();
    if (q.getColumn(0).getInt() >= n) return;
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(2ms);
  }
}

struct Resets {
  TestServer s;
  User asha;
  int asked = 0;
  explicit Resets(nlohmann::json extra = nlohmann::json::object(), bool off = false)
      : s([extra, off](Config& c) {
          fast_accounts(c, extra);
          c.base_url = kBase;
          if (off) c.raw["mail"]["kinds"]["password_reset"] = false;
        }),
        asha(add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"))) {}

  // Asks for a reset as a signed-out visitor would: the form first, then the address.
  httplib::Result ask(const std::string& email) {
    Browser b(s);
    REQUIRE(b.get("/password-reset")->status == 200);
    auto res = b.post("/password-reset", {{"email", email}});
    if (res && res->status == 303) wait_for_requests(s, ++asked);
    return res;
  }
};
}  // namespace

TEST_CASE("password reset: the sign-in page links to it; known and unknown addresses get the same answer, only an active account a message") {
  Resets r;
  Browser visitor(r.s);
  CHECK_THAT(visitor.get("/sign-in")->body, Contains("<a href=\"/password-reset\">Forgotten your password?</a>"));
  auto form = visitor.get("/password-reset");
  REQUIRE(form->status == 200);
  CHECK_THAT(form->body, Contains("within 1 hour") && Contains("name=\"csrf_token\""));

  add_account(r.s, "off@example.nhs.uk", std::nullopt);
  UserStore(*r.s.db, account_config(r.s.app->config())).set_disabled(find_user_by_email(*r.s.db, "off@example.nhs.uk")->id, true, "test", now_instant());
  auto known = r.ask("Asha@Example.nhs.uk ");
  auto unknown = r.ask("nobody@example.nhs.uk");
  auto disabled = r.ask("off@example.nhs.uk");
  for (const auto* res : {&known, &unknown, &disabled}) {
    REQUIRE((*res)->status == 303);
    CHECK((*res)->get_header_value("Location") == "/password-reset/sent");
    CHECK((*res)->body == known->body);
  }
  CHECK_THAT(visitor.get("/password-reset/sent")->body, Contains("If an account uses that address, we have sent it a link"));

  const auto rows = outbox(r.s);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].to == "asha@example.nhs.uk");
  CHECK(rows[0].subject == "Reset your password for the register of interests of NHS Example Integrated Care Board");
  CHECK_THAT(rows[0].text, Contains("within 1 hour") && Contains("Dear Dr Asha Patel,"));

  // Each request is in the security log, with what was done and never the token.
  const std::string token = link_path(rows[0].text).substr(std::string("/set-password/").size());
  std::vector<std::string> done;
  for (const auto& e : AuthEventLog(*r.s.db).recent_events(50)) {
    CHECK(e.detail.find(token) == std::string::npos);
    if (e.kind == AuthEventKind::password_reset_requested) done.push_back(e.email + ": " + e.detail);
  }
  CHECK_THAT(done, Catch::UnorderedEquals(std::vector<std::string>{"Asha@Example.nhs.uk: link sent", "nobody@example.nhs.uk: no account uses this address",
                                                                   "off@example.nhs.uk: the account is disabled"}));
  // The message itself must carry the link until it is sent; nothing else holds it in clear.
  CHECK_THAT(where_stored(*r.s.db, token), Catch::UnorderedEquals(std::vector<std::string>{"outbox.text_body", "outbox.html_body"}));
}

TEST_CASE("password reset: the link sets a new password once, signs nobody in, and expires after its hour") {
  TestClock clock;
  Resets r;
  REQUIRE(r.ask("asha@example.nhs.uk")->status == 303);
  const std::string path = link_path(outbox(r.s).at(0).text);
  Browser holder(r.s);
  REQUIRE(holder.get(path)->status == 200);
  auto set = holder.post(path, {{"password", "a brand new long phrase"}, {"confirm", "a brand new long phrase"}});
  REQUIRE(set->status == 200);
  CHECK(set->get_header_value("Set-Cookie").find("probity_session=") == std::string::npos);
  CHECK(holder.get("/my")->status == 303);  // still signed out
  CHECK(holder.get(path)->status == 404);   // used up
  CHECK(Browser(r.s).sign_in("asha@example.nhs.uk", "a brand new long phrase")->status == 303);

  REQUIRE(r.ask("asha@example.nhs.uk")->status == 303);
  const std::string later = link_path(outbox(r.s).at(1).text);
  clock.advance(61min);
  CHECK(Browser(r.s).get(later)->status == 404);
}

TEST_CASE("password reset: a new request revokes the older link") {
  Resets r;
  REQUIRE(r.ask("asha@example.nhs.uk")->status == 303);
  REQUIRE(r.ask("asha@example.nhs.uk")->status == 303);
  const auto rows = outbox(r.s);
  REQUIRE(rows.size() == 2);
  CHECK(Browser(r.s).get(link_path(rows[0].text))->status == 404);
  CHECK(Browser(r.s).get(link_path(rows[1].text))->status == 200);
}

TEST_CASE("password reset: at most N requests per address and per client an hour, answered the same when over") {
  TestClock clock;
  SECTION("per address") {
    Resets r(nlohmann::json{{"password_resets_per_address_per_hour", 2}});
    for (int i = 0; i < 4; ++i) {
      auto res = r.ask("asha@example.nhs.uk");
      REQUIRE(res->status == 303);
      CHECK(res->get_header_value("Location") == "/password-reset/sent");
    }
    CHECK(outbox(r.s).size() == 2);
    clock.advance(61min);  // a new window
    REQUIRE(r.ask("asha@example.nhs.uk")->status == 303);
    CHECK(outbox(r.s).size() == 3);
  }
  SECTION("per client, whatever the addresses") {
    Resets r(nlohmann::json{{"password_resets_per_client_per_hour", 3}});
    // trusted_proxy is off: every request comes from the loopback address.
    for (int i = 0; i < 3; ++i) REQUIRE(r.ask("someone" + std::to_string(i) + "@example.nhs.uk")->status == 303);
    auto over = r.ask("asha@example.nhs.uk");
    REQUIRE(over->status == 303);
    CHECK(over->get_header_value("Location") == "/password-reset/sent");
    CHECK(outbox(r.s).empty());
    bool logged = false;
    for (const auto& e : AuthEventLog(*r.s.db).recent_events(10))
      logged = logged || (e.kind == AuthEventKind::password_reset_requested && e.detail == "refused: too many requests from this client");
    CHECK(logged);
  }
}

TEST_CASE("password reset: a missing or malformed address is a field error; switched off, the page says to ask governance") {
  Resets r;
  Browser b(r.s);
  b.get("/password-reset");
  auto empty = b.post("/password-reset", {{"email", ""}});
  CHECK(empty->status == 422);
  CHECK_THAT(empty->body, Contains("Enter your email address") && Contains("href=\"#email\"") && Contains("<title>Error: Reset your password"));
  auto bad = b.post("/password-reset", {{"email", "<b>not an address"}});
  CHECK(bad->status == 422);
  CHECK_THAT(bad->body, Contains("Enter an email address in the correct format") && Contains("value=\"&lt;b&gt;not an address\""));
  CHECK(b.post("/password-reset", {{"email", "asha@example.nhs.uk"}, {"csrf_token", "forged"}})->status == 403);
  CHECK(outbox(r.s).empty());

  Resets off(nlohmann::json::object(), true);
  Browser o(off.s);
  auto page = o.get("/password-reset");
  CHECK_THAT(page->body, Contains("Ask the governance team for a link") && !Contains("action=\"/password-reset\""));
  o.get("/sign-in");  // a form's CSRF token: the reset page has no form now
  auto res = o.post("/password-reset", {{"email", "asha@example.nhs.uk"}});
  CHECK(res->get_header_value("Location") == "/password-reset");
  CHECK(res->status == 303);
  CHECK(outbox(off.s).empty());
}
