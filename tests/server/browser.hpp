#pragma once
// A tiny browser for HTTP tests: keeps the session cookie, reads the CSRF token from the last
// page, and signs in like a person would. Plus fixtures for accounts with cheap password hashing.
#include <atomic>
#include <map>
#include <regex>

#include "model/register/person_store.hpp"
#include "server/accounts/account_setup.hpp"
#include "server/http/auth.hpp"
#include "server/test_server.hpp"

namespace probity::testing {

inline const char* const kPassword = "correct horse battery";

/// Accounts settings for tests: cheap scrypt and no failure delay, so tests stay fast.
inline void fast_accounts(Config& c, nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json accounts = {{"scrypt", {{"log2_n", 10}, {"r", 8}, {"p", 1}}}, {"failure_delay_ms", 0}, {"failure_delay_max_ms", 0}};
  accounts.update(extra);
  c.raw["accounts"] = accounts;
}

/// Moves the accounts clock for the duration of a test.
struct TestClock {
  std::atomic<long long> offset_seconds{0};
  TestClock() {
    set_auth_clock_for_testing([this] { return now_instant() + std::chrono::seconds(offset_seconds.load()); });
  }
  ~TestClock() { set_auth_clock_for_testing(nullptr); }
  void advance(std::chrono::seconds by) { offset_seconds += by.count(); }
};

inline Id add_person(TestServer& s, const std::string& ref, const std::string& name, PersonKind kind = PersonKind::gp) {
  PersonStore people(*s.db);
  WriteTransaction tx(*s.db);
  Person p;
  p.ref = ref;
  p.name = name;
  p.email = ref + "@example.nhs.uk";
  p.kind = kind;
  p.position = "Member";
  people.save(p, "test");
  tx.commit();
  return p.id;
}

inline User add_account(TestServer& s, const std::string& email, std::optional<Id> person, UserRole role = UserRole::member) {
  return create_account_with_password(*s.db, account_config(s.app->config()), email, person, role, kPassword, "test");
}

struct Browser {
  const TestServer& server;
  std::string session;      // the probity_session cookie's value
  std::string csrf_cookie;  // the probity_csrf cookie's value (signed-out forms)
  std::string last_body;
  std::string bearer;
  httplib::Headers extra;  // sent with every request (e.g. a proxy's X-Forwarded-For)

  explicit Browser(const TestServer& s) : server(s) {}

  httplib::Headers headers() const {
    httplib::Headers h = extra;
    std::string cookies;
    if (!session.empty()) cookies = std::string(kSessionCookie) + "=" + session;
    if (!csrf_cookie.empty()) cookies += (cookies.empty() ? "" : "; ") + std::string(kCsrfCookie) + "=" + csrf_cookie;
    if (!cookies.empty()) h.emplace("Cookie", cookies);
    if (!bearer.empty()) h.emplace("Authorization", "Bearer " + bearer);
    return h;
  }

  void keep(const httplib::Result& res) {
    if (!res) return;
    const auto n = res->get_header_value_count("Set-Cookie");
    for (std::size_t i = 0; i < n; ++i) {
      auto v = res->get_header_value("Set-Cookie", i);
      const std::string prefix = std::string(kSessionCookie) + "=";
      if (v.rfind(prefix, 0) == 0) session = v.substr(prefix.size(), v.find(';') - prefix.size());
      const std::string csrf_prefix = std::string(kCsrfCookie) + "=";
      if (v.rfind(csrf_prefix, 0) == 0) csrf_cookie = v.substr(csrf_prefix.size(), v.find(';') - csrf_prefix.size());
    }
    if (!res->body.empty()) last_body = res->body;
  }

  httplib::Result get(const std::string& path) {
    auto res = server.client().Get(path.c_str(), headers());
    keep(res);
    return res;
  }

  /// The CSRF token in the last page's forms (empty when none).
  std::string csrf() const {
    static const std::regex re(R"re(name="csrf_token" value="([0-9a-f]+)")re");
    std::smatch m;
    return std::regex_search(last_body, m, re) ? m[1].str() : std::string();
  }

  /// POSTs a form; adds the CSRF token from the last page unless the fields hold one.
  httplib::Result post(const std::string& path, std::multimap<std::string, std::string> fields, bool with_csrf = true) {
    if (with_csrf && fields.count("csrf_token") == 0) fields.emplace("csrf_token", csrf());
    std::string body;
    for (const auto& [k, v] : fields) {
      if (!body.empty()) body += '&';
      body += httplib::detail::encode_query_param(k) + "=" + httplib::detail::encode_query_param(v);
    }
    auto res = server.client().Post(path.c_str(), headers(), body, "application/x-www-form-urlencoded");
    keep(res);
    return res;
  }

  httplib::Result send_json(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr) {
    auto c = server.client();
    auto h = headers();
    httplib::Result res = method == "GET"    ? c.Get(path.c_str(), h)
                          : method == "PUT"  ? c.Put(path.c_str(), h, body.dump(), "application/json")
                          : method == "DELETE" ? c.Delete(path.c_str(), h)
                                               : c.Post(path.c_str(), h, body.dump(), "application/json");
    keep(res);
    return res;
  }

  /// Signs in through the form; returns the POST's response (303 on success).
  httplib::Result sign_in(const std::string& email, const std::string& password = kPassword) {
    get("/sign-in");
    return post("/sign-in", {{"email", email}, {"password", password}});
  }
};

}  // namespace probity::testing
