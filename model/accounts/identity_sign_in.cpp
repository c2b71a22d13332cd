#include "model/accounts/identity_sign_in.hpp"

#include <algorithm>
#include <cctype>

#include "model/accounts/auth_events.hpp"
#include "model/accounts/identity_store.hpp"
#include "model/accounts/user_store.hpp"
#include "model/store/database.hpp"

namespace probity {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

bool email_domain_allowed(std::string_view email, const std::vector<std::string>& domains) {
  if (domains.empty()) return true;
  const auto at = email.rfind('@');
  if (at == std::string_view::npos || at + 1 >= email.size()) return false;
  const std::string domain = lower(email.substr(at + 1));
  return std::any_of(domains.begin(), domains.end(), [&](const std::string& d) { return lower(d) == domain; });
}

std::string identity_outcome_text(IdentitySignInOutcome outcome) {
  switch (outcome) {
    case IdentitySignInOutcome::ok:
      return "signed in";
    case IdentitySignInOutcome::no_email:
      return "no email in the token";
    case IdentitySignInOutcome::email_not_verified:
      return "email not verified by the provider";
    case IdentitySignInOutcome::domain_not_allowed:
      return "email outside the provider's allowed domains";
    case IdentitySignInOutcome::not_on_register:
      return "no account or register person has this email";
    case IdentitySignInOutcome::has_left:
      return "the person has left";
    case IdentitySignInOutcome::disabled:
      return "account disabled";
    case IdentitySignInOutcome::linked_elsewhere:
      return "the account is linked to another identity at this provider";
  }
  return "";
}

IdentitySignInResult sign_in_with_identity(SQLite::Database& db, const ProviderIdentity& who, const std::vector<std::string>& allowed_domains,
                                           const FindPersonByEmail& find_person, Instant now, std::string_view source) {
  IdentitySignInResult result;
  AuthEventLog events(db);
  IdentityStore identities(db);
  const std::string via = "single sign-on (" + who.provider_name + ")";
  const std::string email = trim_email(who.email);
  const std::string logged_email = looks_like_email(email) ? email : "";
  AtomicWrite tx(db);

  auto refuse = [&](IdentitySignInOutcome outcome, std::optional<Id> user_id) {
    result.outcome = outcome;
    events.log(AuthEventKind::login_failed, user_id, logged_email, "", source,
               via + ": " + identity_outcome_text(outcome) + " (subject " + who.subject.substr(0, 80) + ")", now);
    tx.commit();
    return result;
  };

  // The domain rule holds at every sign-in: a person moved out of the organisation's directory
  // keeps their subject, not their address.
  if (!email.empty() && !email_domain_allowed(email, allowed_domains)) return refuse(IdentitySignInOutcome::domain_not_allowed, std::nullopt);
  if (email.empty() && !allowed_domains.empty()) return refuse(IdentitySignInOutcome::no_email, std::nullopt);

  auto identity = identities.find(who.issuer, who.subject);
  std::optional<User> user;
  if (identity) {
    user = find_user(db, identity->user_id);
  } else {
    if (email.empty() || !looks_like_email(email)) return refuse(IdentitySignInOutcome::no_email, std::nullopt);
    if (!who.email_verified) return refuse(IdentitySignInOutcome::email_not_verified, std::nullopt);
    user = find_user_by_email(db, email);
    std::optional<RegisterMatch> person;
    if (!user && find_person) {
      person = find_person(email);
      if (person) user = find_user_by_person(db, person->person_id);
    }
    if (!user && !person) return refuse(IdentitySignInOutcome::not_on_register, std::nullopt);
    if (user && user->person_id && find_person) {
      // The account's person may have left since: their account is disabled with them, but say so.
      if (auto p = find_person(email); p && p->person_id == *user->person_id && p->has_left)
        return refuse(IdentitySignInOutcome::has_left, user->id);
    }
    if (!user) {
      if (person->has_left) return refuse(IdentitySignInOutcome::has_left, std::nullopt);
      user = UserStore(db).create_user(email, person->person_id, UserRole::member, "sign-in:" + who.provider_id, now);
      result.account_made = true;
    }
    if (user->disabled) return refuse(IdentitySignInOutcome::disabled, user->id);
    for (const auto& other : identities.for_user(user->id))
      if (other.issuer == who.issuer) return refuse(IdentitySignInOutcome::linked_elsewhere, user->id);
    identity = identities.link(user->id, who.provider_id, who.issuer, who.subject, email, now);
    result.linked_now = true;
    events.log(AuthEventKind::account_changed, user->id, user->email, "", source,
               via + ": identity linked by verified email " + email + " (subject " + who.subject.substr(0, 80) + ")", now);
  }
  if (!user) return refuse(IdentitySignInOutcome::not_on_register, std::nullopt);
  if (user->disabled) return refuse(IdentitySignInOutcome::disabled, user->id);

  identities.mark_used(identity->id, now);
  events.log(AuthEventKind::login_ok, user->id, user->email, "", source, via, now);
  tx.commit();
  result.outcome = IdentitySignInOutcome::ok;
  result.user = user;
  return result;
}

}  // namespace probity
