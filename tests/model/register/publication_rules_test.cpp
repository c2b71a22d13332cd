#include <catch2/catch.hpp>

#include "model/register/publication_rules.hpp"
#include "support.hpp"

using namespace probity;

namespace {
using probity::testing::d;

Interest interest_with(DeclarationStatus status = DeclarationStatus::submitted) {
  Interest i;
  i.id = 7;
  i.ref = "interest-patel-acme";
  i.person_id = 3;
  i.category = InterestCategory::indirect;
  i.indirect = true;
  i.relationship = "spouse";
  i.organisation_id = 11;
  i.nature = "Director of Acme Health Ltd";
  i.from = d("2024-04-01");
  i.action_taken = "Excluded from procurement decisions";
  i.declared_on = d("2024-04-10");
  i.status = status;
  return i;
}
}  // namespace

TEST_CASE("only submitted declarations are published, and only approved ones where review is required") {
  auto [status, review_required, published] = GENERATE(table<DeclarationStatus, bool, bool>({
      {DeclarationStatus::draft, false, false},
      {DeclarationStatus::draft, true, false},
      {DeclarationStatus::returned, false, false},
      {DeclarationStatus::returned, true, false},
      {DeclarationStatus::submitted, false, true},
      {DeclarationStatus::submitted, true, false},
      {DeclarationStatus::approved, false, true},
      {DeclarationStatus::approved, true, true},
  }));
  CAPTURE(to_string(status), review_required);
  CHECK(is_published(status, review_required) == published);

  PublicationRules rules;
  rules.review_required = review_required;
  CHECK(publicly_visible(interest_with(status), d("2025-01-01"), rules) == published);
}

TEST_CASE("an ended interest stays public for six months after its end date, then leaves") {
  const Date today = d("2025-09-15");
  auto [ended, visible] = GENERATE(table<std::string, bool>({
      {"2025-02-15", false},  // 7 months ago
      {"2025-03-14", false},  // the day after the window closed
      {"2025-03-15", true},   // exactly 6 months ago: the last public day
      {"2025-04-15", true},   // 5 months ago
      {"2025-09-14", true},   // ended yesterday
      {"2026-01-01", true},   // ends in the future
  }));
  CAPTURE(ended);
  Interest i = interest_with();
  i.to = d(ended.c_str());
  CHECK(publicly_visible(i, today, PublicationRules{}) == visible);
}

TEST_CASE("the six-month window is configurable and clamps to the end of short months") {
  Interest i = interest_with();
  i.to = d("2025-08-31");
  PublicationRules rules;
  CHECK(publicly_visible(i, d("2026-02-28"), rules));  // 31 August + 6 months = 28 February
  CHECK_FALSE(publicly_visible(i, d("2026-03-01"), rules));
  rules.months_public_after_end = 12;
  CHECK(publicly_visible(i, d("2026-08-31"), rules));
  CHECK_FALSE(publicly_visible(i, d("2026-09-01"), rules));
}

TEST_CASE("open-ended and future-dated interests are public") {
  Interest open = interest_with();
  CHECK(publicly_visible(open, d("2040-01-01"), PublicationRules{}));
  Interest future = interest_with();
  future.from = d("2026-01-01");  // declared ahead of taking up a post
  CHECK(publicly_visible(future, d("2025-06-01"), PublicationRules{}));
}

TEST_CASE("a withheld entry's public view carries the person and nothing else") {
  Interest i = interest_with();
  PublicOrganisation acme{11, "Acme Health Ltd", "01234567", OrganisationKind::company};

  PublicInterest shown = public_view(i, acme);
  REQUIRE(shown.detail.has_value());
  CHECK_FALSE(shown.withheld());
  CHECK(shown.detail->organisation == acme);
  CHECK(shown.detail->nature == "Director of Acme Health Ltd");
  CHECK(shown.detail->relationship == "spouse");
  CHECK(shown.detail->from == d("2024-04-01"));

  i.withheld = true;
  i.withheld_reason = "Risk of harm to family member";
  PublicInterest hidden = public_view(i, acme);
  CHECK(hidden.withheld());
  CHECK_FALSE(hidden.detail.has_value());
  CHECK(hidden.id == 7);
  CHECK(hidden.person_id == 3);
}

TEST_CASE("the public sees the latest published version of an entry") {
  Interest v1 = interest_with(DeclarationStatus::approved);
  Interest v2 = v1;
  v2.nature = "Chair of Acme Health Ltd";
  v2.status = DeclarationStatus::submitted;  // an amendment awaiting review

  SECTION("an amendment awaiting review does not replace or hide the approved entry") {
    auto shown = public_version({v1, v2}, true);
    REQUIRE(shown.has_value());
    CHECK(shown->nature == "Director of Acme Health Ltd");
    CHECK(public_version({v1, v2}, false)->nature == "Chair of Acme Health Ltd");
  }
  SECTION("an entry never published has no public version") {
    Interest draft = interest_with(DeclarationStatus::draft);
    Interest returned = interest_with(DeclarationStatus::returned);
    CHECK_FALSE(public_version({draft, returned}, false).has_value());
    CHECK_FALSE(public_version({v2}, true).has_value());
  }
  SECTION("a decision to withhold applies at once, even before that version is approved") {
    v2.withheld = true;
    auto shown = public_version({v1, v2}, true);
    REQUIRE(shown.has_value());
    CHECK(shown->withheld);
    CHECK(public_view(*shown).withheld());
  }
  SECTION("withholding lifted by a newer published version shows the details again") {
    Interest v0 = v1;
    v0.withheld = true;
    CHECK_FALSE(public_version({v0, v1}, true)->withheld);
  }
}

TEST_CASE("declaration compliance follows the annual declaration rule") {
  const Date today = d("2025-09-15");
  using O = std::optional<Date>;
  auto [declared, nil, state, text] = GENERATE(table<O, O, PublicComplianceState, std::string>({
      {std::nullopt, std::nullopt, PublicComplianceState::none_received, "No declaration received in the last 12 months"},
      {d("2025-03-02"), std::nullopt, PublicComplianceState::declared, "Last declared on 2 March 2025"},
      {std::nullopt, d("2025-04-01"), PublicComplianceState::nil_return, "Nil return made on 1 April 2025"},
      {d("2024-09-15"), std::nullopt, PublicComplianceState::declared, "Last declared on 15 September 2024"},
      {d("2024-09-14"), std::nullopt, PublicComplianceState::none_received,
       "No declaration received in the last 12 months (last declared on 14 September 2024)"},
      {d("2023-01-05"), d("2024-06-30"), PublicComplianceState::none_received,
       "No declaration received in the last 12 months (last nil return made on 30 June 2024)"},
      {d("2024-10-01"), d("2025-05-01"), PublicComplianceState::nil_return, "Nil return made on 1 May 2025"},
      {d("2025-05-01"), d("2024-10-01"), PublicComplianceState::declared, "Last declared on 1 May 2025"},
      {d("2025-05-01"), d("2025-05-01"), PublicComplianceState::declared, "Last declared on 1 May 2025"},
  }));
  CAPTURE(declared ? declared->iso() : "none", nil ? nil->iso() : "none");
  auto c = declaration_compliance(declared, nil, today, PublicationRules{});
  CHECK(c.state == state);
  CHECK(c.text == text);
  const O latest = declared && nil ? std::max(*declared, *nil) : (declared ? declared : nil);
  CHECK(c.last_declared_on == latest);
}

TEST_CASE("the declaration period is configurable") {
  PublicationRules rules;
  rules.declaration_valid_months = 6;
  auto c = declaration_compliance(d("2025-01-01"), std::nullopt, d("2025-09-15"), rules);
  CHECK(c.state == PublicComplianceState::none_received);
  CHECK(c.text == "No declaration received in the last 6 months (last declared on 1 January 2025)");
}

TEST_CASE("compliance and organisations serialise with ISO dates and null for what is absent") {
  auto c = declaration_compliance(std::nullopt, d("2025-04-01"), d("2025-09-15"), PublicationRules{});
  CHECK(nlohmann::json(c) == nlohmann::json::parse(
                                 R"({"state":"nil_return","last_declared_on":"2025-04-01","text":"Nil return made on 1 April 2025"})"));
  PublicOrganisation none{5, "Local charity", "", OrganisationKind::charity};
  CHECK(nlohmann::json(none) ==
        nlohmann::json::parse(R"({"id":5,"name":"Local charity","identifier":null,"kind":"charity"})"));
}
