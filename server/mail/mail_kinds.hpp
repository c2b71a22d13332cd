#pragma once
// The account and meeting messages: an invitation to a new account, a password-reset link, an
// entry returned to its member for correction, and a member's conflicts on a meeting's agenda.
// Each is composed (mail_compose.hpp) and added to the outbox on the connection, and inside the
// transaction, of the write that causes it, so that the message and its cause commit together.
// A kind switched off in the config enqueues nothing. docs/mail-messages.md says what each says.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <optional>
#include <string>

#include "model/accounts/user.hpp"
#include "model/accounts/user_store.hpp"
#include "model/base/timestamp.hpp"
#include "server/http/config.hpp"

namespace probity {

/// The invitation to a new account (or again, with a new link), with its one-time set-password
/// link, to the account's address. The outbox row's id; nullopt when invitations are switched
/// off. Throws SQLite::Exception.
std::optional<Id> enqueue_invitation(SQLite::Database& db, const Config& config, const User& account, const PasswordLink& link,
                                     std::chrono::seconds lifetime, Instant now);

/// A password-reset message with its one-time link, to the account's address. Nullopt when
/// password resets are switched off. Throws SQLite::Exception.
std::optional<Id> enqueue_password_reset(SQLite::Database& db, const Config& config, const User& account, const PasswordLink& link,
                                         std::chrono::seconds lifetime, Instant now);

/// Tells the member whose declaration (`kind` interest, gift or nil_return, `id`) governance
/// has just returned which entry it is, governance's comment, and where to change it. Nullopt
/// when the kind is switched off or the member has no email address. Throws SQLite::Exception.
std::optional<Id> enqueue_returned(SQLite::Database& db, const Config& config, const std::string& kind, Id id,
                                   const std::string& comment, Instant now);

/// What issuing a meeting's agenda sent.
struct AgendaNotices {
  int enqueued = 0;         // messages added now
  int already_sent = 0;     // people flagged exactly as when the agenda was last issued
  int without_address = 0;  // flagged people with no email address (the chair's brief still lists them)
};

/// Issues the agenda's conflict notices: one message to each person expected at the meeting who
/// is flagged on one or more of its items, listing those items with the reasons and suggested
/// action the chair's brief gives (a flag resting on withheld entries worded as for the chair,
/// without their details), and nobody else's flags. Issued again, a person gets a new message
/// only when their flags changed. Nullopt for no such meeting; all zero when the kind is
/// switched off. Throws SQLite::Exception.
std::optional<AgendaNotices> enqueue_agenda_flags(SQLite::Database& db, const Config& config, Id meeting_id, Instant now);

}  // namespace probity
