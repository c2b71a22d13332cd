// libFuzzer target: the small parsers every form and bundle field goes through (dates, money,
// enum names, JSON). Each must refuse bad text rather than crash, and what it accepts must
// round-trip: parsing the canonical form gives the same value back.
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "model/base/date.hpp"
#include "model/store/entities.hpp"
#include "model/store/enums.hpp"

namespace {
void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "parsers_fuzz: broken promise: %s\n", what);
    std::abort();
  }
}

template <typename E>
void enum_round_trip(std::string_view text) {
  if (auto v = probity::enum_from_string<E>(text)) require(probity::to_string(*v) == text, "enum name round-trips");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto date = probity::Date::parse(text)) {
    require(date->iso() == text, "a parsed date prints as its text");
    require(probity::Date::parse(date->iso()) == date, "a date round-trips");
    // The arithmetic the publication and timing rules use, at their widest ranges.
    auto later = date->plus_days(28).plus_months(6).plus_months(-6 * 12);
    (void)date->days_until(later);
  }

  if (auto pence = probity::parse_pounds(text)) {
    require(*pence >= 0, "money is never negative");
    require(probity::parse_pounds(probity::format_pounds(*pence)) == pence, "money round-trips");
  }

  using namespace probity;
  enum_round_trip<OrganisationKind>(text);
  enum_round_trip<PersonKind>(text);
  enum_round_trip<CommitteeRole>(text);
  enum_round_trip<InterestCategory>(text);
  enum_round_trip<DeclarationStatus>(text);
  enum_round_trip<GiftKind>(text);
  enum_round_trip<GiftOutcome>(text);
  enum_round_trip<MeetingStatus>(text);
  enum_round_trip<AttendanceStatus>(text);
  enum_round_trip<AgendaCategory>(text);

  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) require(nlohmann::json::parse(json.dump()) == json, "JSON round-trips");
  return 0;
}
