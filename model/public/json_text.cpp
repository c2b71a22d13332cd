#include "model/public/json_text.hpp"

#include <array>
#include <charconv>

namespace probity {
namespace {
using json = nlohmann::json;

std::string nlohmann_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// What write_string does with each byte: 0 copies it as it is, 1 escapes it, 2 (any byte of a
// UTF-8 sequence) sends the whole string to nlohmann, which checks the UTF-8.
constexpr std::array<unsigned char, 256> kByteClass = [] {
  std::array<unsigned char, 256> t{};
  for (int b = 0; b < 0x20; ++b) t[static_cast<std::size_t>(b)] = 1;
  t['"'] = 1;
  t['\\'] = 1;
  for (int b = 0x80; b < 0x100; ++b) t[static_cast<std::size_t>(b)] = 2;
  return t;
}();

// ASCII is escaped here exactly as dump() escapes it (ensure_ascii off): '"' and '\\' with a
// backslash, the control characters with a short escape where JSON has one and \u00xx (lower
// case hex) otherwise; DEL and printable characters as they are. Reasons quote item titles, so
// strings with '"' are common and must not take the slow path. One pass: runs that need no
// escape are appended whole; a string with any byte over 0x7f is written by nlohmann instead.
void write_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t mark = out.size();
  out += '"';
  const char* const data = s.data();
  const std::size_t n = s.size();
  std::size_t plain_from = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<unsigned char>(data[i]);
    const unsigned char kind = kByteClass[u];
    if (kind == 0) continue;
    if (kind == 2) {
      out.resize(mark);
      out += nlohmann_dump(json(std::string(s)));  // UTF-8 checked (and invalid bytes replaced) by nlohmann
      return;
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
