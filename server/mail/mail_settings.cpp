#include "server/mail/mail_settings.hpp"

#include <cstdlib>

#include "model/mail/mime_message.hpp"

namespace probity {
namespace {

template <typename T>
void read(const nlohmann::json& section, const char* key, T& out) {
  if (!section.contains(key)) return;
  try {
    out = section.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ConfigError(std::string("mail.") + key + " has the wrong type");
  }
}

}  // namespace

std::chrono::seconds MailSettings::claim_lease() const {
  if (claim.count() > 0) return claim;
  return std::chrono::seconds(static_cast<long long>(batch_size) * (timeout_seconds + connect_timeout_seconds) + 60);
}

MailSettings mail_settings(const Config& config) {
  MailSettings s;
  s.from_name = config.organisation_name;
  bool from_given = false;
  if (config.raw.contains("mail")) {
    const auto& m = config.raw.at("mail");
    if (!m.is_object()) throw ConfigError("mail must be an object");
    read(m, "smtp_url", s.smtp_url);
    read(m, "starttls", s.starttls);
    read(m, "user", s.user);
    read(m, "password", s.password);
    from_given = m.contains("from_address");
    read(m, "from_address", s.from_address);
    read(m, "from_name", s.from_name);
    read(m, "connect_timeout_seconds", s.connect_timeout_seconds);
    read(m, "timeout_seconds", s.timeout_seconds);
    read(m, "batch_size", s.batch_size);
    read(m, "poll_seconds", s.poll_seconds);
    read(m, "spool_dir", s.spool_dir);
    read(m, "max_attempts", s.retry.max_attempts);
    if (m.contains("retry_minutes")) {
      std::vector<int> minutes;
      read(m, "retry_minutes", minutes);
      s.retry.backoff.clear();
      for (int n : minutes) {
        if (n < 0 || n > 7 * 24 * 60) throw ConfigError("mail.retry_minutes must be from 0 to 10080 minutes each");
        s.retry.backoff.push_back(std::chrono::minutes(n));
      }
    }
    int claim_seconds = 0;
    read(m, "claim_seconds", claim_seconds);
    if (claim_seconds < 0) throw ConfigError("mail.claim_seconds must be at least 1");
    s.claim = std::chrono::seconds(claim_seconds);
  }
  if (const char* v = std::getenv("PROBITY_SMTP_URL")) s.smtp_url = v;
  if (const char* v = std::getenv("PROBITY_SMTP_USER")) s.user = v;
  if (const char* v = std::getenv("PROBITY_SMTP_PASSWORD")) s.password = v;
  if (const char* v = std::getenv("PROBITY_MAIL_FROM")) {
    s.from_address = v;
    from_given = true;
  }

  if (!s.smtp_url.empty() && s.smtp_url.rfind("smtp://", 0) != 0 && s.smtp_url.rfind("smtps://", 0) != 0)
    throw ConfigError("mail.smtp_url must start smtp:// or smtps://");
  if (s.starttls != "required" && s.starttls != "optional" && s.starttls != "off")
    throw ConfigError("mail.starttls must be required, optional or off");
  if (s.uses_smtp() && !from_given) throw ConfigError("mail.from_address is needed when mail.smtp_url is set");
  if (!valid_mail_address(s.from_address)) throw ConfigError("mail.from_address is not an email address");
  if (s.connect_timeout_seconds < 1 || s.timeout_seconds < 1)
    throw ConfigError("mail.connect_timeout_seconds and mail.timeout_seconds must be at least 1");
  if (s.batch_size < 1 || s.batch_size > 1000) throw ConfigError("mail.batch_size must be from 1 to 1000");
  if (s.poll_seconds < 1) throw ConfigError("mail.poll_seconds must be at least 1");
  if (s.retry.max_attempts < 1 || s.retry.max_attempts > 100) throw ConfigError("mail.max_attempts must be from 1 to 100");
  if (s.spool_dir.empty()) throw ConfigError("mail.spool_dir must not be empty");
  return s;
}

}  // namespace probity
