#include "server/mail/mail_kinds.hpp"

#include "model/base/crypto.hpp"
#include "model/mail/outbox.hpp"
#include "model/meetings/conflicts_report.hpp"
#include "model/register/declaration_store.hpp"
#include "model/register/organisation_store.hpp"
#include "model/register/person_store.hpp"
#include "model/register/publication_rules.hpp"
#include "server/mail/mail_compose.hpp"

namespace probity {
namespace {
using json = nlohmann::json;

std::string set_password_link(const Config& config, const PasswordLink& link) { return mail_link(config, "/set-password/" + link.token); }

// Where a person on the register is written to: the address they sign in with, else the
// register's own; nullopt when they have neither.
std::optional<MailRecipient> recipient_for(SQLite::Database& db, const Person& person) {
  std::string address;
  if (auto account = find_user_by_person(db, person.id)) address = account->email;
  if (address.empty()) address = person.email;
  if (address.empty()) return std::nullopt;
  return MailRecipient{address, person.name, person.id};
}

json account_data(const Config& config, const User& account, const PasswordLink& link, std::chrono::seconds lifetime) {
  return {{"link", set_password_link(config, link)},
          {"valid_for", duration_words(lifetime)},
          {"email", account.email},
          {"governance", account.role == UserRole::governance}};
}

// The returned entry as the member knows it, and the page where they change it.
struct ReturnedEntry {
  Id person_id = 0;
  std::string what;  // "your interest in Riverside Surgery (Partner)"
  std::string path;
};

std::optional<ReturnedEntry> returned_entry(SQLite::Database& db, const std::string& kind, Id id) {
  const auto id_text = std::to_string(id);
  if (kind == "interest") {
    auto i = InterestStore(db).find(id);
    if (!i) return std::nullopt;
    std::string org;
    if (i->organisation_id)
      if (auto o = OrganisationStore(db).find(*i->organisation_id)) org = o->name;
    std::string what = "your interest" + (org.empty() ? "" : " in " + org);
    if (!i->nature.empty()) what += " (" + i->nature + ")";
    return ReturnedEntry{i->person_id, what + ", declared on " + long_date(i->declared_on), "/my/interests/" + id_text + "/edit"};
  }
  if (kind == "gift") {
    auto g = GiftStore(db).find(id);
    if (!g) return std::nullopt;
    std::string what = std::string(g->kind == GiftKind::hospitality ? "the hospitality" : "the gift") + " from " + g->source;
    if (!g->description.empty()) what += " (" + g->description + ")";
    return ReturnedEntry{g->person_id, what + ", offered on " + long_date(g->offered_on), "/my/gifts/" + id_text + "/edit"};
  }
  if (kind == "nil_return") {
    auto n = NilReturnStore(db).find(id);
    if (!n) return std::nullopt;
    return ReturnedEntry{n->person_id, "your nil return of " + long_date(n->made_on), "/my/nil-returns/" + id_text + "/edit"};
  }
  return std::nullopt;
}

std::string role_words(const std::optional<CommitteeRole>& role) {
  if (!role) return "";
  switch (*role) {
    case CommitteeRole::chair: return "the chair";
    case CommitteeRole::vice_chair: return "the vice-chair";
    case CommitteeRole::voting: return "a voting member";
    case CommitteeRole::non_voting: return "a non-voting member";
  }
  return "";
}
}  // namespace

std::optional<Id> enqueue_invitation(SQLite::Database& db, const Config& config, const User& account, const PasswordLink& link,
                                     std::chrono::seconds lifetime, Instant now) {
  if (!mail_kind_enabled(config, "invitation")) return std::nullopt;
  std::string name;
  if (account.person_id)
    if (auto p = PersonStore(db).find(*account.person_id)) name = p->name;
  const auto mail = compose_mail(config, "invitation", {account.email, name, account.person_id}, account_data(config, account, link, lifetime),
                                 "You are receiving this because the governance team of " + config.organisation_name +
                                     " made an account for this email address on its register of interests.");
  return enqueue_mail(db, mail, now);
}

std::optional<Id> enqueue_password_reset(SQLite::Database& db, const Config& config, const User& account, const PasswordLink& link,
                                         std::chrono::seconds lifetime, Instant now) {
  if (!mail_kind_enabled(config, "password_reset")) return std::nullopt;
  std::string name;
  if (account.person_id)
    if (auto p = PersonStore(db).find(*account.person_id)) name = p->name;
  const auto mail = compose_mail(config, "password_reset", {account.email, name, account.person_id},
                                 account_data(config, account, link, lifetime),
                                 "You are receiving this because someone asked to reset the password of the account with this email "
                                 "address on the register of interests of " +
                                     config.organisation_name + ".");
  return enqueue_mail(db, mail, now);
}

std::optional<Id> enqueue_returned(SQLite::Database& db, const Config& config, const std::string& kind, Id id, const std::string& comment,
                                   Instant now) {
  if (!mail_kind_enabled(config, "returned")) return std::nullopt;
  const auto entry = returned_entry(db, kind, id);
  if (!entry) return std::nullopt;
  const auto person = PersonStore(db).find(entry->person_id);
  if (!person) return std::nullopt;
  const auto to = recipient_for(db, *person);
  if (!to) return std::nullopt;
  const json data = {{"what", entry->what}, {"comment", comment}, {"link", mail_link(config, entry->path)}};
  const auto mail = compose_mail(config, "returned", *to, data,
                                 "You are receiving this because you declared this entry on the register of interests of " +
                                     config.organisation_name + " and the governance team returned it to you.");
  return enqueue_mail(db, mail, now);
}

std::optional<AgendaNotices> enqueue_agenda_flags(SQLite::Database& db, const Config& config, Id meeting_id, Instant now) {
  // The chair's own view of the flags: a flag resting on withheld entries names only the person
  // and the item, so not even the person's own withheld details travel by email.
  auto report = build_conflicts_report(db, meeting_id, ReportAudience::committee);
  if (!report) return std::nullopt;
  AgendaNotices notices;
  if (!mail_kind_enabled(config, "agenda_flags")) return notices;
  for (const auto& participant : report->participants) {
    const Person& person = participant.person;
    json items = json::array();
    std::string fingerprint;
    int number = 0;
    for (const auto& item : report->items) {
      ++number;
      json reasons = json::array();
      for (const auto& reported : item.flags) {
        const ConflictFlag& flag = reported.flag;
        if (flag.person_id != person.id) continue;
        reasons.push_back({{"reason", flag.reason}, {"possible", flag.confidence == Confidence::possible},
                           {"suggested_action", flag.suggested_action}});
        fingerprint += std::to_string(item.item.id) + '\x1f' + flag.reason + '\x1f' + std::string(to_string(flag.confidence)) + '\x1f' +
                       flag.suggested_action + '\x1e';
      }
      if (reasons.empty()) continue;
      items.push_back({{"number", number}, {"title", item.item.title}, {"reasons", reasons}});
    }
    if (items.empty()) continue;
    const auto to = recipient_for(db, person);
    if (!to) {
      ++notices.without_address;
      continue;
    }
    const std::string role = role_words(participant.role);
    const std::string reason = "You are receiving this because " +
                               (role.empty() ? "you are expected at this meeting of the " + report->committee.name
                                             : "you are " + role + " of the " + report->committee.name) +
                               " of " + config.organisation_name + ".";
    const json data = {{"meeting_title", report->meeting.title},
                       {"committee", report->committee.name},
                       {"meeting_date", long_date(report->meeting.date)},
                       {"location", report->meeting.location},
                       {"items", items},
                       {"several", items.size() > 1},
                       {"declarations_link", mail_link(config, "/my")}};
    // The same flags for the same person and meeting make the same key: issuing the agenda
    // again sends nothing new unless what they would be told has changed.
    const std::string key = "agenda_flags:" + std::to_string(meeting_id) + ":" + std::to_string(person.id) + ":" + sha256_hex(fingerprint);
    const auto mail = compose_mail(config, "agenda_flags", *to, data, reason, key);
    if (enqueue_mail(db, mail, now)) ++notices.enqueued;
    else ++notices.already_sent;
  }
  return notices;
}

}  // namespace probity
