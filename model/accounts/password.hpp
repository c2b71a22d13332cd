#pragma once
// Password hashing (scrypt through OpenSSL) and the rules a new password must meet.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace probity {

/// scrypt cost. The parameters are written into every stored hash, so they can be raised later
/// without invalidating existing passwords (old hashes are verified with their own parameters).
struct ScryptParams {
  int log2_n = 15;  // N = 2^15: the floor (N=2^15, r=8, p=3); ~32 MiB per hash
  std::uint64_t r = 8;
  std::uint64_t p = 3;
  bool operator==(const ScryptParams&) const = default;
};

/// What a new password must be (lengths counted in characters, not bytes).
struct PasswordPolicy {
  std::size_t min_length = 8;
  std::size_t max_length = 128;  // the issue asks that at least 64 be accepted
};

/// Hashes with a fresh 16-byte random salt into "scrypt$<log2 N>$<r>$<p>$<salt hex>$<hash hex>".
/// Throws std::runtime_error if OpenSSL fails (e.g. not enough memory).
std::string hash_password(std::string_view password, const ScryptParams& params = {});

/// True when `password` matches `stored`, compared in constant time; false for a malformed or
/// out-of-range stored hash. Throws std::runtime_error if OpenSSL fails.
bool verify_password(std::string_view password, std::string_view stored);

/// A hash of a random password with `params`, made once per process and parameter set: checked
/// against when an email address has no account or no password, so that sign-in costs the same
/// single scrypt run whether or not the account exists. Throws std::runtime_error if hashing fails.
const std::string& dummy_password_hash(const ScryptParams& params);

/// The scrypt runs this thread has made, and the cost of the last one: what shows, without a
/// clock, that a sign-in does the same work whether or not the address has an account.
struct ScryptRuns {
  std::uint64_t count = 0;
  ScryptParams last{};
};
ScryptRuns scrypt_runs_on_this_thread() noexcept;

/// True when `stored` was made with other parameters than `current` (rehash it at next login).
/// Does not throw.
bool password_needs_rehash(std::string_view stored, const ScryptParams& current = {});

/// The problems with a proposed password, in plain English (empty when it is acceptable):
/// too short or too long, one of the most common passwords, or the account's email address.
/// Does not throw.
std::vector<std::string> validate_new_password(std::string_view password, std::string_view email,
                                               const PasswordPolicy& policy = {});

/// True when the password is on the built-in list of most common passwords (case-insensitive).
/// Does not throw.
bool is_common_password(std::string_view password);

}  // namespace probity
