#include <catch2/catch.hpp>

#include "model/accounts/api_token_store.hpp"
#include "model/store/audit_diff.hpp"
#include "model/store/audit_log.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/governance_actions.hpp"
#include "model/register/governance_input.hpp"
#include "model/register/person_store.hpp"
#include "model/register/publication_rules.hpp"
#include "model/register/review_store.hpp"
#include "model/accounts/session_store.hpp"
#include "model/accounts/user_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

std::vector<Interest> entities_of(const std::vector<Version<Interest>>& versions) {
  std::vector<Interest> out;
  for (const auto& v : versions) out.push_back(v.entity);
  return out;
}

struct GovernanceRegister {
  testing::TestDb db;
  Id person = 0;
  Id interest = 0;
  GovernanceRegister() {
    WriteTransaction tx(*db);
    Person p;
    p.name = "Dr Asha Patel";
    p.kind = PersonKind::gp;
    PersonStore(*db).save(p, "test");
    person = p.id;
    Interest i;
    i.person_id = person;
    i.nature = "Partner, Riverside Surgery";
    i.from = d("2024-04-01");
    i.declared_on = d("2024-04-10");
    i.status = DeclarationStatus::submitted;
    InterestStore(*db).save(i, "test");
    interest = i.id;
    tx.commit();
  }
};
}  // namespace

TEST_CASE("reviews: append-only, a return needs a comment, only reviewable kinds") {
  GovernanceRegister r;
  ReviewStore reviews(*r.db);
  {
    WriteTransaction tx(*r.db);
    CHECK_THROWS_WITH(reviews.record("interest", r.interest, 1, ReviewDecision::returned, "  ", "g"),
                      "a returned declaration needs a comment");
    CHECK_THROWS_AS(reviews.record("person", r.interest, 1, ReviewDecision::approved, "", "g"), std::invalid_argument);
    reviews.record("interest", r.interest, 1, ReviewDecision::returned, "Name the practice's ODS code", "g");
    tx.commit();
  }
  CHECK_THROWS_AS(reviews.record("interest", r.interest, 1, ReviewDecision::approved, "", "g"), std::logic_error);
  auto latest = reviews.latest_for("interest", r.interest);
  REQUIRE(latest);
  CHECK(latest->decision == ReviewDecision::returned);
  CHECK(latest->comment == "Name the practice's ODS code");
  CHECK(latest->version == 1);
  CHECK_FALSE(reviews.latest_for("gift", r.interest));
  CHECK_THROWS_AS((*r.db).exec("UPDATE reviews SET comment = 'x'"), SQLite::Exception);
  CHECK_THROWS_AS((*r.db).exec("DELETE FROM reviews"), SQLite::Exception);
}

TEST_CASE("review_declaration: approve or return as a new version; queue; stale and repeated decisions refused") {
  GovernanceRegister r;
  auto queue = review_queue(*r.db);
  REQUIRE(queue.size() == 1);
  CHECK(queue[0].kind == "interest");
  CHECK(queue[0].person_name == "Dr Asha Patel");
  CHECK(queue[0].version == 1);

  CHECK(review_declaration(*r.db, "interest", r.interest, ReviewDecision::approved, "", 2, "g") == ReviewOutcome::version_changed);
  CHECK(review_declaration(*r.db, "interest", 999, ReviewDecision::approved, "", std::nullopt, "g") == ReviewOutcome::not_found);
  CHECK_THROWS_AS(review_declaration(*r.db, "interest", r.interest, ReviewDecision::returned, "", 1, "g"), std::invalid_argument);
  CHECK(InterestStore(*r.db).current_version(r.interest) == 1);  // the refused return wrote nothing

  CHECK(review_declaration(*r.db, "interest", r.interest, ReviewDecision::returned, "Add the ODS code", 1, "g") == ReviewOutcome::done);
  InterestStore store(*r.db);
  CHECK(store.find(r.interest)->status == DeclarationStatus::returned);
  CHECK(review_queue(*r.db).empty());
  CHECK(review_declaration(*r.db, "interest", r.interest, ReviewDecision::approved, "", std::nullopt, "g") ==
        ReviewOutcome::not_awaiting_review);

  // The member resubmits; governance approves; the public then sees it with review on.
  {
    WriteTransaction tx(*r.db);
    auto i = *store.find(r.interest);
    i.status = DeclarationStatus::submitted;
    i.nature = "Partner, Riverside Surgery (B82001)";
    store.save(i, "member");
    tx.commit();
  }
  CHECK_FALSE(public_version(entities_of(store.history(r.interest)), true));
  CHECK(review_declaration(*r.db, "interest", r.interest, ReviewDecision::approved, "", 3, "g") == ReviewOutcome::done);
  auto shown = public_version(entities_of(store.history(r.interest)), true);
  REQUIRE(shown);
  CHECK(shown->nature == "Partner, Riverside Surgery (B82001)");
  CHECK(ReviewStore(*r.db).for_entity("interest", r.interest).size() == 2);
  CHECK(store.history(r.interest).size() == 4);
  CHECK(verify_audit_chain(*r.db).ok);
}

TEST_CASE("status_after_member_change: returned and (with review on) approved entries go back for review") {
  using S = DeclarationStatus;
  CHECK(status_after_member_change(S::returned, true) == S::submitted);
  CHECK(status_after_member_change(S::returned, false) == S::submitted);
  CHECK(status_after_member_change(S::approved, true) == S::submitted);
  CHECK(status_after_member_change(S::approved, false) == S::approved);
  CHECK(status_after_member_change(S::submitted, true) == S::submitted);
  CHECK(status_after_member_change(S::draft, true) == S::draft);
}

TEST_CASE("set_interest_withheld: reason required, new versions, public view withheld then shown again") {
  GovernanceRegister r;
  CHECK_THROWS_WITH(set_interest_withheld(*r.db, r.interest, true, " ", "g"), "withholding an entry needs a reason");
  CHECK_FALSE(set_interest_withheld(*r.db, 999, true, "Risk of harm", "g"));
  auto w = set_interest_withheld(*r.db, r.interest, true, "Risk of harm to a family member", "g");
  REQUIRE(w);
  CHECK(w->withheld);
  InterestStore store(*r.db);
  CHECK(store.find(r.interest)->withheld_reason == "Risk of harm to a family member");
  CHECK(public_view(*public_version(entities_of(store.history(r.interest)), false)).withheld());
  set_interest_withheld(*r.db, r.interest, false, "", "g");
  CHECK_FALSE(public_view(*public_version(entities_of(store.history(r.interest)), false)).withheld());
  CHECK(store.history(r.interest).size() == 3);
}

TEST_CASE("read_review, read_withhold_reason, read_left_on: one message per wrong field") {
  Problems p;
  auto approve = read_review(Fields{{"decision", "approve"}, {"version", "3"}}, p);
  REQUIRE(approve);
  CHECK(approve->decision == ReviewDecision::approved);
  CHECK(approve->version == 3);
  auto ret = read_review(Fields{{"decision", "returned"}, {"comment", " Add the ODS code "}}, p);
  REQUIRE(ret);
  CHECK(ret->decision == ReviewDecision::returned);
  CHECK(ret->comment == "Add the ODS code");
  CHECK_FALSE(ret->version);
  CHECK(p.empty());

  Problems no_comment;
  CHECK_FALSE(read_review(Fields{{"decision", "return"}}, no_comment));
  CHECK(no_comment.message("comment") == "Enter a comment saying what the member should change");
  Problems bad;
  CHECK_FALSE(read_review(Fields{{"decision", "maybe"}, {"version", "1 OR 1=1"}}, bad));
  CHECK(bad.message("decision") == "Select whether to approve it or return it to the member");
  CHECK_FALSE(bad.has("comment"));  // no comment asked for until the decision is clear
  CHECK(bad.message("version") == "Version must be a whole number");

  Problems reason;
  CHECK(read_withhold_reason(Fields{{"reason", "Risk of harm"}}, reason) == std::optional<std::string>("Risk of harm"));
  CHECK_FALSE(read_withhold_reason(Fields{{"reason", " "}}, reason));
  CHECK(reason.message("reason") == "Enter the reason for withholding this entry");

  Problems left;
  CHECK(read_left_on(Fields{{"left_on", "2025-06-30"}}, left) == d("2025-06-30"));
  CHECK_FALSE(read_left_on(Fields{}, left));
  CHECK(left.message("left_on") == "Enter the date they left");
  Problems unreal;
  CHECK_FALSE(read_left_on(Fields{{"left_on", "2025-02-30"}}, unreal));
  CHECK(unreal.message("left_on") == "The date they left must be a real date");
}

TEST_CASE("review_entry, withhold_interest, record_leaver: input read first, nothing written when it is wrong") {
  GovernanceRegister r;
  InterestStore store(*r.db);
  auto unread = review_entry(*r.db, "interest", r.interest, Fields{{"decision", "return"}}, "g");
  CHECK_FALSE(unread.saved);
  CHECK(unread.problems.has("comment"));
  CHECK(store.current_version(r.interest) == 1);
  auto stale = review_entry(*r.db, "interest", r.interest, Fields{{"decision", "approve"}, {"version", "2"}}, "g");
  REQUIRE(stale.saved);
  CHECK(stale.saved->outcome == ReviewOutcome::version_changed);
  auto done = review_entry(*r.db, "interest", r.interest, Fields{{"decision", "return"}, {"comment", "Add the ODS code"}}, "g");
  REQUIRE(done.saved);
  CHECK(done.saved->decision == ReviewDecision::returned);
  CHECK(done.saved->outcome == ReviewOutcome::done);
  CHECK(store.find(r.interest)->status == DeclarationStatus::returned);

  auto no_reason = withhold_interest(*r.db, r.interest, Fields{}, "g");
  REQUIRE(no_reason);
  CHECK(no_reason->problems.has("reason"));
  CHECK_FALSE(store.find(r.interest)->withheld);
  CHECK_FALSE(withhold_interest(*r.db, 999, Fields{{"reason", "Risk of harm"}}, "g"));
  auto withheld = withhold_interest(*r.db, r.interest, Fields{{"reason", "Risk of harm"}}, "g");
  REQUIRE(withheld);
  REQUIRE(withheld->saved);
  CHECK(withheld->saved->withheld_reason == "Risk of harm");

  auto bad_date = record_leaver(*r.db, r.person, Fields{{"left_on", "30/06/2025"}}, "g", now_instant());
  REQUIRE(bad_date);
  CHECK(bad_date->problems.has("left_on"));
  CHECK_FALSE(PersonStore(*r.db).find(r.person)->left_on);
  CHECK_FALSE(record_leaver(*r.db, 999, Fields{{"left_on", "2025-06-30"}}, "g", now_instant()));
  auto left = record_leaver(*r.db, r.person, Fields{{"left_on", "2025-06-30"}}, "g", now_instant());
  REQUIRE(left);
  REQUIRE(left->saved);
  CHECK(left->saved->interests_ended == 1);
  CHECK(PersonStore(*r.db).find(r.person)->left_on == d("2025-06-30"));
}

TEST_CASE("mark_person_left: person, open interests and memberships end on the date; ended ones untouched") {
  GovernanceRegister r;
  Id ended = 0, later = 0, membership = 0;
  {
    WriteTransaction tx(*r.db);
    Interest old;
    old.person_id = r.person;
    old.nature = "Old trusteeship";
    old.from = d("2020-01-01");
    old.to = d("2023-01-01");
    InterestStore(*r.db).save(old, "test");
    ended = old.id;
    Interest future;
    future.person_id = r.person;
    future.nature = "Starts later";
    future.from = d("2025-09-01");
    InterestStore(*r.db).save(future, "test");
    later = future.id;
    Committee c;
    c.name = "PCCC";
    CommitteeStore(*r.db).save(c, "test");
    Membership m;
    m.committee_id = c.id;
    m.person_id = r.person;
    m.from = d("2022-01-01");
    MembershipStore(*r.db).save(m, "test");
    membership = m.id;
    tx.commit();
  }
  CHECK_FALSE(mark_person_left(*r.db, 999, d("2025-06-30"), "g", now_instant()));
  auto left = mark_person_left(*r.db, r.person, d("2025-06-30"), "g", now_instant());
  REQUIRE(left);
  CHECK(left->interests_ended == 2);
  CHECK(left->memberships_ended == 1);
  InterestStore interests(*r.db);
  CHECK(PersonStore(*r.db).find(r.person)->left_on == d("2025-06-30"));
  CHECK(interests.find(r.interest)->to == d("2025-06-30"));
  CHECK(interests.history(r.interest).size() == 2);
  CHECK(interests.find(ended)->to == d("2023-01-01"));
  CHECK(interests.history(ended).size() == 1);
  CHECK(interests.find(later)->to == d("2025-09-01"));
  CHECK(MembershipStore(*r.db).find(membership)->to == d("2025-06-30"));
}

TEST_CASE("mark_person_left disables the person's account at once, in the same transaction: sessions end, tokens are revoked") {
  GovernanceRegister r;
  UserStore accounts(*r.db);
  SessionStore sessions(*r.db);
  ApiTokenStore api_tokens(*r.db);
  const Instant now = *parse_instant("2025-07-01T10:00:00Z");
  User u = accounts.create_user("asha@nhs.net", r.person, UserRole::member, "test", now);
  User other = accounts.create_user("ben@nhs.net", std::nullopt, UserRole::member, "test", now);
  auto session = sessions.create_session(u.id, now);
  auto token = api_tokens.create_api_token(u.id, "sync", "cli", now);
  auto others = api_tokens.create_api_token(other.id, "theirs", "cli", now);

  SECTION("the account is disabled, whatever the leaving date, by the same actor") {
    // A leaving date after today disables the account now as well: access ends when governance records it.
    auto left = mark_person_left(*r.db, r.person, d("2099-06-30"), "user:7 gov@nhs.net", now + std::chrono::minutes(1));
    REQUIRE(left);
    CHECK(left->account_disabled == u.id);
    CHECK(accounts.find_user(u.id)->disabled);
    CHECK_FALSE(sessions.find_session(session.token, now + std::chrono::minutes(1)).has_value());
    CHECK_FALSE(api_tokens.user_for_api_token(token.token, now + std::chrono::minutes(1)).has_value());
    CHECK(api_tokens.user_for_api_token(others.token, now + std::chrono::minutes(1)).has_value());
    auto audit = audit_for(*r.db, "user", u.id);
    REQUIRE(audit.size() == 2);
    CHECK(audit[1].actor == "user:7 gov@nhs.net");
    CHECK(nlohmann::json::parse(audit[1].after_json).at("disabled") == true);
  }
  SECTION("a person without an account: nothing to disable") {
    Person p;
    p.name = "Lay Member";
    p.kind = PersonKind::lay;
    {
      WriteTransaction tx(*r.db);
      PersonStore(*r.db).save(p, "test");
      tx.commit();
    }
    auto left = mark_person_left(*r.db, p.id, d("2025-06-30"), "g", now);
    REQUIRE(left);
    CHECK_FALSE(left->account_disabled.has_value());
    CHECK_FALSE(accounts.find_user(u.id)->disabled);
  }
  SECTION("when disabling fails, the leaving is not recorded either") {
    r.db.db->exec("CREATE TRIGGER refuse BEFORE UPDATE OF disabled ON users BEGIN SELECT RAISE(ABORT, 'refused'); END");
    CHECK_THROWS(mark_person_left(*r.db, r.person, d("2025-06-30"), "g", now));
    CHECK_FALSE(PersonStore(*r.db).find(r.person)->left_on.has_value());
    CHECK_FALSE(InterestStore(*r.db).find(r.interest)->to.has_value());
    CHECK(sessions.find_session(session.token, now).has_value());
  }
}

TEST_CASE("audit_changes: field by field, readable values, creations and unparseable text") {
  auto changes = audit_changes(R"({"id":1,"ref":"x","nature":"A","withheld":false,"to":null})",
                               R"({"id":1,"ref":"x","nature":"B","withheld":true,"to":"2025-06-30"})");
  CHECK(changes == std::vector<FieldChange>{{"nature", "Nature", "A", "B"},
                                            {"to", "To", "", "2025-06-30"},
                                            {"withheld", "Withheld", "no", "yes"}});
  auto made = audit_changes("", R"({"id":2,"name":"Dr Asha Patel","kind":"gp"})");
  CHECK(made == std::vector<FieldChange>{{"kind", "Kind", "", "gp"}, {"name", "Name", "", "Dr Asha Patel"}});
  CHECK(audit_changes("not json", "[]").empty());
}
