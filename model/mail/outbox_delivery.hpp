#pragma once
// The sender's side of the outbox (model/mail/outbox.hpp enqueues): claim due rows, then mark
// each sent, retried later, or failed. A claim is one UPDATE committed before anything is sent,
// so two senders (threads or processes on one database file) never hold the same row; a claim
// lapses at `claimed_until`, after which another sender may take the row over (the first one
// crashed). Marks only succeed for the sender that holds the claim.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "model/base/timestamp.hpp"
#include "model/mail/retry_policy.hpp"
#include "model/store/entities.hpp"

namespace probity {

/// An outbox row as the sender and the governance pages read it.
struct OutboxMessage {
  Id id = 0;
  std::string kind;
  std::string to_address;
  std::string to_name;
  std::optional<Id> person_id;
  std::string subject;
  std::string text_body;
  std::string html_body;
  std::string reason;
  std::string created_at;
  std::string status;  // pending, sending, sent, failed
  int attempts = 0;
  std::string next_attempt_at;
  std::optional<std::string> claimed_until;
  std::string last_error;
  std::optional<std::string> sent_at;
};

/// Claims at most `limit` due rows for `sender` (a pending row whose next_attempt_at has come, or
/// a sending row whose claim lapsed), oldest due first: status sending, attempts + 1, claimed
/// until now + `lease`. Commits before returning (its own BEGIN IMMEDIATE transaction, so `db`
/// must not be inside one). Throws SQLite::Exception.
std::vector<OutboxMessage> claim_due_mail(SQLite::Database& db, const std::string& sender, int limit, Instant now,
                                          std::chrono::seconds lease);

/// Marks a claimed row sent at `now`. False (nothing changed) when `sender` no longer holds the
/// claim. Throws SQLite::Exception.
bool mark_mail_sent(SQLite::Database& db, Id id, const std::string& sender, Instant now);

/// Records a failed attempt on a claimed row: back to pending with the next attempt time, or
/// failed for good (after_failure in retry_policy.hpp decides). `error` is kept as last_error.
/// False when `sender` no longer holds the claim. Throws SQLite::Exception.
bool mark_mail_failed(SQLite::Database& db, Id id, const std::string& sender, const std::string& error, bool permanent,
                      const RetryPolicy& policy, Instant now);

/// Gives back the rows `sender` still holds (a sender stopping between messages): pending again,
/// due at once, the attempt not counted. Returns how many. Throws SQLite::Exception.
int release_mail_claims(SQLite::Database& db, const std::string& sender);

/// A row by id. Throws SQLite::Exception.
std::optional<OutboxMessage> find_outbox_message(SQLite::Database& db, Id id);

struct OutboxPage {
  std::vector<OutboxMessage> messages;  // newest first
  long long total = 0;                  // rows matching the filter
};

/// The outbox for governance, newest first: `page` (from 1) of `page_size` rows, only those of
/// `status` when given, and only those `people` (an SQL condition on the row's person_id, from
/// GovernanceScope::person_filter: "1" for all) allows. Throws SQLite::Exception.
OutboxPage list_outbox(SQLite::Database& db, const std::optional<std::string>& status, int page, int page_size,
                       const std::string& people = "1");

/// How many rows each status has (every status present, 0 when none), of those `people` allows.
/// Throws SQLite::Exception.
std::vector<std::pair<std::string, long long>> outbox_counts(SQLite::Database& db, const std::string& people = "1");

/// One person's messages, newest first, at most `limit`. Throws SQLite::Exception.
std::vector<OutboxMessage> person_outbox(SQLite::Database& db, Id person_id, int limit);

/// The statuses a row may have, in the order the pages show them.
inline const std::vector<std::string>& outbox_statuses() {
  static const std::vector<std::string> s = {"pending", "sending", "sent", "failed"};
  return s;
}

}  // namespace probity
