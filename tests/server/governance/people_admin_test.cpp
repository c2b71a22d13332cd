// Governance adds a person to the register and changes their details, through the pages and
// the JSON API; every change is a new version, mistakes write nothing, and only governance may.
#include "model/register/person_store.hpp"
#include "server/pccc_fixture.hpp"

using namespace probity;
using json = nlohmann::json;
using testing::FormFields;

namespace {
struct PeopleFixture : testing::PcccFixture {
  std::size_t people() { return PersonStore(*s.db).all().size(); }
  int audit_rows() { return (*s.db).execAndGet("SELECT count(*) FROM audit_log").getInt(); }
};

FormFields new_gp(const std::string& practice) {
  return {{"name", "Dr Nadia Rahman"}, {"email", "nadia.rahman@nhs.net"}, {"kind", "gp"}, {"position", "Salaried GP"}, {"practice_id", practice}};
}

FormFields with_field(FormFields fields, const std::string& key, const std::string& value) {
  for (auto& [k, v] : fields)
    if (k == key) v = value;
  return fields;
}
}  // namespace

TEST_CASE("governance adds a GP: the person appears on the governance list and the public person page, then can join a committee") {
  PeopleFixture f;
  auto page = f.get(f.governance, "/governance");
  CHECK_THAT(page->body, Catch::Contains("href=\"/governance/people/new\""));
  CHECK_THAT(page->body, Catch::Contains("href=\"/governance/people/" + std::to_string(f.person("p-gp")) + "/edit\""));
  auto blank = f.get(f.governance, "/governance/people/new");
  REQUIRE(blank->status == 200);
  CHECK_THAT(blank->body, Catch::Contains("Riverside Surgery") && Catch::Contains("name=\"csrf_token\""));
  CHECK_THAT(blank->body, !Catch::Contains("Northbrook Primary Care Federation"));  // not a practice, not offered

  const auto before = f.people();
  auto res = f.form(f.governance, "/governance/people/new", new_gp(std::to_string(f.org("riverside"))));
  REQUIRE(res->status == 303);
  auto added = PersonStore(*f.s.db).find_by_email("nadia.rahman@nhs.net");
  REQUIRE(added);
  CHECK(f.people() == before + 1);
  CHECK(added->kind == PersonKind::gp);
  CHECK(added->practice_id == f.org("riverside"));
  CHECK(res->get_header_value("Location") == "/governance/people/" + std::to_string(added->id) + "?saved=added");
  CHECK_THAT(f.get(f.governance, res->get_header_value("Location"))->body,
             Catch::Contains("has been added to the register") && Catch::Contains("Riverside Surgery"));
  CHECK_THAT(f.get(f.governance, "/governance")->body, Catch::Contains("Dr Nadia Rahman"));
  auto pub = f.s.client().Get(("/people/" + std::to_string(added->id)).c_str());
  REQUIRE(pub->status == 200);
  CHECK_THAT(pub->body, Catch::Contains("Dr Nadia Rahman"));

  // The rest of the journey already works: a membership, then an account.
  const Id pccc = f.ids.at("committees").at("pccc").get<Id>();
  auto joined = f.form(f.governance, "/governance/committees/" + std::to_string(pccc) + "/memberships",
                       {{"person_id", std::to_string(added->id)}, {"role", "voting"}, {"from-day", "1"}, {"from-month", "4"}, {"from-year", "2025"}});
  CHECK(joined->status == 303);
  auto account = f.form(f.governance, "/governance/accounts", {{"email", "nadia.rahman@nhs.net"}, {"person", std::to_string(added->id)}, {"role", "member"}});
  CHECK(account->status == 201);
}

TEST_CASE("the add-a-person form refuses each mistake on the same page, input kept, nothing written") {
  auto [field, value, message] = GENERATE(table<std::string, std::string, std::string>({
      {"name", "", "Enter the person&apos;s full name"},
      {"name", std::string(301, 'n'), "Name must be 300 characters or fewer"},
      {"kind", "", "Select what kind of person they are"},
      {"kind", "consultant", "Select what kind of person they are"},
      {"email", "nadia at nhs", "Enter an email address in the correct format"},
      {"position", std::string(301, 'p'), "Position must be 300 characters or fewer"},
      {"practice_id", "FED", "Northbrook Primary Care Federation Ltd is not a GP practice"},
      {"practice_id", "999999", "Select a GP practice from the list"},
  }));
  CAPTURE(field, value);
  PeopleFixture f;
  if (value == "FED") value = std::to_string(f.org("fed"));
  const auto before = f.people();
  const auto audit = f.audit_rows();
  auto res = f.form(f.governance, "/governance/people/new", with_field(new_gp(std::to_string(f.org("riverside"))), field, value));
  REQUIRE(res);
  CHECK(res->status == 422);
  CHECK_THAT(res->body, Catch::Contains("There is a problem") && Catch::Contains(message));
  const std::string target = field == "kind" ? "kind-gp" : field;
  CHECK_THAT(res->body, Catch::Contains("href=\"#" + target + "\"") && Catch::Contains(field + "-error"));
  if (field != "position") CHECK_THAT(res->body, Catch::Contains("value=\"Salaried GP\""));
  if (field != "email") CHECK_THAT(res->body, Catch::Contains("value=\"nadia.rahman@nhs.net\""));
  CHECK(f.people() == before);
  CHECK(f.audit_rows() == audit);
}

TEST_CASE("a practice only for GPs, and an email address only once") {
  PeopleFixture f;
  auto lay = f.form(f.governance, "/governance/people/new", with_field(new_gp(std::to_string(f.org("riverside"))), "kind", "lay"));
  CHECK(lay->status == 422);
  CHECK_THAT(lay->body, Catch::Contains("Only GP members have a practice"));
  auto first = f.form(f.governance, "/governance/people/new", new_gp(""));
  CHECK(first->status == 303);
  auto again = f.form(f.governance, "/governance/people/new", with_field(new_gp(""), "email", "Nadia.Rahman@NHS.net"));
  CHECK(again->status == 422);
  CHECK_THAT(again->body, Catch::Contains("is already used by Dr Nadia Rahman"));
}

TEST_CASE("changing a person's details writes a new version and keeps the old one") {
  PeopleFixture f;
  const Id gp = f.person("p-gp");
  const std::string path = "/governance/people/" + std::to_string(gp) + "/edit";
  auto form = f.get(f.governance, path);
  REQUIRE(form->status == 200);
  CHECK_THAT(form->body, Catch::Contains("value=\"Dr Amir Hassan\"") && Catch::Contains("Save changes"));
  CHECK(PersonStore(*f.s.db).history(gp).size() == 1);

  auto res = f.form(f.governance, path,
                    {{"name", "Dr Amir Hassan"}, {"email", "amir.hassan@nhs.net"}, {"kind", "gp"}, {"position", "GP partner"},
                     {"practice_id", std::to_string(f.org("millbrook"))}});
  REQUIRE(res->status == 303);
  CHECK(res->get_header_value("Location") == "/governance/people/" + std::to_string(gp) + "?saved=changed");
  const auto history = PersonStore(*f.s.db).history(gp);
  REQUIRE(history.size() == 2);
  CHECK(history.front().entity.position != history.back().entity.position);
  auto now = PersonStore(*f.s.db).find(gp);
  CHECK(now->practice_id == f.org("millbrook"));
  CHECK(now->ref == "p-gp");
  CHECK_THAT(f.get(f.governance, "/governance/audit/person/" + std::to_string(gp))->body, Catch::Contains("GP partner"));

  // A mistake keeps what was typed and writes nothing.
  auto bad = f.form(f.governance, path, {{"name", ""}, {"email", "typed@nhs.net"}, {"kind", "gp"}, {"position", "Kept"}, {"practice_id", ""}});
  CHECK(bad->status == 422);
  CHECK_THAT(bad->body, Catch::Contains("value=\"typed@nhs.net\"") && Catch::Contains("value=\"Kept\""));
  CHECK(PersonStore(*f.s.db).history(gp).size() == 2);
  CHECK(f.get(f.governance, "/governance/people/999999/edit")->status == 404);
}

TEST_CASE("the people API: create with 201, change with PUT, 422 with field details, 404 unknown") {
  PeopleFixture f;
  auto made = f.post(f.governance, "/api/v1/governance/people",
                     {{"name", "Ms Lay Person"}, {"kind", "lay"}, {"email", "lay@nhs.net"}, {"position", "Lay member"}});
  REQUIRE(made->status == 201);
  const auto doc = json::parse(made->body);
  const Id id = doc.at("person").at("id").get<Id>();
  CHECK(doc.at("person").at("name") == "Ms Lay Person");
  CHECK(doc.at("person").at("version") == 1);

  auto changed = f.put(f.governance, "/api/v1/governance/people/" + std::to_string(id), {{"position", "Lay member for governance"}});
  REQUIRE(changed->status == 200);
  CHECK(json::parse(changed->body).at("person").at("version") == 2);
  CHECK(PersonStore(*f.s.db).find(id)->name == "Ms Lay Person");  // absent fields are kept

  auto invalid = f.post(f.governance, "/api/v1/governance/people", {{"name", ""}, {"kind", "gp"}, {"practice_id", f.org("fed")}});
  REQUIRE(invalid->status == 422);
  const auto details = json::parse(invalid->body).at("error").at("details");
  CHECK(details.at("name") == "Enter the person's full name");
  CHECK(details.at("practice_id") == "Northbrook Primary Care Federation Ltd is not a GP practice: select the practice they work in");
  CHECK(f.put(f.governance, "/api/v1/governance/people/999999", {{"name", "x"}})->status == 404);
  CHECK(PersonStore(*f.s.db).history(id).size() == 2);
}

TEST_CASE("only governance adds or changes people: members and chairs get 403, CSRF is required") {
  PeopleFixture f;
  const auto before = f.people();
  const std::string edit = "/governance/people/" + std::to_string(f.person("p-gp")) + "/edit";
  for (const auto* who : {&f.member, &f.chair}) {
    CHECK(f.get(*who, "/governance/people/new")->status == 403);
    CHECK(f.form(*who, "/governance/people/new", new_gp(""))->status == 403);
    CHECK(f.get(*who, edit)->status == 403);
    CHECK(f.form(*who, edit, {{"name", "Mallory"}, {"kind", "gp"}})->status == 403);
    CHECK(f.post(*who, "/api/v1/governance/people", {{"name", "Mallory"}, {"kind", "lay"}})->status == 403);
    CHECK(f.put(*who, "/api/v1/governance/people/" + std::to_string(f.person("p-gp")), {{"name", "Mallory"}})->status == 403);
  }
  CHECK(f.form(f.governance, "/governance/people/new", new_gp(""), false)->status == 403);
  CHECK(f.people() == before);
  CHECK(PersonStore(*f.s.db).find(f.person("p-gp"))->name == "Dr Amir Hassan");
}
