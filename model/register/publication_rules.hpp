#pragma once
// What the public may see of the register, as pure functions of data and a date. The page and
// API layers never decide this themselves: they render what these rules let through.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/base/date.hpp"
#include "model/base/date_text.hpp"  // long_date, which the register's sentences use
#include "model/store/entities.hpp"

namespace probity {

// Configurable: the national figures are the defaults; a body's own policy may differ.
struct PublicationRules {
  // Guidance: ended interests stay on the public register for 6 months after their end date.
  int months_public_after_end = 6;
  // Where the organisation requires governance review, only approved declarations are published.
  bool review_required = false;
  // Guidance: everyone declares (or makes a nil return) at least annually, and the published
  // register should be no more than 12 months old.
  int declaration_valid_months = 12;
  // Hospitality from suppliers (model/register/gift_rules.hpp): whether it waits for recorded
  // approval, and the value over which the approver and the reason are published (£75).
  bool supplier_hospitality_needs_approval = true;
  std::int64_t publish_approval_over_pence = 7500;
  // The name the default body (model/register/bodies.hpp) is shown by on public pages and in the
  // JSON while its own name is empty: the config's organisation_name.
  std::string default_body_name{};
};

/// True when a declaration in this state may be published: submitted or approved, and only
/// approved where the organisation requires review. Drafts and returned entries never are.
/// Throws nothing.
bool is_published(DeclarationStatus status, bool review_required);

/// The latest version (of versions given oldest first) whose status is published, or nullopt.
/// Throws nothing.
template <typename T>
std::optional<T> latest_published(const std::vector<T>& versions_oldest_first, bool review_required) {
  for (auto it = versions_oldest_first.rbegin(); it != versions_oldest_first.rend(); ++it)
    if (is_published(it->status, review_required)) return *it;
  return std::nullopt;
}

/// The version of one interest the public sees: the latest published version (an amendment
/// awaiting review does not hide the entry already published), marked withheld when the
/// newest version of all withholds it. Nullopt when no version was ever published. Throws nothing.
std::optional<Interest> public_version(const std::vector<Interest>& versions_oldest_first, bool review_required);

/// True when this interest belongs on the public register today: published, and either not
/// ended or ended no more than `months_public_after_end` months ago (the last day of the window
/// is still public). Interests starting in the future are public. Throws nothing.
bool publicly_visible(const Interest& interest, const Date& today, const PublicationRules& rules);

/// The organisation of an entry as the public register shows it.
struct PublicOrganisation {
  Id id = 0;
  std::string name;
  std::string identifier;  // ODS code or Companies House number; empty when none
  OrganisationKind kind = OrganisationKind::other;
  bool operator==(const PublicOrganisation&) const = default;
};

/// Everything about an entry that a withheld entry must not show. Kept in one struct so that a
/// withheld entry can only be represented by leaving it out.
struct PublicInterestDetail {
  std::string ref;  // external refs may be written by people and can describe the entry
  InterestCategory category = InterestCategory::financial;
  bool indirect = false;
  std::string relationship;  // an indirect interest's relation can itself identify who is at risk
  std::optional<PublicOrganisation> organisation;
  std::string nature;
  Date from;
  std::optional<Date> to;
  std::string action_taken;
  Date declared_on;
  InterestKind kind = InterestKind::other;      // the kind of interest, and
  std::map<std::string, std::string> details{};  // its own details (withheld with the rest)
  bool operator==(const PublicInterestDetail&) const = default;
};

/// One entry of the public register. `detail` is empty exactly when the entry is withheld: the
/// public sees that the person has an entry, and nothing else about it.
struct PublicInterest {
  Id id = 0;
  Id person_id = 0;
  std::optional<PublicInterestDetail> detail;
  bool withheld() const { return !detail.has_value(); }
  bool operator==(const PublicInterest&) const = default;
};

/// The public form of an interest; `organisation` is its organisation when it has one on record.
/// A withheld interest keeps only its id and person. Throws nothing.
PublicInterest public_view(const Interest& interest, const std::optional<PublicOrganisation>& organisation = std::nullopt);

/// True when this person's entries belong on the public register: they are a decision-maker
/// (guidance, "Who is published"). Everyone's entries still count for conflict checks and stay
/// on the internal registers. Throws nothing.
bool published_person(const Person& person);

/// Where a person stands on the annual declaration the guidance requires, as the public register
/// says it (governance's fuller view, with overdue returns, is ComplianceState in compliance.hpp).
enum class PublicComplianceState {
  declared,      // declared (or updated) interests within the period
  nil_return,    // made a nil return within the period
  none_received  // neither within the period: published, as the guidance expects
};

struct DeclarationCompliance {
  PublicComplianceState state = PublicComplianceState::none_received;
  std::optional<Date> last_declared_on;  // the latest declaration or nil return, even if too old
  std::string text;                      // the sentence the public register shows
  bool operator==(const DeclarationCompliance&) const = default;
};

/// Compliance from the dates of a person's latest published interest declaration and latest
/// published nil return (either may be absent): the later one counts if it falls within the last
/// `declaration_valid_months` months up to today. The public register passes the latest
/// declaration that is not withheld: a withheld entry's date is one of its details. Throws nothing.
DeclarationCompliance declaration_compliance(const std::optional<Date>& last_interest_declared_on,
                                             const std::optional<Date>& last_nil_return_on, const Date& today,
                                             const PublicationRules& rules);

/// The stable name of a compliance state: "declared", "nil_return" or "none_received". Throws nothing.
std::string_view to_string(PublicComplianceState state);

/// {"state", "last_declared_on" (ISO date or null), "text"}.
void to_json(nlohmann::json& j, const DeclarationCompliance& c);
/// {"id", "name", "identifier" (null when none), "kind"}.
void to_json(nlohmann::json& j, const PublicOrganisation& o);

}  // namespace probity
