#pragma once
// Talking to OpenID providers: HTTPS requests with libcurl (the provider's ca_file or the
// system's CAs, certificates always verified, connect and total timeouts, a bound on the
// response's size, no redirects followed), the discovery document and the JWK set cached per
// provider (the keys fetched again, once, when a token names a key not in the cache), and the
// authorisation-code exchange at the token endpoint. Checking the ID token is the model's
// (model/accounts/oidc_id_token.hpp).
#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>

#include "model/accounts/oidc_id_token.hpp"
#include "server/accounts/oidc_config.hpp"

namespace probity {

/// A provider that could not be reached, answered slowly, or answered something unusable.
struct OidcUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A token request the provider refused (e.g. invalid_grant for a code already used).
struct OidcRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;  // empty when the provider has none
};

/// The provider's discovery document, from the cache while fresh, else fetched and checked (its
/// issuer must be the configured one, its endpoints https). Throws OidcUnavailable.
ProviderMetadata provider_metadata(const OidcProviderConfig& provider, const OidcConfig& limits);
/// The discovery document if it is in the cache (fresh or not): never a request.
std::optional<ProviderMetadata> cached_provider_metadata(const OidcProviderConfig& provider);

/// Exchanges an authorisation code (with its PKCE verifier) at the token endpoint, client
/// secret by HTTP Basic, and returns the id_token. Throws OidcRefused when the provider refuses
/// the code, OidcUnavailable when it cannot be asked.
std::string exchange_code(const OidcProviderConfig& provider, const OidcConfig& limits, const std::string& code,
                          const std::string& code_verifier, const std::string& redirect_uri);

/// Verifies an ID token with the provider's cached keys; when the token names a key not in the
/// cache, fetches the key set once more and tries again. Throws OidcUnavailable when the keys
/// cannot be fetched.
IdTokenCheck verify_provider_id_token(const OidcProviderConfig& provider, const OidcConfig& limits, const std::string& id_token,
                                      const IdTokenExpectations& expected);

/// How many key sets have been fetched since the process started (for tests and diagnostics).
std::size_t oidc_key_set_fetches();

/// For tests: forgets every cached document and key set.
void clear_oidc_caches_for_testing();

}  // namespace probity
