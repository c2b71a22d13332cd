// Enqueueing into the outbox (model/mail/outbox.hpp): one row per message, a dedupe key makes a
// second enqueue a no-op, and a message enqueued in a transaction that rolls back is not there.
#include <catch2/catch.hpp>

#include "model/mail/outbox.hpp"
#include "support.hpp"

using namespace probity;

namespace {

OutgoingMail reminder(std::optional<std::string> key) {
  OutgoingMail m;
  m.kind = "reminder";
  m.to_address = "mo.nash@nhs.net";
  m.to_name = "Dr Mo Nash";
  m.subject = "Your declaration is due";
  m.text_body = "Please confirm your entries.";
  m.reason = "You are a member of the Primary Care Commissioning Committee.";
  m.dedupe_key = std::move(key);
  return m;
}

int outbox_rows(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM outbox").getInt(); }

}  // namespace

TEST_CASE("a message is enqueued once per dedupe key, pending and due now") {
  testing::TestDb t;
  const Instant now = parse_instant("2026-12-03T09:00:00Z").value();
  auto first = enqueue_mail(*t, reminder("reminder:1:2026-12-10:before"), now);
  REQUIRE(first);
  CHECK_FALSE(enqueue_mail(*t, reminder("reminder:1:2026-12-10:before"), now));
  CHECK(enqueue_mail(*t, reminder(std::nullopt), now));  // no key: never deduplicated
  CHECK(enqueue_mail(*t, reminder(std::nullopt), now));
  CHECK(outbox_rows(*t) == 3);
  SQLite::Statement q(*t, "SELECT status, next_attempt_at, attempts, to_address FROM outbox WHERE id = ?");
  q.bind(1, *first);
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getString() == "pending");
  CHECK(q.getColumn(1).getString() == "2026-12-03T09:00:00Z");
  CHECK(q.getColumn(2).getInt() == 0);
  CHECK(q.getColumn(3).getString() == "mo.nash@nhs.net");
}

TEST_CASE("a message enqueued in a transaction that rolls back is never in the outbox") {
  testing::TestDb t;
  const Instant now = parse_instant("2026-12-03T09:00:00Z").value();
  {
    SQLite::Transaction tx(*t);
    REQUIRE(enqueue_mail(*t, reminder("k"), now));
  }  // not committed
  CHECK(outbox_rows(*t) == 0);
}
