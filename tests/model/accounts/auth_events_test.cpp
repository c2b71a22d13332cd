// The security log (model/accounts/auth_events.hpp) and, across the account units, what is never stored
// in clear.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "account_test_support.hpp"
#include "model/accounts/api_token_store.hpp"
#include "model/base/crypto.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/sign_in.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;

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
