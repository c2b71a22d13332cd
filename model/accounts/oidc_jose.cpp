#include "model/accounts/oidc_jose.hpp"
#include "model/base/text.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace probity {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kMaxTokenBytes = 16 * 1024;
constexpr int kMinRsaBits = 2048;

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

std::optional<std::string> member_text(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j.at(key).is_string()) return std::nullopt;
  return j.at(key).get<std::string>();
}

std::optional<std::string> decoded_member(const nlohmann::json& j, const char* key) {
  auto text = member_text(j, key);
  if (!text) return std::nullopt;
  auto bytes = base64url_decode(*text);
  if (!bytes || bytes->empty()) return std::nullopt;
  return bytes;
}

Bn to_bignum(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

Pkey pkey_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  if (!params) return nullptr;
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  if (ctx && EVP_PKEY_fromdata_init(ctx) == 1) EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return Pkey(key);
}

Pkey rsa_key(const nlohmann::json& jwk, std::string& why) {
  auto n = decoded_member(jwk, "n");
  auto e = decoded_member(jwk, "e");
  if (!n || !e) {
    why = "the RSA key has no n or e";
    return nullptr;
  }
  Bn bn_n = to_bignum(*n), bn_e = to_bignum(*e);
  if (!bn_n || !bn_e) {
    why = "the RSA key could not be read";
    return nullptr;
  }
  if (BN_num_bits(bn_n.get()) < kMinRsaBits) {
    why = "the RSA key is shorter than 2048 bits";
    return nullptr;
  }
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  Pkey key;
  if (bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1)
    key = pkey_from_params("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  if (!key) why = "the RSA key could not be read";
  return key;
}

Pkey ec_key(const nlohmann::json& jwk, std::string& why) {
  if (member_text(jwk, "crv") != "P-256") {
    why = "the EC key is not on curve P-256";
    return nullptr;
  }
  auto x = decoded_member(jwk, "x");
  auto y = decoded_member(jwk, "y");
  if (!x || !y || x->size() != 32 || y->size() != 32) {
    why = "the EC key's x or y is not 32 bytes";
    return nullptr;
  }
  std::string point = "\x04" + *x + *y;  // uncompressed point; fromdata checks it is on the curve
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  Pkey key;
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1)
    key = pkey_from_params("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  if (key) {
    // EVP_PKEY_fromdata does not check that the point is on the curve: a public check does.
    EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr);
    const bool ok = check && EVP_PKEY_public_check(check) == 1;
    EVP_PKEY_CTX_free(check);
    if (!ok) key.reset();
  }
  if (!key) why = "the EC key could not be read";
  return key;
}

// JWS ES256 signatures are r and s, 32 bytes each (RFC 7518 section 3.4); OpenSSL wants DER.
std::optional<std::string> es256_der(const std::string& raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!sig) return std::nullopt;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (!r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

const char* key_type_for(std::string_view alg) { return alg == "RS256" ? "RSA" : alg == "ES256" ? "EC" : ""; }

}  // namespace

std::string base64url_encode(std::string_view bytes) { return base64_encode(bytes, true); }

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = sextet(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, so each byte string has exactly one encoding.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string random_base64url(std::size_t bytes) {
  std::string buf(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(buf.data()), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return base64url_encode(buf);
}

std::string pkce_challenge(std::string_view verifier) {
  std::array<unsigned char, 32> digest{};
  unsigned int len = 0;
  if (EVP_Digest(verifier.data(), verifier.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32)
    throw std::runtime_error("SHA-256 failed");
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), len));
}

std::optional<Jws> parse_jws(std::string_view token, std::string& why) {
  if (token.size() > kMaxTokenBytes) {
    why = "the token is too long";
    return std::nullopt;
  }
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    why = "the token is not a signed JWT of three parts";
    return std::nullopt;
  }
  auto header = base64url_decode(token.substr(0, dot1));
  auto claims = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header || !claims || !signature) {
    why = "a part of the token is not base64url";
    return std::nullopt;
  }
  Jws jws;
  jws.header = nlohmann::json::parse(*header, nullptr, false);
  jws.claims = nlohmann::json::parse(*claims, nullptr, false);
  if (!jws.header.is_object() || !jws.claims.is_object()) {
    why = "the token's header or claims are not a JSON object";
    return std::nullopt;
  }
  auto alg = member_text(jws.header, "alg");
  if (!alg) {
    why = "the token's header has no alg";
    return std::nullopt;
  }
  if (jws.header.contains("crit")) {
    why = "the token's header has critical extensions";
    return std::nullopt;
  }
  jws.alg = *alg;
  jws.kid = member_text(jws.header, "kid");
  if (jws.header.contains("kid") && !jws.kid) {
    why = "the token's kid is not text";
    return std::nullopt;
  }
  jws.signing_input = std::string(token.substr(0, dot2));
  jws.signature = std::move(*signature);
  return jws;
}

bool algorithm_supported(std::string_view alg) { return alg == "RS256" || alg == "ES256"; }

bool verify_jws_signature(const Jws& jws, const nlohmann::json& jwk, std::string& why) {
  if (!algorithm_supported(jws.alg)) {
    why = "algorithm " + jws.alg.substr(0, 20) + " is not accepted (only RS256 and ES256)";
    return false;
  }
  if (!jwk.is_object() || member_text(jwk, "kty") != key_type_for(jws.alg)) {
    why = "the key does not fit algorithm " + jws.alg;
    return false;
  }
  if (auto key_alg = member_text(jwk, "alg"); key_alg && *key_alg != jws.alg) {
    why = "the key is for algorithm " + key_alg->substr(0, 20) + ", not " + jws.alg;
    return false;
  }
  Pkey key = jws.alg == "RS256" ? rsa_key(jwk, why) : ec_key(jwk, why);
  if (!key) return false;
  std::string sig = jws.signature;
  if (jws.alg == "ES256") {
    auto der = es256_der(jws.signature);
    if (!der) {
      why = "the signature is not 64 bytes";
      return false;
    }
    sig = std::move(*der);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(jws.signing_input.data()), jws.signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) why = "the signature does not verify";
  return ok;
}

std::optional<nlohmann::json> select_jwk(const nlohmann::json& jwks, const Jws& jws) {
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks.at("keys").is_array()) return std::nullopt;
  const std::string kty = key_type_for(jws.alg);
  std::vector<const nlohmann::json*> candidates;
  for (const auto& key : jwks.at("keys")) {
    if (!key.is_object() || member_text(key, "use").value_or("sig") != "sig") continue;
    if (jws.kid) {
      if (member_text(key, "kid") == *jws.kid) return key;
    } else if (!kty.empty() && member_text(key, "kty") == kty) {
      candidates.push_back(&key);
    }
  }
  if (candidates.size() == 1) return *candidates.front();
  return std::nullopt;
}

}  // namespace probity
