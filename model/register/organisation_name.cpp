#include "model/register/organisation_name.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include "model/base/text.hpp"

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

// The edit distance of a and b if it is at most `max`, otherwise max + 1. Only cells with
// |i - j| <= max can hold a value <= max, and once a whole row exceeds max no later row can come
// back under it, so the work is O(max x length) rather than O(length^2).
std::size_t levenshtein_within(std::string_view a, std::string_view b, std::size_t max) {
  if (a.size() > b.size()) std::swap(a, b);
  const std::size_t over = max + 1;
  if (b.size() - a.size() > max) return over;
  // Two rows of the band; on the stack for names of ordinary length (it is called for thousands
  // of pairs a conflicts check, and two heap rows each time cost as much as the distance).
  constexpr std::size_t kOnStack = 128;
  std::array<std::size_t, 2 * kOnStack> stack_rows;
  std::vector<std::size_t> heap_rows;
  std::size_t* rows = stack_rows.data();
  if (b.size() + 2 > kOnStack) {
    heap_rows.resize(2 * (b.size() + 2));
    rows = heap_rows.data();
  }
  std::size_t* prev = rows;
  std::size_t* cur = rows + b.size() + 2;
  std::fill(prev, prev + b.size() + 2, over);
  std::fill(cur, cur + b.size() + 2, over);
  for (std::size_t j = 0; j <= std::min(b.size(), max); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    const std::size_t lo = i > max ? i - max : 1, hi = std::min(b.size(), i + max);
    cur[lo - 1] = lo == 1 ? std::min(i, over) : over;
    std::size_t row_min = cur[lo - 1];
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute, over});
      row_min = std::min(row_min, cur[j]);
    }
    cur[hi + 1] = over;  // outside the band: the next row reads it as "too far"
    if (row_min > max) return over;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], over);
}

// A lower bound on the edit distance of a and b from their letters alone: each edit adds at
// most one letter and takes away at most one, so the distance is at least the larger of the
// letters a has beyond b's and b's beyond a's (counted in 32 buckets, byte & 31: merging letters
// into a bucket can only lower the bound, so it stays a bound). From counts made once per name
// (ComparableName), it costs 32 subtractions against the edit distance's pass per band cell;
// most pairs of names fail here.
using LetterCounts = std::array<std::uint32_t, 32>;

LetterCounts count_letters(std::string_view s) {
  LetterCounts count{};
  for (char c : s) ++count[static_cast<unsigned char>(c) & 31];
  return count;
}

// With la and lb letters in all, extra_a - extra_b = la - lb and extra_a + extra_b is the sum of
// the buckets' differences, so the larger is (sum + |la - lb|) / 2: one sum without a branch per
// bucket, which the compiler can do several buckets at a time (this bound is tried for thousands
// of pairs a check, most of which it settles).
std::size_t letter_bound(const LetterCounts& a, const LetterCounts& b, std::size_t la, std::size_t lb) {
  std::uint32_t sum = 0;
  for (std::size_t k = 0; k < a.size(); ++k) sum += std::max(a[k], b[k]) - std::min(a[k], b[k]);
  return (static_cast<std::size_t>(sum) + (la > lb ? la - lb : lb - la)) / 2;
}

// closeness_of_joined with the letters counted already (nullptr: counted here when needed).
double closeness_counted(std::string_view x, const LetterCounts* x_letters, std::string_view y, const LetterCounts* y_letters,
                         double at_least) {
  if (x.empty() || y.empty()) return 0.0;
  const std::size_t longer = std::max(x.size(), y.size()), shorter = std::min(x.size(), y.size());
  // The distance is at least the difference in length, so closeness <= shorter / longer.
  if (static_cast<double>(shorter) / static_cast<double>(longer) < at_least) return 0.0;
  // Closeness reaches at_least only if distance <= (1 - at_least) x longer; one more than that
  // is allowed so that rounding never cuts off a distance that qualifies.
  const double allowed = std::max(0.0, 1.0 - at_least) * static_cast<double>(longer);
  const std::size_t max = static_cast<std::size_t>(allowed) + 1;
  const std::size_t bound = x_letters && y_letters ? letter_bound(*x_letters, *y_letters, x.size(), y.size())
                                                   : letter_bound(count_letters(x), count_letters(y), x.size(), y.size());
  if (bound > max) return 0.0;  // the distance is larger still: below at_least
  const std::size_t distance = levenshtein_within(x, y, std::min(max, longer));
  if (distance > max) return 0.0;  // below at_least: the exact value is not needed
  return 1.0 - static_cast<double>(distance) / static_cast<double>(longer);
}

double closeness_of_joined(std::string_view x, std::string_view y, double at_least) {
  return closeness_counted(x, nullptr, y, nullptr, at_least);
}

}  // namespace

std::string exact_name_key(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool space = false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    // ASCII letters and digits as the "C" locale's isalnum and tolower see them (the service never
    // sets another), without a call per byte; non-ASCII letters (UTF-8 bytes) kept as they are.
    const bool letter = (u | 0x20) >= 'a' && (u | 0x20) <= 'z';
    if (letter || (u >= '0' && u <= '9') || u >= 0x80) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(letter ? (u | 0x20) : u);
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

double name_closeness(const std::vector<std::string>& a, const std::vector<std::string>& b, double at_least) {
  return closeness_of_joined(join(a, ""), join(b, ""), at_least);
}

double joined_closeness(std::string_view a, std::string_view b, double at_least) { return closeness_of_joined(a, b, at_least); }

std::string joined_words(const std::vector<std::string>& words) { return join(words, ""); }

double closeness_within(const std::vector<std::string>& name, const std::vector<std::string>& text, double at_least) {
  if (name.empty() || text.empty()) return 0.0;
  return closeness_within(joined_words(name), name.size(), TitleWindows(text), at_least);
}

ComparableName comparable_name(const std::vector<std::string>& words) {
  ComparableName out;
  out.joined = joined_words(words);
  out.words = words.size();
  out.letters = count_letters(out.joined);
  return out;
}

double comparable_closeness(const ComparableName& a, const ComparableName& b, double at_least) {
  return closeness_counted(a.joined, &a.letters, b.joined, &b.letters, at_least);
}

TitleWindows::TitleWindows(const std::vector<std::string>& text) : words_(text.size()) {
  // by_length_[n - 1]: every run of n consecutive words, joined without spaces.
  for (std::size_t n = 1; n <= text.size(); ++n) {
    std::vector<ComparableName> runs;
    for (std::size_t start = 0; start + n <= text.size(); ++start) {
      ComparableName window;
      for (std::size_t k = start; k < start + n; ++k) window.joined += text[k];
      window.words = n;
      window.letters = count_letters(window.joined);
      runs.push_back(std::move(window));
    }
    std::pair<std::size_t, std::size_t> sizes{runs.front().joined.size(), runs.front().joined.size()};
    for (const auto& r : runs) sizes = {std::min(sizes.first, r.joined.size()), std::max(sizes.second, r.joined.size())};
    sizes_.push_back(sizes);
    by_length_.push_back(std::move(runs));
  }
}

namespace {
double best_within(std::string_view joined_name, const LetterCounts& letters, std::size_t name_words, const TitleWindows& text,
                   double at_least) {
  if (joined_name.empty() || name_words == 0 || text.words() == 0) return 0.0;
  double best = 0.0;
  // Windows one word shorter or longer too, so "oak tree" in a title finds "Oaktree Surgery".
  const std::size_t lo = name_words > 1 ? name_words - 1 : 1;
  for (std::size_t n = lo; n <= name_words + 1 && n <= text.words(); ++n) {
    // Runs whose lengths are all too far from the name's cannot reach at_least (the first test
    // closeness_of_joined makes): the closest length decides, so skip the lot.
    const auto [shortest, longest] = text.run_sizes(n);
    const std::size_t closest = std::clamp(joined_name.size(), shortest, longest);
    const std::size_t shorter = std::min(closest, joined_name.size()), longer = std::max(closest, joined_name.size());
    if (shorter == 0 || static_cast<double>(shorter) / static_cast<double>(longer) < at_least) continue;
    for (const auto& window : text.runs(n))
      best = std::max(best, closeness_counted(joined_name, &letters, window.joined, &window.letters, std::max(at_least, best)));
  }
  return best;
}
}  // namespace

double closeness_within(std::string_view joined_name, std::size_t name_words, const TitleWindows& text, double at_least) {
  return best_within(joined_name, count_letters(joined_name), name_words, text, at_least);
}

double closeness_within(const ComparableName& name, const TitleWindows& text, double at_least) {
  return best_within(name.joined, name.letters, name.words, text, at_least);
}

}  // namespace probity
