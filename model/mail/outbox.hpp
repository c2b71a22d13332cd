#pragma once
// The outbox (migration 0009): messages are enqueued inside the transaction of the event that
// causes them and delivered later by the sender (server/mail/), so none is lost or sent twice.
// This header is the one way any area adds a message; the sender's claim/mark functions and the
// listings for governance live beside it.
#include <SQLiteCpp/SQLiteCpp.h>

#include <optional>
#include <string>

#include "model/base/timestamp.hpp"
#include "model/store/entities.hpp"

namespace probity {

/// A message ready to send: already rendered (subject, plain text and HTML parts).
struct OutgoingMail {
  std::string kind;                 // invitation, password_reset, reminder, escalation, digest, returned, agenda_flags
  std::string to_address;
  std::string to_name;
  std::optional<Id> person_id;      // whose timeline it belongs to
  std::string subject;
  std::string text_body;
  std::string html_body;
  std::string reason;               // why it was sent, in plain words
  std::optional<std::string> dedupe_key;  // same key enqueued twice: the second is ignored
};

/// Adds `mail` to the outbox, due now. Call it on the connection (and inside the transaction) of
/// the write that causes the message. Returns the new row's id, or nullopt when a message with
/// the same dedupe_key is already there (nothing is added). Throws SQLite::Exception.
std::optional<Id> enqueue_mail(SQLite::Database& db, const OutgoingMail& mail, Instant now);

}  // namespace probity
