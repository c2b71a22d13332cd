// Server-side sessions (model/accounts/session_store.hpp): timeouts, activity, sign-out and revocation.
#include <catch2/catch.hpp>

#include "account_test_support.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;

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
