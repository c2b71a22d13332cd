// The retry policy (model/mail/retry_policy.hpp): back-off by attempt, giving up after the last
// attempt, and at once for a permanent refusal.
#include <catch2/catch.hpp>

#include "model/mail/retry_policy.hpp"

using namespace probity;
using namespace std::chrono_literals;

TEST_CASE("a temporary failure waits longer after each attempt, then gives up") {
  const Instant now = parse_instant("2026-12-03T09:00:00Z").value();
  const RetryPolicy policy;  // 1, 5, 30 minutes, 2 h, 6 h; 6 attempts
  CHECK(after_failure(policy, 1, false, now) == RetryDecision{false, now + 1min});
  CHECK(after_failure(policy, 2, false, now) == RetryDecision{false, now + 5min});
  CHECK(after_failure(policy, 3, false, now) == RetryDecision{false, now + 30min});
  CHECK(after_failure(policy, 4, false, now) == RetryDecision{false, now + 2h});
  CHECK(after_failure(policy, 5, false, now) == RetryDecision{false, now + 6h});
  CHECK(after_failure(policy, 6, false, now).give_up);
  CHECK(after_failure(policy, 7, false, now).give_up);
}

TEST_CASE("a permanent refusal gives up at the first attempt") {
  const Instant now = parse_instant("2026-12-03T09:00:00Z").value();
  CHECK(after_failure(RetryPolicy{}, 1, true, now).give_up);
}

TEST_CASE("a configured schedule repeats its last wait while attempts remain") {
  const Instant now = parse_instant("2026-12-03T09:00:00Z").value();
  RetryPolicy p{{10s, 20s}, 5};
  CHECK(after_failure(p, 1, false, now).next_attempt_at == now + 10s);
  CHECK(after_failure(p, 2, false, now).next_attempt_at == now + 20s);
  CHECK(after_failure(p, 4, false, now).next_attempt_at == now + 20s);
  CHECK(after_failure(p, 5, false, now).give_up);
  CHECK(after_failure(RetryPolicy{{}, 3}, 1, false, now) == RetryDecision{false, now});
  CHECK(after_failure(RetryPolicy{{10s}, 1}, 1, false, now).give_up);
}
