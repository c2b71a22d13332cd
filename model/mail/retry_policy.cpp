#include "model/mail/retry_policy.hpp"

#include <algorithm>

namespace probity {

RetryDecision after_failure(const RetryPolicy& policy, int attempts, bool permanent, Instant now) {
  if (permanent || attempts >= policy.max_attempts) return {true, {}};
  if (policy.backoff.empty()) return {false, now};
  const auto index = static_cast<std::size_t>(std::max(attempts, 1) - 1);
  return {false, now + policy.backoff[std::min(index, policy.backoff.size() - 1)]};
}

}  // namespace probity
