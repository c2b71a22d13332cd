#include "model/register/organisation_name.hpp"

#include <catch2/catch.hpp>
#include <random>

using namespace probity;

namespace {
std::vector<std::string> random_words(std::mt19937& random, int max_words, int alphabet) {
  std::vector<std::string> words(static_cast<std::size_t>(random() % static_cast<unsigned>(max_words + 1)));
  for (auto& w : words) {
    const auto length = 1 + random() % 9;
    for (unsigned i = 0; i < length; ++i) w += static_cast<char>('a' + random() % static_cast<unsigned>(alphabet));
  }
  return words;
}
}  // namespace

// The threshold lets name_closeness stop the edit distance early (a band around the diagonal);
// that must never change a result that reaches the threshold, only skip ones that cannot.
TEST_CASE("name_closeness with a threshold is exact at or above it and never invents a match") {
  std::mt19937 random(8);
  for (int n = 0; n < 20000; ++n) {
    const auto a = random_words(random, 3, 3 + n % 4), b = random_words(random, 3, 3 + n % 4);
    const double exact = name_closeness(a, b);  // no threshold: the full distance
    for (double threshold : {0.5, 0.67, 0.78, 0.85, 0.9, 1.0}) {
      const double fast = name_closeness(a, b, threshold);
      CAPTURE(joined_words(a), joined_words(b), threshold, exact, fast);
      if (exact >= threshold) REQUIRE(fast == exact);
      else REQUIRE((fast == 0.0 || fast == exact));
      REQUIRE(joined_closeness(joined_words(a), joined_words(b), threshold) == fast);
    }
  }
}

TEST_CASE("closeness_within finds the best run of title words, from words or from prepared title windows") {
  std::mt19937 random(5);
  for (int n = 0; n < 5000; ++n) {
    const auto name = random_words(random, 3, 4), title = random_words(random, 6, 4);
    // Reference: every run of one word fewer to one word more than the name, compared in full.
    double best = 0.0;
    const std::size_t lo = name.size() > 1 ? name.size() - 1 : 1;
    for (std::size_t len = lo; !name.empty() && len <= name.size() + 1 && len <= title.size(); ++len)
      for (std::size_t start = 0; start + len <= title.size(); ++start) {
        std::string window;
        for (std::size_t k = start; k < start + len; ++k) window += title[k];
        best = std::max(best, joined_closeness(joined_words(name), window));
      }
    const TitleWindows windows(title);
    CAPTURE(joined_words(name), joined_words(title), best);
    REQUIRE(closeness_within(name, title) == best);
    REQUIRE(closeness_within(joined_words(name), name.size(), windows) == best);
    const double fast = closeness_within(joined_words(name), name.size(), windows, 0.85);
    if (best >= 0.85) REQUIRE(fast == best);
    else REQUIRE(fast < 0.85);
  }
  // The examples the threshold was chosen by (conflict_flags.hpp).
  CHECK(name_closeness(distinctive_words("Brightwatter Diagnostics"), distinctive_words("Brightwater Diagnostics"), 0.85) >= 0.85);
  CHECK(name_closeness(distinctive_words("Riverside Surgery"), distinctive_words("Riverdale Surgery"), 0.85) < 0.85);
  CHECK(closeness_within(joined_words(distinctive_words("Oaktree Surgery")), 1, TitleWindows(distinctive_words("Contract for Oak Tree practice")), 0.85) == 1.0);
}
