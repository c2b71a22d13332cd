// Inputs found by the libFuzzer targets in tests/fuzz, kept here so the fixes stay fixed in the
// ordinary debug and sanitizer test runs (the inputs are also in the fuzzers' seed corpora).
#include <catch2/catch.hpp>

#include "model/bundle.hpp"
#include "model/entities.hpp"
#include "support.hpp"

TEST_CASE("fuzz: a JSON number too large for a double is a bundle error, not an escaping exception") {
  probity::testing::TestDb t;
  probity::ImportResult r;
  REQUIRE_NOTHROW(r = probity::import_bundle_text(*t, R"({"version": 66666666666666e666666666666666666666666666666666666})", "test"));
  CHECK_FALSE(r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].text() ==
        "$: not valid JSON (number overflow parsing '66666666666666e666666666666666666666666666666666666')");
  CHECK(t.db->execAndGet("SELECT COUNT(*) FROM audit_log").getInt64() == 0);
}

TEST_CASE("fuzz: every amount of money accepted can be read back from its canonical form") {
  auto [text, pence] = GENERATE(table<const char*, std::optional<std::int64_t>>({
      {"999999999.99", 99'999'999'999},
      {"000000000001", 100},
      {"9991999999", std::nullopt},   // 12 characters or fewer, but "9991999999.00" is 13
      {"1000000000", std::nullopt},
  }));
  CAPTURE(text);
  CHECK(probity::parse_pounds(text) == pence);
  if (pence) CHECK(probity::parse_pounds(probity::format_pounds(*pence)) == pence);
}
