#include <catch2/catch.hpp>

#include "model/accounts/server_secret.hpp"
#include "support.hpp"

using namespace probity;

TEST_CASE("server secrets are made once, kept in the database, and the same for every connection") {
  testing::TestDb t;
  const Instant now = *parse_instant("2025-05-01T09:00:00Z");
  const std::string first = server_secret(*t, "signing", now);
  CHECK(first.size() == 64);
  std::vector<unsigned char> bytes;
  CHECK(from_hex(first, bytes));
  CHECK(server_secret(*t, "signing", now) == first);
  auto other = open_database(t.path, false);  // another connection, as after a restart
  CHECK(server_secret(*other, "signing", now) == first);
  CHECK(server_secret(*other, "another", now) != first);
  CHECK(t.db->execAndGet("SELECT COUNT(*) FROM server_secrets").getInt() == 2);
}

TEST_CASE("HMAC-SHA256 gives the RFC 4231 test vector") {
  // RFC 4231, test case 2.
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hmac_sha256_hex("key one", "message") != hmac_sha256_hex("key two", "message"));
}
