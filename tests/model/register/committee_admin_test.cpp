#include <catch2/catch.hpp>

#include "model/store/audit_log.hpp"
#include "model/register/committee_admin.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

Committee committee(Id id, const std::string& name, const std::string& ref = "") {
  Committee c;
  c.id = id;
  c.name = name;
  c.ref = ref;
  return c;
}

Person person_of(Id id, const std::string& name, PersonKind kind, std::optional<Date> left_on = std::nullopt) {
  Person p;
  p.id = id;
  p.name = name;
  p.kind = kind;
  p.left_on = left_on;
  return p;
}

Membership membership(Id id, Id person_id, CommitteeRole role, const char* from, std::optional<const char*> to = std::nullopt) {
  Membership m;
  m.id = id;
  m.committee_id = 1;
  m.person_id = person_id;
  m.role = role;
  m.from = d(from);
  if (to) m.to = d(*to);
  return m;
}

std::vector<std::string> messages(const Problems& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems.list()) out.push_back(p.field + ": " + p.message);
  return out;
}
}  // namespace

TEST_CASE("committee_problems: name, ref, description and every quorum count, with exact messages") {
  const std::vector<Committee> others = {committee(1, "Primary Care Commissioning Committee", "pccc"), committee(2, "Governing Body", "gb")};
  using Edit = void (*)(Committee&);
  auto [what, edit, expected] = GENERATE(table<std::string, Edit, std::string>({
      {"valid", [](Committee&) {}, ""},
      {"no name", [](Committee& c) { c.name = ""; }, "name: Enter the committee's name"},
      {"name too long", [](Committee& c) { c.name = std::string(301, 'a'); }, "name: Name must be 300 characters or fewer"},
      {"name taken, other case", [](Committee& c) { c.name = "governing body"; },
       "name: A committee called Governing Body already exists: choose a different name"},
      {"ref with a space", [](Committee& c) { c.ref = "audit committee"; },
       "ref: Reference must be 100 characters or fewer, using only letters, numbers, hyphens, underscores and full stops"},
      {"ref too long", [](Committee& c) { c.ref = std::string(101, 'a'); },
       "ref: Reference must be 100 characters or fewer, using only letters, numbers, hyphens, underscores and full stops"},
      {"ref taken", [](Committee& c) { c.ref = "gb"; },
       "ref: The reference gb is already used by Governing Body: choose another, or leave it empty"},
      {"description too long", [](Committee& c) { c.description = std::string(5001, 'x'); },
       "description: Description must be 5000 characters or fewer"},
      {"min_voting negative", [](Committee& c) { c.quorum.min_voting = -1; }, "min_voting: Voting members needed must be 0 or more"},
      {"min_voting absurd", [](Committee& c) { c.quorum.min_voting = 101; }, "min_voting: Voting members needed must be 100 or fewer"},
      {"min_lay negative", [](Committee& c) { c.quorum.min_lay = -2; }, "min_lay: Lay members needed must be 0 or more"},
      {"min_executive absurd", [](Committee& c) { c.quorum.min_executive = 5000; },
       "min_executive: Executive members needed must be 100 or fewer"},
      {"min_clinical negative", [](Committee& c) { c.quorum.min_clinical = -1; }, "min_clinical: Clinical members needed must be 0 or more"},
      {"largest allowed", [](Committee& c) { c.quorum.min_voting = 100; }, ""},
  }));
  CAPTURE(what);
  Committee c = committee(0, "Audit Committee", "audit");
  c.quorum = {4, 1, 1, 0, true, true};
  edit(c);
  auto problems = messages(committee_problems(c, others));
  if (expected.empty()) CHECK(problems.empty());
  else CHECK(problems == std::vector<std::string>{expected});
}

TEST_CASE("committee_problems: a committee keeps its own name and ref when edited; an empty ref is generated later") {
  const std::vector<Committee> all = {committee(1, "Primary Care Commissioning Committee", "pccc")};
  CHECK(committee_problems(committee(1, "Primary Care Commissioning Committee", "pccc"), all).empty());
  CHECK(committee_problems(committee(0, "Audit Committee"), all).empty());
}

TEST_CASE("membership_problems: dates, leavers, attendees, lay chairs, overlaps and one chair at a time") {
  Committee pccc = committee(1, "PCCC");
  pccc.quorum.lay_chair = true;
  const std::map<Id, Person> people = {{10, person_of(10, "Margaret Ellison", PersonKind::lay)},
                                       {11, person_of(11, "Priya Nair", PersonKind::lay)},
                                       {12, person_of(12, "Dr Amir Hassan", PersonKind::gp)},
                                       {13, person_of(13, "Healthwatch Rep", PersonKind::attendee)},
                                       {14, person_of(14, "Jo Leaver", PersonKind::lay, d("2025-06-30"))}};
  const std::vector<Membership> existing = {membership(1, 10, CommitteeRole::chair, "2024-04-01"),
                                            membership(2, 11, CommitteeRole::voting, "2024-04-01", "2025-03-31")};
  auto [what, candidate, expected] = GENERATE_REF(table<std::string, Membership, std::string>({
      {"a voting GP", membership(0, 12, CommitteeRole::voting, "2025-01-01"), ""},
      {"end before start", membership(0, 12, CommitteeRole::voting, "2025-01-01", "2024-12-31"),
       "to: The end date must be the same as or after the start date (1 January 2025)"},
      {"one-day membership", membership(0, 12, CommitteeRole::voting, "2025-01-01", "2025-01-01"), ""},
      {"attendee with a vote", membership(0, 13, CommitteeRole::voting, "2025-01-01"),
       "role: Healthwatch Rep is recorded as an attendee (for example a Healthwatch representative): attendees can only be non-voting members"},
      {"attendee without a vote", membership(0, 13, CommitteeRole::non_voting, "2025-01-01"), ""},
      {"GP as vice-chair of a lay-chaired committee", membership(0, 12, CommitteeRole::vice_chair, "2025-01-01"),
       "role: This committee's terms of reference require a lay chair and lay vice-chair, and Dr Amir Hassan is not a lay member"},
      {"starts after leaving", membership(0, 14, CommitteeRole::voting, "2025-07-01"),
       "from: Jo Leaver left the organisation on 30 June 2025: a membership cannot start after that"},
      {"open-ended for a leaver", membership(0, 14, CommitteeRole::voting, "2025-01-01"),
       "to: Jo Leaver left the organisation on 30 June 2025: enter an end date on or before that day"},
      {"ends when they left", membership(0, 14, CommitteeRole::voting, "2025-01-01", "2025-06-30"), ""},
      {"overlaps their own earlier membership", membership(0, 11, CommitteeRole::vice_chair, "2025-03-31"),
       "person_id: Priya Nair is already a member of this committee from 1 April 2024 to 31 March 2025. End that membership first, "
       "or choose dates that do not overlap with it"},
      {"starts the day after their earlier one ended", membership(0, 11, CommitteeRole::vice_chair, "2025-04-01"), ""},
      {"a second chair", membership(0, 11, CommitteeRole::chair, "2026-01-01"),
       "role: Margaret Ellison is already the chair from 1 April 2024 with no end date. A committee has one chair at a time: end "
       "that membership first, or choose dates that do not overlap with it"},
      {"a chair before the current one started", membership(0, 11, CommitteeRole::chair, "2023-01-01", "2024-03-31"), ""},
      {"the chair's own membership, changed", membership(1, 10, CommitteeRole::chair, "2024-04-01", "2026-03-31"), ""},
  }));
  CAPTURE(what);
  auto problems = messages(membership_problems(candidate, pccc, people.at(candidate.person_id), existing, people));
  if (expected.empty()) CHECK(problems.empty());
  else CHECK(problems == std::vector<std::string>{expected});
}

TEST_CASE("membership_problems: several vice-chairs may serve at once, and a non-lay chair is fine without the lay_chair rule") {
  Committee gb = committee(1, "Governing Body");
  const std::map<Id, Person> people = {{10, person_of(10, "Samuel Okonkwo", PersonKind::lay)}, {12, person_of(12, "Dr Amir Hassan", PersonKind::gp)}};
  const std::vector<Membership> existing = {membership(1, 10, CommitteeRole::vice_chair, "2024-04-01")};
  CHECK(membership_problems(membership(0, 12, CommitteeRole::vice_chair, "2025-01-01"), gb, people.at(12), existing, people).empty());
  CHECK(membership_problems(membership(0, 12, CommitteeRole::chair, "2025-01-01"), gb, people.at(12), existing, people).empty());
}

TEST_CASE("committee actions write new versions, keep the old ones, audit them and write nothing when refused") {
  testing::TestDb db;
  Id lay = 0, gp = 0;
  {
    WriteTransaction tx(*db);
    Person p = person_of(0, "Margaret Ellison", PersonKind::lay);
    PersonStore(*db).save(p, "test");
    lay = p.id;
    Person g = person_of(0, "Dr Amir Hassan", PersonKind::gp);
    PersonStore(*db).save(g, "test");
    gp = g.id;
    tx.commit();
  }
  Committee c = committee(0, "Audit Committee");
  c.quorum.min_voting = 3;
  auto made = create_committee(*db, c, "governance");
  REQUIRE(made.saved);
  const Id id = made.saved->id;
  CHECK(made.saved->ref.rfind("committee-", 0) == 0);

  CHECK_FALSE(create_committee(*db, committee(0, "audit committee"), "governance").saved);
  CHECK(CommitteeStore(*db).all().size() == 1);

  Committee changed = *made.saved;
  changed.quorum.min_voting = 5;
  changed.ref = "attempt-to-rename";
  auto edited = edit_committee(*db, changed, "governance");
  REQUIRE(edited);
  REQUIRE(edited->saved);
  CHECK(edited->saved->ref == made.saved->ref);
  auto history = CommitteeStore(*db).history(id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].entity.quorum.min_voting == 3);
  CHECK(history[1].entity.quorum.min_voting == 5);

  changed.quorum.min_lay = -1;
  auto refused = edit_committee(*db, changed, "governance");
  REQUIRE(refused);
  CHECK_FALSE(refused->saved);
  CHECK(CommitteeStore(*db).history(id).size() == 2);
  CHECK_FALSE(edit_committee(*db, committee(999, "Nobody"), "governance"));

  Membership chair = membership(0, lay, CommitteeRole::chair, "2025-01-01");
  chair.committee_id = id;
  auto added = add_membership(*db, chair, "governance");
  REQUIRE(added);
  REQUIRE(added->saved);
  Membership second = membership(0, gp, CommitteeRole::chair, "2025-06-01");
  second.committee_id = id;
  auto two_chairs = add_membership(*db, second, "governance");
  REQUIRE(two_chairs);
  CHECK_FALSE(two_chairs->saved);
  CHECK(two_chairs->problems.list().at(0).field == "role");
  CHECK(MembershipStore(*db).for_committee(id).size() == 1);
  Membership nobody = second;
  nobody.person_id = 999;
  CHECK(add_membership(*db, nobody, "governance")->problems.list() == std::vector<FieldProblem>{{"person_id", "Select a person from the register"}});
  nobody.committee_id = 999;
  CHECK_FALSE(add_membership(*db, nobody, "governance"));

  // Ending the chair's membership on 31 May makes room for the new chair from 1 June.
  auto ended = end_membership(*db, id, added->saved->id, d("2025-05-31"), "governance");
  REQUIRE(ended);
  REQUIRE(ended->saved);
  CHECK(MembershipStore(*db).history(added->saved->id).size() == 2);
  CHECK(add_membership(*db, second, "governance")->saved);
  CHECK(end_membership(*db, id, added->saved->id, d("2024-12-31"), "governance")->problems.list().at(0).field == "to");
  CHECK_FALSE(end_membership(*db, id + 1, added->saved->id, d("2025-05-31"), "governance"));
  CHECK(audit_for(*db, "committee", id).size() == 2);
  CHECK(verify_audit_chain(*db).ok);
}
