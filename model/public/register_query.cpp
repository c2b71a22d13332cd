#include "model/public/register_query.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "model/base/fields.hpp"
#include "model/base/text.hpp"

namespace probity {
namespace {

constexpr std::int64_t kLeast = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMost = std::numeric_limits<std::int64_t>::max();

std::string page_size_message(const RegisterPaging& paging) {
  return "page_size must be a whole number from 1 to " + std::to_string(paging.max_page_size);
}
const char* const page_message = "page must be a whole number, 1 or more";
const char* const committee_message = "committee must be a committee id, a whole number such as 3";
const char* const body_message = "body must be a body id, a whole number such as 2";

std::string text_message(const RegisterPaging& paging) {
  return "q must be at most " + std::to_string(paging.max_text_length) + " characters";
}

template <typename E>
std::string choice_message(const std::string& name) {
  return name + " must be one of: " + enum_choices<E>();
}

// The search text as typed: not trimmed, for a search for " smith" is not one for "smith".
std::string search_text(const Fields& in) { return in.raw("q"); }

// Numbers too large for an int are out of range, not a different kind of error.
int bounded(std::int64_t v) { return static_cast<int>(std::clamp<std::int64_t>(v, -1, 1'000'000)); }

}  // namespace

std::vector<FilterError> validate(const RegisterFilter& filter, const RegisterPaging& paging) {
  std::vector<FilterError> errors;
  if (filter.page < 1) errors.push_back({"page", page_message});
  if (filter.page_size < 1 || filter.page_size > paging.max_page_size) errors.push_back({"page_size", page_size_message(paging)});
  if (utf8_length(filter.text) > paging.max_text_length) errors.push_back({"q", text_message(paging)});
  return errors;
}

ParsedRegisterFilter parse_register_filter(const std::multimap<std::string, std::string>& params, const RegisterPaging& paging) {
  Problems problems;
  const Fields in = Fields::from_query(
      params, {"committee", "body", "person_kind", "category", "kind", "q", "sort", "order", "page", "page_size"}, problems);
  ParsedRegisterFilter out;
  RegisterFilter& f = out.filter;
  f.page_size = paging.default_page_size;
  f.committee_id = in.whole_number("committee", kLeast, kMost, committee_message, problems);
  f.body_id = in.whole_number("body", kLeast, kMost, body_message, problems);
  f.person_kind = in.choice<PersonKind>("person_kind", choice_message<PersonKind>("person_kind"), problems);
  f.category = in.choice<InterestCategory>("category", choice_message<InterestCategory>("category"), problems);
  f.interest_kind = in.choice<InterestKind>("kind", choice_message<InterestKind>("kind"), problems);
  f.text = search_text(in);
  if (auto sort = in.one_of("sort", {"name", "organisation", "type", "from", "to", "declared"},
                            "sort must be one of: name, organisation, type, from, to, declared", problems))
    f.sort = static_cast<RegisterSort>(*sort);
  if (auto order = in.one_of("order", {"asc", "desc"}, "order must be asc or desc", problems)) f.descending = *order == 1;
  if (auto page = in.whole_number("page", 1, kMost, page_message, problems)) f.page = bounded(*page);
  if (auto size = in.whole_number("page_size", 1, paging.max_page_size, page_size_message(paging), problems))
    f.page_size = bounded(*size);
  for (const auto& e : validate(f, paging)) problems.add(e);
  // A parameter's problem stands where the parameter is read; the search text's length is
  // checked last, with the page.
  out.errors = problems.ordered({"committee", "body", "person_kind", "category", "sort", "order", "page", "page_size", "q"}).list();
  return out;
}

ParsedCommitteePage parse_committee_page(const std::multimap<std::string, std::string>& params, const RegisterPaging& paging) {
  Problems problems;
  const Fields in = Fields::from_query(params, {"page", "page_size"}, problems);
  ParsedCommitteePage out;
  out.page.page_size = paging.default_page_size;
  if (auto page = in.whole_number("page", 1, kMost, page_message, problems)) out.page.page = bounded(*page);
  if (auto size = in.whole_number("page_size", 1, paging.max_page_size, page_size_message(paging), problems))
    out.page.page_size = bounded(*size);
  out.errors = problems.ordered({"page", "page_size"}).list();
  return out;
}

ParsedGiftFilter parse_gift_filter(const std::multimap<std::string, std::string>& params, const RegisterPaging& paging) {
  Problems problems;
  const Fields in = Fields::from_query(params, {"committee", "body", "person_kind", "kind", "q", "page", "page_size"}, problems);
  ParsedGiftFilter out;
  out.filter.page_size = paging.default_page_size;
  if (auto page = in.whole_number("page", 1, kMost, page_message, problems)) out.filter.page = bounded(*page);
  if (auto size = in.whole_number("page_size", 1, paging.max_page_size, page_size_message(paging), problems))
    out.filter.page_size = bounded(*size);
  out.filter.committee_id = in.whole_number("committee", kLeast, kMost, committee_message, problems);
  out.filter.body_id = in.whole_number("body", kLeast, kMost, body_message, problems);
  out.filter.person_kind = in.choice<PersonKind>("person_kind", choice_message<PersonKind>("person_kind"), problems);
  out.filter.kind = in.choice<GiftKind>("kind", choice_message<GiftKind>("kind"), problems);
  out.filter.text = search_text(in);
  if (utf8_length(out.filter.text) > paging.max_text_length) problems.add("q", text_message(paging));
  out.errors = problems.ordered({"committee", "body", "person_kind", "kind", "page", "page_size", "q"}).list();
  return out;
}

}  // namespace probity
