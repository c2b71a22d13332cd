#include "server/accounts/oidc_config.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

namespace probity {
namespace {
using json = nlohmann::json;

std::string text(const json& o, const std::string& where, const char* key, bool required) {
  if (!o.contains(key)) {
    if (required) throw ConfigError(where + "." + key + " is required");
    return "";
  }
  if (!o.at(key).is_string()) throw ConfigError(where + "." + key + " must be text");
  return o.at(key).get<std::string>();
}

std::vector<std::string> texts(const json& o, const std::string& where, const char* key, std::vector<std::string> fallback) {
  if (!o.contains(key)) return fallback;
  const auto& v = o.at(key);
  if (!v.is_array()) throw ConfigError(where + "." + key + " must be a list of text");
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string() || item.get<std::string>().empty()) throw ConfigError(where + "." + key + " must be a list of text");
    out.push_back(item.get<std::string>());
  }
  return out;
}

template <typename Duration>
void whole(const json& s, const char* key, Duration& out, long long min, long long max) {
  if (!s.contains(key)) return;
  if (!s.at(key).is_number_integer()) throw ConfigError(std::string("oidc.") + key + " must be a whole number");
  const auto n = s.at(key).get<long long>();
  if (n < min || n > max) throw ConfigError(std::string("oidc.") + key + " must be from " + std::to_string(min) + " to " + std::to_string(max));
  out = Duration(n);
}

OidcProviderConfig read_provider(const json& p, const std::string& where) {
  if (!p.is_object()) throw ConfigError(where + " must be an object");
  OidcProviderConfig c;
  c.id = text(p, where, "id", true);
  static const std::regex id_shape("[a-z0-9-]{1,40}");
  if (!std::regex_match(c.id, id_shape) || c.id == "callback")
    throw ConfigError(where + ".id must be 1 to 40 lower-case letters, digits or hyphens, and not \"callback\"");
  c.display_name = text(p, where, "display_name", false);
  if (c.display_name.empty()) c.display_name = "Sign in with " + c.id;
  c.issuer = text(p, where, "issuer", true);
  if (c.issuer.rfind("https://", 0) != 0) throw ConfigError(where + ".issuer must be an https:// URL");
  c.client_id = text(p, where, "client_id", true);
  if (c.client_id.empty()) throw ConfigError(where + ".client_id must not be empty");
  c.client_secret_env = text(p, where, "client_secret_env", true);
  c.scopes = texts(p, where, "scopes", c.scopes);
  if (std::find(c.scopes.begin(), c.scopes.end(), "openid") == c.scopes.end()) throw ConfigError(where + ".scopes must include openid");
  for (const auto& s : c.scopes)
    if (s.find_first_of(" \t\r\n\"") != std::string::npos) throw ConfigError(where + ".scopes must be single words");
  c.allowed_email_domains = texts(p, where, "allowed_email_domains", {});
  c.ca_file = text(p, where, "ca_file", false);
  if (p.contains("enabled")) {
    if (!p.at("enabled").is_boolean()) throw ConfigError(where + ".enabled must be true or false");
    c.enabled = p.at("enabled").get<bool>();
  }
  if (auto claim = text(p, where, "email_verified_claim", false); !claim.empty()) c.email_verified_claim = claim;
  const char* secret = std::getenv(c.client_secret_env.c_str());
  if (!secret || !*secret)
    throw ConfigError(where + ".client_secret_env names " + c.client_secret_env + ", which is not set in the environment");
  c.client_secret = secret;
  return c;
}
}  // namespace

const OidcProviderConfig* OidcConfig::find(const std::string& id) const {
  for (const auto& p : providers)
    if (p.id == id) return &p;
  return nullptr;
}

OidcConfig oidc_config(const Config& config) {
  OidcConfig c;
  if (!config.raw.is_object() || !config.raw.contains("oidc")) return c;
  const auto& s = config.raw.at("oidc");
  if (!s.is_object()) throw ConfigError("oidc must be an object");
  whole(s, "connect_timeout_ms", c.connect_timeout, 100, 60000);
  whole(s, "timeout_ms", c.timeout, 100, 120000);
  if (s.contains("max_response_bytes")) {
    std::chrono::seconds n{0};
    whole(s, "max_response_bytes", n, 1024, 16 * 1024 * 1024);
    c.max_response_bytes = static_cast<std::size_t>(n.count());
  }
  whole(s, "sign_in_seconds", c.sign_in_lifetime, 60, 3600);
  whole(s, "clock_skew_seconds", c.clock_skew, 0, 600);
  whole(s, "metadata_seconds", c.metadata_lifetime, 0, 7 * 24 * 3600);
  if (s.contains("providers")) {
    if (!s.at("providers").is_array()) throw ConfigError("oidc.providers must be a list");
    std::set<std::string> ids;
    int i = 0;
    for (const auto& p : s.at("providers")) {
      auto provider = read_provider(p, "oidc.providers[" + std::to_string(i++) + "]");
      if (!ids.insert(provider.id).second) throw ConfigError("oidc.providers: two providers have the id " + provider.id);
      c.providers.push_back(std::move(provider));
    }
  }
  return c;
}

}  // namespace probity
