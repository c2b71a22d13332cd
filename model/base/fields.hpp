#pragma once
// The one reader of submitted input. A form's fields, a JSON body's members, a query string's
// parameters and a bundle record's members all arrive as Fields (name → text); the readers below
// turn them into typed values and record a plain-English problem per wrong field, so a page, its
// API twin and an import say the same words for the same mistake.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/base/date.hpp"
#include "model/base/problems.hpp"

namespace probity {

// Declared here, defined with the enumerations' names in model/store/enums.hpp, which every
// caller of Fields::choice includes already: base/ stays below the store.
template <typename E>
constexpr std::optional<E> enum_from_string(std::string_view name);

/// Input that cannot be read at all (not a JSON object, a member of the wrong type, characters
/// this service does not accept): the whole submission is refused, not one field.
struct InputError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

class Fields {
 public:
  Fields() = default;
  explicit Fields(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  Fields(std::initializer_list<std::pair<const std::string, std::string>> values) : values_(values) {}

  /// A JSON object's members as text: strings trimmed, true/false as "yes"/"no", numbers as
  /// written, null as empty. Arrays and objects are refused unless named in `lists`, whose
  /// elements (whole numbers or strings) are joined with commas. Throws InputError for anything
  /// else, or for text with control characters or invalid UTF-8.
  static Fields from_json(const nlohmann::json& object, std::initializer_list<const char*> lists = {});

  /// The value with surrounding white space removed; empty when absent.
  std::string get(const std::string& name) const;
  /// The value exactly as sent; empty when absent.
  std::string raw(const std::string& name) const;
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  /// A checkbox or radio that is present with any non-empty value other than "false", "no", "0".
  bool checked(const std::string& name) const;
  void set(const std::string& name, std::string value) { values_[name] = std::move(value); }
  void erase(const std::string& name) { values_.erase(name); }
  bool empty() const { return values_.empty(); }
  const std::map<std::string, std::string>& all() const { return values_; }

  // --- typed readers: each records at most one problem for its field ---

  /// Text of at most `max` characters. Empty is a problem ("Enter …": `required`) only when
  /// `required` is given. The message for length is "<label> must be <max> characters or fewer".
  std::string text(const std::string& name, const std::string& label, std::size_t max, Problems& problems,
                   const std::string& required = "") const;
  /// A date written YYYY-MM-DD, in the years 1900 to 2200. `label` is lower case ("date the
  /// interest started"): "Enter the <label>" when required and empty, "<Label> must be a real date".
  std::optional<Date> date(const std::string& name, const std::string& label, Problems& problems, bool required) const;
  /// "yes"/"true" or "no"/"false"; anything else (or nothing) records `message`.
  std::optional<bool> yes_no(const std::string& name, const std::string& message, Problems& problems) const;
  /// A record id: 1 to 18 digits. Nullopt (no problem recorded) otherwise; the caller names the
  /// record in its own message.
  std::optional<std::int64_t> id(const std::string& name) const;
  /// Record ids joined with commas, as a JSON array of ids arrives: empty text is the empty list.
  /// Nullopt (no problem recorded) when any element is not an id as `id` reads one; the caller
  /// names the records in its own message.
  std::optional<std::vector<std::int64_t>> ids(const std::string& name) const;

  // --- readers of choices and numbers, with the caller's message ---

  /// The parameters of a query string named in `names` (others are ignored), as Fields. A
  /// parameter whose first value is empty is not set; one given more than once records "<name>
  /// was given more than once; give it once" and is not set either.
  static Fields from_query(const std::multimap<std::string, std::string>& params,
                           std::initializer_list<const char*> names, Problems& problems);
  /// A whole number from `min` to `max`, in digits with an optional leading minus. Nullopt with no
  /// problem when empty; anything else that is not such a number records `message`.
  std::optional<std::int64_t> whole_number(const std::string& name, std::int64_t min, std::int64_t max,
                                           const std::string& message, Problems& problems) const;
  /// One of `choices`, as its index. Nullopt with no problem when empty; any other value records
  /// `message`.
  std::optional<std::size_t> one_of(const std::string& name, std::initializer_list<std::string_view> choices,
                                    const std::string& message, Problems& problems) const;
  /// One of an enumeration's stable names (model/store/enums.hpp). Nullopt with no problem when empty;
  /// any other value records `message`.
  template <typename E>
  std::optional<E> choice(const std::string& name, const std::string& message, Problems& problems) const {
    const std::string v = get(name);
    if (v.empty()) return std::nullopt;
    if (auto e = enum_from_string<E>(v)) return e;
    problems.add(name, message);
    return std::nullopt;
  }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace probity
