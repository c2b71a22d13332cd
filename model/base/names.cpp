#include "model/base/names.hpp"

#include <vector>

namespace probity {

namespace {
std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != ',') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}
}  // namespace

bool is_name_title(std::string_view word) {
  if (!word.empty() && word.back() == '.') word.remove_suffix(1);
  static constexpr std::string_view titles[] = {"dr",   "doctor", "cllr", "councillor", "mr",    "mrs",      "ms",  "miss",
                                                "mx",   "prof",   "professor", "sir",   "dame",  "rev",      "revd", "reverend",
                                                "lord", "lady"};
  for (auto t : titles)
    if (word == t) return true;
  return false;
}

namespace {
// A word of a name as it sorts: without quotes, brackets or other marks around it.
std::string_view bare(std::string_view word) {
  auto mark = [](char c) { return c == '"' || c == '\'' || c == '(' || c == ')' || c == '.' || c == '<' || c == '>' || c == '-'; };
  while (!word.empty() && mark(word.front())) word.remove_prefix(1);
  while (!word.empty() && mark(word.back())) word.remove_suffix(1);
  return word;
}

bool is_name_suffix(std::string_view word) {
  static constexpr std::string_view suffixes[] = {"jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv"};
  for (auto s : suffixes)
    if (word == s) return true;
  return false;
}
}  // namespace

std::string name_sort_key(std::string_view name) {
  const std::string folded = fold_case(name);
  std::vector<std::string_view> words;
  for (auto w : words_of(folded))
    if (auto b = bare(w); !b.empty()) words.push_back(b);
  // "Jr", "Snr" and the like after the surname do not sort the name.
  while (words.size() > 1 && is_name_suffix(words.back())) words.pop_back();
  std::size_t first = 0;
  while (first + 1 < words.size() && is_name_title(words[first])) ++first;  // a name that is only a title keeps it
  if (first >= words.size()) return folded;
  if (first + 1 == words.size()) return std::string(words.back());  // one word: nothing else to sort by
  std::string key(words.back());
  key += '\x1f';
  for (std::size_t i = first; i + 1 < words.size(); ++i) {
    if (i > first) key += ' ';
    key += words[i];
  }
  return key;
}

bool name_matches(std::string_view name, std::string_view folded_needle) {
  const std::string folded = fold_case(name);
  if (folded.find(folded_needle) != std::string::npos) return true;
  bool any = false;
  for (auto word : words_of(folded_needle)) {
    if (is_name_title(word)) continue;
    if (folded.find(word) == std::string::npos) return false;
    any = true;
  }
  return any;
}

std::string fold_case(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + ('a' - 'A'));
    } else if (c == 0xC3 && i + 1 < text.size()) {
      // U+00C0..U+00DE (À..Þ, except × U+00D7) are encoded C3 80..9E; their lower case is 0x20 on.
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) next = static_cast<unsigned char>(next + 0x20);
      out += static_cast<char>(c);
      out += static_cast<char>(next);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace probity
