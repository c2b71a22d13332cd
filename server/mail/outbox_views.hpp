#pragma once
// What the Outbox pages and their JSON show: the outbox for governance (filtered by status,
// paged), one message, and a person's mail timeline for other pages to include.
#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/mail/outbox_delivery.hpp"
#include "model/store/entities.hpp"

namespace probity {

inline constexpr int kOutboxPageSize = 50;

/// A kind of message in words, e.g. "Reminder to declare". Does not throw.
std::string mail_kind_in_words(const std::string& kind);
/// A status in words ("Waiting to send", "Will try again", "Sending", "Sent", "Failed"). Does not throw.
std::string mail_status_in_words(const OutboxMessage& m);

/// One message as JSON (the API's shape), without its bodies unless `with_bodies`.
nlohmann::json outbox_message_json(const OutboxMessage& m, bool with_bodies);

/// The API's list: {"messages", "total", "page", "pages", "status"}. Throws SQLite::Exception.
nlohmann::json outbox_list_json(SQLite::Database& db, const std::optional<std::string>& status, int page,
                                const std::string& people = "1");

/// The Outbox page's data (template outbox): filter links with counts, the table, pagination.
/// Throws SQLite::Exception.
nlohmann::json outbox_page_view(SQLite::Database& db, const std::optional<std::string>& status, int page,
                                const std::string& people = "1");

/// One message's page data (template outbox_message). Throws SQLite::Exception.
nlohmann::json outbox_message_view(const OutboxMessage& m);

/// A person's mail timeline, newest first (at most `limit`): a list of {"date", "kind",
/// "subject", "status", "failed", "href"} for any page that shows a person. Throws SQLite::Exception.
nlohmann::json person_mail_timeline(SQLite::Database& db, Id person_id, int limit = 50);

}  // namespace probity
