#include "model/register/compliance.hpp"

#include <algorithm>

namespace probity {
namespace {

// A draft has not been declared: the member has not submitted it. A returned declaration was
// made (on its declared_on date) and sent back for correction, so it still counts as declared
// for timing; whether it reaches the public register is a separate matter.
bool is_declared(DeclarationStatus s) { return s != DeclarationStatus::draft; }

void keep_latest(std::optional<Date>& latest, const Date& d) {
  if (!latest || d > *latest) latest = d;
}

}  // namespace

Date declaration_due_by(const Interest& interest, const ComplianceRules& rules) {
  return interest.from.plus_days(rules.declare_within_days);
}

ComplianceStatus compliance_on(const std::vector<Interest>& interests, const std::vector<NilReturn>& nil_returns, const Date& on,
                               const ComplianceRules& rules) {
  ComplianceStatus status;
  int worst = 0;
  for (const Interest& i : interests) {
    const Date due = declaration_due_by(i, rules);
    if (is_declared(i.status)) {
      if (i.declared_on > on) continue;  // not yet made on this date
      keep_latest(status.last_declared_on, i.declared_on);
      if (i.declared_on > due) status.declared_late.push_back({i.id, due, due.days_until(i.declared_on)});
    } else {
      if (i.from > on) continue;  // has not started yet, so nothing is due
      const int late = std::max(0, due.days_until(on));
      status.undeclared.push_back({i.id, due, late});
      worst = std::max(worst, late);
    }
  }
  for (const NilReturn& n : nil_returns)
    if (is_declared(n.status) && n.made_on <= on) keep_latest(status.last_nil_return_on, n.made_on);

  std::optional<Date> last_return = status.last_declared_on;
  if (status.last_nil_return_on) keep_latest(last_return, *status.last_nil_return_on);
  if (last_return) {
    status.annual_due_by = last_return->plus_months(rules.confirm_every_months);
    status.returned_in_period = on <= *status.annual_due_by;
    if (!status.returned_in_period) worst = std::max(worst, status.annual_due_by->days_until(on));
  }

  if (worst > 0) {
    status.state = ComplianceState::overdue;
    status.days_overdue = worst;
  } else if (!last_return) {
    status.state = ComplianceState::no_declaration;
  } else if (status.last_nil_return_on && (!status.last_declared_on || *status.last_nil_return_on > *status.last_declared_on)) {
    status.state = ComplianceState::nil_return;
  } else {
    status.state = ComplianceState::declared;
  }
  return status;
}

}  // namespace probity
