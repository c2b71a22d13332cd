// The linking rules of single sign-on: found by (issuer, subject); linked the first time only by
// a verified email that an account or a register person has; never by an unverified email;
// nobody else gets an account; a disabled account is refused; and password sign-in can be
// stopped per account while single sign-on carries on.
#include <catch2/catch.hpp>

#include <algorithm>

#include "model/accounts/oidc_jose.hpp"

#include "model/accounts/identity_sign_in.hpp"
#include "model/accounts/identity_store.hpp"
#include "model/accounts/sign_in.hpp"
#include "support.hpp"
#include "account_test_support.hpp"

using namespace probity;
using namespace probity::testing;

namespace {

const std::string kSignInIssuer = "https://login.example.nhs.uk/v2.0";

ProviderIdentity identity(const std::string& subject, const std::string& email, bool verified = true) {
  return {"nhsmail", "NHSmail", kSignInIssuer, subject, email, verified};
}

Id add_person(SQLite::Database& db, const std::string& ref) {
  SQLite::Statement ins(db, "INSERT INTO people(ref, created_at) VALUES (?, '2025-01-01T00:00:00Z')");
  ins.bind(1, ref);
  ins.exec();
  return db.getLastInsertRowid();
}

int count(SQLite::Database& db, const std::string& table) {
  SQLite::Statement q(db, "SELECT count(*) FROM " + table);
  q.executeStep();
  return q.getColumn(0).getInt();
}

}  // namespace

TEST_CASE("identity sign-in: linked once by a verified email matching an account, then found by subject even when the email changes") {
  TestDb db;
  UserStore accounts(*db, test_config());
  User asha = account_with_password(accounts, "asha@nhs.net", "a long enough phrase");
  auto first = sign_in_with_identity(*db, identity("sub-1", "ASHA@nhs.net"), {"nhs.net"}, {}, t0, "127.0.0.1");
  REQUIRE(first.outcome == IdentitySignInOutcome::ok);
  CHECK(first.user->id == asha.id);
  CHECK(first.linked_now);
  CHECK_FALSE(first.account_made);
  // The directory renamed the address: the subject still finds the account.
  auto second = sign_in_with_identity(*db, identity("sub-1", "asha.k@nhs.net", false), {"nhs.net"}, {}, t0 + std::chrono::hours(1), "");
  REQUIRE(second.outcome == IdentitySignInOutcome::ok);
  CHECK(second.user->id == asha.id);
  CHECK_FALSE(second.linked_now);
  auto linked = IdentityStore(*db).for_user(asha.id);
  REQUIRE(linked.size() == 1);
  CHECK(linked[0].last_used_at == iso_instant(t0 + std::chrono::hours(1)));
  const auto kinds = event_kinds(*db, asha.id);
  CHECK(std::count(kinds.begin(), kinds.end(), "login_ok") == 2);
  CHECK(std::count(kinds.begin(), kinds.end(), "account_changed") == 1);  // the link
}

TEST_CASE("identity sign-in: an unverified email never links, and nobody without an account or register entry gets one") {
  TestDb db;
  UserStore accounts(*db, test_config());
  User asha = account_with_password(accounts, "asha@nhs.net", "a long enough phrase");
  const int users = count(*db, "users");
  CHECK(sign_in_with_identity(*db, identity("sub-x", "asha@nhs.net", false), {}, {}, t0, "").outcome == IdentitySignInOutcome::email_not_verified);
  CHECK(sign_in_with_identity(*db, identity("sub-y", ""), {}, {}, t0, "").outcome == IdentitySignInOutcome::no_email);
  CHECK(sign_in_with_identity(*db, identity("sub-z", "nobody@nhs.net"), {}, [](const std::string&) { return std::nullopt; }, t0, "").outcome ==
        IdentitySignInOutcome::not_on_register);
  CHECK(count(*db, "users") == users);
  CHECK(count(*db, "user_identities") == 0);
  CHECK(IdentityStore(*db).for_user(asha.id).empty());
  // Each refusal is in the security log.
  CHECK(AuthEventLog(*db).recent_events(3).size() == 3);
  CHECK_THAT(AuthEventLog(*db).recent_events(1)[0].detail, Catch::Contains("no account or register person"));
}

TEST_CASE("identity sign-in: a register person with a verified email and no account gets a member account for that person") {
  TestDb db;
  const Id person = add_person(*db, "p-1");
  FindPersonByEmail finder = [&](const std::string& email) -> std::optional<RegisterMatch> {
    if (email == "gp@nhs.net") return RegisterMatch{person, false};
    if (email == "left@nhs.net") return RegisterMatch{person, true};
    return std::nullopt;
  };
  CHECK(sign_in_with_identity(*db, identity("s-left", "left@nhs.net"), {}, finder, t0, "").outcome == IdentitySignInOutcome::has_left);
  auto r = sign_in_with_identity(*db, identity("s-gp", "gp@nhs.net"), {}, finder, t0, "");
  REQUIRE(r.outcome == IdentitySignInOutcome::ok);
  CHECK(r.account_made);
  CHECK(r.user->person_id == person);
  CHECK(r.user->role == UserRole::member);
  CHECK_FALSE(r.user->has_password);
}

TEST_CASE("identity sign-in: allowed domains, a disabled account, and a second identity at the same issuer are refused") {
  TestDb db;
  UserStore accounts(*db, test_config());
  User asha = account_with_password(accounts, "asha@nhs.net", "a long enough phrase");
  CHECK(email_domain_allowed("a@NHS.net", {"nhs.net"}));
  CHECK_FALSE(email_domain_allowed("a@nhs.net.evil.example", {"nhs.net"}));
  CHECK_FALSE(email_domain_allowed("nhs.net", {"nhs.net"}));
  CHECK(email_domain_allowed("a@anything.example", {}));
  CHECK(sign_in_with_identity(*db, identity("s1", "asha@gmail.example"), {"nhs.net"}, {}, t0, "").outcome == IdentitySignInOutcome::domain_not_allowed);

  REQUIRE(sign_in_with_identity(*db, identity("s1", "asha@nhs.net"), {"nhs.net"}, {}, t0, "").outcome == IdentitySignInOutcome::ok);
  CHECK(sign_in_with_identity(*db, identity("s2", "asha@nhs.net"), {"nhs.net"}, {}, t0, "").outcome == IdentitySignInOutcome::linked_elsewhere);

  accounts.set_disabled(asha.id, true, "governance:1", t0);
  CHECK(sign_in_with_identity(*db, identity("s1", "asha@nhs.net"), {"nhs.net"}, {}, t0, "").outcome == IdentitySignInOutcome::disabled);
}

TEST_CASE("identity sign-in: stopping password sign-in refuses the right password and leaves single sign-on working") {
  TestDb db;
  UserStore accounts(*db, test_config());
  User asha = account_with_password(accounts, "asha@nhs.net", "a long enough phrase");
  SignIn sign_in(*db, test_config());
  REQUIRE(sign_in.login("asha@nhs.net", "a long enough phrase", t0).outcome == LoginOutcome::ok);
  CHECK(accounts.find_user(asha.id)->password_last_used_at == iso_instant(t0));
  REQUIRE(accounts.set_password_allowed(asha.id, false, "governance:1", t0));
  CHECK_FALSE(accounts.find_user(asha.id)->password_allowed);
  auto refused = sign_in.login("asha@nhs.net", "a long enough phrase", t0 + std::chrono::minutes(1));
  CHECK(refused.outcome == LoginOutcome::bad_credentials);
  CHECK_THAT(AuthEventLog(*db).recent_events(1)[0].detail, Catch::Contains("password sign-in not allowed"));
  CHECK(sign_in_with_identity(*db, identity("s1", "asha@nhs.net"), {}, {}, t0, "").outcome == IdentitySignInOutcome::ok);
}

TEST_CASE("pending sign-ins: single use, bound to the browser, and short-lived") {
  TestDb db;
  PendingSignIns pending(*db);
  auto s = pending.start("nhsmail", "https://probity.example/sign-in/oidc/callback", "/my", t0, std::chrono::seconds(600));
  CHECK(where_stored(*db, s.state).empty());
  CHECK(where_stored(*db, s.browser_token).empty());
  CHECK(pending.consume("unknown", s.browser_token, t0).refusal == PendingRefusal::unknown_state);
  CHECK(pending.consume(s.state, "another browser", t0).refusal == PendingRefusal::other_browser);
  auto ok = pending.consume(s.state, s.browser_token, t0 + std::chrono::seconds(30));
  REQUIRE(ok.refusal == PendingRefusal::none);
  CHECK(ok.sign_in->nonce == s.nonce);
  CHECK(pkce_challenge(ok.sign_in->code_verifier) == s.code_challenge);
  CHECK(ok.sign_in->next == "/my");
  CHECK(pending.consume(s.state, s.browser_token, t0 + std::chrono::seconds(31)).refusal == PendingRefusal::already_used);

  auto late = pending.start("nhsmail", "https://x/cb", "", t0, std::chrono::seconds(600));
  CHECK(pending.consume(late.state, late.browser_token, t0 + std::chrono::seconds(600)).refusal == PendingRefusal::expired);
  CHECK(pending.purge_expired(t0 + std::chrono::seconds(601)) == 2);
}
