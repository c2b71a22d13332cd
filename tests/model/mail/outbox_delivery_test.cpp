// The sender's side of the outbox (model/mail/outbox_delivery.hpp): claiming due rows, a lapsed
// claim taken over, marks only by the claim's holder, retries and failures, and the listings.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "model/mail/outbox.hpp"
#include "model/mail/outbox_delivery.hpp"
#include "support.hpp"

using namespace probity;
using namespace std::chrono_literals;

namespace {

const Instant kNow = parse_instant("2026-12-03T09:00:00Z").value();

Id enqueue(SQLite::Database& db, const std::string& to, Instant at = kNow, std::optional<Id> person = std::nullopt) {
  OutgoingMail m;
  m.kind = "reminder";
  m.to_address = to;
  m.person_id = person;
  m.subject = "Your declaration is due";
  m.text_body = "Please confirm your entries.";
  return enqueue_mail(db, m, at).value();
}

std::string status_of(SQLite::Database& db, Id id) { return find_outbox_message(db, id).value().status; }

}  // namespace

TEST_CASE("due rows are claimed once, and a lapsed claim is taken over") {
  testing::TestDb t;
  const Id a = enqueue(*t, "a@nhs.net");
  const Id b = enqueue(*t, "b@nhs.net");
  const Id later = enqueue(*t, "c@nhs.net", kNow + 1h);  // not due yet

  auto first = claim_due_mail(*t, "sender-1", 10, kNow, 60s);
  REQUIRE(first.size() == 2);
  CHECK(first[0].id == a);
  CHECK(first[1].id == b);
  CHECK(first[0].attempts == 1);
  CHECK(status_of(*t, a) == "sending");
  CHECK(claim_due_mail(*t, "sender-2", 10, kNow + 59s, 60s).empty());  // held by sender-1

  // sender-1 dies; its claim lapses and sender-2 takes the rows over.
  auto second = claim_due_mail(*t, "sender-2", 10, kNow + 60s, 60s);
  REQUIRE(second.size() == 2);
  CHECK(second[0].attempts == 2);
  CHECK_FALSE(mark_mail_sent(*t, a, "sender-1", kNow + 61s));  // the old holder can no longer mark it
  CHECK(mark_mail_sent(*t, a, "sender-2", kNow + 61s));
  CHECK(status_of(*t, a) == "sent");
  CHECK(find_outbox_message(*t, a)->sent_at == "2026-12-03T09:01:01Z");
  CHECK_FALSE(mark_mail_sent(*t, a, "sender-2", kNow + 62s));  // once

  CHECK(release_mail_claims(*t, "sender-2") == 1);  // b goes back, the attempt not counted
  CHECK(status_of(*t, b) == "pending");
  CHECK(find_outbox_message(*t, b)->attempts == 1);
  CHECK(status_of(*t, later) == "pending");
  CHECK(claim_due_mail(*t, "sender-3", 1, kNow + 1h, 60s).front().id == b);  // oldest due first, limit 1
}

TEST_CASE("a temporary failure is retried after its back-off and recorded as failed when attempts run out") {
  testing::TestDb t;
  const Id id = enqueue(*t, "a@nhs.net");
  const RetryPolicy policy{{1min, 5min}, 3};
  Instant now = kNow;
  REQUIRE(claim_due_mail(*t, "s", 10, now, 60s).size() == 1);
  CHECK(mark_mail_failed(*t, id, "s", "451 try later", false, policy, now));
  auto row = find_outbox_message(*t, id).value();
  CHECK(row.status == "pending");
  CHECK(row.next_attempt_at == "2026-12-03T09:01:00Z");
  CHECK(row.last_error == "451 try later");
  CHECK(claim_due_mail(*t, "s", 10, now + 59s, 60s).empty());  // not yet
  now += 1min;
  REQUIRE(claim_due_mail(*t, "s", 10, now, 60s).size() == 1);
  CHECK(mark_mail_failed(*t, id, "s", "451 try later", false, policy, now));
  CHECK(find_outbox_message(*t, id)->next_attempt_at == "2026-12-03T09:06:00Z");
  now += 5min;
  REQUIRE(claim_due_mail(*t, "s", 10, now, 60s).size() == 1);
  CHECK(mark_mail_failed(*t, id, "s", "451 still", false, policy, now));
  row = find_outbox_message(*t, id).value();
  CHECK(row.status == "failed");
  CHECK(row.attempts == 3);
  CHECK(row.last_error == "451 still");
  CHECK(claim_due_mail(*t, "s", 10, now + 24h, 60s).empty());  // failed rows are never claimed
}

TEST_CASE("a permanent refusal fails at once") {
  testing::TestDb t;
  const Id id = enqueue(*t, "nobody@nhs.net");
  REQUIRE(claim_due_mail(*t, "s", 10, kNow, 60s).size() == 1);
  CHECK_FALSE(mark_mail_failed(*t, id, "other", "550", true, RetryPolicy{}, kNow));  // not its claim
  CHECK(mark_mail_failed(*t, id, "s", "550 no such user", true, RetryPolicy{}, kNow));
  CHECK(status_of(*t, id) == "failed");
  CHECK(find_outbox_message(*t, id)->attempts == 1);
}

TEST_CASE("two senders claiming at once on one database file never share a row") {
  testing::TestDb t;
  for (int i = 0; i < 200; ++i) enqueue(*t, "m" + std::to_string(i) + "@nhs.net");
  std::vector<Id> got[2];
  std::vector<std::thread> senders;
  for (int s = 0; s < 2; ++s)
    senders.emplace_back([&t, &got, s] {
      auto db = open_database(t.path, false);
      for (;;) {
        auto batch = claim_due_mail(*db, "sender-" + std::to_string(s), 7, kNow, 600s);
        if (batch.empty()) break;
        for (const auto& m : batch) {
          got[s].push_back(m.id);
          REQUIRE(mark_mail_sent(*db, m.id, "sender-" + std::to_string(s), kNow));
        }
      }
    });
  for (auto& s : senders) s.join();
  std::set<Id> all(got[0].begin(), got[0].end());
  all.insert(got[1].begin(), got[1].end());
  CHECK(got[0].size() + got[1].size() == 200);
  CHECK(all.size() == 200);
}

TEST_CASE("the outbox is listed newest first by status and page, and by person") {
  testing::TestDb t;
  (*t).exec("INSERT INTO people(id, ref, created_at) VALUES (7, 'p-7', '2026-01-01T00:00:00Z')");
  for (int i = 0; i < 5; ++i) enqueue(*t, "m" + std::to_string(i) + "@nhs.net", kNow, i % 2 == 0 ? std::optional<Id>(7) : std::nullopt);
  REQUIRE(claim_due_mail(*t, "s", 1, kNow, 60s).size() == 1);  // row 1
  REQUIRE(mark_mail_failed(*t, 1, "s", "550", true, RetryPolicy{}, kNow));

  auto all = list_outbox(*t, std::nullopt, 1, 2);
  CHECK(all.total == 5);
  REQUIRE(all.messages.size() == 2);
  CHECK(all.messages[0].id == 5);
  CHECK(all.messages[1].id == 4);
  CHECK(list_outbox(*t, std::nullopt, 3, 2).messages.front().id == 1);
  auto failed = list_outbox(*t, std::string("failed"), 1, 50);
  CHECK(failed.total == 1);
  CHECK(failed.messages.front().id == 1);
  CHECK(list_outbox(*t, std::string("sent"), 1, 50).total == 0);
  const auto counts = outbox_counts(*t);
  CHECK(counts == std::vector<std::pair<std::string, long long>>{{"pending", 4}, {"sending", 0}, {"sent", 0}, {"failed", 1}});
  auto mine = person_outbox(*t, 7, 10);
  REQUIRE(mine.size() == 3);
  CHECK(mine[0].id == 5);
  CHECK(mine[2].id == 1);
}

TEST_CASE("a set-password link is kept in the outbox only until its message is sent or has failed for good") {
  testing::TestDb t;
  const std::string token = "Qx7vK2pLm9Rt4Wz8Yb3Nc6Hd";
  auto invitation = [&](const std::string& to) {
    OutgoingMail m;
    m.kind = "invitation";
    m.to_address = to;
    m.subject = "Set up your account";
    m.text_body = "Open https://probity.example/set-password/" + token + "-" + to.substr(0, 2) + " to choose a password.";
    m.html_body = "<a href=\"https://probity.example/set-password/" + token + "-" + to.substr(0, 2) + "\">Choose your password</a>";
    return enqueue_mail(*t, m, kNow).value();
  };
  const Id sent = invitation("aa@nhs.net");
  const Id retried = invitation("bb@nhs.net");
  const Id refused = invitation("cc@nhs.net");
  REQUIRE(claim_due_mail(*t, "s", 10, kNow, 60s).size() == 3);
  REQUIRE(mark_mail_sent(*t, sent, "s", kNow));
  REQUIRE(mark_mail_failed(*t, retried, "s", "451 busy", false, RetryPolicy{}, kNow));  // still to be sent: keeps it
  REQUIRE(mark_mail_failed(*t, refused, "s", "550 no such user", true, RetryPolicy{}, kNow));
  auto body = [&](Id id) { return find_outbox_message(*t, id)->text_body; };
  CHECK(body(sent) == "Open https://probity.example/set-password/(link removed once sent) to choose a password.");
  CHECK(find_outbox_message(*t, sent)->html_body.find(token) == std::string::npos);
  CHECK(body(retried).find(token + "-bb") != std::string::npos);
  CHECK(body(refused).find(token) == std::string::npos);
}
