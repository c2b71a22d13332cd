#pragma once
// Checking an OpenID Connect ID token (OpenID Connect Core 1.0, section 3.1.3.7): its signature
// with the provider's published keys (model/accounts/oidc_jose.hpp), then its claims: the
// issuer, the audience and authorised party, the expiry and issue times within a small clock
// skew, the nonce this sign-in sent, and a subject. Each refusal comes with a reason in words
// for the security log. Fetching the keys is the server's (server/accounts/oidc_client.hpp).
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "model/base/timestamp.hpp"

namespace probity {

/// What the token must say for this sign-in.
struct IdTokenExpectations {
  std::string issuer;     // exactly the provider's issuer
  std::string client_id;  // our client id: in aud, and azp when present
  std::string nonce;      // sent with this sign-in's authorisation request
  Instant now;
  std::chrono::seconds skew{120};  // clocks on either side may differ by this much
};

/// The claims checks alone: nullopt when every check passes, otherwise the first reason in
/// words. Throws nothing.
std::optional<std::string> check_id_token_claims(const nlohmann::json& claims, const IdTokenExpectations& expected);

enum class IdTokenFailure { none, malformed, algorithm, unknown_key, signature, claims };

struct IdTokenCheck {
  IdTokenFailure failure = IdTokenFailure::malformed;
  std::string reason;     // empty when failure is none
  nlohmann::json claims;  // the verified claims when failure is none
  bool ok() const { return failure == IdTokenFailure::none; }
};

/// Parses the token, refuses any algorithm but RS256 and ES256, picks the key it names from
/// `jwks` (unknown_key when there is none: the caller fetches the set again once and retries),
/// checks the signature and then the claims. Throws nothing.
IdTokenCheck verify_id_token(std::string_view token, const nlohmann::json& jwks, const IdTokenExpectations& expected);

}  // namespace probity
