#include "server/mail/outbox_views.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "model/base/date.hpp"
#include "model/register/publication_rules.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

// "3 December 2026 at 09:05" (UTC), from an ISO instant; empty for anything else.
std::string when(const std::optional<std::string>& iso) {
  if (!iso || !parse_instant(*iso)) return "";
  const auto d = Date::parse(iso->substr(0, 10));
  return d ? long_date(*d) + " at " + iso->substr(11, 5) : "";
}

json cell(const std::optional<std::string>& iso) {
  if (!iso || iso->empty()) return false;
  return json{{"iso", *iso}, {"text", when(iso)}};
}

std::string status_tag(const OutboxMessage& m) {
  if (m.status == "failed") return "nhsuk-tag--red";
  if (m.status == "sent") return "nhsuk-tag--green";
  if (m.status == "pending" && !m.last_error.empty()) return "nhsuk-tag--orange";
  return "nhsuk-tag--grey";
}

std::string href_of(Id id) { return "/governance/outbox/" + std::to_string(id); }

std::string filter_href(const std::optional<std::string>& status, int page) {
  std::string q;
  if (status) q += "status=" + *status;
  if (page > 1) q += std::string(q.empty() ? "" : "&") + "page=" + std::to_string(page);
  return "/governance/outbox" + (q.empty() ? "" : "?" + q);
}

int page_count(long long total) { return static_cast<int>(std::max<long long>(1, (total + kOutboxPageSize - 1) / kOutboxPageSize)); }

json row_view(const OutboxMessage& m) {
  return {{"id", m.id},
          {"href", href_of(m.id)},
          {"created", cell(m.created_at)},
          {"to_address", m.to_address},
          {"to_name", m.to_name},
          {"subject", m.subject},
          {"kind", mail_kind_in_words(m.kind)},
          {"status", mail_status_in_words(m)},
          {"tag", status_tag(m)},
          {"failed", m.status == "failed"},
          {"attempts", m.attempts},
          {"last_error", m.last_error}};
}

}  // namespace

std::string mail_kind_in_words(const std::string& kind) {
  static const std::map<std::string, std::string> words = {
      {"invitation", "Invitation to set a password"},
      {"password_reset", "Password reset"},
      {"reminder", "Reminder to declare"},
      {"escalation", "Overdue declaration, passed to governance"},
      {"digest", "Summary for governance"},
      {"returned", "Entry returned for changes"},
      {"agenda_flags", "Possible conflicts on an agenda"},
  };
  if (auto it = words.find(kind); it != words.end()) return it->second;
  std::string text = kind;
  for (char& c : text)
    if (c == '_') c = ' ';
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::string mail_status_in_words(const OutboxMessage& m) {
  if (m.status == "sent") return "Sent";
  if (m.status == "failed") return "Failed";
  if (m.status == "sending") return "Sending";
  return m.last_error.empty() ? "Waiting to send" : "Will try again";
}

json outbox_message_json(const OutboxMessage& m, bool with_bodies) {
  json j = {{"id", m.id},
            {"kind", m.kind},
            {"to_address", m.to_address},
            {"to_name", m.to_name},
            {"person_id", m.person_id ? json(*m.person_id) : json(nullptr)},
            {"subject", m.subject},
            {"reason", m.reason},
            {"created_at", m.created_at},
            {"status", m.status},
            {"attempts", m.attempts},
            {"next_attempt_at", m.status == "pending" ? json(m.next_attempt_at) : json(nullptr)},
            {"last_error", m.last_error},
            {"sent_at", m.sent_at ? json(*m.sent_at) : json(nullptr)}};
  if (with_bodies) {
    j["text_body"] = m.text_body;
    j["html_body"] = m.html_body;
  }
  return j;
}

json outbox_list_json(SQLite::Database& db, const std::optional<std::string>& status, int page, const std::string& people) {
  const auto found = list_outbox(db, status, page, kOutboxPageSize, people);
  json messages = json::array();
  for (const auto& m : found.messages) messages.push_back(outbox_message_json(m, false));
  return {{"messages", messages}, {"total", found.total}, {"page", page}, {"pages", page_count(found.total)},
          {"status", status ? json(*status) : json(nullptr)}};
}

json outbox_page_view(SQLite::Database& db, const std::optional<std::string>& status, int page, const std::string& people) {
  const auto found = list_outbox(db, status, page, kOutboxPageSize, people);
  json rows = json::array();
  for (const auto& m : found.messages) rows.push_back(row_view(m));
  long long all = 0;
  json filters = json::array();
  static const std::map<std::string, std::string> labels = {
      {"pending", "Waiting"}, {"sending", "Sending"}, {"sent", "Sent"}, {"failed", "Failed"}};
  const auto counts = outbox_counts(db, people);
  for (const auto& c : counts) all += c.second;
  filters.push_back({{"label", "All"}, {"count", all}, {"href", filter_href(std::nullopt, 1)}, {"current", !status}});
  long long failed = 0;
  for (const auto& [name, n] : counts) {
    if (name == "failed") failed = n;
    filters.push_back({{"label", labels.at(name)}, {"count", n}, {"href", filter_href(name, 1)}, {"current", status == name}});
  }
  const int pages = page_count(found.total);
  json pagination = {{"show", pages > 1}, {"items", json::array()}};
  if (page > 1) pagination["previous"] = filter_href(status, page - 1);
  if (page < pages) pagination["next"] = filter_href(status, page + 1);
  for (int p = 1; p <= pages; ++p)
    if (p == 1 || p == pages || std::abs(p - page) <= 2)
      pagination["items"].push_back({{"number", p}, {"href", filter_href(status, p)}, {"current", p == page}});
  std::string heading = "Outbox";
  if (status) heading += ": " + labels.at(*status);
  return {{"title", heading},
          {"heading", heading},
          {"filters", filters},
          {"rows", rows},
          {"none", rows.empty()},
          {"failed_count", failed},
          {"show_failed_warning", failed > 0 && status != "failed"},
          {"failed_href", filter_href(std::string("failed"), 1)},
          {"pagination", pagination}};
}

json outbox_message_view(const OutboxMessage& m) {
  json v = row_view(m);
  v["title"] = "Message: " + m.subject;
  v["reason"] = m.reason;
  v["text_body"] = m.text_body;
  // The plain text part as paragraphs of lines (blank lines part them), escaped by the template.
  json paragraphs = json::array();
  json lines = json::array();
  std::size_t start = 0;
  while (start <= m.text_body.size()) {
    auto end = m.text_body.find('\n', start);
    if (end == std::string::npos) end = m.text_body.size();
    std::string line = m.text_body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!lines.empty()) paragraphs.push_back({{"lines", lines}});
      lines = json::array();
    } else {
      lines.push_back(line);
    }
    start = end + 1;
  }
  if (!lines.empty()) paragraphs.push_back({{"lines", lines}});
  v["paragraphs"] = paragraphs;
  v["sent"] = cell(m.sent_at);
  v["next_attempt"] = m.status == "pending" && m.attempts > 0 ? cell(m.next_attempt_at) : json(false);
  v["person_href"] = m.person_id ? json("/governance/people/" + std::to_string(*m.person_id)) : json(false);
  v["has_error"] = !m.last_error.empty();
  return v;
}

json person_mail_timeline(SQLite::Database& db, Id person_id, int limit) {
  json out = json::array();
  for (const auto& m : person_outbox(db, person_id, limit))
    out.push_back({{"date", when(m.created_at)}, {"iso", m.created_at}, {"kind", mail_kind_in_words(m.kind)},
                   {"subject", m.subject}, {"status", mail_status_in_words(m)}, {"tag", status_tag(m)},
                   {"failed", m.status == "failed"}, {"href", href_of(m.id)}});
  return out;
}

}  // namespace probity
