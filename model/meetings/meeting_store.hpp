#pragma once
// Meetings, who attends them, and their agenda items.
//
// Committees in common: a meeting with `in_common_with` set shares its lead meeting's
// agenda and attendance, so the reads below resolve a follower's id to its lead's (one level: a
// lead is never itself a follower). Everything else recorded at a meeting (co-opted members,
// decisions, declarations, outcomes, movements, minutes) stays each committee's own. The `own_*`
// reads do not resolve: the bundle writes and reads rows exactly where they are stored.
#include <algorithm>

#include "model/store/versioned_store.hpp"

namespace probity {

class MeetingStore : public VersionedStore<Meeting> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<Meeting> for_committee(Id committee_id) const {
    return select("WHERE committee_id = ?", [&](SQLite::Statement& s) { s.bind(1, committee_id); });
  }
};

/// The meeting whose agenda and attendance `m` uses: its lead for a meeting of committees in
/// common, else itself.
inline Id agenda_meeting_id(const Meeting& m) { return m.in_common_with.value_or(m.id); }

/// The meetings of committees in common with `m`: its lead (or itself when it leads) first, then
/// every meeting following that lead, in id order. Just `m` for a meeting of its own. Throws
/// SQLite::Exception if the database fails.
inline std::vector<Meeting> in_common_group(SQLite::Database& db, const Meeting& m) {
  MeetingStore store(db);
  const Id lead_id = agenda_meeting_id(m);
  std::vector<Meeting> out;
  if (auto lead = lead_id == m.id ? std::optional<Meeting>(m) : store.find(lead_id)) out.push_back(*lead);
  for (auto& f : store.select("WHERE in_common_with = ?", [&](SQLite::Statement& s) { s.bind(1, lead_id); }))
    out.push_back(std::move(f));
  if (out.empty()) out.push_back(m);
  return out;
}

// SQL for the id of the meeting whose agenda and attendance the meeting bound here uses.
inline constexpr const char* kAgendaMeetingOf = "(SELECT COALESCE(in_common_with, id) FROM meeting_current WHERE id = ?)";

class AttendanceStore : public VersionedStore<Attendance> {
 public:
  using VersionedStore::VersionedStore;
  /// Who attends the meeting (its lead's list, for a meeting of committees in common).
  std::vector<Attendance> for_meeting(Id meeting_id) const {
    return select(std::string("WHERE meeting_id = ") + kAgendaMeetingOf, [&](SQLite::Statement& s) { s.bind(1, meeting_id); });
  }
  /// The rows stored with this very meeting (no resolving to a lead).
  std::vector<Attendance> own_for_meeting(Id meeting_id) const {
    return select("WHERE meeting_id = ?", [&](SQLite::Statement& s) { s.bind(1, meeting_id); });
  }
  /// One person's row on the meeting's list (its lead's, for a meeting of committees in common).
  std::optional<Attendance> find_by_key(Id meeting_id, Id person_id) const {
    auto rows = select(std::string("WHERE meeting_id = ") + kAgendaMeetingOf + " AND person_id = ?", [&](SQLite::Statement& s) {
      s.bind(1, meeting_id);
      s.bind(2, person_id);
    });
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }
};

class AgendaItemStore : public VersionedStore<AgendaItem> {
 public:
  using VersionedStore::VersionedStore;
  /// The meeting's agenda: its items in agenda order, without those withdrawn (its lead's, for a
  /// meeting of committees in common).
  std::vector<AgendaItem> for_meeting(Id meeting_id) const {
    return in_order(std::string("WHERE meeting_id = ") + kAgendaMeetingOf + " AND withdrawn = 0", meeting_id);
  }
  /// Every item ever placed on the meeting's agenda, withdrawn ones included (its lead's, likewise).
  std::vector<AgendaItem> ever_on_agenda(Id meeting_id) const { return in_order(std::string("WHERE meeting_id = ") + kAgendaMeetingOf, meeting_id); }
  /// The items stored with this very meeting, not withdrawn (no resolving to a lead).
  std::vector<AgendaItem> own_for_meeting(Id meeting_id) const { return in_order("WHERE meeting_id = ? AND withdrawn = 0", meeting_id); }

 private:
  std::vector<AgendaItem> in_order(const std::string& where, Id meeting_id) const {
    auto items = select(where, [&](SQLite::Statement& s) { s.bind(1, meeting_id); });
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
      return a.position != b.position ? a.position < b.position : a.id < b.id;
    });
    return items;
  }
};

}  // namespace probity
