#include "model/register/publication_rules.hpp"

#include <array>

namespace probity {

bool is_published(DeclarationStatus status, bool review_required) {
  switch (status) {
    case DeclarationStatus::approved:
      return true;
    case DeclarationStatus::submitted:
      // Where review is required, a submitted entry is still awaiting governance.
      return !review_required;
    case DeclarationStatus::draft:
    case DeclarationStatus::returned:
      return false;
  }
  return false;
}

std::optional<Interest> public_version(const std::vector<Interest>& versions_oldest_first, bool review_required) {
  auto shown = latest_published(versions_oldest_first, review_required);
  if (!shown) return std::nullopt;
  // A decision to withhold protects someone from harm, so it takes effect from the version that
  // records it, even while that version itself awaits review; otherwise the details it was
  // meant to hide would stay public in the meantime.
  if (versions_oldest_first.back().withheld) shown->withheld = true;
  return shown;
}

bool publicly_visible(const Interest& interest, const Date& today, const PublicationRules& rules) {
  if (!is_published(interest.status, rules.review_required)) return false;
  if (!interest.to) return true;
  // Ended interests stay public for the configured months after the end date, that last day
  // included; they remain on record (and visible to governance) after that.
  return today <= interest.to->plus_months(rules.months_public_after_end);
}

PublicInterest public_view(const Interest& interest, const std::optional<PublicOrganisation>& organisation) {
  PublicInterest out{interest.id, interest.person_id, std::nullopt};
  if (interest.withheld) return out;  // guidance: show that an entry is withheld, without its details
  out.detail = PublicInterestDetail{interest.ref,    interest.category, interest.indirect,     interest.relationship,
                                    organisation,    interest.nature,   interest.from,         interest.to,
                                    interest.action_taken, interest.declared_on, interest.kind, interest.details};
  return out;
}

bool published_person(const Person& person) { return person.decision_maker; }

DeclarationCompliance declaration_compliance(const std::optional<Date>& last_interest_declared_on,
                                             const std::optional<Date>& last_nil_return_on, const Date& today,
                                             const PublicationRules& rules) {
  // The later of the two is the person's latest word; on the same day a declaration outranks a
  // nil return, since it says more.
  const bool nil_is_latest =
      last_nil_return_on && (!last_interest_declared_on || *last_nil_return_on > *last_interest_declared_on);
  const std::optional<Date> last = nil_is_latest ? last_nil_return_on : last_interest_declared_on;
  const std::string months = std::to_string(rules.declaration_valid_months);
  if (!last) return {PublicComplianceState::none_received, std::nullopt, "No declaration received in the last " + months + " months"};
  if (*last < today.plus_months(-rules.declaration_valid_months)) {
    return {PublicComplianceState::none_received, last,
            "No declaration received in the last " + months + " months (" +
                (nil_is_latest ? "last nil return made on " : "last declared on ") + long_date(*last) + ")"};
  }
  if (nil_is_latest) return {PublicComplianceState::nil_return, last, "Nil return made on " + long_date(*last)};
  return {PublicComplianceState::declared, last, "Last declared on " + long_date(*last)};
}

std::string_view to_string(PublicComplianceState state) {
  switch (state) {
    case PublicComplianceState::declared:
      return "declared";
    case PublicComplianceState::nil_return:
      return "nil_return";
    case PublicComplianceState::none_received:
      return "none_received";
  }
  return "";
}

void to_json(nlohmann::json& j, const DeclarationCompliance& c) {
  j = {{"state", to_string(c.state)},
       {"last_declared_on", c.last_declared_on ? nlohmann::json(c.last_declared_on->iso()) : nlohmann::json(nullptr)},
       {"text", c.text}};
}

void to_json(nlohmann::json& j, const PublicOrganisation& o) {
  j = {{"id", o.id},
       {"name", o.name},
       {"identifier", o.identifier.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.identifier)},
       {"kind", to_string(o.kind)}};
}


}  // namespace probity
