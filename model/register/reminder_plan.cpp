#include "model/register/reminder_plan.hpp"

namespace probity {
namespace {

std::string key_for(const char* prefix, Id person, const YearEvent& e) {
  return std::string(prefix) + ":" + std::to_string(person) + ":" + e.id + ":" + e.due_by.iso();
}

Notice notice_for(NoticeKind kind, const PlanEntry& p, const YearEvent& e, const Date& on) {
  Notice n;
  n.kind = kind;
  n.person_id = p.person_id;
  n.event_id = e.id;
  n.event_kind = e.kind;
  n.event = describe_event(e);
  n.due_by = e.due_by;
  n.days_overdue = std::max(0, e.due_by.days_until(on));
  return n;
}

}  // namespace

unsigned iso_weekday(const Date& d) {
  // 1 January 2024 was a Monday.
  const int days = Date(2024, 1, 1).days_until(d);
  return static_cast<unsigned>(((days % 7) + 7) % 7 + 1);
}

PlanEntry plan_entry(PersonRecord record, const Date& on, const YearRules& rules) {
  PlanEntry p;
  p.person_id = record.person_id;
  p.year = year_state_on(record, on, rules);  // before the record's text is moved out of it
  p.name = std::move(record.name);
  p.email = std::move(record.email);
  p.manager_name = std::move(record.manager_name);
  p.manager_email = std::move(record.manager_email);
  return p;
}

void plan_person_reminders(const PlanEntry& p, const Date& on, const ReminderSettings& s, std::vector<Notice>& out) {
  for (const auto& e : p.year.open) {
    if (e.on > on) continue;
    const int until = on.days_until(e.due_by);  // > 0: days left; 0: due today; < 0: overdue
    if (until > 0) {
      if (until > s.first_reminder_days_before) continue;
      Notice n = notice_for(NoticeKind::reminder_before, p, e, on);
      n.dedupe_key = key_for("reminder", p.person_id, e) + ":before";
      out.push_back(std::move(n));
    } else if (until == 0) {
      Notice n = notice_for(NoticeKind::reminder_due, p, e, on);
      n.dedupe_key = key_for("reminder", p.person_id, e) + ":due";
      out.push_back(std::move(n));
    } else {
      Notice n = notice_for(NoticeKind::reminder_overdue, p, e, on);
      n.week = (n.days_overdue - 1) / std::max(1, s.overdue_every_days) + 1;
      n.dedupe_key = key_for("reminder", p.person_id, e) + ":overdue-" + std::to_string(n.week);
      const bool escalate = n.days_overdue >= s.escalate_after_days;
      out.push_back(std::move(n));
      if (escalate) {
        Notice esc = notice_for(NoticeKind::escalation, p, e, on);
        esc.to_person = false;
        esc.to_governance = true;
        esc.manager_name = p.manager_name;
        esc.manager_email = p.manager_email;
        esc.dedupe_key = key_for("escalation", p.person_id, e);
        out.push_back(std::move(esc));
      }
    }
  }
}

std::optional<Notice> plan_digest(const Date& on, const ReminderSettings& s, int overdue_people) {
  if (iso_weekday(on) != s.digest_weekday) return std::nullopt;
  Notice d;
  d.kind = NoticeKind::digest;
  d.due_by = on;
  d.to_person = false;
  d.to_governance = true;
  d.overdue_people = overdue_people;
  d.event = "weekly digest";
  d.dedupe_key = "digest:" + on.iso();
  return d;
}

std::vector<Notice> plan_reminders(const std::vector<PlanEntry>& people, const Date& on, const ReminderSettings& s) {
  std::vector<Notice> out;
  int overdue_people = 0;
  for (const auto& p : people) {
    if (p.year.state == YearState::overdue || p.year.state == YearState::never_declared) ++overdue_people;
    plan_person_reminders(p, on, s, out);
  }
  if (auto digest = plan_digest(on, s, overdue_people)) out.push_back(std::move(*digest));
  return out;
}

}  // namespace probity
