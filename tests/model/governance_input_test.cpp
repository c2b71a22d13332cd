// What governance submits (model/governance_input.hpp): one message per wrong field, and actions
// that read first and write nothing when the input is wrong.
#include <catch2/catch.hpp>

#include "model/declaration_store.hpp"
#include "model/governance_input.hpp"
#include "model/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
Date d(const char* iso) { return *Date::parse(iso); }

struct Register {
  testing::TestDb db;
  Id person = 0;
  Id interest = 0;
  Register() {
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
  Register r;
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
