#pragma once
// Text as people type it: its length in characters, the one check that it is clean UTF-8, and the
// one set of length limits every form, API body and bundle applies to what people write.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace probity {

/// Longest short text, in characters: names, titles, positions, who offered a gift.
inline constexpr std::size_t kShortTextMax = 300;
/// Longest long text, in characters: the nature of an interest, descriptions, actions, reasons.
inline constexpr std::size_t kLongTextMax = 5000;

/// Length in characters (Unicode code points) of UTF-8 text, as limits and messages count it.
std::size_t utf8_length(std::string_view text);

/// True when `text` is valid UTF-8 without control characters other than tab, CR and LF.
bool is_clean_text(std::string_view text);

/// `text` without the spaces, tabs and line ends around it.
std::string trim(std::string_view text);

/// `text` without the spaces and tabs around it (a header value's optional white space), as a view.
std::string_view trim_blanks(std::string_view text);

/// True when `text` is empty or only spaces, tabs and line ends.
bool is_blank(std::string_view text);

/// `text` with ASCII letters in lower case (emails, codes; other characters unchanged).
std::string ascii_lower(std::string_view text);

/// Base64 of `bytes` (RFC 4648): the standard alphabet with '=' padding, or with `url` the
/// URL-safe alphabet without padding (base64url, as JOSE uses it).
std::string base64_encode(std::string_view bytes, bool url = false);

/// The parts with `separator` between them.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace probity
