#include "server/governance/reminder_pass.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/accounts/user_store.hpp"
#include "model/mail/outbox.hpp"
#include "model/register/declaration_year.hpp"
#include "model/register/publication_rules.hpp"
#include "model/register/reminder_plan.hpp"
#include "model/register/year_store.hpp"
#include "server/http/app.hpp"
#include "server/http/request_log.hpp"
#include "server/http/year_config.hpp"
#include "server/mail/mail_compose.hpp"

namespace probity {
namespace {

using json = nlohmann::json;

// Each person's plan entry: their year state on `on`.
std::vector<PlanEntry> plan_entries(std::vector<PersonRecord>& records, const Date& on, const YearRules& rules) {
  std::vector<PlanEntry> entries;
  entries.reserve(records.size());
  for (auto& record : records) entries.push_back(plan_entry(std::move(record), on, rules));
  return entries;
}

// What the person needs to do for the event, as the message's sentence says it.
std::string action_for(YearEventKind kind) {
  switch (kind) {
    case YearEventKind::became_aware: return "declare an interest";
    case YearEventKind::declared_at_meeting: return "declare on the register the interest you declared at a meeting";
    case YearEventKind::leaving: return "make your final confirmation of your interests";
    case YearEventKind::annual: return "make your annual confirmation of your interests";
    default: return "declare your interests";
  }
}

std::string third_person(std::string action) {
  const std::string your = "your ";
  for (auto at = action.find(your); at != std::string::npos; at = action.find(your, at + 6)) action.replace(at, your.size(), "their ");
  return action;
}

std::vector<MailRecipient> governance_recipients(SQLite::Database& db) {
  std::vector<MailRecipient> out;
  for (const auto& u : UserStore(db).all_users())
    if (u.role == UserRole::governance && !u.disabled) out.push_back({u.email, "", u.person_id});
  return out;
}

struct Sender {
  const Config& config;
  SQLite::Database& db;
  Instant now;
  ReminderPassResult& result;

  void send(std::string_view kind, const MailRecipient& to, const json& data, const std::string& reason, const std::string& key) {
    if (!mail_kind_enabled(config, kind)) {
      ++result.switched_off;
      return;
    }
    if (to.address.empty()) {
      ++result.no_address;
      return;
    }
    if (enqueue_mail(db, compose_mail(config, kind, to, data, reason, key), now))
      ++result.enqueued;
    else
      ++result.already_sent;
  }
};

// Where the reminder sends the member: the annual confirmation, the interest form pre-filled
// from what they said at a meeting (the event "meeting-declaration-<id>"), or their dashboard.
std::string member_link(const Notice& n) {
  if (n.event_kind == YearEventKind::annual) return "/my/confirmation";
  const std::string prefix = "meeting-declaration-";
  if (n.event_kind == YearEventKind::declared_at_meeting && n.event_id.rfind(prefix, 0) == 0)
    return "/my/interests/new?meeting_declaration=" + n.event_id.substr(prefix.size());
  return "/my";
}

json reminder_data(const Config& config, const Notice& n, const PlanEntry& p) {
  const bool before = n.kind == NoticeKind::reminder_before;
  const bool due = n.kind == NoticeKind::reminder_due;
  const bool annual = n.event_kind == YearEventKind::annual;
  return {{"stage_before", before},
          {"stage_due", due},
          {"stage_overdue", !before && !due},
          {"action", action_for(n.event_kind)},
          {"event", n.event},
          {"due_date", long_date(n.due_by)},
          {"days_overdue", n.days_overdue},
          {"overdue_text", overdue_text(n.due_by, n.due_by.plus_days(n.days_overdue))},
          {"nil_return", annual && p.year.current_interests == 0},
          {"link", mail_link(config, member_link(n))}};
}

const std::string kMemberReason = "You are receiving this because you are on the register of interests of ";

// The digest names at most this many of the overdue, the longest overdue first; the rest are
// counted, and all are on the compliance dashboard. Without a cap, a register of 200,000 people
// would mail governance a list of everyone overdue, and the pass would hold it all in memory.
constexpr std::size_t kDigestNamed = 50;

}  // namespace

// Outside the anonymous namespace: ReminderPass::State, a member of a class with linkage, holds
// one (GCC's -Wsubobject-linkage).
namespace reminder_pass_detail {

// What the weekly digest says of everyone, added up a batch at a time.
struct DigestTally {
  struct Overdue {
    int days = 0;
    std::string name;
    json line;
  };
  int up = 0, due = 0, overdue = 0, never = 0, late = 0;
  std::vector<Overdue> longest;  // the longest overdue so far: kDigestNamed of them, once trimmed

  static bool before(const Overdue& a, const Overdue& b) { return a.days != b.days ? a.days > b.days : a.name < b.name; }

  void trim() {
    if (longest.size() <= kDigestNamed) return;
    std::partial_sort(longest.begin(), longest.begin() + kDigestNamed, longest.end(), before);
    longest.resize(kDigestNamed);
  }

  void add(const PlanEntry& p, const Date& on) {
    if (p.year.has_left && !p.year.reason) return;
    switch (p.year.state) {
      case YearState::up_to_date: ++up; break;
      case YearState::due: ++due; break;
      case YearState::overdue: ++overdue; break;
      case YearState::never_declared: ++never; break;
    }
    if (p.year.state == YearState::overdue || p.year.state == YearState::never_declared) {
      longest.push_back({p.year.days_overdue, p.name,
                         {{"name", p.name},
                          {"due_date", p.year.due_by ? long_date(*p.year.due_by) : (p.year.reason ? long_date(p.year.reason->due_by) : "")},
                          {"days_overdue", p.year.days_overdue},
                          {"overdue_text", overdue_text(on.plus_days(-p.year.days_overdue), on)},
                          {"event", p.year.reason ? describe_event(*p.year.reason) : ""}}});
      if (longest.size() >= 4 * kDigestNamed) trim();
    }
    for (const auto& l : p.year.late)
      if (l.declared_on >= p.year.year_start) ++late;
  }

  // The named overdue, longest first.
  json named() {
    trim();
    std::sort(longest.begin(), longest.end(), before);
    json out = json::array();
    for (auto& o : longest) out.push_back(std::move(o.line));
    return out;
  }
};

}  // namespace reminder_pass_detail

struct ReminderPass::State {
  State(const Config& c, const Date& d, Instant n, std::size_t batch)
      : config(c), on(d), now(n), people_batch(batch), rules(year_rules(c)), settings(reminder_settings(c)),
        digest_day(plan_digest(d, settings, 0).has_value()) {}
  const Config& config;
  Date on;
  Instant now;
  std::size_t people_batch;
  YearRules rules;
  ReminderSettings settings;
  ReminderPassResult result;
  Id after = 0;  // the last person read
  bool digest_day = false;
  reminder_pass_detail::DigestTally tally;
  bool done = false;

  // The batch's notices in the plan's order (person by person), as one plan of everyone would
  // give them.
  void send_batch(SQLite::Database& db, const std::vector<PlanEntry>& entries) {
    Sender sender{config, db, now, result};
    std::optional<std::vector<MailRecipient>> governance;
    auto governance_team = [&]() -> const std::vector<MailRecipient>& {
      if (!governance) governance = governance_recipients(db);
      return *governance;
    };
    std::vector<Notice> notices;
    for (const auto& p : entries) {
      if (digest_day) tally.add(p, on);
      notices.clear();
      plan_person_reminders(p, on, settings, notices);
      result.planned += static_cast<int>(notices.size());
      for (const Notice& n : notices) {
        switch (n.kind) {
          case NoticeKind::reminder_before:
          case NoticeKind::reminder_due:
          case NoticeKind::reminder_overdue:
            sender.send("reminder", {p.email, p.name, p.person_id}, reminder_data(config, n, p),
                        kMemberReason + config.organisation_name + ", and a declaration of yours is due.", n.dedupe_key);
            break;
          case NoticeKind::escalation: {
            json data = {{"person_name", p.name},
                         {"action", third_person(action_for(n.event_kind))},
                         {"event", n.event},
                         {"due_date", long_date(n.due_by)},
                         {"days_overdue", n.days_overdue},
                         {"overdue_text", overdue_text(n.due_by, n.due_by.plus_days(n.days_overdue))},
                         {"to_manager", false},
                         {"link", mail_link(config, "/governance/people/" + std::to_string(p.person_id) + "/year")}};
            for (const auto& g : governance_team())
              sender.send("escalation", g, data,
                          "You are receiving this because you are on the governance team of " + config.organisation_name +
                              ", which is told when a declaration is more than " + std::to_string(settings.escalate_after_days) +
                              " days overdue.",
                          n.dedupe_key + ":" + g.address);
            if (!n.manager_email.empty()) {
              data["to_manager"] = true;
              sender.send("escalation", {n.manager_email, n.manager_name, std::nullopt}, data,
                          "You are receiving this because you are recorded as " + p.name +
                              "'s line manager on the register of interests of " + config.organisation_name + ".",
                          n.dedupe_key + ":manager");
            }
            break;
          }
          case NoticeKind::digest:
            break;  // planned once, after everyone (send_digest)
        }
      }
    }
  }

  void send_digest(SQLite::Database& db) {
    auto digest = plan_digest(on, settings, tally.overdue + tally.never);
    if (!digest) return;
    ++result.planned;
    Sender sender{config, db, now, result};
    const int review = db.execAndGet(
                             "SELECT (SELECT count(*) FROM interest_current WHERE status = 'submitted') + "
                             "(SELECT count(*) FROM gift_current WHERE status = 'submitted') + "
                             "(SELECT count(*) FROM nil_return_current WHERE status = 'submitted')")
                           .getInt();
    const json named = tally.named();
    const int unnamed = tally.overdue + tally.never - static_cast<int>(named.size());
    const json data = {{"date", long_date(on)},
                       {"up_to_date_count", tally.up},
                       {"due_count", tally.due},
                       {"overdue_count", tally.overdue + tally.never},
                       {"never_count", tally.never},
                       {"late_count", tally.late},
                       {"review_count", review},
                       {"overdue", named},
                       {"has_overdue", !named.empty()},
                       {"more_overdue", unnamed > 0},
                       {"more_overdue_count", unnamed},
                       {"link", mail_link(config, "/governance/compliance")}};
    for (const auto& g : governance_recipients(db))
      sender.send("digest", g, data,
                  "You are receiving this because you are on the governance team of " + config.organisation_name +
                      ": the register sends you this summary once a week.",
                  digest->dedupe_key + ":" + g.address);
  }
};

ReminderPass::ReminderPass(const Config& config, const Date& on, Instant now, std::size_t people_batch)
    : s_(std::make_unique<State>(config, on, now, people_batch)) {}

ReminderPass::~ReminderPass() = default;

bool ReminderPass::step(SQLite::Database& db) {
  State& s = *s_;
  if (s.done) return false;
  if (auto records = next_year_records(db, s.after, s.people_batch)) {
    std::vector<PlanEntry> entries = plan_entries(*records, s.on, s.rules);
    records->clear();
    s.send_batch(db, entries);
    return true;
  }
  s.send_digest(db);
  s.done = true;
  return false;
}

const ReminderPassResult& ReminderPass::result() const { return s_->result; }

ReminderPassResult run_reminder_pass(const Config& config, SQLite::Database& db, const Date& on, Instant now,
                                     std::size_t people_batch) {
  ReminderPass pass(config, on, now, people_batch);
  while (pass.step(db)) {
  }
  return pass.result();
}

int chase_overdue_people(const Config& config, SQLite::Database& db, const Date& on, Instant now) {
  const YearRules rules = year_rules(config);
  ReminderPassResult result;
  Sender sender{config, db, now, result};
  int chased = 0;
  // A batch at a time, as the reminder pass reads.
  for_each_year_records(db, kReminderPeopleBatch, [&](std::vector<PersonRecord>& records) {
    for (const auto& p : plan_entries(records, on, rules)) {
      if (p.year.state != YearState::overdue && p.year.state != YearState::never_declared) continue;
      if (!p.year.reason || p.email.empty()) continue;
      Notice n;
      n.kind = NoticeKind::reminder_overdue;
      n.person_id = p.person_id;
      n.event_kind = p.year.reason->kind;
      n.event = describe_event(*p.year.reason);
      n.due_by = p.year.reason->due_by;
      n.days_overdue = p.year.days_overdue;
      const int before = result.enqueued;
      sender.send("reminder", {p.email, p.name, p.person_id}, reminder_data(config, n, p),
                  kMemberReason + config.organisation_name + ", and a declaration of yours is overdue.",
                  "chase:" + std::to_string(p.person_id) + ":" + on.iso());
      if (result.enqueued > before) ++chased;  // already chased today: not again
    }
  });
  return chased;
}

ReminderLoop::ReminderLoop(App& app, std::chrono::seconds every) : app_(app), thread_([this, every] { run(every); }) {}

ReminderLoop::~ReminderLoop() { stop(); }

void ReminderLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReminderLoop::run(std::chrono::seconds every) {
  for (;;) {
    try {
      // Each batch of people is a write of its own, so other writes wait for one batch at most
      // (a whole pass at 1,000,000 interests held the writer for 15 s). A pass stopped part way
      // (an error, the server stopping) loses nothing: the next one enqueues what this one did
      // not, and nothing twice (each message's dedupe key).
      ReminderPass pass(app_.config(), year_today(app_.config()), now_instant());
      while (app_.writer().run([&](SQLite::Database& db) { return pass.step(db); })) {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
    } catch (const std::exception& e) {
      log_event(LogLevel::error, "reminder_pass_failed", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, every, [this] { return stopping_; })) return;
  }
}

}  // namespace probity
