#include "model/public/json_text.hpp"

#include <catch2/catch.hpp>

using namespace probity;
using json = nlohmann::json;

namespace {
std::string reference(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

TEST_CASE("compact_json writes exactly what nlohmann's dump with the replace handler writes") {
  const std::string invalid_utf8 = std::string("caf") + static_cast<char>(0xE9) + " bar";  // Latin-1 e-acute
  json doc = {
      {"plain", "Dr Amir Hassan has a financial interest in Riverside Surgery 3 (Partner)."},
      {"quotes", "item \"Practice merger\" and a back\\slash"},
      {"control", std::string("tab\there, newline\nthere, nul") + '\0' + " and bell\x07"},
      {"unicode", "Caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 \xC2\xA3" "12.50"},
      {"invalid", invalid_utf8},
      {"del", "a\x7f" "b"},
      {"escaped then unicode", "item \"x\"\tthen caf\xC3\xA9"},
      {"numbers", {0, -1, 42, 9007199254740993LL, std::numeric_limits<long long>::min()}},
      {"unsigned", std::numeric_limits<unsigned long long>::max()},
      {"floats", {0.5, 1e-7, 0.85, 3.0, -2.25}},
      {"bools", {true, false}},
      {"null", nullptr},
      {"empty", {{"object", json::object()}, {"array", json::array()}, {"string", ""}}},
      {"nested", {{{"a", {{"b", {1, "two", nullptr}}}}}, json::array({json::array()})}},
      {"key with \"quote\"", 1},
      {"ke\xC3\xBF", 2},
  };
  CHECK(compact_json(doc) == reference(doc));
  for (const auto& [key, value] : doc.items()) {
    CAPTURE(key);
    CHECK(compact_json(value) == reference(value));
  }
  CHECK(compact_json(json("")) == "\"\"");
  CHECK(compact_json(json()) == "null");
}

TEST_CASE("compact_json agrees with nlohmann's dump on random bytes, escapes and UTF-8 alike") {
  std::uint32_t seed = 7;
  auto next = [&seed]() { return seed = seed * 1664525u + 1013904223u; };
  const std::string pieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\t", std::string(1, '\0'), "\x1f", "\x7f",
                                "\xC3\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xE9", "\xC3", "\xFF",
                                // the edges of well-formed UTF-8: overlong forms, surrogates, past U+10FFFF, and the
                                // first and last sequences of each length
                                "\xC0\xAF", "\xC1\xBF", "\xC2\x80", "\xDF\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF",
                                "\xE0\xA0\x80", "\xED\x9F\xBF", "\xED\xA0\x80", "\xEF\xBF\xBF", "\xF0\x8F\xBF\xBF",
                                "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
                                "\xE2\x82", "\xF0\x9F\x98", "\x80", "\xBF"};
  for (int round = 0; round < 6000; ++round) {
    std::string s;
    for (std::uint32_t k = next() % 12; k > 0; --k) s += pieces[next() % std::size(pieces)];
    const json value = {{s, s}, {"list", {s, 1, s}}};
    CAPTURE(s);
    CHECK(compact_json(value) == reference(value));
  }
}

TEST_CASE("compact_json finds a byte that needs escaping at any place in a long plain run") {
  // Strings are scanned sixteen bytes at a time for a byte that needs care: one special byte at
  // each place of plain runs of every length to past two blocks, and the bytes either side of each
  // class boundary (a scan that mishandled a block's edge or the tail would miss them).
  const unsigned char probes[] = {0x00, 0x01, 0x1f, 0x20, 0x21, '"', 0x23, 0x5b, '\\', 0x5d, 0x7e, 0x7f, 0x80, 0xC3, 0xFF};
  for (std::size_t length = 1; length <= 40; ++length)
    for (std::size_t at = 0; at < length; ++at)
      for (unsigned char probe : probes) {
        std::string s(length, 'x');
        s[at] = static_cast<char>(probe);
        CAPTURE(length, at, static_cast<int>(probe));
        CHECK(compact_json(json(s)) == reference(json(s)));
      }
  const std::string plain(1000, 'p');
  CHECK(compact_json(json(plain)) == "\"" + plain + "\"");
}
