#pragma once
// What Probity's emails say: one message of a kind rendered from its templates
// (templates/mail/mail_<kind>_{subject,text,html}.mustache) inside the common layouts, ready for
// enqueue_mail (model/mail/outbox.hpp). Every message names the organisation and says why it was
// sent; links are absolute; there is no unsubscribe link, as these messages are statutory.
// docs/mail-messages.md lists each kind.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model/mail/outbox.hpp"
#include "model/store/entities.hpp"
#include "server/http/config.hpp"

namespace probity {

struct MailRecipient {
  std::string address;
  std::string name;
  std::optional<Id> person_id;  // whose timeline the message belongs to
};

/// True unless the config's "mail" section switches this kind off ("mail": {"kinds": {"reminder": false}}).
/// Throws nothing.
bool mail_kind_enabled(const Config& config, std::string_view kind);

/// Renders templates mail_<kind>_subject, mail_<kind>_text and mail_<kind>_html with `data` plus
/// organisation, base_url, recipient_name and reason, inside the common layouts (mail_layout_text,
/// mail_layout_html). The subject is one line; the text part is not HTML-escaped, the HTML part
/// is. Throws std::runtime_error when the kind has no templates.
OutgoingMail compose_mail(const Config& config, std::string_view kind, const MailRecipient& to,
                          const nlohmann::json& data, std::string reason, std::optional<std::string> dedupe_key = std::nullopt);

/// The absolute address of `path` (which starts with '/') on this service, for links in messages.
/// Throws nothing.
std::string mail_link(const Config& config, std::string_view path);

/// How long a link lasts, in words for a message: "1 hour", "30 minutes", "3 days". Throws nothing.
std::string duration_words(std::chrono::seconds duration);

}  // namespace probity
