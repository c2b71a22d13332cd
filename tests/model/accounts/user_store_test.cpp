// Accounts and their passwords (model/accounts/user_store.hpp): creating, finding, roles, set-password
// links, and what disabling an account or setting its password does to its sessions and tokens.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "account_test_support.hpp"
#include "model/accounts/api_token_store.hpp"
#include "model/store/audit_log.hpp"
#include "model/accounts/auth_events.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/sign_in.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;

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
