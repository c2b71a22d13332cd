#include <catch2/catch.hpp>

#include "model/meetings/meeting_store.hpp"
#include "model/register/bodies.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/governance_scope.hpp"
#include "model/register/person_store.hpp"
#include "model/store/database.hpp"
#include "support.hpp"

using namespace probity;
using probity::testing::d;

TEST_CASE("GovernanceScope: a body's account sees its own people, the committees it owns (joint ones too), their meetings and its people's declarations; an instance-wide one sees all") {
  probity::testing::TestDb db;
  WriteTransaction tx(*db);
  Body second;
  second.name = "NHS Westbrook Integrated Care Board";
  second.kind = BodyKind::icb;
  BodyStore(*db).save(second, "seed");
  Body third;
  third.name = "NHS England";
  third.kind = BodyKind::nhs_england;
  BodyStore(*db).save(third, "seed");

  Person home;
  home.name = "Asha Patel";
  PersonStore(*db).save(home, "seed");  // body 1
  Person away;
  away.name = "Ben Okafor";
  away.body_id = second.id;
  PersonStore(*db).save(away, "seed");

  Committee own;  // body 1's own
  own.ref = "own";
  own.name = "Primary Care Commissioning Committee";
  CommitteeStore(*db).save(own, "seed");
  Committee joint;
  joint.ref = "joint";
  joint.name = "Joint Committee";
  joint.body_ids = {kDefaultBody, second.id};
  CommitteeStore(*db).save(joint, "seed");

  Meeting own_meeting;
  own_meeting.committee_id = own.id;
  own_meeting.title = "Own";
  own_meeting.date = d("2026-05-01");
  MeetingStore(*db).save(own_meeting, "seed");
  Meeting joint_meeting = own_meeting;
  joint_meeting.id = 0;
  joint_meeting.ref = "";
  joint_meeting.committee_id = joint.id;
  joint_meeting.title = "Joint";
  MeetingStore(*db).save(joint_meeting, "seed");

  Interest mine;
  mine.person_id = home.id;
  mine.nature = "Partner at Riverside Surgery";
  mine.from = d("2025-04-01");
  mine.declared_on = d("2025-04-02");
  InterestStore(*db).save(mine, "seed");
  Interest theirs = mine;
  theirs.id = 0;
  theirs.ref = "";
  theirs.person_id = away.id;
  InterestStore(*db).save(theirs, "seed");
  tx.commit();

  const GovernanceScope all(*db, std::nullopt);
  CHECK(all.instance_wide());
  CHECK(all.manages_bodies());
  CHECK(all.sees_person(home.id));
  CHECK(all.sees_person(away.id));
  CHECK(all.sees_committee(own.id));
  CHECK(all.sees_meeting(joint_meeting.id));
  CHECK(all.sees_declaration("interest", theirs.id));
  CHECK(all.person_filter("p.id") == "1");

  const GovernanceScope westbrook(*db, second.id);
  CHECK_FALSE(westbrook.instance_wide());
  CHECK_FALSE(westbrook.manages_bodies());
  CHECK(westbrook.sees_body(second.id));
  CHECK_FALSE(westbrook.sees_body(kDefaultBody));
  CHECK(westbrook.sees_person(away.id));
  CHECK_FALSE(westbrook.sees_person(home.id));
  CHECK_FALSE(westbrook.sees_person(999));
  CHECK_FALSE(westbrook.sees_committee(own.id));
  CHECK(westbrook.sees_committee(joint.id));  // a joint committee: each owning body's governance sees it
  CHECK_FALSE(westbrook.sees_meeting(own_meeting.id));
  CHECK(westbrook.sees_meeting(joint_meeting.id));
  CHECK(westbrook.sees_declaration("interest", theirs.id));
  CHECK_FALSE(westbrook.sees_declaration("interest", mine.id));
  CHECK_FALSE(westbrook.sees_declaration("no_such_kind", theirs.id));

  const GovernanceScope england(*db, third.id);
  CHECK_FALSE(england.sees_committee(joint.id));
  CHECK_FALSE(england.sees_meeting(joint_meeting.id));
  CHECK_FALSE(england.sees_person(away.id));

  // The filter keeps the same people in one query.
  const auto count = [&](const GovernanceScope& s) {
    return (*db).execAndGet("SELECT count(*) FROM person_current p WHERE " + s.person_filter("p.id")).getInt();
  };
  CHECK(count(all) == 2);
  CHECK(count(westbrook) == 1);
  CHECK(count(england) == 0);
}
