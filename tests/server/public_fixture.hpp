#pragma once
// A small public register behind a real server, fixed at 15 September 2025, with an entry in
// every publication state that matters to the public pages.
#include "model/register/committee_store.hpp"
#include "model/store/database.hpp"
#include "model/register/declaration_store.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/meetings/meeting_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "server/test_server.hpp"
#include "support.hpp"

namespace probity::testing {

// Everything only the withheld entry holds, its dates of interest and of declaration included;
// none of it may appear anywhere in public.
inline const std::vector<std::string> kWithheldDetails = {"Withheldco", "SECRET-ID-999", "SECRET-NATURE", "SECRET-ACTION",
                                                          "SECRET-REL", "2011-11-11", "11 November 2011",
                                                          "2011-11-21", "21 November 2011"};
inline const std::string kTrickyName = "Zoë <script>alert('x')</script> O'Neil, \"Jr\"";

struct PublicRegisterServer {
  TestServer s;
  Organisation riverside{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
  Organisation acme{0, "org-acme", "Acme Health Ltd", "01234567", OrganisationKind::company, std::nullopt};
  Organisation withheldco{0, "org-w", "Withheldco Ltd", "SECRET-ID-999", OrganisationKind::company, std::nullopt};
  Committee pccc{0, "pccc", "Primary Care Commissioning Committee", "Decides on GP contracts", {}};
  Committee audit{0, "audit", "Audit Committee", "", {}};
  Person asha{0, "asha", "Dr Asha Patel", "asha@example.nhs.uk", PersonKind::gp, "GP partner", std::nullopt, std::nullopt};
  Person ben{0, "ben", "Ben Okafor", "ben@example.org", PersonKind::lay, "Lay member", std::nullopt, std::nullopt};
  Person zoe{0, "zoe", kTrickyName, "zoe@example.org", PersonKind::executive, "Chief finance officer", std::nullopt, std::nullopt};
  Person dana{0, "dana", "Dana Evans", "", PersonKind::clinical, "Nurse", std::nullopt, std::nullopt};
  Person erin{0, "erin", "Erin Walsh", "", PersonKind::officer, "Head of contracts", std::nullopt, std::nullopt};
  Interest partner, five_months, seven_months, withheld, tricky, draft;
  Gift dinner;
  NilReturn erin_nil, zoe_nil;

  Interest interest(const Person& p, InterestCategory c, const Organisation* o, const std::string& nature, const char* from,
                    std::optional<Date> to = std::nullopt, DeclarationStatus status = DeclarationStatus::submitted) {
    Interest i;
    i.person_id = p.id;
    i.category = c;
    i.organisation_id = o ? std::optional<Id>(o->id) : std::nullopt;
    i.nature = nature;
    i.from = d(from);
    i.to = to;
    i.action_taken = "Noted";
    i.declared_on = d(from).plus_days(10);
    i.status = status;
    InterestStore(*s.db).save(i, "test");
    return i;
  }

  explicit PublicRegisterServer(const std::function<void(Config&)>& tweak = {})
      : s([&](Config& c) {
          c.today = "2025-09-15";
          c.base_url = "https://register.example.nhs.uk";
          if (tweak) tweak(c);
        }) {
    auto& db = *s.db;
    WriteTransaction tx(db);
    for (auto* o : {&riverside, &acme, &withheldco}) OrganisationStore(db).save(*o, "test");
    for (auto* c : {&pccc, &audit}) CommitteeStore(db).save(*c, "test");
    for (auto* p : {&asha, &ben, &zoe, &dana, &erin}) PersonStore(db).save(*p, "test");
    MembershipStore members(db);
    Membership m1{0, "", pccc.id, asha.id, CommitteeRole::voting, d("2020-01-01"), std::nullopt};
    Membership m2{0, "", pccc.id, ben.id, CommitteeRole::chair, d("2021-01-01"), std::nullopt};
    Membership m3{0, "", audit.id, zoe.id, CommitteeRole::voting, d("2022-01-01"), std::nullopt};
    Membership m4{0, "", pccc.id, dana.id, CommitteeRole::non_voting, d("2019-01-01"), std::nullopt};
    for (auto* m : {&m1, &m2, &m3, &m4}) members.save(*m, "test");

    partner = interest(asha, InterestCategory::financial, &riverside, "Partner in the practice", "2015-04-01");
    five_months = interest(asha, InterestCategory::non_financial_personal, &acme, "FIVE-MONTHS-AGO trustee", "2018-06-01",
                           d("2025-04-15"));
    seven_months = interest(asha, InterestCategory::non_financial_professional, &acme, "SEVEN-MONTHS-AGO adviser",
                            "2019-06-01", d("2025-02-15"));
    // Published with its details first, then withheld: the earlier version must not leak either.
    withheld = interest(ben, InterestCategory::indirect, &withheldco, "SECRET-NATURE of the interest", "2011-11-11");
    withheld.indirect = true;
    withheld.relationship = "SECRET-REL";
    withheld.action_taken = "SECRET-ACTION";
    withheld.withheld = true;
    withheld.withheld_reason = "Risk of harm";
    InterestStore(db).save(withheld, "governance");
    tricky = interest(zoe, InterestCategory::financial, &acme, "Consultancy, \"private\" clients <b>bold</b>", "2024-05-01");
    draft = interest(zoe, InterestCategory::financial, &riverside, "DRAFT-NATURE", "2025-01-01", std::nullopt,
                     DeclarationStatus::draft);

    dinner.person_id = zoe.id;
    dinner.kind = GiftKind::hospitality;
    dinner.organisation_id = acme.id;
    dinner.source = "Acme sales team";
    dinner.description = "Dinner at \"Le Café\", Leeds";
    dinner.value_pence = 6000;
    dinner.offered_on = d("2025-07-01");
    dinner.outcome = GiftOutcome::accepted;
    dinner.declared_on = d("2025-07-03");
    GiftStore(db).save(dinner, "test");

    erin_nil.person_id = erin.id;
    erin_nil.made_on = d("2025-05-01");
    erin_nil.statement = "I have no interests to declare";
    NilReturnStore(db).save(erin_nil, "test");
    zoe_nil.person_id = zoe.id;  // an old nil return, before Zoë's interest began
    zoe_nil.made_on = d("2023-04-01");
    zoe_nil.statement = "Nothing to declare this year";
    NilReturnStore(db).save(zoe_nil, "test");
    tx.commit();
  }

  /// What a published meeting's page shows: one agenda item with a declaration, the chair's
  /// decision and a movement on it, and a declaration for the whole meeting.
  struct MeetingRecords {
    Meeting meeting;
    AgendaItem item;
    MeetingDeclaration general, declaration;
    ConflictDecision decision;
    RoomMovement movement;
  };
  /// A held meeting of the PCCC with something of everything recorded, published unless told
  /// otherwise. Made only by the tests that ask for it.
  MeetingRecords meeting(bool published = true) {
    auto& db = *s.db;
    MeetingRecords r;
    WriteTransaction tx(db);
    r.meeting.committee_id = pccc.id;
    r.meeting.title = "PCCC meeting in public";
    r.meeting.date = d("2025-09-01");
    r.meeting.location = "Board Room";
    r.meeting.status = MeetingStatus::held;
    r.meeting.published = published;
    MeetingStore(db).save(r.meeting, "test");
    r.item.meeting_id = r.meeting.id;
    r.item.position = 1;
    r.item.title = "Riverside Surgery's application to extend its opening hours";
    // Long enough that the meeting's JSON is over the 1 KB that is worth compressing.
    r.item.description = "The practice asks to open on Saturday mornings from April. " + std::string(20, '.') +
                         " The committee is asked to approve the extended hours and the funding set out in the paper, " +
                         "which the primary care team has checked against the local enhanced service specification.";
    r.item.category = AgendaCategory::gp_contract;
    r.item.organisation_ids = {riverside.id};
    AgendaItemStore(db).save(r.item, "test");
    r.general = {0, "", r.meeting.id, std::nullopt, ben.id, "Trustee of the Northbrook Carers' Trust", std::nullopt};
    MeetingDeclarationStore(db).record(r.general, "test");
    r.declaration = {0, "", r.meeting.id, r.item.id, asha.id, "Partner at Riverside Surgery", partner.id};
    MeetingDeclarationStore(db).record(r.declaration, "test");
    r.decision = {0, "", r.meeting.id, r.item.id, asha.id, ManagementAction::leave_room, "Financial interest in the practice",
                  "Ben Okafor"};
    ConflictDecisionStore(db).record(r.decision, "test");
    r.movement = {0, "", r.meeting.id, asha.id, r.item.id, "14:05", std::string("14:40")};
    RoomMovementStore(db).record(r.movement, "test");
    tx.commit();
    return r;
  }

  httplib::Client client() const {
    auto c = s.client();
    // httplib's client asks for br/gzip unless told otherwise; most tests read plain bodies.
    c.set_default_headers({{"Accept-Encoding", "identity"}});
    return c;
  }
  std::string path(const std::string& prefix, Id id) const { return prefix + std::to_string(id); }
};

}  // namespace probity::testing
