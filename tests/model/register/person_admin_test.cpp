#include <catch2/catch.hpp>

#include "model/store/audit_log.hpp"
#include "model/store/database.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_admin.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
Person person(Id id, const std::string& name, PersonKind kind, const std::string& email = "") {
  Person p;
  p.id = id;
  p.name = name;
  p.kind = kind;
  p.email = email;
  return p;
}

Organisation org(Id id, const std::string& name, OrganisationKind kind) {
  Organisation o;
  o.id = id;
  o.name = name;
  o.kind = kind;
  return o;
}

std::vector<std::string> messages(const Problems& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems.list()) out.push_back(p.field + ": " + p.message);
  return out;
}

int count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt(); }
}  // namespace

TEST_CASE("email_well_formed: one @, text either side, a dotted domain, no spaces or brackets") {
  CHECK(email_well_formed("asha.patel@nhs.net"));
  CHECK(email_well_formed("a@b.co"));
  CHECK_FALSE(email_well_formed("asha"));
  CHECK_FALSE(email_well_formed("@nhs.net"));
  CHECK_FALSE(email_well_formed("asha@"));
  CHECK_FALSE(email_well_formed("asha@nhs"));
  CHECK_FALSE(email_well_formed("asha@@nhs.net"));
  CHECK_FALSE(email_well_formed("asha patel@nhs.net"));
  CHECK_FALSE(email_well_formed("<asha@nhs.net>"));
}

TEST_CASE("person_problems: name, email, position and practice, with exact messages") {
  const std::vector<Person> others = {person(1, "Dr Asha Patel", PersonKind::gp, "Asha@nhs.net")};
  const auto practice = org(5, "Riverside Surgery", OrganisationKind::gp_practice);
  const auto company = org(6, "Acme Ltd", OrganisationKind::company);

  Person ok = person(0, "Dr Ben Okafor", PersonKind::gp, "ben@nhs.net");
  ok.practice_id = 5;
  CHECK(person_problems(ok, practice, others).empty());

  CHECK(messages(person_problems(person(0, " ", PersonKind::lay), std::nullopt, others)) ==
        std::vector<std::string>{"name: Enter the person's full name"});
  CHECK(messages(person_problems(person(0, std::string(301, 'x'), PersonKind::lay), std::nullopt, others)) ==
        std::vector<std::string>{"name: Name must be 300 characters or fewer"});
  CHECK(person_problems(person(0, std::string(300, 'x'), PersonKind::lay), std::nullopt, others).empty());
  CHECK(messages(person_problems(person(0, "B", PersonKind::lay, "not-an-email"), std::nullopt, others)) ==
        std::vector<std::string>{"email: Enter an email address in the correct format, like name@example.nhs.uk"});
  CHECK(messages(person_problems(person(0, "B", PersonKind::lay, std::string(250, 'a') + "@x.uk"), std::nullopt, others)) ==
        std::vector<std::string>{"email: Email address must be 254 characters or fewer"});
  // Unique ignoring case, but a person may keep their own address.
  CHECK(messages(person_problems(person(0, "B", PersonKind::lay, "asha@NHS.net"), std::nullopt, others)) ==
        std::vector<std::string>{"email: The email address asha@NHS.net is already used by Dr Asha Patel: each person needs their own"});
  CHECK(person_problems(person(1, "Dr Asha Patel", PersonKind::gp, "asha@nhs.net"), std::nullopt, others).empty());

  Person position = person(0, "B", PersonKind::lay);
  position.position = std::string(301, 'p');
  CHECK(messages(person_problems(position, std::nullopt, others)) == std::vector<std::string>{"position: Position must be 300 characters or fewer"});

  Person lay_with_practice = person(0, "B", PersonKind::lay);
  lay_with_practice.practice_id = 5;
  CHECK(messages(person_problems(lay_with_practice, practice, others)) ==
        std::vector<std::string>{"practice_id: Only GP members have a practice: choose no practice, or choose GP as the kind"});
  Person gp_at_company = person(0, "B", PersonKind::gp);
  gp_at_company.practice_id = 6;
  CHECK(messages(person_problems(gp_at_company, company, others)) ==
        std::vector<std::string>{"practice_id: Acme Ltd is not a GP practice: select the practice they work in"});
  gp_at_company.practice_id = 99;
  CHECK(messages(person_problems(gp_at_company, std::nullopt, others)) ==
        std::vector<std::string>{"practice_id: Select a GP practice from the list"});
}

TEST_CASE("create_person and edit_person write versions with audit rows, and nothing when wrong") {
  probity::testing::TestDb db;
  Organisation practice = org(0, "Riverside Surgery", OrganisationKind::gp_practice);
  {
    WriteTransaction tx(*db);
    OrganisationStore(*db).save(practice, "seed");
    tx.commit();
  }
  const int audit_before = count(*db, "SELECT count(*) FROM audit_log");

  Person p = person(0, "Dr Ben Okafor", PersonKind::gp, "ben@nhs.net");
  p.practice_id = practice.id;
  p.left_on = Date::today();  // ignored: leaving has its own action
  auto made = create_person(*db, p, "governance@test");
  REQUIRE(made.saved);
  CHECK(made.problems.empty());
  CHECK_FALSE(made.saved->ref.empty());
  CHECK_FALSE(made.saved->left_on);
  CHECK(PersonStore(*db).find(made.saved->id)->name == "Dr Ben Okafor");
  CHECK(count(*db, "SELECT count(*) FROM audit_log") == audit_before + 1);

  // Same email (other case): refused, nothing written.
  auto dup = create_person(*db, person(0, "Someone Else", PersonKind::lay, "BEN@nhs.net"), "governance@test");
  CHECK_FALSE(dup.saved);
  CHECK(dup.problems.list().size() == 1);
  CHECK(count(*db, "SELECT count(*) FROM people") == 1);

  Person changed = *made.saved;
  changed.position = "GP partner";
  changed.ref = "tampered";
  auto edited = edit_person(*db, changed, "governance@test");
  REQUIRE(edited);
  REQUIRE(edited->saved);
  CHECK(edited->saved->ref == made.saved->ref);
  PersonStore store(*db);
  CHECK(store.current_version(made.saved->id) == 2);
  CHECK(count(*db, "SELECT count(*) FROM audit_log") == audit_before + 2);

  changed.name = "";
  auto refused = edit_person(*db, changed, "governance@test");
  REQUIRE(refused);
  CHECK_FALSE(refused->saved);
  CHECK(store.current_version(made.saved->id) == 2);

  Person unknown = person(999, "Nobody", PersonKind::lay);
  CHECK_FALSE(edit_person(*db, unknown, "governance@test"));
}
