#include "server/mail/mail_sender.hpp"

#include <unistd.h>

#include <iostream>

#include "model/base/crypto.hpp"
#include "model/mail/mime_message.hpp"
#include "model/mail/outbox_delivery.hpp"
#include "server/http/metrics.hpp"
#include "server/http/request_log.hpp"

namespace probity {

MailSender::MailSender(const std::string& database, MailSettings settings, std::function<Instant()> clock)
    : settings_(std::move(settings)),
      clock_(std::move(clock)),
      db_(open_database(database, false)),
      transport_(make_mail_transport(settings_, &stopping_)),
      id_("sender-" + std::to_string(::getpid()) + "-" + random_hex(6)) {}

MailSender::~MailSender() = default;

MailPassCounts MailSender::run_once() {
  MailPassCounts counts;
  while (!stopping_) {
    auto batch = claim_due_mail(*db_, id_, settings_.batch_size, clock_(), settings_.claim_lease());
    if (batch.empty()) break;
    for (const auto& m : batch) {
      if (stopping_) break;
      auto fail = [&](const std::string& error, bool permanent) {
        const Instant now = clock_();
        const bool give_up = after_failure(settings_.retry, m.attempts, permanent, now).give_up;
        if (!mark_mail_failed(*db_, m.id, id_, error, permanent, settings_.retry, now)) return;
        ++(give_up ? counts.failed : counts.retried);
        auto& counter = give_up ? service_counters().mail_failed : service_counters().mail_retried;
        counter.fetch_add(1, std::memory_order_relaxed);
        // The message's id and the relay's answer; never its text (it may hold a set-password link).
        log_event(give_up ? LogLevel::error : LogLevel::warning, give_up ? "mail_failed" : "mail_retry",
                  {{"message_id", static_cast<std::int64_t>(m.id)}, {"attempt", static_cast<std::int64_t>(m.attempts)}, {"error", error}});
      };
      if (!valid_mail_address(m.to_address)) {
        fail("Not a valid email address: " + m.to_address, true);
        continue;
      }
      MimeMessage mime;
      mime.from_address = settings_.from_address;
      mime.from_name = settings_.from_name;
      mime.to_address = m.to_address;
      mime.to_name = m.to_name;
      mime.subject = m.subject;
      mime.text_body = m.text_body;
      mime.html_body = m.html_body;
      mime.date = clock_();
      mime.message_id = outbox_message_id(m.id, m.created_at, settings_.from_address);
      const auto result = transport_->deliver(settings_.from_address, m.to_address, build_mime(mime), m.id);
      switch (result.outcome) {
        case DeliveryResult::Outcome::sent:
          if (mark_mail_sent(*db_, m.id, id_, clock_())) {
            ++counts.sent;
            service_counters().mail_sent.fetch_add(1, std::memory_order_relaxed);
          }
          break;
        case DeliveryResult::Outcome::temporary:
          fail(result.error, false);
          break;
        case DeliveryResult::Outcome::permanent:
          fail(result.error, true);
          break;
        case DeliveryResult::Outcome::stopped:
          break;  // given back below, the attempt not counted
      }
    }
  }
  if (stopping_) release_mail_claims(*db_, id_);
  return counts;
}

MailLoop::MailLoop(const std::string& database, MailSettings settings) {
  const int poll = settings.poll_seconds;
  sender_ = std::make_unique<MailSender>(database, std::move(settings));
  thread_ = std::thread([this, poll] { run(poll); });
}

MailLoop::~MailLoop() { stop(); }

void MailLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  sender_->stop();
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MailLoop::run(int poll_seconds) {
  for (;;) {
    try {
      const auto c = sender_->run_once();
      if (c.sent + c.retried + c.failed > 0)
        log_event(LogLevel::info, "mail_pass", {{"sent", c.sent}, {"retried", c.retried}, {"failed", c.failed}});
    } catch (const std::exception& e) {
      log_event(LogLevel::error, "mail_pass_failed", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::seconds(poll_seconds), [this] { return stopping_; })) return;
  }
}

}  // namespace probity
