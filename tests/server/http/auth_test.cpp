#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <latch>
#include <regex>
#include <sstream>
#include <thread>

#include "model/accounts/user_store.hpp"
#include "server/browser.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {
int count_rows(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  q.executeStep();
  return q.getColumn(0).getInt();
}

}  // namespace

TEST_CASE("auth: the sign-in form sets a signed-out CSRF cookie with safe attributes, makes no session and is not cached") {
  TestServer s([](Config& c) { fast_accounts(c); });
  auto res = s.client().Get("/sign-in");
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(res->get_header_value_count("Set-Cookie") == 1);
  const auto cookie = res->get_header_value("Set-Cookie");
  CHECK_THAT(cookie, Catch::StartsWith("probity_csrf=") && Catch::Contains("; HttpOnly") && Catch::Contains("; SameSite=Lax") &&
                         Catch::Contains("; Path=/"));
  CHECK_FALSE(cookie.find("Secure") != std::string::npos);  // no TLS configured in tests
  // 128-bit random value as hex
  CHECK(cookie.substr(13, cookie.find(';') - 13).size() == 32);
  CHECK(res->get_header_value("Cache-Control") == "no-store");  // the page holds this visitor's token
  Browser b(s);
  b.keep(res);
  CHECK(b.session.empty());
  CHECK(b.csrf().size() == 64);  // HMAC-SHA256 of the cookie's value
  CHECK(b.csrf().find(b.csrf_cookie) == std::string::npos);
  CHECK_THAT(res->body, Catch::Contains("<h1>Sign in</h1>"));
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM sessions") == 0);
}

TEST_CASE("auth: with \"secure_cookies\" the session cookie is Secure though Probity serves plain HTTP") {
  // Behind nginx terminating TLS (README, Deploying): the browser must never send it over HTTP.
  TestServer s([](Config& c) {
    fast_accounts(c);
    c.secure_cookies = true;
  });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  Browser b(s);
  auto anonymous = b.get("/sign-in");
  REQUIRE(anonymous);
  CHECK_THAT(anonymous->get_header_value("Set-Cookie"), Catch::StartsWith("probity_csrf=") && Catch::Contains("; Secure"));
  auto signed_in = b.sign_in("asha@example.nhs.uk");
  REQUIRE(signed_in);
  CHECK(signed_in->status == 303);
  CHECK_THAT(signed_in->get_header_value("Set-Cookie"), Catch::Contains("; Secure") && Catch::Contains("; HttpOnly"));
  b.get("/");  // a page with the signed-in session's CSRF token
  auto out = b.post("/sign-out", {});
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK_THAT(out->get_header_value("Set-Cookie"), Catch::Contains("; Secure") && Catch::Contains("Max-Age=0"));
}

TEST_CASE("auth: sign-in events log X-Forwarded-For's last entry only when the proxy is trusted") {
  auto logged_source = [](bool trusted, const httplib::Headers& extra) {
    TestServer s([&](Config& c) {
      fast_accounts(c);
      c.trusted_proxy = trusted;
    });
    add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
    Browser b(s);
    b.extra = extra;
    auto res = b.sign_in("asha@example.nhs.uk", "not the password");  // a failure is logged too
    REQUIRE(res);
    CHECK(res->status == 422);
    SQLite::Statement q(*s.db, "SELECT source FROM auth_events WHERE event = 'login_failed'");
    REQUIRE(q.executeStep());
    return q.getColumn(0).getString();
  };
  // nginx's $proxy_add_x_forwarded_for appends the peer it saw after whatever the client sent.
  const httplib::Headers forwarded = {{"X-Forwarded-For", "203.0.113.9, 198.51.100.7"}};
  CHECK(logged_source(false, forwarded) == "127.0.0.1");  // anyone could have written the header
  CHECK(logged_source(true, forwarded) == "198.51.100.7");
  CHECK(logged_source(true, {{"X-Forwarded-For", "2001:db8::1"}}) == "2001:db8::1");
  CHECK(logged_source(true, {}) == "127.0.0.1");
  CHECK(logged_source(true, {{"X-Forwarded-For", "198.51.100.7, <script>alert(1)</script>"}}) == "127.0.0.1");
}

TEST_CASE("auth: \"secure_cookies\" and \"trusted_proxy\" are read from the config file, off by default") {
  TempDir dir;
  const auto path = dir.file("probity.json");
  CHECK_FALSE(load_config("").secure_cookies);
  CHECK_FALSE(load_config("").trusted_proxy);
  {
    std::ofstream(path) << R"({"secure_cookies": true, "trusted_proxy": true})";
  }
  const auto config = load_config(path);
  CHECK(config.secure_cookies);
  CHECK(config.trusted_proxy);
  {
    std::ofstream(path) << R"({"trusted_proxy": "yes"})";
  }
  CHECK_THROWS_WITH(load_config(path), path + ": field \"trusted_proxy\" has the wrong type");
  // The shipped config names both, off: the plain-HTTP demo must not mark its cookie Secure.
  const auto shipped = load_config(std::string(PROBITY_SOURCE_DIR) + "/config/probity.json");
  CHECK_FALSE(shipped.secure_cookies);
  CHECK_FALSE(shipped.trusted_proxy);
  CHECK(shipped.raw.contains("secure_cookies"));
  CHECK(shipped.raw.contains("trusted_proxy"));
}

TEST_CASE("auth: sign in renews the session, shows who is signed in, and sign out ends it server-side") {
  TestServer s([](Config& c) { fast_accounts(c); });
  Id person = add_person(s, "p-asha", "Dr Asha Patel");
  add_account(s, "asha@example.nhs.uk", person);

  Browser b(s);
  b.get("/sign-in");
  // A session token planted before sign-in (say by someone who shares the computer) is not
  // taken over: sign-in makes a new one.
  const std::string anonymous = random_hex(16);
  b.session = anonymous;
  auto res = b.post("/sign-in", {{"email", "Asha@Example.nhs.uk"}, {"password", kPassword}});
  REQUIRE(res);
  CHECK(res->status == 303);
  CHECK(res->get_header_value("Location") == "/my");
  CHECK_FALSE(b.session.empty());
  CHECK(b.session != anonymous);
  CHECK(res->get_header_value("Cache-Control") == "no-store");

  Browser planted(s);
  planted.session = anonymous;
  auto again = planted.get("/sign-in");
  CHECK(again->status == 200);  // not signed in: shows the form

  auto home = b.get("/");
  REQUIRE(home);
  CHECK_THAT(home->body, Catch::Contains("Signed in as Dr Asha Patel"));
  CHECK(home->get_header_value("Cache-Control") == "no-store");
  // Anonymous visitors' public pages can be cached.
  CHECK(s.client().Get("/")->get_header_value("Cache-Control").empty());

  const std::string signed_in = b.session;
  auto out = b.post("/sign-out", {});
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK(out->get_header_value("Location") == "/sign-in?signed_out=1");
  CHECK_THAT(out->get_header_value("Set-Cookie"), Catch::Contains("Max-Age=0"));
  // Reusing the old cookie does not bring the session back: it was revoked in the database.
  Browser stolen(s);
  stolen.session = signed_in;
  auto after = stolen.get("/");
  CHECK_FALSE(after->body.find("Signed in as") != std::string::npos);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM auth_events WHERE event = 'logout'") == 1);
}

TEST_CASE("auth: a wrong password comes back with a message, the email kept and the password not echoed") {
  TestServer s([](Config& c) { fast_accounts(c); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  Browser b(s);
  auto res = b.sign_in("asha@example.nhs.uk", "not the password");
  REQUIRE(res);
  CHECK(res->status == 422);
  CHECK_THAT(res->body, Catch::Contains("nhsuk-error-summary") && Catch::Contains("href=\"#email\"") &&
                            Catch::Contains("The email address or password is not correct") &&
                            Catch::Contains("value=\"asha@example.nhs.uk\""));
  CHECK_FALSE(res->body.find("not the password") != std::string::npos);
  CHECK_THAT(res->body, Catch::Contains("<title>Error: Sign in"));

  // An unknown address gets exactly the same answer.
  auto unknown = b.sign_in("nobody@example.nhs.uk", "not the password");
  CHECK(unknown->status == 422);
  CHECK_THAT(unknown->body, Catch::Contains("The email address or password is not correct"));

  auto empty = b.sign_in("", "");
  CHECK(empty->status == 422);
  CHECK_THAT(empty->body, Catch::Contains("Enter your email address") && Catch::Contains("Enter your password") &&
                              Catch::Contains("href=\"#password\""));
}

TEST_CASE("auth: a locked-out account stays locked for the configured time, even with the right password") {
  TestClock clock;
  TestServer s([](Config& c) { fast_accounts(c, {{"lockout_failures", 3}, {"lockout_seconds", 600}}); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  Browser b(s);
  CHECK(b.sign_in("asha@example.nhs.uk", "guess one")->status == 422);
  CHECK(b.sign_in("asha@example.nhs.uk", "guess two")->status == 422);
  auto locked = b.sign_in("asha@example.nhs.uk", "guess three");
  REQUIRE(locked);
  CHECK(locked->status == 429);
  CHECK_THAT(locked->body, Catch::Contains("This account is locked for a while after too many failed sign-in attempts"));

  clock.advance(599s);
  auto still = b.sign_in("asha@example.nhs.uk", kPassword);
  CHECK(still->status == 429);
  CHECK_THAT(still->body, Catch::Contains("This account is locked"));

  clock.advance(2s);
  auto ok = b.sign_in("asha@example.nhs.uk", kPassword);
  CHECK(ok->status == 303);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM auth_events WHERE event = 'login_locked'") >= 2);
}

TEST_CASE("auth: sessions end after the idle timeout") {
  TestClock clock;
  TestServer s([](Config& c) { fast_accounts(c, {{"session_idle_seconds", 1800}}); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  Browser b(s);
  REQUIRE(b.sign_in("asha@example.nhs.uk")->status == 303);
  clock.advance(1700s);
  CHECK_THAT(b.get("/")->body, Catch::Contains("Signed in as"));  // activity extends the idle time
  clock.advance(1700s);
  CHECK_THAT(b.get("/")->body, Catch::Contains("Signed in as"));
  clock.advance(1801s);
  CHECK_FALSE(b.get("/")->body.find("Signed in as") != std::string::npos);
}

TEST_CASE("auth: POSTs without the session's CSRF token are refused and change nothing") {
  TestServer s([](Config& c) { fast_accounts(c); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  Browser b(s);
  b.get("/sign-in");
  const int events = count_rows(*s.db, "SELECT COUNT(*) FROM auth_events");

  auto missing = b.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}}, false);
  REQUIRE(missing);
  CHECK(missing->status == 403);
  CHECK_THAT(missing->body, Catch::Contains("security token is missing or out of date"));
  auto wrong = b.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}, {"csrf_token", std::string(32, 'a')}});
  CHECK(wrong->status == 403);
  // Another visitor's token does not work with this cookie.
  Browser other(s);
  other.get("/sign-in");
  auto foreign = b.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}, {"csrf_token", other.csrf()}});
  CHECK(foreign->status == 403);
  // A token with no cookie at all.
  Browser cookieless(s);
  auto no_cookie = cookieless.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}, {"csrf_token", b.csrf()}});
  CHECK(no_cookie->status == 403);
  // A cookie value of the attacker's choosing, with a token made up for it (the key is the server's).
  Browser forger(s);
  forger.csrf_cookie = std::string(32, '0');
  auto forged = forger.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword},
                                         {"csrf_token", sha256_hex(forger.csrf_cookie)}});
  CHECK(forged->status == 403);
  // This browser's token, sent with another browser's cookie.
  Browser swapped(s);
  swapped.csrf_cookie = other.csrf_cookie;
  auto mismatched = swapped.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}, {"csrf_token", b.csrf()}});
  CHECK(mismatched->status == 403);
  // Cookies we could never have set are refused like a missing one, not with a 500.
  for (const std::string& bad : {std::string(31, 'a'), std::string(32, 'G'), std::string(4000, 'a'), std::string("%00")}) {
    Browser odd(s);
    odd.csrf_cookie = bad;
    auto r = odd.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}, {"csrf_token", b.csrf()}});
    CHECK(r->status == 403);
  }
  // The cookie alone, with no token.
  auto cookie_only = b.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}}, false);
  CHECK(cookie_only->status == 403);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM auth_events") == events);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL") == 0);

  // Sign-out without the token leaves the session alive.
  REQUIRE(b.sign_in("asha@example.nhs.uk")->status == 303);
  b.get("/");
  CHECK(b.post("/sign-out", {}, false)->status == 403);
  CHECK_THAT(b.get("/")->body, Catch::Contains("Signed in as"));
  // Signed in, only the session's own token will do: not the signed-out token of the cookie
  // still in the browser, which anyone able to plant a cookie could have made.
  Browser signed_out_view(s);
  signed_out_view.csrf_cookie = b.csrf_cookie;
  signed_out_view.get("/sign-in");
  REQUIRE_FALSE(signed_out_view.csrf().empty());
  CHECK(b.post("/sign-out", {{"csrf_token", signed_out_view.csrf()}})->status == 403);
  CHECK_THAT(b.get("/")->body, Catch::Contains("Signed in as"));
}

TEST_CASE("auth: a form that repeats a field is refused with 400") {
  TestServer s([](Config& c) { fast_accounts(c); });
  Browser b(s);
  b.get("/sign-in");
  auto res = b.post("/sign-in", {{"email", "a@example.nhs.uk"}, {"email", "b@example.nhs.uk"}, {"password", "x"}});
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK_THAT(res->body, Catch::Contains("The form sent the field &apos;email&apos; more than once."));
}

TEST_CASE("auth: only local paths are followed after sign-in") {
  TestServer s([](Config& c) { fast_accounts(c); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  auto next = GENERATE(table<std::string, std::string>({{"/my/interests/new", "/my/interests/new"},
                                                        {"//evil.example/", "/my"},
                                                        {"https://evil.example/", "/my"},
                                                        {"/\\evil.example", "/my"}}));
  CAPTURE(next);
  Browser b(s);
  b.get("/sign-in");
  auto res = b.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}, {"next", std::get<0>(next)}});
  REQUIRE(res);
  CHECK(res->get_header_value("Location") == std::get<1>(next));
}

TEST_CASE("auth: safe_next keeps a path on this site and refuses anything that could leave it") {
  CHECK(safe_next("/my/interests/new?x=1") == "/my/interests/new?x=1");
  CHECK(safe_next("/my") == "/my");
  for (const std::string bad : {"", "/", "my", "//evil.example/", "/\\evil.example", "/a\\b", "https://evil.example/",
                                "/a b", "/a\tb", "/caf\xc3\xa9", "/\x7f"}) {
    CAPTURE(bad);
    CHECK(safe_next(bad).empty());
  }
  CHECK(safe_next("/" + std::string(511, 'a')).size() == 512);
  CHECK(safe_next("/" + std::string(512, 'a')).empty());
}

TEST_CASE("auth: a set-password link works once, checks the password rules, then the holder can sign in") {
  TestServer s([](Config& c) { fast_accounts(c); });
  UserStore accounts(*s.db, account_config(s.app->config()));
  User u = accounts.create_user("new@example.nhs.uk", add_person(s, "p-new", "Dr New"), UserRole::member, "test", now_instant());
  auto link = accounts.create_password_link(u.id, "test", now_instant());
  const std::string path = "/set-password/" + link.token;

  Browser b(s);
  auto page = b.get(path);
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("new@example.nhs.uk"));

  auto mismatch = b.post(path, {{"password", "a long enough phrase"}, {"confirm", "another phrase"}});
  CHECK(mismatch->status == 422);
  CHECK_THAT(mismatch->body, Catch::Contains("The two passwords do not match") && Catch::Contains("href=\"#confirm\""));
  auto common = b.post(path, {{"password", "password123"}, {"confirm", "password123"}});
  CHECK(common->status == 422);
  CHECK_THAT(common->body, Catch::Contains("href=\"#password\""));
  auto shortpw = b.post(path, {{"password", "short"}, {"confirm", "short"}});
  CHECK(shortpw->status == 422);

  auto ok = b.post(path, {{"password", "a long enough phrase"}, {"confirm", "a long enough phrase"}});
  CHECK(ok->status == 200);
  CHECK_THAT(ok->body, Catch::Contains("Your password is set"));
  CHECK(b.get(path)->status == 404);
  CHECK(b.sign_in("new@example.nhs.uk", "a long enough phrase")->status == 303);
  CHECK(Browser(s).get("/set-password/0123456789abcdef0123456789abcdef")->status == 404);
}

TEST_CASE("auth: passwords are never stored or logged in clear") {
  TestServer s([](Config& c) { fast_accounts(c); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  std::stringstream captured;
  auto* old = std::cerr.rdbuf(captured.rdbuf());
  Browser b(s);
  b.sign_in("asha@example.nhs.uk", "Wrong-Secret-Guess-42");
  b.sign_in("asha@example.nhs.uk", kPassword);
  std::cerr.rdbuf(old);
  CHECK(where_stored(*s.db, kPassword).empty());
  CHECK(where_stored(*s.db, "Wrong-Secret-Guess-42").empty());
  CHECK_FALSE(captured.str().find(kPassword) != std::string::npos);
  CHECK_FALSE(captured.str().find("Wrong-Secret-Guess-42") != std::string::npos);
  // The session cookie's token is stored only as a hash.
  CHECK(where_stored(*s.db, b.session).empty());
}

TEST_CASE("auth: a bad accounts section in the config stops start-up") {
  Config c;
  c.raw["accounts"] = {{"lockout_seconds", "ten"}};
  CHECK_THROWS_WITH(account_config(c), "accounts.lockout_seconds must be a whole number");
  c.raw["accounts"] = {{"session_idle_seconds", 5}};
  CHECK_THROWS_WITH(account_config(c), "accounts.session_idle_seconds must be from 60 to 86400");
}

namespace {
// A signed-out browser holding the sign-in form, ready to post it.
Browser at_sign_in_form(const TestServer& s) {
  Browser b(s);
  b.get("/sign-in");
  return b;
}

// Waits (bounded) until `ready()` holds.
template <typename Ready>
bool eventually(Ready ready, std::chrono::milliseconds limit = 20000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// True once a sign-in for `email` holds a hashing turn: it counts the attempt under its turn,
// then checks the password.
bool attempt_counted(TestServer& s, const std::string& email) {
  SQLite::Statement q(*s.db, "SELECT COUNT(*) FROM login_throttle WHERE email = ?");
  q.bind(1, email);
  q.executeStep();
  return q.getColumn(0).getInt() > 0;
}
}  // namespace

TEST_CASE("auth: with every hashing turn taken, sign-in and set-password answer 503 with Retry-After, and other pages are served") {
  // One turn, no queue, and a password check slow enough (scrypt N=2^15, p=2) to hold the turn while
  // the other requests are made.
  TestServer s([](Config& c) {
    fast_accounts(c, {{"scrypt", {{"log2_n", 15}, {"r", 8}, {"p", 2}}}, {"hashing_concurrency", 1}, {"hashing_queue", 0},
                      {"hashing_wait_ms", 3000}});
    c.threads = 16;
  });
  UserStore accounts(*s.db, account_config(s.app->config()));
  User u = accounts.create_user("new@example.nhs.uk", std::nullopt, UserRole::member, "test", now_instant());
  const std::string link = "/set-password/" + accounts.create_password_link(u.id, "test", now_instant()).token;
  Browser slow = at_sign_in_form(s), second = at_sign_in_form(s), setter(s);
  REQUIRE(setter.get(link)->status == 200);

  std::atomic<bool> slow_done{false};
  int slow_status = 0;
  std::thread slow_sign_in([&] {
    auto r = slow.post("/sign-in", {{"email", "first@example.nhs.uk"}, {"password", "a guess"}});
    slow_status = r ? r->status : -1;
    slow_done = true;
  });
  REQUIRE(eventually([&] { return attempt_counted(s, "first@example.nhs.uk"); }));

  auto busy = second.post("/sign-in", {{"email", "second@example.nhs.uk"}, {"password", "another guess"}});
  auto busy_setting = setter.post(link, {{"password", "a long enough phrase"}, {"confirm", "a long enough phrase"}});
  auto health = s.client().Get("/healthz");
  auto form = Browser(s).get("/sign-in");  // a page that borrows a database connection
  const bool overlapped = !slow_done;
  slow_sign_in.join();
  REQUIRE(overlapped);  // all of the above happened while the first password was being checked

  REQUIRE(busy);
  CHECK(busy->status == 503);
  CHECK(busy->get_header_value("Retry-After") == "3");
  CHECK_THAT(busy->body, Catch::Contains("Too many people are signing in at once"));
  REQUIRE(busy_setting);
  CHECK(busy_setting->status == 503);
  CHECK(busy_setting->get_header_value("Retry-After") == "3");
  CHECK(health->status == 200);
  CHECK(form->status == 200);
  CHECK(slow_status == 422);
  // Refused for being busy, the attempt was not counted, and the link still works.
  CHECK_FALSE(attempt_counted(s, "second@example.nhs.uk"));
  CHECK_FALSE(accounts.find_user(u.id)->has_password);
  CHECK(second.sign_in("second@example.nhs.uk", "another guess")->status == 422);
  setter.get(link);
  CHECK(setter.post(link, {{"password", "a long enough phrase"}, {"confirm", "a long enough phrase"}})->status == 200);
}

TEST_CASE("auth: a sign-in still waiting for a hashing turn when the wait runs out answers 503") {
  TestServer s([](Config& c) {
    fast_accounts(c, {{"scrypt", {{"log2_n", 15}, {"r", 8}, {"p", 2}}}, {"hashing_concurrency", 1}, {"hashing_queue", 4},
                      {"hashing_wait_ms", 100}});
  });
  Browser slow = at_sign_in_form(s), waiting = at_sign_in_form(s);
  std::atomic<bool> slow_done{false};
  std::thread slow_sign_in([&] {
    slow.post("/sign-in", {{"email", "first@example.nhs.uk"}, {"password", "a guess"}});
    slow_done = true;
  });
  REQUIRE(eventually([&] { return attempt_counted(s, "first@example.nhs.uk"); }));
  auto timed_out = waiting.post("/sign-in", {{"email", "second@example.nhs.uk"}, {"password", "another guess"}});
  const bool overlapped = !slow_done;
  slow_sign_in.join();
  REQUIRE(overlapped);
  REQUIRE(timed_out);
  CHECK(timed_out->status == 503);
  CHECK(timed_out->get_header_value("Retry-After") == "1");
}

TEST_CASE("auth: wrong passwords posted at once get at most 5 checks, then the right password is refused") {
  TestServer s([](Config& c) {
    fast_accounts(c, {{"scrypt", {{"log2_n", 12}, {"r", 8}, {"p", 2}}}, {"hashing_concurrency", 2}, {"hashing_queue", 64},
                      {"hashing_wait_ms", 30000}});
    c.threads = 48;
  });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  constexpr int kGuesses = 30;
  std::vector<Browser> browsers;
  for (int i = 0; i < kGuesses; ++i) browsers.push_back(at_sign_in_form(s));
  std::latch start(kGuesses);
  std::vector<int> statuses(kGuesses);
  std::vector<std::thread> guesses;
  for (int i = 0; i < kGuesses; ++i)
    guesses.emplace_back([&, i] {
      const auto n = static_cast<std::size_t>(i);
      start.arrive_and_wait();
      auto r = browsers[n].post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", "guess " + std::to_string(i)}});
      statuses[n] = r ? r->status : -1;
    });
  for (auto& g : guesses) g.join();
  CHECK(std::count(statuses.begin(), statuses.end(), 422) == 4);
  CHECK(std::count(statuses.begin(), statuses.end(), 429) == kGuesses - 4);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM auth_events WHERE event = 'login_failed'") == 5);
  auto right = Browser(s).sign_in("asha@example.nhs.uk");
  REQUIRE(right);
  CHECK(right->status == 429);
}

TEST_CASE("auth: an unknown address gets the same answers as an account: four times 422, then 429 locked") {
  TestServer s([](Config& c) { fast_accounts(c); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  Browser b = at_sign_in_form(s);  // one browser, so the pages carry the same CSRF token
  auto answers = [&](const std::string& email) {
    std::vector<std::pair<int, std::string>> out;
    for (int i = 0; i < 6; ++i) {
      auto r = b.post("/sign-in", {{"email", email}, {"password", "guess " + std::to_string(i)}});
      REQUIRE(r);
      // The same page once the address and the minute the lock ends are taken out.
      std::string page = std::regex_replace(r->body, std::regex(email), "EMAIL");
      page = std::regex_replace(page, std::regex(R"(after \d\d:\d\d UTC on \d{4}-\d\d-\d\d)"), "after TIME");
      out.emplace_back(r->status, page);
    }
    return out;
  };
  const auto account = answers("asha@example.nhs.uk");
  const auto unknown = answers("nobody@example.nhs.uk");
  std::vector<int> statuses;
  for (const auto& [status, page] : unknown) statuses.push_back(status);
  CHECK(statuses == std::vector<int>{422, 422, 422, 422, 429, 429});
  CHECK_THAT(unknown.back().second, Catch::Contains("This account is locked for a while after too many failed sign-in attempts"));
  for (std::size_t i = 0; i < account.size(); ++i) {
    CAPTURE(i);
    CHECK(account[i].first == unknown[i].first);
    CHECK(account[i].second == unknown[i].second);
  }
}

TEST_CASE("auth: signing in with an unknown address takes as long as with an account's wrong password") {
  // One scrypt run each: the dummy hash for unknown addresses is made once, at start-up.
  TestServer s([](Config& c) { fast_accounts(c, {{"scrypt", {{"log2_n", 14}, {"r", 8}, {"p", 4}}}, {"lockout_failures", 100}}); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  Browser b = at_sign_in_form(s);
  auto timed = [&](const std::string& email) {
    const auto start = std::chrono::steady_clock::now();
    auto r = b.post("/sign-in", {{"email", email}, {"password", "a wrong guess"}});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(r);
    CHECK(r->status == 422);
    return seconds;
  };
  // The fastest of several, taken in turns: other work on the machine only ever adds time.
  double account = 1e9, unknown = 1e9;
  for (int i = 0; i < 5; ++i) {
    account = std::min(account, timed("asha@example.nhs.uk"));
    unknown = std::min(unknown, timed("nobody" + std::to_string(i) + "@example.nhs.uk"));
  }
  CAPTURE(account, unknown);
  CHECK(unknown < account * 1.35);
  CHECK(account < unknown * 1.35);
}

TEST_CASE("auth: signed-out visits add no session rows, and the signed token works for the form and across servers") {
  TestServer s([](Config& c) { fast_accounts(c); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  for (int i = 0; i < 40; ++i) {
    auto r = s.client().Get("/sign-in");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM sessions") == 0);

  // The cookie is set once and the token stays the same while the browser keeps it.
  Browser b(s);
  REQUIRE(b.get("/sign-in")->get_header_value_count("Set-Cookie") == 1);
  const std::string token = b.csrf();
  auto again = b.get("/sign-in");
  CHECK(again->get_header_value_count("Set-Cookie") == 0);
  CHECK(b.csrf() == token);

  // The key is kept in the database: another server on it (or this one restarted) accepts the token.
  TestServer other([&](Config& c) {
    fast_accounts(c);
    c.database = s.db.path;
  });
  Browser elsewhere(other);
  elsewhere.csrf_cookie = b.csrf_cookie;
  auto wrong = elsewhere.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", "a guess"}, {"csrf_token", token}});
  CHECK(wrong->status == 422);  // past the CSRF check, to the password
  auto ok = b.post("/sign-in", {{"email", "asha@example.nhs.uk"}, {"password", kPassword}});
  CHECK(ok->status == 303);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM sessions") == 1);
}

TEST_CASE("auth: expired sessions and ended sign-in counts are deleted as people sign in, with no call to purge") {
  TestClock clock;
  TestServer s([](Config& c) { fast_accounts(c); });
  add_account(s, "asha@example.nhs.uk", add_person(s, "p-asha", "Dr Asha Patel"));
  add_account(s, "ben@example.nhs.uk", add_person(s, "p-ben", "Dr Ben Okafor"));
  Browser asha(s), ben(s), stranger(s);
  REQUIRE(asha.sign_in("asha@example.nhs.uk")->status == 303);
  REQUIRE(stranger.sign_in("nobody@example.nhs.uk", "a guess")->status == 422);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM sessions") == 1);
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM login_throttle") == 1);

  clock.advance(31min);  // past the 30-minute idle timeout and the 15-minute window
  REQUIRE(ben.sign_in("ben@example.nhs.uk")->status == 303);
  SQLite::Statement left(*s.db, "SELECT u.email FROM sessions s JOIN users u ON u.id = s.user_id");
  REQUIRE(left.executeStep());
  CHECK(left.getColumn(0).getString() == "ben@example.nhs.uk");
  CHECK_FALSE(left.executeStep());
  CHECK(count_rows(*s.db, "SELECT COUNT(*) FROM login_throttle") == 0);
}

TEST_CASE("auth: the hashing limits are read from the accounts section and checked") {
  Config c;
  c.raw["accounts"] = {{"hashing_concurrency", 3}, {"hashing_queue", 0}, {"hashing_wait_ms", 1500}};
  const auto limits = account_config(c).hashing;
  CHECK(limits.concurrent == 3);
  CHECK(limits.queue == 0);
  CHECK(limits.wait == 1500ms);
  CHECK(account_config(Config{}).hashing.concurrent == std::max(1u, std::thread::hardware_concurrency()));
  c.raw["accounts"] = {{"hashing_concurrency", 0}};
  CHECK_THROWS_WITH(account_config(c), "accounts.hashing_concurrency must be from 1 to 256");
  c.raw["accounts"] = {{"hashing_wait_ms", "2s"}};
  CHECK_THROWS_WITH(account_config(c), "accounts.hashing_wait_ms must be a whole number");
}
