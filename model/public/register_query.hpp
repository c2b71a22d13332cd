#pragma once
// What a visitor asks of the public register: the filters, sort and page of the register and of
// the gifts register, read from a query string through Fields and checked, with a plain-English
// problem per wrong parameter for the 400 response.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/store/entities.hpp"
#include "model/base/problems.hpp"

namespace probity {

enum class RegisterSort { name, organisation, type, from, to, declared };

struct RegisterFilter {
  std::optional<Id> committee_id;          // people who are members of the committee today
  std::optional<Id> body_id;               // people whose home body this is (?body=; none: every body)
  std::optional<PersonKind> person_kind;
  std::optional<InterestCategory> category;
  std::optional<InterestKind> interest_kind;  // the ?kind= parameter; withheld entries never match
  std::string text;                        // in name, organisation or nature; case-insensitive
  RegisterSort sort = RegisterSort::name;
  bool descending = false;
  int page = 1;
  int page_size = 50;
};

// Configurable: how much one page of the register may hold. The search box's limit is its own
// rule (a query, not text someone declares), not the limits of model/base/text.hpp.
struct RegisterPaging {
  int default_page_size = 50;
  int max_page_size = 500;
  std::size_t max_text_length = 200;
};

/// A plain-English problem with one query parameter, for a 400 response.
using FilterError = FieldProblem;

struct ParsedRegisterFilter {
  RegisterFilter filter;
  std::vector<FilterError> errors;  // empty when the filter can be used
};

/// Range checks on a filter's values (page, page_size, text length). Throws nothing.
std::vector<FilterError> validate(const RegisterFilter& filter, const RegisterPaging& paging = {});

/// Reads the register's query parameters: committee, body, person_kind, category, kind, q, sort (name,
/// organisation, type, from, to, declared), order (asc, desc), page, page_size. Empty values
/// mean "not set"; other parameters are ignored. Throws nothing: problems come back as errors.
ParsedRegisterFilter parse_register_filter(const std::multimap<std::string, std::string>& params,
                                           const RegisterPaging& paging = {});

/// Which page of a committee's combined register its page shows (?page=, ?page_size=): paged as
/// the register is, with the same default and largest page size.
struct CommitteePage {
  int page = 1;
  int page_size = 50;
};

struct ParsedCommitteePage {
  CommitteePage page;
  std::vector<FilterError> errors;  // empty when the page can be shown
};

/// Reads a committee page's query parameters: page, page_size (as the register reads them); other
/// parameters are ignored. Throws nothing.
ParsedCommitteePage parse_committee_page(const std::multimap<std::string, std::string>& params,
                                         const RegisterPaging& paging = {});

struct PublicGiftFilter {
  std::optional<Id> committee_id;
  std::optional<Id> body_id;  // people whose home body this is
  std::optional<PersonKind> person_kind;
  std::optional<GiftKind> kind;
  std::string text;  // in name, source, organisation or description; case-insensitive
  int page = 1;
  int page_size = 50;
};

struct ParsedGiftFilter {
  PublicGiftFilter filter;
  std::vector<FilterError> errors;
};

/// Reads the gifts register's query parameters: committee, body, person_kind, kind, q, page, page_size.
/// Throws nothing.
ParsedGiftFilter parse_gift_filter(const std::multimap<std::string, std::string>& params,
                                   const RegisterPaging& paging = {});

}  // namespace probity
