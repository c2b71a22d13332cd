// The sender (server/mail/mail_sender.hpp) against a real SMTP server (tests/smtp_test_server.py):
// delivery with both parts, a 4xx retried then failed when the attempts run out, a 5xx or a bad
// address failed at once, the server down as a temporary failure with back-off, the .eml spool
// default, two senders on one database, and `serve`'s loop stopping promptly.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "model/mail/outbox.hpp"
#include "model/mail/outbox_delivery.hpp"
#include "server/mail/mail_sender.hpp"
#include "smtp_test_server.hpp"
#include "support.hpp"

using namespace probity;
using namespace std::chrono_literals;
using testing::SmtpTestServer;

namespace {

const Instant kStart = parse_instant("2026-12-03T09:00:00Z").value();

Id enqueue(SQLite::Database& db, const std::string& to, const std::string& subject = "Your declaration is due") {
  OutgoingMail m;
  m.kind = "reminder";
  m.to_address = to;
  m.to_name = "Dr Mo Nash";
  m.subject = subject;
  m.text_body = "Dear Dr Nash,\n\nPlease confirm your entries by 10 December 2026.";
  m.html_body = "<p>Dear Dr Nash,</p><p>Please confirm your entries by <strong>10 December 2026</strong>.</p>";
  m.reason = "You are a member of the Primary Care Commissioning Committee.";
  return enqueue_mail(db, m, kStart).value();
}

MailSettings smtp_settings(const std::string& url) {
  MailSettings s;
  s.smtp_url = url;
  s.starttls = "off";  // the test server speaks plain SMTP on loopback
  s.from_address = "probity@example.nhs.uk";
  s.from_name = "NHS Example Integrated Care Board";
  s.connect_timeout_seconds = 2;
  s.timeout_seconds = 5;
  s.retry = RetryPolicy{{1min, 5min}, 3};
  return s;
}

// A clock the test moves.
struct MailClock {
  Instant now = kStart;
  std::function<Instant()> fn() {
    return [this] { return now; };
  }
};

OutboxMessage row(SQLite::Database& db, Id id) { return find_outbox_message(db, id).value(); }

}  // namespace

TEST_CASE("mail is delivered through SMTP with the right recipient, subject and both parts, once") {
  SmtpTestServer smtp;
  testing::TestDb t;
  const Id a = enqueue(*t, "mo.nash@nhs.net");
  const Id b = enqueue(*t, "asha.patel@nhs.net", "D\xC3\xA9" "claration due");
  MailClock clock;
  MailSender sender(t.path, smtp_settings(smtp.url()), clock.fn());
  const auto counts = sender.run_once();
  CHECK(counts.sent == 2);
  CHECK(counts.retried + counts.failed == 0);
  const auto got = smtp.messages();
  REQUIRE(got.size() == 2);
  CHECK(got[0].mail_from == "probity@example.nhs.uk");
  CHECK(got[0].rcpt_tos == std::vector<std::string>{"mo.nash@nhs.net"});
  CHECK(got[0].header("Subject") == "Your declaration is due");
  CHECK(got[0].header("To") == "\"Dr Mo Nash\" <mo.nash@nhs.net>");
  CHECK(got[0].header("From") == "\"NHS Example Integrated Care Board\" <probity@example.nhs.uk>");
  CHECK(got[0].header("Message-ID") == "<probity." + std::to_string(a) + ".20261203090000@example.nhs.uk>");
  CHECK(got[0].data.find("Content-Type: text/plain; charset=UTF-8") != std::string::npos);
  CHECK(got[0].data.find("Content-Type: text/html; charset=UTF-8") != std::string::npos);
  CHECK(got[0].data.find("Please confirm your entries by 10 December 2026.") != std::string::npos);
  CHECK(got[0].data.find("<p>Dear Dr Nash,</p>") != std::string::npos);
  CHECK(got[1].rcpt_tos == std::vector<std::string>{"asha.patel@nhs.net"});
  CHECK(got[1].header("Subject") == "=?UTF-8?B?RMOpY2xhcmF0aW9uIGR1ZQ==?=");
  CHECK(row(*t, a).status == "sent");
  CHECK(row(*t, b).sent_at == "2026-12-03T09:00:00Z");

  clock.now += 1h;
  CHECK(sender.run_once().sent == 0);  // a second pass sends nothing twice
  CHECK(smtp.messages().size() == 2);
}

TEST_CASE("a 4xx refusal is retried after its back-off, then recorded as failed when the attempts run out") {
  SmtpTestServer smtp({{}, {"busy@nhs.net"}});
  testing::TestDb t;
  const Id id = enqueue(*t, "busy@nhs.net");
  MailClock clock;
  MailSender sender(t.path, smtp_settings(smtp.url()), clock.fn());
  CHECK(sender.run_once().retried == 1);
  auto r = row(*t, id);
  CHECK(r.status == "pending");
  CHECK(r.next_attempt_at == "2026-12-03T09:01:00Z");
  CHECK(r.last_error.find("451") != std::string::npos);
  CHECK(sender.run_once().retried == 0);  // not due yet
  clock.now += 1min;
  CHECK(sender.run_once().retried == 1);
  clock.now += 5min;
  CHECK(sender.run_once().failed == 1);  // the third and last attempt
  r = row(*t, id);
  CHECK(r.status == "failed");
  CHECK(r.attempts == 3);
  CHECK(smtp.messages().empty());
}

TEST_CASE("a 5xx refusal and a bad address fail at once") {
  SmtpTestServer smtp({{"gone@nhs.net"}, {}});
  testing::TestDb t;
  const Id gone = enqueue(*t, "gone@nhs.net");
  const Id bad = enqueue(*t, "not an address");
  const Id good = enqueue(*t, "mo.nash@nhs.net");
  MailClock clock;
  MailSender sender(t.path, smtp_settings(smtp.url()), clock.fn());
  const auto c = sender.run_once();
  CHECK(c.failed == 2);
  CHECK(c.sent == 1);
  CHECK(row(*t, gone).status == "failed");
  CHECK(row(*t, gone).attempts == 1);
  CHECK(row(*t, gone).last_error.find("550") != std::string::npos);
  CHECK(row(*t, bad).status == "failed");
  CHECK(row(*t, bad).last_error == "Not a valid email address: not an address");
  CHECK(row(*t, good).status == "sent");
  REQUIRE(smtp.messages().size() == 1);  // the one after the refusals still went
  CHECK(smtp.messages()[0].rcpt_tos.front() == "mo.nash@nhs.net");
}

TEST_CASE("an SMTP server that is down is a temporary failure with back-off") {
  testing::TestDb t;
  const Id id = enqueue(*t, "mo.nash@nhs.net");
  MailClock clock;
  MailSender sender(t.path, smtp_settings("smtp://127.0.0.1:" + std::to_string(testing::closed_port())), clock.fn());
  const auto c = sender.run_once();
  CHECK(c.retried == 1);
  const auto r = row(*t, id);
  CHECK(r.status == "pending");
  CHECK(r.attempts == 1);
  CHECK(r.next_attempt_at == "2026-12-03T09:01:00Z");
  CHECK_FALSE(r.last_error.empty());
}

TEST_CASE("with no SMTP server configured, each message is written as a readable .eml file and marked sent") {
  testing::TestDb t;
  const Id id = enqueue(*t, "mo.nash@nhs.net");
  MailSettings s;
  s.spool_dir = t.dir.file("mail");
  MailSender sender(t.path, s);
  CHECK(sender.run_once().sent == 1);
  CHECK(row(*t, id).status == "sent");
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(s.spool_dir)) files.push_back(e.path().filename().string());
  REQUIRE(files == std::vector<std::string>{"outbox-" + std::to_string(id) + ".eml"});
  std::ifstream in(s.spool_dir + "/" + files[0], std::ios::binary);
  const std::string eml((std::istreambuf_iterator<char>(in)), {});
  CHECK(eml.find("To: \"Dr Mo Nash\" <mo.nash@nhs.net>\r\n") != std::string::npos);
  CHECK(eml.find("Subject: Your declaration is due\r\n") != std::string::npos);
  CHECK(eml.find("Please confirm your entries by 10 December 2026.") != std::string::npos);
  CHECK(sender.run_once().sent == 0);
}

TEST_CASE("two senders on one database file never send one message twice") {
  SmtpTestServer smtp;
  testing::TestDb t;
  for (int i = 0; i < 40; ++i) enqueue(*t, "member" + std::to_string(i) + "@nhs.net");
  auto settings = smtp_settings(smtp.url());
  settings.batch_size = 3;
  MailSender one(t.path, settings);
  MailSender two(t.path, settings);
  MailPassCounts c1, c2;
  std::thread a([&] { c1 = one.run_once(); });
  std::thread b([&] { c2 = two.run_once(); });
  a.join();
  b.join();
  CHECK(c1.sent + c2.sent == 40);
  const auto got = smtp.messages();
  CHECK(got.size() == 40);
  std::set<std::string> recipients;
  for (const auto& m : got) recipients.insert(m.rcpt_tos.front());
  CHECK(recipients.size() == 40);
  CHECK(list_outbox(*t, std::string("sent"), 1, 100).total == 40);
}

TEST_CASE("serve's mail loop delivers what is due and stops promptly") {
  testing::TestDb t;
  const Id id = enqueue(*t, "mo.nash@nhs.net");
  MailSettings s;
  s.spool_dir = t.dir.file("mail");
  s.poll_seconds = 30;
  auto loop = std::make_unique<MailLoop>(t.path, s);
  for (int i = 0; i < 200 && row(*t, id).status != "sent"; ++i) std::this_thread::sleep_for(10ms);
  CHECK(row(*t, id).status == "sent");
  const auto before = std::chrono::steady_clock::now();
  loop.reset();  // waiting for the next tick would take 30 s
  CHECK(std::chrono::steady_clock::now() - before < 10s);
}
