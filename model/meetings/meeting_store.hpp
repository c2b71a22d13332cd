#pragma once
// Meetings, who attends them, and their agenda items.
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

class AttendanceStore : public VersionedStore<Attendance> {
 public:
  using VersionedStore::VersionedStore;
  std::vector<Attendance> for_meeting(Id meeting_id) const {
    return select("WHERE meeting_id = ?", [&](SQLite::Statement& s) { s.bind(1, meeting_id); });
  }
  std::optional<Attendance> find_by_key(Id meeting_id, Id person_id) const {
    auto rows = select("WHERE meeting_id = ? AND person_id = ?", [&](SQLite::Statement& s) {
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
  /// The meeting's agenda: its items in agenda order, without those withdrawn.
  std::vector<AgendaItem> for_meeting(Id meeting_id) const { return in_order("WHERE meeting_id = ? AND withdrawn = 0", meeting_id); }
  /// Every item ever placed on the meeting's agenda, withdrawn ones included.
  std::vector<AgendaItem> ever_on_agenda(Id meeting_id) const { return in_order("WHERE meeting_id = ?", meeting_id); }

 private:
  std::vector<AgendaItem> in_order(const char* where, Id meeting_id) const {
    auto items = select(where, [&](SQLite::Statement& s) { s.bind(1, meeting_id); });
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
      return a.position != b.position ? a.position < b.position : a.id < b.id;
    });
    return items;
  }
};

}  // namespace probity
