// The account and meeting messages, driven through HTTP and read back from the outbox: the
// invitation with a working link (and the link on the page only when invitations are off),
// sending a new link from the account page, the message to a member whose entry is returned,
// and the agenda's conflict notices (only flagged people, only their own reasons, once per set
// of flags). A write that fails leaves no message behind.
#include <catch2/catch.hpp>

#include <regex>

#include "model/register/governance_actions.hpp"
#include "server/browser.hpp"
#include "server/mail/mail_kinds.hpp"
#include "server/pccc_fixture.hpp"

using namespace probity;
using namespace probity::testing;
using Catch::Contains;

namespace {
const std::string kBase = "https://probity.example.nhs.uk";

struct Row {
  std::string kind, to_address, to_name, subject, text_body, html_body, reason, dedupe_key;
  std::optional<Id> person_id;
};

std::vector<Row> outbox(TestServer& s) {
  std::vector<Row> rows;
  SQLite::Statement q(*s.db, "SELECT kind, to_address, to_name, subject, text_body, html_body, reason, COALESCE(dedupe_key, ''), person_id "
                             "FROM outbox ORDER BY id");
  while (q.executeStep()) {
    Row r{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(),
          q.getColumn(4).getString(), q.getColumn(5).getString(), q.getColumn(6).getString(), q.getColumn(7).getString(), std::nullopt};
    if (!q.getColumn(8).isNull()) r.person_id = q.getColumn(8).getInt64();
    rows.push_back(r);
  }
  return rows;
}

// The path of the one set-password link in a message, checked to be absolute on the configured address.
std::string link_path(const std::string& body) {
  std::smatch m;
  REQUIRE(std::regex_search(body, m, std::regex(kBase + "(/set-password/[0-9a-f]{32,})")));
  return m[1].str();
}

void mail_off(Config& c, const char* kind) { c.raw["mail"]["kinds"][kind] = false; }

struct Governance {
  TestServer s;
  Id ben;
  explicit Governance(std::function<void(Config&)> tweak = {})
      : s([tweak](Config& c) {
          fast_accounts(c);
          c.base_url = kBase;
          if (tweak) tweak(c);
        }),
        ben(add_person(s, "p-ben", "Dr Ben Okafor & Partner")) {
    add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  }
  Browser governance() {
    Browser b(s);
    REQUIRE(b.sign_in("guardian@example.nhs.uk")->status == 303);
    b.get("/governance");
    return b;
  }
};
}  // namespace

TEST_CASE("invitation: a new account's invitation is in the outbox with a link that sets the password; the page says it was sent") {
  Governance g;
  Browser gov = g.governance();
  auto made = gov.post("/governance/accounts", {{"email", "ben@example.nhs.uk"}, {"person", std::to_string(g.ben)}, {"role", "member"}});
  REQUIRE(made->status == 201);
  CHECK_THAT(made->body, Contains("We have emailed them an invitation with a one-time link") && Contains("within 3 days"));
  CHECK_THAT(made->body, !Contains("/set-password/"));

  const auto rows = outbox(g.s);
  REQUIRE(rows.size() == 1);
  const auto& mail = rows[0];
  CHECK(mail.kind == "invitation");
  CHECK(mail.to_address == "ben@example.nhs.uk");
  CHECK(mail.to_name == "Dr Ben Okafor & Partner");
  CHECK(mail.person_id == g.ben);
  CHECK(mail.subject == "Set up your account on the register of interests of NHS Example Integrated Care Board");
  CHECK_THAT(mail.text_body, Contains("Dear Dr Ben Okafor & Partner,"));
  CHECK_THAT(mail.html_body, Contains("Dear Dr Ben Okafor &amp; Partner,"));
  CHECK_THAT(mail.reason, Contains("the governance team of NHS Example Integrated Care Board made an account for this email address"));
  CHECK_THAT(mail.text_body, Contains(mail.reason));

  const std::string path = link_path(mail.text_body);
  CHECK_THAT(mail.html_body, Contains("href=\"" + kBase + path + "\""));
  Browser ben(g.s);
  REQUIRE(ben.get(path)->status == 200);
  CHECK(ben.post(path, {{"password", "ben's own long phrase"}, {"confirm", "ben's own long phrase"}})->status == 200);
  CHECK(ben.sign_in("ben@example.nhs.uk", "ben's own long phrase")->status == 303);
  CHECK(ben.get("/my")->status == 200);
}

TEST_CASE("invitation: a refused account writes no message; with invitations switched off the page shows the link instead") {
  SECTION("an address already in use: 422 and an empty outbox") {
    Governance g;
    add_account(g.s, "ben@example.nhs.uk", std::nullopt);
    Browser gov = g.governance();
    auto refused = gov.post("/governance/accounts", {{"email", "BEN@example.nhs.uk"}, {"person", std::to_string(g.ben)}, {"role", "member"}});
    CHECK(refused->status == 422);
    CHECK_THAT(refused->body, Contains("An account with this email address already exists"));
    CHECK(outbox(g.s).empty());
  }
  SECTION("switched off") {
    Governance g([](Config& c) { mail_off(c, "invitation"); });
    Browser gov = g.governance();
    auto made = gov.post("/governance/accounts", {{"email", "ben@example.nhs.uk"}, {"person", std::to_string(g.ben)}, {"role", "member"}});
    REQUIRE(made->status == 201);
    CHECK_THAT(made->body, Contains("Invitation emails are switched off") && Contains("id=\"set-password-link\">" + kBase + "/set-password/"));
    CHECK(outbox(g.s).empty());
  }
}

TEST_CASE("invitation: governance sends a new link from the account page; the earlier link stops working") {
  Governance g;
  Browser gov = g.governance();
  REQUIRE(gov.post("/governance/accounts", {{"email", "ben@example.nhs.uk"}, {"person", std::to_string(g.ben)}, {"role", "member"}})->status == 201);
  const Id account = find_user_by_email(*g.s.db, "ben@example.nhs.uk")->id;
  const std::string first = link_path(outbox(g.s).at(0).text_body);

  const std::string page = "/governance/accounts/" + std::to_string(account);
  CHECK_THAT(gov.get(page)->body, Contains("action=\"" + page + "/invite\""));
  auto sent = gov.post(page + "/invite", {});
  REQUIRE(sent->status == 303);
  CHECK(sent->get_header_value("Location") == page + "?saved=invited#invitation");
  CHECK_THAT(gov.get(sent->get_header_value("Location"))->body, Contains("We have emailed a new set-password link"));

  const auto rows = outbox(g.s);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].kind == "invitation");
  const std::string second = link_path(rows[1].text_body);
  CHECK(second != first);
  Browser ben(g.s);
  CHECK(ben.get(first)->status == 404);
  CHECK(ben.get(second)->status == 200);

  SECTION("with invitations off, the new link is shown on the page and nothing is queued") {
    Governance off([](Config& c) { mail_off(c, "invitation"); });
    const User u = add_account(off.s, "ben@example.nhs.uk", off.ben);
    Browser o = off.governance();
    o.get("/governance/accounts/" + std::to_string(u.id));
    auto shown = o.post("/governance/accounts/" + std::to_string(u.id) + "/invite", {});
    REQUIRE(shown->status == 200);
    CHECK_THAT(shown->body, Contains("give them this one-time link yourself") && Contains(kBase + "/set-password/"));
    CHECK(outbox(off.s).empty());
  }
}

TEST_CASE("returned: the member is told which entry governance returned, why, and where to change it") {
  TestServer s([](Config& c) {
    fast_accounts(c);
    c.base_url = kBase;
    c.review_required = true;
  });
  const Id asha = add_person(s, "p-asha", "Dr Asha Patel");
  add_account(s, "asha@example.nhs.uk", asha);
  add_account(s, "guardian@example.nhs.uk", std::nullopt, UserRole::governance);
  Browser member(s);
  REQUIRE(member.sign_in("asha@example.nhs.uk")->status == 303);
  member.get("/my/interests/new");
  auto declared = member.post("/my/interests/new", {{"category", "financial"}, {"organisation_name", "Riverside Surgery"},
                                                    {"nature", "Partner"}, {"from-day", "1"}, {"from-month", "8"}, {"from-year", "2024"}});
  REQUIRE(declared->status == 303);
  const std::string id = std::to_string(std::stoll(declared->get_header_value("Location").substr(std::string("/my/interests/").size())));

  Browser gov(s);
  REQUIRE(gov.sign_in("guardian@example.nhs.uk")->status == 303);
  gov.get("/governance/interests/" + id);
  SECTION("a refused return (no comment) sends nothing") {
    CHECK(gov.post("/governance/interests/" + id + "/review", {{"decision", "return"}})->status == 422);
    CHECK(outbox(s).empty());
  }
  SECTION("returned with a comment") {
    const std::string comment = "Say which practice <B82001> & when you became a partner.";
    REQUIRE(gov.post("/governance/interests/" + id + "/review", {{"decision", "return"}, {"comment", comment}})->status == 303);
    const auto rows = outbox(s);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].kind == "returned");
    CHECK(rows[0].to_address == "asha@example.nhs.uk");
    CHECK(rows[0].person_id == asha);
    CHECK(rows[0].subject == "Your declaration has been returned for you to correct");
    CHECK_THAT(rows[0].text_body, Contains("returned your interest in Riverside Surgery (Partner), declared on "));
    CHECK_THAT(rows[0].text_body, Contains(comment));
    CHECK_THAT(rows[0].html_body, Contains("Say which practice &lt;B82001&gt; &amp; when"));
    CHECK_THAT(rows[0].text_body, Contains(kBase + "/my/interests/" + id + "/edit"));
    CHECK(member.get("/my/interests/" + id + "/edit")->status == 200);
  }
  SECTION("approving sends nothing") {
    REQUIRE(gov.post("/governance/interests/" + id + "/review", {{"decision", "approve"}})->status == 303);
    CHECK(outbox(s).empty());
  }
}

TEST_CASE("agenda: issuing it emails each flagged person their own items and reasons, once per set of flags") {
  PcccFixture f;
  // Priya Nair, a lay member, holds an interest in Millbrook withheld from the public register.
  auto extra = f.s.import(nlohmann::json::parse(R"json({"format": "probity-bundle", "version": 1,
    "interests": [{"ref": "i-lay", "person": "p-lay", "category": "non_financial_personal", "organisation": "millbrook",
                   "nature": "Trustee of the patients' garden fund", "from": "2020-01-01", "declared_on": "2020-01-10"}]})json"));
  REQUIRE(set_interest_withheld(*f.s.db, extra["interests"]["i-lay"].get<Id>(), true, "Personal safety", "test"));
  sign_in(f.s, "priya@example.nhs.uk", "p-lay");
  const Id meeting = f.ids["meetings"]["m-1"].get<Id>();
  const std::string issue = "/meetings/" + std::to_string(meeting) + "/agenda/issue";

  auto issued = f.form(f.chair, issue, {});
  REQUIRE(issued->status == 303);
  CHECK(issued->get_header_value("Location") == "/meetings/" + std::to_string(meeting) + "/manage?issued=2#issue");
  CHECK_THAT(f.get(f.chair, issued->get_header_value("Location"))->body, Contains("2 people flagged on its items have been emailed"));

  auto rows = outbox(f.s);
  REQUIRE(rows.size() == 2);
  const auto& gp = rows[0].to_address == "gp@example.nhs.uk" ? rows[0] : rows[1];
  const auto& lay = rows[0].to_address == "gp@example.nhs.uk" ? rows[1] : rows[0];
  CHECK(gp.kind == "agenda_flags");
  CHECK(gp.person_id == f.person("p-gp"));
  CHECK(gp.subject == "Primary Care Commissioning Committee, 10 December 2026: you may have a conflict of interest on an item");
  CHECK_THAT(gp.text_body, Contains("Item 2: Proposed merger of Riverside Surgery and Millbrook Medical Centre"));
  CHECK_THAT(gp.text_body, Contains("Riverside Surgery") && Contains("Suggested: "));
  CHECK_THAT(gp.text_body, !Contains("Item 1:"));
  CHECK_THAT(gp.text_body, !Contains("Priya Nair") && !Contains("garden fund"));
  CHECK(gp.reason == "You are receiving this because you are a voting member of the Primary Care Commissioning Committee of NHS Example "
                     "Integrated Care Board.");
  CHECK(lay.person_id == f.person("p-lay"));
  CHECK_THAT(lay.text_body, Contains("Item 2: Proposed merger"));
  // Her own interest is withheld: worded as the chair's brief words it, without its details.
  CHECK_THAT(lay.text_body, !Contains("garden fund") && !Contains("Trustee") && !Contains("Amir Hassan"));
  CHECK_THAT(lay.html_body, !Contains("garden fund"));

  SECTION("issued again with nothing changed: nothing new") {
    auto again = f.form(f.chair, issue, {});
    REQUIRE(again->status == 303);
    CHECK_THAT(again->get_header_value("Location"), Contains("issued=0"));
    CHECK(outbox(f.s).size() == 2);
  }
  SECTION("a new item on which the GP is flagged: only he is emailed again") {
    REQUIRE(f.form(f.chair, "/meetings/" + std::to_string(meeting) + "/items",
                   {{"title", "Riverside Surgery extended hours"}, {"category", "other"}, {"organisation_1", std::to_string(f.org("riverside"))}})
                ->status == 303);
    REQUIRE(f.form(f.chair, issue, {})->status == 303);
    rows = outbox(f.s);
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].to_address == "gp@example.nhs.uk");
    CHECK(rows[2].subject == "Primary Care Commissioning Committee, 10 December 2026: you may have a conflict of interest on some items");
    CHECK_THAT(rows[2].text_body, Contains("Item 3: Riverside Surgery extended hours"));
  }
  SECTION("a member may not issue it") {
    CHECK(f.form(f.member, issue, {})->status == 403);
    CHECK(outbox(f.s).size() == 2);
  }
}

TEST_CASE("agenda: with agenda notices switched off, issuing queues nothing; an unknown meeting is nullopt") {
  PcccFixture f;
  Config off = f.s.app->config();
  off.raw["mail"]["kinds"]["agenda_flags"] = false;
  const Id meeting = f.ids["meetings"]["m-1"].get<Id>();
  const auto notices = enqueue_agenda_flags(*f.s.db, off, meeting, now_instant());
  REQUIRE(notices);
  CHECK(notices->enqueued == 0);
  CHECK(outbox(f.s).empty());
  CHECK_FALSE(enqueue_agenda_flags(*f.s.db, f.s.app->config(), 987654, now_instant()));
  // Switched on, the same call queues the GP's notice (the only flagged person with an address).
  const auto on = enqueue_agenda_flags(*f.s.db, f.s.app->config(), meeting, now_instant());
  REQUIRE(on);
  CHECK(on->enqueued == 1);
  CHECK(outbox(f.s).size() == 1);
}
