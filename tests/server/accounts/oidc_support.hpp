#pragma once
// The real OpenID provider for sign-in tests (tests/oidc/provider.mjs: oidc-provider over HTTPS
// with a self-signed certificate), started once per test run, and a browser-like walk through
// its login and consent pages with plain HTTP requests.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <string>

namespace probity::testing {

struct OidcTestProvider {
  std::string issuer;
  std::string ca_file;
  std::string client_id;
  std::string client_secret;
  std::string host = "127.0.0.1";
  int port = 0;
  pid_t pid = -1;
  int stdin_fd = -1;

  OidcTestProvider() {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid = ::fork();
    if (pid == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      const std::string script = std::string(PROBITY_SOURCE_DIR) + "/tests/oidc/provider.mjs";
      if (::chdir(PROBITY_SOURCE_DIR) != 0) ::_exit(126);
      ::execlp("node", "node", "--no-warnings", script.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_fd = in[1];
    // Its first line says where it listens: no sleeping, no polling.
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) throw std::runtime_error("the test OpenID provider did not start (is node_modules/oidc-provider installed?)");
    issuer = j.at("issuer");
    ca_file = j.at("ca_file");
    client_id = j.at("client_id");
    client_secret = j.at("client_secret");
    port = std::stoi(issuer.substr(issuer.rfind(':') + 1));
    ::setenv("PROBITY_TEST_OIDC_SECRET", client_secret.c_str(), 1);
  }
  ~OidcTestProvider() {
    ::close(stdin_fd);  // the script stops when its stdin closes
    int status = 0;
    ::waitpid(pid, &status, 0);
  }

  /// The one provider for the whole test run.
  static OidcTestProvider& shared() {
    static OidcTestProvider provider;
    return provider;
  }

  /// The "oidc" config section for Probity with this provider as "test".
  nlohmann::json config_section(const nlohmann::json& extra = nlohmann::json::object()) const {
    nlohmann::json p = {{"id", "test"},
                        {"display_name", "Sign in with Test NHS"},
                        {"issuer", issuer},
                        {"client_id", client_id},
                        {"client_secret_env", "PROBITY_TEST_OIDC_SECRET"},
                        {"ca_file", ca_file},
                        {"allowed_email_domains", {"northbrook.example"}}};
    p.update(extra);
    return {{"providers", {p}}};
  }
};

/// Cookies as a browser keeps them, by name (paths ignored: enough for these flows).
struct CookieJar {
  std::map<std::string, std::string> values;
  void take(const httplib::Response& res) {
    for (std::size_t i = 0; i < res.get_header_value_count("Set-Cookie"); ++i) {
      const auto v = res.get_header_value("Set-Cookie", i);
      const auto eq = v.find('=');
      const auto end = v.find(';');
      if (eq == std::string::npos) continue;
      const auto name = v.substr(0, eq);
      const auto value = v.substr(eq + 1, (end == std::string::npos ? v.size() : end) - eq - 1);
      if (value.empty() || v.find("Max-Age=0") != std::string::npos) values.erase(name);
      else values[name] = value;
    }
  }
  httplib::Headers headers() const {
    std::string cookie;
    for (const auto& [k, v] : values) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    return cookie.empty() ? httplib::Headers{} : httplib::Headers{{"Cookie", cookie}};
  }
};

/// The path and query of an absolute URL.
inline std::string path_of(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : url.substr(slash);
}

/// Walks the provider's pages from an authorisation URL as `login` would in a browser (login,
/// then consent), and returns the URL the provider sends the browser back to.
inline std::string provider_login(OidcTestProvider& p, const std::string& authorize_url, const std::string& login) {
  httplib::SSLClient c(p.host, p.port);
  c.set_ca_cert_path(p.ca_file.c_str());
  c.enable_server_certificate_verification(true);
  CookieJar jar;
  std::string next = path_of(authorize_url);
  for (int step = 0; step < 12; ++step) {
    auto res = c.Get(next.c_str(), jar.headers());
    if (!res) throw std::runtime_error("the provider did not answer " + next);
    jar.take(*res);
    if (res->status == 200 && next.rfind("/interaction/", 0) == 0) {
      const bool login_page = res->body.find("name=\"login\"") != std::string::npos;
      const std::string form = login_page ? "prompt=login&login=" + login + "&password=any" : "prompt=consent";
      auto posted = c.Post(next.c_str(), jar.headers(), form, "application/x-www-form-urlencoded");
      if (!posted || (posted->status != 303 && posted->status != 302)) throw std::runtime_error("the provider refused the " + std::string(login_page ? "login" : "consent"));
      jar.take(*posted);
      next = path_of(posted->get_header_value("Location"));
      continue;
    }
    if (res->status != 302 && res->status != 303) throw std::runtime_error("the provider answered " + std::to_string(res->status) + " to " + next + ": " + res->body.substr(0, 300));
    const auto location = res->get_header_value("Location");
    if (location.rfind("http://", 0) == 0) return location;  // back to Probity
    next = path_of(location);
  }
  throw std::runtime_error("the provider's pages went round in circles");
}

}  // namespace probity::testing
