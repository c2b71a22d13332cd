// Sign-in throttling (model/accounts/sign_in_throttle.hpp), through sign-in: lock-out after repeated
// failures, windows, concurrent guesses, unknown addresses, and purging ended counts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <latch>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "account_test_support.hpp"
#include "model/store/database.hpp"
#include "model/accounts/sign_in.hpp"
#include "model/accounts/sign_in_throttle.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;
using namespace probity::testing;
using namespace std::chrono_literals;

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
