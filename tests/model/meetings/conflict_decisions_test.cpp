#include <catch2/catch.hpp>

#include "model/meetings/conflict_decisions.hpp"

using namespace probity;

namespace {
ConflictFlag flag(Id item, Id person, Confidence confidence, bool financial) {
  ConflictFlag f;
  f.agenda_item_id = item;
  f.person_id = person;
  f.confidence = confidence;
  f.financial = financial;
  return f;
}
}  // namespace

TEST_CASE("the suggested decision follows the flags: the strongest certain one, none for possible ones, participate when not flagged") {
  const std::vector<ConflictFlag> flags = {
      flag(1, 10, Confidence::certain, true),    // financial: leave the room
      flag(1, 11, Confidence::certain, false),   // non-financial: no vote
      flag(1, 12, Confidence::possible, true),   // possible: the chair decides
      flag(1, 13, Confidence::certain, false), flag(1, 13, Confidence::certain, true),  // the stronger wins
      flag(1, 14, Confidence::possible, false), flag(1, 14, Confidence::certain, false),
      flag(2, 15, Confidence::certain, true),    // another item
  };
  using A = std::optional<ManagementAction>;
  auto [person, expected] = GENERATE(table<Id, A>({
      {10, A(ManagementAction::leave_room)},
      {11, A(ManagementAction::no_vote)},
      {12, A()},
      {13, A(ManagementAction::leave_room)},
      {14, A(ManagementAction::no_vote)},
      {15, A(ManagementAction::participate)},
      {99, A(ManagementAction::participate)},
  }));
  CAPTURE(person);
  CHECK(suggested_decision(1, person, flags) == expected);
}

TEST_CASE("a decision needs a reason only when it departs from the suggestion") {
  using A = ManagementAction;
  using S = std::optional<ManagementAction>;
  auto [suggested, action, needs] = GENERATE(table<S, A, bool>({
      {S(A::leave_room), A::leave_room, false},
      {S(A::leave_room), A::participate, true},
      {S(A::leave_room), A::no_vote, true},
      {S(A::leave_room), A::papers_withheld, true},
      {S(A::no_vote), A::no_vote, false},
      {S(A::no_vote), A::participate, true},
      {S(A::participate), A::participate, false},
      {S(A::participate), A::leave_room, true},
      {S(), A::participate, false},
      {S(), A::leave_room, false},
  }));
  CAPTURE(suggested.has_value(), static_cast<int>(action));
  CHECK(decision_needs_reason(suggested, action) == needs);
}

TEST_CASE("a decision that departs from the suggestion without a reason is asked for one, naming the suggestion") {
  using A = ManagementAction;
  CHECK(missing_reason(A::leave_room, A::participate, "") ==
        "Enter the reason for departing from the suggested decision (Leave the room for the item), as it should appear in the minutes");
  CHECK(missing_reason(A::participate, A::no_vote, "") ==
        "Enter the reason for departing from the suggested decision (Take full part), as it should appear in the minutes");
  CHECK_FALSE(missing_reason(A::leave_room, A::participate, "The partnership was dissolved."));
  CHECK_FALSE(missing_reason(A::leave_room, A::leave_room, ""));
  CHECK_FALSE(missing_reason(std::nullopt, A::participate, ""));
  CHECK(management_action_label("papers_withheld") == "Leave the room; papers withheld");
  CHECK(management_action_label("unknown") == "unknown");
}
