// Inputs found by the libFuzzer targets in tests/fuzz, kept here so the fixes stay fixed in the
// ordinary debug and sanitizer test runs (the inputs are also in the fuzzers' seed corpora).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "model/bundle/bundle.hpp"
#include "model/store/entities.hpp"
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

// Found by fuzz_bundle_import: a bundle re-importing the demo meeting with item "a-1" renamed
// "a-0" left "a-1" on the agenda at the same position as the new item, so the export listed both
// and importing the export renumbered every item. The bundle's agenda is now the whole agenda:
// items it leaves out are withdrawn, and positions stay unique.
namespace {
std::string demo_bundle_text() {
  std::ifstream in(std::string(PROBITY_SOURCE_DIR) + "/config/demo.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

TEST_CASE("fuzz: re-importing the export of a register is a no-op after an agenda item was renamed") {
  probity::testing::TestDb t;
  REQUIRE(probity::import_bundle_text(*t, demo_bundle_text(), "demo").ok);
  auto bundle = nlohmann::json::parse(demo_bundle_text());
  auto& agenda = bundle["meetings"][0]["agenda"];
  REQUIRE(agenda[0]["ref"] == "a-1");
  agenda[0]["ref"] = "a-0";
  REQUIRE(probity::import_bundle(*t, bundle, "fuzz").ok);

  const auto exported = probity::export_bundle(*t);
  const auto& items = exported["meetings"][0]["agenda"];
  REQUIRE(items.size() == agenda.size());
  CHECK(items[0]["ref"] == "a-0");
  const auto rows = t.db->execAndGet("SELECT COUNT(*) FROM audit_log").getInt64();
  REQUIRE(probity::import_bundle(*t, exported, "roundtrip").ok);
  CHECK(t.db->execAndGet("SELECT COUNT(*) FROM audit_log").getInt64() == rows);
}

// Found by fuzz_bundle_import: a bundle listing an item of one meeting ("a-gb-3") on another
// meeting's agenda left a gap on its old agenda (positions 1, 2 and 4); the export listed the
// three in order and importing it renumbered the last one. Moving an item now renumbers the
// agenda it left.
TEST_CASE("fuzz: re-importing the export is a no-op after an agenda item moved to another meeting") {
  probity::testing::TestDb t;
  REQUIRE(probity::import_bundle_text(*t, demo_bundle_text(), "demo").ok);
  auto demo = nlohmann::json::parse(demo_bundle_text());
  nlohmann::json moved_from;
  for (const auto& m : demo["meetings"])
    for (const auto& item : m.value("agenda", nlohmann::json::array()))  // a meeting held in common lists no agenda
      if (item["ref"] == "a-gb-3") moved_from = m;
  REQUIRE(moved_from.is_object());
  const std::size_t old_agenda = moved_from["agenda"].size();
  nlohmann::json bundle = {{"format", "probity-bundle"}, {"version", 1}, {"meetings", nlohmann::json::array()}};
  for (const auto& m : demo["meetings"])
    if (m["ref"] != moved_from["ref"] && m["status"] == "planned") {
      auto other = m;
      other["agenda"].push_back({{"ref", "a-gb-3"}, {"title", "Moved here"}});
      bundle["meetings"].push_back(other);
      break;
    }
  REQUIRE(bundle["meetings"].size() == 1);
  const auto moved = probity::import_bundle(*t, bundle, "fuzz");
  REQUIRE(moved.ok);

  const auto exported = probity::export_bundle(*t);
  for (const auto& m : exported["meetings"])
    if (m["ref"] == moved_from["ref"]) CHECK(m["agenda"].size() == old_agenda - 1);
  const auto rows = t.db->execAndGet("SELECT COUNT(*) FROM audit_log").getInt64();
  REQUIRE(probity::import_bundle(*t, exported, "roundtrip").ok);
  CHECK(t.db->execAndGet("SELECT COUNT(*) FROM audit_log").getInt64() == rows);
}
