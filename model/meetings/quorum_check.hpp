#pragma once
// Quorum per agenda item: once conflicted members are excluded from the decision, is
// the committee still quorate under its terms of reference, who presides, which rules fail, and
// what the guidance offers when it is not. The software says what fails; it does not decide.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/store/entities.hpp"

namespace probity {

/// Someone present at the meeting, as quorum sees them.
struct QuorumMember {
  Id person_id = 0;
  std::string name;
  PersonKind kind = PersonKind::officer;
  std::optional<CommitteeRole> role;  // nullopt: an attendee, not a member
};

struct Presiding {
  Id person_id = 0;
  CommitteeRole role = CommitteeRole::chair;  // chair or vice_chair
};

struct QuorumFailure {
  std::string rule;    // the QuorumRule field that fails: min_voting, min_lay, ..., lay_chair
  std::string reason;  // plain English, with the counts
};

/// An option open to the committee when an item is inquorate.
struct Remedy {
  std::string code;
  std::string description;
};

struct QuorumResult {
  bool quorate = true;
  int eligible_voting = 0;
  int lay = 0;
  int executive = 0;
  int clinical = 0;  // gp and clinical kinds
  std::optional<Presiding> presiding;
  std::string presiding_note;  // who presides and why (or why nobody can)
  std::vector<QuorumFailure> failures;
  std::vector<Remedy> remedies;  // empty when quorate
};

/// The options local constitutions give when exclusions leave an item inquorate (guidance):
/// defer, refer to another body, co-opt unconflicted members, convene a conflicts panel.
const std::vector<Remedy>& guidance_remedies();

/// Evaluates `rule` on the members present, leaving out `excluded` people (conflicted and
/// managed by exclusion). Non-voting members and attendees never count. `remedies` are listed
/// only when inquorate (pass a body's own list to override the guidance's). Throws nothing.
QuorumResult check_quorum(const QuorumRule& rule, const std::vector<QuorumMember>& present, const std::set<Id>& excluded,
                          const std::vector<Remedy>& remedies = guidance_remedies());

}  // namespace probity
