// ID token checks with tokens crafted here: RSA and EC keys made with OpenSSL in the test, signed
// the way a provider signs, then broken one way at a time. Also base64url and PKCE (RFC 7636's
// own example).
#include <catch2/catch.hpp>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "model/accounts/oidc_id_token.hpp"
#include "model/accounts/oidc_jose.hpp"

using namespace probity;
using json = nlohmann::json;

namespace {

const Instant kNow = Instant(std::chrono::seconds(1'800'000'000));
const std::string kIssuer = "https://login.example.nhs.uk/tenant/v2.0";

struct Key {
  EVP_PKEY* pkey = nullptr;
  std::string alg;
  explicit Key(const std::string& alg_, int rsa_bits = 2048) : alg(alg_) {
    pkey = alg == "RS256" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(rsa_bits))
                          : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    REQUIRE(pkey);
  }
  ~Key() { EVP_PKEY_free(pkey); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;

  static std::string bn_bytes(EVP_PKEY* k, const char* name) {
    BIGNUM* bn = nullptr;
    REQUIRE(EVP_PKEY_get_bn_param(k, name, &bn) == 1);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }

  json jwk(const std::string& kid) const {
    if (alg == "RS256")
      return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"n", base64url_encode(bn_bytes(pkey, OSSL_PKEY_PARAM_RSA_N))},
              {"e", base64url_encode(bn_bytes(pkey, OSSL_PKEY_PARAM_RSA_E))}};
    unsigned char point[65];
    std::size_t len = 0;
    REQUIRE(EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) == 1);
    REQUIRE(len == 65);
    const std::string p(reinterpret_cast<char*>(point), len);
    return {{"kty", "EC"}, {"kid", kid}, {"crv", "P-256"}, {"x", base64url_encode(p.substr(1, 32))}, {"y", base64url_encode(p.substr(33, 32))}};
  }

  std::string sign(const std::string& input) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    REQUIRE(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1);
    REQUIRE(EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    std::string sig(len, '\0');
    REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    if (alg == "RS256") return sig;
    // DER → JOSE's r||s, 32 bytes each.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    REQUIRE(es);
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
  }
};

json good_claims() {
  const long long now = kNow.time_since_epoch().count();
  return {{"iss", kIssuer}, {"aud", "probity-client"}, {"sub", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"}, {"nonce", "n-0S6_WzA2Mj"},
          {"iat", now - 10},  {"exp", now + 3600},           {"email", "hassan@nhs.net"},                              {"email_verified", true}};
}

std::string token(const Key& key, const json& claims, json header = json::object()) {
  if (!header.contains("alg")) header["alg"] = key.alg;
  if (!header.contains("kid")) header["kid"] = "k1";
  const std::string input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  return input + "." + base64url_encode(key.sign(input));
}

IdTokenExpectations expected() { return {kIssuer, "probity-client", "n-0S6_WzA2Mj", kNow, std::chrono::seconds(120)}; }

json jwks_of(const Key& key, const std::string& kid = "k1") { return {{"keys", {key.jwk(kid)}}}; }

}  // namespace

TEST_CASE("oidc: base64url round-trips and refuses padding, other alphabets and impossible lengths") {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\xff\xfe\x00\x01", 4)})
    CHECK(base64url_decode(base64url_encode(s)) == s);
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK_FALSE(base64url_decode("Zm9v="));
  CHECK_FALSE(base64url_decode("+/8"));
  CHECK_FALSE(base64url_decode("Zm9vY"));  // 5 characters: no encoder makes that
  CHECK_FALSE(base64url_decode("Zh"));     // non-zero leftover bits
}

TEST_CASE("oidc: the PKCE S256 challenge is RFC 7636's example, and verifiers are 43 characters of base64url") {
  CHECK(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  const auto v = random_base64url(32);
  CHECK(v.size() == 43);
  CHECK(base64url_decode(v));
  CHECK(random_base64url(32) != v);
}

TEST_CASE("oidc: well-formed RS256 and ES256 tokens from the right key pass every check") {
  for (const char* alg : {"RS256", "ES256"}) {
    CAPTURE(alg);
    Key key(alg);
    auto check = verify_id_token(token(key, good_claims()), jwks_of(key), expected());
    CHECK(check.reason == "");
    CHECK(check.ok());
    CHECK(check.claims.at("email") == "hassan@nhs.net");
  }
}

TEST_CASE("oidc: alg none and HS256 are refused by name, whatever the signature") {
  Key key("RS256");
  const std::string claims = base64url_encode(good_claims().dump());
  auto none = verify_id_token(base64url_encode(R"({"alg":"none"})") + "." + claims + ".", jwks_of(key), expected());
  CHECK(none.failure == IdTokenFailure::algorithm);
  CHECK_THAT(none.reason, Catch::Contains("none is not accepted"));

  // HS256 "signed" with the public key's bytes, the classic confusion attack.
  const std::string input = base64url_encode(R"({"alg":"HS256","kid":"k1"})") + "." + claims;
  const std::string secret = jwks_of(key).at("keys")[0].at("n");
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  auto hs = verify_id_token(input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), len)), jwks_of(key), expected());
  CHECK(hs.failure == IdTokenFailure::algorithm);
  CHECK_THAT(hs.reason, Catch::Contains("HS256 is not accepted"));
}

TEST_CASE("oidc: a bad signature, another key, a key of the wrong type and a short RSA key are refused") {
  Key key("ES256"), other("ES256"), rsa("RS256");
  std::string t = token(key, good_claims());
  t[t.size() - 5] = t[t.size() - 5] == 'A' ? 'B' : 'A';
  CHECK(verify_id_token(t, jwks_of(key), expected()).failure == IdTokenFailure::signature);
  CHECK(verify_id_token(token(other, good_claims()), jwks_of(key), expected()).failure == IdTokenFailure::signature);
  // An ES256 token checked against an RSA key under the same kid.
  auto mixed = verify_id_token(token(key, good_claims()), jwks_of(rsa), expected());
  CHECK(mixed.failure == IdTokenFailure::signature);
  CHECK_THAT(mixed.reason, Catch::Contains("does not fit"));
  Key weak("RS256", 1024);
  auto short_key = verify_id_token(token(weak, good_claims()), jwks_of(weak), expected());
  CHECK(short_key.failure == IdTokenFailure::signature);
  CHECK_THAT(short_key.reason, Catch::Contains("2048"));
}

TEST_CASE("oidc: a kid the key set does not hold is an unknown key (the server fetches the set again once)") {
  Key key("RS256");
  auto check = verify_id_token(token(key, good_claims(), {{"kid", "rotated"}}), jwks_of(key, "k1"), expected());
  CHECK(check.failure == IdTokenFailure::unknown_key);
  CHECK_THAT(check.reason, Catch::Contains("rotated"));
  // No kid: the only key of the right type is used; with two, none is guessed.
  json header = {{"alg", "RS256"}};
  const std::string input = base64url_encode(header.dump()) + "." + base64url_encode(good_claims().dump());
  const std::string no_kid = input + "." + base64url_encode(key.sign(input));
  CHECK(verify_id_token(no_kid, jwks_of(key), expected()).ok());
  Key second("RS256");
  json two = {{"keys", {key.jwk("a"), second.jwk("b")}}};
  CHECK(verify_id_token(no_kid, two, expected()).failure == IdTokenFailure::unknown_key);
  // A key meant for encryption is never used to check a signature.
  json enc = jwks_of(key);
  enc["keys"][0]["use"] = "enc";
  CHECK(verify_id_token(token(key, good_claims()), enc, expected()).failure == IdTokenFailure::unknown_key);
}

TEST_CASE("oidc: each claim check refuses its own wrong value with a reason") {
  Key key("RS256");
  const long long now = kNow.time_since_epoch().count();
  struct Wrong {
    const char* what;
    json change;  // merged into the good claims; null removes the claim
    const char* reason;
  };
  const std::vector<Wrong> cases = {
      {"wrong issuer", {{"iss", "https://evil.example/"}}, "issuer (iss)"},
      {"wrong audience", {{"aud", "someone-else"}}, "audience (aud) does not include"},
      {"audience list without us", {{"aud", {"a", "b"}}}, "audience (aud) does not include"},
      {"several audiences, no azp", {{"aud", {"probity-client", "other"}}}, "no authorised party (azp)"},
      {"wrong azp", {{"azp", "other"}}, "authorised party (azp)"},
      {"expired", {{"exp", now - 121}}, "expired"},
      {"no expiry", {{"exp", nullptr}}, "no expiry"},
      {"issued in the future beyond the skew", {{"iat", now + 121}}, "issued in the future"},
      {"no issue time", {{"iat", nullptr}}, "no issue time"},
      {"nonce mismatch", {{"nonce", "another-nonce"}}, "nonce is not the one"},
      {"no nonce", {{"nonce", nullptr}}, "no nonce"},
      {"no subject", {{"sub", nullptr}}, "no subject"},
      {"empty subject", {{"sub", ""}}, "subject (sub) is empty"},
      {"not yet valid", {{"nbf", now + 600}}, "not valid yet"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    json claims = good_claims();
    for (const auto& [k, v] : c.change.items()) {
      if (v.is_null()) claims.erase(k);
      else claims[k] = v;
    }
    auto check = verify_id_token(token(key, claims), jwks_of(key), expected());
    CHECK(check.failure == IdTokenFailure::claims);
    CHECK_THAT(check.reason, Catch::Contains(c.reason));
  }
}

TEST_CASE("oidc: clocks may differ by the skew: just expired and just issued tokens within it pass") {
  Key key("ES256");
  const long long now = kNow.time_since_epoch().count();
  json claims = good_claims();
  claims["exp"] = now - 100;
  claims["iat"] = now + 100;
  CHECK(verify_id_token(token(key, claims), jwks_of(key), expected()).ok());
  claims["azp"] = "probity-client";
  claims["aud"] = {"probity-client", "https://graph.example"};
  CHECK(verify_id_token(token(key, claims), jwks_of(key), expected()).ok());
}

TEST_CASE("oidc: malformed tokens are refused before any key is looked at") {
  Key key("RS256");
  for (const std::string& bad : std::vector<std::string>{"", "abc", "a.b", "a.b.c.d", "!!.e30.sig", base64url_encode("[]") + "." + base64url_encode("{}") + ".",
                          base64url_encode(R"({"alg":"RS256","crit":["exp"]})") + "." + base64url_encode("{}") + ".", std::string(20000, 'a')}) {
    CAPTURE(bad.substr(0, 60));
    auto check = verify_id_token(bad, jwks_of(key), expected());
    CHECK(check.failure == IdTokenFailure::malformed);
    CHECK_FALSE(check.reason.empty());
  }
}
