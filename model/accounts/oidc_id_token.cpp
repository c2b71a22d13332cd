#include "model/accounts/oidc_id_token.hpp"

#include "model/accounts/oidc_jose.hpp"
#include "model/base/crypto.hpp"

namespace probity {
namespace {

std::optional<long long> seconds_claim(const nlohmann::json& claims, const char* key) {
  if (!claims.contains(key)) return std::nullopt;
  const auto& v = claims.at(key);
  if (v.is_number_integer()) return v.get<long long>();
  // NumericDate may have a fraction (RFC 7519 section 2); whole seconds are enough here.
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d > -1e15 && d < 1e15) return static_cast<long long>(d);
  }
  return std::nullopt;
}

std::string clip(const std::string& s) { return s.size() > 80 ? s.substr(0, 80) + "..." : s; }

}  // namespace

std::optional<std::string> check_id_token_claims(const nlohmann::json& claims, const IdTokenExpectations& expected) {
  if (!claims.is_object()) return "the claims are not a JSON object";
  if (!claims.contains("iss") || !claims.at("iss").is_string() || claims.at("iss").get<std::string>() != expected.issuer)
    return "the issuer (iss) is not " + expected.issuer;

  // aud: our client id, alone or among others; with others, azp must name us (Core 3.1.3.7 3-5).
  if (!claims.contains("aud")) return "the token has no audience (aud)";
  const auto& aud = claims.at("aud");
  bool for_us = false;
  std::size_t audiences = 0;
  if (aud.is_string()) {
    audiences = 1;
    for_us = aud.get<std::string>() == expected.client_id;
  } else if (aud.is_array()) {
    for (const auto& a : aud) {
      if (!a.is_string()) return "the audience (aud) is not a list of text";
      ++audiences;
      if (a.get<std::string>() == expected.client_id) for_us = true;
    }
  } else {
    return "the audience (aud) is not text";
  }
  if (!for_us) return "the audience (aud) does not include this service's client id";
  if (claims.contains("azp")) {
    if (!claims.at("azp").is_string() || claims.at("azp").get<std::string>() != expected.client_id)
      return "the authorised party (azp) is not this service's client id";
  } else if (audiences > 1) {
    return "the token has several audiences but no authorised party (azp)";
  }

  const long long now = expected.now.time_since_epoch().count();
  const long long skew = expected.skew.count();
  const auto exp = seconds_claim(claims, "exp");
  if (!exp) return "the token has no expiry time (exp)";
  if (now >= *exp + skew) return "the token has expired (exp " + std::to_string(*exp) + ", now " + std::to_string(now) + ")";
  const auto iat = seconds_claim(claims, "iat");
  if (!iat) return "the token has no issue time (iat)";
  if (*iat > now + skew) return "the token was issued in the future (iat " + std::to_string(*iat) + ", now " + std::to_string(now) + ")";
  if (auto nbf = seconds_claim(claims, "nbf"); nbf && *nbf > now + skew) return "the token is not valid yet (nbf)";

  if (!claims.contains("nonce") || !claims.at("nonce").is_string()) return "the token has no nonce";
  if (expected.nonce.empty() || !constant_time_equal(claims.at("nonce").get<std::string>(), expected.nonce))
    return "the nonce is not the one this sign-in sent";

  if (!claims.contains("sub") || !claims.at("sub").is_string()) return "the token has no subject (sub)";
  const auto sub = claims.at("sub").get<std::string>();
  if (sub.empty() || sub.size() > 255) return "the subject (sub) is empty or longer than 255 characters";
  return std::nullopt;
}

IdTokenCheck verify_id_token(std::string_view token, const nlohmann::json& jwks, const IdTokenExpectations& expected) {
  IdTokenCheck check;
  std::string why;
  auto jws = parse_jws(token, why);
  if (!jws) {
    check.reason = why;
    return check;
  }
  if (!algorithm_supported(jws->alg)) {
    check.failure = IdTokenFailure::algorithm;
    check.reason = "algorithm " + clip(jws->alg) + " is not accepted (only RS256 and ES256)";
    return check;
  }
  auto key = select_jwk(jwks, *jws);
  if (!key) {
    check.failure = IdTokenFailure::unknown_key;
    check.reason = jws->kid ? "no published key has kid " + clip(*jws->kid) : "the token names no key and no single key fits";
    return check;
  }
  if (!verify_jws_signature(*jws, *key, why)) {
    check.failure = IdTokenFailure::signature;
    check.reason = why;
    return check;
  }
  if (auto wrong = check_id_token_claims(jws->claims, expected)) {
    check.failure = IdTokenFailure::claims;
    check.reason = *wrong;
    return check;
  }
  check.failure = IdTokenFailure::none;
  check.claims = std::move(jws->claims);
  return check;
}

}  // namespace probity
