#include "server/mail/mail_compose.hpp"

#include "server/http/views.hpp"

namespace probity {

bool mail_kind_enabled(const Config& config, std::string_view kind) {
  const auto mail = config.raw.find("mail");
  if (mail == config.raw.end() || !mail->is_object()) return true;
  const auto kinds = mail->find("kinds");
  if (kinds == mail->end() || !kinds->is_object()) return true;
  const auto setting = kinds->find(std::string(kind));
  // Only an explicit false switches a kind off: a message the law expects is never dropped by a typo.
  return setting == kinds->end() || !setting->is_boolean() || setting->get<bool>();
}

std::string mail_link(const Config& config, std::string_view path) {
  std::string base = config.effective_base_url();
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + std::string(path);
}

std::string duration_words(std::chrono::seconds duration) {
  const auto plural = [](long long n, const char* unit) { return std::to_string(n) + " " + unit + (n == 1 ? "" : "s"); };
  const long long s = duration.count();
  if (s >= 2 * 86400 && s % 86400 == 0) return plural(s / 86400, "day");
  if (s >= 3600 && s % 3600 == 0) return plural(s / 3600, "hour");
  if (s >= 60 && s % 60 == 0) return plural(s / 60, "minute");
  return plural(s, "second");
}

namespace {
// A subject is a header: a line break in it would end the header (and could start another), so
// every run of line breaks and tabs becomes one space, and the ends are trimmed.
std::string one_line(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}
}  // namespace

OutgoingMail compose_mail(const Config& config, std::string_view kind, const MailRecipient& to, const nlohmann::json& data,
                          std::string reason, std::optional<std::string> dedupe_key) {
  const std::string name = "mail_" + std::string(kind);
  nlohmann::json d = data.is_object() ? data : nlohmann::json::object();
  d["organisation"] = config.organisation_name;
  d["base_url"] = mail_link(config, "/");
  // No name: no greeting (Mustache takes any string, the empty one too, as present).
  d["recipient_name"] = to.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(to.name);
  d["reason"] = reason;

  OutgoingMail mail;
  mail.kind = std::string(kind);
  mail.to_address = to.address;
  mail.to_name = to.name;
  mail.person_id = to.person_id;
  mail.subject = one_line(render_text_template(name + "_subject", d));
  d["subject"] = mail.subject;

  nlohmann::json text = d;
  text["content"] = render_text_template(name + "_text", d);
  mail.text_body = render_text_template("mail_layout_text", text);
  nlohmann::json html = d;
  html["content"] = render_template(name + "_html", d);
  mail.html_body = render_template("mail_layout_html", html);

  mail.reason = std::move(reason);
  mail.dedupe_key = std::move(dedupe_key);
  return mail;
}

}  // namespace probity
