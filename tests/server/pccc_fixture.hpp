#pragma once
// The small PCCC of meetings_support.hpp behind a test server, with governance, the committee's
// chair and its GP member signed in, and one way to send each of them a page request, a form
// or a JSON body. The governance pages' tests (committees, people), the agenda and the meetings
// tests share it.
#include <string>
#include <utility>
#include <vector>

#include "server/meetings_support.hpp"

namespace probity::testing {

/// Form fields in the order a browser sends them.
using FormFields = std::vector<std::pair<std::string, std::string>>;

struct PcccFixture {
  /// Governance signs in with an account linked to the person `governance_person` (a ref), or
  /// to nobody.
  explicit PcccFixture(const std::string& governance_person = "")
      : governance(sign_in(s, "gov@example.nhs.uk", governance_person, true)) {}

  TestServer s;
  nlohmann::json ids = s.import(small_pccc());
  SignedIn governance;
  SignedIn chair = sign_in(s, "chair@example.nhs.uk", "p-chair");
  SignedIn member = sign_in(s, "gp@example.nhs.uk", "p-gp");

  Id person(const char* ref) const { return ids.at("people").at(ref).get<Id>(); }
  Id org(const char* ref) const { return ids.at("organisations").at(ref).get<Id>(); }

  httplib::Result get(const SignedIn& who, const std::string& path) { return s.client().Get(path.c_str(), who.headers()); }
  /// A form POST, with the signed-in user's CSRF token unless `with_csrf` is false.
  httplib::Result form(const SignedIn& who, const std::string& path, FormFields fields, bool with_csrf = true) {
    if (with_csrf) fields.emplace_back("csrf_token", who.csrf);
    return s.client().Post(path.c_str(), who.headers(), form_body(fields), "application/x-www-form-urlencoded");
  }
  httplib::Result post(const SignedIn& who, const std::string& path, const nlohmann::json& body) {
    return s.client().Post(path.c_str(), who.api_post_headers(), body.dump(), "application/json");
  }
  httplib::Result put(const SignedIn& who, const std::string& path, const nlohmann::json& body) {
    return s.client().Put(path.c_str(), who.api_post_headers(), body.dump(), "application/json");
  }
};

}  // namespace probity::testing
