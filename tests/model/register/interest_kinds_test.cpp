// Kinds of interest: each kind's own details, checked field by field, and the interest reader
// that takes only the chosen kind's fields.
#include <catch2/catch.hpp>

#include <set>

#include "model/register/declaration_rules.hpp"
#include "model/register/interest_kinds.hpp"

using namespace probity;

namespace {
Fields kinds_interest_form(const std::string& kind) {
  return {{"category", "financial"}, {"organisation_name", "Northbrook Spire Clinic"}, {"nature", "Private clinics"},
          {"from", "2024-01-01"}, {"kind", kind}};
}
}  // namespace

TEST_CASE("every kind of interest has a plain-English label, and field names are unique across kinds") {
  std::set<std::string_view> names;
  CHECK(interest_kinds().size() == 10);
  for (const auto& k : interest_kinds()) {
    CHECK_FALSE(k.label.empty());
    CHECK(interest_kind_info(k.kind).label == k.label);
    for (const auto& f : k.fields) {
      CAPTURE(f.name);
      CHECK(names.insert(f.name).second);
      CHECK_FALSE(f.label.empty());
    }
  }
  CHECK(interest_kind_info(InterestKind::clinical_private_practice).label == "Clinical private practice");
  CHECK(interest_kind_info(InterestKind::other).fields.empty());
}

TEST_CASE("clinical private practice needs the practice, its address, the work and the hours, each with its own problem") {
  Problems problems;
  auto in = kinds_interest_form("clinical_private_practice");
  in.set("practice_name", "Northbrook Spire Clinic");
  CHECK_FALSE(read_interest(in, problems));
  CHECK_FALSE(problems.has("practice_name"));
  CHECK(problems.message("practice_address") == "Enter the address of the practice");
  CHECK(problems.message("practice_work") == "Enter the work you do there");
  CHECK(problems.message("practice_hours") == "Enter the hours");

  Problems none;
  in.set("practice_address", "12 Abbey Road, Northbrook");
  in.set("practice_work", "Orthopaedic clinics");
  in.set("practice_hours", "4 hours a week");
  in.set("study", "Not this kind's: ignored");
  auto read = read_interest(in, none);
  REQUIRE(read);
  CHECK(read->interest.kind == InterestKind::clinical_private_practice);
  CHECK(read->interest.details.size() == 4);
  CHECK(read->interest.details.at("practice_hours") == "4 hours a week");
  CHECK_FALSE(read->interest.details.count("study"));
}

TEST_CASE("per-kind validation: sponsored posts, research, shareholdings, patents and donations") {
  auto [kind, missing] = GENERATE(table<std::string, std::string>({{"sponsored_posts", "post_sponsor"},
                                                                   {"sponsored_research", "study"},
                                                                   {"shareholdings", "holding"},
                                                                   {"patents", "patent"},
                                                                   {"donations", "donation_recipient"},
                                                                   {"outside_employment", "employer"},
                                                                   {"sponsored_events", "event_sponsor"},
                                                                   {"loyalty_interests", "loyalty_link"}}));
  CAPTURE(kind);
  Problems problems;
  CHECK_FALSE(read_interest(kinds_interest_form(kind), problems));
  CHECK(problems.has(missing));
}

TEST_CASE("a donation's amount is in pounds; an unknown kind is a problem; no kind is other") {
  Problems problems;
  auto in = kinds_interest_form("donations");
  in.set("donation_recipient", "Northbrook Carers Trust");
  in.set("donation_amount", "lots");
  CHECK_FALSE(read_interest(in, problems));
  CHECK(problems.message("donation_amount") == "Amount in pounds must be an amount in pounds, like 250 or 12.50");

  Problems unknown;
  CHECK_FALSE(read_interest(kinds_interest_form("bribery"), unknown));
  CHECK(unknown.message("kind") == "Select the kind of interest");

  Problems none;
  auto other = kinds_interest_form("");
  auto read = read_interest(other, none);
  REQUIRE(read);
  CHECK(read->interest.kind == InterestKind::other);
  CHECK(read->interest.details.empty());
}

TEST_CASE("stored details are checked against their kind: unknown keys and missing fields") {
  CHECK(interest_details_problems(InterestKind::patents, {{"patent", "GB2301234: a wound dressing"}}).empty());
  CHECK(interest_details_problems(InterestKind::patents, {}).has("patent"));
  CHECK(interest_details_problems(InterestKind::other, {{"patent", "x"}}).has("details"));
}
