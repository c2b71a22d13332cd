#pragma once
// Small wrappers over OpenSSL used across the model.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace probity {

/// Lower-case hex SHA-256 of the bytes. Throws std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view bytes);
/// Lower-case hex HMAC-SHA256 of `message` under `key`. Throws std::runtime_error if OpenSSL fails.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
/// `bytes` bytes from the CSPRNG (RAND_bytes) as lower-case hex. Throws std::runtime_error on failure.
std::string random_hex(std::size_t bytes);
/// Lower-case hex of `n` bytes.
std::string to_hex(const unsigned char* data, std::size_t n);
/// Decodes lower-case hex into `out`; false (out unspecified) for odd length or a non-hex digit.
bool from_hex(std::string_view hex, std::vector<unsigned char>& out);
/// Compares in time independent of where the strings differ (for tokens and hashes).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace probity
