#pragma once
// The JOSE pieces OpenID Connect sign-in needs, and nothing that touches the network:
// base64url (RFC 4648 section 5, no padding), splitting a compact JWS (RFC 7515) into its
// header, claims and signature, public keys from JWKs (RFC 7517/7518: RSA n/e, EC P-256 x/y),
// and checking an RS256 or ES256 signature with OpenSSL 3. Every other algorithm ("none", the
// HMAC ones, which would let anyone holding the client secret sign) is refused by name.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace probity {

/// base64url without padding.
std::string base64url_encode(std::string_view bytes);
/// Decodes base64url without padding; nullopt for any other character, for padding, or for a
/// length no encoder makes. Throws nothing.
std::optional<std::string> base64url_decode(std::string_view text);

/// `bytes` random bytes from the CSPRNG, base64url-encoded (for state, nonce, PKCE verifiers).
/// Throws std::runtime_error if OpenSSL fails.
std::string random_base64url(std::size_t bytes);
/// The PKCE S256 challenge of a verifier (RFC 7636 section 4.2): base64url(SHA-256(verifier)).
std::string pkce_challenge(std::string_view verifier);

/// A compact JWS split into its parts; the signature is not checked yet.
struct Jws {
  nlohmann::json header;         // an object
  nlohmann::json claims;         // an object
  std::string signing_input;     // the first two parts and the dot between them, as received
  std::string signature;         // decoded bytes
  std::string alg;               // header "alg"
  std::optional<std::string> kid;  // header "kid"
};

/// Splits a compact JWS of three base64url parts whose first two are JSON objects. On failure,
/// nullopt and `why` says what was wrong, for the security log. Tokens over 16 KiB are refused.
std::optional<Jws> parse_jws(std::string_view token, std::string& why);

/// The algorithms accepted, each with the key type it needs.
bool algorithm_supported(std::string_view alg);

/// Checks the signature over jws.signing_input with the public key in `jwk` (an object with
/// "kty" RSA and "n", "e", at least 2048 bits, or "kty" EC, "crv" P-256, "x", "y"), for jws.alg
/// RS256 or ES256 only. False with `why` for a wrong algorithm, a key that does not fit it, or a
/// signature that does not verify. Throws nothing.
bool verify_jws_signature(const Jws& jws, const nlohmann::json& jwk, std::string& why);

/// The key in a JWK set ({"keys": [...]}) that the token names: the one with its "kid", or with
/// no "kid" in the token, the only signing key of the algorithm's type. nullopt when there is no
/// such key (the caller may fetch the set again once). Keys for "enc" use are never chosen.
std::optional<nlohmann::json> select_jwk(const nlohmann::json& jwks, const Jws& jws);

}  // namespace probity
