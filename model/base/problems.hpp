#pragma once
// What is wrong with something submitted, field by field, and what an action did. Every check and
// action in model/ answers with these; server/ shows them as the NHS error summary on pages and as
// the `details` of a 422 in the API. Messages are plain English and say what to do.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace probity {

/// One thing wrong with what was submitted: the field (as named in forms and the API) and a
/// plain-English message that says what to do.
struct FieldProblem {
  std::string field;
  std::string message;
  bool operator==(const FieldProblem&) const = default;
};

/// The problems with one submission, at most one per field, in the order they were found (or
/// put in page order with `ordered`).
class Problems {
 public:
  Problems() = default;
  Problems(std::initializer_list<FieldProblem> problems);
  /// Records the first problem for `field` (later ones for the same field are ignored).
  void add(const std::string& field, const std::string& message);
  void add(const FieldProblem& problem) { add(problem.field, problem.message); }
  void add_all(const std::vector<FieldProblem>& problems);
  void add_all(const Problems& problems) { add_all(problems.list()); }
  bool empty() const { return list_.empty(); }
  bool has(const std::string& field) const;
  /// The message for `field`; empty when it has none.
  std::string message(const std::string& field) const;
  const std::vector<FieldProblem>& list() const { return list_; }
  /// The same problems with the fields named in `order` first, in that order (the order they
  /// appear on the page, for the error summary), then the others as found.
  Problems ordered(const std::vector<std::string>& order) const;
  /// {"field": message}, the API's error details.
  nlohmann::json details() const;
  bool operator==(const Problems&) const = default;

 private:
  std::vector<FieldProblem> list_;
};

/// What an action did: the saved record, or the problems (and nothing written).
template <typename T>
struct Result {
  std::optional<T> saved;
  Problems problems;
  bool ok() const { return problems.empty(); }
};

}  // namespace probity
