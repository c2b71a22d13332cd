#include <catch2/catch.hpp>

#include "model/base/timestamp.hpp"

using namespace probity;
using namespace std::chrono_literals;

TEST_CASE("instants are written and read back as ISO 8601 UTC") {
  CHECK(iso_instant(*parse_instant("2025-05-01T09:00:00Z") + 5h + 7min + 9s) == "2025-05-01T14:07:09Z");
  CHECK(parse_instant("2025-05-01T14:07:09Z") == *parse_instant("2025-05-01T09:00:00Z") + 5h + 7min + 9s);
  CHECK(iso_instant(std::chrono::sys_days{std::chrono::year{2024} / 2 / 29}) == "2024-02-29T00:00:00Z");
  auto bad = GENERATE(as<std::string>{}, "", "2025-05-01", "2025-05-01T14:07:09", "2025-02-30T00:00:00Z", "2025-05-01T24:00:00Z",
                      "2025-05-01 14:07:09Z");
  CAPTURE(bad);
  CHECK_FALSE(parse_instant(bad).has_value());
}
