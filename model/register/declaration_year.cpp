#include "model/register/declaration_year.hpp"

#include <algorithm>

#include "model/base/text.hpp"
#include "model/register/publication_rules.hpp"

namespace probity {
namespace {

// The year start in `year`; the rules' day is checked at start-up (29 February is refused), so a
// bad day can only come from a caller that skipped the config: it falls back to the 1st.
Date start_in(int year, const YearRules& rules) {
  try {
    return Date(year, rules.start_month, rules.start_day);
  } catch (const std::invalid_argument&) {
    return Date(year, rules.start_month, 1);
  }
}

bool current_on(const YearInterest& i, const Date& on) { return i.from <= on && (!i.to || *i.to >= on); }

// Interests declared by `on` and held on it.
int interests_held(const PersonRecord& p, const Date& on) {
  int n = 0;
  for (const auto& i : p.interests)
    if (i.declared && i.declared_on <= on && current_on(i, on)) ++n;
  return n;
}

YearEvent make_event(std::string id, YearEventKind kind, const Date& on, const Date& due_by, std::string about) {
  YearEvent e;
  e.id = std::move(id);
  e.kind = kind;
  e.on = on;
  e.due_by = due_by;
  e.about = std::move(about);
  return e;
}

}  // namespace

Date year_start_for(const Date& on, const YearRules& rules) {
  const Date this_year = start_in(on.year(), rules);
  return on >= this_year ? this_year : start_in(on.year() - 1, rules);
}

Date annual_due_by(const Date& year_start, const YearRules& rules) {
  return year_start.plus_months(rules.annual_due_months).plus_days(-1);
}

std::string year_label(const Date& year_start) {
  return std::to_string(year_start.year()) + " to " + std::to_string(year_start.year() + 1);
}

PersonYear year_state_on(const PersonRecord& p, const Date& on, const YearRules& rules) {
  PersonYear out;
  const int window = rules.declare_within_days;
  out.year_start = year_start_for(on, rules);
  out.has_left = p.left_on && *p.left_on <= on;
  out.current_interests = interests_held(p, on);

  // In post from the first membership, else from what the caller knows (the record's first date).
  for (const auto& m : p.memberships)
    if (!out.in_post_from || m.from < *out.in_post_from) out.in_post_from = m.from;
  if (!out.in_post_from) out.in_post_from = p.known_from;

  // What answers a confirmation event: a confirmation, or a nil return made while holding nothing.
  std::vector<Date> answers;
  for (const Date& c : p.confirmations)
    if (c <= on) answers.push_back(c);
  for (const auto& n : p.nil_returns) {
    if (n.made_on > on) continue;
    if (const int held = interests_held(p, n.made_on)) out.contradictions.push_back({n.id, n.made_on, held});
    else answers.push_back(n.made_on);
  }
  std::sort(answers.begin(), answers.end());
  if (!answers.empty()) out.last_confirmed_on = answers.back();
  out.confirmed_this_year = out.last_confirmed_on && *out.last_confirmed_on >= out.year_start;
  const auto answered_from = [&](const Date& from) -> std::optional<Date> {
    auto it = std::lower_bound(answers.begin(), answers.end(), from);
    return it == answers.end() ? std::nullopt : std::optional<Date>(*it);
  };

  std::vector<YearEvent> events;
  const std::optional<Date> left = p.left_on;
  const auto in_post_on = [&](const Date& d) { return !left || d <= *left; };
  if (out.in_post_from && *out.in_post_from <= on) {
    // The first membership (the earliest, by start) is taking up post; the others join or change role.
    const YearMembership* first = nullptr;
    for (const auto& m : p.memberships)
      if (m.from == *out.in_post_from && (!first || m.id < first->id)) first = &m;
    events.push_back(make_event("post", YearEventKind::took_up_post, *out.in_post_from, out.in_post_from->plus_days(window),
                                first ? first->committee : ""));
    for (const auto& m : p.memberships) {
      if (&m == first || m.from > on || m.from == *out.in_post_from || !in_post_on(m.from)) continue;
      bool role_change = false;
      for (const auto& before : p.memberships)
        if (&before != &m && before.committee_id == m.committee_id && before.role != m.role && before.to &&
            *before.to >= m.from.plus_days(-1) && *before.to <= m.from)
          role_change = true;
      events.push_back(make_event((role_change ? "role-" : "committee-") + std::to_string(m.id),
                                  role_change ? YearEventKind::role_changed : YearEventKind::joined_committee, m.from,
                                  m.from.plus_days(window), m.committee));
    }
    for (const auto& r : p.role_changes)
      if (r.on <= on && r.on > *out.in_post_from && in_post_on(r.on))
        events.push_back(make_event("role-" + std::to_string(r.membership_id) + "-v" + std::to_string(r.version),
                                    YearEventKind::role_changed, r.on, r.on.plus_days(window), r.committee));
    // Each year that starts while they are in post (the year they took up post is their post event).
    for (Date y = year_start_for(*out.in_post_from, rules); y <= on; y = start_in(y.year() + 1, rules))
      if (y > *out.in_post_from && in_post_on(y))
        events.push_back(make_event("annual-" + std::to_string(y.year()), YearEventKind::annual, y, annual_due_by(y, rules), year_label(y)));
  } else if (!out.in_post_from) {
    events.push_back(make_event("annual-" + std::to_string(out.year_start.year()), YearEventKind::annual, out.year_start,
                                annual_due_by(out.year_start, rules), year_label(out.year_start)));
  }
  // Leaving: a final confirmation, open from 28 days before the leaving date, due on it.
  if (left && left->plus_days(-window) <= on)
    events.push_back(make_event("leaving", YearEventKind::leaving, left->plus_days(-window), *left, long_date(*left)));
  for (auto& e : events) e.met_on = answered_from(e.on);

  // Each interest: declared within the window of when they became aware of it, or of taking up
  // post when that is later (an interest may have begun years before they joined).
  for (const auto& i : p.interests) {
    Date clock = i.aware_on.value_or(i.from);
    if (out.in_post_from && *out.in_post_from > clock) clock = *out.in_post_from;
    if (clock > on || (left && clock > *left)) continue;
    YearEvent e = make_event("interest-" + std::to_string(i.id), YearEventKind::became_aware, clock, clock.plus_days(window), i.nature);
    e.interest_id = i.id;
    if (i.declared && i.declared_on <= on) {
      e.met_on = i.declared_on;
      if (i.declared_on > e.due_by) out.late.push_back({i.id, i.nature, clock, e.due_by, i.declared_on, e.due_by.days_until(i.declared_on)});
    }
    events.push_back(std::move(e));
  }

  // Each interest first declared at a meeting: declared on the register within the window of the
  // meeting's date. One already on the register before the meeting (linked to it there) starts
  // no clock: it was a reminder of an entry, not a disclosure.
  for (const auto& m : p.meeting_declarations) {
    if (m.meeting_on > on || (left && m.meeting_on > *left)) continue;
    const YearInterest* linked = nullptr;
    for (const auto& i : p.interests)
      if (m.interest_id && i.id == *m.interest_id) linked = &i;
    if (linked && linked->declared && linked->declared_on < m.meeting_on) continue;
    YearEvent e = make_event("meeting-declaration-" + std::to_string(m.id), YearEventKind::declared_at_meeting, m.meeting_on,
                             m.meeting_on.plus_days(window), m.text);
    e.meeting = m.meeting;
    e.meeting_declaration_id = m.id;
    for (const auto& i : p.interests) {
      if (i.declared_on > on || !answers_meeting_declaration(i, m.meeting_on, m.text, &i == linked)) continue;
      if (!e.met_on || i.declared_on < *e.met_on) {
        e.met_on = i.declared_on;
        e.interest_id = i.id;
      }
    }
    events.push_back(std::move(e));
  }

  std::stable_sort(events.begin(), events.end(), [](const YearEvent& a, const YearEvent& b) { return a.on < b.on; });
  // Open: every undeclared interest (on the register as a draft, or first declared at a meeting), and of the events a confirmation answers only the earliest
  // (one confirmation answers them all, so one reminder is enough; it says since when).
  bool confirmation_open = false;
  for (const auto& e : events) {
    if (e.met_on) continue;
    if (e.kind != YearEventKind::became_aware && e.kind != YearEventKind::declared_at_meeting) {
      if (confirmation_open) continue;
      confirmation_open = true;
    }
    out.open.push_back(e);
  }
  std::stable_sort(out.open.begin(), out.open.end(), [](const YearEvent& a, const YearEvent& b) { return a.due_by < b.due_by; });
  out.events = std::move(events);

  if (!out.open.empty()) {
    const YearEvent& first = out.open.front();
    out.reason = first;
    if (first.due_by < on) {
      bool ever_declared = !answers.empty();
      for (const auto& i : p.interests) ever_declared = ever_declared || (i.declared && i.declared_on <= on);
      out.state = ever_declared ? YearState::overdue : YearState::never_declared;
      out.overdue_since = first.due_by.plus_days(1);
      out.days_overdue = first.due_by.days_until(on);
    } else {
      out.state = YearState::due;
      out.due_by = first.due_by;
    }
  }

  if (!out.has_left && out.in_post_from) {
    Date next = out.year_start;
    if (out.confirmed_this_year || *out.in_post_from >= out.year_start) next = start_in(out.year_start.year() + 1, rules);
    if (in_post_on(next)) out.next_annual_due = annual_due_by(next, rules);
  }
  return out;
}

bool answers_meeting_declaration(const YearInterest& i, const Date& meeting_on, const std::string& text, bool linked) {
  if (!i.declared || i.declared_on < meeting_on) return false;
  if (linked) return true;
  const std::string name = ascii_lower(trim(i.organisation));
  return name.size() >= 3 && ascii_lower(text).find(name) != std::string::npos;
}

std::string describe_event(const YearEvent& e) {
  const std::string when = long_date(e.on);
  switch (e.kind) {
    case YearEventKind::took_up_post:
      return "took up post on " + when + (e.about.empty() ? "" : " (" + e.about + ")");
    case YearEventKind::joined_committee: return "joined the " + e.about + " on " + when;
    case YearEventKind::role_changed: return "changed role on the " + e.about + " on " + when;
    case YearEventKind::annual: return "annual confirmation for " + e.about;
    case YearEventKind::became_aware: return "became aware of an interest on " + when + " (" + e.about + ")";
    case YearEventKind::leaving: return "final confirmation on leaving on " + e.about;
    case YearEventKind::declared_at_meeting: {
      return "declared an interest at " + (e.meeting.empty() ? std::string("a meeting") : e.meeting) + " on " + when +
             " that was not on the register (\"" + e.about + "\")";
    }
  }
  return "";
}

std::string_view state_label(YearState state) {
  switch (state) {
    case YearState::up_to_date: return "Up to date";
    case YearState::due: return "Due";
    case YearState::overdue: return "Overdue";
    case YearState::never_declared: return "Never declared";
  }
  return "";
}

}  // namespace probity
