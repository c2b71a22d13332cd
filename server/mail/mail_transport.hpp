#pragma once
// How a built message leaves Probity: SMTP through libcurl (a relay such as NHSmail or Office
// 365, with STARTTLS or TLS and a login), or, when no SMTP server is configured, an .eml file
// under the spool directory. A transport is used by one sender thread at a time.
#include <atomic>
#include <memory>
#include <string>

#include "server/mail/mail_settings.hpp"

namespace probity {

struct DeliveryResult {
  enum class Outcome { sent, temporary, permanent, stopped };
  Outcome outcome = Outcome::sent;
  std::string error;  // in words, with the server's reply when there was one
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  /// Delivers `message` (CRLF lines, as build_mime writes it) from `from` to `to`. `outbox_id`
  /// names the spool file. Does not throw for a failed delivery: says so in the result.
  virtual DeliveryResult deliver(const std::string& from, const std::string& to, const std::string& message,
                                 long long outbox_id) = 0;
};

/// The transport `settings` ask for. `stopping`, when given and set, makes an SMTP transfer in
/// progress end at once (outcome stopped: the message was not sent). Throws std::runtime_error
/// when libcurl cannot be set up. The spool directory is made when the first message is written.
std::unique_ptr<MailTransport> make_mail_transport(const MailSettings& settings,
                                                   const std::atomic<bool>* stopping = nullptr);

}  // namespace probity
