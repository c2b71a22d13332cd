#include <catch2/catch.hpp>

#include "model/base/date.hpp"
#include "model/store/entities.hpp"

using namespace probity;

TEST_CASE("dates parse only as real YYYY-MM-DD days") {
  auto [text, valid] = GENERATE(table<std::string, bool>({
      {"2025-02-28", true}, {"2024-02-29", true}, {"2025-02-29", false}, {"2025-02-30", false},
      {"2025-13-01", false}, {"2025-00-10", false}, {"2025-1-01", false}, {"25-01-01", false},
      {"2025/01/01", false}, {"2025-01-01T00:00", false}, {"", false}, {"abcd-ef-gh", false}}));
  CAPTURE(text);
  CHECK(Date::parse(text).has_value() == valid);
}

TEST_CASE("date arithmetic follows the calendar") {
  Date d = *Date::parse("2025-08-31");
  CHECK(d.plus_months(6).iso() == "2026-02-28");  // clamped to month end
  CHECK(d.plus_months(-6).iso() == "2025-02-28");
  CHECK(d.plus_days(1).iso() == "2025-09-01");
  CHECK(d.days_until(*Date::parse("2025-09-28")) == 28);
  CHECK(*Date::parse("2025-01-02") > *Date::parse("2025-01-01"));
}

TEST_CASE("money parses pounds and pence exactly") {
  auto [text, pence] = GENERATE(table<std::string, long long>({
      {"0", 0}, {"6", 600}, {"49.99", 4999}, {"50", 5000}, {"75.5", 7550}, {"1234.05", 123405}}));
  CAPTURE(text);
  REQUIRE(parse_pounds(text).has_value());
  CHECK(*parse_pounds(text) == pence);
  CHECK(format_pounds(pence) == (text.find('.') == std::string::npos ? text + ".00" : (text == "75.5" ? "75.50" : text)));
}

TEST_CASE("money refuses what is not an amount") {
  auto text = GENERATE(as<std::string>{}, "-5", "£5", "5.555", "5.", ".5", "five", "", "1e3", "99999999999999");
  CAPTURE(text);
  CHECK_FALSE(parse_pounds(text).has_value());
}
