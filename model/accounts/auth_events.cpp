#include "model/accounts/auth_events.hpp"

namespace probity {
namespace {

constexpr const char* kEventColumns = "id, at, event, user_id, email, actor, source, detail";

AuthEvent read_event(SQLite::Statement& q) {
  AuthEvent e;
  e.id = q.getColumn(0).getInt64();
  e.at = q.getColumn(1).getString();
  e.kind = enum_from_db<AuthEventKind>(q.getColumn(2).getString());
  if (!q.getColumn(3).isNull()) e.user_id = q.getColumn(3).getInt64();
  e.email = q.getColumn(4).getString();
  e.actor = q.getColumn(5).getString();
  e.source = q.getColumn(6).getString();
  e.detail = q.getColumn(7).getString();
  return e;
}

}  // namespace

void AuthEventLog::log(AuthEventKind kind, std::optional<Id> user_id, std::string_view email, std::string_view actor,
                       std::string_view source, std::string_view detail, Instant now) {
  SQLite::Statement ins(db_, "INSERT INTO auth_events(at, event, user_id, email, actor, source, detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, iso_instant(now));
  ins.bind(2, std::string(to_string(kind)));
  if (user_id) ins.bind(3, *user_id); else ins.bind(3);
  ins.bind(4, std::string(email));
  ins.bind(5, std::string(actor));
  ins.bind(6, std::string(source));
  ins.bind(7, std::string(detail));
  ins.exec();
}

std::vector<AuthEvent> AuthEventLog::events_for_user(Id user_id) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kEventColumns + " FROM auth_events WHERE user_id = ? ORDER BY id");
  q.bind(1, user_id);
  std::vector<AuthEvent> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

std::vector<AuthEvent> AuthEventLog::recent_events(int limit) const {
  SQLite::Statement q(db_, std::string("SELECT ") + kEventColumns + " FROM auth_events ORDER BY id DESC LIMIT ?");
  q.bind(1, limit);
  std::vector<AuthEvent> out;
  while (q.executeStep()) out.push_back(read_event(q));
  return out;
}

}  // namespace probity
