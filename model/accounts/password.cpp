#include "model/accounts/password.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <charconv>
#include <map>
#include <mutex>
#include <tuple>
#include <stdexcept>

#include "model/base/crypto.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;

// Limits on parameters read back from a stored hash: a tampered or corrupt row must not make
// verification allocate gigabytes or spin for minutes.
constexpr int kMaxLog2N = 20;
constexpr std::uint64_t kMaxR = 32;
constexpr std::uint64_t kMaxP = 16;

// The most common passwords of 8 characters or more, from the public breach corpora behind
// NCSC's and NIST's advice (shorter ones are refused by the length rule anyway). Lower case:
// the comparison ignores case, as "Password1" is no harder to guess than "password1".
constexpr std::string_view kCommonPasswords[] = {
    "password",     "password1",    "password12",  "password123", "password1234", "passw0rd",    "p@ssw0rd",
    "p@ssword",     "pa55word",     "password!",   "12345678",    "123456789",    "1234567890",  "0987654321",
    "987654321",    "87654321",     "11111111",    "00000000",    "88888888",     "12341234",    "11223344",
    "12121212",     "123123123",    "123456789a",  "12345678910", "1q2w3e4r",     "1q2w3e4r5t",  "1qaz2wsx",
    "1qaz2wsx3edc", "q1w2e3r4",     "q1w2e3r4t5",  "1234qwer",    "123qweasd",    "qwertyui",    "qwertyuiop",
    "qwerty123",    "qwerty12",     "qwer1234",    "qazwsxedc",   "qweasdzxc",    "zaq12wsx",    "zaq1zaq1",
    "asdfghjk",     "asdfghjkl",    "zxcvbnm1",    "abcd1234",    "abc12345",     "abc123456",   "a1b2c3d4",
    "aa123456",     "iloveyou",     "iloveyou1",   "iloveyou2",   "sunshine",     "sunshine1",   "princess",
    "princess1",    "football",     "football1",   "baseball",    "superman",     "trustno1",    "welcome1",
    "welcome123",   "letmein1",     "letmein123",  "starwars",    "whatever",     "dragon123",   "master123",
    "monkey123",    "shadow123",    "michael1",    "jennifer",    "jordan23",     "computer",    "internet",
    "mercedes",     "samantha",     "charlie1",    "liverpool",   "chelsea1",     "arsenal1",    "manchester",
    "changeme",     "changeme1",    "administrator", "admin123",  "admin1234",    "secret123",   "test1234",
    "testing123",   "hello123",     "freedom1",    "password2",   "blink182",     "michelle",    "jessica1",
    "qwerty1234",   "11111111a"};


thread_local ScryptRuns t_scrypt_runs;

std::string scrypt_hex(std::string_view password, const std::vector<unsigned char>& salt, const ScryptParams& params,
                       std::size_t key_bytes) {
  ++t_scrypt_runs.count;
  t_scrypt_runs.last = params;
  const std::uint64_t n = std::uint64_t{1} << params.log2_n;
  // OpenSSL refuses (rather than allocates) more than maxmem, whose default is 32 MiB: exactly
  // what N=2^15, r=8 needs for V alone, so the default fails. It needs 128*r*(N+2) for V plus
  // 128*r*p for B; allow that and a little slack.
  const std::uint64_t maxmem = 128 * params.r * (n + 2 + params.p) + (std::uint64_t{1} << 20);
  std::vector<unsigned char> key(key_bytes);
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n, params.r, params.p, maxmem, key.data(),
                     key.size()) != 1)
    throw std::runtime_error("scrypt failed");
  return to_hex(key.data(), key.size());
}

struct ParsedHash {
  ScryptParams params;
  std::vector<unsigned char> salt;
  std::string hash_hex;
};

template <typename T>
bool parse_number(std::string_view text, T& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::optional<ParsedHash> parse_hash(std::string_view stored) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = stored.find('$', start);
    parts.push_back(stored.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (parts.size() != 6 || parts[0] != "scrypt") return std::nullopt;
  ParsedHash h;
  if (!parse_number(parts[1], h.params.log2_n) || !parse_number(parts[2], h.params.r) || !parse_number(parts[3], h.params.p))
    return std::nullopt;
  if (h.params.log2_n < 1 || h.params.log2_n > kMaxLog2N || h.params.r < 1 || h.params.r > kMaxR || h.params.p < 1 ||
      h.params.p > kMaxP)
    return std::nullopt;
  if (!from_hex(parts[4], h.salt) || h.salt.empty()) return std::nullopt;
  std::vector<unsigned char> key;
  if (!from_hex(parts[5], key) || key.empty()) return std::nullopt;
  h.hash_hex = std::string(parts[5]);
  return h;
}

}  // namespace

std::string hash_password(std::string_view password, const ScryptParams& params) {
  std::vector<unsigned char> salt;
  from_hex(random_hex(kSaltBytes), salt);
  return "scrypt$" + std::to_string(params.log2_n) + "$" + std::to_string(params.r) + "$" + std::to_string(params.p) + "$" +
         to_hex(salt.data(), salt.size()) + "$" + scrypt_hex(password, salt, params, kKeyBytes);
}

bool verify_password(std::string_view password, std::string_view stored) {
  auto parsed = parse_hash(stored);
  if (!parsed) return false;
  const std::string computed = scrypt_hex(password, parsed->salt, parsed->params, parsed->hash_hex.size() / 2);
  return constant_time_equal(computed, parsed->hash_hex);
}

const std::string& dummy_password_hash(const ScryptParams& params) {
  // std::map: references to its values stay valid as entries are added.
  static std::mutex mutex;
  static std::map<std::tuple<int, std::uint64_t, std::uint64_t>, std::string> made;
  std::lock_guard lock(mutex);
  const auto key = std::make_tuple(params.log2_n, params.r, params.p);
  auto it = made.find(key);
  if (it == made.end()) it = made.emplace(key, hash_password(random_hex(kSaltBytes), params)).first;
  return it->second;
}

ScryptRuns scrypt_runs_on_this_thread() noexcept { return t_scrypt_runs; }

bool password_needs_rehash(std::string_view stored, const ScryptParams& current) {
  auto parsed = parse_hash(stored);
  return !parsed || !(parsed->params == current) || parsed->salt.size() != kSaltBytes ||
         parsed->hash_hex.size() != kKeyBytes * 2;
}

bool is_common_password(std::string_view password) {
  const std::string lowered = ascii_lower(password);
  return std::find(std::begin(kCommonPasswords), std::end(kCommonPasswords), lowered) != std::end(kCommonPasswords);
}

std::vector<std::string> validate_new_password(std::string_view password, std::string_view email,
                                               const PasswordPolicy& policy) {
  // Messages follow the NHS design system's error message style: say what to do, plainly.
  std::vector<std::string> problems;
  if (password.empty()) {
    problems.push_back("Enter a password");
    return problems;
  }
  const std::size_t length = utf8_length(password);  // characters, not bytes: as long as it looks
  if (length < policy.min_length)
    problems.push_back("Password must be " + std::to_string(policy.min_length) + " characters or more");
  if (length > policy.max_length)
    problems.push_back("Password must be " + std::to_string(policy.max_length) + " characters or fewer");
  if (is_common_password(password))
    problems.push_back("Password is one of the most commonly used passwords: choose one that is harder to guess");
  const std::string trimmed_email = trim(email);
  if (!trimmed_email.empty() && ascii_lower(trim(password)) == ascii_lower(trimmed_email))
    problems.push_back("Password must not be your email address");
  return problems;
}

}  // namespace probity
