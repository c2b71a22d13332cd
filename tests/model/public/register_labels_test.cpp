#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "model/public/register_labels.hpp"

using namespace probity;

namespace {
// A label people can read: not empty, no underscore, not the code itself, a capital first letter.
void check_plain(std::string_view code, std::string_view label) {
  CAPTURE(code, label);
  CHECK(!label.empty());
  CHECK(label.find('_') == std::string_view::npos);
  CHECK(label != code);
  CHECK((label.front() >= 'A' && label.front() <= 'Z'));
}

template <typename E>
void every_code_has_a_label() {
  for (const auto& [value, code] : EnumNames<E>::values) {
    check_plain(code, public_label(value));
    // The one table answers for the stored code too.
    auto label = code_label("", code);
    REQUIRE(label.has_value());
    check_plain(code, *label);
  }
}
}  // namespace

TEST_CASE("labels: every code of every stored vocabulary has plain words in the one table") {
  every_code_has_a_label<InterestCategory>();
  every_code_has_a_label<CommitteeRole>();
  every_code_has_a_label<GiftKind>();
  every_code_has_a_label<GiftOutcome>();
  every_code_has_a_label<PersonKind>();
  every_code_has_a_label<OrganisationKind>();
  every_code_has_a_label<DeclarationStatus>();
  every_code_has_a_label<MeetingStatus>();
  every_code_has_a_label<AttendanceStatus>();
  every_code_has_a_label<AgendaCategory>();
}

TEST_CASE("labels: the codes users met on pages have words") {
  CHECK(code_label("role", "vice_chair") == "Vice-chair");
  CHECK(code_label("kind", "gp") == "GP member");
  CHECK(code_label("kind", "lay") == "Lay member");
  CHECK(code_label("role", "non_voting") == "Non-voting member");
  CHECK(code_label("state", "overdue") == "Overdue");
  CHECK(code_label("state", "nil_return") == "Nil return");
  CHECK(code_label("state", "no_declaration") == "No declaration");
  CHECK(code_label("category", "non_financial_professional") == "Non-financial professional");
  CHECK(code_label("category", "practice_merger") == "Practice merger");
  CHECK(code_label("entity_kind", "conflict_decision") == "Chair's decision");
  CHECK(code_label("role", "governance") == "Governance team");
  CHECK(!code_label("kind", "not a code").has_value());
  for (const char* code : {"up_to_date", "never_declared", "none_received", "papers_withheld", "leave_room", "no_vote",
                           "took_up_post", "joined_committee", "role_changed", "became_aware"}) {
    auto label = code_label("", code);
    REQUIRE(label.has_value());
    check_plain(code, *label);
  }
  CHECK(record_kind_label("conflict_decision") == "Chair's decision");
  CHECK(record_kind_label("nil_return") == "Nil return");
  CHECK(record_kind_label("something_new") == "Something new");
  CHECK(code_list_label("roles", "lay, vice_chair") == "Lay member, Vice-chair");
  CHECK(code_list_label("kinds", "gp,non_voting") == "GP member, Non-voting member");
}

TEST_CASE("names: people sort by surname, then forenames, whatever their title") {
  std::vector<std::string> names = {"Dr Amir Hassan", "Cllr Janet Price", "Margaret Ellison", "Dr Claire Bennett",
                                    "Dr Fiona McLeod", "Peter Grant", "Mr Mark Evans", "Prof. Anne Bennett"};
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return name_sort_key(a) < name_sort_key(b); });
  CHECK(names == std::vector<std::string>{"Prof. Anne Bennett", "Dr Claire Bennett", "Margaret Ellison", "Mr Mark Evans",
                                          "Peter Grant", "Dr Amir Hassan", "Dr Fiona McLeod", "Cllr Janet Price"});
  CHECK(name_sort_key("Dr") == "dr");  // a name that is only a title keeps it
  // Suffixes and quotes do not sort a name: O'Neil before Okafor before Patel.
  CHECK(name_sort_key("Zoë O'Neil, \"Jr\"") < name_sort_key("Ben Okafor"));
  CHECK(name_sort_key("Ben Okafor") < name_sort_key("Dr Asha Patel"));
  CHECK(is_name_title("dr."));
  CHECK(is_name_title("cllr"));
  CHECK(!is_name_title("drew"));
}

TEST_CASE("names: a search finds a person with or without their title") {
  CHECK(name_matches("Dr Amir Hassan", fold_case("Dr Hassan")));
  CHECK(name_matches("Dr Amir Hassan", fold_case("hassan")));
  CHECK(name_matches("Dr Amir Hassan", fold_case("Amir Hassan")));
  CHECK(name_matches("Amir Hassan", fold_case("Dr Amir Hassan")));
  CHECK(name_matches("Cllr Janet Price", fold_case("Councillor Price")));
  CHECK(name_matches("Dr Amir Hassan", fold_case("Dr")));  // the title alone still finds titled names
  CHECK_FALSE(name_matches("Dr Amir Hassan", fold_case("Dr Bennett")));
  CHECK_FALSE(name_matches("Margaret Ellison", fold_case("Dr")));
  CHECK(name_matches("Siân Davies", fold_case("Dr SIÂN")));
}
