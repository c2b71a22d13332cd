// Several bodies, built through the model API: two CCGs and NHS England, a joint
// committee owned by all three, and a committees-in-common meeting of the two CCGs' primary care
// commissioning committees. The expected briefs are written out in full below.
#include <catch2/catch.hpp>

#include <sstream>

#include "model/meetings/conflicts_report.hpp"
#include "model/meetings/meeting_actions.hpp"
#include "model/meetings/meeting_agenda_actions.hpp"
#include "model/meetings/meeting_minutes.hpp"
#include "model/meetings/meeting_record_actions.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/bodies.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {

const MeetingActor kGovernance{"governance test", std::nullopt, true};

struct SeveralBodies {
  testing::TestDb t;
  Id north = kDefaultBody, south = 0, nhse = 0;
  Id acme = 0, riverside = 0, valley = 0;
  Id nora = 0, ned = 0, nia = 0, sue = 0, sam = 0, sara = 0, ed = 0;
  Id joint = 0, north_pccc = 0, south_pccc = 0;
  Id joint_meeting = 0, lead = 0, follower = 0;
  Id jc_acme = 0, jc_valley = 0, cic_riverside = 0, cic_valley = 0, cic_acme = 0;

  Id person(const char* ref, const char* name, PersonKind kind, Id body, std::optional<Id> practice = std::nullopt) {
    Person p{0, ref, name, "", kind, "", practice, std::nullopt};
    p.body_id = body;
    PersonStore(*t).save(p, "test");
    return p.id;
  }
  Id committee(const char* ref, const char* name, QuorumRule rule, std::vector<Id> bodies) {
    Committee c{0, ref, name, "", rule};
    c.body_ids = std::move(bodies);
    REQUIRE(committee_body_problems(*t, c).empty());
    CommitteeStore(*t).save(c, "test");
    return c.id;
  }
  void member(Id committee_id, Id person_id, CommitteeRole role) {
    Membership m{0, "", committee_id, person_id, role, testing::day("2025-04-01"), std::nullopt};
    MembershipStore(*t).save(m, "test");
  }
  void interest(Id person_id, Id org, bool withheld = false) {
    Interest i;
    i.person_id = person_id;
    i.organisation_id = org;
    i.nature = "Director";
    i.from = testing::day("2024-01-01");
    i.declared_on = testing::day("2024-01-05");
    i.status = DeclarationStatus::approved;
    i.withheld = withheld;
    if (withheld) i.withheld_reason = "Risk of harm";
    InterestStore(*t).save(i, "test");
  }
  Id item(Id meeting, const char* title, AgendaCategory category, Id org) {
    auto saved = add_agenda_item(*t, kGovernance, meeting,
                                 Fields{{"title", title}, {"category", std::string(to_string(category))}, {"organisation_ids", std::to_string(org)},
                                        {"affects_all_gp_practices", "no"}},
                                 FieldLayout::json_body);
    REQUIRE(saved.saved);
    return saved.saved->id;
  }

  SeveralBodies() {
    // The bodies: the default body renamed as Northbrook, Southvale and NHS England.
    Body b1 = BodyStore(*t).find(kDefaultBody).value();
    b1.name = "NHS Northbrook CCG";
    b1.kind = BodyKind::ccg;
    REQUIRE(edit_body(*t, b1, "test")->saved);
    auto body = [&](const char* name, BodyKind kind) {
      Body b;
      b.name = name;
      b.kind = kind;
      return create_body(*t, b, "test").saved.value().id;
    };
    south = body("NHS Southvale CCG", BodyKind::ccg);
    nhse = body("NHS England", BodyKind::nhs_england);

    WriteTransaction tx(*t);
    OrganisationStore orgs(*t);
    Organisation a{0, "org-acme", "Acme Healthcare Ltd", "01234567", OrganisationKind::company, std::nullopt};
    Organisation r{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
    Organisation v{0, "org-valley", "Valley Surgery", "Y07777", OrganisationKind::gp_practice, std::nullopt};
    orgs.save(a, "test");
    orgs.save(r, "test");
    orgs.save(v, "test");
    acme = a.id, riverside = r.id, valley = v.id;

    nora = person("p-nora", "Ms Nora Lay", PersonKind::lay, north);
    ned = person("p-ned", "Mr Ned Exec", PersonKind::executive, north);
    nia = person("p-nia", "Dr Nia Patel", PersonKind::gp, north, riverside);
    sue = person("p-sv-sue", "Ms Sue Lay", PersonKind::lay, south);
    sam = person("p-sv-sam", "Dr Sam Vale", PersonKind::gp, south, valley);
    sara = person("p-sv-sara", "Ms Sara Exec", PersonKind::executive, south);
    ed = person("p-nhse-ed", "Mr Ed England", PersonKind::executive, nhse);
    interest(ed, acme);           // NHS England's member: a director of Acme
    interest(sara, acme, true);   // Southvale's executive: withheld from the public register
    interest(ned, acme);          // Northbrook's executive, who sits on both PCCCs

    // The joint committee: all three bodies, at least one voting member from each and one from
    // NHS England, three in all.
    QuorumRule jc;
    jc.min_voting = 3;
    jc.min_voting_each_body = 1;
    jc.min_voting_from_body = {{nhse, 1}};
    joint = committee("c-joint", "Joint Primary Care Committee", jc, {north, south, nhse});
    member(joint, nora, CommitteeRole::chair);
    member(joint, nia, CommitteeRole::voting);
    member(joint, sam, CommitteeRole::voting);
    member(joint, sara, CommitteeRole::voting);
    member(joint, ed, CommitteeRole::voting);

    // The two CCGs' own committees, each with a lay chair; Mr Ned Exec sits on both.
    QuorumRule north_rule;
    north_rule.min_voting = 2;
    north_rule.min_lay = 1;
    north_rule.lay_chair = true;
    north_pccc = committee("c-pccc-north", "Northbrook PCCC", north_rule, {north});
    member(north_pccc, nora, CommitteeRole::chair);
    member(north_pccc, ned, CommitteeRole::voting);
    member(north_pccc, nia, CommitteeRole::voting);
    QuorumRule south_rule;
    south_rule.min_voting = 3;
    south_rule.min_lay = 1;
    south_rule.lay_chair = true;
    south_pccc = committee("c-sv-pccc", "Southvale PCCC", south_rule, {south});
    member(south_pccc, sue, CommitteeRole::chair);
    member(south_pccc, sam, CommitteeRole::voting);
    member(south_pccc, ned, CommitteeRole::voting);

    Meeting jm{0, "m-joint", joint, "Joint committee, December", testing::day("2026-12-03"), "Room 1", MeetingStatus::planned, false, false, ""};
    MeetingStore(*t).save(jm, "test");
    joint_meeting = jm.id;
    Meeting lm{0, "m-cic", north_pccc, "PCCCs in common, December", testing::day("2026-12-10"), "Room 2", MeetingStatus::planned, false, false, "10:00"};
    MeetingStore(*t).save(lm, "test");
    lead = lm.id;
    tx.commit();

    jc_acme = item(joint_meeting, "APMS contract with Acme", AgendaCategory::gp_contract, acme);
    jc_valley = item(joint_meeting, "Valley Surgery branch closure", AgendaCategory::practice_merger, valley);
    // Southvale's PCCC joins the Northbrook PCCC's meeting: committees in common.
    auto held = hold_in_common(*t, kGovernance, lead, Fields{{"committee_id", std::to_string(south_pccc)}});
    REQUIRE(held.saved);
    follower = held.saved->id;
    cic_riverside = item(lead, "Riverside Surgery merger", AgendaCategory::practice_merger, riverside);
    cic_valley = item(lead, "Valley Surgery merger", AgendaCategory::practice_merger, valley);
    cic_acme = item(lead, "Community services contract with Acme", AgendaCategory::procurement, acme);
  }

  ConflictsReport report(Id meeting, ReportAudience audience = ReportAudience::governance) {
    return build_conflicts_report(*t, meeting, audience).value();
  }
};

// The brief as text: per item, who is flagged and why (rule, how sure), whether it is quorate
// and why not.
std::vector<std::string> brief_lines(const ConflictsReport& r) {
  std::map<Id, std::string> names;
  for (const auto& p : r.participants) names[p.person.id] = p.person.name;
  std::vector<std::string> out;
  int n = 0;
  for (const auto& item : r.items) {
    std::ostringstream line;
    line << ++n << ". " << item.item.title << ":";
    for (const auto& f : item.flags)
      line << " " << names[f.flag.person_id] << " (" << to_string(f.flag.rule) << ", " << to_string(f.flag.confidence) << ");";
    line << (item.quorum.quorate ? " quorate" : " inquorate");
    for (const auto& f : item.quorum.failures) line << " [" << f.rule << "] " << f.reason;
    out.push_back(line.str());
  }
  return out;
}

std::vector<std::string> participant_bodies(const ConflictsReport& r) {
  std::vector<std::string> out;
  for (const auto& p : r.participants) out.push_back(p.person.name + ": " + r.body_names.at(p.person.body_id));
  return out;
}

}  // namespace

TEST_CASE("the joint committee's brief: members of every body flagged, and a body without a member makes an item inquorate") {
  SeveralBodies s;
  const auto r = s.report(s.joint_meeting);
  CHECK(r.show_bodies);
  CHECK(participant_bodies(r) == std::vector<std::string>{"Ms Nora Lay: NHS Northbrook CCG", "Dr Nia Patel: NHS Northbrook CCG",
                                                          "Dr Sam Vale: NHS Southvale CCG", "Ms Sara Exec: NHS Southvale CCG",
                                                          "Mr Ed England: NHS England"});
  // Item 1: NHS England's only member is a director of Acme, and Southvale's executive holds a
  // withheld interest in it: both leave; three voting members remain, none from NHS England.
  // Item 2: Dr Sam Vale's own practice; Southvale still has Ms Sara Exec.
  CHECK(brief_lines(r) ==
        std::vector<std::string>{
            "1. APMS contract with Acme: Ms Sara Exec (organisation, certain); Mr Ed England (organisation, certain); inquorate "
            "[min_voting_from_body] 0 eligible voting members from NHS England are present; the quorum needs at least 1.",
            "2. Valley Surgery branch closure: Dr Sam Vale (own_practice, certain); quorate"});
  CHECK(r.items[0].quorum.by_body == std::map<Id, int>{{s.north, 2}, {s.south, 1}, {s.nhse, 0}});
  CHECK(r.items[0].quorum.remedies.size() == guidance_remedies().size());
  CHECK(r.in_common.empty());
}

TEST_CASE("a member's interests are checked on a committee of another body, and a withheld entry stays withheld for every body's chair") {
  SeveralBodies s;
  // Ms Sara Exec's declarations are Southvale's; the joint committee flags her all the same.
  const auto r = s.report(s.joint_meeting, ReportAudience::committee);
  bool sara_flagged = false;
  for (const auto& f : r.items[0].flags)
    if (f.flag.person_id == s.sara) {
      sara_flagged = true;
      CHECK(f.flag.rule == ConflictRule::withheld);
      CHECK(f.flag.interest_ids.empty());
      CHECK(f.flag.reason ==
            "Ms Sara Exec has an interest that is withheld from the public register and conflicts with item \"APMS contract with "
            "Acme\". Only the governance team can see its details.");
    }
  CHECK(sara_flagged);
  // The JSON names each participant's body and counts each quorum by body.
  const nlohmann::json j = r;
  CHECK(j["meeting"]["participants"][4]["body"] == nlohmann::json{{"id", s.nhse}, {"name", "NHS England"}});
  CHECK(j["items"][0]["quorum"]["by_body"][2] == nlohmann::json{{"body", {{"id", s.nhse}, {"name", "NHS England"}}}, {"eligible_voting", 0}});
  CHECK(j["items"][0]["flags"][0]["rule"] == "withheld");
  CHECK(j["items"][0]["flags"][0]["interest_ids"].empty());
}

TEST_CASE("committees in common: one agenda, each committee's own brief, an item quorate for one and not the other") {
  SeveralBodies s;
  const auto north = s.report(s.lead);
  const auto south = s.report(s.follower);
  // One agenda, the lead's, read by both.
  REQUIRE(south.items.size() == 3);
  CHECK(south.items[1].item.id == s.cic_valley);
  // Each committee's own members: Mr Ned Exec, on both, is counted (and flagged) in each.
  CHECK(brief_lines(north) ==
        std::vector<std::string>{"1. Riverside Surgery merger: Dr Nia Patel (own_practice, certain); quorate",
                                 "2. Valley Surgery merger: quorate",
                                 "3. Community services contract with Acme: Mr Ned Exec (organisation, certain); quorate"});
  CHECK(brief_lines(south) ==
        std::vector<std::string>{"1. Riverside Surgery merger: quorate",
                                 "2. Valley Surgery merger: Dr Sam Vale (own_practice, certain); inquorate [min_voting] 2 eligible voting "
                                 "members are present; the quorum needs at least 3.",
                                 "3. Community services contract with Acme: Mr Ned Exec (organisation, certain); inquorate [min_voting] 2 "
                                 "eligible voting members are present; the quorum needs at least 3."});
  // Each brief summarises the group, the lead first.
  for (const auto* r : {&north, &south}) {
    REQUIRE(r->in_common.size() == 2);
    CHECK(r->in_common[0].meeting.id == s.lead);
    CHECK(r->in_common[0].lead);
    CHECK(r->in_common[1].meeting.id == s.follower);
    CHECK(r->in_common[1].committee.name == "Southvale PCCC");
    CHECK(r->in_common[0].items[1].quorate);
    CHECK_FALSE(r->in_common[1].items[1].quorate);
    CHECK(r->in_common[1].items[1].conflicted == 1);
    CHECK(r->in_common[1].items[1].failures.at(0).reason == "2 eligible voting members are present; the quorum needs at least 3.");
  }
  const nlohmann::json j = south;
  CHECK(j["meeting"]["in_common_with"] == s.lead);
  CHECK(j["meeting"]["in_common"][1]["committee"]["name"] == "Southvale PCCC");
  CHECK(j["meeting"]["in_common"][0]["lead"] == true);
}

TEST_CASE("committees in common: decisions, co-opted members and minutes are each committee's own") {
  SeveralBodies s;
  // The Southvale chair lets Mr Ned Exec take part on the Acme item at Southvale's meeting only.
  auto decided = record_decision(*s.t, kGovernance, s.follower,
                                 Fields{{"agenda_item_id", std::to_string(s.cic_acme)}, {"person_id", std::to_string(s.ned)},
                                        {"action", "participate"}, {"reason", "His role at Acme ended before the tender."},
                                        {"decided_by", "Ms Sue Lay"}});
  REQUIRE(decided.saved);
  CHECK(s.report(s.follower).items[2].quorum.quorate);
  CHECK(s.report(s.lead).items[2].excluded.contains(s.ned));
  // Each brief's summary of the group follows.
  CHECK(s.report(s.lead).in_common[1].items[2].quorate);

  // Minutes per committee: the decision is in Southvale's, not Northbrook's.
  const nlohmann::json south_minutes = build_meeting_minutes(*s.t, s.follower).value();
  const nlohmann::json north_minutes = build_meeting_minutes(*s.t, s.lead).value();
  CHECK(south_minutes.dump().find("His role at Acme ended") != std::string::npos);
  CHECK(north_minutes.dump().find("His role at Acme ended") == std::string::npos);
  CHECK(south_minutes["items"].size() == 3);
}

TEST_CASE("committees in common share the lead's agenda and attendance, changed only on the lead") {
  SeveralBodies s;
  CHECK(AgendaItemStore(*s.t).for_meeting(s.follower).size() == 3);
  CHECK(AgendaItemStore(*s.t).own_for_meeting(s.follower).empty());
  // Apologies recorded on the lead hold at both meetings: Mr Ned Exec is at neither.
  REQUIRE(set_attendance(*s.t, kGovernance, s.lead, Fields{{"person_id", std::to_string(s.ned)}, {"status", "apologies"}}, FieldLayout::json_body).saved);
  for (Id m : {s.lead, s.follower})
    for (const auto& p : s.report(m).participants) CHECK(p.person.id != s.ned);
  CHECK(AttendanceStore(*s.t).find_by_key(s.follower, s.ned).has_value());
  // On the follower, the agenda and the attendance are refused, naming the lead's committee.
  try {
    add_agenda_item(*s.t, kGovernance, s.follower, Fields{{"title", "Another item"}}, FieldLayout::json_body);
    FAIL("a follower's agenda changed");
  } catch (const MeetingRefused& e) {
    CHECK(e.code == "shares_agenda");
    CHECK(std::string(e.what()) == "This meeting shares the agenda and attendance of Northbrook PCCC's meeting: change them on that meeting.");
  }
  CHECK_THROWS_AS(set_attendance(*s.t, kGovernance, s.follower, Fields{{"person_id", std::to_string(s.sue)}, {"status", "present"}},
                                 FieldLayout::json_body),
                  MeetingRefused);
}

TEST_CASE("holding a meeting in common is checked") {
  SeveralBodies s;
  auto problem = [&](Id meeting, const std::string& committee_id) {
    auto r = hold_in_common(*s.t, kGovernance, meeting, Fields{{"committee_id", committee_id}});
    REQUIRE_FALSE(r.saved);
    return r.problems.message("committee_id");
  };
  CHECK(problem(s.lead, "") == "Select the committee");
  CHECK(problem(s.lead, "999999") == "Select the committee");
  CHECK(problem(s.lead, std::to_string(s.north_pccc)) == "Select another committee: this is the meeting's own committee");
  CHECK(problem(s.lead, std::to_string(s.south_pccc)) == "Select another committee: Southvale PCCC already meets in common at this meeting");
  // Asked of the follower, the new meeting joins the lead (a lead is never itself a follower).
  auto joined = hold_in_common(*s.t, kGovernance, s.follower, Fields{{"committee_id", std::to_string(s.joint)}});
  REQUIRE(joined.saved);
  CHECK(joined.saved->in_common_with == s.lead);
  CHECK(joined.saved->date == testing::day("2026-12-10"));
  CHECK(joined.saved->start_time == "10:00");
  CHECK(joined.saved->location == "Room 2");
  CHECK(problem(s.follower, std::to_string(s.joint)) == "Select another committee: Joint Primary Care Committee already meets in common at this meeting");
  CHECK(s.report(s.lead).in_common.size() == 3);
  // A chair may hold a meeting in common only with a committee whose meetings they manage.
  const MeetingActor north_chair{"Ms Nora Lay", s.nora, false};
  Meeting other{0, "m-north-2", s.north_pccc, "Another", testing::day("2027-01-10"), "", MeetingStatus::planned, false, false, ""};
  {
    WriteTransaction tx(*s.t);
    MeetingStore(*s.t).save(other, "test");
    tx.commit();
  }
  CHECK_THROWS_AS(hold_in_common(*s.t, north_chair, other.id, Fields{{"committee_id", std::to_string(s.south_pccc)}}), MeetingRefused);
  // She chairs the joint committee too, whichever bodies own it.
  CHECK(hold_in_common(*s.t, north_chair, other.id, Fields{{"committee_id", std::to_string(s.joint)}}).saved);
}

TEST_CASE("chairs see the meetings they chair, whichever body owns the committee") {
  SeveralBodies s;
  // Ms Sue Lay (Southvale) chairs Southvale's PCCC; Ms Nora Lay (Northbrook) chairs the joint committee.
  CHECK(may_manage_meetings(*s.t, MeetingActor{"Ms Sue Lay", s.sue, false}, s.south_pccc, testing::day("2026-12-01")));
  CHECK_FALSE(may_manage_meetings(*s.t, MeetingActor{"Ms Sue Lay", s.sue, false}, s.north_pccc, testing::day("2026-12-01")));
  CHECK(may_manage_meetings(*s.t, MeetingActor{"Ms Nora Lay", s.nora, false}, s.joint, testing::day("2026-12-01")));
  CHECK_FALSE(may_manage_meetings(*s.t, MeetingActor{"Dr Sam Vale", s.sam, false}, s.joint, testing::day("2026-12-01")));
}
