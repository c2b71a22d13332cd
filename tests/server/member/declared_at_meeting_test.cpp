// An interest first declared at a meeting (docs/meeting-rules.md, "An interest first declared at
// a meeting"): due on the register within 28 days of the meeting, listed on the member's
// dashboard with a link to the pre-filled interest form and on governance's compliance page;
// declared from that form, it is linked to what was said and stops being due.
#include "server/meetings_support.hpp"

#include "model/meetings/meeting_record_store.hpp"
#include "model/register/publication_rules.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {
using FormFields = std::vector<std::pair<std::string, std::string>>;

// The meeting was held ten days ago (the register's "today" is the real date: a declaration's
// date is always the day it is made).
const Date kHeld = Date::today().plus_days(-10);

json with_past_meeting(json bundle) {
  bundle["meetings"][0]["date"] = kHeld.iso();
  bundle["meetings"][0]["status"] = "held";
  return bundle;
}

struct AtMeeting {
  TestServer s;
  json ids = s.import(with_past_meeting(small_pccc()));
  SignedIn chair = sign_in(s, "chair@example.nhs.uk", "p-chair");
  SignedIn gp = sign_in(s, "gp@example.nhs.uk", "p-gp");
  SignedIn lay = sign_in(s, "lay@example.nhs.uk", "p-lay");
  SignedIn governance = sign_in(s, "gov@example.nhs.uk", "", true);
  Id meeting = ids.at("meetings").at("m-1").get<Id>();
  Id declaration = 0;

  AtMeeting() {
    // Dr Hassan confirmed his entries for the year, so only the meeting can make him due.
    REQUIRE(form(gp, "/my/confirmation", {{"confirm", "yes"}})->status == 303);
    auto said = s.client().Post(("/api/v1/meetings/" + std::to_string(meeting) + "/declarations").c_str(), chair.api_post_headers(),
                                json{{"person_id", ids["people"]["p-gp"]}, {"text", "Unpaid trustee of the Northbrook Carers' Trust"}}.dump(),
                                "application/json");
    REQUIRE(said);
    INFO(said->body);
    REQUIRE(said->status == 201);
    declaration = json::parse(said->body).at("id").get<Id>();
  }
  httplib::Result get(const SignedIn& who, const std::string& path) { return s.client().Get(path.c_str(), who.headers()); }
  httplib::Result form(const SignedIn& who, const std::string& path, FormFields fields) {
    fields.emplace_back("csrf_token", who.csrf);
    return s.client().Post(path.c_str(), who.headers(), form_body(fields), "application/x-www-form-urlencoded");
  }
  json compliance_entry(const char* name) {
    auto res = get(governance, "/api/v1/governance/compliance");
    REQUIRE(res->status == 200);
    const json doc = json::parse(res->body);
    for (const auto& section : doc.at("sections"))
      for (const auto& p : section.at("people"))
        if (p.at("name") == name) {
          json out = p;
          out["section"] = section.at("key");
          return out;
        }
    return nullptr;
  }
};
}  // namespace

TEST_CASE("an interest first declared at a meeting is due on the register within 28 days, with a link to a pre-filled form") {
  AtMeeting t;
  const std::string href = "/my/interests/new?meeting_declaration=" + std::to_string(t.declaration);

  auto dashboard = t.get(t.gp, "/my");
  REQUIRE(dashboard->status == 200);
  CHECK_THAT(dashboard->body, Catch::Contains("What is due") &&
                                  Catch::Contains("At PCCC (meeting in public) on " + long_date(kHeld) + " you declared") &&
                                  Catch::Contains("declare it by " + long_date(kHeld.plus_days(28))) &&
                                  Catch::Contains("href=\"" + href + "\"") && Catch::Contains("Declare it on the register"));
  auto api = json::parse(t.get(t.gp, "/api/v1/my")->body);
  REQUIRE(api.at("from_meetings").size() == 1);
  CHECK(api["from_meetings"][0]["due_by"] == kHeld.plus_days(28).iso());
  CHECK(api["year"]["state"] == "due");
  CHECK(api["year"]["event"] == "meeting-declaration-" + std::to_string(t.declaration));

  // Governance sees it as due, with the meeting as the reason.
  const json entry = t.compliance_entry("Dr Amir Hassan");
  REQUIRE(entry.is_object());
  CHECK(entry["section"] == "due");
  CHECK(entry["due_by"] == long_date(kHeld.plus_days(28)));
  CHECK_THAT(entry["reason"].get<std::string>(), Catch::Contains("declared an interest at PCCC (meeting in public) on " + long_date(kHeld)));

  // The form opens with what was said, the meeting's date as when he became aware, and the link.
  auto opened = t.get(t.gp, href);
  REQUIRE(opened->status == 200);
  CHECK_THAT(opened->body, Catch::Contains("name=\"nature\"") && Catch::Contains("Unpaid trustee of the Northbrook Carers"));
  CHECK_THAT(opened->body, Catch::Contains("name=\"meeting_declaration_id\" value=\"" + std::to_string(t.declaration) + "\"") &&
                               Catch::Contains("name=\"aware_on-day\" type=\"text\" inputmode=\"numeric\" value=\"" +
                                               std::to_string(kHeld.day()) + "\"") &&
                               Catch::Contains("It is not on the register yet"));

  // Someone else's declaration opens the empty form.
  auto other = t.get(t.lay, href);
  REQUIRE(other->status == 200);
  CHECK_THAT(other->body, !Catch::Contains("meeting_declaration_id") && !Catch::Contains("Northbrook Carers"));

  SECTION("declared from the form, it is linked and no longer due") {
    auto saved = t.form(t.gp, "/my/interests/new",
                        {{"category", "non_financial_personal"}, {"organisation_name", "Carers Trust Northbrook"},
                         {"nature", "Unpaid trustee"}, {"from-day", "1"}, {"from-month", "1"}, {"from-year", std::to_string(kHeld.year())},
                         {"aware_on-day", std::to_string(kHeld.day())}, {"aware_on-month", std::to_string(kHeld.month())},
                         {"aware_on-year", std::to_string(kHeld.year())},
                         {"meeting_declaration_id", std::to_string(t.declaration)}});
    REQUIRE(saved->status == 303);
    auto linked = MeetingDeclarationStore(*t.s.db).find(t.declaration);
    REQUIRE(linked);
    REQUIRE(linked->interest_id);
    CHECK(InterestStore(*t.s.db).find(*linked->interest_id)->nature == "Unpaid trustee");
    CHECK(MeetingDeclarationStore(*t.s.db).current_version(t.declaration) == 2);  // a new version; the first is kept

    CHECK_THAT(t.get(t.gp, "/my")->body, !Catch::Contains("Declare it on the register"));
    CHECK(json::parse(t.get(t.gp, "/api/v1/my")->body).at("from_meetings").empty());
    CHECK(t.compliance_entry("Dr Amir Hassan")["section"] == "up_to_date");
  }
  SECTION("declared without the link, an interest naming an organisation said at the meeting answers it") {
    auto saved = t.form(t.gp, "/my/interests/new",
                        {{"category", "non_financial_personal"}, {"organisation_name", "Northbrook Carers' Trust"},
                         {"nature", "Unpaid trustee"}, {"from-day", "1"}, {"from-month", "1"}, {"from-year", std::to_string(kHeld.year())}});
    REQUIRE(saved->status == 303);
    CHECK_FALSE(MeetingDeclarationStore(*t.s.db).find(t.declaration)->interest_id);
    CHECK(t.compliance_entry("Dr Amir Hassan")["section"] == "up_to_date");
  }
  SECTION("another member cannot link their interest to his declaration") {
    auto saved = t.form(t.lay, "/my/interests/new",
                        {{"category", "non_financial_personal"}, {"organisation_name", "Some Charity"}, {"nature", "Trustee"},
                         {"from-day", "1"}, {"from-month", "1"}, {"from-year", std::to_string(kHeld.year())},
                         {"meeting_declaration_id", std::to_string(t.declaration)}});
    REQUIRE(saved->status == 303);
    CHECK_FALSE(MeetingDeclarationStore(*t.s.db).find(t.declaration)->interest_id);
    CHECK(t.compliance_entry("Dr Amir Hassan")["section"] == "due");
  }
}
