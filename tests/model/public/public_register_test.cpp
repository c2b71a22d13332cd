#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <set>

#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/public/public_register.hpp"
#include "model/public/register_json.hpp"
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

const Date today = d("2025-09-15");
const std::string tricky_name = "Zoë <script>alert('x')</script> O'Neil, \"Jr\"";

// A small register: two committees, five people, interests in every publication state.
struct Register {
  testing::TestDb t;
  Organisation riverside{0, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, std::nullopt};
  Organisation acme{0, "org-acme", "Acme Health Ltd", "01234567", OrganisationKind::company, std::nullopt};
  Organisation harbour{0, "org-harbour", "Harbour Trust", "", OrganisationKind::charity, std::nullopt};
  Committee pccc{0, "pccc", "Primary Care Commissioning Committee", "Decides on GP contracts", {}};
  Committee audit{0, "audit", "Audit Committee", "", {}};
  Person asha{0, "asha", "Dr Asha Patel", "asha@example.nhs.uk", PersonKind::gp, "GP partner", std::nullopt, std::nullopt};
  Person ben{0, "ben", "Ben Okafor", "ben@example.org", PersonKind::lay, "Lay member", std::nullopt, std::nullopt};
  Person zoe{0, "zoe", tricky_name, "", PersonKind::executive, "Chief finance officer", std::nullopt, std::nullopt};
  Person chen{0, "chen", "Chen Li", "", PersonKind::officer, "", std::nullopt, std::nullopt};
  Person dana{0, "dana", "Dana Evans", "", PersonKind::clinical, "Nurse", std::nullopt, std::nullopt};
  Interest partner, spouse, trustee, withheld, draft, returned, consultancy;

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
    InterestStore(*t).save(i, "test");
    return i;
  }

  Register() {
    WriteTransaction tx(*t);
    for (auto* o : {&riverside, &acme, &harbour}) OrganisationStore(*t).save(*o, "test");
    for (auto* c : {&pccc, &audit}) CommitteeStore(*t).save(*c, "test");
    for (auto* p : {&asha, &ben, &zoe, &chen, &dana}) PersonStore(*t).save(*p, "test");
    MembershipStore members(*t);
    Membership m1{0, "", pccc.id, asha.id, CommitteeRole::voting, d("2020-01-01"), std::nullopt};
    Membership m2{0, "", pccc.id, ben.id, CommitteeRole::chair, d("2021-01-01"), std::nullopt};
    Membership m3{0, "", audit.id, zoe.id, CommitteeRole::voting, d("2022-01-01"), std::nullopt};
    Membership m4{0, "", pccc.id, dana.id, CommitteeRole::voting, d("2019-01-01"), d("2024-12-31")};  // left
    for (auto* m : {&m1, &m2, &m3, &m4}) members.save(*m, "test");

    partner = interest(asha, InterestCategory::financial, &riverside, "Partner in the practice", "2015-04-01");
    spouse = interest(asha, InterestCategory::indirect, &acme, "Spouse is a director", "2023-01-01", d("2025-04-15"));
    trustee = interest(asha, InterestCategory::non_financial_personal, &harbour, "Trustee", "2018-06-01", d("2025-02-15"));
    withheld = interest(ben, InterestCategory::financial, &acme, "Adviser to the board", "2024-02-01");
    draft = interest(ben, InterestCategory::financial, &riverside, "Draft nature", "2025-01-01", std::nullopt,
                     DeclarationStatus::draft);
    returned = interest(zoe, InterestCategory::financial, &acme, "Returned nature", "2025-01-01", std::nullopt,
                        DeclarationStatus::returned);
    consultancy = interest(zoe, InterestCategory::financial, nullptr, "Consultancy, \"private\" clients", "2024-05-01",
                           std::nullopt, DeclarationStatus::approved);
    withheld.withheld = true;
    withheld.withheld_reason = "Risk of harm to a family member";
    withheld.action_taken = "Secret action";
    InterestStore(*t).save(withheld, "governance");
    spouse.indirect = true;
    spouse.relationship = "spouse";
    InterestStore(*t).save(spouse, "test");
    tx.commit();
  }

  std::vector<Id> ids(const std::vector<PublicRegisterRow>& rows) const {
    std::vector<Id> out;
    for (const auto& r : rows) out.push_back(r.entry.id);
    return out;
  }
  std::vector<Id> register_ids(const RegisterFilter& f, const PublicationRules& rules = {}) {
    return ids(public_register_rows(*t, today, f, rules));
  }
};

std::set<Id> as_set(const std::vector<Id>& v) { return {v.begin(), v.end()}; }

RegisterFilter parsed(std::multimap<std::string, std::string> params) {
  auto p = parse_register_filter(params);
  REQUIRE(p.errors.empty());
  return p.filter;
}

// Counts the SQL statements run on a connection, to show that the read model's number of
// queries does not grow with the register.
struct StatementCounter {
  sqlite3* db;
  int count = 0;
  explicit StatementCounter(SQLite::Database& database) : db(database.getHandle()) {
    sqlite3_trace_v2(
        db, SQLITE_TRACE_STMT,
        [](unsigned, void* self, void*, void* sql) -> int {
          // Lines starting "--" mark trigger subprograms, not statements of ours.
          if (std::string_view(static_cast<const char*>(sql)).rfind("--", 0) != 0) ++static_cast<StatementCounter*>(self)->count;
          return 0;
        },
        this);
  }
  ~StatementCounter() { sqlite3_trace_v2(db, 0, nullptr, nullptr); }
};
}  // namespace

TEST_CASE("the public register shows published entries within their public window") {
  Register r;
  // Not: the trustee role that ended 7 months ago, the draft, the returned entry.
  CHECK(as_set(r.register_ids({})) == std::set<Id>{r.partner.id, r.spouse.id, r.withheld.id, r.consultancy.id});

  SECTION("where review is required, only approved entries appear") {
    PublicationRules rules;
    rules.review_required = true;
    CHECK(r.register_ids({}, rules) == std::vector<Id>{r.consultancy.id});
  }
  SECTION("the ended interest leaves the register the day after its six months") {
    CHECK(as_set(r.ids(public_register_rows(*r.t, d("2025-10-15"), {}))).count(r.spouse.id) == 1);
    CHECK(as_set(r.ids(public_register_rows(*r.t, d("2025-10-16"), {}))).count(r.spouse.id) == 0);
  }
}

TEST_CASE("the register filters by committee, person kind, type and free text") {
  Register r;
  using Params = std::multimap<std::string, std::string>;
  auto [params, expected] = GENERATE_REF(table<Params, std::vector<Id>>({
      {{{"committee", std::to_string(r.pccc.id)}}, {r.withheld.id, r.partner.id, r.spouse.id}},
      {{{"committee", std::to_string(r.audit.id)}}, {r.consultancy.id}},
      {{{"person_kind", "lay"}}, {r.withheld.id}},
      {{{"person_kind", "attendee"}}, {}},
      // The withheld entry is financial, but a type filter must not reveal that.
      {{{"category", "financial"}}, {r.consultancy.id, r.partner.id}},  // by surname: O'Neil, Patel
      {{{"category", "indirect"}}, {r.spouse.id}},
      {{{"q", "ACME"}}, {r.spouse.id}},  // organisation; the withheld Acme entry is not found
      {{{"q", "y01234"}}, {r.partner.id}},  // organisation identifier
      {{{"q", "partner in"}}, {r.partner.id}},  // nature
      {{{"q", "okafor"}}, {r.withheld.id}},  // a withheld entry is found by the person's name
      {{{"q", "ZOË <SCRIPT>"}}, {r.consultancy.id}},  // non-ASCII letters fold too
      {{{"q", "\"private\""}}, {r.consultancy.id}},
      {{{"committee", std::to_string(r.pccc.id)}, {"category", "financial"}}, {r.partner.id}},
      {{{"committee", "999"}}, {}},
  }));
  CAPTURE(params);
  CHECK(r.register_ids(parsed(params)) == expected);
}

TEST_CASE("the register sorts by each column, withheld entries last when sorted by what they hide") {
  Register r;
  using Params = std::multimap<std::string, std::string>;
  auto [params, expected] = GENERATE_REF(table<Params, std::vector<Id>>({
      {{}, {r.consultancy.id, r.withheld.id, r.partner.id, r.spouse.id}},  // by surname (O'Neil, Okafor, Patel), then entry id
      {{{"order", "desc"}}, {r.partner.id, r.spouse.id, r.withheld.id, r.consultancy.id}},
      {{{"sort", "organisation"}}, {r.spouse.id, r.partner.id, r.consultancy.id, r.withheld.id}},
      {{{"sort", "organisation"}, {"order", "desc"}}, {r.partner.id, r.spouse.id, r.consultancy.id, r.withheld.id}},
      {{{"sort", "from"}}, {r.partner.id, r.spouse.id, r.consultancy.id, r.withheld.id}},
      {{{"sort", "from"}, {"order", "desc"}}, {r.consultancy.id, r.spouse.id, r.partner.id, r.withheld.id}},
      {{{"sort", "to"}}, {r.spouse.id, r.consultancy.id, r.partner.id, r.withheld.id}},  // ongoing after ended, then by surname
      {{{"sort", "declared"}, {"order", "desc"}}, {r.consultancy.id, r.spouse.id, r.partner.id, r.withheld.id}},
      {{{"sort", "type"}}, {r.consultancy.id, r.partner.id, r.spouse.id, r.withheld.id}},
  }));
  CAPTURE(params);
  CHECK(r.register_ids(parsed(params)) == expected);
}

TEST_CASE("the register is paginated") {
  Register r;
  auto all = r.register_ids({});
  RegisterFilter f;
  f.page_size = 3;
  auto first = public_register(*r.t, today, f);
  CHECK(first.total == 4);
  CHECK(first.page_count == 2);
  CHECK(r.ids(first.entries) == std::vector<Id>(all.begin(), all.begin() + 3));
  f.page = 2;
  auto second = public_register(*r.t, today, f);
  CHECK(r.ids(second.entries) == std::vector<Id>{all[3]});
  f.page = 3;
  auto beyond = public_register(*r.t, today, f);
  CHECK(beyond.entries.empty());
  CHECK(beyond.total == 4);

  auto doc = nlohmann::json(first);
  CHECK(doc.at("total") == 4);
  CHECK(doc.at("page") == 1);
  CHECK(doc.at("page_size") == 3);
  CHECK(doc.at("page_count") == 2);
  CHECK(doc.at("entries").size() == 3);

  f.page = 0;
  CHECK_THROWS_WITH(public_register(*r.t, today, f), "page must be a whole number, 1 or more");
}

TEST_CASE("bad filter values are reported field by field in plain English") {
  using Params = std::multimap<std::string, std::string>;
  auto [params, field, message] = GENERATE(table<Params, std::string, std::string>({
      {{{"category", "money"}}, "category",
       "category must be one of: financial, non_financial_professional, non_financial_personal, indirect"},
      {{{"person_kind", "GP"}}, "person_kind", "person_kind must be one of: gp, lay, executive, clinical, officer, attendee"},
      {{{"sort", "salary"}}, "sort", "sort must be one of: name, organisation, type, from, to, declared"},
      {{{"order", "up"}}, "order", "order must be asc or desc"},
      {{{"page", "0"}}, "page", "page must be a whole number, 1 or more"},
      {{{"page", "-3"}}, "page", "page must be a whole number, 1 or more"},
      {{{"page", "two"}}, "page", "page must be a whole number, 1 or more"},
      {{{"page", "99999999999999999999"}}, "page", "page must be a whole number, 1 or more"},
      {{{"page_size", "0"}}, "page_size", "page_size must be a whole number from 1 to 500"},
      {{{"page_size", "501"}}, "page_size", "page_size must be a whole number from 1 to 500"},
      {{{"page_size", "10x"}}, "page_size", "page_size must be a whole number from 1 to 500"},
      {{{"committee", "pccc"}}, "committee", "committee must be a committee id, a whole number such as 3"},
      {{{"q", std::string(201, 'a')}}, "q", "q must be at most 200 characters"},
      {{{"sort", "name"}, {"sort", "from"}}, "sort", "sort was given more than once; give it once"},
  }));
  CAPTURE(params);
  auto result = parse_register_filter(params);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].field == field);
  CHECK(result.errors[0].message == message);
  CHECK(nlohmann::json(result.errors[0]) == nlohmann::json{{"field", field}, {"message", message}});
}

TEST_CASE("good filter values are accepted, every problem is reported, and limits are configurable") {
  auto ok = parse_register_filter({{"page", "2"}, {"page_size", "500"}, {"q", std::string(200, 'a')}, {"category", ""}});
  CHECK(ok.errors.empty());
  CHECK(ok.filter.page == 2);
  CHECK(ok.filter.page_size == 500);
  CHECK_FALSE(ok.filter.category.has_value());  // empty means not set
  CHECK(parse_register_filter({{"q", std::string(200, 'a') + "é"}}).errors.size() == 1);
  CHECK(parse_register_filter({{"q", std::string(199, 'a') + "é"}}).errors.empty());  // characters, not bytes

  auto bad = parse_register_filter({{"category", "x"}, {"sort", "y"}, {"page", "0"}});
  CHECK(bad.errors.size() == 3);

  RegisterPaging paging;
  paging.max_page_size = 100;
  paging.default_page_size = 20;
  CHECK(parse_register_filter({}, paging).filter.page_size == 20);
  auto over = parse_register_filter({{"page_size", "101"}}, paging);
  REQUIRE(over.errors.size() == 1);
  CHECK(over.errors[0].message == "page_size must be a whole number from 1 to 100");
}

TEST_CASE("query parameters are read as every input is: a repeated one is refused unless its first value is empty") {
  CHECK(parse_register_filter({{"sort", ""}, {"sort", "from"}}).errors.empty());  // empty first: not set
  auto twice = parse_gift_filter({{"q", "a"}, {"q", "b"}});
  REQUIRE(twice.errors.size() == 1);
  CHECK(twice.errors[0].message == "q was given more than once; give it once");
  CHECK(parse_register_filter({{"q", " smith"}}).filter.text == " smith");  // the search text as typed
  auto spaced = parse_register_filter({{"page", " 2 "}, {"category", " financial "}});
  CHECK(spaced.errors.empty());
  CHECK(spaced.filter.page == 2);
  CHECK(spaced.filter.category == InterestCategory::financial);
}

TEST_CASE("a withheld entry's JSON names the person and carries no detail keys") {
  Register r;
  auto rows = public_register_rows(*r.t, today, {});
  auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.entry.id == r.withheld.id; });
  REQUIRE(it != rows.end());
  nlohmann::json j = *it;
  CHECK(j.at("withheld") == true);
  CHECK(j.at("id") == r.withheld.id);
  CHECK(j.at("person").at("name") == "Ben Okafor");
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  CHECK(keys == std::set<std::string>{"id", "withheld", "person"});

  // And nothing of it anywhere in the whole register document.
  const std::string all = nlohmann::json(public_register(*r.t, today, {})).dump();
  for (const char* secret : {"Adviser to the board", "Risk of harm", "Secret action", "2024-02-01"}) {
    CAPTURE(secret);
    CHECK(all.find(secret) == std::string::npos);
  }
  CHECK(all.find("Partner in the practice") != std::string::npos);  // a visible entry's detail is there
}

TEST_CASE("a visible entry's JSON has every register column, with ISO dates and the organisation's identifier") {
  Register r;
  auto rows = public_register_rows(*r.t, today, {});
  auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.entry.id == r.spouse.id; });
  REQUIRE(it != rows.end());
  nlohmann::json expected = {
      {"id", r.spouse.id},
      {"withheld", false},
      {"ref", r.spouse.ref},
      {"category", "indirect"},
      {"indirect", true},
      {"relationship", "spouse"},
      {"organisation", {{"id", r.acme.id}, {"name", "Acme Health Ltd"}, {"identifier", "01234567"}, {"kind", "company"}}},
      {"nature", "Spouse is a director"},
      {"from", "2023-01-01"},
      {"to", "2025-04-15"},
      {"action_taken", "Noted"},
      {"declared_on", "2023-01-11"},
      {"kind", "other"},
      {"details", nlohmann::json::object()},
      {"person",
       {{"id", r.asha.id},
        {"ref", "asha"},
        {"name", "Dr Asha Patel"},
        {"kind", "gp"},
        {"positions", {"GP partner", "Voting member, Primary Care Commissioning Committee"}},
        {"body", {{"id", kDefaultBody}, {"name", ""}}}}}};  // no default_body_name in these rules
  CHECK(nlohmann::json(*it) == expected);
}

TEST_CASE("names with markup, quotes, commas and non-ASCII letters survive unchanged in the JSON") {
  Register r;
  auto rows = public_register_rows(*r.t, today, {});
  auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& row) { return row.entry.id == r.consultancy.id; });
  REQUIRE(it != rows.end());
  const std::string text = nlohmann::json(*it).dump();
  auto back = nlohmann::json::parse(text);
  CHECK(back.at("person").at("name") == tricky_name);
  CHECK(back.at("nature") == "Consultancy, \"private\" clients");
  CHECK(back.at("organisation").is_null());
  CHECK(text.find("Zoë") != std::string::npos);  // UTF-8 as is, not \u escapes
}

// A committee page's statements: the committee, its members, their entries' and nil returns'
// versions, the people, memberships, bodies and Guardian's withholdings they need, then the
// register's page (its snapshot, count, ids, versions and what they name).
constexpr int kCommitteeQueries = 20;

TEST_CASE("the register reads a fixed number of queries, however many rows it has") {
  testing::TestDb t;
  Organisation org{0, "", "Acme Health Ltd", "01234567", OrganisationKind::company, std::nullopt};
  Committee committee{0, "", "PCCC", "", {}};
  std::vector<Person> people;
  auto add_interests = [&](int count) {
    WriteTransaction tx(*t);
    if (org.id == 0) {
      OrganisationStore(*t).save(org, "test");
      CommitteeStore(*t).save(committee, "test");
    }
    for (int n = 0; n < count; ++n) {
      if (n % 10 == 0) {
        Person p{0, "", "Person " + std::to_string(people.size()), "", PersonKind::gp, "GP", std::nullopt, std::nullopt};
        PersonStore(*t).save(p, "test");
        Membership m{0, "", committee.id, p.id, CommitteeRole::voting, d("2020-01-01"), std::nullopt};
        MembershipStore(*t).save(m, "test");
        people.push_back(p);
      }
      Interest i;
      i.person_id = people.back().id;
      i.organisation_id = org.id;
      i.nature = "Interest " + std::to_string(n);
      i.from = d("2024-01-01");
      i.declared_on = d("2024-01-05");
      InterestStore(*t).save(i, "test");
    }
    tx.commit();
  };
  auto queries_for_register = [&] {
    StatementCounter counter(*t);
    RegisterFilter f;
    f.committee_id = committee.id;
    f.page_size = 500;
    auto page = public_register(*t, today, f);
    return std::make_pair(counter.count, page.total);
  };

  add_interests(10);
  auto [small_queries, small_total] = queries_for_register();
  CHECK(small_total == 10);
  add_interests(990);
  auto [large_queries, large_total] = queries_for_register();
  CHECK(large_total == 1000);
  CHECK(small_queries > 0);
  CHECK(large_queries == small_queries);

  // A committee's page: its members whole, and one page of their combined register.
  StatementCounter counter(*t);
  auto committee_view = public_committee(*t, committee.id, today, {}, CommitteePage{2, 400});
  REQUIRE(committee_view.has_value());
  CHECK(committee_view->register_rows.size() == 400);
  CHECK(committee_view->total == 1000);
  CHECK(committee_view->page_count == 3);
  CHECK(committee_view->members.size() == 100);
  CHECK(counter.count <= kCommitteeQueries);
}

TEST_CASE("a person's public page") {
  Register r;
  {
    WriteTransaction tx(*r.t);
    GiftStore gifts(*r.t);
    Gift dinner;
    dinner.person_id = r.asha.id;
    dinner.kind = GiftKind::hospitality;
    dinner.organisation_id = r.acme.id;
    dinner.source = "Acme sales team";
    dinner.description = "Conference dinner";
    dinner.value_pence = 4550;
    dinner.offered_on = d("2025-01-20");
    dinner.outcome = GiftOutcome::declined;
    dinner.declared_on = d("2025-01-21");
    gifts.save(dinner, "test");
    Gift unsent = dinner;
    unsent.id = 0;
    unsent.ref.clear();
    unsent.description = "Not yet submitted";
    unsent.status = DeclarationStatus::draft;
    gifts.save(unsent, "test");
    NilReturn nil{0, "", r.chen.id, d("2025-04-01"), "Nothing to declare", DeclarationStatus::submitted};
    NilReturn draft_nil{0, "", r.dana.id, d("2025-04-01"), "", DeclarationStatus::draft};
    NilReturnStore(*r.t).save(nil, "test");
    NilReturnStore(*r.t).save(draft_nil, "test");
    r.trustee.declared_on = d("2025-03-01");  // re-declared at the annual round, after it had ended
    InterestStore(*r.t).save(r.trustee, "asha");
    tx.commit();
  }

  SECTION("interests, memberships, gifts and the date of the last declaration") {
    auto asha = public_person(*r.t, r.asha.id, today);
    REQUIRE(asha.has_value());
    CHECK(asha->person.name == "Dr Asha Patel");
    std::vector<Id> interests;
    for (const auto& i : asha->interests) interests.push_back(i.id);
    CHECK(interests == std::vector<Id>{r.spouse.id, r.partner.id});  // latest first; the trustee role has left
    REQUIRE(asha->memberships.size() == 1);
    CHECK(asha->memberships[0].committee_name == "Primary Care Commissioning Committee");
    REQUIRE(asha->gifts.size() == 1);
    CHECK(asha->gifts[0].description == "Conference dinner");
    // The trustee entry is off the public page, but its declaration still counts.
    CHECK(asha->compliance.state == PublicComplianceState::declared);
    CHECK(asha->compliance.text == "Last declared on 1 March 2025");

    nlohmann::json j = *asha;
    CHECK_FALSE(j.contains("email"));
    CHECK(j.dump().find("asha@example.nhs.uk") == std::string::npos);
    CHECK(j.at("gifts").at(0).at("value") == "45.50");
    CHECK_FALSE(j.at("gifts").at(0).contains("person"));
    CHECK(j.at("positions") == nlohmann::json{"GP partner", "Voting member, Primary Care Commissioning Committee"});
  }
  SECTION("a nil return, and no declaration received, are shown as such") {
    auto chen = public_person(*r.t, r.chen.id, today);
    REQUIRE(chen.has_value());
    CHECK(chen->interests.empty());
    REQUIRE(chen->nil_returns.size() == 1);
    CHECK(chen->compliance.text == "Nil return made on 1 April 2025");
    auto dana = public_person(*r.t, r.dana.id, today);
    REQUIRE(dana.has_value());
    CHECK(dana->nil_returns.empty());  // a draft nil return is not a return
    CHECK(dana->compliance.state == PublicComplianceState::none_received);
    CHECK(dana->compliance.text == "No declaration received in the last 12 months");
    CHECK(dana->person.positions == std::vector<std::string>{"Nurse"});  // committee membership ended
  }
  SECTION("a withheld entry on the person's page has no details") {
    auto ben = public_person(*r.t, r.ben.id, today);
    REQUIRE(ben.has_value());
    REQUIRE(ben->interests.size() == 1);
    CHECK(ben->interests[0].withheld());
    CHECK(nlohmann::json(*ben).dump().find("Adviser") == std::string::npos);
  }
  SECTION("an unknown person is not found") { CHECK_FALSE(public_person(*r.t, 9999, today).has_value()); }
}

TEST_CASE("committees list their members today and their combined register") {
  Register r;
  {
    // An overlapping second membership (a role change recorded without ending the first).
    WriteTransaction tx(*r.t);
    Membership again{0, "", r.pccc.id, r.asha.id, CommitteeRole::vice_chair, d("2025-01-01"), std::nullopt};
    MembershipStore(*r.t).save(again, "test");
    tx.commit();
  }
  auto all = public_committees(*r.t, today);
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "Audit Committee");
  CHECK(all[0].member_count == 1);
  CHECK(all[1].member_count == 2);  // Dana's membership has ended

  auto pccc = public_committee(*r.t, r.pccc.id, today);
  REQUIRE(pccc.has_value());
  REQUIRE(pccc->members.size() == 2);
  CHECK(pccc->members[0].person.name == "Ben Okafor");  // the chair first
  CHECK(pccc->members[0].role == CommitteeRole::chair);
  CHECK(pccc->members[1].person.name == "Dr Asha Patel");
  // The withheld entry is Ben's only declaration: its date is one of its details, so it is not shown.
  CHECK(pccc->members[0].compliance.text == "No declaration received in the last 12 months");
  CHECK_FALSE(pccc->members[0].compliance.last_declared_on.has_value());
  CHECK(pccc->members[1].compliance.text == "No declaration received in the last 12 months (last declared on 11 January 2023)");
  CHECK(r.ids(pccc->register_rows) == std::vector<Id>{r.withheld.id, r.partner.id, r.spouse.id});

  nlohmann::json j = *pccc;
  CHECK(j.at("name") == "Primary Care Commissioning Committee");
  CHECK(j.at("members").at(0).at("role") == "chair");
  CHECK(j.at("register").size() == 3);
  CHECK(j.dump().find("Adviser") == std::string::npos);

  CHECK_FALSE(public_committee(*r.t, 9999, today).has_value());

  // Paged as the register filtered by the committee is: each page holds its rows in the
  // register's order, and every member (with their standing) is on every page.
  CHECK(pccc->total == 3);
  CHECK(pccc->page == 1);
  CHECK(pccc->page_size == 50);
  CHECK(pccc->page_count == 1);
  RegisterFilter by_committee;
  by_committee.committee_id = r.pccc.id;
  const auto whole = r.register_ids(by_committee);
  CHECK(whole == r.ids(pccc->register_rows));
  for (int n = 1; n <= 4; ++n) {
    CAPTURE(n);
    auto one = public_committee(*r.t, r.pccc.id, today, {}, CommitteePage{n, 1});
    REQUIRE(one.has_value());
    CHECK(one->total == 3);
    CHECK(one->page == n);
    CHECK(one->page_size == 1);
    CHECK(one->page_count == 3);
    CHECK(one->members.size() == 2);
    CHECK(one->members[1].compliance.text == pccc->members[1].compliance.text);
    if (n <= 3) CHECK(r.ids(one->register_rows) == std::vector<Id>{whole[static_cast<std::size_t>(n - 1)]});
    else CHECK(one->register_rows.empty());  // past the last page: empty, with the total
    const nlohmann::json paged = *one;
    CHECK(paged.at("page_count") == 3);
    CHECK(paged.at("register").size() == (n <= 3 ? 1u : 0u));
  }
  CHECK_THROWS_AS(public_committee(*r.t, r.pccc.id, today, {}, CommitteePage{0, 50}), std::invalid_argument);
  CHECK_THROWS_AS(public_committee(*r.t, r.pccc.id, today, {}, CommitteePage{1, 501}), std::invalid_argument);
}

TEST_CASE("a committee page reads its page and page size as the register does, and nothing else") {
  auto none = parse_committee_page({});
  CHECK(none.errors.empty());
  CHECK(none.page.page == 1);
  CHECK(none.page.page_size == 50);
  auto good = parse_committee_page({{"page", "3"}, {"page_size", "20"}, {"q", "not read here"}, {"sort", "cost"}});
  CHECK(good.errors.empty());
  CHECK(good.page.page == 3);
  CHECK(good.page.page_size == 20);
  auto bad = parse_committee_page({{"page", "0"}, {"page_size", "x"}});
  REQUIRE(bad.errors.size() == 2);
  CHECK(bad.errors[0].field == "page");
  CHECK(bad.errors[0].message == "page must be a whole number, 1 or more");
  CHECK(bad.errors[1].field == "page_size");
  CHECK(bad.errors[1].message == "page_size must be a whole number from 1 to 500");
  RegisterPaging small;
  small.max_page_size = 10;
  CHECK(parse_committee_page({{"page_size", "11"}}, small).errors.at(0).message == "page_size must be a whole number from 1 to 10");
}

TEST_CASE("the gifts register shows published gifts and hospitality, latest first") {
  Register r;
  {
    WriteTransaction tx(*r.t);
    GiftStore gifts(*r.t);
    auto gift = [&](const Person& p, GiftKind kind, const char* description, const char* offered, DeclarationStatus status) {
      Gift g;
      g.person_id = p.id;
      g.kind = kind;
      g.source = "Acme sales team";
      g.organisation_id = r.acme.id;
      g.description = description;
      g.value_pence = 6000;
      g.offered_on = d(offered);
      g.declared_on = d(offered).plus_days(2);
      g.status = status;
      gifts.save(g, "test");
    };
    gift(r.asha, GiftKind::hospitality, "Conference dinner", "2025-01-20", DeclarationStatus::submitted);
    gift(r.ben, GiftKind::gift, "Hamper", "2024-12-01", DeclarationStatus::approved);
    gift(r.zoe, GiftKind::gift, "Unsent draft", "2025-03-01", DeclarationStatus::draft);
    tx.commit();
  }
  auto descriptions = [&](const std::multimap<std::string, std::string>& params) {
    auto f = parse_gift_filter(params);
    REQUIRE(f.errors.empty());
    std::vector<std::string> out;
    for (const auto& g : public_gifts(*r.t, today, f.filter)) out.push_back(g.description);
    return out;
  };
  CHECK(descriptions({}) == std::vector<std::string>{"Conference dinner", "Hamper"});
  CHECK(descriptions({{"kind", "gift"}}) == std::vector<std::string>{"Hamper"});
  CHECK(descriptions({{"person_kind", "gp"}}) == std::vector<std::string>{"Conference dinner"});
  CHECK(descriptions({{"q", "HAMP"}}) == std::vector<std::string>{"Hamper"});
  CHECK(descriptions({{"q", "acme health"}}) == std::vector<std::string>{"Conference dinner", "Hamper"});
  CHECK(descriptions({{"committee", std::to_string(r.audit.id)}}).empty());

  auto bad = parse_gift_filter({{"kind", "cash"}});
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].message == "kind must be one of: gift, hospitality");

  nlohmann::json j = public_gifts(*r.t, today, {}).at(0);
  CHECK(j.at("value") == "60.00");
  CHECK(j.at("value_pence") == 6000);
  CHECK(j.at("kind") == "hospitality");
  CHECK(j.at("organisation").at("identifier") == "01234567");
  CHECK(j.at("person").at("name") == "Dr Asha Patel");
}

TEST_CASE("an entry's public history shows its published versions only") {
  Register r;
  {
    WriteTransaction tx(*r.t);
    InterestStore interests(*r.t);
    r.partner.status = DeclarationStatus::approved;  // same content: not a new public version
    interests.save(r.partner, "governance");
    r.partner.nature = "Senior partner in the practice";
    r.partner.status = DeclarationStatus::submitted;
    interests.save(r.partner, "asha");
    r.partner.nature = "Draft wording";
    r.partner.status = DeclarationStatus::draft;
    interests.save(r.partner, "asha");
    tx.commit();
  }
  auto history = public_entry_history(*r.t, r.partner.id, today);
  REQUIRE(history.has_value());
  REQUIRE(history->versions.size() == 2);
  CHECK(history->versions[0].version == 1);
  CHECK(history->versions[0].entry.detail->nature == "Partner in the practice");
  CHECK(history->versions[1].version == 3);
  CHECK(history->versions[1].entry.detail->nature == "Senior partner in the practice");
  CHECK_FALSE(history->versions[1].recorded_at.empty());
  nlohmann::json j = *history;
  CHECK(j.at("person").at("name") == "Dr Asha Patel");
  CHECK(j.at("versions").at(1).at("nature") == "Senior partner in the practice");
  CHECK(j.dump().find("Draft wording") == std::string::npos);

  SECTION("where review is required, the submitted amendment is not yet part of it") {
    PublicationRules rules;
    rules.review_required = true;
    auto reviewed = public_entry_history(*r.t, r.partner.id, today, rules);
    REQUIRE(reviewed.has_value());
    REQUIRE(reviewed->versions.size() == 1);
    CHECK(reviewed->versions[0].version == 2);
  }
  SECTION("a withheld entry's history shows every version as withheld") {
    auto withheld = public_entry_history(*r.t, r.withheld.id, today);
    REQUIRE(withheld.has_value());
    REQUIRE(withheld->versions.size() == 1);  // both versions withheld now: identical to the public
    CHECK(withheld->versions[0].entry.withheld());
    const std::string text = nlohmann::json(*withheld).dump();
    CHECK(text.find("Adviser") == std::string::npos);
    CHECK(text.find("Acme") == std::string::npos);
    CHECK(nlohmann::json(*withheld).at("versions").at(0).at("withheld") == true);
    // How many versions it has and when they were recorded are its details too.
    CHECK(nlohmann::json(*withheld).at("versions").at(0) == nlohmann::json{{"id", r.withheld.id}, {"withheld", true}});
  }
  SECTION("entries not on the public register have no public history") {
    CHECK_FALSE(public_entry_history(*r.t, r.trustee.id, today).has_value());  // ended 7 months ago
    CHECK_FALSE(public_entry_history(*r.t, r.draft.id, today).has_value());
    CHECK_FALSE(public_entry_history(*r.t, r.returned.id, today).has_value());
    CHECK_FALSE(public_entry_history(*r.t, 9999, today).has_value());
  }
}

TEST_CASE("the register's changes for the feed: published versions of public entries, newest first") {
  Register r;
  {
    WriteTransaction tx(*r.t);
    r.partner.nature = "Senior partner in the practice";
    InterestStore(*r.t).save(r.partner, "asha");
    tx.commit();
  }
  auto changes = public_register_changes(*r.t, today, 100);
  std::vector<std::pair<Id, int>> seen;
  for (const auto& c : changes) seen.emplace_back(c.entry.id, c.version);
  // Every public entry's published versions; the trustee (ended 7 months ago), the draft and
  // the returned entry are not on the public register, so not in its feed either, and a
  // withheld entry has no public changes (each would say when it was recorded).
  CHECK(as_set([&] {
          std::vector<Id> ids;
          for (const auto& [id, v] : seen) ids.push_back(id);
          return ids;
        }()) == std::set<Id>{r.partner.id, r.spouse.id, r.consultancy.id});
  for (const auto& c : changes) {
    CAPTURE(c.entry.id, c.version);
    CHECK_FALSE(c.entry.withheld());
    CHECK(c.person.id == c.entry.person_id);
  }
  for (std::size_t i = 1; i < changes.size(); ++i) CHECK(changes[i - 1].recorded_at >= changes[i].recorded_at);
  auto partner_versions = std::count_if(changes.begin(), changes.end(), [&](const auto& c) { return c.entry.id == r.partner.id; });
  CHECK(partner_versions == 2);
  const auto first_partner = std::find_if(changes.rbegin(), changes.rend(), [&](const auto& c) { return c.entry.id == r.partner.id; });
  CHECK(first_partner->first);
  CHECK(first_partner->entry.detail->nature == "Partner in the practice");
  const std::string text = nlohmann::json(changes).dump();
  CHECK(text.find("Adviser to the board") == std::string::npos);
  CHECK(text.find("Secret action") == std::string::npos);

  CHECK(public_register_changes(*r.t, today, 2).size() == 2);
}

TEST_CASE("the register's last recorded time is the latest of any register record") {
  testing::TestDb empty;
  CHECK_FALSE(register_last_recorded(*empty).has_value());
  Register r;
  auto last = register_last_recorded(*r.t);
  REQUIRE(last.has_value());
  CHECK(last->size() == 20);  // 2025-09-15T10:00:00Z
  CHECK(last->back() == 'Z');
}

TEST_CASE("the date of the last declaration comes from published entries that are not withheld") {
  Register r;
  Interest published, withheld_later;
  {
    WriteTransaction tx(*r.t);
    // Ben declares a published entry, then a newer one that governance withholds.
    published = r.interest(r.ben, InterestCategory::non_financial_personal, &r.harbour, "Volunteer", "2025-01-01");
    withheld_later = r.interest(r.ben, InterestCategory::financial, &r.riverside, "Hidden stake", "2025-06-20");
    withheld_later.withheld = true;
    withheld_later.withheld_reason = "Risk of harm";
    InterestStore(*r.t).save(withheld_later, "governance");
    tx.commit();
  }
  auto ben = public_person(*r.t, r.ben.id, today);
  REQUIRE(ben.has_value());
  CHECK(ben->compliance.last_declared_on == d("2025-01-11"));  // the volunteer role, not the withheld 30 June entry
  CHECK(ben->compliance.state == PublicComplianceState::declared);
  CHECK(ben->compliance.text == "Last declared on 11 January 2025");
  auto pccc = public_committee(*r.t, r.pccc.id, today);
  REQUIRE(pccc.has_value());
  CHECK(pccc->members[0].person.name == "Ben Okafor");
  CHECK(pccc->members[0].compliance == ben->compliance);
  for (const std::string& text : {nlohmann::json(*ben).dump(), nlohmann::json(*pccc).dump()}) {
    CHECK(text.find("2025-06-30") == std::string::npos);
    CHECK(text.find("30 June 2025") == std::string::npos);
  }

  SECTION("a withheld entry alone does not make a person's declaration current in public") {
    {
      WriteTransaction tx(*r.t);
      published.withheld = true;
      published.withheld_reason = "Risk of harm";
      InterestStore(*r.t).save(published, "governance");
      tx.commit();
    }
    auto only_withheld = public_person(*r.t, r.ben.id, today);
    REQUIRE(only_withheld.has_value());
    CHECK(only_withheld->interests.size() == 3);  // each still shown as withheld
    CHECK_FALSE(only_withheld->compliance.last_declared_on.has_value());
    CHECK(only_withheld->compliance.state == PublicComplianceState::none_received);
    CHECK(only_withheld->compliance.text == "No declaration received in the last 12 months");
  }
}
