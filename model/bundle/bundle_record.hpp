#pragma once
// One record of a bundle, a JSON object at a path such as "people[3]", read member by member.
// Bundles keep their JSON types (text is a string, a flag true or false, a count a number): each
// member's type is checked here, then its value is read by the Fields readers and the text
// limits every other input uses, and each problem becomes a BundleError at the member's path.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/bundle/bundle.hpp"
#include "model/base/date.hpp"
#include "model/store/enums.hpp"
#include "model/base/fields.hpp"

namespace probity {

/// A reference from one record to another by its ref, kept with where it was written so that a
/// ref that names nothing is reported at the right path.
struct BundleLink {
  std::string kind;  // the list it refers into: "organisations", "people", ...
  std::string ref;
  std::string path;
};

/// The name of one of a list's records in messages: "organisation", "person", "nil return"...
std::string bundle_singular(const std::string& kind);

class BundleRecord {
 public:
  /// `object` is a JSON object that outlives the record; `path` is empty for the whole bundle.
  BundleRecord(const nlohmann::json& object, std::string path, std::vector<BundleError>& errors);

  const std::string& path() const { return path_; }
  /// The path of member `key`: "people[3].name" (plain "people" in the whole bundle).
  std::string at(const std::string& key) const;
  void error(const std::string& key, std::string message) const;
  /// Records "unknown field" for each member not named in `allowed`.
  void only(std::initializer_list<const char*> allowed) const;
  /// The member is given and not null.
  bool present(const std::string& key) const;

  /// A string of at most `max` characters; absent or blank is a problem when `required`.
  std::string text(const std::string& key, bool required, std::size_t max) const;
  /// The record's own ref: required, at most 100 characters.
  std::string ref() const;
  /// true or false; `fallback` when absent.
  bool flag(const std::string& key, bool fallback) const;
  /// A whole number from `min` to `max`; `fallback` when absent or wrong.
  int whole_number(const std::string& key, int fallback, int min, int max) const;
  /// A date written YYYY-MM-DD.
  std::optional<Date> date(const std::string& key, bool required) const;
  /// An amount of money: pounds as a string like "45.00", never negative. Absent is "required".
  std::optional<std::int64_t> pence(const std::string& key) const;
  /// One of the enumeration's stable names; absent is "required" unless there is a fallback.
  template <typename E>
  E choice(const std::string& key, std::optional<E> fallback) const;
  /// The ref of a record in list `kind` (in the file or the database; resolved later).
  std::optional<BundleLink> link(const std::string& key, const std::string& kind, bool required) const;
  /// The refs, in list `kind`, of array member `key`.
  std::vector<BundleLink> links(const std::string& key, const std::string& kind) const;

  /// Object member `key` whose members are all strings, as a map; empty when absent. Anything
  /// else is a problem ("must be an object of text", "<member> must be a string").
  std::map<std::string, std::string> text_map(const std::string& key) const;
  /// Object member `key` as a record; nullopt when absent or not an object ("must be an object").
  std::optional<BundleRecord> object(const std::string& key) const;
  /// Calls `read(record, index)` for each element of array member `key` that is an object (other
  /// elements are "must be an object"); nothing when the member is absent or not an array.
  template <typename Read>
  void each(const std::string& key, Read&& read) const;

 private:
  const nlohmann::json* list(const std::string& key) const;
  std::string element_path(const std::string& key, std::size_t index) const;

  const nlohmann::json& object_;
  Fields fields_;  // the record's strings and numbers as text, for the shared readers
  std::string path_;
  std::vector<BundleError>& errors_;
};

template <typename E>
E BundleRecord::choice(const std::string& key, std::optional<E> fallback) const {
  if (!present(key)) {
    if (!fallback) error(key, "required");
    return fallback.value_or(E{});
  }
  const nlohmann::json& v = object_.at(key);
  const std::string expected = " (expected one of " + enum_choices<E>() + ")";
  if (!v.is_string()) {
    error(key, "must be a string" + expected);
    return fallback.value_or(E{});
  }
  const std::string message = "unknown value \"" + fields_.raw(key) + "\"" + expected;
  Problems problems;
  if (auto e = fields_.choice<E>(key, message, problems)) return *e;
  error(key, message);  // also for "", which Fields reads as not given
  return fallback.value_or(E{});
}

template <typename Read>
void BundleRecord::each(const std::string& key, Read&& read) const {
  const nlohmann::json* items = list(key);
  if (!items) return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string path = element_path(key, i);
    if (!(*items)[i].is_object()) {
      errors_.push_back({std::move(path), "must be an object"});
      continue;
    }
    read(BundleRecord((*items)[i], std::move(path), errors_), i);
  }
}

}  // namespace probity
