#pragma once
// The annual assurance report for the audit committee: for one declaration year, how the body
// kept its conflicts duties (the annual declaration, late declarations, breaches and what came of
// them, meetings' conflicts and how each was managed, procurement decisions, withheld entries,
// gifts and hospitality) and an extract of the register for the annual report.
//
// Reproducible from the audit trail: every record is versioned and append-only, and the report
// reads only the versions recorded at or before one instant (`as_of`). Given the same year and
// instant, it gives the same figures whatever is recorded afterwards, so the report a committee
// received can be produced again, and compared with a later one.
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "model/base/date.hpp"
#include "model/register/declaration_year.hpp"
#include "model/register/publication_rules.hpp"
#include "model/store/entities.hpp"

namespace probity {

/// While alive, makes every `*_current` view on `db` show each record as it stood at `as_of`
/// (an ISO instant such as 2027-03-31T23:59:59Z): the latest version recorded at or before it,
/// and nothing created later. Temporary views on this connection only, dropped by the
/// destructor; other connections see the present. Throws std::invalid_argument for an instant
/// that is not ISO 8601 UTC with seconds, std::logic_error when a `*_current` view is not of the
/// versioned-store shape (a new one must be, or the report would read it in the present), and
/// SQLite::Exception.
class RecordedAsOf {
 public:
  RecordedAsOf(SQLite::Database& db, const std::string& as_of);
  ~RecordedAsOf();
  RecordedAsOf(const RecordedAsOf&) = delete;
  RecordedAsOf& operator=(const RecordedAsOf&) = delete;

 private:
  void drop() noexcept;
  SQLite::Database& db_;
  std::vector<std::string> views_;
};

/// A count with its code and the words people read.
struct AssuranceCount {
  std::string code;
  std::string label;
  int count = 0;
  bool operator==(const AssuranceCount&) const = default;
};

struct AssuranceGifts {
  std::string kind;     // gift, hospitality
  std::string outcome;  // accepted, declined
  int count = 0;
  long long value_pence = 0;
  int from_suppliers = 0;
  bool operator==(const AssuranceGifts&) const = default;
};

/// One entry of the register extract: the public register's words, withheld entries as such.
struct AssuranceExtractRow {
  Id interest_id = 0;
  Id person_id = 0;
  std::string name;
  std::string category;  // code; empty when withheld
  std::string organisation;
  std::string nature;
  std::optional<Date> from;
  std::optional<Date> to;
  bool withheld = false;
  bool operator==(const AssuranceExtractRow&) const = default;
};

struct AssuranceReport {
  Date year_start;
  Date year_end;
  std::string as_of;  // the instant the records are read as they stood
  Date on;            // the day the year's states are taken: the year's last day, or as_of's day if earlier

  // The annual declaration, for everyone in post on `on`.
  int people_in_post = 0;
  int confirmed = 0;        // an annual confirmation or a nil return in the year
  int not_confirmed = 0;
  std::vector<std::string> not_confirmed_names;
  int late_declarations = 0;  // declared in the year, more than the allowed days after the event
  int nil_contradictions = 0;

  // Breaches of the year (by the day they happened, or their meeting's day).
  int breaches = 0;
  std::vector<AssuranceCount> breaches_by_kind;
  std::vector<AssuranceCount> breaches_by_outcome;

  // Meetings held in the year and how conflicts were managed.
  int meetings_held = 0;
  int conflict_decisions = 0;
  std::vector<AssuranceCount> decisions_by_action;
  int items_remedied = 0;  // items inquorate once conflicts were excluded, and what was done
  std::vector<AssuranceCount> remedies;

  // Procurement decisions taken in the year.
  int procurement_decisions = 0;
  int procurement_published = 0;
  int procurement_with_conflicts = 0;
  std::vector<AssuranceCount> procurement_conflicts_by_action;  // the chairs' decisions on their items

  // Withheld entries in force at some time in the year (counts only).
  int withheld_entries = 0;
  int people_with_withheld_entries = 0;

  std::vector<AssuranceGifts> gifts;  // offered in the year, by kind and outcome

  std::vector<AssuranceExtractRow> extract;  // entries in force at some time in the year
};

/// The report for the declaration year starting `year_start`, from the records as recorded at
/// `as_of` (see RecordedAsOf). Throws std::invalid_argument for a malformed `as_of`, and
/// SQLite::Exception.
AssuranceReport build_assurance_report(SQLite::Database& db, const Date& year_start, const std::string& as_of,
                                       const YearRules& rules, const PublicationRules& publication);

/// The instant a year's report is read at by default: the end of the year's last day (UTC), or
/// `now` when that has not come yet.
std::string default_as_of(const Date& year_end, const std::string& now);

}  // namespace probity
