#pragma once
// What single sign-on keeps (migration 0011_oidc.sql): the identities linking accounts to an
// OpenID provider's subject (issuer + sub), the sign-ins under way (state, nonce and PKCE
// verifier, bound to one browser, single use, short-lived), and governance's on/off for each
// provider. Every time-dependent call takes `now`. No network and no HTTP here.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/base/timestamp.hpp"
#include "model/store/entities.hpp"

namespace probity {

struct Identity {
  Id id = 0;
  Id user_id = 0;
  std::string provider_id;
  std::string issuer;
  std::string subject;
  std::string email;
  std::string linked_at;
  std::optional<std::string> last_used_at;
};

class IdentityStore {
 public:
  explicit IdentityStore(SQLite::Database& db) : db_(db) {}

  /// The identity with this issuer and subject, if linked.
  std::optional<Identity> find(std::string_view issuer, std::string_view subject) const;
  /// An account's identities, oldest first.
  std::vector<Identity> for_user(Id user_id) const;
  /// Links (issuer, subject) to the account. Throws SQLite::Exception when either the identity
  /// or the account's identity at this issuer is already linked.
  Identity link(Id user_id, std::string_view provider_id, std::string_view issuer, std::string_view subject,
                std::string_view email, Instant now);
  /// Records a sign-in through the identity.
  void mark_used(Id identity_id, Instant now);
  /// Removes a link (governance, when a person's directory account was replaced); false if none.
  bool unlink(Id identity_id);

 private:
  SQLite::Database& db_;
};

/// A sign-in just started: what goes to the provider (state, nonce, the PKCE challenge) and
/// into the browser's cookie (browser_token). Only hashes of state and browser_token are kept.
struct StartedSignIn {
  std::string state;
  std::string nonce;
  std::string code_challenge;  // S256
  std::string browser_token;
  Instant expires_at;
};

/// A sign-in coming back, as it was started.
struct PendingSignIn {
  std::string provider_id;
  std::string nonce;
  std::string code_verifier;
  std::string redirect_uri;
  std::string next;
};

enum class PendingRefusal { none, unknown_state, other_browser, expired, already_used };

struct ConsumedSignIn {
  PendingRefusal refusal = PendingRefusal::unknown_state;
  std::optional<PendingSignIn> sign_in;  // set when refusal is none
};

class PendingSignIns {
 public:
  explicit PendingSignIns(SQLite::Database& db) : db_(db) {}

  /// Stores a new sign-in for `provider_id`, valid for `lifetime`. Throws std::runtime_error if
  /// the CSPRNG fails, SQLite::Exception if the database does.
  StartedSignIn start(std::string_view provider_id, std::string_view redirect_uri, std::string_view next, Instant now,
                      std::chrono::seconds lifetime);
  /// Uses up the sign-in with this state, when the same browser brings it back in time and it
  /// has not been used: single use even when two callbacks race (one write transaction).
  ConsumedSignIn consume(std::string_view state, std::string_view browser_token, Instant now);
  /// Deletes sign-ins past their expiry; returns how many.
  int purge_expired(Instant now);

 private:
  SQLite::Database& db_;
};

/// Governance's setting for a provider, if it has made one (otherwise the config file's holds).
std::optional<bool> provider_enabled_setting(SQLite::Database& db, std::string_view provider_id);
/// Records governance's setting for a provider, in the audit log too.
void set_provider_enabled(SQLite::Database& db, std::string_view provider_id, bool enabled, const std::string& actor, Instant now);

/// Plain words for a refusal, for the page and the security log.
std::string pending_refusal_text(PendingRefusal refusal);

}  // namespace probity
