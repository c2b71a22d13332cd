// The reminder pass (server/governance/reminder_pass.hpp): the plan's notices become messages in
// the outbox, to the right people with the right links; a second pass the same day adds nothing;
// a kind switched off sends nothing; and through a real SMTP server the messages arrive.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "model/accounts/user_store.hpp"
#include "model/base/fields.hpp"
#include "model/bundle/bundle.hpp"
#include "model/meetings/meeting_record_store.hpp"
#include "model/register/publication_rules.hpp"
#include "model/register/reminder_plan.hpp"
#include "model/register/year_store.hpp"
#include "server/governance/reminder_pass.hpp"
#include "server/mail/mail_sender.hpp"
#include "smtp_test_server.hpp"
#include "support.hpp"

using namespace probity;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

const Date kToday = Date::today();

// Four people on one board: Olu never declared (joined 60 days ago: overdue, and escalated, with
// a line manager), Dee joined 20 days ago (due in 8 days), Uma confirmed today, and Nobody has
// no email address (overdue too, but nothing can be sent to them).
json board() {
  const auto ago = [](int days) { return kToday.plus_days(-days).iso(); };
  auto person = [](const char* ref, const char* name, const char* email) {
    json p{{"ref", ref}, {"name", name}, {"kind", "gp"}, {"position", "GP member"}};
    if (*email) p["email"] = email;
    return p;
  };
  auto member = [](const char* ref, const std::string& from) { return json{{"person", ref}, {"role", "voting"}, {"from", from}}; };
  return {{"format", "probity-bundle"},
          {"version", 1},
          {"people", {person("p-olu", "Dr Olu Over", "olu.over@nhs.net"), person("p-dee", "Dr Dee Due", "dee.due@nhs.net"),
                      person("p-uma", "Dr Uma Up", "uma.up@nhs.net"), person("p-none", "Dr No Address", "")}},
          {"committees", {{{"ref", "c-pccc"}, {"name", "Primary Care Commissioning Committee"},
                           {"members", {member("p-olu", ago(60)), member("p-dee", ago(20)), member("p-uma", ago(400)),
                                        member("p-none", ago(60))}}}}},
          {"confirmations", {{{"ref", "c-uma"}, {"person", "p-uma"}, {"confirmed_on", kToday.iso()}}}}};
}

const std::array<const char*, 7> kWeekdays = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

Config config_for(const std::string& database) {
  Config c;
  c.database = database;
  c.organisation_name = "NHS Northbrook Integrated Care Board";
  c.base_url = "https://probity.northbrook.example";
  c.raw = {{"year", {{"digest_weekday", kWeekdays.at(iso_weekday(kToday) - 1)}}}};  // the digest is due today
  return c;
}

struct Board {
  testing::TestDb t;
  json ids;
  Config config = config_for(t.path);
  Board() {
    auto r = import_bundle(*t, board(), "test");
    REQUIRE(r.ok);
    ids = r.ids;
    UserStore(*t).create_user("governance@northbrook.example", std::nullopt, UserRole::governance, "test", now_instant());
    auto set = set_line_manager(*t, person("p-olu"), Fields{{"manager_name", "Sam Lead"}, {"manager_email", "sam.lead@nhs.net"}}, "test");
    REQUIRE(set);
    REQUIRE(set->ok());
  }
  Id person(const char* ref) const { return ids.at("people").at(ref).get<Id>(); }
  ReminderPassResult pass(std::size_t people_batch = kReminderPeopleBatch) {
    SQLite::Transaction tx(*t);
    auto r = run_reminder_pass(config, *t, kToday, now_instant(), people_batch);
    tx.commit();
    return r;
  }
};

struct Row {
  std::string kind, to, subject, text;
};

std::vector<Row> outbox(SQLite::Database& db) {
  std::vector<Row> out;
  SQLite::Statement q(db, "SELECT kind, to_address, subject, text_body FROM outbox ORDER BY id");
  while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString()});
  return out;
}

std::vector<Row> to(const std::vector<Row>& rows, const std::string& address, const std::string& kind) {
  std::vector<Row> out;
  std::copy_if(rows.begin(), rows.end(), std::back_inserter(out), [&](const Row& r) { return r.to == address && r.kind == kind; });
  return out;
}

}  // namespace

TEST_CASE("a reminder pass sends reminders, escalations and the digest to the right people, once") {
  Board b;
  const auto first = b.pass();
  CHECK(first.no_address >= 1);  // Dr No Address is overdue too: counted, nothing sent
  const auto rows = outbox(*b.t);
  CHECK(first.enqueued == static_cast<int>(rows.size()));

  const auto olu = to(rows, "olu.over@nhs.net", "reminder");
  REQUIRE(olu.size() == 1);
  CHECK(olu[0].subject == "Your declaration of interests is overdue");
  CHECK_THAT(olu[0].text, Catch::Contains("You needed to declare your interests by " + long_date(kToday.plus_days(-32))) &&
                              Catch::Contains("It is now 32 days overdue") &&
                              Catch::Contains("https://probity.northbrook.example/my") &&
                              Catch::Contains("Primary Care Commissioning Committee"));

  const auto dee = to(rows, "dee.due@nhs.net", "reminder");
  REQUIRE(dee.size() == 1);
  CHECK(dee[0].subject == "Your declaration of interests is due by " + long_date(kToday.plus_days(8)));

  CHECK(to(rows, "uma.up@nhs.net", "reminder").empty());  // up to date: nothing

  const auto escalated = to(rows, "governance@northbrook.example", "escalation");
  REQUIRE(escalated.size() == 2);  // Olu, and Dr No Address (governance can chase them by other means)
  CHECK_THAT(escalated[0].text + escalated[1].text, Catch::Contains("Dr Olu Over needed to declare their interests") &&
                                                        Catch::Contains("https://probity.northbrook.example/governance/people/"));
  const auto manager = to(rows, "sam.lead@nhs.net", "escalation");
  REQUIRE(manager.size() == 1);  // only Olu has a line manager recorded
  CHECK_THAT(manager[0].text, Catch::Contains("as Dr Olu Over's line manager"));
  CHECK_THAT(manager[0].text, !Catch::Contains("/governance/"));  // no link to a page the manager cannot open

  const auto digest = to(rows, "governance@northbrook.example", "digest");
  REQUIRE(digest.size() == 1);
  CHECK_THAT(digest[0].text, Catch::Contains("- Up to date: 1") && Catch::Contains("- Due in the next 28 days: 1") &&
                                 Catch::Contains("Dr Olu Over: due " + long_date(kToday.plus_days(-32))));

  // A second pass the same day (a restart, cron and serve both running) adds nothing.
  const auto second = b.pass();
  CHECK(second.enqueued == 0);
  CHECK(second.already_sent == first.enqueued);
  CHECK(outbox(*b.t).size() == rows.size());
}

TEST_CASE("a reminder pass reading one person at a time writes the same messages as one reading everyone") {
  Board whole, one_by_one, stepwise;
  const auto a = whole.pass();
  const auto b = one_by_one.pass(1);
  // As `serve` runs it: each step a transaction of its own, the digest in the last.
  ReminderPass pass(stepwise.config, kToday, now_instant(), 1);
  int steps = 0;
  for (bool more = true; more; ++steps) {
    SQLite::Transaction tx(*stepwise.t);
    more = pass.step(*stepwise.t);
    tx.commit();
  }
  CHECK(steps == 5);  // four people, then the digest
  CHECK_FALSE(pass.step(*stepwise.t));  // a finished pass does nothing more
  CHECK(pass.result().enqueued == a.enqueued);
  CHECK(pass.result().planned == a.planned);
  const auto stepped = outbox(*stepwise.t);
  CHECK(a.planned == b.planned);
  CHECK(a.enqueued == b.enqueued);
  CHECK(a.no_address == b.no_address);
  const auto rows = outbox(*whole.t);
  const auto batched = outbox(*one_by_one.t);
  REQUIRE(rows.size() == batched.size());
  REQUIRE(rows.size() == stepped.size());
  CHECK(rows.size() >= 6);  // reminders, escalations to governance and a manager, and the digest
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CAPTURE(i, rows[i].kind, rows[i].to);
    CHECK(batched[i].kind == rows[i].kind);
    CHECK(batched[i].to == rows[i].to);
    CHECK(batched[i].subject == rows[i].subject);
    CHECK(batched[i].text == rows[i].text);
    CHECK(stepped[i].to == rows[i].to);
    CHECK(stepped[i].text == rows[i].text);
  }
}

TEST_CASE("the digest names the 50 longest overdue and counts the rest") {
  // 53 people who joined 40 to 92 days ago and never declared: all overdue, by different spans.
  json people = json::array(), members = json::array();
  for (int i = 0; i < 53; ++i) {
    const std::string ref = "p-" + std::to_string(i);
    people.push_back({{"ref", ref}, {"name", "Dr Person " + std::to_string(100 + i)}, {"kind", "gp"}, {"position", "GP member"},
                      {"email", "person" + std::to_string(i) + "@nhs.net"}});
    members.push_back({{"person", ref}, {"role", "voting"}, {"from", kToday.plus_days(-(40 + i)).iso()}});
  }
  testing::TestDb t;
  REQUIRE(import_bundle(*t, {{"format", "probity-bundle"}, {"version", 1}, {"people", people},
                             {"committees", {{{"ref", "c-pccc"}, {"name", "Primary Care Commissioning Committee"}, {"members", members}}}}},
                        "test")
              .ok);
  UserStore(*t).create_user("governance@northbrook.example", std::nullopt, UserRole::governance, "test", now_instant());
  {
    SQLite::Transaction tx(*t);
    run_reminder_pass(config_for(t.path), *t, kToday, now_instant(), 7);  // batches of 7: the tally crosses them
    tx.commit();
  }
  const auto digest = to(outbox(*t), "governance@northbrook.example", "digest");
  REQUIRE(digest.size() == 1);
  const std::string& text = digest[0].text;
  CHECK_THAT(text, Catch::Contains("- Never declared: 53") && Catch::Contains("- and 3 more, all on the compliance dashboard"));
  int named = 0;
  for (std::size_t at = text.find("\n- Dr Person "); at != std::string::npos; at = text.find("\n- Dr Person ", at + 1)) ++named;
  CHECK(named == 50);
  // The longest overdue first (joined 92 days ago), and the three most recent left to the count.
  CHECK(text.find("- Dr Person 152:") < text.find("- Dr Person 151:"));
  CHECK(text.find("- Dr Person 103:") != std::string::npos);
  CHECK(text.find("- Dr Person 102:") == std::string::npos);
  CHECK(text.find("- Dr Person 100:") == std::string::npos);
}

TEST_CASE("a kind switched off in the mail section is not sent, and chasing reminds everyone overdue once a day") {
  Board b;
  b.config.raw["mail"] = {{"kinds", {{"reminder", false}, {"digest", false}}}};
  const auto r = b.pass();
  CHECK(r.switched_off >= 3);
  const auto rows = outbox(*b.t);
  CHECK(std::none_of(rows.begin(), rows.end(), [](const Row& row) { return row.kind == "reminder" || row.kind == "digest"; }));
  CHECK_FALSE(to(rows, "sam.lead@nhs.net", "escalation").empty());

  b.config.raw.erase("mail");
  {
    SQLite::Transaction tx(*b.t);
    CHECK(chase_overdue_people(b.config, *b.t, kToday, now_instant()) == 1);  // Olu; Dr No Address has no address
    CHECK(chase_overdue_people(b.config, *b.t, kToday, now_instant()) == 0);  // once a day
    tx.commit();
  }
  CHECK(to(outbox(*b.t), "olu.over@nhs.net", "reminder").size() == 1);
}

TEST_CASE("reminders and escalations arrive through a real SMTP server with their links") {
  testing::SmtpTestServer smtp;
  Board b;
  b.pass();
  MailSettings settings;
  settings.smtp_url = smtp.url();
  settings.starttls = "off";  // the test server speaks plain SMTP on loopback
  settings.from_address = "probity@northbrook.example";
  settings.from_name = b.config.organisation_name;
  settings.connect_timeout_seconds = 2;
  settings.timeout_seconds = 5;
  MailSender sender(b.t.path, settings);
  const auto counts = sender.run_once();
  CHECK(counts.failed == 0);
  const auto got = smtp.messages();
  CHECK(static_cast<int>(got.size()) == counts.sent);
  auto received_by = [&](const std::string& address) {
    return std::count_if(got.begin(), got.end(), [&](const testing::ReceivedMail& m) {
      return m.rcpt_tos == std::vector<std::string>{address};
    });
  };
  CHECK(received_by("olu.over@nhs.net") == 1);
  CHECK(received_by("dee.due@nhs.net") == 1);
  CHECK(received_by("sam.lead@nhs.net") == 1);
  CHECK(received_by("governance@northbrook.example") == 3);  // two escalations and the digest
  CHECK(received_by("uma.up@nhs.net") == 0);
  const auto olu = std::find_if(got.begin(), got.end(), [](const testing::ReceivedMail& m) { return m.rcpt_tos[0] == "olu.over@nhs.net"; });
  REQUIRE(olu != got.end());
  CHECK(olu->header("Subject") == "Your declaration of interests is overdue");
  CHECK(olu->data.find("https://probity.northbrook.example/my") != std::string::npos);
}

TEST_CASE("an interest declared at a meeting and not on the register is reminded, with a link to the pre-filled form") {
  Board b;
  // Dr Uma Up (up to date) said at a meeting 30 days ago that she is a trustee of a charity.
  auto meeting = import_bundle(*b.t, json{{"format", "probity-bundle"}, {"version", 1},
                                          {"meetings", {{{"ref", "m-1"}, {"committee", "c-pccc"}, {"title", "PCCC (meeting in public)"},
                                                         {"date", kToday.plus_days(-30).iso()}, {"location", "Board Room"},
                                                         {"status", "held"}}}}},
                               "test");
  REQUIRE(meeting.ok);
  MeetingDeclaration d;
  d.meeting_id = meeting.ids["meetings"]["m-1"].get<Id>();
  d.person_id = b.person("p-uma");
  d.text = "Unpaid trustee of the Northbrook Carers' Trust";
  {
    WriteTransaction tx(*b.t);
    MeetingDeclarationStore(*b.t).record(d, "test");
    tx.commit();
  }
  b.pass();
  const auto uma = to(outbox(*b.t), "uma.up@nhs.net", "reminder");
  REQUIRE(uma.size() == 1);
  CHECK(uma[0].subject == "Your declaration of interests is overdue");
  CHECK_THAT(uma[0].text, Catch::Contains("declare on the register the interest you declared at a meeting") &&
                              Catch::Contains("by " + long_date(kToday.plus_days(-2))) &&
                              Catch::Contains("https://probity.northbrook.example/my/interests/new?meeting_declaration=" +
                                              std::to_string(d.id)));
}
