#include "model/organisation_name.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace probity {
namespace {

std::vector<std::string> split_words(std::string_view key) {
  std::vector<std::string> words;
  std::string word;
  for (char c : key) {
    if (c == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

std::vector<std::string> normalised_words(std::string_view name) {
  std::string spaced;
  for (char c : name) {
    if (c == '&') spaced += " and ";  // "Smith & Jones" is "Smith and Jones"
    else spaced += c;
  }
  auto words = split_words(exact_name_key(spaced));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "health" && i + 1 < words.size() && words[i + 1] == "care") {
      out.push_back("healthcare");
      ++i;
    } else if (w == "limited") {
      out.push_back("ltd");
    } else if (w == "center") {
      out.push_back("centre");
    } else {
      out.push_back(w);
    }
  }
  return out;
}

// Words that say what kind of body it is rather than which one; two practices called
// "Northgate Medical Centre" and "Southgate Medical Centre" must not look alike because of them.
constexpr std::array<std::string_view, 17> kUndistinctive = {
    "ltd",     "plc",   "llp",      "cic",    "the",     "and",   "of",         "surgery",  "medical",
    "centre",  "practice", "health", "healthcare", "clinic", "group", "partnership", "services"};

std::size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string exact_name_key(std::string_view name) {
  std::string out;
  bool space = false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {  // keep non-ASCII letters (UTF-8 bytes) as they are
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(u));
    } else {
      space = true;
    }
  }
  return out;
}

std::string normalise_organisation_name(std::string_view name) { return join(normalised_words(name), " "); }

std::vector<std::string> distinctive_words(std::string_view name) {
  auto words = normalised_words(name);
  std::vector<std::string> out;
  for (const auto& w : words)
    if (std::find(kUndistinctive.begin(), kUndistinctive.end(), w) == kUndistinctive.end()) out.push_back(w);
  return out.empty() ? words : out;
}

namespace {
double closeness_of_joined(std::string_view x, std::string_view y, double at_least) {
  if (x.empty() || y.empty()) return 0.0;
  const std::size_t longer = std::max(x.size(), y.size()), shorter = std::min(x.size(), y.size());
  // The distance is at least the difference in length, so closeness <= shorter / longer.
  if (static_cast<double>(shorter) / static_cast<double>(longer) < at_least) return 0.0;
  return 1.0 - static_cast<double>(levenshtein(x, y)) / static_cast<double>(longer);
}
}  // namespace

double name_closeness(const std::vector<std::string>& a, const std::vector<std::string>& b, double at_least) {
  return closeness_of_joined(join(a, ""), join(b, ""), at_least);
}

double closeness_within(const std::vector<std::string>& name, const std::vector<std::string>& text, double at_least) {
  if (name.empty() || text.empty()) return 0.0;
  const std::string joined_name = join(name, "");
  double best = 0.0;
  // Windows one word shorter or longer too, so "oak tree" in a title finds "Oaktree Surgery".
  const std::size_t lo = name.size() > 1 ? name.size() - 1 : 1;
  std::string window;
  for (std::size_t n = lo; n <= name.size() + 1 && n <= text.size(); ++n)
    for (std::size_t start = 0; start + n <= text.size(); ++start) {
      window.clear();
      for (std::size_t k = start; k < start + n; ++k) window += text[k];
      best = std::max(best, closeness_of_joined(joined_name, window, std::max(at_least, best)));
    }
  return best;
}

}  // namespace probity
