#pragma once
// The "mail" section of the config file (README, "Email"), with PROBITY_SMTP_URL,
// PROBITY_SMTP_USER and PROBITY_SMTP_PASSWORD over it for secrets kept out of the file.
#include <chrono>
#include <string>

#include "model/mail/retry_policy.hpp"
#include "server/http/config.hpp"

namespace probity {

struct MailSettings {
  /// smtp://host:port (STARTTLS as `starttls` says) or smtps://host:port (TLS from the start).
  /// Empty: the embedded default, each message written as an .eml file under spool_dir.
  std::string smtp_url;
  std::string starttls = "required";  // for smtp://: required, optional, or off (a local relay only)
  std::string user;
  std::string password;
  std::string from_address = "probity@probity.invalid";
  std::string from_name;  // the organisation's name
  int connect_timeout_seconds = 10;
  int timeout_seconds = 60;  // for one message, connection included
  int batch_size = 20;       // rows claimed at once
  RetryPolicy retry;
  /// How long a claim lasts before another sender may take the rows over; by default long enough
  /// for a whole batch at the worst (batch_size × timeout_seconds, plus a minute).
  std::chrono::seconds claim{0};
  int poll_seconds = 5;  // how often `probity serve` looks for due messages
  std::string spool_dir = "var/mail";

  bool uses_smtp() const { return !smtp_url.empty(); }
  std::chrono::seconds claim_lease() const;
};

/// Reads config.raw["mail"] over the defaults, then the environment. Throws ConfigError naming
/// the setting that is wrong.
MailSettings mail_settings(const Config& config);

}  // namespace probity
