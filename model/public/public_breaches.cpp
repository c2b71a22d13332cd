#include "model/public/public_breaches.hpp"

#include <algorithm>

#include "model/meetings/meeting_record_store.hpp"
#include "model/public/csv.hpp"
#include "model/public/register_labels.hpp"

namespace probity {

PublicBreach public_view(const Breach& b) {
  PublicBreach p;
  p.ref = b.ref;
  p.kind = b.kind;
  if (b.happened_on) {
    p.year = b.happened_on->year();
    p.month = static_cast<int>(b.happened_on->month());
  }
  p.found_by = b.found_by;
  p.summary = b.public_summary;
  p.action = b.public_action;
  p.lessons = b.public_lessons;
  return p;
}

std::vector<PublicBreach> public_breaches(SQLite::Database& db) {
  std::vector<PublicBreach> out;
  for (const auto& b : BreachStore(db).with_status(BreachStatus::signed_off)) out.push_back(public_view(b));
  std::stable_sort(out.begin(), out.end(), [](const PublicBreach& a, const PublicBreach& b) {
    return a.year != b.year ? a.year > b.year : a.month > b.month;
  });
  return out;
}

std::optional<std::string> breaches_last_recorded(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT MAX(recorded_at) FROM breach_versions");
  if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
  return q.getColumn(0).getString();
}

std::string month_year_text(int year, int month) {
  static constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                            "July",    "August",   "September", "October", "November", "December"};
  if (month < 1 || month > 12 || year <= 0) return "";
  return std::string(kMonths[month - 1]) + " " + std::to_string(year);
}

namespace {
std::string breach_label(std::string_view code) { return std::string(code_label("", code).value_or(code)); }
std::string month_iso(const PublicBreach& b) {
  if (b.year <= 0) return "";
  return std::to_string(b.year) + (b.month < 10 ? "-0" : "-") + std::to_string(b.month);
}
}  // namespace

void to_json(nlohmann::json& j, const PublicBreach& b) {
  j = {{"ref", b.ref},
       {"kind", std::string(to_string(b.kind))},
       {"kind_label", breach_label(to_string(b.kind))},
       {"happened_in", month_iso(b)},
       {"happened_in_text", month_year_text(b.year, b.month)},
       {"found_by", std::string(to_string(b.found_by))},
       {"found_by_label", breach_label(to_string(b.found_by))},
       {"summary", b.summary},
       {"action", b.action},
       {"lessons", b.lessons}};
}

std::string breaches_csv(const std::vector<PublicBreach>& rows) {
  std::vector<std::vector<std::string>> records;
  for (const auto& b : rows)
    records.push_back({b.ref, breach_label(to_string(b.kind)), month_iso(b), breach_label(to_string(b.found_by)), b.summary,
                       b.action, b.lessons});
  return csv_document({"Reference", "Kind of breach", "Month it happened", "How it was found", "What happened", "Action taken",
                       "Lessons learned"},
                      records);
}

}  // namespace probity
