#include <cstdio>

#include "model/base/money.hpp"

namespace probity {

std::string format_pounds(std::int64_t pence) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", pence < 0 ? "-" : "", static_cast<long long>((pence < 0 ? -pence : pence) / 100),
                static_cast<long long>((pence < 0 ? -pence : pence) % 100));
  return buf;
}

namespace {
constexpr std::int64_t kMaxWholePounds = 999'999'999;  // canonical form at most "999999999.99"
}

std::optional<std::int64_t> parse_pounds(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t whole = 0, fraction = 0;
  std::size_t i = 0, whole_digits = 0, fraction_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++whole_digits) whole = whole * 10 + (text[i] - '0');
  if (whole_digits == 0) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++fraction_digits)
      fraction = fraction * 10 + (text[i] - '0');
    if (i != text.size() || fraction_digits == 0 || fraction_digits > 2) return std::nullopt;
    if (fraction_digits == 1) fraction *= 10;
  }
  // Bounded by value, not only by length: "9991999999" fits in 12 characters but its canonical
  // form "9991999999.00" does not, so it could be stored and never read back (found by
  // tests/fuzz/parsers_fuzz.cpp).
  if (whole > kMaxWholePounds) return std::nullopt;
  return whole * 100 + fraction;
}

}  // namespace probity
