#include "model/public/json_text.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace probity {
namespace {
using json = nlohmann::json;

std::string nlohmann_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// What write_string does with each byte: 0 copies it as it is, 1 escapes it, 2 (any byte of a
// UTF-8 sequence) checks the sequence.
constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> t{};
  for (int b = 0; b < 0x20; ++b) t[static_cast<std::size_t>(b)] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int b = 0x80; b < 0x100; ++b) t[static_cast<std::size_t>(b)] = 2;
  return t;
}();

// The position of the first byte at or after `i` that needs more than copying (a control
// character, '"', '\\' or a byte over 0x7f), or `n`. Sixteen bytes at a time with SSE2 (every
// x86-64 has it): a signed compare with 0x20 catches the control characters and the bytes over
// 0x7f at once (elsewhere, a byte at a time, as the tail is). The conflicts check
// writes 270 KB of strings, nearly all of it plain: a byte at a time was a tenth of the check.
std::size_t next_to_escape(const char* data, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  const __m128i below = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    const __m128i care = _mm_or_si128(_mm_cmplt_epi8(v, below), _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (const int mask = _mm_movemask_epi8(care)) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i)
    if (kByteClass[static_cast<unsigned char>(data[i])] != 0) return i;
  return n;
}

// ASCII is escaped here exactly as dump() escapes it (ensure_ascii off): '"' and '\\' with a
// backslash, the control characters with a short escape where JSON has one and \u00xx (lower
// case hex) otherwise; DEL and printable characters as they are. Reasons quote item titles, so
// strings with '"' are common and must not take the slow path. Runs that need no escape are
// appended whole, well-formed UTF-8 among them (dump() writes it as it is: every gift's reason
// has a '£'); a string with a malformed sequence is written by nlohmann instead, which replaces
// the bad bytes.
void write_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t mark = out.size();
  out += '"';
  const char* const data = s.data();
  const std::size_t n = s.size();
  std::size_t plain_from = 0;
  for (std::size_t i = next_to_escape(data, 0, n); i < n;) {
    const auto u = static_cast<unsigned char>(data[i]);
    if (kByteClass[u] == 2) {
      const std::size_t length = utf8_sequence_length(s, i);
      if (length == 0) {
        out.resize(mark);
        out += nlohmann_dump(json(std::string(s)));  // invalid bytes replaced by nlohmann
        return;
      }
      i = next_to_escape(data, i + length, n);
      continue;
    }
    out.append(data + plain_from, i - plain_from);
    plain_from = i + 1;
    switch (u) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[u >> 4];
        out += kHex[u & 0xf];
    }
    i = next_to_escape(data, i + 1, n);
  }
  out.append(data + plain_from, n - plain_from);
  out += '"';
}

void write(std::string& out, const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (!first) out += ',';
        first = false;
        write_string(out, it.key());
        out += ':';
        write(out, it.value());
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j) {
        if (!first) out += ',';
        first = false;
        write(out, v);
      }
      out += ']';
      return;
    }
    case json::value_t::string: write_string(out, j.get_ref<const std::string&>()); return;
    case json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; return;
    case json::value_t::null: out += "null"; return;
    case json::value_t::number_integer: append_json_int(out, j.get<json::number_integer_t>()); return;
    case json::value_t::number_unsigned: out += std::to_string(j.get<json::number_unsigned_t>()); return;
    default: out += nlohmann_dump(j); return;  // floating point, binary, discarded
  }
}
}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead == 0xE0) length = 3, low = 0xA0;
  else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) length = 3;
  else if (lead == 0xED) length = 3, high = 0x9F;
  else if (lead == 0xF0) length = 4, low = 0x90;
  else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
  else if (lead == 0xF4) length = 4, high = 0x8F;
  else return 0;
  if (i + length > s.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return length;
}

void append_json_string(std::string& out, std::string_view s) { write_string(out, s); }

void append_json_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out.append(buf, end);
}

std::string compact_json(const nlohmann::json& j) {
  std::string out;
  out.reserve(4096);
  write(out, j);
  return out;
}

}  // namespace probity
