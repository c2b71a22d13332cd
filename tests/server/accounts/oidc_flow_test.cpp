// Single sign-on against a real, certified OpenID provider (tests/oidc/provider.mjs): the whole
// authorisation code flow with PKCE over HTTPS, linking by verified email, the second sign-in by
// subject, and each way a sign-in must fail without a session: a replayed callback, a code used
// twice, a wrong state, a state from another browser, someone not on the register, an
// unverified email, an address outside the allowed domains, a disabled account, a provider
// turned off, down or too slow, and a token naming a key the provider does not publish.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>

#include "model/accounts/auth_events.hpp"
#include "model/accounts/identity_store.hpp"
#include "model/accounts/oidc_jose.hpp"
#include "model/accounts/user_store.hpp"
#include "server/accounts/oidc_client.hpp"
#include "server/accounts/oidc_support.hpp"
#include "server/meetings_support.hpp"
#include "server/test_server.hpp"

using namespace probity;
using namespace probity::testing;

namespace {

struct Flow {
  OidcTestProvider& provider = OidcTestProvider::shared();
  std::unique_ptr<TestServer> server;

  explicit Flow(const nlohmann::json& extra = nlohmann::json::object()) {
    server = std::make_unique<TestServer>([&](Config& c) { c.raw["oidc"] = provider.config_section(extra); });
    server->import(demo_bundle());
  }

  struct Started {
    CookieJar jar;
    std::string authorize_url;
  };
  Started start() {
    Started s;
    auto c = server->client();
    auto res = c.Get("/sign-in/oidc/test?next=/my");
    REQUIRE(res);
    REQUIRE(res->status == 303);
    s.jar.take(*res);
    s.authorize_url = res->get_header_value("Location");
    return s;
  }
  httplib::Result finish(const CookieJar& jar, const std::string& callback_url) {
    return server->client().Get(path_of(callback_url).c_str(), jar.headers());
  }
  /// A whole sign-in as `login`; the callback URL too, for replaying.
  std::pair<httplib::Result, std::string> sign_in(const std::string& login, CookieJar* jar_out = nullptr) {
    auto s = start();
    const auto back = provider_login(provider, s.authorize_url, login);
    auto res = finish(s.jar, back);
    if (jar_out) *jar_out = s.jar;
    return {std::move(res), back};
  }
  int count(const std::string& table) {
    SQLite::Statement q(*server->db, "SELECT count(*) FROM " + table);
    q.executeStep();
    return q.getColumn(0).getInt();
  }
  std::string last_event() {
    auto events = AuthEventLog(*server->db).recent_events(1);
    return events.empty() ? "" : std::string(to_string(events[0].kind)) + ": " + events[0].detail;
  }
  User hassan() { return *UserStore(*server->db).find_user_by_email("hassan@northbrook.example"); }
};

bool sets_session(const httplib::Result& res) {
  for (std::size_t i = 0; i < res->get_header_value_count("Set-Cookie"); ++i) {
    const auto v = res->get_header_value("Set-Cookie", i);
    if (v.rfind("probity_session=", 0) == 0 && v.rfind("probity_session=;", 0) != 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("single sign-on: the authorisation request carries state, nonce and a PKCE challenge, and goes to the provider") {
  Flow f;
  auto s = f.start();
  CHECK(s.authorize_url.rfind(f.provider.issuer + "/auth?", 0) == 0);
  // As sent (httplib's client decodes the Location header it hands back).
  const auto raw = f.server->raw("GET /sign-in/oidc/test HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(f.server->port) +
                                 "\r\nConnection: close\r\n\r\n");
  for (const char* part : {"response_type=code", "client_id=probity", "code_challenge_method=S256", "&state=", "&nonce=", "&code_challenge=",
                           "scope=openid%20email%20profile", "redirect_uri=http%3A%2F%2F127.0.0.1%3A"})
    CHECK_THAT(raw, Catch::Contains(part));
  CHECK(s.jar.values.count("probity_oidc") == 1);
  CHECK(f.count("oidc_pending") == 2);
  // The state is stored only as a hash.
  CHECK(where_stored(*f.server->db, s.authorize_url.substr(s.authorize_url.find("&state=") + 7, 43)).empty());
}

TEST_CASE("single sign-on: a member on the register signs in, is linked once by verified email, and found by subject the next time") {
  Flow f;
  auto [res, back] = f.sign_in("hassan");
  REQUIRE(res);
  CHECK(res->status == 303);
  CHECK(res->get_header_value("Location") == "/my");
  REQUIRE(sets_session(res));
  CookieJar jar;
  jar.take(*res);
  auto my = f.server->client().Get("/my", jar.headers());
  REQUIRE(my);
  CHECK(my->status == 200);

  const User hassan = f.hassan();
  auto identities = IdentityStore(*f.server->db).for_user(hassan.id);
  REQUIRE(identities.size() == 1);
  CHECK(identities[0].issuer == f.provider.issuer);
  CHECK(identities[0].subject == "hassan");
  CHECK(identities[0].last_used_at);
  CHECK_THAT(f.last_event(), Catch::Contains("login_ok: single sign-on (Test NHS)"));

  // Signing out ends the Probity session and offers the provider's own sign-out.
  auto page_with_form = f.server->client().Get("/my", jar.headers());
  const auto csrf_at = page_with_form->body.find("name=\"csrf_token\" value=\"");
  REQUIRE(csrf_at != std::string::npos);
  const std::string marker = "name=\"csrf_token\" value=\"";
  const auto csrf = page_with_form->body.substr(csrf_at + marker.size(), page_with_form->body.find('"', csrf_at + marker.size()) - csrf_at - marker.size());
  auto out = f.server->client().Post("/sign-out", jar.headers(), "csrf_token=" + csrf, "application/x-www-form-urlencoded");
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK(out->get_header_value("Location") == "/sign-in?signed_out=1&provider=test");
  CHECK(f.server->client().Get("/my", jar.headers())->status == 303);
  auto signed_out = f.server->client().Get("/sign-in?signed_out=1&provider=test");
  CHECK_THAT(signed_out->body, Catch::Contains("Sign out of Test NHS too") && Catch::Contains(f.provider.issuer + "/session/end?client_id=probity"));

  // The second visit: the same account, by its subject, with no second link.
  auto [again, back2] = f.sign_in("hassan");
  REQUIRE(again);
  CHECK(again->status == 303);
  CHECK(sets_session(again));
  CHECK(f.count("user_identities") == 1);

  // Governance's account page shows both methods and when each was last used.
  SessionStore sessions(*f.server->db);
  auto governance = UserStore(*f.server->db).create_user("governance@northbrook.example", std::nullopt, UserRole::governance, "test", now_instant());
  auto made = sessions.create_session(governance.id, now_instant());
  auto page = f.server->client().Get(("/governance/accounts/" + std::to_string(hassan.id)).c_str(),
                                     httplib::Headers{{"Cookie", "probity_session=" + made.token}});
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Sign-in methods") && Catch::Contains("Test NHS") && Catch::Contains("Linked on"));
}

TEST_CASE("single sign-on: a replayed callback and a code used twice are refused, with no session") {
  Flow f;
  CookieJar jar;
  auto [res, back] = f.sign_in("hassan", &jar);
  REQUIRE(res);
  REQUIRE(res->status == 303);
  const int sessions = f.count("sessions");

  // The same callback again: its state is used up.
  auto replay = f.finish(jar, back);
  REQUIRE(replay);
  CHECK(replay->status == 400);
  CHECK_THAT(replay->body, Catch::Contains("This sign-in could not be completed"));
  CHECK_FALSE(sets_session(replay));
  CHECK_THAT(f.last_event(), Catch::Contains("state already used"));

  // The old code with a fresh sign-in's state: the provider refuses the code.
  auto s = f.start();
  const auto state = s.authorize_url.substr(s.authorize_url.find("&state=") + 7, 43);
  const auto code = back.substr(back.find("code=") + 5, back.find('&', back.find("code=")) - back.find("code=") - 5);
  auto reused = f.server->client().Get(("/sign-in/oidc/callback?code=" + code + "&state=" + state).c_str(), s.jar.headers());
  REQUIRE(reused);
  CHECK(reused->status == 400);
  CHECK_FALSE(sets_session(reused));
  CHECK_THAT(f.last_event(), Catch::Contains("refused the code") && Catch::Contains("invalid_grant"));
  CHECK(f.count("sessions") == sessions);
}

TEST_CASE("single sign-on: a wrong state, or a state from another browser, is refused and logged") {
  Flow f;
  auto c = f.server->client();
  auto wrong = c.Get("/sign-in/oidc/callback?code=abc&state=not-a-state-we-made");
  REQUIRE(wrong);
  CHECK(wrong->status == 400);
  CHECK_THAT(wrong->body, Catch::Contains("This sign-in could not be completed"));
  CHECK_THAT(f.last_event(), Catch::Contains("unknown state"));

  auto s = f.start();
  const auto back = provider_login(f.provider, s.authorize_url, "hassan");
  CookieJar other;  // another browser: no binding cookie of this sign-in
  other.values["probity_oidc"] = "a-cookie-of-another-sign-in";
  auto res = f.finish(other, back);
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK_FALSE(sets_session(res));
  CHECK_THAT(f.last_event(), Catch::Contains("another browser"));
  // The right browser can still finish it.
  auto mine = f.finish(s.jar, back);
  REQUIRE(mine);
  CHECK(mine->status == 303);
}

TEST_CASE("single sign-on: someone not on the register, an unverified email and an outside address get no account") {
  Flow f;
  const int users = f.count("users");
  auto [stranger, b1] = f.sign_in("stranger");
  REQUIRE(stranger);
  CHECK(stranger->status == 403);
  CHECK_THAT(stranger->body, Catch::Contains("Ask your governance team"));
  CHECK_FALSE(sets_session(stranger));
  CHECK_THAT(f.last_event(), Catch::Contains("no account or register person has this email"));

  auto [unverified, b2] = f.sign_in("unverified");
  REQUIRE(unverified);
  CHECK(unverified->status == 403);
  CHECK_THAT(unverified->body, Catch::Contains("did not confirm your email address"));
  CHECK_THAT(f.last_event(), Catch::Contains("email not verified"));

  auto [outsider, b3] = f.sign_in("outsider");
  REQUIRE(outsider);
  CHECK(outsider->status == 403);
  CHECK_THAT(outsider->body, Catch::Contains("not one this service accepts"));
  CHECK_THAT(f.last_event(), Catch::Contains("outside the provider&apos;s allowed domains") || Catch::Contains("outside the provider's allowed domains"));

  CHECK(f.count("users") == users);
  CHECK(f.count("user_identities") == 0);
}

TEST_CASE("single sign-on: a disabled account is refused, and governance can turn the provider off") {
  Flow f;
  auto [first, b] = f.sign_in("hassan");
  REQUIRE(first);
  REQUIRE(first->status == 303);
  UserStore(*f.server->db).set_disabled(f.hassan().id, true, "test", now_instant());
  auto [disabled, b2] = f.sign_in("hassan");
  REQUIRE(disabled);
  CHECK(disabled->status == 403);
  CHECK_FALSE(sets_session(disabled));
  CHECK_THAT(f.last_event(), Catch::Contains("account disabled"));

  auto page = f.server->client().Get("/sign-in");
  CHECK_THAT(page->body, Catch::Contains("Sign in with Test NHS") && Catch::Contains("/sign-in/oidc/test"));
  set_provider_enabled(*f.server->db, "test", false, "test", now_instant());
  auto off = f.server->client().Get("/sign-in/oidc/test");
  REQUIRE(off);
  CHECK(off->status == 404);
  CHECK_THAT(f.server->client().Get("/sign-in")->body, !Catch::Contains("Sign in with Test NHS"));
}

TEST_CASE("single sign-on: a provider that is down or too slow gets a clear page and a log line") {
  // Nothing listens on one port; the other accepts connections and never answers.
  int slow = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(slow, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(slow, 8) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(slow, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string slow_issuer = "https://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  int down = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in down_addr{};
  down_addr.sin_family = AF_INET;
  down_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(down, reinterpret_cast<sockaddr*>(&down_addr), sizeof down_addr);
  len = sizeof down_addr;
  ::getsockname(down, reinterpret_cast<sockaddr*>(&down_addr), &len);
  const std::string down_issuer = "https://127.0.0.1:" + std::to_string(ntohs(down_addr.sin_port));
  ::close(down);  // bound and released: nothing listens there now

  auto& provider = OidcTestProvider::shared();
  TestServer server([&](Config& c) {
    auto section = provider.config_section();
    auto base = section["providers"][0];
    section["providers"] = nlohmann::json::array();
    for (const auto& [id, issuer] : {std::pair{"down", down_issuer}, std::pair{"slow", slow_issuer}}) {
      auto p = base;
      p["id"] = id;
      p["display_name"] = std::string("Sign in with ") + id;
      p["issuer"] = issuer;
      section["providers"].push_back(p);
    }
    section["timeout_ms"] = 300;
    section["connect_timeout_ms"] = 300;
    c.raw["oidc"] = section;
  });
  for (const char* id : {"down", "slow"}) {
    auto res = server.client().Get((std::string("/sign-in/oidc/") + id).c_str());
    REQUIRE(res);
    CAPTURE(id);
    CHECK(res->status == 502);
    CHECK_THAT(res->body, Catch::Contains("is not answering"));
    CHECK_FALSE(sets_session(res));
    auto events = AuthEventLog(*server.db).recent_events(1);
    REQUIRE(events.size() == 1);
    CHECK_THAT(events[0].detail, Catch::Contains("provider unavailable"));
    if (std::string(id) == "slow") CHECK_THAT(events[0].detail, Catch::Contains("timed out"));
  }
  ::close(slow);
}

TEST_CASE("single sign-on: keys are fetched again once for an unknown kid, then a token naming no published key is refused") {
  auto& p = OidcTestProvider::shared();
  clear_oidc_caches_for_testing();
  OidcConfig limits;
  OidcProviderConfig provider;
  provider.id = "test";
  provider.issuer = p.issuer;
  provider.client_id = p.client_id;
  provider.ca_file = p.ca_file;
  // A token signed by a key the provider never published.
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  REQUIRE(key);
  const std::string header = base64url_encode(R"({"alg":"ES256","kid":"rotated-away"})");
  const std::string claims = base64url_encode(R"({"iss":")" + p.issuer + R"(","aud":"probity","sub":"x","nonce":"n","exp":9999999999,"iat":1})");
  const std::string input = header + "." + claims;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t sig_len = 0;
  REQUIRE(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1);
  REQUIRE(EVP_DigestSign(ctx, nullptr, &sig_len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
  std::string sig(sig_len, '\0');
  REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &sig_len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  sig.resize(sig_len);
  const std::string token = input + "." + base64url_encode(sig);  // DER, not JOSE: never reaches the signature check

  const IdTokenExpectations expected{p.issuer, "probity", "n", now_instant(), std::chrono::seconds(120)};
  // First use: the key set is fetched (nothing cached), and the kid is not in it.
  const auto before = oidc_key_set_fetches();
  auto check = verify_provider_id_token(provider, limits, token, expected);
  CHECK(check.failure == IdTokenFailure::unknown_key);
  CHECK_THAT(check.reason, Catch::Contains("rotated-away"));
  CHECK(oidc_key_set_fetches() == before + 1);
  // With a fresh set cached, an unknown kid makes exactly one more fetch, then the token is refused.
  check = verify_provider_id_token(provider, limits, token, expected);
  CHECK(check.failure == IdTokenFailure::unknown_key);
  CHECK(oidc_key_set_fetches() == before + 2);
}
