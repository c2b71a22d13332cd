// The Outbox for governance (server/mail/outbox_routes.cpp): the list filtered by status and paged,
// failed messages standing out, one message with why it was sent and its text, the JSON twins, a
// wrong filter refused field by field, and a person's mail timeline.
#include <catch2/catch.hpp>

#include "model/mail/outbox.hpp"
#include "model/mail/outbox_delivery.hpp"
#include "server/mail/outbox_views.hpp"
#include "server/pccc_fixture.hpp"

using namespace probity;
using namespace probity::testing;
using json = nlohmann::json;

namespace {

Id enqueue_mail(SQLite::Database& db, const std::string& to, const std::string& subject, std::optional<Id> person = std::nullopt) {
  OutgoingMail m{"reminder", to, "Dr Mo Nash", person, subject, "Dear Dr Nash,\n\nPlease <confirm> your entries.", "<p>Hi</p>",
                 "You are a member of the Primary Care Commissioning Committee.", std::nullopt};
  return enqueue_mail(db, m, parse_instant("2026-12-03T09:05:00Z").value()).value();
}

void fail_now(SQLite::Database& db, Id id, const std::string& error) {
  const auto now = parse_instant("2026-12-03T09:06:00Z").value();
  auto claimed = claim_due_mail(db, "test", 100, now, std::chrono::seconds(60));
  for (const auto& m : claimed)
    if (m.id == id) REQUIRE(mark_mail_failed(db, id, "test", error, true, RetryPolicy{}, now));
  release_mail_claims(db, "test");
}

}  // namespace

TEST_CASE("the Outbox lists messages newest first, filters by status, and makes failures stand out") {
  PcccFixture f;
  const Id first = enqueue_mail(*f.s.db, "mo.nash@nhs.net", "Your declaration is due");
  const Id bad = enqueue_mail(*f.s.db, "not an address", "Please set your password");
  fail_now(*f.s.db, bad, "Not a valid email address: not an address");

  auto page = f.get(f.governance, "/governance/outbox");
  REQUIRE(page->status == 200);
  CHECK(page->body.find("Please set your password") < page->body.find("Your declaration is due"));
  CHECK(page->body.find("Some emails could not be sent") != std::string::npos);
  CHECK(page->body.find("nhsuk-tag--red\">Failed") != std::string::npos);
  CHECK(page->body.find("Not a valid email address: not an address") != std::string::npos);
  CHECK(page->body.find("Reminder to declare") != std::string::npos);
  CHECK(page->body.find("3 December 2026 at 09:05") != std::string::npos);

  auto failed = f.get(f.governance, "/governance/outbox?status=failed");
  REQUIRE(failed->status == 200);
  CHECK(failed->body.find("Please set your password") != std::string::npos);
  CHECK(failed->body.find("Your declaration is due") == std::string::npos);

  auto api = f.get(f.governance, "/api/v1/governance/outbox?status=pending");
  REQUIRE(api->status == 200);
  const auto doc = json::parse(api->body);
  CHECK(doc["total"] == 1);
  CHECK(doc["messages"][0]["id"] == first);
  CHECK(doc["messages"][0]["status"] == "pending");
  CHECK_FALSE(doc["messages"][0].contains("text_body"));

  auto wrong = f.get(f.governance, "/api/v1/governance/outbox?status=lost&page=0");
  REQUIRE(wrong->status == 422);
  const auto details = json::parse(wrong->body)["error"]["details"];
  CHECK(details.contains("status"));
  CHECK(details.contains("page"));
  CHECK(f.get(f.governance, "/governance/outbox?status=lost")->status == 422);
  CHECK(f.get(f.member, "/governance/outbox")->status == 403);
}

TEST_CASE("one message shows its recipient, subject, reason, status, attempts, last error and text") {
  PcccFixture f;
  const Id id = enqueue_mail(*f.s.db, "gone@nhs.net", "Your declaration is due", f.person("p-gp"));
  fail_now(*f.s.db, id, "RCPT failed: 550 (the server said: 550 5.1.1 No such user here)");
  auto page = f.get(f.governance, "/governance/outbox/" + std::to_string(id));
  REQUIRE(page->status == 200);
  for (const char* text : {"gone@nhs.net", "Your declaration is due", "You are a member of the Primary Care Commissioning Committee.",
                           "This email could not be sent", "550 5.1.1 No such user here", "Please &lt;confirm&gt; your entries."})
    CHECK(page->body.find(text) != std::string::npos);
  CHECK(page->body.find("<confirm>") == std::string::npos);  // escaped

  auto api = f.get(f.governance, "/api/v1/governance/outbox/" + std::to_string(id));
  REQUIRE(api->status == 200);
  const auto m = json::parse(api->body)["message"];
  CHECK(m["status"] == "failed");
  CHECK(m["attempts"] == 1);
  CHECK(m["text_body"] == "Dear Dr Nash,\n\nPlease <confirm> your entries.");
  CHECK(m["person_id"] == f.person("p-gp"));
  CHECK(f.get(f.governance, "/governance/outbox/999999")->status == 404);
}

TEST_CASE("the Outbox pages by 50 and a person's timeline lists only their messages") {
  PcccFixture f;
  for (int i = 1; i <= 52; ++i) enqueue_mail(*f.s.db, "m" + std::to_string(i) + "@nhs.net", "Message " + std::to_string(i) + ".");
  const Id mine = enqueue_mail(*f.s.db, "gp@nhs.net", "For the GP", f.person("p-gp"));
  auto second = f.get(f.governance, "/governance/outbox?page=2");
  REQUIRE(second->status == 200);
  CHECK(second->body.find("Message 3.") != std::string::npos);
  CHECK(second->body.find("Message 4.") == std::string::npos);  // on page 1
  CHECK(second->body.find("href=\"/governance/outbox\" class=\"nhsuk-pagination__previous\"") != std::string::npos);
  const auto api = json::parse(f.get(f.governance, "/api/v1/governance/outbox?page=2")->body);
  CHECK(api["pages"] == 2);
  CHECK(api["messages"].size() == 3);

  const auto timeline = person_mail_timeline(*f.s.db, f.person("p-gp"));
  REQUIRE(timeline.size() == 1);
  CHECK(timeline[0]["subject"] == "For the GP");
  CHECK(timeline[0]["kind"] == "Reminder to declare");
  CHECK(timeline[0]["status"] == "Waiting to send");
  CHECK(timeline[0]["date"] == "3 December 2026 at 09:05");
  CHECK(timeline[0]["href"] == "/governance/outbox/" + std::to_string(mine));

  // The person's page shows the same timeline; another person's page does not.
  auto page = f.get(f.governance, "/governance/people/" + std::to_string(f.person("p-gp")));
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Emails sent to them") && Catch::Contains("For the GP") &&
                             Catch::Contains("href=\"/governance/outbox/" + std::to_string(mine) + "\""));
  auto other = f.get(f.governance, "/governance/people/" + std::to_string(f.person("p-chair")));
  REQUIRE(other->status == 200);
  CHECK_THAT(other->body, Catch::Contains("No emails have been sent to them.") && !Catch::Contains("For the GP"));
}
