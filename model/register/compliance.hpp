#pragma once
// Whether a person is keeping their declarations up to date, on a given date: each interest
// declared within 28 days of its start, and at least once a year a declaration or a nil return.
#include <optional>
#include <string_view>
#include <vector>

#include "model/store/entities.hpp"

namespace probity {

/// The guidance's timing rules (configurable: local policies may be stricter).
struct ComplianceRules {
  int declare_within_days = 28;  // declare within 28 days of the interest starting
  int confirm_every_months = 12;  // a declaration or nil return at least annually
};

/// One interest measured against the 28-day rule.
struct InterestTiming {
  Id interest_id = 0;
  Date due_by;             // the last day to declare it on time
  int days_overdue = 0;    // days past due_by: when declared (if late) or as of the date (if still undeclared)
};

enum class ComplianceState {
  declared,        // the latest return in the last 12 months is a declaration of interests
  nil_return,      // the latest return in the last 12 months is a nil return
  overdue,         // something is past its due date (see days_overdue)
  no_declaration,  // nothing declared and no nil return ever, and nothing yet past due
};

template <>
struct EnumNames<ComplianceState> {
  static constexpr auto values = std::to_array<std::pair<ComplianceState, std::string_view>>(
      {{ComplianceState::declared, "declared"},
       {ComplianceState::nil_return, "nil_return"},
       {ComplianceState::overdue, "overdue"},
       {ComplianceState::no_declaration, "no_declaration"}});
};

struct ComplianceStatus {
  ComplianceState state = ComplianceState::no_declaration;
  int days_overdue = 0;                      // the largest delay among what is overdue (0 unless overdue)
  std::optional<Date> last_declared_on;      // latest interest declared (submitted or approved)
  std::optional<Date> last_nil_return_on;    // latest nil return made (submitted or approved)
  std::optional<Date> annual_due_by;         // next declaration or nil return due; nullopt if none ever made
  bool returned_in_period = false;           // a declaration or nil return in the last 12 months
  std::vector<InterestTiming> undeclared;    // interests recorded but not yet declared (draft or returned)
  std::vector<InterestTiming> declared_late; // interests declared after their due date (a reportable fact)
};

/// The last day an interest can be declared on time: its start plus the allowed days. Does not throw.
Date declaration_due_by(const Interest& interest, const ComplianceRules& rules = {});

/// One person's compliance on `on`, from that person's interests and nil returns (the caller
/// passes one person's records). Records dated after `on` are ignored, so the status can be
/// computed for a past date. Does not throw.
ComplianceStatus compliance_on(const std::vector<Interest>& interests, const std::vector<NilReturn>& nil_returns, const Date& on,
                               const ComplianceRules& rules = {});

}  // namespace probity
