// Signing in (model/accounts/sign_in.hpp): the same answers and time for unknown addresses and wrong
// passwords, disabled accounts and accounts without a password, and hash upgrades.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "account_test_support.hpp"
#include "model/accounts/auth_events.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/sign_in.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;

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

TEST_CASE("login: an unknown address takes the same single scrypt run as an account's wrong password") {
  // Each request makes its own SignIn, so SignIn must not make the dummy hash itself. The work is
  // counted, not timed (a clock in a unit test flakes on a busy machine): one scrypt run, at the
  // configured cost, whether or not the address has an account.
  testing::TestDb t;
  AccountConfig config = test_config();
  config.scrypt = ScryptParams{14, 8, 2};
  config.lockout_failures = 100;
  { UserStore setup(*t, config); account_with_password(setup, "quinn.roe@nhs.net", "tulip-meadow-42"); }
  auto runs_for = [&](const std::string& email, int i) {
    SignIn sign_in(*t, config);
    const auto before = scrypt_runs_on_this_thread();
    auto r = sign_in.login(email, "wrong-guess", t0 + std::chrono::seconds(i));
    CHECK(r.outcome == LoginOutcome::bad_credentials);
    const auto after = scrypt_runs_on_this_thread();
    CHECK(after.last == config.scrypt);
    return after.count - before.count;
  };
  runs_for("warm.up@nhs.net", 0);  // the process's dummy hash for these parameters is made once
  for (int i = 1; i <= 3; ++i) {
    CHECK(runs_for("quinn.roe@nhs.net", i) == 1);
    CHECK(runs_for("unknown" + std::to_string(i) + "@nhs.net", i) == 1);
  }
}
