#pragma once
// Comparing organisation names as people write them. Registers are typed by hand, so the same
// company appears as "ACME Health Care Limited" and "Acme Healthcare Ltd". Two levels:
//  - exact_name_key: only case, punctuation and spacing ignored. Equal keys are treated as the
//    same organisation (the `organisation` rule, certain).
//  - normalise_organisation_name / name_closeness: word-level rewriting and an edit distance.
//    A match here is a judgement, so it only ever raises a `possible` flag.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace probity {

/// Lower case, punctuation as spaces, runs of spaces collapsed: "St. Mary's  Surgery" -> "st mary s surgery".
std::string exact_name_key(std::string_view name);

/// exact_name_key plus word rewriting: "&" -> "and", "limited" -> "ltd", "health care" ->
/// "healthcare", "center" -> "centre". "ACME Health Care Limited" -> "acme healthcare ltd".
std::string normalise_organisation_name(std::string_view name);

/// The words that tell one organisation from another: the normalised name without legal forms
/// (ltd, plc, llp, cic, the) and generic words (surgery, medical, centre, practice, health,
/// healthcare, clinic, group, partnership, services). Falls back to the normalised name when
/// nothing distinctive is left ("The Surgery").
std::vector<std::string> distinctive_words(std::string_view name);

/// Closeness of two word lists in [0, 1]: 1 - Levenshtein distance / longer length, computed on
/// the words joined without spaces (so "oak tree" and "oaktree" are equal). 0 when either is
/// empty. A result below `at_least` may be returned as 0 without computing the distance in full
/// (flagging only cares whether a threshold is reached); one at or above it is exact.
double name_closeness(const std::vector<std::string>& a, const std::vector<std::string>& b, double at_least = 0.0);

/// The words joined without spaces, as name_closeness compares them (join once, compare often).
std::string joined_words(const std::vector<std::string>& words);

/// name_closeness of two joined_words results.
double joined_closeness(std::string_view a, std::string_view b, double at_least = 0.0);

/// A name made ready to be compared often: its words joined (joined_words), how many there
/// were, and its bytes counted in 32 buckets (byte & 31), from which a lower bound on the edit
/// distance of two names costs 32 subtractions instead of a pass over each.
struct ComparableName {
  std::string joined;
  std::size_t words = 0;
  std::array<std::uint32_t, 32> letters{};
};

/// The ComparableName of a list of words (distinctive_words of a name, usually).
ComparableName comparable_name(const std::vector<std::string>& words);

/// joined_closeness of two prepared names: the same value, with the letter bound from their
/// counts.
double comparable_closeness(const ComparableName& a, const ComparableName& b, double at_least = 0.0);

/// The runs of consecutive words of a text (an agenda item's title), joined and counted, made
/// once per text for closeness_within.
class TitleWindows {
 public:
  explicit TitleWindows(const std::vector<std::string>& text);
  std::size_t words() const { return words_; }
  /// Every run of n consecutive words (1 <= n <= words()), joined without spaces.
  const std::vector<ComparableName>& runs(std::size_t n) const { return by_length_.at(n - 1); }
  /// The shortest and longest of runs(n), in bytes.
  std::pair<std::size_t, std::size_t> run_sizes(std::size_t n) const { return sizes_.at(n - 1); }

 private:
  std::size_t words_ = 0;
  std::vector<std::vector<ComparableName>> by_length_;
  std::vector<std::pair<std::size_t, std::size_t>> sizes_;
};

/// The best closeness of `name` to any run of consecutive words in `text` (as many words as
/// `name`, or one fewer or more), used to find an organisation named inside an agenda item's
/// title. `at_least` skips hopeless comparisons as for name_closeness.
double closeness_within(const std::vector<std::string>& name, const std::vector<std::string>& text, double at_least = 0.0);

/// closeness_within for a name already joined (joined_words, of `name_words` words) and a
/// text's windows made once.
double closeness_within(std::string_view joined_name, std::size_t name_words, const TitleWindows& text, double at_least = 0.0);

/// closeness_within for a prepared name (the same value).
double closeness_within(const ComparableName& name, const TitleWindows& text, double at_least = 0.0);

}  // namespace probity
