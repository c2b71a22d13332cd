#include <catch2/catch.hpp>

#include <cctype>

#include "model/base/date_text.hpp"
#include "model/meetings/conflict_flags.hpp"
#include "model/register/organisation_name.hpp"

using namespace probity;

namespace {

const Date kMeeting = *Date::parse("2026-03-10");

// Organisation ids used by the scenarios.
constexpr Id kAcme = 1, kFederation = 2, kRiverside = 3, kHillside = 4, kUnrelated = 5, kAcmeVariant = 6,
             kAcmeDuplicate = 7, kZenith = 8, kAcmeTrading = 9;
// People.
constexpr Id kGp = 10, kLay = 11, kExec = 12, kHealthwatch = 13, kOutsider = 14;

std::vector<Organisation> organisations() {
  return {
      {kAcme, "org-acme", "Acme Healthcare Ltd", "01234567", OrganisationKind::company, std::nullopt},
      {kFederation, "org-fed", "Northern Federation", "", OrganisationKind::federation, std::nullopt},
      {kRiverside, "org-riverside", "Riverside Surgery", "Y01234", OrganisationKind::gp_practice, kFederation},
      {kHillside, "org-hillside", "Hillside Surgery", "Y05678", OrganisationKind::gp_practice, kFederation},
      {kUnrelated, "org-unrelated", "Bluebell Catering Ltd", "", OrganisationKind::company, std::nullopt},
      {kAcmeVariant, "org-acme-2", "ACME Health Care Limited", "", OrganisationKind::company, std::nullopt},
      {kAcmeDuplicate, "org-acme-3", "ACME HEALTHCARE LTD.", "", OrganisationKind::company, std::nullopt},
      {kZenith, "org-zenith", "Zenith Pharma Ltd", "", OrganisationKind::company, std::nullopt},
      {kAcmeTrading, "org-acme-4", "Acme Community Services", "01234567", OrganisationKind::company, std::nullopt},
  };
}

Person person(Id id, const std::string& name, PersonKind kind, std::optional<Id> practice = std::nullopt) {
  Person p;
  p.id = id;
  p.ref = "person-" + std::to_string(id);
  p.name = name;
  p.kind = kind;
  p.practice_id = practice;
  return p;
}

std::vector<MeetingParticipant> participants() {
  return {{person(kGp, "Dr Asha Patel", PersonKind::gp, kRiverside), CommitteeRole::voting},
          {person(kLay, "Ms Lee Lay", PersonKind::lay), CommitteeRole::chair},
          {person(kExec, "Mr Sam Exec", PersonKind::executive), CommitteeRole::voting},
          {person(kHealthwatch, "Ms Hana Watch", PersonKind::attendee), std::nullopt}};
}

Interest interest(Id id, Id person_id, Id org, InterestCategory category = InterestCategory::financial) {
  Interest i;
  i.id = id;
  i.person_id = person_id;
  i.category = category;
  i.organisation_id = org;
  i.nature = "Director";
  i.from = *Date::parse("2024-01-01");
  i.declared_on = *Date::parse("2024-01-05");
  i.status = DeclarationStatus::approved;
  return i;
}

AgendaItem item(Id id, const std::string& title, std::vector<Id> orgs, bool all_practices = false) {
  AgendaItem a;
  a.id = id;
  a.ref = "item-" + std::to_string(id);
  a.title = title;
  a.organisation_ids = std::move(orgs);
  a.affects_all_gp_practices = all_practices;
  return a;
}

FlaggingInput input_with(std::vector<AgendaItem> items, std::vector<Interest> interests, std::vector<Gift> gifts = {}) {
  return {kMeeting, std::move(items), participants(), std::move(interests), std::move(gifts), organisations()};
}

std::vector<ConflictFlag> flags_for(const std::vector<ItemFlags>& all, Id person_id) {
  std::vector<ConflictFlag> out;
  for (const auto& item : all)
    for (const auto& f : item.flags)
      if (f.person_id == person_id) out.push_back(f);
  return out;
}

}  // namespace

TEST_CASE("each interest rule fires on its case and stays silent on its negatives") {
  // A lay member (no practice) holds one interest; the item links some organisations. Expected:
  // the one rule that fires, or "" for no flag at all.
  auto [description, org, category, indirect, status, from, to, linked, all_practices, expected_rule, expected_confidence] =
      GENERATE(table<std::string, Id, InterestCategory, bool, DeclarationStatus, std::string, std::string, std::vector<Id>, bool,
                     std::string, std::string>({
          {"interest in the linked organisation", kAcme, InterestCategory::financial, false, DeclarationStatus::approved,
           "2024-01-01", "", {kAcme}, false, "organisation", "certain"},
          {"same identifier on another record", kAcmeTrading, InterestCategory::financial, false, DeclarationStatus::approved,
           "2024-01-01", "", {kAcme}, false, "organisation", "certain"},
          {"same name but for case and punctuation", kAcmeDuplicate, InterestCategory::financial, false,
           DeclarationStatus::approved, "2024-01-01", "", {kAcme}, false, "organisation", "certain"},
          {"partner of a practice in the federation that bids", kRiverside, InterestCategory::financial, false,
           DeclarationStatus::approved, "2024-01-01", "", {kFederation}, false, "organisation_group", "certain"},
          {"interest in the federation of a linked practice", kFederation, InterestCategory::financial, false,
           DeclarationStatus::approved, "2024-01-01", "", {kRiverside}, false, "organisation_group", "certain"},
          {"sibling practice in the same federation", kHillside, InterestCategory::financial, false,
           DeclarationStatus::approved, "2024-01-01", "", {kRiverside}, false, "", ""},
          {"indirect interest in the linked organisation", kAcme, InterestCategory::indirect, true,
           DeclarationStatus::approved, "2024-01-01", "", {kAcme}, false, "indirect", "certain"},
          {"indirect interest in a practice of the bidding federation", kRiverside, InterestCategory::financial, true,
           DeclarationStatus::approved, "2024-01-01", "", {kFederation}, false, "indirect", "certain"},
          {"similar name", kAcmeVariant, InterestCategory::financial, false, DeclarationStatus::approved, "2024-01-01", "",
           {kAcme}, false, "similar_name", "possible"},
          {"dissimilar name", kZenith, InterestCategory::financial, false, DeclarationStatus::approved, "2024-01-01", "",
           {kAcme}, false, "", ""},
          {"unrelated organisation", kUnrelated, InterestCategory::financial, false, DeclarationStatus::approved,
           "2024-01-01", "", {kAcme}, false, "", ""},
          {"expired the day before the meeting", kAcme, InterestCategory::financial, false, DeclarationStatus::approved,
           "2024-01-01", "2026-03-09", {kAcme}, false, "", ""},
          {"ends on the meeting date", kAcme, InterestCategory::financial, false, DeclarationStatus::approved, "2024-01-01",
           "2026-03-10", {kAcme}, false, "organisation", "certain"},
          {"starts the day after the meeting", kAcme, InterestCategory::financial, false, DeclarationStatus::approved,
           "2026-03-11", "", {kAcme}, false, "", ""},
          {"starts on the meeting date", kAcme, InterestCategory::financial, false, DeclarationStatus::approved,
           "2026-03-10", "", {kAcme}, false, "organisation", "certain"},
          {"draft", kAcme, InterestCategory::financial, false, DeclarationStatus::draft, "2024-01-01", "", {kAcme}, false,
           "", ""},
          {"returned for correction", kAcme, InterestCategory::financial, false, DeclarationStatus::returned, "2024-01-01",
           "", {kAcme}, false, "", ""},
          {"submitted, not yet approved", kAcme, InterestCategory::financial, false, DeclarationStatus::submitted,
           "2024-01-01", "", {kAcme}, false, "organisation", "certain"},
          {"financial interest in any GP practice, item affects all", kHillside, InterestCategory::financial, false,
           DeclarationStatus::approved, "2024-01-01", "", {}, true, "all_gp_practices", "certain"},
          {"non-financial interest in a GP practice, item affects all", kHillside,
           InterestCategory::non_financial_personal, false, DeclarationStatus::approved, "2024-01-01", "", {}, true, "", ""},
          {"relative's interest in a GP practice, item affects all", kHillside, InterestCategory::indirect, true,
           DeclarationStatus::approved, "2024-01-01", "", {}, true, "indirect", "certain"},
          {"financial interest in a practice, item does not affect all", kHillside, InterestCategory::financial, false,
           DeclarationStatus::approved, "2024-01-01", "", {}, false, "", ""},
      }));
  CAPTURE(description);
  Interest i = interest(100, kLay, org, category);
  i.indirect = indirect;
  i.relationship = indirect ? "spouse" : "";
  i.status = status;
  i.from = *Date::parse(from);
  if (!to.empty()) i.to = Date::parse(to);
  auto result = flag_conflicts(input_with({item(1, "Community diagnostics contract", linked, all_practices)}, {i}));
  REQUIRE(result.size() == 1);
  auto flags = flags_for(result, kLay);
  if (expected_rule.empty()) {
    CHECK(flags.empty());
    return;
  }
  REQUIRE(flags.size() == 1);
  CHECK(to_string(flags[0].rule) == expected_rule);
  CHECK(to_string(flags[0].confidence) == expected_confidence);
  CHECK(flags[0].indirect == indirect);
  CHECK(flags[0].interest_ids == std::vector<Id>{100});
  CHECK(flags[0].agenda_item_id == 1);
}

TEST_CASE("withheld interests still flag") {
  Interest i = interest(100, kExec, kAcme);
  i.withheld = true;
  i.withheld_reason = "risk of harm";
  auto flags = flags_for(flag_conflicts(input_with({item(1, "Contract", {kAcme})}, {i})), kExec);
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].rule == ConflictRule::organisation);
}

TEST_CASE("reasons name the person, the organisation and the item, and suggest the guidance's action") {
  Interest direct = interest(100, kExec, kAcme);
  Interest relative = interest(101, kLay, kRiverside, InterestCategory::indirect);
  relative.indirect = true;
  relative.relationship = "spouse";
  relative.nature = "Partner";
  Interest advisory = interest(102, kHealthwatch, kAcme, InterestCategory::non_financial_professional);
  advisory.nature = "Adviser";
  Interest lookalike = interest(103, kExec, kAcmeVariant);
  auto result = flag_conflicts(
      input_with({item(7, "Community diagnostics contract", {kAcme, kFederation})}, {direct, relative, advisory, lookalike}));
  const auto& flags = result.at(0).flags;
  REQUIRE(flags.size() == 5);  // exec: organisation + similar_name; lay: indirect; healthwatch: organisation; gp: own practice

  // Ordered by participant as given (GP, lay, exec, Healthwatch), then by rule.
  CHECK(flags[0].person_id == kGp);
  CHECK(flags[0].rule == ConflictRule::own_practice);
  CHECK(flags[0].reason ==
        "Dr Asha Patel's practice, Riverside Surgery, is part of Northern Federation, which is linked to item \"Community "
        "diagnostics contract\".");
  CHECK(flags[0].suggested_action.rfind("Leave the room for this item", 0) == 0);

  CHECK(flags[1].person_id == kLay);
  CHECK(flags[1].rule == ConflictRule::indirect);
  CHECK(flags[1].indirect);
  CHECK(flags[1].reason ==
        "Ms Lee Lay has an indirect interest through their spouse in Riverside Surgery (Partner), part of Northern "
        "Federation, which is linked to item \"Community diagnostics contract\".");
  CHECK(flags[1].suggested_action.rfind("Leave the room for this item", 0) == 0);

  CHECK(flags[2].person_id == kExec);
  CHECK(flags[2].rule == ConflictRule::organisation);
  CHECK(flags[2].reason ==
        "Mr Sam Exec has a financial interest in Acme Healthcare Ltd (Director), which is linked to item \"Community "
        "diagnostics contract\".");
  CHECK(flags[2].financial);
  CHECK(flags[2].suggested_action ==
        "Leave the room for this item: no part in the discussion or the decision (certain financial conflict).");

  CHECK(flags[3].person_id == kExec);
  CHECK(flags[3].rule == ConflictRule::similar_name);
  CHECK(flags[3].confidence == Confidence::possible);
  CHECK(flags[3].reason ==
        "Mr Sam Exec has a financial interest in ACME Health Care Limited (Director), whose name closely resembles Acme "
        "Healthcare Ltd (closeness 1.00): check whether it is the organisation in item \"Community diagnostics contract\".");
  CHECK(flags[3].suggested_action ==
        "Chair to decide: establish the facts and record how it is managed (possible conflict).");

  CHECK(flags[4].person_id == kHealthwatch);  // attendees are flagged too, though they never count for quorum
  CHECK_FALSE(flags[4].financial);
  CHECK(flags[4].suggested_action ==
        "Chair decides: usually may join the discussion but takes no part in the decision (certain non-financial conflict).");
}

TEST_CASE("several interests in one organisation make one flag citing them all") {
  Interest a = interest(100, kExec, kAcme);
  Interest b = interest(101, kExec, kAcme, InterestCategory::non_financial_professional);
  b.nature = "Adviser";
  auto flags = flags_for(flag_conflicts(input_with({item(1, "Contract", {kAcme})}, {a, b})), kExec);
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].interest_ids == std::vector<Id>{100, 101});
  CHECK(flags[0].financial);  // one financial interest is enough for the stronger advice
  CHECK(flags[0].reason.find("(Director; Adviser)") != std::string::npos);
}

TEST_CASE("interests of people not expected at the meeting are ignored") {
  auto result = flag_conflicts(input_with({item(1, "Contract", {kAcme})}, {interest(100, kOutsider, kAcme)}));
  CHECK(result.at(0).flags.empty());
}

TEST_CASE("a GP member is flagged for their own practice and for items affecting all practices") {
  auto [description, linked, all_practices, expected] = GENERATE(table<std::string, std::vector<Id>, bool, std::string>({
      {"own practice linked", {kRiverside}, false, "own_practice"},
      {"own practice's federation linked", {kFederation}, false, "own_practice"},
      {"another practice linked", {kHillside}, false, ""},
      {"item affects all GP practices", {}, true, "all_gp_practices"},
      {"unrelated item", {kUnrelated}, false, ""},
  }));
  CAPTURE(description);
  auto result = flag_conflicts(input_with({item(1, "Practice matters", linked, all_practices)}, {}));
  auto flags = flags_for(result, kGp);
  if (expected.empty()) {
    CHECK(flags.empty());
  } else {
    REQUIRE(flags.size() == 1);
    CHECK(to_string(flags[0].rule) == expected);
    CHECK(flags[0].confidence == Confidence::certain);
    CHECK(flags[0].financial);
    CHECK(flags[0].interest_ids.empty());  // the practice record, not a declared interest, is the basis
  }
  CHECK(flags_for(result, kLay).empty());  // nobody else is flagged by a practice they do not belong to
}

TEST_CASE("an item affecting all practices explains itself") {
  auto result = flag_conflicts(input_with({item(4, "Local incentive scheme 2026/27", {}, true)}, {}));
  auto flags = flags_for(result, kGp);
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].reason == "Dr Asha Patel is a GP member, and item \"Local incentive scheme 2026/27\" affects all GP practices.");
}

TEST_CASE("gifts and hospitality from a linked organisation in the 12 months before the meeting flag as possible") {
  auto [description, org, offered, outcome, status, include_declined, flagged] =
      GENERATE(table<std::string, Id, std::string, GiftOutcome, DeclarationStatus, bool, bool>({
          {"a month before", kAcme, "2026-02-10", GiftOutcome::accepted, DeclarationStatus::submitted, false, true},
          {"exactly 12 months before", kAcme, "2025-03-10", GiftOutcome::accepted, DeclarationStatus::submitted, false, true},
          {"older than 12 months", kAcme, "2025-03-09", GiftOutcome::accepted, DeclarationStatus::submitted, false, false},
          {"after the meeting", kAcme, "2026-03-11", GiftOutcome::accepted, DeclarationStatus::submitted, false, false},
          {"from an unrelated organisation", kUnrelated, "2026-02-10", GiftOutcome::accepted, DeclarationStatus::submitted,
           false, false},
          {"a draft declaration", kAcme, "2026-02-10", GiftOutcome::accepted, DeclarationStatus::draft, false, false},
          {"declined, by default", kAcme, "2026-02-10", GiftOutcome::declined, DeclarationStatus::submitted, false, false},
          {"declined, when the body asks for declined offers", kAcme, "2026-02-10", GiftOutcome::declined,
           DeclarationStatus::submitted, true, true},
      }));
  CAPTURE(description);
  Gift g;
  g.id = 500;
  g.person_id = kExec;
  g.kind = GiftKind::hospitality;
  g.organisation_id = org;
  g.description = "Dinner";
  g.value_pence = 8000;
  g.offered_on = *Date::parse(offered);
  g.outcome = outcome;
  g.declared_on = g.offered_on;
  g.status = status;
  FlaggingOptions options;
  options.include_declined_gifts = include_declined;
  auto flags = flags_for(flag_conflicts(input_with({item(1, "Contract", {kAcme})}, {}, {g}), options), kExec);
  if (!flagged) {
    CHECK(flags.empty());
    return;
  }
  REQUIRE(flags.size() == 1);
  CHECK(flags[0].rule == ConflictRule::gift_or_hospitality);
  CHECK(flags[0].confidence == Confidence::possible);
  CHECK(flags[0].gift_ids == std::vector<Id>{500});
  CHECK(flags[0].interest_ids.empty());
  CHECK(flags[0].reason == "Mr Sam Exec was offered hospitality on " + long_date(*Date::parse(offered)) + " (Dinner, £80.00, " +
                               std::string(to_string(outcome)) +
                               ") by Acme Healthcare Ltd in the 12 months before the meeting; Acme Healthcare Ltd is linked "
                               "to item \"Contract\".");
}

TEST_CASE("an organisation named in the item title is a possible conflict") {
  Organisation brightwater{20, "org-bw", "Brightwater Diagnostics Ltd", "", OrganisationKind::company, std::nullopt};
  auto in = input_with({item(1, "Contract variation: Brightwatter Diagnostics", {}),
                        item(2, "Contract variation: Clearview Imaging", {})},
                       {interest(100, kExec, 20)});
  in.organisations.push_back(brightwater);
  auto result = flag_conflicts(in);
  REQUIRE(result.at(0).flags.size() == 1);
  CHECK(result[0].flags[0].rule == ConflictRule::similar_name);
  CHECK(result[0].flags[0].reason.find("closely resembles the item title") != std::string::npos);
  CHECK(result.at(1).flags.empty());
}

TEST_CASE("similar-name results kept between checks follow the threshold and give the same flags") {
  // The similar-name comparisons are kept between checks, keyed by both texts and the threshold:
  // a check at a threshold the pair does not reach must not be answered from one that it does,
  // in either order, and a check answered from kept results must equal the first.
  Organisation brightwater{21, "org-bw-memo", "Brightwater Memo Diagnostics Ltd", "", OrganisationKind::company, std::nullopt};
  Organisation lookalike{22, "org-bw-memo-2", "Brightwatter Memo Diagnostics", "", OrganisationKind::company, std::nullopt};
  auto in = input_with({item(1, "Contract variation: Brightwatter Memo Diagnostics", {}), item(2, "Catering", {22})},
                       {interest(100, kExec, 21)});
  in.organisations.push_back(brightwater);
  in.organisations.push_back(lookalike);
  const double closeness = name_closeness(distinctive_words("Brightwater Memo Diagnostics Ltd"),
                                          distinctive_words("Brightwatter Memo Diagnostics"));
  REQUIRE(closeness >= 0.85);
  REQUIRE(closeness < 0.99);
  FlaggingOptions loose, strict;
  loose.similar_name_threshold = 0.85;
  strict.similar_name_threshold = 0.99;
  auto similar = [](const std::vector<ItemFlags>& all) {
    std::vector<std::string> reasons;
    for (const auto& item : all)
      for (const auto& f : item.flags)
        if (f.rule == ConflictRule::similar_name) reasons.push_back(f.reason);
    return reasons;
  };
  const auto first_strict = similar(flag_conflicts(in, strict));
  const auto first_loose = similar(flag_conflicts(in, loose));
  CHECK(first_strict.empty());
  REQUIRE(first_loose.size() == 2);  // item 1's title, and item 2's linked organisation
  CHECK(similar(flag_conflicts(in, strict)).empty());
  CHECK(similar(flag_conflicts(in, loose)) == first_loose);
}

TEST_CASE("organisation names are normalised before comparing") {
  CHECK(normalise_organisation_name("ACME Health Care Limited") == "acme healthcare ltd");
  CHECK(normalise_organisation_name("Smith & Jones") == "smith and jones");
  CHECK(normalise_organisation_name("St. Mary's  Medical Center") == "st mary s medical centre");
  CHECK(exact_name_key("ACME HEALTHCARE LTD.") == exact_name_key("Acme Healthcare Ltd"));
  CHECK(exact_name_key("ACME Health Care Limited") != exact_name_key("Acme Healthcare Ltd"));
}

TEST_CASE("the exact-name key folds every byte as the C locale's isalnum and tolower do") {
  // The reference the key was first written with; every byte value, alone and between letters.
  auto reference = [](std::string_view name) {
    std::string out;
    bool space = false;
    for (char c : name) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u) || u >= 0x80) {
        if (space && !out.empty()) out += ' ';
        space = false;
        out += static_cast<char>(std::tolower(u));
      } else {
        space = true;
      }
    }
    return out;
  };
  for (int b = 0; b < 256; ++b) {
    const std::string alone(1, static_cast<char>(b)), between = "Ab" + alone + "Zz 9" + alone;
    CAPTURE(b);
    CHECK(exact_name_key(alone) == reference(alone));
    CHECK(exact_name_key(between) == reference(between));
  }
  CHECK(exact_name_key("  St. Mary's @ Caf\xC3\xA9 [Ltd]  ") == "st mary s caf\xC3\xA9 ltd");
}

TEST_CASE("similar organisation names are matched and dissimilar ones are not") {
  auto [a, b, similar] = GENERATE(table<std::string, std::string, bool>({
      {"ACME Health Care Limited", "Acme Healthcare Ltd", true},
      {"Smith & Jones Ltd", "Smith and Jones Limited", true},
      {"Oak Tree Surgery", "Oaktree Surgery", true},
      {"Brightwatter Diagnostics", "Brightwater Diagnostics Ltd", true},
      {"Well-being Partners", "Wellbeing Partners LLP", true},
      {"Riverside Surgery", "Riverdale Surgery", false},
      {"Northgate Medical Centre", "Southgate Medical Centre", false},
      {"Acme Healthcare Ltd", "Zenith Pharma Ltd", false},
      {"Acme Healthcare Ltd", "Acme Pharma Ltd", false},
  }));
  CAPTURE(a, b);
  const double threshold = FlaggingOptions{}.similar_name_threshold;
  CHECK((name_closeness(distinctive_words(a), distinctive_words(b)) >= threshold) == similar);
}

namespace {
// The plain edit distance, every cell filled: the reference the shortcuts must agree with.
std::size_t full_edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}
}  // namespace

TEST_CASE("the closeness of joined names agrees with the full edit distance whenever it reaches the threshold") {
  // Random names over a small alphabet (so pairs are often close) and thresholds around the one
  // in use: the banded distance and the letter-count shortcut may only skip pairs below it.
  std::uint32_t seed = 12345;
  auto next = [&seed]() { return seed = seed * 1664525u + 1013904223u; };
  int compared = 0, reaching = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string a, b;
    const std::size_t la = 1 + next() % 14, lb = 1 + next() % 14;
    for (std::size_t i = 0; i < la; ++i) a += static_cast<char>('a' + next() % 5);
    b = a;
    if (next() % 3 == 0) {
      b.clear();
      for (std::size_t i = 0; i < lb; ++i) b += static_cast<char>('a' + next() % 5);
    } else {
      for (std::uint32_t edits = next() % 4; edits > 0; --edits) {
        const std::size_t at = b.empty() ? 0 : next() % b.size();
        switch (next() % 3) {
          case 0: b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>('a' + next() % 5)); break;
          case 1: if (!b.empty()) b.erase(at, 1); break;
          default: if (!b.empty()) b[at] = static_cast<char>('a' + next() % 5);
        }
      }
      if (b.empty()) b = "e";
    }
    for (const double threshold : {0.5, 0.8, 0.85, 0.9}) {
      CAPTURE(a, b, threshold);
      const double longer = static_cast<double>(std::max(a.size(), b.size()));
      const double exact = 1.0 - static_cast<double>(full_edit_distance(a, b)) / longer;
      const double got = joined_closeness(a, b, threshold);
      ++compared;
      if (exact >= threshold) {
        ++reaching;
        CHECK(got == Approx(exact));
      } else {
        CHECK(got < threshold);  // below the threshold: 0, or the exact value when it was computed
      }
    }
  }
  CHECK(reaching > compared / 10);  // the pairs exercise both sides of the threshold
}
