// A broad search of the public register (more than kBroadSearchAbove matches, no other filter:
// migration 0023) is counted and paged from its matches read once, and its CSV written straight
// from the read model. Over a generated register with every kind of entry the public rules treat
// apart (withheld entries and names, ended entries in and out of the six-month window, drafts,
// versions awaiting review, people who are not decision-makers, a second body, committee
// positions, kinds with details, text a spreadsheet would read as a formula), its totals, pages
// and CSV are those of the register without the search, kept to the matching entries.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/public/csv.hpp"
#include "model/public/public_register.hpp"
#include "model/register/bodies.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/register/withholding_requests.hpp"
#include "support.hpp"

using namespace probity;

namespace {
Date broad_day(const char* iso) { return *Date::parse(iso); }
const Date kBroadToday = broad_day("2025-09-15");

// A word starting with "director" in the nature: what the search "director" finds here (no name,
// organisation or identifier below holds such a word, and a withheld entry shows no nature).
bool names_director(const PublicRegisterRow& row) {
  if (!row.entry.detail) return false;
  std::string nature = row.entry.detail->nature;
  for (char& c : nature) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t at = nature.find("director"); at != std::string::npos; at = nature.find("director", at + 1))
    if (at == 0 || !std::isalnum(static_cast<unsigned char>(nature[at - 1]))) return true;
  return false;
}

struct BroadRegister {
  testing::TestDb t;
  std::vector<Person> people;
  std::vector<Organisation> organisations;
  std::vector<Interest> interests;

  BroadRegister() {
    Body westbrook{0, "westbrook", "NHS Westbrook CCG", "W1X", BodyKind::ccg, "", BodyPublication::here, ""};
    westbrook = *create_body(*t, westbrook, "test").saved;
    WriteTransaction tx(*t);
    const char* orgs[] = {"Riverside Surgery", "Oakfield Health Services Limited", "\"Quoted\", Ltd", "=Formula Care"};
    for (int i = 0; i < 4; ++i) {
      Organisation o{0, "org-" + std::to_string(i), orgs[i], "ID" + std::to_string(i), OrganisationKind::company, std::nullopt};
      OrganisationStore(*t).save(o, "test");
      organisations.push_back(o);
    }
    Committee pccc{0, "pccc", "Primary Care Commissioning Committee", "", {}};
    CommitteeStore(*t).save(pccc, "test");
    const char* first[] = {"Amir", "Helen", "Chidi", "Priya", "Tom", "Sian", "Gareth", "Aisha"};
    const char* last[] = {"Hassan", "Okonkwo", "Whitfield", "Harding", "Morris", "Bennett"};
    for (int i = 0; i < 40; ++i) {
      Person p{0, "p" + std::to_string(i), std::string(i % 3 == 0 ? "Dr " : "") + first[i % 8] + " " + last[i % 6] + " " + std::to_string(i),
               "", static_cast<PersonKind>(i % 4), i % 5 == 0 ? "" : "Member, " + std::to_string(i), std::nullopt, std::nullopt};
      p.decision_maker = i != 7;  // person 7's entries are not public
      if (i % 9 == 4) p.body_id = westbrook.id;
      PersonStore(*t).save(p, "test");
      people.push_back(p);
      if (i % 6 == 1) {
        Membership m{0, "", pccc.id, p.id, i % 12 == 1 ? CommitteeRole::chair : CommitteeRole::voting, broad_day("2020-01-01"),
                     i == 13 ? std::optional<Date>(broad_day("2024-01-01")) : std::nullopt};
        MembershipStore(*t).save(m, "test");
      }
    }
    const char* natures[] = {"Director of the practice company", "Non-executive director", "Trustee, \"Friends\" charity",
                             "Directorship, with shares", "Spouse is a DIRECTOR", "-Director (formula-looking)",
                             "Director (paid adviser)"};
    for (int i = 0; i < 3000; ++i) {
      Interest in;
      in.person_id = people[static_cast<std::size_t>(i % 40)].id;
      in.category = static_cast<InterestCategory>(i % 4);
      in.indirect = in.category == InterestCategory::indirect;
      if (in.indirect) in.relationship = i % 8 == 3 ? "spouse, partner" : "parent";
      if (i % 11 != 0) in.organisation_id = organisations[static_cast<std::size_t>(i % 4)].id;
      in.nature = natures[i % 7] + std::string(" ") + std::to_string(i);
      in.from = broad_day(i % 2 ? "2015-04-01" : "2019-11-30");
      if (i % 13 == 0) in.to = broad_day("2024-01-31");  // ended before the six-month window
      if (i % 13 == 1) in.to = broad_day("2025-06-30");  // ended, still public
      in.action_taken = i % 10 == 0 ? "=HYPERLINK(\"x\")" : (i % 10 == 1 ? "Leaves the room,\r\nand abstains" : "");
      in.declared_on = broad_day(i % 3 ? "2025-01-10" : "2024-04-10");
      in.status = i % 17 == 0 ? DeclarationStatus::draft : (i % 5 == 0 ? DeclarationStatus::approved : DeclarationStatus::submitted);
      if (i % 19 == 0) {
        in.withheld = true;
        in.withheld_reason = "Personal safety";
      }
      if (i % 6 == 0) {
        in.kind = InterestKind::outside_employment;
        in.details = {{"employer", "Acme, \"Health\""}, {"employment_role", i % 12 == 0 ? "Adviser" : ""}};
      }
      InterestStore(*t).save(in, "test");
      if (i % 23 == 0 && in.status == DeclarationStatus::approved) {
        // A later version awaiting review: shown where review is off, the approved one where it is on.
        in.nature = "Changed: director of a new company " + std::to_string(i);
        in.status = DeclarationStatus::submitted;
        InterestStore(*t).save(in, "test");
      }
      interests.push_back(in);
    }
    // An organisation renamed after the declarations: every entry shows its current name.
    organisations[1].name = "Oakfield Health Services (renamed) Limited";
    OrganisationStore(*t).save(organisations[1], "test");
    tx.commit();
    // Person 2's name withheld by the Guardian.
    const Person& withheld = people[2];
    const Id interest = interests[2].id;
    const Id request = request_withholding(*t, withheld.id, interest, {{"reason", "Risk."}}, "user:2")->saved->id;
    REQUIRE(forward_withholding_request(*t, request, {{"note", "Real."}}, "governance:1")->ok());
    REQUIRE(decide_withholding_request(*t, request, {{"decision", "agree"}, {"reason", "Risk."}, {"withhold_name", "yes"}},
                                       "guardian:9")
                ->ok());
  }
};

BroadRegister& broad_register() {
  static BroadRegister r;  // built once: 3,000 entries
  return r;
}

// The register without a search, kept to the entries the search finds: what the search must give.
std::vector<PublicRegisterRow> broad_expected_rows(SQLite::Database& db, RegisterFilter f, const PublicationRules& rules) {
  f.text.clear();
  auto rows = public_register_rows(db, kBroadToday, f, rules);
  std::erase_if(rows, [](const PublicRegisterRow& r) { return !names_director(r); });
  return rows;
}

std::vector<Id> broad_ids(const std::vector<PublicRegisterRow>& rows) {
  std::vector<Id> out;
  for (const auto& r : rows) out.push_back(r.entry.id);
  return out;
}
}  // namespace

TEST_CASE("a broad search's total and pages are the register's matching entries, in each sort and mode") {
  auto& r = broad_register();
  PublicationRules rules;
  rules.review_required = GENERATE(false, true);
  RegisterFilter f;
  f.text = "director";
  f.sort = GENERATE(RegisterSort::name, RegisterSort::organisation, RegisterSort::type, RegisterSort::from, RegisterSort::to,
                    RegisterSort::declared);
  f.descending = GENERATE(false, true);
  CAPTURE(rules.review_required, static_cast<int>(f.sort), f.descending);
  const auto expected = broad_expected_rows(*r.t, f, rules);
  REQUIRE(expected.size() > 300);  // where review is on, only approved versions are public

  // Broad: the matches before what is hidden are more than the threshold, and no other filter.
  const auto plan = public_register_plan(*r.t, kBroadToday, f, rules);
  std::string page_plan, count_plan;
  for (const auto& s : plan.page) page_plan += s + "; ";
  for (const auto& s : plan.count) count_plan += s + "; ";
  CAPTURE(page_plan, count_plan);
  CHECK(page_plan.find("COVERING INDEX public_entries_by_") != std::string::npos);
  CHECK(page_plan.find("TEMP B-TREE") == std::string::npos);
  for (const char* index : {"public_entries_ended", "public_entries_one_mode", "public_entries_unlisted"})
    CHECK(count_plan.find(index) != std::string::npos);
  CHECK(count_plan.find("VIRTUAL TABLE") != std::string::npos);

  f.page_size = 200;
  const auto first = public_register(*r.t, kBroadToday, f, rules);
  CHECK(first.total == expected.size());
  std::vector<Id> paged;
  for (int p = 1; p <= first.page_count + 1; ++p) {
    f.page = p;
    const auto page = public_register(*r.t, kBroadToday, f, rules);
    CHECK(page.total == expected.size());
    for (const auto& row : page.entries) paged.push_back(row.entry.id);
    if (p <= first.page_count) {
      REQUIRE_FALSE(page.entries.empty());
      const auto at = static_cast<std::size_t>(p - 1) * 200;
      CHECK(page.entries.front().entry == expected[at].entry);
      CHECK(page.entries.front().person == expected[at].person);
    }
  }
  CHECK(paged == broad_ids(expected));
  f.page = 1;
  CHECK(broad_ids(public_register_rows(*r.t, kBroadToday, f, rules)) == broad_ids(expected));
}

TEST_CASE("a broad search's CSV, written from the read model, is byte for byte the one built from its rows") {
  auto& r = broad_register();
  PublicationRules rules;
  rules.review_required = GENERATE(false, true);
  const bool several_bodies = GENERATE(false, true);
  RegisterFilter f;
  f.text = GENERATE(std::string("director"), std::string("Director"));
  f.sort = GENERATE(RegisterSort::name, RegisterSort::declared);
  f.descending = GENERATE(false, true);
  CAPTURE(rules.review_required, several_bodies, f.text, static_cast<int>(f.sort), f.descending);
  REQUIRE(public_register_csv_entries(*r.t, kBroadToday, f, rules).has_value());  // the read model's path
  const std::string written = register_csv(*r.t, kBroadToday, f, rules, several_bodies);
  const std::string built = register_csv(broad_expected_rows(*r.t, f, rules), several_bodies);
  CHECK(written.size() == built.size());
  CHECK(written == built);
  // What it holds: a withheld name, a formula neutralised, a renamed organisation, positions.
  CHECK(names_withheld(*r.t).count(r.people[2].id) == 1);
  CHECK_FALSE(testing::contains(written, "Chidi Whitfield 2,"));
  CHECK(testing::contains(written, "'=HYPERLINK"));
  CHECK(testing::contains(written, "(renamed)"));
  CHECK(testing::contains(written, "Chair, Primary Care Commissioning Committee"));
}

TEST_CASE("a search that is not broad keeps to the read model's query, and its CSV to the rows") {
  auto& r = broad_register();
  RegisterFilter f;
  f.text = "director";
  f.person_kind = PersonKind::gp;  // another filter: the matches are read through public_entries
  CHECK_FALSE(public_register_csv_entries(*r.t, kBroadToday, f).has_value());
  auto expected = broad_expected_rows(*r.t, f, {});
  CHECK(public_register(*r.t, kBroadToday, f).total == expected.size());
  CHECK(register_csv(*r.t, kBroadToday, f, {}, false) == register_csv(expected, false));
  RegisterFilter narrow;
  narrow.text = "Trustee";  // a seventh of the register: fewer matches than the threshold
  CHECK_FALSE(public_register_csv_entries(*r.t, kBroadToday, narrow).has_value());
}

namespace {
// The read model's four CSV columns of migration 0024 (indirect, relationship, action taken, kind
// details) for each entry the publication rules show in this mode, against the rows those rules
// build from the versions: equal for a shown entry, empty for a withheld one.
void check_csv_columns(SQLite::Database& db, const Date& day, bool review_required) {
  PublicationRules rules;
  rules.review_required = review_required;
  const auto rows = public_register_rows(db, day, {}, rules);
  REQUIRE_FALSE(rows.empty());
  SQLite::Statement q(db,
                      "SELECT indirect, relationship, action_taken, details FROM public_entries"
                      " WHERE interest_id = ? AND (modes & ?) <> 0");
  for (const auto& row : rows) {
    CAPTURE(row.entry.id, review_required);
    q.reset();
    q.bind(1, row.entry.id);
    q.bind(2, std::int64_t{review_required ? 2 : 1});
    REQUIRE(q.executeStep());
    const bool indirect = q.getColumn(0).getInt() != 0;
    const std::string relationship = q.getColumn(1).getString(), action = q.getColumn(2).getString();
    const auto details = nlohmann::json::parse(q.getColumn(3).getString());
    if (const auto& d = row.entry.detail) {
      CHECK(indirect == d->indirect);
      CHECK(relationship == d->relationship);
      CHECK(action == d->action_taken);
      CHECK(details == nlohmann::json(d->details));
    } else {  // withheld: nothing it hides is kept
      CHECK_FALSE(indirect);
      CHECK(relationship.empty());
      CHECK(action.empty());
      CHECK(details == nlohmann::json::object());
    }
    CHECK_FALSE(q.executeStep());  // one row per mode
  }
}
}  // namespace

TEST_CASE("the read model's CSV columns are the shown version's, in both modes, withheld entries empty") {
  auto& r = broad_register();
  check_csv_columns(*r.t, kBroadToday, false);
  check_csv_columns(*r.t, kBroadToday, true);
}

TEST_CASE("the read model's CSV columns follow each edit in the same transaction: changed, awaiting review, withheld, shown again") {
  testing::TestDb t;
  Person p{0, "p1", "Dr Amir Hassan", "", PersonKind::gp, "Clinical lead", std::nullopt, std::nullopt};
  Interest in;
  {
    WriteTransaction tx(*t);
    PersonStore(*t).save(p, "test");
    in.person_id = p.id;
    in.category = InterestCategory::indirect;
    in.indirect = true;
    in.relationship = "spouse";
    in.nature = "Spouse is a director of Riverside Surgery Ltd";
    in.from = broad_day("2020-01-01");
    in.declared_on = broad_day("2024-04-10");
    in.action_taken = "Leaves the room";
    in.kind = InterestKind::outside_employment;
    in.details = {{"employer", "Riverside, \"Surgery\""}, {"employment_role", "Director"}};
    in.status = DeclarationStatus::approved;
    InterestStore(*t).save(in, "test");
    tx.commit();
  }
  auto both = [&] {
    check_csv_columns(*t, kBroadToday, false);
    check_csv_columns(*t, kBroadToday, true);
  };
  both();
  auto save = [&](auto&& change) {
    WriteTransaction tx(*t);
    change(in);
    InterestStore(*t).save(in, "test");
    tx.commit();
    both();
  };
  // A change awaiting review: its columns where review is off, the approved version's where it is on.
  save([](Interest& i) {
    i.action_taken = "Takes no part in the decision";
    i.relationship = "partner";
    i.details["employment_role"] = "Chair";
    i.status = DeclarationStatus::submitted;
  });
  SQLite::Statement rows(*t, "SELECT action_taken FROM public_entries ORDER BY entry_key");
  std::vector<std::string> actions;
  while (rows.executeStep()) actions.push_back(rows.getColumn(0).getString());
  CHECK(actions == std::vector<std::string>{"Takes no part in the decision", "Leaves the room"});
  save([](Interest& i) { i.status = DeclarationStatus::approved; });
  save([](Interest& i) {
    i.withheld = true;
    i.withheld_reason = "Personal safety";
  });
  save([](Interest& i) {
    i.withheld = false;
    i.indirect = false;
    i.category = InterestCategory::financial;
    i.relationship.clear();
  });
}

TEST_CASE("the broad search's CSV reads each chunk's entries and people through their indexes") {
  auto& r = broad_register();
  std::string plan;
  for (const auto& line : public_register_csv_plan(*r.t)) plan += line + "; ";
  CAPTURE(plan);
  CHECK(testing::contains(plan, "SEARCH public_entries USING INTEGER PRIMARY KEY (rowid=?)"));
  CHECK(testing::contains(plan, "SEARCH person_versions USING PRIMARY KEY (person_id=?)"));
  CHECK(testing::contains(plan, "membership_versions_person (person_id=?)"));
  CHECK_FALSE(testing::contains(plan, "SCAN person_versions"));
  CHECK_FALSE(testing::contains(plan, "SCAN membership_versions"));
  CHECK_FALSE(testing::contains(plan, "SCAN public_entries"));
}

TEST_CASE("a broad search's CSV comes in pieces of about the size asked, which joined are the whole document") {
  auto& r = broad_register();
  RegisterFilter f;
  f.text = "director";
  std::vector<std::string> pieces;
  write_register_csv(*r.t, kBroadToday, f, {}, true, [&](std::string_view piece) { pieces.emplace_back(piece); }, 4096);
  REQUIRE(pieces.size() > 10);
  std::string joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    CAPTURE(i);
    if (i + 1 < pieces.size()) CHECK(pieces[i].size() >= 4096);
    CHECK(pieces[i].size() < 4096 + 1024);  // whole records, each well under 1 KB here
    CHECK(pieces[i].ends_with("\r\n"));
    joined += pieces[i];
  }
  CHECK(joined == register_csv(broad_expected_rows(*r.t, f, {}), true));
  auto stream = RegisterCsvStream::open(*r.t, kBroadToday, f, {}, true);
  REQUIRE(stream);
  CHECK(stream->rows() == broad_expected_rows(*r.t, f, {}).size());
  std::string piece;
  std::size_t n = 0;
  while (stream->next(piece)) ++n;
  CHECK(n >= joined.size() / (RegisterCsvStream::kPieceBytes + 1024));
  CHECK(n <= 1 + joined.size() / RegisterCsvStream::kPieceBytes);
  CHECK_FALSE(stream->next(piece));
  CHECK(piece.empty());
}
