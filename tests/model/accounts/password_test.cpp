#include <catch2/catch.hpp>

#include "model/accounts/password.hpp"

using namespace probity;

namespace {
// Cheap parameters for tests that exercise the format rather than the cost; the default
// (N=2^15, r=8, p=3) is exercised once below, as it takes ~32 MiB and a noticeable time.
const ScryptParams kCheap{10, 8, 1};
}  // namespace

TEST_CASE("the default scrypt hash carries its parameters and verifies only the right password") {
  const std::string stored = hash_password("correct horse battery staple");
  CHECK(stored.rfind("scrypt$15$8$3$", 0) == 0);
  CHECK(stored.find("correct horse") == std::string::npos);
  CHECK(verify_password("correct horse battery staple", stored));
  CHECK_FALSE(verify_password("correct horse battery stapl", stored));
  CHECK_FALSE(password_needs_rehash(stored));
}

TEST_CASE("each hash has its own salt, and a hash made with older parameters still verifies") {
  const std::string a = hash_password("tulip-meadow-42", kCheap);
  const std::string b = hash_password("tulip-meadow-42", kCheap);
  CHECK(a != b);
  CHECK(verify_password("tulip-meadow-42", a));
  CHECK(verify_password("tulip-meadow-42", b));
  CHECK(a.rfind("scrypt$10$8$1$", 0) == 0);
  // Raised parameters later: old hashes still verify but are flagged for rehash at login.
  CHECK(password_needs_rehash(a));
  CHECK_FALSE(password_needs_rehash(a, kCheap));
}

TEST_CASE("malformed or dangerous stored hashes never verify") {
  const std::string good = hash_password("tulip-meadow-42", kCheap);
  auto stored = GENERATE(as<std::string>{}, "", "tulip-meadow-42", "scrypt$10$8$1$abcd", "bcrypt$10$8$1$00$00",
                         "scrypt$x$8$1$0011$0011", "scrypt$10$8$1$zz$0011", "scrypt$10$8$1$0011$",
                         "scrypt$40$8$1$0011$0011",  // N=2^40 would exhaust memory: refused before hashing
                         "scrypt$10$0$1$0011$0011", "scrypt$10$8$99$0011$0011");
  CAPTURE(stored);
  CHECK_FALSE(verify_password("tulip-meadow-42", stored));
  CHECK(password_needs_rehash(stored));
  // Tampering with the stored hash digits breaks it too.
  std::string tampered = good;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  CHECK_FALSE(verify_password("tulip-meadow-42", tampered));
}

TEST_CASE("new passwords are checked for length, commonness and the email address") {
  using Problems = std::vector<std::string>;
  const std::string long64(64, 'k');
  const std::string long128(128, 'k');
  const std::string long129(129, 'k');
  auto [password, problems] = GENERATE_COPY(table<std::string, Problems>({
      {"", {"Enter a password"}},
      {"tulip7!", {"Password must be 8 characters or more"}},
      {"tulip7!x", {}},
      {long64, {}},
      {long128, {}},
      {long129, {"Password must be 128 characters or fewer"}},
      // 8 characters but 16 bytes: length is in characters.
      {"éééééééé", {}},
      {"ééééééé", {"Password must be 8 characters or more"}},
      {"password", {"Password is one of the most commonly used passwords: choose one that is harder to guess"}},
      {"PassWord1", {"Password is one of the most commonly used passwords: choose one that is harder to guess"}},
      {"12345678", {"Password is one of the most commonly used passwords: choose one that is harder to guess"}},
      {"QWERTYUI", {"Password is one of the most commonly used passwords: choose one that is harder to guess"}},
      {"iloveyou", {"Password is one of the most commonly used passwords: choose one that is harder to guess"}},
      {"Asha.Patel@nhs.net", {"Password must not be your email address"}},
      {"asha.patel@nhs.net", {"Password must not be your email address"}},
      {"asha.patel@nhs.net!", {}},
  }));
  CAPTURE(password);
  CHECK(validate_new_password(password, "asha.patel@nhs.net") == problems);
}

TEST_CASE("the length limits are configurable") {
  PasswordPolicy strict;
  strict.min_length = 12;
  CHECK(validate_new_password("tulip7!xyzab", "a@b.c", strict).empty());
  CHECK(validate_new_password("tulip7!xyza", "a@b.c", strict) == std::vector<std::string>{"Password must be 12 characters or more"});
}
