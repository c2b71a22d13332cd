#include "server/accounts/oidc_client.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "server/http/connection_server.hpp"

namespace probity {
namespace {
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Fetched {
  long status = 0;
  std::string body;
};

struct Body {
  std::string data;
  std::size_t limit = 0;
  bool too_big = false;
};

std::size_t collect(char* ptr, std::size_t size, std::size_t n, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t bytes = size * n;
  if (body->data.size() + bytes > body->limit) {
    body->too_big = true;
    return 0;  // curl stops with CURLE_WRITE_ERROR
  }
  body->data.append(ptr, bytes);
  return bytes;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string form_encode(CURL* curl, const std::string& value) {
  char* escaped = curl_easy_escape(curl, value.c_str(), static_cast<int>(value.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

// One HTTPS request; `form` set: a POST of that urlencoded body with the client's Basic credentials.
Fetched request(const OidcProviderConfig& provider, const OidcConfig& limits, const std::string& url, const std::string* form) {
  init_curl_once();
  if (url.rfind("https://", 0) != 0) throw OidcUnavailable("refused a URL that is not https: " + url.substr(0, 200));
  may_block();  // a request to another server: let other connections be served meanwhile
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw OidcUnavailable("could not start an HTTPS request");
  CURL* c = curl.get();
  Body body;
  body.limit = limits.max_response_bytes;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  std::string auth;
  if (form) {
    // RFC 6749 section 2.3.1: the id and secret are form-encoded before Basic encoding.
    auth = "Authorization: Basic " + base64(form_encode(c, provider.client_id) + ":" + form_encode(c, provider.client_secret));
    headers = curl_slist_append(headers, auth.c_str());
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!provider.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, provider.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_response_bytes));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Probity");
  if (form) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form->size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (body.too_big) throw OidcUnavailable(provider.id + ": the answer from " + url.substr(0, 200) + " is larger than the limit");
  if (rc != CURLE_OK)
    throw OidcUnavailable(provider.id + ": " + (rc == CURLE_OPERATION_TIMEDOUT ? std::string("timed out") : curl_easy_strerror(rc)) +
                          " (" + url.substr(0, 200) + ")");
  Fetched f;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f.status);
  f.body = std::move(body.data);
  return f;
}

json json_from(const Fetched& f, const std::string& what) {
  auto j = json::parse(f.body, nullptr, false);
  if (!j.is_object()) throw OidcUnavailable(what + " is not a JSON object");
  return j;
}

std::string https_member(const json& doc, const char* key, bool required) {
  if (!doc.contains(key) || !doc.at(key).is_string()) {
    if (required) throw OidcUnavailable(std::string("the discovery document has no ") + key);
    return "";
  }
  auto v = doc.at(key).get<std::string>();
  if (v.rfind("https://", 0) != 0) throw OidcUnavailable(std::string("the discovery document's ") + key + " is not https");
  return v;
}

struct Cache {
  std::mutex mutex;
  std::optional<ProviderMetadata> metadata;
  Clock::time_point metadata_at;
  json jwks;
  Clock::time_point jwks_at;
};

std::atomic<std::size_t> g_key_set_fetches{0};
std::mutex g_caches_mutex;
std::map<std::string, std::shared_ptr<Cache>> g_caches;

std::shared_ptr<Cache> cache_for(const OidcProviderConfig& provider) {
  std::lock_guard lock(g_caches_mutex);
  auto& c = g_caches[provider.issuer + "\n" + provider.ca_file];
  if (!c) c = std::make_shared<Cache>();
  return c;
}

ProviderMetadata fetch_metadata(const OidcProviderConfig& provider, const OidcConfig& limits) {
  std::string issuer = provider.issuer;
  if (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  const auto f = request(provider, limits, issuer + "/.well-known/openid-configuration", nullptr);
  if (f.status != 200) throw OidcUnavailable(provider.id + ": the discovery document answered HTTP " + std::to_string(f.status));
  const auto doc = json_from(f, "the discovery document");
  ProviderMetadata m;
  if (!doc.contains("issuer") || !doc.at("issuer").is_string() || doc.at("issuer").get<std::string>() != provider.issuer)
    throw OidcUnavailable(provider.id + ": the discovery document's issuer is not " + provider.issuer);
  m.issuer = provider.issuer;
  m.authorization_endpoint = https_member(doc, "authorization_endpoint", true);
  m.token_endpoint = https_member(doc, "token_endpoint", true);
  m.jwks_uri = https_member(doc, "jwks_uri", true);
  m.end_session_endpoint = https_member(doc, "end_session_endpoint", false);
  return m;
}

json fetch_jwks(const OidcProviderConfig& provider, const OidcConfig& limits, const std::string& uri) {
  ++g_key_set_fetches;
  const auto f = request(provider, limits, uri, nullptr);
  if (f.status != 200) throw OidcUnavailable(provider.id + ": the key set answered HTTP " + std::to_string(f.status));
  auto j = json_from(f, "the key set");
  if (!j.contains("keys") || !j.at("keys").is_array()) throw OidcUnavailable(provider.id + ": the key set has no keys");
  return j;
}

}  // namespace

ProviderMetadata provider_metadata(const OidcProviderConfig& provider, const OidcConfig& limits) {
  auto cache = cache_for(provider);
  std::lock_guard lock(cache->mutex);
  if (cache->metadata && Clock::now() - cache->metadata_at < limits.metadata_lifetime) return *cache->metadata;
  cache->metadata = fetch_metadata(provider, limits);
  cache->metadata_at = Clock::now();
  return *cache->metadata;
}

std::optional<ProviderMetadata> cached_provider_metadata(const OidcProviderConfig& provider) {
  auto cache = cache_for(provider);
  std::lock_guard lock(cache->mutex);
  return cache->metadata;
}

std::string exchange_code(const OidcProviderConfig& provider, const OidcConfig& limits, const std::string& code,
                          const std::string& code_verifier, const std::string& redirect_uri) {
  const auto metadata = provider_metadata(provider, limits);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw OidcUnavailable("could not start an HTTPS request");
  const std::string form = "grant_type=authorization_code&code=" + form_encode(curl.get(), code) +
                           "&redirect_uri=" + form_encode(curl.get(), redirect_uri) +
                           "&code_verifier=" + form_encode(curl.get(), code_verifier);
  const auto f = request(provider, limits, metadata.token_endpoint, &form);
  auto answer = json::parse(f.body, nullptr, false);
  if (f.status != 200) {
    std::string error = "HTTP " + std::to_string(f.status);
    if (answer.is_object() && answer.contains("error") && answer.at("error").is_string())
      error += " " + answer.at("error").get<std::string>().substr(0, 100);
    if (f.status >= 400 && f.status < 500) throw OidcRefused(provider.id + ": the token endpoint refused the code: " + error);
    throw OidcUnavailable(provider.id + ": the token endpoint answered " + error);
  }
  if (!answer.is_object() || !answer.contains("id_token") || !answer.at("id_token").is_string())
    throw OidcRefused(provider.id + ": the token endpoint's answer has no id_token");
  return answer.at("id_token").get<std::string>();
}

IdTokenCheck verify_provider_id_token(const OidcProviderConfig& provider, const OidcConfig& limits, const std::string& id_token,
                                      const IdTokenExpectations& expected) {
  const auto metadata = provider_metadata(provider, limits);
  auto cache = cache_for(provider);
  std::lock_guard lock(cache->mutex);
  const bool stale = cache->jwks.is_null() || Clock::now() - cache->jwks_at >= limits.metadata_lifetime;
  if (stale) {
    cache->jwks = fetch_jwks(provider, limits, metadata.jwks_uri);
    cache->jwks_at = Clock::now();
  }
  auto check = verify_id_token(id_token, cache->jwks, expected);
  if (check.failure == IdTokenFailure::unknown_key && !stale) {
    // The provider may have rotated its keys since the set was cached: fetch it once more.
    cache->jwks = fetch_jwks(provider, limits, metadata.jwks_uri);
    cache->jwks_at = Clock::now();
    check = verify_id_token(id_token, cache->jwks, expected);
  }
  return check;
}

std::size_t oidc_key_set_fetches() { return g_key_set_fetches.load(); }

void clear_oidc_caches_for_testing() {
  std::lock_guard lock(g_caches_mutex);
  g_caches.clear();
}

}  // namespace probity
