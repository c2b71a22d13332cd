#pragma once
// Signing in with an identity an OpenID provider has vouched for (its ID token already checked,
// model/accounts/oidc_id_token.hpp): the account is found by the provider's stable subject
// (issuer + sub). The first time, it is linked by a verified email (never an unverified one,
// never the display name) that is an account's email or a register person's; a person on the
// register without an account gets a member account for that person. Anyone else gets no
// account. A disabled account, or a person who has left, is refused. Every outcome is logged in
// the security log (auth_events). Making the session is the caller's.
#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/accounts/user.hpp"
#include "model/base/timestamp.hpp"

namespace probity {

/// What the ID token said about the person, and which configured provider said it.
struct ProviderIdentity {
  std::string provider_id;    // the config's id, e.g. "nhsmail"
  std::string provider_name;  // for the log, e.g. "NHSmail"
  std::string issuer;
  std::string subject;
  std::string email;          // empty when the token has none
  bool email_verified = false;
};

/// A register person found by email, as the linking rules need it (the server looks them up:
/// the register is not this room's).
struct RegisterMatch {
  Id person_id = 0;
  bool has_left = false;
};
using FindPersonByEmail = std::function<std::optional<RegisterMatch>(const std::string& email)>;

enum class IdentitySignInOutcome {
  ok,
  no_email,             // not linked yet, and the token has no email
  email_not_verified,   // not linked yet, and the provider does not vouch for the email
  domain_not_allowed,   // the email is outside the provider's allowed domains
  not_on_register,      // no account and no person has this email
  has_left,             // the person has left the organisation
  disabled,             // the account is disabled
  linked_elsewhere,     // the account already has another identity at this issuer
};

struct IdentitySignInResult {
  IdentitySignInOutcome outcome = IdentitySignInOutcome::not_on_register;
  std::optional<User> user;  // when ok
  bool linked_now = false;   // when ok: this sign-in linked the identity
  bool account_made = false; // when ok: this sign-in made the account, for a register person
};

/// True when `email`'s domain (after the last '@', case ignored) is one of `domains`, or
/// `domains` is empty (any domain). Throws nothing.
bool email_domain_allowed(std::string_view email, const std::vector<std::string>& domains);

/// Finds or links the account for `who` under the rules above, in one write transaction, marks
/// the identity used, and logs the outcome (login_ok or login_failed, account_changed when
/// linked, account_created when made) with `source`. Throws SQLite::Exception.
IdentitySignInResult sign_in_with_identity(SQLite::Database& db, const ProviderIdentity& who, const std::vector<std::string>& allowed_domains,
                                           const FindPersonByEmail& find_person, Instant now, std::string_view source);

/// Plain words for an outcome, for the security log.
std::string identity_outcome_text(IdentitySignInOutcome outcome);

}  // namespace probity
