#include <catch2/catch.hpp>

#include <latch>
#include <thread>
#include <tuple>

#include "model/api_token_store.hpp"
#include "model/audit_log.hpp"
#include "model/auth_events.hpp"
#include "model/session_store.hpp"
#include "model/sign_in.hpp"
#include "model/sign_in_throttle.hpp"
#include "model/user_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace std::chrono_literals;

namespace {
const Instant t0 = *parse_instant("2025-05-01T09:00:00Z");

AccountConfig test_config() {
  AccountConfig c;
  c.scrypt = ScryptParams{10, 8, 1};  // the format and flow are under test here, not the cost
  return c;
}


std::vector<std::string> event_kinds(SQLite::Database& db, Id user) {
  std::vector<std::string> out;
  for (const auto& e : AuthEventLog(db).events_for_user(user)) out.emplace_back(to_string(e.kind));
  return out;
}

// An account with a password set through a link, as governance would hand it over.
User account_with_password(UserStore& accounts, const std::string& email, const std::string& password) {
  User u = accounts.create_user(email, std::nullopt, UserRole::member, "governance:1", t0);
  auto link = accounts.create_password_link(u.id, "governance:1", t0);
  auto set = accounts.set_password_with_link(link.token, password, t0);
  REQUIRE(set.outcome == SetPasswordOutcome::ok);
  return *set.user;
}
}  // namespace

TEST_CASE("accounts: email is unique ignoring case, and malformed emails are refused with a form message") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  User u = accounts.create_user("  Asha.Patel@nhs.net ", std::nullopt, UserRole::member, "governance:1", t0);
  CHECK(u.email == "Asha.Patel@nhs.net");
  CHECK_FALSE(u.has_password);
  CHECK(accounts.find_user_by_email("asha.patel@NHS.NET")->id == u.id);
  CHECK_THROWS_WITH(accounts.create_user("asha.patel@nhs.net", std::nullopt, UserRole::governance, "governance:1", t0),
                    "An account with this email address already exists");
  auto bad = GENERATE(as<std::string>{}, "", "asha", "@nhs.net", "asha@", "asha patel@nhs.net", "a@b@nhs.net", "asha@nhs");
  CAPTURE(bad);
  CHECK_THROWS_WITH(accounts.create_user(bad, std::nullopt, UserRole::member, "governance:1", t0),
                    "Enter an email address in the correct format, like name@example.com");
}

TEST_CASE("accounts: creation and role changes are audited and logged, without any password hash") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  User u = account_with_password(accounts, "ben.okafor@nhs.net", "tulip-meadow-42");
  CHECK(accounts.set_role(u.id, UserRole::governance, "governance:1", t0 + 1min));
  CHECK(accounts.find_user(u.id)->role == UserRole::governance);
  CHECK_FALSE(accounts.set_role(999, UserRole::governance, "governance:1", t0));
  auto audit = audit_for(*t, "user", u.id);
  REQUIRE(audit.size() == 2);
  CHECK(audit[0].action == "create");
  CHECK(nlohmann::json::parse(audit[1].before_json).at("role") == "member");
  CHECK(nlohmann::json::parse(audit[1].after_json).at("role") == "governance");
  CHECK(audit[1].after_json.find("scrypt") == std::string::npos);
  CHECK(verify_audit_chain(*t).ok);
  CHECK(event_kinds(*t, u.id) ==
        std::vector<std::string>{"account_created", "password_link_created", "password_set", "account_changed"});
}

TEST_CASE("set-password links work once, expire, and the newest replaces older ones") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SignIn sign_in(*t, test_config());
  User u = accounts.create_user("chen.li@nhs.net", std::nullopt, UserRole::member, "governance:1", t0);
  auto link = accounts.create_password_link(u.id, "governance:1", t0);
  CHECK(link.expires_at == t0 + 72h);

  SECTION("valid until the configured lifetime, then refused") {
    CHECK(accounts.password_link_user(link.token, t0 + 72h - 1s)->id == u.id);
    CHECK_FALSE(accounts.password_link_user(link.token, t0 + 72h).has_value());
    auto late = accounts.set_password_with_link(link.token, "tulip-meadow-42", t0 + 72h);
    CHECK(late.outcome == SetPasswordOutcome::invalid_link);
    CHECK_FALSE(accounts.find_user(u.id)->has_password);
  }
  SECTION("a rejected password leaves the link usable; a good one uses it up") {
    auto weak = accounts.set_password_with_link(link.token, "Password1", t0 + 1h);
    CHECK(weak.outcome == SetPasswordOutcome::rejected);
    CHECK(weak.problems ==
          std::vector<std::string>{"Password is one of the most commonly used passwords: choose one that is harder to guess"});
    auto mine = accounts.set_password_with_link(link.token, "chen.li@nhs.net", t0 + 1h);
    CHECK(mine.problems == std::vector<std::string>{"Password must not be your email address"});
    auto ok = accounts.set_password_with_link(link.token, "tulip-meadow-42", t0 + 1h);
    REQUIRE(ok.outcome == SetPasswordOutcome::ok);
    CHECK(ok.user->has_password);
    auto again = accounts.set_password_with_link(link.token, "another-tulip-43", t0 + 2h);
    CHECK(again.outcome == SetPasswordOutcome::invalid_link);
    CHECK(sign_in.login("chen.li@nhs.net", "tulip-meadow-42", t0 + 3h).outcome == LoginOutcome::ok);
    CHECK(sign_in.login("chen.li@nhs.net", "another-tulip-43", t0 + 3h).outcome == LoginOutcome::bad_credentials);
  }
  SECTION("making a new link cancels the old one") {
    auto newer = accounts.create_password_link(u.id, "governance:1", t0 + 1h);
    CHECK_FALSE(accounts.password_link_user(link.token, t0 + 1h).has_value());
    CHECK(accounts.password_link_user(newer.token, t0 + 1h)->id == u.id);
  }
  SECTION("an unknown token is refused") {
    CHECK(accounts.set_password_with_link("not-a-token", "tulip-meadow-42", t0).outcome == SetPasswordOutcome::invalid_link);
  }
}

TEST_CASE("login: unknown email and wrong password look the same, and failures slow down") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SignIn sign_in(*t, test_config());
  AuthEventLog security_log(*t);
  User u = account_with_password(accounts, "dana.evans@nhs.net", "tulip-meadow-42");
  auto unknown = sign_in.login("nobody@nhs.net", "tulip-meadow-42", t0);
  auto wrong1 = sign_in.login("dana.evans@nhs.net", "tulip-meadow-41", t0 + 1s);
  CHECK(unknown.outcome == LoginOutcome::bad_credentials);
  CHECK(wrong1.outcome == LoginOutcome::bad_credentials);
  CHECK_FALSE(wrong1.user.has_value());
  auto wrong2 = sign_in.login("dana.evans@nhs.net", "tulip-meadow-40", t0 + 2s);
  auto wrong3 = sign_in.login("dana.evans@nhs.net", "tulip-meadow-39", t0 + 3s);
  CHECK(wrong1.delay == 250ms);
  CHECK(wrong2.delay == 500ms);
  CHECK(wrong3.delay == 1000ms);
  auto ok = sign_in.login("DANA.EVANS@nhs.net", "tulip-meadow-42", t0 + 4s, "192.0.2.7");
  REQUIRE(ok.outcome == LoginOutcome::ok);
  CHECK(ok.user->id == u.id);
  CHECK(ok.delay == 0ms);
  auto events = security_log.events_for_user(u.id);
  CHECK(events.back().kind == AuthEventKind::login_ok);
  CHECK(events.back().source == "192.0.2.7");
  // A success starts the count again.
  CHECK(sign_in.login("dana.evans@nhs.net", "nope-nope-nope", t0 + 5s).delay == 250ms);
}

TEST_CASE("login: after 5 failures in 15 minutes the account stays locked for 15 minutes, then unlocks") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SignIn sign_in(*t, test_config());
  User u = account_with_password(accounts, "erin.fox@nhs.net", "tulip-meadow-42");
  LoginResult last;
  for (int i = 0; i < 5; ++i) last = sign_in.login("erin.fox@nhs.net", "wrong-guess-" + std::to_string(i), t0 + std::chrono::minutes(i));
  REQUIRE(last.outcome == LoginOutcome::locked);
  const Instant locked_at = t0 + 4min;
  CHECK(last.locked_until == locked_at + 15min);
  // Even the right password is refused while locked, right up to the end of the lock.
  CHECK(sign_in.login("erin.fox@nhs.net", "tulip-meadow-42", locked_at + 1min).outcome == LoginOutcome::locked);
  CHECK(sign_in.login("erin.fox@nhs.net", "tulip-meadow-42", locked_at + 15min - 1s).outcome == LoginOutcome::locked);
  CHECK(sign_in.login("erin.fox@nhs.net", "tulip-meadow-42", locked_at + 15min).outcome == LoginOutcome::ok);
  auto kinds = event_kinds(*t, u.id);
  CHECK(std::count(kinds.begin(), kinds.end(), "login_failed") == 5);
  CHECK(std::count(kinds.begin(), kinds.end(), "login_locked") == 3);  // the lock, then two refused attempts
  CHECK(kinds.back() == "login_ok");
}

TEST_CASE("login: failures spread over more than the window do not lock; the numbers are configurable") {
  testing::TestDb t;
  AccountConfig config = test_config();
  SECTION("national defaults") {
    UserStore accounts(*t, config);
    SignIn sign_in(*t, config);
    account_with_password(accounts, "gail.hunt@nhs.net", "tulip-meadow-42");
    for (int i = 0; i < 4; ++i) CHECK(sign_in.login("gail.hunt@nhs.net", "wrong", t0 + std::chrono::minutes(i)).outcome == LoginOutcome::bad_credentials);
    // The window opened at t0 and has closed by t0 + 15 min: a fresh count starts.
    for (int i = 0; i < 4; ++i) CHECK(sign_in.login("gail.hunt@nhs.net", "wrong", t0 + 15min + std::chrono::minutes(i)).outcome == LoginOutcome::bad_credentials);
    CHECK(sign_in.login("gail.hunt@nhs.net", "wrong", t0 + 19min).outcome == LoginOutcome::locked);
  }
  SECTION("stricter local settings") {
    config.lockout_failures = 3;
    config.lockout_duration = 1h;
    UserStore accounts(*t, config);
    SignIn sign_in(*t, config);
    account_with_password(accounts, "gail.hunt@nhs.net", "tulip-meadow-42");
    sign_in.login("gail.hunt@nhs.net", "wrong", t0);
    sign_in.login("gail.hunt@nhs.net", "wrong", t0 + 1s);
    auto third = sign_in.login("gail.hunt@nhs.net", "wrong", t0 + 2s);
    CHECK(third.outcome == LoginOutcome::locked);
    CHECK(third.locked_until == t0 + 2s + 1h);
  }
}

TEST_CASE("login: disabled accounts and accounts without a password cannot log in") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SessionStore sessions(*t, test_config());
  SignIn sign_in(*t, test_config());
  User u = account_with_password(accounts, "hari.singh@nhs.net", "tulip-meadow-42");
  accounts.create_user("ivy.jones@nhs.net", std::nullopt, UserRole::member, "governance:1", t0);
  CHECK(sign_in.login("ivy.jones@nhs.net", "", t0).outcome == LoginOutcome::bad_credentials);
  auto session = sessions.create_session(u.id, t0);
  REQUIRE(accounts.set_disabled(u.id, true, "governance:1", t0));
  CHECK(sign_in.login("hari.singh@nhs.net", "tulip-meadow-42", t0 + 1s).outcome == LoginOutcome::disabled);
  CHECK_FALSE(sessions.find_session(session.token, t0 + 1s).has_value());  // disabling ended the session
}

TEST_CASE("sessions expire after 30 idle minutes and 12 hours in all, and log out works server-side") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SessionStore sessions(*t, test_config());
  User u = accounts.create_user("jo.reed@nhs.net", std::nullopt, UserRole::governance, "setup", t0);
  auto s = sessions.create_session(u.id, t0);
  CHECK(s.token.size() == 32);  // 128 bits in hex
  CHECK(s.session.csrf_token.size() == 32);
  CHECK(s.session.csrf_token != s.token);

  SECTION("idle timeout") {
    CHECK(sessions.find_session(s.token, t0 + 30min - 1s)->user_id == u.id);
    CHECK_FALSE(sessions.find_session(s.token, t0 + 30min).has_value());
    CHECK_FALSE(sessions.touch(s.token, t0 + 30min));  // too late to revive
    CHECK_FALSE(sessions.find_session(s.token, t0 + 1min).has_value());  // and it is gone
  }
  SECTION("activity extends the idle timeout but never the absolute one") {
    Instant now = t0;
    while (now + 25min < t0 + 12h) {
      now += 25min;
      REQUIRE(sessions.touch(s.token, now));
    }
    CHECK(sessions.find_session(s.token, t0 + 12h - 1s).has_value());
    CHECK_FALSE(sessions.find_session(s.token, t0 + 12h).has_value());
  }
  SECTION("revoke ends the session and is logged as a logout") {
    CHECK(sessions.revoke(s.token, t0 + 1min));
    CHECK_FALSE(sessions.find_session(s.token, t0 + 1min).has_value());
    CHECK_FALSE(sessions.revoke(s.token, t0 + 1min));
    CHECK(event_kinds(*t, u.id).back() == "logout");
  }
  SECTION("revoke_all_for_user ends every session of that account only") {
    auto second = sessions.create_session(u.id, t0);
    auto anonymous = sessions.create_session(std::nullopt, t0);
    CHECK(sessions.revoke_all_for_user(u.id, "governance:2", t0 + 1min) == 2);
    CHECK_FALSE(sessions.find_session(second.token, t0 + 1min).has_value());
    REQUIRE(sessions.find_session(anonymous.token, t0 + 1min).has_value());
    CHECK_FALSE(sessions.find_session(anonymous.token, t0 + 1min)->user_id.has_value());
  }
  SECTION("purge removes only expired sessions") {
    auto fresh = sessions.create_session(u.id, t0 + 20min);
    CHECK(sessions.purge_expired_sessions(t0 + 40min) == 1);
    CHECK(sessions.find_session(fresh.token, t0 + 40min).has_value());
  }
}

TEST_CASE("setting a password ends the account's existing sessions") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SessionStore sessions(*t, test_config());
  User u = account_with_password(accounts, "kim.lowe@nhs.net", "tulip-meadow-42");
  auto s = sessions.create_session(u.id, t0);
  auto link = accounts.create_password_link(u.id, "governance:1", t0 + 1min);
  REQUIRE(accounts.set_password_with_link(link.token, "another-tulip-43", t0 + 2min).outcome == SetPasswordOutcome::ok);
  CHECK_FALSE(sessions.find_session(s.token, t0 + 3min).has_value());
}

TEST_CASE("API tokens are found by their hash, shown once, and stop working when revoked or the account is disabled") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  ApiTokenStore api_tokens(*t, test_config());
  User u = accounts.create_user("lee.moss@nhs.net", std::nullopt, UserRole::governance, "setup", t0);
  auto made = api_tokens.create_api_token(u.id, "nightly export", "cli", t0);
  CHECK(made.token.rfind("prb_", 0) == 0);
  CHECK(t.db->execAndGet("SELECT token_hash FROM api_tokens").getString() == sha256_hex(made.token));
  CHECK(api_tokens.user_for_api_token(made.token, t0)->id == u.id);
  CHECK_FALSE(api_tokens.user_for_api_token(made.token + "x", t0).has_value());
  CHECK_FALSE(api_tokens.user_for_api_token(sha256_hex(made.token), t0).has_value());  // the stored hash is not a credential
  REQUIRE(api_tokens.api_tokens_for(u.id).size() == 1);
  CHECK(api_tokens.api_tokens_for(u.id)[0].label == "nightly export");

  SECTION("revoked") {
    CHECK(api_tokens.revoke_api_token(made.id, "governance:1", t0 + 1h));
    CHECK_FALSE(api_tokens.revoke_api_token(made.id, "governance:1", t0 + 1h));
    CHECK_FALSE(api_tokens.user_for_api_token(made.token, t0 + 1h).has_value());
    CHECK(event_kinds(*t, u.id).back() == "token_revoked");
  }
  SECTION("account disabled") {
    accounts.set_disabled(u.id, true, "governance:1", t0 + 1h);
    CHECK_FALSE(api_tokens.user_for_api_token(made.token, t0 + 1h).has_value());
  }
}

TEST_CASE("no table stores a password or a token in clear, and the security log cannot be rewritten") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SessionStore sessions(*t, test_config());
  ApiTokenStore api_tokens(*t, test_config());
  SignIn sign_in(*t, test_config());
  const std::string password = "tulip-meadow-42";
  User u = accounts.create_user("mo.nash@nhs.net", std::nullopt, UserRole::member, "governance:1", t0);
  auto link = accounts.create_password_link(u.id, "governance:1", t0);
  REQUIRE(accounts.set_password_with_link(link.token, password, t0).outcome == SetPasswordOutcome::ok);
  sign_in.login("mo.nash@nhs.net", password, t0 + 1s);
  sign_in.login("mo.nash@nhs.net", "wrong-" + password, t0 + 2s);
  sign_in.login(password, password, t0 + 3s);  // the password typed into the email box
  auto session = sessions.create_session(u.id, t0 + 4s);
  auto token = api_tokens.create_api_token(u.id, "", "cli", t0 + 5s);

  CHECK(testing::where_stored(*t, password).empty());
  CHECK(testing::where_stored(*t, link.token).empty());
  CHECK(testing::where_stored(*t, session.token).empty());
  CHECK(testing::where_stored(*t, token.token).empty());
  // ... while their hashes are what is kept.
  CHECK(testing::where_stored(*t, sha256_hex(session.token)) == std::vector<std::string>{"sessions.token_hash"});
  CHECK(testing::where_stored(*t, "scrypt$10$8$1$") == std::vector<std::string>{"users.password_hash"});

  CHECK_THROWS_WITH(t.db->exec("UPDATE auth_events SET detail = ''"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(t.db->exec("DELETE FROM auth_events"), Catch::Contains("append-only"));
}

TEST_CASE("a stronger scrypt setting upgrades a stored hash at the next successful login") {
  testing::TestDb t;
  UserStore weak(*t, test_config());
  account_with_password(weak, "nia.orr@nhs.net", "tulip-meadow-42");
  AccountConfig stronger = test_config();
  stronger.scrypt.log2_n = 11;
  SignIn sign_in(*t, stronger);
  REQUIRE(sign_in.login("nia.orr@nhs.net", "tulip-meadow-42", t0).outcome == LoginOutcome::ok);
  CHECK(t.db->execAndGet("SELECT password_hash FROM users").getString().rfind("scrypt$11$8$1$", 0) == 0);
  CHECK(sign_in.login("nia.orr@nhs.net", "tulip-meadow-42", t0 + 1s).outcome == LoginOutcome::ok);
}

TEST_CASE("API tokens work until they expire: 90 days by default, the configured lifetime, or one asked for") {
  testing::TestDb t;
  SECTION("the default") {
    UserStore accounts(*t, test_config());
    ApiTokenStore api_tokens(*t, test_config());
    User u = accounts.create_user("omar.reid@nhs.net", std::nullopt, UserRole::member, "setup", t0);
    auto made = api_tokens.create_api_token(u.id, "sync", "cli", t0);
    CHECK(made.expires_at == t0 + 24h * 90);
    CHECK(api_tokens.api_tokens_for(u.id).at(0).expires_at == "2025-07-30T09:00:00Z");
    CHECK(api_tokens.user_for_api_token(made.token, t0 + 24h * 90 - 1s)->id == u.id);
    CHECK_FALSE(api_tokens.user_for_api_token(made.token, t0 + 24h * 90).has_value());
    CHECK(api_tokens.api_tokens_for(u.id).at(0).state(t0 + 24h * 90) == ApiTokenState::expired);
  }
  SECTION("configured, and asked for when the token is made") {
    AccountConfig c = test_config();
    c.api_token_lifetime = 24h * 7;
    UserStore accounts(*t, c);
    ApiTokenStore api_tokens(*t, c);
    User u = accounts.create_user("omar.reid@nhs.net", std::nullopt, UserRole::member, "setup", t0);
    auto week = api_tokens.create_api_token(u.id, "sync", "cli", t0);
    auto day = api_tokens.create_api_token(u.id, "one-off", "cli", t0, std::chrono::seconds(24h));
    CHECK(api_tokens.user_for_api_token(week.token, t0 + 24h * 7 - 1s).has_value());
    CHECK_FALSE(api_tokens.user_for_api_token(week.token, t0 + 24h * 7).has_value());
    CHECK(api_tokens.user_for_api_token(day.token, t0 + 24h - 1s).has_value());
    CHECK_FALSE(api_tokens.user_for_api_token(day.token, t0 + 24h).has_value());
  }
}

TEST_CASE("making an API token refuses an unknown or disabled account, no lifetime, and a bad label") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  ApiTokenStore api_tokens(*t, test_config());
  User u = accounts.create_user("pat.quinn@nhs.net", std::nullopt, UserRole::member, "setup", t0);
  CHECK_THROWS_WITH(api_tokens.create_api_token(999, "", "cli", t0), "There is no such account");
  CHECK_THROWS_WITH(api_tokens.create_api_token(u.id, "", "cli", t0, std::chrono::seconds(0)),
                    "A token must be valid for some time: give 1 day or more");
  CHECK_THROWS_WITH(api_tokens.create_api_token(u.id, std::string(201, 'x'), "cli", t0), "The label must be 200 characters or fewer");
  CHECK_THROWS_WITH(api_tokens.create_api_token(u.id, "two\nlines", "cli", t0), "The label must be one line of text");
  REQUIRE(accounts.set_disabled(u.id, true, "governance:1", t0));
  CHECK_THROWS_WITH(api_tokens.create_api_token(u.id, "", "cli", t0), "The account pat.quinn@nhs.net is disabled: enable it first");
  CHECK(api_tokens.api_tokens_for(u.id).empty());
}

TEST_CASE("an API token's last use is recorded, at most once a minute") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  ApiTokenStore api_tokens(*t, test_config());
  User u = accounts.create_user("rita.sole@nhs.net", std::nullopt, UserRole::member, "setup", t0);
  auto made = api_tokens.create_api_token(u.id, "sync", "cli", t0);
  CHECK_FALSE(api_tokens.find_api_token(made.id)->last_used_at.has_value());
  REQUIRE(api_tokens.user_for_api_token(made.token, t0 + 10s));
  CHECK(api_tokens.find_api_token(made.id)->last_used_at == "2025-05-01T09:00:10Z");
  const auto changes = t.db->getTotalChanges();
  REQUIRE(api_tokens.user_for_api_token(made.token, t0 + 69s));  // 59 s later: no write
  CHECK(t.db->getTotalChanges() == changes);
  CHECK(api_tokens.find_api_token(made.id)->last_used_at == "2025-05-01T09:00:10Z");
  REQUIRE(api_tokens.user_for_api_token(made.token, t0 + 70s));
  CHECK(api_tokens.find_api_token(made.id)->last_used_at == "2025-05-01T09:01:10Z");
  // A refused token records nothing.
  api_tokens.revoke_api_token(made.id, "governance:1", t0 + 5min);
  CHECK_FALSE(api_tokens.user_for_api_token(made.token, t0 + 10min));
  CHECK(api_tokens.find_api_token(made.id)->last_used_at == "2025-05-01T09:01:10Z");
}

TEST_CASE("disabling an account revokes its API tokens for good: enabling it again brings none back") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SessionStore sessions(*t, test_config());
  ApiTokenStore api_tokens(*t, test_config());
  SignIn sign_in(*t, test_config());
  AuthEventLog security_log(*t);
  User u = account_with_password(accounts, "sam.tate@nhs.net", "tulip-meadow-42");
  User other = accounts.create_user("una.vale@nhs.net", std::nullopt, UserRole::member, "setup", t0);
  auto first = api_tokens.create_api_token(u.id, "sync", "cli", t0);
  auto second = api_tokens.create_api_token(u.id, "export", "cli", t0);
  auto others = api_tokens.create_api_token(other.id, "theirs", "cli", t0);
  auto session = sessions.create_session(u.id, t0);

  REQUIRE(accounts.set_disabled(u.id, true, "user:1 governance@nhs.net", t0 + 1min));
  CHECK_FALSE(sessions.find_session(session.token, t0 + 1min).has_value());
  CHECK_FALSE(api_tokens.user_for_api_token(first.token, t0 + 1min).has_value());
  for (const auto& token : api_tokens.api_tokens_for(u.id)) CHECK(token.revoked_at == "2025-05-01T09:01:00Z");
  CHECK(api_tokens.user_for_api_token(others.token, t0 + 1min)->id == other.id);  // nobody else's

  REQUIRE(accounts.set_disabled(u.id, false, "user:1 governance@nhs.net", t0 + 2min));
  CHECK(sign_in.login("sam.tate@nhs.net", "tulip-meadow-42", t0 + 3min).outcome == LoginOutcome::ok);
  CHECK_FALSE(api_tokens.user_for_api_token(first.token, t0 + 3min).has_value());
  CHECK_FALSE(api_tokens.user_for_api_token(second.token, t0 + 3min).has_value());

  // Both changes are in the audit log and the security log, with who made them.
  auto audit = audit_for(*t, "user", u.id);
  REQUIRE(audit.size() == 3);
  CHECK(nlohmann::json::parse(audit[1].after_json).at("disabled") == true);
  CHECK(audit[1].actor == "user:1 governance@nhs.net");
  CHECK(nlohmann::json::parse(audit[2].after_json).at("disabled") == false);
  CHECK(event_kinds(*t, u.id) ==
        std::vector<std::string>{"account_created", "password_link_created", "password_set", "token_created", "token_created",
                                 "account_changed", "sessions_revoked", "token_revoked", "token_revoked", "account_changed",
                                 "login_ok"});
  CHECK_THAT(security_log.events_for_user(u.id)[7].detail, Catch::Contains("account disabled"));
}

TEST_CASE("setting a password through a link revokes the account's API tokens, as it ends its sessions") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  ApiTokenStore api_tokens(*t, test_config());
  AuthEventLog security_log(*t);
  User u = account_with_password(accounts, "vic.wood@nhs.net", "tulip-meadow-42");
  auto token = api_tokens.create_api_token(u.id, "sync", "cli", t0);
  auto link = accounts.create_password_link(u.id, "governance:1", t0 + 1min);
  REQUIRE(accounts.set_password_with_link(link.token, "another-tulip-43", t0 + 2min).outcome == SetPasswordOutcome::ok);
  CHECK_FALSE(api_tokens.user_for_api_token(token.token, t0 + 3min).has_value());
  CHECK(api_tokens.find_api_token(token.id)->state(t0 + 3min) == ApiTokenState::revoked);
  CHECK_THAT(security_log.events_for_user(u.id).back().detail, Catch::Contains("password set"));
}

TEST_CASE("revoking one API token leaves the account's others working") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  ApiTokenStore api_tokens(*t, test_config());
  User u = accounts.create_user("wyn.xu@nhs.net", std::nullopt, UserRole::member, "setup", t0);
  auto a = api_tokens.create_api_token(u.id, "a", "cli", t0);
  auto b = api_tokens.create_api_token(u.id, "b", "cli", t0);
  CHECK(api_tokens.revoke_api_token(a.id, "cli", t0 + 1min));
  CHECK_FALSE(api_tokens.user_for_api_token(a.token, t0 + 2min).has_value());
  CHECK(api_tokens.user_for_api_token(b.token, t0 + 2min).has_value());
  CHECK(api_tokens.revoke_api_tokens_for_user(u.id, "cli", t0 + 3min, "test") == 1);  // a was already revoked
  CHECK_FALSE(api_tokens.find_api_token(999).has_value());
}

namespace probity {
const std::map<std::string, std::string_view>& embedded_migrations();
}

TEST_CASE("migration 0008: tokens made before expiry existed get 90 days from the upgrade, not for ever") {
  testing::TempDir dir;
  auto db = open_database(dir.file("old.db"), true);
  // The schema as it was before 0008, with one token in it.
  db->exec("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT '')");
  for (const auto& [name, sql] : embedded_migrations()) {
    if (name >= "0008") break;
    db->exec(std::string(sql));
    SQLite::Statement record(*db, "INSERT INTO schema_migrations(name) VALUES (?)");
    record.bind(1, name);
    record.exec();
  }
  db->exec("INSERT INTO users(email, role, created_at) VALUES ('old@nhs.net', 'member', '2024-01-01T00:00:00Z')");
  const std::string token = "prb_old-token";
  db->exec("INSERT INTO api_tokens(user_id, token_hash, label, created_at, created_by) VALUES (1, '" + sha256_hex(token) +
           "', 'old', '2024-01-01T00:00:00Z', 'cli')");
  const Instant before = now_instant();
  apply_migrations(*db);
  ApiTokenStore api_tokens(*db, test_config());
  auto info = api_tokens.find_api_token(1);
  REQUIRE(info);
  const auto expires = parse_instant(info->expires_at);
  REQUIRE(expires);
  CHECK(*expires >= before + 24h * 90);
  CHECK(*expires <= now_instant() + 24h * 90);
  CHECK(api_tokens.user_for_api_token(token, now_instant())->email == "old@nhs.net");
  CHECK_FALSE(api_tokens.user_for_api_token(token, *expires).has_value());
}

TEST_CASE("login: wrong passwords sent at once get at most 5 checks, and the right one sent while they are checked is refused") {
  // The attack: many guesses at once, each checked before any failure is recorded, then the
  // right password while they are still being checked. Each attempt here uses its own
  // connection, as each request does in the server.
  testing::TestDb t;
  AccountConfig config = test_config();
  config.scrypt = ScryptParams{14, 8, 2};  // slow enough that the guesses are still being checked
  UserStore setup(*t, config);
  SignIn sign_in(*t, config);
  User u = account_with_password(setup, "olu.price@nhs.net", "tulip-meadow-42");

  constexpr int kGuesses = 20;
  std::latch start(kGuesses);
  std::vector<LoginOutcome> outcomes(kGuesses);
  std::vector<std::thread> guesses;
  for (int i = 0; i < kGuesses; ++i)
    guesses.emplace_back([&, i] {
      auto db = open_database(t.path, false);
      SignIn guesser(*db, config);
      start.arrive_and_wait();
      outcomes[static_cast<std::size_t>(i)] = guesser.login("olu.price@nhs.net", "wrong-guess-" + std::to_string(i), t0).outcome;
    });
  // Once five attempts are counted, the right password must not get in, whether or not
  // their checks have finished.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (t.db->execAndGet("SELECT COALESCE(MAX(failures), 0) FROM login_throttle").getInt() < 5 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  auto right = sign_in.login("olu.price@nhs.net", "tulip-meadow-42", t0 + 1s);
  for (auto& g : guesses) g.join();

  CHECK(right.outcome == LoginOutcome::locked);
  CHECK(right.locked_until == t0 + 15min);
  CHECK(std::count(outcomes.begin(), outcomes.end(), LoginOutcome::bad_credentials) == 4);
  CHECK(std::count(outcomes.begin(), outcomes.end(), LoginOutcome::locked) == kGuesses - 4);
  auto kinds = event_kinds(*t, u.id);
  CHECK(std::count(kinds.begin(), kinds.end(), "login_failed") == 5);  // only five passwords were checked
  CHECK(sign_in.login("olu.price@nhs.net", "tulip-meadow-42", t0 + 15min).outcome == LoginOutcome::ok);
}

TEST_CASE("login: an unknown address is counted and locked exactly like an account, with the same delays") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SignIn sign_in(*t, test_config());
  account_with_password(accounts, "pat.quinn@nhs.net", "tulip-meadow-42");
  auto answers = [&](const std::string& email) {
    std::vector<std::tuple<LoginOutcome, long long, std::optional<Instant>>> out;
    for (int i = 0; i < 6; ++i) {
      auto r = sign_in.login(email, "wrong-guess-" + std::to_string(i), t0 + std::chrono::seconds(i));
      out.emplace_back(r.outcome, r.delay.count(), r.locked_until);
    }
    return out;
  };
  const auto account = answers("pat.quinn@nhs.net");
  const auto unknown = answers("nobody.here@nhs.net");
  CHECK(account == unknown);
  using O = LoginOutcome;
  CHECK(std::get<0>(unknown[3]) == O::bad_credentials);
  CHECK(std::get<0>(unknown[4]) == O::locked);
  CHECK(std::get<2>(unknown[4]) == t0 + 4s + 15min);
  CHECK(std::get<1>(unknown[1]) == 500);
  CHECK(std::get<0>(unknown[5]) == O::locked);
  CHECK(std::get<1>(unknown[5]) == 0);  // refused unchecked: nothing to slow down
  // Case and spaces do not make a fresh address.
  CHECK(sign_in.login("  NOBODY.here@NHS.net ", "x", t0 + 10s).outcome == O::locked);
  CHECK(sign_in.login("PAT.QUINN@nhs.net", "tulip-meadow-42", t0 + 10s).outcome == O::locked);
}

TEST_CASE("login: an unknown address takes the same single scrypt run as an account's wrong password") {
  // Each request makes its own SignIn, so SignIn must not make the dummy hash itself.
  testing::TestDb t;
  AccountConfig config = test_config();
  config.scrypt = ScryptParams{14, 8, 2};
  config.lockout_failures = 100;
  { UserStore setup(*t, config); account_with_password(setup, "quinn.roe@nhs.net", "tulip-meadow-42"); }
  auto timed = [&](const std::string& email, int i) {
    SignIn sign_in(*t, config);
    const auto start = std::chrono::steady_clock::now();
    auto r = sign_in.login(email, "wrong-guess", t0 + std::chrono::seconds(i));
    CHECK(r.outcome == LoginOutcome::bad_credentials);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  timed("warm.up@nhs.net", 0);
  // The fastest of several, taken in turns: other work on the machine only ever adds time.
  double account = 1e9, unknown = 1e9;
  for (int i = 1; i <= 5; ++i) {
    account = std::min(account, timed("quinn.roe@nhs.net", i));
    unknown = std::min(unknown, timed("unknown" + std::to_string(i) + "@nhs.net", i));
  }
  CAPTURE(account, unknown);
  CHECK(unknown < account * 1.35);
  CHECK(account < unknown * 1.35);
}

TEST_CASE("login: a new password ends a lockout; ended counts are purged, running ones kept") {
  testing::TestDb t;
  UserStore accounts(*t, test_config());
  SignIn sign_in(*t, test_config());
  SignInThrottle throttle(*t, test_config());
  User u = account_with_password(accounts, "rae.shaw@nhs.net", "tulip-meadow-42");
  for (int i = 0; i < 5; ++i) sign_in.login("rae.shaw@nhs.net", "wrong", t0);
  REQUIRE(accounts.find_user(u.id)->locked_until == t0 + 15min);
  auto link = accounts.create_password_link(u.id, "governance:1", t0 + 1min);
  REQUIRE(accounts.set_password_with_link(link.token, "another-tulip-43", t0 + 1min).outcome == SetPasswordOutcome::ok);
  CHECK_FALSE(accounts.find_user(u.id)->locked_until.has_value());
  CHECK(sign_in.login("rae.shaw@nhs.net", "another-tulip-43", t0 + 2min).outcome == LoginOutcome::ok);

  sign_in.login("one.try@nhs.net", "x", t0);                 // window ends at t0 + 15 min
  for (int i = 0; i < 5; ++i) sign_in.login("locked.out@nhs.net", "x", t0 + 10min);  // locked until t0 + 25 min
  sign_in.login("recent.try@nhs.net", "x", t0 + 14min);      // window ends at t0 + 29 min
  auto rows = [&] { return t.db->execAndGet("SELECT COUNT(*) FROM login_throttle").getInt(); };
  REQUIRE(rows() == 3);
  CHECK(throttle.purge_login_throttle(t0 + 20min) == 1);  // one.try's window is over
  CHECK(sign_in.login("locked.out@nhs.net", "x", t0 + 20min).outcome == LoginOutcome::locked);
  CHECK(throttle.purge_login_throttle(t0 + 30min) == 2);
  CHECK(rows() == 0);
}
