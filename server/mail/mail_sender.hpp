#pragma once
// Delivers the outbox: a pass claims due rows (model/mail/outbox_delivery.hpp), builds each
// message (model/mail/mime_message.hpp), hands it to the transport and marks the row, one commit
// per message. `probity mail send` runs one pass; `probity serve` runs MailLoop, a pass every
// few seconds in a thread of its own. docs/mail.md has the guarantees.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "model/base/timestamp.hpp"
#include "model/store/database.hpp"
#include "server/mail/mail_settings.hpp"
#include "server/mail/mail_transport.hpp"

namespace probity {

struct MailPassCounts {
  int sent = 0;
  int retried = 0;  // failed this time, to be tried again later
  int failed = 0;   // failed for good (a permanent refusal, a bad address, or no attempts left)
};

class MailSender {
 public:
  /// Opens its own connection to `database` (which must exist and be migrated). `clock` gives the
  /// time for claims and marks (tests move it). Throws SQLite::Exception, std::runtime_error.
  MailSender(const std::string& database, MailSettings settings, std::function<Instant()> clock = now_instant);
  ~MailSender();
  MailSender(const MailSender&) = delete;
  MailSender& operator=(const MailSender&) = delete;

  /// Delivers everything due now, a batch at a time, until nothing is due or stop() is called
  /// (then the rows not yet tried are given back). Throws SQLite::Exception.
  MailPassCounts run_once();
  /// Makes a pass in progress end after the message being sent (an SMTP transfer is cut short).
  void stop() { stopping_ = true; }
  const std::string& id() const { return id_; }

 private:
  MailSettings settings_;
  std::function<Instant()> clock_;
  DatabasePtr db_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<MailTransport> transport_;
  std::string id_;  // this sender's name in claimed_by
};

/// `probity serve`'s sender: a pass every poll_seconds on a thread of its own until stop() (or
/// destruction), which returns promptly. A pass that throws is reported on stderr and tried
/// again at the next tick.
class MailLoop {
 public:
  MailLoop(const std::string& database, MailSettings settings);
  ~MailLoop();
  MailLoop(const MailLoop&) = delete;
  MailLoop& operator=(const MailLoop&) = delete;
  void stop();

 private:
  void run(int poll_seconds);
  std::unique_ptr<MailSender> sender_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace probity
