#include "model/register/interest_kinds.hpp"

#include "model/base/money.hpp"
#include "model/base/text.hpp"

namespace probity {

const std::vector<InterestKindInfo>& interest_kinds() {
  static const std::vector<InterestKindInfo> kinds = {
      {InterestKind::outside_employment, "Outside employment",
       "Paid or unpaid work for another organisation, including consultancy and directorships.",
       {{"employer", "Employer or organisation you work for", "", true, false},
        {"employment_role", "Your role or job title there", "For example non-executive director or clinical adviser.", true,
         false}}},
      {InterestKind::shareholdings, "Shareholdings and other ownership",
       "Shares in a company, or owning part of a business, that could do business with the NHS.",
       {{"company", "Company or business", "", true, false},
        {"holding", "Nature of the holding", "For example ordinary shares, or a partner's share of the business.", true,
         false}}},
      {InterestKind::patents, "Patents",
       "A patent or other intellectual property you hold, or are applying for, on a product the NHS might buy.",
       {{"patent", "The patent or product", "Its name or patent number, and what it is.", true, false}}},
      {InterestKind::loyalty_interests, "Loyalty interests",
       "A close link to an organisation or person that could affect your decisions, for example membership of a lobbying body.",
       {{"loyalty_body", "Organisation or person you have the link with", "", true, false},
        {"loyalty_link", "What the link is", "For example committee member of a lobbying group.", true, false}}},
      {InterestKind::donations, "Donations",
       "A donation you made or arranged to a charity or other body, or one made in your name.",
       {{"donation_recipient", "Who received the donation", "", true, false},
        {"donation_amount", "Amount in pounds", "For example 250 or 250.00.", true, true}}},
      {InterestKind::sponsored_events, "Sponsored events",
       "An event you organise or take part in that a company or other body pays for.",
       {{"event_sponsor", "Sponsor of the event", "", true, false}, {"event_name", "The event", "Its name and date.", true, false}}},
      {InterestKind::sponsored_research, "Sponsored research",
       "Research you take part in that an outside body funds.",
       {{"research_sponsor", "Sponsor of the research", "", true, false},
        {"study", "The study", "Its title, and your part in it.", true, false}}},
      {InterestKind::sponsored_posts, "Sponsored posts",
       "A post, yours or one you manage, paid for wholly or partly by an outside body.",
       {{"post_sponsor", "Sponsor of the post", "", true, false}, {"post", "The post", "Its title.", true, false}}},
      {InterestKind::clinical_private_practice, "Clinical private practice",
       "Private clinical work outside the NHS, alone or in a practice.",
       {{"practice_name", "Name of the practice", "", true, false},
        {"practice_address", "Address of the practice", "", true, false},
        {"practice_work", "The work you do there", "For example private orthopaedic clinics.", true, false},
        {"practice_hours", "Hours", "For example 4 hours a week, or one Saturday a month.", true, false}}},
      {InterestKind::other, "Other", "Anything else: describe it in the nature of the interest.", {}},
  };
  return kinds;
}

const InterestKindInfo& interest_kind_info(InterestKind kind) {
  for (const auto& k : interest_kinds())
    if (k.kind == kind) return k;
  return interest_kinds().back();
}

namespace {

std::size_t max_of(const InterestKindField& f) { return f.name == "practice_address" ? kLongTextMax : kShortTextMax; }

void check_field(const InterestKindField& f, const std::string& value, Problems& problems) {
  const std::string name(f.name);
  const std::string label(f.label);
  if (is_blank(value)) {
    if (f.required) {
      std::string lower = label;
      if (!lower.empty() && lower[0] >= 'A' && lower[0] <= 'Z') lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
      // "Enter the hours", "Enter your role ...", "Say who received the donation".
      const bool own_article = lower.rfind("the ", 0) == 0 || lower.rfind("your ", 0) == 0;
      const bool question = lower.rfind("who ", 0) == 0 || lower.rfind("what ", 0) == 0;
      problems.add(name, (question ? "Say " : own_article ? "Enter " : "Enter the ") + lower);
    }
    return;
  }
  if (utf8_length(value) > max_of(f)) {
    problems.add(name, label + " must be " + std::to_string(max_of(f)) + " characters or fewer");
    return;
  }
  if (f.money) {
    const bool pound_sign = value.size() > 2 && value[0] == '\xc2' && value[1] == '\xa3';
    if (!parse_pounds(pound_sign ? value.substr(2) : value)) problems.add(name, label + " must be an amount in pounds, like 250 or 12.50");
  }
}

}  // namespace

std::map<std::string, std::string> read_interest_details(InterestKind kind, const Fields& in, Problems& problems) {
  std::map<std::string, std::string> out;
  for (const auto& f : interest_kind_info(kind).fields) {
    const std::string name(f.name);
    const std::string value = in.get(name);
    const std::size_t before = problems.list().size();
    check_field(f, value, problems);
    if (problems.list().size() == before && !value.empty()) out.emplace(name, value);
  }
  return out;
}

Problems interest_details_problems(InterestKind kind, const std::map<std::string, std::string>& details) {
  Problems out;
  const auto& info = interest_kind_info(kind);
  for (const auto& [key, value] : details) {
    bool known = false;
    for (const auto& f : info.fields) known = known || f.name == key;
    if (!known) out.add("details", "The detail " + key + " does not belong to the kind " + std::string(info.label));
  }
  for (const auto& f : info.fields) {
    auto it = details.find(std::string(f.name));
    check_field(f, it == details.end() ? std::string() : it->second, out);
  }
  return out;
}

}  // namespace probity
