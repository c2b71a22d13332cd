// The register's read model (migration 0014: public_entries, its counts and its FTS5 index):
// each sort and filter is served by an index, the index follows every write in the same
// transaction, and a database that had a register before the migration gets its index built.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "model/public/public_register.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "support.hpp"

using namespace probity;
using probity::testing::day;

namespace {
const Date kToday = day("2025-09-15");

struct ReadModelRegister {
  testing::TestDb t;
  Organisation riverside{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
  Committee pccc{0, "pccc", "Primary Care Commissioning Committee", "", {}};
  Person asha{0, "asha", "Dr Asha Patel", "", PersonKind::gp, "GP partner", std::nullopt, std::nullopt};
  Person ben{0, "ben", "Ben Okafor", "", PersonKind::lay, "Lay member", std::nullopt, std::nullopt};
  Interest partner;

  ReadModelRegister() {
    WriteTransaction tx(*t);
    OrganisationStore(*t).save(riverside, "test");
    CommitteeStore(*t).save(pccc, "test");
    PersonStore(*t).save(asha, "test");
    PersonStore(*t).save(ben, "test");
    Membership m{0, "", pccc.id, asha.id, CommitteeRole::voting, day("2020-01-01"), std::nullopt};
    MembershipStore(*t).save(m, "test");
    partner = declare(asha, "Partner in the practice");
    tx.commit();
  }

  Interest declare(const Person& p, const std::string& nature) {
    Interest i;
    i.person_id = p.id;
    i.category = InterestCategory::financial;
    i.organisation_id = riverside.id;
    i.nature = nature;
    i.from = day("2015-04-01");
    i.declared_on = day("2015-04-10");
    i.status = DeclarationStatus::submitted;
    InterestStore(*t).save(i, "test");
    return i;
  }

  std::vector<Id> found(const std::string& q) {
    RegisterFilter f;
    f.text = q;
    std::vector<Id> out;
    for (const auto& row : public_register(*t, kToday, f).entries) out.push_back(row.entry.id);
    return out;
  }
  std::size_t total() { return public_register(*t, kToday, {}).total; }
  long long search_rows() {
    SQLite::Statement q(*t, "SELECT count(*) FROM public_search");
    q.executeStep();
    return q.getColumn(0).getInt64();
  }
};

bool uses_temp_sort(const std::vector<std::string>& plan) {
  return std::any_of(plan.begin(), plan.end(), [](const std::string& s) { return s.find("TEMP B-TREE") != std::string::npos; });
}
// A full scan reads every row of the table; a walk of one of its indexes (for a page, stopped by
// LIMIT) says which index it walks.
bool scans_entries_table(const std::vector<std::string>& plan) {
  return std::any_of(plan.begin(), plan.end(), [](const std::string& s) {
    return s.rfind("SCAN public_entries", 0) == 0 && s.find("INDEX") == std::string::npos;
  });
}
std::string joined(const std::vector<std::string>& plan) {
  std::string out;
  for (const auto& s : plan) out += s + "; ";
  return out;
}
}  // namespace

TEST_CASE("each sort of the register, either way, is read in order from an index, and its count from the counts") {
  ReadModelRegister r;
  using Sort = RegisterSort;
  auto [sort, index] = GENERATE(table<Sort, std::string>({{Sort::name, "public_entries_by_name"},
                                                          {Sort::organisation, "public_entries_by_organisation"},
                                                          {Sort::type, "public_entries_by_type"},
                                                          {Sort::from, "public_entries_by_from"},
                                                          {Sort::to, "public_entries_by_to"},
                                                          {Sort::declared, "public_entries_by_declared"}}));
  const bool descending = GENERATE(false, true);
  RegisterFilter f;
  f.sort = sort;
  f.descending = descending;
  f.person_kind = GENERATE(std::optional<PersonKind>{}, std::optional<PersonKind>{PersonKind::gp});
  auto plan = public_register_plan(*r.t, kToday, f);
  CAPTURE(index, descending, joined(plan.page), joined(plan.count));
  CHECK_FALSE(uses_temp_sort(plan.page));
  CHECK_FALSE(scans_entries_table(plan.page));
  CHECK(joined(plan.page).find(index + (descending ? "_desc" : "")) != std::string::npos);
  CHECK(joined(plan.count).find("public_entry_counts") != std::string::npos);
  CHECK(joined(plan.count).find("SCAN") == std::string::npos);
}

TEST_CASE("a search and a committee's filter read only their matches, never the whole register") {
  ReadModelRegister r;
  RegisterFilter f;
  SECTION("search") {
    f.text = "riverside";
    auto plan = public_register_plan(*r.t, kToday, f);
    CAPTURE(joined(plan.page), joined(plan.count));
    CHECK(joined(plan.page).find("VIRTUAL TABLE") != std::string::npos);  // the FTS5 index
    CHECK(joined(plan.count).find("VIRTUAL TABLE") != std::string::npos);
    CHECK_FALSE(scans_entries_table(plan.page));
    CHECK_FALSE(scans_entries_table(plan.count));
  }
  SECTION("committee") {
    f.committee_id = r.pccc.id;
    auto plan = public_register_plan(*r.t, kToday, f);
    CAPTURE(joined(plan.page), joined(plan.count));
    CHECK(joined(plan.page).find("public_entries_person") != std::string::npos);
    CHECK_FALSE(scans_entries_table(plan.page));
    CHECK_FALSE(scans_entries_table(plan.count));
  }
}

TEST_CASE("the search index follows a declaration, a change, an end, a withholding and a rename at once") {
  ReadModelRegister r;
  CHECK(r.found("quokka").empty());
  Interest i;
  {
    WriteTransaction tx(*r.t);
    i = r.declare(r.ben, "Quokka sanctuary trustee");
    tx.commit();
  }
  CHECK(r.found("quokka") == std::vector<Id>{i.id});
  CHECK(r.found("QUOKKA SANC") == std::vector<Id>{i.id});  // a phrase, its last word a prefix
  CHECK(r.total() == 2);

  {  // a change
    WriteTransaction tx(*r.t);
    i.nature = "Wombat rescue trustee";
    InterestStore(*r.t).save(i, "test");
    tx.commit();
  }
  CHECK(r.found("quokka").empty());
  CHECK(r.found("wombat") == std::vector<Id>{i.id});

  {  // a withholding: found by the person's name only
    WriteTransaction tx(*r.t);
    i.withheld = true;
    i.withheld_reason = "Risk of harm";
    InterestStore(*r.t).save(i, "governance");
    tx.commit();
  }
  CHECK(r.found("wombat").empty());
  CHECK(r.found("riverside") == std::vector<Id>{r.partner.id});
  CHECK(r.found("okafor") == std::vector<Id>{i.id});

  {  // a rename
    WriteTransaction tx(*r.t);
    r.ben.name = "Benedict Okafor-Smith";
    PersonStore(*r.t).save(r.ben, "governance");
    tx.commit();
  }
  CHECK(r.found("benedict") == std::vector<Id>{i.id});
  CHECK(r.found("okafor-smith") == std::vector<Id>{i.id});
  // A name is found word by word, titles left out, as name_matches finds it: "ben okafor" is in
  // the new name too; a word the name lacks is not.
  CHECK(r.found("ben okafor") == std::vector<Id>{i.id});
  CHECK(r.found("dr benedict okafor-smith") == std::vector<Id>{i.id});
  CHECK(r.found("ben okafor jones").empty());

  {  // an end long enough ago takes it off the register and out of the count
    WriteTransaction tx(*r.t);
    i.withheld = false;
    i.to = day("2024-01-31");
    InterestStore(*r.t).save(i, "test");
    tx.commit();
  }
  CHECK(r.found("benedict").empty());
  CHECK(r.total() == 1);
  const auto rows_before = r.search_rows();

  {  // a write rolled back leaves the read model as it was
    WriteTransaction tx(*r.t);
    r.declare(r.ben, "Capybara farm");
    r.asha.name = "Someone Else";
    PersonStore(*r.t).save(r.asha, "test");
    CHECK(r.found("capybara").size() == 1);  // seen inside the transaction
  }
  CHECK(r.found("capybara").empty());
  CHECK(r.found("asha").size() == 1);
  CHECK(r.search_rows() == rows_before);
  CHECK(r.total() == 1);
  (*r.t).exec("INSERT INTO public_search(public_search, rank) VALUES ('integrity-check', 1)");  // throws if out of step
}

TEST_CASE("a search never fails on FTS5's own syntax") {
  ReadModelRegister r;
  for (const std::string q : {"\"", "\"\"", "*", "NEAR", "NEAR(a b)", "-", "a -b", "riverside:", "name:asha", "a OR b",
                              "(", ")", "^asha", "a AND", "+", "'", "\\", "&", "£", "y01234*"}) {
    CAPTURE(q);
    CHECK_NOTHROW(r.found(q));
  }
  CHECK(r.found("riverside:") == std::vector<Id>{r.partner.id});
  CHECK(r.found("-").empty());
  CHECK(r.found("y01234") == std::vector<Id>{r.partner.id});
}

TEST_CASE("a register recorded before the read model existed gets it built by the migration") {
  ReadModelRegister r;
  Interest withheld;
  {
    WriteTransaction tx(*r.t);
    withheld = r.declare(r.ben, "Adviser to the board");
    withheld.withheld = true;
    InterestStore(*r.t).save(withheld, "governance");
    tx.commit();
  }
  const auto before = public_register(*r.t, kToday, {});
  // Take the migration's work away, as on a database from before it, and run it again.
  for (const char* sql :
       {"DROP TRIGGER person_versions_public_keys", "DROP TRIGGER organisation_versions_public_keys",
        "DROP TRIGGER withholding_requests_public_names", "DROP TRIGGER body_versions_public_listing",
        "DROP TRIGGER interest_versions_public_entries", "DROP TABLE public_search", "DROP TABLE public_entries",
        "DROP TABLE public_entry_counts", "DROP TABLE public_person_keys", "DROP TABLE public_organisation_keys",
        "DROP INDEX interest_versions_recorded_at", "DROP INDEX gift_versions_recorded_at",
        "DROP INDEX nil_return_versions_recorded_at", "DROP INDEX person_versions_recorded_at",
        "DROP INDEX committee_versions_recorded_at", "DROP INDEX membership_versions_recorded_at",
        "DROP INDEX organisation_versions_recorded_at", "DROP INDEX gift_versions_offered",
        "DELETE FROM schema_migrations WHERE name LIKE '0014%' OR name LIKE '0020%' OR name LIKE '0022%' OR name LIKE '0023%' OR name LIKE '0024%'"})
    (*r.t).exec(sql);
  apply_migrations(*r.t);
  const auto after = public_register(*r.t, kToday, {});
  CHECK(after.total == before.total);
  REQUIRE(after.entries.size() == 2);
  CHECK(after.entries[0].entry == before.entries[0].entry);
  CHECK(after.entries[1].entry == before.entries[1].entry);
  CHECK(r.found("okafor") == std::vector<Id>{withheld.id});
  CHECK(r.found("adviser").empty());
  CHECK(r.found("partner") == std::vector<Id>{r.partner.id});
}

TEST_CASE("the read model keeps only decision-makers' entries, in its pages and its counts, and follows a change of mark") {
  ReadModelRegister r;
  Interest bens;
  {
    WriteTransaction tx(*r.t);
    bens = r.declare(r.ben, "Trustee of the league of friends");
    tx.commit();
  }
  REQUIRE(r.total() == 2);
  auto mark = [&](bool decision_maker) {
    WriteTransaction tx(*r.t);
    r.ben.decision_maker = decision_maker;
    PersonStore(*r.t).save(r.ben, "governance");
    tx.commit();
  };
  mark(false);
  CHECK(r.total() == 1);  // the count from public_entry_counts
  CHECK(r.found("okafor").empty());
  RegisterFilter lay;
  lay.person_kind = PersonKind::lay;
  CHECK(public_register(*r.t, kToday, lay).total == 0);
  {  // an entry declared while unmarked is not counted either
    WriteTransaction tx(*r.t);
    r.declare(r.ben, "Governor of a school");
    tx.commit();
  }
  CHECK(r.total() == 1);
  mark(true);
  CHECK(r.total() == 3);
  CHECK(r.found("okafor").size() == 2);
}

TEST_CASE("the read model filters by kind of interest, never finding a withheld entry by its kind") {
  ReadModelRegister r;
  Interest shares;
  {
    WriteTransaction tx(*r.t);
    shares = r.declare(r.ben, "Shares in Riverside Holdings");
    shares.kind = InterestKind::shareholdings;
    InterestStore(*r.t).save(shares, "test");
    tx.commit();
  }
  RegisterFilter f;
  f.interest_kind = InterestKind::shareholdings;
  auto page = public_register(*r.t, kToday, f);
  CHECK(page.total == 1);
  REQUIRE(page.entries.size() == 1);
  CHECK(page.entries[0].entry.id == shares.id);
  {
    WriteTransaction tx(*r.t);
    shares.withheld = true;
    shares.withheld_reason = "Risk of harm";
    InterestStore(*r.t).save(shares, "governance");
    tx.commit();
  }
  CHECK(public_register(*r.t, kToday, f).total == 0);
  f.interest_kind = InterestKind::other;
  CHECK(public_register(*r.t, kToday, f).total == 1);  // Asha's, of the kind every older entry has
}
