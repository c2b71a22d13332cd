#include "model/mail/outbox.hpp"

namespace probity {

std::optional<Id> enqueue_mail(SQLite::Database& db, const OutgoingMail& mail, Instant now) {
  SQLite::Statement ins(db,
                        "INSERT INTO outbox(kind, dedupe_key, to_address, to_name, person_id, subject, text_body, html_body, "
                        "reason, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT(dedupe_key) DO NOTHING");
  const std::string at = iso_instant(now);
  ins.bind(1, mail.kind);
  if (mail.dedupe_key) ins.bind(2, *mail.dedupe_key); else ins.bind(2);
  ins.bind(3, mail.to_address);
  ins.bind(4, mail.to_name);
  if (mail.person_id) ins.bind(5, *mail.person_id); else ins.bind(5);
  ins.bind(6, mail.subject);
  ins.bind(7, mail.text_body);
  ins.bind(8, mail.html_body);
  ins.bind(9, mail.reason);
  ins.bind(10, at);
  ins.bind(11, at);
  if (ins.exec() == 0) return std::nullopt;
  return db.getLastInsertRowid();
}

}  // namespace probity
