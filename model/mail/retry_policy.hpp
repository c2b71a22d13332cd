#pragma once
// When a message that could not be delivered is tried again, and when the sender gives up: a pure
// function of the policy, the attempts made so far and whether the refusal was permanent.
#include <chrono>
#include <vector>

#include "model/base/timestamp.hpp"

namespace probity {

struct RetryPolicy {
  /// The wait before the second, third... attempt; the last one repeats if attempts remain.
  std::vector<std::chrono::seconds> backoff = {std::chrono::minutes(1), std::chrono::minutes(5),
                                               std::chrono::minutes(30), std::chrono::hours(2),
                                               std::chrono::hours(6)};
  /// Attempts in all (the first included) before a temporary failure becomes a recorded failure.
  int max_attempts = 6;
};

/// What happens to a message after a failed attempt.
struct RetryDecision {
  bool give_up = false;  // failed for good: no more attempts
  Instant next_attempt_at{};  // when give_up is false
  bool operator==(const RetryDecision&) const = default;
};

/// After attempt number `attempts` (1 for the first) failed at `now`: a permanent refusal (a bad
/// address, SMTP 5xx for the recipient or the message) gives up at once; a temporary one waits
/// `backoff[attempts - 1]` (or its last entry) unless `attempts` has reached `max_attempts`.
/// A policy with no back-off retries at once. Does not throw.
RetryDecision after_failure(const RetryPolicy& policy, int attempts, bool permanent, Instant now);

}  // namespace probity
