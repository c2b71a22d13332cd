// Each body's public register (migration 0022): the read model records each entry's
// home body, serves one body's register through an index and counts it per body, and leaves out
// the people of a body that publishes its register elsewhere, while their entries stay on record
// for the conflict checks. A person moving body and a body switching publication follow at once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "model/public/public_register.hpp"
#include "model/register/bodies.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;

namespace {
Date bodies_day(const char* iso) { return *Date::parse(iso); }
const Date kBodiesDay = bodies_day("2025-09-15");

struct TwoBodies {
  testing::TestDb t;
  Organisation riverside{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
  Person asha{0, "asha", "Dr Asha Patel", "", PersonKind::gp, "GP partner", std::nullopt, std::nullopt};
  Person ben{0, "ben", "Ben Okafor", "", PersonKind::lay, "Lay member", std::nullopt, std::nullopt};
  Body westbrook{0, "westbrook", "NHS Westbrook CCG", "W1X", BodyKind::ccg, "", BodyPublication::here, ""};
  Interest asha_partner, ben_trustee, ben_withheld;

  TwoBodies() {
    westbrook = *create_body(*t, westbrook, "test").saved;  // in a transaction of its own
    WriteTransaction tx(*t);
    OrganisationStore(*t).save(riverside, "test");
    PersonStore(*t).save(asha, "test");
    ben.body_id = westbrook.id;
    PersonStore(*t).save(ben, "test");
    asha_partner = declare(asha, "Partner in the practice");
    ben_trustee = declare(ben, "Trustee of the surgery's charity");
    ben_withheld = declare(ben, "SECRET-NATURE");
    ben_withheld.withheld = true;
    ben_withheld.withheld_reason = "Agreed by the guardian";
    InterestStore(*t).save(ben_withheld, "test");
    tx.commit();
  }

  Interest declare(const Person& p, const std::string& nature) {
    Interest i;
    i.person_id = p.id;
    i.category = InterestCategory::financial;
    i.organisation_id = riverside.id;
    i.nature = nature;
    i.from = bodies_day("2015-04-01");
    i.declared_on = bodies_day("2015-04-10");
    i.status = DeclarationStatus::submitted;
    InterestStore(*t).save(i, "test");
    return i;
  }

  RegisterPage page(std::optional<Id> body = std::nullopt) {
    RegisterFilter f;
    f.body_id = body;
    return public_register(*t, kBodiesDay, f);
  }
  std::vector<Id> ids(std::optional<Id> body = std::nullopt) {
    std::vector<Id> out;
    for (const auto& r : page(body).entries) out.push_back(r.entry.id);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::size_t listed_rows() {  // what the index walk would find, not the counts
    return public_register_rows(*t, kBodiesDay, {}).size();
  }
  void publish_elsewhere(bool elsewhere) {
    westbrook.publication = elsewhere ? BodyPublication::elsewhere : BodyPublication::here;
    westbrook.register_url = elsewhere ? "https://westbrook.example.nhs.uk/register" : "";
    auto saved = edit_body(*t, westbrook, "test");
    REQUIRE(saved);
    REQUIRE(saved->ok());
  }
  std::size_t body_entries(Id body) {
    for (const auto& b : public_bodies(*t, kBodiesDay))
      if (b.body.id == body) return b.entries;
    return 999;
  }
};

std::string bodies_plan_text(const std::vector<std::string>& plan) {
  std::string out;
  for (const auto& s : plan) out += s + "; ";
  return out;
}
}  // namespace

TEST_CASE("one body's register is read in order from its index, and its total from the counts") {
  TwoBodies r;
  RegisterFilter f;
  f.body_id = r.westbrook.id;
  f.person_kind = GENERATE(std::optional<PersonKind>{}, std::optional<PersonKind>{PersonKind::lay});
  auto plan = public_register_plan(*r.t, kBodiesDay, f);
  CAPTURE(bodies_plan_text(plan.page), bodies_plan_text(plan.count));
  CHECK(bodies_plan_text(plan.page).find("public_entries_by_body") != std::string::npos);
  CHECK(bodies_plan_text(plan.page).find("TEMP B-TREE") == std::string::npos);
  CHECK(bodies_plan_text(plan.count).find("public_entry_counts") != std::string::npos);
  CHECK(bodies_plan_text(plan.count).find("SCAN") == std::string::npos);
}

TEST_CASE("each body's register lists its own people's entries; the combined view lists every body's") {
  TwoBodies r;
  CHECK(r.ids() == std::vector<Id>{r.asha_partner.id, r.ben_trustee.id, r.ben_withheld.id});
  CHECK(r.ids(kDefaultBody) == std::vector<Id>{r.asha_partner.id});
  CHECK(r.ids(r.westbrook.id) == std::vector<Id>{r.ben_trustee.id, r.ben_withheld.id});
  CHECK(r.page(r.westbrook.id).total == 2);
  CHECK(r.page(kDefaultBody).total == 1);
  CHECK(r.page().total == 3);
  CHECK(r.body_entries(kDefaultBody) == 1);
  CHECK(r.body_entries(r.westbrook.id) == 2);
  // Each row names its person's body, the default body by the organisation's name.
  PublicationRules rules;
  rules.default_body_name = "NHS Northbrook CCG";
  for (const auto& row : public_register(*r.t, kBodiesDay, {}, rules).entries)
    CHECK(row.person.body.name == (row.person.id == r.ben.id ? "NHS Westbrook CCG" : "NHS Northbrook CCG"));
}

TEST_CASE("a withheld entry stays withheld in its body's register and in the combined one") {
  TwoBodies r;
  for (auto body : {std::optional<Id>{}, std::optional<Id>{r.westbrook.id}}) {
    bool seen = false;
    for (const auto& row : r.page(body).entries)
      if (row.entry.id == r.ben_withheld.id) {
        seen = true;
        CHECK(row.entry.withheld());
        CHECK_FALSE(row.entry.detail);
      }
    CHECK(seen);
  }
}

TEST_CASE("a body that publishes elsewhere: its people's entries leave the public register but stay for conflicts") {
  TwoBodies r;
  r.publish_elsewhere(true);
  CHECK(r.ids() == std::vector<Id>{r.asha_partner.id});
  CHECK(r.page().total == 1);  // the counts follow the switch
  CHECK(r.page(r.westbrook.id).total == 0);
  CHECK(r.ids(r.westbrook.id).empty());
  CHECK(r.listed_rows() == 1);
  CHECK_FALSE(public_person(*r.t, r.ben.id, kBodiesDay));
  CHECK_FALSE(public_entry_history(*r.t, r.ben_trustee.id, kBodiesDay));
  for (const auto& c : public_register_changes(*r.t, kBodiesDay, 100)) CHECK(c.person.id != r.ben.id);
  CHECK(r.body_entries(r.westbrook.id) == 0);
  // Still on record, where the conflict checks read every interest whoever publishes it.
  CHECK(InterestStore(*r.t).find(r.ben_trustee.id).has_value());
  SQLite::Statement q(*r.t, "SELECT count(*) FROM interest_current WHERE person_id = ?");
  q.bind(1, r.ben.id);
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt64() == 2);

  SECTION("and back again when it publishes here") {
    r.publish_elsewhere(false);
    CHECK(r.page().total == 3);
    CHECK(r.ids(r.westbrook.id) == std::vector<Id>{r.ben_trustee.id, r.ben_withheld.id});
  }
  SECTION("a person moving to a body that publishes here brings their entries back") {
    WriteTransaction tx(*r.t);
    r.ben.body_id = kDefaultBody;
    PersonStore(*r.t).save(r.ben, "test");
    tx.commit();
    CHECK(r.page().total == 3);
    CHECK(r.page(kDefaultBody).total == 3);
    CHECK(r.page(r.westbrook.id).total == 0);
  }
}

TEST_CASE("a person moving body moves their entries and their counts to the new body's register") {
  TwoBodies r;
  {
    WriteTransaction tx(*r.t);
    r.asha.body_id = r.westbrook.id;
    PersonStore(*r.t).save(r.asha, "test");
    tx.commit();
  }
  CHECK(r.page(kDefaultBody).total == 0);
  CHECK(r.ids(kDefaultBody).empty());
  CHECK(r.page(r.westbrook.id).total == 3);
  CHECK(r.page().total == 3);
}
