// Several bodies (README "Several bodies"; docs/bodies.md): governance adds and changes bodies,
// and a body's governance account sees only its own body's people, committees, meetings and
// declarations (404 for the rest, lists without them); an instance-wide account sees both, and a
// chair keeps the meetings they chair whichever body owns them.
#include "model/accounts/user_store.hpp"
#include "model/mail/outbox.hpp"
#include "model/meetings/breach_actions.hpp"
#include "model/register/withholding_requests.hpp"
#include "model/register/bodies.hpp"
#include "model/register/committee_store.hpp"
#include "model/register/person_store.hpp"
#include "server/pccc_fixture.hpp"

using namespace probity;
using json = nlohmann::json;
using testing::FormFields;

namespace {
int audit_rows(testing::PcccFixture& f, const std::string& entity) {
  SQLite::Statement q(*f.s.db, "SELECT count(*) FROM audit_log WHERE entity_kind = ?");
  q.bind(1, entity);
  q.executeStep();
  return q.getColumn(0).getInt();
}

// The small PCCC (body 1) and a second body with its own governance account.
struct TwoBodies : testing::PcccFixture {
  Id westbrook = [this] {
    Body b;
    b.name = "NHS Westbrook Integrated Care Board";
    b.ods_code = "QW1";
    auto made = create_body(*s.db, b, "test");
    return made.saved.value().id;
  }();
  testing::SignedIn body_governance = [this] {
    auto signed_in = testing::sign_in(s, "westbrook.gov@example.nhs.uk", "", true);
    auto user = UserStore(*s.db).find_user_by_email("westbrook.gov@example.nhs.uk").value();
    UserStore(*s.db).set_body(user.id, westbrook, "test", now_instant());
    return signed_in;
  }();
  Id pccc() const { return ids.at("committees").at("pccc").get<Id>(); }
  Id meeting() const { return ids.at("meetings").at("m-1").get<Id>(); }
  Id interest() const { return ids.at("interests").at("i-gp").get<Id>(); }
};

FormFields body_form(const std::string& name, const std::string& ods = "") {
  return {{"name", name}, {"ods_code", ods}, {"kind", "icb"}, {"contact_email", ""}, {"publication", "here"}, {"register_url", ""}};
}
}  // namespace

TEST_CASE("bodies: governance adds a body and changes it, each save audited; mistakes come back on the form with 422") {
  testing::PcccFixture f;
  auto list = f.get(f.governance, "/governance/bodies");
  REQUIRE(list->status == 200);
  CHECK_THAT(list->body, Catch::Contains("href=\"/governance/bodies/new\""));
  auto blank = f.get(f.governance, "/governance/bodies/new");
  REQUIRE(blank->status == 200);
  CHECK_THAT(blank->body, Catch::Contains("name=\"csrf_token\"") && Catch::Contains("Published elsewhere"));

  const int audited = audit_rows(f, "body");
  auto added = f.form(f.governance, "/governance/bodies/new", body_form("NHS Westbrook Integrated Care Board", "QW1"));
  REQUIRE(added->status == 303);
  CHECK(added->get_header_value("Location") == "/governance/bodies?saved=added");
  CHECK(audit_rows(f, "body") == audited + 1);
  CHECK(several_bodies(*f.s.db));
  CHECK_THAT(f.get(f.governance, "/governance/bodies?saved=added")->body,
             Catch::Contains("NHS Westbrook Integrated Care Board") && Catch::Contains("The body has been added"));
  CHECK_THAT(f.get(f.governance, "/governance")->body, Catch::Contains("href=\"/governance/bodies\""));

  // The same name again, an elsewhere register with no address: 422 with the form half-filled.
  FormFields wrong = body_form("nhs westbrook integrated care board", "Q!");
  wrong[4].second = "elsewhere";
  auto refused = f.form(f.governance, "/governance/bodies/new", wrong);
  REQUIRE(refused->status == 422);
  CHECK_THAT(refused->body, Catch::Contains("nhsuk-error-summary") && Catch::Contains("Another body is already called") &&
                                Catch::Contains("Enter the ODS code") && Catch::Contains("starting https://") &&
                                Catch::Contains("value=\"nhs westbrook integrated care board\""));
  CHECK(audit_rows(f, "body") == audited + 1);

  // Changing it writes a version; the API twin reads it back.
  const Id id = BodyStore(*f.s.db).all().back().id;
  FormFields changed = body_form("NHS Westbrook Integrated Care Board", "QW1");
  changed[4].second = "elsewhere";
  changed[5].second = "https://westbrook.example.nhs.uk/register";
  auto saved = f.form(f.governance, "/governance/bodies/" + std::to_string(id) + "/edit", changed);
  REQUIRE(saved->status == 303);
  CHECK(audit_rows(f, "body") == audited + 2);
  auto api = f.get(f.governance, "/api/v1/governance/bodies/" + std::to_string(id));
  REQUIRE(api->status == 200);
  auto doc = json::parse(api->body);
  CHECK(doc["body"]["publication"] == "elsewhere");
  CHECK(doc["body"]["version"] == 2);
  CHECK(f.get(f.governance, "/governance/bodies/999999/edit")->status == 404);

  auto api_bad = f.post(f.governance, "/api/v1/governance/bodies", {{"name", "NHS England"}, {"kind", "regional"}});
  CHECK(api_bad->status == 422);
  auto api_made = f.post(f.governance, "/api/v1/governance/bodies", {{"name", "NHS England"}, {"kind", "nhs_england"}});
  REQUIRE(api_made->status == 201);
  CHECK(json::parse(api_made->body)["body"]["kind"] == "nhs_england");
  CHECK(json::parse(f.get(f.governance, "/api/v1/governance/bodies")->body)["bodies"].size() == 3);
}

TEST_CASE("bodies: a single-body instance's person and committee forms look as before") {
  testing::PcccFixture f;
  CHECK_THAT(f.get(f.governance, "/governance/people/new")->body, !Catch::Contains("Home body"));
  CHECK_THAT(f.get(f.governance, "/governance/committees/new")->body, !Catch::Contains("Bodies that own this committee"));
  CHECK_THAT(f.get(f.governance, "/governance")->body, !Catch::Contains("/governance/bodies") && !Catch::Contains("All bodies"));
}

TEST_CASE("bodies: with several, the person form asks for a home body and the committee form for its owners and per-body minimums") {
  TwoBodies f;
  auto person_form = f.get(f.governance, "/governance/people/new");
  CHECK_THAT(person_form->body, Catch::Contains("Home body") && Catch::Contains("NHS Westbrook Integrated Care Board"));
  auto made = f.form(f.governance, "/governance/people/new",
                     {{"name", "Dr Wen Li"}, {"kind", "lay"}, {"body_id", std::to_string(f.westbrook)}, {"decision_maker", "yes"}});
  REQUIRE(made->status == 303);
  CHECK(PersonStore(*f.s.db).all().back().body_id == f.westbrook);
  auto bad_body = f.form(f.governance, "/governance/people/new", {{"name", "Dr X"}, {"kind", "lay"}, {"body_id", "9999"}});
  CHECK(bad_body->status == 422);
  CHECK_THAT(bad_body->body, Catch::Contains("Select a body from the list"));

  auto committee_form = f.get(f.governance, "/governance/committees/" + std::to_string(f.pccc()) + "/edit");
  CHECK_THAT(committee_form->body, Catch::Contains("Bodies that own this committee") && Catch::Contains("Voting members needed from each body") &&
                                       Catch::Contains("name=\"body_1\" type=\"checkbox\" value=\"yes\" checked"));
  const std::string w = std::to_string(f.westbrook);
  FormFields joint = {{"name", "Primary Care Commissioning Committee"}, {"description", ""}, {"min_voting", "3"}, {"min_lay", "0"},
                      {"min_executive", "0"}, {"min_clinical", "0"}, {"lay_executive_majority", "no"}, {"lay_chair", "no"},
                      {"lay_member_may_preside", "no"}, {"bodies_shown", "yes"}, {"body_1", "yes"}, {"body_" + w, "yes"},
                      {"min_voting_each_body", "1"}, {"min_from_body_1", ""}, {"min_from_body_" + w, "2"}};
  auto saved = f.form(f.governance, "/governance/committees/" + std::to_string(f.pccc()) + "/edit", joint);
  REQUIRE(saved->status == 303);
  auto c = CommitteeStore(*f.s.db).find(f.pccc()).value();
  CHECK(c.body_ids == std::vector<Id>{1, f.westbrook});
  CHECK(c.quorum.min_voting_each_body == 1);
  CHECK(c.quorum.min_voting_from_body == std::map<Id, int>{{f.westbrook, 2}});

  FormFields none = joint;
  none[10].second = "";  // body_1 unticked
  none[11].second = "";
  none[12].second = "x";
  auto refused = f.form(f.governance, "/governance/committees/" + std::to_string(f.pccc()) + "/edit", none);
  REQUIRE(refused->status == 422);
  CHECK_THAT(refused->body, Catch::Contains("Enter the number of voting members needed from each body") &&
                                Catch::Contains("href=\"#body_ids\""));
}

TEST_CASE("bodies: another body's governance account gets 404 for body 1's people, committees, meetings and declarations; its lists leave them out") {
  TwoBodies f;
  const auto& g = f.body_governance;
  const std::string person = std::to_string(f.person("p-gp")), committee = std::to_string(f.pccc()),
                    meeting = std::to_string(f.meeting()), interest = std::to_string(f.interest());
  for (const std::string& path : std::vector<std::string>{"/governance/people/" + person, "/governance/people/" + person + "/edit", "/governance/people/" + person + "/year",
                                 "/governance/committees/" + committee, "/governance/committees/" + committee + "/edit",
                                 "/api/v1/governance/committees/" + committee, "/governance/interests/" + interest,
                                 "/meetings/" + meeting + "/manage", "/api/v1/meetings/" + meeting + "/manage",
                                 "/governance/bodies/1/edit", "/api/v1/governance/bodies/1"}) {
    CAPTURE(path);
    CHECK(f.get(g, path)->status == 404);
    CHECK(f.get(f.governance, path)->status == 200);  // the instance-wide account sees it
  }
  // Changes by id: refused as not found, nothing written.
  const int audited = (*f.s.db).execAndGet("SELECT count(*) FROM audit_log").getInt();
  CHECK(f.form(g, "/governance/people/" + person + "/edit", {{"name", "Changed"}, {"kind", "gp"}})->status == 404);
  CHECK(f.put(g, "/api/v1/governance/people/" + person, {{"position", "Changed"}})->status == 404);
  CHECK(f.post(g, "/api/v1/governance/committees/" + committee, {{"description", "Changed"}})->status == 404);
  CHECK(f.form(g, "/governance/people/" + person + "/leave", {{"left_on-day", "1"}, {"left_on-month", "4"}, {"left_on-year", "2026"}})->status == 404);
  CHECK(f.post(g, "/api/v1/governance/interests/" + interest + "/withhold", {{"reason", "x"}})->status == 404);
  CHECK(f.put(g, "/api/v1/governance/bodies/1", {{"contact_email", "x@example.nhs.uk"}})->status == 404);
  CHECK(f.post(g, "/api/v1/governance/bodies", {{"name", "NHS England"}, {"kind", "nhs_england"}})->status == 403);
  CHECK((*f.s.db).execAndGet("SELECT count(*) FROM audit_log").getInt() == audited);

  // Lists and dashboards: only its own (empty) body.
  auto people = f.get(g, "/governance");
  REQUIRE(people->status == 200);
  CHECK_THAT(people->body, !Catch::Contains("Dr Amir Hassan") && !Catch::Contains("Margaret Ellison"));
  CHECK_THAT(f.get(f.governance, "/governance")->body, Catch::Contains("Dr Amir Hassan"));
  CHECK_THAT(f.get(g, "/governance/committees")->body, !Catch::Contains("Primary Care Commissioning Committee"));
  CHECK(json::parse(f.get(g, "/api/v1/governance/committees")->body)["committees"].empty());
  CHECK_THAT(f.get(g, "/governance/compliance")->body, !Catch::Contains("Dr Amir Hassan"));
  auto bodies = json::parse(f.get(g, "/api/v1/governance/bodies")->body)["bodies"];
  REQUIRE(bodies.size() == 1);
  CHECK(bodies[0]["id"] == f.westbrook);
  CHECK(f.get(g, "/governance/bodies/new")->status == 403);
  // It may change its own body's settings.
  CHECK(f.put(g, "/api/v1/governance/bodies/" + std::to_string(f.westbrook), {{"contact_email", "gov@westbrook.example.nhs.uk"}})->status == 200);

  // What it adds stays in its body.
  auto added = f.form(g, "/governance/people/new", {{"name", "Dr Wen Li"}, {"kind", "lay"}, {"decision_maker", "yes"}});
  REQUIRE(added->status == 303);
  const auto wen = PersonStore(*f.s.db).all().back();
  CHECK(wen.body_id == f.westbrook);
  CHECK(f.get(g, "/governance/people/" + std::to_string(wen.id))->status == 200);
  CHECK_THAT(f.get(g, "/governance")->body, Catch::Contains("Dr Wen Li"));
}

TEST_CASE("bodies: a joint committee is seen by each owning body's governance; a chair keeps the meetings they chair whichever body owns them") {
  TwoBodies f;
  auto c = CommitteeStore(*f.s.db).find(f.pccc()).value();
  c.body_ids = {f.westbrook};  // now owned by the second body only
  {
    WriteTransaction tx(*f.s.db);
    CommitteeStore(*f.s.db).save(c, "test");
    tx.commit();
  }
  const std::string manage = "/meetings/" + std::to_string(f.meeting()) + "/manage";
  CHECK(f.get(f.body_governance, manage)->status == 200);
  CHECK(f.get(f.chair, manage)->status == 200);       // chair rights come from the membership
  CHECK(f.get(f.governance, manage)->status == 200);  // instance-wide
  c.body_ids = {kDefaultBody, f.westbrook};          // a joint committee
  {
    WriteTransaction tx(*f.s.db);
    CommitteeStore(*f.s.db).save(c, "test");
    tx.commit();
  }
  CHECK(f.get(f.body_governance, "/governance/committees/" + std::to_string(f.pccc()))->status == 200);
  CHECK(f.get(f.body_governance, manage)->status == 200);
}

TEST_CASE("bodies: an instance-wide account makes a governance account for one body; that body's account cannot make a Guardian") {
  TwoBodies f;
  auto page = f.get(f.governance, "/governance");
  CHECK_THAT(page->body, Catch::Contains("All bodies") && Catch::Contains("NHS Westbrook Integrated Care Board"));
  auto made = f.form(f.governance, "/governance/accounts",
                     {{"email", "second.gov@example.nhs.uk"}, {"person", ""}, {"role", "governance"}, {"body", std::to_string(f.westbrook)}});
  REQUIRE(made->status == 201);
  CHECK(UserStore(*f.s.db).find_user_by_email("second.gov@example.nhs.uk").value().body_id == f.westbrook);
  auto wide = f.form(f.governance, "/governance/accounts", {{"email", "all.gov@example.nhs.uk"}, {"person", ""}, {"role", "governance"}, {"body", "all"}});
  REQUIRE(wide->status == 201);
  CHECK_FALSE(UserStore(*f.s.db).find_user_by_email("all.gov@example.nhs.uk").value().body_id);
  auto bad = f.form(f.governance, "/governance/accounts", {{"email", "x.gov@example.nhs.uk"}, {"person", ""}, {"role", "governance"}, {"body", "999"}});
  CHECK(bad->status == 422);

  auto guardian = f.form(f.body_governance, "/governance/accounts", {{"email", "g@example.nhs.uk"}, {"person", ""}, {"role", "guardian"}});
  CHECK(guardian->status == 422);
  auto other_person = f.form(f.body_governance, "/governance/accounts",
                             {{"email", "officer@example.nhs.uk"}, {"person", std::to_string(f.person("p-officer"))}, {"role", "member"}});
  CHECK(other_person->status == 404);
  auto own = f.form(f.body_governance, "/governance/accounts", {{"email", "third.gov@example.nhs.uk"}, {"person", ""}, {"role", "governance"}});
  REQUIRE(own->status == 201);
  CHECK(UserStore(*f.s.db).find_user_by_email("third.gov@example.nhs.uk").value().body_id == f.westbrook);
}

TEST_CASE("bodies: another body's governance account does not list body 1's meetings; the API reads a joint committee's body_ids") {
  TwoBodies f;
  CHECK(json::parse(f.get(f.body_governance, "/api/v1/meetings")->body)["meetings"].empty());
  CHECK_FALSE(json::parse(f.get(f.governance, "/api/v1/meetings")->body)["meetings"].empty());

  auto made = f.post(f.body_governance, "/api/v1/governance/committees",
                     {{"name", "Westbrook and Northbrook Joint Committee"}, {"body_ids", {1, f.westbrook}}, {"min_voting_each_body", 1},
                      {"min_from_body_" + std::to_string(f.westbrook), 2}});
  REQUIRE(made->status == 201);
  const auto c = json::parse(made->body)["committee"];
  CHECK(c["body_ids"] == json::array({1, f.westbrook}));
  // Its own body must stay an owner.
  auto elsewhere = f.post(f.body_governance, "/api/v1/governance/committees", {{"name", "Not ours"}, {"body_ids", {1}}});
  CHECK(elsewhere->status == 422);
  CHECK_THAT(elsewhere->body, Catch::Contains("Select your own body"));
}

TEST_CASE("bodies: another body's governance account lists only its own people's messages, breaches, requests and audit rows; the whole-instance report is refused") {
  TwoBodies f;
  const Id gp = f.person("p-gp");
  {
    WriteTransaction tx(*f.s.db);
    OutgoingMail mail;
    mail.kind = "reminder";
    mail.to_address = "gp@example.nhs.uk";
    mail.to_name = "Dr Amir Hassan";
    mail.person_id = gp;
    mail.subject = "Your declaration is due";
    mail.text_body = mail.html_body = "Please declare.";
    mail.reason = "a test";
    REQUIRE(enqueue_mail(*f.s.db, mail, now_instant()));
    tx.commit();
  }
  REQUIRE(record_breach_by_hand(*f.s.db, 0,
                                Fields({{"kind", "late_declaration"}, {"person", std::to_string(gp)}, {"happened_on", "2026-05-01"},
                                        {"found_by", "governance_review"}, {"reason", "Declared the partnership 60 days late."}}),
                                "test")
              ->saved);
  REQUIRE(request_withholding(*f.s.db, gp, f.interest(), Fields({{"reason", "Publishing it would put my family at risk."}}), "test")
              ->saved);

  const auto& g = f.body_governance;
  CHECK(f.get(g, "/governance/audit")->status == 200);
  for (const std::string path : {"/governance/outbox", "/meetings/breaches", "/governance/withholding-requests"}) {
    CAPTURE(path);
    auto mine = f.get(g, path);
    REQUIRE(mine->status == 200);
    CHECK_THAT(mine->body, !Catch::Contains("Dr Amir Hassan"));
    CHECK_THAT(f.get(f.governance, path)->body, Catch::Contains("Dr Amir Hassan"));  // the instance-wide account sees them
  }
  CHECK(json::parse(f.get(g, "/api/v1/governance/outbox")->body)["total"] == 0);
  CHECK(json::parse(f.get(f.governance, "/api/v1/governance/outbox")->body)["total"] == 1);
  CHECK(json::parse(f.get(g, "/api/v1/meetings/breaches")->body)["breaches"].empty());
  CHECK(json::parse(f.get(g, "/api/v1/governance/audit")->body)["rows"].empty());
  CHECK_FALSE(json::parse(f.get(f.governance, "/api/v1/governance/audit")->body)["rows"].empty());
  for (const std::string path : {"/governance/assurance", "/governance/assurance.csv", "/api/v1/governance/assurance"}) {
    CAPTURE(path);
    CHECK(f.get(g, path)->status == 403);
    CHECK(f.get(f.governance, path)->status == 200);
  }
}
