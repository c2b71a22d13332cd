#include "model/mail/outbox_delivery.hpp"

#include <algorithm>
#include <regex>

#include "model/store/database.hpp"

namespace probity {
namespace {

constexpr const char* kColumns =
    "id, kind, to_address, to_name, person_id, subject, text_body, html_body, reason, created_at, status, attempts, "
    "next_attempt_at, claimed_until, last_error, sent_at";

OutboxMessage read_row(SQLite::Statement& q) {
  OutboxMessage m;
  m.id = q.getColumn(0).getInt64();
  m.kind = q.getColumn(1).getString();
  m.to_address = q.getColumn(2).getString();
  m.to_name = q.getColumn(3).getString();
  if (!q.getColumn(4).isNull()) m.person_id = q.getColumn(4).getInt64();
  m.subject = q.getColumn(5).getString();
  m.text_body = q.getColumn(6).getString();
  m.html_body = q.getColumn(7).getString();
  m.reason = q.getColumn(8).getString();
  m.created_at = q.getColumn(9).getString();
  m.status = q.getColumn(10).getString();
  m.attempts = q.getColumn(11).getInt();
  m.next_attempt_at = q.getColumn(12).getString();
  if (!q.getColumn(13).isNull()) m.claimed_until = q.getColumn(13).getString();
  m.last_error = q.getColumn(14).getString();
  if (!q.getColumn(15).isNull()) m.sent_at = q.getColumn(15).getString();
  return m;
}

}  // namespace

std::vector<OutboxMessage> claim_due_mail(SQLite::Database& db, const std::string& sender, int limit, Instant now,
                                          std::chrono::seconds lease) {
  std::vector<OutboxMessage> claimed;
  {
    // Most passes find nothing due: a read answers that without taking the write lock, which the
    // server's group-commit writer would otherwise wait for every few seconds.
    SQLite::Statement due(db, "SELECT 1 FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ?1) OR "
                              "(status = 'sending' AND claimed_until <= ?1) LIMIT 1");
    due.bind(1, iso_instant(now));
    if (!due.executeStep()) return claimed;
  }
  WriteTransaction tx(db);
  {
    // One statement decides and claims: under the write lock no other sender can claim between
    // the choice of rows and the update.
    SQLite::Statement q(db, std::string("UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_until = ?1, "
                                        "claimed_by = ?2 WHERE id IN (SELECT id FROM outbox WHERE "
                                        "(status = 'pending' AND next_attempt_at <= ?3) OR "
                                        "(status = 'sending' AND claimed_until <= ?3) "
                                        "ORDER BY next_attempt_at, id LIMIT ?4) RETURNING ") +
                                kColumns);
    q.bind(1, iso_instant(now + lease));
    q.bind(2, sender);
    q.bind(3, iso_instant(now));
    q.bind(4, limit);
    while (q.executeStep()) claimed.push_back(read_row(q));
  }
  tx.commit();
  std::sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return claimed;
}

namespace {

// A set-password link (an invitation or a reset) works once and is kept nowhere else in clear:
// once its message is sent, or has failed for good, the outbox's copy is cut out of the text, so
// a copy of the database or a backup holds no working link.
void forget_one_time_links(SQLite::Database& db, Id id) {
  static const std::regex link(R"((/set-password/)[0-9A-Za-z_-]{16,200})");
  SQLite::Statement read(db, "SELECT text_body, html_body FROM outbox WHERE id = ?");
  read.bind(1, id);
  if (!read.executeStep()) return;
  const std::string text = read.getColumn(0).getString();
  const std::string html = read.getColumn(1).getString();
  const std::string text_after = std::regex_replace(text, link, "$1(link removed once sent)");
  const std::string html_after = std::regex_replace(html, link, "$1(link removed once sent)");
  if (text_after == text && html_after == html) return;
  SQLite::Statement q(db, "UPDATE outbox SET text_body = ?, html_body = ? WHERE id = ?");
  q.bind(1, text_after);
  q.bind(2, html_after);
  q.bind(3, id);
  q.exec();
}

}  // namespace

bool mark_mail_sent(SQLite::Database& db, Id id, const std::string& sender, Instant now) {
  AtomicWrite tx(db);
  SQLite::Statement q(db, "UPDATE outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, claimed_by = NULL, "
                          "last_error = '' WHERE id = ? AND status = 'sending' AND claimed_by = ?");
  q.bind(1, iso_instant(now));
  q.bind(2, id);
  q.bind(3, sender);
  const bool changed = q.exec() == 1;
  if (changed) forget_one_time_links(db, id);
  tx.commit();
  return changed;
}

bool mark_mail_failed(SQLite::Database& db, Id id, const std::string& sender, const std::string& error, bool permanent,
                      const RetryPolicy& policy, Instant now) {
  AtomicWrite tx(db);
  SQLite::Statement read(db, "SELECT attempts FROM outbox WHERE id = ? AND status = 'sending' AND claimed_by = ?");
  read.bind(1, id);
  read.bind(2, sender);
  if (!read.executeStep()) return false;
  const auto decision = after_failure(policy, read.getColumn(0).getInt(), permanent, now);
  SQLite::Statement q(db, "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?, claimed_until = NULL, "
                          "claimed_by = NULL WHERE id = ? AND status = 'sending' AND claimed_by = ?");
  q.bind(1, decision.give_up ? "failed" : "pending");
  q.bind(2, iso_instant(decision.give_up ? now : decision.next_attempt_at));
  q.bind(3, error);
  q.bind(4, id);
  q.bind(5, sender);
  const bool changed = q.exec() == 1;
  if (changed && decision.give_up) forget_one_time_links(db, id);
  tx.commit();
  return changed;
}

int release_mail_claims(SQLite::Database& db, const std::string& sender) {
  SQLite::Statement q(db, "UPDATE outbox SET status = 'pending', attempts = max(attempts - 1, 0), claimed_until = NULL, "
                          "claimed_by = NULL WHERE status = 'sending' AND claimed_by = ?");
  q.bind(1, sender);
  return q.exec();
}

std::optional<OutboxMessage> find_outbox_message(SQLite::Database& db, Id id) {
  SQLite::Statement q(db, std::string("SELECT ") + kColumns + " FROM outbox WHERE id = ?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_row(q);
}

OutboxPage list_outbox(SQLite::Database& db, const std::optional<std::string>& status, int page, int page_size,
                       const std::string& people) {
  OutboxPage out;
  const std::string where = std::string(status ? " WHERE status = ?1" : " WHERE ?1 IS NULL") + " AND (" + people + ")";
  SQLite::Statement count(db, "SELECT count(*) FROM outbox" + where);
  if (status) count.bind(1, *status); else count.bind(1);
  count.executeStep();
  out.total = count.getColumn(0).getInt64();
  SQLite::Statement q(db, std::string("SELECT ") + kColumns + " FROM outbox" + where + " ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  if (status) q.bind(1, *status); else q.bind(1);
  q.bind(2, page_size);
  q.bind(3, static_cast<int64_t>(std::max(page, 1) - 1) * page_size);
  while (q.executeStep()) out.messages.push_back(read_row(q));
  return out;
}

std::vector<std::pair<std::string, long long>> outbox_counts(SQLite::Database& db, const std::string& people) {
  std::vector<std::pair<std::string, long long>> out;
  for (const auto& s : outbox_statuses()) out.emplace_back(s, 0);
  SQLite::Statement q(db, "SELECT status, count(*) FROM outbox WHERE (" + people + ") GROUP BY status");
  while (q.executeStep())
    for (auto& [name, n] : out)
      if (name == q.getColumn(0).getString()) n = q.getColumn(1).getInt64();
  return out;
}

std::vector<OutboxMessage> person_outbox(SQLite::Database& db, Id person_id, int limit) {
  std::vector<OutboxMessage> out;
  SQLite::Statement q(db, std::string("SELECT ") + kColumns + " FROM outbox WHERE person_id = ? ORDER BY id DESC LIMIT ?");
  q.bind(1, person_id);
  q.bind(2, limit);
  while (q.executeStep()) out.push_back(read_row(q));
  return out;
}

}  // namespace probity
