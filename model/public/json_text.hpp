#pragma once
// Writing JSON responses quickly. nlohmann's serializer decodes every byte of every string as
// UTF-8 to decide what to escape; the conflicts report (~250 KB of mostly plain-English reasons)
// spent as long in dump() as in building the report. Almost all our text is printable ASCII,
// which needs no escaping at all.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace probity {

/// Exactly the bytes of j.dump(-1, ' ', false, error_handler_t::replace) (compact, UTF-8 kept,
/// invalid UTF-8 replaced by U+FFFD), written without nlohmann's per-byte UTF-8 work for ASCII
/// strings; other strings and floating-point numbers go through nlohmann's own serializer.
/// Throws nothing that dump() with the replace handler would not.
std::string compact_json(const nlohmann::json& j);

/// Appends `s` as a JSON string, exactly as compact_json writes a string value (for writers that
/// produce compact_json's bytes without building an nlohmann value first). Throws nothing that
/// compact_json would not.
void append_json_string(std::string& out, std::string_view s);

/// The length of the well-formed UTF-8 sequence starting at s[i], or 0 if there is none there:
/// the shortest form only, no surrogates, nothing past U+10FFFF (RFC 3629, as nlohmann's decoder
/// checks it, so text passed on when this says yes is text nlohmann reads back).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

/// Appends an integer as compact_json writes it.
void append_json_int(std::string& out, std::int64_t v);

}  // namespace probity
