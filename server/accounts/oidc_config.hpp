#pragma once
// The config file's "oidc" section: the OpenID providers people may sign in with, and the
// limits on talking to them (README, Single sign-on; docs/oidc.md). Each provider's client
// secret comes from the environment variable it names, never from the file.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "server/http/config.hpp"

namespace probity {

struct OidcProviderConfig {
  std::string id;            // [a-z0-9-], 1 to 40 characters: in URLs and the identities table
  std::string display_name;  // the button's words, e.g. "Sign in with NHSmail"
  std::string issuer;        // https://...; discovery is {issuer}/.well-known/openid-configuration
  std::string client_id;
  std::string client_secret_env;  // the environment variable holding the client secret
  std::string client_secret;      // read from it at start-up
  std::vector<std::string> scopes{"openid", "email", "profile"};
  std::vector<std::string> allowed_email_domains;  // empty: any domain
  std::string ca_file;  // PEM file of CAs to trust for this provider (empty: the system's)
  bool enabled = true;  // governance may override it (model/accounts/identity_store.hpp)
  // The claim that says the provider has verified the email (Entra ID: "xms_edov").
  std::string email_verified_claim = "email_verified";
};

struct OidcConfig {
  std::vector<OidcProviderConfig> providers;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};   // each request to a provider, in all
  std::size_t max_response_bytes = 512 * 1024;
  std::chrono::seconds sign_in_lifetime{600};  // from leaving for the provider to coming back
  std::chrono::seconds clock_skew{120};
  std::chrono::seconds metadata_lifetime{3600};  // discovery document and keys are fetched again after this

  /// The provider with this id, if configured.
  const OidcProviderConfig* find(const std::string& id) const;
};

/// Reads the "oidc" section (absent: no providers). Throws ConfigError naming the field that
/// is wrong, or the environment variable that is not set.
OidcConfig oidc_config(const Config& config);

}  // namespace probity
