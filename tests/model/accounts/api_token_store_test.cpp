// API tokens (model/accounts/api_token_store.hpp): stored by hash, expiry, last use, revocation, and the
// migration that gave old tokens an expiry.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <string_view>

#include "account_test_support.hpp"
#include "model/accounts/api_token_store.hpp"
#include "model/base/crypto.hpp"
#include "model/store/database.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;

namespace probity {
const std::map<std::string, std::string_view>& embedded_migrations();
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
