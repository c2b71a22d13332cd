#include <catch2/catch.hpp>

#include "model/meetings/chair_rights.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

TEST_CASE("chair rights come from current chair and vice-chair memberships") {
  testing::TestDb t;
  PersonStore people(*t);
  CommitteeStore committees(*t);
  MembershipStore memberships(*t);
  Person chair{0, "", "Pat Quinn", "pat@nhs.net", PersonKind::lay, "Lay member", std::nullopt, std::nullopt};
  Person vice{0, "", "Raj Shah", "raj@nhs.net", PersonKind::lay, "Lay member", std::nullopt, std::nullopt};
  Person voter{0, "", "Dr Sam Tate", "sam@nhs.net", PersonKind::gp, "GP partner", std::nullopt, std::nullopt};
  Committee pccc{0, "", "Primary Care Commissioning Committee", "", {}};
  Committee audit{0, "", "Audit Committee", "", {}};
  {
    WriteTransaction tx(*t);
    for (Person* p : {&chair, &vice, &voter}) people.save(*p, "setup");
    committees.save(pccc, "setup");
    committees.save(audit, "setup");
    Membership m1{0, "", pccc.id, chair.id, CommitteeRole::chair, *Date::parse("2024-04-01"), *Date::parse("2025-03-31")};
    Membership m2{0, "", pccc.id, vice.id, CommitteeRole::vice_chair, *Date::parse("2024-04-01"), std::nullopt};
    Membership m3{0, "", pccc.id, voter.id, CommitteeRole::voting, *Date::parse("2024-04-01"), std::nullopt};
    Membership m4{0, "", audit.id, vice.id, CommitteeRole::chair, *Date::parse("2025-01-01"), std::nullopt};
    for (Membership* m : {&m1, &m2, &m3, &m4}) memberships.save(*m, "setup");
    tx.commit();
  }
  auto [who, date, expected] = GENERATE_COPY(table<Id, std::string, bool>({
      {chair.id, "2024-03-31", false},  // before the membership
      {chair.id, "2024-04-01", true},
      {chair.id, "2025-03-31", true},   // last day
      {chair.id, "2025-04-01", false},  // ended
      {vice.id, "2030-01-01", true},    // open-ended vice-chair
      {voter.id, "2024-06-01", false},  // a voting member is not a chair
  }));
  CAPTURE(who, date);
  CHECK(is_chair_of(*t, who, pccc.id, *Date::parse(date)) == expected);
  CHECK_FALSE(is_chair_of(*t, chair.id, audit.id, *Date::parse("2024-06-01")));
  CHECK(committees_chaired(*t, vice.id, *Date::parse("2024-06-01")) == std::vector<Id>{pccc.id});
  CHECK(committees_chaired(*t, vice.id, *Date::parse("2025-06-01")) == std::vector<Id>{pccc.id, audit.id});
}
